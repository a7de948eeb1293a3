"""Losses, gradients, landscapes and optima for linear and logistic regression.

The seed's examples are the reference: `gradient_descent` follows their update rules and losses
exactly, and the landscapes give the seed's numbers faster, for any sample count, and without its
clipping artefacts. Every input is validated here because pages pass on untrusted values.
"""

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.optimize
from sklearn.linear_model import LogisticRegression

from core import optimizers
from core.validation import check_integer, check_option, check_real, show

MODELS = ("linear", "logistic")
MAX_SAMPLES = 1_000_000
MAX_AXIS_POINTS = 400
MAX_ITERATIONS = 10_000
MAX_DESCENT_WORK = 10**8  # n_iterations * n_samples: about a second of numpy
MAX_BCE_WORK = 4 * 10**8  # grid points * distinct samples: about two seconds
# Floats per temporary in bce_landscape: keeps each pass over the data inside L2 cache and the
# memory use fixed (256 KB per temporary) whatever the grid and sample count.
_CHUNK = 2**15


def _as_floats(name, values, *, ndims):
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers. Got {show(values)} instead.") from None
    if array.ndim not in ndims:
        shape = "1-D" if ndims == (1,) else "1-D or of shape (n, 2)"
        raise ValueError(f"{name} must be {shape}. Got shape {array.shape} instead.")
    bad = np.count_nonzero(~np.isfinite(array))
    if bad:
        raise ValueError(
            f"{name} must contain only finite numbers. Got {bad} NaN or infinite values instead."
        )
    return array


def check_samples(x, y, *, binary=False, two_features=False):
    x = _as_floats("x", x, ndims=(1, 2) if two_features else (1,))
    y = _as_floats("y", y, ndims=(1,))
    if x.ndim == 2 and x.shape[1] != 2:
        raise ValueError(f"x must be 1-D or of shape (n, 2). Got shape {x.shape} instead.")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length. Got {len(x)} and {len(y)} instead.")
    check_integer("the number of samples", len(y), low=2, high=MAX_SAMPLES)
    if binary and not np.isin(y, (0.0, 1.0)).all():
        found = ", ".join(f"{value:g}" for value in np.unique(y)[:5])
        raise ValueError(f"y must contain only 0 and 1 for logistic regression. Got values {found} instead.")
    return x, y


def _check_axis(name, values):
    values = _as_floats(name, values, ndims=(1,))
    check_integer(f"len({name})", len(values), low=1, high=MAX_AXIS_POINTS)
    return values


# ---------------------------------------------------------------------------------------------
# Linear regression: mean squared error


class _Moments(NamedTuple):
    mean_x: float
    mean_y: float
    sd_x: float
    slope: float  # least-squares slope; 0 for constant x, where every slope fits equally well
    residual: float  # mean squared residual of the least-squares line


def _moments(x, y):
    # Centring first keeps the loss accurate when the fit is good: the raw-moment form
    # Syy - 2w Sxy + w^2 Sxx cancels catastrophically near the optimum.
    mean_x, mean_y = np.mean(x), np.mean(y)
    xc, yc = x - mean_x, y - mean_y
    var_x = np.mean(xc * xc)
    slope = np.mean(xc * yc) / var_x if var_x > 0 else 0.0
    residuals = yc - slope * xc
    return _Moments(mean_x, mean_y, math.sqrt(var_x), slope, np.mean(residuals * residuals))


def mse_landscape(x, y, w_values, b_values):
    """Mean squared error on a grid: entry [j, i] is MSE(w_values[i], b_values[j]).

    MSE(w, b) = (sd_x (w - w*))² + residual* + (mean_y - w mean_x - b)², a sum of non-negative
    terms from centred statistics, so the cost does not depend on the sample count. Entries are
    inf only where the true loss exceeds the float range.
    """
    x, y = check_samples(x, y)
    w, b = _check_axis("w_values", w_values), _check_axis("b_values", b_values)
    m = _moments(x, y)
    with np.errstate(over="ignore"):
        slope_part = (m.sd_x * (w - m.slope)) ** 2 + m.residual
        offset = m.mean_y - w * m.mean_x
        return slope_part[np.newaxis, :] + (offset[np.newaxis, :] - b[:, np.newaxis]) ** 2


