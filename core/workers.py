"""Long NumPy work (training the network page's MLP, its loss landscape, the regression descents, the
optimizer race) in worker processes, so that its Python loops do not hold the server's interpreter lock.

Every session's script runs on a thread of one server process, and only one thread at a time runs Python:
one retraining of 100-400 ms there made every other student's rerun wait behind it (issue #17). A worker
runs it on another core while this process goes on serving; the caller only waits on a pipe.

The workers are forked once and kept, not forked per call as ``core.timelimit``'s children are: a fork of
a server holding 400-600 MB cost 40-50 ms of CPU (half of it in the parent, holding the lock), as much as
the work it would take off the lock. What is sent is pickled: the function (a module-level one, or a
``functools.partial`` of one) and its arguments, and the answer back.

Only trusted work comes here: the arguments are checked settings, and formulas only once parsed (a
``core.bivariate.Bivariate`` crosses as its SymPy trees and is compiled again there), never text: parsing
goes to ``core.timelimit``, whose children are killed at a time limit and kept small. Still, the answer must
come whatever happens, so when no worker can give it (none free within the time limit, a worker forked
while another thread imported and so unable to import, killed at the time limit on a starved machine, or
failing) the work is done in the calling thread, as before, and a worker that failed is replaced.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from core.timelimit import imports_in_progress

WORKERS = 2  # one per core: the work is CPU-bound
WORKER_NICENESS = 5  # see _serve
START_TIMEOUT = 5.0  # seconds for a new worker to say it is ready
_CONTEXT = multiprocessing.get_context("fork")  # a copy of the running server: nothing to import again
_SLOTS = threading.BoundedSemaphore(WORKERS)
_IDLE: list[_Worker] = []
_IDLE_LOCK = threading.Lock()
_PARENT_CHECK = 1.0  # seconds: a worker whose server has gone (killed, so nothing told it) exits this soon


def _serve(connection) -> None:
    """The worker's loop: (function, args) in, ("ok", value) or ("error", words) out, till the pipe closes."""
    server = os.getppid()
    # the server's own handlers (Streamlit stops its event loop on SIGTERM) mean nothing here: without the
    # defaults a worker ignored the SIGTERM that ends daemon processes, and outlived its server
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # below the server in the scheduler's eyes: the server's one thread holding the interpreter lock serves
    # every session, and a worker's long job competing with it for a core delayed all of them
    os.nice(WORKER_NICENESS)
    # every file the server had open but this worker's pipe: the other workers' pipes (two workers each
    # holding the other's open never saw it close), its listening socket, each browser's websocket, a test's
    # pipes to its browser driver. A copy held here would keep each open after the server closed it (a
    # browser would never see its connection end; Playwright's driver never saw the end of its input, and
    # the test run hung at its end). Standard input and output too: under pytest-xdist they are the test
    # process's channel to its controller.
    keep = connection.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
    nothing = os.open(os.devnull, os.O_RDWR)
    for standard in (0, 1, 2):
        os.dup2(nothing, standard)
    os.close(nothing)
    try:
        # a copy forked during another thread's import holds that module half-built for good
        connection.send(("busy" if imports_in_progress() else "ready", None))
        while True:
            while not connection.poll(_PARENT_CHECK):
                if os.getppid() != server:  # adopted: the server has gone
                    return
            function, args = connection.recv()
            try:
                connection.send(("ok", function(*args)))
            except BaseException as exc:  # the caller must hear about every failure, whatever it was
                connection.send(("error", f"{type(exc).__name__}: {exc}"))
    except (EOFError, OSError):  # the server closed the pipe, or has gone
        pass
    finally:
        os._exit(0)  # skip atexit handlers and buffered I/O inherited from the server


class _Worker:
    def __init__(self) -> None:
        self.connection, child_end = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(
            target=_serve, args=(child_end,), daemon=True, name="gradient-lab-worker"
        )
        self.process.start()
        child_end.close()

    def ready(self) -> bool:
        if self.connection.poll(START_TIMEOUT):
            try:
                return self.connection.recv()[0] == "ready"
            except (EOFError, OSError):
                return False
        return False

    def call(self, function: Callable[..., Any], args: tuple, timeout: float) -> tuple[bool, Any]:
        """(True, value), or (False, None) with the worker stopped when the failure was its own (it timed out
        or died); work that cannot be pickled leaves it usable."""
        try:
            self.connection.send((function, args))  # pickled whole before anything is written
        except (pickle.PicklingError, TypeError, AttributeError):
            return False, None
        try:
            if not self.connection.poll(timeout):
                self.stop()
                return False, None
            status, payload = self.connection.recv()
        except (EOFError, OSError, ValueError):  # the worker died; ValueError: a closed pipe
            self.stop()
            return False, None
        return status == "ok", payload

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not self.connection.closed

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=1)


def _take_worker() -> _Worker | None:
    with _IDLE_LOCK:
        while _IDLE:
            worker = _IDLE.pop()
            if worker.alive:
                return worker
    worker = _Worker()
    if worker.ready():
        return worker
    worker.stop()
    return None


def off_the_lock(function: Callable[..., Any], *args: Any, time_limit: float) -> Any:
    """``function(*args)``, computed in a worker process (in this thread when no worker can: see above)."""
    start = time.perf_counter()
    if not _SLOTS.acquire(timeout=time_limit):
        return function(*args)
    try:
        worker = _take_worker()
        if worker is not None:
            done, value = worker.call(function, args, max(time_limit - (time.perf_counter() - start), 0.01))
            if worker.alive:
                with _IDLE_LOCK:
                    _IDLE.append(worker)
            if done:
                return value
    finally:
        _SLOTS.release()
    return function(*args)
