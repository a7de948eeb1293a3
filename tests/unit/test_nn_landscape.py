"""The network landscape against trusted references: scikit-learn's own predictions and loss, its
initialisation, a slow loop over grid points, and Li et al.'s definition of filter normalisation."""

import copy
import re
import warnings

import numpy as np
import pytest
from sklearn.metrics import log_loss

from core import nn_landscape as nn

SMALL = {"n_samples": 100, "epochs": 20}


@pytest.fixture(scope="module")
def network():
    return nn.train_network(nn.TrainingSettings(**SMALL))


@pytest.fixture(scope="module")
def deep_network():
    return nn.train_network(
        nn.TrainingSettings(
            dataset="Circles", hidden=(8, 8), activation="tanh", l2=0.1, n_samples=100, epochs=40
        )
    )


def sklearn_objective(network, theta):
    """The objective at θ the slow way: scikit-learn's forward pass, log_loss, and the L2 term by hand."""
    estimator = copy.deepcopy(network.estimator)
    layers = network.architecture.unflatten(np.asarray(theta, dtype=float))
    estimator.coefs_ = [weights.copy() for weights, _ in layers]
    estimator.intercepts_ = [biases.copy() for _, biases in layers]
    cross_entropy = log_loss(network.y, estimator.predict_proba(network.x))
    squares = sum(float(np.sum(weights**2)) for weights in estimator.coefs_)
    return cross_entropy + network.settings.l2 / (2 * len(network.y)) * squares


def test_the_cross_entropy_at_the_trained_weights_is_log_loss_of_the_networks_own_predictions(network):
    assert network.cross_entropy == pytest.approx(
        log_loss(network.y, network.estimator.predict_proba(network.x)), abs=1e-12
    )


def test_the_penalty_is_sklearns_l2_term_over_the_weight_matrices_only(deep_network):
    squares = sum(float(np.sum(weights**2)) for weights in deep_network.estimator.coefs_)
    assert deep_network.penalty == pytest.approx(0.1 / (2 * 100) * squares, rel=1e-12)
    assert deep_network.penalty > 0.01  # large enough to matter in the centre tests


@pytest.mark.parametrize("plane", list(nn.PLANES))
@pytest.mark.parametrize("which", ["network", "deep_network"])
def test_the_landscapes_centre_is_log_loss_of_the_networks_predictions_plus_the_l2_term(
    plane, which, request
):
    network = request.getfixturevalue(which)
    landscape = nn.loss_landscape(network, plane=plane, resolution=11)
    expected = log_loss(network.y, network.estimator.predict_proba(network.x)) + network.penalty
    assert landscape.centre_loss == pytest.approx(expected, abs=1e-9)


def test_the_forward_pass_matches_predict_proba(deep_network):
    points = np.random.default_rng(1).uniform(-2, 2, (50, 2))
    np.testing.assert_allclose(
        nn.predicted_probability(deep_network, points),
        deep_network.estimator.predict_proba(points)[:, 1],
        rtol=1e-12,
        atol=1e-15,
    )


@pytest.mark.parametrize("which", ["network", "deep_network"])
def test_the_vectorised_grid_equals_a_slow_loop_over_its_points(which, request):
    network = request.getfixturevalue(which)
    landscape = nn.loss_landscape(network, direction_seed=3, resolution=5, span=0.5)
    plane = landscape.plane
    for i, b in enumerate(landscape.b):
        for j, a in enumerate(landscape.a):
            theta = network.trained + a * plane.first + b * plane.second
            assert landscape.loss[i, j] == pytest.approx(sklearn_objective(network, theta), rel=1e-9)


def test_chunking_the_grid_does_not_change_it(network, monkeypatch):
    whole = nn.loss_landscape(network, resolution=9)
    monkeypatch.setattr(nn, "_CHUNK_FLOATS", 1)  # one parameter vector at a time
    # the same sums, batched differently: equal up to rounding
    np.testing.assert_allclose(nn.loss_landscape(network, resolution=9).loss, whole.loss, rtol=1e-14)


def test_filter_normalisation_gives_each_neurons_direction_the_norm_of_its_trained_weights(deep_network):
    direction = nn.filter_normalised_direction(deep_network, np.random.default_rng(0))
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
    for plane in (nn.random_plane(deep_network, 0), nn.random_plane(deep_network, 1)):
        for direction in (plane.first, plane.second):
            for _, biases in deep_network.architecture.unflatten(direction):
                assert not biases.any()


def test_the_same_direction_seed_gives_the_same_landscape(network):
    first = nn.loss_landscape(network, direction_seed=7, resolution=7)
    second = nn.loss_landscape(network, direction_seed=7, resolution=7)
    np.testing.assert_array_equal(first.plane.first, second.plane.first)
    np.testing.assert_array_equal(first.loss, second.loss)


def test_another_direction_seed_gives_other_directions_and_another_slice(network):
    first = nn.loss_landscape(network, direction_seed=7, resolution=7)
    other = nn.loss_landscape(network, direction_seed=8, resolution=7)
    assert not np.allclose(first.plane.first, other.plane.first)
    assert not np.allclose(first.loss, other.loss)
    assert first.centre_loss == other.centre_loss


