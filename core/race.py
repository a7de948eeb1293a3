"""The optimizer race: several optimizers from one start on one f(x, y), their losses, a fair rate each."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from core import optimizers
from core.bivariate import Bivariate
from core.evaluation import scalar_function
from core.fields import contains
from core.validation import check_integer, check_option, check_real

NAMES = tuple(optimizers.FACTORIES)
# rates (all in RATE_CHOICES) that give a sensible race on the default function, Rosenbrock, untuned
DEFAULT_RATES = {
    "GD": 0.001,
    "Momentum": 0.0005,
    "Nesterov": 0.0005,
    "RMSProp": 0.01,
    "Adam": 0.05,
    "Newton": 1.0,
}
# learning rates offered (and tried by tune): 1, 2 and 5 per decade from 1e-5 to 2
RATE_CHOICES = tuple(float(f"{m}e{k}") for k in range(-5, 1) for m in (1, 2, 5) if m * 10.0**k <= 2.0)
TUNE_GRID = tuple(float(f"{m}e{k}") for k in range(-5, 1) for m in (1, 3))
MAX_RACE_STEPS = 1000
CONTOUR_POINTS = 121  # per axis of the contour map under the race
GRADIENT_TOLERANCE = 1e-3

STATE_NOTES = {
    "GD": "no memory: each step is −η times the current gradient.",
    "Momentum": "a velocity v, the running sum of past gradients decayed by β: it keeps rolling through "
    "flat stretches and across narrow valleys.",
    "Nesterov": "the same velocity, but the step adds β v to the current gradient, a look-ahead that brakes "
    "before overshooting.",
    "RMSProp": "a running average s of squared gradients per coordinate: steps are scaled by 1/√s, so steep "
    "and flat directions move at similar speeds.",
    "Adam": "both: a running mean m of gradients (momentum) and a running mean v of squared gradients "
    "(RMSProp), each corrected for starting at zero.",
    "Newton": "no memory, but the Hessian: it jumps to the minimum of the local quadratic model, and takes a "
    "gradient step where the Hessian is not positive definite (near saddles and maxima).",
}


@dataclass(frozen=True)
class RacerTrack:
    """One optimizer's path, thinned for drawing, and its position at each animation frame."""

    name: str
    line: np.ndarray  # (k, 2)
    positions: np.ndarray  # (n_frames, 2): where it is at each frame (its last point once it stopped)
    exit: tuple[float, float] | None = None  # where its path crosses the window's edge, if it leaves
    left_at: int | None = None  # the step of its first point outside the window


@dataclass(frozen=True)
class Racer:
    name: str
    learning_rate: float
    path: np.ndarray  # (k, 2), row 0 = start; shorter than steps + 1 if it diverged
    loss: np.ndarray  # f along the path
    gradient_norm: np.ndarray
    diverged: bool
    message: str
    gradient_steps: int = 0  # Newton only: steps that fell back to a gradient step


def _compiled(b: Bivariate):
    """Gradient and Hessian of one point, compiled for plain floats (optimizers step one point at a time)."""
    return _compiled_parts(b.gradient, tuple(b.hessian))


@functools.lru_cache(maxsize=64)
def _compiled_parts(gradient: tuple[sp.Expr, ...], hessian_entries: tuple[sp.Expr, ...]):
    # compiling took about 5 ms of every race; keyed on the expressions (the Hessian matrix is unhashable)
    grad_parts = [scalar_function(g, ("x", "y")) for g in gradient]
    hessian_parts = [scalar_function(entry, ("x", "y")) for entry in hessian_entries]

    def grad(v):
        return np.array([part(v[0], v[1]) for part in grad_parts])

    def hessian(v):
        return np.array([part(v[0], v[1]) for part in hessian_parts]).reshape(2, 2)

    return grad, hessian


def _check_race(names: Sequence[str], start: Sequence[float], n_steps: int) -> tuple[np.ndarray, int]:
    for name in names:
        check_option("optimizer", name, NAMES)
    point = np.array([check_real("start", float(v), low=-1e6, high=1e6) for v in start])
    return point, check_integer("n_steps", n_steps, low=1, high=MAX_RACE_STEPS)


