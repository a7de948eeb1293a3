"""The Derivative page's two charts: f with its derivative, tangent and secant at x₀, and the error of the
forward and central differences against the step h. The ``*_ROLES`` name, for the live chart, the traces
its browser recipe moves (ui/live/recipes: "derivative")."""

from __future__ import annotations

import plotly.graph_objects as go

from core.figures import PALETTE, ChartLabels, FigureStyle, Series, VerticalMarker, line_chart
from core.univariate import ERROR_GUIDES, DerivativeView

SECANT = "secant"
POINTS = "x₀, x₀+h"
TANGENT = "tangent at x₀"
FORWARD = "forward (f(x₀+h) − f(x₀))/h"
CENTRAL = "central (f(x₀+h) − f(x₀−h))/2h"
STEP_MARKER = "step h"
DERIVATIVE_ROLES = {"secant": SECANT, "points": POINTS, "tangent": TANGENT}
ERROR_ROLES = {
    "forward_error": FORWARD,
    "central_error": CENTRAL,
    "guide_first": ERROR_GUIDES[0],
    "guide_second": ERROR_GUIDES[1],
    "guide_rounding": ERROR_GUIDES[2],
    "h_marker": STEP_MARKER,
}


def derivative_chart(view: DerivativeView, style: FigureStyle, *, reveal: bool) -> go.Figure:
    """f, the secant through x₀ and x₀ + h and its two points; with ``reveal``, also f′ (symbolic and
    numerical) and the tangent at x₀, which give the answer away in quiz mode. Every trace the browser
    moves is always drawn (NaN where it does not exist at this x₀), so a drag onto a point where f is
    differentiable has a tangent to move."""
    curves = [
        Series("f(x)", view.x, view.f, PALETTE["blue"]),
        Series(SECANT, view.x, view.secant, PALETTE["orange"], dash="dot", width_scale=0.8),
        Series(
            POINTS,
            [view.x0, view.secant_point[0]],
            [view.f_x0, view.secant_point[1]],
            PALETTE["black"],
            mode="markers",
        ),
    ]
    if reveal:
        curves[1:1] = [
            Series("f′(x) symbolic", view.x, view.f_prime, PALETTE["vermillion"]),
            Series("f′(x) numerical", view.x, view.f_prime_numeric, PALETTE["green"], dash="dash"),
        ]
        curves.insert(3, Series(TANGENT, view.x, view.tangent, PALETTE["purple"], width_scale=0.8))
    return line_chart(
        curves,
        ChartLabels("f, its derivative, the tangent and the secant", "x", "y", y_range=view.y_range),
        style,
    )


def difference_error_chart(view: DerivativeView, style: FigureStyle) -> go.Figure:
    """|error| of both differences at x₀ over every step h on log–log axes, the O(h), O(h²) and rounding
    reference lines, and a marker at this h."""
    guides = [
        Series(name, view.h_values, view.guide(name), PALETTE["black"], dash=dash, width_scale=0.5)
        for name, dash in zip(ERROR_GUIDES, ("dash", "dashdot", "dot"), strict=True)
    ]
    return line_chart(
        [
            Series(FORWARD, view.h_values, view.forward_error, PALETTE["orange"]),
            Series(CENTRAL, view.h_values, view.central_error, PALETTE["blue"]),
            *guides,
        ],
        ChartLabels(
            "|error| against the step h at x₀",
            "step h",
            "|error|",
            log_x=True,
            log_y=True,
            markers=(VerticalMarker(view.h, STEP_MARKER),),
        ),
        style,
    )
