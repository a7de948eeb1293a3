"""The Optimizer race in a real browser: Play and the step scrubber move the markers without the server and
keep the contour map drawn; a click on the map races from there; a diverging racer stays on the map."""

import time

import pytest

from tests.e2e.conftest import (
    PROJECTOR,
    SentFrames,
    assert_no_errors,
    first_plot_area,
    live_readout,
    open_app,
    plotted,
    press_live,
    screenshot,
    wait_for_app,
    wait_for_fit,
)


def marker(page, name):
    trace = next(t for t in plotted(page)[0] if t["name"] == name)
    return trace["x"], trace["y"]


def contour_paths(page) -> int:
    return page.evaluate("() => document.querySelector('.gl-plot').querySelectorAll('.contour path').length")


def test_a_cold_deep_link_renders_the_race_with_a_play_button(page, app_url):
    open_app(page, f"{app_url}/Optimizer_Race?fn=Saddle+x%C2%B2%E2%88%92y%C2%B2&steps=100")
    assert_no_errors(page)
    assert page.get_by_role("button", name="Play: animate Frame").count() == 1
    screenshot(page, "optimizer-race-saddle", full_page=True)


@pytest.mark.parametrize("lecture", ["0", "1"])
def test_on_a_projector_the_map_fills_its_chart_and_the_legend_lists_every_racer(page, app_url, lecture):
    """The map is square and its legend beside it: a legend placed in the figure's coordinates had
    plotly.js reserve a top margin as tall as the legend, and the map shrank to an 80-110 px square."""
    page.set_viewport_size(PROJECTOR)
    open_app(page, f"{app_url}/Optimizer_Race?lecture={lecture}")
    wait_for_fit(page)
    chart = first_plot_area(page)
    assert chart["area"][1] >= max(200, 0.5 * chart["height"]), chart
    assert chart["legendHeight"] <= chart["area"][1], chart  # every entry in view, no scroll bar
    assert {"known minimum", "start", "GD", "Momentum", "Nesterov", "RMSProp", "Adam", "Newton"} <= set(
        chart["legend"]
    ), chart
    screenshot(page, f"optimizer-race-projector-{'lecture' if lecture == '1' else 'normal'}")


def test_play_and_the_step_keys_move_the_markers_in_the_browser_and_keep_the_contours(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/Optimizer_Race")
    sent, drawn = frames.count, contour_paths(page)
    assert drawn > 10
    end = marker(page, "Adam")
    press_live(page, "frame", 5, key="ArrowLeft")
    assert marker(page, "Adam") != end and frames.count == sent
    assert int(live_readout(page, "Step")) < 200
    page.get_by_role("button", name="Play: animate Frame").click()
    page.wait_for_function(
        "() => document.querySelector('.gl-live').glChart.values.frame === 59", timeout=20_000
    )
    # the last frame is applied and drawn a moment after the value reaches it (on the next animation frame)
    deadline = time.monotonic() + 10
    while (marker(page, "Adam"), live_readout(page, "Step")) != (end, "200"):  # back at the finished race
        assert time.monotonic() < deadline, (marker(page, "Adam"), end, live_readout(page, "Step"))
        page.wait_for_timeout(50)
    assert contour_paths(page) == drawn  # the map stayed drawn through the animation
    assert live_readout(page, "Step") == "200"
    screenshot(page, "optimizer-race-rosenbrock")


def test_a_diverging_optimizer_is_explained_and_drawn_until_it_leaves_the_map(page, app_url):
    # GD at η = 1 overflows on Rosenbrock within a few steps: its marker must stay on the map (a marker at
    # x = -7e92 made plotly.js log errors; the console check in conftest fails the test on any)
    open_app(page, f"{app_url}/Optimizer_Race?fn=Rosenbrock&lr_GD=1.0&steps=100")
    assert page.get_by_text("GD diverged").count() == 1
    gd = marker(page, "GD")[0][0]
    x_range = page.evaluate("() => document.querySelector('.gl-plot')._fullLayout.xaxis.range")
    assert x_range[0] <= gd <= x_range[1]
    press_live(page, "frame", 59, key="ArrowLeft")  # every frame from the end back to the start
    screenshot(page, "optimizer-race-diverging-gd")


def test_a_click_on_the_map_races_from_there_and_the_url_keeps_it(page, app_url):
    open_app(page, f"{app_url}/Optimizer_Race")
    wait_for_fit(page)
    point = page.evaluate(
        """() => { const gd = document.querySelector('.gl-plot'); const L = gd._fullLayout;
            const r = gd.getBoundingClientRect();  // an equal-aspect map's axes sit inside the margins
            return {x: r.left + L.xaxis._offset + L.xaxis.d2p(0.5),
                    y: r.top + L.yaxis._offset + L.yaxis.d2p(1.5)}; }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("() => new URLSearchParams(location.search).has('sx')")
    wait_for_app(page)
    start = marker(page, "start")
    assert abs(start[0][0] - 0.5) < 0.03 and abs(start[1][0] - 1.5) < 0.03  # to the sliders' step
    assert abs(float(page.evaluate("() => new URLSearchParams(location.search).get('sx')")) - 0.5) < 0.03
    path = next(t for t in plotted(page)[0] if t["name"] == "GD path")
    assert abs(path["x"][0] - start[0][0]) < 1e-9 and abs(path["y"][0] - start[1][0]) < 1e-9  # raced anew
    assert_no_errors(page)
