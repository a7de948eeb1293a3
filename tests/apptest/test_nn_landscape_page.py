"""The neural-network landscape page through AppTest: defaults against scikit-learn, every sidebar control,
other data, activations and L2 strengths, the PCA plane, and crafted URLs."""

import numpy as np
import pytest
from sklearn.metrics import log_loss

from core import nn_network, nn_training
from tests.apptest.conftest import assert_healthy, chart_specs, open_page, trace, values
from tests.unit.nn_reference import sklearn_training

PAGE = "pages/8_Neural_Network_Landscape.py"
MAX_CHART_BYTES = 1_000_000


def metrics(app) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def contour_grid(app) -> np.ndarray:
    """The landscape's loss grid as sent: Plotly 7 encodes a 2-D float32 array as bdata with a shape."""
    z = trace(chart_specs(app)[1], "loss")["z"]
    return values(z).reshape([int(size) for size in z["shape"].split(",")])


@pytest.fixture(scope="module")
def default_page():
    return open_page(PAGE)


def test_the_default_page_trains_the_network_and_shows_four_charts(default_page):
    assert_healthy(default_page)
    assert not default_page.warning
    specs = chart_specs(default_page)
    assert len(specs) == 4
    assert "2 → 16 → 1" in specs[0]["layout"]["title"]["text"]
    assert float(metrics(default_page)["Accuracy"].rstrip("%")) > 90
    assert sum(len(chart.proto.spec) for chart in default_page.get("plotly_chart")) <= MAX_CHART_BYTES


def test_the_trained_point_sits_at_the_centre_of_the_landscape(default_page):
    grid = contour_grid(default_page)
    assert grid.shape == (41, 41)
    cross_entropy = float(metrics(default_page)["Cross-entropy"])
    penalty = float(metrics(default_page)["L2 penalty"])
    assert grid[20, 20] == pytest.approx(cross_entropy + penalty, abs=1e-4)  # the metrics are rounded
    centre = trace(chart_specs(default_page)[1], "trained θ*")
    assert (centre["x"], centre["y"]) == ([0.0], [0.0])


def test_the_explanation_and_suggestions_are_there_and_hidden_in_lecture_mode(default_page):
    text = " ".join(markdown.value for markdown in default_page.markdown)
    assert "What it cannot say" in text and "Try:" in text
    lecture = open_page(PAGE, lecture="1")
    assert_healthy(lecture)
    assert "Try:" not in " ".join(markdown.value for markdown in lecture.markdown)


@pytest.mark.parametrize(
    ("query", "shape"),
    [
        ({"data": "Circles", "act": "tanh"}, "2 → 16 → 1"),
        ({"data": "Blobs", "hidden": "8,8", "l2": "1"}, "2 → 8 → 8 → 1"),
        ({"act": "logistic", "l2": "10", "batch": "256", "epochs": "10"}, "2 → 16 → 1"),
        ({"act": "identity", "hidden": "64", "grid": "21", "span": "2.0"}, "2 → 64 → 1"),
    ],
)
def test_other_data_activations_and_l2_strengths_train_and_plot(query, shape):
    app = open_page(PAGE, **query)
    assert_healthy(app)
    assert not app.warning
    specs = chart_specs(app)
    assert len(specs) == 4
    assert shape in specs[0]["layout"]["title"]["text"]


def test_a_large_l2_strength_shrinks_the_weights_and_flattens_the_landscape(default_page):
    strong = open_page(PAGE, l2="1")
    assert_healthy(strong)
    assert float(metrics(strong)["L2 penalty"]) > float(metrics(default_page)["L2 penalty"])
    assert np.ptp(contour_grid(strong)) < np.ptp(contour_grid(default_page))


def test_changing_the_data_set_in_the_sidebar_retrains(default_page):
    app = open_page(PAGE)
    app.selectbox(key="data").set_value("Circles").run()
    assert_healthy(app)
    assert metrics(app)["Cross-entropy"] != metrics(default_page)["Cross-entropy"]


