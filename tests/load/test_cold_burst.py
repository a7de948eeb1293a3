"""A class opening the link together: a burst of sessions against a fresh `streamlit run`, every first run
clean (issue #17: on a cold server 20 of 50 simultaneous first runs raised import errors).

No browser: the sessions speak Streamlit's websocket protocol (benchmarks/protocol.py), one thread each,
released together by a barrier once every one has its XSRF token, so their first runs start within a few
milliseconds of each other and import the pages' modules concurrently, as a lecture hall does.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.protocol import Run, Session, SessionError, every_page, xsrf_token
from benchmarks.server import streamlit_server

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "artifacts" / "cold-burst-server.log"
SESSIONS_PER_PAGE = 4  # 9 pages: 36 sessions, every page opened cold by four at once
FIRST_RUN_TIMEOUT = 60  # seconds: 36 first runs share two cores, one interpreter lock


@pytest.fixture(scope="module")
def burst() -> tuple[list[tuple[str, Run | str]], str]:
    """Each session's page and its first run (or why it could not run), and the server's log."""
    visits = every_page() * SESSIONS_PER_PAGE
    barrier = threading.Barrier(len(visits))
    with streamlit_server(LOG) as (url, _):
        token = xsrf_token(url)

        def first_run(index: int) -> tuple[str, Run | str]:
            session = Session(url, visits[index], token=token, rng=random.Random(index), timeout=10)
            barrier.wait(timeout=30)
            try:
                return visits[index].path, session.open(timeout=FIRST_RUN_TIMEOUT)
            except SessionError as error:
                return visits[index].path, error.kind
            finally:
                session.close()

        with ThreadPoolExecutor(max_workers=len(visits)) as pool:
            runs = list(pool.map(first_run, range(len(visits))))
    return runs, LOG.read_text()


def test_every_session_of_a_cold_burst_finishes_its_first_run(burst):
    runs, _ = burst
    assert len(runs) >= 30
    assert [(page, run) for page, run in runs if isinstance(run, str)] == []


def test_no_first_run_of_a_cold_burst_shows_an_exception_or_error_box(burst):
    runs, _ = burst
    assert [(page, run.errors) for page, run in runs if isinstance(run, Run) and run.errors] == []


def test_the_server_logs_no_error_during_a_cold_burst(burst):
    _, log = burst
    assert not [line for line in log.splitlines() if "Traceback" in line or "Error" in line], log
