"""What the gradient-descent pages show, computed from their controls.

The pieces for any model ("linear" or "logistic"): run descent with any optimizer, on full batches or
mini-batches, and find the optimum it heads for (`run_descent`), choose a landscape window that holds the
start, the path and the optimum (`plot_window`), the loss on that window (`loss_landscape`), the path as
drawn and animated on it (`path_on_plot`), the metrics above the charts, the loss curve, the mini-batch
gradients around the full one (`gradient_cloud_view`) and the iterates as a table. The linear page adds
the curvature of the MSE (`step_stability`) and the data plot with a line of the reader's own and its
residuals (`fit_view`); `linear_descent_view` puts its pieces together. The logistic page adds the
probability curve and decision boundary (`probability_view`, `boundary_view`), the weights' growth on
separable data (`weight_norm_curve`) and, for two features, the landscape over (w₁, w₂) at a fixed bias;
`logistic_descent_view` puts its pieces together.

The plane helpers (`Window`, `Landscape`, `PathOnPlot`, `Spot`) name their axes w and b. For two features
the landscape is drawn over (w₁, w₂) instead: there w₁ takes the place of w and w₂ that of b
(`weight_plane`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from scipy.special import expit

from core import training
from core.datasets import Dataset
from core.regression import (
    MAX_AXIS_POINTS,
    MAX_BCE_WORK,
    MAX_ITERATIONS,
    MAX_SAMPLES,
    Curvature,
    DescentPath,
    LinearOptimum,
    LogisticOptimum,
    _softplus,  # exact log(1 + e^z) in place: bce_landscape's own
    auto_range,
    bce_landscape,
    check_integer,
    check_option,
    check_real,
    check_samples,
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
MAX_DATA_POINTS = 2000
MAX_CURVE_POINTS = 1000
# Mini-batch sizes offered beside the full batch; a size at or above the sample count is the full batch.
BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200, 500)
MAX_CLOUD_BATCHES = 1000  # gradients drawn in the mini-batch cloud: one epoch's batches, at most this many
PROBABILITY_POINTS = 200  # along the probability curve σ(w x + b)
PLANE_WORK = 10**6  # grid points × samples of one (w₁, w₂) slice: a few milliseconds
_PLANE_CHUNK = 2**16  # floats per temporary in bce_weight_plane: half a megabyte, whatever the grid


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
    """The controls of one run; small, so caches key on it. The defaults are the seed's plain gradient
    descent: every sample at every step (`batch_size` None); `seed` shuffles the mini-batches."""

    learning_rate: float
    n_iterations: int
    w0: float = 0.0
    b0: float = 0.0
    optimizer: str = "GD"
    batch_size: int | None = None
    seed: int = 0

    @property
    def plain_gd(self) -> bool:
        """The seed's method: plain gradient descent on the full batch."""
        return self.optimizer == "GD" and self.batch_size is None


@dataclass(frozen=True, eq=False)
class DescentRun:
    """A descent path beside the optimum; `converged_at` and `distance` are None without an optimum."""

    path: DescentPath
    optimum: LinearOptimum | LogisticOptimum
    converged_at: int | None  # first iteration whose loss is within 1% of the optimal loss
    distance: float | None  # from the last iterate to the optimum, in the (w, b) plane
    settings: DescentSettings  # as run: a batch as large as the data is the full batch

    @property
    def has_optimum(self) -> bool:
        return self.optimum.loss is not None


def model_optimum(model, x, y) -> LinearOptimum | LogisticOptimum:
    """Where descent heads: the least-squares line, or scikit-learn's unpenalised logistic fit (with no
    weights for separable classes, which have no finite optimum). It depends on the data alone."""
    model = check_option("model", model, MODELS)
    return linear_optimum(x, y) if model == "linear" else logistic_optimum(x, y)


