"""core.timelimit keeps heavy work from taking the server down: each child has a memory and a CPU limit,
at most MAX_CHILDREN run at once, none outlives its time limit, and the solver's cache does not solve the
same function and window again for every time limit. Memory is measured in a fresh interpreter (the
largest finished child's peak RSS, less what it inherited) under a wall-clock cap."""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from core import timelimit

ROOT = Path(__file__).resolve().parents[2]
NESTED_SQUARES = "(((((((x+y)^2+x)^2+y)^2+x)^2+y)^2+x)^2+y)^2"

MEASURE = textwrap.dedent(
    """
    import resource, sys, time

    def rss_mb():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024

    def grow_without_end():
        chunks = []
        while True:
            chunks.append(bytearray(50 * 2**20))

    from core import critical_points, timelimit
    from core.expressions import parse_expression

    inherited = rss_mb()
    start = time.perf_counter()
    if sys.argv[1] == "grow":
        message = timelimit.run_with_time_limit(grow_without_end, time_limit=10).error
    else:
        expr = parse_expression(sys.argv[1], ("x", "y"))
        message = critical_points.find_critical_points(
            expr, ("x", "y"), bounds=[(-3, 3), (-3, 3)], time_limit=4
        ).message
    grown = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 - inherited
    print(f"{time.perf_counter() - start:.2f} {grown:.0f} {message}")
    """
)


def measured(case: str) -> tuple[float, float, str]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, case], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    seconds, grown, message = done.stdout.strip().split(" ", 2)
    return float(seconds), float(grown), message


def test_a_child_that_keeps_allocating_fails_cleanly_within_its_memory_limit():
    seconds, grown, message = measured("grow")
    assert message == "MemoryError: the work needed more than 512 MB of memory"
    assert grown < timelimit.CHILD_MEMORY_MB
    assert seconds < 10  # it failed, it did not run into the time limit


def test_the_nested_square_that_peaked_at_739_mb_stays_within_the_limit_and_answers():
    seconds, grown, message = measured(NESTED_SQUARES)
    assert grown < timelimit.CHILD_MEMORY_MB
    assert message.startswith("Symbolic solving") and "numeric search" in message
    assert seconds < 10 + 5  # the hostile-case budget, with slack for this shared machine


def test_a_child_gets_its_time_limit_in_cpu_seconds_from_the_kernel():
    outcome = timelimit.run_with_time_limit(resource.getrlimit, resource.RLIMIT_CPU, time_limit=2.5)
    assert outcome.value == (math.ceil(2.5) + 1, math.ceil(2.5) + 2)


