"""Quiz mode gives nothing away: on every page, before Reveal, no answer (computed here from NumPy, SymPy,
scikit-learn or the seed's own loop, never read off the page) appears anywhere in the page's text, its
figures, its live charts' readouts and parameters or its URL; after Reveal each one does."""

from __future__ import annotations

import base64
import json
import math
import re

import numpy as np
import pytest
import sympy as sp
from sklearn.datasets import make_classification, make_regression

from tests.apptest.conftest import assert_healthy, component_data, every_figure, hidden_answers, open_page

x, y = sp.symbols("x y", real=True)


def page_text(app) -> str:
    """Everything the page shows or sends as text: prose, formulas, captions, notes, metrics, tables, code,
    the live charts' readouts, messages and parameters, the figures' JSON and the URL."""
    kinds = ("markdown", "latex", "caption", "info", "warning", "code")
    parts = [element.value for kind in kinds for element in app.get(kind)]
    parts += [f"{m.label} {m.value}" for m in app.metric]
    parts += [frame.value.to_string() for frame in app.dataframe]
    for element in app.get("bidi_component"):
        data = component_data(element)
        parts += [json.dumps(data.get(key), ensure_ascii=False) for key in ("readouts", "message", "params")]
    parts += [json.dumps(figure, ensure_ascii=False) for _, figure in every_figure(app)]
    parts += [f"{key}={app.query_params[key]}" for key in app.query_params]
    return "\n".join(parts).replace("−", "-")


def _numbers(node) -> list[float]:
    """Every number in a figure's JSON, base64 arrays (Plotly 7's bdata) decoded."""
    if isinstance(node, dict):
        if "bdata" in node:
            raw = base64.b64decode(node["bdata"])
            return np.frombuffer(raw, dtype=np.dtype(node["dtype"])).astype(float).tolist()
        return [v for value in node.values() for v in _numbers(value)]
    if isinstance(node, list):
        return [v for value in node for v in _numbers(value)]
    return [float(node)] if isinstance(node, int | float) and not isinstance(node, bool) else []


def drawn(app, value: float) -> bool:
    """Whether any figure on the page holds ``value`` (to float32's precision: the grids go as float32)."""
    numbers = np.array([v for _, figure in every_figure(app) for v in _numbers(figure["data"])])
    numbers = numbers[np.isfinite(numbers)]
    return bool(np.any(np.abs(numbers - value) <= 1e-6 * max(1.0, abs(value))))