def run_descent(
    model,
    x,
    y,
    *,
    learning_rate,
    n_iterations,
    w0=0.0,
    b0=0.0,
    optimizer="GD",
    batch_size=None,
    seed=0,
    optimum=None,
) -> DescentRun:
    """Descent from (w0, b0) with the named optimizer (core.training.OPTIMIZERS) on mini-batches of
    `batch_size` samples (None or at least the sample count: all of them), with the model's optimum, how
    close the run got and when. Plain full-batch GD is the seed's loop exactly. `optimum`: the data's
    `model_optimum`, if already known (a logistic fit costs far more than a short run)."""
    model = check_option("model", model, MODELS)
    x, y = check_samples(x, y, binary=model == "logistic", two_features=model == "logistic")
    if batch_size is not None and check_integer("batch_size", batch_size, low=1, high=MAX_SAMPLES) >= len(y):
        batch_size = None
    settings = DescentSettings(learning_rate, n_iterations, w0, b0, optimizer, batch_size, seed)
    path = training.descend(
        model, x, y, optimizer=optimizer, learning_rate=learning_rate, n_iterations=n_iterations,
        batch_size=batch_size, seed=seed, w0=w0, b0=b0,
    )  # fmt: skip
    optimum = model_optimum(model, x, y) if optimum is None else optimum
    if optimum.loss is None:
        return DescentRun(path, optimum, None, None, settings)
    gap = np.hypot(np.linalg.norm(np.atleast_1d(path.w[-1] - np.asarray(optimum.w))), path.b[-1] - optimum.b)
    return DescentRun(path, optimum, convergence_iteration(path.loss, optimum.loss), float(gap), settings)


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
        rounded_low, rounded_high = _tidy(math.floor(low / step) * step), _tidy(math.ceil(high / step) * step)
        # tidying can round inward past a bound within float noise of a round number (-5e-324 -> 0)
        bounds += [
            rounded_low if rounded_low <= low else _tidy(rounded_low - step),
            rounded_high if rounded_high >= high else _tidy(rounded_high + step),
        ]
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
    """Loss on a grid: loss[j, i] at (w[i], b[j]) (for two features: at (w₁, w₂) = (w[i], b[j]))."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray


def loss_landscape(model, x, y, window: Window, *, bias=None, points=GRID_POINTS) -> Landscape:
    """The model's loss (MSE or binary cross-entropy) on a points × points grid over `window`.

    For logistic regression on two features (x of shape (n, 2)) the window is in the (w₁, w₂) plane
    and the loss is taken at the given `bias`.
    """
    model = check_option("model", model, MODELS)
    points = check_integer("points", points, low=2, high=MAX_AXIS_POINTS)
    w = np.linspace(window.w_min, window.w_max, points)
    b = np.linspace(window.b_min, window.b_max, points)
    if np.ndim(x) == 2:
        points = min(points, _plane_points(len(x)))
        w = np.linspace(window.w_min, window.w_max, points)
        b = np.linspace(window.b_min, window.b_max, points)
        return Landscape(w, b, bce_weight_plane(x, y, w, b, bias=bias))
    landscape = mse_landscape if model == "linear" else bce_landscape
    return Landscape(w, b, landscape(x, y, w, b))


def bce_weight_plane(x, y, w1_values, w2_values, *, bias) -> np.ndarray:
    """Binary cross-entropy of two-feature logistic regression over a (w₁, w₂) grid at a fixed bias:
    entry [j, i] is the mean loss at (w1_values[i], w2_values[j], bias).

    Exact at any margin, like `core.regression.bce_landscape`: per sample the loss is
    softplus(s z) with s = 1 − 2y and z = w₁ x₁ + w₂ x₂ + b. Memory stays bounded by working
    through the grid a few rows at a time; `plane_points` keeps the work per slider move bounded.
    """
    x, y = check_samples(x, y, binary=True, two_features=True)
    if x.ndim != 2:
        raise ValueError(f"x must have two columns here. Got shape {x.shape} instead.")
    w1, w2 = _grid_axis("w1_values", w1_values), _grid_axis("w2_values", w2_values)
    work = w1.size * w2.size * len(y)
    if work > MAX_BCE_WORK:
        raise ValueError(
            f"len(w1_values) * len(w2_values) * (number of samples) must be <= {MAX_BCE_WORK:.0e}. "
            f"Got {work:.2e} instead; use fewer samples."
        )
    sign = 1.0 - 2.0 * y
    signed = x * sign[:, np.newaxis]
    first = np.multiply.outer(w1, signed[:, 0]) + sign * check_real("bias", bias)  # (len(w1), n)
    total = np.empty((w2.size, w1.size))
    rows = max(1, _PLANE_CHUNK // first.size)
    for start in range(0, w2.size, rows):
        block = w2[start : start + rows]
        z = first + np.multiply.outer(block, signed[:, 1])[:, np.newaxis, :]
        total[start : start + rows] = _softplus(z).mean(axis=2)
    return total


def _plane_points(n_samples: int) -> int:
    """Grid points per axis for the (w₁, w₂) plane: the full grid for small data, fewer (odd, at least 21)
    for large, so the slice, recomputed whenever the bias changes, costs at most PLANE_WORK evaluations."""
    return max(21, min(GRID_POINTS, math.isqrt(PLANE_WORK // n_samples)) // 2 * 2 + 1)


def _grid_axis(name, values) -> np.ndarray:
    axis = np.asarray(values, dtype=float)
    if axis.ndim != 1 or not np.isfinite(axis).all():
        raise ValueError(f"{name} must be a 1-D array of finite numbers. Got shape {axis.shape} instead.")
    check_integer(f"len({name})", axis.size, low=1, high=MAX_AXIS_POINTS)
    return axis


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
    """The iterates drawn on the landscape: all of them, or up to the first outside the window."""

    iterations: np.ndarray
    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    left_window: bool  # the last drawn point is outside the window: the path leaves the plot there


def path_on_plot(path: DescentPath, window: Window, *, max_points=MAX_PATH_POINTS) -> PathOnPlot:
    """Subsample the path for drawing (at most `max_points`), up to the first iterate outside `window`."""
    max_points = check_integer("max_points", max_points, low=2, high=100_000)
    outside = np.flatnonzero(~window.contains(path.w, path.b))
    end = int(outside[0]) + 1 if outside.size else len(path.w)
    iterations = head_then_spaced(end, max_points)
    return PathOnPlot(
        iterations, path.w[iterations], path.b[iterations], path.loss[iterations], bool(outside.size)
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
# The numbers above the charts, what the chosen method changes, mini-batch noise, the iterates


class Metric(NamedTuple):
    """One number shown above the charts; an `answer` stays hidden in quiz mode until revealed."""

    label: str
    value: str
    help: str | None = None
    answer: bool = False


def short_number(value: float, digits: int = 6) -> str:
    """A metric value that fits its column: `digits` significant figures, two once it needs an exponent
    (a diverged run's 1e+50 reads as -2.1e+50, not -2.10683e+50 cut off at the column's edge)."""
    text = f"{value:.{digits}g}"
    return f"{value:.2g}" if "e" in text else text


def _convergence_metric(run: DescentRun, loss_name: str) -> Metric:
    return Metric(
        "Within 1% at",
        "not yet" if run.converged_at is None else f"step {run.converged_at}",
        f"The first iteration whose {loss_name} is at most 1% above the optimal {loss_name}.",
    )


def method_note(settings: DescentSettings, *, lambda_max: float | None = None) -> str:
    """What the chosen optimizer and batch size change compared with the seed's plain gradient descent,
    in Markdown ("" for plain GD). With the largest curvature `lambda_max` of a quadratic loss, the
    optimizer's stability bound as a number."""
    notes = []
    if settings.optimizer == "Momentum":
        notes.append(
            "**Momentum** adds up past gradients (v ← 0.9 v + g, then w ← w − η v): it speeds along a "
            "long valley and overshoots, spiralling into the minimum. On a quadratic bowl it stays stable "
            f"up to η < 2(1 + β)/λ_max = 3.8/λ_max{_bound(3.8, lambda_max)}, almost twice plain GD's bound."
        )
    elif settings.optimizer == "Nesterov":
        notes.append(
            "**Nesterov** steps along the gradient plus the momentum it is about to add "
            "(w ← w − η (g + 0.9 v)): it brakes before overshooting, so it oscillates less than momentum, "
            "but on a quadratic bowl it needs η < 2(1 + β)/((1 + 2β) λ_max) ≈ 1.36/λ_max"
            f"{_bound(3.8 / 2.8, lambda_max)}, below plain GD's 2/λ_max."
        )
    elif settings.optimizer in ("RMSProp", "Adam"):
        notes.append(
            f"**{settings.optimizer}** divides each step by a running average of the gradient's size, so "
            "every parameter moves about η per step whatever the curvature: a small η is slow everywhere, "
            "and near the minimum the path hovers at a distance set by η instead of settling."
        )
    if settings.batch_size is not None:
        notes.append(
            f"**Mini-batches of {settings.batch_size}:** each step uses the gradient of "
            f"{settings.batch_size} samples (a fresh shuffle every epoch), a noisy estimate of the full "
            "gradient. The path jitters, and near the minimum it keeps jittering unless η shrinks; the "
            "loss curve shows the full-data loss at every iterate."
        )
    return " ".join(notes)


