"""What the gradient-descent pages show, computed from their controls.

The pieces for any model ("linear" or "logistic"): run descent and find the optimum it heads for
(`run_descent`), choose a landscape window that holds the start, the path and the optimum
(`plot_window`), the loss on that window (`loss_landscape`), and the path as drawn and animated on it
(`path_on_plot`). The linear page adds the curvature of the MSE (`step_stability`) and the data plot
with a line of the reader's own and its residuals (`fit_view`); `linear_descent_view` puts its
pieces together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from core.datasets import Dataset
from core.regression import (
    MAX_ITERATIONS,
    Curvature,
    DescentPath,
    LinearOptimum,
    LogisticOptimum,
    auto_range,
    bce_landscape,
    check_integer,
    check_option,
    check_real,
    gradient_descent,
    linear_optimum,
    logistic_optimum,
    mse_curvature,
    mse_landscape,
)

MODELS = ("linear", "logistic")
# Learning rates on a 1-2-5 log scale; both seed defaults (0.01 linear, 0.5 logistic) are on it.
LEARNING_RATES = tuple(float(f"{mantissa}e{exponent}") for exponent in range(-4, 1) for mantissa in (1, 2, 5))
LEARNING_RATES += (10.0,)
ITERATION_CHOICES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
CONVERGENCE_TOLERANCE = 0.01  # "within 1% of the optimal loss"
# An iterate whose loss is this many times the start's has run away: the window stops following it.
ESCAPE_FACTOR = 10.0
GRID_POINTS = 81  # per axis of the landscape; odd, so every other point (the 3-D surface) keeps both ends
MAX_PATH_POINTS = 400
MAX_FRAMES = 30  # each frame costs about half a millisecond to build and send
MAX_DATA_POINTS = 2000
MAX_CURVE_POINTS = 1000


# ---------------------------------------------------------------------------------------------
# Data


def standardized(dataset: Dataset) -> Dataset:
    """The dataset with each column of x rescaled to mean 0 and standard deviation 1."""
    x = dataset.x
    mean, sd = x.mean(axis=0), x.std(axis=0)
    if np.any(sd == 0):
        raise ValueError("x must vary to be standardised. Got a constant x instead.")
    summary = f"x standardised (it had mean {_plain(mean)} and standard deviation {_plain(sd)})."
    return replace(
        dataset,
        x=(x - mean) / sd,
        x_name=f"{dataset.x_name} (standardised)",
        note=" ".join(part for part in (dataset.note, summary) if part),
    )


def _plain(values) -> str:
    return ", ".join(f"{value:.4g}" for value in np.atleast_1d(values))


# ---------------------------------------------------------------------------------------------
# One run of gradient descent and the optimum it heads for


@dataclass(frozen=True)
class DescentSettings:
    """The controls of one run; small, so caches key on it."""

    learning_rate: float
    n_iterations: int
    w0: float = 0.0
    b0: float = 0.0


@dataclass(frozen=True, eq=False)
class DescentRun:
    """A descent path beside the optimum; `converged_at` and `distance` are None without an optimum."""

    path: DescentPath
    optimum: LinearOptimum | LogisticOptimum
    converged_at: int | None  # first iteration whose loss is within 1% of the optimal loss
    distance: float | None  # from the last iterate to the optimum, in the (w, b) plane

    @property
    def has_optimum(self) -> bool:
        return self.optimum.loss is not None


def run_descent(model, x, y, *, learning_rate, n_iterations, w0=0.0, b0=0.0) -> DescentRun:
    """Gradient descent from (w0, b0) with the model's optimum, how close it got and when."""
    model = check_option("model", model, MODELS)
    path = gradient_descent(model, x, y, learning_rate=learning_rate, n_iterations=n_iterations, w0=w0, b0=b0)
    optimum = linear_optimum(x, y) if model == "linear" else logistic_optimum(x, y)
    if optimum.loss is None:
        return DescentRun(path, optimum, None, None)
    gap = np.hypot(np.linalg.norm(np.atleast_1d(path.w[-1] - np.asarray(optimum.w))), path.b[-1] - optimum.b)
    return DescentRun(path, optimum, convergence_iteration(path.loss, optimum.loss), float(gap))


