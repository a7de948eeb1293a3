"""The optimizer race on a contour map: the paths, the start, and the markers that the live chart moves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from core.figures import (
    LEGEND_BESIDE,
    PALETTE,
    SURFACE_SCALE,
    ChartLabels,
    FigureStyle,
    figure,
    figure_layout,
    trace,
    wire_floats,
)
from core.race import RacerTrack

# One colour and one marker shape per optimizer (Okabe–Ito colours; shapes for colour-blind readers).
RACER_STYLE = {
    "GD": (PALETTE["black"], "circle"),
    "Momentum": (PALETTE["blue"], "square"),
    "Nesterov": (PALETTE["sky"], "diamond"),
    "RMSProp": (PALETTE["green"], "triangle-up"),
    "Adam": (PALETTE["vermillion"], "star"),
    "Newton": (PALETTE["purple"], "x"),
}
# as Plotly's validation would spell the scale out for the browser
_SURFACE_COLOURS = get_colorscale(SURFACE_SCALE)


def contour_layer(x: np.ndarray, y: np.ndarray, z: np.ndarray, z_range: tuple[float, float] | None) -> dict:
    """The filled contours of f under the race, as a plain trace dict: it depends on the function and its
    window only, so the page caches it and reruns that move a racer reuse it (as float32: wire_floats)."""
    levels = {} if z_range is None else {"start": z_range[0], "end": z_range[1],
                                         "size": (z_range[1] - z_range[0]) / 24}  # fmt: skip
    return trace(
        "contour", x=wire_floats(x), y=wire_floats(y), z=wire_floats(z),
        colorscale=_SURFACE_COLOURS, opacity=0.75, showscale=False,
        name="f(x, y)", zmin=None if z_range is None else z_range[0],
        zmax=None if z_range is None else z_range[1], autocontour=z_range is None,
        contours={"coloring": "heatmap", **levels},
        line={"width": 0.5, "color": "rgba(255,255,255,0.6)"}, hoverinfo="skip",
    )  # fmt: skip


def race_contour(
    contour: dict,
    window: tuple[float, float, float, float],
    tracks: Sequence[RacerTrack],
    start: tuple[float, float],
    minima: Sequence[tuple[float, float]],
    style: FigureStyle,
) -> go.Figure:
    """The contour layer (``contour_layer``) over ``window``, the start, each optimizer's path and its
    marker at the end of the race (the live chart moves the markers along the paths, step by step).

    Every trace is a plain dict and the figure is built unvalidated: validating them took most of a
    rerun's server time."""
    traces = [contour]
    if minima:
        traces.append(
            trace(
                "scatter", x=[m[0] for m in minima], y=[m[1] for m in minima],
                mode="markers", name="known minimum",
                # white on the map, outlined so the legend's white background shows it too
                marker={"symbol": "star", "size": style.marker_size * 1.8, "color": "white",
                        "line": {"width": 1.5, "color": PALETTE["black"]}},
            )
        )  # fmt: skip
    traces.append(
        trace(
            "scatter", x=[start[0]], y=[start[1]], mode="markers", name="start",
            marker={"symbol": "x", "size": style.marker_size * 1.6, "color": "white",
                    "line": {"width": 1.5, "color": PALETTE["black"]}},
        )
    )  # fmt: skip
    for track in tracks:
        traces.append(
            trace(
                "scatter", x=track.line[:, 0], y=track.line[:, 1], mode="lines",
                name=f"{track.name} path", legendgroup=track.name, showlegend=False,
                line={"color": RACER_STYLE[track.name][0], "width": style.line_width * 0.8},
            )
        )  # fmt: skip
    for track in tracks:
        color, symbol = RACER_STYLE[track.name]
        traces.append(
            trace(
                "scatter", x=track.positions[-1:, 0], y=track.positions[-1:, 1],
                mode="markers", name=track.name, legendgroup=track.name,
                marker={"color": color, "symbol": symbol, "size": style.marker_size * 1.5,
                        "line": {"color": "white", "width": 1.5}},
            )
        )  # fmt: skip
    x_min, x_max, y_min, y_max = window
    for track in tracks:  # a racer that left the map: where it went off, and when (on hover: a label
        if track.exit is None:  # at the edge ran into the legend and the other racers' marks)
            continue
        traces.append(
            trace(
                "scatter", x=[track.exit[0]], y=[track.exit[1]], mode="markers",
                name=f"{track.name} left the map", legendgroup=track.name, showlegend=False,
                hovertemplate=f"{track.name} left the map here, at step {track.left_at}<extra></extra>",
                marker={"color": RACER_STYLE[track.name][0], "symbol": "triangle-up-open",
                        "size": style.marker_size * 1.3, "line": {"width": 2}},
            )
        )  # fmt: skip
    layout = figure_layout(
        ChartLabels("The race: click the map to move the start", "x", "y"),  # fits a phone
        style,
        xaxis={"range": [x_min, x_max], "constrain": "domain", "showgrid": False},
        yaxis={"range": [y_min, y_max], "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
               "showgrid": False},
        # no gap between legend groups (each racer is one, its path and exit marker hidden): 10 px each
        # made the eight entries taller than the map; a size smaller, they fit beside a 1280x720 lecture map
        legend={**LEGEND_BESIDE, "tracegroupgap": 0, "font": {"size": style.font_size - 2}},
        dragmode=False,  # a press on the map starts the race there instead of zooming
    )  # fmt: skip
    return figure(layout, traces)
