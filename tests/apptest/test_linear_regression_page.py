"""The Linear regression GD page, driven through its controls with Streamlit's AppTest."""

import numpy as np
import pytest

from core.figures.momentum import EIGEN_ERROR_TITLE, RATE_MAP_TITLE
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

PAGE = "pages/5_Linear_Regression_GD.py"
LIVE = "linear-live"


def metric(app, label: str):
    return next(m for m in app.metric if m.label == label)


def charts(app) -> dict[str, dict]:
    """The page's charts by their title: the live chart's and the server-drawn ones below it, but for the
    momentum panel's (tests/apptest/test_momentum_panel.py)."""
    specs = [*live_figures(app, LIVE), *chart_specs(app)]
    return {
        spec["layout"]["title"]["text"]: spec
        for spec in specs
        if spec["layout"]["title"]["text"] not in {EIGEN_ERROR_TITLE, RATE_MAP_TITLE}
    }


def control(app, name: str) -> dict:
    return next(c for c in live_data(app, LIVE)["controls"] if c["name"] == name)


@pytest.fixture
def linear_page():
    return open_page(PAGE)


def test_defaults_reproduce_the_seed_run_with_the_optimum_on_the_landscape(linear_page):
    app = linear_page
    assert_healthy(app)
    assert metric(app, "Final w").value == "35.8536"
    assert metric(app, "Final b").value.startswith("-0.4983")
    assert metric(app, "Final MSE").value == "138.81"
    assert metric(app, "Stable below 2/λ_max").value == "0.9536"
    assert metric(app, "Within 1% at").value == "not yet"
    assert not app.warning
    landscape = charts(app)["MSE landscape"]
    path = trace(landscape, "gradient descent")
    assert values(path["x"])[-1] == pytest.approx(35.8536, abs=1e-4)
    optimum = trace(landscape, "optimum")
    assert optimum["x"][0] == pytest.approx(44.437, abs=1e-3)
    w_range, b_range = landscape["layout"]["xaxis"]["range"], landscape["layout"]["yaxis"]["range"]
    assert w_range[0] <= 0 < 44.437 <= w_range[1] and b_range[0] <= -0.5 < 1.165 <= b_range[1]
    assert "frames" not in landscape  # Play is the live chart's, on the iteration scrubber
    assert control(app, "show")["play"]["label"] == "Play" and control(app, "show")["value"] == 100
    assert set(charts(app)) == {"MSE landscape", "Data and lines", "Loss against iteration"}
    # the live readouts at the last iteration are the seed's numbers too
    assert live_readout(app, LIVE, "w") == "35.8536" and live_readout(app, LIVE, "b") == "−0.498332"
    params = live_data(app, LIVE)["params"]
    assert params["browser_descent"] and params["stable_rate"] == pytest.approx(0.9536, abs=1e-4)
    x, y = (
        values(trace(charts(app)["Data and lines"], "data")["x"]),
        values(trace(charts(app)["Data and lines"], "data")["y"]),
    )
    assert params["moments"]["slope"] == pytest.approx(np.polyfit(x, y, 1)[0], rel=1e-12)


def test_a_learning_rate_above_the_bound_explains_the_divergence(linear_page):
    app = linear_page
    move_live(app, LIVE, lr=2.0)
    assert_healthy(app)
    assert app.query_params["lr"] == "2"
    (warning,) = app.warning
    assert (
        "diverges" in warning.value
        and "2/λ_max = 0.9536" in warning.value
        and "λ_max = 2.097" in warning.value
    )
    assert "leaves the plot" in warning.value
    shown = charts(app)
    assert len(shown) == 3
    assert len(values(trace(shown["MSE landscape"], "gradient descent")["x"])) >= 2


def test_an_overflowing_run_stops_with_a_message_and_charts():
    app = open_page(PAGE, lr="10", iters="500")
    assert_healthy(app)
    assert "overflowed at iteration" in app.warning[0].value
    assert len(charts(app)) == 3


def test_standardising_drops_the_condition_number():
    app = open_page(PAGE, data="Diabetes BMI", lr="0.001")
    assert_healthy(app)
    raw = float(metric(app, "Condition number").value)
    assert raw > 1e4
    app.toggle(key="std").set_value(True).run()
    assert_healthy(app)
    condition = metric(app, "Condition number")
    assert float(condition.value) == pytest.approx(1.0)
    assert condition.delta.startswith("-2.63")
    move_live(app, LIVE, lr=0.5)
    assert metric(app, "Within 1% at").value == "step 1"


def test_your_own_line_moves_on_the_landscape_and_the_data_plot(linear_page):
    app = linear_page
    app.slider(key="own_w").set_value(40.0).run()
    app.slider(key="own_b").set_value(2.0).run()
    assert_healthy(app)
    shown = charts(app)
    marker = trace(shown["MSE landscape"], "your (w, b)")
    assert (marker["x"][0], marker["y"][0]) == (40.0, 2.0)
    fit = shown["Data and lines"]
    line_x, line_y = values(trace(fit, "your line")["x"]), values(trace(fit, "your line")["y"])
    np.testing.assert_allclose(line_y, 40.0 * line_x + 2.0)
    data_x, data_y = values(trace(fit, "data")["x"]), values(trace(fit, "data")["y"])
    residual_y = values(trace(fit, "residuals")["y"]).reshape(-1, 3)
    np.testing.assert_allclose(residual_y[:, 0], data_y)  # residuals belong to the descent's line
    own_mse = np.mean((data_y - (40.0 * data_x + 2.0)) ** 2)
    assert any(f"{own_mse:.6g}" in caption.value for caption in app.caption)