def test_the_same_settings_train_the_same_network_and_another_seed_another():
    settings = nn.TrainingSettings(**SMALL)
    np.testing.assert_array_equal(nn.train_network(settings).path, nn.train_network(settings).path)
    other = nn.train_network(nn.TrainingSettings(seed=1, **SMALL))
    assert not np.allclose(other.path[0], nn.train_network(settings).path[0])


def test_the_path_starts_at_sklearns_glorot_initialisation_and_ends_at_the_trained_weights(network):
    """scikit-learn draws each layer's weights, then biases, uniformly in ±√(6 / (fan_in + fan_out)) from
    RandomState(random_state); the page's θ₀ must be exactly that."""
    rng = np.random.RandomState(network.settings.seed)
    expected = []
    for fan_in, fan_out in network.architecture.shapes:
        bound = np.sqrt(6 / (fan_in + fan_out))
        expected += [
            rng.uniform(-bound, bound, (fan_in, fan_out)).ravel(),
            rng.uniform(-bound, bound, fan_out),
        ]
    np.testing.assert_array_equal(network.initial, np.concatenate(expected))
    trained = network.architecture.flatten(network.estimator.coefs_, network.estimator.intercepts_)
    np.testing.assert_array_equal(network.trained, trained)
    assert network.path.shape == (SMALL["epochs"] + 1, network.architecture.n_parameters)


def test_the_interpolation_runs_from_the_initial_to_the_trained_weights(network):
    line = nn.interpolate(network, points=9)  # t = -0.5, -0.25, 0, ..., 1.5
    assert line.t[2] == 0.0
    assert line.t[6] == 1.0
    assert line.loss[2] == pytest.approx(sklearn_objective(network, network.initial), rel=1e-9)
    assert line.loss[6] == pytest.approx(network.cross_entropy + network.penalty, abs=1e-9)
    assert line.loss[6] < line.loss[2]


def test_the_pca_plane_holds_most_of_the_path_and_the_path_fits_inside_it(network):
    plane = nn.pca_plane(network)
    unit_first, unit_second = (
        plane.first / np.linalg.norm(plane.first),
        plane.second / np.linalg.norm(plane.second),
    )
    assert abs(unit_first @ unit_second) < 1e-12
    assert plane.captured > 0.8
    np.testing.assert_allclose(plane.path_coordinates[-1], 0.0, atol=1e-12)
    assert np.max(np.abs(plane.path_coordinates)) == pytest.approx(1 / nn.PATH_MARGIN)


def test_random_directions_hold_little_of_the_path_and_place_its_end_at_the_centre(network):
    plane = nn.random_plane(network, 0)
    assert plane.captured < 0.5
    np.testing.assert_allclose(plane.path_coordinates[-1], 0.0, atol=1e-12)


def test_the_projected_path_points_lie_on_the_plane_and_carry_its_loss(network):
    landscape = nn.loss_landscape(network, plane="pca", resolution=5)
    plane = landscape.plane
    a, b = plane.path_coordinates[3]
    assert landscape.path_loss[3] == pytest.approx(
        sklearn_objective(network, network.trained + a * plane.first + b * plane.second), rel=1e-9
    )


def test_training_shows_no_warnings_even_with_few_epochs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn.train_network(nn.TrainingSettings(n_samples=50, epochs=1, batch_size=256))
    assert not caught


@pytest.mark.parametrize("dataset", nn.DATASETS)
def test_every_data_set_is_two_classes_in_two_dimensions_and_reproducible(dataset):
    x, y = nn.make_data(dataset, noise=0.1, n_samples=60, seed=4)
    assert x.shape == (60, 2)
    assert set(np.unique(y)) == {0.0, 1.0}
    np.testing.assert_array_equal(x, nn.make_data(dataset, noise=0.1, n_samples=60, seed=4)[0])


def test_the_decision_surface_covers_the_data_with_probabilities(network):
    surface = nn.decision_surface(network, resolution=21)
    assert surface.probability.shape == (21, 21)
    assert surface.x1[0] < network.x[:, 0].min() and surface.x1[-1] > network.x[:, 0].max()
    assert ((surface.probability >= 0) & (surface.probability <= 1)).all()


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
        nn.TrainingSettings(**change)
    assert str(error.value).startswith(message)


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
        nn.loss_landscape(network, **change)


def test_a_landscape_too_large_to_compute_quickly_is_refused():
    wide = nn.train_network(nn.TrainingSettings(hidden=(64, 64, 64), n_samples=500, epochs=1))
    with pytest.raises(ValueError, match=r"^resolution² × samples × parameters must be <= 3e\+09"):
        nn.loss_landscape(wide, resolution=101)


def test_the_largest_landscape_the_page_offers_is_within_the_work_cap():
    parameters = max(
        nn.Architecture((2, *hidden, 1), "relu").n_parameters for hidden in nn.HIDDEN_PRESETS.values()
    )
    assert max(nn.RESOLUTION_CHOICES) ** 2 * max(nn.SAMPLE_CHOICES) * parameters <= nn.MAX_LANDSCAPE_WORK


def test_losses_refuses_vectors_of_the_wrong_length(network):
    with pytest.raises(ValueError, match="thetas must have 65 columns"):
        nn.losses(network, np.zeros((3, 5)))
