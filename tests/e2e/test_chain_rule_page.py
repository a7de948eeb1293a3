"""The Chain rule page in a real browser: a cold deep link to the survey's example, the graph's own step
slider and Play button working in the browser without a rerun, and a kink explained in words."""

import re

from core.chain_rule import bar
from tests.e2e.conftest import assert_no_errors, open_app, screenshot, wait_for_app

CAPTION = 6  # the trace holding the step's caption (core.figures.graph.CAPTION)


def graph_texts(page) -> list:
    """Every trace's text in the graph, as plotly.js holds it after the last frame it drew."""
    return page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData.map(t => t.text)")


def caption(page) -> str:
    return graph_texts(page)[CAPTION][0]


def wait_for_caption(page, condition: str) -> None:
    """Wait until the graph's caption, ``text`` in the JavaScript ``condition``, satisfies it."""
    page.wait_for_function(
        f"(i) => {{ const text = document.querySelector('.js-plotly-plot')._fullData[i].text[0]; "
        f"return {condition}; }}",
        arg=CAPTION,
        timeout=30_000,
    )


def count_reruns(page) -> None:
    """From now on, count the times the script starts running (window.__reruns)."""
    page.evaluate(
        """() => {
            window.__reruns = 0;
            const app = document.querySelector("[data-testid='stApp']");
            new MutationObserver(() => {
                if (app.dataset.testScriptState === 'running') window.__reruns += 1;
            }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        }"""
    )


def click_step(page, label: str) -> None:
    """Click the graph slider's rail above the tick with this label, as a student would."""
    rail = page.locator(".js-plotly-plot .slider-rail-touch-rect")
    rail.scroll_into_view_if_needed()
    tick = page.locator(".js-plotly-plot .slider-group .slider-label").filter(
        has_text=re.compile(f"^{label}$")
    )
    x, rail_box = tick.bounding_box(), rail.bounding_box()
    page.mouse.click(x["x"] + x["width"] / 2, rail_box["y"] + rail_box["height"] / 2)


def test_a_cold_deep_link_to_the_survey_example_shows_its_graph_and_gradient(page, app_url):
    open_app(page, f"{app_url}/Chain_Rule?fn=Autodiff+survey")
    assert_no_errors(page)
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert values == ["11.6521", "5.5", "1.71634"]  # Baydin et al. (2018): f = 11.652, ∇f = (5.5, 1.716)
    texts = graph_texts(page)
    assert texts[2] == ["x", "y", "sin", "−", "×", "ln", "+"]
    assert texts[4][:2] == [f"{bar('x')} = 5.5", f"{bar('y')} = 1.716"]
    assert caption(page).startswith("Done: the variables' adjoints are the gradient")
    assert page.get_by_text("agree (to 9 significant digits)").count() == 1
    screenshot(page, "chain-rule-survey-deep-link")
    screenshot(page, "chain-rule-survey-full", full_page=True)


def test_clicking_a_step_on_the_graphs_slider_shows_that_step_without_a_rerun(page, app_url):
    open_app(page, f"{app_url}/Chain_Rule")
    count_reruns(page)
    click_step(page, "3")
    wait_for_caption(page, "text.startsWith('Forward: v2')")
    assert caption(page) == "Forward: v2 = x² = 1² = 1"
    assert graph_texts(page)[3] == ["x = 1", "v1 = 1", "v2 = 1", "", "", ""]  # values so far
    assert not any(graph_texts(page)[4])  # no adjoint before the backward pass
    click_step(page, "8")  # after 6 nodes forward and the seed, the output pushes 1 back along its edges
    wait_for_caption(page, "text.includes('flows back through v5')")
    adjoints = graph_texts(page)[4]
    assert f"{bar('v1')} = 1" in adjoints  # its only user, the output, has pushed: final
    assert not adjoints[0]  # x has not heard from any of its three users yet
    assert page.evaluate("() => window.__reruns") == 0  # the browser did it all
    screenshot(page, "chain-rule-cubic-step-8")
    assert_no_errors(page)


def test_play_runs_from_the_first_step_to_the_gradient(page, app_url):
    open_app(page, f"{app_url}/Chain_Rule?fn=Bowl+x%C2%B2%2B2y%C2%B2+%28seed%29")
    click_step(page, "1")
    wait_for_caption(page, "text.endsWith('input x = 1')")
    page.get_by_text("▶ Play").click()
    wait_for_caption(page, "text.startsWith('Done')")
    assert caption(page).endswith("∇f = (∂f/∂x, ∂f/∂y) = (2, 4)")  # the seed's ∇f = (2x, 4y) at (1, 1)
    assert graph_texts(page)[4][:2] == [f"{bar('x')} = 2", f"{bar('y')} = 4"]


def test_a_kink_is_a_warning_in_words_and_moving_off_it_brings_the_graph(page, app_url):
    open_app(page, f"{app_url}/Chain_Rule?fn=Custom+formula&formula=relu(x)&x0=0")
    assert page.get_by_text("No gradient at this point.").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(".js-plotly-plot").count() == 0
    screenshot(page, "chain-rule-relu-kink")
    slider = page.locator("[data-testid='stSlider']").filter(has_text="Point x").get_by_role("slider").first
    slider.focus()
    slider.press("ArrowRight")
    wait_for_app(page)
    assert page.locator(".js-plotly-plot").count() == 1
    assert page.get_by_test_id("stMetricValue").all_inner_texts() == ["0.05", "1"]
    assert_no_errors(page)
