"""core.code_listing and core.code_listing_training: the printed formula is the parsed tree and nothing else,
and each listing, run in a fresh interpreter, reproduces core's numbers for settings beyond the pages'
defaults (those are covered page by page in tests/apptest/test_code_panels.py)."""

import ast
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from core import bivariate, code_listing, race
from core import code_listing_training as training_listing
from core.critical_points import find_critical_points
from core.datasets import classification_data, regression_data
from core.descent.run import DescentSettings, run_descent
from core.expressions import ExpressionError, parse_expression, sigmoid

X, Y = sp.symbols("x y", real=True)
# every function and constant of the parser's whitelist, fractional powers, floats and rationals
FORMULAS = [
    "x^2 sin(x) + cos(y) - tan(x y)",
    "e^(-x^2) + ln(1 + y^2) + log(2 + x) + exp(x - y)",
    "sqrt(1 + x^2) + 1/sqrt(2 + y^2) + x^(1/3) + y^(-2/3) + 2^(1/3) x",
    "abs(x) + relu(x - 1) + max(x, y, 0.5) + min(x, 2y)",
    "sigmoid(2x - y) + tanh(x) + sinh(y) + cosh(x y)",
    "asin(x/4) + acos(y/5) + atan(x)",
    "0.1x + 1.234567890123 y + pi x + e + 2/3 + (2/3) x y",
]
# what a listing's code may name besides its own variables: sp.<whitelisted function> and Python's basics
ALLOWED_SYMPY = {
    "exp", "log", "sqrt", "Abs", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
    "Max", "Min", "pi", "E", "Rational",
}  # fmt: skip


def listing_namespace() -> dict:
    return {"sp": sp, "x": X, "y": Y, "sigmoid": lambda z: 1 / (1 + sp.exp(-z))}


def without_sigmoid(expr: sp.Expr) -> sp.Expr:
    return expr.replace(sigmoid, lambda z: 1 / (1 + sp.exp(-z)))


def run(code: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd="/tmp"
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line)


def number(printed: dict[str, str], name: str) -> float:
    return float(printed[name].split()[0])


@pytest.mark.parametrize("text", FORMULAS)
def test_the_printed_formula_is_exactly_the_parsed_expression(text):
    expr = parse_expression(text, ("x", "y"))
    source = code_listing.sympy_source(expr)
    rebuilt = eval(source, listing_namespace())  # the test reads back what it printed; no user text here
    assert rebuilt == without_sigmoid(expr)  # exact: rationals stay rational, floats round-trip
    names = {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Attribute)}
    assert names <= {"sp", "x", "y", "sigmoid"}
    assert attributes <= ALLOWED_SYMPY


def test_a_wrong_printer_would_be_caught():  # positive control for the exactness check above
    expr = parse_expression("x^(1/3)", ("x",))
    assert eval(str(expr), listing_namespace()) != expr  # plain str() prints 1/3, which Python divides


def test_a_typed_formula_reaches_the_listing_only_as_its_printed_tree():
    typed = "2x y+sin(x)^2 + e^(x y)"
    listing = code_listing.gradient(parse_expression(typed, ("x", "y")), point=(1.0, 2.0))
    assert typed not in listing and "e^(x y)" not in listing and "2x" not in listing
    assert "f = 2*x*y + sp.exp(x*y) + sp.sin(x)**2\n" in listing
    tree = ast.parse(listing)
    called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert called <= ALLOWED_SYMPY | {"symbols", "diff", "evalf", "array", "linalg", "norm"}


@pytest.mark.parametrize(
    "hostile",
    [
        "__import__('os').system('echo pwned')",
        "x; import os",
        "x\nprint(1)",
        "exec('x')",
        "x.__class__",
        "lambda: x",
        "[x for x in y]",
        '"x"',
    ],
)
def test_code_that_is_not_a_formula_never_gets_a_listing(hostile):
    with pytest.raises(ExpressionError):  # the parser refuses it, so no generator ever sees it
        parse_expression(hostile, ("x", "y"))


def test_a_hostile_column_name_appears_only_as_a_string_literal():
    name = '"]); __import__("os").system("echo pwned"); (["'
    data = training_listing.DataRecipe("csv", (name, "y"))
    listing = training_listing.regression("linear", data, DescentSettings(0.01, 10))
    tree = ast.parse(listing)
    constants = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)]
    assert name in constants
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "__import__" not in called


def test_the_derivative_listing_matches_sympy_at_a_kink_free_point():
    expr = parse_expression("sigmoid(2x) x^2 + relu(x - 1)", ("x",))
    printed = run(code_listing.derivative(expr, x0=1.5, h=1e-3))
    exact = sp.diff(without_sigmoid(expr).subs(sp.Symbol("x", real=True), sp.Symbol("x", real=True)), X)
    assert number(printed, "f'(x0)") == pytest.approx(float(exact.subs(X, 1.5)), rel=1e-12)
    f = sp.lambdify(X, without_sigmoid(expr))
    assert number(printed, "central difference") == pytest.approx((f(1.501) - f(1.499)) / 0.002, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "symbolic"),
    [("x^3 - 3x + y^2", True), ("x^4 - 2x^2 + y^2 + 0.5 y^4", True), ("x^3 - 3x + y^2", False)],
)
def test_the_critical_points_listing_finds_the_points_core_finds(text, symbolic):
    window = (-3.0, 3.0, -3.0, 3.0)
    expr = parse_expression(text, ("x", "y"))
    report = find_critical_points(expr, ("x", "y"), bounds=[window[:2], window[2:]], time_limit=5.0)
    done = subprocess.run(
        [sys.executable, "-c", code_listing.critical_points(expr, window=window, symbolic=symbolic)],
        capture_output=True, text=True, timeout=180, cwd="/tmp",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("point = ")]
    assert len(lines) == len(report.points) > 0
    for line, point in zip(lines, report.points, strict=True):
        numbers = [float(v) for v in line.replace("(", " ").replace(")", " ").replace(",", " ").split()[2:]
                   if v not in {"=", "eigenvalues"} and not v.isalpha()]  # fmt: skip
        assert numbers[:2] == pytest.approx(point.location, abs=1e-8)
        assert numbers[2:4] == pytest.approx(point.eigenvalues, abs=1e-8)
        assert line.endswith(point.kind)