def test_the_iteration_scrubber_moves_the_fitted_line_and_its_marker(linear_page):
    app = move_live(linear_page, LIVE, show=10)  # the browser let go at iteration 10
    assert_healthy(app)
    assert app.query_params["show"] == "10"
    shown = charts(app)
    marker = trace(shown["MSE landscape"], "shown iteration")
    assert marker["text"] == ["iteration 10"]
    path = shown["MSE landscape"]
    w10, b10 = (
        values(trace(path, "gradient descent")["x"])[10],
        values(trace(path, "gradient descent")["y"])[10],
    )
    assert (marker["x"][0], marker["y"][0]) == pytest.approx((w10, b10))
    line = trace(shown["Data and lines"], "gradient descent")
    np.testing.assert_allclose(values(line["y"]), w10 * values(line["x"]) + b10)
    residual_y = values(trace(shown["Data and lines"], "residuals")["y"]).reshape(-1, 3)
    data_x = values(trace(shown["Data and lines"], "data")["x"])
    np.testing.assert_allclose(residual_y[:, 1], w10 * data_x + b10)  # the residuals of that line
    assert tuple(values(trace(shown["Loss against iteration"], "shown iteration")["x"])) == (10, 10)
    assert live_readout(app, LIVE, "w") == f"{w10:.6g}"


def test_the_scrubber_stays_valid_when_the_iterations_change(linear_page):
    app = linear_page
    app.select_slider(key="iters").set_value(200).run()
    assert control(app, "show")["value"] == 200 and control(app, "show")["max"] == 200  # it follows the end
    app.run()
    assert control(app, "show")["value"] == 200  # and stays there
    move_live(app, LIVE, show=150)
    app.select_slider(key="iters").set_value(500).run()
    assert control(app, "show")["value"] == 150  # moved off the end, it stays
    app.select_slider(key="iters").set_value(50).run()
    assert_healthy(app)
    assert control(app, "show")["value"] == 50  # clamped, not an exception


def test_the_3d_view_replaces_the_contour():
    app = open_page(PAGE, view="3-D surface")
    assert_healthy(app)
    landscape = charts(app)["MSE landscape"]
    assert landscape["data"][0]["type"] == "surface"
    assert landscape["layout"]["scene"]["zaxis"]["title"]["text"] == "MSE"


def test_a_deep_link_opens_that_run():
    app = open_page(PAGE, lr="0.5", iters="20", w0="-20", b0="10", n="200", noise="5", seed="7")
    assert_healthy(app)
    assert app.slider(key="n").value == 200 and app.select_slider(key="iters").value == 20
    assert {name: control(app, name)["value"] for name in ("lr", "w0", "b0")} == {
        "lr": 0.5,
        "w0": -20,
        "b0": 10,
    }
    landscape = charts(app)["MSE landscape"]
    start = trace(landscape, "start")
    assert (start["x"][0], start["y"][0]) == (-20.0, 10.0)
    assert metric(app, "Within 1% at").value.startswith("step")


def upload(app, content: bytes):
    app.selectbox(key="data").set_value("CSV upload").run()
    assert any("Upload a CSV file" in info.value for info in app.info)
    app.file_uploader(key="csv").set_value(("data.csv", content, "text/csv")).run()
    return app


def test_an_uploaded_csv_is_fitted_with_its_columns_and_dropped_rows_noted(linear_page):
    rows = "\n".join(f"{x},{3 * x + 1 + (-1) ** x},{x % 2}" for x in range(30))
    app = upload(linear_page, f"height,weight,flag\n{rows}\n,5,1\n".encode())
    assert_healthy(app)
    assert app.selectbox(key="xcol").value == "height" and app.selectbox(key="ycol").value == "flag"
    app.selectbox(key="ycol").set_value("weight").run()
    assert_healthy(app)
    assert any("Dropped 1 row" in caption.value for caption in app.sidebar.caption)
    fit = charts(app)["Data and lines"]
    assert fit["layout"]["xaxis"]["title"]["text"] == "height"
    assert len(values(trace(fit, "data")["x"])) == 30


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"name,city\nann,paris\nbob,rome\n", "no numeric columns"),
        (b"x,y\n1,2\n1,3\n1,4\n", "must vary"),
        (b"x,y\n1,2\n,3\n4,\n", "at least 2 rows"),
        (b"x\n1\n2\n", "two numeric columns"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
    ],
)
def test_a_bad_csv_gets_a_clear_message_and_nothing_breaks(linear_page, content, message):
    app = upload(linear_page, content)
    assert not app.exception
    (error,) = app.error
    assert message in error.value
    assert not app.get("plotly_chart")


