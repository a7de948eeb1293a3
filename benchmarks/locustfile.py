"""Locust's lecture hall: each simulated student holds one real Streamlit session and moves a control.

A ``Student`` opens a page (round robin over pages 1-8, or ``--pages``) over Streamlit's websocket protocol
(benchmarks/protocol.py), then every ``--interval`` seconds moves one of the page's controls - a sidebar
slider, or a live chart's scrubber through the chart's state - and times the rerun from sending the change
to ForwardMsg.script_finished. Every run is a Locust request event named after the page and the control, so
Locust's statistics, CSV and HTML report show each one; an error is a traceback or an st.error box in the
ForwardMsgs, a dropped connection, a timeout or a page the server does not have.

Headless, as `make load` runs it (benchmarks/load.py), from the repository root:

    python -m locust -f benchmarks/locustfile.py --headless -u 25 -r 5 -t 60s --host http://127.0.0.1:8501

Distributed (README, Benchmarks): ``--master`` on one machine, ``--worker --master-host HOST`` on others.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from pathlib import Path
from typing import IO

import gevent
from locust import User, events, task
from locust.env import Environment

from benchmarks.protocol import ROOT, PageVisit, Run, Session, SessionError, parse_pages, xsrf_token

LECTURE_PAGES = ",".join(str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("pages/[1-8]_*.py")))
OPEN_TIMEOUT_FACTOR = 4  # a first run in a burst of arrivals queues behind the others': allow longer


class PageError(Exception):
    """A run that finished but showed a traceback or an error box (what the student would see)."""


@events.init_command_line_parser.add_listener
def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pages", default=LECTURE_PAGES, help="comma-separated page files, each with an "
                        "optional ?query; students take them round robin (default: pages 1-8)")  # fmt: skip
    parser.add_argument(
        "--unchecked-pages",
        action="store_true",
        help="send --pages as written even if no such file is here: for a server running another checkout, "
        "or to see the errors a wrong link gives",
    )
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between one student's moves")
    parser.add_argument(
        "--rerun-timeout", type=float, default=30.0, help="seconds before a rerun is an error"
    )
    parser.add_argument("--timings", default="", help="also write every run to this file, one JSON per line")


def visits(options: argparse.Namespace) -> list[PageVisit]:
    if options.unchecked_pages:
        return [
            PageVisit(*item.strip().partition("?")[::2]) for item in options.pages.split(",") if item.strip()
        ]
    return parse_pages(options.pages)


class TimingsFile:
    """Every run as one JSON line (seconds since the epoch, kind, name, page, milliseconds, error or null):
    the raw latencies from which benchmarks/load.py takes exact percentiles (Locust's own round to 10 ms
    above 100 ms and to 100 ms above 1 s)."""

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.out: IO[str] = Path(path).open("w")  # noqa: SIM115 (open until Locust quits)

    def record(self, request_type: str, name: str, response_time: float, exception: object, context: dict,
               **_: object) -> None:  # fmt: skip
        line = {
            "time": time.time(),
            "kind": request_type,
            "name": name,
            "page": context.get("page", ""),
            "ms": response_time,
            "error": None if exception is None else str(exception),
        }
        self.out.write(json.dumps(line) + "\n")

    def close(self, **_: object) -> None:
        self.out.close()


@events.init.add_listener
def _record_timings(environment: Environment, **_: object) -> None:
    # gevent's loop caches its clock; importing Streamlit's protocol here (seconds on a busy machine) left it
    # stale, so --run-time's timer fired that many seconds early (8 s of a 16 s run)
    gevent.get_hub().loop.update_now()
    options = environment.parsed_options
    if options is not None and options.timings:
        timings = TimingsFile(options.timings)
        environment.events.request.add_listener(timings.record)
        environment.events.quitting.add_listener(timings.close)


class Student(User):
    """One browser tab: opens its page, then moves one control every ``--interval`` seconds. A session
    that drops or times out is reopened at the next move, as a student reloads the page."""

    arrivals = itertools.count()  # round robin over the pages, across every Student of this process

    def on_start(self) -> None:
        options = self.environment.parsed_options
        self.interval = options.interval if options else 5.0
        self.timeout = options.rerun_timeout if options else 30.0
        self.move_started = time.perf_counter()
        pages = visits(options) if options else parse_pages(LECTURE_PAGES)
        number = next(Student.arrivals)
        self.visit = pages[number % len(pages)]
        self.rng = random.Random(number)
        self.page = Path(self.visit.path).stem.partition("_")[2] or self.visit.path
        self.session: Session | None = None
        self._open()
        time.sleep(self.rng.uniform(0, self.interval))  # students do not move in step (gevent: a yield)

    def wait_time(self) -> float:
        """The rest of the interval since the last move began (Locust's constant pacing): a rerun slower than
        the interval delays the next move rather than overlapping it, as a student waits for the page."""
        return max(0.0, self.interval - (time.perf_counter() - self.move_started))

    def on_stop(self) -> None:
        if self.session is not None:
            self.session.close()

    @task
    def move(self) -> None:
        self.move_started = time.perf_counter()
        if self.session is None:
            self._open()
            return
        started = time.perf_counter()
        try:
            run = self.session.move()
        except SessionError as error:
            self._fire("rerun", f"{self.page}: move", started, None, error)
            self._drop()
            return
        self._fire("rerun", f"{self.page}: {run.moved}", started, run, None)

    def _open(self) -> None:
        started = time.perf_counter()
        try:
            token = xsrf_token(self.host, timeout=self.timeout)
            self.session = Session(self.host, self.visit, token=token, rng=self.rng, timeout=self.timeout)
            run = self.session.open(timeout=OPEN_TIMEOUT_FACTOR * self.timeout)
        except (SessionError, OSError) as error:  # OSError: the XSRF request itself failed
            self._fire("open", f"{self.page}: open", started, None, error)
            self._drop()
            return
        self._fire("open", f"{self.page}: open", started, run, None)
        if run.errors:  # the page showed an error: the student reloads it at the next move
            self._drop()

    def _drop(self) -> None:
        if self.session is not None:
            self.session.close()
        self.session = None

    def _fire(self, kind: str, name: str, started: float, run: Run | None, error: Exception | None) -> None:
        if run is not None and run.errors:
            error = PageError("; ".join(f"{what}: {text[:160]}" for what, text in run.errors))
        seconds = run.seconds if run is not None else time.perf_counter() - started
        self.environment.events.request.fire(
            request_type=kind,
            name=name,
            response_time=1000 * seconds,
            response_length=run.received if run is not None else 0,
            exception=error,
            context={"page": self.visit.path},
        )
