"""A parsed f(x, y) with its gradient and Hessian, compiled for NumPy: what every 2-D page starts from."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.calculus import gradient, hessian
from core.evaluation import numeric_function
from core.expressions import parse_expression, to_latex
from core.preparation import MAX_SECOND_DERIVATIVE_NODES, bounded_preparation, check_derivative

VARIABLES = ("x", "y")
WINDOW_LIMIT = 100.0
MAX_GRID = 401  # points per axis: a crafted URL cannot ask for more


@dataclass(frozen=True)
class Bivariate:
    """Immutable, so one cached copy can serve every session."""

    expr: sp.Expr
    gradient: tuple[sp.Expr, sp.Expr]
    hessian: sp.Matrix
    f: Callable[..., np.ndarray]
    df_dx: Callable[..., np.ndarray]
    df_dy: Callable[..., np.ndarray]
    latex: str  # printed in the bounded child, like everything symbolic about f
    gradient_latex: str
    hessian_latex: str

    def gradient_at(self, x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        return self.df_dx(x, y), self.df_dy(x, y)

    def __reduce__(self):
        # compiled functions do not pickle: a copy (a worker process's, core.workers) compiles its own from
        # the symbolic parts, which came from the whitelisted parser, never from text
        symbolic = (
            self.expr,
            self.gradient,
            self.hessian,
            self.latex,
            self.gradient_latex,
            self.hessian_latex,
        )
        return _compiled, symbolic


@bounded_preparation
def _worked_out(text: str) -> tuple[sp.Expr, tuple[sp.Expr, sp.Expr], sp.Matrix, str, str, str]:
    """The symbolic half of ``prepare``, run in a child killed at SYMBOLIC_TIME_LIMIT (core.preparation).
    Each derivative's size is checked before the next, larger one is worked out."""
    expr = parse_expression(text, VARIABLES)
    grad = gradient(expr, VARIABLES)
    for name, d in zip(VARIABLES, grad, strict=True):
        check_derivative(expr, d, name=f"∂f/∂{name}")
    matrix = hessian(expr, VARIABLES)
    for i, first in enumerate(VARIABLES):
        for j, second in enumerate(VARIABLES):
            name = f"∂²f/∂{first}∂{second}"
            check_derivative(expr, matrix[i, j], name=name, limit=MAX_SECOND_DERIVATIVE_NODES)
    dx, dy = (to_latex(g) for g in grad)
    # the row gap keeps stacked fractions (the gradient of ln(x y)) from touching
    gradient_latex = rf"\begin{{pmatrix}} {dx} \\[4pt] {dy} \end{{pmatrix}}"
    return expr, grad, matrix, to_latex(expr), gradient_latex, to_latex(matrix)


def prepare(text: str) -> Bivariate:
    """Parse f(x, y) (untrusted text), differentiate and compile, within SYMBOLIC_TIME_LIMIT and the size
    bounds of ``core.preparation.check_derivative``. Raises ``ExpressionError`` for a bad or costly one."""
    return _compiled(*_worked_out(text))


def _compiled(
    expr: sp.Expr,
    gradient: tuple[sp.Expr, sp.Expr],
    matrix: sp.Matrix,
    latex: str,
    gradient_latex: str,
    hessian_latex: str,
) -> Bivariate:
    dx, dy = gradient
    return Bivariate(
        expr=expr,
        gradient=(dx, dy),
        hessian=matrix,
        f=numeric_function(expr, VARIABLES),
        df_dx=numeric_function(dx, VARIABLES),
        df_dy=numeric_function(dy, VARIABLES),
        latex=latex,
        gradient_latex=gradient_latex,
        hessian_latex=hessian_latex,
    )


def check_window(window: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Validate (x_min, x_max, y_min, y_max): finite, ordered, within ±WINDOW_LIMIT."""
    x_min, x_max, y_min, y_max = (float(v) for v in window)
    ok = all(math.isfinite(v) and abs(v) <= WINDOW_LIMIT for v in (x_min, x_max, y_min, y_max))
    if not (ok and x_min < x_max and y_min < y_max):
        raise ValueError(
            f"window must be (x_min, x_max, y_min, y_max) with min < max, within ±{WINDOW_LIMIT:g}. "
            f"Got {window} instead."
        )
    return x_min, x_max, y_min, y_max


def grid(window: tuple[float, float, float, float], points: int) -> tuple[np.ndarray, np.ndarray]:
    """Axis values for a square-ish grid over the window, at most MAX_GRID per axis."""
    if not 2 <= points <= MAX_GRID:
        raise ValueError(f"points must be between 2 and {MAX_GRID}. Got {points} instead.")
    x_min, x_max, y_min, y_max = check_window(window)
    return np.linspace(x_min, x_max, points), np.linspace(y_min, y_max, points)


def evaluate_on_grid(
    function: Callable[..., np.ndarray], window: tuple[float, float, float, float], points: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, z) with z[i, j] = function(x[j], y[i]) (row = y, as Plotly's contour and surface expect)."""
    x, y = grid(window, points)
    return x, y, function(x[np.newaxis, :], y[:, np.newaxis])


def zoomed(window: tuple[float, float, float, float], zoom: float) -> tuple[float, float, float, float]:
    """The window scaled about its centre (zoom 2 shows twice the width), clipped to ±WINDOW_LIMIT."""
    if not (math.isfinite(zoom) and 0.05 <= zoom <= 20):
        raise ValueError(f"zoom must be between 0.05 and 20. Got {zoom} instead.")
    x_min, x_max, y_min, y_max = check_window(window)
    cx, cy = (x_min + x_max) / 2, (y_min + y_max) / 2
    hx, hy = (x_max - x_min) / 2 * zoom, (y_max - y_min) / 2 * zoom
    low, high = -WINDOW_LIMIT, WINDOW_LIMIT
    return max(low, cx - hx), min(high, cx + hx), max(low, cy - hy), min(high, cy + hy)


def color_range(z: np.ndarray, *, low: float = 1.0, high: float = 90.0) -> tuple[float, float] | None:
    """A colour/contour range from percentiles of the finite values, so a few huge values at the window's
    edge (Himmelblau, Rosenbrock) do not squash everything interesting into one colour."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return None
    bottom, top = np.percentile(finite, [low, high])
    if top - bottom <= 1e-12 * max(1.0, abs(top)):
        return float(finite.min()), float(finite.max()) if finite.max() > finite.min() else float(top) + 1.0
    return float(bottom), float(top)
