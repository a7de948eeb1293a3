"""core.jsformula: the browser's formula code equals NumPy's values and holds nothing but whitelisted names.

The JavaScript runs in Node.js with the live chart's own helpers (cut from ui/live/live_chart.js), so a
mistake in either the printer or the helpers shows up as a wrong number here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from core import functions2d, univariate
from core.evaluation import numeric_function
from core.expressions import parse_expression
from core.jsformula import is_safe_javascript, to_javascript

COMPONENT = Path(__file__).resolve().parents[2] / "ui" / "live" / "live_chart.js"
NODE = shutil.which("node")
X = sp.Symbol("x", real=True)
Y = sp.Symbol("y", real=True)
POINTS_1D = np.array([-7.3, -2.5, -1.0, -0.5, -1e-3, 0.0, 0.25, 0.5, 1.0, 1.7, 3.0, 9.5])

ONE_VARIABLE = [
    *(univariate.preset_formula(name) for name in univariate.PRESETS),
    "x^2 sin(x)", "e^(-x^2)", "sigmoid(2x)", "relu(x-1)", "ln(1+x^2)", "tanh(x)^2", "abs(x) + x^(1/3)",
    "sqrt(x - 1)", "max(x, 2, x^2) - min(x, -x)", "1/(1+e^(-x))", "asin(x/10) + acos(x/10) x",
    "atan(x) cosh(x/3)",
    "2^x - pi x", "x^(3/2)", "(x-1)^(-2)", "sinh(x) / (1 + x^2)",
]  # fmt: skip


def node_values(code_and_args: list[tuple[str, list[str], list[list[float]]]]) -> list[list[float | None]]:
    """Evaluate each (code, variables, argument tuples) in Node.js with the component's helper object H."""
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but node is not installed")
        pytest.skip("node is not installed")
    helpers = re.search(r"^const H = \{.*?^\};", COMPONENT.read_text(), re.S | re.M).group(0)
    program = f"""{helpers}
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.map(([code, variables, points]) => {{
  const f = new Function("H", ...variables, `"use strict"; return (${{code}});`);
  return points.map((args) => {{ const v = f(H, ...args); return Number.isFinite(v) ? v : null; }});
}});
process.stdout.write(JSON.stringify(out));"""
    result = subprocess.run(
        [NODE, "-e", program], input=json.dumps(code_and_args), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def assert_same_values(expressions: list[sp.Expr], variables: tuple[str, ...], points: np.ndarray) -> None:
    codes = [to_javascript(e, variables) for e in expressions]
    assert all(codes), [str(e) for e, c in zip(expressions, codes, strict=True) if not c]
    got = node_values([(code, list(variables), points.tolist()) for code in codes])
    for expr, values in zip(expressions, got, strict=True):
        expected = numeric_function(expr, variables)(*points.T)
        browser = np.array([np.nan if v is None else v for v in values])
        np.testing.assert_array_equal(np.isnan(browser), np.isnan(expected), err_msg=str(expr))
        finite = np.isfinite(expected)
        # 1e-12 relative; 1e-14 absolute where a value is the difference of two O(1) terms (1 − tanh²(9.5) is
        # 2e-8, and one ulp of difference between JavaScript's and NumPy's tanh moves it by 2e-16)
        np.testing.assert_allclose(
            browser[finite], expected[finite], rtol=1e-12, atol=1e-14, err_msg=str(expr)
        )


def test_every_derivative_table_row_and_its_derivatives_match_numpy_in_the_browser():
    expressions = []
    for text in ONE_VARIABLE:
        f = parse_expression(text, ("x",))
        expressions += [f, sp.diff(f, X), sp.diff(f, X, 2)]
    assert_same_values(expressions, ("x",), POINTS_1D[:, None])


def test_every_test_function_and_its_gradient_match_numpy_in_the_browser():
    points = np.array([[a, b] for a in (-2.2, -0.5, 0.0, 0.7, 1.9) for b in (-1.4, 0.0, 0.3, 2.6)])
    expressions = []
    for function in functions2d.FUNCTIONS.values():
        f = parse_expression(function.formula, ("x", "y"))
        expressions += [f, sp.diff(f, X), sp.diff(f, Y)]
    assert_same_values(expressions, ("x", "y"), points)


_ATOMS = st.sampled_from(["x", "2", "0.5", "pi", "e", "(x-1)", "3x"])
_UNARY = st.sampled_from(["sin", "cos", "exp", "ln", "sqrt", "abs", "tanh", "sigmoid", "relu", "atan"])
_BINARY = st.sampled_from(["+", "-", "*", "/"])


@st.composite
def formulas(draw, depth=3):
    if depth == 0 or draw(st.booleans()):
        return draw(_ATOMS)
    if draw(st.booleans()):
        return f"{draw(_UNARY)}({draw(formulas(depth=depth - 1))})"
    return f"({draw(formulas(depth=depth - 1))}){draw(_BINARY)}({draw(formulas(depth=depth - 1))})"


@settings(max_examples=25, deadline=None)
@given(st.lists(formulas(), min_size=4, max_size=4))
def test_random_compositions_and_their_derivatives_match_numpy(texts):
    expressions = []
    for text in texts:
        f = parse_expression(text, ("x",))
        expressions += [f, sp.diff(f, X)]
    assert_same_values(expressions, ("x",), POINTS_1D[:, None])


@pytest.mark.parametrize("text", ONE_VARIABLE)
def test_the_emitted_code_holds_only_numbers_variables_operators_and_whitelisted_names(text):
    f = parse_expression(text, ("x",))
    for expr in (f, sp.diff(f, X), sp.diff(f, X, 2)):
        code = to_javascript(expr, ("x",))
        names = set(re.findall(r"[A-Za-z_][\w.]*", re.sub(r"\d+\.?\d*(e[+-]?\d+)?", "", code)))
        assert names <= {"x", *(n for n in names if n.startswith(("Math.", "H.")))}
        assert is_safe_javascript(code, ("x",))


@pytest.mark.parametrize(
    "code",
    [
        "alert(1)", "x.constructor", "Math.constructor", "this", "globalThis.x", "x = 1", "`${x}`", "'a'",
        "x[0]", "Math.pow(x, 2); fetch(1)", "H.sigmoid.call(x)", "Function('1')", "x => x", "new Math.E",
        "document.cookie", "y", "Math", "H",
    ],
)  # fmt: skip
def test_the_checker_refuses_anything_outside_the_whitelist(code):
    assert not is_safe_javascript(code, ("x",))


def test_untranslatable_or_foreign_expressions_fall_back_to_the_server():
    assert to_javascript(sp.Function("g")(X), ("x",)) is None  # an unknown function
    assert to_javascript(X + Y, ("x",)) is None  # a symbol that is not a variable
    assert to_javascript(sp.Add(*(X**k for k in range(1, 3000))), ("x",)) is None  # too long to be worth it
