"""Every page in a real browser at the three sizes it is used at: a phone (390×844, quiz mode: the answer
hidden, then revealed), a projector (1280×720) and a full-HD screen (1920×1080, lecture mode: bigger text and
chart fonts, kept in the URL). Every test here also fails on a browser console error (conftest)."""

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import assert_no_errors, open_app, screenshot, wait_for_app
from ui.registry import PAGES

PHONE = {"width": 390, "height": 844}
FULL_HD = {"width": 1920, "height": 1080}


# the Lesson page embeds the others (tests/e2e/test_lesson_page.py)
SLUGS = [page.url_path for page in PAGES if page.path != "pages/10_Lesson.py"]


def chart_font_size(page) -> float:
    """The largest base font size among the page's Plotly charts, as plotly.js laid them out."""
    return page.evaluate(
        """() => Math.max(...Array.from(document.querySelectorAll('.js-plotly-plot'))
            .map(el => el._fullLayout.font.size))"""
    )


def css_pixels(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def reveal_buttons(page):
    return page.get_by_role("button", name="Reveal")


@pytest.mark.parametrize("slug", SLUGS)
def test_on_a_phone_in_quiz_mode_then_on_a_full_hd_screen_in_lecture_mode(page, app_url, slug):
    page.set_viewport_size(PHONE)
    open_app(page, f"{app_url}/{slug}?quiz=1")
    assert_no_errors(page)
    assert page.locator("[data-testid='stSidebar'][data-collapsed='true']").count() == 1  # collapsed
    widest = page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth,
            ...Array.from(document.querySelectorAll('.js-plotly-plot'))
                .map(el => el.getBoundingClientRect().right))"""
    )
    assert widest <= PHONE["width"] + 1, f"the page is {widest}px wide on a {PHONE['width']}px phone"
    assert page.locator(".js-plotly-plot").count() >= 1
    assert reveal_buttons(page).count() == 1  # quiz mode: the answer waits behind the button
    normal_fonts = chart_font_size(page)
    normal_heading = css_pixels(page, "h1")
    screenshot(page, f"phone-{slug}-quiz")
    reveal_buttons(page).click()
    wait_for_app(page)
    assert reveal_buttons(page).count() == 0
    assert page.get_by_test_id("stMetricValue").filter(has_text="?").count() == 0
    assert "quiz=1" in page.url
    screenshot(page, f"phone-{slug}-revealed", full_page=True)

    page.set_viewport_size(FULL_HD)
    open_app(page, f"{app_url}/{slug}?lecture=1")
    assert_no_errors(page)
    assert chart_font_size(page) > normal_fonts
    assert css_pixels(page, "h1") > normal_heading
    assert "lecture=1" in page.url
    open_app(page, page.url)  # the URL alone brings lecture mode back in a new session
    assert "lecture=1" in page.url and chart_font_size(page) > normal_fonts
    screenshot(page, f"full-hd-{slug}-lecture")


SCREENS = [
    ({"width": 1280, "height": 720}, "0"),
    ({"width": 1280, "height": 720}, "1"),
    (FULL_HD, "1"),
]
# The page's first chart, whole: a live chart's first plot with its own controls above it, else the first
# Plotly chart (its box: the plotly.js div, legend and sliders included).
FIRST_CHART_BOX = """() => {
    const first = document.querySelector('.gl-plot, [data-testid="stPlotlyChart"] .js-plotly-plot');
    const live = first.closest('.gl-live');
    const boxes = [first, ...(live ? [live.querySelector('.gl-controls')] : [])]
        .map(el => el.getBoundingClientRect());
    return {top: Math.min(...boxes.map(b => b.top)), bottom: Math.max(...boxes.map(b => b.bottom)),
            height: first.getBoundingClientRect().height};
}"""
# Every pair of text labels drawn inside each chart (trace text, annotations, axis and legend titles, legend
# entries; not tick labels, which plotly.js spaces itself) whose boxes overlap by more than 2 px each way.
OVERLAPPING_LABELS = """() => {
    const found = [];
    for (const chart of document.querySelectorAll('.js-plotly-plot')) {
        const labels = [...chart.querySelectorAll(
            '.textpoint text, .annotation-text, .legendtext, .gtitle, .xtitle, .ytitle, .cbtitle text')]
            .filter(el => el.textContent.trim() && el.getBoundingClientRect().width > 0)
            .map(el => [el.textContent.trim(), el.getBoundingClientRect()]);
        for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
            const [a, p] = labels[i], [b, q] = labels[j];
            const dx = Math.min(p.right, q.right) - Math.max(p.left, q.left);
            const dy = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
            if (dx > 2 && dy > 2) found.push(`${a} / ${b}`);
        }
    }
    return found;
}"""


@pytest.mark.parametrize("slug", SLUGS)
def test_the_main_chart_and_its_controls_open_on_screen_at_projector_sizes(page, app_url, slug):
    for size, lecture in SCREENS:
        page.set_viewport_size(size)
        open_app(page, f"{app_url}/{slug}?lecture={lecture}")
        # a live chart refits after what lands above it (typeset formulas, a notice) once the rerun is over
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"() => ({FIRST_CHART_BOX})().bottom <= {size['height']}", timeout=10_000)
        box = page.evaluate(FIRST_CHART_BOX)
        assert box["top"] >= 0 and box["bottom"] <= size["height"], (size, lecture, box)
        assert box["height"] >= 300, (size, lecture, box)  # whole, and not shrunk to a thumbnail
        assert page.evaluate(OVERLAPPING_LABELS) == [], (size, lecture)
        screenshot(page, f"projector-{slug}-{size['width']}-{'lecture' if lecture == '1' else 'normal'}")
