"""The one standings view (race.standings_view): the table, the chart and the crew card read
the same rows, for every crew of every shipped ranking."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from dashboard.race import build_standings, standings_view
from tests.conftest import PlainSnapshot, shipped_rankings


@dataclass(frozen=True)
class _View:
    stage: str = "all"
    checkpoint: str | None = None
    crew: str | None = None


@pytest.fixture(scope="module")
def shipped():
    return PlainSnapshot(build_standings(shipped_rankings()))


def test_table_chart_and_card_gaps_are_one_number_for_every_crew(shipped):
    standings = shipped.standings
    checked = 0
    for checkpoint in standings.checkpoint_ids(None):
        for crew_id in standings.at(checkpoint)["crew_id"].tolist():
            view = standings_view(shipped, _View(checkpoint=checkpoint, crew=crew_id))
            table_gap = next(r["gap"] for r in view.rows if r["crew_id"] == crew_id)
            line = next(line for line in view.chart.lines if line.crew_id == crew_id)
            chart_gap = line.gap[view.chart.current]
            assert view.crew is not None and view.crew.here is not None
            assert table_gap == chart_gap == view.crew.here["gap"], (checkpoint, crew_id)
            assert view.selected["crew_id"] == crew_id
            checked += 1
    assert checked == len(standings.table)


def test_a_view_outside_its_stage_shows_no_ranking(shipped):
    standings = shipped.standings
    last = standings.checkpoint_ids(None)[-1]
    first_stage_ids = standings.checkpoint_ids([1])
    view = standings_view(shipped, _View(stage="1", checkpoint=last))
    if last not in first_stage_ids:
        assert view.rows == [] and view.checkpoint is None and view.chart.current is None
    assert [c.checkpoint_id for c in view.chart.checkpoints] == first_stage_ids


def test_the_leader_and_the_chart_crews(shipped):
    standings = shipped.standings
    checkpoint = standings.checkpoint_ids(None)[0]
    view = standings_view(shipped, _View(checkpoint=checkpoint), chart_limit=3)
    assert view.leader["position"] == 1 and view.rows[0] == view.leader
    assert [line.crew_id for line in view.chart.lines] == [r["crew_id"] for r in view.rows[:3]]
    assert view.crew is None and view.selected is None
