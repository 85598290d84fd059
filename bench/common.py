"""Shared pieces of the benchmark scripts: servers on 127.0.0.1 over a temporary copy of data/
(optionally with a SYNTHETIC full event instead of the real rankings), Chromium's flags, RSS,
the one-line figures bench/compare.py reads, and the few store calls that differ between the
versions compare.py measures (the per-worker store before issue 13, the one ingest after).

The code measured is the `dashboard` package Python imports (REPO is the folder holding it):
this checkout's, or another checkout's when bench/compare.py puts that one on PYTHONPATH.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def _code_root() -> Path:
    spec = importlib.util.find_spec("dashboard")
    if spec is None or spec.origin is None:
        return Path(__file__).resolve().parent.parent
    return Path(spec.origin).resolve().parent.parent


REPO = _code_root()
FIGURES_PREFIX = "FIGURES "  # one line of JSON per script, read by bench/compare.py
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


def pss_mb(pid: int) -> float:
    """Proportional set size: RSS with the pages shared with the preloading master split."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def emit(figures: dict) -> None:
    """The script's figures as one JSON line, for bench/compare.py (the text above is for people)."""
    print(FIGURES_PREFIX + json.dumps(figures, sort_keys=True), flush=True)


# -- the store as each version offers it (compare.py runs these scripts on older checkouts) --
def bench_store(folder: Path):
    """A store over `folder` that starts no background ingest (there is none before issue 13)."""
    from dashboard.data.store import RankingStore

    if "build" in inspect.signature(RankingStore).parameters:  # issue 14: the store is given it
        from dashboard.race import build_standings

        return RankingStore(folder, build=build_standings, run_ingest=False)
    if hasattr(RankingStore, "load"):
        return RankingStore(folder, run_ingest=False)
    return RankingStore(folder)


def settled(path: Path) -> None:
    """Before issue 13 a file is read once its mtime is STABLE_AFTER_S old; after, never needed."""
    from dashboard.data import store as store_module

    stable = getattr(store_module, "STABLE_AFTER_S", None)
    if stable is not None:
        stamp = time.time() - 2 * stable
        os.utime(path, (stamp, stamp))


def load_now(store):
    """The folder as it is now, published and built: store.load() after issue 13, the next
    snapshot() of a settled folder before."""
    return store.load() if hasattr(store, "load") else store.snapshot()


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
            "--preload",
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


ROWS_URL_PART = "/_miglia/rows/"  # a ranking's table rows by address (issue 18)
ROWS_GET = "GET a ranking's table rows"


def is_standings(output: str) -> bool:
    """The standings section's callback (its outputs named the grid's rows before issue 18,
    their address after it; the bump chart throughout)."""
    return "bump-chart.figure" in output


def capture_callbacks(url: str) -> list[tuple[str, str, dict]]:
    """What a fan's browser sends: opens the page in headless Chromium, selects a crew in the
    table, a stage, moves the checkpoint scrubber, waits for a poll, and records every
    callback request as (action, callback outputs, JSON body with its "path"), and every GET
    of a ranking's table rows (after issue 18) as (action, ROWS_GET, {"path", "method"})."""
    from playwright.sync_api import sync_playwright

    captured: list[tuple[str, str, dict]] = []
    action = ["open the page"]

    def record(request) -> None:
        if request.method == "POST" and "/_dash-update-component" in request.url:
            body = request.post_data_json
            path = request.url.split("/", 3)[3]
            output = body.get("output", "")
            # the poll runs on its own timer, whatever the fan is doing
            name = "poll for new data" if output == "data-version.data" else action[0]
            captured.append((name, output, {"path": "/" + path, **body}))
        elif request.method == "GET" and ROWS_URL_PART in request.url:
            path = request.url.split("/", 3)[3]
            captured.append((action[0], ROWS_GET, {"path": "/" + path, "method": "GET"}))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.on("request", record)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(url + "/")
        try:
            page.wait_for_selector(
                "#standings-grid .ag-center-cols-container [row-id]", timeout=60_000
            )
        except Exception:
            # an intermittent empty table was seen here: keep what the page showed
            shot = Path(tempfile.gettempdir()) / "capture-no-rows.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"no table rows after 60 s; screenshot {shot}; console: {problems[:5]}")
            raise
        page.wait_for_load_state("networkidle")

        def act(name: str, do) -> None:
            action[0] = name
            do()
            # each action redraws the standings: its request is this action's, however slow
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not any(
                a == name and is_standings(output) for a, output, _ in captured
            ):
                page.wait_for_timeout(50)
            page.wait_for_load_state("networkidle")

        rows = page.locator("#standings-grid .ag-center-cols-container [row-id]")
        act("select a crew", lambda: rows.nth(4).locator("[col-id='crew']").click())
        act(
            "select a stage",
            lambda: page.locator("#stage-picker").get_by_role("link", name="Stage 2").click(),
        )
        act("move the scrubber", lambda: page.locator("#previous-button").click())
        action[0] = "poll for new data"
        page.wait_for_timeout(2500)
        browser.close()
    return captured


def stop_ingest(app) -> None:
    """Stop the ingest thread an in-process app started (after issue 13) before its data folder
    is removed; the store is reached through the response cache, which polls its version."""
    wrapper = app.server.wsgi_app
    while wrapper is not None:
        store = getattr(getattr(wrapper, "version", None), "__self__", None)
        if hasattr(store, "stop"):
            store.stop()
            return
        wrapper = getattr(wrapper, "app", None)
