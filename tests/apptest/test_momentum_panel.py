"""Momentum, the Distill way, on the linear-regression page (AppTest): the optimal (η, β) from the bowl's
eigenvalues worked out here, the controls, the eigen-error chart and Adam's β₁, β₂."""

import math

import numpy as np
import pytest

from core.datasets import diabetes_bmi
from core.figures.momentum import CURRENT_NAME, OPTIMUM_NAME
from tests.apptest.conftest import assert_healthy, chart_specs, open_page

PAGE = "pages/5_Linear_Regression_GD.py"


def goh_optimum(x: np.ndarray) -> tuple[float, float, float]:
    """(η*, β*, √β*) from the MSE Hessian's eigenvalues, computed here with NumPy."""
    low, high = np.linalg.eigvalsh(np.array([[2 * np.mean(x * x), 2 * np.mean(x)], [2 * np.mean(x), 2.0]]))
    root_low, root_high = math.sqrt(low), math.sqrt(high)
    beta = ((root_high - root_low) / (root_high + root_low)) ** 2
    return (2 / (root_high + root_low)) ** 2, beta, math.sqrt(beta)


def panel_caption(app) -> str:
    return next(c.value for c in app.caption if c.value.startswith("η* = "))


def chart_with(app, name: str) -> dict:
    return next(spec for spec in chart_specs(app) if any(t.get("name") == name for t in spec["data"]))


def test_the_panel_marks_goh_s_optimum_for_the_raw_diabetes_bowl():
    app = open_page(PAGE, data="Diabetes BMI")
    assert_healthy(app)
    eta, beta, factor = goh_optimum(diabetes_bmi(standardize=False).x)
    caption = panel_caption(app)
    assert f"η* = {eta:.4g} and β* = {beta:.4g}" in caption
    assert f"shrinks by {factor:.4f} per step" in caption
    star = next(t for t in chart_with(app, OPTIMUM_NAME)["data"] if t.get("name") == OPTIMUM_NAME)
    assert (star["x"][0], star["y"][0]) == pytest.approx((eta, beta), rel=1e-12)
    assert app.slider(key="m_beta").value == pytest.approx(math.ceil(beta / 0.001) * 0.001)


def test_moving_beta_moves_the_mark_and_the_button_brings_back_the_optimum():
    app = open_page(PAGE, data="Diabetes BMI")
    app.slider(key="m_beta").set_value(0.5).run()
    assert_healthy(app)
    mark = next(t for t in chart_with(app, CURRENT_NAME)["data"] if t.get("name") == CURRENT_NAME)
    assert mark["y"][0] == 0.5
    assert "Yours diverges" in panel_caption(app)  # η* with β = 0.5 is past momentum's stability edge
    next(b for b in app.button if b.label == "Use η*, β*").click().run()
    assert_healthy(app)
    assert app.slider(key="m_beta").value > 0.97
    assert "Yours: 0.98" in panel_caption(app)


def test_adam_brings_its_betas_and_its_curves():
    app = open_page(PAGE, opt="Adam")
    assert_healthy(app)
    app.slider(key="adam_b1").set_value(0.5).run()
    assert_healthy(app)
    names = [t.get("name", "") for t in chart_with(app, "GD at best η, along λ_min = 1.56")["data"]]
    adam = [name for name in names if name.startswith("Adam")]
    assert len(adam) == 2 and all("β₁=0.5" in name for name in adam)


def test_without_adam_there_are_no_adam_controls():
    app = open_page(PAGE)
    assert_healthy(app)
    assert "adam_b1" not in [s.key for s in app.slider]