def _bound(times: float, lambda_max: float | None) -> str:
    return "" if lambda_max is None else f" (here η < {times / lambda_max:.4g})"


@dataclass(frozen=True, eq=False)
class GradientCloud:
    """At iterate `iteration`: the full-batch gradient and every mini-batch's gradient of that epoch,
    as (dL/dw, dL/db) rows; `used` is the batch the step from this iterate took."""

    iteration: int
    batch_size: int
    full: np.ndarray  # (2,)
    batches: np.ndarray  # (k, 2)
    used: int  # row of `batches`

    @property
    def spread(self) -> float:
        """The batches' root-mean-square distance from the full gradient, relative to its length (inf at
        a zero gradient): how noisy a step is."""
        length = float(np.linalg.norm(self.full))
        scatter = float(np.sqrt(np.mean(np.sum((self.batches - self.full) ** 2, axis=1))))
        return scatter / length if length > 0 else math.inf

    @property
    def summary(self) -> str:
        batches = f"{len(self.batches)} mini-batches of {self.batch_size}"
        if math.isinf(self.spread):
            return f"{batches}: the full gradient is zero here, so every step is pure noise."
        distance = f"{self.spread:.2g} times" if self.spread >= 2 else f"{self.spread:.0%} of"
        return (
            f"{batches}: their gradients lie {distance} the full gradient's length from it (root mean "
            "square). Near the optimum the full gradient shrinks but the batches' do not: the noise wins."
        )