def convergence_iteration(loss, optimal_loss, *, tolerance=CONVERGENCE_TOLERANCE) -> int | None:
    """First index whose loss is within `tolerance` (relative) of `optimal_loss`, or None.

    A perfect fit has optimal loss 0, where no relative tolerance can be met; there the gap is
    measured against a millionth of the starting loss instead.
    """
    loss = np.asarray(loss, dtype=float)
    scale = max(optimal_loss, 1e-6 * loss[0])
    within = np.flatnonzero(loss - optimal_loss <= tolerance * scale)
    return int(within[0]) if within.size else None


# ---------------------------------------------------------------------------------------------
# Where to look: the landscape window


class Window(NamedTuple):
    """A rectangle of the (w, b) plane; hashable, so caches can key on it."""

    w_min: float
    w_max: float
    b_min: float
    b_max: float

    def contains(self, w, b) -> np.ndarray:
        w, b = np.asarray(w), np.asarray(b)
        return (self.w_min <= w) & (w <= self.w_max) & (self.b_min <= b) & (b <= self.b_max)

    def steps(self, divisions=200) -> tuple[float, float]:
        """Round slider steps for w and b: about `divisions` of them across the window."""
        return (
            _nice_step(self.w_max - self.w_min, divisions),
            _nice_step(self.b_max - self.b_min, divisions),
        )


def _on_grid(value: float, step: float) -> float:
    return _tidy(round(value / step) * step)


def _tidy(value: float) -> float:
    """Drop the float noise of a multiplication (0.30000000000000004 -> 0.3)."""
    return float(f"{value:.12g}")


def _nice_step(span: float, divisions: int) -> float:
    """The smallest 1, 2 or 5 times a power of ten that cuts `span` into at most `divisions` parts."""
    raw = span / divisions
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-12))


def nice_window(w_min, w_max, b_min, b_max, *, divisions=20) -> Window:
    """The window widened outward to round numbers: a twentieth of each span, rounded to 1, 2 or 5.

    Nearby inputs give the same window, so a landscape cached for one run serves the next.
    """
    bounds = []
    for low, high in ((w_min, w_max), (b_min, b_max)):
        step = _nice_step(high - low, divisions)
        bounds += [_tidy(math.floor(low / step) * step), _tidy(math.ceil(high / step) * step)]
    return Window(*bounds)


def explore_box(w, b, *, w_scale, b_scale) -> Window:
    """A round window around the origin and (w, b), padded by a quarter of its span or a tenth of the scale.

    Depends only on the data, so sliders ranging over it keep their values when descent settings change.
    """
    w_scale = check_real("w_scale", w_scale, low=0, low_open=True)
    b_scale = check_real("b_scale", b_scale, low=0, low_open=True)
    bounds = []
    for centre, scale in ((w, w_scale), (b, b_scale)):
        low, high = min(0.0, centre), max(0.0, centre)
        pad = max(0.25 * (high - low), 0.1 * scale)
        bounds += [low - pad, high + pad]
    return nice_window(*bounds)


def plot_window(path: DescentPath, box: Window, *, escape_factor=ESCAPE_FACTOR) -> Window:
    """A round window holding `box` and every iterate that has not run away (loss <= factor × start loss).

    A diverging path is thereby shown up to where it leaves the plot instead of squashing the
    landscape into a dot; a converging one is shown whole.
    """
    kept = path.loss <= escape_factor * path.loss[0]
    bounds = auto_range(
        [box.w_min, box.w_max, *path.w[kept]], [box.b_min, box.b_max, *path.b[kept]], margin=0.05
    )
    return nice_window(*bounds)


# ---------------------------------------------------------------------------------------------
# The loss over the window, and the path drawn on it


