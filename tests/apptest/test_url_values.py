"""Hostile links: every URL-bound number control gets values Streamlit's own URL binding chokes on (they
raised OverflowError or a reversed-range error before), and each page must drop the value with a notice
naming it, keep the control's default and show no exception box."""

import pytest

from tests.apptest.conftest import assert_healthy, component_data, open_page

HUGE = "9" * 5000
# one URL-bound sidebar number control per page that has any: (page, key, its default, a value it accepts);
# the live charts' controls are checked below
NUMBER_CONTROLS = [
    ("pages/2_Gradient_Field.py", "arrows", 15, "9"),
    ("pages/4_Critical_Points.py", "limit", 2.0, "3.5"),
    ("pages/5_Linear_Regression_GD.py", "seed", 42, "7"),
    ("pages/6_Logistic_Regression_GD.py", "seed", 42, "7"),
    ("pages/7_Optimizer_Race.py", "steps", 200, "300"),
    ("pages/8_Neural_Network_Landscape.py", "seed", 0, "3"),
    ("pages/9_Chain_Rule.py", "x0", None, "0.5"),  # None: the preset's own start, whatever it is
]
CONTROL_IDS = [f"{key}@{page[6:8]}" for page, key, _, _ in NUMBER_CONTROLS]
HOSTILE = {"inf": "inf", "1e309": "1e309", "5000 digits": HUGE, "junk": "abc", "out of range": "1e12"}


def toasts(app):
    return [toast.value for toast in app.toast]


@pytest.mark.parametrize("hostile", list(HOSTILE), ids=list(HOSTILE))
@pytest.mark.parametrize(("page", "key", "default", "good"), NUMBER_CONTROLS, ids=CONTROL_IDS)
def test_a_bad_number_in_the_link_is_ignored_with_a_notice(page, key, default, good, hostile):
    app = open_page(page, **{key: HOSTILE[hostile]})
    assert_healthy(app)
    assert any(f"`{key}=" in text and "Ignored" in text for text in toasts(app)), toasts(app)
    assert key not in app.query_params
    if default is not None:
        assert app.session_state[key] == default


@pytest.mark.parametrize(("page", "key", "default", "good"), NUMBER_CONTROLS, ids=CONTROL_IDS)
def test_a_good_number_in_the_link_is_kept_without_a_notice(page, key, default, good):
    app = open_page(page, **{key: good})
    assert_healthy(app)
    assert not toasts(app)
    assert app.session_state[key] == float(good)


@pytest.mark.parametrize(
    "values",
    [["inf", "1"], ["1e309", "2"], [HUGE, "1"], ["abc", "1"], ["3", "3"], ["1"], ["1", "2", "3"]],
    ids=["inf", "1e309", "5000 digits", "junk", "empty", "one value", "three values"],
)
def test_a_bad_range_in_the_link_is_ignored_with_a_notice(values):
    app = open_page("pages/1_Derivative.py", xr=values)
    assert_healthy(app)
    assert any("`xr=" in text and "Ignored" in text for text in toasts(app)), toasts(app)
    assert app.session_state["xr"] == (-2.0, 3.0)


def test_a_reversed_range_in_the_link_is_put_in_order():
    app = open_page("pages/1_Derivative.py", xr=["3", "-3"])
    assert_healthy(app)
    assert app.session_state["xr"] == (-3.0, 3.0)
    assert any("in order" in text for text in toasts(app)), toasts(app)
    assert app.query_params["xr"] == ["-3", "3"]


@pytest.mark.parametrize(
    ("page", "query", "key", "expected"),
    [
        (
            "pages/6_Logistic_Regression_GD.py",
            {"lr": "0.001"},
            "lr",
            0.001,
        ),  # a select slider's formatted option (the linear page's learning rate is live)
        ("pages/5_Linear_Regression_GD.py", {"std": "true"}, "std", True),
        ("pages/6_Logistic_Regression_GD.py", {"features": "2"}, "features", 2),
        ("pages/8_Neural_Network_Landscape.py", {"act": "tanh"}, "act", "tanh"),
        ("pages/2_Gradient_Field.py", {"zoom": "2"}, "zoom", 2.0),
    ],
)
def test_links_to_other_controls_still_open_their_view(page, query, key, expected):
    app = open_page(page, **query)
    assert_healthy(app)
    assert not toasts(app)
    assert app.session_state[key] == expected


@pytest.mark.parametrize(
    ("page", "query", "key"),
    [
        ("pages/6_Logistic_Regression_GD.py", {"lr": "inf"}, "lr"),
        ("pages/5_Linear_Regression_GD.py", {"std": "maybe"}, "std"),
        ("pages/8_Neural_Network_Landscape.py", {"act": "x" * 5000}, "act"),
        ("pages/4_Critical_Points.py", {"fn": "Custom formula", "formula": "x" * 5000}, "formula"),
    ],
)
def test_bad_choices_and_texts_in_the_link_are_ignored_with_a_notice(page, query, key):
    app = open_page(page, **query)
    assert_healthy(app)
    assert any(f"`{key}=" in text for text in toasts(app)), toasts(app)
    assert key not in app.query_params


# (page, control of its live chart, its default, a value it accepts)
LIVE_CONTROLS = [
    ("pages/1_Derivative.py", "x0", 1.0, "-2.5"),
    ("pages/3_Directional_Derivative.py", "x0", 1.0, "-2.5"),
    ("pages/5_Linear_Regression_GD.py", "w0", 0.0, "5"),
    ("pages/5_Linear_Regression_GD.py", "lr", 0.01, "0.001"),
    ("pages/7_Optimizer_Race.py", "frame", 59, "10"),
]


def live_value(app, control: str):
    for element in app.get("bidi_component"):
        for c in component_data(element).get("controls", []):
            if c["name"] == control:
                return c["value"]
    raise AssertionError(f"no live control {control!r}")


@pytest.mark.parametrize("hostile", list(HOSTILE), ids=list(HOSTILE))
@pytest.mark.parametrize(
    ("page", "key", "default", "good"),
    LIVE_CONTROLS,
    ids=[f"{key}@{page[6:8]}" for page, key, _, _ in LIVE_CONTROLS],
)
def test_a_bad_number_for_a_live_control_is_ignored_with_a_notice(page, key, default, good, hostile):
    app = open_page(page, **{key: HOSTILE[hostile]})
    assert_healthy(app)
    assert any(f"`{key}=" in text and "Ignored" in text for text in toasts(app)), toasts(app)
    assert live_value(app, key) == default
    app = open_page(page, **{key: good})
    assert not toasts(app) and live_value(app, key) == float(good)
