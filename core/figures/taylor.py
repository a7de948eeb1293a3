"""f beside its Taylor polynomials at x₀, and the errors |f − Tₙ| on a log axis."""

from __future__ import annotations

import plotly.graph_objects as go

from core.figures import PALETTE, ChartLabels, FigureStyle, Series, line_chart
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
