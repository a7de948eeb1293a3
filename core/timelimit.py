"""Run SymPy work that can blow up (simplify, solve) in a child process that is killed at a time limit.

Threads cannot be stopped and ``signal.alarm`` only works on the main thread, which Streamlit does not run
pages on. Under ``streamlit run`` the page script is ``__main__``, so the ``spawn`` and ``forkserver``
start methods would re-run the page inside the child; ``fork`` copies the already-imported process and
starts in tens of milliseconds. The worker functions live in importable modules (never in a page).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_CONTEXT = multiprocessing.get_context("fork")


@dataclass(frozen=True)
class TimedResult:
    """What a time-limited call produced: a value, or why there is none."""

    value: Any = None
    timed_out: bool = False
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.timed_out and not self.error


def _child(connection, function: Callable[..., Any], args: tuple) -> None:
    try:
        connection.send(("ok", function(*args)))
    except BaseException as exc:  # the parent must hear about every failure, whatever it was
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()
        os._exit(0)  # skip atexit handlers and buffered I/O inherited from the parent


def run_with_time_limit(function: Callable[..., Any], *args: Any, time_limit: float) -> TimedResult:
    """Call ``function(*args)`` in a forked child; kill it if it has not answered within ``time_limit`` s.

    ``function`` must be a module-level function and its result picklable.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be > 0. Got {time_limit!r} instead.")
    start = time.perf_counter()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(sender, function, args), daemon=True)
    process.start()
    sender.close()
    try:
        if receiver.poll(time_limit):
            try:
                status, payload = receiver.recv()
            except EOFError:
                status, payload = "error", "the worker process ended without an answer"
            elapsed = time.perf_counter() - start
            if status == "ok":
                return TimedResult(value=payload, seconds=elapsed)
            return TimedResult(error=payload, seconds=elapsed)
        return TimedResult(timed_out=True, seconds=time.perf_counter() - start)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=1)
