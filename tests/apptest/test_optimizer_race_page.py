"""The Optimizer race page through AppTest."""

import pytest

from core import functions2d, race
from tests.apptest.conftest import assert_healthy, chart_specs, live_data, move_live, open_page

PAGE = "pages/7_Optimizer_Race.py"
RACE_PRESETS = ["Rosenbrock", "Beale", "Himmelblau", "Saddle x²−y²", "Ill-conditioned bowl x²+25y²",
                "Six-hump camel"]  # fmt: skip


def live_race(app) -> dict:
    return live_data(app, "race-live")


def test_the_default_race_on_rosenbrock_shows_all_six_optimizers_and_a_play_button():
    app = open_page(PAGE)
    assert_healthy(app)
    data = live_race(app)
    (contour,) = (figure["figure"] for figure in data["figures"])
    marker_names = {t["name"] for t in contour["data"] if t.get("mode") == "markers"}
    assert set(race.NAMES) <= marker_names
    frame = next(c for c in data["controls"] if c["name"] == "frame")
    assert frame["play"]["label"] == "Play" and frame["value"] == race.MAX_FRAMES - 1  # the finished race
    assert set(data["params"]["positions"]) == set(race.NAMES)
    (loss,) = chart_specs(app)
    assert loss["layout"]["yaxis"]["type"] == "log"
    assert list(app.dataframe[0].value["optimizer"]) == list(race.NAMES)


@pytest.mark.parametrize("name", RACE_PRESETS)
def test_every_race_preset_runs_without_errors(name):
    assert name in functions2d.FUNCTIONS
    app = open_page(PAGE, fn=name)
    assert not app.exception
    assert not app.error
    assert len(app.get("plotly_chart")) == 1 and live_race(app)["figures"]


def test_tune_sets_each_learning_rate_to_a_tuned_choice():
    app = open_page(PAGE, steps="100")
    app.button[0].click().run()
    assert_healthy(app)
    rates = dict(
        zip(app.dataframe[0].value["optimizer"], app.dataframe[0].value["learning rate"], strict=True)
    )
    assert all(rate in race.RATE_CHOICES for rate in rates.values())
    assert rates["GD"] == app.select_slider(key="lr_GD").value


def test_a_diverging_rate_is_explained_not_a_traceback():
    app = open_page(PAGE, lr_GD="0.1")
    assert not app.exception
    assert any("GD diverged" in warning.value for warning in app.warning)


def test_a_custom_formula_races():
    app = open_page(PAGE, fn="Custom formula")
    app.text_input(key="formula").input("(x - 1)^2 + 3(y + 0.5)^2").run()
    assert_healthy(app)
    assert len(app.get("plotly_chart")) == 1 and live_race(app)["figures"]


def test_choosing_fewer_optimizers_races_only_those():
    app = open_page(PAGE)
    app.multiselect(key="racers").set_value(["GD", "Adam"]).run()
    assert_healthy(app)
    assert list(app.dataframe[0].value["optimizer"]) == ["GD", "Adam"]


def test_quiz_mode_hides_the_winner_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert not app.dataframe and not app.metric
    app.button(key="reveal-button-the winner").click().run()
    assert app.metric[0].value == "Newton"


def test_the_paths_can_be_downloaded_as_csv():
    app = open_page(PAGE, steps="20")
    (button,) = app.get("download_button")
    assert "CSV" in button.proto.label


def test_a_click_on_the_map_races_from_there_and_another_function_starts_from_its_own_start():
    app = open_page(PAGE)
    move_live(app, "race-live", sx=0.5, sy=-0.5)
    assert_healthy(app)
    assert app.query_params["sx"] == "0.5" and app.query_params["sy"] == "-0.5"
    assert live_race(app)["params"]["start"] == [0.5, -0.5]
    table = app.dataframe[0].value
    assert (table["optimizer"] == "GD").any()
    app.selectbox(key="fn").set_value("Himmelblau").run()
    assert_healthy(app)
    himmelblau = functions2d.get("Himmelblau").starting_point()
    assert live_race(app)["params"]["start"] == [float(v) for v in himmelblau]
