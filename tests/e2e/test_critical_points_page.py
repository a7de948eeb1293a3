"""The Critical points page in a real browser: markers appear, and a slow input does not freeze it."""

from tests.e2e.conftest import assert_no_errors, open_app, plotted, screenshot


def marker_names(page):
    return {
        t["name"] for t in plotted(page)[0] if t["name"] in ("minimum", "maximum", "saddle", "degenerate")
    }


def test_a_cold_deep_link_to_himmelblau_shows_all_three_kinds_of_marker(page, app_url):
    open_app(page, f"{app_url}/Critical_Points?fn=Himmelblau&limit=0.5")
    assert_no_errors(page)
    assert marker_names(page) == {"minimum", "maximum", "saddle"}
    assert page.get_by_text("found 9 critical points").count() == 1
    screenshot(page, "critical-points-himmelblau", full_page=True)


def test_the_seeds_example_explains_itself_instead_of_crashing(page, app_url):
    open_app(page, f"{app_url}/Critical_Points")
    assert_no_errors(page)
    assert page.get_by_text("There is no critical point").count() == 1
    assert marker_names(page) == set()
    screenshot(page, "critical-points-seed-example")


def test_lecture_mode_keeps_the_markers_readable(page, app_url):
    open_app(page, f"{app_url}/Critical_Points?fn=Saddle+x%C2%B2%E2%88%92y%C2%B2&lecture=1")
    assert_no_errors(page)
    assert marker_names(page) == {"saddle"}
    screenshot(page, "critical-points-saddle-lecture", full_page=True)
