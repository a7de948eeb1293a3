"""Run SymPy work that can blow up (simplify, solve) in a child process that is killed at a time limit.

Threads cannot be stopped and ``signal.alarm`` only works on the main thread, which Streamlit does not run
pages on. Under ``streamlit run`` the page script is ``__main__``, so the ``spawn`` and ``forkserver``
start methods would re-run the page inside the child; ``fork`` copies the already-imported process and
starts in tens of milliseconds. The worker functions live in importable modules (never in a page).

A fork copies the import locks as they are at that instant: if another session's thread was importing a
module, the child holds that module half-built and its lock held by a thread the child does not have, and
the first import of it there (SymPy imports inside its functions) waits forever: killed at the limit, an
innocent formula "took too long". That happened to a third of the first runs when a class opened the app
together on a cold server (issue #17). So a child first checks that no import was under way when it was
forked, and if one was it exits at once and the parent forks again a moment later.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import _bootstrap
from typing import Any

_CONTEXT = multiprocessing.get_context("fork")
IMPORT_SETTLE_LIMIT = 10.0  # seconds of retrying forks while other threads import, before the time limit
_RETRY_PAUSE = 0.02  # seconds: imports of the app's modules take tens of milliseconds to seconds
_BUSY = "forked during an import"


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


def imports_in_progress() -> bool:
    """Whether some thread of this process is importing a module: holds a module's import lock, or has a
    module in ``sys.modules`` whose body has not finished running."""
    for reference in list(_bootstrap._module_locks.values()):
        lock = reference()
        if lock is not None and lock.count:  # an int in Python 3.11, a list of holds from 3.12 on
            return True
    return any(
        getattr(getattr(module, "__spec__", None), "_initializing", False)
        for module in list(sys.modules.values())
    )


def _child(connection, function: Callable[..., Any], args: tuple) -> None:
    try:
        if imports_in_progress():  # in this copy those imports will never finish: let the parent fork again
            connection.send((_BUSY, None))
            return
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
    settle_deadline = time.perf_counter() + IMPORT_SETTLE_LIMIT
    while True:
        while imports_in_progress() and time.perf_counter() < settle_deadline:
            time.sleep(_RETRY_PAUSE)
        result = _run_in_child(function, args, time_limit)
        if result.error != _BUSY:
            return result
        if time.perf_counter() >= settle_deadline:
            return TimedResult(error="the server was busy importing modules; try again", seconds=0.0)


def _run_in_child(function: Callable[..., Any], args: tuple, time_limit: float) -> TimedResult:
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
            return TimedResult(error=_BUSY if status == _BUSY else payload, seconds=elapsed)
        return TimedResult(timed_out=True, seconds=time.perf_counter() - start)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=1)
