"""f beside its Taylor polynomials at x₀, the errors |f − Tₙ| on a log axis, and the quadratic model of
f(x, y) at p drawn over f's level curves."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.figures import PALETTE, ChartLabels, FigureStyle, Series, line_chart, trace, wire_floats
from core.univariate import TaylorView

ORDER_COLOURS = (
    PALETTE["purple"],
    PALETTE["green"],
    PALETTE["orange"],
    PALETTE["sky"],
    PALETTE["vermillion"],
)


def taylor_models_chart(
    view: TaylorView, y_range: tuple[float, float] | None, style: FigureStyle
) -> go.Figure:
    models = [
        Series(f"T{n}", view.x, values, colour, dash="dash")
        for (n, values), colour in zip(view.polynomials.items(), ORDER_COLOURS, strict=True)
    ]
    return line_chart(
        [Series("f(x)", view.x, view.f, PALETTE["blue"]), *models],
        ChartLabels("f and its Taylor polynomials at x₀", "x", "y", y_range=y_range),
        style,
    )


def taylor_error_chart(view: TaylorView, style: FigureStyle) -> go.Figure:
    errors = [
        Series(f"|f − T{n}|", view.x, values, colour)
        for (n, values), colour in zip(view.errors.items(), ORDER_COLOURS, strict=True)
    ]
    return line_chart(
        errors, ChartLabels("|f − Tₙ|: smaller near x₀ as n grows", "x", "|error|", log_y=True), style
    )


QUADRATIC_MODEL_NAME = "quadratic model at p (dashed)"
MODEL_MINIMUM_NAME = "minimum of the model: p − H⁻¹∇f"
MODEL_POINT_NAME = "p, where the model is taken"


def quadratic_model_traces(
    x: np.ndarray,
    y: np.ndarray,
    q: np.ndarray,
    minimum: tuple[float, float] | None,
    levels: tuple[float, float, float],
    style: FigureStyle,
    point: tuple[float, float] | None = None,
) -> list[dict]:
    """Dashed level curves of the quadratic model q at the ``levels`` (start, end, size) of f's own level
    curves, so near p each dashed curve runs along a solid one; q's minimum (a crossed circle), if any, and
    ``point`` p where the chart does not mark it already."""
    start, end, size = levels
    traces: list[dict] = [
        trace(
            "contour",
            x=wire_floats(x),
            y=wire_floats(y),
            z=wire_floats(q),
            name=QUADRATIC_MODEL_NAME,
            showlegend=False,  # no legend rows: they would shrink the equal-aspect map; the caption says it
            autocontour=False,
            contours={"coloring": "none", "start": start, "end": end, "size": size},
            line={"dash": "dash", "color": PALETTE["black"], "width": max(1.0, style.line_width * 0.5)},
            showscale=False,
            hoverinfo="skip",
        )
    ]
    if point is not None:
        traces.append(
            trace(
                "scatter",
                x=[point[0]],
                y=[point[1]],
                name=MODEL_POINT_NAME,
                showlegend=False,
                mode="markers",
                marker={"symbol": "diamond", "color": PALETTE["black"], "size": style.marker_size},
                hovertemplate="p<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>",
            )
        )
    if minimum is not None:
        traces.append(
            trace(
                "scatter",
                x=[minimum[0]],
                y=[minimum[1]],
                name=MODEL_MINIMUM_NAME,
                showlegend=False,
                mode="markers",
                marker={"symbol": "circle-x", "color": PALETTE["black"], "size": style.marker_size * 1.3},
                hovertemplate="model's minimum<br>x = %{x:.4g}<br>y = %{y:.4g}<extra></extra>",
            )
        )
    return traces
