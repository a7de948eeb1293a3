"""Hostile formulas under a real `streamlit run` (issues #20, #21): the forked, time-limited preparation
works in the server (where the page script is ``__main__``), and each formula ends in words, never in an
exception box. The whole corpus runs under AppTest in tests/hostile; these are its browser spot checks."""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page

from tests.e2e.conftest import assert_no_errors, open_app, plotted, screenshot


def open_formula(page: Page, app_url: str, path: str, formula: str) -> None:
    open_app(page, f"{app_url}/{path}?{urlencode({'fn': 'Custom formula', 'formula': formula})}")


def refusal(page: Page) -> str:
    assert page.locator("[data-testid='stException']").count() == 0
    return " ".join(page.locator("[data-testid='stAlertContentError']").all_inner_texts())


def test_a_tower_of_x_and_y_is_refused_with_its_height_on_the_gradient_field(page, app_url):
    open_formula(page, app_url, "Gradient_Field", "^".join("xy" * 8))
    message = refusal(page)
    assert "That formula can't be used" in message and "exponentials" in message
    screenshot(page, "hostile-tower-refused")


def test_zero_to_the_x_is_explained_on_the_derivative_page_not_drawn_with_a_vertical_tangent(page, app_url):
    open_formula(page, app_url, "Derivative", "0^x")
    message = refusal(page)
    assert "ln 0" in message and "NaN" not in message and "vertical" not in message


def test_a_power_with_a_huge_exact_fraction_is_drawn_as_its_decimal(page, app_url):
    open_formula(page, app_url, "Derivative", "(999999/1000000)^1000000 x")
    assert_no_errors(page)
    tex = " ".join(page.locator(".katex annotation").all_text_contents())  # KaTeX keeps its TeX source
    assert "f(x) = 0.367879257231645 x" in tex  # e^(10^6 ln(1 - 10^-6)) = 0.3678792572316451
    assert plotted(page)


def test_a_heavy_formula_within_the_bounds_is_worked_out_in_the_server_and_drawn(page, app_url):
    open_formula(page, app_url, "Gradient_Field", "max(x y, x^2, y^2, x-y) * max(x^2 y, x y^2, x+y, x-y)")
    assert page.locator("[data-testid='stException']").count() == 0
    assert "can't be used" not in refusal(page)
    assert len(plotted(page)) == 2  # contour with arrows, and the surface
