"""Browser tests: Playwright driving Debian's Chromium against a real `streamlit run` server.

One server per test module (fixture ``app_url``). All waiting goes through ``wait_for_app`` so flakiness
has one place to be fixed. Without /usr/bin/chromium the tests skip on a user's machine and fail in CI.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PROJECTOR = {"width": 1280, "height": 720}

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed; browser tests skipped (apt-get install chromium)")
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": PROJECTOR}


# Opened on a page's own URL (/Derivative), Streamlit's frontend first tries that path as the server's base
# URL (/Derivative/_stcore/health, .../host-config) and falls back to "/": two expected 404s, not our errors.
_BASE_URL_PROBE = re.compile(r"/[^/]+/_stcore/(health|host-config)$")


def _is_error(message) -> bool:
    return message.type == "error" and not _BASE_URL_PROBE.search(message.location.get("url", ""))


@pytest.fixture(autouse=True)
def no_console_errors(page: Page):
    """Every browser test also fails on an error in the browser's console or an uncaught script error."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if _is_error(message) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert not errors, errors


@pytest.fixture(scope="module")
def app_url(request):
    """A freshly started server for this module; the first page a test opens is a cold start."""
    log = ROOT / "artifacts" / f"server-{request.module.__name__.rsplit('.', 1)[-1]}.log"
    with streamlit_server(log) as (url, _):
        yield url


def wait_for_app(page: Page, timeout: float = 90_000) -> None:
    """Wait until the script has finished running and the page has stopped changing."""
    # A rerun may start a moment after the action that caused it (a click's round trip, a slider's debounce),
    # so "not running" must hold for a quiet second after both the last state change and this call, watched
    # by an observer on the attribute.
    page.evaluate(
        """() => {
            window.__waitStarted = performance.now();
            if (window.__scriptStateObserver) return;
            const app = document.querySelector("[data-testid='stApp']");
            window.__lastScriptStateChange = performance.now();
            window.__scriptStateObserver = new MutationObserver(() => {
                window.__lastScriptStateChange = performance.now();
            });
            window.__scriptStateObserver.observe(
                app, {attributes: true, attributeFilter: ["data-test-script-state"]}
            );
        }"""
    )
    page.wait_for_function(
        """() => document.querySelector("[data-testid='stApp']").dataset.testScriptState === 'notRunning'
            && performance.now() - Math.max(window.__lastScriptStateChange, window.__waitStarted) > 1000""",
        timeout=timeout,
    )
    # widgets and Plotly load lazily behind skeletons, after the script has finished
    page.wait_for_function(
        """() => !document.querySelector("[data-testid='stSkeleton']")
            && Array.from(document.querySelectorAll('.js-plotly-plot')).every(el => el._fullLayout)
            && Array.from(document.querySelectorAll("[data-testid='stElementContainer']"))
                .filter(el => [...el.classList].some(c => c.startsWith('st-key-') && c.endsWith('-live')))
                .every(el => el.querySelector(".gl-live[data-ready='1']"))""",
        timeout=timeout,
    )


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    # before the websocket connects the app also reads 'notRunning': wait for the page's own title first
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
    wait_for_app(page)


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG at the current window size; ``full_page`` grows the window to the content's height first
    (Streamlit scrolls inside its own container, so Playwright's full_page alone would not)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    if full_page:
        height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        wait_for_app(page)
    page.screenshot(path=str(path))
    if full_page:
        page.set_viewport_size(size)
    return path


def assert_no_errors(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    errors = page.locator("[data-testid='stAlertContentError']")
    assert errors.count() == 0, errors.all_inner_texts()


def plotted(page: Page) -> list[list[dict]]:
    """The data of every Plotly chart on the page, as plotly.js holds it: [[{name, x, y}, ...], ...]."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el =>
            el._fullData.map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || [])})))"""
    )


def trace_y(page: Page, chart: int, name: str) -> list[float]:
    return next(t["y"] for t in plotted(page)[chart] if t["name"] == name)


def _slider(page: Page, label: str):
    return page.locator("[data-testid='stSlider']").filter(has_text=label).get_by_role("slider").first


def slider_value(page: Page, label: str) -> float:
    return float(_slider(page, label).input_value())


def move_slider(page: Page, label: str, presses: int, key: str = "ArrowRight") -> None:
    """Move the slider with this label by keyboard, as a user with the arrow keys would, then wait."""
    slider = _slider(page, label)
    slider.focus()
    for _ in range(presses):
        slider.press(key)
    wait_for_app(page)


# Live charts (ui/live_chart.py): controls inside the chart that redraw it in the browser.


def live_input(page: Page, control: str):
    return page.locator(f".gl-live input[data-control='{control}']")


def live_value(page: Page, control: str) -> float:
    """The control's value as the chart shows it (its output next to the slider, as a number)."""
    return float(page.evaluate(f"() => document.querySelector('.gl-live').glChart.values[{control!r}]"))


def live_readout(page: Page, label: str) -> str:
    cell = page.locator(".gl-readout").filter(has=page.locator(".gl-readout-label", has_text=label)).first
    return cell.locator(".gl-readout-value").inner_text()


class SentFrames:
    """Counts the websocket messages the page sends: a live control must send none while it moves.
    Create it before the page opens: Playwright reports only websockets opened after it listens."""

    def __init__(self, page: Page):
        self.count = 0
        page.on("websocket", lambda ws: ws.on("framesent", self._sent))

    def _sent(self, _payload) -> None:
        self.count += 1


def wait_for_fit(page: Page) -> None:
    """Until the first live chart's first plot has its fitted height: a refit after a test measured the
    plot would move what it then clicks."""
    page.wait_for_function(
        """() => { const chart = document.querySelector('.gl-live').glChart, div = chart.plotDivs[0];
            const fitted = chart.fittedLayout(chart.designedLayouts[0], 0).height;
            return div._fullLayout && Math.abs(div._fullLayout.height - fitted) < 8; }"""
    )


def first_plot_area(page: Page) -> dict:
    """The first live chart's height, the size of its plot area (inside the axes: a square map's side is
    the smaller), its legend's entries and the height they need (a legend taller than the plot scrolls)."""
    return page.evaluate(
        """() => { const div = document.querySelector('.gl-plot'), L = div._fullLayout;
            const legend = [...div.querySelectorAll('.legend .traces')].map(e => e.textContent);
            return {height: L.height, area: [L._size.w, L._size.h], legend,
                    legendHeight: L.legend?._height}; }"""
    )


def press_live(
    page: Page, control: str, presses: int, key: str = "ArrowRight", quiet: SentFrames | None = None
) -> None:
    """Arrow keys on a live control, pressed in a row (as a held key repeats), then waited for until the
    chart has applied every one and drawn the last (no server involved): the readouts change at once, the
    plots a frame later, later still on a loaded machine. With `quiet`, also asserts that the page sent
    nothing while the keys went down. It counts at once, before the wait: the chart sends its settled
    value 350 ms after the last key, and on a loaded machine the drawing can take longer than that."""
    live_input(page, control).focus()
    applied = int(page.evaluate("() => document.querySelector('.gl-live').dataset.applied || 0"))
    sent = quiet.count if quiet else 0
    for _ in range(presses):
        page.keyboard.press(key)
    if quiet:
        assert quiet.count == sent, "a live control sent a message while its keys went down"
    page.wait_for_function(
        """(target) => {
            const chart = document.querySelector('.gl-live').dataset;
            return Number(chart.applied) >= target && Number(chart.drawn) >= Number(chart.applied);
        }""",
        arg=applied + presses,
    )
