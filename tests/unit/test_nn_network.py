"""The landscape page's network: its data sets, its layout of parameters, and its forward pass and
objective against scikit-learn's for the same weights."""

import numpy as np
import pytest
from sklearn.metrics import log_loss

from core import nn_network, nn_training
from tests.unit.nn_reference import sklearn_network


@pytest.mark.parametrize("dataset", nn_network.DATASETS)
def test_every_data_set_is_two_classes_in_two_dimensions_and_reproducible(dataset):
    x, y = nn_network.make_data(dataset, noise=0.1, n_samples=60, seed=4)
    assert x.shape == (60, 2)
    assert set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_array_equal(x, nn_network.make_data(dataset, noise=0.1, n_samples=60, seed=4)[0])


def test_flatten_and_unflatten_are_inverse_and_count_every_parameter():
    architecture = nn_network.Architecture.for_hidden((3, 4), "relu")
    assert architecture.n_parameters == (2 + 1) * 3 + (3 + 1) * 4 + (4 + 1) * 1
    theta = np.arange(architecture.n_parameters, dtype=float)
    layers = architecture.unflatten(theta)
    assert [weights.shape for weights, _ in layers] == [(2, 3), (3, 4), (4, 1)]
    np.testing.assert_array_equal(architecture.flatten(*zip(*layers, strict=True)), theta)
    assert architecture.weight_mask().sum() == 2 * 3 + 3 * 4 + 4


@pytest.mark.parametrize("activation", nn_network.ACTIVATIONS)
def test_the_forward_pass_and_objective_match_scikit_learns_for_random_weights(activation):
    network = nn_training.train_network(
        nn_training.TrainingSettings(hidden=(6, 5), activation=activation, l2=0.3, n_samples=80, epochs=1)
    )
    rng = np.random.default_rng(2)
    # weights small enough that no probability saturates: log_loss clips at float epsilon, the objective not
    thetas = rng.normal(0, 0.5, (4, network.architecture.n_parameters))
    cross_entropy, penalty = nn_network.cross_entropy_and_penalty(
        network.architecture, 0.3, network.x, network.y, thetas
    )
    for index, theta in enumerate(thetas):
        estimator = sklearn_network(network, theta)
        probability = estimator.predict_proba(network.x)
        np.testing.assert_allclose(
            nn_network.probability(network.architecture, network.x, theta), probability[:, 1], rtol=1e-12
        )
        assert cross_entropy[index] == pytest.approx(log_loss(network.y, probability), rel=1e-9)
        squares = sum(float(np.sum(weights**2)) for weights in estimator.coefs_)
        assert penalty[index] == pytest.approx(0.3 / (2 * 80) * squares, rel=1e-12)


def test_the_architecture_refuses_unknown_activations_and_shapes():
    with pytest.raises(
        ValueError, match=r"^activation must be one of 'relu', 'tanh', 'logistic', 'identity'"
    ):
        nn_network.Architecture.for_hidden((4,), "gelu")
    with pytest.raises(ValueError, match=r"^hidden must be a tuple of 1 to 3 layer sizes"):
        nn_network.Architecture.for_hidden((), "relu")


def test_describe_hidden_reads_from_input_to_output():
    assert nn_network.describe_hidden((16, 16)) == "2 → 16 → 16 → 1"