@dataclass(frozen=True, eq=False)
class Landscape:
    """Loss on a grid: loss[j, i] at (w[i], b[j])."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray


def loss_landscape(model, x, y, window: Window, *, points=GRID_POINTS) -> Landscape:
    """The model's loss (MSE or binary cross-entropy) on a points × points grid over `window`."""
    model = check_option("model", model, MODELS)
    w = np.linspace(window.w_min, window.w_max, points)
    b = np.linspace(window.b_min, window.b_max, points)
    landscape = mse_landscape if model == "linear" else bce_landscape
    return Landscape(w, b, landscape(x, y, w, b))


def evenly_spaced(n: int, limit: int) -> np.ndarray:
    """At most `limit` (>= 2) indices into range(n), evenly spread, always including the first and last."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(int))


def head_then_spaced(n: int, limit: int) -> np.ndarray:
    """At most `limit` indices into range(n): the first half of the budget consecutive, the rest spread.

    Descent moves most at the start, and an oscillating path sampled with a constant stride would
    alias into a smooth one; keeping the head whole shows the zigzag where it is large.
    """
    if n <= limit:
        return np.arange(n)
    head = min(limit // 2, limit - 2)  # the tail needs two points: its first and the last
    tail = head + evenly_spaced(n - head, limit - head)
    return np.concatenate((np.arange(head), tail))


@dataclass(frozen=True, eq=False)
class PathOnPlot:
    """The iterates drawn on the landscape: all of them, or up to the first outside the window.

    Frame f of the animation shows the first `frame_ends[f]` drawn points.
    """

    iterations: np.ndarray
    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    frame_ends: np.ndarray
    left_window: bool  # the last drawn point is outside the window: the path leaves the plot there

    @property
    def frame_iterations(self) -> np.ndarray:
        return self.iterations[self.frame_ends - 1]


def path_on_plot(
    path: DescentPath, window: Window, *, max_points=MAX_PATH_POINTS, max_frames=MAX_FRAMES
) -> PathOnPlot:
    """Subsample the path for drawing (at most `max_points`) and choose at most `max_frames` frames."""
    max_points = check_integer("max_points", max_points, low=2, high=100_000)
    max_frames = check_integer("max_frames", max_frames, low=2, high=1000)
    outside = np.flatnonzero(~window.contains(path.w, path.b))
    end = int(outside[0]) + 1 if outside.size else len(path.w)
    iterations = head_then_spaced(end, max_points)
    frame_ends = evenly_spaced(len(iterations), max_frames) + 1
    return PathOnPlot(
        iterations,
        path.w[iterations],
        path.b[iterations],
        path.loss[iterations],
        frame_ends,
        bool(outside.size),
    )


class Spot(NamedTuple):
    """A point of the (w, b) plane with its loss."""

    w: float
    b: float
    loss: float


@dataclass(frozen=True)
class MarkedPoints:
    """The points marked on the landscape: the start, the iterate the data plot shows, the optimum
    (None when there is none) and the reader's own (w, b) (None on pages without one)."""

    start: Spot
    shown: Spot
    shown_iteration: int
    optimum: Spot | None = None
    own: Spot | None = None


def marked_points(run: DescentRun, iteration: int, own: Spot | None = None) -> MarkedPoints:
    """The start, iterate `iteration` (clamped to the path), the optimum if any, and `own`."""
    path = run.path
    iteration = min(check_integer("iteration", iteration, low=0, high=MAX_ITERATIONS), len(path.loss) - 1)
    optimum = run.optimum
    return MarkedPoints(
        Spot(float(path.w[0]), float(path.b[0]), float(path.loss[0])),
        Spot(float(path.w[iteration]), float(path.b[iteration]), float(path.loss[iteration])),
        iteration,
        Spot(float(optimum.w), float(optimum.b), float(optimum.loss)) if run.has_optimum else None,
        own,
    )


@dataclass(frozen=True, eq=False)
class LossCurve:
    """Loss against iteration, subsampled for drawing, with the optimal loss (None without one)."""

    iterations: np.ndarray
    loss: np.ndarray
    optimal_loss: float | None


