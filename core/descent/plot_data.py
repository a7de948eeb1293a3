"""What the descent charts draw, as finished arrays: the loss over a window (`loss_landscape`), the path
on it (`path_on_plot`), the marked points, the loss curve, the mini-batch gradient cloud around the full
gradient (`gradient_cloud_view`) and the iterates as a table.

The plane's axes are named w and b; for two features they are (w₁, w₂) at a fixed bias.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core import training
from core.descent.run import MODELS, DescentRun
from core.descent.window import ParameterWindow
from core.regression import (
    MAX_AXIS_POINTS,
    MAX_BCE_WORK,
    MAX_ITERATIONS,
    DescentPath,
    _softplus,  # exact log(1 + e^z) in place: bce_landscape's own
    bce_landscape,
    check_integer,
    check_option,
    check_real,
    check_samples,
    mse_landscape,
)

GRID_POINTS = 81  # per axis of the landscape; odd, so every other point (the 3-D surface) keeps both ends
MAX_PATH_POINTS = 400
MAX_DATA_POINTS = 2000
MAX_CURVE_POINTS = 1000
MAX_CLOUD_BATCHES = 1000  # gradients drawn in the mini-batch cloud: one epoch's batches, at most this many
PLANE_WORK = 10**6  # grid points × samples of one (w₁, w₂) slice: a few milliseconds
_PLANE_CHUNK = 2**16  # floats per temporary in bce_weight_plane: half a megabyte, whatever the grid


@dataclass(frozen=True, eq=False)
class DescentLandscape:
    """Loss on a grid: loss[j, i] at (w[i], b[j]) (for two features: at (w₁, w₂) = (w[i], b[j]))."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray


def loss_landscape(
    model, x, y, window: ParameterWindow, *, bias=None, points=GRID_POINTS
) -> DescentLandscape:
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
        return DescentLandscape(w, b, bce_weight_plane(x, y, w, b, bias=bias))
    landscape = mse_landscape if model == "linear" else bce_landscape
    return DescentLandscape(w, b, landscape(x, y, w, b))


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


def path_on_plot(path: DescentPath, window: ParameterWindow, *, max_points=MAX_PATH_POINTS) -> PathOnPlot:
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
