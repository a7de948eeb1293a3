"""`make bench` imports every benchmark module before it runs any: one that no longer imports (a name moved
away from the module it came from) stops the whole run, so each is imported here."""

import importlib

import pytest

from benchmarks.__main__ import MODULES


@pytest.mark.parametrize("name", MODULES)
def test_every_benchmark_module_that_make_bench_runs_imports(name):
    module = importlib.import_module(name)
    assert callable(module.main)
