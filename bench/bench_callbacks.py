"""Server time of the interactive callbacks at full event scale (SYNTHETIC 400 crews x 120
rankings), against a pandas baseline of the same answer (prints figures; no
assertions). Target (issue 7): p95 <= 30 ms, and <= 2x the bare pandas time.

    .venv/bin/python bench/bench_callbacks.py [--crews 400] [--rankings 120] [--repeat 40]

1. Records what a real browser sends (headless Chromium clicking a crew, a stage, the
   scrubber; bench/common.py capture_callbacks).
2. Replays each request in-process through the app's Flask server (routing, Dash dispatch,
   the callback, JSON, gzip: all the server does, without the network) and times it.
3. Right after each standings request, times what a competent pandas + Dash user writes for
   the same view (PandasBaseline: indexed once, records and px.line figures built, JSON and
   gzip as Dash sends them): interleaved, for the same crew and checkpoint.
"""

from __future__ import annotations

import argparse
import gzip
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
    is_standings,
    load_now,
    median,
    percentile,
    server,
    stop_ingest,
)


class PandasBaseline:
    """What a competent pandas + Dash user writes for the same answer as the standings
    callback: the table indexed once by checkpoint (in ranking order) and once by crew, then
    per view the checkpoint's rows as records for the grid, the selected crew's rows for its
    card, and both charts of the charted crews (the leaders at the checkpoint and the selected
    crew) with px.line, all JSON-encoded and gzipped as Dash sends them."""

    COLUMNS = ["position", "car_number", "crew", "car", "car_year", "points", "gap_to_leader"]

    def __init__(self, standings):
        table = standings.table.merge(
            standings.checkpoints[["checkpoint_id", "label"]].reset_index(drop=True),
            on="checkpoint_id",
        )
        self.standings = standings
        self.by_checkpoint = table.sort_values(["checkpoint_id", "position"]).set_index(
            "checkpoint_id"
        )
        self.by_crew = table.sort_values("seq").set_index("crew_id")

    def answer(self, view, charts_with_px: bool = True) -> bytes:
        """The answer as bytes on the wire; the charts with px.line, or (the faster way a
        Plotly user may know) with one go.Scatter per crew from a groupby."""
        import plotly.express as px
        import plotly.graph_objects as go
        from plotly.io.json import to_json_plotly

        from dashboard.view_state import checkpoints_in_view

        ranking = self.by_checkpoint.loc[[view.checkpoint]]
        rows = ranking[self.COLUMNS].to_dict("records")
        card = self.by_crew.loc[[view.crew]].to_dict("records") if view.crew else []
        crews = ranking["crew_id"].head(10).tolist()
        if view.crew and view.crew not in crews:
            crews.append(view.crew)
        lines = self.by_crew.loc[crews].reset_index()
        lines = lines[lines["checkpoint_id"].isin(checkpoints_in_view(view, self.standings))]
        if charts_with_px:
            charts = [
                px.line(lines, x="label", y=y, color="crew", markers=True).to_plotly_json()
                for y in ("position", "gap_to_leader")
            ]
        else:
            by_crew = list(lines.groupby("crew", sort=False))
            charts = [
                go.Figure(
                    [
                        go.Scatter(x=line["label"], y=line[y], name=crew, mode="lines+markers")
                        for crew, line in by_crew
                    ]
                ).to_plotly_json()
                for y in ("position", "gap_to_leader")
            ]
        body = to_json_plotly({"rows": rows, "card": card, "charts": charts})
        return gzip.compress(body.encode(), 4)


BASELINES = {"baseline: pandas + px.line": True, "baseline: pandas + go.Scatter": False}


def view_of(body: dict):
    """The view a captured standings request shows (its input is the view store)."""
    from dashboard.view_state import View

    for item in body.get("inputs") or []:
        if isinstance(item, dict) and item.get("id") == "view" and item.get("property") == "data":
            return View.from_dict(item["value"])
    return None


def replay(client, captured: list, repeat: int, baseline: PandasBaseline | None):
    """Each captured request `repeat` times through the app's server, and right after each
    standings request the baseline's answer to the same view (interleaved: both see the same
    machine): times, sizes, statuses."""
    from dashboard.view_state import resolve

    per_request: dict[tuple[str, str], list[float]] = defaultdict(list)
    sizes: dict[tuple[str, str], int] = {}
    statuses = set()
    for _ in range(repeat):
        for action, output, body in captured:
            start = time.perf_counter()
            payload = {k: v for k, v in body.items() if k != "path"}
            if body.get("method") == "GET":  # a ranking's rows (issue 18)
                response = client.get(body["path"], headers={"Accept-Encoding": "gzip"})
            else:
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
            view = view_of(body) if is_standings(output) else None
            if baseline is None or view is None:
                continue
            view = resolve(view, baseline.standings)
            for name, with_px in BASELINES.items():
                start = time.perf_counter()
                answer = baseline.answer(view, with_px)
                per_request[(action, name)].append((time.perf_counter() - start) * 1000)
                sizes[(action, name)] = len(answer)
    return per_request, sizes, statuses


def report(args, per_request: dict, sizes: dict, statuses: set) -> None:
    """The figures in words, then as one line for compare.py."""
    print(f"SYNTHETIC event: {args.crews} crews x {args.rankings} rankings; {args.repeat} repeats")
    print(f"HTTP statuses seen: {sorted(statuses)}")
    print(f"{'action':<20} {'callback (outputs)':<52} {'median':>7} {'p95':>7} {'gzip kB':>8}")
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
    print()
    print("the standings callback against the pandas baseline's answer to the same view:")
    print(
        f"{'action':<20} {'callback median':>15} {'px.line median':>15} {'ratio':>6}"
        f" {'go.Scatter median':>17} {'ratio':>6}"
    )
    for (action, output), times in per_request.items():
        bases = [per_request.get((action, name)) for name in BASELINES]
        if is_standings(output) and all(bases):
            line = f"{action:<20} {median(times):12.1f} ms"
            for base in bases:
                line += f" {median(base):12.1f} ms {median(times) / median(base):6.2f}  "
            print(line)
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
        try:
            baseline = PandasBaseline(store_standings)
        except (KeyError, AttributeError) as error:
            # an older version may shape its model otherwise: the callbacks' figures still count
            print(f"(no pandas baseline for this version: {error!r})")
            baseline = None
        client = app.server.test_client()
        per_request, sizes, statuses = replay(client, captured, args.repeat, baseline)
        app.server.wsgi_app = with_cache
        stop_ingest(app)

    report(args, per_request, sizes, statuses)


if __name__ == "__main__":
    main()
