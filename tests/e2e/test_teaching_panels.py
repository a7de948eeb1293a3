"""Browser tests for the teaching panels of issue 18: the quadratic model at p follows the settled point on
the live gradient-field map, and "The code" opens with a copy button on a page."""

import numpy as np
import pytest
from playwright.sync_api import expect

from core import code_listing, univariate
from core.figures.taylor import MODEL_MINIMUM_NAME, QUADRATIC_MODEL_NAME
from tests.e2e.conftest import assert_no_errors, open_app, plotted, press_live, screenshot, wait_for_app


def himmelblau_newton_point(x: float, y: float) -> np.ndarray:
    """p − H⁻¹∇f for Himmelblau's (x² + y − 11)² + (x + y² − 7)², written out by hand."""
    a, b = x**2 + y - 11, x + y**2 - 7
    g = np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
    h = np.array([[12 * x**2 + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 4 * x + 12 * y**2 - 26]])
    return np.array([x, y]) - np.linalg.solve(h, g)


def model_minimum(page) -> tuple[float, float]:
    chart = next(c for c in plotted(page) if any(t["name"] == QUADRATIC_MODEL_NAME for t in c))
    cross = next(t for t in chart if t["name"] == MODEL_MINIMUM_NAME)
    return cross["x"][0], cross["y"][0]


def test_the_quadratic_model_moves_to_the_settled_point(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field?fn=Himmelblau&quadratic=true&x0=3.5&y0=2.5")
    assert model_minimum(page) == pytest.approx(tuple(himmelblau_newton_point(3.5, 2.5)), rel=1e-9)
    press_live(page, "x0", 4)  # 3.5 -> 3.7 in the browser; the model follows when the value settles
    page.wait_for_function("() => new URLSearchParams(location.search).get('x0') === '3.7'")
    wait_for_app(page)
    assert model_minimum(page) == pytest.approx(tuple(himmelblau_newton_point(3.7, 2.5)), rel=1e-9)
    screenshot(page, "gradient-field-quadratic-model")
    assert_no_errors(page)


def test_the_code_opens_closed_with_python_and_a_copy_button(page, app_url):
    open_app(page, f"{app_url}/Derivative")
    panel = page.locator("[data-testid='stExpander']").filter(has_text="The code")
    code = panel.locator("[data-testid='stCode']")
    assert not code.is_visible()  # closed by default
    panel.get_by_text("The code").click()
    code.wait_for()
    assert "scipy.differentiate import derivative" in code.inner_text()
    seed_cubic = univariate.prepare(univariate.preset_formula(univariate.DEFAULT)).expr
    assert f"f = {code_listing.sympy_source(seed_cubic)}" in code.inner_text()
    code.scroll_into_view_if_needed()
    code.hover()  # the toolbar with the copy button shows on hover
    expect(code.get_by_role("button", name="Copy to clipboard")).to_have_count(1)
    assert_no_errors(page)
