"""The Logistic regression GD page, driven through its controls with Streamlit's AppTest."""

import numpy as np
import pytest

from core.datasets import classification_data
from core.descent import plot_data, run
from core.regression import gradient_descent
from tests.apptest.conftest import (
    assert_healthy,
    chart_specs,
    live_data,
    live_figures,
    live_readout,
    move_live,
    open_page,
    trace,
    values,
)
from tests.unit.test_regression import exact_cross_entropy_minimum

PAGE = "pages/6_Logistic_Regression_GD.py"
LIVE = "logistic-live"


def metric(app, label: str):
    return next(m for m in app.metric if m.label == label)


def charts(app) -> dict[str, dict]:
    """The page's charts by their title: the live chart's and the server-drawn ones below it."""
    return {spec["layout"]["title"]["text"]: spec for spec in [*live_figures(app, LIVE), *chart_specs(app)]}


def control(app, name: str) -> dict:
    return next(c for c in live_data(app, LIVE)["controls"] if c["name"] == name)


@pytest.fixture
def logistic_page():
    return open_page(PAGE)


def test_defaults_reproduce_the_seed_run_with_the_optimum_on_the_landscape(logistic_page):
    app = logistic_page
    assert_healthy(app)
    seed = classification_data()
    reference = gradient_descent("logistic", seed.x, seed.y, learning_rate=0.5, n_iterations=100)
    assert float(metric(app, "Final w").value) == pytest.approx(reference.w[-1], rel=1e-5)
    assert float(metric(app, "Final b").value) == pytest.approx(reference.b[-1], rel=1e-4)
    shown_w, shown_b = f"{reference.w[-1]:.6g}", f"{reference.b[-1]:.6g}"
    assert metric(app, "Final w").value == shown_w and metric(app, "Final b").value == shown_b
    assert metric(app, "Accuracy").value == "99.0%"
    assert not app.warning
    landscape = charts(app)["Cross-entropy landscape"]
    path = trace(landscape, "gradient descent")
    assert values(path["x"])[-1] == pytest.approx(reference.w[-1], rel=1e-9)
    assert values(path["y"])[-1] == pytest.approx(reference.b[-1], rel=1e-9)
    (best_w,), best_b, _ = exact_cross_entropy_minimum(seed.x, seed.y)
    optimum = trace(landscape, "optimum")
    assert (optimum["x"][0], optimum["y"][0]) == pytest.approx((best_w, best_b), rel=1e-6)
    w_range, b_range = landscape["layout"]["xaxis"]["range"], landscape["layout"]["yaxis"]["range"]
    assert w_range[0] <= 0 and w_range[1] >= best_w and b_range[0] <= 0 and b_range[1] >= best_b
    assert "frames" not in landscape and control(app, "show")["play"]["label"] == "Play"
    assert live_readout(app, LIVE, "w") == shown_w and live_readout(app, LIVE, "b") == shown_b
    assert live_readout(app, LIVE, "Accuracy") == "99.0%"
    assert live_data(app, LIVE)["drag"]["x"] == "w0"  # clicking the landscape starts descent there
    assert any(f"w\\* = {best_w:.6g}" in block.value for block in app.markdown)
    assert set(charts(app)) == {"Cross-entropy landscape", "Data and σ(w x + b)", "Loss against iteration"}


def test_the_data_plot_shows_the_probability_curve_threshold_and_boundary(logistic_page):
    data = charts(logistic_page)["Data and σ(w x + b)"]
    curve = trace(data, "gradient descent")
    x, p = values(curve["x"]), values(curve["y"])
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-(3.72089 * x + 0.13232))), atol=1e-5)
    boundary = trace(data, "boundary")
    assert values(boundary["x"])[0] == pytest.approx(-0.13232 / 3.72089, rel=1e-4)
    assert tuple(values(trace(data, "p = 0.5")["y"])) == (0.5, 0.5)
    classes = values(trace(data, "class 0")["y"]), values(trace(data, "class 1")["y"])
    assert len(classes[0]) + len(classes[1]) == 100
    assert np.all(np.abs(classes[0]) <= 0.03) and np.all(np.abs(classes[1] - 1) <= 0.03)


