"""The cost guards of issues #20 and #21: every bound the parser and the preparation enforce, checked on both
sides of its limit, against independent references (Python's fractions and cmath, SymPy's own traversal)."""

import cmath
import math
import time
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from core import (
    bivariate,
    calculus,
    critical_points,
    evaluation,
    expressions,
    fields,
    preparation,
    univariate,
)
from core.expressions import ExpressionError, parse_expression
from core.formula_bounds import MAX_POWER_BITS, count_nodes, rational_bits

XY = ("x", "y")


def refusal(text: str, variables=XY) -> str:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, variables)
    return str(info.value)


def tower(symbols: str, height: int) -> str:
    """x^y^x^… with ``height`` exponentials stacked (height + 1 symbols)."""
    return "^".join(symbols[i % len(symbols)] for i in range(height + 1))


def nested(function: str, depth: int, inner: str = "x") -> str:
    return f"{function}(" * depth + inner + ")" * depth


# --- tree size -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["x^2 + 2y^2", "sigmoid(x y) + max(x, y, 1)", "(1-x)^2 + 100(y-x^2)^2"])
def test_node_count_is_sympys_preorder_count_and_stops_at_the_limit(text):
    expr = parse_expression(text, XY)
    full = sum(1 for _ in sp.preorder_traversal(expr))
    assert count_nodes(expr, 10**6) == full
    assert count_nodes(expr, 3) == 4  # counted no further than limit + 1


def test_a_formula_above_the_node_limit_is_refused(monkeypatch):
    text = "x^2 + x y + y^2 + sin(x) + cos(y)"
    nodes = count_nodes(parse_expression(text, XY), 10**6)
    monkeypatch.setattr(expressions, "MAX_NODES", nodes)
    parse_expression(text, XY)
    monkeypatch.setattr(expressions, "MAX_NODES", nodes - 1)
    assert "more than" in refusal(text)


# --- towers, nesting, max/min ------------------------------------------------------------------------------


@pytest.mark.parametrize("symbols", ["x", "xy"])
def test_towers_up_to_the_limit_parse_and_higher_ones_are_refused(symbols):
    parse_expression(tower(symbols, expressions.MAX_TOWER_HEIGHT), XY)
    message = refusal(tower(symbols, expressions.MAX_TOWER_HEIGHT + 1))
    assert f"stacks {expressions.MAX_TOWER_HEIGHT + 1} exponentials" in message


@pytest.mark.parametrize("height", [6, 31, 59])  # 59: 60 x's raised RecursionError in the Hessian (#21)
def test_tall_towers_are_refused_quickly_with_a_message(height):
    start = time.perf_counter()
    assert "exponentials" in refusal(tower("x", height))
    assert time.perf_counter() - start < 5  # generous: refusing is a walk over 60 nodes


def test_exp_counts_as_a_level_of_the_tower():
    parse_expression(nested("exp", expressions.MAX_TOWER_HEIGHT), XY)
    assert "exponentials" in refusal("e^" + nested("exp", expressions.MAX_TOWER_HEIGHT))


def test_constant_exponents_do_not_count_as_levels():
    parse_expression("((x^2)^3)^2 + 2^x", XY)


@pytest.mark.parametrize("function", ["sigmoid", "tanh", "sqrt", "abs"])
def test_function_nesting_up_to_the_limit_parses_and_deeper_is_refused(function):
    parse_expression(nested(function, expressions.MAX_FUNCTION_NESTING, "x + y"), XY)
    message = refusal(nested(function, expressions.MAX_FUNCTION_NESTING + 1, "x + y"))
    assert f"nested more than {expressions.MAX_FUNCTION_NESTING} deep" in message


