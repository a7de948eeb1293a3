"""Server time per page (AppTest): first run, rerun after each main control moves (cache miss), rerun
with nothing changed (cache hit), and the size of the chart JSON the browser receives.

Run from the repository root: python -m benchmarks.bench_pages
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 7

Move = Callable[[AppTest, int], object]  # sets a control to its i-th new value (each one new: a miss)

SCENARIOS: dict[str, dict[str, Move]] = {
    "pages/1_Derivative.py": {
        "point x0": lambda app, i: _let_go(app, "derivative-live", x0=round(-2 + 0.35 * i, 2)),
        "step h": lambda app, i: _let_go(app, "derivative-live", h=[1e-3, 1e-6, 1e-9][i % 3]),
        "x range": lambda app, i: app.slider(key="xr").set_value((-3.0 + 0.5 * (i % 4), 3.0)),
    },
    "pages/2_Gradient_Field.py": {
        "point x0": lambda app, i: _let_go(app, "gradient-field-live", x0=round(-1.8 + 0.45 * i, 2)),
        "arrows per side": lambda app, i: app.slider(key="arrows").set_value(16 + 3 * i),
        "window size": lambda app, i: app.select_slider(key="zoom").set_value([0.5, 2.0, 4.0, 0.25][i % 4]),
    },
    "pages/3_Directional_Derivative.py": {
        "point x0": lambda app, i: _let_go(app, "directional-live", x0=round(-1.8 + 0.45 * i, 2)),
        "direction u1": lambda app, i: _let_go(app, "directional-live", u1=round(-2.5 + 0.7 * i, 1)),
        "window size": lambda app, i: app.select_slider(key="zoom").set_value([0.5, 2.0, 4.0, 0.25][i % 4]),
    },
    "pages/4_Critical_Points.py": {
        # a new window is a new question: symbolic solving runs again (in a forked child), then numeric
        "zoom (new windows, then cached ones)": lambda app, i: app.select_slider(key="zoom").set_value(
            [0.25, 0.5, 2.0, 4.0, 0.25, 0.5, 2.0][i]
        ),
    },
    "pages/7_Optimizer_Race.py": {
        "steps": lambda app, i: app.slider(key="steps").set_value(100 + 20 * i),
        "start x": lambda app, i: _let_go(app, "race-live", sx=round(-1.8 + 0.1 * i, 2)),
        "Adam's learning rate": lambda app, i: app.select_slider(key="lr_Adam").set_value(
            [0.01, 0.02, 0.1, 0.2, 0.5, 0.005, 0.002][i]
        ),
    },
    "pages/5_Linear_Regression_GD.py": {
        "learning rate": lambda app, i: _let_go(
            app, "linear-live", lr=[0.02, 0.05, 0.1, 0.2, 0.005, 0.002, 0.5][i]
        ),
        "iterations": lambda app, i: app.select_slider(key="iters").set_value(
            [200, 500, 1000, 50, 20, 2000, 100][i]  # back at the default last, as on the logistic page
        ),
        "start w0": lambda app, i: _let_go(app, "linear-live", w0=-40.0 + 10 * i),
        "your line w": lambda app, i: app.slider(key="own_w").set_value(5.0 + 5 * i),
        "show iteration": lambda app, i: _let_go(app, "linear-live", show=3 + 7 * i),
        # mini-batch SGD: a new batch size reruns descent and draws the gradient cloud
        "batch size": lambda app, i: app.select_slider(key="batch").set_value([50, 20, 10, 5, 2, 200, 25][i]),
        "Adam's learning rate": lambda app, i: (
            app.selectbox(key="opt").set_value("Adam"),
            _let_go(app, "linear-live", lr=[0.5, 1.0, 2.0, 5.0, 0.2, 0.1, 10.0][i]),
        ),
    },
    "pages/6_Logistic_Regression_GD.py": {
        "learning rate": lambda app, i: app.select_slider(key="lr").set_value(
            [0.2, 1.0, 0.1, 2.0, 0.05, 5.0, 0.02][i]
        ),
        # back at the default 100 last: later moves (batch size: mini-batch SGD, a Python loop per step)
        # are measured at default settings, as the budget is, not at 2000 iterations
        "iterations": lambda app, i: app.select_slider(key="iters").set_value(
            [200, 500, 50, 20, 2000, 10, 100][i]
        ),
        "start w0": lambda app, i: _let_go(app, "logistic-live", w0=-4.0 + 1.5 * i),
        "show iteration": lambda app, i: _let_go(app, "logistic-live", show=3 + 7 * i),
        "class separation (new data)": lambda app, i: app.slider(key="sep").set_value(
            round(1.2 + 0.3 * i, 1)
        ),
        "batch size": lambda app, i: app.select_slider(key="batch").set_value([50, 20, 10, 5, 2, 1, 200][i]),
        "Adam's learning rate": lambda app, i: (
            app.selectbox(key="opt").set_value("Adam"),
            app.select_slider(key="lr").set_value([0.5, 1.0, 2.0, 5.0, 0.2, 0.1, 10.0][i]),
        ),
        # last: it switches the page to two features; each iteration's bias is a new (w₁, w₂) slice
        "show iteration, two features": lambda app, i: (
            app.radio(key="features").set_value(2),
            _let_go(app, "logistic-live", show=3 + 7 * i),
        ),
    },
    "pages/8_Neural_Network_Landscape.py": {
        # a new direction seed recomputes the landscape only; epochs and L2 retrain the network too
        "direction seed": lambda app, i: app.number_input(key="dseed").set_value(1 + i),
        "epochs (retrains)": lambda app, i: app.slider(key="epochs").set_value(20 + 10 * i),
        "L2 strength (retrains)": lambda app, i: app.select_slider(key="l2").set_value(
            [0.0, 1e-5, 1e-3, 1e-2, 0.1, 1.0, 10.0][i]
        ),
    },
}


def _let_go(app: AppTest, key: str, **view: float) -> None:
    """A live chart's controls let go at these values, as the browser reports them (ui/live_chart.py)."""
    state = app.session_state[key] if key in app.session_state else {"view": {}}  # noqa: SIM401 (no .get)
    app.session_state[key] = {"view": {**state["view"], **view}}


