"""The Derivative page's charts (core.figures.derivative) against the difference quotients worked out here
by hand for f(x) = x² sin x, whose derivative is 2x sin x + x² cos x."""

import math

import numpy as np
import pytest

from core import univariate
from core.figures import FigureStyle
from core.figures.derivative import DERIVATIVE_ROLES, ERROR_ROLES, derivative_chart, difference_error_chart

X0, H = 1.0, 0.1


def f(x):
    return x**2 * math.sin(x)


def f_prime(x):
    return 2 * x * math.sin(x) + x**2 * math.cos(x)


@pytest.fixture(scope="module")
def view():
    return univariate.derivative_view(univariate.prepare("x^2 sin(x)"), x_range=(-2.0, 3.0), x0=X0, h=H)


def traces(figure) -> dict:
    return {trace.name: trace for trace in figure.data}


def test_quiz_mode_draws_neither_the_derivative_nor_the_tangent(view):
    hidden = [trace.name for trace in derivative_chart(view, FigureStyle(), reveal=False).data]
    shown = [trace.name for trace in derivative_chart(view, FigureStyle(), reveal=True).data]
    assert hidden == ["f(x)", "secant", "x₀, x₀+h"]
    assert shown == ["f(x)", "f′(x) symbolic", "f′(x) numerical", "tangent at x₀", "secant", "x₀, x₀+h"]


def test_the_secant_and_tangent_pass_through_x0_with_the_hand_worked_slopes(view):
    chart = traces(derivative_chart(view, FigureStyle(), reveal=True))
    x = np.asarray(chart["secant"].x)
    secant_slope = (f(X0 + H) - f(X0)) / H
    np.testing.assert_allclose(chart["secant"].y, f(X0) + secant_slope * (x - X0), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(chart["tangent at x₀"].y, f(X0) + f_prime(X0) * (x - X0), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(chart["x₀, x₀+h"].x, [X0, X0 + H])
    np.testing.assert_allclose(chart["x₀, x₀+h"].y, [f(X0), f(X0 + H)], rtol=1e-12)


def test_the_error_chart_shows_both_differences_errors_over_h_and_marks_this_h(view):
    chart = difference_error_chart(view, FigureStyle())
    named = traces(chart)
    h = np.asarray(named[ERROR_ROLES["forward_error"]].x)
    forward = np.abs((np.array([f(X0 + s) for s in h]) - f(X0)) / h - f_prime(X0))
    central = np.abs((np.array([f(X0 + s) - f(X0 - s) for s in h])) / (2 * h) - f_prime(X0))
    usable = h > 1e-6  # below that rounding dominates, and it is not reproducible digit for digit
    drawn_forward = np.asarray(named[ERROR_ROLES["forward_error"]].y)
    drawn_central = np.asarray(named[ERROR_ROLES["central_error"]].y)
    np.testing.assert_allclose(drawn_forward[usable], forward[usable], rtol=1e-6)
    np.testing.assert_allclose(drawn_central[usable], central[usable], rtol=1e-4)
    assert chart.layout.xaxis.type == "log" and chart.layout.yaxis.type == "log"
    marker = named[ERROR_ROLES["h_marker"]]
    assert set(marker.x) == {H}


def test_every_role_names_a_trace_the_chart_draws(view):
    assert set(DERIVATIVE_ROLES.values()) <= set(traces(derivative_chart(view, FigureStyle(), reveal=True)))
    assert set(ERROR_ROLES.values()) <= set(traces(difference_error_chart(view, FigureStyle())))
