"""Figures for the gradient-descent pages: the loss landscape with the descent path (animated in the
browser), the same as a 3-D surface, the loss curve, and the data with fitted lines and residuals.

They serve any model: the landscape builders take a ``Landscape``, a ``PathOnPlot`` and ``MarkedPoints``
from ``core.descent_view`` and the loss's name ("MSE", "cross-entropy").

Speed: these figures are rebuilt on every slider move, and validating Plotly's template alone costs about
20 ms a figure. So each figure starts from ``apply_layout``'s layout made once per title, axes and style
and stored as JSON (it was validated when made), and only the traces are validated each time.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core.descent_view import FitView, Landscape, LossCurve, MarkedPoints, PathOnPlot, Spot
from core.figures import (
    PALETTE,
    SURFACE_SCALE,
    ChartLabels,
    FigureStyle,
    Series,
    VerticalMarker,
    apply_layout,
)

PATH_COLOR = PALETTE["vermillion"]
FRAME_MS = 100  # per animation frame: 30 frames play in three seconds
SURFACE_STRIDE = 2  # the 3-D surface uses every other grid point: a quarter of the data, looks the same


@dataclass(frozen=True)
class LandscapeLabels:
    title: str
    w_title: str = "weight w"
    b_title: str = "bias b"
    loss_name: str = "MSE"


@functools.lru_cache(maxsize=256)
def _layout_json(labels: ChartLabels, style: FigureStyle) -> str:
    return json.dumps(apply_layout(go.Figure(), labels, style).layout.to_plotly_json())


def _figure(labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """An empty figure with the shared layout; later layout updates are not validated either."""
    return go.Figure(layout=json.loads(_layout_json(labels, style)), _validate=False)


def _grid(values) -> np.ndarray:
    """Landscape grids go to the browser as float32: half the JSON, and far finer than a pixel.
    (Paths and losses stay float64: a diverging run's values overflow float32.)"""
    return np.asarray(values, dtype=np.float32)


def _line(series: Series, style: FigureStyle) -> go.Scatter:
    """A line or marker trace drawn like ``core.figures.line_chart`` draws its series."""
    return go.Scatter(
        x=np.asarray(series.x, dtype=float),
        y=np.asarray(series.y, dtype=float),
        name=series.name,
        mode=series.mode,
        line={"color": series.color, "dash": series.dash, "width": style.line_width * series.width_scale},
        marker={"color": series.color, "size": style.marker_size},
        hovertemplate=series.hover or None,
        connectgaps=False,
    )


def _marker_styles(marked: MarkedPoints, style: FigureStyle) -> list[tuple[str, Spot, dict]]:
    """(legend name, point, marker) for every marked point present, in drawing order."""
    outline = {"color": PALETTE["black"], "width": 1.5}
    size = style.marker_size + 4
    candidates = [
        ("start", marked.start, {"symbol": "circle", "color": PALETTE["sky"], "line": outline}),
        (
            f"iteration {marked.shown_iteration}",
            marked.shown,
            {"symbol": "diamond", "color": PATH_COLOR, "line": outline},
        ),
        ("your (w, b)", marked.own, {"symbol": "x", "color": PALETTE["orange"], "line": outline}),
        ("optimum", marked.optimum, {"symbol": "star", "color": "white", "line": outline, "size": size + 6}),
    ]
    return [(name, spot, {"size": size, **marker}) for name, spot, marker in candidates if spot is not None]


def log_ticks(low: float, high: float, *, most=8) -> tuple[list[float], list[str]]:
    """Colour-bar ticks for log10 values in [low, high], labelled with the loss values: 1, 2 and 5 × 10^k,
    or fewer (decades, every other decade, ...) so that there are at most `most`."""
    decades = range(math.floor(low), math.ceil(high) + 1)
    strides = (1, 2, 5, 10, 20, 50, 100, 200, 500)  # a float64 spans about 630 decades
    choices = [(1, (1, 2, 5))] + [(stride, (1,)) for stride in strides]
    for stride, mantissas in choices:
        ticks = [k + math.log10(m) for k in decades if k % stride == 0 for m in mantissas]
        ticks = [t for t in ticks if low <= t <= high]
        if len(ticks) <= most:
            break
    return ticks, [f"{10**t:g}" for t in ticks]


def _animation_menu(style: FigureStyle) -> dict:
    playing = {"frame": {"duration": FRAME_MS, "redraw": False}, "transition": {"duration": 0}}
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 1.0,
        "xanchor": "right",
        "y": 1.02,
        "yanchor": "bottom",
        "pad": {"r": 0, "t": 0},
        "font": {"size": style.font_size},
        "buttons": [
            {"label": "Play", "method": "animate", "args": [None, {**playing, "fromcurrent": False}]},
            {
                "label": "Pause",
                "method": "animate",
                "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}],
            },
        ],
    }