def loss_curve(run: DescentRun, *, max_points=MAX_CURVE_POINTS) -> LossCurve:
    shown = head_then_spaced(len(run.path.loss), max_points)
    return LossCurve(shown, run.path.loss[shown], run.optimum.loss)


# ---------------------------------------------------------------------------------------------
# Linear regression: how the curvature limits the step, and the data with lines through it


@dataclass(frozen=True)
class StepStability:
    """What the MSE's curvature means for one learning rate η.

    Along each eigenvector of the Hessian a step multiplies the distance to the optimum by
    |1 − η λ|, so descent converges when both factors are below 1, that is when η < 2 / λ_max.
    """

    learning_rate: float
    curvature: Curvature
    factors: tuple[float, float]  # |1 − η λ_min|, |1 − η λ_max|
    verdict: str  # "converges", "oscillates" (exactly at the bound) or "diverges"
    explanation: str  # Markdown


def step_stability(x, learning_rate) -> StepStability:
    learning_rate = check_real("learning_rate", learning_rate, low=0, low_open=True)
    curvature = mse_curvature(x)
    smallest, largest = curvature.eigenvalues
    factors = (abs(1 - learning_rate * smallest), abs(1 - learning_rate * largest))
    worst = max(factors)
    bound = (
        f"2/λ_max = {curvature.max_stable_learning_rate:.4g} (λ_max = {largest:.4g} is the largest "
        "eigenvalue of the loss's Hessian: the steepest curvature of the bowl)"
    )
    if math.isclose(worst, 1.0, rel_tol=1e-9):
        verdict = "oscillates"
        explanation = (
            f"**Gradient descent oscillates without converging.** η = {learning_rate:g} equals the "
            f"stability bound {bound}. Along the steepest direction each step overshoots the minimum by "
            "exactly as far as it was away, so the iterates bounce back and forth forever."
        )
    elif worst > 1.0:
        verdict = "diverges"
        explanation = (
            f"**Gradient descent diverges.** η = {learning_rate:g} is above the stability bound {bound}. "
            f"Along the steepest direction each step multiplies the distance to the optimum by "
            f"|1 − η λ_max| = {factors[1]:.3g} > 1: every step overshoots the minimum further than the "
            "last, so the path zigzags outward."
        )
    elif worst < 1e-9:
        verdict = "converges"
        explanation = (
            f"**One step lands on the optimum.** η = {learning_rate:g} = 1/λ for every eigenvalue λ of the "
            "loss's Hessian (the bowl is round and η matches its curvature), so each step's factor "
            "|1 − η λ| is 0: this is Newton's method in disguise."
        )
    else:
        verdict = "converges"
        slow, fast = (_factor(factor) for factor in factors)
        steps = _steps_per_tenfold(worst)
        explanation = (
            f"**Stable step.** η = {learning_rate:g} is below {bound}. Each step multiplies the distance "
            f"to the optimum by |1 − η λ|: {slow} along the flattest direction and {fast} along the "
            f"steepest. The larger factor sets the pace: about {steps:,} step{'s' if steps > 1 else ''} "
            "to shrink the distance tenfold."
        )
    return StepStability(learning_rate, curvature, factors, verdict, explanation)


def _factor(value: float) -> str:
    """A factor near 1 with enough digits to tell it from 1 (0.99995, not 1); rounding noise near 0 is 0."""
    if value < 1e-9:
        return "0"
    digits = 3 if abs(1 - value) >= 1e-2 else min(15, 2 - math.floor(math.log10(abs(1 - value) or 1e-15)))
    return f"{value:.{digits}g}"


def _steps_per_tenfold(factor: float) -> int:
    return math.ceil(math.log(0.1) / math.log(factor)) if factor > 0 else 1


def stable_learning_rate(dataset: Dataset, *, standardize=False) -> float:
    """2 / λ_max for the data as descent will see it: the largest learning rate that converges."""
    data = standardized(dataset) if standardize else dataset
    return mse_curvature(data.x).max_stable_learning_rate


