"""The formula parser: what it accepts, and a hostile corpus it must reject quickly, running nothing."""

import time
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from core.expressions import ExpressionError, parse_expression, sigmoid

x, y = sp.symbols("x y", real=True)

ACCEPTED = {
    "x^3 - 2x^2 + 3x - 1": x**3 - 2 * x**2 + 3 * x - 1,
    "2x": 2 * x,
    "x y": x * y,
    "2xy": 2 * x * y,
    "2(x+1)": 2 * (x + 1),
    "(x+1)(x-1)": (x + 1) * (x - 1),
    "x**2": x**2,
    "e^x": sp.exp(x),
    "e": sp.E,
    "pi x": sp.pi * x,
    "ln(x)": sp.log(x),
    "log(x)": sp.log(x),
    "exp(-x^2)": sp.exp(-(x**2)),
    "sqrt(x)": sp.sqrt(x),
    "abs(x)": sp.Abs(x),
    "sin(x)cos(y)": sp.sin(x) * sp.cos(y),
    "tan(x)": sp.tan(x),
    "asin(x) + acos(x) + atan(x)": sp.asin(x) + sp.acos(x) + sp.atan(x),
    "sinh(x) cosh(x) tanh(x)": sp.sinh(x) * sp.cosh(x) * sp.tanh(x),
    "sigmoid(x)": sigmoid(x),
    "relu(x)": sp.Max(0, x),
    "max(x, y)": sp.Max(x, y),
    "min(x, y, 1)": sp.Min(x, y, 1),
    "7": sp.Integer(7),
    "-3.5": sp.Float(-3.5),
    "x^-1": 1 / x,
    "2^10": sp.Integer(1024),
    "x^100": x**100,
    "1e-3x": sp.Float(0.001) * x,
    "  x  ": x,
    "x^2 + 2y^2": x**2 + 2 * y**2,
    "x^2+y^2-2xy+2x-4y+3": x**2 + y**2 - 2 * x * y + 2 * x - 4 * y + 3,
    "(1-x)^2 + 100(y-x^2)^2": (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "-x": -x,
    "+x": x,
    "x^x": x**x,
}


@pytest.mark.parametrize(("text", "expected"), ACCEPTED.items())
def test_accepts_the_convenience_syntax(text, expected):
    result = parse_expression(text, ("x", "y"))
    assert sp.simplify(result - expected) == 0


def test_symbols_are_real_and_only_the_given_variables():
    expr = parse_expression("x^2 + 2y^2", ("x", "y"))
    assert {s.name for s in expr.free_symbols} == {"x", "y"}
    assert all(s.is_real for s in expr.free_symbols)
    with pytest.raises(ExpressionError, match="Unknown name 'y'"):
        parse_expression("x + y", ("x",))


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("sinx", "Did you mean sin(x)?"),
        ("xz", "Unknown name 'xz'"),
        ("sin -x", "needs parentheses"),
        ("sin", "needs parentheses"),
        ("", "empty"),
        ("x +", "not well formed"),
        ("(x", "never closed"),
        ("x)", "no matching opening"),
        ("1/0 + x", "Division by zero"),
        ("x/(x-x)", "Division by zero"),
        ("log(0)", "undefined"),
        ("sqrt(-1)", "complex"),
        ("2 3", "Two numbers"),
        ("max(x)", "two or more arguments"),
        ("sin(x, y)", "exactly one argument"),
    ],
)
def test_rejections_say_what_is_wrong_and_what_is_allowed(text, fragment):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, ("x", "y"))
    message = str(info.value)
    assert fragment in message
    assert "Allowed:" in message and "sigmoid" in message


CANARY = Path("/tmp/gradient-lab-canary")  # anything that executes one of these payloads would create it

