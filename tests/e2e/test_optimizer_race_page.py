"""The Optimizer race in a real browser: it renders, and its Play button animates the markers."""

from tests.e2e.conftest import assert_no_errors, open_app, plotted, screenshot


def marker_x(page, name):
    return next(t["x"] for t in plotted(page)[0] if t["name"] == name)


def test_a_cold_deep_link_renders_the_race_with_a_play_button(page, app_url):
    open_app(page, f"{app_url}/Optimizer_Race?fn=Saddle+x%C2%B2%E2%88%92y%C2%B2&steps=100")
    assert_no_errors(page)
    assert page.get_by_text("▶ Play").count() == 1
    screenshot(page, "optimizer-race-saddle", full_page=True)


def test_pressing_play_moves_the_markers_in_the_browser(page, app_url):
    open_app(page, f"{app_url}/Optimizer_Race")
    end = marker_x(page, "Adam")
    page.get_by_text("▶ Play").click()
    page.wait_for_timeout(300)
    assert marker_x(page, "Adam") != end  # the animation restarted from step 0
    screenshot(page, "optimizer-race-rosenbrock")
