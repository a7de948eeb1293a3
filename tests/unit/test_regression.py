"""core.regression against trusted references: the seed's own code, numpy least squares,
scikit-learn, finite differences and brute-force numpy."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LinearRegression

from core import optimizers, regression
from core.regression import (
    auto_range,
    bce_landscape,
    gradient_descent,
    linear_optimum,
    linearly_separable,
    logistic_optimum,
    mse_curvature,
    mse_gradient_field,
    mse_hessian,
    mse_landscape,
)

# --- The seed's code (section 2 and 3), verbatim apart from being wrapped in functions ----------


def seed_mse_grid(X, y, w_range, b_range):
    W, B = np.meshgrid(w_range, b_range)  # noqa: RUF059
    Z = np.zeros_like(W)
    for i in range(len(w_range)):
        for j in range(len(b_range)):
            w, b = w_range[i], b_range[j]
            predictions = w * X + b
            Z[j, i] = np.mean((y - predictions) ** 2)  # MSE loss
    return Z


def seed_linear_gradients(w, b, X, y):
    predictions = w * X + b
    residuals = y - predictions
    dL_dw = -2 * np.mean(residuals * X)
    dL_db = -2 * np.mean(residuals)
    return dL_dw, dL_db


def seed_linear_descent(X, y, learning_rate=0.01, n_iterations=100):
    w = 0  # Initialize weight
    b = 0  # Initialize bias
    w_history = [w]
    b_history = [b]
    loss_history = [np.mean((y - (w * X + b)) ** 2)]
    for i in range(n_iterations):  # noqa: B007
        dL_dw, dL_db = seed_linear_gradients(w, b, X, y)
        w = w - learning_rate * dL_dw
        b = b - learning_rate * dL_db
        w_history.append(w)
        b_history.append(b)
        loss_history.append(np.mean((y - (w * X + b)) ** 2))
    return w, b, w_history, b_history, loss_history


def sigmoid(z):
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))  # Clip to avoid overflow


def binary_cross_entropy(y_true, y_pred):
    epsilon = 1e-15  # Small constant to avoid log(0)
    y_pred = np.clip(y_pred, epsilon, 1 - epsilon)  # Clip predictions to avoid log(0)
    return -np.mean(y_true * np.log(y_pred) + (1 - y_true) * np.log(1 - y_pred))


def seed_bce_grid(X, y, w_range, b_range):
    W, B = np.meshgrid(w_range, b_range)  # noqa: RUF059
    Z = np.zeros_like(W)
    for i in range(len(w_range)):
        for j in range(len(b_range)):
            w, b = w_range[i], b_range[j]
            z = w * X + b
            predictions = sigmoid(z)
            Z[j, i] = binary_cross_entropy(y, predictions)
    return Z


def seed_logistic_gradients(w, b, X, y):
    z = w * X + b
    predictions = sigmoid(z)
    dL_dw = np.mean((predictions - y) * X)
    dL_db = np.mean(predictions - y)
    return dL_dw, dL_db


def seed_logistic_descent(X, y, learning_rate=0.1, n_iterations=100):
    w = 0  # Initialize weight
    b = 0  # Initialize bias
    w_history = [w]
    b_history = [b]
    loss_history = []
    z = w * X + b
    predictions = sigmoid(z)
    loss_history.append(binary_cross_entropy(y, predictions))
    for i in range(n_iterations):  # noqa: B007
        dL_dw, dL_db = seed_logistic_gradients(w, b, X, y)
        w = w - learning_rate * dL_dw
        b = b - learning_rate * dL_db
        w_history.append(w)
        b_history.append(b)
        z = w * X + b
        predictions = sigmoid(z)
        loss_history.append(binary_cross_entropy(y, predictions))
    return w, b, w_history, b_history, loss_history


X_LIN, Y_LIN = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
X_LIN = X_LIN.flatten()
X_LOG, Y_LOG = make_classification(
    n_samples=100, n_features=1, n_informative=1, n_redundant=0, n_clusters_per_class=1, random_state=42
)
X_LOG = X_LOG.flatten()

# --- Strategies ---------------------------------------------------------------------------------

moderate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def regression_samples(draw, max_size=30):
    n = draw(st.integers(2, max_size))
    x = np.array(draw(st.lists(moderate, min_size=n, max_size=n)))
    y = np.array(draw(st.lists(moderate, min_size=n, max_size=n)))
    return x, y


feature_values = st.floats(-20, 20, allow_subnormal=False)


@st.composite
def classification_samples(draw, max_size=30, values=feature_values):
    n = draw(st.integers(2, max_size))
    # A small pool of x values makes repeated (x, y) pairs likely, which bce_landscape merges.
    pool = draw(st.lists(values, min_size=1, max_size=n))
    x = np.array(draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n)))
    y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    return x, y


axis_values = st.lists(moderate, min_size=1, max_size=6).map(np.array)


def error_message(text):
    """pytest.raises(match=...) for an exact message."""
    return pytest.raises(ValueError, match=f"^{re.escape(text)}$")


# --- MSE landscape ------------------------------------------------------------------------------


def test_mse_landscape_matches_the_seed_double_loop():
    grid = np.linspace(-3, 3, 100)
    np.testing.assert_allclose(
        mse_landscape(X_LIN, Y_LIN, grid, grid), seed_mse_grid(X_LIN, Y_LIN, grid, grid), rtol=1e-9
    )


def test_mse_landscape_rows_are_b_and_columns_are_w():
    w_values, b_values = np.array([-1.0, 0.0, 2.0]), np.array([5.0, -5.0])
    landscape = mse_landscape(X_LIN, Y_LIN, w_values, b_values)
    assert landscape.shape == (2, 3)
    assert landscape[1, 2] == pytest.approx(np.mean((Y_LIN - (2.0 * X_LIN - 5.0)) ** 2), rel=1e-12)


def test_mse_landscape_matches_brute_force_over_a_million_samples():
    rng = np.random.default_rng(7)
    # A large offset in x and y is where the raw-moment formula would lose digits.
    x = rng.normal(50.0, 1.0, size=10**6)
    y = 3.0 * x + 2.0 + rng.normal(size=10**6)
    w_values, b_values = np.array([2.9, 3.0, 3.1]), np.array([1.0, 2.0])
    brute = [[np.mean((y - (w * x + b)) ** 2) for w in w_values] for b in b_values]
    np.testing.assert_allclose(mse_landscape(x, y, w_values, b_values), brute, rtol=1e-9)


@given(regression_samples(), axis_values, axis_values)
def test_mse_landscape_equals_brute_force(samples, w_values, b_values):
    x, y = samples
    brute = np.mean((y - (w_values[None, :, None] * x + b_values[:, None, None])) ** 2, axis=-1)
    # The brute force itself rounds each residual to about eps * (|y| + |w x| + |b|).
    scale = np.abs(y).max() + np.abs(w_values).max() * np.abs(x).max() + np.abs(b_values).max()
    np.testing.assert_allclose(
        mse_landscape(x, y, w_values, b_values), brute, rtol=1e-9, atol=1e-12 * scale**2
    )


def test_mse_gradient_field_matches_the_seed_gradients_and_finite_differences():
    w_values, b_values = np.linspace(-3, 3, 7), np.linspace(-2, 2, 5)
    grad_w, grad_b = mse_gradient_field(X_LIN, Y_LIN, w_values, b_values)
    seed = np.array([[seed_linear_gradients(w, b, X_LIN, Y_LIN) for w in w_values] for b in b_values])
    np.testing.assert_allclose(grad_w, seed[..., 0], rtol=1e-9)
    np.testing.assert_allclose(grad_b, seed[..., 1], rtol=1e-9, atol=1e-12)
    h = 1e-4  # the loss is quadratic, so central differences are exact up to rounding
    fd_w = (
        mse_landscape(X_LIN, Y_LIN, w_values + h, b_values)
        - mse_landscape(X_LIN, Y_LIN, w_values - h, b_values)
    ) / (2 * h)
    fd_b = (
        mse_landscape(X_LIN, Y_LIN, w_values, b_values + h)
        - mse_landscape(X_LIN, Y_LIN, w_values, b_values - h)
    ) / (2 * h)
    np.testing.assert_allclose(grad_w, fd_w, rtol=1e-6)
    np.testing.assert_allclose(grad_b, fd_b, rtol=1e-6, atol=1e-6)


def test_mse_landscape_of_a_constant_x_is_flat_in_w_up_to_the_intercept():
    x, y = np.full(5, 2.0), np.arange(5.0)
    landscape = mse_landscape(x, y, [0.0, 1.0], [0.0])
    np.testing.assert_allclose(landscape[0], [np.mean(y**2), np.mean((y - 2.0) ** 2)], rtol=1e-12)


# --- BCE landscape ------------------------------------------------------------------------------


def test_bce_landscape_matches_the_seed_double_loop_on_the_seed_grid():
    grid = np.linspace(-5, 5, 100)
    np.testing.assert_allclose(
        bce_landscape(X_LOG, Y_LOG, grid, grid), seed_bce_grid(X_LOG, Y_LOG, grid, grid), rtol=1e-6
    )


@given(classification_samples(), axis_values, axis_values)
def test_bce_landscape_equals_brute_force_logaddexp(samples, w_values, b_values):
    x, y = samples
    z = w_values[None, :, None] * x + b_values[:, None, None]
    textbook = np.mean(np.logaddexp(0, z) - y * z, axis=-1)
    # logaddexp(0, z) - y z cancels to about eps * |z|; the signed form does not cancel at all.
    np.testing.assert_allclose(
        bce_landscape(x, y, w_values, b_values), textbook, rtol=1e-9, atol=1e-13 * (1 + np.abs(z).max())
    )
    signed = np.mean(np.logaddexp(0, (1 - 2 * y) * z), axis=-1)
    np.testing.assert_allclose(bce_landscape(x, y, w_values, b_values), signed, rtol=1e-12)


@pytest.mark.parametrize("w", [1e6, -1e6])
def test_bce_landscape_is_exact_and_finite_at_huge_margins(w):
    landscape = bce_landscape(X_LOG, Y_LOG, [w], [0.0])
    reference = np.mean(np.logaddexp(0, (1 - 2 * Y_LOG) * w * X_LOG))
    assert np.isfinite(landscape).all()
    assert landscape[0, 0] == pytest.approx(reference, rel=1e-12)
    # The seed's clipping flattens every such loss to at most -log(1e-15) ≈ 34.5.
    assert landscape[0, 0] > 1e3 > seed_bce_grid(X_LOG, Y_LOG, [w], [0.0])[0, 0]


def test_bce_landscape_keeps_tiny_losses_accurate():
    # A well-separated point contributes log1p(e^-50) ≈ 2e-22, which a subtraction would lose.
    landscape = bce_landscape([-1.0, 1.0], [0.0, 1.0], [50.0], [0.0])
    assert landscape[0, 0] == pytest.approx(np.log1p(np.exp(-50.0)), rel=1e-12)


def test_bce_landscape_gives_the_same_numbers_in_small_chunks(monkeypatch):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=50), rng.integers(0, 2, size=50).astype(float)
    w_values, b_values = np.linspace(-4, 4, 9), np.linspace(-3, 3, 11)
    expected = bce_landscape(x, y, w_values, b_values)
    for chunk in (1, 7, 200):  # sample blocks smaller than the grid, row chunks, both
        monkeypatch.setattr(regression, "_CHUNK", chunk)
        np.testing.assert_allclose(bce_landscape(x, y, w_values, b_values), expected, rtol=1e-13)


# --- Limits and input checks --------------------------------------------------------------------


def test_landscapes_reject_too_many_grid_values():
    with error_message("len(w_values) must be an integer in [1, 400]. Got 401 instead."):
        mse_landscape(X_LIN, Y_LIN, np.zeros(401), [0.0])
    with error_message("len(b_values) must be an integer in [1, 400]. Got 0 instead."):
        bce_landscape(X_LOG, Y_LOG, [0.0], [])


def test_landscapes_reject_too_many_samples():
    x = np.zeros(regression.MAX_SAMPLES + 1)
    with error_message("the number of samples must be an integer in [2, 1000000]. Got 1000001 instead."):
        mse_landscape(x, x, [0.0], [0.0])


def test_bce_landscape_rejects_too_much_work():
    x = np.arange(10_000.0)
    with pytest.raises(ValueError, match="use a coarser grid or fewer samples"):
        bce_landscape(x, x % 2, np.zeros(400), np.zeros(400))


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (
            [1.0, np.nan],
            [0.0, 1.0],
            "x must contain only finite numbers. Got 1 NaN or infinite values instead.",
        ),
        (
            [1.0, 2.0],
            [0.0, np.inf],
            "y must contain only finite numbers. Got 1 NaN or infinite values instead.",
        ),
        ([1.0, 2.0, 3.0], [0.0, 1.0], "x and y must have the same length. Got 3 and 2 instead."),
        ([[1.0, 2.0]], [0.0], "x must be 1-D. Got shape (1, 2) instead."),
        (["a", "b"], [0.0, 1.0], "x must be an array of numbers. Got a value of type list instead."),
        ([1.0], [0.0], "the number of samples must be an integer in [2, 1000000]. Got 1 instead."),
    ],
)
def test_bad_samples_are_rejected_with_a_clear_message(x, y, message):
    with error_message(message):
        mse_landscape(x, y, [0.0], [0.0])


def test_bce_landscape_needs_binary_targets():
    with error_message("y must contain only 0 and 1 for logistic regression. Got values 0, 1, 2 instead."):
        bce_landscape([1.0, 2.0, 3.0], [0, 1, 2], [0.0], [0.0])


# --- Gradient descent: seed parity ---------------------------------------------------------------


def test_linear_descent_reproduces_the_seed():
    _, _, w_history, b_history, loss_history = seed_linear_descent(X_LIN, Y_LIN, 0.01, 100)
    path = gradient_descent("linear", X_LIN, Y_LIN, learning_rate=0.01, n_iterations=100)
    assert len(path.w) == len(path.b) == len(path.loss) == 101
    np.testing.assert_allclose(path.w, w_history, rtol=1e-9)
    np.testing.assert_allclose(path.b, b_history, rtol=1e-9)
    np.testing.assert_allclose(path.loss, loss_history, rtol=1e-9)
    assert (path.w[-1], path.b[-1], path.loss[-1]) == pytest.approx((35.8536, -0.4983, 138.81), abs=1e-2)
    assert (path.diverged, path.stopped_at, path.message) == (False, None, "")


def test_logistic_descent_reproduces_the_seed():
    _, _, w_history, b_history, loss_history = seed_logistic_descent(X_LOG, Y_LOG, 0.5, 100)
    path = gradient_descent("logistic", X_LOG, Y_LOG, learning_rate=0.5, n_iterations=100)
    assert path.w.shape == path.b.shape == path.loss.shape == (101,)
    np.testing.assert_allclose(path.w, w_history, rtol=1e-9)
    np.testing.assert_allclose(path.b, b_history, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(path.loss, loss_history, rtol=1e-9)
    assert (path.w[-1], path.b[-1]) == pytest.approx((3.7209, 0.1323), abs=1e-4)
    assert (path.diverged, path.message) == (False, "")


@given(regression_samples(max_size=20), st.floats(0.01, 0.99), st.integers(1, 60))
def test_linear_descent_equals_the_seed_loop_for_any_stable_run(samples, fraction, n_iterations):
    x, y = samples
    assume(np.ptp(x) > 1e-3 * (1 + np.abs(x).max()))
    learning_rate = fraction * mse_curvature(x).max_stable_learning_rate
    _, _, w_history, b_history, loss_history = seed_linear_descent(x, y, learning_rate, n_iterations)
    path = gradient_descent("linear", x, y, learning_rate=learning_rate, n_iterations=n_iterations)
    np.testing.assert_allclose(path.w, w_history, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(path.b, b_history, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(path.loss, loss_history, rtol=1e-9, atol=1e-300)


@given(classification_samples(max_size=20), st.floats(1e-3, 10.0), st.integers(1, 60))
def test_logistic_descent_equals_the_seed_loop(samples, learning_rate, n_iterations):
    x, y = samples
    _, _, w_history, b_history, loss_history = seed_logistic_descent(x, y, learning_rate, n_iterations)
    path = gradient_descent("logistic", x, y, learning_rate=learning_rate, n_iterations=n_iterations)
    np.testing.assert_allclose(path.w, w_history, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(path.b, b_history, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(path.loss, loss_history, rtol=1e-9)


@pytest.mark.parametrize(
    ("model", "x", "y", "landscape"),
    [("linear", X_LIN, Y_LIN, mse_landscape), ("logistic", X_LOG, Y_LOG, bce_landscape)],
)
def test_descent_steps_follow_the_gradient_of_the_loss(model, x, y, landscape):
    w0, b0, learning_rate, h = 1.5, -0.5, 1e-3, 1e-6
    path = gradient_descent(model, x, y, learning_rate=learning_rate, n_iterations=1, w0=w0, b0=b0)
    assert (path.w[0], path.b[0]) == (w0, b0)
    step_gradient = np.array([w0 - path.w[1], b0 - path.b[1]]) / learning_rate
    loss = lambda w, b: landscape(x, y, [w], [b])[0, 0]  # noqa: E731
    finite_difference = np.array(
        [(loss(w0 + h, b0) - loss(w0 - h, b0)) / (2 * h), (loss(w0, b0 + h) - loss(w0, b0 - h)) / (2 * h)]
    )
    np.testing.assert_allclose(step_gradient, finite_difference, rtol=1e-6)
    assert path.loss[0] == pytest.approx(loss(w0, b0), rel=1e-9)


# --- Gradient descent: two features, divergence, checks -------------------------------------------


def test_two_feature_logistic_descent_follows_the_vector_update_rule():
    x, y = make_classification(
        n_samples=60,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_clusters_per_class=1,
        flip_y=0.2,
        random_state=1,
    )
    path = gradient_descent("logistic", x, y, learning_rate=0.3, n_iterations=25, w0=(0.5, -1.0), b0=0.2)
    assert path.w.shape == (26, 2) and path.b.shape == path.loss.shape == (26,)
    w, b = np.array([0.5, -1.0]), 0.2
    for step in range(25):
        p = sigmoid(x @ w + b)
        w, b = w - 0.3 * ((p - y) @ x) / len(y), b - 0.3 * np.mean(p - y)
        np.testing.assert_allclose(path.w[step + 1], w, rtol=1e-12)
        assert path.b[step + 1] == pytest.approx(b, rel=1e-12, abs=1e-15)
        assert path.loss[step + 1] == pytest.approx(binary_cross_entropy(y, sigmoid(x @ w + b)), rel=1e-12)


def test_a_scalar_w0_starts_both_weights_there():
    x, y = make_classification(n_samples=20, n_features=2, n_informative=2, n_redundant=0, random_state=0)
    path = gradient_descent("logistic", x, y, learning_rate=0.1, n_iterations=1, w0=0.25)
    np.testing.assert_array_equal(path.w[0], [0.25, 0.25])


@pytest.mark.parametrize("model", ["linear", "logistic"])
def test_an_overflowing_run_stops_with_finite_values_and_says_why(model):
    # The logistic gradient is bounded by mean |x|, so only a huge step on wide data overflows.
    x, y = (X_LIN, Y_LIN) if model == "linear" else (100 * X_LOG, Y_LOG)
    learning_rate = 1e3 if model == "linear" else 1e307
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warnings may escape
        path = gradient_descent(model, x, y, learning_rate=learning_rate, n_iterations=1000)
    assert path.diverged
    assert 0 < path.stopped_at < 1001
    assert len(path.w) == len(path.b) == len(path.loss) == path.stopped_at
    assert np.isfinite(path.w).all() and np.isfinite(path.b).all() and np.isfinite(path.loss).all()
    assert "diverged" in path.message and "learning rate" in path.message


def test_a_runaway_run_stops_by_the_one_rule_the_race_uses_where_the_seeds_loop_runs_away():
    # the seed's loop, unguarded, from the last iterate kept: its next step passes RUNAWAY_SIZE
    rate = 2.5  # well above 2/λ_max ≈ 0.95: |w| grows about fourfold a step
    path = gradient_descent("linear", X_LIN, Y_LIN, learning_rate=rate, n_iterations=1000)
    assert path.diverged and path.stopped_at == len(path.w) < 1001
    *_, w_history, b_history, _ = seed_linear_descent(
        X_LIN, Y_LIN, learning_rate=rate, n_iterations=len(path.w)
    )
    np.testing.assert_allclose(path.w, w_history[:-1], rtol=1e-9)
    assert np.all(np.abs(w_history[:-1]) < optimizers.RUNAWAY_SIZE)
    assert max(abs(w_history[-1]), abs(b_history[-1])) >= optimizers.RUNAWAY_SIZE

    # the race's loop on the seed's gradient written out here stops at the same iterate
    def seed_gradient(params):
        return np.array(seed_linear_gradients(params[0], params[1], X_LIN, Y_LIN))

    race_run = optimizers.trajectory(optimizers.gd(rate), seed_gradient, np.zeros(2), 1000)
    assert race_run.diverged and len(race_run.path) == len(path.w)
    np.testing.assert_allclose(race_run.path[:, 0], path.w, rtol=1e-12)


def test_stability_bound_separates_converging_from_diverging_runs():
    curvature = mse_curvature(X_LIN)
    optimum = linear_optimum(X_LIN, Y_LIN)
    bound = curvature.max_stable_learning_rate
    stable = gradient_descent("linear", X_LIN, Y_LIN, learning_rate=0.99 * bound, n_iterations=3000)
    assert stable.loss[-1] == pytest.approx(optimum.loss, rel=1e-9)
    assert (stable.diverged, stable.message) == (False, "")
    unstable = gradient_descent("linear", X_LIN, Y_LIN, learning_rate=1.01 * bound, n_iterations=3000)
    assert unstable.loss[-1] > unstable.loss[0]
    assert f"{bound:.4g}" in unstable.message
    runaway = gradient_descent("linear", X_LIN, Y_LIN, learning_rate=1.5 * bound, n_iterations=10_000)
    assert runaway.diverged


def test_a_start_with_an_infinite_loss_is_rejected():
    with error_message("The loss at the start (w0, b0) is not finite. Start closer to w0 = b0 = 0."):
        gradient_descent("linear", X_LIN, Y_LIN, learning_rate=0.1, n_iterations=5, w0=1e300)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"model": "foo"}, "model must be one of 'linear', 'logistic'. Got 'foo' instead."),
        ({"learning_rate": -0.1}, "learning_rate must be > 0. Got -0.1 instead."),
        ({"learning_rate": 0}, "learning_rate must be > 0. Got 0.0 instead."),
        ({"learning_rate": float("inf")}, "learning_rate must be a finite number. Got inf instead."),
        ({"learning_rate": float("nan")}, "learning_rate must be a finite number. Got nan instead."),
        ({"learning_rate": "0.1"}, "learning_rate must be a finite number. Got '0.1' instead."),
        ({"n_iterations": 0}, "n_iterations must be an integer in [1, 10000]. Got 0 instead."),
        ({"n_iterations": 10_001}, "n_iterations must be an integer in [1, 10000]. Got 10001 instead."),
        ({"n_iterations": 2.5}, "n_iterations must be an integer in [1, 10000]. Got 2.5 instead."),
        ({"n_iterations": True}, "n_iterations must be an integer in [1, 10000]. Got True instead."),
        ({"w0": float("nan")}, "w0 must be a finite number. Got nan instead."),
        ({"b0": None}, "b0 must be a finite number. Got a value of type NoneType instead."),
    ],
)
def test_bad_descent_options_are_rejected_with_a_clear_message(options, message):
    arguments = {"model": "linear", "learning_rate": 0.01, "n_iterations": 10} | options
    with error_message(message):
        gradient_descent(arguments.pop("model"), X_LIN, Y_LIN, **arguments)


def test_descent_rejects_mismatched_inputs():
    with error_message("x must be 1-D. Got shape (100, 2) instead."):
        gradient_descent("linear", np.ones((100, 2)), Y_LIN, learning_rate=0.1, n_iterations=1)
    with error_message("y must contain only 0 and 1 for logistic regression. Got values 0.5, 1 instead."):
        gradient_descent("logistic", [1.0, 2.0], [0.5, 1.0], learning_rate=0.1, n_iterations=1)
    with error_message("w0 must be a number or a sequence of 2 numbers. Got 3 numbers instead."):
        gradient_descent("logistic", np.eye(2), [0, 1], learning_rate=0.1, n_iterations=1, w0=[1, 2, 3])
    with pytest.raises(ValueError, match=r"n_iterations \* \(number of samples\) must be <= 1e\+08"):
        gradient_descent(
            "linear", np.arange(20_000.0), np.zeros(20_000), learning_rate=0.1, n_iterations=10_000
        )


# --- Linear analysis ------------------------------------------------------------------------------


def test_linear_optimum_matches_least_squares_and_scikit_learn():
    optimum = linear_optimum(X_LIN, Y_LIN)
    (w, b), *_ = np.linalg.lstsq(np.column_stack((X_LIN, np.ones_like(X_LIN))), Y_LIN, rcond=None)
    model = LinearRegression().fit(X_LIN[:, None], Y_LIN)
    assert (optimum.w, optimum.b) == pytest.approx((w, b), rel=1e-10)
    assert (optimum.w, optimum.b) == pytest.approx((model.coef_[0], model.intercept_), rel=1e-10)
    assert optimum.loss == pytest.approx(np.mean((Y_LIN - (w * X_LIN + b)) ** 2), rel=1e-10)
    assert optimum.loss == pytest.approx(78.05, abs=0.01)


@given(regression_samples())
def test_linear_optimum_matches_least_squares_for_any_data(samples):
    x, y = samples
    assume(np.ptp(x) > 1e-3 * (1 + np.abs(x).max()))
    optimum = linear_optimum(x, y)
    (w, b), *_ = np.linalg.lstsq(np.column_stack((x, np.ones_like(x))), y, rcond=None)
    scale = 1e-9 * (1 + np.abs(y).max()) / (1e-3 + np.ptp(x))
    assert optimum.w == pytest.approx(w, rel=1e-7, abs=scale)
    assert optimum.b == pytest.approx(b, rel=1e-7, abs=scale * (1 + np.abs(x).max()))
    assert optimum.loss <= np.mean((y - (w * x + b)) ** 2) * (1 + 1e-9) + 1e-12 * (1 + np.abs(y).max()) ** 2


def test_linear_optimum_needs_a_varying_x():
    with error_message("x must take at least two distinct values. Got a constant x instead."):
        linear_optimum([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])


def test_mse_hessian_is_the_second_difference_of_the_landscape():
    hessian = mse_hessian(X_LIN)
    mean_x = np.mean(X_LIN)
    np.testing.assert_allclose(hessian, [[2 * np.mean(X_LIN**2), 2 * mean_x], [2 * mean_x, 2]], rtol=1e-15)
    h = 1e-2
    grid = mse_landscape(X_LIN, Y_LIN, [1 - h, 1, 1 + h], [2 - h, 2, 2 + h])
    d_ww = (grid[1, 2] - 2 * grid[1, 1] + grid[1, 0]) / h**2
    d_bb = (grid[2, 1] - 2 * grid[1, 1] + grid[0, 1]) / h**2
    d_wb = (grid[2, 2] - grid[2, 0] - grid[0, 2] + grid[0, 0]) / (4 * h**2)
    np.testing.assert_allclose([[d_ww, d_wb], [d_wb, d_bb]], hessian, rtol=1e-6, atol=1e-7)


@given(regression_samples())
def test_mse_curvature_matches_numpy_eigenvalues(samples):
    x, _ = samples
    curvature = mse_curvature(x)
    eigenvalues = np.linalg.eigvalsh(mse_hessian(x))
    largest = eigenvalues[-1]
    assert curvature.eigenvalues[1] == pytest.approx(largest, rel=1e-12)
    # numpy's smallest eigenvalue is only good to eps * λ_max; ours comes from the determinant.
    assert curvature.eigenvalues[0] == pytest.approx(eigenvalues[0], abs=1e-12 * largest)
    assert curvature.max_stable_learning_rate == pytest.approx(2 / largest, rel=1e-12)
    if curvature.eigenvalues[0] > 0:
        assert curvature.condition_number == pytest.approx(largest / curvature.eigenvalues[0], rel=1e-12)


def test_a_constant_x_has_an_infinite_condition_number():
    curvature = mse_curvature([3.0, 3.0, 3.0])
    assert curvature.eigenvalues == (0.0, 20.0)
    assert curvature.condition_number == float("inf")
    assert curvature.max_stable_learning_rate == 0.1


# --- Logistic analysis ----------------------------------------------------------------------------


def exact_cross_entropy_minimum(features, y):
    """An independent reference: SciPy minimises the exact mean cross-entropy, log(1 + e^z) − y z with
    z = w·x + b written out here, from (0, 0) with its analytic gradient and Hessian."""
    features = np.asarray(features, dtype=float).reshape(len(y), -1)
    design = np.column_stack((features, np.ones(len(y))))

    def loss(params):
        z = design @ params
        return np.mean(np.logaddexp(0.0, z) - y * z)

    def gradient(params):
        return design.T @ (expit(design @ params) - y) / len(y)

    def hessian(params):
        p = expit(design @ params)
        return (design * (p * (1 - p))[:, None]).T @ design / len(y)

    result = minimize(loss, np.zeros(design.shape[1]), jac=gradient, hess=hessian, method="trust-exact",
                      options={"gtol": 1e-12})  # fmt: skip
    assert result.success, result.message
    return result.x[:-1], result.x[-1], result.fun


def test_logistic_optimum_is_the_exact_cross_entropy_minimum_with_zero_gradient():
    optimum = logistic_optimum(X_LOG, Y_LOG)
    assert not optimum.separable and optimum.message == ""
    w, b, loss = exact_cross_entropy_minimum(X_LOG, Y_LOG)
    assert (optimum.w, optimum.b) == pytest.approx((w[0], b), rel=1e-6)
    assert optimum.loss == pytest.approx(loss, rel=1e-9)
    p = 1 / (1 + np.exp(-(optimum.w * X_LOG + optimum.b)))
    assert abs(np.mean((p - Y_LOG) * X_LOG)) < 1e-7 and abs(np.mean(p - Y_LOG)) < 1e-7
    assert optimum.loss == pytest.approx(
        bce_landscape(X_LOG, Y_LOG, [optimum.w], [optimum.b])[0, 0], rel=1e-12
    )
    around = bce_landscape(
        X_LOG, Y_LOG, optimum.w + np.array([-0.01, 0.01]), optimum.b + np.array([-0.01, 0.01])
    )
    assert (around > optimum.loss).all()


def test_two_feature_logistic_optimum_is_the_exact_cross_entropy_minimum():
    x, y = make_classification(
        n_samples=80, n_features=2, n_informative=2, n_redundant=0, flip_y=0.2, random_state=3
    )
    optimum = logistic_optimum(x, y)
    assert not optimum.separable and isinstance(optimum.w, tuple) and len(optimum.w) == 2
    w, b, loss = exact_cross_entropy_minimum(x, y)
    np.testing.assert_allclose(optimum.w, w, rtol=1e-6)
    assert optimum.b == pytest.approx(b, rel=1e-6, abs=1e-9)
    assert optimum.loss == pytest.approx(loss, rel=1e-9)


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1]),  # threshold at 0
        ([-2.0, -1.0, 1.0, 2.0], [1, 1, 0, 0]),  # the other way round
        ([-1.0, 0.0, 0.0, 1.0], [0, 0, 1, 1]),  # classes touch at 0: still no finite optimum
    ],
)
def test_separable_classes_have_no_finite_optimum(x, y):
    assert linearly_separable(x, y)
    optimum = logistic_optimum(x, y)
    assert optimum.separable and (optimum.w, optimum.b, optimum.loss) == (None, None, None)
    assert "no finite optimum" in optimum.message


def test_overlapping_classes_are_not_separable():
    assert not linearly_separable(X_LOG, Y_LOG)
    assert not linearly_separable([-1.0, 0.0, 1.0, 2.0], [0, 1, 0, 1])


def test_two_feature_separability():
    square = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    assert linearly_separable(square, [0, 0, 1, 1]) is False  # XOR
    assert linearly_separable(square, [0, 1, 1, 1]) is True  # one corner cut off
    assert linearly_separable(np.vstack((square, [[0.5, 0.5]])), [0, 0, 1, 1, 1]) is False
    assert "line in the (x₁, x₂) plane" in logistic_optimum(square, [0, 1, 1, 1]).message


# Values on a coarse grid: an LP cannot tell points 1e-300 apart, the threshold rule can.
@given(classification_samples(values=st.integers(-40, 40).map(lambda k: k / 4)), st.floats(-1e3, 1e3))
def test_separability_in_two_features_agrees_with_the_one_feature_threshold_rule(samples, second):
    x, y = samples
    assume(0 < y.sum() < len(y))
    assert linearly_separable(np.column_stack((x, np.full_like(x, second))), y) == linearly_separable(x, y)


@given(st.integers(0, 2**32 - 1), st.integers(5, 40))
def test_points_labelled_by_a_line_are_separable(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    y = (x @ rng.normal(size=2) + rng.normal() > 0).astype(float)
    assume(0 < y.sum() < n)
    assert linearly_separable(x, y)


def test_logistic_optimum_checks_its_inputs():
    with error_message("y must contain both classes 0 and 1. Got only 1 instead."):
        logistic_optimum([1.0, 2.0], [1, 1])
    with error_message("x must take at least two distinct values. Got a constant x instead."):
        logistic_optimum([1.0, 1.0, 1.0], [0, 1, 0])
    with error_message("x must be 1-D or of shape (n, 2). Got shape (2, 3) instead."):
        logistic_optimum(np.ones((2, 3)), [0, 1])


# --- Plot ranges ------------------------------------------------------------------------------------


def test_auto_range_contains_every_point_with_a_margin():
    path = gradient_descent("linear", X_LIN, Y_LIN, learning_rate=0.01, n_iterations=100)
    optimum = linear_optimum(X_LIN, Y_LIN)
    w_min, w_max, b_min, b_max = auto_range(np.append(path.w, optimum.w), np.append(path.b, optimum.b))
    assert w_min < 0 < optimum.w < w_max and b_min < path.b.min() and optimum.b < b_max
    assert w_max - w_min == pytest.approx(1.3 * optimum.w)


def test_auto_range_ignores_missing_points_and_never_has_zero_width():
    assert auto_range([2.0, np.nan], [0.0, np.inf]) == (1.0, 3.0, -0.5, 0.5)
    assert auto_range(np.append([2.0], None), [None, 0.0]) == (1.0, 3.0, -0.5, 0.5)
    assert auto_range([1.0, 3.0], [-1.0, 1.0], margin=0) == (1.0, 3.0, -1.0, 1.0)


def test_auto_range_checks_its_inputs():
    with error_message("points_b must contain at least one finite number. Got none instead."):
        auto_range([1.0], [np.nan])
    with error_message("margin must be in [0, 10]. Got -0.1 instead."):
        auto_range([1.0], [1.0], margin=-0.1)