def mse_gradient_field(x, y, w_values, b_values):
    """(dL/dw, dL/db) of the MSE on a grid, each of shape (len(b_values), len(w_values)).

    Exact closed forms of the seed's -2 mean((y - ŷ) x) and -2 mean(y - ŷ), independent of n.
    """
    x, y = check_samples(x, y)
    w, b = _check_axis("w_values", w_values), _check_axis("b_values", b_values)
    m = _moments(x, y)
    with np.errstate(over="ignore", invalid="ignore"):
        mean_residual = (m.mean_y - w * m.mean_x)[np.newaxis, :] - b[:, np.newaxis]
        grad_b = -2.0 * mean_residual
        grad_w = (-2.0 * m.sd_x**2 * (m.slope - w))[np.newaxis, :] + grad_b * m.mean_x
    return grad_w, grad_b


class LinearOptimum(NamedTuple):
    """Least-squares slope, intercept and the MSE there."""

    w: float
    b: float
    loss: float


def linear_optimum(x, y):
    """Least-squares line: w* = cov(x, y) / var(x), b* = mean_y - w* mean_x, and its MSE."""
    x, y = check_samples(x, y)
    m = _moments(x, y)
    if m.sd_x == 0:
        raise ValueError("x must take at least two distinct values. Got a constant x instead.")
    return LinearOptimum(float(m.slope), float(m.mean_y - m.slope * m.mean_x), float(m.residual))


def _check_x(x):
    x = _as_floats("x", x, ndims=(1,))
    check_integer("the number of samples", len(x), low=2, high=MAX_SAMPLES)
    return x


def mse_hessian(x):
    """Hessian of the MSE in (w, b): [[2 mean x², 2 mean x], [2 mean x, 2]] (constant in w, b)."""
    x = _check_x(x)
    mean_x = np.mean(x)
    return np.array([[2.0 * np.mean(x * x), 2.0 * mean_x], [2.0 * mean_x, 2.0]])


class Curvature(NamedTuple):
    """How the MSE bowl is shaped, and what that means for the learning rate."""

    eigenvalues: tuple[float, float]  # ascending
    condition_number: float  # inf when x is constant (a flat valley)
    max_stable_learning_rate: float  # 2 / λ_max: gradient descent diverges at or above it


def mse_curvature(x):
    """Eigenvalues and condition number of the MSE Hessian, and the stability bound 2 / λ_max."""
    x = _check_x(x)
    hessian = mse_hessian(x)
    half_trace = (hessian[0, 0] + hessian[1, 1]) / 2.0
    determinant = 4.0 * np.mean((x - np.mean(x)) ** 2)  # 4 var(x), computed without cancellation
    largest = half_trace + math.sqrt(max(half_trace**2 - determinant, 0.0))
    smallest = determinant / largest  # product of the eigenvalues = determinant; avoids cancellation
    condition = largest / smallest if smallest > 0 else math.inf
    return Curvature((float(smallest), float(largest)), float(condition), float(2.0 / largest))


# ---------------------------------------------------------------------------------------------
# Logistic regression: binary cross-entropy