def gradient_cloud_view(model, x, y, run: DescentRun, iteration: int) -> GradientCloud | str:
    """The mini-batch gradients at an iterate of a mini-batch run, or why there is no cloud to draw."""
    settings = run.settings
    if settings.batch_size is None:
        return "Every step uses the full batch: there is no mini-batch noise to show."
    if np.ndim(x) == 2:
        return "The gradient cloud is drawn for one feature; with two, look at the noisy path."
    per_epoch = math.ceil(len(y) / settings.batch_size)
    if per_epoch > MAX_CLOUD_BATCHES:
        return (
            f"An epoch has {per_epoch:,} mini-batches, too many arrows to draw (at most "
            f"{MAX_CLOUD_BATCHES:,}): pick a larger batch to see the cloud."
        )
    path = run.path
    iteration = min(check_integer("iteration", iteration, low=0, high=MAX_ITERATIONS), len(path.loss) - 1)
    full, batches = training.gradient_cloud(
        model, x, y, w=float(path.w[iteration]), b=float(path.b[iteration]),
        batch_size=settings.batch_size, seed=settings.seed, epoch=iteration // per_epoch,
    )  # fmt: skip
    return GradientCloud(iteration, settings.batch_size, full, batches, iteration % per_epoch)


def iterates_table(path: DescentPath) -> dict[str, np.ndarray]:
    """Every iterate as columns for a CSV file: iteration, w (w1, w2 for two features), b, loss."""
    weights = (
        {"w": path.w} if path.w.ndim == 1 else {f"w{k + 1}": path.w[:, k] for k in range(path.w.shape[1])}
    )
    return {"iteration": np.arange(len(path.loss)), **weights, "b": path.b, "loss": path.loss}


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
        """Why descent fails to converge, in Markdown; None when it does not fail.

        The stability bound is plain gradient descent's; other methods are judged by their run.
        """
        path = self.run.path
        notes = []
        if self.run.settings.plain_gd and self.stability.verdict != "converges":
            notes.append(self.stability.explanation)
            if path.diverged:
                notes.append(f"The loss overflowed at iteration {path.stopped_at}; the run stops there.")
        elif path.diverged:
            notes.append(path.message)
        return _with_window_note(notes, self.path)

    @property
    def method_note(self) -> str:
        return method_note(self.run.settings, lambda_max=self.stability.curvature.eigenvalues[1])

    @property
    def optimum_summary(self) -> str:
        optimum = self.run.optimum
        return (
            f"Optimum (least squares): **w\\* = {optimum.w:.6g}**, **b\\* = {optimum.b:.6g}**, "
            f"MSE\\* = {optimum.loss:.6g}."
        )

    @property
    def metrics(self) -> list[Metric]:
        run, path = self.run, self.run.path
        return [
            Metric("Final w", short_number(path.w[-1]), answer=True),
            Metric("Final b", short_number(path.b[-1]), answer=True),
            Metric("Final MSE", short_number(path.loss[-1])),
            Metric(
                "Distance to optimum",
                short_number(run.distance, 4),
                "Euclidean distance in the (w, b) plane.",
            ),
            _convergence_metric(run, "MSE"),
        ]