def race(b: Bivariate, start: Sequence[float], n_steps: int, rates: dict[str, float]) -> list[Racer]:
    """Run each named optimizer (keys of ``rates``) from ``start`` for ``n_steps``."""
    point, n_steps = _check_race(list(rates), start, n_steps)
    grad, hessian = _compiled(b)
    racers = []
    for name, rate in rates.items():
        run = optimizers.trajectory(
            optimizers.FACTORIES[name](rate), grad, point, n_steps, hessian_fn=hessian
        )
        loss = b.f(run.path[:, 0], run.path[:, 1])
        dx, dy = b.gradient_at(run.path[:, 0], run.path[:, 1])
        racers.append(
            Racer(
                name=name,
                learning_rate=float(rate),
                path=run.path,
                loss=np.asarray(loss, dtype=float),
                gradient_norm=np.hypot(dx, dy),
                diverged=run.diverged,
                message=run.message,
                gradient_steps=getattr(run.final_state, "gradient_steps", 0),
            )
        )
    return racers


def tune(b: Bivariate, start: Sequence[float], n_steps: int, name: str) -> float:
    """The rate on TUNE_GRID with the lowest final f that did not diverge (the smallest rate if all did).

    Newton is tuned like the others: its full step (1) is best near a minimum of a quadratic-like f, but
    from far out on a function that flattens (sqrt(1 + x²)) the full step overshoots without bound.
    """
    point, n_steps = _check_race([name], start, n_steps)
    grad, hessian = _compiled(b)
    best_rate, best_value = TUNE_GRID[0], np.inf
    for rate in TUNE_GRID:
        run = optimizers.trajectory(
            optimizers.FACTORIES[name](rate), grad, point, n_steps, hessian_fn=hessian
        )
        final = float(b.f(*run.path[-1]))
        if not run.diverged and np.isfinite(final) and final < best_value:
            best_rate, best_value = rate, final
    return nearest_choice(best_rate)


def nearest_choice(rate: float) -> float:
    """The offered learning rate closest to ``rate`` on a log scale."""
    return min(RATE_CHOICES, key=lambda choice: abs(np.log(choice) - np.log(rate)))


def results_table(racers: Sequence[Racer], minima: Sequence[tuple[float, float]]) -> dict[str, list]:
    """Per optimizer: its rate, final f, distance to the nearest known minimum, steps until |∇f| < tol."""
    rows: dict[str, list] = {
        "optimizer": [], "learning rate": [], "final f": [], "distance to nearest minimum": [],
        f"steps to |∇f| < {GRADIENT_TOLERANCE:g}": [], "diverged": [],
    }  # fmt: skip
    for racer in racers:
        final = racer.path[-1]
        distance = min((float(np.hypot(*(final - np.array(m)))) for m in minima), default=None)
        reached = np.flatnonzero(racer.gradient_norm < GRADIENT_TOLERANCE)
        values = [racer.name, racer.learning_rate, float(racer.loss[-1]), distance,
                  int(reached[0]) if reached.size else None, racer.diverged]  # fmt: skip
        for column, value in zip(rows, values, strict=True):
            rows[column].append(value)
    return rows


def winner(racers: Sequence[Racer]) -> str:
    """The optimizer with the lowest final f among those that did not diverge."""
    finishers = [r for r in racers if not r.diverged and np.isfinite(r.loss[-1])]
    return min(finishers, key=lambda r: r.loss[-1]).name if finishers else ""


@dataclass(frozen=True)
class LossCurves:
    """What the loss chart plots: f − f_min on a log axis when the minimum is known, else f itself."""

    values: list[np.ndarray]
    log_scale: bool
    label: str
    y_range: tuple[float, float] | None = None


# Gaps below this fraction of the start's are drawn on that floor: Newton's gap falls to 1e-30 on the seed's
# bowl, and an axis run down to it squashed the other five curves into its top third.
GAP_FLOOR = 1e-10


