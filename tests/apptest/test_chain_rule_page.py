"""The Chain rule page, driven through its controls with Streamlit's AppTest."""

import math

import pytest

from core import chain_rule
from tests.apptest.conftest import assert_healthy, chart_specs, open_page

PAGE = "pages/9_Chain_Rule.py"


def metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def latex(app) -> str:
    return "\n".join(block.value for block in app.latex)


def test_the_default_is_the_seeds_cubic_with_its_slope_two_at_one():
    app = open_page(PAGE)
    assert_healthy(app)
    assert metrics(app) == {"f(1)": "1", "∂f/∂x": "2"}
    assert "f'(x) = 3 x^{2} - 4 x + 3 = 2" in latex(app)
    assert any("agree" in message.value for message in app.success)
    (graph,) = chart_specs(app)
    assert len(graph["frames"]) == 6 + 1 + 5 + 1  # 6 nodes forward, the seed, 5 operations back, the result
    assert app.slider(key="x0").value == 1.0 and not [s for s in app.slider if s.key == "y0"]


def test_picking_the_survey_preset_moves_the_point_to_its_own_and_gives_its_numbers():
    app = open_page(PAGE)
    app.selectbox(key="fn").set_value("Autodiff survey").run()
    assert_healthy(app)
    assert (app.slider(key="x0").value, app.slider(key="y0").value) == (2.0, 5.0)
    assert metrics(app) == {"f(2, 5)": "11.6521", "∂f/∂x": "5.5", "∂f/∂y": "1.71634"}
    app.slider(key="x0").set_value(1.0).run()  # the point is the user's to move after that
    assert metrics(app)["∂f/∂x"] == "6"  # 1/x + y


def test_a_deep_link_keeps_its_own_point():
    app = open_page(PAGE, fn="Bowl x²+2y² (seed)", x0="2", y0="-1")
    assert_healthy(app)
    assert metrics(app) == {"f(2, -1)": "6", "∂f/∂x": "4", "∂f/∂y": "-4"}


def test_a_custom_formula_in_x_and_y_gets_both_sliders_and_the_evaluation_trace():
    app = open_page(PAGE, fn="Custom formula", formula="x^2 y + sin(y)")
    assert_healthy(app)
    assert {s.key for s in app.slider} == {"x0", "y0"}
    assert metrics(app)["∂f/∂x"] == "2"  # 2xy at (1, 1)
    assert float(metrics(app)["∂f/∂y"]) == pytest.approx(1 + math.cos(1), abs=5e-6)  # x² + cos(y), 6 digits
    trace = app.dataframe[0].value
    assert list(trace["node"])[:2] == ["x", "y"] and len(trace) == len(chart_specs(app)[0]["data"][2]["x"])


@pytest.mark.parametrize(
    ("formula", "x0", "kind", "words"),
    [
        ("relu(x)", "0", "warning", "No gradient at this point."),
        ("abs(x - 1)", "1", "warning", "corner"),
        ("ln(x)", "-1", "error", "This point does not work."),
        ("sinx", "1", "error", "Unknown name 'sinx'"),
    ],
)
def test_trouble_is_explained_in_words_without_a_traceback(formula, x0, kind, words):
    app = open_page(PAGE, fn="Custom formula", formula=formula, x0=x0)
    assert not app.exception
    assert any(words in message.value for message in getattr(app, kind))
    assert not app.get("plotly_chart")


def test_quiz_mode_plays_the_forward_pass_only_until_revealed():
    app = open_page(PAGE, quiz="1")
    assert_healthy(app)
    assert metrics(app)["∂f/∂x"] == "?"
    assert len(chart_specs(app)[0]["frames"]) == 6
    next(b for b in app.button if b.label == "Reveal the backward pass").click().run()
    assert metrics(app)["∂f/∂x"] == "2" and len(chart_specs(app)[0]["frames"]) == 13


@pytest.mark.parametrize("name", list(chain_rule.PRESETS))
def test_every_preset_renders_and_agrees_with_sympy(name):
    app = open_page(PAGE, fn=name)
    assert_healthy(app)
    assert any("agree" in message.value for message in app.success)
