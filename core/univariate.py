"""Everything the Derivative page shows about one f(x): presets, f′ symbolic and numeric, tangent, secant,
and the error of finite differences against the step h."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core.calculus import (
    Differentiability,
    Step,
    central_difference,
    derivative,
    derivative_steps,
    differentiability_at,
    forward_difference,
    numeric_derivative,
    simplified,
)
from core.evaluation import grid_axes, numeric_function
from core.expressions import parse_expression, to_latex
from core.jsformula import to_javascript
from core.numbers import format_number
from core.preparation import bounded_preparation, check_derivative
from core.taylor import taylor_polynomial
from core.timelimit import run_with_time_limit

VARIABLES = ("x",)
X_LIMIT = 50.0
H_EXPONENTS = (-12.0, 0.0)
CURVE_POINTS = 1000  # as the seed's np.linspace(-2, 3, 1000)
ERROR_CURVE_POINTS = 121
# steps offered for h: 1, 2 and 5 times each power of ten from 1e-12 to 1
ERROR_GUIDES = ("O(h)", "O(h²)", "rounding ε|f(x₀)|/h")  # the reference lines of the error chart
STEP_CHOICES = (*(float(f"{m}e{k}") for k in range(-12, 0) for m in (1, 2, 5)), 1.0)


def format_step(h: float) -> str:
    """1e-05 -> '1e-5', 0.2 -> '0.2': short enough for a slider label."""
    return f"{h:g}" if h >= 1e-3 else f"{h:.0e}".replace("e-0", "e-")


@dataclass(frozen=True)
class Preset:
    formula: str  # may contain {c} or {n}, filled from the preset's parameter
    parameter: str = ""  # "c" or "n" (or "" for none)


# The seed's table of derivatives, row by row, and its cubic (the default). The names are short because
# they appear in links (?fn=Sigmoid).
PRESETS: dict[str, Preset] = {
    "Cubic (seed)": Preset("x^3 - 2x^2 + 3x - 1"),
    "Constant": Preset("{c}", "c"),
    "Identity": Preset("x"),
    "Power": Preset("x^{n}", "n"),
    "Exponential": Preset("e^x"),
    "Natural log": Preset("ln(x)"),
    "Sine": Preset("sin(x)"),
    "Cosine": Preset("cos(x)"),
    "Sigmoid": Preset("sigmoid(x)"),
    "Tanh": Preset("tanh(x)"),
    "ReLU": Preset("relu(x)"),
}
DEFAULT = "Cubic (seed)"


def preset_formula(name: str, *, c: float = 3.0, n: int = 3) -> str:
    """The formula text of a preset with its parameter filled in."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {', '.join(map(repr, PRESETS))}. Got {name!r} instead.")
    if not -20 <= n <= 20:
        raise ValueError(f"n must be between -20 and 20. Got {n} instead.")
    if not (math.isfinite(c) and abs(c) <= 1000):
        raise ValueError(f"c must be a finite number between -1000 and 1000. Got {c} instead.")
    value = f"({c:g})" if c < 0 else f"{c:g}"
    return PRESETS[name].formula.format(c=value, n=f"({n})" if n < 0 else n)


@dataclass(frozen=True)
class Univariate:
    """A parsed f(x) with its derivative, ready to evaluate. Immutable, so one copy can serve all sessions."""

    expr: sp.Expr
    derivative: sp.Expr
    derivative_display: sp.Expr  # simplified when SymPy managed within its time limit
    steps: tuple[Step, ...]
    f: Callable[..., np.ndarray]
    f_prime: Callable[..., np.ndarray]
    latex: str  # printed in the bounded child, like everything symbolic about f
    derivative_latex: str


@bounded_preparation
def _worked_out(text: str) -> tuple[sp.Expr, sp.Expr, tuple[Step, ...], str, str]:
    """The symbolic half of ``prepare``, run in a child killed at SYMBOLIC_TIME_LIMIT (core.preparation)."""
    expr = parse_expression(text, VARIABLES)
    d = derivative(expr, "x")
    check_derivative(expr, d, name="f′(x)")
    return expr, d, tuple(derivative_steps(expr, "x")), to_latex(expr), to_latex(d)


def prepare(text: str, *, simplify_time_limit: float = 1.0) -> Univariate:
    """Parse f(x) (untrusted text) and differentiate it, within SYMBOLIC_TIME_LIMIT and the size bounds of
    ``core.preparation.check_derivative``. Raises ``ExpressionError`` for a bad or too costly formula."""
    expr, d, steps, latex, derivative_latex = _worked_out(text)
    display = d
    if d.count_ops() > 3:
        candidate, _ = simplified(d, time_limit=simplify_time_limit)
        if candidate.count_ops() < d.count_ops():  # shorter than f′, whose size is bounded: cheap to print
            display, derivative_latex = candidate, to_latex(candidate)
    return Univariate(
        expr=expr,
        derivative=d,
        derivative_display=display,
        steps=steps,
        f=numeric_function(expr, VARIABLES),
        f_prime=numeric_function(d, VARIABLES),
        latex=latex,
        derivative_latex=derivative_latex,
    )


