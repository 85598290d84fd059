"""The view's reducer (view_state.apply), event by event, on the shipped 2020 rankings; the
page's unpacking of what fired (explore.view_event); the big screen's cues (race.ranking_cues)
and the map marker drawn from the standings view."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard.figures.route_map import checkpoint_marker
from dashboard.pages.explore import _EVENT_INPUTS, view_event
from dashboard.race import build_standings, ranking_cues, standings_view
from dashboard.view_state import Event, View, apply, resolve
from tests.conftest import PlainSnapshot, shipped_rankings

FIRST, STAGE1_END, SECOND_DAY, STAGE2_END = (
    "2020-01-stage1-after-tt11",
    "2020-02-stage1-end",
    "2020-03-stage2-end-of-second-day",
    "2020-04-stage2-end",
)
FINAL = "2020-07-final"


@pytest.fixture(scope="module")
def snapshot():
    return PlainSnapshot(build_standings(shipped_rankings()))


@pytest.fixture
def opened(snapshot):
    """The page as first opened: every stage, the latest ranking, no crew."""
    return apply(View(), Event("address", ""), snapshot)


def test_the_address_opens_its_view_once(snapshot, opened):
    assert (opened.stage, opened.checkpoint, opened.crew) == ("all", FINAL, None)
    assert opened.version == snapshot.version
    view = apply(opened, Event("address", "?stage=2&crew=46"), snapshot)
    assert (view.stage, view.checkpoint, view.crew, view.nav) == (
        "2",
        STAGE2_END,
        "46",
        "?stage=2&crew=46",
    )
    # the same address again (a later event's call) leaves the fan's own choices alone
    moved = replace(view, checkpoint=SECOND_DAY)
    assert apply(moved, Event("address", "?stage=2&crew=46"), snapshot).checkpoint == SECOND_DAY
    # a link without a crew keeps the crew shown; an unknown crew or checkpoint is dropped
    view = apply(view, Event("address", "?stage=1&checkpoint=nope"), snapshot)
    assert (view.stage, view.checkpoint, view.crew) == ("1", STAGE1_END, "46")
    assert apply(view, Event("address", "?crew=9999"), snapshot).crew is None


def test_a_stage_picked_on_the_map_shows_its_latest_ranking(snapshot, opened):
    view = apply(opened, Event("stage", "1"), snapshot)
    assert (view.stage, view.checkpoint) == ("1", STAGE1_END)
    assert apply(view, Event("stage", "1"), snapshot) == view  # the same stage: nothing
    assert apply(view, Event("stage", None), snapshot) == view  # a click off the routes
    assert apply(view, Event("stage", "1955"), snapshot).stage == "1955"
    assert apply(view, Event("stage", "9"), snapshot) == view  # not a stage choice


def test_a_crew_picked_by_row_or_line_then_cleared(snapshot, opened):
    view = apply(opened, Event("crew", "46"), snapshot)
    assert view.crew == "46"
    assert apply(view, Event("crew", None), snapshot).crew == "46"  # a click on no line
    assert apply(view, Event("crew", "no-such-car"), snapshot).crew is None
    assert apply(view, Event("clear"), snapshot).crew is None


def test_a_crew_found_by_search_or_not(snapshot, opened):
    view = apply(opened, Event("search", "vesco"), snapshot)
    assert view.crew == "46" and view.not_found is None
    assert apply(opened, Event("search", "#46"), snapshot).crew == "46"
    missed = apply(view, Event("search", "Nuvolari"), snapshot)
    assert missed.crew == "46" and missed.not_found == "Nuvolari"
    # the miss is said once: the next event forgets it
    assert apply(missed, Event("next"), snapshot).not_found is None


def test_scrubber_and_steps_stay_inside_the_stage(snapshot):
    view = apply(View(stage="2"), Event("address", "?stage=2"), snapshot)
    assert apply(view, Event("scrubber", 0), snapshot).checkpoint == SECOND_DAY
    assert apply(view, Event("scrubber", 5), snapshot).checkpoint == STAGE2_END  # ignored
    assert apply(view, Event("scrubber", None), snapshot).checkpoint == STAGE2_END
    back = apply(view, Event("previous"), snapshot)
    assert back.checkpoint == SECOND_DAY
    assert apply(back, Event("previous"), snapshot).checkpoint == SECOND_DAY  # the first
    assert apply(back, Event("next"), snapshot).checkpoint == STAGE2_END


def test_play_ticks_to_the_end_and_stops(snapshot, opened):
    playing = apply(opened, Event("play"), snapshot)
    assert playing.playing and playing.checkpoint == FIRST  # at the last: from the first
    seen = [playing.checkpoint]
    view = playing
    while view.playing:
        view = apply(view, Event("tick"), snapshot)
        seen.append(view.checkpoint)
    assert seen == snapshot.standings.checkpoint_ids(None)
    assert apply(view, Event("tick"), snapshot) == view  # paused: a tick changes nothing
    paused = apply(apply(view, Event("scrubber", 2), snapshot), Event("play"), snapshot)
    assert paused.playing and paused.checkpoint == SECOND_DAY  # from the shown ranking
    assert not apply(paused, Event("play"), snapshot).playing
    assert not apply(paused, Event("next"), snapshot).playing


def test_new_data_moves_on_only_who_watched_the_latest(snapshot):
    older = PlainSnapshot(build_standings(shipped_rankings()[:4]), version="0-older")
    latest = apply(View(), Event("address", ""), older)
    earlier = apply(latest, Event("previous"), older)
    assert latest.checkpoint == STAGE2_END
    for event in (Event("new_data"), Event("crew", "46")):  # whatever comes with the data
        assert apply(latest, event, snapshot).checkpoint == FINAL
        assert apply(earlier, event, snapshot).checkpoint == SECOND_DAY
        assert apply(latest, event, snapshot).version == snapshot.version


def test_a_town_asked_for(snapshot, opened):
    assert apply(opened, Event("town", "  Bologna "), snapshot).town == "Bologna"
    assert apply(opened, Event("town", "x" * 200), snapshot).town == "x" * 80
    asked = apply(opened, Event("town", "Bologna"), snapshot)
    assert apply(asked, Event("town", "   "), snapshot).town is None


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="unknown view event"):
        Event("teleport")


def test_what_fired_becomes_one_event():
    row = {"prop": "cellClicked", "click": {"rowId": "46", "colId": "crew"}}
    bump = {"prop": "clickData", "click": {"points": [{"customdata": ["28", 3]}]}}
    gap = {"prop": "clickData", "click": {"points": [{"customdata": "45"}]}}
    values = {
        "map": {"points": [{"curveNumber": 1}]},
        "scrubber": 3,
        "search_text": "vesco",
        "town_text": "Siena",
    }
    # a click in the table or a chart reaches change_view through one store (pickCrew)
    assert view_event(["crew-pick"], {**values, "pick": row}) == Event("crew", "46")
    assert view_event(["crew-pick"], {**values, "pick": bump}) == Event("crew", "28")
    assert view_event(["crew-pick"], {**values, "pick": gap}) == Event("crew", "45")
    assert view_event(["route-map"], values) == Event("stage", "2")
    assert view_event(["checkpoint-scrubber"], values) == Event("scrubber", 3)
    assert view_event(["crew-search"], values) == Event("search", "vesco")
    assert view_event(["town-find"], values) == Event("town", "Siena")
    # a user's action wins over the timer and new data, which win over nothing
    assert view_event(["data-version", "next-button"], values) == Event("next")
    assert view_event(["data-version", "play-timer"], values) == Event("tick")
    assert view_event(["data-version"], values) == Event("new_data")
    assert view_event(["url"], values) is None


def test_the_table_and_charts_are_no_input_of_change_view():
    """Drawn after the map, the table and charts fire their clicks empty as they appear; as
    inputs of change_view that request could take the place of one in flight (a fan's step
    back), so their clicks come only through the crew-pick store, written on a real click."""
    inputs = {component for component, _prop in _EVENT_INPUTS.values()}
    assert not inputs & {"standings-grid", "bump-chart", "gap-chart"}
    assert view_event(["crew-pick"], {"pick": None}) is None


def test_cues_name_the_new_leader_and_the_movers(snapshot):
    standings = snapshot.standings
    assert ranking_cues(standings, None) is None
    first = ranking_cues(standings, FIRST)
    assert first.new_leader is None and not first.gainers  # nothing before it
    cues = ranking_cues(standings, STAGE1_END)
    before = {r.crew_id: r.position for r in standings.at(FIRST).itertuples()}
    now = {r.crew_id: r.position for r in standings.at(STAGE1_END).itertuples()}
    assert cues.new_leader["crew_id"] == "46" and before["46"] != 1
    gains = [before[r["crew_id"]] - now[r["crew_id"]] for r in cues.gainers]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)
    assert [r["change"] for r in cues.gainers] == gains
    assert all(r["change"] < 0 for r in cues.losers)
    # car 44 went from 13th to 6th; a crew missing from one of the two rankings is no cue
    assert [r["crew_id"] for r in cues.entered_top] == ["44"]
    assert ranking_cues(standings, FINAL).new_leader is None


def test_the_map_marker_reads_the_standings_view(snapshot, shipped_route):
    view = resolve(View(checkpoint=STAGE1_END, crew="28"), snapshot.standings)
    shown = standings_view(snapshot, view)
    marker = checkpoint_marker(shipped_route, shown)
    text = marker["hovertext"][0]
    assert shown.checkpoint.label in text and shown.leader["crew"] in text
    assert f"Pos. {shown.selected['position']}" in text
    assert checkpoint_marker(shipped_route, None)["lat"] == []
