"""Contour and surface views of f(x, y) with its critical points, marked by kind (shape and colour)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.critical_points import PointMarks
from core.figures import PALETTE, SURFACE_SCALE, ChartLabels, FigureStyle, figure, figure_layout, trace

# Shape as well as colour, so the kinds stay apart for colour-blind readers and in greyscale prints.
KIND_STYLE = {
    "minimum": ("circle", PALETTE["blue"]),
    "maximum": ("square", PALETTE["vermillion"]),  # a symbol Scatter3d has too: the same shape on both charts
    "saddle": ("x", PALETTE["green"]),
    "degenerate": ("diamond", PALETTE["purple"]),
}

CONTOUR_STEPS = 24  # level curves between the ends of the colour range


def _contour(x, y, z, z_range: tuple[float, float] | None) -> dict:
    levels = {}
    if z_range is not None:
        low, high = z_range
        levels = {"start": low, "end": high, "size": (high - low) / CONTOUR_STEPS}
    return trace(
        "contour",
        x=x,
        y=y,
        z=z,
        colorscale=SURFACE_SCALE,
        zmin=None if z_range is None else z_range[0],
        zmax=None if z_range is None else z_range[1],
        autocontour=z_range is None,
        contours={"coloring": "heatmap", "showlines": True, **levels},
        line={"width": 0.5, "color": "rgba(255,255,255,0.5)"},
        colorbar={"title": {"text": "f(x, y)"}},
        name="f(x, y)",
        hovertemplate="x=%{x:.3g}<br>y=%{y:.3g}<br>f=%{z:.4g}<extra></extra>",
    )


def critical_points_contour(
    x: np.ndarray,
    y: np.ndarray,
    z: np.ndarray,
    marks: Sequence[PointMarks],
    eigen_segments: tuple[np.ndarray, np.ndarray],
    family_curves: Sequence[tuple[np.ndarray, np.ndarray]],
    style: FigureStyle,
    z_range: tuple[float, float] | None = None,
) -> go.Figure:
    """Filled contours of f with each critical point marked by kind and its Hessian eigenvector directions.

    ``z_range`` limits the colours and contour levels (values beyond it take the end colours)."""
    traces = [_contour(x, y, z, z_range)]
    seg_x, seg_y = eigen_segments
    if seg_x.size:
        traces.append(
            trace(
                "scatter",
                x=seg_x,
                y=seg_y,
                mode="lines",
                name="Hessian eigenvectors",
                line={"color": PALETTE["black"], "width": style.line_width * 0.8},
                hoverinfo="skip",
            )
        )
    for curve_x, curve_y in family_curves:
        traces.append(
            trace(
                "scatter",
                x=curve_x,
                y=curve_y,
                mode="lines",
                name="a curve of critical points",
                line={"color": KIND_STYLE["degenerate"][1], "width": style.line_width * 1.5, "dash": "dash"},
            )
        )
    for mark in marks:
        symbol, color = KIND_STYLE[mark.kind]
        traces.append(
            trace(
                "scatter",
                x=mark.x,
                y=mark.y,
                mode="markers",
                name=mark.kind,
                marker={
                    "symbol": symbol,
                    "color": color,
                    "size": style.marker_size * 1.6,
                    "line": {"color": "white", "width": 2},
                },
                hovertext=list(mark.hover),
                hoverinfo="text",
            )
        )
    layout = figure_layout(
        ChartLabels("Critical points on the contour map", "x", "y"),
        style,
        xaxis={"constrain": "domain"},
        yaxis={"scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
    )
    return figure(layout, traces)


def critical_points_surface(
    x: np.ndarray, y: np.ndarray, z: np.ndarray, marks: Sequence[PointMarks], style: FigureStyle
) -> go.Figure:
    """The surface z = f(x, y) with the critical points on it."""
    traces = [
        trace(
            "surface", x=x, y=y, z=z, colorscale=SURFACE_SCALE, opacity=0.9, showscale=False, name="f(x, y)"
        )
    ]
    for mark in marks:
        symbol, color = KIND_STYLE[mark.kind]
        traces.append(
            trace(
                "scatter3d",
                x=mark.x,
                y=mark.y,
                z=mark.z,
                mode="markers",
                name=mark.kind,
                marker={
                    "symbol": symbol,
                    "color": color,
                    "size": style.marker_size,
                },
                hovertext=list(mark.hover),
                hoverinfo="text",
            )
        )
    ticks = {"nticks": 5, "tickfont": {"size": round(style.font_size * 0.75)}}
    scene = {
        "xaxis": {"title": {"text": "x"}, **ticks},
        "yaxis": {"title": {"text": "y"}, **ticks},
        "zaxis": {"title": {"text": "f(x, y)"}, **ticks},
        "camera": {"eye": {"x": 1.25, "y": -1.25, "z": 0.85}},
        "aspectmode": "cube",
    }
    labels = ChartLabels("The surface z = f(x, y)", "x", "y")
    return figure(figure_layout(labels, style, scene=scene, height=round(style.height * 1.25)), traces)