def browser_formulas(u: Univariate) -> dict[str, str]:
    """f and f′ as JavaScript for the live chart, or {} when either cannot be translated (the chart then
    asks the server at every settled move)."""
    formulas = {"f": to_javascript(u.expr, VARIABLES), "df": to_javascript(u.derivative, VARIABLES)}
    return formulas if all(formulas.values()) else {}


@dataclass(frozen=True)
class DerivativeView:
    """The arrays and numbers behind the Derivative page for one (f, window, x0, h)."""

    x: np.ndarray
    f: np.ndarray
    f_prime: np.ndarray
    f_prime_numeric: np.ndarray
    x0: float
    h: float
    f_x0: float
    slope: float  # f′(x0), symbolic; NaN where f is not differentiable
    forward_quotient: float  # (f(x0+h) − f(x0)) / h: the secant's slope
    central_quotient: float
    differentiability: Differentiability
    tangent: np.ndarray  # f(x0) + f′(x0)(x − x0) on the x grid
    secant: np.ndarray  # the line through (x0, f(x0)) and (x0+h, f(x0+h)) on the x grid
    secant_point: tuple[float, float]
    h_values: np.ndarray
    forward_error: np.ndarray  # |forward difference − f′(x0)|, NaN where exactly zero (log axis)
    central_error: np.ndarray
    y_range: tuple[float, float] | None
    guides: dict[str, np.ndarray]  # reference lines on the error chart, each over h_values (NaN off range)

    def guide(self, name: str) -> np.ndarray:
        """One reference line over ``h_values``, all NaN where it does not apply (f(x₀) = 0, no slope)."""
        return self.guides.get(name, np.full_like(self.h_values, np.nan))

    def readouts(self, *, reveal: bool) -> list[tuple[str, str, str]]:
        """(label, value, help) of the numbers beside the chart; an answer reads "?" until revealed, and
        none are shown where f′(x₀) does not exist (in quiz mode that too is an answer: they read "?")."""
        if reveal and not self.differentiability.differentiable:
            return []
        hidden = "?"
        return [
            ("f′(x₀)", format_number(self.slope) if reveal else hidden, "The exact derivative at x₀."),
            # as h shrinks the secant's slope reads f′(x₀) to ever more digits: an answer too
            (
                "Secant slope",
                format_number(self.forward_quotient) if reveal else hidden,
                "(f(x₀+h) − f(x₀)) / h",
            ),
            (
                "Gap",
                format_number(self.gap, ".3g") if reveal else hidden,
                "Secant slope − f′(x₀): the forward difference's error.",
            ),
            (
                "Central difference",
                format_number(self.central_quotient) if reveal else hidden,
                "(f(x₀+h) − f(x₀−h)) / 2h",
            ),
        ]

    def message(self, *, reveal: bool) -> str:
        """Why f′(x₀) does not exist (a corner's one-sided slopes, say), or "": in quiz mode, "" until
        revealed, since whether and why f′(x₀) exists is the answer."""
        status = self.differentiability
        if status.differentiable or not reveal:
            return ""
        return f"Not differentiable at x₀ = {format_number(self.x0, 'g')}. {status.reason}"

    @property
    def gap(self) -> float:
        return self.forward_quotient - self.slope

    @property
    def undefined_fraction(self) -> float:
        return float(np.isnan(self.f).mean())


def _robust_range(*arrays: np.ndarray) -> tuple[float, float] | None:
    """A y range that ignores spikes (poles of tan or 1/x) so the interesting part stays readable."""
    values = np.concatenate([a[np.isfinite(a)] for a in arrays])
    if values.size == 0:
        return None
    low, high = np.percentile(values, [1, 99])
    if values.max() - values.min() <= 3 * (high - low):  # no spikes: show everything
        low, high = values.min(), values.max()
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    pad = 0.12 * (high - low)
    return float(low - pad), float(high + pad)


