"""f′ written in f itself, where a textbook does: σ′ = σ(1 − σ), tanh′ = 1 − tanh², (eˣ)′ = eˣ.

The form belongs to the function, not to how it was typed: ``1/(1+e^(−x))``, ``e^x/(1+e^x)`` and
``sigmoid(x)`` are all σ(x). A formula is recognised in two steps: its values at a few points must match
the candidate's (cheap, and rules out almost everything), then SymPy must confirm that the difference is
exactly zero, in a forked child under a time limit (core.preparation.run_bounded), because ``simplify`` can
take unbounded time. Refused or timed out means "not recognised": the page then shows the simplified f′ only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.evaluation import numeric_function
from core.expressions import ExpressionError, sigmoid
from core.preparation import run_bounded

CONFIRM_TIME_LIMIT = 1.0  # seconds for SymPy's proof that f is the candidate
_PROBES = np.array([-1.7, -0.3, 0.4, 1.1, 2.3])  # where f is compared with each candidate first
_F = sp.Symbol("f")
_X = sp.Symbol("x", real=True)


@dataclass(frozen=True)
class SelfDerivative:
    """A function whose derivative is a polynomial in itself."""

    name: str  # as the page names it
    function: sp.Expr  # in x
    derivative_in_f: sp.Expr  # in the symbol f

    def latex(self) -> str:
        in_f, function = sp.latex(self.derivative_in_f), sp.latex(self.function)
        return rf"f'(x) = {in_f} \quad \text{{since }} f(x) = {function}"


FORMS = (
    SelfDerivative("sigmoid", sigmoid(_X), _F * (1 - _F)),
    SelfDerivative("tanh", sp.tanh(_X), 1 - _F**2),
    SelfDerivative("exp", sp.exp(_X), _F),
)


def _values(expr: sp.Expr) -> np.ndarray:
    """``expr`` (in x) at the probe points, NaN where undefined."""
    return np.broadcast_to(numeric_function(expr, ("x",))(_PROBES), _PROBES.shape)


def _is_zero(difference: sp.Expr) -> bool:
    """Runs in the bounded child: whether SymPy proves ``difference`` identically zero."""
    return sp.simplify(difference.rewrite(sp.exp)) == 0


@functools.lru_cache(maxsize=256)
def self_derivative(expr: sp.Expr) -> SelfDerivative | None:
    """The form of f′ in f for a one-variable f that is σ(x), tanh(x) or eˣ however written, else None."""
    if len(expr.free_symbols) != 1:
        return None
    (x,) = expr.free_symbols
    expr = expr.subs(x, _X)
    values = _values(expr)
    if not np.all(np.isfinite(values)):
        return None
    for form in FORMS:
        if not np.allclose(values, _values(form.function), rtol=1e-12, atol=1e-12):
            continue
        try:
            if run_bounded(_is_zero, expr - form.function, time_limit=CONFIRM_TIME_LIMIT):
                return form
        except ExpressionError:  # SymPy could not finish in time: no claim rather than a wrong one
            return None
    return None


def self_derivative_latex(expr: sp.Expr) -> str | None:
    """One LaTeX line for the page, such as f'(x) = f (1 - f) since f(x) = σ(x); None when there is none."""
    form = self_derivative(expr)
    return None if form is None else form.latex()
