"""The Critical points page through AppTest: every preset answers, the seed's example explains itself."""

import pytest

from core import functions2d
from tests.apptest.conftest import assert_healthy, chart_specs, open_page

PAGE = "pages/4_Critical_Points.py"


def marker_traces(app):
    contour = chart_specs(app)[0]
    return {t["name"]: t for t in contour["data"] if t.get("mode") == "markers"}


def test_the_default_is_the_seeds_example_and_it_explains_why_there_is_no_point():
    app = open_page(PAGE)
    assert_healthy(app)
    assert "no critical point" in app.warning[0].value
    assert "-2" in app.warning[0].value
    assert marker_traces(app) == {}
    assert not app.dataframe


@pytest.mark.parametrize("name", list(functions2d.FUNCTIONS))
def test_every_preset_answers_without_errors(name):
    app = open_page(PAGE, fn=name)
    assert_healthy(app)
    assert len(app.get("plotly_chart")) == 2
    assert "Answered in" in app.caption[0].value


def test_himmelblau_shows_nine_points_of_three_kinds_in_the_table_and_on_the_map():
    app = open_page(PAGE, fn="Himmelblau", limit="0.5")
    assert_healthy(app)
    table = app.dataframe[0].value
    assert len(table) == 9
    assert sorted(table["kind"].value_counts().items()) == [("maximum", 1), ("minimum", 4), ("saddle", 4)]
    assert set(marker_traces(app)) == {"minimum", "maximum", "saddle"}


def test_choosing_a_point_explains_its_second_derivative_test():
    app = open_page(PAGE, fn="Saddle x²−y²")
    assert "saddle point" in app.markdown[-1].value


def test_the_monkey_saddle_is_degenerate_and_the_test_says_inconclusive():
    app = open_page(PAGE, fn="Monkey saddle x³−3xy²")
    assert list(app.dataframe[0].value["kind"]) == ["degenerate"]
    assert "inconclusive" in app.markdown[-1].value


def test_a_bad_first_formula_shows_the_parsers_message_and_stops():
    app = open_page(PAGE, fn="Custom formula", formula="x^2 + y^^2")  # nothing earlier to keep
    assert not app.exception
    assert "can't be used" in app.error[0].value
    assert not app.get("plotly_chart")


def test_a_custom_formula_is_solved():
    app = open_page(PAGE, fn="Custom formula")
    app.text_input(key="formula").input("-x^2 - 3y^2 + 2x").run()
    assert_healthy(app)
    assert list(app.dataframe[0].value["kind"]) == ["maximum"]


def test_quiz_mode_hides_the_classification_until_revealed():
    app = open_page(PAGE, fn="Himmelblau", limit="0.5", quiz="1")
    assert_healthy(app)
    assert not app.dataframe and marker_traces(app) == {}
    app.button(key="reveal-button-the critical points").click().run()
    assert len(app.dataframe[0].value) == 9
