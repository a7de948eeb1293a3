"""Taylor polynomials against SymPy's own series, known expansions and the quadratic model built from
SymPy's gradient and Hessian."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from core.calculus import taylor_polynomial
from core.expressions import parse_expression

X = ("x",)
XY = ("x", "y")
x, y, t = sp.symbols("x y t", real=True)


def same(a: sp.Expr, b: sp.Expr) -> bool:
    return sp.simplify(sp.expand(a - b)) == 0


def series_reference(expr: sp.Expr, at: float, order: int) -> sp.Expr:
    """SymPy's series of f about x₀, truncated after (x − x₀)^order."""
    x0 = sp.Rational(repr(float(at)))
    return sp.series(expr, x, x0, order + 1).removeO()


def test_the_seeds_cubic_is_its_own_taylor_polynomial_from_order_three():
    cubic = parse_expression("x^3 - 2x^2 + 3x - 1", X)
    assert same(taylor_polynomial(cubic, X, (1.0,), 3), cubic)
    assert same(taylor_polynomial(cubic, X, (-0.5,), 5), cubic)
    # order 1 at x₀ = 1 is the tangent: f(1) = 1, f′(1) = 3 − 4 + 3 = 2
    assert same(taylor_polynomial(cubic, X, (1.0,), 1), 1 + 2 * (x - 1))


@pytest.mark.parametrize(
    ("formula", "known"),
    [
        ("e^x", 1 + x + x**2 / 2 + x**3 / 6 + x**4 / 24 + x**5 / 120),
        ("sin(x)", x - x**3 / 6 + x**5 / 120),
        ("cos(x)", 1 - x**2 / 2 + x**4 / 24),
        ("ln(1 + x)", x - x**2 / 2 + x**3 / 3 - x**4 / 4 + x**5 / 5),
        ("1/(1 - x)", 1 + x + x**2 + x**3 + x**4 + x**5),
        ("sigmoid(x)", sp.Rational(1, 2) + x / 4 - x**3 / 48 + x**5 / 480),
        ("tanh(x)", x - x**3 / 3 + 2 * x**5 / 15),
    ],
)
def test_known_maclaurin_series_to_order_five(formula, known):
    assert same(taylor_polynomial(parse_expression(formula, X), X, (0,), 5), known)


FORMULAS = ["x^3 - 2x^2 + 3x - 1", "e^(-x^2)", "sigmoid(2x)", "ln(2 + x^2)", "x^2 sin(x)", "tanh(x)"]


@given(
    formula=st.sampled_from(FORMULAS),
    at=st.floats(-2, 2).map(lambda v: round(v, 2)),
    order=st.integers(0, 4),
)
def test_every_order_matches_sympys_series_at_any_point(formula, at, order):
    expr = parse_expression(formula, X)
    mine = taylor_polynomial(expr, X, (at,), order)
    reference = series_reference(expr, at, order)
    # compared as numbers on a few points: simplify cannot always see σ(1/2)-style coefficients agree
    for u in (at - 0.3, at + 0.2, at + 0.7):
        assert float(mine.subs(x, u)) == pytest.approx(float(reference.subs(x, u)), rel=1e-9, abs=1e-12)


def along_the_line_reference(expr: sp.Expr, point: tuple[float, float], order: int) -> sp.Expr:
    """The multivariate Taylor polynomial the other way: g(t) = f(p + t·h) expanded in t, then t = 1 and
    h = x − p, since the order-k terms of T_n are those of g's series times t^k."""
    p = [sp.Rational(repr(float(c))) for c in point]
    h = sp.symbols("h1 h2", real=True)
    g = expr.subs({x: p[0] + t * h[0], y: p[1] + t * h[1]}, simultaneous=True)
    series = sp.series(g, t, 0, order + 1).removeO().subs(t, 1)
    return series.subs({h[0]: x - p[0], h[1]: y - p[1]})


@pytest.mark.parametrize(
    "formula", ["x^2 + 2y^2", "(1 - x)^2 + 100(y - x^2)^2", "sin(x) cos(y)", "e^(x y)", "ln(1 + x^2 + y^2)"]
)
@pytest.mark.parametrize("point", [(1.0, 1.0), (0.5, -0.25)])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_two_variables_match_the_series_along_every_line(formula, point, order):
    expr = parse_expression(formula, XY)
    assert same(taylor_polynomial(expr, XY, point, order), along_the_line_reference(expr, point, order))


