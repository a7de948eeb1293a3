"""The Derivative page in a real browser: charts render, sliders move them, the URL keeps the view."""

from urllib.parse import parse_qs, urlparse

from tests.e2e.conftest import (
    assert_no_errors,
    move_slider,
    open_app,
    plotted,
    screenshot,
    slider_value,
    trace_y,
    wait_for_app,
)


def test_a_cold_deep_link_with_parameters_renders_that_view(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/Derivative?fn=Sine&x0=0.5")
    assert_no_errors(page)
    assert page.get_by_text("Not differentiable").count() == 0
    charts = plotted(page)
    assert len(charts) == 2
    assert page.get_by_text("0.877583").count() == 1  # f′(0.5) = cos(0.5): the view came from the URL
    assert slider_value(page, "Point x") == 0.5
    screenshot(page, "derivative-sine-deep-link")


def test_the_page_renders_both_charts_without_errors(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    assert_no_errors(page)
    names = [t["name"] for t in plotted(page)[0]]
    assert {"f(x)", "f′(x) symbolic", "f′(x) numerical", "tangent at x₀", "secant"} <= set(names)
    assert page.locator(".katex").count() >= 2
    screenshot(page, "derivative-default")
    screenshot(page, "derivative-default-full", full_page=True)


def test_moving_the_point_slider_moves_the_tangent_line(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    before = trace_y(page, 0, "tangent at x₀")
    move_slider(page, "Point x", 10)
    after = trace_y(page, 0, "tangent at x₀")
    assert before != after
    assert_no_errors(page)


def test_a_changed_slider_shows_up_in_the_url_and_the_url_restores_it(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    move_slider(page, "Point x", 4)
    query = parse_qs(urlparse(page.url).query)
    assert query["x0"] == ["1.2"]
    restored = page.context.new_page()
    open_app(restored, page.url)
    assert slider_value(restored, "Point x") == 1.2
    assert trace_y(restored, 0, "tangent at x₀") == trace_y(page, 0, "tangent at x₀")


def _font_size(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def _chart_title_size(page) -> float:
    return page.evaluate("() => parseFloat(document.querySelector('.js-plotly-plot .gtitle').style.fontSize)")


def test_lecture_mode_from_the_url_enlarges_text_and_charts(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    normal_label = _font_size(page, "[data-testid='stSidebar'] label p")
    normal_chart = _chart_title_size(page)
    open_app(page, f"{app_url}/Derivative?lecture=1")
    assert_no_errors(page)
    assert _font_size(page, "[data-testid='stSidebar'] label p") >= 1.3 * normal_label
    assert _chart_title_size(page) >= 1.3 * normal_chart
    assert "lecture=1" in page.url
    screenshot(page, "derivative-lecture")


def test_relu_at_zero_explains_instead_of_printing_a_number(page, app_url):
    open_app(page, f"{app_url}/Derivative?fn=ReLU&x0=0")
    assert page.get_by_text("Not differentiable at").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "derivative-relu-kink")


def test_a_bad_formula_shows_a_message_and_no_traceback(page, app_url):
    open_app(page, f"{app_url}/Derivative?fn=Custom+formula")
    box = page.get_by_label("f(x) =", exact=True).and_(page.get_by_role("textbox"))
    box.fill("sinx")
    box.press("Enter")
    wait_for_app(page)
    assert page.get_by_text("Did you mean sin(x)?").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "derivative-bad-formula")
