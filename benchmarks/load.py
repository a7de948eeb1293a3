"""`make load`: N simulated students, each holding a real Streamlit session, against a real server here.

Starts its own `streamlit run` on 127.0.0.1 (loopback only, never another address) and, for each N, opens N
sessions over Streamlit's own websocket protocol, as the browser does: fetch the XSRF cookie from
/_stcore/health, open ws://127.0.0.1:PORT/_stcore/stream offering the subprotocols ("streamlit", token),
send a BackMsg.rerun_script carrying a ClientState (page name, query string, widget states), and read
ForwardMsgs until script_finished. Every `interval` seconds each student moves one slider (one to three
steps, as an arrow key or a short drag would) and the time from sending that change to the end of its rerun
is recorded. N grows until the run breaks (p95 above the limit or any error) once past --at-least, and
never beyond MAX_SESSIONS. Each page is first opened and moved alone on the warm server, as the baseline.
Optionally K real Chromium tabs (Playwright) move a slider during the load, for what a browser sees.

Run from the repository root: python -m benchmarks.load [--quick] [--sessions 10,25,50] [--browsers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import math
import os
import platform
import random
import secrets
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

import websockets
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Subprotocol

from benchmarks.protocol import (
    XSRF_COOKIE,
    PageVisit,
    SliderControl,
    errors_in,
    next_position,
    parse_pages,
    rerun_message,
    slider_control,
    url_value,
    widget_state,
    with_param,
    xsrf_token,
)
from benchmarks.server import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "LOAD.md"
SERVER_LOG = ROOT / "artifacts" / "load-server.log"
HOST = "127.0.0.1"  # loopback only: this tool must never load anyone else's server
MAX_SESSIONS = 150
MAX_REPLICAS = 4
BUDGET_P95 = 1.0  # DESIGN.md: at least 50 sessions moving every 5 s with p95 <= 1 s and no errors
OPEN_TIMEOUT_FACTOR = 4  # a first run may take this many rerun timeouts


# ---- pure helpers (tests/unit/test_load_protocol.py) ----------------------------------------------------


def parse_sessions(text: str) -> list[int]:
    counts = sorted({int(part) for part in text.split(",") if part.strip()})
    if not counts or counts[0] < 1 or counts[-1] > MAX_SESSIONS:
        raise argparse.ArgumentTypeError(f"sessions must lie in 1..{MAX_SESSIONS}. Got {text!r} instead.")
    return counts


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
        len(latencies),
        percentile(latencies, 50),
        percentile(latencies, 95),
        max(latencies, default=math.nan),
    )


# ---- the server and what it costs --------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    """Resident memory of one process, from /proc (the server's own, without forked solver children)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def cpu_seconds(pid: int) -> float:
    """User + system time of the process and of its children it has reaped (the forked symbolic solvers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, summed over cores, from /proc/stat."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    tick = os.sysconf("SC_CLK_TCK")
    busy = user + nice + system + irq + softirq + steal
    return busy / tick, (busy + idle + iowait) / tick


class CpuMeter:
    """CPU used over a stretch of time by the server (every replica's process together), this load generator
    and the whole machine, in cores."""

    def __init__(self, *pids: int) -> None:
        self.pids = pids
        self.started = time.monotonic()
        self.server = self._server_seconds()
        self.generator = time.process_time()
        self.machine = machine_busy()

    def _server_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def read(self) -> dict[str, float]:
        wall = time.monotonic() - self.started
        server = self._server_seconds() - self.server
        busy, total = machine_busy()
        return {
            "server_seconds": server,
            "server": server / wall,
            "generator": (time.process_time() - self.generator) / wall,
            "machine": (os.cpu_count() or 1) * (busy - self.machine[0]) / max(total - self.machine[1], 1e-9),
        }


class Server:
    """`streamlit run streamlit_app.py` on a loopback port with the repository's config, file watcher off."""

    def __init__(self, port: int, log: Path = SERVER_LOG, cookie_secret: str = "") -> None:
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.log = log
        self.cookie_secret = cookie_secret  # replicas share one, as behind a proxy (README, Deploying)
        self.process: subprocess.Popen | None = None
        self.memory: list[tuple[float, float]] = []  # (monotonic time, RSS MiB), once a second

    async def __aenter__(self) -> Server:
        self.log.parent.mkdir(exist_ok=True)
        command = [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.headless", "true", "--server.port", str(self.port),
            "--server.address", HOST, "--browser.gatherUsageStats", "false",
            # measure the app as deployed: in a checkout being edited, the watcher would reload modules
            # mid-run (a class reloaded under a cached value fails to pickle) and recompile pages
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        env = os.environ | (
            {"STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret} if self.cookie_secret else {}
        )
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        self._sampler = asyncio.create_task(self._sample_memory())
        deadline = time.monotonic() + 90
        while not await asyncio.to_thread(self._healthy):
            if self.process.poll() is not None or time.monotonic() > deadline:
                await self.__aexit__()
                raise RuntimeError(f"streamlit did not start; see {self.log}")
            await asyncio.sleep(0.3)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._sampler.cancel()
        self.process.terminate()
        try:
            await asyncio.to_thread(self.process.wait, 15)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    async def _sample_memory(self) -> None:
        while self.process.poll() is None:
            self.memory.append((time.monotonic(), rss_mib(self.process.pid)))
            await asyncio.sleep(1)

    def memory_between(self, start: float, end: float) -> tuple[float, float, float]:
        """(start, peak, end) RSS in MiB over a stretch of time."""
        inside = [rss for moment, rss in self.memory if start <= moment <= end] or [rss_mib(self.process.pid)]
        return inside[0], max(inside), inside[-1]

    def xsrf_token(self) -> str:
        return xsrf_token(self.url)


# ---- one simulated student ------------------------------------------------------------------------


class SessionError(Exception):
    """A session that cannot go on: the connection dropped, a rerun timed out, or the page would not run."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class Student:
    """A browser tab reduced to its protocol: one websocket session on one page, moving sliders."""

    def __init__(self, server: Server, visit: PageVisit, token: str, rng: random.Random, timeout: float):
        self.server, self.visit, self.token, self.rng, self.timeout = server, visit, token, rng, timeout
        self.query_string = visit.query_string
        self.page_hash = ""
        self.sliders: dict[str, SliderControl] = {}
        self.positions: dict[str, float] = {}  # what this browser shows (and sends) for each slider
        self.cached: set[str] = set()
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.messages: Counter[str] = Counter()  # what the errors said, for the report
        self.late = 0
        self.moves = 0  # changes sent, finished or not: each costs the server a rerun
        self.socket = None

    async def open(self) -> float:
        """Connect and run the page once, as opening the link does; the seconds to the first full page."""
        subprotocols = [Subprotocol("streamlit")] + ([Subprotocol(self.token)] if self.token else [])
        try:
            self.socket = await websockets.connect(
                f"ws://{HOST}:{self.server.port}/_stcore/stream",
                subprotocols=subprotocols,
                additional_headers={"Cookie": f"{XSRF_COOKIE}={self.token}", "Origin": self.server.url},
                max_size=None,  # the budget allows 1 MB of chart JSON, above the library's 1 MiB default
                open_timeout=self.timeout,
                # browsers never ping (they only answer the server's pings); a client ping unanswered by a
                # busy server would drop the connection where a browser would have kept waiting
                ping_interval=None,
            )
        except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
            raise SessionError("connect failed") from error
        # in a burst of arrivals a first run queues behind the others': allow more than for a slider move
        return await self._run(OPEN_TIMEOUT_FACTOR * self.timeout)

    async def move(self) -> float:
        """Move one slider and rerun; the seconds from sending the change to the end of the rerun."""
        control = self.sliders[self.rng.choice(sorted(self.sliders))]
        self.positions[control.id] = next_position(control, self.positions[control.id], self.rng)
        self.moves += 1
        if control.url_key:  # the browser rewrites its URL and sends the new query string with the rerun
            value = url_value(control, self.positions[control.id])
            self.query_string = with_param(self.query_string, control.url_key, value)
        seconds = await self._run(self.timeout)
        self.latencies.append(seconds)
        return seconds

    async def keep_moving(self, until: float, interval: float) -> None:
        """A move every ``interval`` seconds, starting at a random phase so students do not move in step.
        A rerun slower than the interval delays the next move (counted as late) rather than overlapping it."""
        loop = asyncio.get_running_loop()
        due = loop.time() + self.rng.uniform(0, interval)
        if not self.sliders:
            self.errors["no slider to move"] += 1
        try:
            while due < until and self.sliders:
                await asyncio.sleep(max(0.0, due - loop.time()))
                await self.move()
                due += interval
                if loop.time() > due:
                    self.late += 1
                    due = loop.time()
        except SessionError as error:
            self.errors[error.kind] += 1

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()

    async def _run(self, timeout: float) -> float:
        states = [
            widget_state(self.sliders[id_], self.positions[id_])
            for id_ in self.positions
            if id_ in self.sliders
        ]
        msg = rerun_message(
            page_name=self.visit.url_path,
            page_script_hash=self.page_hash,
            query_string=self.query_string,
            widget_states=states,
            cached_hashes=sorted(self.cached),
            url=f"{self.server.url}/{self.visit.url_path}",
        )
        start = time.perf_counter()
        seen: dict[str, SliderControl] = {}
        try:
            async with asyncio.timeout(timeout):
                await self.socket.send(msg.SerializeToString())
                while not self._handle(ForwardMsg.FromString(await self.socket.recv()), seen):
                    pass
        except TimeoutError as error:
            raise SessionError("timeout") from error
        except websockets.ConnectionClosed as error:
            raise SessionError("dropped") from error
        seconds = time.perf_counter() - start
        self.sliders = seen
        for control in seen.values():
            if control.forced or control.id not in self.positions:
                self.positions[control.id] = control.position
        return seconds

    def _handle(self, msg: ForwardMsg, seen: dict[str, SliderControl]) -> bool:
        """Take in one ForwardMsg as the frontend would; True once the rerun has finished."""
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        if kind == "navigation":  # the page that ran (new_session names the entry script's hash)
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":  # the script set st.query_params: the browser's URL follows
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            raise SessionError("page not found")
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise SessionError("compile error")
            # FINISHED_EARLY_FOR_RERUN ends a run that st.rerun() or a callback replaces: keep reading
            return msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
        elif (control := slider_control(msg)) is not None:
            seen[control.id] = control
        elif (error := errors_in(msg)) is not None:
            kind, text = error
            self.errors[kind] += 1
            self.messages[f"{kind} on `{self.visit.path}`: {text[:160]}"] += 1
        return False


# ---- a sample of real browsers ----------------------------------------------------------------------

_RECORD_SCRIPT_STATE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    window.__scriptStates = [];
    const record = () => window.__scriptStates.push([performance.now(), app.dataset.testScriptState]);
    new MutationObserver(record).observe(app, {attributeFilter: ['data-test-script-state']});
}"""
# milliseconds from t0 to the first 'notRunning' after a 'running' that began after t0; null until then
RERUN_DONE = """t0 => {
    const states = window.__scriptStates;
    const start = states.findIndex(([t, state]) => t >= t0 && state === 'running');
    const done = start < 0 ? undefined : states.slice(start + 1).find(([t, state]) => state === 'notRunning');
    return done ? done[0] - t0 : null;
}"""
_NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"
_SETTLED = "() => !document.querySelector(\"[data-testid='stSkeleton']\")"


class Browsers:
    """K Chromium tabs (Playwright) that open pages while the students arrive, then move a slider by keyboard
    every interval: the time from the key press until the app's script state is back to notRunning."""

    def __init__(self, playwright, browser) -> None:
        self.playwright, self.browser = playwright, browser
        self.tabs: list = []  # (context, page, slider thumb) per open tab
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.moves = 0

    @classmethod
    async def launch(cls) -> tuple[Browsers | None, str]:
        if not CHROMIUM.exists():
            return None, f"skipped: {CHROMIUM} is missing (apt-get install chromium)"
        try:
            from playwright.async_api import Error as PlaywrightError
            from playwright.async_api import async_playwright
        except ImportError:
            return None, "skipped: playwright is not installed (make load installs requirements-dev.txt)"
        playwright = await async_playwright().start()
        try:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            await playwright.stop()
            return None, f"skipped: Chromium did not start ({error.message.splitlines()[0]})"
        return cls(playwright, browser), ""

    async def open(self, server: Server, visits: Sequence[PageVisit], timeout: float) -> None:
        self.latencies, self.errors, self.moves = [], Counter(), 0
        await asyncio.gather(*(self._open_tab(server, visit, timeout) for visit in visits))

    async def move(self, until: float, interval: float, timeout: float) -> None:
        await asyncio.gather(
            *(self._keep_moving(page, thumb, until, interval, timeout) for _, page, thumb in self.tabs)
        )

    async def close_tabs(self) -> None:
        await asyncio.gather(*(context.close() for context, _, _ in self.tabs))
        self.tabs = []

    async def close(self) -> None:
        await self.browser.close()
        await self.playwright.stop()

    async def _open_tab(self, server: Server, visit: PageVisit, timeout: float) -> None:
        from playwright.async_api import Error as PlaywrightError

        context = await self.browser.new_context(viewport={"width": 1280, "height": 720})
        try:
            async with asyncio.timeout(timeout):
                page = await context.new_page()
                query = f"?{visit.query_string}" if visit.query_string else ""
                await page.goto(f"{server.url}/{visit.url_path}{query}")
                # before the websocket connects the app also reads notRunning: wait for the title first
                await page.wait_for_selector("[data-testid='stMain'] h1", timeout=0)
                await page.wait_for_selector(_NOT_RUNNING, timeout=0)
                # widgets mount lazily behind skeletons after the run has finished
                await page.wait_for_function(_SETTLED, timeout=0)
                thumb = await _single_thumb(page)
                await page.evaluate(_RECORD_SCRIPT_STATE)
        except (PlaywrightError, TimeoutError):
            self.errors["browser open timeout"] += 1
            await context.close()
            return
        if thumb is None:
            self.errors["no slider"] += 1
            await context.close()
            return
        self.tabs.append((context, page, thumb))

    async def _keep_moving(self, page, thumb, until: float, interval: float, timeout: float) -> None:
        from playwright.async_api import Error as PlaywrightError

        loop = asyncio.get_running_loop()
        await asyncio.sleep(random.uniform(0, interval))
        for move in itertools.count():
            if loop.time() > until:
                break
            try:
                t0 = await page.evaluate("performance.now()")
                await thumb.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
                self.moves += 1
                done = await page.wait_for_function(RERUN_DONE, arg=t0, timeout=1000 * timeout, polling=20)
            except PlaywrightError:
                self.errors["browser rerun timeout"] += 1
                return
            self.latencies.append(await done.json_value() / 1000)
            await asyncio.sleep(interval)


async def _single_thumb(page):
    """The first single-valued slider in the sidebar (a range slider's thumbs move one end only)."""
    sliders = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']")
    for index in range(await sliders.count()):
        thumbs = sliders.nth(index).get_by_role("slider")
        if await thumbs.count() == 1:
            return thumbs
    return None


# ---- stages and the report --------------------------------------------------------------------------


@dataclass
class StageResult:
    sessions: int
    rerun: Summary
    first_run: Summary
    errors: Counter[str]
    late: int
    moves: int  # changes sent by students and browsers during the moving phase, finished or not
    cpu: dict[str, float]
    memory: tuple[float, float, float]
    browser: Summary | None
    browser_errors: Counter[str] = field(default_factory=Counter)
    load_average: float = 0.0
    by_page: dict[str, Summary] = field(default_factory=dict)
    messages: Counter[str] = field(default_factory=Counter)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def server_ms_per_rerun(self) -> float:
        return 1000 * self.cpu["server_seconds"] / self.moves if self.moves else math.nan


def broke(result: StageResult, p95_limit: float) -> str:
    """Why this stage counts as broken, or '' if it held."""
    reasons = []
    if result.error_count:
        reasons.append(
            f"{result.error_count} errors ({', '.join(f'{k}: {v}' for k, v in result.errors.items())})"
        )
    if not result.rerun.count:
        reasons.append("no rerun finished")
    elif result.rerun.p95 > p95_limit:
        reasons.append(f"p95 {result.rerun.p95:.2f} s > {p95_limit:g} s")
    return "; ".join(reasons)


def _seconds(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.2f}"


def _milliseconds(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f} ms"


def markdown_table(results: Sequence[StageResult]) -> str:
    rows = [
        "| N | reruns | p50 s | p95 s | max s | errors | late | first run p50 / p95 s | server CPU (cores) "
        "| server CPU per rerun | machine busy (cores) | server RSS start → peak → end MiB "
        "| browser p50 / max s (n) | budget |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|",
    ]
    for r in results:
        browser = (
            f"{_seconds(r.browser.p50)} / {_seconds(r.browser.max)} ({r.browser.count})" if r.browser else "–"
        )
        met = r.error_count == 0 and r.rerun.p95 <= BUDGET_P95
        rows.append(
            f"| {r.sessions} | {r.rerun.count} | {_seconds(r.rerun.p50)} | {_seconds(r.rerun.p95)} "
            f"| {_seconds(r.rerun.max)} | {r.error_count} | {r.late} "
            f"| {_seconds(r.first_run.p50)} / {_seconds(r.first_run.p95)} | {r.cpu['server']:.2f} "
            f"| {_milliseconds(r.server_ms_per_rerun)} | {r.cpu['machine']:.2f} "
            f"| {r.memory[0]:.0f} → {r.memory[1]:.0f} → {r.memory[2]:.0f} | {browser} "
            f"| {'met' if met else 'missed'} |"
        )
    return "\n".join(rows)


async def run_stage(
    servers: Sequence[Server], sessions: int, args: argparse.Namespace, browsers: Browsers | None
) -> StageResult:
    """Open ``sessions`` students over ``args.ramp`` seconds, let them move for ``args.duration`` seconds.
    With several replicas each student stays on one, as session affinity keeps a browser: they alternate,
    shifted by one every round of pages, so each replica gets its share of every page."""
    load_average = os.getloadavg()[0]
    started = time.monotonic()
    tokens = [await asyncio.to_thread(server.xsrf_token) for server in servers]
    replica = [(i + i // len(args.pages)) % len(servers) for i in range(sessions)]
    students = [
        Student(
            servers[replica[i]],
            args.pages[i % len(args.pages)],
            tokens[replica[i]],
            random.Random(f"{sessions}-{i}"),
            args.timeout,
        )
        for i in range(sessions)
    ]
    errors: Counter[str] = Counter()

    async def arrive(student: Student, delay: float) -> float | None:
        await asyncio.sleep(delay)
        try:
            return await student.open()
        except SessionError as error:
            errors[error.kind] += 1
            return None

    arrivals = [arrive(s, args.ramp * i / sessions) for i, s in enumerate(students)]
    if browsers is not None:
        visits = [args.pages[i % len(args.pages)] for i in range(args.browsers)]
        arrivals.append(browsers.open(servers[0], visits, OPEN_TIMEOUT_FACTOR * args.timeout))
    firsts = (await asyncio.gather(*arrivals))[:sessions]
    ready = [s for s, first in zip(students, firsts, strict=True) if first is not None]
    meter = CpuMeter(*(server.process.pid for server in servers))
    until = asyncio.get_running_loop().time() + args.duration
    moving = [s.keep_moving(until, args.interval) for s in ready]
    if browsers is not None:
        moving.append(browsers.move(until, args.interval, args.timeout))
    await asyncio.gather(*moving)
    cpu = meter.read()
    ended = time.monotonic()
    # summed over replicas (the peak as the sum of each one's peak: an upper bound)
    memory = tuple(map(sum, zip(*(server.memory_between(started, ended) for server in servers), strict=True)))
    await asyncio.gather(*(s.close() for s in students))
    if browsers is not None:
        await browsers.close_tabs()
    messages: Counter[str] = Counter()
    for student in ready:
        errors.update(student.errors)
        messages.update(student.messages)
    return StageResult(
        sessions=sessions,
        rerun=summarize([seconds for s in ready for seconds in s.latencies]),
        first_run=summarize([first for first in firsts if first is not None]),
        errors=errors,
        late=sum(s.late for s in ready),
        moves=sum(s.moves for s in ready) + (browsers.moves if browsers is not None else 0),
        cpu=cpu,
        memory=memory,
        browser=summarize(browsers.latencies) if browsers is not None else None,
        browser_errors=Counter(browsers.errors) if browsers is not None else Counter(),
        load_average=load_average,
        by_page={
            visit.path: summarize([t for s in ready if s.visit == visit for t in s.latencies])
            for visit in args.pages
        },
        messages=messages,
    )


def page_table(results: Sequence[StageResult], alone: dict[str, Alone]) -> str:
    """Rerun p50 / p95 per page: alone on the warm server (with its server CPU per rerun), then at each N."""
    rows = [
        "| page | alone | server CPU per rerun alone | "
        + " | ".join(f"N = {r.sessions}" for r in results)
        + " |",
        "|:---|---:|---:|" + "---:|" * len(results),
    ]
    for path, solo in alone.items():
        cells = [solo.rerun, *(r.by_page.get(path, summarize([])) for r in results)]
        spans = [f"{_seconds(c.p50)} / {_seconds(c.p95)}" for c in cells]
        rows.append(f"| `{path}` | {spans[0]} | {solo.cpu_ms:.0f} ms | " + " | ".join(spans[1:]) + " |")
    return "\n".join(rows)


def code_version() -> str:
    """The commit measured, and whether the checkout had uncommitted changes (others' work in progress)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (" with uncommitted changes" if changes else "")


def replica_text(replicas: int) -> str:
    if replicas == 1:
        return ""
    return (
        f" Here **{replicas} replicas**, each its own process, sharing one cookie secret; each student "
        "stays on one replica, as a proxy's session affinity would keep a browser, and every page has its "
        "share on each; server CPU and RSS below are their sums (the peak as the sum of peaks), and the "
        "browser tabs use the first replica."
    )


def machine() -> str:
    return (
        f"- date: {date.today().isoformat()}\n"
        f"- code: {code_version()}\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}\n"
        f"- Python {platform.python_version()}; streamlit {version('streamlit')}, "
        f"websockets {version('websockets')}\n"
    )


def report(
    results: Sequence[StageResult],
    alone: dict[str, Alone],
    args: argparse.Namespace,
    notes: Sequence[str],
    took: float,
) -> str:
    pages = ", ".join(f"`{v.path}{'?' + v.query_string if v.query_string else ''}`" for v in args.pages)
    cores = os.cpu_count() or 1
    loads = [r.load_average for r in results]
    warning = (
        f"**A noisy run**: when the stages began, the 1-minute load average was {min(loads):.1f}–"
        f"{max(loads):.1f} on {cores} cores, so other processes were competing with the server. The "
        "latencies below are worse than on an idle machine; the server CPU per rerun is the sturdier figure."
        if loads and max(loads) > 1.5 * cores
        else ""
    )
    lines = [
        "# Load test",
        "",
        f"Written by `make load` (`{' '.join(['python -m benchmarks.load', *sys.argv[1:]])}`); this run took "
        f"{took / 60:.1f} min.",
        "",
        machine(),
        *([warning, ""] if warning else []),
        "How it was measured:",
        "",
        "- server: `streamlit run streamlit_app.py` on 127.0.0.1 with the repository's "
        ".streamlit/config.toml and `--server.fileWatcherType none` (as deployed: no module reloads while "
        f"files change).{replica_text(args.replicas)}",
        f"- students: each stage opens N websocket sessions over {args.ramp:g} s on {pages} (round robin); "
        f"each student then moves one slider by 1–3 steps every {args.interval:g} s for "
        f"{args.duration:g} s. Latency runs from sending the change (BackMsg.rerun_script) to its "
        "ForwardMsg.script_finished.",
        "- XSRF protection stays on (as in the config): every session fetches the `_streamlit_xsrf` cookie "
        "from /_stcore/health and offers it as the websocket's second subprotocol, as the browser does.",
        "- errors: tracebacks and st.error boxes in the ForwardMsgs, dropped connections, reruns over "
        f"{args.timeout:g} s, first runs over {OPEN_TIMEOUT_FACTOR * args.timeout:g} s. *late*: moves that "
        "waited because the student's previous rerun was still running.",
        "- server CPU per rerun: the server's CPU time (its forked solver children included) over the moving "
        "phase, divided by the changes sent in it (a rerun that times out still costs its CPU). The load "
        "generator and the browsers run on the same machine; *machine busy* counts everything, other "
        "people's work included.",
        "",
        markdown_table(results),
        "",
        *(f"- {note}" for note in notes),
        "",
        "Rerun p50 / p95 in seconds per page, alone (one session on the warm server, before the stages) "
        "and at each N:",
        "",
        page_table(results, alone),
    ]
    return "\n".join(lines) + "\n"


def replica_log(k: int) -> Path:
    return SERVER_LOG if k == 0 else SERVER_LOG.with_name(f"load-server-{k + 1}.log")


def output_path(replicas: int) -> Path:
    """LOAD.md for one server; LOAD-2-replicas.md and so on beside it, so neither run overwrites the other."""
    return OUTPUT if replicas == 1 else OUTPUT.with_name(f"LOAD-{replicas}-replicas.md")


def every_page() -> str:
    return ",".join(str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("pages/*.py")))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add(
        "--sessions",
        type=parse_sessions,
        default="10,25,50,75,100,150",
        help=f"session counts to try in turn, stopping at the first that breaks (at most {MAX_SESSIONS})",
    )
    add("--duration", type=float, default=60.0, help="seconds of moving per stage")
    add("--quick", action="store_true", help="a smoke run: 15 s of moving per stage")
    add("--interval", type=float, default=5.0, help="seconds between one student's moves")
    add("--ramp", type=float, default=5.0, help="seconds over which a stage's students arrive")
    add(
        "--pages",
        type=parse_pages,
        default=every_page(),
        help="comma-separated page files, each optionally with ?query (default: every page)",
    )
    add("--browsers", type=int, default=2, help="Chromium tabs moving a slider during the load")
    add("--port", type=int, default=0, help="server port on 127.0.0.1 (default: a free one)")
    add(
        "--replicas",
        type=int,
        default=1,
        help="servers, one process each, sharing a cookie secret; each student stays on one (session "
        f"affinity). More than one writes LOAD-K-replicas.md (at most {MAX_REPLICAS})",
    )
    add("--timeout", type=float, default=30.0, help="seconds before a rerun counts as an error")
    add("--p95-limit", type=float, default=5.0, help="a stage with a higher p95 has broken")
    add("--at-least", type=int, default=50, help="stages up to this N run even after one broke")
    add("--max-minutes", type=float, default=12.0, help="start no stage after this long")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 15.0
    if args.browsers < 0 or args.interval <= 0 or args.duration <= 0:
        parser.error("browsers must be >= 0, interval and duration > 0.")
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"replicas must lie in 1..{MAX_REPLICAS}. Got {args.replicas} instead.")
    return args


@dataclass(frozen=True)
class Alone:
    """One page with one session on the warm server: its reruns and the server CPU each took."""

    rerun: Summary
    cpu_ms: float


async def warm_up(
    server: Server, pages: Sequence[PageVisit], timeout: float, moves: int = 6
) -> tuple[list[str], dict[str, Alone]]:
    """Open every page once, one after another, and move its sliders ``moves`` times, before the stages: a
    lecturer tries the link before the lecture, so the stages measure a warm server, and each page alone
    is the baseline. Returns a note per page with its cold first run, and each page alone."""
    token = await asyncio.to_thread(server.xsrf_token)
    notes, alone = [], {}
    for visit in pages:
        student = Student(server, visit, token, random.Random(0), timeout)
        try:
            seconds = await student.open()
            meter = CpuMeter(server.process.pid)
            for _ in range(moves if student.sliders else 0):
                await student.move()
            cpu_ms = 1000 * meter.read()["server_seconds"] / max(len(student.latencies), 1)
            notes.append(f"`{visit.path}` {seconds:.1f} s ({len(student.sliders)} movable sliders)")
        except SessionError as error:
            cpu_ms = math.nan
            notes.append(f"`{visit.path}` failed: {error.kind}")
        finally:
            await student.close()
        alone[visit.path] = Alone(summarize(student.latencies), cpu_ms)
    return notes, alone


async def main_async(args: argparse.Namespace) -> None:
    began = time.monotonic()
    notes: list[str] = []
    results: list[StageResult] = []
    async with contextlib.AsyncExitStack() as stack:
        secret = secrets.token_hex(32)
        servers = [
            await stack.enter_async_context(
                Server(args.port + k if args.port else free_port(), replica_log(k), secret)
            )
            for k in range(args.replicas)
        ]
        print(
            f"{len(servers)} server(s) from {servers[0].url}; opening every page once on each …", flush=True
        )
        cold, alone = await warm_up(servers[0], args.pages, args.timeout)
        for replica in servers[1:]:  # a lecturer's try-out warms one replica; the test warms each alike
            await warm_up(replica, args.pages, args.timeout)
        notes.append(f"first run of each page on the fresh server (not in the table): {', '.join(cold)}")
        browsers, browser_note = (
            (await Browsers.launch()) if args.browsers else (None, "not asked for (--browsers 0)")
        )
        broken = False
        try:
            for sessions in args.sessions:
                if broken and sessions > args.at_least:
                    break
                if time.monotonic() - began > 60 * args.max_minutes:
                    notes.append(f"stopped before N = {sessions}: time cap of {args.max_minutes:g} min")
                    break
                print(
                    f"N = {sessions}: arriving over {args.ramp:g} s, moving for {args.duration:g} s …",
                    flush=True,
                )
                try:
                    result = await asyncio.wait_for(
                        run_stage(servers, sessions, args, browsers),
                        timeout=args.ramp + (OPEN_TIMEOUT_FACTOR + 2) * args.timeout + args.duration + 60,
                    )
                except TimeoutError:
                    notes.append(f"broke at N = {sessions}: the stage did not finish in time")
                    broken = True
                    break
                results.append(result)
                print(markdown_table([result]).splitlines()[-1], flush=True)
                if reason := broke(result, args.p95_limit):
                    notes.append(f"broke at N = {sessions}: {reason}")
                    broken = True
            if results and not broken:
                notes.append(f"held up to N = {results[-1].sessions} (the hard cap is {MAX_SESSIONS})")
        finally:
            if browsers is not None:
                await browsers.close()
    notes.extend(_notes(results, alone, args, browser_note))
    took = time.monotonic() - began
    text = report(results, alone, args, notes, took)
    output = output_path(args.replicas)
    output.write_text(text)
    print(f"\n{text}\nwrote {output} in {took / 60:.1f} min")


def _notes(
    results: Sequence[StageResult], alone: dict[str, Alone], args: argparse.Namespace, browser_note: str
) -> list[str]:
    notes = []
    met = [r.sessions for r in results if r.error_count == 0 and r.rerun.p95 <= BUDGET_P95]
    notes.append(
        f"budget (p95 ≤ {BUDGET_P95:g} s, no errors) met at N = {', '.join(map(str, met))}"
        if met
        else f"budget (p95 ≤ {BUDGET_P95:g} s, no errors) met at no N"
    )
    # CPU time per rerun suffers less from other people's work on the machine than wall time does
    if costs := [page.cpu_ms for page in alone.values() if not math.isnan(page.cpu_ms)]:
        cost = sum(costs) / len(costs) / 1000
        notes.append(
            f"sessions per core: a rerun costs the server {1000 * cost:.0f} ms of CPU on average over the "
            f"pages (alone, warm), so one core serves at most about {args.interval / cost:.0f} students "
            f"moving every {args.interval:g} s at 100% busy; for a low p95, plan on half that. In the "
            "stages: "
            + ", ".join(f"{_milliseconds(r.server_ms_per_rerun)} at N = {r.sessions}" for r in results)
        )
    for r in results:
        for message, count in r.messages.most_common(3):
            notes.append(f"at N = {r.sessions}, {count}× {message}")
        if r.browser_errors:
            notes.append(f"browser errors at N = {r.sessions}: {dict(r.browser_errors)}")
    notes.append(
        f"browser sample: {browser_note or f'{args.browsers} Chromium tabs, on top of the N sessions'}"
    )
    conditions = ", ".join(
        f"N = {r.sessions}: {r.load_average:.1f} / {r.cpu['generator']:.2f}" for r in results
    )
    notes.append(
        f"noise — 1-minute load average when the stage began (2 cores busy = 2.0) / CPU of this load "
        f"generator in cores: {conditions}"
    )
    logs = ", ".join(str(replica_log(k).relative_to(ROOT)) for k in range(args.replicas))
    notes.append(f"server log: {logs}")
    return notes


def main(argv: Sequence[str] | None = None) -> None:
    asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    main()
