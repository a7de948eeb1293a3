"""The home page in a real browser: it renders and its cards lead to the pages."""

from tests.e2e.conftest import assert_no_errors, open_app, screenshot, wait_for_app
from ui.registry import PAGES


def test_the_home_page_renders_a_card_per_page(page, app_url):
    open_app(page, app_url)
    assert_no_errors(page)
    main = page.locator("[data-testid='stMain']")
    for info in PAGES:
        assert main.get_by_role("link", name=info.title, exact=True).count() == 1
    screenshot(page, "home")


def test_a_card_opens_its_page(page, app_url):
    open_app(page, app_url)
    page.locator("[data-testid='stMain']").get_by_role("link", name="Derivative", exact=True).click()
    page.wait_for_url("**/Derivative*")  # the live chart writes x0 and h into the URL
    wait_for_app(page)
    assert_no_errors(page)
    assert page.locator(".gl-plot").count() == 2  # the live chart: f and the error of finite differences