def _with_window_note(notes: list[str], drawn: PathOnPlot) -> str | None:
    if drawn.left_window:
        notes.append(
            "The path is drawn up to where it leaves the plot."
            if notes
            else "The loss rose above ten times its starting value: the path is drawn up to where it leaves "
            "the plot."
        )
    return " ".join(notes) or None


def linear_descent_view(dataset: Dataset, *, standardize=False, **descent) -> LinearDescentView:
    """The linear page's view; `descent` are `run_descent`'s keyword options (learning_rate, ...)."""
    data = standardized(dataset) if standardize else dataset
    run = run_descent("linear", data.x, data.y, **descent)
    w_scale, b_scale = line_scales(data.x, data.y)
    box = explore_box(run.optimum.w, run.optimum.b, w_scale=w_scale, b_scale=b_scale)
    window = plot_window(run.path, box)
    return LinearDescentView(
        data,
        run,
        step_stability(data.x, run.settings.learning_rate),
        mse_curvature(dataset.x).condition_number,
        box,
        window,
        path_on_plot(run.path, window),
    )


@dataclass(frozen=True, eq=False)
class FitView:
    """The data (at most MAX_DATA_POINTS shown) with three lines across its x range, and the
    residuals of the descent's line, as NaN-separated vertical segments."""

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
    """Lines ŷ = w x + b for (w, b) = `descent`, `optimum` and `own` over the data, and the residuals of
    the descent's line (the live chart moves it and them with the shown iteration)."""
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    x_shown, y_shown = x[shown], y[shown]
    line_x = np.array([x.min(), x.max()])
    own_w, own_b = own
    fitted = descent[0] * x_shown + descent[1]
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


# ---------------------------------------------------------------------------------------------
# Logistic regression: the probability curve, the decision boundary, and separable classes


def logistic_scales(x) -> tuple[float, float]:
    """How far each axis of the landscape's plane must move to change the probabilities noticeably:
    ten units of the margin z = w·x + b. For one feature (w, b): 10/sd(x) and 10; for two (w₁, w₂):
    10/sd(x₁) and 10/sd(x₂). A constant column counts as unit spread."""
    spread = np.atleast_1d(np.std(x, axis=0))
    scales = 10.0 / np.where(spread > 0, spread, 1.0)
    return (float(scales[0]), 10.0) if len(scales) == 1 else (float(scales[0]), float(scales[1]))


def weight_plane(run: DescentRun) -> DescentRun:
    """The run as drawn over the (w₁, w₂) plane of a two-feature model: w₁ in the place of w and w₂ in
    that of b, in the path and the optimum, so the plane helpers draw it unchanged. The loss of each
    iterate stays its own (at its own bias)."""
    path = replace(run.path, w=run.path.w[:, 0], b=run.path.w[:, 1])
    optimum = run.optimum
    if run.has_optimum:
        optimum = replace(optimum, w=optimum.w[0], b=optimum.w[1])
    return replace(run, path=path, optimum=optimum)


