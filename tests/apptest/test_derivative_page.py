"""The Derivative page, driven through its controls with Streamlit's AppTest."""

import json

import numpy as np
import pytest

from core import univariate
from tests.apptest.conftest import (
    assert_healthy,
    live_data,
    live_figures,
    live_readout,
    move_live,
    open_page,
    trace,
    values,
)
from ui.taylor_panel import EXPANDER_KEY

LIVE = "derivative-live"


def metric(app, label: str) -> str:
    return live_readout(app, LIVE, label)


def chart_specs(app) -> list[dict]:
    return live_figures(app, LIVE)


def test_defaults_reproduce_the_seed_cubic(derivative_page):
    app = derivative_page
    assert_healthy(app)
    latex = [block.value for block in app.latex]
    assert any("3 x^{2} - 4 x + 3" in block for block in latex)
    assert metric(app, "f′(x₀)") == "2"  # 3 - 4 + 3 at x0 = 1
    assert metric(app, "Secant slope") == "2.11"  # ((1.1)^3 - 2(1.1)^2 + 3.3 - 1 - 1) / 0.1
    curve, errors = chart_specs(app)
    x = values(trace(curve, "f(x)")["x"])
    assert x.size == 1000 and x[0] == -2 and x[-1] == 3  # the seed's np.linspace(-2, 3, 1000)
    symbolic = values(trace(curve, "f′(x) symbolic")["y"])
    numeric = values(trace(curve, "f′(x) numerical")["y"])
    np.testing.assert_allclose(symbolic, 3 * x**2 - 4 * x + 3, rtol=1e-12)
    np.testing.assert_allclose(numeric, symbolic, rtol=1e-8, atol=1e-8)
    assert errors["layout"]["xaxis"]["type"] == "log" and errors["layout"]["yaxis"]["type"] == "log"


def test_moving_x0_moves_the_tangent(derivative_page):
    app = derivative_page
    before = values(trace(chart_specs(app)[0], "tangent at x₀")["y"]).copy()
    move_live(app, LIVE, x0=2.0)
    assert_healthy(app)
    assert app.query_params["x0"] == "2"  # the settled value lands in the URL
    after = values(trace(chart_specs(app)[0], "tangent at x₀")["y"])
    assert not np.allclose(before, after)
    assert metric(app, "f′(x₀)") == "7"  # 12 - 8 + 3


def test_a_smaller_step_shrinks_the_gap(derivative_page):
    app = derivative_page
    big = abs(float(metric(app, "Gap")))
    move_live(app, LIVE, h=1e-4)
    assert abs(float(metric(app, "Gap"))) < big / 100


@pytest.mark.parametrize("preset", list(univariate.PRESETS))
def test_every_preset_renders_with_agreeing_derivatives(preset):
    app = open_page("pages/1_Derivative.py")
    app.selectbox(key="fn").set_value(preset).run()
    assert_healthy(app)
    curve = chart_specs(app)[0]
    symbolic = values(trace(curve, "f′(x) symbolic")["y"])
    numeric = values(trace(curve, "f′(x) numerical")["y"])
    x = values(trace(curve, "f(x)")["x"])
    away_from_kinks = np.abs(x) > 0.05  # ReLU's step at 0 is where they may differ
    both = away_from_kinks & np.isfinite(symbolic) & np.isfinite(numeric)
    assert both.sum() > 500
    np.testing.assert_allclose(numeric[both], symbolic[both], rtol=1e-6, atol=1e-6)


def test_relu_at_zero_says_it_is_not_differentiable():
    app = open_page("pages/1_Derivative.py", fn="ReLU", x0="0")
    assert not app.exception
    data = live_data(app, LIVE)
    assert "Not differentiable" in data["message"]
    assert not data["readouts"]


def test_ln_has_a_gap_with_a_note_not_an_error():
    app = open_page("pages/1_Derivative.py", fn="Natural log")
    assert_healthy(app)
    assert any("undefined on" in info.value for info in app.info)


def test_power_preset_uses_its_exponent():
    app = open_page("pages/1_Derivative.py", fn="Power")
    app.slider(key="n").set_value(5).run()
    assert_healthy(app)
    assert any("5 x^{4}" in block.value for block in app.latex)


