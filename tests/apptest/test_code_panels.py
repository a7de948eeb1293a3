"""'The code' on every page: the listing each page shows for its defaults runs on its own (a fresh Python in
a subprocess) and prints the numbers the page shows, compared with the page's readouts and metrics (to the
digits shown) and with the core results behind them (to 1e-9)."""

import math
import subprocess
import sys

import numpy as np
import pytest

from core import bivariate, chain_rule, functions2d, nn_training, race, univariate
from core.datasets import classification_data, regression_data
from core.descent.run import run_descent
from tests.apptest.conftest import assert_healthy, live_readout, open_page

TIGHT = 1e-9


def shown_listing(app) -> str:
    """The code in the page's closed "The code" expander (AppTest reads it closed or open)."""
    panels = [e for e in app.expander if e.label == "The code"]
    assert len(panels) == 1, [e.label for e in app.expander]
    (block,) = panels[0].code
    assert block.language == "python"
    return block.value


def run_listing(code: str) -> dict[str, float]:
    """Run a listing in a fresh interpreter (nothing of the app imported) and read its `name = value`
    lines; a line whose value does not start with a number keeps NaN."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd="/tmp"
    )
    assert done.returncode == 0, done.stderr
    printed = {}
    for line in done.stdout.splitlines():
        name, equals, value = line.partition(" = ")
        if equals:
            try:
                printed[name] = float(value.split()[0])
            except ValueError:
                printed[name] = float("nan")
    return printed


def metric_value(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def close_to_shown(value: float, shown: str) -> bool:
    """A listing's number agrees with the page's rounded one to the digits the page printed (half a unit
    in the last place shown)."""
    number = float(shown)
    digits = len(shown.lower().split("e")[0].lstrip("-").replace(".", "").lstrip("0")) or 1
    last_place = 10.0 ** (math.floor(math.log10(abs(number))) - digits + 1) if number else 10.0**-digits
    return abs(value - number) <= 0.5 * last_place * (1 + 1e-9)


def test_the_derivative_listing_prints_the_page_s_slope_and_difference_quotients():
    app = open_page("pages/1_Derivative.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    u = univariate.prepare(univariate.preset_formula(univariate.DEFAULT))
    view = univariate.derivative_view(u, x_range=(-2.0, 3.0), x0=1.0, h=0.1)
    assert printed["f(x0)"] == pytest.approx(view.f_x0, rel=TIGHT)
    assert printed["f'(x0)"] == pytest.approx(view.slope, rel=TIGHT)
    assert printed["forward difference"] == pytest.approx(view.forward_quotient, rel=TIGHT)
    assert printed["central difference"] == pytest.approx(view.central_quotient, rel=TIGHT)
    assert printed["scipy derivative"] == pytest.approx(view.slope, rel=1e-7)  # SciPy's own estimate
    for label, name in (("f′(x₀)", "f'(x0)"), ("Secant slope", "forward difference")):
        assert close_to_shown(printed[name], live_readout(app, "derivative-live", label))


def test_the_gradient_field_listing_prints_the_gradient_the_page_shows():
    app = open_page("pages/2_Gradient_Field.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    shown = live_readout(app, "gradient-field-live", "∇f(x₀, y₀)").strip("()").split(", ")
    assert close_to_shown(printed["df/dx"], shown[0])
    assert close_to_shown(printed["df/dy"], shown[1])
    assert close_to_shown(printed["|grad f|"], live_readout(app, "gradient-field-live", "|∇f(x₀, y₀)|"))
    assert close_to_shown(printed["f(p)"], live_readout(app, "gradient-field-live", "f(x₀, y₀)"))


def test_the_directional_listing_prints_the_seed_s_directional_derivative_twice():
    app = open_page("pages/3_Directional_Derivative.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    assert close_to_shown(printed["D_u f(p)"], live_readout(app, "directional-live", "D_u f(p)"))
    # the seed's example: f = x² + 2y², p = (1, 1), u = (1, 1)/√2 gives (2 + 4)/√2
    assert printed["D_u f(p)"] == pytest.approx(6 / np.sqrt(2), rel=TIGHT)
    assert printed["slice slope"] == pytest.approx(printed["D_u f(p)"], rel=1e-8)


def test_the_critical_points_listing_finds_none_for_the_seed_s_loss_like_the_page():
    app = open_page("pages/4_Critical_Points.py")
    assert_healthy(app)
    code = shown_listing(app)
    assert "sp.solve(grad" in code  # the page solved symbolically, and so does the listing
    assert run_listing(code)["critical points"] == 0
    assert not app.dataframe  # the page's table of points is absent too


def test_the_linear_regression_listing_ends_where_the_page_s_descent_ends():
    app = open_page("pages/5_Linear_Regression_GD.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    data = regression_data()  # the seed's make_regression, the page's default
    run = run_descent("linear", data.x, data.y, learning_rate=0.01, n_iterations=100)
    assert printed["w"] == pytest.approx(run.path.w[-1], rel=TIGHT)
    assert printed["b"] == pytest.approx(run.path.b[-1], rel=TIGHT)
    assert printed["MSE"] == pytest.approx(run.path.loss[-1], rel=TIGHT)
    assert printed["optimal w"] == pytest.approx(run.optimum.w, rel=TIGHT)
    assert printed["optimal b"] == pytest.approx(run.optimum.b, rel=TIGHT)
    assert close_to_shown(printed["w"], metric_value(app, "Final w"))
    assert close_to_shown(printed["MSE"], metric_value(app, "Final MSE"))


def test_the_logistic_regression_listing_ends_where_the_page_s_descent_ends():
    app = open_page("pages/6_Logistic_Regression_GD.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    data = classification_data()  # the seed's make_classification
    run = run_descent("logistic", data.x, data.y, learning_rate=0.5, n_iterations=100)
    assert printed["w1"] == pytest.approx(float(np.ravel(run.path.w)[-1]), rel=TIGHT)
    assert printed["b"] == pytest.approx(run.path.b[-1], rel=TIGHT)
    assert printed["cross-entropy"] == pytest.approx(run.path.loss[-1], rel=TIGHT)
    assert printed["optimal w1"] == pytest.approx(run.optimum.w, rel=1e-6)  # two lbfgs fits, same tol
    assert close_to_shown(printed["b"], metric_value(app, "Final b"))


def test_the_race_listing_gives_every_optimizer_s_final_f_in_the_page_s_table():
    app = open_page("pages/7_Optimizer_Race.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    preset = functions2d.get("Rosenbrock")
    racers = race.race(
        bivariate.prepare(preset.formula), preset.starting_point(), 200, dict(race.DEFAULT_RATES)
    )
    table = app.dataframe[0].value.set_index("optimizer")["final f"]
    for racer in racers:
        final = printed[f"{racer.name} f"]
        assert final == pytest.approx(float(racer.loss[-1]), rel=1e-9, abs=1e-12), racer.name
        assert final == pytest.approx(table[racer.name], rel=1e-9, abs=1e-12), racer.name


def test_the_network_listing_trains_the_page_s_network_to_the_same_loss():
    app = open_page("pages/8_Neural_Network_Landscape.py", timeout=120)
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    network = nn_training.train_network(nn_training.TrainingSettings())
    assert printed["cross-entropy"] == pytest.approx(network.cross_entropy, rel=1e-6)
    assert printed["L2 penalty"] == pytest.approx(network.penalty, rel=1e-6)
    assert printed["accuracy"] == pytest.approx(network.accuracy)
    assert printed["parameters"] == network.architecture.n_parameters
    assert close_to_shown(printed["cross-entropy"], metric_value(app, "Cross-entropy"))


def test_the_chain_rule_listing_prints_the_backward_pass_s_gradient():
    app = open_page("pages/9_Chain_Rule.py")
    assert_healthy(app)
    printed = run_listing(shown_listing(app))
    preset = chain_rule.PRESETS[chain_rule.DEFAULT]
    function = chain_rule.prepare(preset.formula, preset.variables)
    graph = chain_rule.chain_rule_view(function, preset.point).graph
    assert printed["f"] == pytest.approx(graph.output, rel=TIGHT)
    for name, value in zip(graph.variables, graph.gradient, strict=True):
        assert printed[f"df/d{name}"] == pytest.approx(value, rel=TIGHT, abs=1e-12)


def test_quiz_mode_keeps_the_code_until_the_answer_is_revealed():
    app = open_page("pages/1_Derivative.py", quiz="1")
    assert_healthy(app)
    (panel,) = [e for e in app.expander if e.label == "The code"]
    assert not panel.code  # the listing would print f′(x₀)
    assert "Reveal the answer first" in panel.caption[0].value
