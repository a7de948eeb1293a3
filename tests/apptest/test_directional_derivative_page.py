"""The Directional derivative page, driven through its controls with Streamlit's AppTest."""

import math

import numpy as np
import pytest

from core import functions2d
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

PAGE = "pages/3_Directional_Derivative.py"
LIVE = "directional-live"


def metric(app, label: str) -> str:
    return live_readout(app, LIVE, label)


def charts(app) -> list[dict]:
    return live_figures(app, LIVE)


def message(app) -> str:
    return live_data(app, LIVE)["message"]


def controls(app) -> dict[str, float]:
    return {c["name"]: c["value"] for c in live_data(app, LIVE)["controls"]}


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
    direction, slice_, sweep = charts(app)
    assert direction["layout"]["yaxis"]["scaleanchor"] == "x"
    tangent = trace(slice_, "tangent at t = 0, slope D_u f(p)")
    t, y = values(tangent["x"]), values(tangent["y"])
    assert (y[-1] - y[0]) / (t[-1] - t[0]) == pytest.approx(6 / np.sqrt(2))
    peak = trace(sweep, "maximum |∇f|, at ∇f's angle")
    assert values(peak["y"])[0] == pytest.approx(np.sqrt(20))
    assert values(peak["x"])[0] == pytest.approx(np.arctan2(4, 2))


def test_the_browser_gets_the_gradient_as_code_and_every_trace_it_moves():
    data = live_data(open_page(PAGE), LIVE)
    assert data["live"] and data["recipe"] == "directional"
    assert set(data["formulas"]) == {"f", "fx", "fy"}
    assert set(data["traces"]) == {
        "line", "gradient_arrow", "u_arrow", "point", "slice", "tangent", "slice_point",
        "sweep", "steepest", "lowest", "zeros", "your_u",
    }  # fmt: skip
    assert data["drag"]["handler"] == "directional"
    assert controls(open_page(PAGE)) == {"x0": 1.0, "y0": 1.0, "u1": 1.0, "u2": 1.0}


def test_the_angle_form_gives_the_seeds_value_at_45_degrees():
    app = open_page(PAGE, u="Angle")
    assert_healthy(app)
    assert controls(app) == {"x0": 1.0, "y0": 1.0, "theta": 45}
    assert metric(app, "D_u f(p)") == "4.24264"
    assert r"\cos 45^\circ" in latex(app)


def test_turning_u_to_the_gradient_gives_the_largest_value():
    app = open_page(PAGE)
    move_live(app, LIVE, u1=1.0, u2=2.0)  # (1, 2) is along ∇f = (2, 4)
    assert_healthy(app)
    assert metric(app, "D_u f(p)") == metric(app, "|∇f(p)|") == "4.47214"
    assert (app.query_params["u1"], app.query_params["u2"]) == ("1", "2")


def test_letting_go_of_theta_redraws_the_slice_and_the_sweep_marker():
    app = open_page(PAGE, u="Angle")
    move_live(app, LIVE, theta=120)
    assert_healthy(app)
    expected = 2 * math.cos(math.radians(120)) + 4 * math.sin(math.radians(120))
    assert float(metric(app, "D_u f(p)")) == pytest.approx(expected, rel=1e-5)
    marker = trace(charts(app)[2], "your u")
    assert values(marker["x"])[0] == pytest.approx(math.radians(120))
    assert app.query_params["theta"] == "120"


def test_a_zero_direction_is_explained_and_the_chart_stays_for_the_next_move():
    app = open_page(PAGE)
    move_live(app, LIVE, u1=0.0, u2=0.0)
    assert_healthy(app)
    assert "u = (0, 0) has no direction" in message(app)
    assert metric(app, "D_u f(p)") == "undefined"
    assert np.isnan(values(trace(charts(app)[1], "g(t) = f(p + t·u)")["y"])).all()
    move_live(app, LIVE, u1=1.0)
    assert message(app) == "" and metric(app, "D_u f(p)") == "2"  # (2, 4)·(1, 0)


