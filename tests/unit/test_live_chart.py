"""ui.live_chart's checks on values from the browser and the URL, both untrusted."""

import math

import pytest

from ui.live_chart import LiveControl

X0 = LiveControl("x0", "Point x₀", 1.0, -10.0, 10.0, 0.05)
STEPS = LiveControl("h", "Step h", 0.1, options=(1e-3, 1e-2, 0.1, 1.0))


@pytest.mark.parametrize("raw", ["inf", "-inf", "nan", "1e309", "9" * 5000, "abc", None, "", [1], {"a": 1}])
def test_a_value_that_is_not_a_finite_number_keeps_the_current_one(raw):
    assert X0.clean(raw) == 1.0
    assert STEPS.clean(raw) == 0.1


@pytest.mark.parametrize(("raw", "expected"), [("2", 2.0), ("1e300", 10.0), ("-11", -10.0), ("0.333", 0.35)])
def test_a_number_is_clamped_to_the_range_and_snapped_to_the_step(raw, expected):
    assert math.isclose(X0.clean(raw), expected)


def test_a_listed_value_is_the_nearest_option():
    assert STEPS.clean("0.02") == 1e-2
    assert STEPS.clean(5) == 1.0


def test_the_browser_gets_the_control_with_its_play_button():
    played = LiveControl("i", "Iteration", 0, 0, 100, 1, format="int", play_label="Play", play_ms=50)
    data = played.as_data()
    assert data["play"] == {"label": "Play", "from": 0, "to": 100, "interval": 50, "stride": 1}
    assert "options" not in data and data["max"] == 100
    assert STEPS.as_data()["options"] == [1e-3, 1e-2, 0.1, 1.0] and "play" not in STEPS.as_data()