def test_max_and_min_take_at_most_the_allowed_number_of_arguments():
    allowed = expressions.MAX_MINMAX_ARGUMENTS
    planes = [f"1x+{k}y" for k in range(1, 30)]
    parse_expression(f"max({', '.join(planes[:allowed])})", XY)
    parse_expression(f"min({', '.join(planes[:allowed])})", XY)
    assert f"at most {allowed}" in refusal(f"max({', '.join(planes[: allowed + 1])})")
    assert f"at most {allowed}" in refusal(f"max({', '.join(planes[:20])})")  # the few dozen planes


def test_nested_max_calls_count_together_because_sympy_merges_them():
    assert parse_expression("max(max(x, y), max(x, 2y))", XY).func is sp.Max  # merged into one Max
    assert "nested max calls count together" in refusal("max(max(x, y, x + y), max(x - y, 2y, 3x))")


# --- exact powers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "q", "n"), [(999999, 1000000, 50), (3, 7, 200), (1000001, 1000000, 17), (2, 1, 99)]
)
def test_rational_bits_bound_the_exact_fraction_a_power_builds(p, q, n):
    exact = Fraction(p, q) ** n
    actual = exact.numerator.bit_length() + exact.denominator.bit_length()
    predicted = n * rational_bits(sp.Rational(p, q))
    assert predicted <= actual <= predicted + 2  # bit lengths round each of p^n and q^n up by < 1


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("(999999/1000000)^1000000", math.exp(1e6 * math.log1p(-1e-6))),  # ≈ 1/e, 40 million exact bits
        ("(1 + 1/1000000)^1000000", math.exp(1e6 * math.log1p(1e-6))),  # ≈ e
        ("((999999/1000000)^(1/2))^1000000", math.exp(5e5 * math.log1p(-1e-6))),
        ("(999999/1000000)^(999999/1000)", math.exp(999.999 * math.log1p(-1e-6))),
    ],
)
def test_a_small_power_with_a_huge_exact_fraction_becomes_a_decimal(text, reference):
    start = time.perf_counter()
    value = parse_expression(f"{text} x", XY).coeff(sp.Symbol("x", real=True))
    assert value.is_Float
    assert float(value) == pytest.approx(reference, rel=1e-12)
    assert time.perf_counter() - start < 5  # generous: SymPy built 40 million bits for several seconds


def test_exact_powers_within_the_bound_stay_exact():
    assert parse_expression("(2/3)^10", XY) == sp.Rational(1024, 59049)
    assert parse_expression("2^4000", XY) == sp.Integer(2) ** 4000
    assert parse_expression("(3/2)^100", XY) == sp.Rational(3**100, 2**100)


@pytest.mark.parametrize(
    "text", ["2^(-10^6)", "(sqrt(2) 999999/1000000)^1000000", "e^(10^6)", "2^2^2^2^2", "sinh(10000)"]
)
def test_powers_beyond_the_magnitude_bound_are_refused(text):
    assert f"2^{MAX_POWER_BITS}" in refusal(text) or f"{MAX_POWER_BITS} bits" in refusal(text)


def test_a_tower_of_constants_is_refused_without_sympy_evaluating_it():
    # exp(exp(exp(10))).evalf() did not finish in 60 s here; inside max() SymPy would have to compare it
    start = time.perf_counter()
    assert "too large" in refusal("max(exp(exp(exp(10))), x)")
    assert time.perf_counter() - start < 5


# --- constants that are not real -------------------------------------------------------------------------

CONSTANTS = {  # formula -> the same value by Python's cmath (principal branches, as SymPy's)
    "(-8)^(1/3)": complex(-8) ** (1 / 3),
    "(-8)^(2/3)": complex(-8) ** (2 / 3),
    "(-1/8)^(1/3)": complex(-1 / 8) ** (1 / 3),
    "(-4)^(1/2)": cmath.sqrt(-4),
    "(-2)^pi": complex(-2) ** math.pi,
    "asin(2)": cmath.asin(2),
    "acos(-3)": cmath.acos(-3),
    "ln(-2)": cmath.log(-2),
    "log(1 - 3)": cmath.log(-2),
    "sqrt(1 - 2)": cmath.sqrt(-1),
    "asin(1/2)": cmath.asin(0.5),
    "(-8)^3": complex(-8) ** 3,
    "acos(-1)": cmath.acos(-1),
    "-8^(1/3)": -(8 ** (1 / 3)),
    "sqrt(4) ln(3)": 2 * cmath.log(3),
}


