"""A refused formula: its message, a caret under the column at fault, and the last formula that worked
kept on the page, greyed, until the new one is fixed (ui.inputs.build_or_keep), on every page with a
formula box."""

import numpy as np
import pytest

from tests.apptest.conftest import every_figure, live_figures, open_page, trace, values

PAGE = "pages/1_Derivative.py"
LIVE = "derivative-live"


def curve(app) -> tuple[np.ndarray, np.ndarray]:
    f = trace(live_figures(app, LIVE)[0], "f(x)")
    return values(f["x"]), values(f["y"])


def carets(app) -> list[str]:
    """The refusal's code blocks: the formula with a caret under the column at fault (the page's "The
    code" listing is a code block too)."""
    return [block.value for block in app.code if block.value.rstrip().endswith("^")]


def greyed(app) -> bool:
    return any("formula-refusal) ~ *" in element.proto.body for element in app.get("html"))


def test_a_refused_formula_keeps_the_last_chart_greyed_under_its_message_until_fixed():
    app = open_page(PAGE, fn="Custom formula")
    app.text_input(key="formula").input("x^2 + tanh^2(x)").run()  # the seed's notation
    x, y = curve(app)
    np.testing.assert_allclose(y, x**2 + np.tanh(x) ** 2, rtol=1e-12)
    assert not app.error and not greyed(app)

    app.text_input(key="formula").input("x^2 + sin 2x").run()
    assert not app.exception
    assert "sin 2x is ambiguous" in app.error[0].value
    assert carets(app) == ["x^2 + sin 2x\n" + " " * 10 + "^"]  # under the 2
    assert greyed(app)
    x, y = curve(app)  # still the last formula that worked
    np.testing.assert_allclose(y, x**2 + np.tanh(x) ** 2, rtol=1e-12)
    assert any("tanh" in block.value for block in app.latex)

    app.text_input(key="formula").input("x^2 + sin(2x)").run()
    assert not app.error and not carets(app) and not greyed(app)
    x, y = curve(app)
    np.testing.assert_allclose(y, x**2 + np.sin(2 * x), rtol=1e-12)


def test_the_first_formula_of_a_session_refused_stops_the_page_with_nothing_to_keep():
    app = open_page(PAGE, fn="Custom formula", formula="2x^2+")
    assert not app.exception
    assert "not well formed" in app.error[0].value
    assert carets(app) == ["2x^2+\n     ^"]
    assert not app.get("bidi_component") and not greyed(app)


def test_the_derivative_of_a_typed_sigmoid_is_also_shown_in_sigma_itself():
    app = open_page(PAGE, fn="Custom formula", formula="1/(1+e^(−x))")
    latex = " ".join(block.value for block in app.latex)
    assert r"f \left(1 - f\right)" in latex and r"\sigma\left(x\right)" in latex


# every page with a formula box, with a formula it draws and a typing mistake on the way to the next
FORMULA_PAGES = [
    ("pages/2_Gradient_Field.py", "x^2 - y^2", "x^2 - y^"),
    ("pages/3_Directional_Derivative.py", "x^2 - y^2", "x^2 - y^"),
    ("pages/4_Critical_Points.py", "x^2 - y^2", "x^2 - y^"),
    ("pages/7_Optimizer_Race.py", "(x - 1)^2 + 3(y + 0.5)^2", "(x - 1)^2 + 3(y + 0.5"),
    ("pages/9_Chain_Rule.py", "x^2 y + sin(y)", "x^2 y + sin("),
]


@pytest.mark.parametrize(("page", "formula", "mistake"), FORMULA_PAGES)
def test_every_formula_page_keeps_its_last_charts_greyed_while_a_formula_is_refused(page, formula, mistake):
    app = open_page(page, fn="Custom formula", formula=formula)
    assert not app.error and not greyed(app)
    drawn = every_figure(app)
    assert drawn

    app.text_input(key="formula").input(mistake).run()
    assert not app.exception
    assert app.error and [caret.split("\n")[0] for caret in carets(app)] == [mistake]
    assert greyed(app)
    assert every_figure(app) == drawn  # the same charts, of the formula that worked

    app.text_input(key="formula").input(formula).run()
    assert not app.error and not greyed(app)
    assert every_figure(app) == drawn


@pytest.mark.parametrize(("page", "formula", "mistake"), FORMULA_PAGES)
def test_a_link_whose_formula_is_refused_stops_with_the_message_and_no_chart(page, formula, mistake):
    app = open_page(page, fn="Custom formula", formula=mistake)
    assert not app.exception
    assert app.error and not every_figure(app) and not greyed(app)
