"""Derivatives, worked derivation steps, gradients, Hessians, directional derivatives and numeric diffs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.evaluation import numeric_function
from core.expressions import sigmoid, to_latex
from core.taylor import taylor_polynomial  # noqa: F401  (core.calculus is where the API is documented)
from core.timelimit import run_with_time_limit


def symbol_for(expr: sp.Expr, variable: str | sp.Symbol) -> sp.Symbol:
    """The expression's own symbol with this name (real, as the parser makes them)."""
    name = variable.name if isinstance(variable, sp.Symbol) else variable
    for symbol in expr.free_symbols:
        if symbol.name == name:
            return symbol
    return sp.Symbol(name, real=True)


def derivative(expr: sp.Expr, variable: str | sp.Symbol) -> sp.Expr:
    """d expr / d variable, as SymPy gives it (σ′ stays σ(1 − σ), tanh′ stays 1 − tanh²)."""
    return sp.diff(expr, symbol_for(expr, variable))


def gradient(expr: sp.Expr, variables: Sequence[str | sp.Symbol]) -> tuple[sp.Expr, ...]:
    """The vector of partial derivatives, one per variable, in the order given."""
    return tuple(derivative(expr, v) for v in variables)


def hessian(expr: sp.Expr, variables: Sequence[str | sp.Symbol]) -> sp.Matrix:
    """The matrix of second partial derivatives."""
    return sp.hessian(expr, [symbol_for(expr, v) for v in variables])


def _names(variables: Sequence[str | sp.Symbol]) -> tuple[str, ...]:
    return tuple(v.name if isinstance(v, sp.Symbol) else v for v in variables)


def unit_vector(direction: Sequence[float]) -> np.ndarray:
    """``direction`` scaled to length 1; a zero or non-finite direction is a ValueError."""
    u = np.asarray(direction, dtype=float)
    norm = float(np.linalg.norm(u)) if np.all(np.isfinite(u)) else float("nan")
    if not np.isfinite(norm) or norm == 0.0:
        raise ValueError(f"direction must be a non-zero, finite vector. Got {tuple(u.tolist())} instead.")
    return u / norm


def gradient_at(expr: sp.Expr, variables: Sequence[str | sp.Symbol], point: Sequence[float]) -> np.ndarray:
    """∇f evaluated at a point, as floats; a ValueError where it is undefined."""
    names = _names(variables)
    if len(point) != len(names):
        raise ValueError(f"point must have {len(names)} coordinates. Got {len(point)} instead.")
    # f itself is checked too: ln(x) has a formal gradient at x < 0 where f is undefined
    values = [float(numeric_function(g, names)(*point)) for g in (expr, *gradient(expr, names))]
    if not np.all(np.isfinite(values)):
        where = ", ".join(f"{p:g}" for p in point)
        raise ValueError(f"The gradient is undefined at ({where}).")
    return np.array(values[1:])


def directional_derivative(
    expr: sp.Expr, variables: Sequence[str | sp.Symbol], point: Sequence[float], direction: Sequence[float]
) -> float:
    """D_u f(p) = ∇f(p) · u with u = direction / |direction| (the direction need not be unit length)."""
    u = unit_vector(direction)
    if len(u) != len(variables):
        raise ValueError(f"direction must have {len(variables)} components. Got {len(u)} instead.")
    return float(gradient_at(expr, variables, point) @ u)


# ---------------------------------------------------------------------------------------------------
# Worked derivations


@dataclass(frozen=True)
class Step:
    """One line of a worked derivation: the rule used and the line itself in LaTeX."""

    rule: str
    latex: str


_RULE_FOR_FUNCTION: dict[type, str] = {
    sp.exp: "exp",
    sp.log: "log",
    sp.sin: "trig",
    sp.cos: "trig",
    sp.tan: "trig",
    sp.asin: "inverse trig",
    sp.acos: "inverse trig",
    sp.atan: "inverse trig",
    sp.sinh: "hyperbolic",
    sp.cosh: "hyperbolic",
    sp.tanh: "tanh",
    sigmoid: "sigmoid",
    sp.Abs: "abs",
}

MAX_STEPS = 60


def _wrapped(expr: sp.Expr) -> str:
    """LaTeX of a factor, in parentheses when it is a sum (so products read unambiguously)."""
    return rf"\left({to_latex(expr)}\right)" if expr.is_Add else to_latex(expr)


