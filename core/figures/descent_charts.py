"""The gradient-descent pages' charts beside the landscape: the loss curve, the data with the fitted lines
and residuals (linear), the probability curve or decision boundary and the weights' growth (logistic),
and the mini-batch gradients around the full one."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.descent.linear import FitView
from core.descent.logistic import BoundaryView, ProbabilityView, WeightNormCurve
from core.descent.plot_data import GradientCloud, LossCurve
from core.figures import (
    PALETTE,
    ChartLabels,
    FigureStyle,
    Series,
    VerticalMarker,
    figure,
    figure_layout,
    trace,
    wire_floats,
)
from core.figures.descent_style import (
    CONVERGED,
    DESCENT,
    PATH_COLOR,
    SHOWN,
    legend_below,
    log_ticks,
    styled_line,
    wrapped_title,
)


def _vertical_marker(marker: VerticalMarker, y_span: Sequence[float], style: FigureStyle) -> dict:
    """A labelled vertical segment as a trace (exact on log axes, listed in the legend)."""
    return styled_line(
        Series(marker.label, [marker.x] * 2, list(y_span), marker.color, dash="dot", width_scale=0.6), style
    )


def loss_chart(
    curve: LossCurve, *, loss_name: str, shown: int, converged: int | None, style: FigureStyle
) -> go.Figure:
    """Loss against iteration on a log axis, with the optimal loss as a dashed line when there is one, the
    shown iteration marked, and the first iteration within 1% of the optimum marked and labelled on the
    plot (NaN when there is none: the live chart may move it there)."""
    traces = [styled_line(Series("descent", curve.iterations, curve.loss, PATH_COLOR), style)]
    drawn = [curve.loss]
    if curve.optimal_loss is not None:
        ends = curve.iterations[[0, -1]]
        optimal = Series("optimal loss", ends, [curve.optimal_loss] * 2, PALETTE["black"], dash="dash")
        traces.append(styled_line(optimal, style))
        drawn.append([curve.optimal_loss])
    positive = np.concatenate(drawn)
    positive = positive[positive > 0]  # zero has no place on a log axis
    span = (positive.min(), positive.max())
    traces.append(_vertical_marker(VerticalMarker(shown, SHOWN), span, style))
    at = math.nan if converged is None else converged
    green = PALETTE["green"]
    within = Series(CONVERGED, [at, at], span, green, dash="dot", mode="lines+text", width_scale=0.6)
    # labelled on the plot, not in the legend, where a run that never gets within 1% would list it too
    traces.append(
        styled_line(within, style, text=["", CONVERGED], textposition="top right", showlegend=False)
    )
    # Plotly labels the ticks inside a decade with their first digit only ("7" for 0.7): label them in full
    # where there are enough round values to mark.
    tick_values, tick_text = log_ticks(math.log10(positive.min()), math.log10(positive.max()))
    ticks = {"tickvals": [10**value for value in tick_values], "ticktext": tick_text}
    labels = ChartLabels("Loss against iteration", "iteration", f"{loss_name} (log scale)", log_y=True)
    layout = figure_layout(
        labels, style, **legend_below(traces, style), yaxis=ticks if len(tick_values) >= 3 else {}
    )
    return figure(layout, traces)


def fit_chart(fit: FitView, *, labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """The data with the descent's line at the shown iteration, whose residuals are drawn as thin vertical
    segments, the least-squares line and the reader's own line."""
    axes = ChartLabels(
        labels.title, wrapped_title(labels.x_title), wrapped_title(labels.y_title), y_range=fit.y_range
    )
    data = Series("data", fit.x, fit.y, PALETTE["blue"], mode="markers")
    residuals = Series("residuals", fit.residual_x, fit.residual_y, PALETTE["orange"])
    traces = [
        styled_line(data, style, marker_size=max(5, style.marker_size * 0.7), opacity=0.7),
        styled_line(Series("your line", fit.line_x, fit.own_line, PALETTE["orange"], dash="dot"), style),
        styled_line(residuals, style, line_width=1, opacity=0.6, hoverinfo="skip"),
        styled_line(
            Series("least squares", fit.line_x, fit.optimum_line, PALETTE["black"], dash="dash"), style
        ),
        styled_line(Series(DESCENT, fit.line_x, fit.descent_line, PATH_COLOR), style),
    ]
    return figure(figure_layout(axes, style, **legend_below(traces, style)), traces)


