"""The Optimizer race in a real browser: it renders, and its Play button animates the markers."""

from tests.e2e.conftest import assert_no_errors, move_slider, open_app, plotted, screenshot


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


def test_a_diverging_optimizer_is_explained_and_drawn_until_it_leaves_the_map(page, app_url):
    # GD at η = 1 overflows on Rosenbrock within a few steps: its marker must stay on the map (a marker at
    # x = -7e92 made plotly.js log errors; the console check in conftest fails the test on any)
    open_app(page, f"{app_url}/Optimizer_Race?fn=Rosenbrock&lr_GD=1.0&steps=100")
    assert page.get_by_text("GD diverged").count() == 1
    gd = marker_x(page, "GD")[0]
    x_range = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range")
    assert x_range[0] <= gd <= x_range[1]
    page.get_by_text("▶ Play").click()
    page.wait_for_timeout(3000)  # the whole animation, GD's marker stopping where it left
    screenshot(page, "optimizer-race-diverging-gd")


def test_moving_a_start_slider_moves_every_path_and_the_url(page, app_url):
    open_app(page, f"{app_url}/Optimizer_Race")
    before = marker_x(page, "Adam")
    move_slider(page, "Start x", 3)
    assert marker_x(page, "Adam") != before
    assert "sx=" in page.url
    assert_no_errors(page)
