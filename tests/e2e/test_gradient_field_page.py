"""The Gradient field page in a real browser: the point p moves on the contour map (keys or a drag) and its
arrow and readouts follow in the browser without asking the server, the contours stay drawn, the settled
point reaches the URL and the 3-D surface, and a link restores it."""

import math

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    PROJECTOR,
    SentFrames,
    assert_no_errors,
    first_plot_area,
    live_readout,
    live_value,
    open_app,
    plotted,
    press_live,
    screenshot,
    slider_value,
    wait_for_app,
    wait_for_fit,
)
from tests.e2e.plane import close, screen_position

HIGHLIGHT = "direction of ∇f(x₀, y₀)"
CONTOUR_PATHS = "() => document.querySelector('.gl-live .contourlayer').querySelectorAll('path').length"


def seed_gradient(x: float, y: float) -> tuple[float, float]:
    return 2 * x, 4 * y  # f = x² + 2y², differentiated by hand


def readout_vector(page) -> tuple[float, float]:
    text = live_readout(page, "∇f(x₀, y₀)").replace("−", "-")
    x, y = text.strip("()").split(",")
    return float(x), float(y)


def highlighted_arrow(page) -> tuple[list[float], list[float]]:
    arrow = next(t for t in plotted(page)[0] if t["name"] == HIGHLIGHT)
    return arrow["x"], arrow["y"]


def assert_arrow_along(page, x: float, y: float) -> None:
    """The highlighted arrow starts at (x, y) and points along ∇f there (the hand-written gradient)."""
    xs, ys = highlighted_arrow(page)
    gx, gy = seed_gradient(x, y)
    assert abs(xs[0] - x) < 1e-9 and abs(ys[0] - y) < 1e-9
    shaft = (xs[1] - xs[0], ys[1] - ys[0])
    cross = shaft[0] * gy - shaft[1] * gx
    assert abs(cross) < 1e-9 * math.hypot(*shaft) * math.hypot(gx, gy) and shaft[0] * gx + shaft[1] * gy > 0


@pytest.mark.parametrize("lecture", ["0", "1"])
def test_on_a_projector_the_map_fills_its_chart_and_a_key_under_it_says_what_it_draws(page, app_url, lecture):
    """No legend under the map (it took 78-95 px of a chart fitted to the screen, and the map was an
    85-125 px square at 1280x720): a key under the chart instead, and a map at least half the chart tall."""
    page.set_viewport_size(PROJECTOR)
    open_app(page, f"{app_url}/Gradient_Field?lecture={lecture}")
    wait_for_fit(page)
    chart = first_plot_area(page)
    assert min(chart["area"]) >= max(180, 0.5 * chart["height"]), chart
    assert chart["legend"] == [], chart
    expect(page.get_by_text("Dark arrows: the direction of ∇f on a grid")).to_be_visible()


