"""Times the standings pipeline at full event scale on synthetic data (prints figures; no
assertions). Run: .venv/bin/python bench/bench_standings.py [--crews 400] [--rankings 120]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_event import write_event  # noqa: E402
from dashboard.data.rankings import read_ranking  # noqa: E402
from dashboard.data.route import load_route_data  # noqa: E402
from dashboard.data.store import RankingStore  # noqa: E402
from dashboard.figures.standings import standings_charts  # noqa: E402
from dashboard.pages.explore import standings_outputs  # noqa: E402
from dashboard.race import build_standings, standings_view  # noqa: E402
from dashboard.view_state import View, resolve  # noqa: E402


def timed(fn, repeat: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crews", type=int, default=400)
    parser.add_argument("--rankings", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "rankings"
        paths = write_event(folder, args.crews, args.rankings)
        print(f"SYNTHETIC event: {args.crews} crews x {args.rankings} rankings")
        ms, one = timed(lambda: read_ranking(paths[-1]))
        print(f"parse + validate one file of {args.crews} rows: {ms:8.1f} ms")
        files = [read_ranking(p) for p in paths]
        ms, standings = timed(lambda: build_standings(files), repeat=3)
        print(f"build the standings model from {len(files)} files: {ms:8.1f} ms")
        store = RankingStore(folder, build=build_standings, run_ingest=False)
        ms, _ = timed(store.version, repeat=50)
        print(f"folder version check (every poll):        {ms * 1000:8.0f} us")
        route = load_route_data(Path(__file__).resolve().parent.parent / "data" / "stages.geojson")
        snapshot = store.snapshot()
        view = resolve(View(crew="7"), snapshot.standings)
        ids = snapshot.standings.checkpoints.index.tolist()
        ms, shown = timed(lambda: standings_view(snapshot, view))
        print(f"the standings view (rows, series, card):    {ms:8.1f} ms")
        ms, _ = timed(lambda: standings_charts(shown.chart))
        print(f"both charts, {len(ids)} checkpoints x 11 crews: {ms:8.1f} ms")
        ms, _ = timed(lambda: snapshot.standings.at(ids[-1]))
        print(f"one checkpoint's ranking (bare pandas):     {ms:8.1f} ms")
        ms, _ = timed(lambda: standings_outputs(view, route, snapshot))
        print(f"all standings views of one view (callback): {ms:8.1f} ms")
        del one


if __name__ == "__main__":
    main()