def contour_with_path(
    landscape: Landscape,
    path: PathOnPlot,
    marked: MarkedPoints,
    labels: LandscapeLabels,
    style: FigureStyle,
) -> go.Figure:
    """Filled contours of log10(loss) with the descent path; Play replays the path in the browser.

    Only the path trace is animated (frames name it by index and skip the redraw), so the contour
    is sent once. The axes are fixed to the landscape, so a diverging path leaves the plot.
    """
    positive = landscape.loss[landscape.loss > 0]
    log_loss = np.log10(np.maximum(landscape.loss, positive.min() if positive.size else 1.0))
    tick_values, tick_text = log_ticks(float(log_loss.min()), float(log_loss.max()))
    fig = _figure(ChartLabels(labels.title, labels.w_title, labels.b_title), style)
    fig.add_trace(
        go.Contour(
            x=_grid(landscape.w),
            y=_grid(landscape.b),
            z=_grid(log_loss),
            colorscale=SURFACE_SCALE,
            ncontours=24,
            line={"width": 0.5, "color": "rgba(255, 255, 255, 0.5)"},
            colorbar={
                "title": {"text": f"{labels.loss_name}<br>(log scale)", "side": "top"},
                "tickvals": tick_values,
                "ticktext": tick_text,
                "thickness": 14,
            },
            hovertemplate=f"w %{{x:.4g}}<br>b %{{y:.4g}}<br>log₁₀ {labels.loss_name} %{{z:.3f}}"
            "<extra></extra>",
            name=labels.loss_name,
            showlegend=False,
        )
    )
    path_index = len(fig.data)
    fig.add_trace(
        go.Scatter(
            x=path.w,
            y=path.b,
            name="gradient descent",
            mode="lines+markers",
            line={"color": PATH_COLOR, "width": style.line_width},
            marker={"color": PATH_COLOR, "size": max(4, style.marker_size // 2)},
            customdata=path.iterations,
            hovertemplate="iteration %{customdata}<br>w %{x:.4g}<br>b %{y:.4g}<extra></extra>",
        )
    )
    for name, spot, marker in _marker_styles(marked, style):
        fig.add_trace(go.Scatter(x=[spot.w], y=[spot.b], name=name, mode="markers", marker=marker))
    # Frames are most of this figure's cost; their two arrays are known valid, so they skip validation.
    fig.frames = [
        go.Frame(
            data=[go.Scatter(x=path.w[:end], y=path.b[:end], _validate=False)],
            traces=[path_index],
            name=str(iteration),
            _validate=False,
        )
        for end, iteration in zip(path.frame_ends, path.frame_iterations, strict=True)
    ]
    axes = {"showgrid": False, "zeroline": False}
    fig.update_xaxes(range=[landscape.w[0], landscape.w[-1]], **axes)
    fig.update_yaxes(range=[landscape.b[0], landscape.b[-1]], **axes)
    fig.update_layout(updatemenus=[_animation_menu(style)])
    return fig


def surface_with_path(
    landscape: Landscape,
    path: PathOnPlot,
    marked: MarkedPoints,
    labels: LandscapeLabels,
    style: FigureStyle,
) -> go.Figure:
    """The loss as a 3-D surface with the descent path lying on it (points inside the window only)."""
    coarse = slice(None, None, SURFACE_STRIDE)
    inside = slice(None, -1 if path.left_window else None)
    fig = _figure(ChartLabels(labels.title, "", ""), style)
    fig.add_trace(
        go.Surface(
            x=_grid(landscape.w[coarse]),
            y=_grid(landscape.b[coarse]),
            z=_grid(landscape.loss[coarse, coarse]),
            colorscale=SURFACE_SCALE,
            opacity=0.9,
            showscale=False,
            name=labels.loss_name,
            hovertemplate=f"w %{{x:.4g}}<br>b %{{y:.4g}}<br>{labels.loss_name} %{{z:.4g}}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter3d(
            x=path.w[inside],
            y=path.b[inside],
            z=path.loss[inside],
            name="gradient descent",
            mode="lines+markers",
            line={"color": PATH_COLOR, "width": style.line_width * 2},
            marker={"color": PATH_COLOR, "size": max(2, style.marker_size // 4)},
        )
    )
    for name, spot, marker in _marker_styles(marked, style):
        # 3-D markers draw about twice as large as 2-D ones at the same size, and know fewer symbols
        symbol = marker["symbol"] if marker["symbol"] in {"circle", "diamond", "x"} else "circle"
        marker = {**marker, "symbol": symbol, "size": marker["size"] // 2}
        fig.add_trace(
            go.Scatter3d(x=[spot.w], y=[spot.b], z=[spot.loss], name=name, mode="markers", marker=marker)
        )
    fig.update_layout(
        scene={
            "xaxis": {"title": {"text": labels.w_title}},
            "yaxis": {"title": {"text": labels.b_title}},
            "zaxis": {"title": {"text": labels.loss_name}},
            "aspectmode": "manual",
            "aspectratio": {"x": 1.0, "y": 1.0, "z": 0.7},
            "camera": {"eye": {"x": -1.5, "y": -1.5, "z": 1.0}},
        },
    )
    return fig


def _vertical_marker(marker: VerticalMarker, y_span: Sequence[float], style: FigureStyle) -> go.Scatter:
    """A labelled vertical segment as a trace (exact on log axes, listed in the legend)."""
    return _line(
        Series(marker.label, [marker.x] * 2, list(y_span), marker.color, dash="dot", width_scale=0.6), style
    )


def loss_chart(
    curve: LossCurve, *, loss_name: str, markers: Sequence[VerticalMarker], style: FigureStyle
) -> go.Figure:
    """Loss against iteration on a log axis, with the optimal loss as a dashed line when there is one."""
    fig = _figure(
        ChartLabels("Loss against iteration", "iteration", f"{loss_name} (log scale)", log_y=True), style
    )
    fig.add_trace(_line(Series("gradient descent", curve.iterations, curve.loss, PATH_COLOR), style))
    drawn = [curve.loss]
    if curve.optimal_loss is not None:
        ends = curve.iterations[[0, -1]]
        optimal = Series("optimal loss", ends, [curve.optimal_loss] * 2, PALETTE["black"], dash="dash")
        fig.add_trace(_line(optimal, style))
        drawn.append([curve.optimal_loss])
    positive = np.concatenate(drawn)
    positive = positive[positive > 0]  # zero has no place on a log axis
    for marker in markers:
        fig.add_trace(_vertical_marker(marker, (positive.min(), positive.max()), style))
    return fig


def fit_chart(fit: FitView, *, iteration: int, labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """The data with the descent's line at `iteration`, the least-squares line and the reader's own
    line, whose residuals are drawn as thin vertical segments."""
    fig = _figure(ChartLabels(labels.title, labels.x_title, labels.y_title, y_range=fit.y_range), style)
    residuals = Series("your line's residuals", fit.residual_x, fit.residual_y, PALETTE["orange"])
    fig.add_trace(_line(residuals, style).update(line_width=1, hoverinfo="skip"))
    data = _line(Series("data", fit.x, fit.y, PALETTE["blue"], mode="markers"), style)
    fig.add_trace(data.update(marker_size=max(5, style.marker_size * 0.7), marker_opacity=0.7))
    for series in (
        Series("your line", fit.line_x, fit.own_line, PALETTE["orange"], dash="dot"),
        Series("least squares (optimum)", fit.line_x, fit.optimum_line, PALETTE["black"], dash="dash"),
        Series(f"descent, iteration {iteration}", fit.line_x, fit.descent_line, PATH_COLOR),
    ):
        fig.add_trace(_line(series, style))
    return fig