def weight_norms(path: DescentPath) -> np.ndarray:
    """‖w‖ at every iterate (|w| for one feature)."""
    return np.abs(path.w) if path.w.ndim == 1 else np.linalg.norm(path.w, axis=1)


def predicted_classes(x, w, b) -> np.ndarray:
    """1 where σ(w·x + b) > 0.5, that is where the margin w·x + b is positive; else 0."""
    return (np.dot(np.reshape(x, (len(x), -1)), np.atleast_1d(w)) + b > 0).astype(float)


@dataclass(frozen=True, eq=False)
class LogisticDescentView:
    """Everything the logistic-regression page shows that depends on the data and the descent settings.

    `plane` is the run in the landscape's plane: `run` itself for one feature, `weight_plane(run)` for two.
    """

    data: Dataset  # as descent sees it (standardised when asked)
    run: DescentRun
    plane: DescentRun
    window: Window
    path: PathOnPlot

    @property
    def two_features(self) -> bool:
        return self.data.x.ndim == 2

    def slice_bias(self, iteration: int) -> float | None:
        """For two features the landscape is the loss over (w₁, w₂) at the bias of the shown iterate."""
        return float(self.run.path.b[self._clamped(iteration)]) if self.two_features else None

    def _clamped(self, iteration: int) -> int:
        return min(
            check_integer("iteration", iteration, low=0, high=MAX_ITERATIONS), len(self.run.path.b) - 1
        )

    @property
    def method_note(self) -> str:
        return method_note(self.run.settings)

    @property
    def warning(self) -> str | None:
        """Why descent misbehaved (the loss grew, or it overflowed), in Markdown; None when it did not."""
        return _with_window_note([self.run.path.message] if self.run.path.message else [], self.path)

    @property
    def metrics(self) -> list[Metric]:
        run, path = self.run, self.run.path
        weights = (
            [Metric("Final w₁", short_number(path.w[-1, 0]), answer=True),
             Metric("Final w₂", short_number(path.w[-1, 1]), answer=True)]
            if self.two_features
            else [Metric("Final w", short_number(path.w[-1]), answer=True)]
        )  # fmt: skip
        accuracy = np.mean(predicted_classes(self.data.x, path.w[-1], path.b[-1]) == self.data.y)
        if run.has_optimum:
            last = _convergence_metric(run, "cross-entropy")
        elif self.two_features:
            last = Metric("Final ‖w‖", short_number(weight_norms(path)[-1], 4), "It grows without bound.")
        else:  # |w| is the metric beside; what settles while it grows is the boundary
            boundary = _threshold(path.w[-1], path.b[-1])
            shown = "none" if boundary is None else short_number(boundary, 4)
            last = Metric(
                "Final boundary x", shown, "x = −b/w, where σ(w x + b) = 0.5: it settles as w grows."
            )
        return [
            *weights,
            Metric("Final b", short_number(path.b[-1]), answer=True),
            Metric(
                "Final cross-entropy",
                short_number(path.loss[-1], 4),
                "The seed's loss, its probabilities clipped.",
            ),
            Metric("Accuracy", f"{accuracy:.1%}", "Share of samples on the right side of the boundary."),
            last,
        ]

    @property
    def optimum_summary(self) -> str | None:
        """The optimum in Markdown, or None for separable classes (which have none)."""
        optimum = self.run.optimum
        if not self.run.has_optimum:
            return None
        weights = (
            f"**w₁\\* = {optimum.w[0]:.6g}**, **w₂\\* = {optimum.w[1]:.6g}**"
            if self.two_features
            else f"**w\\* = {optimum.w:.6g}**"
        )
        return (
            f"Optimum (scikit-learn, unpenalised): {weights}, **b\\* = {optimum.b:.6g}**, "
            f"cross-entropy\\* = {optimum.loss:.6g}."
        )

    @property
    def separable_note(self) -> str | None:
        """Why separable classes have no finite minimum, in Markdown; None when they are not separable."""
        if not self.run.optimum.separable:
            return None
        return (
            f"{self.run.optimum.message} Scaling w and b up together keeps the boundary where it is and "
            "pushes every σ(w·x + b) closer to its label, so every term of the loss shrinks: the loss "
            "approaches 0 but reaches it only at infinitely large weights. Descent follows that slope "
            "for ever: ‖w‖ keeps growing (for gradient descent, roughly like the logarithm of the number "
            "of steps) while the boundary settles and the probability curve steepens toward a step. An L2 "
            "penalty or a little label noise restores a finite minimum; an unpenalised fit stops wherever "
            "its tolerance says, so its numbers are not an optimum."
        )

    def marked(self, iteration: int) -> MarkedPoints:
        return marked_points(self.plane, iteration)

    def class_view(self, iteration: int) -> ProbabilityView | BoundaryView:
        """The data with the model of iterate `iteration` (and of the optimum, if there is one)."""
        k = self._clamped(iteration)
        path, optimum = self.run.path, self.run.optimum
        descent = (path.w[k], float(path.b[k]))
        best = (optimum.w, optimum.b) if self.run.has_optimum else None
        build = boundary_view if self.two_features else probability_view
        return build(self.data.x, self.data.y, descent=descent, optimum=best, loss=float(path.loss[k]))


