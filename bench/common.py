"""Shared pieces of the benchmark scripts: servers on 127.0.0.1 over a temporary copy of data/
(optionally with a SYNTHETIC full event instead of the real rankings), Chromium's flags, RSS.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def copy_data(target: Path, synthetic: tuple[int, int] | None = None) -> Path:
    """A copy of data/; with synthetic=(crews, rankings) its rankings are a SYNTHETIC event."""
    from bench.synthetic_event import write_event

    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns(".history", ".accepted"))
    if synthetic:
        shutil.rmtree(target / "rankings")
        write_event(target / "rankings", *synthetic)
    return target


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url + "/_dash-layout", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


@contextlib.contextmanager
def server(
    data: Path, *, gunicorn: bool = False, workers: int = 2, threads: int = 4
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app on a free loopback port: `python -m dashboard`, or gunicorn like `make serve`."""
    port = free_port()
    if gunicorn:
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "dashboard.app:create_server()",
        ]
    else:
        command = [sys.executable, "-m", "dashboard", "--port", str(port)]
    env = {**os.environ, "MIGLIA_DATA_DIR": str(data)}
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
