"""Calculus core against trusted references: the seed's table, known formulas and finite differences."""

import math
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from core.calculus import (
    central_difference,
    derivative,
    derivative_steps,
    differentiability_at,
    directional_derivative,
    forward_difference,
    gradient,
    hessian,
    numeric_derivative,
    simplified,
)
from core.evaluation import numeric_function, undefined_message
from core.expressions import ExpressionError, parse_expression
from core.timelimit import run_with_time_limit

X = ("x",)
XY = ("x", "y")
SAMPLES = np.array([-1.7, -0.3, 0.4, 1.0, 2.5])
POSITIVE = np.array([0.2, 0.5, 1.0, 2.0, 7.5])


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


# The seed's table: f, f′ as a known formula, and where to check it.
SEED_TABLE = [
    ("3", lambda v: np.zeros_like(v), SAMPLES),
    ("x", lambda v: np.ones_like(v), SAMPLES),
    ("x^5", lambda v: 5 * v**4, SAMPLES),
    ("x^(-2)", lambda v: -2 * v**-3, SAMPLES),
    ("e^x", np.exp, SAMPLES),
    ("ln(x)", lambda v: 1 / v, POSITIVE),
    ("sin(x)", np.cos, SAMPLES),
    ("cos(x)", lambda v: -np.sin(v), SAMPLES),
    ("sigmoid(x)", lambda v: _sigmoid(v) * (1 - _sigmoid(v)), SAMPLES),
    ("tanh(x)", lambda v: 1 - np.tanh(v) ** 2, SAMPLES),
    ("relu(x)", lambda v: (v > 0).astype(float), SAMPLES),  # no sample sits on the kink
    ("x^3 - 2x^2 + 3x - 1", lambda v: 3 * v**2 - 4 * v + 3, SAMPLES),
]


@pytest.mark.parametrize(("text", "known", "points"), SEED_TABLE)
def test_every_row_of_the_seed_table_symbolic_and_numeric_agree_with_the_formula(text, known, points):
    expr = parse_expression(text, X)
    f_prime = numeric_function(derivative(expr, "x"), X)
    np.testing.assert_allclose(f_prime(points), known(points), rtol=1e-12, atol=1e-12)
    f = numeric_function(expr, X)
    np.testing.assert_allclose(numeric_derivative(f, points), known(points), rtol=1e-7, atol=1e-7)


def test_the_seed_cubic_gives_the_seed_derivative_exactly():
    x = sp.Symbol("x", real=True)
    expr = parse_expression("x^3 - 2x^2 + 3x - 1", X)
    assert sp.expand(derivative(expr, "x") - (3 * x**2 - 4 * x + 3)) == 0


def test_sigmoid_and_tanh_derivatives_read_as_in_the_seed_table():
    assert str(derivative(parse_expression("sigmoid(x)", X), "x")) == "(1 - sigmoid(x))*sigmoid(x)"
    assert str(derivative(parse_expression("tanh(x)", X), "x")) == "1 - tanh(x)**2"


def test_gradient_and_hessian_of_the_seed_bowl():
    x, y = sp.symbols("x y", real=True)
    expr = parse_expression("x^2 + 2y^2", XY)
    assert gradient(expr, XY) == (2 * x, 4 * y)
    assert hessian(expr, XY) == sp.Matrix([[2, 0], [0, 4]])


def test_the_seed_directional_derivative_example():
    expr = parse_expression("x^2 + 2y^2", XY)
    value = directional_derivative(expr, XY, (1, 1), (1, 1))
    assert value == pytest.approx(6 / math.sqrt(2), rel=1e-15)
    assert f"{value:.4f}" == "4.2426"


def test_the_direction_is_normalised_for_the_user():
    expr = parse_expression("x^2 + 2y^2", XY)
    assert directional_derivative(expr, XY, (1, 1), (10, 10)) == pytest.approx(
        directional_derivative(expr, XY, (1, 1), (0.1, 0.1))
    )


@pytest.mark.parametrize("direction", [(0, 0), (0.0, -0.0), (float("nan"), 1), (float("inf"), 0)])
def test_a_zero_or_broken_direction_is_a_value_error(direction):
    expr = parse_expression("x^2 + 2y^2", XY)
    with pytest.raises(ValueError, match="direction"):
        directional_derivative(expr, XY, (1, 1), direction)


