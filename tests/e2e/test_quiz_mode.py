"""Quiz mode in a real browser: while a live control moves, the readouts computed in the browser read "?"
and the traces that would give the answer away stay undrawn; Reveal brings the numbers, checked against
the seed's formulas and loop written out here; in lecture mode the Reveal button is large."""

import numpy as np
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    assert_no_errors,
    live_readout,
    live_value,
    open_app,
    press_live,
    screenshot,
    wait_for_app,
)


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def wait_settled(page: Page, control: str) -> float:
    """The control's value once the browser has sent it to the server (it is then in the URL)."""
    value = live_value(page, control)
    in_url = "([key, value]) => Number(new URLSearchParams(location.search).get(key)) === value"
    page.wait_for_function(in_url, arg=[control, value])
    wait_for_app(page)
    return value


def click_reveal(page: Page, what: str) -> None:
    page.get_by_role("button", name=f"Reveal {what}").click()
    wait_for_app(page)
    expect(page.get_by_role("button", name=f"Reveal {what}")).to_have_count(0)


def readout_cell(page: Page, label: str):
    cell = page.locator(".gl-readout").filter(has=page.locator(".gl-readout-label", has_text=label)).first
    return cell.locator(".gl-readout-value")


def live_plots(page: Page) -> list[list[dict]]:
    """The traces of the live chart's plots only (the page may show other charts below it)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.gl-live .js-plotly-plot')).map(el =>
            el.data.map(t => ({name: t.name})))"""
    )


def trace_names(page: Page) -> set[str]:
    return {trace["name"] for plot in live_plots(page) for trace in plot}


def test_the_derivative_keeps_every_slope_hidden_while_x0_moves_until_reveal(page, app_url):
    open_app(page, f"{app_url}/Derivative?quiz=1")
    labels = ("f′(x₀)", "Secant slope", "Gap", "Central difference")
    for presses in (2, 3):  # each press recomputed in the browser, and still nothing given away
        press_live(page, "x0", presses)
        assert [live_readout(page, label) for label in labels] == ["?"] * 4
    assert "tangent at x₀" not in trace_names(page)
    x0 = wait_settled(page, "x0")
    click_reveal(page, "f′(x)")
    expect(readout_cell(page, "f′(x₀)")).not_to_have_text("?")
    assert live_value(page, "x0") == x0  # the class sees the answer to the question it was asked
    slope = 3 * x0**2 - 4 * x0 + 3  # the seed's f′ of x³ − 2x² + 3x − 1
    assert number(live_readout(page, "f′(x₀)")) == round(slope, 6)
    f = np.poly1d([1, -2, 3, -1])
    central = (f(x0 + 0.1) - f(x0 - 0.1)) / 0.2
    assert abs(number(live_readout(page, "Central difference")) - central) < 1e-5 * abs(central)
    assert "tangent at x₀" in trace_names(page)
    assert_no_errors(page)


def test_the_gradient_field_hides_the_gradient_and_its_arrow_while_the_point_moves(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field?quiz=1")
    press_live(page, "x0", 3)
    press_live(page, "y0", 2, key="ArrowLeft")
    assert live_readout(page, "∇f(x₀, y₀)") == "?" and live_readout(page, "|∇f(x₀, y₀)|") == "?"
    assert "direction of ∇f(x₀, y₀)" not in trace_names(page)
    assert page.get_by_text("(2x, 4y)").count() == 0  # the preset's note waits too
    x0, y0 = wait_settled(page, "x0"), wait_settled(page, "y0")
    click_reveal(page, "∇f")
    expect(readout_cell(page, "|∇f(x₀, y₀)|")).not_to_have_text("?")
    norm = float(np.hypot(2 * x0, 4 * y0))  # ∇f = (2x, 4y) for x² + 2y², by hand
    assert abs(number(live_readout(page, "|∇f(x₀, y₀)|")) - norm) < 1e-5 * norm
    assert "direction of ∇f(x₀, y₀)" in trace_names(page)


def seed_descent(n_iterations: int) -> tuple[float, float, float]:
    """The seed's linear regression loop (lr 0.01) on its make_regression data: w, b and the MSE."""
    from sklearn.datasets import make_regression

    features, target = make_regression(n_samples=100, n_features=1, noise=10, random_state=42)
    x = features.ravel()
    w = b = 0.0
    for _ in range(n_iterations):
        error = w * x + b - target
        w, b = w - 0.01 * 2 * np.mean(error * x), b - 0.01 * 2 * np.mean(error)
    return w, b, float(np.mean((w * x + b - target) ** 2))


def test_linear_regression_hides_the_run_while_the_iteration_moves_until_reveal(page, app_url):
    open_app(page, f"{app_url}/Linear_Regression_GD?quiz=1")
    press_live(page, "show", 5, key="ArrowLeft")
    assert [live_readout(page, label) for label in ("w", "b", "MSE")] == ["?"] * 3
    assert not {"gradient descent", "shown iteration", "optimum", "least squares"} & trace_names(page)
    assert len(live_plots(page)) == 2  # the landscape and the data: the loss curve would tell the final loss
    k = wait_settled(page, "show")
    click_reveal(page, "the final weights")
    expect(readout_cell(page, "w")).not_to_have_text("?")
    assert live_value(page, "show") == k
    w, _, loss = seed_descent(int(k))
    assert abs(number(live_readout(page, "w")) - w) < 1e-5 * abs(w)
    assert abs(number(live_readout(page, "MSE")) - loss) < 1e-5 * loss
    assert {"gradient descent", "optimum", "least squares"} <= trace_names(page)


def test_in_lecture_mode_the_reveal_button_is_large(page, app_url):
    open_app(page, f"{app_url}/Gradient_Field?quiz=1&lecture=1")
    button = page.get_by_role("button", name="Reveal ∇f")
    size = button.evaluate("b => parseFloat(getComputedStyle(b.querySelector('p')).fontSize)")
    root = page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size >= 1.6 * root - 0.5  # 1.6rem
    assert button.bounding_box()["height"] >= 60
    screenshot(page, "quiz-lecture-reveal")
    open_app(page, f"{app_url}/Gradient_Field?quiz=1")  # not in normal mode: Streamlit's own size
    normal = page.get_by_role("button", name="Reveal ∇f")
    assert normal.evaluate("b => parseFloat(getComputedStyle(b.querySelector('p')).fontSize)") < size
