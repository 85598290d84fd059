"""Cold start and memory at full event scale (prints figures; no assertions). Target
(issue 7): import + load full-scale data <= 2 s; <= 250 MB RSS per worker.

    .venv/bin/python bench/bench_startup.py [--runs 3] [--sizes 400x120,1000x120]

Each run is a fresh Python process (as a gunicorn worker starts): it imports the app, builds
it over a SYNTHETIC event (400 crews x 120 rankings, and 1,000 x 120 for headroom) and
renders the fans' page once; it reports the time to a ready app and its RSS. The first run
over a new folder is also shown on its own: since issue 13 it publishes the folder (reads,
hashes and keeps every file) while later starts find it published, as a restart does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, copy_data, emit, median  # noqa: E402

CHILD = r"""
import json, sys, time
start = time.perf_counter()
from dashboard.startup import loading
with loading():  # as `python -m dashboard` imports the app
    from dashboard.app import create_app
    from dashboard.config import Config
imported = time.perf_counter()
from pathlib import Path
app = create_app(Config(data_dir=Path(sys.argv[1])))
ready = time.perf_counter()
client = app.server.test_client()
assert client.get("/").status_code == 200
address = [{"id": "_pages_location", "property": "pathname", "value": "/"},
           {"id": "_pages_location", "property": "search", "value": ""}]
body = {"output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": address, "state": address,  # Dash Pages' router (dashboard/app.py)
        "changedPropIds": ["_pages_location.pathname"]}
response = client.post("/_dash-update-component", json=body)
served = time.perf_counter()
# a later version may draw its pages otherwise: then no first-page figure, the rest still counts
first_page = served - ready if response.status_code == 200 else None
rss = next(int(line.split()[1]) / 1024 for line in open("/proc/self/status")
           if line.startswith("VmRSS:"))
print(json.dumps({"import_s": imported - start, "ready_s": ready - start,
                  "first_page_s": first_page, "rss_mb": rss}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="400x120,1000x120", help="CREWSxRANKINGS,...")
    args = parser.parse_args()
    figures = {}
    for size in args.sizes.split(","):
        crews, rankings = (int(n) for n in size.split("x"))
        with tempfile.TemporaryDirectory() as tmp:
            data = copy_data(Path(tmp) / "data", (crews, rankings))
            time.sleep(1)  # the files are settled, as on a running event
            results = []
            for _ in range(args.runs):
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, str(data)],
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                )
                if out.returncode:
                    raise SystemExit(out.stderr)
                results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(
            f"SYNTHETIC {crews} crews x {rankings} rankings ({args.runs} fresh processes, medians):"
        )
        print(
            f"  import the app:                 {median([r['import_s'] for r in results]):5.2f} s"
        )
        ready = [r["ready_s"] for r in results]
        print(
            f"  import + load the data (ready): {median(ready):5.2f} s"
            f"   (target <= 2 s; fastest {min(ready):.2f} s, slowest {max(ready):.2f} s)"
        )
        print(f"  the first start over the new folder: {ready[0]:5.2f} s")
        pages = [r["first_page_s"] for r in results if r["first_page_s"] is not None]
        if pages:
            print(f"  then the first page:            {median(pages):5.2f} s")
        else:
            print("  then the first page:            (the page-layout callback was not found)")
        rss = [r["rss_mb"] for r in results]
        print(
            f"  RSS after the first page:       {median(rss):5.0f} MB"
            "  (target <= 250 MB per worker)"
        )
        figures[size] = {
            "import_s": median([r["import_s"] for r in results]),
            "ready_median_s": median(ready),
            "ready_min_s": min(ready),
            "ready_max_s": max(ready),
            "ready_first_s": ready[0],
            "first_page_s": median(pages) if pages else None,
            "rss_mb": median(rss),
        }
    emit(figures)


if __name__ == "__main__":
    main()
