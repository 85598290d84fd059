"""Where the first load's main-thread time goes: a Chromium performance trace of one first
load of `/` (prints figures; no assertions). SYNTHETIC 400 crews x 120 rankings.

    .venv/bin/python bench/trace_first_load.py [--loads 3] [--block '**/relief*.png'] \
        [--relief FILE.png] [--flush] [--css 'A STYLE SHEET' [--css-ms 6000]] [--no-table]

Each load: a fresh browser context (empty cache) at 1350x940 on `python -m dashboard`, traced
until the interactive map is drawn (.map-ready) and the standings table has rows, plus 3 s.
Printed per load: the main thread's tasks over 50 ms (what each spends its time on), the
compositor commits over 20 ms (the main thread waiting for the frame, which includes the WebGL
read-back when Chromium composites in software), and the GPU process's longest WebGL flush with
its read-back and finish. The options are the experiments of docs/performance.md: a request
blocked (e.g. the relief picture), the relief picture replaced by another file, a
`gl.flush()` after every MapLibre frame, or a style sheet added (and removed after --css-ms,
e.g. to keep the map's canvas hidden for a while); --no-table does not wait for the table
(with its grid's script blocked, say).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CHROMIUM, CHROMIUM_ARGS, copy_data, server  # noqa: E402

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "toplevel",
    "v8.execute",
    "gpu",
    "gpu.angle",
    "disabled-by-default-gpu.service",
]
VIEWPORT = {"width": 1350, "height": 940}
FLUSH_EACH_FRAME = """
(function () { var t = setInterval(function () {
  var gd = document.querySelector('.map-stack .js-plotly-plot');
  var m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot &&
          gd._fullLayout.map._subplot.map;
  if (!m) { return; }
  clearInterval(t);
  var gl = m.painter.context.gl;
  m.on('render', function () { gl.flush(); });
}, 20); })();
"""
TASK_PARTS = (
    "EvaluateScript",
    "FunctionCall",
    "RunMicrotasks",
    "Commit",
    "Layout",
    "UpdateLayoutTree",
    "Paint",
    "FireAnimationFrame",
    "MinorGC",
    "MajorGC",
    "ParseHTML",
)


def threads_named(events: list[dict], name: str) -> set[tuple[int, int]]:
    return {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == name
    }


def spans(events: list[dict], threads: set, names: tuple[str, ...]) -> list[dict]:
    return sorted(
        (
            e
            for e in events
            if e.get("ph") == "X" and e.get("name") in names and (e["pid"], e["tid"]) in threads
        ),
        key=lambda e: e["ts"],
    )


def report(events: list[dict]) -> dict:
    main = threads_named(events, "CrRendererMain")
    gpu = threads_named(events, "CrGpuMain")
    tasks = spans(events, main, ("ThreadControllerImpl::RunTask",))
    start = tasks[0]["ts"] if tasks else 0
    parts = spans(events, main, TASK_PARTS)
    long_tasks = []
    for task in (t for t in tasks if t["dur"] > 50_000):
        end = task["ts"] + task["dur"]
        spent = collections.Counter()
        for part in parts:
            if task["ts"] <= part["ts"] and part["ts"] + part["dur"] <= end:
                spent[part["name"]] += part["dur"]
        what = ", ".join(f"{k} {v / 1000:.0f}" for k, v in spent.most_common(4))
        long_tasks.append((round((task["ts"] - start) / 1000), round(task["dur"] / 1000), what))
    commits = [
        round(e["dur"] / 1000) for e in spans(events, main, ("Commit",)) if e["dur"] > 20_000
    ]
    flushes = spans(events, gpu, ("WebGL",))
    readback = spans(events, gpu, ("ImageHelper::readPixelsImpl - CPU Readback",))
    return {
        "long_tasks": long_tasks,
        "blocking_ms": sum(d - 50 for _, d, _ in long_tasks),
        "commits_ms": commits,
        "longest_webgl_flush_ms": round(max((e["dur"] for e in flushes), default=0) / 1000),
        "longest_readback_ms": round(max((e["dur"] for e in readback), default=0) / 1000),
    }


def one_load(browser, url: str, args: argparse.Namespace) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    for pattern in args.block:
        page.route(pattern, lambda route: route.abort())
    if args.relief:
        page.route(
            "**/relief*.png",
            lambda route: route.fulfill(path=str(args.relief), content_type="image/png"),
        )
    if args.flush:
        page.add_init_script(FLUSH_EACH_FRAME)
    if args.css:
        page.add_init_script(
            "document.addEventListener('DOMContentLoaded', function () {"
            " var s = document.createElement('style');"
            f" s.textContent = {json.dumps(args.css)}; document.head.appendChild(s);"
            f" if ({args.css_ms or 0}) {{ setTimeout(function () {{ s.remove();"
            " window.__cssRemoved = performance.now(); }, " + str(args.css_ms or 0) + "); } });"
        )
    browser.start_tracing(page=page, categories=CATEGORIES)
    page.goto(url)
    page.wait_for_selector(".map-ready", timeout=60_000)
    if not args.no_table:
        page.wait_for_selector("#standings .ag-row", timeout=60_000)
    if args.css and args.css_ms:
        page.wait_for_function("() => window.__cssRemoved", timeout=60_000)
    page.wait_for_timeout(3000)  # what follows the standings (a trace, not a timed test)
    trace = json.loads(browser.stop_tracing())
    context.close()
    return report(trace["traceEvents"] if isinstance(trace, dict) else trace)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--block", action="append", default=[], metavar="URL_PATTERN")
    parser.add_argument("--relief", type=Path, help="serve this PNG as the relief picture")
    parser.add_argument("--flush", action="store_true", help="gl.flush() after every frame")
    parser.add_argument(
        "--no-table", action="store_true", help="do not wait for the table (its script blocked)"
    )
    parser.add_argument("--css", help="a style sheet added to the page")
    parser.add_argument("--css-ms", type=int, help="the style sheet removed after so long")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = copy_data(Path(tmp) / "data", (400, 120))
        with server(data) as (url, _process), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = browser.new_page(viewport=VIEWPORT)
            warm.goto(url + "/")  # the server's first answers, not measured
            warm.wait_for_selector(".map-ready", timeout=60_000)
            warm.close()
            runs = []
            for n in range(1, args.loads + 1):
                figures = one_load(browser, url + "/", args)
                runs.append(figures)
                print(
                    f"load {n}: commits over 20 ms {figures['commits_ms']}; longest WebGL "
                    f"flush {figures['longest_webgl_flush_ms']} ms (read-back "
                    f"{figures['longest_readback_ms']} ms); main-thread time over 50 ms in "
                    f"long tasks {figures['blocking_ms']} ms"
                )
                for at, duration, what in figures["long_tasks"]:
                    print(f"    at {at:6d} ms  {duration:5d} ms   {what}")
            browser.close()
    print("FIGURES " + json.dumps({"runs": runs}))


if __name__ == "__main__":
    main()
