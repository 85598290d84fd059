"""Times the town lookup on the shipped data (prints figures; no assertions).

Run: .venv/bin/python bench/bench_towns.py [--towns 50] [--repeat 5]

For each of --towns names (a few typed by hand, some misspelled, the rest every n-th comune)
it times gazetteer.find + town_answer (all six routes) and gazetteer.search, and prints the
median, 95th percentile and maximum in ms. The target is "well under 50 ms" per answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.config import ASSETS_DIR, DEFAULT_DATA_DIR  # noqa: E402
from dashboard.data.route import load_route_data  # noqa: E402
from dashboard.gazetteer import load_gazetteer  # noqa: E402
from dashboard.passage_times import town_answer  # noqa: E402

TYPED = [
    "Lodi",
    "Treviglio",
    "Pandino",
    "Cremona",
    "castellarquato",
    "CASTELL ARQUATO",
    "Castel'arquato",
    "Treviglo",
    "Reggio Emilia",
    "Forli",
    "Bolzano",
    "Castro (LE)",
    "Roma",
    "Brescia",
    "Xyzzyville",
]


def ms(seconds: float) -> float:
    return seconds * 1000


def summary(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"{label:34} median {statistics.median(times):6.2f} ms   "
        f"p95 {p95:6.2f} ms   max {times[-1]:6.2f} ms   (n={len(times)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    gazetteer = load_gazetteer(ASSETS_DIR / "basemap" / "comuni.csv")
    load_s = time.perf_counter() - start
    route = load_route_data(DEFAULT_DATA_DIR / "stages.geojson")
    print(f"load_gazetteer: {ms(load_s):.0f} ms for {len(gazetteer)} comuni")

    step = max(1, len(gazetteer) // max(1, args.towns - len(TYPED)))
    names = (TYPED + [t.name for t in gazetteer.towns[::step]])[: args.towns]

    # The first answer for a route computes its cumulative distances (once per RouteData).
    start = time.perf_counter()
    town_answer(route, gazetteer.find("Lodi"))
    print(f"first town_answer (prepares the routes): {ms(time.perf_counter() - start):.1f} ms")

    answer_times, search_times, found = [], [], 0
    for name in names:
        for _ in range(args.repeat):
            start = time.perf_counter()
            town = gazetteer.find(name)
            if town is not None:
                town_answer(route, town)
            answer_times.append(ms(time.perf_counter() - start))
            start = time.perf_counter()
            gazetteer.search(name)
            search_times.append(ms(time.perf_counter() - start))
        found += town is not None
    print(f"{len(names)} names, {found} found, each timed {args.repeat} times")
    summary("find + town_answer (6 routes)", answer_times)
    summary("search (8 suggestions)", search_times)
    prefixes = [name[:n] for name in names for n in (1, 2, 3, 5)]
    times = []
    for text in prefixes:
        start = time.perf_counter()
        gazetteer.search(text)
        times.append(ms(time.perf_counter() - start))
    summary("search while typing (1-5 letters)", times)


if __name__ == "__main__":
    main()
