"""The Critical points page in a real browser: markers appear, a slow input does not freeze it, and a closed
tab's solve stops."""

import os
import time
from urllib.parse import quote

from tests.e2e.conftest import assert_no_errors, open_app, plotted, screenshot
from ui.inputs import CUSTOM


def marker_names(page):
    return {
        t["name"] for t in plotted(page)[0] if t["name"] in ("minimum", "maximum", "saddle", "degenerate")
    }


def test_a_cold_deep_link_to_himmelblau_shows_all_three_kinds_of_marker(page, app_url):
    open_app(page, f"{app_url}/Critical_Points?fn=Himmelblau&limit=0.5")
    assert_no_errors(page)
    assert marker_names(page) == {"minimum", "maximum", "saddle"}
    assert page.get_by_text("found 9 critical points").count() == 1
    screenshot(page, "critical-points-himmelblau", full_page=True)


def test_the_seeds_example_explains_itself_instead_of_crashing(page, app_url):
    open_app(page, f"{app_url}/Critical_Points")
    assert_no_errors(page)
    assert page.get_by_text("There is no critical point").count() == 1
    assert marker_names(page) == set()
    screenshot(page, "critical-points-seed-example")


def test_lecture_mode_keeps_the_markers_readable(page, app_url):
    open_app(page, f"{app_url}/Critical_Points?fn=Saddle+x%C2%B2%E2%88%92y%C2%B2&lecture=1")
    assert_no_errors(page)
    assert marker_names(page) == {"saddle"}
    screenshot(page, "critical-points-saddle-lecture", full_page=True)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                state, parent = stat.read().rsplit(")", 1)[1].split()[:2]
        except OSError:
            continue
        if int(parent) == pid and state != "Z":
            found.add(int(entry))
    return found


def _server_pid(app_url: str) -> int:
    port = app_url.rsplit(":", 1)[1]
    for pid in _children(os.getpid()):
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            arguments = cmdline.read().split(b"\0")
        if b"streamlit" in arguments and port.encode() in arguments:
            return pid
    raise AssertionError(f"no streamlit server on port {port} among this process's children")


def test_closing_the_tab_stops_its_symbolic_solve_at_once(page, app_url):
    """Issue #21: the solve for a tab that was closed used to run on to its time limit, for nobody."""
    server = _server_pid(app_url)
    formula = quote("x^7 + y^7 - 3x y")  # SymPy's solve takes all 5 s it is given
    page.goto(f"{app_url}/Critical_Points?fn={quote(CUSTOM)}&formula={formula}&limit=5")
    born: dict[int, float] = {}
    deadline = time.monotonic() + 90
    while True:  # the solve's child: the server's one child alive for over a second (preparation is quicker)
        now, children = time.monotonic(), _children(server)
        for child in children:
            born.setdefault(child, now)
        solving = [child for child in children if now - born[child] > 1.0]
        if solving:
            break
        assert now < deadline, "no solve started"
        time.sleep(0.02)
    page.close()
    while set(solving) & _children(server):
        # its time limit would end it 5 s after it was born; closing the tab ends it within 0.1-0.3 s here
        assert time.monotonic() < born[solving[0]] + 4.0, "the solve ran on after its tab was closed"
        time.sleep(0.02)
