"""`make load`: a lecture hall simulated by Locust against real servers on this machine, written to LOAD.md.

This module only orchestrates; the students are benchmarks/locustfile.py, speaking Streamlit's websocket
protocol (benchmarks/protocol.py). In turn:

1. a fresh `streamlit run` on 127.0.0.1 (loopback only, file watcher off) and a **cold burst**: ``--burst``
   students arriving within one second, as a class opening the link together, each then moving a control;
2. **stages** N = 10, 25, 50 on that server, now warm: N students arriving over ``--ramp`` seconds, each
   moving one control every ``--interval`` seconds for ``--duration`` seconds;
3. if nginx is installed, **two replicas** behind a generated nginx.conf (sticky on the browser's XSRF
   cookie, WebSocket upgrades passed through), each warmed by opening every page once, and
   ``--replica-sessions`` students through nginx; without nginx the stage is skipped with a note.

Each stage is one headless Locust run with its CSV and HTML report in artifacts/locust/; its raw timings give
exact p50/p95/max. Server CPU comes from /proc (its workers and forked solver children included), RSS is
sampled once a second (with the workers' own memory). Run from the repository root:
python -m benchmarks.load [--quick] [--sessions 10,25,50]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load_report import StageResult, report
from benchmarks.protocol import Session, SessionError, parse_pages, xsrf_token
from benchmarks.server import free_port, healthy

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "LOAD.md"
ARTIFACTS = ROOT / "artifacts"
LOCUST_DIR = ARTIFACTS / "locust"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
HOST = "127.0.0.1"  # loopback only: this tool must never load anyone else's server
MAX_SESSIONS = 150
START_TIMEOUT = 90  # seconds: a cold start imports SymPy, SciPy and Plotly, slowly on a busy machine
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


# ---- what a stage costs the machine -------------------------------------------------------------------


def child_pids(pid: int) -> list[int]:
    """The process's children alive now: its workers (core.workers) and any forked solver."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:  # the thread has ended
            continue
    return found


