"""ui/lesson_controls.py against the pages as they draw: every control a lesson step may set is a widget or a
live-chart control of its page, under the same name, with the same bounds or the same options written the
same way. The registry's bounds are copied from the pages; this is what catches a page that changed one.

Some controls only appear in some states (the formula box under "Custom", the batch size for SGD), so each
page is opened in as many states as it takes to draw all of its registered controls.
"""

from __future__ import annotations

import math

import pytest

from core.lesson import Choice, Number, Range, Switch, Text
from tests.apptest.conftest import assert_healthy, component_data
from tests.apptest.test_lesson_page import PAGE_PATHS, open_with_query
from ui.descent_controls import UPLOAD
from ui.inputs import CUSTOM
from ui.lesson_controls import CONTROLS

# the states that draw each page's conditional controls, as URL queries (the default state comes first)
STATES: dict[str, list[list[tuple[str, str]]]] = {
    "Derivative": [[], [("fn", CUSTOM)], [("fn", "Constant")], [("fn", "Power")]],
    "Gradient_Field": [[], [("fn", CUSTOM)]],
    "Directional_Derivative": [[], [("fn", CUSTOM), ("u", "Angle")]],
    "Critical_Points": [[], [("fn", CUSTOM)]],
    # the iteration scrubber ("show") reaches the iteration count: its registered top needs the largest
    "Linear_Regression_GD": [[], [("batch", "10")], [("iters", "5000")]],
    "Logistic_Regression_GD": [[], [("batch", "10")], [("iters", "5000")]],
    "Optimizer_Race": [[], [("fn", CUSTOM)]],
    "Neural_Network_Landscape": [[]],
    "Chain_Rule": [[], [("fn", CUSTOM)]],  # the default preset has x only; the custom formula x and y
}
LEFT_OUT = {UPLOAD}  # a file cannot travel in a link (ui/lesson_controls.py says so)
WIDGET_KINDS = ("slider", "select_slider", "selectbox", "radio", "multiselect", "number_input", "toggle",
                "checkbox", "text_input", "button_group")  # fmt: skip


def drawn_controls(page: str) -> dict[str, object]:
    """Every keyed widget and live-chart control the page draws in its STATES: name -> widget or control."""
    drawn: dict[str, object] = {}
    for query in STATES[page]:
        app = open_with_query(PAGE_PATHS[page], query)
        assert_healthy(app)
        for kind in WIDGET_KINDS:
            drawn.update({widget.key: widget for widget in app.get(kind) if widget.key})
        for element in app.get("bidi_component"):
            data = component_data(element)
            drawn.update({control["name"]: control for control in data.get("controls", [])})
    return drawn


def bounds(drawn) -> tuple[float, float]:
    if isinstance(drawn, dict):  # a live control
        return drawn["min"], drawn["max"]
    return drawn.min, drawn.max


def options(drawn) -> list:
    return drawn["options"] if isinstance(drawn, dict) else list(drawn.options)


def test_every_page_with_controls_has_its_states_listed():
    assert set(STATES) == set(CONTROLS)


@pytest.mark.parametrize("page", sorted(CONTROLS))
def test_every_registered_control_is_drawn_by_its_page_with_the_same_bounds_or_options(page):
    drawn = drawn_controls(page)
    missing = sorted(set(CONTROLS[page]) - set(drawn))
    assert not missing, f"{page} draws no control named {missing}"
    for name, control in CONTROLS[page].items():
        widget = drawn[name]
        kind = "live" if isinstance(widget, dict) else type(widget).__name__
        where = f"{page}.{name} ({kind})"
        if isinstance(control, Number):
            low, high = bounds(widget)
            assert (low, high) == (control.low, control.high), where
            if control.integer:
                step = widget["step"] if isinstance(widget, dict) else widget.step
                assert float(step).is_integer() and float(low).is_integer(), where
        elif isinstance(control, Range):
            assert kind == "Slider" and isinstance(widget.value, tuple), where
            assert (widget.min, widget.max) == (control.low, control.high), where
        elif isinstance(control, Choice):
            if isinstance(widget, dict):  # the live chart moves through the numbers themselves
                pairs = zip(options(widget), control.options, strict=True)
                assert all(math.isclose(sent, listed) for sent, listed in pairs), where
            else:  # a widget's options as it shows them, which is what its URL parameter holds
                offered = [option for option in options(widget) if option not in LEFT_OUT]
                assert offered == [control.url(option) for option in control.options], where
            assert (kind == "Multiselect") == control.multiple, where
        elif isinstance(control, Switch):
            assert kind in ("Toggle", "Checkbox"), where
        elif isinstance(control, Text):
            assert kind == "TextInput" and widget.max_chars == control.max_chars, where
        else:
            raise AssertionError(f"{where}: no check for {type(control).__name__}")
