"""core.workers: long NumPy work computed in a worker process, the same answer as in the caller's thread,
and computed there whenever no worker can give it; a worker never outlives its server."""

from __future__ import annotations

import functools
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from core import bivariate, datasets, nn_landscape, nn_training, race, workers
from core.descent import linear, logistic

ROOT = Path(__file__).resolve().parents[2]


def process_id(_: object = None) -> int:
    return os.getpid()


def fails(message: str) -> None:
    raise ValueError(message)


def dies_in_a_worker(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)
    return "here"


def slow_in_a_worker(parent: int) -> str:
    if os.getpid() != parent:
        time.sleep(30)
    return "here"


def test_the_work_runs_in_another_process_and_the_workers_are_kept():
    first = workers.off_the_lock(process_id, time_limit=10)
    assert first != os.getpid()
    assert workers.off_the_lock(process_id, time_limit=10) in {first, *[w.process.pid for w in workers._IDLE]}


def test_training_and_its_landscape_in_a_worker_equal_the_same_work_done_here():
    settings = nn_training.TrainingSettings(epochs=20, n_samples=100)
    here = nn_training.train_network(settings)
    there = workers.off_the_lock(nn_training.train_network, settings, time_limit=30)
    np.testing.assert_array_equal(there.path, here.path)
    assert there.cross_entropy == here.cross_entropy
    on_plane = functools.partial(nn_landscape.loss_landscape, plane="pca", resolution=21)
    np.testing.assert_array_equal(
        workers.off_the_lock(on_plane, there, time_limit=30).loss, on_plane(here).loss
    )


@pytest.mark.parametrize(
    ("view", "dataset", "rate"),
    [
        (linear.linear_descent_view, datasets.regression_data(), 0.01),
        (logistic.logistic_descent_view, datasets.classification_data(n_features=2), 0.5),
    ],
)
def test_a_regression_descent_in_a_worker_equals_the_same_descent_done_here(view, dataset, rate):
    run = functools.partial(view, standardize=True, learning_rate=rate, n_iterations=200)
    here, there = run(dataset), workers.off_the_lock(run, dataset, time_limit=30)
    # what would silently keep the work here: a request or an answer that cannot cross the pipe
    pickle.loads(pickle.dumps((run, dataset)))
    pickle.loads(pickle.dumps(here))
    for name in ("w", "b", "loss"):
        np.testing.assert_array_equal(getattr(there.run.path, name), getattr(here.run.path, name))
    assert there.window == here.window


def test_a_formula_crosses_as_its_symbolic_parts_compiled_again_and_races_there_as_here():
    b = bivariate.prepare("(1 - x)^2 + 100 (y - x^2)^2")
    copy = pickle.loads(pickle.dumps(b))
    grid = np.linspace(-2.0, 2.0, 9)
    assert copy.f is not b.f and (copy.expr, copy.latex, copy.hessian) == (b.expr, b.latex, b.hessian)
    np.testing.assert_array_equal(copy.f(grid, grid[::-1]), b.f(grid, grid[::-1]))
    for here, there in zip(copy.gradient_at(grid, grid), b.gradient_at(grid, grid), strict=True):
        np.testing.assert_array_equal(here, there)
    args = (b, (-1.5, 2.0), 300, race.DEFAULT_RATES)
    here, there = race.race(*args), workers.off_the_lock(race.race, *args, time_limit=30)
    pickle.loads(pickle.dumps(here))  # the answer crosses the pipe too
    assert [r.name for r in there] == list(race.DEFAULT_RATES)
    for mine, theirs in zip(here, there, strict=True):
        np.testing.assert_array_equal(theirs.path, mine.path)
        np.testing.assert_array_equal(theirs.loss, mine.loss)
        assert (theirs.diverged, theirs.gradient_steps) == (mine.diverged, mine.gradient_steps)


def test_workers_yield_the_cores_to_the_server():
    here = os.nice(0)
    assert workers.off_the_lock(os.nice, 0, time_limit=10) == here + workers.WORKER_NICENESS > here


def test_a_failure_in_the_worker_is_raised_here_as_the_work_itself_raises_it():
    with pytest.raises(ValueError, match="no such plane"):
        workers.off_the_lock(fails, "no such plane", time_limit=10)
    assert workers.off_the_lock(process_id, time_limit=10) != os.getpid()  # the worker is still there


def test_a_worker_that_dies_is_replaced_and_its_work_done_here():
    assert workers.off_the_lock(dies_in_a_worker, os.getpid(), time_limit=10) == "here"
    assert all(worker.alive for worker in workers._IDLE)
    assert workers.off_the_lock(process_id, time_limit=10) != os.getpid()


def test_work_a_worker_has_not_finished_in_time_is_done_here_and_the_worker_killed():
    started = time.perf_counter()
    assert workers.off_the_lock(slow_in_a_worker, os.getpid(), time_limit=1.0) == "here"
    assert time.perf_counter() - started < 10
    assert all(worker.alive for worker in workers._IDLE)  # the stuck one is not kept


def test_work_that_cannot_be_sent_to_a_worker_is_done_here():
    assert workers.off_the_lock(lambda: os.getpid(), time_limit=10) == os.getpid()


def test_a_worker_forked_while_another_thread_imports_is_not_used(monkeypatch):
    monkeypatch.setattr(workers, "_IDLE", [])  # a new worker, forked now
    monkeypatch.setattr(workers, "imports_in_progress", lambda: True)
    assert workers.off_the_lock(process_id, time_limit=10) == os.getpid()


def test_the_workers_end_when_their_server_is_killed():
    server = textwrap.dedent(
        """
        import threading
        from core import workers
        from tests.unit.test_workers import process_id
        # two callers at once: two workers, each forked with the other's pipe open in the server
        found = []
        call = lambda: found.append(workers.off_the_lock(process_id, time_limit=10))
        threads = [threading.Thread(target=call) for _ in range(2)]
        [thread.start() for thread in threads]
        [thread.join() for thread in threads]
        print(*found, flush=True)
        import os, signal
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", server], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    pids = [int(pid) for pid in finished.stdout.split()]
    assert pids, finished.stderr
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in pids):
        assert time.monotonic() < deadline, f"workers {pids} outlived their server"
        time.sleep(0.1)


def test_a_worker_ends_on_sigterm_whatever_its_server_does_with_it(monkeypatch):
    monkeypatch.setattr(workers, "_IDLE", [])
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # a server that handles SIGTERM itself
    try:
        pid = workers.off_the_lock(process_id, time_limit=10)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert pid != os.getpid()
    os.kill(pid, signal.SIGTERM)
    (worker,) = workers._IDLE
    worker.process.join(timeout=5)
    assert worker.process.exitcode == -signal.SIGTERM


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "Z"
