"""In a real browser (Playwright, Chromium): server start to first page rendered, slider step to new chart.

Time from starting the server to the first page fully rendered, and per page the time from a slider key
press to its charts showing the new data.

A fresh `streamlit run` serves each cold start. A slider step is timed inside the page: from just before the
key press (ArrowRight on a focused sidebar slider; ArrowLeft at its maximum) until a fingerprint of every
chart's plotted data (plotly.js's ``_fullData``) differs from before the press, checked every animation
frame. Between steps the page settles (a quiet second with the script not running), so each step is one
rerun, with a new value (a cache miss) unless the slider came back from its end. Budget: 300 ms a step.

Run from the repository root: python -m benchmarks.bench_browser
"""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from ui.registry import HOME, PAGES, PageInfo

ROOT = Path(__file__).resolve().parents[1]
SERVER_LOG = ROOT / "artifacts" / "bench-browser-server.log"
VIEWPORT = {"width": 1280, "height": 720}  # a projector
MOVES = 5
BUDGET_MS = 300
TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000  # a step whose charts do not change by then counts as "no change"
COLD_STARTS = (HOME, PAGES[0])  # the home page, and a deep link to a page with charts
# The sidebar slider moved on each page, its main control (label text, matched as a substring), and the
# query string the page opens with.
SLIDERS = {
    "pages/1_Derivative.py": ("x range", ""),  # x₀ and h are live (benchmarks/bench_live.py)
    # the point and the direction are live on pages 2 and 3 (bench_live.py): a new window is a full rerun
    "pages/2_Gradient_Field.py": ("Window size", ""),
    "pages/3_Directional_Derivative.py": ("Window size", ""),
    # each window is solved anew (symbolically, in a child process); from the smallest, four steps are new
    # windows and the fifth comes back to a solved one
    "pages/4_Critical_Points.py": ("Zoom out", "zoom=0.25"),
    # the iteration, start and (linear) learning rate are live (benchmarks/bench_live.py); new data reruns
    "pages/5_Linear_Regression_GD.py": ("Noise", ""),
    "pages/6_Logistic_Regression_GD.py": ("Class separation", ""),
    "pages/7_Optimizer_Race.py": ("Steps", ""),  # the start is live (a click on the map)
    "pages/8_Neural_Network_Landscape.py": ("Epochs", ""),  # retrains the network
}

