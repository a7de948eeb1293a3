"""The Linear regression GD page in a real browser: the iteration, the learning rate and the start move the
landscape, the line, its residuals and the loss curve without asking the server; Play keeps the contours;
the settled values reach the URL and a link reopens the view."""

from urllib.parse import parse_qs, urlparse

import numpy as np
import pandas as pd
from playwright.sync_api import expect
from sklearn.datasets import make_regression

from tests.e2e.conftest import (
    SentFrames,
    assert_no_errors,
    live_input,
    live_readout,
    live_value,
    move_slider,
    open_app,
    plotted,
    press_live,
    screenshot,
    trace_y,
    wait_for_app,
)

PAGE = "Linear_Regression_GD"
LANDSCAPE, DATA, LOSS = 0, 1, 2  # the live chart's plots, in page order


def seed_descent(learning_rate=0.01, n_iterations=100, w=0.0, b=0.0):
    """The seed's make_regression data and its gradient-descent loop, with the start as a parameter."""
    x, y = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    x = x.flatten()
    ws, bs = [w], [b]
    for _ in range(n_iterations):
        residuals = y - (w * x + b)
        w, b = (
            w - learning_rate * (-2 * np.mean(residuals * x)),
            b - learning_rate * (-2 * np.mean(residuals)),
        )
        ws.append(w), bs.append(b)
    return np.array(ws), np.array(bs)


def _trace(page, chart: int, name: str) -> dict:
    return next(t for t in plotted(page)[chart] if t["name"] == name)


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def _contour_paths(page) -> int:
    return page.evaluate("() => document.querySelectorAll('.gl-plot .contourlayer path').length")