def shows(text: str, number: str) -> bool:
    """``number`` as printed (e.g. "2.87") standing alone: not a piece of a longer number."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?!\d)", text) is not None


def reveal(app):
    (button,) = [b for b in app.button if b.label.startswith("Reveal ")]
    button.click().run()
    assert_healthy(app)
    assert not [b for b in app.button if b.label.startswith("Reveal ")]
    return app


def seed_linear(learning_rate=0.01, n_iterations=100):
    """The seed's data and its gradient-descent loop, and NumPy's least-squares optimum."""
    features, target = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    data = features.ravel()
    w = b = 0.0
    for _ in range(n_iterations):
        error = w * data + b - target
        w, b = w - learning_rate * 2 * np.mean(error * data), b - learning_rate * 2 * np.mean(error)
    (w_star, b_star), *_ = np.linalg.lstsq(np.column_stack([data, np.ones_like(data)]), target, rcond=None)
    return w, b, float(np.mean((w * data + b - target) ** 2)), w_star, b_star


def seed_logistic(learning_rate=0.5, n_iterations=100):
    features, labels = make_classification(
        n_samples=100, n_features=1, n_informative=1, n_redundant=0, n_clusters_per_class=1,
        class_sep=1, flip_y=0.01, random_state=42,
    )  # fmt: skip
    data = features.ravel()
    w = b = 0.0
    for _ in range(n_iterations):
        p = 1 / (1 + np.exp(-np.clip(w * data + b, -30, 30)))
        w, b = w - learning_rate * np.mean((p - labels) * data), b - learning_rate * np.mean(p - labels)
    return w, b


def test_the_derivative_page_hides_f_prime_the_tangent_and_every_difference_quotient():
    app = open_page("pages/1_Derivative.py", quiz="1", x0="1.3")
    assert_healthy(app)
    f = x**3 - 2 * x**2 + 3 * x - 1
    slope = float(sp.diff(f, x).subs(x, 1.3))  # 2.87
    secant = float((f.subs(x, 1.4) - f.subs(x, 1.3)) / 0.1)  # h = 0.1: 3.07
    central = float((f.subs(x, 1.4) - f.subs(x, 1.2)) / 0.2)  # 2.88
    numbers = [f"{value:.6g}" for value in (slope, secant, central)]
    formula = sp.latex(sp.diff(f, x))  # 3 x^{2} - 4 x + 3
    text = page_text(app)
    assert hidden_answers(app) == 4
    assert not any(shows(text, n) for n in numbers) and formula not in text
    assert not drawn(app, slope)  # no tangent: its slope would be readable
    text = page_text(reveal(app))
    assert all(shows(text, n) for n in numbers) and formula in text
    assert hidden_answers(app) == 0


def test_the_gradient_field_page_hides_the_gradient_its_arrow_and_the_presets_note():
    app = open_page("pages/2_Gradient_Field.py", quiz="1", x0="0.7", y0="-0.4")
    assert_healthy(app)
    f = x**2 + 2 * y**2
    gradient = [float(sp.diff(f, v).subs({x: 0.7, y: -0.4})) for v in (x, y)]  # (1.4, -1.6)
    vector, norm = f"({gradient[0]:.4g}, {gradient[1]:.4g})", f"{np.hypot(*gradient):.6g}"
    text = page_text(app)
    assert hidden_answers(app) == 2
    assert vector not in text and not shows(text, norm) and "(2x, 4y)" not in text
    assert "direction of ∇f(x₀, y₀)" not in text  # the point's own arrow
    text = page_text(reveal(app))
    assert vector in text and shows(text, norm) and "∇f = (2x, 4y)" in text


def test_the_directional_page_hides_the_slope_and_the_gradient_arrow_beside_u():
    app = open_page("pages/3_Directional_Derivative.py", quiz="1")
    assert_healthy(app)
    slope = float(np.dot([2.0, 4.0], np.array([1.0, 1.0]) / np.sqrt(2)))  # ∇f(1, 1)·u = 4.24264
    before = [t["name"] for _, figure in every_figure(app) for t in figure["data"]]
    assert hidden_answers(app) == 3
    assert not shows(page_text(app), f"{slope:.6g}") and "∇f(p)" not in before and "u" in before
    after = reveal(app)
    assert shows(page_text(after), f"{slope:.6g}")
    assert "∇f(p)" in [t["name"] for _, figure in every_figure(after) for t in figure["data"]]


def test_the_critical_points_page_hides_the_points_their_kinds_and_the_hessian():
    app = open_page(
        "pages/4_Critical_Points.py", quiz="1", fn="Custom formula", formula="x^2 - y^2 + 2x", limit="0.5"
    )
    assert_healthy(app)
    f = x**2 - y**2 + 2 * x
    (point,) = sp.solve([sp.diff(f, v) for v in (x, y)], [x, y], dict=True)  # (−1, 0)
    eigenvalues = sorted(float(e) for e in sp.hessian(f, (x, y)).eigenvals())  # −2, 2: a saddle
    hessian = sp.latex(sp.hessian(f, (x, y)))
    traces = {t.get("name") for _, figure in every_figure(app) for t in figure["data"]}
    text = page_text(app)
    assert not app.dataframe and "saddle point" not in text and hessian not in text
    assert traces == {"f(x, y)"}  # the contours and the surface: no marker, no eigenvector
    after = reveal(app)
    (table,) = after.dataframe
    row = table.value.iloc[0]
    assert (len(table.value), row["kind"]) == (1, "saddle") and sorted([row["λ₁"], row["λ₂"]]) == eigenvalues
    assert str(row["point"]) == f"({float(point[x]):g}, {float(point[y]):g})"
    text = page_text(after)
    assert "saddle point" in text and hessian in text


def test_the_linear_regression_page_hides_the_run_the_optimum_and_the_final_loss():
    w, b, loss, w_star, b_star = seed_linear()
    app = open_page("pages/5_Linear_Regression_GD.py", quiz="1")
    assert_healthy(app)
    numbers = [f"{value:.6g}" for value in (w, loss, w_star, b_star)]
    text = page_text(app)
    assert hidden_answers(app) == 8  # 5 metrics, and w, b and the MSE beside the live chart
    assert not any(shows(text, n) for n in numbers)
    assert not any(drawn(app, value) for value in (w, b, w_star, b_star))  # no path, iterate or optimum
    assert not app.get("download_button")  # the iterates are the run
    after = reveal(app)
    text = page_text(after)
    assert all(shows(text, n) for n in numbers)
    assert all(drawn(after, value) for value in (w, w_star))


def test_the_logistic_regression_page_hides_the_run():
    w, b = seed_logistic()
    app = open_page("pages/6_Logistic_Regression_GD.py", quiz="1")
    assert_healthy(app)
    numbers = [f"{w:.6g}", f"{b:.6g}", f"{-b / w:.4g}"]  # the weights and the boundary x = −b/w
    assert hidden_answers(app) == 10  # 5 metrics; w, b, loss, accuracy and boundary beside the chart
    assert not any(shows(page_text(app), n) for n in numbers) and not drawn(app, w)
    after = reveal(app)
    assert all(shows(page_text(after), n) for n in numbers) and drawn(after, w)


def test_on_separable_classes_quiz_mode_keeps_the_unbounded_weights_to_itself():
    app = open_page("pages/6_Logistic_Regression_GD.py", quiz="1", features="2")
    assert_healthy(app)
    assert hidden_answers(app) == 6 + 5  # 6 metrics; w₁, w₂, b, loss and accuracy beside the chart
    assert "linearly separable" not in page_text(app) and ", b = " not in page_text(app)
    names = {t.get("name") for _, figure in every_figure(app) for t in figure["data"]}
    assert "‖w‖" not in names and "probability" not in names  # the iterate's σ(w·x + b) behind the data
    after = reveal(app)
    text = page_text(after)
    assert "linearly separable" in text and ", b = " in text
    assert "‖w‖" in {t.get("name") for _, figure in every_figure(after) for t in figure["data"]}


def rosenbrock_race(learning_rate: float, n_steps: int) -> np.ndarray:
    """Plain gradient descent on Rosenbrock from the page's start, written out with its gradient."""
    point = np.array([-1.5, 2.0])
    for _ in range(n_steps):
        px, py = point
        gradient = np.array([-2 * (1 - px) - 400 * px * (py - px**2), 200 * (py - px**2)])
        point = point - learning_rate * gradient
    return point


