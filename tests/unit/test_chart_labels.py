"""The standings charts' crew labels, axis ticks and the gap chart's ranking with points, as
figure dicts (no browser)."""

from __future__ import annotations

from itertools import combinations
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import read_ranking
from dashboard.figures.standings import LABEL_PX, PLOT_PX, spread_labels, standings_charts
from dashboard.race import build_standings, standings_view
from dashboard.view_state import View
from tests.synthetic_event import write_event


@pytest.fixture(scope="module")
def snapshot():
    files = [read_ranking(p) for p in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))]
    return SimpleNamespace(version="t", standings=build_standings(files), files=())


def end_labels(figure: dict) -> list[dict]:
    """The crew labels (the stage titles are on paper coordinates)."""
    return [a for a in figure["layout"]["annotations"] if a["yref"] == "y"]


def label_y(annotation: dict) -> float:
    return annotation["ay"] if annotation["showarrow"] else annotation["y"]


def min_gap(figure: dict) -> float:
    low, high = figure["layout"]["yaxis"]["range"]
    return abs(high - low) * LABEL_PX / PLOT_PX


def test_spread_keeps_labels_apart_and_near_their_ends():
    ys = spread_labels([1, 1, 2, 10], gap=1.5)
    assert all(abs(a - b) >= 1.5 - 1e-9 for a, b in combinations(ys, 2))
    assert ys[3] == 10  # far from the others: not moved
    assert ys[0] < ys[1] < ys[2]  # the order of the ends is kept (ties: as given)
    assert sum(ys[:3]) / 3 == pytest.approx(4 / 3)  # a crowd is centred on its ends


def test_spread_stays_inside_the_axis_where_it_fits():
    ys = spread_labels([0, 0, 0, 0], gap=1, low=0, high=10)
    assert sorted(ys) == [0, 1, 2, 3]
    ys = spread_labels([10, 10], gap=1, low=0, high=10)
    assert sorted(ys) == [9, 10]


@given(st.lists(st.floats(0, 100, allow_nan=False), max_size=25), st.floats(0.5, 5))
def test_spread_never_lets_two_labels_touch(targets, gap):
    ys = spread_labels(targets, gap, low=0, high=100)
    assert len(ys) == len(targets)
    assert all(abs(a - b) >= gap - 1e-6 for a, b in combinations(ys, 2))


@pytest.mark.parametrize("checkpoint", ["2020-07-final", "2020-06-stage3-end"])
def test_crew_labels_never_touch_and_moved_ones_have_a_leader_line(snapshot, checkpoint):
    for crew in (None, "45"):
        shown = standings_view(snapshot, View(checkpoint=checkpoint, crew=crew))
        for figure in standings_charts(shown.chart):
            labels = end_labels(figure)
            drawn = [t for t in figure["data"] if t["meta"].get("crew_id")]
            assert len(labels) == sum(any(y is not None for y in t["y"]) for t in drawn)
            gap = min_gap(figure)
            ys = [label_y(a) for a in labels]
            assert all(abs(a - b) >= gap - 1e-9 for a, b in combinations(ys, 2))
            moved = [a for a in labels if abs(label_y(a) - a["y"]) > 1e-9]
            for a in labels:
                if a in moved:  # the arrow, without a head, runs back to the line's end
                    assert a["showarrow"] and a["arrowhead"] == 0 and a["ayref"] == "y"
                else:
                    assert not a["showarrow"]


def test_the_top_five_of_the_final_classification_were_crowded(snapshot):
    """The case the labels overlapped in (#45/#28 and the top five): some are moved."""
    shown = standings_view(snapshot, View(checkpoint="2020-07-final"))
    bump, gap = standings_charts(shown.chart)
    assert any(a["showarrow"] for a in end_labels(bump))
    assert any(a["showarrow"] for a in end_labels(gap))


def test_the_gap_chart_marks_the_last_ranking_with_points(snapshot):
    shown = standings_view(snapshot, View(checkpoint="2020-07-final"))
    bump, gap = standings_charts(shown.chart)
    ids = [c.checkpoint_id for c in shown.chart.checkpoints]

    def marked(figure):
        return [s["x0"] for s in figure["layout"]["shapes"] if s["type"] == "line"]

    assert marked(bump) == [ids.index("2020-07-final")]
    assert marked(gap) == [ids.index("2020-06-stage3-end")]


def test_every_checkpoint_has_a_label_or_a_tick_to_hover(snapshot, tmp_path):
    shown = standings_view(snapshot, View())
    bump, gap = standings_charts(shown.chart)
    for figure in (bump, gap):
        axis = figure["layout"]["xaxis"]
        assert axis["tickvals"] == list(range(len(shown.chart.checkpoints)))
        # slanted to the right: plotly hides a first label that would reach past the left edge
        assert axis["tickangle"] > 0
    full = build_standings([read_ranking(p) for p in write_event(tmp_path, 20, 60)])
    snap = SimpleNamespace(version="t", standings=full, files=())
    chart = standings_view(snap, View()).chart
    for figure in standings_charts(chart):
        labelled = set(figure["layout"]["xaxis"]["tickvals"])
        ticks = [t for t in figure["data"] if t["meta"].get("checkpoint_ticks")]
        assert len(labelled) < 60 and len(ticks) == 1
        assert ticks[0]["x"] == list(range(60))
        assert ticks[0]["hovertext"] == [c.label for c in chart.checkpoints]
        assert figure["layout"]["yaxis2"]["overlaying"] == "y"
