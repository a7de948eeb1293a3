"""core.descent_live and the browser's descent recipe (ui/live/recipes/descent.js).

The recipe runs in Node.js with the live chart's own helpers (cut from ui/live/live_chart.js) on the very
parameters the pages send; its paths, lines, residuals, curves and readouts are compared with the seed's
own loops written out here, with NumPy and with scikit-learn, never with the app's code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.metrics import accuracy_score

from core.datasets import classification_data, regression_data
from core.descent.linear import fit_view, linear_descent_view
from core.descent.logistic import logistic_descent_view
from core.descent_live import (
    accuracy_per_iterate,
    descent_readouts,
    linear_live_params,
    logistic_live_params,
    mse_moments,
)

ROOT = Path(__file__).resolve().parents[2]
COMPONENT = ROOT / "ui" / "live" / "live_chart.js"
RECIPE = ROOT / "ui" / "live" / "recipes" / "descent.js"
NODE = shutil.which("node")


def seed_regression():
    x, y = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    return x.flatten(), y


def seed_linear_descent(x, y, learning_rate, n_iterations, w=0.0, b=0.0):
    """The seed's gradient_descent, with its start as a parameter; it records every iterate and its MSE."""
    ws, bs, losses = [w], [b], [np.mean((y - (w * x + b)) ** 2)]
    with np.errstate(all="ignore"):
        for _ in range(n_iterations):
            residuals = y - (w * x + b)
            w, b = (
                w - learning_rate * (-2 * np.mean(residuals * x)),
                b - learning_rate * (-2 * np.mean(residuals)),
            )
            ws.append(w), bs.append(b), losses.append(np.mean((y - (w * x + b)) ** 2))
    return np.array(ws), np.array(bs), np.array(losses)


