"""The page-layout callback's body (pages/explore.py content()) with the app's table of route
traces (AppData.route_traces, built once per app) and with the traces built on every call, as
before (prints figures; no assertions). Interleaved, same process, shipped route data,
SYNTHETIC 400 crews x 120 rankings.

    .venv/bin/python bench/bench_route_traces.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import copy_data, emit, stop_ingest  # noqa: E402


class BuiltEachTime(Mapping):
    """The same keys as the app's table, each entry built when asked (no table)."""

    def __init__(self, route, table):
        self.route, self.keys_ = route, list(table)

    def __getitem__(self, key):
        from dashboard.figures.route_map import route_traces

        return route_traces(self.route, *key)

    def __iter__(self):
        return iter(self.keys_)

    def __len__(self):
        return len(self.keys_)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.data.route import STAGE_CHOICES
    from dashboard.figures.route_map import route_trace_table
    from dashboard.pages.explore import content
    from dashboard.view_state import View

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = copy_data(Path(tmp) / "data", (400, 120))
        app = create_app(Config(data_dir=data_dir))
        data = app.server.extensions["miglia"]
        start = time.perf_counter()
        route_trace_table(data.route)
        table_ms = (time.perf_counter() - start) * 1000
        without = replace(data, route_traces=BuiltEachTime(data.route, data.route_traces))
        views = [View(stage=c, lang=lang) for c in STAGE_CHOICES for lang in ("en", "it")]
        times = {"table": [], "built each time": []}
        with app.server.test_request_context("/"):
            for view in views[:2]:  # warm up
                content(view, data), content(view, without)
            for i in range(args.repeat):
                order = [("table", data), ("built each time", without)]
                for name, source in order if i % 2 else order[::-1]:
                    view = views[i % len(views)]
                    start = time.perf_counter()
                    content(view, source)
                    times[name].append((time.perf_counter() - start) * 1000)
        stop_ingest(app)
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"content() of the fans' page, {args.repeat} calls each, interleaved, 400 x 120")
    for name, t in times.items():
        print(f"  {name:16s} median {medians[name]:6.1f} ms   p90 {sorted(t)[int(len(t) * 0.9)]:6.1f} ms")
    ratio = medians["table"] / medians["built each time"]
    print(f"  table / built each time: {ratio:.2f}x; the table itself: {table_ms:.0f} ms once per app")
    emit({"medians_ms": medians, "ratio": ratio, "table_build_ms": table_ms})


if __name__ == "__main__":
    main()