@pytest.mark.parametrize("formula", ["sinx", "__import__('os')", "x^^2", "1/0", "9^9^9^9"])
def test_a_bad_formula_shows_the_parsers_message_and_stops_cleanly(formula):
    # the session's first formula: there is no earlier chart to keep (tests/apptest/test_formula_refusal.py)
    app = open_page("pages/1_Derivative.py", fn="Custom formula", formula=formula)
    assert not app.exception
    assert "can't be used" in app.error[0].value
    assert not app.get("bidi_component")
    app = open_page("pages/1_Derivative.py", fn="Custom formula")  # a chart drawn first is kept, greyed
    app.text_input(key="formula").input(formula).run()
    assert not app.exception
    assert "can't be used" in app.error[0].value
    assert app.get("bidi_component")


def test_a_custom_formula_is_differentiated():
    app = open_page("pages/1_Derivative.py", fn="Custom formula")
    app.text_input(key="formula").input("x^2 sin(x)").run()
    assert_healthy(app)
    assert any(r"x^{2} \cos{\left(x \right)}" in block.value for block in app.latex)


def test_quiz_mode_hides_the_derivative_until_revealed_and_hides_it_again_for_a_new_function():
    app = open_page("pages/1_Derivative.py", quiz="1")
    assert_healthy(app)
    assert not any("3 x^{2} - 4 x + 3" in block.value for block in app.latex)
    assert metric(app, "f′(x₀)") == "?"
    assert "f′(x) symbolic" not in {t["name"] for t in chart_specs(app)[0]["data"]}
    app.button(key="reveal-button-f′(x)").click().run()
    assert any("3 x^{2} - 4 x + 3" in block.value for block in app.latex)
    assert metric(app, "f′(x₀)") == "2"
    app.selectbox(key="fn").set_value("Sine").run()
    assert not any(r"\cos" in block.value for block in app.latex)


def test_a_link_opens_the_view_it_names_and_bad_values_fall_back():
    app = open_page("pages/1_Derivative.py", x0="2", h="0.001")
    assert metric(app, "f′(x₀)") == "7"
    controls = {c["name"]: c["value"] for c in live_data(app, LIVE)["controls"]}
    assert controls == {"x0": 2.0, "h": 0.001}
    for bad in ("inf", "1e309", "nan", "9" * 5000, "abc"):
        app = open_page("pages/1_Derivative.py", x0=bad)
        assert_healthy(app)
        assert {c["name"]: c["value"] for c in live_data(app, LIVE)["controls"]}["x0"] == 1.0


def test_a_value_from_the_browser_is_checked_like_one_from_the_url():
    app = open_page("pages/1_Derivative.py")
    move_live(app, LIVE, x0=1e308, h=0.0123)
    assert_healthy(app)
    controls = {c["name"]: c["value"] for c in live_data(app, LIVE)["controls"]}
    assert controls["x0"] == 10.0  # clamped to the slider's range
    assert controls["h"] == 0.01  # the nearest step offered


def test_the_browser_gets_f_and_its_derivative_as_code_it_can_run():
    data = live_data(open_page("pages/1_Derivative.py"), LIVE)
    assert data["live"] and data["recipe"] == "derivative"
    assert set(data["formulas"]) == {"f", "df"}
    assert {"secant", "points", "tangent", "forward_error", "h_marker"} <= set(data["traces"])


def test_the_taylor_models_are_worked_out_when_opened_and_start_with_the_tangent_and_hide_in_quiz_mode():
    app = open_page("pages/1_Derivative.py", x0="1.5")
    assert not [c for c in app.get("plotly_chart") if "Taylor" in c.proto.spec]  # closed: nothing computed
    app.session_state[EXPANDER_KEY] = True  # what opening the expander sends
    app.run()
    assert_healthy(app)
    assert any("x₀ = 1.5" in caption.value for caption in app.caption)
    models = next(
        spec
        for spec in (json.loads(c.proto.spec) for c in app.get("plotly_chart"))
        if spec["layout"]["title"]["text"].startswith("f and its Taylor")
    )
    x = values(trace(models, "T1")["x"])
    f15, slope = 1.5**3 - 2 * 1.5**2 + 3 * 1.5 - 1, 3 * 1.5**2 - 4 * 1.5 + 3
    np.testing.assert_allclose(
        values(trace(models, "T1")["y"]), f15 + slope * (x - 1.5), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        values(trace(models, "T3")["y"]), x**3 - 2 * x**2 + 3 * x - 1, rtol=1e-9, atol=1e-9
    )
    assert not open_page("pages/1_Derivative.py", quiz="1").get("plotly_chart")
