"""The optimizer race on a contour map, animated in the browser (Plotly frames: no server round trip)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from core.figures import PALETTE, SURFACE_SCALE, ChartLabels, FigureStyle, figure, figure_layout
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
    window only, so the page caches it and reruns that move a racer reuse it. float32 halves its JSON."""
    levels = {} if z_range is None else {"start": z_range[0], "end": z_range[1],
                                         "size": (z_range[1] - z_range[0]) / 24}  # fmt: skip
    return {
        "type": "contour", "x": x.astype(np.float32), "y": y.astype(np.float32),
        "z": z.astype(np.float32), "colorscale": _SURFACE_COLOURS, "opacity": 0.75, "showscale": False,
        "name": "f(x, y)", "zmin": None if z_range is None else z_range[0],
        "zmax": None if z_range is None else z_range[1], "autocontour": z_range is None,
        "contours": {"coloring": "heatmap", **levels},
        "line": {"width": 0.5, "color": "rgba(255,255,255,0.6)"}, "hoverinfo": "skip",
    }  # fmt: skip


def race_contour(
    contour: dict,
    window: tuple[float, float, float, float],
    tracks: Sequence[RacerTrack],
    frame_steps: Sequence[int],
    minima: Sequence[tuple[float, float]],
    style: FigureStyle,
) -> go.Figure:
    """The contour layer (``contour_layer``) over ``window``, each optimizer's path, and markers that race
    along the paths when Play is pressed.

    Every trace and frame is a plain dict and the figure is built unvalidated: validating the hundreds of
    small frame traces and the layout took most of a rerun's server time."""
    traces = [contour]
    if minima:
        traces.append(
            {
                "type": "scatter", "x": [m[0] for m in minima], "y": [m[1] for m in minima],
                "mode": "markers", "name": "known minimum",
                "marker": {"symbol": "star-open", "size": style.marker_size * 1.8, "color": "white",
                           "line": {"width": 2, "color": "white"}},
            }
        )  # fmt: skip
    for track in tracks:
        traces.append(
            {
                "type": "scatter", "x": track.line[:, 0], "y": track.line[:, 1], "mode": "lines",
                "name": f"{track.name} path", "legendgroup": track.name, "showlegend": False,
                "line": {"color": RACER_STYLE[track.name][0], "width": style.line_width * 0.8},
            }
        )  # fmt: skip
    first_marker = len(traces)
    for track in tracks:
        color, symbol = RACER_STYLE[track.name]
        traces.append(
            {
                "type": "scatter", "x": track.positions[-1:, 0], "y": track.positions[-1:, 1],
                "mode": "markers", "name": track.name, "legendgroup": track.name,
                "marker": {"color": color, "symbol": symbol, "size": style.marker_size * 1.5,
                           "line": {"color": "white", "width": 1.5}},
            }
        )  # fmt: skip
    marker_indices = list(range(first_marker, first_marker + len(tracks)))
    frames = [
        {
            "name": str(step),
            "traces": marker_indices,
            "data": [
                {"type": "scatter", "x": [float(track.positions[i, 0])], "y": [float(track.positions[i, 1])]}
                for track in tracks
            ],
        }
        for i, step in enumerate(frame_steps)
    ]
    x_min, x_max, y_min, y_max = window
    layout = figure_layout(
        ChartLabels("The race on the contour map (press Play)", "x", "y"),
        style,
        xaxis={"range": [x_min, x_max], "constrain": "domain", "showgrid": False},
        yaxis={"range": [y_min, y_max], "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
               "showgrid": False},
        # the legend goes to the right: below the plot is where the Play button and step slider sit
        legend={"orientation": "v", "x": 1.02, "y": 1.0, "xanchor": "left", "yanchor": "top"},
        **_player(frame_steps, style),
    )  # fmt: skip
    return figure(layout, traces, frames)


def _player(frame_steps: Sequence[int], style: FigureStyle) -> dict:
    """Layout for Play/Pause buttons and a step slider that drive the frames in the browser."""
    play = {"frame": {"duration": 80, "redraw": False}, "transition": {"duration": 0}, "fromcurrent": True}
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    return dict(
        updatemenus=[
            {
                "type": "buttons", "direction": "left", "x": 0.0, "y": -0.2, "xanchor": "left",
                "yanchor": "top", "showactive": False, "font": {"size": style.font_size},
                "buttons": [
                    {"label": "▶ Play", "method": "animate", "args": [None, play]},
                    {"label": "❚❚ Pause", "method": "animate", "args": [[None], pause]},
                ],
            }
        ],
        sliders=[
            {
                "active": len(frame_steps) - 1, "x": 0.25, "y": -0.2, "len": 0.75, "yanchor": "top",
                "currentvalue": {"prefix": "step ", "font": {"size": style.font_size}},
                "steps": [
                    {"label": str(step), "method": "animate",
                     "args": [[str(step)], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}]}
                    for step in frame_steps
                ],
            }
        ],
    )  # fmt: skip
