"""Figures for the gradient-descent pages: the loss landscape with the descent path, the same as a 3-D
surface, the loss curve, and the data with fitted lines and residuals.

They serve any model: the landscape builders take a ``DescentLandscape``, a ``PathOnPlot`` and
``MarkedPoints`` from ``core.descent.plot_data`` and the loss's name ("MSE", "cross-entropy"). The
pages draw them in a live chart (ui/live/recipes/descent.js) that moves the traces named in
``LIVE_TRACES``; each of those is always present (NaN where it has nothing to show), so there is a
trace to move wherever the iterate goes.

Speed: these figures are rebuilt on every slider move, so each is built in one go with
``core.figures.figure`` from the cached shared layout (``figure_layout``); only the traces are validated.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core.descent.linear import FitView
from core.descent.logistic import BoundaryView, ProbabilityView, WeightNormCurve
from core.descent.plot_data import DescentLandscape, GradientCloud, LossCurve, MarkedPoints, PathOnPlot, Spot
from core.figures import (
    PALETTE,
    SURFACE_SCALE,
    ChartLabels,
    FigureStyle,
    Series,
    VerticalMarker,
    figure,
    figure_layout,
    wire_floats,
)

PATH_COLOR = PALETTE["vermillion"]
SURFACE_STRIDE = 2  # the 3-D surface uses every other grid point: a quarter of the data, looks the same
HALO = "0 0 3px white, 0 0 3px white, 0 0 2px white"
LEGEND_COLUMNS = 2  # legend entries per row: two fit a half-width chart even in lecture mode
DESCENT, SHOWN, CONVERGED = "gradient descent", "shown iteration", "within 1%"
# role in the live recipe -> trace name, per chart: (landscape, data plot, loss curve)
LIVE_TRACES = (
    {"path": DESCENT, "start": "start", "iterate": SHOWN},
    {"data_line": DESCENT, "residuals": "residuals", "boundary": "boundary"},
    {"loss": "descent", "loss_marker": SHOWN, "converged": CONVERGED},
)


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


def _line(
    series: Series,
    style: FigureStyle,
    *,
    line_width: float | None = None,
    marker_size: float | None = None,
    **trace,
) -> go.Scatter:
    """A line or marker trace drawn like ``core.figures.line_chart`` draws its series; `line_width`,
    `marker_size` and `trace` (more Scatter properties) override the style's."""
    return go.Scatter(
        x=np.asarray(series.x, dtype=float),
        y=np.asarray(series.y, dtype=float),
        name=series.name,
        mode=series.mode,
        line={
            "color": series.color,
            "dash": series.dash,
            "width": line_width or style.line_width * series.width_scale,
        },
        marker={"color": series.color, "size": marker_size or style.marker_size},
        hovertemplate=series.hover or None,
        connectgaps=False,
        **trace,
    )


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
) -> go.Scatter:
    return go.Scatter(
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


def _legend_below(traces: Sequence, style: FigureStyle) -> dict:
    """Layout changes that put the legend in rows of LEGEND_COLUMNS under the x-axis title and grow the
    figure to hold them (the shared layout's legend sits at a fixed fraction below the plot, where a
    half-width chart's wrapped legend runs into the axis title)."""
    entries = sum(trace.showlegend is not False for trace in traces)
    rows = math.ceil(entries / LEGEND_COLUMNS)
    row_height = 1.6 * style.font_size
    axis_space = 3.2 * style.font_size  # tick labels and the axis title
    legend = {
        "yref": "container",
        "y": 0.0,
        "yanchor": "bottom",
        "entrywidth": 1 / LEGEND_COLUMNS,
        "entrywidthmode": "fraction",
    }
    return {
        "height": style.height + rows * row_height,
        "margin": {"b": axis_space + rows * row_height},
        "legend": legend,
    }


def _wrapped(title: str, width: int = 28) -> str:
    """Long axis titles (a CSV's column names) on several lines instead of running off the plot."""
    return "<br>".join(textwrap.wrap(title, width)) or title


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


def contour_with_path(
    landscape: DescentLandscape,
    path: PathOnPlot,
    marked: MarkedPoints,
    labels: LandscapeLabels,
    style: FigureStyle,
) -> go.Figure:
    """Filled contours of log10(loss) with the descent path and the marked points. The axes are fixed to
    the landscape, so a diverging path leaves the plot (and the live chart's moves keep the axes)."""
    positive = landscape.loss[landscape.loss > 0]
    log_loss = np.log10(np.maximum(landscape.loss, positive.min() if positive.size else 1.0))
    tick_values, tick_text = log_ticks(float(log_loss.min()), float(log_loss.max()))
    traces = [
        go.Contour(
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
        go.Scatter(
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
        xaxis={"range": [landscape.w[0], landscape.w[-1]], **axes},
        yaxis={"range": [landscape.b[0], landscape.b[-1]], **axes},
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
        go.Surface(
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
        go.Scatter3d(
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
                go.Scatter3d(x=[spot.w], y=[spot.b], z=[spot.loss], name=name, mode="markers", marker=marker)
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
        ChartLabels(labels.title, "", ""), style, scene=scene, **_legend_below(traces, style)
    )
    return figure(layout, traces)


def _vertical_marker(marker: VerticalMarker, y_span: Sequence[float], style: FigureStyle) -> go.Scatter:
    """A labelled vertical segment as a trace (exact on log axes, listed in the legend)."""
    return _line(
        Series(marker.label, [marker.x] * 2, list(y_span), marker.color, dash="dot", width_scale=0.6), style
    )


def loss_chart(
    curve: LossCurve, *, loss_name: str, shown: int, converged: int | None, style: FigureStyle
) -> go.Figure:
    """Loss against iteration on a log axis, with the optimal loss as a dashed line when there is one, the
    shown iteration marked, and the first iteration within 1% of the optimum marked and labelled on the
    plot (NaN when there is none: the live chart may move it there)."""
    traces = [_line(Series("descent", curve.iterations, curve.loss, PATH_COLOR), style)]
    drawn = [curve.loss]
    if curve.optimal_loss is not None:
        ends = curve.iterations[[0, -1]]
        optimal = Series("optimal loss", ends, [curve.optimal_loss] * 2, PALETTE["black"], dash="dash")
        traces.append(_line(optimal, style))
        drawn.append([curve.optimal_loss])
    positive = np.concatenate(drawn)
    positive = positive[positive > 0]  # zero has no place on a log axis
    span = (positive.min(), positive.max())
    traces.append(_vertical_marker(VerticalMarker(shown, SHOWN), span, style))
    at = math.nan if converged is None else converged
    green = PALETTE["green"]
    within = Series(CONVERGED, [at, at], span, green, dash="dot", mode="lines+text", width_scale=0.6)
    # labelled on the plot, not in the legend, where a run that never gets within 1% would list it too
    traces.append(_line(within, style, text=["", CONVERGED], textposition="top right", showlegend=False))
    # Plotly labels the ticks inside a decade with their first digit only ("7" for 0.7): label them in full
    # where there are enough round values to mark.
    tick_values, tick_text = log_ticks(math.log10(positive.min()), math.log10(positive.max()))
    ticks = {"tickvals": [10**value for value in tick_values], "ticktext": tick_text}
    labels = ChartLabels("Loss against iteration", "iteration", f"{loss_name} (log scale)", log_y=True)
    layout = figure_layout(
        labels, style, **_legend_below(traces, style), yaxis=ticks if len(tick_values) >= 3 else {}
    )
    return figure(layout, traces)


def fit_chart(fit: FitView, *, labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """The data with the descent's line at the shown iteration, whose residuals are drawn as thin vertical
    segments, the least-squares line and the reader's own line."""
    axes = ChartLabels(labels.title, _wrapped(labels.x_title), _wrapped(labels.y_title), y_range=fit.y_range)
    data = Series("data", fit.x, fit.y, PALETTE["blue"], mode="markers")
    residuals = Series("residuals", fit.residual_x, fit.residual_y, PALETTE["orange"])
    traces = [
        _line(data, style, marker_size=max(5, style.marker_size * 0.7), opacity=0.7),
        _line(Series("your line", fit.line_x, fit.own_line, PALETTE["orange"], dash="dot"), style),
        _line(residuals, style, line_width=1, opacity=0.6, hoverinfo="skip"),
        _line(Series("least squares", fit.line_x, fit.optimum_line, PALETTE["black"], dash="dash"), style),
        _line(Series(DESCENT, fit.line_x, fit.descent_line, PATH_COLOR), style),
    ]
    return figure(figure_layout(axes, style, **_legend_below(traces, style)), traces)


# ---------------------------------------------------------------------------------------------
# Logistic regression: the data with the model, and the weights' growth on separable classes

CLASS_STYLE = {  # colour and symbol per class: told apart by shape as well as colour
    0: (PALETTE["blue"], "circle"),
    1: (PALETTE["orange"], "diamond"),
}


def _class_points(x, y, classes, style: FigureStyle, labels=("class 0", "class 1")) -> list[go.Scatter]:
    """One marker trace per class; `classes` holds each point's class, `y` where it is drawn."""
    traces = []
    for value, name in enumerate(labels):
        color, symbol = CLASS_STYLE[value]
        chosen = classes == value
        traces.append(
            go.Scatter(
                x=np.asarray(x[chosen], dtype=float),
                y=np.asarray(y[chosen], dtype=float),
                name=name,
                mode="markers",
                marker={
                    "color": color,
                    "symbol": symbol,
                    "size": max(6, style.marker_size * 0.8),
                    "opacity": 0.8,
                    "line": {"color": PALETTE["black"], "width": 0.5},
                },
                hovertemplate=f"{name}<br>%{{x:.4g}}, %{{y:.4g}}<extra></extra>",
            )
        )
    return traces


def probability_chart(view: ProbabilityView, *, labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """One feature: the two classes at 0 and 1, σ(w x + b) of the shown iterate and of the optimum, the
    0.5 threshold, and each decision boundary x = −b/w as a vertical line."""
    traces = _class_points(view.x, view.y_drawn, view.y, style)
    traces.append(_line(Series("p = 0.5", view.x_range, [0.5, 0.5], PALETTE["black"], dash="dot"), style))
    if view.optimum_curve is not None:
        optimal = Series("optimum", view.curve_x, view.optimum_curve, PALETTE["black"], dash="dash")
        traces.append(_line(optimal, style))
    if view.optimum_boundary is not None:  # drawn like the optimum's curve: no legend entry of its own
        ends = Series("optimal boundary", [view.optimum_boundary] * 2, [0, 1], PALETTE["black"], dash="dash")
        traces.append(_line(ends, style, line_width=1.5, showlegend=False))
    traces.append(_line(Series(DESCENT, view.curve_x, view.descent_curve, PATH_COLOR), style))
    boundary = view.boundary if view.boundary is not None else math.nan
    traces.append(_line(Series("boundary", [boundary] * 2, [0, 1], PATH_COLOR, dash="dot"), style))
    axes = ChartLabels(labels.title, _wrapped(labels.x_title), labels.y_title, y_range=(-0.08, 1.08))
    layout = figure_layout(axes, style, xaxis={"range": list(view.x_range)}, **_legend_below(traces, style))
    return figure(layout, traces)


def boundary_chart(view: BoundaryView, *, labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """Two features: the data in the (x₁, x₂) plane over σ(w·x + b) of the shown iterate as a light
    background, with that iterate's decision boundary (NaN where it misses the plot) and the optimum's."""
    probability = go.Heatmap(
        x=wire_floats(view.grid_x1),
        y=wire_floats(view.grid_x2),
        z=wire_floats(view.probability),
        zmin=0.0,
        zmax=1.0,
        colorscale=[[0.0, PALETTE["blue"]], [0.5, "white"], [1.0, PALETTE["orange"]]],
        opacity=0.35,
        colorbar={"title": {"text": "σ(w·x + b)", "side": "right"}, "thickness": 14, "tickvals": [0, 0.5, 1]},
        hovertemplate="x₁ %{x:.3g}<br>x₂ %{y:.3g}<br>σ %{z:.3f}<extra></extra>",
        name="probability",
        showlegend=False,
    )
    traces = [probability, *_class_points(view.x[:, 0], view.x[:, 1], view.y, style)]
    if view.optimum_line is not None:
        traces.append(_line(Series("optimum", *view.optimum_line.T, PALETTE["black"], dash="dash"), style))
    ends = view.descent_line if view.descent_line is not None else np.full((2, 2), math.nan)
    traces.append(_line(Series(DESCENT, *ends.T, PATH_COLOR), style))
    axes = {"showgrid": False, "zeroline": False}
    layout = figure_layout(
        labels,
        style,
        xaxis={"range": list(view.box[:2]), **axes},
        yaxis={"range": list(view.box[2:]), **axes},
        **_legend_below(traces, style),
    )
    return figure(layout, traces)


def weight_norm_chart(curve: WeightNormCurve, *, style: FigureStyle) -> go.Figure:
    """‖w‖ against iteration: on separable classes it never levels off."""
    layout = figure_layout(ChartLabels("‖w‖ against iteration", "iteration", "‖w‖"), style, showlegend=False)
    return figure(layout, [_line(Series("‖w‖", curve.iterations, curve.norm, PATH_COLOR), style)])


# ---------------------------------------------------------------------------------------------
# Mini-batch noise


def _segments_from_origin(ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrows' shafts as one NaN-separated polyline: 0 → end, gap, 0 → end, ..."""
    zeros, gaps = np.zeros(len(ends)), np.full(len(ends), math.nan)
    return (
        np.column_stack((zeros, ends[:, 0], gaps)).ravel(),
        np.column_stack((zeros, ends[:, 1], gaps)).ravel(),
    )


def _arrowhead(tip: np.ndarray, color: str, style: FigureStyle) -> dict:
    return {
        "x": float(tip[0]), "y": float(tip[1]), "ax": 0.0, "ay": 0.0, "xref": "x", "yref": "y",
        "axref": "x", "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2,
        "arrowwidth": style.line_width, "arrowcolor": color,
    }  # fmt: skip


def gradient_cloud_chart(cloud: GradientCloud, *, style: FigureStyle) -> go.Figure:
    """Every mini-batch's gradient of the loss L at one iterate as a thin arrow from the origin, the batch
    the step used highlighted, and the full-batch gradient as a bold arrow: the spread is the noise of SGD.
    (Short legend names: at half width, two of them share a row.)"""
    shaft_x, shaft_y = _segments_from_origin(cloud.batches)
    tips = Series("batch tips", cloud.batches[:, 0], cloud.batches[:, 1], PALETTE["sky"], mode="markers")
    used, full = cloud.batches[cloud.used], cloud.full
    step = Series(f"step {cloud.iteration}'s batch", [0, used[0]], [0, used[1]], PALETTE["orange"])
    traces = [
        _line(Series("each batch", shaft_x, shaft_y, PALETTE["sky"]), style, line_width=1, opacity=0.6,
              hoverinfo="skip"),
        _line(tips, style, marker_size=max(4, style.marker_size // 2), showlegend=False),
        _line(step, style),
        _line(Series("full batch", [0, full[0]], [0, full[1]], PATH_COLOR, width_scale=1.4), style),
    ]  # fmt: skip
    labels = ChartLabels(f"Mini-batch gradients at iteration {cloud.iteration}", "∂L/∂w", "∂L/∂b")
    arrowheads = [_arrowhead(used, PALETTE["orange"], style), _arrowhead(full, PATH_COLOR, style)]
    return figure(
        figure_layout(labels, style, annotations=arrowheads, **_legend_below(traces, style)), traces
    )
