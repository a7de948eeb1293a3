"""The shared list of 2-D functions: every formula parses, and the listed minima really are minima."""

import numpy as np
import pytest

from core import functions2d
from core.calculus import gradient_at, hessian, symbol_for
from core.evaluation import numeric_function


@pytest.mark.parametrize("function", functions2d.FUNCTIONS.values(), ids=lambda f: f.name)
def test_every_formula_parses_through_the_public_door(function):
    expr = function.expression()
    assert {s.name for s in expr.free_symbols} <= {"x", "y"}
    x_min, x_max, y_min, y_max = function.window
    assert x_min < x_max and y_min < y_max


@pytest.mark.parametrize(
    "function", [f for f in functions2d.FUNCTIONS.values() if f.minima], ids=lambda f: f.name
)
def test_listed_minima_have_zero_gradient_and_a_positive_definite_hessian(function):
    expr = function.expression()
    scale = max(abs(v) for v in function.window)
    h = hessian(expr, functions2d.VARIABLES)
    for point in function.minima:
        assert np.linalg.norm(gradient_at(expr, functions2d.VARIABLES, point)) < 1e-4 * scale
        symbols = [symbol_for(expr, name) for name in functions2d.VARIABLES]
        values = np.array(h.subs(dict(zip(symbols, point, strict=True))), dtype=float)
        if function.name.startswith("Quartic"):
            continue  # the Hessian vanishes at its minimum
        assert np.all(np.linalg.eigvalsh(values) > 0)
        x_min, x_max, y_min, y_max = function.window
        assert x_min <= point[0] <= x_max and y_min <= point[1] <= y_max


def test_minima_are_lowest_nearby():
    for function in functions2d.FUNCTIONS.values():
        f = numeric_function(function.expression(), functions2d.VARIABLES)
        for mx, my in function.minima:
            angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
            ring = f(mx + 1e-2 * np.cos(angles), my + 1e-2 * np.sin(angles))
            assert np.all(ring >= f(mx, my) - 1e-9), function.name


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match="Rosenbrock"):
        functions2d.get("Rosenbrok")
    assert functions2d.get(functions2d.DEFAULT).formula == "x^2 + 2y^2"
