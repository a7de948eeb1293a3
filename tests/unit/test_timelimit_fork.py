"""core.timelimit forks only a process with no import under way (issue #17's cold burst).

A thread's import of a module is held half-way while the time-limited call runs: a child forked then would
inherit that module half-built and its lock held by a thread it does not have, and wait forever on its
first import of it. Each case runs in a fresh interpreter under a wall-clock cap and prints its outcome.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCENARIO = textwrap.dedent(
    """
    import sys, threading, time
    from core import timelimit

    sys.path.insert(0, sys.argv[2])
    reached, release = threading.Event(), threading.Event()
    sys.held_import = (reached, release)  # the held module's body waits on these
    importer = threading.Thread(target=__import__, args=("held_module",), daemon=True)
    importer.start()
    assert reached.wait(30) and "held_module" in sys.modules

    def read_held_module():
        import held_module
        return held_module.VALUE

    results = []
    if sys.argv[1] == "public":
        caller = threading.Thread(target=lambda: results.append(
            timelimit.run_with_time_limit(read_held_module, time_limit=3)
        ))
        caller.start()

        def innermost(thread):
            frame = sys._current_frames().get(thread.ident)
            return frame.f_code.co_name if frame is not None else ""

        # let the import finish once the call has either returned or is waiting for imports to settle
        while caller.is_alive() and innermost(caller) != "run_with_time_limit":
            time.sleep(0.01)
        release.set()
        caller.join()
    else:  # a fork that slipped in during the import: the child itself must notice and say so
        results.append(timelimit._run_in_child(read_held_module, (), 3))
        release.set()
    importer.join()
    result = results[0]
    outcome = "value" if result.ok else "timed out" if result.timed_out else "error"
    print(outcome, result.value or result.error)
    """
)
HELD_MODULE = textwrap.dedent(
    """
    import sys
    reached, release = sys.held_import
    reached.set()
    release.wait()
    VALUE = 42
    """
)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("public", "value 42"),  # waits until the import is complete, then forks and answers
        ("child", "error forked during an import"),  # a child forked mid-import exits instead of hanging
    ],
)
def test_a_time_limited_call_is_not_forked_into_a_half_finished_import(tmp_path, mode, expected):
    (tmp_path / "held_module.py").write_text(HELD_MODULE)
    result = subprocess.run(
        [sys.executable, "-c", SCENARIO, mode, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected, result.stdout + result.stderr