def test_the_pca_plane_holds_the_path_which_ends_at_the_trained_point():
    app = open_page(PAGE, plane="pca")
    assert_healthy(app)
    assert int(metrics(app)["Path in plane"].rstrip("%")) > 80
    path = trace(chart_specs(app)[1], "training path (projected)")
    assert len(values(path["x"])) == 101  # θ₀ and the weights after each of 100 epochs
    assert values(path["x"])[-1] == 0.0 and values(path["y"])[-1] == 0.0
    assert chart_specs(app)[1]["layout"]["xaxis"]["title"]["text"] == "a (1st principal direction)"


def test_another_direction_seed_redraws_the_landscape_without_retraining(default_page):
    app = open_page(PAGE, dseed="5")
    assert_healthy(app)
    assert metrics(app) | {"Path in plane": ""} == metrics(default_page) | {"Path in plane": ""}
    assert not np.allclose(contour_grid(app), contour_grid(default_page))


def test_a_crafted_url_falls_back_to_the_defaults_instead_of_working_without_bound(default_page):
    app = open_page(PAGE, epochs="100000", grid="100001", n="1000000", hidden="4096,4096", l2="nan")
    assert_healthy(app)
    assert metrics(app) == metrics(default_page)


def test_quiz_mode_hides_how_well_the_network_trained_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metrics(app)["Accuracy"] == "?" and metrics(app)["Cross-entropy"] == "?"
    # the landscape's contours and surface stay; the decision regions, and the line from θ₀ to θ* whose
    # end is the trained loss, would tell
    assert len(chart_specs(app)) == 2
    app.button(key="reveal-button-how well it trained").click().run()
    assert float(metrics(app)["Accuracy"].rstrip("%")) > 90
    assert len(chart_specs(app)) == 4


def test_the_pages_numbers_are_scikit_learns_for_the_same_training(default_page):
    """The page trains in NumPy; scikit-learn's MLPClassifier trained the same way reports the same fit."""
    _, estimator = sklearn_training(nn_training.TrainingSettings())
    x, y = nn_network.make_data("Moons", noise=0.2, n_samples=200, seed=0)
    shown = metrics(default_page)
    assert shown["Cross-entropy"] == f"{log_loss(y, estimator.predict_proba(x)):.4f}"
    assert shown["Accuracy"] == f"{estimator.score(x, y):.1%}"


@pytest.mark.parametrize(
    ("widget", "key", "value"),
    [
        ("slider", "noise", 0.35),
        ("select_slider", "n", 100),
        ("selectbox", "hidden", "8,8"),
        ("selectbox", "act", "tanh"),
        ("select_slider", "l2", 0.1),
        ("select_slider", "batch", 128),
        ("slider", "epochs", 50),
        ("number_input", "seed", 4),
    ],
)
def test_each_training_control_in_the_sidebar_retrains_the_network(default_page, widget, key, value):
    app = open_page(PAGE)
    getattr(app, widget)(key=key).set_value(value).run()
    assert_healthy(app)
    assert metrics(app)["Cross-entropy"] != metrics(default_page)["Cross-entropy"]
    path = trace(chart_specs(app)[1], "training path (projected)")
    assert len(values(path["x"])) == (value if key == "epochs" else 100) + 1  # θ₀ and one point per epoch


@pytest.mark.parametrize(
    ("widget", "key", "value"),
    [
        ("radio", "plane", "pca"),
        ("number_input", "dseed", 3),
        ("select_slider", "grid", 21),
        ("select_slider", "span", 2.0),
    ],
)
def test_each_plane_control_redraws_the_landscape_without_retraining(default_page, widget, key, value):
    app = open_page(PAGE)
    getattr(app, widget)(key=key).set_value(value).run()
    assert_healthy(app)
    unchanged = {"Path in plane": ""}
    assert metrics(app) | unchanged == metrics(default_page) | unchanged
    grid, contour = contour_grid(app), chart_specs(app)[1]
    assert grid.shape == ((21, 21) if key == "grid" else (41, 41))
    assert contour["layout"]["xaxis"]["range"] == ([-2.0, 2.0] if key == "span" else [-1.0, 1.0])
    if key == "plane":
        assert contour["layout"]["xaxis"]["title"]["text"] == "a (1st principal direction)"
    if key in ("plane", "dseed"):
        assert not np.allclose(grid, contour_grid(default_page))
