"""The Directional derivative page in a real browser: the seed's example, the three charts, the point moving
the gradient arrow, a zero direction explained, and cold deep links."""

from tests.e2e.conftest import assert_no_errors, move_slider, open_app, plotted, screenshot, slider_value


def arrow(page, name: str) -> tuple[list[float], list[float]]:
    drawn = next(t for t in plotted(page)[0] if t["name"] == name)
    return drawn["x"], drawn["y"]


def test_a_cold_deep_link_with_parameters_renders_that_view(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/Directional_Derivative?fn=Saddle+x²−y²&u=Angle&theta=30&x0=1&y0=0.5")
    assert_no_errors(page)
    assert slider_value(page, "Angle θ") == 30
    gradient = page.get_by_test_id("stMetricValue").filter(has_text="(2, -1)")
    assert gradient.count() == 1  # ∇f(1, 0.5) of x² − y²: the view came from the URL
    assert len(plotted(page)) == 3
    screenshot(page, "directional-derivative-saddle-deep-link")


def test_the_page_shows_the_seeds_example_in_three_charts(page, app_url):
    open_app(page, f"{app_url}/Directional_Derivative")
    assert_no_errors(page)
    assert page.get_by_text("4.24264").count() >= 1  # D_u f for f = x² + 2y², p = (1, 1), u = (1, 1)/√2
    direction, _slice, sweep = plotted(page)
    assert {"∇f(p)", "u", "line p + t·u"} <= {t["name"] for t in direction}
    assert "maximum |∇f|, at ∇f's angle" in {t["name"] for t in sweep}
    screenshot(page, "directional-derivative-default")
    screenshot(page, "directional-derivative-default-full", full_page=True)


def test_moving_the_point_slider_moves_the_gradient_arrow(page, app_url):
    open_app(page, f"{app_url}/Directional_Derivative")
    before = arrow(page, "∇f(p)")
    move_slider(page, "Point y", 10, key="ArrowLeft")
    after = arrow(page, "∇f(p)")
    assert after[1][0] == 0.5 and after != before
    assert_no_errors(page)


def test_a_zero_direction_shows_a_message_and_no_traceback(page, app_url):
    open_app(page, f"{app_url}/Directional_Derivative?u1=0&u2=0")
    assert page.get_by_text("No directional derivative here.").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    assert plotted(page) == []
    screenshot(page, "directional-derivative-zero-direction")
