"""The Logistic regression GD page in a real browser: the landscape animates, the iteration slider moves the
decision boundary, separable classes and mini-batches show what they change, links reopen the view."""

from playwright.sync_api import expect

from tests.e2e.conftest import (
    assert_no_errors,
    move_slider,
    open_app,
    plotted,
    screenshot,
    slider_value,
)

PAGE = "Logistic_Regression_GD"
LANDSCAPE, DATA = 0, 1  # chart order on the page


def _trace(page, chart: int, prefix: str) -> dict:
    """The first trace of the chart whose name starts with `prefix`."""
    return next(t for t in plotted(page)[chart] if t["name"].startswith(prefix))


def _show_iteration(page, iteration: int) -> None:
    """Jump the scrubber to the first iteration, then step right: a few key presses, a few reruns."""
    move_slider(page, "Show iteration", 1, key="Home")
    move_slider(page, "Show iteration", iteration)
    assert slider_value(page, "Show iteration") == iteration


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
    assert slider_value(page, "Show iteration") == 50
    screenshot(page, "logistic-regression-deep-link")


def test_the_page_renders_the_seed_run_with_a_play_button(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    assert_no_errors(page)
    names = {t["name"] for t in plotted(page)[LANDSCAPE]}
    assert {"gradient descent", "start", "optimum", "iteration 100"} <= names
    expect(page.get_by_text("3.72089", exact=True)).to_have_count(1)
    expect(page.get_by_text("0.13232", exact=True)).to_have_count(1)
    expect(page.locator(".updatemenu-button").filter(has_text="Play")).to_have_count(1)
    screenshot(page, "logistic-regression-default")
    screenshot(page, "logistic-regression-default-full", full_page=True)


def test_moving_the_iteration_slider_moves_the_decision_boundary(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    before = _trace(page, DATA, "boundary")
    curve_before = _trace(page, DATA, "iteration 100")["y"]
    _show_iteration(page, 5)
    after = _trace(page, DATA, "boundary")
    assert after["x"][0] != before["x"][0]
    expect(page.get_by_text("Iteration 5: boundary x", exact=False)).to_have_count(1)
    assert _trace(page, DATA, "iteration 5")["y"] != curve_before
    assert "iteration 5" in {t["name"] for t in plotted(page)[LANDSCAPE]}
    assert_no_errors(page)
    screenshot(page, "logistic-regression-iteration-5")


def test_two_features_move_the_boundary_line_in_the_plane(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?features=2&flip=0.2")
    assert_no_errors(page)
    assert _chart_titles(page)[:2] == ["Cross-entropy over (w₁, w₂)", "Data and decision boundary"]
    before = _trace(page, DATA, "iteration 100")
    _show_iteration(page, 10)
    after = _trace(page, DATA, "iteration 10")
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
