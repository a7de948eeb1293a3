"""One run of gradient descent on the regression pages, and the optimum it heads for.

`run_descent` runs any optimizer of core.training on full batches or mini-batches and measures the run
against `model_optimum` (least squares, or scikit-learn's unpenalised logistic fit); `DescentSettings`
holds the controls so caches can key on them; `standardized` rescales the data descent sees.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from core import training
from core.datasets import Dataset
from core.regression import (
    MAX_SAMPLES,
    DescentPath,
    LinearOptimum,
    LogisticOptimum,
    check_integer,
    check_option,
    check_samples,
    linear_optimum,
    logistic_optimum,
)

MODELS = ("linear", "logistic")
# Learning rates on a 1-2-5 log scale; both seed defaults (0.01 linear, 0.5 logistic) are on it.
LEARNING_RATES = tuple(float(f"{mantissa}e{exponent}") for exponent in range(-4, 1) for mantissa in (1, 2, 5))
LEARNING_RATES += (10.0,)
ITERATION_CHOICES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
CONVERGENCE_TOLERANCE = 0.01  # "within 1% of the optimal loss"
# Mini-batch sizes offered beside the full batch; a size at or above the sample count is the full batch.
BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200, 500)


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
