"""The Derivative page in a real browser: the live chart moves with x₀ and h without asking the server,
the settled value reaches the URL, and the URL restores the view."""

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import (
    SentFrames,
    assert_no_errors,
    live_input,
    live_readout,
    live_value,
    open_app,
    plotted,
    press_live,
    screenshot,
    trace_y,
    wait_for_app,
)


def cubic_slope(x: float) -> float:
    return 3 * x**2 - 4 * x + 3  # the seed's f(x) = x³ − 2x² + 3x − 1, differentiated by hand


def test_a_cold_deep_link_with_parameters_renders_that_view(page, app_url):
    # the first request this server sees: a deep link straight to the page, not the home page
    open_app(page, f"{app_url}/Derivative?fn=Sine&x0=0.5")
    assert_no_errors(page)
    assert page.get_by_text("Not differentiable").count() == 0
    assert page.locator(".gl-plot").count() == 2  # the live chart: f and the error curves
    assert live_readout(page, "f′(x₀)") == "0.877583"  # cos(0.5): the view came from the URL
    assert live_value(page, "x0") == 0.5
    screenshot(page, "derivative-sine-deep-link")


def test_the_page_renders_both_charts_without_errors(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    assert_no_errors(page)
    names = [t["name"] for t in plotted(page)[0]]
    assert {"f(x)", "f′(x) symbolic", "f′(x) numerical", "tangent at x₀", "secant"} <= set(names)
    assert page.locator(".katex").count() >= 2
    assert live_readout(page, "f′(x₀)") == "2"
    screenshot(page, "derivative-default")
    screenshot(page, "derivative-default-full", full_page=True)


def test_arrow_keys_on_x0_move_the_tangent_in_the_browser_without_a_server_round_trip(page, app_url):
    frames = SentFrames(page)  # listening before the websocket opens
    open_app(page, f"{app_url}/Derivative")
    sent = frames.count
    assert sent > 0
    press_live(page, "x0", 10, quiet=frames)  # 1.0 -> 1.5 in steps of 0.05, every one drawn here alone
    assert live_value(page, "x0") == 1.5
    assert float(live_readout(page, "f′(x₀)")) == cubic_slope(1.5)
    tangent = trace_y(page, 0, "tangent at x₀")
    f15 = 1.5**3 - 2 * 1.5**2 + 3 * 1.5 - 1
    assert abs(tangent[0] - (f15 + cubic_slope(1.5) * (-2 - 1.5))) < 1e-9  # the line through (x₀, f(x₀))
    # let go: the value reaches the server once, then the URL
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') === '1.5'")
    assert frames.count > sent
    wait_for_app(page)
    assert_no_errors(page)


def _taylor_traces(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")]
            .filter((plot) => (plot.layout.title.text || "").startsWith("f and its Taylor"))
            .flatMap((plot) => plot.data.map((trace) => trace.name))"""
    )


def test_the_taylor_models_are_worked_out_when_opened_and_follow_x0_staying_open(page, app_url):
    open_app(page, f"{app_url}/Derivative?x0=1.5")
    assert _taylor_traces(page) == []  # closed: the server has not worked them out
    page.get_by_text("Taylor models at x₀", exact=True).click()
    expect(page.get_by_text("T₁ to T₅ at x₀ = 1.5", exact=True)).to_be_visible(timeout=30_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .js-plotly-plot")]
            .some((plot) => (plot.layout.title.text || "").startsWith("f and its Taylor"))"""
    )
    assert {"T1", "T5"} <= set(_taylor_traces(page))
    press_live(page, "x0", 1)  # let go at 1.55: the models follow, the expander stays open
    expect(page.get_by_text("T₁ to T₅ at x₀ = 1.55", exact=True)).to_be_visible(timeout=30_000)
    wait_for_app(page)
    assert_no_errors(page)


def test_dragging_on_the_chart_moves_x0_and_shows_every_intermediate_state(page, app_url):
    frames = SentFrames(page)
    open_app(page, f"{app_url}/Derivative")
    sent = frames.count
    plot = page.locator(".gl-plot").first
    box = page.evaluate(
        """() => { const gd = document.querySelector('.gl-plot'); const s = gd._fullLayout._size;
            const r = gd.getBoundingClientRect(); const xa = gd._fullLayout.xaxis;
            return {left: r.left + s.l, top: r.top + s.t + s.h / 2, x0: xa.d2p(0), x2: xa.d2p(2)}; }"""
    )
    page.mouse.move(box["left"] + box["x0"], box["top"])
    page.mouse.down()
    seen = []
    for step in range(1, 11):
        page.mouse.move(box["left"] + box["x0"] + (box["x2"] - box["x0"]) * step / 10, box["top"])
        seen.append(live_value(page, "x0"))
    assert frames.count == sent  # nothing sent while the button is held
    page.mouse.up()
    assert seen == sorted(seen) and len(set(seen)) >= 8  # the readouts followed the pointer
    assert abs(seen[-1] - 2.0) <= 0.05
    assert float(live_readout(page, "f′(x₀)")) == cubic_slope(seen[-1])
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('x0') === '{seen[-1]:g}'")
    assert plot.count() == 1


def test_shrink_h_plays_the_secant_into_the_tangent(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    page.get_by_role("button", name="Shrink h: animate Step h").click()
    page.wait_for_function(
        "() => document.querySelector('.gl-live').glChart.values.h === 1e-6", timeout=30_000
    )
    secant = trace_y(page, 0, "secant")
    tangent = trace_y(page, 0, "tangent at x₀")
    assert max(abs(a - b) for a, b in zip(secant, tangent, strict=True)) < 1e-4  # slope 2 + h(…) → 2
    page.wait_for_function("() => new URLSearchParams(location.search).get('h') === '1e-06'")
    wait_for_app(page)
    assert_no_errors(page)


def test_a_changed_value_shows_up_in_the_url_and_the_url_restores_it(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    press_live(page, "x0", 4)
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') === '1.2'")
    wait_for_app(page)
    assert parse_qs(urlparse(page.url).query)["x0"] == ["1.2"]
    restored = page.context.new_page()
    open_app(restored, page.url)
    assert live_value(restored, "x0") == 1.2
    assert trace_y(restored, 0, "tangent at x₀") == trace_y(page, 0, "tangent at x₀")


def _font_size(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def _chart_title_size(page) -> float:
    return page.evaluate("() => parseFloat(document.querySelector('.js-plotly-plot .gtitle').style.fontSize)")


def test_lecture_mode_from_the_url_enlarges_text_charts_and_live_controls(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    normal_label = _font_size(page, "[data-testid='stSidebar'] label p")
    normal_chart = _chart_title_size(page)
    normal_control = _font_size(page, ".gl-control")
    open_app(page, f"{app_url}/Derivative?lecture=1")
    assert_no_errors(page)
    assert _font_size(page, "[data-testid='stSidebar'] label p") >= 1.3 * normal_label
    assert _chart_title_size(page) >= 1.3 * normal_chart
    assert _font_size(page, ".gl-control") >= 1.3 * normal_control
    assert "lecture=1" in page.url
    screenshot(page, "derivative-lecture")


def test_relu_at_zero_explains_instead_of_printing_a_number_and_moving_away_gives_a_slope(page, app_url):
    open_app(page, f"{app_url}/Derivative?fn=ReLU&x0=0")
    assert page.get_by_text("Not differentiable at x₀ = 0").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "derivative-relu-kink")
    press_live(page, "x0", 2)
    assert page.get_by_text("Not differentiable").count() == 0
    assert live_readout(page, "f′(x₀)") == "1"


def test_quiz_mode_hides_the_live_answer_too(page, app_url):
    open_app(page, f"{app_url}/Derivative?quiz=1")
    press_live(page, "x0", 2)
    assert live_readout(page, "f′(x₀)") == "?"
    assert "tangent at x₀" not in [t["name"] for t in plotted(page)[0]]
    assert live_input(page, "x0").count() == 1


def test_a_bad_formula_shows_a_message_and_no_traceback(page, app_url):
    open_app(page, f"{app_url}/Derivative?fn=Custom+formula")
    box = page.get_by_label("f(x) =", exact=True).and_(page.get_by_role("textbox"))
    box.fill("sinx")
    box.press("Enter")
    wait_for_app(page)
    assert page.get_by_text("Did you mean sin(x)?").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "derivative-bad-formula")


def test_a_formula_typed_with_a_mistake_keeps_the_last_chart_greyed_until_it_is_fixed(page, app_url):
    import math

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-9 * abs(b) + 1e-12

    open_app(page, f"{app_url}/Derivative?fn=Custom+formula")
    chart = page.locator(".gl-live .js-plotly-plot").first
    # the chart's opacity as seen on screen: the product over it and its ancestors
    seen_opacity = """el => { let o = 1; for (; el; el = el.parentElement) o *= +getComputedStyle(el).opacity;
                              return o; }"""
    box = page.get_by_label("f(x) =", exact=True).and_(page.get_by_role("textbox"))
    box.fill("x^2 + sin 2x")
    box.press("Enter")
    wait_for_app(page)
    assert page.get_by_text("sin 2x is ambiguous").count() == 1
    caret = page.locator(".st-key-formula-refusal [data-testid='stCode']").inner_text().splitlines()[-1]
    assert caret == " " * 10 + "^"
    # greyed (Streamlit's own fade of a rerunning element may still be ending), and still x^2 sin(x)
    page.wait_for_function(
        f"() => ({seen_opacity})(document.querySelector('.gl-live .js-plotly-plot')) < 0.6"
    )
    x = next(t["x"] for t in plotted(page)[0] if t["name"] == "f(x)")
    assert close(trace_y(page, 0, "f(x)")[7], x[7] ** 2 * math.sin(x[7]))
    screenshot(page, "derivative-formula-mistake-kept")

    box.fill("x^2 + sin(2x)")
    box.press("Enter")
    wait_for_app(page)
    assert_no_errors(page)
    assert page.locator(".st-key-formula-refusal [data-testid='stCode']").count() == 0
    assert chart.evaluate(seen_opacity) == 1
    x = next(t["x"] for t in plotted(page)[0] if t["name"] == "f(x)")
    assert close(trace_y(page, 0, "f(x)")[7], x[7] ** 2 + math.sin(2 * x[7]))
