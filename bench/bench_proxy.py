"""A crowd behind nginx (deploy/) and the same crowd straight at gunicorn, in one run, on
loopback (prints figures; no assertions). SYNTHETIC full event, 400 crews x 120 rankings.

    .venv/bin/python bench/bench_proxy.py [--seconds 60] [--fans 2000] [--viewers 50]
        [--think 1.0] [--workers 2] [--threads 4] [--no-direct]

Installs Debian's nginx when it is missing (apt-get, as root or through sudo). Runs its own
nginx as a plain process over the rendered deploy/miglia.nginx.conf.in under a temporary
prefix on a free loopback port (never the system's configuration or port 80), and gunicorn
with deploy/gunicorn.conf.py (2 workers x 4 threads) behind it.

The load, for --seconds each time, first through nginx, then straight at gunicorn:
- --fans open pages, each polling /_miglia/data-version once a second on its own keep-alive
  connection (as assets/explore.js does);
- --viewers fans changing views: each sends the callback requests a browser sends when a fan
  selects a crew (recorded once with headless Chromium), every request for another crew at
  another checkpoint (nothing in the app's response cache: the worst case), then waits
  --think seconds.
Each kind of client runs in a process of its own. Polls that reached the app are counted in
gunicorn's access log; the clients' own event-loop lag and, behind nginx, nginx's own request
times are printed too, to tell the server's latency from the loaded client's.

Target (issue 18): behind nginx, 0 errors, p95 at most 100 ms for both kinds of client, and
the app answers at most 5 % of the polls.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    REPO,
    capture_callbacks,
    children_of,
    copy_data,
    emit,
    free_port,
    median,
    percentile,
    wait_until_up,
)
from bench.loadgen import Connection, Results, _timed, raw_request, run_fans  # noqa: E402
from deploy.render import standalone  # noqa: E402

POLL = "/_miglia/data-version"
MAX_SECONDS = 600  # a run is bounded whatever is asked
NGINX_PACKAGES = ("nginx-light", "nginx")  # Debian's small build first (bookworm has both)


def nginx_binary() -> str:
    """The nginx executable; installs Debian's package when there is none."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("nginx not found: installing Debian's package (apt-get)", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], env=env, check=True)
    for package in NGINX_PACKAGES:
        done = subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
            env=env,
        )
        if done.returncode == 0 and Path("/usr/sbin/nginx").exists():
            return "/usr/sbin/nginx"
    raise SystemExit("nginx could not be installed")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes, from /proc (clock ticks)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def view_changes(url: str, captured: list, count: int, offset: int) -> list[list[bytes]]:
    """`count` view changes: the callback requests a browser sent when a fan selected a crew
    (the view, then the table, charts and map), each change for another crew at another
    checkpoint; `offset` keeps two runs from sharing any view."""
    bodies = [b for a, _, b in captured if a == "select a crew"]
    return [[_request(url, body, n + offset) for body in bodies] for n in range(count)]


def _request(url: str, body: dict, i: int) -> bytes:
    """The recorded request with its view moved to the i-th crew and checkpoint."""
    crew = str(1 + i % 400)
    checkpoint = f"synthetic-{1 + (i // 400 + i * 7) % 120:03d}"
    inputs = []
    for given in body["inputs"]:
        value = given.get("value")
        if isinstance(value, dict) and "crew" in value:
            value = {**value, "crew": crew, "checkpoint": checkpoint}
        inputs.append({**given, "value": value})
    payload = json.dumps({**{k: v for k, v in body.items() if k != "path"}, "inputs": inputs})
    return raw_request(url, "POST", body["path"], payload.encode(), "application/json")


async def run_viewers(
    url: str, changes: list[list[bytes]], viewers: int, think: float, seconds: float
) -> Results:
    """`viewers` fans, each sending its next view change's requests one after the other (as
    Dash chains them), then looking at the answer for `think` s."""
    parts = urlsplit(url)
    results = Results()
    deadline = time.perf_counter() + seconds

    async def viewer(index: int) -> None:
        conn = Connection(parts.hostname, parts.port)
        await asyncio.sleep(random.uniform(0, think))
        i = index
        while time.perf_counter() < deadline:
            for request in changes[i % len(changes)]:
                await _timed(conn, request, results, (200, 204))
            i += viewers
            await asyncio.sleep(think)
        await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(viewer(i) for i in range(viewers)))
    results.elapsed_s = time.perf_counter() - start
    return results


