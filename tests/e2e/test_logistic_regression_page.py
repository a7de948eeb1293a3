"""The Logistic regression GD page in a real browser: the iteration scrubber and Play move the path, the
probability curve and the decision boundary without asking the server, a click on the landscape starts
descent there (run by the server once let go), separable classes and mini-batches show what they change,
links reopen the view."""

import numpy as np
from playwright.sync_api import expect
from sklearn.datasets import make_classification

from tests.e2e.conftest import (
    SentFrames,
    assert_no_errors,
    live_readout,
    live_value,
    open_app,
    plotted,
    press_live,
    screenshot,
    wait_for_app,
)

PAGE = "Logistic_Regression_GD"
LANDSCAPE, DATA = 0, 1  # chart order on the page


def _trace(page, chart: int, prefix: str) -> dict:
    """The first trace of the chart whose name starts with `prefix`."""
    return next(t for t in plotted(page)[chart] if t["name"].startswith(prefix))


def seed_descent(learning_rate=0.5, n_iterations=100):
    """The seed's make_classification data and its logistic gradient-descent loop (σ clipped to ±30)."""
    x, y = make_classification(
        n_samples=100, n_features=1, n_informative=1, n_redundant=0, n_clusters_per_class=1, random_state=42
    )
    x = x.flatten()
    w = b = 0.0
    ws, bs = [w], [b]
    for _ in range(n_iterations):
        p = 1 / (1 + np.exp(-np.clip(w * x + b, -30, 30)))
        w, b = w - learning_rate * np.mean((p - y) * x), b - learning_rate * np.mean(p - y)
        ws.append(w), bs.append(b)
    return np.array(ws), np.array(bs)


def _show_iteration(page, iteration: int, quiet: SentFrames | None = None) -> None:
    """The scrubber to the first iteration (Home), then right a step per press: live, no rerun."""
    press_live(page, "show", 1, key="Home", quiet=quiet)
    press_live(page, "show", iteration, quiet=quiet)
    assert live_value(page, "show") == iteration


def _scroll_to_chart(page, title: str) -> None:
    """Bring the chart with this title into the projector-sized window (cheaper than a full-page shot,
    which lays every chart out again)."""
    page.locator(".js-plotly-plot").filter(has_text=title).first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def _chart_titles(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
            .map(el => el._fullLayout.title.text)"""
    )


def test_a_cold_deep_link_with_parameters_renders_that_run(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/{PAGE}?lr=0.2&iters=50&w0=-2&b0=1")
    assert_no_errors(page)
    path = _trace(page, LANDSCAPE, "gradient descent")
    assert len(path["x"]) == 51 and (path["x"][0], path["y"][0]) == (-2, 1)
    assert live_value(page, "show") == 50
    screenshot(page, "logistic-regression-deep-link")


def test_the_page_renders_the_seed_run_with_a_play_button(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    assert_no_errors(page)
    names = {t["name"] for t in plotted(page)[LANDSCAPE]}
    assert {"gradient descent", "start", "optimum", "shown iteration"} <= names
    assert live_readout(page, "w") == "3.72089" and live_readout(page, "b") == "0.13232"  # the seed's
    expect(page.get_by_role("button", name="Play: animate Iteration")).to_have_count(1)
    screenshot(page, "logistic-regression-default")
    screenshot(page, "logistic-regression-default-full", full_page=True)


def test_moving_the_iteration_moves_the_curve_and_the_boundary_without_the_server(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/{PAGE}")
    _show_iteration(page, 5, quiet=frames)
    w, b = seed_descent()
    assert abs(_trace(page, DATA, "boundary")["x"][0] - (-b[5] / w[5])) < 1e-9
    curve = _trace(page, DATA, "gradient descent")
    np.testing.assert_allclose(curve["y"], 1 / (1 + np.exp(-(w[5] * np.array(curve["x"]) + b[5]))), rtol=1e-9)
    iterate = _trace(page, LANDSCAPE, "shown iteration")
    assert abs(iterate["x"][0] - w[5]) < 1e-9 and abs(iterate["y"][0] - b[5]) < 1e-9
    assert float(live_readout(page, "Boundary x").replace("−", "-")) == float(f"{-b[5] / w[5]:.4g}")
    assert page.evaluate("() => document.querySelectorAll('.gl-plot .contourlayer path').length") > 0
    page.wait_for_function("() => new URLSearchParams(location.search).get('show') === '5'")
    wait_for_app(page)
    assert_no_errors(page)
    screenshot(page, "logistic-regression-iteration-5")


def test_a_click_on_the_landscape_starts_descent_there_once_the_server_has_run_it(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    page.locator(".gl-plot").first.scroll_into_view_if_needed()
    point = page.evaluate(
        """() => { const gd = document.querySelector('.gl-plot'); const s = gd._fullLayout._size;
            const r = gd.getBoundingClientRect(); const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            return {x: r.left + s.l + xa.d2p(2), y: r.top + s.t + ya.d2p(-1)}; }"""
    )
    page.mouse.click(point["x"], point["y"])
    assert (live_value(page, "w0"), live_value(page, "b0")) == (2.0, -1.0)
    page.wait_for_function("() => new URLSearchParams(location.search).get('w0') === '2'")
    wait_for_app(page)
    path = _trace(page, LANDSCAPE, "gradient descent")
    assert (path["x"][0], path["y"][0]) == (2.0, -1.0)
    expect(page.locator(".gl-live .gl-message")).to_be_hidden()  # the server's run is the one shown
    assert_no_errors(page)


def test_two_features_move_the_boundary_line_in_the_plane(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?features=2&flip=0.2")
    assert_no_errors(page)
    assert _chart_titles(page)[:2] == ["Cross-entropy over (w₁, w₂)", "Data and decision boundary"]
    before = _trace(page, DATA, "gradient descent")
    _show_iteration(page, 10)
    after = _trace(page, DATA, "gradient descent")
    assert (after["x"], after["y"]) != (before["x"], before["y"])
    assert_no_errors(page)
    screenshot(page, "logistic-regression-two-features", full_page=True)


def test_separable_classes_show_the_weights_growing_and_no_optimum(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?flip=0&iters=1000")
    assert_no_errors(page)
    expect(page.get_by_text("linearly separable", exact=False).first).to_be_visible()
    assert "optimum" not in {t["name"] for t in plotted(page)[LANDSCAPE]}
    norm = next(t for chart in plotted(page) for t in chart if t["name"] == "‖w‖")["y"]
    assert norm[-1] > norm[len(norm) // 2] > norm[1]
    _scroll_to_chart(page, "‖w‖ against iteration")
    screenshot(page, "logistic-regression-separable")


def test_mini_batch_adam_draws_the_gradient_cloud(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?opt=Adam&batch=10&lr=0.1")
    assert_no_errors(page)
    assert "Mini-batch gradients at iteration 100" in _chart_titles(page)
    _scroll_to_chart(page, "Mini-batch gradients")
    screenshot(page, "logistic-regression-sgd-adam")


def test_lecture_mode_at_projector_size(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?lecture=1")
    assert_no_errors(page)
    screenshot(page, "logistic-regression-lecture")
    screenshot(page, "logistic-regression-lecture-full", full_page=True)