def test_a_cold_deep_link_with_parameters_renders_that_run(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/{PAGE}?lr=0.5&iters=20&w0=-20")
    assert_no_errors(page)
    path = _trace(page, LANDSCAPE, "gradient descent")
    w, _ = seed_descent(0.5, 20, w=-20.0)
    np.testing.assert_allclose(path["x"], w, rtol=1e-9)
    assert live_value(page, "lr") == 0.5 and live_value(page, "w0") == -20
    expect(page.get_by_text("step 3", exact=True)).to_have_count(1)  # within 1% of optimal at step 3
    screenshot(page, "linear-regression-deep-link")


def test_the_iterates_download_as_the_seed_loop_computes_them(page, app_url):
    # the file is written when the button is pressed (a deferred download), for the run on the page
    open_app(page, f"{app_url}/{PAGE}?lr=0.5&iters=20&w0=-20")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the iterates (CSV)").click()
    assert download.value.suggested_filename == "linear-regression-iterates.csv"
    table = pd.read_csv(download.value.path())
    w, b = seed_descent(0.5, 20, w=-20.0)
    x, y = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    assert list(table.columns) == ["iteration", "w", "b", "loss"]
    np.testing.assert_array_equal(table["iteration"], np.arange(21))
    np.testing.assert_allclose(table["w"], w, rtol=1e-9)
    np.testing.assert_allclose(table["b"], b, rtol=1e-9, atol=1e-12)
    mse = [np.mean((y - (wk * x.ravel() + bk)) ** 2) for wk, bk in zip(w, b, strict=True)]
    np.testing.assert_allclose(table["loss"], mse, rtol=1e-9)


def test_the_page_renders_the_seed_run_with_a_play_button(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    assert_no_errors(page)
    names = {t["name"] for t in plotted(page)[LANDSCAPE]}
    assert {"gradient descent", "start", "optimum", "your (w, b)", "shown iteration"} <= names
    assert live_readout(page, "w") == "35.8536" and live_readout(page, "b") == "−0.498332"  # the seed's
    expect(page.get_by_role("button", name="Play: animate Iteration")).to_have_count(1)
    assert _contour_paths(page) > 0
    screenshot(page, "linear-regression-default")
    screenshot(page, "linear-regression-default-full", full_page=True)


def test_arrow_keys_on_the_iteration_move_everything_together_without_the_server(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/{PAGE}")
    press_live(page, "show", 8, key="ArrowLeft", quiet=frames)  # 100 -> 92, one iteration per press
    w, b = seed_descent()
    assert live_value(page, "show") == 92
    iterate = _trace(page, LANDSCAPE, "shown iteration")
    assert abs(iterate["x"][0] - w[92]) < 1e-9 * abs(w[92]) and abs(iterate["y"][0] - b[92]) < 1e-9
    line = _trace(page, DATA, "gradient descent")
    np.testing.assert_allclose(line["y"], w[92] * np.array(line["x"]) + b[92], rtol=1e-9)
    residuals = np.array(_trace(page, DATA, "residuals")["y"], dtype=float).reshape(-1, 3)
    data_x = np.array(_trace(page, DATA, "data")["x"])
    np.testing.assert_allclose(residuals[:, 1], w[92] * data_x + b[92], rtol=1e-9)
    assert _trace(page, LOSS, "shown iteration")["x"] == [92, 92]
    assert abs(_number(live_readout(page, "w")) - w[92]) < 1e-4
    assert _contour_paths(page) > 0  # the landscape stays drawn under the moving path
    page.wait_for_function("() => new URLSearchParams(location.search).get('show') === '92'")
    wait_for_app(page)
    assert_no_errors(page)


def test_play_runs_the_iterations_and_keeps_the_contours(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    page.get_by_role("button", name="Play: animate Iteration").click()
    page.wait_for_function("() => document.querySelector('.gl-live').glChart.values.show < 60")
    assert _contour_paths(page) > 0 and len(_trace(page, LANDSCAPE, "gradient descent")["x"]) < 101
    page.wait_for_function(
        "() => document.querySelector('.gl-live').glChart.values.show === 100", timeout=30_000
    )
    assert _contour_paths(page) > 0
    w, _ = seed_descent()
    np.testing.assert_allclose(_trace(page, LANDSCAPE, "gradient descent")["x"], w, rtol=1e-9)
    wait_for_app(page)
    assert_no_errors(page)


def test_dragging_the_learning_rate_reruns_descent_in_the_browser(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/{PAGE}")
    press_live(page, "lr", 3, quiet=frames)  # 0.01 -> 0.02 -> 0.05 -> 0.1
    assert live_value(page, "lr") == 0.1
    w, b = seed_descent(0.1)
    path = _trace(page, LANDSCAPE, "gradient descent")
    np.testing.assert_allclose(path["x"], w, rtol=1e-9)
    np.testing.assert_allclose(path["y"], b, rtol=1e-7, atol=1e-12)
    assert live_readout(page, "w") == f"{w[-1]:.6g}"
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.1'")
    wait_for_app(page)
    press_live(page, "lr", 4)  # 0.1 -> 0.2 -> 0.5 -> 1 -> 2: above 2/λ_max = 0.9536
    message = page.locator(".gl-live .gl-message")
    expect(message).to_contain_text("above 2/λ_max = 0.9536")
    expect(message).to_contain_text("diverges")
    wait_for_app(page)
    assert_no_errors(page)


def test_dragging_on_the_landscape_starts_descent_there(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/{PAGE}")
    sent = frames.count
    box = page.evaluate(
        """() => { const gd = document.querySelector('.gl-plot'); const s = gd._fullLayout._size;
            const r = gd.getBoundingClientRect(); const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            return {left: r.left + s.l, top: r.top + s.t, x: [xa.d2p(-10), xa.d2p(10)], y: ya.d2p(3)}; }"""
    )
    page.mouse.move(box["left"] + box["x"][0], box["top"] + box["y"])
    page.mouse.down()
    seen = []
    for step in range(1, 9):
        page.mouse.move(
            box["left"] + box["x"][0] + (box["x"][1] - box["x"][0]) * step / 8, box["top"] + box["y"]
        )
        seen.append(live_value(page, "w0"))
    assert frames.count == sent  # nothing sent while the button is held
    page.mouse.up()
    assert seen == sorted(seen) and len(set(seen)) >= 6 and abs(seen[-1] - 10) <= 0.5
    start = (live_value(page, "w0"), live_value(page, "b0"))
    assert abs(start[1] - 3) <= 0.5
    w, _ = seed_descent(w=start[0], b=start[1])
    np.testing.assert_allclose(_trace(page, LANDSCAPE, "gradient descent")["x"], w, rtol=1e-9)
    assert _trace(page, LANDSCAPE, "start")["x"] == [start[0]]
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('w0') === '{start[0]:g}'")
    wait_for_app(page)
    assert_no_errors(page)


def test_a_changed_view_shows_up_in_the_url_and_the_url_restores_it(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    press_live(page, "show", 5, key="ArrowLeft")
    page.wait_for_function("() => new URLSearchParams(location.search).get('show') === '95'")
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query)["show"] == ["95"]
    restored = page.context.new_page()
    open_app(restored, page.url)
    assert live_value(restored, "show") == 95
    assert trace_y(restored, DATA, "gradient descent") == trace_y(page, DATA, "gradient descent")


def test_quiz_mode_hides_what_descent_reached_in_the_live_readouts_too(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?quiz=1")
    press_live(page, "show", 3, key="ArrowLeft")
    assert live_readout(page, "w") == "?" and live_readout(page, "b") == "?"
    assert live_readout(page, "MSE") == "?"  # the loss at the end tells where descent ended too
    assert live_input(page, "show").count() == 1


def test_momentum_runs_on_the_server_when_the_rate_is_let_go(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?opt=Momentum")
    before = _trace(page, LANDSCAPE, "gradient descent")["x"]
    press_live(page, "lr", 1)
    expect(page.locator(".gl-live .gl-message")).to_contain_text("Momentum runs on the server")
    assert _trace(page, LANDSCAPE, "gradient descent")["x"] == before  # until the server has run it
    page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.02'")
    wait_for_app(page)
    assert _trace(page, LANDSCAPE, "gradient descent")["x"] != before
    assert_no_errors(page)


def test_a_diverging_rate_shows_the_warning_and_the_path_leaving(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?lr=2")
    assert_no_errors(page)
    expect(page.get_by_text("Gradient descent diverges.")).to_have_count(1)
    # the live chart's landscape, data and loss (the momentum panel's charts follow further down)
    assert page.locator(".gl-live .js-plotly-plot").count() == 3
    screenshot(page, "linear-regression-diverging")


def test_your_line_slider_moves_the_line_on_the_data_plot(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    before = trace_y(page, DATA, "your line")
    move_slider(page, "Your line: w", 20)
    assert trace_y(page, DATA, "your line") != before
    assert_no_errors(page)


def test_standardised_diabetes_and_the_3d_view(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?data=Diabetes+BMI&std=true&lr=0.5&view=3-D+surface")
    assert_no_errors(page)
    expect(page.get_by_text("vs raw x")).to_have_count(1)  # the condition number's drop
    press_live(page, "show", 2, key="ArrowLeft")  # the data plot still moves live beside the 3-D view
    assert live_value(page, "show") == 98
    screenshot(page, "linear-regression-diabetes-3d")


def test_lecture_mode_at_projector_size(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?lecture=1")
    assert_no_errors(page)
    screenshot(page, "linear-regression-lecture")
    screenshot(page, "linear-regression-lecture-full", full_page=True)
