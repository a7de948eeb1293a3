"""f′ written in f itself: recognised however f was typed, checked against SymPy's own derivative."""

import pytest
import sympy as sp

from core.derivative_forms import self_derivative, self_derivative_latex
from core.expressions import parse_expression

x = sp.Symbol("x", real=True)
f = sp.Symbol("f")

RECOGNISED = {
    "sigmoid(x)": "sigmoid",
    "1/(1+e^(−x))": "sigmoid",  # typed with the typographic minus, as on a slide
    "1/(1+exp(-x))": "sigmoid",
    "e^x/(1+e^x)": "sigmoid",
    "tanh(x)": "tanh",
    "sinh(x)/cosh(x)": "tanh",
    "(e^x - e^-x)/(e^x + e^-x)": "tanh",
    "2 sigmoid(2x) - 1": "tanh",
    "e^x": "exp",
    "exp(x)": "exp",
}


@pytest.mark.parametrize(("text", "name"), RECOGNISED.items())
def test_a_function_is_recognised_however_it_was_typed(text, name):
    expr = parse_expression(text, ("x",))
    form = self_derivative(expr)
    assert form is not None and form.name == name
    # the form is f′: substitute f back and compare with SymPy's derivative of what was typed
    assert sp.simplify((form.derivative_in_f.subs(f, expr) - sp.diff(expr, x)).rewrite(sp.exp)) == 0


@pytest.mark.parametrize(
    "text",
    ["x^2", "sigmoid(2x)", "tanh(x) + 1e-13", "2e^x", "ln(x)", "3", "relu(x)", "e^x + 1e-12x^2", "tanh(x)^2"],
)
def test_other_functions_get_no_form(text):
    assert self_derivative(parse_expression(text, ("x",))) is None


def test_a_close_numeric_match_is_not_enough_sympy_must_agree():
    nearly = parse_expression("tanh(x) + 10^-13", ("x",))  # equal to 1e-12 at every probe point
    assert self_derivative(nearly) is None


def test_the_latex_line_names_f_and_its_form():
    assert self_derivative_latex(parse_expression("1/(1+e^(-x))", ("x",))) == (
        r"f'(x) = f \left(1 - f\right) \quad \text{since } f(x) = \sigma\left(x\right)"
    )
    assert self_derivative_latex(parse_expression("tanh(x)", ("x",))).startswith(r"f'(x) = 1 - f^{2}")
    assert self_derivative_latex(parse_expression("x^3", ("x",))) is None
