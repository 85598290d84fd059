"""Soak test of the big screen: runs the page for a while with fast rotation and periodic new
rankings, and prints the page's JS heap and the server's memory over time (run by hand; it is
not part of the test suite because it takes minutes).

    .venv/bin/python bench/soak_bigscreen.py [--minutes 10] [--period 2]

Uses a temporary copy of data/ plus SYNTHETIC rankings (never the real race) and Debian's
chromium, all on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ranking(round_: int) -> str:
    lines = [
        f"# checkpoint: SYNTHETIC soak ranking {round_}",
        "# stage: 4",
        "# order: 50",
        "# source: bench/soak_bigscreen.py (synthetic)",
        "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader",
    ]
    crews = [
        (46, "Andrea Vesco", "Roberto Vesco"),
        (45, "Sergio Sisti", "Anna Gualandi"),
        (28, "Gianmario Fontanella", "Anna Maria Covelli"),
        (44, "Andrea Belometti", "Massimo Bettinsoli"),
    ]
    order = crews[round_ % len(crews) :] + crews[: round_ % len(crews)]
    for position, (number, driver, co_driver) in enumerate(order, start=1):
        lines.append(f"{position},{number},{driver},{co_driver},Car,1929,{90000 - position},")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--period", type=float, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns(".history", ".accepted"))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--port", str(port), "--data", str(data)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(f"http://127.0.0.1:{port}/bigscreen?period={args.period}")
                page.wait_for_timeout(5000)
                start = time.monotonic()
                rows = []
                round_ = 0
                print(
                    f"{'min':>5} {'JS heap MB':>11} {'DOM nodes':>10} {'server RSS MB':>14} checkpoint"
                )
                while time.monotonic() - start < args.minutes * 60:
                    (data / "rankings" / "2020-99-soak.csv").write_text(
                        ranking(round_), encoding="utf-8"
                    )
                    round_ += 1
                    page.wait_for_timeout(30_000)
                    cdp.send("HeapProfiler.collectGarbage")
                    metrics = {
                        m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                    }
                    row = (
                        (time.monotonic() - start) / 60,
                        metrics["JSHeapUsedSize"] / 2**20,
                        int(metrics["Nodes"]),
                        rss_mb(server.pid),
                        page.locator("#bs-checkpoint").inner_text(),
                    )
                    rows.append(row)
                    print(
                        f"{row[0]:5.1f} {row[1]:11.1f} {row[2]:10d} {row[3]:14.1f} {row[4]}",
                        flush=True,
                    )
                browser.close()
            half = len(rows) // 2
            heap_growth = max(r[1] for r in rows[half:]) - max(r[1] for r in rows[:half])
            rss_growth = max(r[3] for r in rows[half:]) - max(r[3] for r in rows[:half])
            print(
                f"JS heap: first half max {max(r[1] for r in rows[:half]):.1f} MB, second half max "
                f"{max(r[1] for r in rows[half:]):.1f} MB (growth {heap_growth:+.1f} MB)"
            )
            print(f"server RSS: growth between halves {rss_growth:+.1f} MB")
            flat = heap_growth < 5 and rss_growth < 20
            print("verdict:", "flat" if flat else "GROWING")
            return 0 if flat else 1
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