def loss_curves(racers: Sequence[Racer], minima_values: Sequence[float]) -> LossCurves:
    """With known minima, the gap f − f_min on a log axis, floored at GAP_FLOOR of the start's gap (exact
    zeros are on the floor too). Without (a saddle, a custom formula), f on a linear axis whose range
    ignores runaway values."""
    if minima_values:
        f_min = min(minima_values)
        starts = [r.loss[0] - f_min for r in racers if len(r.loss) and np.isfinite(r.loss[0])]
        floor = GAP_FLOOR * max(max(starts, default=1.0), np.finfo(float).tiny / GAP_FLOOR)
        gaps = [np.where(np.isfinite(r.loss), np.maximum(r.loss - f_min, floor), np.nan) for r in racers]
        return LossCurves(gaps, True, f"f(x_k) − f_min  (f_min = {f_min:.4g})")  # fits a phone's title
    finite = np.concatenate([r.loss[np.isfinite(r.loss)] for r in racers] or [np.zeros(0)])
    y_range = None
    if finite.size:
        low, high = np.percentile(finite, [2, 98])
        pad = 0.1 * max(high - low, 1e-9)
        y_range = (float(low - pad), float(high + pad))
    return LossCurves([r.loss for r in racers], False, "f(x_k)", y_range)


MAX_FRAMES = 60  # animation frames of a race, whatever its number of steps


def frame_indices(longest: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Step indices for the animation: evenly spread, always with the first and the last."""
    return np.unique(np.linspace(0, longest - 1, min(longest, max_frames)).round().astype(int))


def thinned(path: np.ndarray, max_points: int = 300) -> np.ndarray:
    """At most ``max_points`` rows of a path, evenly spread, first and last kept (lighter chart JSON)."""
    return path[frame_indices(len(path), max_points)]


def tracks(
    racers: Sequence[Racer], steps: np.ndarray, window: tuple[float, float, float, float]
) -> list[RacerTrack]:
    """Each racer's thinned path and its position at each animation step (it stays put once it stops).

    A racer that leaves ``window`` is drawn up to its first point outside, and its marker stops at the last
    point inside: a diverged racer at x = -7e92 is nowhere to be seen, and plotly.js logs an error for each
    marker it cannot place."""
    drawn = []
    for r in racers:
        outside = np.flatnonzero(~contains(window, r.path[:, 0], r.path[:, 1]))
        inside_until = int(outside[0]) if outside.size else len(r.path)  # rows [0, inside_until) are inside
        line = thinned(r.path[: inside_until + 1])
        positions = r.path[np.minimum(steps, max(inside_until, 1) - 1)]
        exit_point = None
        if outside.size and inside_until > 0:
            exit_point = edge_crossing(r.path[inside_until - 1], r.path[inside_until], window)
        left_at = inside_until if exit_point is not None else None
        drawn.append(RacerTrack(r.name, line, positions, exit_point, left_at))
    return drawn


def edge_crossing(
    inside: np.ndarray, outside: np.ndarray, window: tuple[float, float, float, float]
) -> tuple[float, float]:
    """Where the step from ``inside`` to ``outside`` crosses the window's edge (Liang–Barsky clipping): a
    racer that leaves the map is marked where it went off it, since its marker stops at its last point in."""
    x_min, x_max, y_min, y_max = window
    t = 1.0
    for start, end, low, high in (
        (inside[0], outside[0], x_min, x_max),
        (inside[1], outside[1], y_min, y_max),
    ):
        if not np.isfinite(end):
            end = high if end > 0 else low  # a step to infinity leaves through the edge it heads for
        if end > high:
            t = min(t, (high - start) / (end - start))
        elif end < low:
            t = min(t, (low - start) / (end - start))
    direction = np.nan_to_num(outside - inside, posinf=1e300, neginf=-1e300)
    crossing = inside + t * direction
    return float(np.clip(crossing[0], x_min, x_max)), float(np.clip(crossing[1], y_min, y_max))


def paths_table(racers: Sequence[Racer]) -> dict[str, list]:
    """Every racer's iterates as columns (step, then x, y and f per optimizer), for a CSV download."""
    longest = max((len(r.path) for r in racers), default=0)
    columns: dict[str, list] = {"step": list(range(longest))}
    for r in racers:
        columns[f"{r.name} x"] = r.path[:, 0].tolist()
        columns[f"{r.name} y"] = r.path[:, 1].tolist()
        columns[f"{r.name} f"] = r.loss.tolist()
    return columns


def live_markers(tracks: Sequence[RacerTrack], steps: np.ndarray) -> dict:
    """What the browser needs to move each racer's marker along its path: the step of each animation frame
    and every racer's (x, y) at each frame, as plain lists."""
    return {
        "steps": [int(s) for s in steps],
        "positions": {t.name: [[float(x), float(y)] for x, y in t.positions] for t in tracks},
    }
