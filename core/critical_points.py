"""Solve ∇f = 0 and classify each solution by the Hessian's eigenvalues — within a time limit, always.

Symbolic first, in a child process killed at the limit (``core.timelimit``): SymPy's ``solve`` answers the
seed's examples in milliseconds but runs for many seconds on innocent inputs such as Himmelblau's function.
When it times out, fails, or f contains periodic functions (``solve`` would return only some of possibly
infinitely many points), a numeric search takes over: ``scipy.optimize.root`` with the Hessian as Jacobian
from a grid of starts over the window, de-duplicated and verified by |∇f| ≈ 0.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from core.critical_search import (
    NUMERIC_TIME_LIMIT,
    SEARCH_POINTS_PER_AXIS,
    Derivatives,
    inside,
    numeric_search,
    verified,
    window_width,
)
from core.critical_search import (
    STARTS_PER_AXIS as STARTS_PER_AXIS,  # re-exported: the evaluation-cap test sizes the Hessian's starts
)
from core.evaluation import numeric_function
from core.expressions import to_latex
from core.timelimit import CHILD_MEMORY_MB, run_with_time_limit

KINDS = ("minimum", "maximum", "saddle", "degenerate")
MAX_TIME_LIMIT = 10.0
_PERIODIC = (sp.sin, sp.cos, sp.tan)


@dataclass(frozen=True)
class PointMarks:
    """Critical points of one kind, ready to plot."""

    kind: str
    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    hover: Sequence[str]


@dataclass(frozen=True)
class CriticalPoint:
    location: tuple[float, ...]
    value: float
    eigenvalues: tuple[float, ...]  # ascending
    eigenvectors: tuple[tuple[float, ...], ...]  # unit vectors, one per eigenvalue
    hessian: tuple[tuple[float, ...], ...]
    determinant: float
    kind: str  # one of KINDS
    method: str  # "symbolic" or "numeric"
    exact: str = ""  # LaTeX of the exact location when SymPy found it


@dataclass(frozen=True)
class CriticalPointReport:
    points: list[CriticalPoint]
    message: str
    method: str  # "symbolic", "numeric"
    seconds: float
    families: tuple[str, ...] = ()  # LaTeX equations of curves made entirely of critical points
    family_curves: tuple[tuple[np.ndarray, ...], ...] = field(default=(), repr=False)  # sampled in bounds
    server_busy: bool = False  # symbolic solving never started (no free worker): a later try may do better


# ---------------------------------------------------------------------------------------------------
# classification


def classify(eigenvalues: Sequence[float], *, tolerance: float = 1e-7) -> str:
    """The second-derivative test: all > 0 minimum, all < 0 maximum, mixed saddle, any ≈ 0 degenerate."""
    values = np.asarray(eigenvalues, dtype=float)
    scale = max(1.0, float(np.max(np.abs(values)))) if values.size else 1.0
    if np.any(np.abs(values) <= tolerance * scale):
        return "degenerate"
    if np.all(values > 0):
        return "minimum"
    if np.all(values < 0):
        return "maximum"
    return "saddle"


ZERO_VALUE = 1e-12


def _point(location, hessian_at, f, method: str, exact: str = "") -> CriticalPoint:
    matrix = np.asarray(hessian_at(*location), dtype=float)
    eigenvalues, eigenvectors = np.linalg.eigh((matrix + matrix.T) / 2)
    value = float(f(*location))
    return CriticalPoint(
        location=tuple(float(v) for v in location),
        # a numeric root is only accurate to ~1e-15, so f there is float noise around 0 (Himmelblau's minima
        # came out as 7.9e-31): show that as the 0 it is
        value=0.0 if abs(value) < ZERO_VALUE else value,
        eigenvalues=tuple(float(v) for v in eigenvalues),
        eigenvectors=tuple(tuple(float(c) for c in eigenvectors[:, i]) for i in range(len(eigenvalues))),
        hessian=tuple(tuple(float(v) for v in row) for row in matrix),
        determinant=float(np.linalg.det(matrix)),
        kind=classify(eigenvalues),
        method=method,
        exact=exact,
    )


# ---------------------------------------------------------------------------------------------------
# symbolic step (runs in a child process: everything it returns must pickle)


def _solve_symbolically(equations: list[sp.Expr], symbols: list[sp.Symbol]) -> list[dict]:
    return sp.solve(equations, symbols, dict=True)


def _real_value(value: sp.Expr) -> float | None:
    number = complex(sp.N(value, 30))
    if abs(number.imag) > 1e-9 * max(1.0, abs(number.real)):
        return None
    return number.real


def _family_curve(solution: dict, symbols: list[sp.Symbol], bounds) -> tuple[np.ndarray, ...]:
    """Sample a one-parameter family such as {x: y} (x expressed through the free y) inside the bounds."""
    free = [s for s in symbols if s not in solution]
    if len(free) != 1:
        return ()
    (parameter,) = free
    index = symbols.index(parameter)
    t = np.linspace(*bounds[index], 200)
    coordinates = []
    for s in symbols:
        expr = solution.get(s, s)
        values = np.broadcast_to(numeric_function(expr, (parameter.name,))(t), t.shape).astype(float)
        coordinates.append(values)
    inside = np.ones_like(t, dtype=bool)
    for values, (low, high) in zip(coordinates, bounds, strict=True):
        inside &= (values >= low) & (values <= high)
    return tuple(np.where(inside, values, np.nan) for values in coordinates)


# ---------------------------------------------------------------------------------------------------
# explanations


def _no_solution_message(expr: sp.Expr, symbols: list[sp.Symbol], grad: tuple[sp.Expr, ...]) -> str:
    """Why ∇f = 0 has no solution. For a quadratic f with a singular Hessian H, a null vector d of H makes
    d·∇f a nonzero constant: the partials contradict each other, and f changes at that constant rate
    along d, so it is unbounded."""
    h = sp.hessian(expr, symbols)
    null = h.nullspace() if all(entry.is_number for entry in h) else []
    if null:
        d = null[0] / max(null[0], key=abs)
        rate = sp.simplify(sum(w * g for w, g in zip(d, grad, strict=True)))
        if rate.is_number and rate != 0:
            combination = " + ".join(
                (
                    rf"{to_latex(w)}\,\partial f/\partial {s.name}"
                    if w != 1
                    else rf"\partial f/\partial {s.name}"
                )
                for w, s in zip(d, symbols, strict=True)
                if w != 0
            ).replace("+ -", "- ")
            direction = ", ".join(to_latex(w) for w in d)
            return (
                f"There is no critical point: ${combination} = {to_latex(rate)}$ everywhere, so the gradient "
                "is never zero. The Hessian is singular (determinant 0), and along the direction "
                f"$({direction})$ f changes at the constant rate {to_latex(rate)} per unit step, so it is "
                "unbounded above and below: no minimum and no maximum."
            )
    return "There is no critical point: the equations ∇f = 0 have no real solution."


# ---------------------------------------------------------------------------------------------------
# the public entry point


def find_critical_points(
    expr: sp.Expr,
    variables: Sequence[str],
    *,
    bounds: Sequence[tuple[float, float]],
    time_limit: float = 2.0,
) -> CriticalPointReport:
    """Critical points of ``expr`` inside ``bounds`` (one (low, high) pair per variable), classified.

    Returns within ``time_limit`` seconds plus the numeric search's small, bounded cost.
    """
    start = time.perf_counter()
    variables = tuple(variables)
    bounds = [tuple(float(v) for v in pair) for pair in bounds]
    if len(bounds) != len(variables) or not all(
        math.isfinite(low) and math.isfinite(high) and low < high for low, high in bounds
    ):
        raise ValueError(f"bounds must be one finite (low, high) pair per variable. Got {bounds} instead.")
    if not (isinstance(time_limit, int | float) and 0 < time_limit <= MAX_TIME_LIMIT):
        raise ValueError(f"time_limit must be > 0 and <= {MAX_TIME_LIMIT:g}. Got {time_limit!r} instead.")

    d = Derivatives.of(expr, variables)
    symbols, grad, f, hessian_at = list(d.symbols), d.gradient, d.f, d.hessian_at

    width = window_width(bounds)
    window = " × ".join(f"[{low:g}, {high:g}]" for low, high in bounds)
    cut_short = []

    def numeric_points(known=()):
        deadline = time.perf_counter() + NUMERIC_TIME_LIMIT
        locations, stopped = numeric_search(d, bounds, deadline)
        cut_short.append(stopped)
        return [
            _point(loc, hessian_at, f, "numeric")
            for loc in locations
            if all(np.linalg.norm(np.subtract(loc, other)) > 1e-6 * width for other in known)
        ]

    def stopped_note():
        return (
            f" The numeric search stopped at its {NUMERIC_TIME_LIMIT:g} s limit, so it may have missed some."
            if any(cut_short)
            else ""
        )

    def report(points, message, method, **extra):
        return CriticalPointReport(sorted(points, key=lambda p: p.location), message, method,
                                   time.perf_counter() - start, **extra)  # fmt: skip

    if _undefined_everywhere(f, bounds):
        message = (
            f"f is undefined (not a real number) everywhere in {window}, for example a square root or "
            "logarithm of negative numbers, so it has no critical points there: a critical point needs f "
            "and its gradient defined. Try another window or formula."
        )
        return report([], message, "numeric")
    busy = False
    if expr.has(*_PERIODIC):
        reason = (
            "f contains periodic functions (sin, cos, tan), for which symbolic solving returns only some "
            "of the solutions."
        )
    else:
        outcome = run_with_time_limit(_solve_symbolically, list(grad), symbols, time_limit=time_limit)
        if outcome.ok:
            solutions = outcome.value
            if not solutions:
                return report([], _no_solution_message(expr, symbols, grad), "symbolic")
            families = [s for s in solutions if len(s) < len(symbols) or any(
                v.free_symbols for v in s.values())]  # fmt: skip
            points, undefined = [], 0
            for solution in solutions:
                if solution in families:
                    continue
                location = [_real_value(solution[s]) for s in symbols]
                if None in location or not inside(location, bounds, slack=1e-9 * width):
                    continue
                # SymPy solves ∇f = 0 as formulas, also where f itself is undefined (the origin for
                # sqrt(-x² - y² - 1)): each solution must hold in real numbers
                if not verified(location, d, bounds):
                    undefined += 1
                    continue
                exact = ", ".join(to_latex(solution[s]) for s in symbols)
                points.append(_point(location, hessian_at, f, "symbolic", exact if len(exact) < 120 else ""))
            equations = tuple(
                ", ".join(f"{to_latex(s)} = {to_latex(v)}" for s, v in family.items()) for family in families
            )
            curves = tuple(c for c in (_family_curve(family, symbols, bounds) for family in families) if c)
            message = _symbolic_message(points, equations, window, undefined)
            if not families:
                # SymPy's solve can silently return too few solutions (it did for the six-hump camel, whose
                # coefficients are floats): a numeric search of the window catches what it missed
                missed = numeric_points(known=[p.location for p in points])
                if missed:
                    points += missed
                    message += (
                        f" A numeric search of the window found {len(missed)} more that SymPy's answer "
                        "missed (marked numeric)."
                    )
                message += stopped_note()
            return report(points, message, "symbolic", families=equations, family_curves=curves)
        busy = outcome.busy
        if busy:
            reason = (
                f"Symbolic solving waited {time_limit:g} s for a free worker: the server was busy with "
                "other people's symbolic work."
            )
        elif outcome.timed_out:
            reason = f"Symbolic solving did not finish within {time_limit:g} s."
        elif outcome.out_of_memory:
            reason = (
                f"Symbolic solving needed more than its {CHILD_MEMORY_MB} MB of memory, so it was stopped."
            )
        else:
            reason = "Symbolic solving could not handle this system."

    points = numeric_points()
    found = f"found {len(points)} critical point{'s' if len(points) != 1 else ''}" if points else "found none"
    message = (
        f"{reason} A numeric search from the lowest points of |∇f| on a {SEARCH_POINTS_PER_AXIS}×"
        f"{SEARCH_POINTS_PER_AXIS} grid {found} in {window}; it may miss points outside this window."
        + stopped_note()
    )
    return report(points, message, "numeric", server_busy=busy)


def _undefined_everywhere(f, bounds) -> bool:
    """Whether f has no real value anywhere on the search grid over the window."""
    axes = [np.linspace(low, high, SEARCH_POINTS_PER_AXIS) for low, high in bounds]
    values = np.broadcast_to(f(*np.meshgrid(*axes, indexing="ij")), (SEARCH_POINTS_PER_AXIS,) * len(bounds))
    return bool(np.isnan(values).all())


def _symbolic_message(
    points: list[CriticalPoint], families: tuple[str, ...], window: str, undefined: int
) -> str:
    parts = []
    if points:
        plural = "s" if len(points) != 1 else ""
        parts.append(f"SymPy solved ∇f = 0 exactly: {len(points)} critical point{plural} in {window}.")
    elif not families:
        where = "no critical point lies in" if undefined else "none of its solutions lies in"
        parts.append(f"SymPy solved ∇f = 0 exactly; {where} {window}.")
    if undefined:
        these = (
            "One solution in the window is" if undefined == 1 else f"{undefined} solutions in the window are"
        )
        parts.append(
            f"{these} left out: f or its gradient is not a real number there (SymPy solves the formulas, "
            "also where they are undefined), so it is not a critical point."
        )
    for equation in families:
        parts.append(
            f"Infinitely many critical points: every point with ${equation}$ is one (a whole curve, where "
            "the Hessian is singular)."
        )
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------------
# what the page plots


def marks_by_kind(points: Sequence[CriticalPoint]) -> list[PointMarks]:
    """Group points by kind (in the order of KINDS) with hover text, for the figure builders."""
    marks = []
    for kind in KINDS:
        group = [p for p in points if p.kind == kind]
        if group:
            marks.append(
                PointMarks(
                    kind=kind,
                    x=np.array([p.location[0] for p in group]),
                    y=np.array([p.location[1] for p in group]),
                    z=np.array([p.value for p in group]),
                    hover=[
                        f"{kind} at ({p.location[0]:.4g}, {p.location[1]:.4g})<br>f = {p.value:.4g}<br>"
                        f"eigenvalues {p.eigenvalues[0]:.4g}, {p.eigenvalues[1]:.4g}"
                        for p in group
                    ],
                )
            )
    return marks


def eigenvector_segments(points: Sequence[CriticalPoint], length: float) -> tuple[np.ndarray, np.ndarray]:
    """Line segments of the given length through each point along each Hessian eigenvector (NaN-separated)."""
    xs: list[float] = []
    ys: list[float] = []
    for point in points:
        px, py = point.location
        for vx, vy in point.eigenvectors:
            half = length / 2
            xs += [px - half * vx, px + half * vx, np.nan]
            ys += [py - half * vy, py + half * vy, np.nan]
    return np.array(xs), np.array(ys)


def second_derivative_test(point: CriticalPoint) -> str:
    """The second-derivative test for one point, in words and LaTeX (Markdown with $...$)."""
    (a, b), (_, c) = point.hessian
    d = point.determinant
    low, high = point.eigenvalues
    matrix = rf"H = \begin{{pmatrix}} {a:.4g} & {b:.4g} \\ {b:.4g} & {c:.4g} \end{{pmatrix}}"
    facts = rf"$\det H = f_{{xx}} f_{{yy}} - f_{{xy}}^2 = {d:.4g}$, eigenvalues ${low:.4g}$ and ${high:.4g}$."
    verdict = {
        "minimum": "Both eigenvalues are positive (det H > 0 and f_xx > 0): f curves up in every "
        "direction, so this is a **local minimum**.",
        "maximum": "Both eigenvalues are negative (det H > 0 and f_xx < 0): f curves down in every "
        "direction, so this is a **local maximum**.",
        "saddle": "The eigenvalues have opposite signs (det H < 0): f curves up along one eigenvector and "
        "down along the other, so this is a **saddle point**.",
        "degenerate": "An eigenvalue is zero (det H = 0): the second-derivative test is **inconclusive**. "
        "Higher-order terms decide — x⁴ + y⁴ has a minimum there, the monkey saddle x³ − 3xy² has none.",
    }[point.kind]
    return f"${matrix}$\n\n{facts}\n\n{verdict}"


NUMERIC_COLUMNS = ("f(x, y)", "λ₁", "λ₂", "det H")


def table(points: Sequence[CriticalPoint]) -> dict[str, list]:
    """One row per point, most telling columns first (a narrow column on a projector cuts off the rest)."""
    return {
        "point": ["(" + ", ".join(f"{v:.4g}" for v in p.location) + ")" for p in points],
        "kind": [p.kind for p in points],
        "f(x, y)": [p.value for p in points],
        "λ₁": [p.eigenvalues[0] for p in points],
        "λ₂": [p.eigenvalues[-1] for p in points],
        "det H": [p.determinant for p in points],
        "found": [p.method for p in points],
    }
