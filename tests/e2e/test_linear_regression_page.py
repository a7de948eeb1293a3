"""The Linear regression GD page in a real browser: the landscape animates, sliders move the path, links
reopen the view."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import (
    assert_no_errors,
    move_slider,
    open_app,
    plotted,
    screenshot,
    trace_y,
    wait_for_app,
)

PAGE = "Linear_Regression_GD"


def _path_x(page) -> list[float]:
    return next(t["x"] for t in plotted(page)[0] if t["name"] == "gradient descent")


def _show_charts(page) -> None:
    """Scroll the landscape and data plot into the projector-sized window (cheaper than a full-page shot,
    which makes every chart, WebGL included, lay out again)."""
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def test_a_cold_deep_link_with_parameters_renders_that_run(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/{PAGE}?lr=0.5&iters=20&w0=-20")
    assert_no_errors(page)
    assert len(plotted(page)) == 3
    path = _path_x(page)
    assert len(path) == 21 and path[0] == -20
    expect(page.get_by_text("step 3", exact=True)).to_have_count(1)  # within 1% of optimal at step 3
    screenshot(page, "linear-regression-deep-link")


def test_the_page_renders_the_seed_run_with_a_play_button(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    assert_no_errors(page)
    names = {t["name"] for t in plotted(page)[0]}
    assert {"gradient descent", "start", "optimum", "your (w, b)", "iteration 100"} <= names
    expect(page.get_by_text("35.8536", exact=True)).to_have_count(1)
    expect(page.locator(".updatemenu-button").filter(has_text="Play")).to_have_count(1)
    screenshot(page, "linear-regression-default")
    screenshot(page, "linear-regression-default-full", full_page=True)


def test_play_animates_the_path_in_the_browser(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    full = len(_path_x(page))
    page.locator(".updatemenu-button").filter(has_text="Play").click()
    page.wait_for_timeout(600)
    assert 1 <= len(_path_x(page)) < full  # part-way through, without a rerun
    page.wait_for_function(
        """full => document.querySelector('.js-plotly-plot')._fullData
            .find(t => t.name === 'gradient descent').x.length === full""",
        arg=full,
        timeout=10_000,
    )
    assert_no_errors(page)


def test_moving_the_learning_rate_slider_changes_the_path_and_the_url(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    before = _path_x(page)
    move_slider(page, "Learning rate", 3)  # 0.01 -> 0.02 -> 0.05 -> 0.1
    after = _path_x(page)
    assert after != before and after[-1] > before[-1]
    assert parse_qs(urlparse(page.url).query)["lr"] == ["0.1"]
    assert_no_errors(page)


def test_a_diverging_rate_shows_the_warning_and_the_path_leaving(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?lr=2")
    assert_no_errors(page)
    expect(page.get_by_text("Gradient descent diverges.")).to_have_count(1)
    assert len(plotted(page)) == 3
    _show_charts(page)
    screenshot(page, "linear-regression-diverging")


def test_your_line_slider_moves_the_line_on_the_data_plot(page, app_url):
    open_app(page, f"{app_url}/{PAGE}")
    before = trace_y(page, 1, "your line")
    move_slider(page, "Your line: w", 20)
    assert trace_y(page, 1, "your line") != before
    assert_no_errors(page)


def test_standardised_diabetes_and_the_3d_view(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?data=Diabetes+BMI&std=true&lr=0.5&view=3-D+surface")
    assert_no_errors(page)
    expect(page.get_by_text("vs raw x")).to_have_count(1)  # the condition number's drop
    _show_charts(page)
    screenshot(page, "linear-regression-diabetes-3d")


def test_lecture_mode_at_projector_size(page, app_url):
    open_app(page, f"{app_url}/{PAGE}?lecture=1")
    assert_no_errors(page)
    wait_for_app(page)
    screenshot(page, "linear-regression-lecture")
    screenshot(page, "linear-regression-lecture-full", full_page=True)