@pytest.mark.parametrize(("text", "reference"), CONSTANTS.items())
def test_a_constant_is_refused_exactly_when_its_value_is_not_real(text, reference):
    if abs(complex(reference).imag) > 1e-12:
        message = refusal(f"{text} x")
        assert "not a real number" in message and "complex" in message
    else:
        value = parse_expression(f"{text} x", XY).coeff(sp.Symbol("x", real=True))
        assert float(value) == pytest.approx(complex(reference).real, rel=1e-12)


def test_the_refusal_of_a_negative_base_says_which_real_root_to_write():
    assert "For the real root write -(8^(1/3))." in refusal("(-8)^(1/3) x")
    assert "For the real root write 8^(2/3)." in refusal("(-8)^(2/3) x")
    assert "even root" in refusal("(-4)^(1/2) + x")
    assert parse_expression("-(8^(1/3))", XY) == -2  # the suggestion parses to the real cube root
    assert "between -1 and 1" in refusal("asin(2) x")


# --- derivatives: size, NaN, and the time budget ------------------------------------------------------


def test_a_derivative_above_its_limit_is_refused_with_what_to_try():
    expr = parse_expression("sigmoid(sigmoid(sigmoid(x y)))", XY)
    d = calculus.derivative(expr, "x")
    size = count_nodes(d, 10**6)
    preparation.check_derivative(expr, d, name="∂f/∂x", limit=size)
    with pytest.raises(ExpressionError, match="∂f/∂x of this formula has more than") as info:
        preparation.check_derivative(expr, d, name="∂f/∂x", limit=size - 1)
    assert "fewer nested functions" in str(info.value)


@pytest.mark.parametrize(
    ("text", "prepare"),
    [
        ("0^x", univariate.prepare),
        ("0^x + y", bivariate.prepare),
        ("(x - x)^x + y", bivariate.prepare),
        ("0^(x^2) + y", bivariate.prepare),
    ],
)
def test_a_derivative_sympy_gives_as_undefined_is_explained_not_printed_as_nan(text, prepare):
    with pytest.raises(ExpressionError) as info:
        prepare(text)
    message = str(info.value)
    assert "undefined everywhere" in message and "ln 0" in message
    assert "NaN" not in message and "nan" not in message


def test_where_sympys_formula_for_the_derivative_has_no_value_no_vertical_tangent_is_claimed():
    # f = 0^x is flat for x > 0 (both one-sided slopes 0), yet SymPy's f′ = 0^x ln 0 has no value
    status = calculus.differentiability_at(parse_expression("0^x", ("x",)), "x", 1.0)
    assert not status.differentiable
    assert "vertical" not in status.reason and "nan" not in status.reason.lower()
    assert "0 from the left and 0 from the right" in status.reason


def _sleeps(seconds: float) -> str:
    time.sleep(seconds)
    return "finished"


def _recurses(depth: int) -> int:
    return _recurses(depth + 1)


def _raises_sympy_type_error() -> sp.Basic:
    return sp.Symbol("x") < sp.I  # SymPy: "Invalid comparison of non-real I"


def test_bounded_work_that_runs_out_of_time_is_stopped_with_a_message():
    with pytest.raises(ExpressionError, match=r"took longer than 0\.5 s, so it was stopped"):
        preparation.run_bounded(_sleeps, 60.0, time_limit=0.5)
    assert preparation.run_bounded(_sleeps, 0.0, time_limit=10) == "finished"