def test_an_undefined_gradient_is_a_value_error():
    with pytest.raises(ValueError, match="undefined"):
        directional_derivative(parse_expression("ln(x) + y", XY), XY, (-1, 0), (1, 0))


# --- random compositions: symbolic derivative against a central difference ----------------------------

UNARY = ["sin", "cos", "exp", "tanh", "sigmoid", "atan", "sinh"]
leaf = st.sampled_from(["x", "2", "0.5", "3x", "pi"])


def _compose(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: f"{t[0]}({t[1]})")
    power = st.tuples(children, st.integers(1, 3)).map(lambda t: f"({t[0]})^{t[1]}")
    quotient = children.map(lambda c: f"({c}) / (2 + x^2)")
    return binary | unary | power | quotient


smooth_formulas = st.recursive(leaf, _compose, max_leaves=6)


@given(smooth_formulas, st.floats(-2, 2))
def test_symbolic_derivative_matches_a_central_difference(text, x0):
    expr = parse_expression(text, X)
    f = numeric_function(expr, X)
    exact = float(numeric_function(derivative(expr, "x"), X)(x0))
    assume(np.isfinite(exact) and abs(exact) < 1e6 and np.isfinite(f(x0)))
    h = 1e-5
    numeric = float(central_difference(f, x0, h))
    assert numeric == pytest.approx(exact, rel=1e-4, abs=1e-4)


@given(smooth_formulas)
def test_every_derivation_ends_in_sympys_derivative(text):
    expr = parse_expression(text, X)
    steps = derivative_steps(expr, "x")
    assert steps, "a derivation has at least one line"
    assert all(step.rule and step.latex for step in steps)


# --- derivation steps ------------------------------------------------------------------------------------


def _rules(text):
    return [step.rule for step in derivative_steps(parse_expression(text, X), "x")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", ["constant"]),
        ("x^3", ["power"]),
        (
            "x^3 - 2x^2 + 3x - 1",
            ["sum/difference", "power", "constant multiple", "power", "constant multiple"],
        ),
        ("x^2 sin(x)", ["product", "power", "trig"]),
        ("x / (1 + x)", ["quotient"]),
        ("sin(x^2)", ["trig", "chain", "power"]),
        ("e^x", ["exp"]),
        ("exp(3x)", ["exp", "chain", "constant multiple"]),
        ("ln(x)", ["log"]),
        ("sigmoid(x)", ["sigmoid"]),
        ("tanh(x)", ["tanh"]),
        ("relu(x)", ["relu"]),
        ("2^x", ["exp"]),
    ],
)
def test_derivation_names_the_rules_in_order(text, expected):
    assert _rules(text)[: len(expected)] == expected


def test_the_cubic_derivation_ends_with_every_term_done():
    rules = _rules("x^3 - 2x^2 + 3x - 1")
    assert rules.count("power") == 3 and rules[-1] == "constant"
    first = derivative_steps(parse_expression("x^3 - 2x^2 + 3x - 1", X), "x")[0].latex
    assert first.endswith("3 x^{2} - 4 x + 3")


# --- numeric differentiation -----------------------------------------------------------------------------


def test_forward_and_central_differences_have_first_and_second_order_error():
    f = numeric_function(parse_expression("sin(x)", X), X)
    h = np.array([1e-2, 1e-3])
    forward_error = np.abs(forward_difference(f, 1.0, h) - math.cos(1.0))
    central_error = np.abs(central_difference(f, 1.0, h) - math.cos(1.0))
    assert forward_error[0] / forward_error[1] == pytest.approx(10, rel=0.05)
    assert central_error[0] / central_error[1] == pytest.approx(100, rel=0.05)


@pytest.mark.parametrize(
    "text", ["x^3 - 2x^2 + 3x - 1", "sin(3x) exp(-x^2)", "log(1 + x^2)", "tanh(2x) + sqrt(1 + x^2)"]
)
def test_the_apps_numeric_derivative_matches_sympy_and_a_central_difference(text):
    x = np.linspace(-2.0, 2.0, 41)
    expr = parse_expression(text, X)
    f = numeric_function(expr, X)
    exact = sp.lambdify(sp.Symbol("x", real=True), sp.diff(expr, sp.Symbol("x", real=True)), "numpy")(x)
    numeric = numeric_derivative(f, x)
    assert numeric.shape == x.shape
    np.testing.assert_allclose(numeric, exact, rtol=1e-8, atol=1e-8)
    h = 1e-5  # error of order h² f‴: far below the tolerance, far above rounding
    np.testing.assert_allclose(numeric, (f(x + h) - f(x - h)) / (2 * h), rtol=1e-6, atol=1e-6)


