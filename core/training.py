"""Regression trained by any optimizer from ``core.optimizers``, on full batches or mini-batches (SGD).

With plain GD on full batches this is exactly the seed's gradient descent (same updates, same loss), so
the regression pages can offer optimizers without losing seed parity. The recorded loss is always the
full-data loss at each iterate — what the landscape shows — even when steps use mini-batches.
"""

from __future__ import annotations

import math

import numpy as np

from core import optimizers, regression
from core.validation import check_integer, check_option, check_real

OPTIMIZERS = ("GD", "Momentum", "Nesterov", "RMSProp", "Adam")  # Newton needs a Hessian: not offered here


def _features(model: str, x: np.ndarray) -> np.ndarray:
    return x if model == "linear" else x.reshape(len(x), -1)


def batch_indices(n_samples: int, batch_size: int, step: int, seed: int) -> np.ndarray:
    """The samples used at ``step``: each epoch is a fresh shuffle (by ``seed`` and the epoch number),
    cut into consecutive batches; the last, shorter batch of an epoch is used as it is."""
    per_epoch = math.ceil(n_samples / batch_size)
    epoch, position = divmod(step, per_epoch)
    order = np.random.default_rng([seed, epoch]).permutation(n_samples)
    return order[position * batch_size : (position + 1) * batch_size]


def descend(
    model: str,
    x: np.ndarray,
    y: np.ndarray,
    *,
    optimizer: str = "GD",
    learning_rate: float,
    n_iterations: int,
    batch_size: int | None = None,
    seed: int = 0,
    w0: float = 0.0,
    b0: float = 0.0,
) -> regression.DescentPath:
    """Train with the named optimizer; ``batch_size=None`` uses every sample at every step."""
    model = check_option("model", model, regression.MODELS)
    optimizer = check_option("optimizer", optimizer, OPTIMIZERS)
    n_iterations = check_integer("n_iterations", n_iterations, low=1, high=regression.MAX_ITERATIONS)
    seed = check_integer("seed", seed, low=0, high=2**32 - 1)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if batch_size is not None:
        batch_size = check_integer("batch_size", batch_size, low=1, high=len(y))
    if batch_size is None and optimizer == "GD":
        # exactly the seed's loop (and its checks and messages)
        return regression.gradient_descent(
            model, x, y, learning_rate=learning_rate, n_iterations=n_iterations, w0=w0, b0=b0
        )
    rule = optimizers.FACTORIES[optimizer](learning_rate)
    rows = None if batch_size is None else (lambda step: batch_indices(len(y), batch_size, step, seed))
    return regression.descend_with(
        model, x, y, rule, n_iterations=n_iterations, w0=w0, b0=b0, batch_rows=rows,
        name=optimizer if batch_size is None else f"{optimizer} on mini-batches of {batch_size}",
    )  # fmt: skip


def gradient_cloud(
    model: str,
    x: np.ndarray,
    y: np.ndarray,
    *,
    w: float,
    b: float,
    batch_size: int,
    seed: int,
    epoch: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """At (w, b): the full-batch gradient and the gradient of every mini-batch of one epoch's shuffle.

    Returns (full gradient of shape (2,), batch gradients of shape (n_batches, 2)): the noise SGD follows.
    """
    model = check_option("model", model, regression.MODELS)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    batch_size = check_integer("batch_size", batch_size, low=1, high=len(y))
    features = _features(model, x)
    params = np.array([check_real("w", w), check_real("b", b)])
    _, full = regression.loss_and_gradient(model, params, features, y)
    per_epoch = math.ceil(len(y) / batch_size)
    batches = [
        regression.loss_and_gradient(model, params, features[rows], y[rows])[1]
        for rows in (batch_indices(len(y), batch_size, epoch * per_epoch + k, seed) for k in range(per_epoch))
    ]
    return full, np.array(batches)
