"""The cold-burst import race of issue #17, made deterministic.

One thread's import of pandas is held half-way (pandas already in ``sys.modules``, ``pandas.Series`` not yet
defined) while another thread imports our figure modules and builds a Plotly figure, as a session opening
a page does while an earlier session is still importing pandas. Plotly looks pandas up in ``sys.modules``
without importing it, so without the fix in ``core/__init__.py`` that figure fails with "partially
initialized module 'pandas' has no attribute 'Series'". With it, the second thread waits in
``import pandas`` until pandas is complete. Each case runs in a fresh interpreter (pandas must not be
imported yet), under a wall-clock cap, and reports what happened on its standard output.
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
    import importlib, importlib.abc, sys, threading, time
    from importlib.machinery import PathFinder

    held, release = threading.Event(), threading.Event()

    class HoldPandasHalfway(importlib.abc.MetaPathFinder):
        # pandas/__init__ gets Series from pandas.core.api: hold the importing thread before that module
        # runs (in its loader, not here: finders run under the global import lock, which would stop all)
        def find_spec(self, name, path, target=None):
            if name != "pandas.core.api" or threading.current_thread().name != "first session":
                return None
            spec = PathFinder.find_spec(name, path)
            run_module = spec.loader.exec_module

            def exec_module(module):
                held.set()
                release.wait()
                run_module(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, HoldPandasHalfway())
    first = threading.Thread(target=importlib.import_module, args=("pandas",), name="first session")
    first.start()
    assert held.wait(30), "pandas never reached pandas.core.api"
    assert "pandas" in sys.modules and not hasattr(sys.modules["pandas"], "Series")

    outcome = []

    def second_session():
        try:
            exec(sys.argv[1], {})
            import plotly.graph_objects as go
            go.Figure(go.Scatter(x=[0.0, 1.0], y=[1.0, 0.0]))
            outcome.append("figure built")
        except Exception as error:
            outcome.append(f"{type(error).__name__}: {error}")

    second = threading.Thread(target=second_session)
    second.start()

    def waiting_for_an_import_lock(thread):
        frame = sys._current_frames().get(thread.ident)
        while frame is not None:
            code = frame.f_code
            if code.co_name in ("_lock_unlock_module", "acquire") and "importlib" in code.co_filename:
                return True
            frame = frame.f_back
        return False

    # let pandas finish only once the second thread has either finished or is waiting for pandas' lock
    while second.is_alive() and not waiting_for_an_import_lock(second):
        time.sleep(0.01)
    release.set()
    first.join()
    second.join()
    print(outcome[0])
    """
)


@pytest.mark.parametrize(
    "first_import",
    [
        "from core import bivariate",  # how the pages start
        "import core.figures.fields",  # a submodule first: its parent package's file is not waited for
        "from core.figures import figure",
    ],
)
def test_a_figure_built_while_another_session_imports_pandas_waits_for_pandas(first_import):
    result = subprocess.run(
        [sys.executable, "-c", SCENARIO, first_import],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "figure built", result.stdout + result.stderr
