"""A fresh `streamlit run streamlit_app.py` on a free loopback port, as deployed (file watcher off), and
Debian's Chromium: the browser tests and the benchmarks start both this one way."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's: nothing downloads a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]
START_TIMEOUT = 90  # seconds: a cold start imports SymPy, SciPy and Plotly, slowly on a busy machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_server(log: Path) -> Iterator[tuple[str, float]]:
    """Start the server, its output going to ``log``; yield its URL and the ``time.perf_counter()`` of the
    process start once /_stcore/health answers; stop it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        started = time.perf_counter()
        server = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
                "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            ],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = started + START_TIMEOUT
        while not healthy(url):
            if server.poll() is not None or time.perf_counter() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log}")
            time.sleep(0.05)
        yield url, started
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