def test_a_cold_deep_link_with_parameters_renders_that_view(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/Gradient_Field?fn=Himmelblau&x0=2&y0=-1&arrows=20")
    assert_no_errors(page)
    assert (live_value(page, "x0"), live_value(page, "y0")) == (2, -1)
    assert slider_value(page, "Arrows per side") == 20
    # Himmelblau's (x² + y − 11)² + (x + y² − 7)² at (2, −1), differentiated by hand
    gx = 4 * 2 * (4 - 1 - 11) + 2 * (2 + 1 - 7)
    gy = 2 * (4 - 1 - 11) + 4 * -1 * (2 + 1 - 7)
    assert readout_vector(page) == (gx, gy) == (-72, 0)
    surface = plotted(page)[1]
    assert highlighted_arrow(page)[0][0] == 2
    assert {"tangent plane", "steepest ascent (along ∇f)"} <= {t["name"] for t in surface}
    screenshot(page, "gradient-field-himmelblau-deep-link")


def test_the_page_renders_the_contour_and_the_surface_without_errors(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field")
    assert_no_errors(page)
    names = [t["name"] for t in plotted(page)[0]]
    assert names == ["level curves of f", "∇f (direction only)", HIGHLIGHT, "(x₀, y₀)"]
    assert readout_vector(page) == seed_gradient(1, 1) == (2, 4)  # the seed's ∇f(1, 1)
    assert float(live_readout(page, "|∇f(x₀, y₀)|")) == round(math.hypot(2, 4), 5)
    assert page.locator(".katex").count() >= 2
    screenshot(page, "gradient-field-default")
    screenshot(page, "gradient-field-default-full", full_page=True)


def test_arrow_keys_move_the_point_and_its_arrow_in_the_browser_with_the_contours_kept(page, app_url):
    frames = SentFrames(page)  # listening before the websocket opens
    open_app(page, f"{app_url}/Gradient_Field")
    contours = page.evaluate(CONTOUR_PATHS)
    assert contours > 10
    sent = frames.count
    press_live(page, "x0", 10, quiet=frames)  # 1.0 -> 1.5 in steps of 0.05, every one drawn here alone
    press_live(page, "y0", 4, key="ArrowLeft", quiet=frames)  # 1.0 -> 0.8
    assert (live_value(page, "x0"), live_value(page, "y0")) == (1.5, 0.8)
    assert readout_vector(page) == seed_gradient(1.5, 0.8)
    assert float(live_readout(page, "f(x₀, y₀)")) == round(1.5**2 + 2 * 0.8**2, 6)
    assert_arrow_along(page, 1.5, 0.8)
    assert page.evaluate(CONTOUR_PATHS) == contours  # plotly.js's animate would have dropped them
    # let go: the value reaches the server once, then the URL and the server-drawn surface
    page.wait_for_function("() => new URLSearchParams(location.search).get('y0') === '0.8'")
    wait_for_app(page)
    assert frames.count > sent
    marker = next(t for t in plotted(page)[1] if t["name"] == "(x₀, y₀, f(x₀, y₀))")
    assert (marker["x"], marker["y"]) == ([1.5], [0.8])
    assert_no_errors(page)


def test_moves_faster_than_frames_drop_the_stale_frame_without_a_console_error(page, app_url):
    """Two moves within one frame (a loaded machine's key repeat): plotly.js's "immediate" animate drops the
    first frame and rejects its promise with nothing; left uncaught, the console showed "undefined" (CI)."""
    open_app(page, f"{app_url}/Gradient_Field")
    applied = int(page.evaluate("() => document.querySelector('.gl-live').dataset.applied || 0"))
    page.evaluate(
        """() => {
            const input = document.querySelector(".gl-live input[data-control='x0']");
            for (const value of ["1.05", "1.1", "1.15"]) {
                input.value = value;
                input.dispatchEvent(new Event("input", { bubbles: true }));
            }
        }"""
    )
    page.wait_for_function(
        "(target) => Number(document.querySelector('.gl-live').dataset.applied) >= target", arg=applied + 3
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")
    assert live_value(page, "x0") == 1.15
    assert_arrow_along(page, 1.15, 1.0)  # the last frame drawn


def test_dragging_on_the_map_moves_the_point_through_every_intermediate_state(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/Gradient_Field")
    sent = frames.count
    at, marker = screen_position(page)
    assert close(at(1.0, 1.0), marker)  # p is drawn there
    page.mouse.move(*at(1.0, 1.0))  # on the point (1, 1)
    page.mouse.down()
    seen = []
    for step in range(1, 11):  # to (−1, 0): left along x, down half the way in y
        page.mouse.move(*at(1.0 - step / 5, 1.0 - step / 10))
        seen.append((live_value(page, "x0"), live_value(page, "y0")))
    assert frames.count == sent  # nothing sent while the button is held
    page.mouse.up()
    xs = [x for x, _ in seen]
    assert xs == sorted(xs, reverse=True) and len(set(xs)) >= 8  # the point followed the pointer
    x, y = seen[-1]
    assert abs(x + 1) <= 0.05 and abs(y) <= 0.05
    assert readout_vector(page) == seed_gradient(x, y)
    assert_arrow_along(page, x, y)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('x0') === '{x:g}'")
    wait_for_app(page)
    restored = page.context.new_page()
    open_app(restored, page.url)  # a cold link to the settled view
    assert (live_value(restored, "x0"), live_value(restored, "y0")) == (x, y)
    assert highlighted_arrow(restored) == highlighted_arrow(page)


def test_quiz_mode_hides_the_live_gradient_too(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field?quiz=1")
    press_live(page, "x0", 2)
    assert live_readout(page, "∇f(x₀, y₀)") == "?" and live_readout(page, "|∇f(x₀, y₀)|") == "?"
    assert float(live_readout(page, "f(x₀, y₀)")) == 1.1**2 + 2
    assert HIGHLIGHT not in [t["name"] for t in plotted(page)[0]]


def test_rosenbrock_stays_readable_on_a_log_scale_and_with_coloured_true_length_arrows(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field?fn=Rosenbrock&x0=-1&y0=2")
    assert_no_errors(page)
    assert page.get_by_text("log scale").count() == 1  # 'auto' chose the log colour scale
    screenshot(page, "gradient-field-rosenbrock")
    open_app(page, f"{app_url}/Gradient_Field?fn=Rosenbrock&true_length=true&by_norm=true&x0=-1&y0=2")
    assert_no_errors(page)
    names = [t["name"] for t in plotted(page)[0]]
    assert sum(name.startswith("|∇f|") for name in names) == 5
    screenshot(page, "gradient-field-rosenbrock-true-length")


def test_lecture_mode_and_a_custom_formula_with_a_gap(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field?fn=Custom+formula&formula=ln(x+y)&lecture=1")
    assert_no_errors(page)
    assert page.get_by_text("undefined on").count() == 1
    wait_for_app(page)
    screenshot(page, "gradient-field-lecture-log-gap")