def logistic_descent_view(dataset: Dataset, *, standardize=False, **descent) -> LogisticDescentView:
    """The logistic page's view; `descent` are `run_descent`'s keyword options (learning_rate, ...)."""
    data = standardized(dataset) if standardize else dataset
    run = run_descent("logistic", data.x, data.y, **descent)
    plane = weight_plane(run) if data.x.ndim == 2 else run
    w_scale, b_scale = logistic_scales(data.x)
    centre = (plane.optimum.w, plane.optimum.b) if plane.has_optimum else (0.0, 0.0)
    box = explore_box(*centre, w_scale=w_scale, b_scale=b_scale)
    window = plot_window(plane.path, box)
    return LogisticDescentView(data, run, plane, window, path_on_plot(plane.path, window))


@dataclass(frozen=True, eq=False)
class ProbabilityView:
    """One feature: the data (classes drawn at 0 and 1, a little apart so piles of points show) with the
    probability curves σ(w x + b) of the chosen iterate and of the optimum, and their decision boundaries
    x = −b/w (None where w = 0: no boundary; drawn only inside the plotted x range)."""

    x: np.ndarray
    y: np.ndarray
    y_drawn: np.ndarray  # y spread by up to ±0.03
    curve_x: np.ndarray
    descent_curve: np.ndarray
    optimum_curve: np.ndarray | None
    boundary: float | None
    optimum_boundary: float | None
    x_range: tuple[float, float]
    accuracy: float
    loss: float

    @property
    def summary(self) -> str:
        """The model at this iterate in words (Markdown): its boundary, loss and accuracy."""
        if self.boundary is None:
            boundary = "no boundary (w = 0: σ is 0.5 everywhere)"
        else:
            inside = self.x_range[0] <= self.boundary <= self.x_range[1]
            boundary = f"boundary x = −b/w = **{self.boundary:.4g}**" + ("" if inside else " (off the plot)")
        return f"{boundary}, cross-entropy **{self.loss:.4g}**, accuracy **{self.accuracy:.1%}**."


def _spread(n: int, width: float = 0.03) -> np.ndarray:
    """A deterministic scatter in [−width, width] (golden-ratio steps): no two neighbours coincide."""
    return width * (2.0 * ((np.arange(n) * 0.6180339887498949) % 1.0) - 1.0)


def _threshold(w: float, b: float) -> float | None:
    return None if w == 0 else -b / w