# colour and symbol per class, told apart by shape as well as colour (the network page has its own)
LOGISTIC_CLASS_STYLE = {
    0: (PALETTE["blue"], "circle"),
    1: (PALETTE["orange"], "diamond"),
}


def _class_points(x, y, classes, style: FigureStyle, labels=("class 0", "class 1")) -> list[dict]:
    """One marker trace per class; `classes` holds each point's class, `y` where it is drawn."""
    traces = []
    for value, name in enumerate(labels):
        color, symbol = LOGISTIC_CLASS_STYLE[value]
        chosen = classes == value
        traces.append(
            trace(
                "scatter",
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
    traces.append(
        styled_line(Series("p = 0.5", view.x_range, [0.5, 0.5], PALETTE["black"], dash="dot"), style)
    )
    if view.optimum_curve is not None:
        optimal = Series("optimum", view.curve_x, view.optimum_curve, PALETTE["black"], dash="dash")
        traces.append(styled_line(optimal, style))
    if view.optimum_boundary is not None:  # drawn like the optimum's curve: no legend entry of its own
        ends = Series("optimal boundary", [view.optimum_boundary] * 2, [0, 1], PALETTE["black"], dash="dash")
        traces.append(styled_line(ends, style, line_width=1.5, showlegend=False))
    traces.append(styled_line(Series(DESCENT, view.curve_x, view.descent_curve, PATH_COLOR), style))
    boundary = view.boundary if view.boundary is not None else math.nan
    traces.append(styled_line(Series("boundary", [boundary] * 2, [0, 1], PATH_COLOR, dash="dot"), style))
    axes = ChartLabels(labels.title, wrapped_title(labels.x_title), labels.y_title, y_range=(-0.08, 1.08))
    layout = figure_layout(axes, style, xaxis={"range": list(view.x_range)}, **legend_below(traces, style))
    return figure(layout, traces)


def boundary_chart(view: BoundaryView, *, labels: ChartLabels, style: FigureStyle) -> go.Figure:
    """Two features: the data in the (x₁, x₂) plane over σ(w·x + b) of the shown iterate as a light
    background, with that iterate's decision boundary (NaN where it misses the plot) and the optimum's."""
    probability = trace(
        "heatmap",
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
        traces.append(
            styled_line(Series("optimum", *view.optimum_line.T, PALETTE["black"], dash="dash"), style)
        )
    ends = view.descent_line if view.descent_line is not None else np.full((2, 2), math.nan)
    traces.append(styled_line(Series(DESCENT, *ends.T, PATH_COLOR), style))
    axes = {"showgrid": False, "zeroline": False}
    layout = figure_layout(
        labels,
        style,
        xaxis={"range": list(view.box[:2]), **axes},
        yaxis={"range": list(view.box[2:]), **axes},
        **legend_below(traces, style),
    )
    return figure(layout, traces)


def weight_norm_chart(curve: WeightNormCurve, *, style: FigureStyle) -> go.Figure:
    """‖w‖ against iteration: on separable classes it never levels off."""
    layout = figure_layout(ChartLabels("‖w‖ against iteration", "iteration", "‖w‖"), style, showlegend=False)
    return figure(layout, [styled_line(Series("‖w‖", curve.iterations, curve.norm, PATH_COLOR), style)])


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
        styled_line(Series("each batch", shaft_x, shaft_y, PALETTE["sky"]), style, line_width=1, opacity=0.6,
              hoverinfo="skip"),
        styled_line(tips, style, marker_size=max(4, style.marker_size // 2), showlegend=False),
        styled_line(step, style),
        styled_line(Series("full batch", [0, full[0]], [0, full[1]], PATH_COLOR, width_scale=1.4), style),
    ]  # fmt: skip
    labels = ChartLabels(f"Mini-batch gradients at iteration {cloud.iteration}", "∂L/∂w", "∂L/∂b")
    arrowheads = [_arrowhead(used, PALETTE["orange"], style), _arrowhead(full, PATH_COLOR, style)]
    return figure(figure_layout(labels, style, annotations=arrowheads, **legend_below(traces, style)), traces)
