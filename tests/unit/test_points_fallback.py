"""A ranking with no published points (the 2020 final classification gives positions only):
the view says so and the gap chart stands on the last ranking before it that has points."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard.components.standings import points_note
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import read_ranking
from dashboard.i18n import texts
from dashboard.race import build_standings, standings_view, with_points
from dashboard.view_state import View

FINAL = "2020-07-final"
END_OF_STAGE_3 = "2020-06-stage3-end"


@pytest.fixture(scope="module")
def snapshot():
    files = [read_ranking(p) for p in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))]
    return SimpleNamespace(version="t", standings=build_standings(files), files=())


def test_only_the_final_classification_has_no_points(snapshot):
    standings = snapshot.standings
    has = dict(zip(standings.checkpoints["checkpoint_id"], with_points(standings), strict=True))
    assert [c for c, given in has.items() if not given] == [FINAL]
    assert standings.at(FINAL)["points"].isna().all()


def test_the_final_classification_points_to_the_end_of_stage_3(snapshot):
    shown = standings_view(snapshot, View(checkpoint=FINAL))
    assert not shown.has_points
    assert shown.points_from.checkpoint_id == END_OF_STAGE_3
    chart = shown.chart
    assert chart.checkpoints[chart.current].checkpoint_id == FINAL
    assert chart.checkpoints[chart.points_from].checkpoint_id == END_OF_STAGE_3
    # the gap chart has something to show there: the leaders' gaps at the end of stage 3
    gaps = [line.gap[chart.points_from] for line in chart.lines]
    assert sum(g is not None and g > 0 for g in gaps) >= 4


def test_a_ranking_with_points_stands_for_itself(snapshot):
    shown = standings_view(snapshot, View(checkpoint=END_OF_STAGE_3))
    assert shown.has_points and shown.points_from is None
    assert shown.chart.points_from == shown.chart.current


def test_no_earlier_ranking_in_the_chosen_stage_no_fallback(snapshot):
    shown = standings_view(snapshot, View(stage="4", checkpoint=FINAL))
    assert not shown.has_points and shown.points_from is None
    assert shown.chart.points_from is None


def test_no_ranking_shown_says_nothing_of_points(snapshot):
    shown = standings_view(snapshot, View(stage="1", checkpoint=FINAL))
    assert shown.checkpoint is None and shown.has_points and shown.points_from is None


def test_the_heading_says_so_in_both_languages(snapshot):
    shown = standings_view(snapshot, View(checkpoint=FINAL))
    for lang in ("en", "it"):
        text = str(points_note(shown, lang))
        assert texts(lang)["standings.no_points"] in text
        assert "End of stage 3" in text  # the ranking the gap chart marks
    assert points_note(standings_view(snapshot, View(checkpoint=END_OF_STAGE_3)), "en") == []
