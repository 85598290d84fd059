"""Soak run of the big screen: the page left on for hours, a new ranking dropped into the folder
at a steady interval, and over time the page's JS heap (after a forced garbage collection),
its DOM nodes, the server's RSS, and every console error. Run by hand, not in the test suite:

    .venv/bin/python bench/soak_bigscreen.py                      # 2 h, a ranking every 2 min
    .venv/bin/python bench/soak_bigscreen.py --minutes 5 --interval 30

Everything on 127.0.0.1: `python -m dashboard` over a temporary copy of data/, Debian's
chromium, and any request for another host aborted and counted. The rankings dropped are
SYNTHETIC (a new leader each time, so every one brings cues); the one before last is removed
as each new one comes, so the event stays the same size and memory that grows is a leak.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CHROMIUM, CHROMIUM_ARGS, copy_data, rss_mb, server  # noqa: E402

CREWS = [
    (46, "Andrea Vesco", "Roberto Vesco", "Alfa Romeo 6C 1750 SS Zagato"),
    (45, "Sergio Sisti", "Anna Gualandi", "Lancia Lambda Spider Casaro"),
    (28, "Gianmario Fontanella", "Anna Maria Covelli", "Lancia Lambda Casaro VII Serie"),
    (44, "Andrea Belometti", "Massimo Bettinsoli", "Lancia Lambda Spider Casaro"),
    (51, "Alberto Aliverti", "Stefano Valente", "Alfa Romeo 6C 1750 SS Zagato"),
]


def ranking(round_: int) -> str:
    """A SYNTHETIC ranking after the final one: the crews rotated by one place each round."""
    lines = [
        f"# checkpoint: SYNTHETIC soak ranking {round_}",
        "# stage: 4",
        f"# order: {100 + round_}",
        "# place: Brescia",
        "# source: bench/soak_bigscreen.py (synthetic)",
        "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader",
    ]
    shift = round_ % len(CREWS)
    for position, (number, driver, co_driver, car) in enumerate(
        CREWS[shift:] + CREWS[:shift], start=1
    ):
        lines.append(f"{position},{number},{driver},{co_driver},{car},1929,{90000 - position},")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--minutes", "--duration", type=float, default=120, help="minutes to run (default 120)"
    )
    parser.add_argument(
        "--interval", type=float, default=120, help="seconds between rankings (default 120)"
    )
    parser.add_argument("--period", type=float, default=5, help="seconds per panel (default 5)")
    parser.add_argument("--cue", type=float, default=8, help="seconds the cues hold (default 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_data(Path(tmp) / "data")
        rankings = data / "rankings"
        with server(data) as (url, process):
            return soak(url, process.pid, rankings, args)


def soak(url: str, server_pid: int, rankings: Path, args) -> int:
    errors: list[str] = []
    blocked: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})

        def loopback_only(route):
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", loopback_only)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.goto(f"{url}/bigscreen?period={args.period:g}&cue={args.cue:g}")
        page.wait_for_selector("#bs-map .main-svg")
        print(
            f"{'min':>6} {'JS heap MB':>11} {'DOM nodes':>10} {'server RSS MB':>14} "
            f"{'errors':>7}  on screen"
        )
        rows = []
        start = time.monotonic()
        round_ = 0
        while time.monotonic() - start < args.minutes * 60:
            (rankings / f"2020-99-soak-{round_:04d}.csv").write_text(ranking(round_), "utf-8")
            old = rankings / f"2020-99-soak-{round_ - 2:04d}.csv"
            if old.exists():
                old.unlink()
            due = start + (round_ + 1) * args.interval
            round_ += 1
            # the browser keeps running its timers while Playwright waits
            page.wait_for_timeout(max(0.0, due - time.monotonic()) * 1000)
            cdp.send("HeapProfiler.collectGarbage")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            row = (
                (time.monotonic() - start) / 60,
                metrics["JSHeapUsedSize"] / 2**20,
                int(metrics["Nodes"]),
                rss_mb(server_pid),
                len(errors),
                page.locator("#bs-checkpoint").inner_text(),
            )
            rows.append(row)
            print(
                f"{row[0]:6.1f} {row[1]:11.1f} {row[2]:10d} {row[3]:14.1f} {row[4]:7d}  {row[5]}",
                flush=True,
            )
        browser.close()
    return report(rows, errors, blocked)


def report(rows: list[tuple], errors: list[str], blocked: list[str]) -> int:
    """Memory of the last third against the first third (medians: a collection's timing moves
    single samples), the console errors, any request that tried to leave the machine."""
    third = max(1, len(rows) // 3)
    first, last = rows[:third], rows[-third:]
    heap = statistics.median(r[1] for r in last) - statistics.median(r[1] for r in first)
    rss = statistics.median(r[3] for r in last) - statistics.median(r[3] for r in first)
    nodes = statistics.median(r[2] for r in last) - statistics.median(r[2] for r in first)
    print(
        f"JS heap: {min(r[1] for r in rows):.1f}-{max(r[1] for r in rows):.1f} MB, "
        f"last third against first {heap:+.1f} MB"
    )
    print(
        f"server RSS: {min(r[3] for r in rows):.1f}-{max(r[3] for r in rows):.1f} MB, "
        f"last third against first {rss:+.1f} MB"
    )
    print(f"DOM nodes: last third against first {nodes:+.0f}")
    print(f"console errors: {len(errors)}", *errors[:10], sep="\n  ")
    print(f"requests off 127.0.0.1 (aborted): {len(blocked)}", *blocked[:10], sep="\n  ")
    flat = heap < 5 and rss < 20 and not errors and not blocked
    print("verdict:", "flat, no error" if flat else "NOT FLAT OR ERRORS")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
