"""axe-core's WCAG 2.1 A and AA rules on every page, at a projector's 1280×720, in normal and lecture mode,
with every expander open (axe skips what is hidden).

axe-core comes from the axe-playwright-python package (requirements-dev.txt), which bundles axe.min.js: the
scan runs offline, with no CDN. A violation fails the test with the rule, the offending elements and axe's
own summary of what to fix.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import PROJECTOR, assert_no_errors, open_app, screenshot, wait_for_app
from ui.registry import HOME, PAGES

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

AXE = Axe()


def violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands. None needed leaving out: what axe found
    in Streamlit's own widgets (caption contrast, a segmented control's selected text in the primary colour,
    code blocks and formulas that scroll without a tab stop) is fixed from the app (ui/page.py,
    .streamlit/config.toml)."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    return AXE.run(page, options=options).response["violations"]


def open_every_expander(page) -> None:
    """Open every closed expander ("The maths", the share link...): axe skips what is hidden."""
    closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    wait_for_app(page)


def describe(found: list[dict]) -> str:
    lines = []
    for rule in found:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']}")
        for node in rule["nodes"][:6]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("lecture", ["0", "1"], ids=["normal", "lecture"])
@pytest.mark.parametrize("info", [HOME, *PAGES], ids=lambda info: info.url_path or "Home")
def test_axe_finds_no_wcag_21_aa_violation(page, app_url, info, lecture):
    page.set_viewport_size(PROJECTOR)
    open_app(page, f"{app_url}/{info.url_path}?lecture={lecture}")
    assert_no_errors(page)
    open_every_expander(page)
    found = violations(page)
    if found:
        screenshot(page, f"axe-{info.url_path or 'Home'}-{'lecture' if lecture == '1' else 'normal'}")
    assert not found, describe(found)


def test_axe_reports_low_contrast_text_and_an_unlabelled_slider_put_on_a_page(page, app_url):
    """The positive control: the same scan fails on the two faults the pages were fixed for."""
    page.set_viewport_size(PROJECTOR)
    open_app(page, app_url)
    page.evaluate(
        """() => {
            const main = document.querySelector("[data-testid='stMainBlockContainer']");
            const faint = document.createElement("p");
            faint.textContent = "a caption at opacity 0.6";
            faint.style.cssText = "color: #31333f; opacity: 0.6; font-size: 14px";
            const slider = document.createElement("input");
            slider.type = "range";
            main.prepend(faint, slider);
        }"""
    )
    assert {rule["id"] for rule in violations(page)} >= {"color-contrast", "label"}
