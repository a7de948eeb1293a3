"""The Directional derivative page, driven through its controls with Streamlit's AppTest."""

import numpy as np
import pytest

from core import functions2d
from tests.apptest.conftest import assert_healthy, chart_specs, open_page, trace, values

PAGE = "pages/3_Directional_Derivative.py"


def metric(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def latex(app) -> str:
    return "\n".join(block.value for block in app.latex)


def test_defaults_reproduce_the_seeds_example():
    # f = x² + 2y², p = (1, 1), u = (1, 1)/√2  ->  ∇f = (2, 4), D_u f = 4.2426…
    app = open_page(PAGE)
    assert_healthy(app)
    text = latex(app)
    assert r"\nabla f(p) = \nabla f(1, 1) = (2, 4)" in text
    assert r"u = (1, 1) \,/\, \lVert (1, 1) \rVert = (0.707107, 0.707107)" in text
    assert r"2 \cdot 0.707107 + 4 \cdot 0.707107 = 4.24264" in text
    assert metric(app, "D_u f(p)") == "4.24264"
    assert any("normalised to length 1" in caption.value for caption in app.caption)
    direction, slice_, sweep = chart_specs(app)
    assert direction["layout"]["yaxis"]["scaleanchor"] == "x"
    tangent = trace(slice_, "tangent at t = 0, slope D_u f = 4.243")
    t, y = values(tangent["x"]), values(tangent["y"])
    assert (y[-1] - y[0]) / (t[-1] - t[0]) == pytest.approx(6 / np.sqrt(2))
    peak = trace(sweep, "maximum |∇f|, at ∇f's angle")
    assert values(peak["y"])[0] == pytest.approx(np.sqrt(20))
    assert values(peak["x"])[0] == pytest.approx(np.arctan2(4, 2))


def test_the_angle_form_gives_the_seeds_value_at_45_degrees():
    app = open_page(PAGE, u="Angle")
    assert_healthy(app)
    assert app.slider(key="theta").value == 45
    assert metric(app, "D_u f(p)") == "4.24264"
    assert r"\cos 45^\circ" in latex(app)


def test_turning_u_to_the_gradient_gives_the_largest_value():
    app = open_page(PAGE, u="Vector")
    app.slider(key="u1").set_value(1.0).run()
    app.slider(key="u2").set_value(2.0).run()  # (1, 2) is along ∇f = (2, 4)
    assert_healthy(app)
    assert metric(app, "D_u f(p)") == metric(app, "|∇f(p)|") == "4.47214"


def test_a_zero_direction_is_an_error_message_not_a_crash():
    app = open_page(PAGE)
    app.slider(key="u1").set_value(0.0).run()
    app.slider(key="u2").set_value(0.0).run()
    assert not app.exception
    assert "non-zero" in app.error[0].value
    assert not app.get("plotly_chart")


def test_moving_the_point_moves_the_gradient_arrow():
    app = open_page(PAGE)
    before = values(trace(chart_specs(app)[0], "∇f(p)")["x"]).copy()
    app.slider(key="y0").set_value(-0.5).run()
    assert_healthy(app)
    after = values(trace(chart_specs(app)[0], "∇f(p)")["x"])
    assert not np.allclose(before, after, equal_nan=True)
    assert metric(app, "∇f(p)") == "(2, -2)"


@pytest.mark.parametrize("preset", list(functions2d.FUNCTIONS))
def test_every_preset_renders_with_the_sweep_peaking_at_the_gradients_length(preset):
    app = open_page(PAGE, fn=preset)
    assert_healthy(app)
    specs = chart_specs(app)
    assert len(specs) == 3
    sweep = values(trace(specs[2], "D_u f(p) for u = (cos θ, sin θ)")["y"])
    assert sweep.max() == pytest.approx(float(metric(app, "|∇f(p)|")), rel=1e-5)


@pytest.mark.parametrize("formula", ["sinx", "x^^2", "1/0"])
def test_a_bad_formula_shows_the_parsers_message_and_stops_cleanly(formula):
    app = open_page(PAGE, fn="Custom formula")
    app.text_input(key="formula").input(formula).run()
    assert not app.exception
    assert "can't be used" in app.error[0].value
    assert not app.get("plotly_chart")


def test_a_point_outside_the_domain_says_the_gradient_is_undefined():
    app = open_page(PAGE, fn="Custom formula", formula="ln(x y)", x0="-1")
    assert not app.exception
    assert "undefined at (-1, 1)" in app.error[0].value
    assert not app.get("plotly_chart")


def test_a_domain_gap_elsewhere_is_a_gap_not_an_error():
    app = open_page(PAGE, fn="Custom formula", formula="sqrt(x - y)", x0="2", u2="-1")
    assert_healthy(app)
    assert any("undefined on" in info.value for info in app.info)
    g = values(trace(chart_specs(app)[1], "g(t) = f(p + t·u)")["y"])
    assert np.isnan(g).any() and np.isfinite(g).any()


def test_at_a_minimum_every_direction_is_flat():
    app = open_page(PAGE, x0="0", y0="0")
    assert_healthy(app)
    assert metric(app, "D_u f(p)") == "0"
    assert "∇f = 0 here" in app.info[0].value


def test_quiz_mode_shows_the_arrows_but_hides_the_slope_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metric(app, "D_u f(p)") == "?"
    assert len(chart_specs(app)) == 1  # the arrows to reason from; the slice and sweep would tell
    app.button(key="reveal-button-D_u f(p)").click().run()
    assert metric(app, "D_u f(p)") == "4.24264"
    assert len(chart_specs(app)) == 3
    app.slider(key="u2").set_value(-1.0).run()
    assert metric(app, "D_u f(p)") == "?"  # another direction is another question