def _open(page: str) -> tuple[AppTest, float]:
    app = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    app.run()
    app.switch_page(page)
    start = time.perf_counter()
    app.run()
    return app, time.perf_counter() - start


def _timed_rerun(app: AppTest, change: Callable[[], object] | None = None) -> float:
    if change is not None:
        change()
    start = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - start
    assert not app.exception, app.exception
    return elapsed


def chart_bytes(app: AppTest) -> int:
    """The charts' JSON: st.plotly_chart's specs and the live charts' data (their figures, controls and
    recipe parameters), as sent."""
    live = sum(len(component.proto.json) for component in app.get("bidi_component"))
    return live + sum(len(chart.proto.spec) for chart in app.get("plotly_chart"))


BUDGET_MS = 150  # server time of a rerun after a slider move (DESIGN.md)
JSON_BUDGET = 1024 * 1024


def main() -> None:
    print(f"| page | what | median ms | max ms | median within {BUDGET_MS} ms |")
    print("|---|---|---:|---:|:---|")
    sizes = []
    for page, moves in SCENARIOS.items():
        app, first = _open(page)
        name = Path(page).stem
        print(f"| {name} | first run (cold caches) | {first * 1000:.0f} | |")
        sizes.append((name, chart_bytes(app)))
        for label, move in moves.items():
            times = [_timed_rerun(app, partial(move, app, i)) for i in range(REPEATS)]
            median = statistics.median(times) * 1000
            print(f"| {name} | move {label} (miss) | {median:.0f} | {max(times) * 1000:.0f} | "
                  f"{'yes' if median <= BUDGET_MS else 'no'} |")  # fmt: skip
        hits = [_timed_rerun(app) for _ in range(REPEATS)]
        median, worst = statistics.median(hits) * 1000, max(hits) * 1000
        print(f"| {name} | rerun, nothing changed | {median:.0f} | {worst:.0f} | "
              f"{'yes' if median <= BUDGET_MS else 'no'} |")  # fmt: skip
    print()
    print(
        "AppTest runs the script as the server does, minus the websocket and the browser; a new window on "
        "the critical-points page is a new solve, bounded by its time limit rather than by this budget."
    )
    print()
    print("| page | chart JSON at defaults | within 1 MB |")
    print("|---|---:|:---|")
    for name, size in sizes:
        print(f"| {name} | {size / 1024:.0f} KiB | {'yes' if size <= JSON_BUDGET else 'no'} |")


if __name__ == "__main__":
    main()
