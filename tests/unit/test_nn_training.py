"""Training in NumPy against scikit-learn's MLPClassifier trained the way the page trained before: the same
settings must give the same weights after every epoch, the same loss and the same accuracy."""

import warnings

import numpy as np
import pytest
from sklearn.metrics import log_loss

from core import nn_training
from tests.unit.nn_reference import sklearn_network, sklearn_objective, sklearn_training

SMALL = {"n_samples": 100, "epochs": 20}

# architectures, activations, data sets, L2 strengths and batch sizes (a last batch shorter than the rest,
# one batch per epoch, a batch larger than the data) the page offers
AGAINST_SKLEARN = [
    {},
    {"dataset": "Circles", "hidden": (8, 8), "activation": "tanh", "l2": 0.1, "n_samples": 100, "epochs": 40},
    {"activation": "logistic", "batch_size": 256, "n_samples": 300, "epochs": 30},
    {"dataset": "Blobs", "hidden": (4,), "activation": "identity", "batch_size": 8, "n_samples": 50},
    {"hidden": (32, 32), "l2": 0.0, "batch_size": 16, "epochs": 25, "seed": 7},
    {"dataset": "Moons", "hidden": (64,), "l2": 10.0, "batch_size": 128, "n_samples": 500, "epochs": 15},
    {"dataset": "Circles", "hidden": (16, 16), "activation": "logistic", "noise": 0.0, "epochs": 20},
    {"n_samples": 50, "batch_size": 64, "epochs": 10, "activation": "tanh"},
]


@pytest.fixture(scope="module")
def network():
    return nn_training.train_network(nn_training.TrainingSettings(**SMALL))