def _softplus(z):
    """log(1 + e^z) elementwise, in place; max(z, 0) + log1p(e^-|z|) never overflows."""
    positive = np.maximum(z, 0.0)
    np.abs(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    np.log1p(z, out=z)
    z += positive
    return z


def bce_landscape(x, y, w_values, b_values):
    """Binary cross-entropy on a grid: entry [j, i] is the mean loss at (w_values[i], b_values[j]).

    Per sample the loss is log(1 + e^z) - y z with z = w x + b; for y in {0, 1} that equals
    softplus(s z) with s = 1 - 2y, which is exact at any margin (no cancellation, no clipping).
    Needs len(w_values) * len(b_values) * (distinct (x, y) pairs) <= MAX_BCE_WORK.
    """
    x, y = check_samples(x, y, binary=True)
    w, b = _check_axis("w_values", w_values), _check_axis("b_values", b_values)
    # Repeated (x, y) pairs contribute identical terms: evaluate each once, weighted by its count.
    # (One 1-D unique per class is ten times faster than np.unique over rows.)
    (zeros, zero_counts), (ones, one_counts) = (np.unique(x[y == c], return_counts=True) for c in (0, 1))
    work = len(w) * len(b) * (len(zeros) + len(ones))
    if work > MAX_BCE_WORK:
        raise ValueError(
            f"len(w_values) * len(b_values) * (distinct samples) must be <= {MAX_BCE_WORK:.0e}. "
            f"Got {work:.2e} instead; use a coarser grid or fewer samples."
        )
    sign = np.concatenate((np.ones(len(zeros)), -np.ones(len(ones))))
    signed_x = np.concatenate((zeros, -ones))
    weights = np.concatenate((zero_counts, one_counts)).astype(float)
    total = np.zeros((len(b), len(w)))
    samples_per_block = max(1, _CHUNK // len(w))
    with np.errstate(over="ignore"):
        for start in range(0, len(sign), samples_per_block):
            block = slice(start, start + samples_per_block)
            wx = np.multiply.outer(w, signed_x[block])
            rows_per_chunk = max(1, _CHUNK // wx.size)
            for row in range(0, len(b), rows_per_chunk):
                rows = slice(row, row + rows_per_chunk)
                z = wx + np.multiply.outer(b[rows], sign[block])[:, np.newaxis, :]
                chunk_total = _softplus(z).reshape(-1, wx.shape[1]) @ weights[block]
                total[rows] += chunk_total.reshape(-1, len(w))
    return total / len(y)


def _exact_bce(x, y, w, b):
    return float(np.mean(_softplus((1.0 - 2.0 * y) * (x @ w + b))))


def linearly_separable(x, y):
    """True when a threshold on x (a line for 2 features) has every 0 on one side and every 1 on the other.

    Points on the threshold itself count as separated: in both cases (complete and quasi-complete
    separation) the logistic loss keeps falling as |w| grows and has no finite minimiser.
    """
    x, y = check_samples(x, y, binary=True, two_features=True)
    _check_both_classes(y)
    if x.ndim == 1:
        zeros, ones = x[y == 0], x[y == 1]
        # A constant x puts every point on the threshold: the loss then depends on b alone and
        # has a finite minimum, so that is not separation.
        return bool((zeros.max() <= ones.min() or ones.max() <= zeros.min()) and np.ptp(x) > 0)
    # Separated iff some (w, b) has s_i (w·x_i + b) >= 0 for all i and > 0 for some i (s_i = ±1).
    # Maximise the sum of those products inside a box; it is 0 exactly when the classes overlap.
    # Centring and scaling the columns keeps the LP's fixed tolerances meaningful.
    spread = np.abs(x - x.mean(axis=0)).max(axis=0)
    scaled = (x - x.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    signed = (2.0 * y - 1.0)[:, np.newaxis] * np.column_stack((scaled, np.ones(len(y))))
    result = scipy.optimize.linprog(
        -signed.sum(axis=0), A_ub=-signed, b_ub=np.zeros(len(y)), bounds=(-1, 1), method="highs"
    )
    return bool(result.status == 0 and -result.fun > 1e-6)


def _check_both_classes(y):
    if np.all(y == y[0]):
        raise ValueError(f"y must contain both classes 0 and 1. Got only {show(int(y[0]))} instead.")


@dataclass(frozen=True)
class LogisticOptimum:
    """Minimiser of the mean binary cross-entropy, or None fields when none exists (`separable`).

    `w` is a float for one feature and a tuple of two floats for two.
    """

    w: float | tuple[float, float] | None
    b: float | None
    loss: float | None
    separable: bool
    message: str


def logistic_optimum(x, y):
    """Unpenalised maximum-likelihood fit (scikit-learn, C=inf), unless the classes are separable."""
    x, y = check_samples(x, y, binary=True, two_features=True)
    _check_both_classes(y)
    if x.ndim == 1 and np.all(x == x[0]):
        raise ValueError("x must take at least two distinct values. Got a constant x instead.")
    if linearly_separable(x, y):
        boundary = "threshold on x" if x.ndim == 1 else "line in the (x₁, x₂) plane"
        return LogisticOptimum(
            None,
            None,
            None,
            True,
            f"The classes are linearly separable: a {boundary} puts every 0 on one side and every 1 "
            "on the other. The loss keeps falling as the weights grow, so there is no finite optimum "
            "and gradient descent never settles.",
        )
    features = x.reshape(len(y), -1)
    # C=inf switches the penalty off (penalty=None is deprecated since scikit-learn 1.8); the tight
    # tol makes the result a reference-quality optimum rather than a "good enough" fit.
    model = LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(features, y)
    w, b = model.coef_[0], float(model.intercept_[0])
    loss = _exact_bce(features, y, w, b)
    return LogisticOptimum(float(w[0]) if x.ndim == 1 else (float(w[0]), float(w[1])), b, loss, False, "")


# ---------------------------------------------------------------------------------------------
# Gradient descent, exactly as in the seed


def _mean(values):
    """np.mean over axis 0, bit for bit (same pairwise sum, same division), minus its Python overhead."""
    return np.add.reduce(values) / len(values)


def _sigmoid(z):
    """The seed's sigmoid: 1 / (1 + e^-z) with z clipped to [-30, 30]."""
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def _clipped_bce(y, p):
    """The seed's binary cross-entropy: p clipped to [1e-15, 1 - 1e-15] before the logs."""
    epsilon = 1e-15
    p = np.clip(p, epsilon, 1 - epsilon)
    return -_mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@dataclass(frozen=True, eq=False)
class DescentPath:
    """Iterates of gradient descent; index 0 is the start.

    `b` and `loss` have shape (k,), `w` has shape (k,) for one feature and (k, 2) for two.
    k = n_iterations + 1, except after divergence: the run then stops at the first iterate whose
    parameters or loss are not finite, `stopped_at` is that iterate's index and k == stopped_at.
    `message` is "" when the run went well, otherwise it says what went wrong and what to try.
    """

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    diverged: bool
    stopped_at: int | None
    message: str


def _linear_terms(w, b, x, y):
    residuals = y - (w * x + b)
    return _mean(residuals**2), -2 * _mean(residuals * x), -2 * _mean(residuals)


def _logistic_terms(w, b, x, y):
    p = _sigmoid(x @ w + b)
    errors = p - y
    return _clipped_bce(y, p), _mean(errors[:, np.newaxis] * x), _mean(errors)


def _advice(model, x):
    if model == "linear":
        bound = mse_curvature(x).max_stable_learning_rate
        return f"Use a learning rate below 2/λ_max = {bound:.4g} (λ_max: largest Hessian eigenvalue)."
    return "Use a smaller learning rate."


def gradient_descent(model, x, y, *, learning_rate, n_iterations, w0=0.0, b0=0.0):
    """Run the seed's gradient descent from (w0, b0) and record every iterate.

    linear:   ŷ = w x + b,       L = mean((y - ŷ)²),  ∇ = (-2 mean((y - ŷ) x), -2 mean(y - ŷ))
    logistic: p = σ(w·x + b),    L = the seed's clipped BCE,  ∇ = (mean((p - y) x), mean(p - y))
    each step: (w, b) ← (w, b) - learning_rate ∇.  For "logistic", x may have shape (n, 2); w0 is
    then a number (used for both weights) or a pair.
    """
    learning_rate = check_real("learning_rate", learning_rate, low=0, low_open=True)
    path = descend_with(model, x, y, optimizers.gd(learning_rate), n_iterations=n_iterations, w0=w0, b0=b0,
                        name="Gradient descent")  # fmt: skip
    if not path.message and path.loss[-1] > path.loss[0]:
        start, end = f"{path.loss[0]:.4g}", f"{path.loss[-1]:.4g}"
        # right at the stability bound the loss neither falls nor visibly grows: "grew from 1702 to 1702"
        change = f"grew from {start} to {end}" if start != end else f"did not fall (it stayed at {end})"
        path = dataclasses.replace(
            path,
            message=f"The loss {change}: the learning rate is too large, so each step overshoots the "
            f"minimum. {_advice(model, x)}",
        )
    return path


def descend_with(
    model, x, y, optimizer: optimizers.Optimizer, *, n_iterations, w0=0.0, b0=0.0, batch_rows=None, name=None
):
    """The regression pages' descent: `optimizers.trajectory`, the loop every optimizer runs in, on the
    seed's loss and gradient with respect to params = (w..., b), so one divergence rule holds everywhere.

    ``batch_rows(step)`` picks the samples each step's gradient uses (None: all). The recorded loss is the
    full-data loss at each iterate; the path also stops, and says so, before an iterate whose loss is not
    finite. `name` (the optimizer's by default) says in the message what diverged.
    """
    model = check_option("model", model, MODELS)
    n_iterations = check_integer("n_iterations", n_iterations, low=1, high=MAX_ITERATIONS)
    x, y = check_samples(x, y, binary=model == "logistic", two_features=model == "logistic")
    if n_iterations * len(y) > MAX_DESCENT_WORK:
        raise ValueError(
            f"n_iterations * (number of samples) must be <= {MAX_DESCENT_WORK:.0e}. "
            f"Got {n_iterations} * {len(y)} instead."
        )
    features = x if model == "linear" else x.reshape(len(y), -1)
    losses = []

    def step_gradient(params):
        loss, grad = loss_and_gradient(model, params, features, y)
        losses.append(loss)
        if batch_rows is not None:
            rows = batch_rows(len(losses) - 1)
            grad = loss_and_gradient(model, params, features[rows], y[rows])[1]
        return grad if math.isfinite(loss) else np.full_like(grad, np.nan)  # the run stops here

    with np.errstate(over="ignore", invalid="ignore"):
        run = optimizers.trajectory(optimizer, step_gradient, start_parameters(model, features, w0=w0, b0=b0),
                                    n_iterations)  # fmt: skip
        if not run.diverged:
            losses.append(loss_and_gradient(model, run.path[-1], features, y)[0])
    finite = np.isfinite(losses[: len(run.path)])
    kept = len(finite) if finite.all() else int(np.argmin(finite))
    if kept == 0:
        raise ValueError("The loss at the start (w0, b0) is not finite. Start closer to w0 = b0 = 0.")
    stopped_at = kept if run.diverged or kept < len(run.path) else None
    trajectory = run.path[:kept]
    weights = trajectory[:, 0] if trajectory.shape[1] == 2 else trajectory[:, :-1]
    message = ""
    if stopped_at is not None:
        message = (
            f"{name or optimizer.name} diverged: the parameters or the loss overflowed at iteration "
            f"{stopped_at}, so the path stops there. {_advice(model, x)}"
        )
    return DescentPath(
        weights, trajectory[:, -1], np.array(losses[:kept]), stopped_at is not None, stopped_at, message
    )


def _check_start_weights(w0, n_features):
    if isinstance(w0, numbers.Real):
        return np.full(n_features, check_real("w0", w0))
    weights = _as_floats("w0", w0, ndims=(1,))
    if len(weights) != n_features:
        raise ValueError(
            f"w0 must be a number or a sequence of {n_features} numbers. Got {len(weights)} numbers instead."
        )
    return weights


def loss_and_gradient(model, params, x, y):
    """The seed's loss and its gradient with respect to params = (w..., b) on the given samples.

    For "logistic", x has shape (n, d) here and params d + 1 entries.
    """
    w, b = params[:-1], params[-1]
    if model == "linear":
        loss, grad_w, grad_b = _linear_terms(w[0], b, x, y)
        return loss, np.array([grad_w, grad_b])
    loss, grad_w, grad_b = _logistic_terms(w, b, x, y)
    return loss, np.append(grad_w, grad_b)


def start_parameters(model, x, *, w0=0.0, b0=0.0):
    """The start (w0..., b0) as one validated vector, as `gradient_descent` would accept it."""
    model = check_option("model", model, MODELS)
    n_features = 1 if model == "linear" else np.asarray(x, dtype=float).reshape(len(x), -1).shape[1]
    weights = np.array([check_real("w0", w0)]) if model == "linear" else _check_start_weights(w0, n_features)
    return np.append(weights, check_real("b0", b0))


# ---------------------------------------------------------------------------------------------
# Plot ranges


def auto_range(points_w, points_b, *, margin=0.15):
    """(w_min, w_max, b_min, b_max) containing every finite point, widened by `margin` of the span.

    None and non-finite entries (e.g. the missing optimum of separable classes) are ignored; a
    zero span is widened to a unit-scale window so the range never has zero width.
    """
    margin = check_real("margin", margin, low=0, high=10)
    bounds = []
    for name, points in (("points_w", points_w), ("points_b", points_b)):
        try:
            flat = np.ravel(np.asarray(points, dtype=object))
            values = np.array([math.nan if value is None else value for value in flat], dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be an array of numbers. Got {show(points)} instead.") from None
        values = values[np.isfinite(values)]
        if values.size == 0:
            raise ValueError(f"{name} must contain at least one finite number. Got none instead.")
        low, high = float(values.min()), float(values.max())
        pad = margin * (high - low) if high > low else max(abs(low), 1.0) * max(margin, 0.5)
        bounds += [low - pad, high + pad]
    return tuple(bounds)
