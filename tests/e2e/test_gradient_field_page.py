"""The Gradient field page in a real browser: both charts render, the point moves the highlighted arrow, the
URL keeps the view."""

from tests.e2e.conftest import (
    assert_no_errors,
    move_slider,
    open_app,
    plotted,
    screenshot,
    slider_value,
    wait_for_app,
)

HIGHLIGHT = "direction of ∇f(x₀, y₀)"


def highlighted_arrow(page) -> tuple[list[float], list[float]]:
    arrow = next(t for t in plotted(page)[0] if t["name"] == HIGHLIGHT)
    return arrow["x"], arrow["y"]


def test_a_cold_deep_link_with_parameters_renders_that_view(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/Gradient_Field?fn=Himmelblau&x0=2&y0=-1&arrows=20")
    assert_no_errors(page)
    assert slider_value(page, "Point x") == 2 and slider_value(page, "Arrows per side") == 20
    gradient = page.get_by_test_id("stMetricValue").filter(has_text="(-72, 0)")
    assert gradient.count() == 1  # ∇f(2, −1) of Himmelblau: the view came from the URL
    surface = plotted(page)[1]
    x, _ = highlighted_arrow(page)
    assert x[0] == 2
    assert {"tangent plane", "steepest ascent (along ∇f)"} <= {t["name"] for t in surface}
    screenshot(page, "gradient-field-himmelblau-deep-link")


def test_the_page_renders_the_contour_and_the_surface_without_errors(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field")
    assert_no_errors(page)
    names = [t["name"] for t in plotted(page)[0]]
    assert names == ["level curves of f", "∇f (direction only)", HIGHLIGHT, "(x₀, y₀)"]
    assert page.get_by_test_id("stMetricValue").filter(has_text="(2, 4)").count() == 1  # the seed's ∇f(1, 1)
    assert page.locator(".katex").count() >= 2
    screenshot(page, "gradient-field-default")
    screenshot(page, "gradient-field-default-full", full_page=True)


def test_moving_the_point_slider_moves_the_highlighted_arrow(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field")
    before = highlighted_arrow(page)
    move_slider(page, "Point x", 10)
    after = highlighted_arrow(page)
    assert after[0][0] == 1.5 and after != before
    assert "x0=1.5" in page.url
    assert_no_errors(page)


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
