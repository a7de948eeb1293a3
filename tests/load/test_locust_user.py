"""The Locust user (benchmarks/locustfile.py) against a real server: a few students for a few seconds.

Two headless Locust runs at once against one fresh `streamlit run`: three students on pages with sliders and
live charts, whose reruns must be timed with no error; and, as the positive control, students sent to a page
the server does not have, whose every open must be an error. Both read Locust's own CSV and the raw timings.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.protocol import Session, parse_pages, xsrf_token
from benchmarks.server import streamlit_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "locust-test"
LIVE_PAGES = "pages/1_Derivative.py,pages/2_Gradient_Field.py,pages/4_Critical_Points.py"


def locust(url: str, name: str, pages: str, *extra: str) -> subprocess.Popen:
    prefix = ARTIFACTS / name
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless",
        "--only-summary", "--users", "3", "--spawn-rate", "3", "--run-time", "10s", "--stop-timeout", "10",
        "--host", url, "--csv", str(prefix), "--timings", f"{prefix}-timings.jsonl", "--pages", pages,
        "--interval", "2", "--rerun-timeout", "20", *extra,
    ]  # fmt: skip
    log = (ARTIFACTS / f"{name}.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def warm(url: str) -> None:
    """Open each page once first: cold first runs on a busy machine can outlast a short Locust run (the cold
    burst is tests/load/test_cold_burst.py's)."""
    token = xsrf_token(url)
    for visit in parse_pages(LIVE_PAGES):
        session = Session(url, visit, token=token, rng=random.Random(0), timeout=60)
        session.open()
        session.close()


@pytest.fixture(scope="module")
def runs() -> dict[str, tuple[int, list[dict], list[dict]]]:
    """Per run: Locust's exit code, its raw timings, and the rows of its _stats.csv."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server(ARTIFACTS / "server.log") as (url, _):
        warm(url)
        processes = {
            "good": locust(url, "good", LIVE_PAGES),
            "broken": locust(url, "broken", "pages/99_No_Such_Page.py", "--unchecked-pages"),
        }
        codes = {name: process.wait(timeout=50) for name, process in processes.items()}
    results = {}
    for name, code in codes.items():
        timings = [
            json.loads(line) for line in (ARTIFACTS / f"{name}-timings.jsonl").read_text().splitlines()
        ]
        with (ARTIFACTS / f"{name}_stats.csv").open() as stats:
            rows = list(csv.DictReader(stats))
        results[name] = (code, timings, rows)
    return results


def test_every_student_opens_its_page_and_its_reruns_are_timed_with_no_error(runs):
    code, timings, _ = runs["good"]
    assert code == 0, (ARTIFACTS / "good.log").read_text()[-3000:]
    assert [t for t in timings if t["error"]] == []
    opens = [t for t in timings if t["kind"] == "open"]
    reruns = [t for t in timings if t["kind"] == "rerun"]
    assert sorted(t["page"] for t in opens) == sorted(LIVE_PAGES.split(","))
    assert len(reruns) >= 3 and all(t["ms"] > 0 for t in reruns)
    # each rerun is named after its page and the control moved, not the generic "move" of a failure
    assert all(": " in t["name"] and not t["name"].endswith(": move") for t in reruns)


def test_locust_counts_the_reruns_in_its_own_statistics(runs):
    _, timings, rows = runs["good"]
    aggregated = next(row for row in rows if row["Name"] == "Aggregated")
    # a rerun still in flight when the run time ends finishes during --stop-timeout, and can land after
    # Locust's last CSV write (seen here: 16 in the CSV, 17 in its final console table): one per student
    assert len(timings) - 3 <= int(aggregated["Request Count"]) <= len(timings)
    assert int(aggregated["Request Count"]) >= 3
    assert int(aggregated["Failure Count"]) == 0


def test_a_page_the_server_does_not_have_is_an_error_for_every_open(runs):
    code, timings, rows = runs["broken"]
    assert code == 1  # Locust's exit code when any request failed
    assert timings and all(t["kind"] == "open" and t["error"] == "page not found" for t in timings)
    aggregated = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(aggregated["Failure Count"])
    assert failures == int(aggregated["Request Count"]) and len(timings) - 3 <= failures <= len(timings)
