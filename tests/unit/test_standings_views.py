"""The standings views as pure functions: charts, grid rows and crew card, on the shipped
2020 data and on a SYNTHETIC full event (400 crews x 120 rankings, written by the test)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard.components.standings import crew_card, grid_rows, rankings_summary
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.data.rankings import read_ranking
from dashboard.figures.standings import HIGHLIGHT, MAX_TICKS, bump_chart, standings_charts
from dashboard.i18n import texts
from dashboard.race import build_standings, standings_view
from dashboard.view_state import View, resolve
from tests.chart_hover import hover_texts
from tests.synthetic_event import write_event


def shown_of(standings, view):
    """The standings view of a view over a snapshot holding these standings."""
    return standings_view(SimpleNamespace(version="t", standings=standings, files=()), view)


@pytest.fixture(scope="module")
def shipped():
    files = [read_ranking(p) for p in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))]
    return build_standings(files)


@pytest.fixture(scope="module")
def full_event(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    return build_standings([read_ranking(p) for p in write_event(folder, 400, 120)])


def test_charts_draw_the_leaders_and_the_selected_crew_on_top(shipped):
    view = resolve(View(crew="46"), shipped)
    chart = shown_of(shipped, view).chart
    bump, gap = standings_charts(chart)
    assert bump == bump_chart(chart)
    assert gap["layout"]["yaxis"]["title"]["text"] == texts("en")["chart.gap_axis"]
    lines = [t for t in bump["data"] if t["meta"]]
    assert lines[-1]["meta"]["crew_id"] == "46" and lines[-1]["line"]["color"] == HIGHLIGHT
    assert all(t["line"]["color"] != HIGHLIGHT for t in lines[:-1])
    vesco = lines[-1]
    assert "Vesco" in vesco["hovertemplate"]
    # a click anywhere on the line selects car 46 (the click's customdata[0])
    assert {point[0] for point in vesco["customdata"]} == {"46"}
    ranked = [y for y in vesco["y"] if y is not None]
    table = shipped.table[shipped.table["crew_id"] == "46"]
    assert ranked == table["position"].tolist()
    # a ranking without the crew is a gap in its line, with no hover text
    assert all(
        (y is None) == (h is None) for y, h in zip(vesco["y"], hover_texts(vesco), strict=True)
    )
    gaps = [y for y in gap["data"][-1]["y"] if y is not None]
    assert gaps == [int(v) for v in table["gap_to_leader"].dropna().tolist()]


def test_charts_at_full_scale_stay_readable(full_event):
    view = resolve(View(crew="7"), full_event)
    ids = full_event.checkpoint_ids(None)
    bump, _ = standings_charts(shown_of(full_event, view).chart, "it")
    lines = [t for t in bump["data"] if t["meta"].get("crew_id")]
    assert len(lines) == 11  # top 10 and car 7, not 400 lines
    assert len(bump["layout"]["xaxis"]["ticktext"]) <= MAX_TICKS + 1
    assert bump["layout"]["xaxis"]["tickvals"][-1] == len(ids) - 1
    assert len(bump["layout"]["shapes"]) == 4 + 1  # a band per stage and the current line
    hover = [h for h in hover_texts(bump["data"][0]) if h][-1]  # the leader, at the end
    points = hover.split("·")[2]
    assert "punti" in points and "." in points  # Italian words and thousands separator


def test_crew_card_and_grid_at_full_scale(full_event):
    view = resolve(View(crew="7"), full_event)
    shown = shown_of(full_event, view)
    card = str(crew_card(shown.crew, "en"))
    assert "120: SYNTHETIC time trial 1, SYNTHETIC time trial 2" in card
    assert "…" in card and len(card) < 5_000
    rows = grid_rows(shown.rows)
    assert len(rows) == 400 and [r["position"] for r in rows[:3]] == [1, 2, 3]
    assert sum(r["selected"] for r in rows) == 1
    assert all(isinstance(r["points"], int) for r in rows)


def test_rankings_summary():
    assert rankings_summary(["A", "B"], "en") == "A, B"
    many = [f"T{i}" for i in range(1, 1201)]
    assert rankings_summary(many, "it") == "1.200: T1, T2, T3, …, T1198, T1199, T1200"


def test_the_per_model_indexes_are_built_once_and_reused(full_event):
    """The second view reads the crew index of the first."""
    view = resolve(View(crew="9"), full_event)
    ids = full_event.checkpoint_ids(None)
    shown_of(full_event, view)
    index = full_event.__dict__["_rows_of_crew"]
    shown_of(full_event, resolve(View(crew="9", checkpoint=ids[0]), full_event))
    assert full_event.__dict__["_rows_of_crew"] is index


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_hover_templates_say_what_the_hover_strings_said(shipped, full_event, lang):
    """Issue 18: one template per line filled from numbers and names instead of one string
    per point; what a fan reads on hover is unchanged, word for word, in both languages
    (the strings as figures/standings.py wrote them before)."""
    from dashboard.i18n import number_formatter
    from dashboard.race import crew_tag

    labels, number = texts(lang), number_formatter(lang)
    for standings, crew in ((shipped, "45"), (full_event, "7")):
        chart = shown_of(standings, resolve(View(crew=crew, lang=lang), standings)).chart
        names = [c.label for c in chart.checkpoints]
        for figure, field in zip(standings_charts(chart, lang), ("position", "gap"), strict=True):
            lines = {t["meta"]["crew_id"]: t for t in figure["data"] if t["meta"].get("crew_id")}
            assert len(lines) == len(chart.lines)
            for line in chart.lines:
                trace = lines[line.crew_id]
                assert "hovertext" not in trace
                head = f"<b>{crew_tag(line.car_number, line.crew)}</b> · {line.crew}<br>"
                before = [
                    None
                    if p is None or getattr(line, field)[i] is None
                    else f"{head}{names[i]}<br>{labels['table.position']} {p} · "
                    f"{number(line.points[i])} {labels['chart.points']} · "
                    f"{labels['table.gap']} {number(line.gap[i])}"
                    for i, p in enumerate(line.position)
                ]
                assert hover_texts(trace) == before
