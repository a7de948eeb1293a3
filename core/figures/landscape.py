"""The loss landscape of the gradient-descent pages with the descent path: filled contours of the log loss
(`contour_with_path`) or a 3-D surface (`surface_with_path`).

They serve any model: they take a ``DescentLandscape``, a ``PathOnPlot`` and ``MarkedPoints`` from
``core.descent.plot_data`` and the loss's name ("MSE", "cross-entropy"). The pages draw them in a live
chart (ui/live/recipes/descent.js) that moves the traces named in ``LIVE_TRACES``; each of those is always
present (NaN where it has nothing to show), so there is a trace to move wherever the iterate goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core.descent.plot_data import DescentLandscape, MarkedPoints, PathOnPlot, Spot
from core.figures import (
    PALETTE,
    SURFACE_SCALE,
    ChartLabels,
    FigureStyle,
    figure,
    figure_layout,
    trace,
    wire_floats,
)
from core.figures.descent_style import DESCENT, PATH_COLOR, SHOWN, legend_below, log_ticks

SURFACE_STRIDE = 2  # the 3-D surface uses every other grid point: a quarter of the data, looks the same
HALO = "0 0 3px white, 0 0 3px white, 0 0 2px white"


@dataclass(frozen=True)
class LandscapeLabels:
    """Titles of a landscape; `w_symbol` and `b_symbol` name its axes in hover text (w₁ and w₂ when the
    plane is the weights of a two-feature model)."""

    title: str
    w_title: str = "weight w"
    b_title: str = "bias b"
    loss_name: str = "MSE"
    w_symbol: str = "w"
    b_symbol: str = "b"


def _marker_styles(
    marked: MarkedPoints, landscape: DescentLandscape, style: FigureStyle
) -> list[tuple[str, Spot, dict, str]]:
    """(name, label, point, marker, label position) for every marked point on the plot, in drawing order.

    A point off the landscape is left out (the start and the shown iterate, which the live chart moves, are
    kept at NaN): a diverged iterate at w = -2e51 is nowhere to be seen, and plotly.js logs an error for
    every SVG transform it cannot write for such a marker.

    Points are labelled on the plot rather than in a legend: readable from the back of a hall, and
    the positions differ so labels of nearby points (the last iterate next to the optimum) do not collide.
    """
    outline = {"color": PALETTE["black"], "width": 1.5}
    size = style.marker_size + 4
    shown = f"iteration {marked.shown_iteration}"
    candidates = [
        ("start", "start", marked.start, {"symbol": "circle", "color": PALETTE["sky"]}, "top center"),
        (SHOWN, shown, marked.shown, {"symbol": "diamond", "color": PATH_COLOR}, "bottom center"),
        # above: below its marker the label lined up with the start's and read as one ("start your (w, b)")
        ("your (w, b)", "your (w, b)", marked.own, {"symbol": "x", "color": PALETTE["orange"]}, "top center"),
        (
            "optimum",
            "optimum",
            marked.optimum,
            {"symbol": "star", "color": "white", "size": size + 6},
            "top center",
        ),
    ]
    kept = []
    for name, label, spot, marker, position in candidates:
        if spot is None:
            continue
        inside = landscape.w[0] <= spot.w <= landscape.w[-1] and landscape.b[0] <= spot.b <= landscape.b[-1]
        if not inside and name not in ("start", SHOWN):
            continue
        point = spot if inside else Spot(math.nan, math.nan, math.nan)
        kept.append((name, label, point, {"size": size, "line": outline, **marker}, position))
    return kept


def _labelled_point(
    name: str,
    label: str,
    spot: Spot,
    marker: dict,
    position: str,
    labels: LandscapeLabels,
    style: FigureStyle,
) -> dict:
    return trace(
        "scatter",
        x=[spot.w],
        y=[spot.b],
        name=name,
        mode="markers+text",
        marker=marker,
        text=[label],
        textposition=position,
        cliponaxis=False,  # a label near the edge may run into the margin instead of being cut
        # bold black on a white halo: readable on any colour of the landscape
        textfont={"size": style.font_size, "color": PALETTE["black"], "weight": "bold", "shadow": HALO},
        hovertemplate=f"%{{text}}<br>{labels.w_symbol} %{{x:.4g}}<br>{labels.b_symbol} %{{y:.4g}}"
        "<extra></extra>",
        showlegend=False,
    )


def contour_with_path(
    landscape: DescentLandscape,
    path: PathOnPlot,
    marked: MarkedPoints,
    labels: LandscapeLabels,
    style: FigureStyle,
    *,
    equal_axes: bool = False,
) -> go.Figure:
    """Filled contours of log10(loss) with the descent path and the marked points. The axes are fixed to
    the landscape, so a diverging path leaves the plot (and the live chart's moves keep the axes);
    ``equal_axes`` draws a unit of b as long as a unit of w, the bowl's true shape (the plot area shrinks
    to the window's aspect instead of the ranges growing)."""
    positive = landscape.loss[landscape.loss > 0]
    log_loss = np.log10(np.maximum(landscape.loss, positive.min() if positive.size else 1.0))
    tick_values, tick_text = log_ticks(float(log_loss.min()), float(log_loss.max()))
    traces = [
        trace(
            "contour",
            x=wire_floats(landscape.w),
            y=wire_floats(landscape.b),
            z=wire_floats(log_loss),
            colorscale=SURFACE_SCALE,
            ncontours=24,
            line={"width": 0.5, "color": "rgba(255, 255, 255, 0.5)"},
            colorbar={
                "title": {"text": f"{labels.loss_name} (log scale)", "side": "right"},
                "tickvals": tick_values,
                "ticktext": tick_text,
                "thickness": 14,
            },
            hovertemplate=f"{labels.w_symbol} %{{x:.4g}}<br>{labels.b_symbol} %{{y:.4g}}<br>"
            f"log₁₀ {labels.loss_name} %{{z:.3f}}<extra></extra>",
            name=labels.loss_name,
            showlegend=False,
        ),
        trace(
            "scatter",
            x=path.w,
            y=path.b,
            name=DESCENT,
            mode="lines+markers",
            line={"color": PATH_COLOR, "width": style.line_width},
            marker={"color": PATH_COLOR, "size": max(4, style.marker_size // 2)},
            customdata=path.iterations,
            hovertemplate=f"iteration %{{customdata}}<br>{labels.w_symbol} %{{x:.4g}}<br>"
            f"{labels.b_symbol} %{{y:.4g}}<extra></extra>",
            showlegend=False,
        ),
    ]
    for name, label, spot, marker, position in _marker_styles(marked, landscape, style):
        traces.append(_labelled_point(name, label, spot, marker, position, labels, style))
    axes = {"showgrid": False, "zeroline": False}
    layout = figure_layout(
        ChartLabels(labels.title, labels.w_title, labels.b_title),
        style,
        xaxis={
            "range": [landscape.w[0], landscape.w[-1]],
            **axes,
            **({"constrain": "domain"} if equal_axes else {}),
        },
        yaxis={
            "range": [landscape.b[0], landscape.b[-1]],
            **axes,
            **({"scaleanchor": "x", "scaleratio": 1, "constrain": "domain"} if equal_axes else {}),
        },
        showlegend=False,
    )
    return figure(layout, traces)


def surface_with_path(
    landscape: DescentLandscape,
    path: PathOnPlot,
    marked: MarkedPoints,
    labels: LandscapeLabels,
    style: FigureStyle,
) -> go.Figure:
    """The loss as a 3-D surface with the descent path lying on it (points inside the window only)."""
    coarse = slice(None, None, SURFACE_STRIDE)
    inside = slice(None, -1 if path.left_window else None)
    traces = [
        trace(
            "surface",
            x=wire_floats(landscape.w[coarse]),
            y=wire_floats(landscape.b[coarse]),
            z=wire_floats(landscape.loss[coarse, coarse]),
            colorscale=SURFACE_SCALE,
            opacity=0.9,
            showscale=False,
            name=labels.loss_name,
            hovertemplate=f"w %{{x:.4g}}<br>b %{{y:.4g}}<br>{labels.loss_name} %{{z:.4g}}<extra></extra>",
            showlegend=False,
        ),
        trace(
            "scatter3d",
            x=path.w[inside],
            y=path.b[inside],
            z=path.loss[inside],
            name="gradient descent",
            mode="lines+markers",
            line={"color": PATH_COLOR, "width": style.line_width * 2},
            marker={"color": PATH_COLOR, "size": max(2, style.marker_size // 4)},
        ),
    ]
    for _, name, spot, marker, _ in _marker_styles(marked, landscape, style):
        # 3-D markers draw about twice as large as 2-D ones at the same size, and know fewer symbols.
        # A legend, not labels: in perspective, labels of nearby points pile up.
        symbol = marker["symbol"] if marker["symbol"] in {"circle", "diamond", "x"} else "circle"
        marker = {**marker, "symbol": symbol, "size": marker["size"] // 2}
        if math.isfinite(spot.w):
            traces.append(
                trace(
                    "scatter3d",
                    x=[spot.w],
                    y=[spot.b],
                    z=[spot.loss],
                    name=name,
                    mode="markers",
                    marker=marker,
                )
            )
    scene = {
        "xaxis": {"title": {"text": labels.w_title}},
        "yaxis": {"title": {"text": labels.b_title}},
        "zaxis": {"title": {"text": labels.loss_name}},
        "aspectmode": "manual",
        "aspectratio": {"x": 1.0, "y": 1.0, "z": 0.7},
        # far enough back that the loss axis's title stays inside the scene
        "camera": {"eye": {"x": -1.75, "y": -1.75, "z": 1.1}},
    }
    layout = figure_layout(
        ChartLabels(labels.title, "", ""), style, scene=scene, **legend_below(traces, style)
    )
    return figure(layout, traces)