@pytest.mark.parametrize(
    ("work", "fragment"), [(_recurses, "nested too deeply"), (_raises_sympy_type_error, "TypeError")]
)
def test_every_exception_the_maths_can_raise_becomes_a_message(work, fragment):
    args = (0,) if work is _recurses else ()
    with pytest.raises(ExpressionError, match=fragment):
        preparation.run_bounded(work, *args, time_limit=20)


def test_a_refusal_is_remembered_per_text(monkeypatch):
    calls = []

    def work(text: str) -> str:
        calls.append(text)
        raise ExpressionError(f"no {text}")

    # inline instead of forked, so the calls can be counted here
    monkeypatch.setattr(
        preparation, "run_with_time_limit", lambda function, *args, time_limit: _inline(function, args)
    )
    prepare = preparation.bounded_preparation(work)
    for _ in range(3):
        with pytest.raises(ExpressionError, match="no a"):
            prepare("a")
    assert calls == ["a"]


def _inline(function, args):
    from core.timelimit import TimedResult

    return TimedResult(value=function(*args))


def test_a_refusal_for_want_of_time_is_forgotten_after_a_while(monkeypatch):
    from core.timelimit import TimedResult

    outcomes = [TimedResult(timed_out=True), TimedResult(value=("ok", "worked out"))]
    monkeypatch.setattr(preparation, "run_with_time_limit", lambda *args, time_limit: outcomes.pop(0))
    prepare = preparation.bounded_preparation(lambda text: text)
    with pytest.raises(preparation.TransientRefusal, match="took longer than"):
        prepare("busy")
    with pytest.raises(preparation.TransientRefusal):  # remembered: no second child yet
        prepare("busy")
    monkeypatch.setattr(preparation, "TRANSIENT_MEMORY", 0.0)
    assert prepare("busy") == "worked out"  # the machine was busy, not the formula too costly
    assert not outcomes


# --- evaluation ---------------------------------------------------------------------------------------------


def test_grid_evaluation_is_capped_in_work():
    f = evaluation.numeric_function(parse_expression("sin(x) cos(y) + x y", XY), XY)
    nodes = count_nodes(parse_expression("sin(x) cos(y) + x y", XY), 10**6)
    fitting = evaluation.MAX_EVALUATION_WORK // nodes
    assert f(np.zeros(fitting), 0.0).shape == (fitting,)
    with pytest.raises(evaluation.EvaluationTooLarge, match="operation-points"):
        f(np.zeros(fitting + 1), 0.0)


def test_the_bounds_keep_every_page_grid_inside_the_evaluation_cap():
    largest_grid = bivariate.MAX_GRID**2
    assert expressions.MAX_NODES * largest_grid <= evaluation.MAX_EVALUATION_WORK
    # f′ on the widest 1-D grid (evaluation.grid_axes allows 2001 points), each partial on the densest arrow
    # field, each Hessian entry at every start of the critical-point search
    assert preparation.MAX_DERIVATIVE_NODES * 2001 <= evaluation.MAX_EVALUATION_WORK
    assert preparation.MAX_DERIVATIVE_NODES * fields.ARROWS_PER_SIDE[1] ** 2 <= evaluation.MAX_EVALUATION_WORK
    starts = critical_points.STARTS_PER_AXIS**2
    assert preparation.MAX_SECOND_DERIVATIVE_NODES * starts <= evaluation.MAX_EVALUATION_WORK


def test_a_constant_beyond_floating_point_evaluates_to_nan_not_an_overflow():
    # the derivative of 2^4000 x is the exact integer 2^4000: lambdify returns it as a Python int
    d = calculus.derivative(parse_expression("2^4000 x", ("x",)), "x")
    assert d == sp.Integer(2) ** 4000
    assert np.isnan(evaluation.numeric_function(d, ("x",))(np.linspace(0, 1, 3))).all()
    assert math.isnan(evaluation.scalar_function(d, ("x",))(0.5))