def test_the_numeric_derivative_is_a_gap_where_f_is_undefined_and_works_at_one_point():
    f = numeric_function(parse_expression("log(x)", X), X)
    numeric = numeric_derivative(f, np.array([-1.0, 0.0, 2.0]))
    assert np.isnan(numeric[:2]).all() and numeric[2] == pytest.approx(0.5, rel=1e-9)
    assert float(numeric_derivative(f, 4.0)) == pytest.approx(0.25, rel=1e-9)


@pytest.mark.parametrize(
    ("text", "x0", "differentiable", "fragment"),
    [
        ("relu(x)", 0.0, False, "corner"),
        ("abs(x)", 0.0, False, "corner"),
        ("abs(x - 1)", 1.0, False, "corner"),
        ("max(x, x^2)", 1.0, False, "corner"),
        ("relu(x)", 0.5, True, ""),
        ("abs(x)^3", 0.0, True, ""),
        ("ln(x)", 0.0, False, "undefined"),
        ("ln(x)", -1.0, False, "undefined"),
        ("sqrt(x)", 0.0, False, "one side"),
        ("x^(1/3)", 0.0, False, ""),
        ("x^3", 1.0, True, ""),
    ],
)
def test_differentiability_is_decided_and_explained(text, x0, differentiable, fragment):
    status = differentiability_at(parse_expression(text, X), "x", x0)
    assert status.differentiable is differentiable
    assert fragment in status.reason


# --- evaluation never crashes ----------------------------------------------------------------------------


def test_domain_gaps_become_nan_not_errors():
    grid = np.linspace(-2, 2, 9)
    values = numeric_function(parse_expression("ln(x) + sqrt(x)", X), X)(grid)
    assert np.isnan(values[grid <= 0]).all() and np.isfinite(values[grid > 0]).all()
    assert numeric_function(parse_expression("1/x", X), X)(np.array([0.0])).tolist() == [
        pytest.approx(np.nan, nan_ok=True)
    ]


def test_constants_broadcast_to_the_grid_and_overflow_is_nan():
    grid = np.linspace(0, 1000, 5)
    assert numeric_function(parse_expression("7", X), X)(grid).shape == (5,)
    assert np.isnan(numeric_function(parse_expression("exp(x)", X), X)(grid)[-1])


def test_dirac_delta_in_second_derivatives_counts_as_zero():
    second = derivative(derivative(parse_expression("relu(x) + abs(x)", X), "x"), "x")
    assert second.has(sp.DiracDelta)
    np.testing.assert_array_equal(numeric_function(second, X)(np.array([-1.0, 1.0])), [0.0, 0.0])


def test_an_all_nan_window_is_explained():
    values = numeric_function(parse_expression("ln(x)", X), X)(np.linspace(-3, -1, 5))
    assert "undefined everywhere" in undefined_message(values)
    assert undefined_message(np.array([1.0, np.nan])) == ""


# --- time-limited symbolic work ----------------------------------------------------------------------------


def test_a_time_limited_call_returns_its_value():
    x = sp.Symbol("x", real=True)
    outcome = run_with_time_limit(sp.expand, (x + 1) ** 3, time_limit=10)
    assert outcome.ok and outcome.value == x**3 + 3 * x**2 + 3 * x + 1


def test_a_call_over_its_limit_is_killed_on_time():
    start = time.perf_counter()
    outcome = run_with_time_limit(time.sleep, 30, time_limit=0.5)
    assert outcome.timed_out and not outcome.ok
    assert time.perf_counter() - start < 2.5


def test_an_exception_in_the_child_is_reported():
    outcome = run_with_time_limit(math.sqrt, -1.0, time_limit=10)
    assert not outcome.ok and "ValueError" in outcome.error


def test_simplify_falls_back_to_the_input_when_it_takes_too_long():
    expr = parse_expression("sin(x)^2 + cos(x)^2", X)
    assert simplified(expr, time_limit=10) == (1, True)
    with pytest.raises(ValueError):
        run_with_time_limit(sp.simplify, expr, time_limit=0)


def test_parser_errors_are_value_errors():
    assert issubclass(ExpressionError, ValueError)
