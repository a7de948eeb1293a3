"""The Derivative page's recipe in quiz mode (ui/live/recipes/derivative.js, run in Node.js) and its server
twin (core.univariate): every number beside the chart reads "?", also where f′(x₀) does not exist, whose
reason (a corner's one-sided slopes) is itself the answer; revealed, the numbers and the reason return."""

import pytest

from core import univariate
from tests.unit.live_recipes import run

LABELS = ["f′(x₀)", "Secant slope", "Gap", "Central difference"]


def derivative_case(formula: str, x0: float, *, reveal: bool) -> dict:
    u = univariate.prepare(formula)
    return {
        "kind": "recipe",
        "name": "derivative",
        "values": {"x0": x0, "h": 0.1},
        "params": {"x_low": -2.0, "x_high": 3.0, "has_kink": "relu" in formula, "reveal": reveal},
        "formulas": univariate.browser_formulas(u),
        "variables": list(univariate.VARIABLES),
    }


@pytest.mark.parametrize(("formula", "x0"), [("x^3 - 2x^2 + 3x - 1", 1.3), ("relu(x - 1)", 1.0)])
def test_in_quiz_mode_every_number_reads_a_question_mark_and_no_reason_is_given(formula, x0):
    quiz, shown = run([derivative_case(formula, x0, reveal=reveal) for reveal in (False, True)])
    assert [(r["label"], r["value"]) for r in quiz["readouts"]] == [(label, "?") for label in LABELS]
    assert quiz["message"] == ""
    view = univariate.derivative_view(univariate.prepare(formula), x_range=(-2.0, 3.0), x0=x0, h=0.1)
    server = view.readouts(reveal=False)
    assert [(label, value) for label, value, _ in server] == [(label, "?") for label in LABELS]
    assert view.message(reveal=False) == ""
    assert shown["message"].replace("−", "-") == view.message(reveal=True).replace("−", "-")
    if view.differentiability.differentiable:
        assert shown["readouts"][0]["value"] == "2.87"  # the seed's f′ = 3x² − 4x + 3 at 1.3
    else:  # relu(x − 1) at 1: slope 0 from the left, 1 from the right
        assert shown["readouts"] == [] and "corner" in shown["message"]
        assert "0 from the left and 1 from the right" in shown["message"]
