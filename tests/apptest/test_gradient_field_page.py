"""The Gradient field page, driven through its controls with Streamlit's AppTest."""

import numpy as np
import pytest

from core import functions2d
from tests.apptest.conftest import (
    assert_healthy,
    chart_specs,
    live_data,
    live_figures,
    live_readout,
    move_live,
    open_page,
    trace,
    values,
)

PAGE = "pages/2_Gradient_Field.py"
LIVE = "gradient-field-live"
HIGHLIGHT = "direction of ∇f(x₀, y₀)"


def metric(app, label: str) -> str:
    return live_readout(app, LIVE, label)


def charts(app) -> list[dict]:
    """The contour map (live) and the 3-D surface (drawn by the server)."""
    return [*live_figures(app, LIVE), *chart_specs(app)]


def message(app) -> str:
    return live_data(app, LIVE)["message"]


def highlight_is_a_gap(spec: dict) -> bool:
    return bool(np.isnan(values(trace(spec, HIGHLIGHT)["x"])).all())


def highlight_direction(spec: dict) -> np.ndarray:
    """Start and the shaft's direction of the highlighted arrow (its first two points)."""
    arrow = trace(spec, HIGHLIGHT)
    x, y = values(arrow["x"]), values(arrow["y"])
    return np.array([x[0], y[0], x[1] - x[0], y[1] - y[0]])


def test_defaults_reproduce_the_seeds_gradient():
    app = open_page(PAGE)
    assert_healthy(app)
    latex = " ".join(block.value for block in app.latex)
    assert r"\begin{pmatrix} 2 x \\[4pt] 4 y \end{pmatrix}" in latex  # x² + 2y² -> (2x, 4y)
    assert metric(app, "∇f(x₀, y₀)") == "(2, 4)"
    assert metric(app, "|∇f(x₀, y₀)|") == "4.47214"
    contour, surface = charts(app)
    assert contour["layout"]["yaxis"]["scaleanchor"] == "x"
    x0, y0, dx, dy = highlight_direction(contour)
    assert (x0, y0) == (1, 1) and dy / dx == pytest.approx(2, rel=1e-6)  # along (2, 4)
    assert [t["type"] for t in surface["data"]] == ["surface", "surface", "scatter3d", "scatter3d"]


def test_letting_go_of_the_point_redraws_the_arrow_the_surface_and_the_url():
    app = open_page(PAGE)
    before = highlight_direction(charts(app)[0])
    move_live(app, LIVE, x0=-1.5)
    assert_healthy(app)
    after = highlight_direction(charts(app)[0])
    assert after[0] == -1.5 and not np.allclose(before, after)
    assert metric(app, "∇f(x₀, y₀)") == "(−3, 4)"  # (2x, 4y) at (−1.5, 1)
    assert app.query_params["x0"] == "-1.5"
    point = trace(charts(app)[1], "(x₀, y₀, f(x₀, y₀))")
    assert values(point["x"])[0] == -1.5 and values(point["z"])[0] == pytest.approx(1.5**2 + 2)


def test_the_browser_gets_f_and_its_gradient_as_code_and_moves_the_point_and_its_arrow():
    data = live_data(open_page(PAGE), LIVE)
    assert data["live"] and data["recipe"] == "gradient_field"
    assert set(data["formulas"]) == {"f", "fx", "fy"}
    assert set(data["traces"]) == {"point", "highlight"}
    assert [c["name"] for c in data["controls"]] == ["x0", "y0"]
    assert data["drag"] == {"plot": 0, "x": "x0", "y": "y0", "handler": None}
    assert data["params"]["window"] == [-2, 2, -2, 2]


def test_a_value_from_the_browser_or_the_url_is_checked():
    app = open_page(PAGE, y0="1e309")
    assert_healthy(app)
    move_live(app, LIVE, x0=1e308)
    controls = {c["name"]: c["value"] for c in live_data(app, LIVE)["controls"]}
    assert controls == {"x0": 10.0, "y0": 1.0}  # clamped to the scrubber's range; the URL's value dropped


@pytest.mark.parametrize("preset", list(functions2d.FUNCTIONS))
def test_every_preset_renders_both_charts(preset):
    app = open_page(PAGE, fn=preset)
    assert_healthy(app)
    assert len(charts(app)) == 2
    assert metric(app, "∇f(x₀, y₀)") != "undefined"