async def _with_lag(load) -> tuple[Results, list[float]]:
    """Run `load` with a probe of the client's own event loop: how late a 10 ms sleep wakes
    up (a late loop adds to every latency measured in it)."""
    lags: list[float] = []
    done = asyncio.Event()

    async def probe() -> None:
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append((time.perf_counter() - start - 0.01) * 1000)

    task = asyncio.create_task(probe())
    try:
        return await load, lags
    finally:
        done.set()
        await task


def _fans_process(url: str, fans: int, seconds: float):
    return asyncio.run(_with_lag(run_fans(url, POLL, fans, 1.0, seconds)))


def _viewers_process(url: str, changes, viewers: int, think: float, seconds: float):
    return asyncio.run(_with_lag(run_viewers(url, changes, viewers, think, seconds)))


def crowd(url: str, changes: list[list[bytes]], args):
    """Both kinds of client at once, each in a process of its own (so that the 2,000 fans'
    event loop does not delay the viewers' answers): ((fans, lags), (viewers, lags))."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        fans = pool.submit(_fans_process, url, args.fans, args.seconds)
        viewers = pool.submit(
            _viewers_process, url, changes, args.viewers, args.think, args.seconds
        )
        return fans.result(), viewers.result()


_NGINX_LINE = re.compile(rb'"(?:GET|POST) (\S+) HTTP/[0-9.]+" \d+ \d+ ([0-9.]+) ')


def nginx_times(log: Path, offset: int) -> dict[str, list[float]]:
    """Request times (ms) nginx logged after `offset`, by kind of client."""
    times: dict[str, list[float]] = {"fans": [], "viewers": []}
    with log.open("rb") as lines:
        lines.seek(offset)
        for line in lines:
            match = _NGINX_LINE.search(line)
            if match:
                kind = "fans" if match[1] == POLL.encode() else "viewers"
                if kind == "fans" or match[1].startswith(b"/_dash-update-component"):
                    times[kind].append(float(match[2]) * 1000)
    return times


def polls_in(log: Path) -> int:
    if not log.exists():
        return 0
    with log.open("rb") as lines:
        return sum(1 for line in lines if b"GET " + POLL.encode() in line)


def describe(name: str, results: Results) -> dict:
    rate = results.count / results.elapsed_s if results.elapsed_s else 0
    print(
        f"  {name}: {results.count} answers = {rate:.0f}/s; median "
        f"{median(results.latencies_ms):.1f} ms, p95 {percentile(results.latencies_ms, 95):.1f} ms, "
        f"p99 {percentile(results.latencies_ms, 99):.1f} ms, max "
        f"{max(results.latencies_ms, default=float('nan')):.0f} ms; errors {len(results.errors)}"
        f"{' (first: ' + ', '.join(results.errors[:3]) + ')' if results.errors else ''}; "
        f"statuses {dict(sorted(results.statuses.items()))}"
    )
    return {
        "answers": results.count,
        "rate_per_s": rate,
        "median_ms": median(results.latencies_ms),
        "p95_ms": percentile(results.latencies_ms, 95),
        "p99_ms": percentile(results.latencies_ms, 99),
        "errors": len(results.errors),
    }


@dataclass
class Run:
    """One run of the crowd: where it is sent, its view changes, whose CPU time counts."""

    name: str
    url: str
    changes: list[list[bytes]]
    pids: dict[str, Callable[[], list[int]]]
    proxy_log: Path | None = None


def measure(run: Run, args, access_log: Path) -> dict:
    name, url, changes, pids, proxy_log = run.name, run.url, run.changes, run.pids, run.proxy_log
    polls_before, cpu_before = polls_in(access_log), {k: cpu_seconds(v()) for k, v in pids.items()}
    log_offset = proxy_log.stat().st_size if proxy_log and proxy_log.exists() else 0
    (fans, fan_lags), (viewers, viewer_lags) = crowd(url, changes, args)
    time.sleep(0.5)  # the last access-log lines
    at_app = polls_in(access_log) - polls_before
    cpu = {k: cpu_seconds(v()) - cpu_before[k] for k, v in pids.items()}
    print(f"{name}:")
    figures = {
        "fans": describe(f"{args.fans} fans polling every second", fans),
        "viewers": describe(f"{args.viewers} fans changing views (think {args.think} s)", viewers),
    }
    for kind, lags in (("fans", fan_lags), ("viewers", viewer_lags)):
        figures[kind]["client_loop_lag_p95_ms"] = percentile(lags, 95)
    print(
        "  the clients' own event loops (a 10 ms sleep woke up late by): p95 "
        f"{percentile(fan_lags, 95):.1f} ms in the fans' process, "
        f"{percentile(viewer_lags, 95):.1f} ms in the viewers'"
    )
    if proxy_log is not None:
        timed = nginx_times(proxy_log, log_offset)
        print(
            "  as nginx timed them ($request_time): fans p95 "
            f"{percentile(timed['fans'], 95):.1f} ms, viewers p95 "
            f"{percentile(timed['viewers'], 95):.1f} ms (median "
            f"{median(timed['viewers']):.1f} ms)"
        )
        figures["fans"]["nginx_p95_ms"] = percentile(timed["fans"], 95)
        figures["viewers"]["nginx_p95_ms"] = percentile(timed["viewers"], 95)
    share = at_app / fans.count if fans.count else float("nan")
    print(
        f"  polls that reached the app: {at_app} of {fans.count} = {share:.2%}; CPU "
        + ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items())
        + f" in {fans.elapsed_s:.0f} s"
    )
    figures.update(polls_at_app=at_app, poll_share_at_app=share, cpu_s=cpu)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--fans", type=int, default=2000)
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-direct", action="store_true", help="skip the run without nginx")
    args = parser.parse_args()
    args.seconds = min(args.seconds, MAX_SECONDS)
    nginx = nginx_binary()
    version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {version}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = copy_data(root / "data", (400, 120))
        app_port, proxy_port = free_port(), free_port()
        access_log = root / "gunicorn-access.log"
        env = {
            **os.environ,
            "MIGLIA_DATA_DIR": str(data),
            "MIGLIA_BIND": f"127.0.0.1:{app_port}",
            "MIGLIA_WORKERS": str(args.workers),
            "MIGLIA_THREADS": str(args.threads),
            "MIGLIA_ACCESS_LOG": str(access_log),
        }
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                str(REPO / "deploy" / "gunicorn.conf.py"),
                "dashboard.app:create_server()",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(root / "gunicorn.log", "wb"),  # noqa: SIM115 (the process keeps it)
        )
        config = standalone(
            root / "nginx", listen=f"127.0.0.1:{proxy_port}", upstream=f"127.0.0.1:{app_port}",
            workers="auto",
        )  # fmt: skip
        proxy = subprocess.Popen(
            [nginx, "-p", str(root / "nginx"), "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=open(root / "nginx.log", "wb"),  # noqa: SIM115 (the process keeps it)
        )
        app_url, proxy_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{proxy_port}"
        try:
            wait_until_up(app_url, gunicorn)
            wait_until_up(proxy_url, proxy)
            captured = capture_callbacks(app_url)
            crews = sum(1 for a, _, _ in captured if a == "select a crew")
            print(
                f"gunicorn {args.workers} workers x {args.threads} threads (deploy/gunicorn.conf.py),"
                f" nginx worker_processes auto; SYNTHETIC 400 crews x 120 rankings; "
                f"{crews} recorded requests per view change (a crew selection); "
                f"{args.seconds:.0f} s per run"
            )
            pids = {
                "gunicorn": lambda: [gunicorn.pid, *children_of(gunicorn.pid)],
                "nginx": lambda: [proxy.pid, *children_of(proxy.pid)],
            }
            count = int(args.viewers * (args.seconds / args.think + 2)) + 10
            figures = {"load_average_start": os.getloadavg()}
            through = Run(
                f"through nginx ({proxy_url})",
                proxy_url,
                view_changes(proxy_url, captured, count, 0),
                pids,
                root / "nginx" / "access.log",
            )
            figures["nginx"] = measure(through, args, access_log)
            if not args.no_direct:
                straight = Run(
                    f"straight at gunicorn ({app_url}), the baseline",
                    app_url,
                    view_changes(app_url, captured, count, 20_000),
                    {"gunicorn": pids["gunicorn"]},
                )
                figures["direct"] = measure(straight, args, access_log)
            figures["load_average_end"] = os.getloadavg()
            print(
                "target behind nginx: 0 errors, p95 <= 100 ms for both kinds of client, "
                "<= 5 % of the polls at the app"
            )
            print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            emit(figures)
        finally:
            for process in (proxy, gunicorn):
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    main()
