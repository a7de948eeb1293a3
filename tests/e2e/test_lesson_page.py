"""The Lesson page in a real browser: a clicker's PageDown/PageUp (and the arrow keys) move through the seed
lesson with the step's page live below, and a lesson file with a mistake says what to fix."""

from urllib.parse import parse_qsl, urlsplit

from core.lesson import parse_lesson
from tests.e2e.conftest import ROOT, assert_no_errors, open_app, screenshot, wait_for_app
from ui.lesson_controls import CONTROLS

SEED = parse_lesson((ROOT / "lessons" / "seed.toml").read_bytes(), CONTROLS)
VIEW = ".st-key-lesson-view iframe"


# the embedded page's first live plot lies inside the window: below the lesson's title row's top, above the
# window's bottom edge, and not cut by the frame's own bottom
EMBEDDED_CHART_WHOLE = """(selector) => {
    const frame = document.querySelector(selector);
    const plot = frame?.contentDocument?.querySelector(".gl-live .gl-plot");
    if (!plot || !plot._fullLayout) return false;
    const outer = frame.getBoundingClientRect(), inner = plot.getBoundingClientRect();
    const bottom = outer.top + inner.bottom;
    return outer.top < 100 && bottom <= Math.min(outer.bottom, innerHeight) && inner.height >= 320;
}"""


def shown_step(page) -> str:
    return page.get_by_test_id("stProgress").inner_text()


def wait_for_step(page, number: int, lesson=SEED) -> None:
    """Wait until the lesson shows this step and its embedded page has finished drawing."""
    page.wait_for_function(
        "(text) => document.querySelector(\"[data-testid='stProgress']\")?.innerText.includes(text)",
        arg=f"Step {number} of {len(lesson)}",
        timeout=60_000,
    )
    wait_for_app(page)
    step = lesson.steps[number - 1]
    page.wait_for_function(
        """([selector, path]) => {
            const frame = document.querySelector(selector);
            if (!frame || new URL(frame.src).pathname !== path) return false;
            const doc = frame.contentDocument;
            const app = doc?.querySelector("[data-testid='stApp']");
            return app && app.dataset.testScriptState === "notRunning"
                // the embedded page has no title (the lesson shows it): any element means its script ran
                && doc.querySelector("[data-testid='stMain'] [data-testid='stElementContainer']")
                && !doc.querySelector("[data-testid='stSkeleton']");
        }""",
        arg=[VIEW, f"/{step.page}"],
        timeout=90_000,
    )


def embedded_query(page) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.locator(VIEW).get_attribute("src")).query)


def test_page_down_and_page_up_move_through_the_seed_lesson_with_its_page_live_below(page, app_url):
    open_app(page, f"{app_url}/Lesson")
    wait_for_step(page, 1)
    assert_no_errors(page)
    assert embedded_query(page) == [*SEED.steps[0].query, ("embed", "true")]
    view = page.frame_locator(VIEW)
    view.locator(".gl-live").wait_for(state="attached", timeout=60_000)  # the step's live chart
    assert view.get_by_role("button", name="Reveal f′(x)").count() == 1  # the step's question: quiz mode
    # on a 1280×720 projector the view starts at the top, beside the words, and its chart opens whole
    page.wait_for_function(EMBEDDED_CHART_WHOLE, arg=VIEW, timeout=30_000)
    screenshot(page, "lesson-step-1")

    page.keyboard.press("PageDown")
    wait_for_step(page, 2)
    assert embedded_query(page) == [*SEED.steps[1].query, ("embed", "true")]
    assert "1.71" in page.get_by_test_id("stMain").inner_text()
    assert view.get_by_role("button", name="Reveal f′(x)").count() == 0  # no question: no quiz mode

    page.keyboard.press("PageUp")
    wait_for_step(page, 1)
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 2)
    assert "step=2" in page.url

    # a clicker press after the lecturer clicked into the embedded page still moves the lesson on
    view.locator(".gl-readouts").first.click()  # numbers, not a control: nothing moves
    page.keyboard.press("PageDown")
    wait_for_step(page, 3)
    assert_no_errors(page)


def test_a_link_to_a_step_opens_that_step_and_its_full_screen_link_is_the_steps_page(page, app_url):
    open_app(page, f"{app_url}/Lesson?lesson=seed&step=11")
    wait_for_step(page, 11)
    link = page.get_by_role("link", name="Open full screen").first.get_attribute("href")
    assert urlsplit(link).path == "/Directional_Derivative"
    assert parse_qsl(urlsplit(link).query) == list(SEED.steps[10].query)
    page.frame_locator(VIEW).get_by_role("button", name="Reveal D_u f(p)").click()
    page.frame_locator(VIEW).get_by_text("4.24264").first.wait_for(timeout=60_000)
    screenshot(page, "lesson-directional-step")


def test_an_uploaded_lesson_with_a_mistake_says_what_to_fix(page, app_url):
    open_app(page, f"{app_url}/Lesson")
    wait_for_step(page, 1)
    bad = b'title = "Mine"\n[[steps]]\npage = "Derivative"\ntext = "Hi"\ncontrols = { x0 = 42 }\n'
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "mine.toml", "mimeType": "application/toml", "buffer": bad}]
    )
    error = page.get_by_test_id("stAlertContentError")
    error.wait_for(timeout=60_000)
    assert "Step 1: x0 must be in [-10.0, 10.0]. Got 42 instead." in error.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    good = bad.replace(b"x0 = 42", b"x0 = 2.0")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "mine.toml", "mimeType": "application/toml", "buffer": good}]
    )
    wait_for_step(page, 1, parse_lesson(good, CONTROLS))
    assert "Step 1 of 1" in shown_step(page)
    assert ("x0", "2.0") in embedded_query(page)
