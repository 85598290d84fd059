"""Load test of the production server on loopback (prints figures; no assertions), serving a
SYNTHETIC full event (400 crews x 120 rankings) with gunicorn as `make serve` does.

    .venv/bin/python bench/bench_load.py [--workers 2] [--threads 4] [--connections 16]
        [--seconds 20] [--fans 500] [--fan-seconds 60] [--crews 400] [--rankings 120]

Targets (issue 7): >= 300 callback requests/s at p95 <= 100 ms with 0 errors; 500 fans
polling for updates for 60 s with 0 errors.

1. Callbacks: the requests a real browser sends when a fan selects a crew, a stage and moves
   the scrubber (recorded with headless Chromium), replayed by `--connections` clients as
   fast as the server answers, for `--seconds`.
   Twice: the recorded requests as they are (a crowd asking for the same views: answered
   from the response cache after the first time), and every request a different view (each
   of the 400 crews at each checkpoint: nothing cached, the worst case).
2. Fans: `--fans` open pages polling the data-version endpoint every second, for
   `--fan-seconds`, on their own keep-alive connections.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    capture_callbacks,
    children_of,
    copy_data,
    emit,
    is_standings,
    median,
    percentile,
    pss_mb,
    rss_mb,
    server,
)
from bench.loadgen import raw_request, run_closed, run_fans  # noqa: E402

try:
    from dashboard.pages.explore import DATA_VERSION_PATH, POLL_INTERVAL_MS
except ImportError:  # a later version keeps them elsewhere; a wrong path shows as errors
    DATA_VERSION_PATH, POLL_INTERVAL_MS = "_miglia/data-version", 1000

INTERACTIVE = ("select a crew", "select a stage", "move the scrubber")


def distinct_views(
    url: str, captured: list, count: int, crews: int = 400, rankings: int = 120
) -> list[bytes]:
    """`count` requests of the views' callbacks (table, charts), each for another crew at
    another checkpoint."""
    bodies = [b for a, o, b in captured if a == "select a crew" and is_standings(o)]
    requests = []
    for i in range(count):
        body = bodies[i % len(bodies)]
        view = body["inputs"][0]["value"]
        crew = str(1 + (i // len(bodies)) % crews)
        checkpoint = checkpoint_of(i, crews, rankings)
        inputs = [{**body["inputs"][0], "value": {**view, "crew": crew, "checkpoint": checkpoint}}]
        payload = json.dumps({**{k: v for k, v in body.items() if k != "path"}, "inputs": inputs})
        requests.append(
            raw_request(url, "POST", body["path"], payload.encode(), "application/json")
        )
    return requests


def checkpoint_of(i: int, crews: int, rankings: int) -> str:
    return f"synthetic-{1 + (i // crews + i * 7) % rankings:03d}"


def with_rows(
    url: str, captured: list, views: list[bytes], crews: int = 400, rankings: int = 120
) -> list[bytes]:
    """After issue 18 a view on another ranking also GETs that ranking's rows (from their
    version-named address): each distinct view followed by its ranking's rows, as a fan
    whose browser has none of them cached would ask. Empty before issue 18."""
    gets = [b["path"] for _a, _o, b in captured if b.get("method") == "GET"]
    if not gets:
        return []
    folder = gets[0].rpartition("/")[0]  # /_miglia/rows/<version>/<lang>
    mixed = []
    for i, view in enumerate(views):
        checkpoint = checkpoint_of(i, crews, rankings)  # as distinct_views
        mixed += [view, raw_request(url, "GET", f"{folder}/{checkpoint}.json")]
    return mixed


def report(name: str, results, target: str) -> dict:
    rate = results.count / results.elapsed_s if results.elapsed_s else 0
    print(
        f"{name}: {results.count} requests in {results.elapsed_s:.1f} s = {rate:.0f}/s; "
        f"latency median {median(results.latencies_ms):.1f} ms, "
        f"p95 {percentile(results.latencies_ms, 95):.1f} ms, "
        f"p99 {percentile(results.latencies_ms, 99):.1f} ms; "
        f"errors {len(results.errors)}; statuses {dict(sorted(results.statuses.items()))}; "
        f"{results.bytes_received / max(results.count, 1) / 1000:.1f} kB per answer (on the wire)"
    )
    if results.errors:
        print(f"  first errors: {results.errors[:5]}")
    print(f"  target: {target}")
    return {
        "rate_per_s": rate,
        "median_ms": median(results.latencies_ms),
        "p95_ms": percentile(results.latencies_ms, 95),
        "errors": len(results.errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--fans", type=int, default=500)
    parser.add_argument("--fan-seconds", type=float, default=60)
    parser.add_argument("--crews", type=int, default=400)
    parser.add_argument("--rankings", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_data(Path(tmp) / "data", (args.crews, args.rankings))
        with server(data, gunicorn=True, workers=args.workers, threads=args.threads) as (
            url,
            process,
        ):
            captured = capture_callbacks(url)
            requests = [
                raw_request(url, "GET", body["path"])
                if body.get("method") == "GET"  # a ranking's rows (issue 18)
                else raw_request(
                    url,
                    "POST",
                    body["path"],
                    json.dumps({k: v for k, v in body.items() if k != "path"}).encode(),
                    "application/json",
                )
                for action, _, body in captured
                if action in INTERACTIVE
            ]
            print(
                f"gunicorn {args.workers} workers x {args.threads} threads, SYNTHETIC {args.crews} "
                f"crews x {args.rankings} rankings; {len(requests)} recorded callback requests of "
                f"{', '.join(INTERACTIVE)}"
            )
            workers = children_of(process.pid)
            figures = {"rss_after_browser_mb": [rss_mb(pid) for pid in workers]}
            asyncio.run(run_closed(url, requests, args.connections, 3))  # warm-up
            callbacks = asyncio.run(run_closed(url, requests, args.connections, args.seconds))
            figures["cached"] = report(
                f"callbacks, same views again (cached), {args.connections} clients",
                callbacks,
                ">= 300/s, p95 <= 100 ms, 0 errors",
            )
            views = distinct_views(url, captured, 20_000, args.crews, args.rankings)
            uncached = asyncio.run(run_closed(url, views, args.connections, args.seconds))
            figures["uncached"] = report(
                f"callbacks, every request a new view (nothing cached), {args.connections} clients",
                uncached,
                ">= 300/s, p95 <= 100 ms, 0 errors (issue 18)",
            )
            mixed = with_rows(url, captured, views[:10_000], args.crews, args.rankings)
            if mixed:
                uncached_rows = asyncio.run(run_closed(url, mixed, args.connections, args.seconds))
                figures["uncached_with_rows"] = report(
                    f"every request a new view, each followed by its ranking's rows (GET), "
                    f"{args.connections} clients",
                    uncached_rows,
                    "(the rows' GETs answered from the worker's encoded copies; a browser or "
                    "nginx keeps them too)",
                )
            fans = asyncio.run(
                run_fans(
                    url,
                    "/" + DATA_VERSION_PATH,
                    args.fans,
                    POLL_INTERVAL_MS / 1000,
                    args.fan_seconds,
                )
            )
            figures["fans"] = report(
                f"{args.fans} fans polling every {POLL_INTERVAL_MS} ms", fans, "0 errors"
            )
            workers = children_of(process.pid)
            print(
                "worker RSS after the runs: "
                + ", ".join(f"{rss_mb(pid):.0f} MB" for pid in workers)
                + f" (arbiter {rss_mb(process.pid):.0f} MB); PSS (shared pages split): "
                + ", ".join(f"{pss_mb(pid):.0f} MB" for pid in workers)
                + "   (target <= 250 MB RSS per worker)"
            )
            figures["rss_after_mb"] = [rss_mb(pid) for pid in workers]
            figures["pss_after_mb"] = [pss_mb(pid) for pid in workers]
            figures["rss_arbiter_mb"] = rss_mb(process.pid)
            emit(figures)


if __name__ == "__main__":
    main()
