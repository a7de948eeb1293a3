"""Turn a (trusted, already built) SymPy expression into a vectorised NumPy function that never crashes.

Values that are complex, infinite or undefined become NaN, so a plot shows a gap instead of an error.
DiracDelta (from second derivatives of relu and abs) counts as 0 away from its single point.

Evaluation is bounded: a call may cost at most MAX_EVALUATION_WORK node-points (the expression's tree size
times the number of points), about half a second of NumPy here. The formula and derivative bounds of
``core.expressions`` and ``core.calculus`` keep every page's grids inside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from core.expressions import ExpressionError
from core.formula_bounds import count_nodes

# ~6 ns per node-point measured here (a 557-node Hessian entry on 401 × 401 points: 0.56 s)
MAX_EVALUATION_WORK = 10**8
MAX_COUNTED_NODES = 10**5  # counting stops here: such an expression may be evaluated at 1000 points


class EvaluationTooLarge(ValueError):
    """An evaluation would cost more than MAX_EVALUATION_WORK node-points."""


def _compiled(symbols, expr: sp.Expr, modules: list):
    """``lambdify``, with Python's own limits on nested code (too many parentheses, recursion in the
    compiler) turned into a message: derivatives of deeply nested formulas can reach them."""
    try:
        return sp.lambdify(symbols, expr, modules=modules)
    except (RecursionError, SyntaxError, MemoryError):
        raise ExpressionError(
            "This formula's derivatives are nested too deeply to compile for evaluation. Use fewer levels of "
            "nested functions or powers."
        ) from None


def _stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


_NUMPY_NAMES = {
    "sigmoid": _stable_sigmoid,
    "Heaviside": lambda x, h0=0.5: np.heaviside(x, h0),
    "DiracDelta": lambda x, *k: np.zeros_like(np.asarray(x, dtype=float)),
    "sign": np.sign,
}


def numeric_function(expr: sp.Expr, variables: Sequence[str]) -> Callable[..., np.ndarray]:
    """A NumPy function of the named variables; returns float arrays with NaN wherever f is undefined.

    ``expr`` must come from ``core.expressions.parse_expression`` or from calculus on such an expression:
    it is compiled with ``lambdify``, which must never see user text.
    """
    symbols = _symbols_for(expr, variables)
    compiled = _compiled(symbols, expr, [_NUMPY_NAMES, "numpy"])
    nodes = count_nodes(expr, MAX_COUNTED_NODES)

    def evaluate(*arrays: np.ndarray | float) -> np.ndarray:
        arrays = tuple(np.asarray(a, dtype=float) for a in arrays)
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        points = math.prod(shape)
        if nodes * points > MAX_EVALUATION_WORK:
            raise EvaluationTooLarge(
                f"Evaluating an expression of {nodes} operations at {points} points is more work than "
                f"allowed ({MAX_EVALUATION_WORK:.0e} operation-points). Use fewer points or a shorter "
                "formula."
            )
        with np.errstate(all="ignore"):
            try:
                values = np.asarray(compiled(*arrays))
                if np.iscomplexobj(values):
                    values = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
                # a constant f′ such as 2^4000 comes back as a Python int beyond floating point
                values = np.broadcast_to(values.astype(float), shape).copy()
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):
                return np.full(shape, np.nan)
        values[~np.isfinite(values)] = np.nan
        return values

    return evaluate


def _symbols_for(expr: sp.Expr, variables: Sequence[str]) -> tuple[sp.Symbol, ...]:
    by_name = {s.name: s for s in expr.free_symbols}
    return tuple(by_name.get(name, sp.Symbol(name, real=True)) for name in variables)


def grid_axes(low: float, high: float, count: int) -> np.ndarray:
    """Evenly spaced values with a validated count, so a crafted URL cannot ask for a huge grid."""
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"The range must have low < high, both finite. Got [{low}, {high}] instead.")
    if not 2 <= count <= 2001:
        raise ValueError(f"count must be between 2 and 2001. Got {count} instead.")
    return np.linspace(low, high, int(count))


def undefined_message(values: np.ndarray, what: str = "f") -> str:
    """Explain an all-NaN result in words (a blank chart explains nothing); '' when something is defined."""
    if np.isnan(values).all():
        return (
            f"{what} is undefined everywhere in this window (for example a log or square root of negative "
            "numbers, or values too large to represent). Try another window or formula."
        )
    return ""


def _scalar_sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


_MATH_NAMES = {
    "sigmoid": _scalar_sigmoid,
    "Heaviside": lambda v, h0=0.5: 1.0 if v > 0 else (0.0 if v < 0 else h0),
    "DiracDelta": lambda v, *k: 0.0,
    "sign": lambda v: float((v > 0) - (v < 0)),
}


def scalar_function(expr: sp.Expr, variables: Sequence[str]) -> Callable[..., float]:
    """A function of plain floats, about ten times faster per call than ``numeric_function``: for loops
    that evaluate one point at a time (optimizer steps). NaN wherever f is undefined or overflows.

    Like ``numeric_function``, only for expressions built by ``core.expressions``, never for user text.
    """
    compiled = _compiled(_symbols_for(expr, variables), expr, [_MATH_NAMES, "math"])

    def evaluate(*values: float) -> float:
        try:
            result = compiled(*values)
            if isinstance(result, complex):
                return math.nan
            result = float(result)  # OverflowError for an int beyond floating point
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            return math.nan
        return result if math.isfinite(result) else math.nan

    return evaluate