# The page has finished its run and drawn everything: widgets and Plotly mount lazily behind skeletons.
_RENDERED = """charts => {
    const app = document.querySelector("[data-testid='stApp']");
    const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    return document.querySelector("[data-testid='stMain'] h1") && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector("[data-testid='stSkeleton']")
        && plots.length >= charts && plots.every(el => el._fullLayout);
}"""
# A rerun can start a moment after a slider's key press (the slider commits after a debounce): settled means
# the script has not been running for a second.
_WATCH_SCRIPT_STATE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    window.__lastScriptStateChange = performance.now();
    window.__scriptStates = [];
    new MutationObserver(() => {
        window.__lastScriptStateChange = performance.now();
        window.__scriptStates.push([performance.now(), app.dataset.testScriptState]);
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
_SETTLED = """() => document.querySelector("[data-testid='stApp']").dataset.testScriptState === 'notRunning'
    && performance.now() - window.__lastScriptStateChange > 1000
    && !document.querySelector("[data-testid='stSkeleton']")
    && Array.from(document.querySelectorAll('.js-plotly-plot')).every(el => el._fullLayout)"""
# What every chart plots, summarised: trace names, lengths and sums of x, y and z (nested arrays flattened).
_FINGERPRINT = """() => {
    const sum = v => {
        if (v == null || typeof v !== "object" || !(Symbol.iterator in v)) return [0, Number(v) || 0];
        let n = 0, s = 0;
        for (const item of v) { const [m, t] = sum(item); n += m || 1; s += t; }
        return [n, s];
    };
    return JSON.stringify(Array.from(document.querySelectorAll('.js-plotly-plot')).map(el =>
        el._fullData.map(t => [t.name, sum(t.x), sum(t.y), sum(t.z)])));
}"""
_STARTED = f"() => {{ window.__before = ({_FINGERPRINT})(); return performance.now(); }}"
# milliseconds from t0 until the first rerun that started after it was back to notRunning (null: none yet),
# read off the states _WATCH_SCRIPT_STATE records
_RERUN_DONE = """t0 => {
    const states = window.__scriptStates;
    const start = states.findIndex(([t, state]) => t >= t0 && state === 'running');
    const done = start < 0 ? undefined : states.slice(start + 1).find(([t, state]) => state === 'notRunning');
    return done ? done[0] - t0 : null;
}"""
# milliseconds from t0 once the fingerprint differs from the one taken before the press; null until then
_CHANGED = f"t0 => ({_FINGERPRINT})() !== window.__before ? performance.now() - t0 : null"


def page_url(base: str, page: PageInfo, query: str = "") -> str:
    return f"{base}/{page.url_path}{'?' if query else ''}{query}"


def open_page(tab, url: str, charts: int) -> None:
    tab.goto(url)
    tab.wait_for_function(_RENDERED, arg=charts, timeout=TIMEOUT_MS, polling=20)


def cold_start(browser, page: PageInfo) -> float:
    """Seconds from starting a fresh server to ``page`` rendered in a new tab (the browser already runs)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        with streamlit_server(SERVER_LOG) as (url, started):
            open_page(context.new_page(), page_url(url, page), 0 if page is HOME else 1)
            return time.perf_counter() - started
    finally:
        context.close()


def slider_steps(
    browser, url: str, page: PageInfo, label: str, query: str
) -> list[tuple[float | None, float | None]]:
    """For each of MOVES key presses on the slider, milliseconds from the press to the charts' data changing
    (None: no change within STEP_TIMEOUT_MS) and to the end of the rerun it started. The difference is
    roughly the browser's share (a chart can change before the run ends, when more follows it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    context = browser.new_context(viewport=VIEWPORT)
    try:
        tab = context.new_page()
        open_page(tab, page_url(url, page, query), 1)
        tab.evaluate(_WATCH_SCRIPT_STATE)
        sliders = tab.locator("[data-testid='stSidebar'] [data-testid='stSlider']")
        widget = sliders.filter(has_text=label).first
        slider = widget.get_by_role("slider").first
        steps = []
        for _ in range(MOVES):
            tab.wait_for_function(_SETTLED, timeout=TIMEOUT_MS, polling=50)
            # Streamlit's thumb has no aria-valuenow/valuemax; the widget's text ends with its maximum
            at_max = slider.get_attribute("aria-valuetext") == widget.inner_text().split()[-1]
            slider.focus()
            t0 = tab.evaluate(_STARTED)
            slider.press("ArrowLeft" if at_max else "ArrowRight")
            try:
                changed = tab.wait_for_function(_CHANGED, arg=t0, timeout=STEP_TIMEOUT_MS, polling="raf")
                chart = changed.json_value()
            except PlaywrightTimeoutError:
                chart = None
            tab.wait_for_function(_SETTLED, timeout=TIMEOUT_MS, polling=50)
            steps.append((chart, tab.evaluate(_RERUN_DONE, t0)))
        return steps
    finally:
        context.close()


def main() -> None:
    if not CHROMIUM.exists():
        print(f"Skipped: {CHROMIUM} is missing (apt-get install chromium).")
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("Skipped: playwright is not installed (pip install -r requirements-dev.txt).")
        return
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            print("| first page after server start | seconds |")
            print("|---|---:|")
            for page in COLD_STARTS:
                print(f"| {page.title} | {cold_start(browser, page):.2f} |")
            print()
            print(f"| page | slider moved | median ms, key press to new chart data | max ms | "
                  f"within {BUDGET_MS} ms | median ms, key press to rerun finished | "
                  "steps without a change |")  # fmt: skip
            print("|---|---|---:|---:|---|---:|---:|")
            with streamlit_server(SERVER_LOG) as (url, _):
                for page in PAGES:
                    if page.path not in SLIDERS:
                        continue
                    label, query = SLIDERS[page.path]
                    steps = slider_steps(browser, url, page, label, query)
                    times = [chart for chart, _ in steps if chart is not None]
                    median, worst = (statistics.median(times), max(times)) if times else (math.nan,) * 2
                    within = "yes" if median <= BUDGET_MS else "no"
                    reruns = [done for _, done in steps if done is not None]
                    rerun = statistics.median(reruns) if reruns else math.nan
                    print(f"| {Path(page.path).stem} | {label} | {median:.0f} | {worst:.0f} | {within} | "
                          f"{rerun:.0f} | {len(steps) - len(times)} |")  # fmt: skip
        finally:
            browser.close()


if __name__ == "__main__":
    main()