HOSTILE = [
    # code execution and attribute walks
    f"__import__('os').system('touch {CANARY}')",
    f"open('{CANARY}', 'w')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__mro__",
    "x.__globals__",
    "__builtins__",
    "globals()",
    "locals()",
    "vars()",
    "getattr(x, 'y')",
    f"exec(\"open('{CANARY}','w')\")",
    f"eval(\"open('{CANARY}','w')\")",
    "compile('1', 'f', 'eval')",
    "lambda: 1",
    "lambda x: x",
    "[x for x in range(10)]",
    "{x: 1}",
    "{x}",
    "(a := 1)",
    "'abc'",
    '"x"',
    "f'{x}'",
    "b'x'",
    "x[0]",
    "x[::-1]",
    "x < 1",
    "x == y",
    "x and y",
    "not x",
    "x or y",
    "x if x else y",
    "x; y",
    "x\ny",
    "x # comment",
    "x @ y",
    "x % 2",
    "x // 2",
    "x & y",
    "x | y",
    "~x",
    "x << 2",
    "x.real",
    "1j",
    "yield x",
    "await x",
    "*x",
    "x, y",
    "()",
    "...",
    "None",
    "True",
    # SymPy names that must not be reachable
    "Symbol('z')",
    "Symbol(x)",
    "S(1)",
    "Integral(x, x)",
    "Function('f')(x)",
    "sympify('x')",
    "factorial(x)",
    "gamma(x)",
    "Matrix([1])",
    "Lambda(x, x)",
    "Rational(1, 2)",
    "oo",
    "zoo",
    "nan",
    "I",
    "E",
    # Unicode look-alikes and invisible characters
    "\u0445^2",  # Cyrillic x
    "x\u200b",  # zero-width space
    "x\u2013 1",  # en dash (only the minus sign U+2212 is read as minus)
    "x\u207b\u00b9",  # superscript minus (x⁻¹)
    "x\u00b2\u0307",  # a combining dot above the superscript
    "\u0455in(x)",  # Cyrillic dze looks like s
    "\u03bf",  # Greek omicron looks like o
    "\u1d31",  # modifier letter: NFKC would make it ASCII E
    "\uff45^x",  # full-width e: NFKC would make it ASCII e
    "\u2024\u2024\u2024",  # one-dot leaders (NFKC: "...")
    "\ufe63x",  # small hyphen-minus
    "x\u00a0\u2028y",  # line separator after an accepted no-break space
    "\uff58",  # full-width x
    "sin\u2060(x)",  # word joiner
    "\u202ex",  # right-to-left override
    # size and blow-up
    "9^9^9^9",
    "10^6^10^6",
    "2^(2^20)",
    "((x^50)^50)^50",
    "x^101",
    "(x+1)^1000",
    "sin(x)^(10^6)",
    "e^(10^6)",
    "1234567890",
    "1e400",
    "10^100000",
    "(" * 40 + "x" + ")" * 40,
    "sin(" * 35 + "x" + ")" * 35,
    "-" * 150 + "x",
    "x" * 201,
    "x+" * 120 + "x",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rejected_quickly(text):
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        parse_expression(text, ("x", "y"))
    assert time.perf_counter() - start < 1.0


def test_nothing_in_the_hostile_corpus_ran():
    CANARY.unlink(missing_ok=True)
    for text in HOSTILE:
        with pytest.raises(ExpressionError):
            parse_expression(text, ("x", "y"))
    assert not CANARY.exists()


def test_non_text_is_rejected():
    with pytest.raises(ExpressionError):
        parse_expression(42, ("x",))  # type: ignore[arg-type]


def test_bad_variable_lists_are_a_programming_error():
    with pytest.raises(ValueError, match="variables"):
        parse_expression("x", ())
    with pytest.raises(ValueError, match="variables"):
        parse_expression("x", ("sin",))


# --- random well-formed formulas -----------------------------------------------------------------------

UNARY = ["sin", "cos", "exp", "tanh", "sigmoid", "atan", "abs", "relu"]
leaf = st.sampled_from(["x", "y", "2", "3", "0.5", "pi", "e"])


def _compose(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    unary = st.tuples(st.sampled_from(UNARY), children).map(lambda t: f"{t[0]}({t[1]})")
    power = st.tuples(children, st.integers(0, 4)).map(lambda t: f"({t[0]})^{t[1]}")
    return binary | unary | power


formulas = st.recursive(leaf, _compose, max_leaves=8).filter(lambda s: len(s) <= 200)


@given(formulas)
def test_random_well_formed_formulas_parse_or_fail_cleanly(text):
    try:
        expr = parse_expression(text, ("x", "y"))
    except ExpressionError as error:
        assert "Allowed:" in str(error)  # e.g. a division by an expression that is identically zero
    else:
        assert expr.free_symbols <= {x, y}
