"""Run hostile formulas through every page that takes a formula, under AppTest, in this process:
``python -m tests.hostile.run_page 0 2 20`` takes every second formula starting with the first, types each
into every page in turn (one AppTest session per page, rerun per formula, as a user typing would) and prints
one JSON line per (page, formula): what the page showed and how long the rerun took. ``test_hostile_pages``
starts one of these per core, each under a wall-clock cap, so a case that hangs cannot hang the test run.
Pages in one process share the formula cache, as on a server: the first page pays the preparation."""

from __future__ import annotations

import json
import sys
import time

from tests.apptest.conftest import open_page
from tests.hostile.formulas import FORMULAS

DERIVATIVE = "pages/1_Derivative.py"
RACE = "pages/7_Optimizer_Race.py"  # the one page that does not echo f as LaTeX
PAGES = {  # page -> extra URL parameters
    DERIVATIVE: {},
    "pages/2_Gradient_Field.py": {},
    "pages/3_Directional_Derivative.py": {},
    # the solver's own time limit is not under test here (tests/unit/test_critical_points.py has it)
    "pages/4_Critical_Points.py": {"limit": "0.5"},
    RACE: {},
}
MARKER = "HOSTILE-CASE "  # Streamlit logs to the same streams: case lines are the marked ones


def page_state(app) -> dict:
    return {
        "exceptions": [e.message for e in app.exception],
        "errors": [e.value for e in app.error],
        "warnings": [w.value for w in app.warning],
        "latex": [block.value for block in app.latex],
    }


def main(worker: int, workers: int, timeout: float) -> None:
    sessions = {
        page: open_page(page, timeout=timeout, fn="Custom formula", **query) for page, query in PAGES.items()
    }
    for case in FORMULAS[worker::workers]:
        for page, app in sessions.items():
            if page == DERIVATIVE and not case.one_variable:
                continue
            start = time.perf_counter()
            try:
                app.text_input(key="formula").input(case.text).run()
                result = {"timed_out": False, **page_state(app)}
            except RuntimeError as error:  # AppTest's timeout: the script is still running
                result = {"timed_out": True, "detail": str(error)}
            result.update(page=page, text=case.text, seconds=time.perf_counter() - start)
            print(MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