def test_moving_the_point_moves_the_gradient_arrow():
    app = open_page(PAGE)
    before = values(trace(charts(app)[0], "∇f(p)")["x"]).copy()
    move_live(app, LIVE, y0=-0.5)
    assert_healthy(app)
    after = values(trace(charts(app)[0], "∇f(p)")["x"])
    assert not np.allclose(before, after, equal_nan=True)
    assert metric(app, "∇f(p)") == "(2, −2)"


@pytest.mark.parametrize("preset", list(functions2d.FUNCTIONS))
def test_every_preset_renders_with_the_sweep_peaking_at_the_gradients_length(preset):
    app = open_page(PAGE, fn=preset)
    assert_healthy(app)
    specs = charts(app)
    assert len(specs) == 3
    sweep = values(trace(specs[2], "D_u f(p) for u = (cos θ, sin θ)")["y"])
    assert sweep.max() == pytest.approx(float(metric(app, "|∇f(p)|").replace("−", "-")), rel=1e-5)


@pytest.mark.parametrize("formula", ["sinx", "x^^2", "1/0"])
def test_a_bad_formula_shows_the_parsers_message_and_stops_cleanly(formula):
    app = open_page(PAGE, fn="Custom formula", formula=formula)  # the session's first: nothing to keep
    assert not app.exception
    assert "can't be used" in app.error[0].value
    assert not app.get("bidi_component")


def test_a_point_outside_the_domain_says_there_is_no_derivative_and_keeps_the_chart():
    app = open_page(PAGE, fn="Custom formula", formula="ln(x y)", x0="-1")
    assert_healthy(app)
    assert "No directional derivative here. f is undefined at (-1, 1)" in message(app)
    assert metric(app, "D_u f(p)") == "undefined"
    assert len(charts(app)) == 3  # ready for a drag back into the domain
    move_live(app, LIVE, x0=1.0)
    assert message(app) == "" and metric(app, "D_u f(p)") != "undefined"


def test_a_domain_gap_elsewhere_is_a_gap_not_an_error():
    app = open_page(PAGE, fn="Custom formula", formula="sqrt(x - y)", x0="2", u2="-1")
    assert_healthy(app)
    assert any("undefined on" in info.value for info in app.info)
    g = values(trace(charts(app)[1], "g(t) = f(p + t·u)")["y"])
    assert np.isnan(g).any() and np.isfinite(g).any()


def test_at_a_minimum_every_direction_is_flat():
    app = open_page(PAGE, x0="0", y0="0")
    assert_healthy(app)
    assert metric(app, "D_u f(p)") == "0"
    assert message(app).startswith("∇f = 0 here")


def test_quiz_mode_shows_u_but_hides_the_gradient_and_the_slope_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metric(app, "D_u f(p)") == "?" and metric(app, "f(p)") == "3"
    assert len(charts(app)) == 1  # f and u to reason from; the slice and sweep would tell
    # ∇f(p)'s arrow beside u would tell D_u f(p) = |∇f(p)| cos α
    assert set(live_data(app, LIVE)["traces"]) == {"line", "u_arrow", "point"}
    assert "∇f(p)" not in [t["name"] for t in charts(app)[0]["data"]]
    app.button(key="reveal-button-D_u f(p)").click().run()
    assert metric(app, "D_u f(p)") == "4.24264"
    assert len(charts(app)) == 3
    assert "gradient_arrow" in live_data(app, LIVE)["traces"]
    move_live(app, LIVE, u2=-1.0)  # once revealed, the class explores this function freely
    assert metric(app, "D_u f(p)") == live_readout(app, LIVE, "D_u f(p)") != "?"
    app.selectbox(key="fn").select("Himmelblau").run()
    assert metric(app, "D_u f(p)") == "?"  # another function is another question
