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

A child cannot take the server down: it may grow its address space by at most CHILD_MEMORY_MB (beyond
that allocations fail and the work ends with a MemoryError; the solver for a nested square of 60
characters grew to 739 MB before), it is killed by the kernel after its time limit's worth of CPU even if
the parent never comes back to kill it, and at most MAX_CHILDREN run at once: a call that cannot get a
slot within its time limit ends like a timeout, with ``busy`` set.

Nor does it work for nobody: the page layer registers how to tell that whoever asked has gone (a closed
tab: ``stop_when``), checked while the child runs, and then the child is killed at once and
``CallerGone`` raised, instead of the work running on to its time limit with no one to see it (issue #21).
Raising, rather than returning an answer, keeps anything from caching a result that was never computed.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import _bootstrap
from typing import Any

_CONTEXT = multiprocessing.get_context("fork")
IMPORT_SETTLE_LIMIT = 10.0  # seconds of retrying forks while other threads import, before the time limit
_RETRY_PAUSE = 0.02  # seconds: imports of the app's modules take tens of milliseconds to seconds
_BUSY = "forked during an import"
CHILD_MEMORY_MB = 512
MAX_CHILDREN = 3  # on 2 cores: two hostile requests at once still leave a slot for everyone else
_SLOTS = threading.BoundedSemaphore(MAX_CHILDREN)


_WATCH_EVERY = 0.1  # seconds between checks that the caller is still there


class CallerGone(Exception):
    """Whoever asked for the work went away (the check given to ``stop_when`` said so): it was stopped."""


def _caller_gone() -> bool:  # until the page layer registers its check (stop_when): always there
    return False


def stop_when(caller_gone: Callable[[], bool]) -> None:
    """Register how to tell that the caller of the current thread has gone: called every 0.1 s while a
    child works (and while waiting for a slot), in the caller's own thread."""
    global _caller_gone
    _caller_gone = caller_gone


@dataclass(frozen=True)
class TimedResult:
    """What a time-limited call produced: a value, or why there is none."""

    value: Any = None
    timed_out: bool = False
    error: str = ""
    seconds: float = 0.0
    busy: bool = False  # timed out waiting for a free slot (MAX_CHILDREN were running): no child ran

    @property
    def ok(self) -> bool:
        return not self.timed_out and not self.error

    @property
    def out_of_memory(self) -> bool:
        return self.error.startswith("MemoryError")


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


def _limit_resources(time_limit: float) -> None:
    """In the child: CHILD_MEMORY_MB more address space than the fork inherited, and the time limit's CPU
    seconds (plus one) before the kernel ends it, whatever the parent is doing."""
    cpu = math.ceil(time_limit) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    inherited = _address_space_bytes()
    if inherited is not None:
        limit = inherited + CHILD_MEMORY_MB * 2**20
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(
            resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
        )


def _address_space_bytes() -> int | None:
    """This process's virtual memory size (VmSize), or None where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _child(connection, function: Callable[..., Any], args: tuple, time_limit: float) -> None:
    try:
        _limit_resources(time_limit)
        if imports_in_progress():  # in this copy those imports will never finish: let the parent fork again
            connection.send((_BUSY, None))
            return
        connection.send(("ok", function(*args)))
    except MemoryError:
        connection.send(("error", f"MemoryError: the work needed more than {CHILD_MEMORY_MB} MB of memory"))
    except BaseException as exc:  # the parent must hear about every failure, whatever it was
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()
        os._exit(0)  # skip atexit handlers and buffered I/O inherited from the parent


def run_with_time_limit(function: Callable[..., Any], *args: Any, time_limit: float) -> TimedResult:
    """Call ``function(*args)`` in a forked child; kill it if it has not answered within ``time_limit`` s.

    ``function`` must be a module-level function and its result picklable. Waiting for a free slot counts
    against ``time_limit``.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be > 0. Got {time_limit!r} instead.")
    start = time.perf_counter()
    if not _watching_caller(
        lambda timeout: _SLOTS.acquire(timeout=timeout), start + time_limit, "waiting for a worker"
    ):
        return TimedResult(timed_out=True, busy=True, seconds=time.perf_counter() - start)
    try:
        remaining = time_limit - (time.perf_counter() - start)
        settle_deadline = time.perf_counter() + IMPORT_SETTLE_LIMIT
        while True:
            while imports_in_progress() and time.perf_counter() < settle_deadline:
                time.sleep(_RETRY_PAUSE)
            result = _run_in_child(function, args, max(remaining, 1e-3))
            if result.error != _BUSY:
                return result
            if time.perf_counter() >= settle_deadline:
                return TimedResult(error="the server was busy importing modules; try again", seconds=0.0)
    finally:
        _SLOTS.release()


def _watching_caller(ready: Callable[[float], bool], deadline: float, waiting_for: str) -> bool:
    """``ready(timeout)`` in slices of _WATCH_EVERY until it is true (True) or ``deadline`` passes (False);
    raises CallerGone as soon as the caller has gone."""
    while True:
        if ready(max(0.0, min(_WATCH_EVERY, deadline - time.perf_counter()))):
            return True
        if _caller_gone():
            raise CallerGone(f"the caller went away while {waiting_for}")
        if time.perf_counter() >= deadline:
            return False


def _run_in_child(function: Callable[..., Any], args: tuple, time_limit: float) -> TimedResult:
    start = time.perf_counter()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(sender, function, args, time_limit), daemon=True)
    process.start()
    sender.close()
    try:
        if _watching_caller(receiver.poll, start + time_limit, "the work ran"):
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
