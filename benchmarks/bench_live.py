"""Live charts in Chromium (Playwright): a live control's key press or pointer move to the chart changed.

For every live chart on every page (ui/live_chart.py), each of its controls takes MOVES arrow-key presses,
and a chart that can be dragged takes MOVES pointer moves. Each is timed inside the page, from the input
event's own timestamp (the browser's clock, when the key or pointer event was created) to the animation
frame after the chart's SVG first changed: what a person sees, without Playwright's round trip. The
websocket messages the page sends during the moves are counted too: a live move sends none.
Budget: 50 ms (one to three frames at 60 Hz).

Run from the repository root: python -m benchmarks.bench_live
"""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[1]
SERVER_LOG = ROOT / "artifacts" / "bench-live-server.log"
VIEWPORT = {"width": 1280, "height": 720}
MOVES = 7
BUDGET_MS = 50
TIMEOUT_MS = 90_000

_READY = """() => document.querySelector("[data-testid='stApp']").dataset.testScriptState === 'notRunning'
    && document.querySelector("[data-testid='stMain'] h1")
    && !document.querySelector("[data-testid='stSkeleton']")
    && Array.from(document.querySelectorAll("[data-testid='stElementContainer']"))
        .filter(el => [...el.classList].some(c => c.startsWith('st-key-') && c.endsWith('-live')))
        .every(el => el.querySelector(".gl-live[data-ready='1']"))
    && Array.from(document.querySelectorAll('.gl-live')).every(el =>
        Object.keys(el.glChart.values).every(k => el.glChart.values[k] === el.glChart.synced[k]))"""
# Arms a one-shot timer: the next trusted input event of this type starts it, the first mutation of the
# chart's plots after it stops it at the following animation frame.
_ARM = """([type, chart]) => {
    const plots = document.querySelectorAll('.gl-live')[chart].querySelector('.gl-plots');
    window.__liveMs = null;
    let start = null;
    const onInput = (event) => { if (start === null) start = event.timeStamp; };
    document.addEventListener(type, onInput, {capture: true});
    const observer = new MutationObserver(() => {
        if (start === null) return;
        observer.disconnect();
        document.removeEventListener(type, onInput, {capture: true});
        requestAnimationFrame(() => { window.__liveMs = performance.now() - start; });
    });
    observer.observe(plots, {subtree: true, attributes: true, childList: true, characterData: true});
}"""
_CONTROLS = """() => Array.from(document.querySelectorAll('.gl-live')).map(el => ({
    controls: el.glChart.data.controls.map(c => c.name), drag: el.glChart.data.drag }))"""
_DRAG_BOX = """([chart, plot]) => {
    const gd = document.querySelectorAll('.gl-live')[chart].glChart.plotDivs[plot];
    const { xaxis: xa, yaxis: ya } = gd._fullLayout; const r = gd.getBoundingClientRect();
    // the axes' own box: an equal-aspect chart (constrain: domain) draws them inside its margins
    return {left: r.left + xa._offset, top: r.top + ya._offset, width: xa._length, height: ya._length}; }"""


def _timed(tab, kind: str, chart: int, act) -> float:
    tab.evaluate(_ARM, [kind, chart])
    act()
    return tab.wait_for_function("() => window.__liveMs", timeout=10_000).json_value()


def measure_page(browser, url: str) -> list[tuple[str, str, list[float], int]]:
    """(chart key, what moved, milliseconds per move, websocket messages sent during the moves)."""
    context = browser.new_context(viewport=VIEWPORT)
    sent = [0]
    try:
        tab = context.new_page()
        tab.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.__setitem__(0, sent[0] + 1)))
        tab.goto(url)
        tab.wait_for_function(_READY, timeout=TIMEOUT_MS, polling=50)
        tab.wait_for_timeout(1500)  # lazily mounted elements (a live chart's chunk) after the script's end
        tab.wait_for_function(_READY, timeout=TIMEOUT_MS, polling=50)
        rows = []
        for chart, info in enumerate(tab.evaluate(_CONTROLS)):
            for name in info["controls"]:
                control = tab.locator(".gl-live").nth(chart).locator(f"input[data-control='{name}']")
                if control.is_disabled():
                    continue
                control.focus()
                before, times = sent[0], []
                # back and forth, first away from the end a control starts at (an iteration at its last)
                keys = ("ArrowLeft", "ArrowRight") if control.evaluate("e => e.value === e.max") else (
                    "ArrowRight", "ArrowLeft")  # fmt: skip
                for k in range(MOVES):
                    key = keys[k % 2]
                    times.append(_timed(tab, "keydown", chart, lambda key=key: tab.keyboard.press(key)))
                rows.append((name, "arrow key", times, sent[0] - before))
                tab.wait_for_function(
                    _READY, timeout=TIMEOUT_MS
                )  # the settled value's rerun, before the next
            drag = info["drag"]
            if drag:
                # a chart below the fold (a GD page's landscape at 1280x720) gets no pointer events off screen
                tab.locator(".gl-live").nth(chart).locator(".gl-plot").nth(
                    drag["plot"]
                ).scroll_into_view_if_needed()
                box = tab.evaluate(_DRAG_BOX, [chart, drag["plot"]])
                y = box["top"] + box["height"] * 0.5
                tab.mouse.move(box["left"] + box["width"] * 0.3, y)
                tab.mouse.down()
                before, times = sent[0], []
                for k in range(MOVES):
                    x = box["left"] + box["width"] * (0.32 + 0.03 * k)
                    times.append(_timed(tab, "pointermove", chart, lambda x=x, y=y: tab.mouse.move(x, y)))
                dragged = sent[0] - before
                tab.mouse.up()
                rows.append(
                    (
                        "/".join(filter(None, (drag.get("x"), drag.get("y")))) or drag.get("handler"),
                        "pointer drag",
                        times,
                        dragged,
                    )
                )
                tab.wait_for_function(_READY, timeout=TIMEOUT_MS)
        return rows
    finally:
        context.close()


def main() -> None:
    if not CHROMIUM.exists():
        print(f"Skipped: {CHROMIUM} is missing (apt-get install chromium).")
        return
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    print(f"| page | live control | input | median ms, input to chart changed | max ms | "
          f"within {BUDGET_MS} ms | websocket messages sent during the moves |")  # fmt: skip
    print("|---|---|---|---:|---:|---|---:|")
    with sync_playwright() as playwright, streamlit_server(SERVER_LOG) as (url, _):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for page in PAGES:
                try:
                    rows = measure_page(browser, f"{url}/{page.url_path}")
                except PlaywrightTimeoutError:
                    print(f"| {Path(page.path).stem} | (did not settle within {TIMEOUT_MS / 1000:g} s) |")
                    continue
                for name, kind, times, sent in rows:
                    median = statistics.median(times)
                    within = "yes" if median <= BUDGET_MS else "no"
                    print(f"| {Path(page.path).stem} | {name} | {kind} | {median:.1f} | {max(times):.1f} | "
                          f"{within} | {sent} |")  # fmt: skip
        finally:
            browser.close()


if __name__ == "__main__":
    main()
