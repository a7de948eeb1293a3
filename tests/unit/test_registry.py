"""ui.registry: the pages' order and the URL path each is served at."""

from pathlib import Path

from ui.registry import HOME, PAGES, url_path

ROOT = Path(__file__).resolve().parents[2]


def test_the_url_path_drops_the_number_and_keeps_the_rest_of_the_file_name():
    assert url_path("pages/4_Critical_Points.py") == "Critical_Points"
    assert url_path("pages/10_Lesson.py") == "Lesson"
    assert url_path("streamlit_app.py") == "" and HOME.url_path == ""


def test_every_page_file_is_registered_once_with_a_distinct_url_path():
    assert sorted(page.path for page in PAGES) == sorted(
        f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")
    )
    paths = [page.url_path for page in PAGES]
    assert len(set(paths)) == len(paths) and all(paths)