@pytest.mark.parametrize(
    ("optimizer", "batch_size", "standardize"),
    [("GD", None, False), ("Momentum", None, True), ("Nesterov", 10, False), ("RMSProp", None, False),
     ("Adam", 16, True)],
)  # fmt: skip
def test_the_linear_regression_listing_follows_core_for_every_optimizer(optimizer, batch_size, standardize):
    data = regression_data(n_samples=60, noise=5.0, seed=3)
    x = (data.x - data.x.mean()) / data.x.std() if standardize else data.x
    settings = DescentSettings(0.05, 40, 1.5, -2.0, optimizer, batch_size, seed=7)
    expected = run_descent("linear", x, data.y, **vars(settings))
    recipe = training_listing.DataRecipe("make_regression", (60, 5.0, 3))
    printed = run(training_listing.regression("linear", recipe, settings, standardize=standardize))
    assert number(printed, "w") == pytest.approx(expected.path.w[-1], rel=1e-10)
    assert number(printed, "b") == pytest.approx(expected.path.b[-1], rel=1e-10, abs=1e-12)
    assert number(printed, "MSE") == pytest.approx(expected.path.loss[-1], rel=1e-10)
    assert number(printed, "optimal w") == pytest.approx(expected.optimum.w, rel=1e-10)


def test_the_logistic_listing_follows_core_with_two_features_and_momentum():
    data = classification_data(n_samples=80, class_sep=0.8, label_noise=0.1, n_features=2, seed=5)
    settings = DescentSettings(0.2, 60, 0.5, 0.1, "Momentum", None, 0)
    expected = run_descent("logistic", data.x, data.y, **vars(settings))
    recipe = training_listing.DataRecipe("make_classification", (2, 80, 0.8, 0.1, 5))
    printed = run(training_listing.regression("logistic", recipe, settings, has_optimum=expected.has_optimum))
    for i in range(2):
        assert number(printed, f"w{i + 1}") == pytest.approx(expected.path.w[-1][i], rel=1e-10)
        assert number(printed, f"optimal w{i + 1}") == pytest.approx(expected.optimum.w[i], rel=1e-5)
    assert number(printed, "cross-entropy") == pytest.approx(expected.path.loss[-1], rel=1e-10)


RACE_RATES = {"GD": 0.01, "Momentum": 0.01, "Nesterov": 0.01, "RMSProp": 0.01, "Adam": 0.05, "Newton": 0.5}


def race_finals(text: str, start: tuple[float, float], n_steps: int) -> tuple[list, dict[str, str]]:
    racers = race.race(bivariate.prepare(text), start, n_steps, RACE_RATES)
    listing = training_listing.race(
        parse_expression(text, ("x", "y")), start=start, n_steps=n_steps, rates=RACE_RATES
    )
    return racers, run(listing)


def test_the_race_listing_follows_core_for_every_optimizer_past_a_saddle():
    racers, printed = race_finals("x^2 y - y^2 + 0.1 y^4 + 0.5 x^2", (0.3, 0.2), 150)
    for racer in racers:
        assert number(printed, f"{racer.name} f") == pytest.approx(float(racer.loss[-1]), rel=1e-9), (
            racer.name
        )


def test_the_race_listing_follows_core_on_a_formula_with_sigmoid():
    racers, printed = race_finals("sigmoid(x) + x^2 y - y^2 + 0.1 y^4", (0.3, 0.2), 150)
    for racer in racers:
        # the page differentiates σ as σ(1 − σ), the listing's SymPy as e^−x/(1 + e^−x)²: equal up to
        # rounding, which RMSProp's and Adam's normalised steps carry to about 1e-5 after 150 steps
        assert number(printed, f"{racer.name} f") == pytest.approx(float(racer.loss[-1]), rel=1e-4), (
            racer.name
        )


def test_the_race_listing_reports_a_divergence_where_core_stops():
    text = "x^4 + y^4"
    racers = race.race(bivariate.prepare(text), (2.0, 2.0), 50, {"GD": 1.0})
    assert racers[0].diverged
    done = subprocess.run(
        [sys.executable, "-c", training_listing.race(parse_expression(text, ("x", "y")), start=(2.0, 2.0),
                                                     n_steps=50, rates={"GD": 1.0})],
        capture_output=True, text=True, timeout=120, cwd="/tmp",
    )  # fmt: skip
    assert f"GD diverged at step {len(racers[0].path)}" in done.stdout
    where = done.stdout.split(" at (")[1].rstrip(")\n").split(", ")
    assert [float(v) for v in where] == pytest.approx(racers[0].path[-1], rel=1e-12)  # the last finite point


def test_a_listing_refuses_a_number_that_is_not_finite():
    with pytest.raises(ValueError, match="finite"):
        code_listing.gradient(X**2 + Y, point=(float("nan"), 0.0))
    assert np.isfinite(float(code_listing.number(1e-300)))
