"""Regression with any optimizer and mini-batches, against the seed's loop and hand-rolled references."""

import numpy as np
import pytest

from core import datasets, regression, training
from tests.unit.test_regression import seed_linear_descent


@pytest.fixture(scope="module")
def linear_data():
    data = datasets.regression_data()
    return data.x, data.y


@pytest.fixture(scope="module")
def logistic_data():
    data = datasets.classification_data()
    return data.x, data.y


def test_full_batch_gd_is_exactly_the_seeds_run(linear_data):
    x, y = linear_data
    path = training.descend("linear", x, y, learning_rate=0.01, n_iterations=100)
    *_, w_history, b_history, loss_history = seed_linear_descent(x, y)  # the seed's own loop
    np.testing.assert_allclose(path.w, w_history, rtol=1e-12)
    np.testing.assert_allclose(path.b, b_history, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(path.loss, loss_history, rtol=1e-12)


def test_one_batch_of_everything_in_the_generic_loop_matches_the_seed(linear_data, logistic_data):
    for model, (x, y), rate in (("linear", linear_data, 0.01), ("logistic", logistic_data, 0.5)):
        seed_run = regression.gradient_descent(model, x, y, learning_rate=rate, n_iterations=100)
        generic = training.descend(model, x, y, learning_rate=rate, n_iterations=100, batch_size=len(y))
        np.testing.assert_allclose(generic.w, seed_run.w, rtol=1e-9)
        np.testing.assert_allclose(generic.b, seed_run.b, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(generic.loss, seed_run.loss, rtol=1e-9)


def test_momentum_follows_its_rule_on_the_regression_gradient(linear_data):
    x, y = linear_data
    path = training.descend("linear", x, y, optimizer="Momentum", learning_rate=0.01, n_iterations=50)
    params, velocity = np.zeros(2), np.zeros(2)
    for step in range(50):
        residuals = y - (params[0] * x + params[1])
        grad = np.array([-2 * np.mean(residuals * x), -2 * np.mean(residuals)])
        velocity = 0.9 * velocity + grad
        params = params - 0.01 * velocity
        assert (path.w[step + 1], path.b[step + 1]) == pytest.approx(tuple(params), rel=1e-9)


@pytest.mark.parametrize("optimizer", training.OPTIMIZERS)
def test_every_offered_optimizer_reduces_the_loss(linear_data, optimizer):
    x, y = linear_data
    rate = {"GD": 0.1, "Momentum": 0.05, "Nesterov": 0.05, "RMSProp": 1.0, "Adam": 1.0}[optimizer]
    path = training.descend("linear", x, y, optimizer=optimizer, learning_rate=rate, n_iterations=200)
    assert not path.diverged and path.loss[-1] < 0.5 * path.loss[0]


def test_batches_cover_every_sample_once_per_epoch_and_depend_only_on_the_seed():
    epoch = np.concatenate([training.batch_indices(10, 3, step, seed=7) for step in range(4)])
    assert sorted(epoch) == list(range(10))
    assert np.array_equal(training.batch_indices(10, 3, 5, seed=7), training.batch_indices(10, 3, 5, seed=7))
    assert not np.array_equal(
        training.batch_indices(10, 10, 0, seed=7), training.batch_indices(10, 10, 0, seed=8)
    )


def test_sgd_is_noisy_but_reproducible(linear_data):
    x, y = linear_data
    first = training.descend("linear", x, y, learning_rate=0.05, n_iterations=100, batch_size=10, seed=3)
    again = training.descend("linear", x, y, learning_rate=0.05, n_iterations=100, batch_size=10, seed=3)
    other = training.descend("linear", x, y, learning_rate=0.05, n_iterations=100, batch_size=10, seed=4)
    np.testing.assert_array_equal(first.w, again.w)
    assert not np.array_equal(first.w, other.w)
    assert np.any(np.diff(first.loss) > 0)  # mini-batch steps sometimes raise the full loss


def test_the_batch_gradients_average_to_the_full_gradient(linear_data, logistic_data):
    for model, (x, y) in (("linear", linear_data), ("logistic", logistic_data)):
        full, batches = training.gradient_cloud(model, x, y, w=1.0, b=0.5, batch_size=20, seed=1)
        assert batches.shape == (5, 2)
        np.testing.assert_allclose(batches.mean(axis=0), full, rtol=1e-10, atol=1e-12)


def test_two_feature_logistic_training_works():
    data = datasets.classification_data(n_features=2, label_noise=0.2)
    path = training.descend("logistic", data.x, data.y, optimizer="Adam", learning_rate=0.1, n_iterations=50,
                            batch_size=16)  # fmt: skip
    assert path.w.shape == (51, 2) and path.loss[-1] < path.loss[0]


def test_divergence_stops_and_explains(linear_data):
    x, y = linear_data
    path = training.descend("linear", x, y, optimizer="Momentum", learning_rate=5.0, n_iterations=500)
    assert path.diverged and "diverged" in path.message and np.all(np.isfinite(path.w))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [({"optimizer": "Newton"}, "optimizer must be one of"), ({"batch_size": 0}, "batch_size"),
     ({"batch_size": 1000}, "batch_size"), ({"learning_rate": -1}, "learning_rate must be > 0")],
)  # fmt: skip
def test_bad_options_are_value_errors(linear_data, kwargs, fragment):
    x, y = linear_data
    options = {"learning_rate": 0.01, "n_iterations": 10, **kwargs}
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        training.descend("linear", x, y, **options)
