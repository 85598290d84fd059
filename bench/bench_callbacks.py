"""Server time of the interactive callbacks at full event scale (SYNTHETIC 400 crews x 120
rankings), against the bare pandas computation each one wraps (prints figures; no
assertions). Target (issue 7): p95 <= 30 ms, and <= 2x the bare pandas time.

    .venv/bin/python bench/bench_callbacks.py [--crews 400] [--rankings 120] [--repeat 40]

1. Records what a real browser sends (headless Chromium clicking a crew, a stage, the
   scrubber; bench/common.py capture_callbacks).
2. Replays each request in-process through the app's Flask server (routing, Dash dispatch,
   the callback, JSON, gzip: all the server does, without the network) and times it.
3. Times the bare pandas computation of the same view: the checkpoint's ranking, the chart
   crews' rows, the selected crew's rows, each as a plain boolean filter of the table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    bench_store,
    capture_callbacks,
    copy_data,
    emit,
    load_now,
    median,
    percentile,
    server,
    stop_ingest,
)


def bare_table(standings, view) -> None:
    """The naive pandas work behind the table callback: the checkpoint's ranking, sorted, and
    the selected crew's rows (for its card), as boolean filters of the whole table."""
    table = standings.table
    table[table["checkpoint_id"] == view.checkpoint].sort_values(["position", "crew"])
    table[table["crew_id"] == view.crew]


def bare_charts(standings, view) -> None:
    """The naive pandas work behind the charts callback: the leaders at the checkpoint and the
    rows of the charted crews at the checkpoints in view."""
    from dashboard.view_state import checkpoints_in_view

    table = standings.table
    ranking = table[table["checkpoint_id"] == view.checkpoint].sort_values(["position", "crew"])
    crews = ranking["crew_id"].head(10).tolist() + ([view.crew] if view.crew else [])
    in_view = checkpoints_in_view(view, standings)
    table[table["checkpoint_id"].isin(in_view) & table["crew_id"].isin(crews)]


def bare_pandas(standings, view) -> None:
    bare_table(standings, view)
    bare_charts(standings, view)


def bare_baseline(store_standings, repeat: int):
    """The bare pandas work of the views each action shows, timed `repeat` times."""
    from dashboard.view_state import View, resolve

    views = {
        "open the page": View(),
        "select a crew": View(crew="5"),
        "select a stage": View(stage="2", crew="5"),
        "move the scrubber": View(stage="2", crew="5"),
    }
    bare: dict[str, list[float]] = {}
    bare_parts: dict[tuple[str, str], list[float]] = {}
    for action, view in views.items():
        view = resolve(view, store_standings)
        if action == "move the scrubber":
            ids = store_standings.checkpoints_of([2]).index.tolist()
            view = resolve(View(stage="2", crew="5", checkpoint=ids[-2]), store_standings)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            bare_pandas(store_standings, view)
            times.append((time.perf_counter() - start) * 1000)
        bare[action] = times
        for part, fn in (("standings-grid", bare_table), ("bump-chart", bare_charts)):
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                fn(store_standings, view)
                times.append((time.perf_counter() - start) * 1000)
            bare_parts[(action, part)] = times
    return bare, bare_parts


def replay(client, captured: list, repeat: int):
    """Each captured request `repeat` times through the app's server: times, sizes, statuses."""
    per_request: dict[tuple[str, str], list[float]] = defaultdict(list)
    sizes: dict[tuple[str, str], int] = {}
    statuses = set()
    for _ in range(repeat):
        for action, output, body in captured:
            start = time.perf_counter()
            payload = {k: v for k, v in body.items() if k != "path"}
            response = client.post(
                body["path"],
                data=json.dumps(payload),
                content_type="application/json",
                headers={"Accept-Encoding": "gzip"},
            )
            per_request[(action, output)].append((time.perf_counter() - start) * 1000)
            statuses.add(response.status_code)
            # bytes on the wire: the versions compared must do the same work
            sizes[(action, output)] = len(response.data)
    return per_request, sizes, statuses


