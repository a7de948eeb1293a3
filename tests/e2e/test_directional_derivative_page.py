"""The Directional derivative page in a real browser: the seed's example, θ and p moved by keys, u turned by
dragging its head and p moved by dragging elsewhere, all drawn by the browser without asking the server;
the settled values reach the URL, a link restores them, quiz mode hides the live answer, and a zero
direction is explained."""

import math

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
from tests.e2e.plane import close, screen_position

ARROW_LENGTH = 0.25 * 4  # core.fields.MARK_FRACTION × the bowl's shorter side (−2 ≤ x, y ≤ 2)


def seed_slope(x: float, y: float, theta_degrees: float) -> float:
    """D_u f(p) for f = x² + 2y² (∇f = (2x, 4y) by hand) and u = (cos θ, sin θ)."""
    theta = math.radians(theta_degrees)
    return 2 * x * math.cos(theta) + 4 * y * math.sin(theta)


def readout(page, label: str) -> float:
    return float(live_readout(page, label).replace("−", "-"))


def trace(page, chart: int, name: str) -> dict:
    return next(t for t in plotted(page)[chart] if t["name"] == name)


def test_a_cold_deep_link_with_parameters_renders_that_view(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/Directional_Derivative?fn=Saddle+x²−y²&u=Angle&theta=30&x0=1&y0=0.5")
    assert_no_errors(page)
    assert live_value(page, "theta") == 30
    assert live_readout(page, "∇f(p)") == "(2, −1)"  # ∇f(1, 0.5) of x² − y²: the view came from the URL
    assert readout(page, "D_u f(p)") == round(2 * math.cos(math.pi / 6) - math.sin(math.pi / 6), 5)
    assert len(plotted(page)) == 3
    screenshot(page, "directional-derivative-saddle-deep-link")


def test_the_page_shows_the_seeds_example_in_three_charts(page, app_url):
    open_app(page, f"{app_url}/Directional_Derivative")
    assert_no_errors(page)
    # f = x² + 2y², p = (1, 1), u = (1, 1)/√2
    assert live_readout(page, "D_u f(p)") == "4.24264" == f"{6 / math.sqrt(2):.6g}"
    direction, _slice, sweep = plotted(page)
    assert {"∇f(p)", "u", "line p + t·u"} <= {t["name"] for t in direction}
    assert "maximum |∇f|, at ∇f's angle" in {t["name"] for t in sweep}
    screenshot(page, "directional-derivative-default")
    screenshot(page, "directional-derivative-default-full", full_page=True)


def test_arrow_keys_turn_u_and_the_slice_tangent_and_sweep_follow_in_the_browser(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/Directional_Derivative?u=Angle")
    contours = page.evaluate(
        "() => document.querySelector('.gl-live .contourlayer').querySelectorAll('path').length"
    )
    press_live(page, "theta", 15, quiet=frames)  # 45° -> 60°
    press_live(page, "x0", 4, key="ArrowLeft", quiet=frames)  # 1.0 -> 0.8
    assert (live_value(page, "theta"), live_value(page, "x0")) == (60, 0.8)
    slope = seed_slope(0.8, 1, 60)
    assert readout(page, "D_u f(p)") == round(slope, 5)
    tangent = trace(page, 1, "tangent at t = 0, slope D_u f(p)")
    rise = (tangent["y"][-1] - tangent["y"][0]) / (tangent["x"][-1] - tangent["x"][0])
    assert abs(rise - slope) < 1e-9
    slice_ = trace(page, 1, "g(t) = f(p + t·u)")
    t, g = slice_["x"][50], slice_["y"][50]
    x, y = 0.8 + t * math.cos(math.pi / 3), 1 + t * math.sin(math.pi / 3)
    assert abs(g - (x**2 + 2 * y**2)) < 1e-9  # g(t) = f(p + t·u), by hand
    marker = trace(page, 2, "your u")
    assert abs(marker["x"][0] - math.pi / 3) < 1e-12 and abs(marker["y"][0] - slope) < 1e-9
    assert (
        page.evaluate(
            "() => document.querySelector('.gl-live .contourlayer').querySelectorAll('path').length"
        )
        == contours
    )
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') === '0.8'")
    wait_for_app(page)
    assert new_url_value(page, "theta") == "60"
    assert_no_errors(page)


def new_url_value(page, name: str) -> str:
    return page.evaluate(f"() => new URLSearchParams(location.search).get({name!r})")


def test_dragging_us_head_turns_u_and_dragging_elsewhere_moves_p(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/Directional_Derivative?u=Angle")
    sent = frames.count
    at, marker = screen_position(page)
    assert close(at(1, 1), marker)  # p is drawn where the axes say
    head = 1 + ARROW_LENGTH * math.cos(math.pi / 4), 1 + ARROW_LENGTH * math.sin(math.pi / 4)
    page.mouse.move(*at(*head))
    page.mouse.down()
    seen = []
    for step in range(1, 10):  # round p from 45° to 90°, at the arrow's length
        angle = math.radians(45 + 5 * step)
        page.mouse.move(*at(1 + ARROW_LENGTH * math.cos(angle), 1 + ARROW_LENGTH * math.sin(angle)))
        seen.append(live_value(page, "theta"))
    assert frames.count == sent  # nothing sent while the button is held
    page.mouse.up()
    assert seen == sorted(seen) and len(set(seen)) >= 8 and abs(seen[-1] - 90) <= 1
    assert (live_value(page, "x0"), live_value(page, "y0")) == (1, 1)  # p stayed
    assert readout(page, "D_u f(p)") == round(seed_slope(1, 1, seen[-1]), 5)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('theta') === '{seen[-1]:g}'")
    wait_for_app(page)
    # a press away from the head moves p there, and u keeps its angle
    sent = frames.count
    page.mouse.move(*at(-1, 0.5))
    page.mouse.down()
    page.mouse.move(*at(-1.2, 0.5))
    assert frames.count == sent
    page.mouse.up()
    assert abs(live_value(page, "x0") + 1.2) <= 0.05 and live_value(page, "y0") == 0.5
    assert live_value(page, "theta") == seen[-1]
    x0 = live_value(page, "x0")
    assert readout(page, "D_u f(p)") == round(seed_slope(x0, 0.5, seen[-1]), 5)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('x0') === '{x0:g}'")
    wait_for_app(page)
    restored = page.context.new_page()
    open_app(restored, page.url)
    assert (live_value(restored, "x0"), live_value(restored, "theta")) == (x0, seen[-1])
    assert live_readout(restored, "D_u f(p)") == live_readout(page, "D_u f(p)")


def test_quiz_mode_hides_the_live_slope_too(page, app_url):
    open_app(page, f"{app_url}/Directional_Derivative?quiz=1&u=Angle")
    press_live(page, "theta", 3)
    assert live_readout(page, "D_u f(p)") == "?" and live_readout(page, "∇f(p)") == "?"
    assert len(plotted(page)) == 1  # the arrows only: the slice and the sweep would tell


def test_a_zero_direction_is_explained_in_the_chart_and_no_traceback(page, app_url):
    open_app(page, f"{app_url}/Directional_Derivative?u1=0&u2=0")
    assert page.get_by_text("u = (0, 0) has no direction").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    assert live_readout(page, "D_u f(p)") == "undefined"
    press_live(page, "u1", 10)  # (0, 0) -> (1, 0): a direction again
    assert page.get_by_text("has no direction").count() == 0
    assert readout(page, "D_u f(p)") == seed_slope(1, 1, 0) == 2
    screenshot(page, "directional-derivative-zero-direction")