def derivative_view(
    u: Univariate, *, x_range: tuple[float, float], x0: float, h: float, points: int = CURVE_POINTS
) -> DerivativeView:
    """Evaluate f, f′ (symbolic and numeric), the tangent at x0, the secant to x0 + h and the error curve."""
    low, high = x_range
    if not (-X_LIMIT <= low < high <= X_LIMIT):
        raise ValueError(f"x_range must lie within ±{X_LIMIT:g} with low < high. Got {x_range} instead.")
    if not (math.isfinite(x0) and abs(x0) <= X_LIMIT):
        raise ValueError(f"x0 must be a finite number in [-{X_LIMIT:g}, {X_LIMIT:g}]. Got {x0} instead.")
    if not (10 ** H_EXPONENTS[0] <= h <= 10 ** H_EXPONENTS[1]):
        raise ValueError(f"h must be between 1e-12 and 1. Got {h} instead.")
    x = grid_axes(low, high, points)
    fx = u.f(x)
    f_prime = u.f_prime(x)
    f_prime_numeric = numeric_derivative(u.f, x)

    f_x0 = float(u.f(x0))
    status = differentiability_at(u.expr, "x", x0, f=u.f, f_prime=u.f_prime)
    slope = float(u.f_prime(x0)) if status.differentiable else float("nan")
    forward = float(forward_difference(u.f, x0, h))
    central = float(central_difference(u.f, x0, h))
    f_x0h = float(u.f(x0 + h))

    h_values = np.logspace(-16, 0, ERROR_CURVE_POINTS)
    with np.errstate(all="ignore"):
        forward_error = np.abs(forward_difference(u.f, x0, h_values) - slope)
        central_error = np.abs(central_difference(u.f, x0, h_values) - slope)
    for errors in (forward_error, central_error):
        errors[~(errors > 0)] = np.nan  # exact zeros and NaN cannot sit on a log axis

    guides = _error_guides(h_values, forward_error, central_error, f_x0)
    return DerivativeView(
        x=x,
        f=fx,
        f_prime=f_prime,
        f_prime_numeric=f_prime_numeric,
        x0=float(x0),
        h=float(h),
        f_x0=f_x0,
        slope=slope,
        forward_quotient=forward,
        central_quotient=central,
        differentiability=status,
        tangent=f_x0 + slope * (x - x0),
        secant=f_x0 + forward * (x - x0),
        secant_point=(float(x0 + h), f_x0h),
        h_values=h_values,
        forward_error=forward_error,
        central_error=central_error,
        y_range=_robust_range(fx, f_prime),
        guides=guides,
    )


def _error_guides(
    h: np.ndarray, forward_error: np.ndarray, central_error: np.ndarray, f_x0: float
) -> dict[str, np.ndarray]:
    """Slope-1 and slope-2 lines through the errors at h = 0.01 (truncation), and ε|f(x₀)|/h (rounding)."""
    anchor = int(np.argmin(np.abs(np.log10(h) + 2)))
    guides: dict[str, np.ndarray] = {}
    for name, errors, order, shown_from in (
        (ERROR_GUIDES[0], forward_error, 1, 1e-7),
        (ERROR_GUIDES[1], central_error, 2, 1e-4),
    ):
        if np.isfinite(errors[anchor]):
            guides[name] = np.where(h >= shown_from, errors[anchor] * (h / h[anchor]) ** order, np.nan)
    if np.isfinite(f_x0) and f_x0 != 0:
        guides[ERROR_GUIDES[2]] = np.where(h <= 1e-3, np.finfo(float).eps * abs(f_x0) / h, np.nan)
    return guides


TAYLOR_ORDERS = (1, 2, 3, 4, 5)
TAYLOR_TIME_LIMIT = 2.0  # seconds for all five polynomials of a formula at one point


def _taylor_polynomials(expr: sp.Expr, x0: float) -> list[sp.Expr]:
    """Runs in a forked child: SymPy's derivatives of order 5 can grow large."""
    return [taylor_polynomial(expr, VARIABLES, (x0,), n) for n in TAYLOR_ORDERS]


@dataclass(frozen=True)
class TaylorView:
    """f and its Taylor polynomials T₁…T₅ at x₀ on the page's x grid, with the errors |f − Tₙ|."""

    x: np.ndarray
    f: np.ndarray
    polynomials: dict[int, np.ndarray]
    errors: dict[int, np.ndarray]  # NaN where exactly zero (a log axis) or undefined


def taylor_view(u: Univariate, *, x_range: tuple[float, float], x0: float) -> TaylorView | str:
    """The Taylor models of f at x₀, or a sentence saying why there are none (a kink or gap at x₀, or
    SymPy taking longer than TAYLOR_TIME_LIMIT)."""
    outcome = run_with_time_limit(_taylor_polynomials, u.expr, float(x0), time_limit=TAYLOR_TIME_LIMIT)
    if outcome.timed_out:
        return f"The Taylor polynomials of this f at x₀ = {x0:g} took longer than {TAYLOR_TIME_LIMIT:g} s."
    if not outcome.ok:
        return outcome.error.split(": ", 1)[-1]  # the ValueError's own sentence (a kink, an undefined f)
    x = grid_axes(*x_range, CURVE_POINTS)
    fx = u.f(x)
    polynomials = {
        n: numeric_function(t, VARIABLES)(x) for n, t in zip(TAYLOR_ORDERS, outcome.value, strict=True)
    }
    errors = {}
    with np.errstate(all="ignore"):
        for n, values in polynomials.items():
            error = np.abs(fx - values)
            error[~(error > 0)] = np.nan
            errors[n] = error
    return TaylorView(x=x, f=fx, polynomials=polynomials, errors=errors)