class _Derivation:
    def __init__(self, variable: sp.Symbol):
        self.x = variable
        self.steps: list[Step] = []

    def d(self, expr: sp.Expr) -> str:
        return rf"\frac{{d}}{{d{to_latex(self.x)}}}\left[{to_latex(expr)}\right]"

    @staticmethod
    def d_du(expr: sp.Expr) -> str:
        return rf"\frac{{d}}{{du}}\left[{to_latex(expr)}\right]"

    def add(self, rule: str, *parts: str) -> None:
        if len(self.steps) < MAX_STEPS:
            self.steps.append(Step(rule, " = ".join(parts)))

    def walk(self, expr: sp.Expr) -> None:
        if len(self.steps) >= MAX_STEPS:
            return
        x = self.x
        result = to_latex(sp.diff(expr, x))
        if not expr.has(x):
            self.add("constant", self.d(expr), "0")
        elif expr == x:
            self.add("power", self.d(expr), "1")
        elif expr.is_Add:
            self._sum(expr, result)
        elif expr.is_Mul:
            self._product(expr, result)
        elif expr.is_Pow:
            self._power(expr, result)
        elif isinstance(expr, sp.Max | sp.Min):
            self._max_min(expr, result)
        elif isinstance(expr, sp.Function) and len(expr.args) == 1:
            self._function(expr, result)
        else:
            self.add("differentiate", self.d(expr), result)

    def _sum(self, expr: sp.Expr, result: str) -> None:
        terms = expr.as_ordered_terms()
        pieces = " + ".join(self.d(t) for t in terms).replace("+ -", "-")
        rule = "sum/difference"
        self.add(rule, self.d(expr), pieces, result)
        for term in terms:
            self.walk(term)

    def _product(self, expr: sp.Expr, result: str) -> None:
        coefficient, rest = expr.as_independent(self.x, as_Add=False)
        if coefficient != 1:
            self.add(
                "constant multiple", self.d(expr), rf"{to_latex(coefficient)} \cdot {self.d(rest)}", result
            )
            self.walk(rest)
            return
        numerator, denominator = sp.fraction(expr)
        if denominator.has(self.x) and numerator != 1:
            u, v = numerator, denominator
            top = rf"{self.d(u)} \cdot {_wrapped(v)} - {_wrapped(u)} \cdot {self.d(v)}"
            form = rf"\frac{{{top}}}{{{to_latex(v**2)}}}"
            self.add("quotient", self.d(expr), form, result)
            self.walk(u)
            self.walk(v)
            return
        u, *others = expr.as_ordered_factors()
        v = sp.Mul(*others)
        form = rf"{self.d(u)} \cdot {_wrapped(v)} + {_wrapped(u)} \cdot {self.d(v)}"
        self.add("product", self.d(expr), form, result)
        self.walk(u)
        self.walk(v)

    def _power(self, expr: sp.Pow, result: str) -> None:
        base, exponent = expr.as_base_exp()
        x = self.x
        if not exponent.has(x):
            if base == x:
                self.add("power", self.d(expr), result)
                return
            u = sp.Symbol("u", real=True)
            self.add("power", self.d_du(u**exponent), to_latex(sp.diff(u**exponent, u)))
            outer = to_latex(exponent * base ** (exponent - 1))
            self.add("chain", self.d(expr), rf"{outer} \cdot {self.d(base)}", result)
            self.walk(base)
        elif not base.has(x) and exponent == x:
            self.add("exp", self.d(expr), result)
        elif not base.has(x):
            self.add(
                "exp",
                self.d(expr),
                rf"{to_latex(expr)} \ln\left({to_latex(base)}\right) \cdot {self.d(exponent)}",
                result,
            )
            self.walk(exponent)
        else:
            form = (
                rf"{to_latex(expr)} \left({self.d(exponent)} \ln\left({to_latex(base)}\right)"
                rf" + {to_latex(exponent)} \cdot \frac{{{self.d(base)}}}{{{to_latex(base)}}}\right)"
            )
            self.add("general power", self.d(expr), form, result)
            self.walk(base)
            self.walk(exponent)

    def _max_min(self, expr: sp.Expr, result: str) -> None:
        args = expr.args
        if isinstance(expr, sp.Max) and len(args) == 2 and 0 in args:
            inner = args[1] if args[0] == 0 else args[0]
            u = to_latex(inner)
            form = rf"\begin{{cases}} {self.d(inner)} & {u} > 0 \\ 0 & {u} < 0 \end{{cases}}"
            self.add("relu", self.d(expr), form + rf" \quad (\text{{undefined where }} {u} = 0)")
            if inner != self.x:
                self.walk(inner)
            return
        self.add("max/min", self.d(expr), result + r" \quad (\text{undefined where the arguments tie})")

    def _function(self, expr: sp.Function, result: str) -> None:
        rule = _RULE_FOR_FUNCTION.get(type(expr), "differentiate")
        (inner,) = expr.args
        if inner == self.x:
            self.add(rule, self.d(expr), result)
            return
        u = sp.Symbol("u", real=True)
        outer = expr.func(u)
        self.add(rule, self.d_du(outer), to_latex(sp.diff(outer, u)))
        outer_at_inner = to_latex(sp.diff(outer, u).subs(u, inner))
        self.add("chain", self.d(expr), rf"{outer_at_inner} \cdot {self.d(inner)}", result)
        self.walk(inner)


def derivative_steps(expr: sp.Expr, variable: str | sp.Symbol) -> list[Step]:
    """The rules applied to differentiate ``expr``, outermost first, each a line of LaTeX.

    Rules: constant, power, constant multiple, sum/difference, product, quotient, chain, exp, log, trig,
    inverse trig, hyperbolic, tanh, sigmoid, relu, abs, max/min, general power. At most ``MAX_STEPS`` lines.
    """
    derivation = _Derivation(symbol_for(expr, variable))
    derivation.walk(expr)
    return derivation.steps


