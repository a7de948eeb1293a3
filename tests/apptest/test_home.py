"""The home page: a paragraph and a card per page."""

from tests.apptest.conftest import assert_healthy, open_page
from ui.registry import PAGES


def test_home_page_renders_without_errors():
    app = open_page()
    assert_healthy(app)
    assert app.title[0].value.endswith("Gradient Lab")


def test_home_page_has_a_card_for_every_page():
    app = open_page()
    text = " ".join(m.value for m in app.markdown)
    for page in PAGES:
        assert page.summary in text


def test_lecture_mode_from_the_url_turns_the_toggle_on():
    app = open_page(lecture="1")
    assert app.toggle(key="lecture").value is True
    assert open_page().toggle(key="lecture").value is False
