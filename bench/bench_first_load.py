"""First page load in headless Chromium on loopback: time until the route map is painted and
bytes transferred, with an empty browser cache and again with a warm one (prints figures; no
assertions). Target (issue 7): map painted <= 1.5 s, <= 1.5 MB transferred.

Two moments are timed, in page time (ms since navigation start):
- the still picture of the route map painted (the boot screen's <img elementtiming=...>,
  reported by the browser's Element Timing API): the first map the fan sees;
- the interactive map drawn with every basemap layer loaded (the page's .map-ready, set by
  assets/map_picture.js when MapLibre is idle with all the figure's layers in place).

    .venv/bin/python bench/bench_first_load.py [--runs 5] [--synthetic]

--synthetic serves a SYNTHETIC full event (400 crews x 120 rankings) instead of the 2020 files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.common import CHROMIUM, CHROMIUM_ARGS, copy_data, emit, median, server  # noqa: E402

# records, in page time, when the picture was painted and when the interactive map was drawn
WATCH_MAP = """
(() => {
  new PerformanceObserver(list => list.getEntries().forEach(entry => {
    if (entry.identifier === 'route-map-picture') { window.__picturePainted = entry.renderTime; }
  })).observe({type: 'element', buffered: true});
  function check() {
    if (document.querySelector('.map-stack.map-ready')) {
      window.__mapPainted = performance.now();
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
"""


def load_once(page, url: str) -> tuple[float, float, int, dict]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url)
    # functions, not expressions: Playwright evals an expression, which the page's CSP refuses
    page.wait_for_function("() => window.__mapPainted !== undefined", timeout=30_000)
    painted = page.evaluate("() => window.__mapPainted")
    picture = page.evaluate("() => window.__picturePainted || NaN")
    page.wait_for_load_state("networkidle")
    by_url = {urls.get(k, k): v for k, v in sizes.items()}
    cdp.detach()
    return picture, painted, sum(sizes.values()), by_url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", action="store_true")
    parser.add_argument("--gunicorn", action="store_true", help="serve like `make serve`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_data(Path(tmp) / "data", (400, 120) if args.synthetic else None)
        with server(data, gunicorn=args.gunicorn) as (url, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            cold, warm, cold_bytes, warm_bytes = [], [], [], []
            cold_picture, warm_picture = [], []
            detail: dict = {}
            for _ in range(args.runs + 1):  # the first run warms the server up, not counted
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                context.add_init_script(WATCH_MAP)
                page = context.new_page()
                picture, ms, sent, detail = load_once(page, url + "/")
                cold_picture.append(picture)
                cold.append(ms)
                cold_bytes.append(sent)
                page2 = context.new_page()  # same context: the browser cache is warm
                picture2, ms2, sent2, _ = load_once(page2, url + "/")
                warm_picture.append(picture2)
                warm.append(ms2)
                warm_bytes.append(sent2)
                context.close()
            browser.close()
    cold, warm, cold_bytes, warm_bytes = cold[1:], warm[1:], cold_bytes[1:], warm_bytes[1:]
    cold_picture, warm_picture = cold_picture[1:], warm_picture[1:]
    data_name = "SYNTHETIC 400 crews x 120 rankings" if args.synthetic else "shipped 2020 data"
    print(f"first load of / in headless Chromium, 1366x768, {data_name}, {args.runs} runs")
    for name, times in (
        ("route picture painted, empty cache", cold_picture),
        ("route picture painted, warm cache", warm_picture),
        ("interactive map drawn, empty cache", cold),
        ("interactive map drawn, warm cache", warm),
    ):
        print(f"{name + ':':37s} median {median(times):6.0f} ms   max {max(times):6.0f} ms")
    print(f"{'transferred, empty cache:':37s} {median(cold_bytes) / 1e6:6.2f} MB")
    print(f"{'transferred, warm cache:':37s} {median(warm_bytes) / 1e6:6.2f} MB")
    print("largest transfers (empty cache):")
    for name, size in sorted(detail.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {size / 1e3:8.1f} kB  {name.split('?')[0][-70:]}")
    emit(
        {
            "picture_cold_median_ms": median(cold_picture),
            "picture_warm_median_ms": median(warm_picture),
            "map_cold_median_ms": median(cold),
            "map_cold_max_ms": max(cold),
            "map_warm_median_ms": median(warm),
            "cold_mb": median(cold_bytes) / 1e6,
            "warm_mb": median(warm_bytes) / 1e6,
        }
    )


if __name__ == "__main__":
    main()