def gone_within(pids: set[int], seconds: float) -> bool:
    """Whether none of ``pids`` is still a live child of this process within ``seconds``: a killed child
    takes a moment to be reaped, and a survivor stays past any such wait. Only the children a test forked
    are judged: other tests may leave long-lived children of their own (a server, a resource tracker)."""
    deadline = time.monotonic() + seconds
    while pids & set(children_of_this_process()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def children_of_this_process() -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                found.append(int(entry))
    return found


def spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def hostile_requests(count: int, time_limit: float) -> tuple[list[threading.Thread], set[int]]:
    """``count`` threads each running a 60 s CPU spin under ``time_limit``, returned once all have forked,
    with the process ids of their children."""
    before = set(children_of_this_process())
    threads = [
        threading.Thread(
            target=timelimit.run_with_time_limit, args=(spin, 60), kwargs={"time_limit": time_limit}
        )
        for _ in range(count)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(forked := set(children_of_this_process()) - before) < count:
        assert time.monotonic() < deadline, "the hostile children never started"
        time.sleep(0.01)
    return threads, forked


def test_two_hostile_requests_at_once_leave_a_third_caller_answering_and_no_child_survives():
    assert timelimit.MAX_CHILDREN >= 3
    hostile, children = hostile_requests(2, time_limit=4)
    third = timelimit.run_with_time_limit(sum, [1, 2, 3], time_limit=3)
    assert third.value == 6
    assert all(thread.is_alive() for thread in hostile)  # answered while both were still running
    for thread in hostile:
        thread.join()
    assert gone_within(children, 5.0)  # both were killed at their limit


def test_a_caller_that_finds_every_slot_taken_degrades_like_a_timeout_with_busy_set():
    hostile, children = hostile_requests(timelimit.MAX_CHILDREN, time_limit=3)
    late = timelimit.run_with_time_limit(sum, [1, 2], time_limit=0.5)
    assert late.timed_out and late.busy and not late.ok
    assert all(thread.is_alive() for thread in hostile)
    for thread in hostile:
        thread.join()
    assert gone_within(children, 5.0)


def test_the_solver_reports_a_busy_server_in_words(monkeypatch):
    from core import critical_points
    from core.expressions import parse_expression

    def no_free_worker(*args, time_limit):
        return timelimit.TimedResult(timed_out=True, busy=True)

    monkeypatch.setattr(critical_points, "run_with_time_limit", no_free_worker)
    report = critical_points.find_critical_points(
        parse_expression("x^2 - y^2", ("x", "y")), ("x", "y"), bounds=[(-1, 1), (-1, 1)], time_limit=1
    )
    assert report.message.startswith("Symbolic solving waited 1 s for a free worker")
    assert report.server_busy and [p.kind for p in report.points] == ["saddle"]


@pytest.fixture
def counted_solves(monkeypatch):
    from core import critical_points
    from ui import cache

    calls = []
    real = critical_points.find_critical_points

    def counting(*args, **kwargs):
        calls.append(kwargs["time_limit"])
        return real(*args, **kwargs)

    monkeypatch.setattr(critical_points, "find_critical_points", counting)
    cache._critical_points_by_limit.clear()
    yield cache.critical_points_report, calls
    cache._critical_points_by_limit.clear()


def test_an_exact_answer_is_reused_for_every_time_limit(counted_solves):
    report_for, calls = counted_solves
    first = report_for("x^2 - y^2", (-3.0, 3.0, -3.0, 3.0), 2.0)
    assert first.method == "symbolic"
    for limit in (0.5, 1.0, 5.0):
        assert report_for("x^2 - y^2", (-3.0, 3.0, -3.0, 3.0), limit) is first
    assert calls == [2.0]


def test_a_numeric_fallback_is_reused_for_shorter_limits_only(counted_solves):
    report_for, calls = counted_solves
    window = (-2.0, 2.0, -2.0, 2.0)
    periodic = "sin(x) cos(y) + x y"  # never solved symbolically: the numeric answer
    first = report_for(periodic, window, 1.0)
    assert first.method == "numeric"
    assert report_for(periodic, window, 0.5) is first
    report_for(periodic, window, 2.0)
    assert calls == [1.0, 2.0]


def test_work_for_a_caller_that_has_gone_stops_at_once_while_other_callers_carry_on(monkeypatch):
    gone: set[int] = set()  # the threads whose caller has gone (the page layer asks Streamlit)
    monkeypatch.setattr(timelimit, "_caller_gone", lambda: threading.get_ident() in gone)
    outcome: list[object] = []

    def ask() -> None:
        try:
            outcome.append(timelimit.run_with_time_limit(spin, 60, time_limit=30))
        except timelimit.CallerGone:
            outcome.append("stopped")

    before = set(children_of_this_process())
    leaver = threading.Thread(target=ask)
    leaver.start()
    deadline = time.monotonic() + 20
    while not (forked := set(children_of_this_process()) - before):
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.01)
    assert timelimit.run_with_time_limit(sum, [1, 2], time_limit=5).value == 3  # a caller still there
    gone.add(leaver.ident)
    leaver.join(timeout=10)  # its limit is 30 s: only the check can end it this soon
    assert not leaver.is_alive() and outcome == ["stopped"]
    assert gone_within(forked, 5.0)


def test_a_caller_that_goes_while_waiting_for_a_slot_stops_waiting(monkeypatch):
    hostile, children = hostile_requests(timelimit.MAX_CHILDREN, time_limit=3)
    waiting = threading.get_ident()
    monkeypatch.setattr(timelimit, "_caller_gone", lambda: threading.get_ident() == waiting)
    with pytest.raises(timelimit.CallerGone):
        timelimit.run_with_time_limit(sum, [1, 2], time_limit=2)
    assert all(thread.is_alive() for thread in hostile)  # it did not wait its 2 s for their 3 s
    for thread in hostile:
        thread.join()
    assert gone_within(children, 5.0)