# ---------------------------------------------------------------------------------------------------
# Numeric differentiation


def forward_difference(f: Callable[[np.ndarray], np.ndarray], x0: float, h: np.ndarray | float) -> np.ndarray:
    """(f(x0 + h) − f(x0)) / h: error O(h)."""
    h = np.asarray(h, dtype=float)
    with np.errstate(all="ignore"):
        return (f(x0 + h) - f(np.full_like(h, x0))) / h


def central_difference(f: Callable[[np.ndarray], np.ndarray], x0: float, h: np.ndarray | float) -> np.ndarray:
    """(f(x0 + h) − f(x0 − h)) / (2h): error O(h²)."""
    h = np.asarray(h, dtype=float)
    with np.errstate(all="ignore"):
        return (f(x0 + h) - f(x0 - h)) / (2 * h)


def numeric_derivative(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray | float) -> np.ndarray:
    """f′ at every x by SciPy's adaptive finite differences (the successor of the seed's
    ``scipy.misc.derivative``); NaN where the estimate is not finite (f undefined nearby, a pole)."""
    # imported here: every 2-D page imports this module, and only the Derivative page needs SciPy's (0.13 s)
    from scipy.differentiate import derivative

    with np.errstate(all="ignore"):
        values = np.asarray(derivative(f, np.asarray(x, dtype=float), initial_step=0.01, maxiter=6).df)
    return np.where(np.isfinite(values), values, np.nan)


@dataclass(frozen=True)
class Differentiability:
    differentiable: bool
    reason: str = ""
    left_slope: float = float("nan")
    right_slope: float = float("nan")


_KINKS = (sp.Abs, sp.Max, sp.Min, sp.Heaviside, sp.sign)


def has_kink(expr: sp.Expr) -> bool:
    """Whether f contains a function with corners or jumps (abs, relu, max, min, Heaviside, sign)."""
    return any(expr.has(kind) for kind in _KINKS)


VERTICAL_SLOPE = 1e4  # one-sided difference quotients this steep at h = 1e-6 mean a vertical tangent


def differentiability_at(
    expr: sp.Expr,
    variable: str,
    x0: float,
    *,
    f: Callable[..., np.ndarray] | None = None,
    f_prime: Callable[..., np.ndarray] | None = None,
) -> Differentiability:
    """Is f differentiable at x0? Checks the domain, kinks (abs, relu, max, min) and vertical tangents.

    ``f``, ``f_prime``: f and f′ already compiled (``core.univariate.Univariate``), so a moved point does
    not differentiate and compile again (compiling f was a tenth of the derivative page's rerun).
    """
    if f is None:
        f = numeric_function(expr, (variable,))
    fx0 = float(f(x0))
    if not np.isfinite(fx0):
        return Differentiability(False, f"f is undefined at x = {x0:g}, so it has no derivative there.")
    h = 1e-6 * max(1.0, abs(x0))
    left = float((fx0 - f(x0 - h)) / h)
    right = float((f(x0 + h) - fx0) / h)
    kinked = has_kink(expr)
    finite = np.isfinite(left) and np.isfinite(right)
    if kinked and finite and abs(left - right) > 1e-3 * (1.0 + abs(left) + abs(right)):
        return Differentiability(
            False,
            f"f has a corner at x = {x0:g}: its slope is {left:.4g} from the left and {right:.4g} from "
            "the right, so f′ is undefined there.",
            left,
            right,
        )
    if f_prime is None:
        f_prime = numeric_function(derivative(expr, variable), (variable,))
    slope = float(f_prime(x0))
    if not np.isfinite(slope):
        if not finite:
            return Differentiability(False, f"f is defined only on one side of x = {x0:g} here.", left, right)
        if min(abs(left), abs(right)) > VERTICAL_SLOPE and left * right > 0:
            return Differentiability(
                False, f"f′ is undefined at x = {x0:g} (the tangent is vertical).", left, right
            )
        # 0^x at x = 1: f is flat nearby, but SymPy's rule for f′ has no value here (ln 0)
        return Differentiability(
            False,
            f"SymPy's formula for f′ has no value at x = {x0:g}, although f's difference quotients there are "
            f"{left:.4g} from the left and {right:.4g} from the right: rewrite f so that its derivative is "
            "defined here.",
            left,
            right,
        )
    return Differentiability(True, "", left, right)


def simplified(expr: sp.Expr, *, time_limit: float = 1.0) -> tuple[sp.Expr, bool]:
    """``sympy.simplify(expr)`` if it finishes within ``time_limit`` seconds, else ``expr`` unchanged.

    Returns (expression, whether it was simplified in time).
    """
    outcome = run_with_time_limit(sp.simplify, expr, time_limit=time_limit)
    if outcome.ok:
        return outcome.value, True
    return expr, False