def test_the_iteration_scrubber_moves_the_boundary_and_the_marker(logistic_page):
    app = move_live(logistic_page, LIVE, show=10)
    assert_healthy(app)
    shown = charts(app)
    path = shown["Cross-entropy landscape"]
    w10, b10 = (
        values(trace(path, "gradient descent")["x"])[10],
        values(trace(path, "gradient descent")["y"])[10],
    )
    marker = trace(path, "shown iteration")
    assert (marker["x"][0], marker["y"][0]) == pytest.approx((w10, b10))
    boundary = trace(shown["Data and σ(w x + b)"], "boundary")
    assert values(boundary["x"])[0] == pytest.approx(-b10 / w10)
    assert live_readout(app, LIVE, "Boundary x") == f"{-b10 / w10:.4g}".replace("-", "−")


def test_separable_classes_explain_why_there_is_no_optimum():
    app = open_page(PAGE, flip="0.0", iters="1000")
    assert_healthy(app)
    (info,) = app.info
    assert "linearly separable" in info.value and "no finite optimum" in info.value
    assert not any("Optimum (scikit-learn" in block.value for block in app.markdown)
    shown = charts(app)
    assert "optimum" not in {t["name"] for t in shown["Cross-entropy landscape"]["data"]}
    assert "optimal loss" not in {t["name"] for t in shown["Loss against iteration"]["data"]}
    norm = values(trace(shown["‖w‖ against iteration"], "‖w‖")["y"])
    assert norm[-1] > norm[len(norm) // 2] > norm[1] > 0  # still growing at the end
    assert metric(app, "Final boundary x").value != "none"


def test_two_features_draw_the_boundary_line_and_the_weight_plane_at_the_current_bias():
    app = open_page(PAGE, features="2", flip="0.2")
    assert_healthy(app)
    assert {"Final w₁", "Final w₂", "Final b"} <= {m.label for m in app.metric}
    shown = charts(app)
    landscape = shown["Cross-entropy over (w₁, w₂)"]
    assert landscape["layout"]["xaxis"]["title"]["text"] == "weight w₁"
    assert landscape["layout"]["yaxis"]["title"]["text"] == "weight w₂"
    assert "optimum" in {t["name"] for t in landscape["data"]}
    line = trace(shown["Data and decision boundary"], "gradient descent")
    before = values(line["x"]), values(line["y"])
    assert live_data(app, LIVE)["drag"] is None  # the plane is (w₁, w₂): a click there is no (w₀, b₀)
    move_live(app, LIVE, show=20)
    assert_healthy(app)
    shown = charts(app)
    line = trace(shown["Data and decision boundary"], "gradient descent")
    assert not np.allclose(values(line["x"]), before[0]) or not np.allclose(values(line["y"]), before[1])
    assert any("the bias of iteration 20" in caption.value for caption in app.caption)
    assert not app.get("segmented_control")  # no 3-D view of a slice


def test_adam_on_mini_batches_draws_a_noisy_path_and_the_gradient_cloud(logistic_page):
    app = logistic_page
    app.selectbox(key="opt").set_value("Adam").run()
    app.select_slider(key="batch").set_value(10).run()
    assert_healthy(app)
    shown = charts(app)
    cloud = shown["Mini-batch gradients at iteration 100"]
    assert {"each batch", "step 100's batch", "full batch"} <= {t["name"] for t in cloud["data"]}
    assert any("mini-batches of 10" in caption.value for caption in app.caption)
    assert any("**Adam**" in block.value for block in app.markdown)
    app.number_input(key="shuffle").set_value(3).run()
    assert_healthy(app)
    assert float(metric(app, "Final w").value) != pytest.approx(3.72089, abs=1e-3)


def test_quiz_mode_hides_the_final_weights_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metric(app, "Final w").value == "?" and metric(app, "Final b").value == "?"
    assert not any("Optimum (scikit-learn" in block.value for block in app.markdown)
    app.button(key="reveal-button-the final weights").click().run()
    assert metric(app, "Final w").value == "3.72089"
    assert any("Optimum (scikit-learn" in block.value for block in app.markdown)
    app.select_slider(key="lr").set_value(0.2).run()  # a new question hides the answer again
    assert metric(app, "Final w").value == "?"


def test_the_breast_cancer_preset_diverges_raw_and_converges_standardised():
    app = open_page(PAGE, data="Breast cancer")
    assert_healthy(app)
    assert "learning rate is too large" in app.warning[0].value
    app.toggle(key="std").set_value(True).run()
    assert_healthy(app)
    assert not app.warning
    assert float(metric(app, "Accuracy").value.rstrip("%")) > 85


def upload(app, content: bytes):
    app.selectbox(key="data").set_value("CSV upload").run()
    app.file_uploader(key="csv").set_value(("data.csv", content, "text/csv")).run()
    return app


def test_an_uploaded_csv_with_a_two_valued_target_is_recoded_and_fitted(logistic_page):
    rows = "\n".join(f"{x / 10},{'7' if x % 3 else '3'}" for x in range(40))
    app = upload(logistic_page, f"size,grade\n{rows}\n".encode())
    assert_healthy(app)
    assert any("Target recoded: 3 → 0, 7 → 1" in caption.value for caption in app.sidebar.caption)
    assert len(charts(app)) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x,y\n1,0\n2,1\n3,2\n", "exactly two distinct values"),
        (b"x,y\n1,1\n2,1\n3,1\n", "must contain two classes"),
        (b"name,city\nann,paris\nbob,rome\n", "no numeric columns"),
        (b"x,y\n1,0\n,1\n2,\n", "at least 2 rows"),
        (b"x,y\n1,0\n1,1\n1,0\n", "must vary"),
    ],
)
def test_a_bad_csv_gets_a_clear_message_and_nothing_breaks(logistic_page, content, message):
    app = upload(logistic_page, content)
    assert not app.exception
    (error,) = app.error
    assert message in error.value
    assert not app.get("plotly_chart")