@pytest.mark.parametrize("change", AGAINST_SKLEARN, ids=lambda change: ",".join(map(str, change.values())))
def test_every_epoch_takes_scikit_learns_steps(change):
    settings = nn_training.TrainingSettings(**change)
    network = nn_training.train_network(settings)
    path, estimator = sklearn_training(settings)
    np.testing.assert_allclose(network.path[1:], path, rtol=1e-10, atol=1e-13)
    assert network.cross_entropy == pytest.approx(
        log_loss(network.y, estimator.predict_proba(network.x)), rel=1e-10
    )
    assert network.accuracy == estimator.score(network.x, network.y)
    # the objective along the path, epoch by epoch, as scikit-learn's forward pass computes it
    for epoch in (1, len(path) // 2, len(path)):
        theta = network.path[epoch]
        expected = sklearn_objective(network, theta)
        cross_entropy, penalty = nn_training.cross_entropy_and_penalty(
            network.architecture, settings.l2, network.x, network.y, theta[np.newaxis]
        )
        assert cross_entropy[0] + penalty[0] == pytest.approx(expected, rel=1e-10)


def test_a_step_away_from_scikit_learns_steps_is_caught(monkeypatch):
    """Positive control: the comparison above sees a small change in how a step is taken (Adam's ε 10%
    larger)."""
    settings = nn_training.TrainingSettings(**SMALL)
    path, _ = sklearn_training(settings)
    monkeypatch.setattr(nn_training, "EPSILON", 1.1e-8)
    changed = nn_training.train_network(settings)
    assert not np.allclose(changed.path[1:], path, rtol=1e-10, atol=1e-13)


def test_the_gradient_is_the_objectives_by_finite_differences():
    """One mini-batch's gradient (the whole data as one batch) against central differences of the
    objective it differentiates: cross-entropy + l2/(2n)·Σ‖W‖² over that batch."""
    settings = nn_training.TrainingSettings(hidden=(5, 3), activation="tanh", l2=0.5, n_samples=40, epochs=1)
    network = nn_training.train_network(settings)
    theta = network.path[1].copy()
    buffers = nn_training._Buffers.start(network.architecture, theta, settings.l2)
    nn_training._gradient(buffers, network.x, network.y[:, np.newaxis])

    def objective(point):
        cross_entropy, penalty = nn_training.cross_entropy_and_penalty(
            network.architecture, settings.l2, network.x, network.y, point[np.newaxis]
        )
        return cross_entropy[0] + penalty[0]

    step = 1e-6
    numeric = np.array(
        [
            (objective(theta + step * unit) - objective(theta - step * unit)) / (2 * step)
            for unit in np.eye(len(theta))
        ]
    )
    np.testing.assert_allclose(buffers.gradient, numeric, rtol=1e-6, atol=1e-9)


def test_the_cross_entropy_at_the_trained_weights_is_log_loss_of_sklearns_predictions(network):
    estimator = sklearn_network(network, network.trained)
    assert network.cross_entropy == pytest.approx(
        log_loss(network.y, estimator.predict_proba(network.x)), abs=1e-12
    )


def test_the_same_settings_train_the_same_network_and_another_seed_another():
    settings = nn_training.TrainingSettings(**SMALL)
    first = nn_training.train_network(settings).path
    np.testing.assert_array_equal(first, nn_training.train_network(settings).path)
    other = nn_training.train_network(nn_training.TrainingSettings(seed=1, **SMALL))
    assert not np.allclose(other.path[0], first[0])


@pytest.mark.parametrize(("activation", "factor"), [("relu", 6), ("tanh", 6), ("logistic", 2)])
def test_the_path_starts_at_sklearns_glorot_initialisation(activation, factor):
    """scikit-learn draws each layer's weights, then biases, uniformly in ±√(f / (fan_in + fan_out)) from
    RandomState(random_state), f = 2 for the logistic activation and 6 otherwise."""
    network = nn_training.train_network(
        nn_training.TrainingSettings(hidden=(8, 4), activation=activation, seed=3, **SMALL)
    )
    rng = np.random.RandomState(3)
    expected = []
    for fan_in, fan_out in network.architecture.shapes:
        bound = np.sqrt(factor / (fan_in + fan_out))
        expected += [
            rng.uniform(-bound, bound, (fan_in, fan_out)).ravel(),
            rng.uniform(-bound, bound, fan_out),
        ]
    np.testing.assert_array_equal(network.initial, np.concatenate(expected))
    assert network.path.shape == (SMALL["epochs"] + 1, network.architecture.n_parameters)


def test_training_shows_no_warnings_even_with_few_epochs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn_training.train_network(nn_training.TrainingSettings(n_samples=50, epochs=1, batch_size=256))
    assert not caught


def test_training_refuses_anything_but_settings():
    with pytest.raises(ValueError, match=r"^settings must be a TrainingSettings\. Got dict instead\."):
        nn_training.train_network({"epochs": 10})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"dataset": "Spirals"},
            "dataset must be one of 'Moons', 'Circles', 'Blobs'. Got 'Spirals' instead.",
        ),
        ({"noise": -0.1}, "noise must be in [0, 0.5]. Got -0.1 instead."),
        ({"n_samples": 10**6}, "n_samples must be an integer in [20, 500]. Got 1000000 instead."),
        ({"hidden": (16, 16, 16, 16)}, "hidden must be a tuple of 1 to 3 layer sizes."),
        ({"hidden": [16]}, "hidden must be a tuple of 1 to 3 layer sizes."),
        ({"hidden": (1000,)}, "each hidden layer size must be an integer in [1, 64]. Got 1000 instead."),
        ({"activation": "gelu"}, "activation must be one of 'relu', 'tanh', 'logistic', 'identity'."),
        ({"l2": float("nan")}, "l2 must be a finite number. Got nan instead."),
        ({"batch_size": 1}, "batch_size must be an integer in [8, 500]. Got 1 instead."),
        ({"epochs": 10**5}, "epochs must be an integer in [1, 300]. Got 100000 instead."),
        ({"seed": -1}, "seed must be an integer in [0, 10000]. Got -1 instead."),
    ],
)
def test_training_settings_are_validated_with_one_message_form(change, message):
    with pytest.raises(ValueError) as error:
        nn_training.TrainingSettings(**change)
    assert str(error.value).startswith(message)