def run_recipe(params: dict, values: dict) -> dict:
    """RECIPES.descent({values, params}) in Node.js; NaN comes back as None."""
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but node is not installed")
        pytest.skip("node is not installed")
    component = COMPONENT.read_text()
    helpers = [
        re.search(pattern, component, re.S | re.M).group(0)
        for pattern in (r"^const H = \{.*?^\};", r"^function formatNumber\(.*?^\}")
    ]
    program = "\n".join(
        [
            "const RECIPES = {};",
            *helpers,
            RECIPE.read_text(),
            'const {params, values} = JSON.parse(require("fs").readFileSync(0, "utf8"));',
            "process.stdout.write(JSON.stringify(RECIPES.descent({values, params, fns: {}, data: {}})));",
        ]
    )
    result = subprocess.run(
        [NODE, "-e", program],
        input=json.dumps({"params": params, "values": values}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    out["traces"] = {role: update for role, update in out["traces"]}
    return out


def array(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def readout(out: dict, label: str) -> str:
    return next(r["value"] for r in out["readouts"] if r["label"] == label)


def linear_params(learning_rate=0.01, n_iterations=100, **start):
    data = regression_data()
    view = linear_descent_view(data, learning_rate=learning_rate, n_iterations=n_iterations, **start)
    path, optimum = view.run.path, view.run.optimum
    fit = fit_view(
        data.x, data.y, descent=(path.w[-1], path.b[-1]), optimum=(optimum.w, optimum.b), own=(0, 0)
    )
    return view, linear_live_params(view, fit, reveal=True)


def test_the_moments_are_numpys_least_squares_fit():
    x, y = seed_regression()
    moments = mse_moments(x, y)
    slope, intercept = np.polyfit(x, y, 1)
    assert moments["slope"] == pytest.approx(slope, rel=1e-12)
    assert moments["mean_y"] - moments["slope"] * moments["mean_x"] == pytest.approx(intercept, rel=1e-10)
    assert moments["var_x"] == pytest.approx(np.var(x), rel=1e-12)
    assert moments["residual"] == pytest.approx(np.mean((y - slope * x - intercept) ** 2), rel=1e-10)


def test_the_browser_runs_the_seeds_descent_and_reproduces_its_numbers():
    x, y = seed_regression()
    w, b, loss = seed_linear_descent(x, y, 0.01, 100)
    _, params = linear_params()
    assert "path" not in params  # the browser computes it: the server's is not sent
    out = run_recipe(params, {"show": 100, "lr": 0.01, "w0": 0.0, "b0": 0.0})
    path = out["traces"]["path"]
    np.testing.assert_allclose(array(path["x"]), w, rtol=1e-12)
    np.testing.assert_allclose(array(path["y"]), b, rtol=1e-10, atol=1e-13)
    assert readout(out, "w") == "35.8536" and readout(out, "b") == "−0.498332"  # the seed's w and b
    np.testing.assert_allclose(array(out["traces"]["loss"]["y"]), loss, rtol=1e-12)
    assert out["message"] == ""


@pytest.mark.parametrize(
    ("learning_rate", "n_iterations", "w0", "b0"),
    [(0.5, 20, -20.0, 10.0), (0.002, 500, 60.0, -40.0), (0.9, 50, 0.0, 0.0), (2.0, 30, 5.0, 5.0)],
)
def test_a_new_rate_or_start_reruns_the_seeds_loop_from_there(learning_rate, n_iterations, w0, b0):
    x, y = seed_regression()
    w, _, loss = seed_linear_descent(x, y, learning_rate, n_iterations, w0, b0)
    _, params = linear_params(n_iterations=n_iterations)  # settled at the defaults: the browser re-runs
    out = run_recipe(params, {"show": n_iterations, "lr": learning_rate, "w0": w0, "b0": b0})
    # the readouts are the iterate itself, drawn or not (a diverging path leaves the plot)
    assert float(readout(out, "w").replace("−", "-")) == pytest.approx(w[-1], rel=1e-5)
    assert float(readout(out, "MSE").replace("−", "-")) == pytest.approx(loss[-1], rel=1e-5)
    curve = out["traces"]["loss"]
    np.testing.assert_allclose(array(curve["y"]), loss[np.array(curve["x"], dtype=int)], rtol=1e-9)
    factor = abs(1 - learning_rate * 2.09741648034248)  # λ_max of the seed data's Hessian, by hand below
    assert float(readout(out, "|1 − η λ_max|")) == pytest.approx(factor, rel=1e-3)
    assert ("diverges" in out["message"]) == (learning_rate > 2 / 2.09741648034248)


def test_lambda_max_is_the_largest_eigenvalue_of_the_mse_hessian():
    x, _ = seed_regression()
    hessian = np.array([[2 * np.mean(x * x), 2 * np.mean(x)], [2 * np.mean(x), 2.0]])
    assert np.linalg.eigvalsh(hessian)[-1] == pytest.approx(2.09741648034248, rel=1e-12)
    _, params = linear_params()
    assert params["lambda_max"] == pytest.approx(np.linalg.eigvalsh(hessian)[-1], rel=1e-12)


def test_scrubbing_moves_the_iterate_the_line_the_residuals_and_the_loss_marker_together():
    x, y = seed_regression()
    w, b, loss = seed_linear_descent(x, y, 0.01, 100)
    _, params = linear_params()
    out = run_recipe(params, {"show": 37, "lr": 0.01, "w0": 0.0, "b0": 0.0})
    traces = out["traces"]
    assert traces["iterate"]["x"][0] == pytest.approx(w[37], rel=1e-12)
    assert traces["iterate"]["text"] == ["iteration 37"]
    assert max(traces["path"]["customdata"]) == 37  # the path is drawn up to the shown iterate
    line_x = np.array(traces["data_line"]["x"])
    np.testing.assert_allclose(traces["data_line"]["y"], w[37] * line_x + b[37], rtol=1e-12)
    assert (line_x.min(), line_x.max()) == (x.min(), x.max())
    residual_y = array(traces["residuals"]["y"]).reshape(-1, 3)
    np.testing.assert_allclose(np.sort(residual_y[:, 0]), np.sort(y))  # from each data point...
    residual_x = array(traces["residuals"]["x"]).reshape(-1, 3)[:, 0]
    np.testing.assert_allclose(residual_y[:, 1], w[37] * residual_x + b[37], rtol=1e-12)  # ...to the line
    assert traces["loss_marker"]["x"] == [37, 37]
    assert float(readout(out, "MSE")) == pytest.approx(loss[37], rel=1e-5)


def test_a_run_that_runs_away_stops_where_the_servers_run_stops_before_the_seeds_loop_overflows():
    x, y = seed_regression()
    w, _, loss = seed_linear_descent(x, y, 10.0, 500)
    # the server stops before the first iterate reaching 1e150 (core.optimizers.RUNAWAY_SIZE), here two
    # iterates before the seed's MSE overflows
    kept = int(np.argmax(np.abs(w) >= 1e150))
    assert kept < int(np.argmax(~np.isfinite(loss)))
    server, params = linear_params(n_iterations=500, learning_rate=10.0)
    assert len(server.run.path.loss) == kept and server.run.path.stopped_at == kept
    out = run_recipe(params, {"show": 500, "lr": 10.0, "w0": 0.0, "b0": 0.0})
    assert max(out["traces"]["loss"]["x"]) == kept - 1
    assert f"overflowed at iteration {kept}" in out["message"]
    assert f"overflowed at iteration {kept}" in server.run.path.message


def test_the_converged_marker_is_the_first_iteration_within_one_percent():
    x, y = seed_regression()
    _, _, loss = seed_linear_descent(x, y, 0.5, 20)
    optimal = np.mean((y - np.polyval(np.polyfit(x, y, 1), x)) ** 2)
    expected = int(np.argmax(loss - optimal <= 0.01 * optimal))
    _, params = linear_params()
    out = run_recipe(params, {"show": 20, "lr": 0.5, "w0": 0.0, "b0": 0.0})
    assert out["traces"]["converged"]["x"] == [expected, expected]


def test_quiz_mode_sends_neither_path_nor_optimum_and_what_the_run_reached_reads_a_question_mark():
    view, revealed = linear_params()
    x, y = seed_regression()
    slope, intercept = np.polyfit(x, y, 1)  # the optimum, which descent approaches
    path = view.run.path
    fit = fit_view(x, y, descent=(path.w[-1], path.b[-1]), optimum=(slope, intercept), own=(0, 0))
    params = linear_live_params(view, fit, reveal=False)
    assert params["optimum"] is None and not params.get("path") and params["moments"] == {}
    sent = json.dumps(params)
    assert f"{slope:.4f}"[:6] not in sent and f"{path.w[-1]:.4f}"[:6] not in sent
    assert f"{slope:.4f}"[:6] in json.dumps(revealed)  # positive control: the revealed page sends it
    values = {"show": 100, "lr": 0.01, "w0": 0.0, "b0": 0.0}
    quiz, shown = run_recipe(params, values), run_recipe(revealed, values)
    assert [readout(quiz, label) for label in ("w", "b", "MSE")] == ["?", "?", "?"]
    _, _, loss = seed_linear_descent(x, y, 0.01, 100)
    assert float(readout(shown, "MSE")) == pytest.approx(loss[100], rel=1e-5)
    # |1 − η λ_max| is a property of the data and η, the question: it stays
    assert readout(quiz, "|1 − η λ_max|") == readout(shown, "|1 − η λ_max|")
    assert set(quiz["traces"]) == {"start"} and quiz["traces"]["start"] == {"x": [0.0], "y": [0.0]}
    assert quiz["message"] == ""
    server = {label: value for label, value, _ in descent_readouts(view, 100, reveal=False)}
    assert server == {r["label"]: r["value"] for r in quiz["readouts"]}


def test_the_servers_readouts_match_the_browsers():
    view, params = linear_params()
    out = run_recipe(params, {"show": 40, "lr": 0.01, "w0": 0.0, "b0": 0.0})
    server = {label: value for label, value, _ in descent_readouts(view, 40, reveal=True)}
    assert server == {r["label"]: r["value"] for r in out["readouts"]}


def test_momentum_keeps_the_servers_path_and_says_a_new_rate_runs_there():
    data = regression_data()
    view = linear_descent_view(data, learning_rate=0.01, n_iterations=100, optimizer="Momentum")
    path = view.run.path
    fit = fit_view(data.x, data.y, descent=(path.w[-1], path.b[-1]), optimum=(0, 0), own=(0, 0))
    params = linear_live_params(view, fit, reveal=True)
    out = run_recipe(params, {"show": 100, "lr": 0.01, "w0": 0.0, "b0": 0.0})
    assert out["traces"]["path"]["x"][-1] == pytest.approx(path.w[-1], rel=1e-12) and out["message"] == ""
    moved = run_recipe(params, {"show": 100, "lr": 0.02, "w0": 0.0, "b0": 0.0})
    assert moved["traces"]["path"]["x"] == out["traces"]["path"]["x"]  # the last run's, until let go
    assert "Momentum runs on the server" in moved["message"] and "η = 0.02" in moved["message"]


def seed_logistic_descent(x, y, learning_rate, n_iterations):
    """The seed's logistic gradient_descent: σ's argument clipped to ±30, as its sigmoid does."""

    def sigmoid(z):
        return 1 / (1 + np.exp(-np.clip(z, -30, 30)))

    w = b = 0.0
    ws, bs = [w], [b]
    for _ in range(n_iterations):
        predictions = sigmoid(w * x + b)
        w, b = (
            w - learning_rate * np.mean((predictions - y) * x),
            b - learning_rate * np.mean(predictions - y),
        )
        ws.append(w), bs.append(b)
    return np.array(ws), np.array(bs)


def test_the_logistic_page_scrubs_the_seeds_run_curve_boundary_and_accuracy():
    x, y = make_classification(
        n_samples=100, n_features=1, n_informative=1, n_redundant=0, n_clusters_per_class=1, random_state=42
    )
    x = x.flatten()
    w, b = seed_logistic_descent(x, y, 0.5, 100)
    data = classification_data()
    np.testing.assert_array_equal(data.x, x)
    view = logistic_descent_view(data, learning_rate=0.5, n_iterations=100)
    classes = view.class_view(100)
    params = logistic_live_params(view, classes, reveal=True)
    final = run_recipe(params, {"show": 100, "w0": 0.0, "b0": 0.0})
    assert readout(final, "w") == "3.72089" and readout(final, "b") == "0.13232"  # the seed's numbers
    out = run_recipe(params, {"show": 12, "w0": 0.0, "b0": 0.0})
    curve = out["traces"]["data_line"]
    np.testing.assert_allclose(
        curve["y"], 1 / (1 + np.exp(-(w[12] * np.array(curve["x"]) + b[12]))), rtol=1e-9
    )
    assert out["traces"]["boundary"]["x"][0] == pytest.approx(-b[12] / w[12], rel=1e-9)
    expected = accuracy_score(y, (w[12] * x + b[12] > 0).astype(int))
    assert readout(out, "Accuracy") == f"{100 * expected:.1f}%"
    assert out["message"] == ""
    moved = run_recipe(params, {"show": 12, "w0": 2.0, "b0": -1.0})
    assert moved["traces"]["start"] == {"x": [2.0], "y": [-1.0]}  # where the next run will start
    assert "let go to run it from (w₀, b₀) = (2, −1)" in moved["message"]


def test_two_features_move_the_boundary_line_within_the_plot():
    data = classification_data(n_features=2, label_noise=0.2)
    view = logistic_descent_view(data, learning_rate=0.5, n_iterations=100)
    classes = view.class_view(100)
    params = logistic_live_params(view, classes, reveal=True)
    out = run_recipe(params, {"show": 30, "w0": 0.0, "b0": 0.0})
    (w1, w2), bias = view.run.path.w[30], view.run.path.b[30]
    (u0, u1), (v0, v1) = out["traces"]["data_line"]["x"], out["traces"]["data_line"]["y"]
    np.testing.assert_allclose([w1 * u0 + w2 * v0 + bias, w1 * u1 + w2 * v1 + bias], 0, atol=1e-9)
    u_min, u_max, v_min, v_max = classes.box
    assert all(u_min - 1e-9 <= u <= u_max + 1e-9 for u in (u0, u1))
    assert all(v_min - 1e-9 <= v <= v_max + 1e-9 for v in (v0, v1))
    assert out["traces"]["iterate"]["x"][0] == pytest.approx(w1) and out["traces"]["iterate"]["y"][
        0
    ] == pytest.approx(w2)
    assert readout(out, "w₂") == f"{w2:.6g}".replace("-", "−")


def test_accuracy_per_iterate_is_scikit_learns_accuracy_at_every_iterate():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(50, 2)), rng.integers(0, 2, 50).astype(float)
    w, b = rng.normal(size=(7, 2)), rng.normal(size=7)
    expected = [accuracy_score(y, (x @ w[k] + b[k] > 0).astype(float)) for k in range(7)]
    np.testing.assert_allclose(accuracy_per_iterate(x, y, w, b), expected)
