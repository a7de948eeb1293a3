"""The Lesson page and the seed lesson under AppTest: every step's page, opened with that step's URL
query, runs cleanly and shows the number its narrative quotes; the Lesson page steps through them all."""

from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from core.lesson import parse_lesson
from tests.apptest.conftest import ROOT, assert_healthy, live_data, open_page
from ui.lesson_controls import CONTROLS
from ui.registry import PAGES

SEED = parse_lesson((ROOT / "lessons" / "seed.toml").read_bytes(), CONTROLS)
PAGE_PATHS = {page.url_path: page.path for page in PAGES}


def open_with_query(path: str, pairs) -> AppTest:
    """Run the entry file, then switch to the page with these (parameter, text) pairs in its URL."""
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    for key, values in grouped.items():
        app.query_params[key] = values if len(values) > 1 else values[0]
    app.switch_page(path)
    app.run()
    return app


def page_texts(app: AppTest) -> list[str]:
    """Everything a student reads on the page: prose, formulas, metrics, notes, tables, live readouts."""
    texts = [element.value for kind in ("markdown", "latex", "info", "warning", "success", "caption")
             for element in app.get(kind)]  # fmt: skip
    texts += [metric.value for metric in app.metric]
    texts += [frame.value.to_string() for frame in app.dataframe]
    for element in app.get("bidi_component"):
        if element.proto.id.endswith("-live"):
            data = live_data(app, element.proto.id.rsplit("-", 2)[-2] + "-live")
            texts += [readout["value"] for readout in data["readouts"]] + [data["message"]]
    return texts


def test_the_seed_lesson_follows_the_seed_section_in_order():
    pages = [step.page for step in SEED.steps]
    order = ["Derivative", "Gradient_Field", "Directional_Derivative", "Critical_Points",
             "Linear_Regression_GD", "Logistic_Regression_GD"]  # fmt: skip
    assert [page for i, page in enumerate(pages) if page in order and page not in pages[:i]][
        : len(order)
    ] == order
    assert all(step.shows and step.shows in step.text for step in SEED.steps)


@pytest.mark.parametrize("number", range(1, len(SEED) + 1))
def test_every_seed_step_opens_its_page_cleanly_showing_the_number_it_quotes(number):
    step = SEED.steps[number - 1]
    app = open_with_query(PAGE_PATHS[step.page], step.query)
    assert_healthy(app)
    reveal = [button for button in app.button if button.key and button.key.startswith("reveal-button-")]
    assert bool(reveal) == bool(step.question)  # a question opens the page in quiz mode
    for button in reveal:
        button.click().run()
    assert_healthy(app)
    texts = page_texts(app)
    assert any(step.shows in text for text in texts), (step.shows, texts)


def iframe_src(app: AppTest) -> str:
    (frame,) = app.get("iframe")
    return frame.proto.src


def test_the_lesson_page_steps_through_every_step_with_next_and_back_with_previous():
    app = open_page("pages/10_Lesson.py")
    assert_healthy(app)
    for number, step in enumerate(SEED.steps, start=1):
        assert app.get("progress")[0].proto.text.startswith(f"Step {number} of {len(SEED)}")
        assert app.query_params["step"] == str(number)
        url = urlsplit(iframe_src(app))
        assert url.path == f"/{step.page}"
        assert parse_qsl(url.query) == [*step.query, ("embed", "true")]
        assert step.text.strip()[:40] in app.markdown[0].value
        if number < len(SEED):
            app.button(key="lesson-next").click().run()
            assert_healthy(app)
    assert app.button(key="lesson-next").disabled
    app.button(key="lesson-previous").click().run()
    assert app.get("progress")[0].proto.text.startswith(f"Step {len(SEED) - 1} of")


def test_a_link_to_a_step_opens_it_and_a_step_out_of_range_starts_at_the_first():
    app = open_page("pages/10_Lesson.py", lesson="seed", step="11")
    assert_healthy(app)
    assert urlsplit(iframe_src(app)).path == "/Directional_Derivative"
    assert "4.24264" in app.markdown[0].value
    app = open_page("pages/10_Lesson.py", lesson="seed", step="99")
    assert_healthy(app)
    assert app.get("progress")[0].proto.text.startswith("Step 1 of")
    assert any("step=99" in toast.value for toast in app.toast)


def test_an_unknown_lesson_in_the_link_falls_back_to_the_default_with_a_notice():
    app = open_page("pages/10_Lesson.py", lesson="../../etc/passwd")
    assert_healthy(app)
    assert app.selectbox(key="lesson").value == "seed"
    assert any("lesson=" in toast.value for toast in app.toast)


def test_lecture_mode_hides_presenter_notes_until_asked_and_passes_lecture_mode_on():
    app = open_page("pages/10_Lesson.py", lecture="1")
    assert_healthy(app)
    notes = [expander for expander in app.expander if expander.label == "Presenter notes"]
    assert not notes  # step 1 has notes: hidden in lecture mode
    assert ("lecture", "1") in parse_qsl(urlsplit(iframe_src(app)).query)
    app.toggle(key="lesson-notes").set_value(True).run()
    (notes,) = [expander for expander in app.expander if expander.label == "Presenter notes"]
    assert "quiz mode hides it" in notes.markdown[0].value
