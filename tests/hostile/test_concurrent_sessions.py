"""While one session's hostile formula is being worked out (in its forked child, up to the time limit),
another session's rerun in the same server process still answers: the waiting thread holds no lock that
the other needs, and the child is killed at the limit with a message."""

from __future__ import annotations

import multiprocessing
import threading
import time

from core import bivariate, expressions, preparation
from tests.apptest.conftest import assert_healthy, open_page

# the max of a few dozen planes (50 s on the gradient field): its Hessian took 22 s here
MANY_PLANES = "max(" + ", ".join(f"1x+{k}y" for k in range(1, 21)) + ")"
TIME_LIMIT = 10.0  # s: well above what the other session's rerun needs, however loaded the machine


def test_a_second_session_answers_while_a_hostile_formula_is_worked_out(monkeypatch):
    # lift the predictive bounds (max arguments, derivative size), so only the time budget stands between
    # this formula and the server: the backstop for whatever the predictive bounds miss
    monkeypatch.setattr(expressions, "MAX_MINMAX_ARGUMENTS", 30)
    monkeypatch.setattr(preparation, "MAX_DERIVATIVE_NODES", 10**6)
    monkeypatch.setattr(preparation, "SYMBOLIC_TIME_LIMIT", TIME_LIMIT)
    bivariate._worked_out.cache_clear()
    heavy: dict = {}

    def open_the_heavy_formula() -> None:
        start = time.perf_counter()
        heavy["app"] = open_page(
            "pages/2_Gradient_Field.py", timeout=60, fn="Custom formula", formula=MANY_PLANES
        )
        heavy["seconds"] = time.perf_counter() - start

    thread = threading.Thread(target=open_the_heavy_formula, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)  # polling for the condition: the heavy formula's child has started
    assert multiprocessing.active_children(), "the heavy formula never reached its forked child"

    other = open_page("pages/1_Derivative.py")  # the seed's cubic, in a second session
    answered_while_heavy_ran = thread.is_alive()
    assert_healthy(other)
    assert any("3 x^{2} - 4 x + 3" in block.value for block in other.latex)
    assert answered_while_heavy_ran, f"the heavy formula had already ended ({heavy.get('seconds')} s)"

    thread.join(timeout=60)
    assert not thread.is_alive()
    app = heavy["app"]
    assert not app.exception
    stopped = f"took longer than {TIME_LIMIT:g} s, so it was stopped"
    assert any(stopped in error.value for error in app.error), [error.value for error in app.error]
    bivariate._worked_out.cache_clear()