def _status_kib(pid: int, field: str, path: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:  # the process has ended
        pass
    return 0


def rss_mib(pid: int) -> float:
    """Resident memory of the server and its children, from /proc: the server's RSS and the memory each child
    holds alone (its private pages; what it shares with the server, copy-on-write, is counted once)."""
    if not Path(f"/proc/{pid}").exists():
        return math.nan
    own = _status_kib(pid, "VmRSS")
    children = sum(
        _status_kib(child, "Private_Clean", "smaps_rollup")
        + _status_kib(child, "Private_Dirty", "smaps_rollup")
        for child in child_pids(pid)
    )
    return (own + children) / 1024


def _ticks(pid: int, fields: slice) -> int:
    try:
        values = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[fields]
    except OSError:  # the process has ended (a reaped child's time is in its parent's)
        return 0
    return sum(int(value) for value in values)


def cpu_seconds(pid: int) -> float:
    """User + system time of the server, of the children it has reaped (forked symbolic solvers) and of its
    children alive now (its workers, core.workers, which live as long as it does)."""
    ticks = _ticks(pid, slice(11, 15)) + sum(_ticks(child, slice(11, 13)) for child in child_pids(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, summed over cores, from /proc/stat."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    tick = os.sysconf("SC_CLK_TCK")
    busy = user + nice + system + irq + softirq + steal
    return busy / tick, (busy + idle + iowait) / tick


def children_cpu() -> float:
    """CPU seconds of this process's reaped children: each Locust run, once it has exited."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Server:
    """`streamlit run streamlit_app.py` on a loopback port with the repository's config, file watcher off,
    its RSS sampled once a second."""

    def __init__(self, log: Path, cookie_secret: str = "") -> None:
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log = log
        self.cookie_secret = cookie_secret  # replicas share one, as behind a proxy (README, Deploying)
        self.memory: list[tuple[float, float]] = []  # (monotonic time, RSS MiB)

    def __enter__(self) -> Server:
        command = [
            sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
            "--server.headless", "true", "--server.port", str(self.port),
            "--server.address", HOST, "--browser.gatherUsageStats", "false",
            # measure the app as deployed: in a checkout being edited, the watcher would reload modules
            "--server.fileWatcherType", "none",
        ]  # fmt: skip
        env = os.environ | (
            {"STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret} if self.cookie_secret else {}
        )
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while not healthy(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"streamlit did not start; see {self.log}")
            time.sleep(0.2)
        threading.Thread(target=self._sample_memory, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _sample_memory(self) -> None:
        while self.process.poll() is None:
            self.memory.append((time.monotonic(), rss_mib(self.process.pid)))
            time.sleep(1)

    def memory_between(self, start: float, end: float) -> tuple[float, float, float]:
        """(start, peak, end) RSS in MiB over a stretch of time."""
        inside = [rss for moment, rss in self.memory if start <= moment <= end] or [rss_mib(self.process.pid)]
        return inside[0], max(inside), inside[-1]

    def tracebacks(self) -> int:
        """Tracebacks the server logged so far (a failure a session may never have been shown)."""
        return self.log.read_text(errors="replace").count("Traceback")


NGINX_CONF = """\
# Generated by benchmarks/load.py for one load stage: {replicas} replicas behind nginx.
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 4096; }}

http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;

    upstream gradient_lab {{
        # session affinity on the browser's own XSRF cookie: every simulated student here comes from
        # 127.0.0.1, where ip_hash would send them all to one replica (as it would a hall behind one NAT)
        hash $cookie__streamlit_xsrf consistent;
{servers}
    }}

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}

    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://gradient_lab;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_read_timeout 86400s;
            proxy_buffering off;
        }}
    }}
}}
"""


def nginx_conf(directory: Path, port: int, upstreams: Sequence[int]) -> str:
    servers = "\n".join(f"        server {HOST}:{upstream};" for upstream in upstreams)
    return NGINX_CONF.format(dir=directory, replicas=len(upstreams), servers=servers, host=HOST, port=port)


@contextlib.contextmanager
def nginx(upstreams: Sequence[int]) -> Iterator[str]:
    """nginx in the foreground on a free loopback port in front of ``upstreams``; yields its URL."""
    directory = ARTIFACTS / "nginx"
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(nginx_conf(directory, port, upstreams))
    command = [NGINX, "-p", str(directory), "-c", str(conf), "-e", str(directory / "error.log"),
               "-g", "daemon off;"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 20
        while not healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start; see {directory / 'error.log'}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


# ---- stages ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    name: str  # also the prefix of its Locust files in artifacts/locust/
    users: int
    spawn_rate: float  # students arriving per second
    duration: float  # seconds of the whole Locust run, arrivals included
    servers: str  # what served it, for the report


def locust_command(stage: Stage, url: str, args: argparse.Namespace) -> list[str]:
    prefix = LOCUST_DIR / stage.name
    return [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "--users", str(stage.users), "--spawn-rate", f"{stage.spawn_rate:g}",
        "--run-time", f"{stage.duration:g}s", "--stop-timeout", f"{args.timeout:g}", "--host", url,
        "--csv", str(prefix), "--html", f"{prefix}.html", "--timings", f"{prefix}-timings.jsonl",
        "--pages", args.pages, "--interval", f"{args.interval:g}", "--rerun-timeout", f"{args.timeout:g}",
    ]  # fmt: skip


def read_timings(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def run_stage(stage: Stage, url: str, servers: Sequence[Server], args: argparse.Namespace) -> StageResult:
    """One headless Locust run against ``url``, with what it cost the servers and the machine."""
    LOCUST_DIR.mkdir(parents=True, exist_ok=True)
    print(
        f"{stage.name}: {stage.users} students at {stage.spawn_rate:g}/s for {stage.duration:g} s …",
        flush=True,
    )
    load_average = os.getloadavg()[0]
    tracebacks = sum(server.tracebacks() for server in servers)
    started, machine0, generator0 = time.monotonic(), machine_busy(), children_cpu()
    server0 = [cpu_seconds(server.process.pid) for server in servers]
    log = (LOCUST_DIR / f"{stage.name}.log").open("w")
    with log:
        finished = subprocess.run(
            locust_command(stage, url, args),
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            timeout=stage.duration + 5 * args.timeout + 60,
        )  # fmt: skip
    ended = time.monotonic()
    wall = ended - started
    busy, total = machine_busy()
    server_cpu = [
        cpu_seconds(server.process.pid) - before for server, before in zip(servers, server0, strict=True)
    ]
    memory = [server.memory_between(started, ended) for server in servers]
    return StageResult(
        stage=stage,
        timings=read_timings(LOCUST_DIR / f"{stage.name}-timings.jsonl"),
        server_cpu=server_cpu,
        wall=wall,
        machine_cores=(os.cpu_count() or 1) * (busy - machine0[0]) / max(total - machine0[1], 1e-9),
        generator_cores=(children_cpu() - generator0) / wall,
        memory=memory,
        load_average=load_average,
        new_tracebacks=sum(server.tracebacks() for server in servers) - tracebacks,
        locust_exit=finished.returncode,
    )


def warm(server: Server, args: argparse.Namespace) -> list[str]:
    """Open every page once on ``server``, one after another, as a lecturer tries the link before the class:
    each replica has its own caches. Returns what failed, if anything."""
    failures = []
    token = xsrf_token(server.url)
    for visit in parse_pages(args.pages):
        session = Session(server.url, visit, token=token, rng=random.Random(0), timeout=args.timeout)
        try:
            session.open(timeout=4 * args.timeout)
        except SessionError as error:
            failures.append(f"{visit.path}: {error.kind}")
        finally:
            session.close()
    return failures


def parse_sessions(text: str) -> list[int]:
    counts = sorted({int(part) for part in text.split(",") if part.strip()})
    if not counts or counts[0] < 1 or counts[-1] > MAX_SESSIONS:
        raise argparse.ArgumentTypeError(f"sessions must lie in 1..{MAX_SESSIONS}. Got {text!r} instead.")
    return counts


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    from benchmarks.locustfile import LECTURE_PAGES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--sessions", type=parse_sessions, default="10,25,50", help="students per stage, one stage each")
    add("--duration", type=float, default=60.0, help="seconds per stage, arrivals included")
    add("--ramp", type=float, default=5.0, help="seconds over which a stage's students arrive")
    add(
        "--burst", type=int, default=50, help="students arriving within a second on the cold server (0: none)"
    )
    add("--burst-duration", type=float, default=30.0, help="seconds of the cold burst stage")
    add("--replica-sessions", type=int, default=100, help="students on two replicas behind nginx (0: none)")
    add("--interval", type=float, default=5.0, help="seconds between one student's moves")
    add("--timeout", type=float, default=30.0, help="seconds before a rerun counts as an error")
    add("--pages", default=LECTURE_PAGES, help="comma-separated page files, each optionally with ?query")
    add("--quick", action="store_true", help="a smoke run: 20 s stages, 20-student burst, 40 on replicas")
    args = parser.parse_args(argv)
    parse_pages(args.pages)  # refuses a page that is not a file here, before any server starts
    if args.quick:
        args.duration, args.burst_duration = 20.0, 15.0
        args.burst, args.replica_sessions = min(args.burst, 20), min(args.replica_sessions, 40)
    if (
        args.interval <= 0
        or args.duration <= 0
        or args.ramp < 0
        or args.burst < 0
        or args.replica_sessions < 0
    ):
        parser.error("interval and duration must be > 0; ramp, burst and replica sessions >= 0.")
    if max(args.burst, args.replica_sessions) > MAX_SESSIONS:
        parser.error(f"at most {MAX_SESSIONS} students in any stage.")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    began = time.monotonic()
    results: list[StageResult] = []
    notes: list[str] = []
    with Server(ARTIFACTS / "load-server.log") as server:
        print(f"server at {server.url}", flush=True)
        if args.burst:
            burst = Stage("burst", args.burst, args.burst, args.burst_duration, "one process, cold")
            results.append(run_stage(burst, server.url, [server], args))
        else:
            notes.extend(f"warm-up failed: {failure}" for failure in warm(server, args))
        for users in args.sessions:
            stage = Stage(
                f"n{users}", users, users / args.ramp if args.ramp else users, args.duration, "one process"
            )
            results.append(run_stage(stage, server.url, [server], args))
    if not args.replica_sessions:
        notes.append("replicas: not asked for (--replica-sessions 0)")
    elif not Path(NGINX).exists():
        notes.append(
            "replicas behind nginx: skipped, nginx is not installed (Debian: apt-get install -y nginx)"
        )
        print(notes[-1], flush=True)
    else:
        results.append(run_replicas(args, notes))
    text = report(results, args, notes, time.monotonic() - began)
    OUTPUT.write_text(text)
    print(f"\n{text}\nwrote {OUTPUT} in {(time.monotonic() - began) / 60:.1f} min")


def run_replicas(args: argparse.Namespace, notes: list[str]) -> StageResult:
    """Two fresh replicas sharing one cookie secret, each warmed, behind nginx; the students go through it."""
    secret = secrets.token_hex(32)
    logs = [ARTIFACTS / f"load-replica-{k + 1}.log" for k in range(2)]
    with Server(logs[0], secret) as first, Server(logs[1], secret) as second:
        for replica in (first, second):
            notes.extend(f"warm-up of {replica.url} failed: {failure}" for failure in warm(replica, args))
        with nginx([first.port, second.port]) as url:
            users = args.replica_sessions
            rate = users / args.ramp if args.ramp else users
            stage = Stage(
                f"replicas-n{users}", users, rate, args.duration, "two processes behind nginx, warmed"
            )
            return run_stage(stage, url, [first, second], args)


if __name__ == "__main__":
    main()
