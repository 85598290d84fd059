"""Bytes of the bump chart at full event scale against the obvious plotly express figure of the
same data (prints figures; no assertions), both compressed as they go on the wire (gzip,
level 4 as served), against two baselines:

- px.line(df, color=crew) of all crews (what a fan's page would carry drawn the obvious way;
  target of issue 7: <= 0.3x);
- px.line of the same crews as ours (the encoding alone; target of issue 18: <= 1.0x).

    .venv/bin/python bench/bench_bump_bytes.py [--crews 400] [--rankings 120]

Also times building each figure, and the px figure as go.Scatter objects.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import plotly.express as px  # noqa: E402
from plotly.io.json import to_json_plotly  # noqa: E402

from bench.synthetic_event import write_event  # noqa: E402
from dashboard.data.rankings import read_ranking  # noqa: E402
from dashboard.figures.standings import standings_charts  # noqa: E402
from dashboard.race import build_standings, standings_view  # noqa: E402
from dashboard.view_state import View, resolve  # noqa: E402


def wire(figure) -> tuple[int, int]:
    raw = to_json_plotly(figure).encode()
    return len(raw), len(gzip.compress(raw, 4))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crews", type=int, default=400)
    parser.add_argument("--rankings", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [read_ranking(p) for p in write_event(Path(tmp), args.crews, args.rankings)]
    standings = build_standings(files)
    view = resolve(View(crew="7"), standings)
    snapshot = SimpleNamespace(version="bench", standings=standings, files=())

    start = time.perf_counter()
    chart = standings_view(snapshot, view).chart
    bump, _ = standings_charts(chart)
    crews = [line.crew_id for line in chart.lines]
    ours_ms = (time.perf_counter() - start) * 1000

    table = standings.table.merge(
        standings.checkpoints[["checkpoint_id", "label"]].reset_index(drop=True), on="checkpoint_id"
    )
    frame = table[["label", "seq", "crew", "position", "points", "gap_to_leader"]].astype(
        {"position": float, "points": float, "gap_to_leader": float}
    )
    start = time.perf_counter()
    obvious = px.line(
        frame.sort_values("seq"),
        x="label",
        y="position",
        color="crew",
        hover_data=["points", "gap_to_leader"],
        markers=True,
    )
    obvious.update_yaxes(autorange="reversed")
    px_ms = (time.perf_counter() - start) * 1000

    ours_raw, ours_gz = wire(bump)
    px_raw, px_gz = wire(obvious)
    print(f"SYNTHETIC event: {args.crews} crews x {args.rankings} rankings, all stages")
    print(
        f"our bump chart (top 10 + selected crew, {len(bump['data'])} lines, plain dicts): "
        f"{ours_raw / 1000:8.1f} kB raw, {ours_gz / 1000:7.1f} kB gzip, built in {ours_ms:.1f} ms"
    )
    print(
        f"px.line(df, color=crew) ({len(obvious.data)} lines, go.Scatter):        "
        f"{px_raw / 1000:8.1f} kB raw, {px_gz / 1000:7.1f} kB gzip, built in {px_ms:.0f} ms"
    )
    print(f"baseline 1, px.line of all crews: ours {ours_gz / px_gz:.3f}x (target <= 0.3)")
    # the same 11 crews drawn the obvious way: what the plain-dict encoding itself saves
    same = frame[table["crew_id"].isin(crews)].sort_values("seq")
    few = px.line(
        same,
        x="label",
        y="position",
        color="crew",
        markers=True,
        hover_data=["points", "gap_to_leader"],
    )
    few_raw, few_gz = wire(few)
    print(
        f"baseline 2, px.line of the same {len(few.data)} crews: {few_raw / 1000:.1f} kB raw, "
        f"{few_gz / 1000:.1f} kB gzip: ours {ours_gz / few_gz:.2f}x (target <= 1.0)"
    )


if __name__ == "__main__":
    main()
