"""Turn a (trusted, already built) SymPy expression into a vectorised NumPy function that never crashes.

Values that are complex, infinite or undefined become NaN, so a plot shows a gap instead of an error.
DiracDelta (from second derivatives of relu and abs) counts as 0 away from its single point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp


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
    compiled = sp.lambdify(symbols, expr, modules=[_NUMPY_NAMES, "numpy"])

    def evaluate(*arrays: np.ndarray | float) -> np.ndarray:
        arrays = tuple(np.asarray(a, dtype=float) for a in arrays)
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        with np.errstate(all="ignore"):
            try:
                values = compiled(*arrays)
            except (ZeroDivisionError, OverflowError, ValueError, TypeError):
                return np.full(shape, np.nan)
            values = np.asarray(values)
            if np.iscomplexobj(values):
                values = np.where(np.abs(values.imag) < 1e-12, values.real, np.nan)
            values = np.broadcast_to(values.astype(float), shape).copy()
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
    compiled = sp.lambdify(_symbols_for(expr, variables), expr, modules=[_MATH_NAMES, "math"])

    def evaluate(*values: float) -> float:
        try:
            result = compiled(*values)
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            return math.nan
        if isinstance(result, complex):
            return math.nan
        result = float(result)
        return result if math.isfinite(result) else math.nan

    return evaluate