def test_the_quadratic_model_is_f_plus_gradient_plus_half_the_hessian_form():
    # the seed's critical-point example: a quadratic, so its order-2 model is f itself, anywhere
    expr = parse_expression("x^2 + y^2 - 2xy + 2x - 4y + 3", XY)
    assert same(taylor_polynomial(expr, XY, (3.0, -1.0), 2), expr)
    rosenbrock = parse_expression("(1 - x)^2 + 100(y - x^2)^2", XY)
    p = {x: sp.Rational(1, 2), y: 1}
    h = sp.Matrix([x - p[x], y - p[y]])
    gradient = sp.Matrix([sp.diff(rosenbrock, v) for v in (x, y)]).subs(p)
    hessian = sp.hessian(rosenbrock, (x, y)).subs(p)
    model = rosenbrock.subs(p) + (gradient.T * h)[0] + (h.T * hessian * h)[0] / 2
    assert same(taylor_polynomial(rosenbrock, XY, (0.5, 1.0), 2), model)


def test_the_error_shrinks_like_the_next_power_of_the_distance():
    expr = parse_expression("e^(-x^2) + sin(x)", X)
    f = sp.lambdify(x, expr)  # a parsed, whitelisted expression: never user text
    for order in (1, 2, 3):
        model = sp.lambdify(x, taylor_polynomial(expr, X, (0.7,), order))
        errors = [abs(f(0.7 + d) - model(0.7 + d)) for d in (1e-1, 5e-2)]
        # halving the distance divides an O(d^(n+1)) error by about 2^(n+1)
        assert np.log2(errors[0] / errors[1]) == pytest.approx(order + 1, abs=0.35)


@pytest.mark.parametrize(
    ("formula", "variables", "point", "message"),
    [
        ("relu(x)", X, (0.0,), r"not 2 times differentiable at \(0\)"),
        ("abs(x - 1)", X, (1.0,), "Abs switches"),
        ("max(x, y)", XY, (2.0, 2.0), "tie there"),
        ("ln(x)", X, (-1.0,), "not real"),
        ("sqrt(x)", X, (0.0,), "order 1 is undefined or infinite"),
    ],
)
def test_a_point_without_the_derivatives_is_an_error_that_says_why(formula, variables, point, message):
    with pytest.raises(ValueError, match=message):
        taylor_polynomial(parse_expression(formula, variables), variables, point, 2)


def test_kinks_away_from_the_point_do_not_matter():
    expr = parse_expression("relu(x - 1) + max(x, 2)", X)
    assert same(taylor_polynomial(expr, X, (3.0,), 2), (x - 1) + x)
    # max(x, y, 10) at x = y = 0: x and y tie, but 10 is the maximum, so f is smooth there
    expr = parse_expression("max(x, y, 10) + x y", XY)
    assert same(taylor_polynomial(expr, XY, (0.0, 0.0), 2), 10 + x * y)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"order": 7}, r"order must be an integer in \[0, 6\]"),
        ({"order": 1.5}, "order must be an integer"),
        ({"point": (1.0,)}, "point must have 2 coordinates"),
        ({"point": (float("nan"), 0.0)}, r"point\[0\] must be a finite number"),
        ({"variables": ("x",)}, "uses y, which is not among the variables"),
        ({"variables": ("x", "x")}, "distinct names"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(kwargs, message):
    arguments = {"expr": parse_expression("x y", XY), "variables": XY, "point": (1.0, 2.0), "order": 2}
    with pytest.raises(ValueError, match=message):
        taylor_polynomial(**{**arguments, **kwargs})


def test_the_derivative_pages_taylor_view_matches_the_hand_written_series_of_sine():
    import math

    from core import univariate

    view = univariate.taylor_view(univariate.prepare("sin(x)"), x_range=(-2.0, 3.0), x0=0.5)
    h = view.x - 0.5
    derivatives = [math.sin(0.5), math.cos(0.5), -math.sin(0.5), -math.cos(0.5), math.sin(0.5), math.cos(0.5)]
    for n in univariate.TAYLOR_ORDERS:
        expected = sum(derivatives[k] * h**k / math.factorial(k) for k in range(n + 1))
        np.testing.assert_allclose(view.polynomials[n], expected, rtol=1e-12, atol=1e-12)
        error = np.abs(np.sin(view.x) - expected)
        shown = np.isfinite(view.errors[n])
        np.testing.assert_allclose(view.errors[n][shown], error[shown], rtol=1e-9, atol=1e-14)


def test_the_taylor_view_explains_a_kink_at_the_point_instead_of_drawing():
    from core import univariate

    message = univariate.taylor_view(univariate.prepare("relu(x)"), x_range=(-2.0, 3.0), x0=0.0)
    assert isinstance(message, str) and "differentiable" in message