def test_the_race_page_hides_the_paths_the_finish_and_the_winner():
    app = open_page("pages/7_Optimizer_Race.py", quiz="1")
    assert_healthy(app)
    gd_finish = rosenbrock_race(0.001, 200)  # GD's default rate and the page's 200 steps
    names = {t.get("name") for _, figure in every_figure(app) for t in figure["data"]}
    assert names == {"f(x, y)", "known minimum", "start"}
    assert not drawn(app, gd_finish[0]) and "Winner" not in page_text(app)
    after = reveal(app)
    assert drawn(after, gd_finish[0]) and "Winner (lowest final f) Newton" in page_text(after)


def test_the_network_page_hides_how_well_it_trained():
    app = open_page("pages/8_Neural_Network_Landscape.py", quiz="1")
    assert_healthy(app)
    assert hidden_answers(app) == 3
    assert "at the centre θ*" not in page_text(app)  # the trained loss
    after = reveal(app)
    text = page_text(after)
    accuracy = next(m.value for m in after.metric if m.label == "Accuracy")
    assert "at the centre θ* it is" in text and float(accuracy.rstrip("%")) > 90


def test_the_chain_rule_page_hides_the_gradient_and_the_presets_note():
    app = open_page("pages/9_Chain_Rule.py", quiz="1", fn="Autodiff survey")
    assert_healthy(app)
    f = sp.log(x) + x * y - sp.sin(y)
    gradient = [float(sp.diff(f, v).subs({x: 2, y: 5})) for v in (x, y)]  # 5.5, 1.71634
    assert math.isclose(gradient[1], 2 - math.cos(5))
    assert hidden_answers(app) == 2
    text = page_text(app)
    assert not shows(text, f"{gradient[1]:.4g}") and not shows(text, f"{gradient[0]:.6g}")
    text = page_text(reveal(app))
    assert shows(text, f"{gradient[1]:.6g}") and shows(text, f"{gradient[0]:.6g}")


@pytest.mark.parametrize("path", ["pages/2_Gradient_Field.py", "pages/9_Chain_Rule.py"])
def test_with_quiz_mode_off_the_notes_show_at_once(path):
    app = open_page(path)
    assert_healthy(app)
    assert any("seed's" in caption.value for caption in app.caption)
