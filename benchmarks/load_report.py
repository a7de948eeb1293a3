"""LOAD.md from the stages `make load` ran (benchmarks/load.py): latency, errors, CPU and memory per stage."""

from __future__ import annotations

import argparse
import math
import os
import platform
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.load import Stage

ROOT = Path(__file__).resolve().parents[1]
BUDGET_P95 = 1.0  # issue 17: 50 students moving a control every 5 s, p95 <= 1 s, no errors
BUDGET_RSS_MB = 800  # ... and one process under 800 MB
FINISHED_ERRORS = ("exception:", "st.error:")  # a run that reached script_finished showing these is timed


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation between ranks (numpy's default method)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = q / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    count: int
    p50: float
    p95: float
    max: float


def summarize(latencies: Sequence[float]) -> Summary:
    return Summary(
        len(latencies), percentile(latencies, 50), percentile(latencies, 95), max(latencies, default=math.nan)
    )


@dataclass(frozen=True)
class StageResult:
    """One Locust run: every request it recorded (benchmarks/locustfile.py's timings) and what it cost."""

    stage: Stage
    timings: Sequence[dict]  # {"kind": "open" | "rerun", "name", "page", "ms", "error": str | None}
    server_cpu: Sequence[float]  # CPU seconds per server process over the run
    wall: float
    machine_cores: float  # the whole machine's busy cores, everyone's work included
    generator_cores: float  # Locust's own CPU
    memory: Sequence[tuple[float, float, float]]  # RSS MiB start, peak, end per server process
    load_average: float
    new_tracebacks: int  # "Traceback" lines the servers logged during the run
    locust_exit: int

    def seconds(self, kind: str, page: str | None = None) -> list[float]:
        """Durations of runs that finished (with or without an error box), in seconds."""
        return [
            t["ms"] / 1000
            for t in self.timings
            if t["kind"] == kind
            and (page is None or t["page"] == page)
            and (t["error"] is None or t["error"].startswith(FINISHED_ERRORS))
        ]

    def summary(self, kind: str, page: str | None = None) -> Summary:
        return summarize(self.seconds(kind, page))

    @property
    def errors(self) -> Counter[str]:
        """Errors by kind: exception, st.error, timeout, dropped, page not found, connect failed, …"""
        return Counter(error_kind(t["error"]) for t in self.timings if t["error"] is not None)

    @property
    def messages(self) -> Counter[str]:
        return Counter(f"{t['kind']} of {t['name']}: {t['error'][:200]}" for t in self.timings if t["error"])

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def server_cores(self) -> float:
        return sum(self.server_cpu) / self.wall if self.wall else math.nan

    @property
    def server_ms_per_run(self) -> float:
        """The servers' CPU over the stage divided by the runs sent (a run that timed out costs CPU too)."""
        return 1000 * sum(self.server_cpu) / len(self.timings) if self.timings else math.nan

    @property
    def rss(self) -> tuple[float, float, float]:
        """Start, peak and end RSS in MiB summed over the servers (the peak as the sum of peaks)."""
        return tuple(sum(values) for values in zip(*self.memory, strict=True))  # type: ignore[return-value]

    def budget(self) -> tuple[bool, str]:
        """Whether the stage met issue 17's budget for it, and the budget in words."""
        if self.stage.name == "burst":
            return self.error_count == 0 and not self.new_tracebacks, "every first run clean"
        reruns = self.summary("rerun")
        met = self.error_count == 0 and reruns.count > 0 and reruns.p95 <= BUDGET_P95
        if len(self.memory) == 1:
            met = met and self.rss[1] * 1.048576 <= BUDGET_RSS_MB
            return met, f"p95 ≤ {BUDGET_P95:g} s, no errors, RSS ≤ {BUDGET_RSS_MB} MB"
        return met, f"p95 ≤ {BUDGET_P95:g} s, no errors"


def error_kind(error: str) -> str:
    """'exception: ValueError: …' -> 'exception'; the protocol's own kinds ('timeout', …) as they are."""
    for prefix in FINISHED_ERRORS:
        if error.startswith(prefix):
            return prefix.rstrip(":")
    return error.split(":")[0][:60]


def _s(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}"


def stage_table(results: Sequence[StageResult]) -> str:
    rows = [
        "| stage | served by | students (arriving per s) | reruns | p50 s | p95 s | max s | errors "
        "| first runs: n, p50 / p95 / max s | server CPU (cores) | server CPU per run | server RSS start → "
        "peak → end MiB | machine busy (cores) | Locust CPU (cores) | load average at start | budget |",
        "|:---|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for r in results:
        reruns, opens = r.summary("rerun"), r.summary("open")
        met, what = r.budget()
        errors = ", ".join(f"{kind} {count}" for kind, count in r.errors.most_common()) or "0"
        start, peak, end = r.rss
        rows.append(
            f"| {r.stage.name} | {r.stage.servers} | {r.stage.users} ({r.stage.spawn_rate:g}) "
            f"| {reruns.count} | {_s(reruns.p50)} | {_s(reruns.p95)} | {_s(reruns.max)} | {errors} "
            f"| {opens.count}, {_s(opens.p50)} / {_s(opens.p95)} / {_s(opens.max)} | {r.server_cores:.2f} "
            f"| {r.server_ms_per_run:.0f} ms | {start:.0f} → {peak:.0f} → {end:.0f} | {r.machine_cores:.2f} "
            f"| {r.generator_cores:.2f} | {r.load_average:.1f} | {'met' if met else 'missed'} ({what}) |"
        )
    return "\n".join(rows)


def page_table(results: Sequence[StageResult], pages: Sequence[str]) -> str:
    rows = [
        "| page | " + " | ".join(r.stage.name for r in results) + " |",
        "|:---|" + "---:|" * len(results),
    ]
    for page in pages:
        cells = []
        for r in results:
            s = r.summary("rerun", page)
            cells.append(f"{_s(s.p50)} / {_s(s.p95)} ({s.count})")
        rows.append(f"| `{page}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def code_version() -> str:
    """The commit measured, and whether the checkout had uncommitted changes (others' work in progress)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changes = subprocess.run(  # LOAD.md itself, from an earlier run, is not a change to what is measured
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!LOAD.md"],
            cwd=ROOT, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes in the working tree" if changes else "")


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def machine(results: Sequence[StageResult]) -> str:
    loads = ", ".join(f"{r.stage.name} {r.load_average:.1f}" for r in results)
    return (
        f"- date: {date.today().isoformat()}\n"
        f"- code: {code_version()}\n"
        f"- machine: {cpu_model()}, {os.cpu_count()} CPUs, {platform.platform()}\n"
        f"- Python {platform.python_version()}; streamlit {version('streamlit')}, "
        f"locust {version('locust')}, websocket-client {version('websocket-client')}\n"
        f"- 1-minute load average when each stage began ({os.cpu_count()} cores busy = {os.cpu_count()}.0): "
        f"{loads}\n"
    )


def noise(results: Sequence[StageResult]) -> str:
    """A warning when other work shared the machine: its busy cores beyond the servers' and Locust's."""
    others = [max(0.0, r.machine_cores - r.server_cores - r.generator_cores) for r in results]
    loads = [r.load_average for r in results]
    # the cores others used, not the load average: that counts the servers' own queue (the replica stage
    # keeps both cores busy by itself) and the stage before
    if not others or max(others) < 0.3:
        return ""
    return (
        f"**A noisy run**: other processes (other agents' builds and tests on this shared machine) used "
        f"{min(others):.2f}–{max(others):.2f} cores on top of the servers and Locust during the stages, and "
        f"the 1-minute load average was {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores, so the "
        "servers waited for a core and the latencies are worse than on an idle machine; the server CPU per "
        "run is the sturdier figure."
    )


def report(
    results: Sequence[StageResult], args: argparse.Namespace, notes: Sequence[str], took: float
) -> str:
    pages = [item.partition("?")[0] for item in args.pages.split(",") if item.strip()]
    lines = [
        "# Load test",
        "",
        f"Written by `make load` (`{' '.join(['python -m benchmarks.load', *sys.argv[1:]])}`); this run took "
        f"{took / 60:.1f} min.",
        "",
        machine(results),
        *([noise(results), ""] if noise(results) else []),
        "How it was measured:",
        "",
        "- students: Locust users (benchmarks/locustfile.py), each holding one real Streamlit session over "
        "the websocket protocol, as a browser tab does: fetch the `_streamlit_xsrf` cookie, open "
        "`/_stcore/stream` offering it as the second subprotocol (XSRF protection stays on), run the page "
        f"with a BackMsg.rerun_script. Pages round robin: {', '.join(f'`{p}`' for p in pages)}.",
        f"- every {args.interval:g} s each student moves one control of its page by 1–3 steps: a sidebar "
        "slider through its widget state, or a live chart's scrubber through the chart's component state "
        "(what the chart's JavaScript sends when a control is let go). A rerun is timed from sending the "
        "change to ForwardMsg.script_finished; a slow rerun delays that student's next move.",
        f"- stages: *burst*: {args.burst} students arriving within one second on a freshly started server "
        "(a class opening the link together; its first runs are cold). *nN*: N students arriving over "
        f"{args.ramp:g} s on the same server, then warm. *replicas-nN*: two fresh replicas (one cookie "
        "secret), each warmed by opening every page once, behind nginx (artifacts/nginx/nginx.conf: sticky "
        "on the XSRF cookie, WebSocket upgrades), N students through nginx. Each stage lasts "
        f"{args.duration:g} s ({args.burst_duration:g} s for the burst), arrivals included.",
        "- errors: a traceback or an st.error box in the ForwardMsgs, a dropped connection, a rerun over "
        f"{args.timeout:g} s or a first run over {4 * args.timeout:g} s, a page not found; also counted: "
        "tracebacks in the server log.",
        "- server CPU: /proc/PID/stat of the server processes, their worker processes (core.workers: the "
        "network page's training) and their reaped solver children, over the stage; per run: divided by "
        "every run sent (opens and reruns). RSS: /proc/PID/status once a second, plus each worker's private "
        "memory (/proc/PID/smaps_rollup; what it shares with the server copy-on-write counted once); "
        "replicas: summed. *Machine busy* counts every process on the machine.",
        "- p50/p95/max are exact over every rerun (Locust's own tables round them); Locust's report per "
        "stage: `artifacts/locust/<stage>.html`, `<stage>_stats.csv`, `<stage>_failures.csv`.",
        "",
        stage_table(results),
        "",
        *(f"- {note}" for note in [*notes, *stage_notes(results, args.interval)]),
        "",
        "Rerun p50 / p95 in seconds (and count) per page and stage:",
        "",
        page_table(results, pages),
    ]
    return "\n".join(lines) + "\n"


def stage_notes(results: Sequence[StageResult], interval: float) -> list[str]:
    notes = []
    for r in results:
        met, what = r.budget()
        notes.append(f"{r.stage.name}: budget ({what}) {'met' if met else 'missed'}")
        if (
            r.stage.name != "burst" and r.timings and r.server_ms_per_run > 0
        ):  # the burst's are cold first runs
            # one process reruns its sessions under one interpreter lock: about one core at most
            per_process = interval * 1000 / r.server_ms_per_run
            notes.append(
                f"{r.stage.name}: at {r.server_ms_per_run:.0f} ms of server CPU per run, one process (about "
                f"one core) is saturated by about {per_process:.0f} students moving every {interval:g} s"
            )
        if len(r.server_cpu) > 1:
            split = " / ".join(f"{seconds:.0f}" for seconds in r.server_cpu)
            notes.append(f"{r.stage.name}: CPU seconds per replica {split} (both served their share)")
        if r.new_tracebacks:
            notes.append(f"{r.stage.name}: {r.new_tracebacks} tracebacks in the server log (artifacts/)")
        for message, count in r.messages.most_common(3):
            notes.append(f"{r.stage.name}: {count}× {message}")
        if r.locust_exit not in (0, 1):  # 1: some requests failed, counted above
            notes.append(
                f"{r.stage.name}: Locust exited with {r.locust_exit} (artifacts/locust/{r.stage.name}.log)"
            )
    return notes
