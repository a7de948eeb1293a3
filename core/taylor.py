"""Taylor polynomials: the local models of f that gradient descent (order 1) and Newton's method (order 2)
stand on.

T_n(x) = Σ_{|α| ≤ n} ∂^α f(p) / α! · (x − p)^α, with exact coefficients where the point is a decimal
(0.1 becomes 1/10), so e^x at 0 reads 1 + x + x²/2 rather than 1.0 + 1.0x + 0.5x².
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import sympy as sp

from core.validation import check_integer, check_real

MAX_ORDER = 6  # the pages show orders 1–5; a higher order differentiates a 200-character formula too often
MAX_VARIABLES = 3
# functions whose derivatives jump (Heaviside, sign) or blow up (DiracDelta) where their argument is zero
_SWITCHES = (sp.Abs, sp.sign, sp.Heaviside, sp.DiracDelta)


def _symbols(expr: sp.Expr, variables: Sequence[str | sp.Symbol]) -> tuple[sp.Symbol, ...]:
    by_name = {symbol.name: symbol for symbol in expr.free_symbols}
    names = [v.name if isinstance(v, sp.Symbol) else v for v in variables]
    if not names or len(set(names)) != len(names) or len(names) > MAX_VARIABLES:
        raise ValueError(
            f"variables must be 1 to {MAX_VARIABLES} distinct names. Got {tuple(names)!r} instead."
        )
    stray = sorted(name for name in by_name if name not in names)
    if stray:
        raise ValueError(f"The expression uses {', '.join(stray)}, which is not among the variables {names}.")
    return tuple(by_name.get(name, sp.Symbol(name, real=True)) for name in names)


def _exact(value: object, name: str) -> sp.Expr:
    """A coordinate as an exact number: SymPy numbers as they are, floats as the decimal they print as."""
    if isinstance(value, sp.Expr) and not value.free_symbols and value.is_real:
        return value
    return sp.Rational(repr(check_real(name, value)))


def _near(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether two numbers agree to 25 digits (both finite and real): the test for a kink's switch point."""
    gap = sp.N(a - b, 30)
    return bool(gap.is_comparable) and bool(abs(gap) < 1e-25)


def _not_differentiable(expr: sp.Expr, at: dict[sp.Symbol, sp.Expr]) -> str:
    """Why ``expr`` (f or one of its derivatives) has no derivative at the point, or '' when it has."""
    for switch in expr.atoms(*_SWITCHES):
        if _near(switch.args[0].subs(at), 0):
            return f"{sp.sstr(switch.args[0])} = 0 there, where {type(switch).__name__} switches"
    for extreme in expr.atoms(sp.Max, sp.Min):
        values = [sp.N(arg.subs(at), 30) for arg in extreme.args]
        if not all(value.is_comparable for value in values):
            continue  # undefined there: the coefficient check says so
        chosen = max(values) if isinstance(extreme, sp.Max) else min(values)
        if sum(_near(value, chosen) for value in values) > 1:
            return f"the arguments of {sp.sstr(extreme)} tie there"
    return ""


def taylor_polynomial(
    expr: sp.Expr, variables: Sequence[str | sp.Symbol], point: Sequence[float], order: int
) -> sp.Expr:
    """The Taylor polynomial of ``expr`` at ``point`` up to total degree ``order``.

    T_n(x) = Σ_{|α| ≤ n} ∂^α f(p) / α! · (x − p)^α; SymPy may gather terms (1 + 2(x − 1) becomes
    2x − 1). Order 1 is the tangent (plane), order 2 the quadratic model f(p) + ∇f(p)·h + ½ hᵀ H h. A point
    where f or a derivative it needs is undefined, infinite or has a kink (abs, relu, max, min) is a
    ``ValueError`` that says so.
    """
    order = check_integer("order", order, low=0, high=MAX_ORDER)
    symbols = _symbols(expr, variables)
    if len(point) != len(symbols):
        raise ValueError(f"point must have {len(symbols)} coordinates. Got {len(point)} instead.")
    at = {s: _exact(value, f"point[{i}]") for i, (s, value) in enumerate(zip(symbols, point, strict=True))}
    where = ", ".join(sp.sstr(v) for v in at.values())

    terms = []
    # derivatives[α] = ∂^α f for every multi-index α of total degree k, built from degree k − 1
    derivatives = {(0,) * len(symbols): expr}
    for degree in range(order + 1):
        if degree > 0:
            derivatives = {
                alpha: sp.diff(derivatives[_lowered(alpha)], symbols[_first_nonzero(alpha)])
                for alpha in _multi_indices(len(symbols), degree)
            }
        for alpha, partial in derivatives.items():
            if degree < order:
                # the next order differentiates this one: a kink here makes that derivative undefined
                reason = _not_differentiable(partial, at)
                if reason:
                    raise ValueError(f"f is not {order} times differentiable at ({where}): {reason}.")
            coefficient = partial.subs(at)
            if coefficient.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not coefficient.is_finite:
                raise ValueError(
                    f"The Taylor polynomial of order {order} is undefined at ({where}): a derivative of "
                    f"order {degree} is undefined or infinite there."
                )
            if coefficient.is_real is False:
                raise ValueError(f"f or a derivative of order {degree} is not real at ({where}).")
            scale = math.prod(math.factorial(a) for a in alpha)
            monomial = sp.Mul(*((s - at[s]) ** a for s, a in zip(symbols, alpha, strict=True)))
            terms.append(coefficient / scale * monomial)
    return sp.Add(*terms)


def _multi_indices(count: int, degree: int) -> list[tuple[int, ...]]:
    """Every α ∈ ℕ^count with |α| = degree (the stars-and-bars compositions)."""
    return [
        tuple(b - a - 1 for a, b in zip((-1, *bars), (*bars, degree + count - 1), strict=True))
        for bars in itertools.combinations(range(degree + count - 1), count - 1)
    ]


def _first_nonzero(alpha: tuple[int, ...]) -> int:
    return next(i for i, a in enumerate(alpha) if a)


def _lowered(alpha: tuple[int, ...]) -> tuple[int, ...]:
    """α with one fewer derivative in its first differentiated variable: the derivative it comes from."""
    i = _first_nonzero(alpha)
    return (*alpha[:i], alpha[i] - 1, *alpha[i + 1 :])