def test_lecture_mode_enlarges_the_charts():
    normal = charts(open_page(PAGE))["MSE landscape"]
    lecture = charts(open_page(PAGE, lecture="1"))["MSE landscape"]
    assert lecture["layout"]["font"]["size"] > normal["layout"]["font"]["size"]


def test_a_badly_scaled_upload_says_no_rate_is_stable_and_to_standardise(linear_page):
    rows = "\n".join(f"{10_000 + 100 * i},{2 * i + 1}" for i in range(20))
    app = upload(linear_page, f"x,y\n{rows}\n".encode())
    assert_healthy(app)
    assert any("standardise x" in caption.value for caption in app.sidebar.caption)
    assert "diverges" in app.warning[0].value
    app.toggle(key="std").set_value(True).run()
    assert_healthy(app)
    assert any("largest stable choice here" in caption.value for caption in app.sidebar.caption)


def test_too_much_work_for_the_server_is_refused_with_a_message(linear_page):
    rows = "\n".join(f"{i % 97},{i % 89}" for i in range(30_000))
    app = upload(linear_page, f"x,y\n{rows}\n".encode())
    app.select_slider(key="iters").set_value(5000).run()
    assert not app.exception
    assert "n_iterations * (number of samples)" in app.error[0].value


def test_momentum_changes_the_path_and_explains_its_own_stability_bound(linear_page):
    app = linear_page
    app.selectbox(key="opt").set_value("Momentum").run()
    assert_healthy(app)
    assert float(metric(app, "Final w").value) != pytest.approx(35.8536, abs=1e-3)
    assert any("**Momentum**" in block.value and "here η < 1.812" in block.value for block in app.markdown)
    assert any("for plain GD" in caption.value for caption in app.sidebar.caption)
    assert len(charts(app)) == 3


def test_mini_batch_sgd_draws_the_gradient_cloud_at_the_shown_iteration(linear_page):
    app = linear_page
    app.select_slider(key="batch").set_value(20).run()
    move_live(app, LIVE, show=30)
    assert_healthy(app)
    cloud = charts(app)["Mini-batch gradients at iteration 30"]
    batches = trace(cloud, "each batch")
    assert len(values(batches["x"])) == 5 * 3  # origin, tip, gap per batch
    full = values(trace(cloud, "full batch")["x"])
    assert full[0] == 0 and full[1] != 0
    assert any("mini-batches of 20" in caption.value for caption in app.caption)


def test_a_batch_as_large_as_the_data_is_the_seeds_full_batch_run(linear_page):
    app = linear_page
    app.select_slider(key="batch").set_value(100).run()
    assert_healthy(app)
    assert metric(app, "Final w").value == "35.8536"
    assert not any(title.startswith("Mini-batch") for title in charts(app))


def test_adam_with_a_diverging_rate_for_gd_does_not_warn_about_the_gd_bound():
    app = open_page(PAGE, opt="Adam", lr="2")
    assert_healthy(app)
    assert not any("2/λ_max = 0.9536" in warning.value for warning in app.warning)
    assert any("**Adam**" in block.value for block in app.markdown)


def test_quiz_mode_hides_the_final_weights_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metric(app, "Final w").value == "?" and metric(app, "Final b").value == "?"
    assert metric(app, "Final MSE").value == "?"  # the final loss tells where descent ended too
    app.button(key="reveal-button-the final weights").click().run()
    assert metric(app, "Final w").value == "35.8536"
    assert metric(app, "Final MSE").value == "138.81"
    assert any("Optimum (least squares)" in block.value for block in app.markdown)


def test_the_iterates_download_as_csv(linear_page):
    (button,) = linear_page.get("download_button")
    assert "iterates" in button.proto.label


def _to_scale(app) -> bool:
    yaxis = charts(app)["MSE landscape"]["layout"]["yaxis"]
    return yaxis.get("scaleanchor") == "x" and yaxis.get("scaleratio") == 1


def test_a_window_too_wide_to_draw_to_scale_says_its_axes_are_stretched_until_equal_axes_is_on(linear_page):
    app = linear_page
    w_range = charts(app)["MSE landscape"]["layout"]["xaxis"]["range"]
    b_range = charts(app)["MSE landscape"]["layout"]["yaxis"]["range"]
    w_span, b_span = w_range[1] - w_range[0], b_range[1] - b_range[0]
    assert w_span / b_span > 3  # the seed's window: a to-scale map would be a thin strip
    assert not _to_scale(app) and not app.toggle(key="equal").value
    (note,) = [c.value for c in app.caption if "not to scale" in c.value]
    assert f"w spans {w_span:.3g} and b {b_span:.3g}" in note and f"{w_span / b_span:.2g} times" in note

    app.toggle(key="equal").set_value(True).run()
    assert_healthy(app)
    assert _to_scale(app) and not [c for c in app.caption if "not to scale" in c.value]


def test_a_link_with_equal_axes_opens_the_map_to_scale():
    assert _to_scale(open_page(PAGE, equal="true")) and not _to_scale(open_page(PAGE))