def test_an_oversized_upload_is_refused_with_a_message(logistic_page):
    rows = "\n".join(f"{i},{i % 2}" for i in range(100_001))
    app = upload(logistic_page, f"x,y\n{rows}\n".encode())
    assert not app.exception
    assert "at most 100,000 data rows" in app.error[0].value


def test_a_deep_link_opens_that_run():
    app = open_page(PAGE, lr="0.2", iters="50", w0="-2", b0="1", n="200", sep="2.0", seed="7")
    assert_healthy(app)
    start = trace(charts(app)["Cross-entropy landscape"], "start")
    assert (start["x"][0], start["y"][0]) == (-2.0, 1.0)
    assert app.slider(key="n").value == 200 and control(app, "show")["value"] == 50


def test_changing_the_learning_rate_or_iterations_never_recomputes_the_landscape_or_the_optimum(
    logistic_page, monkeypatch
):
    computed = []
    for module, name in ((plot_data, "loss_landscape"), (run, "model_optimum")):
        original = getattr(module, name)
        monkeypatch.setattr(
            module,
            name,
            lambda *args, _f=original, _n=name, **kwargs: computed.append(_n) or _f(*args, **kwargs),
        )
    app = logistic_page
    for rate, steps in ((0.2, 100), (1.0, 500), (0.05, 20)):
        app.select_slider(key="lr").set_value(rate)
        app.select_slider(key="iters").set_value(steps).run()
        assert_healthy(app)
    app.selectbox(key="opt").set_value("Adam").run()
    assert_healthy(app)
    assert computed == []
    # positive control: the spies see new data (a seed no other test draws), which needs both afresh
    app.number_input(key="seed").set_value(4817).run()
    assert_healthy(app)
    assert set(computed) == {"loss_landscape", "model_optimum"}