def test_true_length_arrows_coloured_by_the_gradients_length_come_in_bands():
    app = open_page(PAGE, fn="Rosenbrock", true_length="true", by_norm="true")
    assert_healthy(app)
    names = [t.get("name", "") for t in charts(app)[0]["data"]]
    assert sum(name.startswith("|∇f|") for name in names) == 5
    assert any("Arrow lengths are |∇f| ×" in caption.value for caption in app.caption)


def test_a_larger_window_widens_the_axes():
    app = open_page(PAGE)
    app.select_slider(key="zoom").set_value(2.0).run()
    assert_healthy(app)
    assert charts(app)[0]["layout"]["xaxis"]["range"] == [-4, 4]


@pytest.mark.parametrize("formula", ["sinx", "__import__('os')", "x^^2", "1/0", "9^9^9^9", "z + 1"])
def test_a_bad_formula_shows_the_parsers_message_and_stops_cleanly(formula):
    app = open_page(PAGE, fn="Custom formula", formula=formula)  # the session's first: nothing to keep
    assert not app.exception
    assert "can't be used" in app.error[0].value
    assert not app.get("plotly_chart") and not app.get("bidi_component")
    assert app.query_params["x0"] == "1"  # the point stays in the URL, for when the formula is fixed


@pytest.mark.parametrize("formula", ["ln(x y)", "sqrt(x - y)"])
def test_domain_gaps_are_gaps_with_a_note_not_errors(formula):
    app = open_page(PAGE, fn="Custom formula", formula=formula)
    assert_healthy(app)
    assert any("undefined on" in info.value for info in app.info)
    assert len(charts(app)) == 2


def test_a_point_where_the_gradient_is_undefined_says_so():
    app = open_page(PAGE, fn="Custom formula", formula="sqrt(x - y)")  # the point (1, 1) is on the edge
    assert_healthy(app)
    assert metric(app, "∇f(x₀, y₀)") == "undefined"
    assert "not differentiable" in message(app)
    assert highlight_is_a_gap(charts(app)[0])  # there, ready for a point that has a gradient


def test_a_window_where_f_is_undefined_everywhere_is_explained_without_charts():
    app = open_page(PAGE, fn="Custom formula", formula="ln(-x^2 - 1)")
    assert not app.exception
    assert "undefined everywhere" in app.warning[0].value
    assert not app.get("plotly_chart") and not app.get("bidi_component")


def test_a_minimum_says_the_gradient_is_zero():
    app = open_page(PAGE, x0="0", y0="0")
    assert_healthy(app)
    assert message(app).startswith("∇f = 0 here")
    assert highlight_is_a_gap(charts(app)[0])


def test_a_crafted_url_cannot_ask_for_more_arrows_than_the_cap():
    app = open_page(PAGE, arrows="100000", zoom="1000", x0="1e300")
    assert_healthy(app)
    arrows = values(trace(charts(app)[0], "∇f (direction only)")["x"])
    assert np.isnan(arrows).sum() == 15 * 15  # the default density: the URL's values were dropped
    assert live_data(app, LIVE)["controls"][0]["value"] == 1.0  # x0=1e300 out of range: ignored


def test_a_point_outside_a_smaller_window_is_pointed_out():
    app = open_page(PAGE, zoom="0.25")  # the bowl's window shrinks to −0.5 ≤ x, y ≤ 0.5; the point is (1, 1)
    assert_healthy(app)
    assert "The point (1, 1) is outside this window" in message(app)
    assert charts(app)[0]["layout"]["xaxis"]["range"] == [-0.5, 0.5]


def test_quiz_mode_hides_the_gradient_and_its_arrow_until_revealed_and_again_for_a_new_function():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metric(app, "∇f(x₀, y₀)") == "?" and metric(app, "f(x₀, y₀)") == "3"
    assert not any(r"\begin{pmatrix} 2 x" in block.value for block in app.latex)  # ∇f = (2x, 4y) hidden
    field, surface = charts(app)
    assert HIGHLIGHT not in {t.get("name") for t in field["data"]}
    assert "highlight" not in live_data(app, LIVE)["traces"]  # nothing for the browser to draw either
    assert not live_data(app, LIVE)["params"]["reveal"]
    assert "tangent plane" not in {t.get("name") for t in surface["data"]}
    app.button(key="reveal-button-∇f").click().run()
    assert metric(app, "∇f(x₀, y₀)") == "(2, 4)"
    assert any(r"\begin{pmatrix} 2 x" in block.value for block in app.latex)
    assert trace(charts(app)[0], HIGHLIGHT)
    app.selectbox(key="fn").select("Himmelblau").run()
    assert metric(app, "∇f(x₀, y₀)") == "?"  # a new function is a new question
