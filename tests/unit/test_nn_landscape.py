"""The network landscape against trusted references: scikit-learn's predictions and loss for the same
weights, a slow loop over grid points, and Li et al.'s definition of filter normalisation."""

import dataclasses
import re

import numpy as np
import pytest
from sklearn.metrics import log_loss

from core import nn_landscape, nn_network, nn_training
from tests.unit.nn_reference import sklearn_network, sklearn_objective

SMALL = {"n_samples": 100, "epochs": 20}


@pytest.fixture(scope="module")
def network():
    return nn_training.train_network(nn_training.TrainingSettings(**SMALL))


@pytest.fixture(scope="module")
def deep_network():
    return nn_training.train_network(
        nn_training.TrainingSettings(
            dataset="Circles", hidden=(8, 8), activation="tanh", l2=0.1, n_samples=100, epochs=40
        )
    )


def test_the_penalty_is_sklearns_l2_term_over_the_weight_matrices_only(deep_network):
    squares = sum(
        float(np.sum(weights**2)) for weights, _ in deep_network.architecture.unflatten(deep_network.trained)
    )
    assert deep_network.penalty == pytest.approx(0.1 / (2 * 100) * squares, rel=1e-12)
    assert deep_network.penalty > 0.01  # large enough to matter in the centre tests


@pytest.mark.parametrize("plane", list(nn_landscape.PLANES))
@pytest.mark.parametrize("which", ["network", "deep_network"])
def test_the_landscapes_centre_is_log_loss_of_the_networks_predictions_plus_the_l2_term(
    plane, which, request
):
    network = request.getfixturevalue(which)
    landscape = nn_landscape.loss_landscape(network, plane=plane, resolution=11)
    estimator = sklearn_network(network, network.trained)
    expected = log_loss(network.y, estimator.predict_proba(network.x)) + network.penalty
    assert landscape.centre_loss == pytest.approx(expected, abs=1e-9)


def test_the_forward_pass_matches_predict_proba(deep_network):
    points = np.random.default_rng(1).uniform(-2, 2, (50, 2))
    np.testing.assert_allclose(
        nn_landscape.predicted_probability(deep_network, points),
        sklearn_network(deep_network, deep_network.trained).predict_proba(points)[:, 1],
        rtol=1e-12,
        atol=1e-15,
    )


@pytest.mark.parametrize("which", ["network", "deep_network"])
def test_the_vectorised_grid_equals_a_slow_loop_over_its_points(which, request):
    network = request.getfixturevalue(which)
    landscape = nn_landscape.loss_landscape(network, direction_seed=3, resolution=5, span=0.5)
    plane = landscape.plane
    for i, b in enumerate(landscape.b):
        for j, a in enumerate(landscape.a):
            theta = network.trained + a * plane.first + b * plane.second
            assert landscape.loss[i, j] == pytest.approx(sklearn_objective(network, theta), rel=1e-9)


def test_chunking_the_grid_does_not_change_it(network, monkeypatch):
    whole = nn_landscape.loss_landscape(network, resolution=9)
    monkeypatch.setattr(nn_landscape, "_CHUNK_FLOATS", 1)  # one parameter vector at a time
    # the same sums, batched differently: equal up to rounding
    np.testing.assert_allclose(
        nn_landscape.loss_landscape(network, resolution=9).loss, whole.loss, rtol=1e-14
    )


def test_filter_normalisation_gives_each_neurons_direction_the_norm_of_its_trained_weights(deep_network):
    direction = nn_landscape.filter_normalised_direction(deep_network, np.random.default_rng(0))
    architecture = deep_network.architecture
    for (weights, _), (direction_weights, _) in zip(
        architecture.unflatten(deep_network.trained), architecture.unflatten(direction), strict=True
    ):
        # column j: the weights coming into neuron j
        np.testing.assert_allclose(
            np.linalg.norm(direction_weights, axis=0), np.linalg.norm(weights, axis=0), rtol=1e-12
        )
        assert not np.allclose(direction_weights, weights)


def test_bias_directions_are_zero_as_in_li_et_al(deep_network):
    for plane in (nn_landscape.random_plane(deep_network, 0), nn_landscape.random_plane(deep_network, 1)):
        for direction in (plane.first, plane.second):
            for _, biases in deep_network.architecture.unflatten(direction):
                assert not biases.any()


def test_the_same_direction_seed_gives_the_same_landscape(network):
    first = nn_landscape.loss_landscape(network, direction_seed=7, resolution=7)
    second = nn_landscape.loss_landscape(network, direction_seed=7, resolution=7)
    np.testing.assert_array_equal(first.plane.first, second.plane.first)
    np.testing.assert_array_equal(first.loss, second.loss)


def test_another_direction_seed_gives_other_directions_and_another_slice(network):
    first = nn_landscape.loss_landscape(network, direction_seed=7, resolution=7)
    other = nn_landscape.loss_landscape(network, direction_seed=8, resolution=7)
    assert not np.allclose(first.plane.first, other.plane.first)
    assert not np.allclose(first.loss, other.loss)
    assert first.centre_loss == other.centre_loss


