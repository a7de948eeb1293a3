"""`make bench`: run every benchmark, print its tables and write them to BENCHMARKS.md with the machine.

Times are wall-clock on whatever machine runs this; compare ratios measured in the same run, not numbers
from different machines.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import platform
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

MODULES = [
    "benchmarks.bench_pages",
    "benchmarks.bench_browser",
    "benchmarks.bench_live",
    "benchmarks.bench_regression",
    "benchmarks.bench_critical_points",
]
OUTPUT = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"


def machine() -> str:
    libraries = ", ".join(
        f"{name} {version(name)}"
        for name in ("streamlit", "numpy", "scipy", "sympy", "plotly", "scikit-learn")
    )
    return (
        f"- date: {date.today().isoformat()}\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}\n"
        f"- processor: {_cpu_model()}\n"
        f"- Python {platform.python_version()}; {libraries}\n"
        f"- 1-minute load average when it started: {os.getloadavg()[0]:.2f} (all {os.cpu_count()} CPUs busy "
        f"= {os.cpu_count()}.0); anything else running inflates the times below\n"
    )


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def main() -> None:
    sections = [f"# Benchmarks\n\nWritten by `make bench`.\n\n{machine()}"]
    for name in MODULES:
        module = importlib.import_module(name)
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            module.main()
        sys.stdout.write(f"\n## {name}\n\n{buffer.getvalue()}")
        sys.stdout.flush()
        sections.append(f"## {(module.__doc__ or name).strip().splitlines()[0]}\n\n`python -m {name}`\n\n"
                        f"{buffer.getvalue()}")  # fmt: skip
    sections.append(over_budget("\n".join(sections)))
    OUTPUT.write_text("\n".join(sections))
    print(f"\nwrote {OUTPUT}")


def over_budget(report: str) -> str:
    """The rows of this run's tables that missed their budget, gathered in one place, and where the reasons
    are written up (README.md, Benchmarks: the budget table)."""
    missed = [line for line in report.splitlines() if line.startswith("|") and "| no |" in line]
    rows = "\n".join(f"- `{line.strip('| ').replace(' | ', ' · ')}`" for line in missed) or "- none"
    return (
        "## Over budget in this run\n\nEach row as in its table above (page, what moved, median ms, max ms, "
        f"…):\n\n{rows}\n\nThe 50-session load budget is measured by `make load` (LOAD.md). Why, and what "
        "it would take: README.md, *Benchmarks* (the "
        "budget table). In short: the network page's retraining is scikit-learn's training itself; in the "
        "browser, about 200 ms of a step passes before the rerun ends and plotly.js draws contours and WebGL "
        "surfaces in software here (headless Chromium, no GPU).\n"
    )


if __name__ == "__main__":
    main()