def line_scales(x, y) -> tuple[float, float]:
    """How far w and b must move to shift a line noticeably: sd(y)/sd(x) and sd(y) (1 for a flat y)."""
    sd_y = float(np.std(y)) or 1.0
    return sd_y / float(np.std(x)), sd_y


@dataclass(frozen=True, eq=False)
class LinearDescentView:
    """Everything the linear-regression page shows that depends on the data and the descent settings."""

    data: Dataset  # as descent sees it (standardised when asked)
    run: DescentRun
    stability: StepStability
    raw_condition_number: float  # of the data before standardising
    box: Window  # range of the try-your-own-line sliders
    window: Window  # the landscape's
    path: PathOnPlot

    @property
    def suggested_line(self) -> tuple[float, float]:
        """A first line of the reader's own: half the optimal slope through the optimal intercept, on
        the sliders' grid. Clearly off, yet near the data, so its residuals are worth looking at."""
        w_step, b_step = self.box.steps()
        return _on_grid(self.run.optimum.w / 2, w_step), _on_grid(self.run.optimum.b, b_step)

    @property
    def warning(self) -> str | None:
        """Why descent fails to converge, in Markdown; None when the step is stable."""
        if self.stability.verdict == "converges":
            return None
        notes = [self.stability.explanation]
        if self.run.path.diverged:
            notes.append(f"The loss overflowed at iteration {self.run.path.stopped_at}; the run stops there.")
        if self.path.left_window:
            notes.append("The path is drawn up to where it leaves the plot.")
        return " ".join(notes)


def linear_descent_view(
    dataset: Dataset, *, standardize=False, learning_rate, n_iterations, w0=0.0, b0=0.0
) -> LinearDescentView:
    data = standardized(dataset) if standardize else dataset
    run = run_descent(
        "linear", data.x, data.y, learning_rate=learning_rate, n_iterations=n_iterations, w0=w0, b0=b0
    )
    w_scale, b_scale = line_scales(data.x, data.y)
    box = explore_box(run.optimum.w, run.optimum.b, w_scale=w_scale, b_scale=b_scale)
    window = plot_window(run.path, box)
    return LinearDescentView(
        data,
        run,
        step_stability(data.x, learning_rate),
        mse_curvature(dataset.x).condition_number,
        box,
        window,
        path_on_plot(run.path, window),
    )


@dataclass(frozen=True, eq=False)
class FitView:
    """The data (at most MAX_DATA_POINTS shown) with three lines across its x range, and the
    residuals of the reader's own line, as NaN-separated vertical segments."""

    x: np.ndarray
    y: np.ndarray
    line_x: np.ndarray  # the two ends of every line
    descent_line: np.ndarray  # ŷ at line_x for the chosen iterate
    optimum_line: np.ndarray
    own_line: np.ndarray
    residual_x: np.ndarray
    residual_y: np.ndarray
    own_loss: float  # MSE of the reader's line over all the data
    y_range: tuple[float, float]  # the data's, padded: wild lines must not rescale the plot


def fit_view(x, y, *, descent: tuple[float, float], optimum: tuple[float, float], own: tuple[float, float]):
    """Lines ŷ = w x + b for (w, b) = `descent`, `optimum` and `own` over the data, and own's residuals."""
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    x_shown, y_shown = x[shown], y[shown]
    line_x = np.array([x.min(), x.max()])
    own_w, own_b = own
    fitted = own_w * x_shown + own_b
    gaps = np.full_like(x_shown, np.nan)
    pad = 0.1 * (np.ptp(y) or 1.0)
    return FitView(
        x_shown,
        y_shown,
        line_x,
        descent[0] * line_x + descent[1],
        optimum[0] * line_x + optimum[1],
        own_w * line_x + own_b,
        np.column_stack((x_shown, x_shown, gaps)).ravel(),
        np.column_stack((y_shown, fitted, gaps)).ravel(),
        float(mse_landscape(x, y, [own_w], [own_b])[0, 0]),
        (float(y.min() - pad), float(y.max() + pad)),
    )