def probability_view(x, y, *, descent, optimum, loss) -> ProbabilityView:
    """σ(w x + b) along the data's x range for `descent` = (w, b) and `optimum` (None if none)."""
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    low, high = float(np.min(x)), float(np.max(x))
    pad = 0.05 * (high - low)
    x_range = (low - pad, high + pad)
    curve_x = np.linspace(*x_range, PROBABILITY_POINTS)
    w, b = float(descent[0]), descent[1]
    optimum_curve = None if optimum is None else expit(optimum[0] * curve_x + optimum[1])
    return ProbabilityView(
        x[shown],
        y[shown],
        y[shown] + _spread(len(shown)),
        curve_x,
        expit(w * curve_x + b),
        optimum_curve,
        _threshold(w, b),
        None if optimum is None else _threshold(*optimum),
        x_range,
        float(np.mean(predicted_classes(x, w, b) == y)),
        loss,
    )


@dataclass(frozen=True, eq=False)
class BoundaryView:
    """Two features: the data in the (x₁, x₂) plane with the boundary lines w₁ x₁ + w₂ x₂ + b = 0 of the
    chosen iterate and of the optimum, clipped to the plotted box (None where a line misses it or w = 0),
    and the iterate's probability σ(w·x + b) on a coarse grid behind the points."""

    x: np.ndarray  # (k, 2)
    y: np.ndarray
    descent_line: np.ndarray | None  # (2, 2): its two ends
    optimum_line: np.ndarray | None
    box: tuple[float, float, float, float]  # x₁ range, then x₂ range
    grid_x1: np.ndarray
    grid_x2: np.ndarray
    probability: np.ndarray  # [j, i] at (grid_x1[i], grid_x2[j])
    accuracy: float
    loss: float

    @property
    def summary(self) -> str:
        """The model at this iterate in words (Markdown): its loss and accuracy."""
        return f"cross-entropy **{self.loss:.4g}**, accuracy **{self.accuracy:.1%}**."


def _padded(values, fraction=0.08) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = fraction * (high - low) if high > low else 1.0
    return low - pad, high + pad


def boundary_segment(w, b, box) -> np.ndarray | None:
    """The part of the line w₁ u + w₂ v + b = 0 inside box = (u_min, u_max, v_min, v_max), as its two
    ends; None when w = 0 or the line misses the box."""
    (w1, w2), (u_min, u_max, v_min, v_max) = (float(w[0]), float(w[1])), box
    ends = []
    if w2 != 0:
        ends += [(u, -(w1 * u + b) / w2) for u in (u_min, u_max)]
    if w1 != 0:
        ends += [(-(w2 * v + b) / w1, v) for v in (v_min, v_max)]
    tolerance = 1e-12 * max(u_max - u_min, v_max - v_min)
    inside = [
        (u, v)
        for u, v in ends
        if u_min - tolerance <= u <= u_max + tolerance and v_min - tolerance <= v <= v_max + tolerance
    ]
    if len(inside) < 2:
        return None
    along = np.array(inside) @ np.array([-w2, w1])  # position along the line
    return np.array([inside[int(np.argmin(along))], inside[int(np.argmax(along))]])


def boundary_view(x, y, *, descent, optimum, loss, grid_points=41) -> BoundaryView:
    shown = evenly_spaced(len(x), MAX_DATA_POINTS)
    box = (*_padded(x[:, 0]), *_padded(x[:, 1]))
    w, b = np.asarray(descent[0], dtype=float), float(descent[1])
    grid_x1 = np.linspace(box[0], box[1], grid_points)
    grid_x2 = np.linspace(box[2], box[3], grid_points)
    margin = w[0] * grid_x1[np.newaxis, :] + w[1] * grid_x2[:, np.newaxis] + b
    return BoundaryView(
        x[shown],
        y[shown],
        boundary_segment(w, b, box),
        None if optimum is None else boundary_segment(optimum[0], optimum[1], box),
        box,
        grid_x1,
        grid_x2,
        expit(margin),
        float(np.mean(predicted_classes(x, w, b) == y)),
        loss,
    )


@dataclass(frozen=True, eq=False)
class WeightNormCurve:
    """‖w‖ against iteration, subsampled for drawing."""

    iterations: np.ndarray
    norm: np.ndarray


def weight_norm_curve(run: DescentRun, *, max_points=MAX_CURVE_POINTS) -> WeightNormCurve:
    shown = head_then_spaced(len(run.path.loss), max_points)
    return WeightNormCurve(shown, weight_norms(run.path)[shown])