def report(args, per_request: dict, sizes: dict, statuses: set, baseline: tuple) -> None:
    """The figures in words, then as one line for compare.py."""
    bare, bare_parts = baseline
    print(f"SYNTHETIC event: {args.crews} crews x {args.rankings} rankings; {args.repeat} repeats")
    print(f"HTTP statuses seen: {sorted(statuses)}")
    print(f"{'action':<20} {'callback (outputs)':<52} {'median':>7} {'p95':>7} {'gzip kB':>8}")
    chains: dict[str, list[float]] = defaultdict(lambda: [0.0] * args.repeat)
    figures: dict = {"statuses": sorted(statuses), "callbacks": {}}
    for (action, output), times in per_request.items():
        name = output if len(output) <= 50 else output[:47] + "..."
        size = sizes[(action, output)] / 1000
        print(
            f"{action:<20} {name:<52} {median(times):6.1f}  {percentile(times, 95):6.1f}"
            f" {size:8.1f}"
        )
        figures["callbacks"][f"{action} | {output}"] = {
            "median_ms": median(times),
            "p95_ms": percentile(times, 95),
            "max_ms": max(times),
            "gzip_kb": size,
        }
        per_round = len(times) // args.repeat
        for i in range(args.repeat):
            chains[action][i] += sum(times[i * per_round : (i + 1) * per_round])
    print()
    print("the two data callbacks against the bare pandas filters they wrap:")
    print(f"{'action':<20} {'callback':<16} {'server median':>13} {'bare pandas':>12} {'ratio':>6}")
    for (action, output), times in per_request.items():
        for part in ("standings-grid", "bump-chart"):
            if output.startswith(f"..{part}") and (action, part) in bare_parts:
                base = median(bare_parts[(action, part)])
                print(
                    f"{action:<20} {part:<16} {median(times):10.1f} ms {base:9.1f} ms "
                    f"{median(times) / base:6.2f}"
                )
    print()
    print(f"{'action (all its requests)':<28} {'server p95':>10} {'bare pandas':>12} {'ratio':>6}")
    for action in ("select a crew", "select a stage", "move the scrubber"):
        if action not in chains:
            print(f"{action:<28} (not captured)")
            continue
        p95 = percentile(chains[action], 95)
        if action not in bare:
            print(f"{action:<28} {p95:8.1f} ms")
            continue
        base = median(bare[action])
        print(f"{action:<28} {p95:8.1f} ms {base:9.1f} ms {p95 / base:6.2f}")
    emit(figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crews", type=int, default=400)
    parser.add_argument("--rankings", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = copy_data(Path(tmp) / "data", (args.crews, args.rankings))
        with server(data) as (url, _):
            captured = capture_callbacks(url)

        from dashboard.app import create_app
        from dashboard.config import Config

        # the model the bare pandas baseline reads, built before the app so that the app's own
        # ingest thread (after issue 13) does not hold the folder's lock against this store
        store_standings = load_now(bench_store(data / "rankings")).standings
        app = create_app(Config(data_dir=data))
        with_cache = app.server.wsgi_app
        # time the callbacks themselves: without the response cache (which would answer
        # every repeat of a request; bench_load.py measures it)
        app.server.wsgi_app = app.server.wsgi_app.app
        per_request, sizes, statuses = replay(app.server.test_client(), captured, args.repeat)

        try:
            bare, bare_parts = bare_baseline(store_standings, args.repeat)
        except (ImportError, AttributeError, TypeError) as error:
            # a later version may shape its view otherwise: the callbacks' figures still count
            print(f"(no bare pandas baseline for this version: {error!r})")
            bare, bare_parts = {}, {}
        app.server.wsgi_app = with_cache
        stop_ingest(app)

    report(args, per_request, sizes, statuses, (bare, bare_parts))


if __name__ == "__main__":
    main()