def test_the_interpolation_runs_from_the_initial_to_the_trained_weights(network):
    line = nn_landscape.interpolate(network, points=9)  # t = -0.5, -0.25, 0, ..., 1.5
    assert line.t[2] == 0.0
    assert line.t[6] == 1.0
    assert line.loss[2] == pytest.approx(sklearn_objective(network, network.initial), rel=1e-9)
    assert line.loss[6] == pytest.approx(network.cross_entropy + network.penalty, abs=1e-9)
    assert line.loss[6] < line.loss[2]


def test_the_pca_plane_holds_most_of_the_path_and_the_path_fits_inside_it(network):
    plane = nn_landscape.pca_plane(network)
    unit_first, unit_second = (
        plane.first / np.linalg.norm(plane.first),
        plane.second / np.linalg.norm(plane.second),
    )
    assert abs(unit_first @ unit_second) < 1e-12
    assert plane.captured > 0.8
    np.testing.assert_allclose(plane.path_coordinates[-1], 0.0, atol=1e-12)
    assert np.max(np.abs(plane.path_coordinates)) == pytest.approx(1 / nn_landscape.PATH_MARGIN)


def test_random_directions_hold_little_of_the_path_and_place_its_end_at_the_centre(network):
    plane = nn_landscape.random_plane(network, 0)
    assert plane.captured < 0.5
    np.testing.assert_allclose(plane.path_coordinates[-1], 0.0, atol=1e-12)


def test_the_projected_path_points_lie_on_the_plane_and_carry_its_loss(network):
    landscape = nn_landscape.loss_landscape(network, plane="pca", resolution=5)
    plane = landscape.plane
    a, b = plane.path_coordinates[3]
    assert landscape.path_loss[3] == pytest.approx(
        sklearn_objective(network, network.trained + a * plane.first + b * plane.second), rel=1e-9
    )


def test_the_decision_surface_covers_the_data_with_probabilities(network):
    surface = nn_landscape.decision_surface(network, resolution=21)
    assert surface.probability.shape == (21, 21)
    assert surface.x1[0] < network.x[:, 0].min() and surface.x1[-1] > network.x[:, 0].max()
    assert ((surface.probability >= 0) & (surface.probability <= 1)).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plane": "hessian"}, "plane must be one of 'random', 'pca'. Got 'hessian' instead."),
        ({"resolution": 1001}, "resolution must be an integer in [5, 101]. Got 1001 instead."),
        ({"resolution": 40}, "resolution must be odd, so that θ* is a grid point. Got 40 instead."),
        ({"span": 0.0}, "span must be in (0, 5.0]. Got 0.0 instead."),
        ({"direction_seed": 10**9}, "seed must be an integer in [0, 10000]. Got 1000000000 instead."),
    ],
)
def test_landscape_parameters_are_validated(network, change, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        nn_landscape.loss_landscape(network, **change)


def test_a_landscape_too_large_to_compute_quickly_is_refused():
    wide = nn_training.train_network(
        nn_training.TrainingSettings(hidden=(64, 64, 64), n_samples=500, epochs=1)
    )
    with pytest.raises(ValueError, match=r"^resolution² × samples × parameters must be <= 3e\+09"):
        nn_landscape.loss_landscape(wide, resolution=101)


def test_the_largest_landscape_the_page_offers_is_within_the_work_cap():
    parameters = max(
        nn_network.Architecture.for_hidden(hidden, "relu").n_parameters
        for hidden in nn_network.HIDDEN_PRESETS.values()
    )
    largest = max(nn_landscape.RESOLUTION_CHOICES) ** 2 * max(nn_network.SAMPLE_CHOICES) * parameters
    assert largest <= nn_landscape.MAX_LANDSCAPE_WORK


def test_losses_refuses_vectors_of_the_wrong_length(network):
    with pytest.raises(ValueError, match="thetas must have 65 columns"):
        nn_landscape.losses(network, np.zeros((3, 5)))


def test_negligible_weights_do_not_change_the_landscape(network):
    """Dead ReLU units end with subnormal weights (1e-310 here, by hand), which the landscape counts as zero
    for speed: the loss at grid points still matches scikit-learn's, which keeps them."""
    tiny = network.path.copy()
    tiny[:, :5] = 1e-310 * np.sign(tiny[:, :5])  # five first-layer weights, at every epoch
    tiny_network = dataclasses.replace(network, path=tiny)
    landscape = nn_landscape.loss_landscape(tiny_network, direction_seed=2, resolution=5)
    plane = landscape.plane
    for i, j in ((0, 0), (2, 2), (4, 1)):
        theta = tiny_network.trained + landscape.a[j] * plane.first + landscape.b[i] * plane.second
        assert landscape.loss[i, j] == pytest.approx(sklearn_objective(tiny_network, theta), rel=1e-12)
