"""Lighthouse (12.2.3, desktop preset, performance only) on the fans' page `/` against a bare
one-graph Dash app with compress=True, interleaved in the same run (prints figures; no
assertions). Target (issue 18): TBT and LCP at most 1.2x the bare app's, the performance
score at least the bare app's, at most 2.0 MB.

    .venv/bin/python bench/bench_lighthouse.py [--runs 5] [--checkout NAME=PATH ...]

Each checkout (default: this one, as "now") serves a SYNTHETIC event (400 crews x 120
rankings, bench/synthetic_event.py) over a copy of its own data/ with `python -m dashboard`
on loopback; the bare app (BARE_APP below) is served the same way. Every run asks each
server once, in an order rotated from run to run. Debian's Chromium; Lighthouse is installed
into bench/.lighthouse (git-ignored) with `npm i -E lighthouse@12.2.3` when missing (it
downloads no browser). Lighthouse's own default for the preset: simulated throttling
(Lantern), so TBT and LCP are estimates from the trace of one real load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CHROMIUM, CHROMIUM_ARGS, emit, free_port, wait_until_up  # noqa: E402
from bench.synthetic_event import write_event  # noqa: E402

HERE = Path(__file__).resolve().parent
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = HERE / ".lighthouse"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
RUN_TIMEOUT_S = 150
BARE = "bare"

# a bare one-graph Dash app: Dash's own full plotly.js, compressed answers, nothing else
BARE_APP = """
import sys
import plotly.graph_objects as go
from dash import Dash, dcc, html
app = Dash(__name__, compress=True, serve_locally=True)
figure = go.Figure(go.Scatter(x=list(range(120)), y=[(i * 37) % 101 for i in range(120)]))
app.layout = html.Div([html.H1("One graph"), dcc.Graph(id="graph", figure=figure)])
app.run(host="127.0.0.1", port=int(sys.argv[1]))
"""


def install_lighthouse() -> None:
    if LIGHTHOUSE_CLI.exists():
        return
    LIGHTHOUSE_DIR.mkdir(exist_ok=True)
    package = LIGHTHOUSE_DIR / "package.json"
    if not package.exists():
        package.write_text('{"private": true}\n')
    print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}", flush=True)
    subprocess.run(
        ["npm", "i", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}", "--no-audit", "--no-fund"],
        cwd=LIGHTHOUSE_DIR,
        check=True,
        timeout=600,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def start_servers(checkouts: dict[str, Path], tmp: Path) -> dict[str, tuple[str, subprocess.Popen]]:
    servers = {}
    for name, checkout in checkouts.items():
        data = tmp / name / "data"
        shutil.copytree(
            checkout / "data",
            data,
            ignore=shutil.ignore_patterns(".history", ".accepted", ".ingest"),
        )
        shutil.rmtree(data / "rankings")
        write_event(data / "rankings", 400, 120)
        env = {**os.environ, "PYTHONPATH": str(checkout), "MIGLIA_DATA_DIR": str(data)}
        for step in (["-m", "compileall", "-q", "dashboard"], ["-m", "tools.build_twins"]):
            subprocess.run([sys.executable, *step], cwd=checkout, env=env, check=True,
                           capture_output=True)  # fmt: skip
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "--port", str(port)],
            cwd=checkout,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers[name] = (f"http://127.0.0.1:{port}", process)
    port = free_port()
    bare = tmp / "bare_app.py"
    bare.write_text(BARE_APP)
    process = subprocess.Popen(
        [sys.executable, str(bare), str(port)],
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    servers[BARE] = (f"http://127.0.0.1:{port}", process)
    for url, process in servers.values():
        wait_until_up(url, process, seconds=90)
    return servers


def lighthouse(url: str, out: Path) -> dict | None:
    flags = " ".join(a for a in CHROMIUM_ARGS if a != "--headless") + " --headless=new"
    command = [
        "node", str(LIGHTHOUSE_CLI), url + "/",
        "--preset=desktop", "--only-categories=performance",
        "--output=json", f"--output-path={out}", "--quiet",
        f"--chrome-flags={flags}", "--max-wait-for-load=60000",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        print("    lighthouse timed out")
        return None
    if done.returncode or not out.exists():
        print(f"    lighthouse failed ({done.returncode}): {done.stderr[-600:]}")
        return None
    report = json.loads(out.read_text())
    audits = report["audits"]
    lcp_element = audits.get("largest-contentful-paint-element", {}).get("details", {})
    try:
        node = lcp_element["items"][0]["items"][0]["node"]
        lcp_node = node.get("snippet") or node.get("selector") or ""
    except (KeyError, IndexError, TypeError):
        lcp_node = ""  # e.g. the boot picture, no longer in the page when the report is made
    long_tasks = (audits.get("long-tasks", {}).get("details") or {}).get("items") or []
    return {
        "score": report["categories"]["performance"]["score"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "tti_ms": audits.get("interactive", {}).get("numericValue"),
        "mb": audits["total-byte-weight"]["numericValue"] / 1e6,
        "longest_task_ms": max((t.get("duration", 0) for t in long_tasks), default=0),
        "lcp_element": lcp_node,
        "runtime_error": (report.get("runtimeError") or {}).get("code"),
    }


KEYS = ("score", "tbt_ms", "lcp_ms", "fcp_ms", "tti_ms", "mb", "longest_task_ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checkout", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--reports", type=Path, help="keep every Lighthouse report here")
    args = parser.parse_args()
    checkouts = {}
    for item in args.checkout or [f"now={HERE.parent}"]:
        name, _, path = item.partition("=")
        checkouts[name] = Path(path).resolve()
    install_lighthouse()
    started = load_average()
    results: dict[str, list[dict]] = {name: [] for name in [*checkouts, BARE]}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        servers = start_servers(checkouts, tmp)
        try:
            names = list(servers)
            for url, _ in servers.values():  # each server's first answers, not counted
                lighthouse(url, tmp / "warm.json")
            for run in range(args.runs):
                shift = run % len(names)
                for name in names[shift:] + names[:shift]:
                    folder = args.reports or tmp
                    folder.mkdir(parents=True, exist_ok=True)
                    figures = lighthouse(servers[name][0], folder / f"{name}-{run + 1}.json")
                    if figures:
                        results[name].append(figures)
                        print(
                            f"run {run + 1} {name:<8} score {figures['score']:.2f}  "
                            f"TBT {figures['tbt_ms']:6.0f} ms  LCP {figures['lcp_ms']:6.0f} ms  "
                            f"FCP {figures['fcp_ms']:5.0f} ms  {figures['mb']:.2f} MB  "
                            f"longest task {figures['longest_task_ms']:4.0f} ms  "
                            f"load {load_average()}",
                            flush=True,
                        )
        finally:
            for _url, process in servers.values():
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    print(f"\nLighthouse {LIGHTHOUSE_VERSION} desktop preset, {args.runs} runs interleaved, "
          f"SYNTHETIC 400 crews x 120 rankings; load average {started} -> {load_average()}")  # fmt: skip
    medians = {
        name: {k: statistics.median(r[k] for r in runs) for k in KEYS if runs and runs[0][k] is not None}
        for name, runs in results.items()
    }  # fmt: skip
    print(f"{'':10s}" + "".join(f"{k:>17s}" for k in KEYS))
    for name, runs in results.items():
        cells = []
        for k in KEYS:
            values = [r[k] for r in runs if r[k] is not None]
            cells.append(f"{min(values):.2f}-{max(values):.2f}" if values else "-")
        print(f"{name:10s}" + "".join(f"{c:>17s}" for c in cells))
    bare = medians.get(BARE, {})
    for name in checkouts:
        m = medians.get(name, {})
        if not m or not bare:
            continue
        print(
            f"{name} / bare (medians): TBT {m['tbt_ms'] / bare['tbt_ms']:.2f}x (target <= 1.2), "
            f"LCP {m['lcp_ms'] / bare['lcp_ms']:.2f}x (<= 1.2), score {m['score']:.2f} vs "
            f"{bare['score']:.2f} (>=), {m['mb']:.2f} MB (<= 2.0)"
        )
    emit({"medians": medians, "runs": results, "load": [started, load_average()]})


if __name__ == "__main__":
    main()
