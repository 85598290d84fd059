"""Issue 17, items 5, 6 and 8: each ranking's names as it published them, the crew across the
event under its most frequent spelling (with the variants listed), car numbers taken from
other rankings marked as such with the reason, and a per-row source."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.components.standings import crew_card as card_layout
from dashboard.components.standings import standings_grid
from dashboard.data.export import ranking_csv
from dashboard.data.rankings import parse_ranking, read_ranking
from dashboard.race import build_standings, standings_view
from dashboard.view_state import find_crew
from tests.conftest import PlainSnapshot, shipped_rankings

RANKINGS = Path(__file__).resolve().parents[2] / "data" / "rankings"
DOCS = Path(__file__).resolve().parents[2] / "docs"
TT80 = "2020-05-stage3-after-tt80"


@dataclass(frozen=True)
class _View:
    stage: str = "all"
    checkpoint: str | None = None
    crew: str | None = None
    lang: str = "en"


@pytest.fixture(scope="module")
def shipped():
    return PlainSnapshot(build_standings(shipped_rankings()))


def _texts(node) -> str:
    """Every text and title in a Dash layout, joined."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(_texts(n) for n in node)
    parts = [getattr(node, "title", None) or ""]
    children = getattr(node, "children", None)
    if children is not None:
        parts.append(_texts(children))
    return " ".join(p for p in parts if p)


# --- item 5: names ------------------------------------------------------------------------


def test_the_crew_across_the_event_has_its_most_frequent_spelling(shipped):
    """Six of seven rankings write 'Gianmario', the final classification 'Gianmaria': the
    card's heading and the chart's line use 'Gianmario'; cars likewise (ties: the spelling
    published first)."""
    final = shipped.standings.checkpoint_ids(None)[-1]
    view = standings_view(shipped, _View(checkpoint=final, crew="28"))
    assert view.crew.crew == "Gianmario Fontanella / Anna Maria Covelli"
    line = next(line for line in view.chart.lines if line.crew_id == "28")
    assert line.crew == "Gianmario Fontanella / Anna Maria Covelli"
    assert view.crew.car == "Lancia Lambda Casaro VII Series"  # 4 rankings of 7
    belotti = standings_view(shipped, _View(checkpoint=TT80, crew="26")).crew
    assert belotti.car == "Bugatti T37A"  # 1 to 1 with "BUGATTI T37 A": the first one
    patron = standings_view(shipped, _View(checkpoint=TT80, crew="49")).crew
    assert patron.car == "Alfa Romeo 6C 1750 SS Young"  # 2 to 1


def test_each_ranking_shows_its_own_spelling(shipped):
    final = shipped.standings.checkpoint_ids(None)[-1]
    rows = standings_view(shipped, _View(checkpoint=final)).rows
    assert next(r for r in rows if r["crew_id"] == "28")["crew"].startswith("Gianmaria ")
    rows = standings_view(shipped, _View(checkpoint=TT80)).rows
    assert next(r for r in rows if r["crew_id"] == "26")["car"] == "BUGATTI T37 A"


def test_the_crew_card_lists_the_spellings_with_their_rankings(shipped):
    final = shipped.standings.checkpoint_ids(None)[-1]
    card = standings_view(shipped, _View(checkpoint=final, crew="28")).crew
    spellings = {s.text: s.rankings for s in card.crew_spellings}
    assert spellings["Gianmaria Fontanella / Anna Maria Covelli"] == ("Final classification",)
    assert len(spellings["Gianmario Fontanella / Anna Maria Covelli"]) == 6
    assert [s.text for s in card.crew_spellings][0] == card.crew  # the one used first
    for lang in ("en", "it"):
        shown = _texts(card_layout(card, lang))
        assert "Gianmaria Fontanella" in shown and "Lancia Lambda Casaro VII Serie" in shown


def test_a_search_finds_a_crew_by_any_published_spelling(shipped):
    standings = shipped.standings
    assert find_crew(standings, "Gianmaria") == "28"  # the final's spelling
    assert find_crew(standings, "Gianmario") == "28"  # the others'
    assert find_crew(standings, "bugatti t37 a") == "26"  # after time trial 80's
    assert find_crew(standings, "Bugatti T37A") == "26"


# --- item 6: car numbers taken from other rankings ----------------------------------------

# what each file's notes say its own sources do not give (every number of the file but the
# ones named as given: 01 names 45, 46, 28, 51, 26 and 43; 02 gives only 4; 03 and 04 none)
NOT_GIVEN = {
    "2020-01-stage1-after-tt11": {45, 46, 28, 51, 26, 43},
    "2020-02-stage1-end": {46, 28, 45, 51, 3, 44, 49, 43},
    "2020-03-stage2-end-of-second-day": {28, 46, 45, 51, 44},
    "2020-04-stage2-end": {46, 28, 45, 44, 51, 3},
    "2020-07-final": {44, 51},
}


def test_the_notes_name_25_car_numbers_not_given_in_files_01_to_04():
    tt11 = read_ranking(RANKINGS / "2020-01-stage1-after-tt11.csv")
    note = next(n for n in tt11.notes if "are not given here" in n)
    named = re.search(r"; (.*?) are not given here", note).group(1)
    assert {int(n) for n in re.findall(r"\d+", named)} == NOT_GIVEN["2020-01-stage1-after-tt11"]
    for stem in ("2020-02-stage1-end", "2020-03-stage2-end-of-second-day", "2020-04-stage2-end"):
        rows = read_ranking(RANKINGS / f"{stem}.csv").rows
        own = rows[rows["source"] == ""]  # the rows from the file's own sources
        numbers = {int(n) for n in own["car_number"].dropna()}
        given = {4} if stem == "2020-02-stage1-end" else set()
        assert numbers - given == NOT_GIVEN[stem], stem
    assert sum(len(NOT_GIVEN[s]) for s in NOT_GIVEN if s != "2020-07-final") == 25


# the rows added from autorace.it (item 8), which names crews without car numbers: the number
# of the same crew in another ranking, and that ranking
ADDED_FROM_AUTORACE = {
    "2020-02-stage1-end": {31: "2020-07-final", 26: TT80},
    "2020-04-stage2-end": {5: TT80, 4: TT80, 31: "2020-07-final", 49: TT80},
    "2020-06-stage3-end": {5: TT80, 3: TT80, 49: TT80},
}


def test_the_files_mark_exactly_those_car_numbers_as_taken_from_another_ranking():
    marked_total = 0
    for path in sorted(RANKINGS.glob("*.csv")):
        rows = read_ranking(path).rows
        marked = rows[rows["car_number_inferred_from"] != ""]
        own, added = marked[marked["source"] == ""], marked[marked["source"] != ""]
        assert set(own["car_number"].astype(int)) == NOT_GIVEN.get(path.stem, set()), path
        assert set(own["car_number_inferred_from"]) <= {TT80}, path
        taken = dict(
            zip(added["car_number"].astype(int), added["car_number_inferred_from"], strict=True)
        )
        assert taken == ADDED_FROM_AUTORACE.get(path.stem, {}), path
        if path.stem < "2020-05":
            marked_total += len(own)
    assert marked_total == 25


def test_the_table_the_export_and_the_card_show_the_mark_and_the_reason(shipped):
    view = standings_view(shipped, _View(checkpoint="2020-02-stage1-end", crew="28"))
    row = next(r for r in view.rows if r["crew_id"] == "28")
    assert row["car_number_from"] == "After time trial 80"
    published = next(r for r in view.rows if r["crew_id"] == "4")
    assert published["car_number_from"] is None
    for lang in ("en", "it"):
        shown = standings_view(
            shipped, _View(checkpoint="2020-02-stage1-end", crew="28", lang=lang)
        )
        grid = standings_grid(shown.rows, lang)
        number = next(c for c in grid.columnDefs if c["field"] == "car_number")
        assert "car_number_from" in number["valueFormatter"]["function"]
        assert "car_number_from" in number["tooltipValueGetter"]["function"]
        card = _texts(card_layout(shown.crew, lang))
        checkpoint = "After time trial 80" if lang == "en" else "Dopo la prova 80"
        assert checkpoint in card, lang
    standings = shipped.standings
    checkpoint = standings.checkpoints.loc["2020-02-stage1-end"].to_dict()
    text = ranking_csv(standings.at("2020-02-stage1-end"), checkpoint)
    rows = list(
        csv.DictReader(
            io.StringIO(
                "\n".join(
                    line for line in text.splitlines() if not line.lstrip('"').startswith("#")
                )
            )
        )
    )
    by_number = {r["car_number"]: r for r in rows}
    assert by_number["28"]["car_number_inferred_from"] == TT80
    assert by_number["4"]["car_number_inferred_from"] == ""


# --- item 8: a source per row ---------------------------------------------------------------


def test_a_row_may_name_its_own_source_and_the_card_lists_it():
    raw = (
        b"# checkpoint: End of stage 1\n# stage: 1\n# order: 1\n# source: https://a.example/1\n"
        b"position,car_number,driver,co_driver,car,car_year,points,source\n"
        b"1,46,Andrea Vesco,Roberto Vesco,Alfa,1929,13779,\n"
        b"8,31,John Houtkamp,Micheline Houtkamp-Van Bussel,Lancia,1928,,https://b.example/2\n"
    )
    ranking = parse_ranking("2020-02-stage1-end.csv", raw)
    assert list(ranking.rows["source"]) == ["", "https://b.example/2"]
    snapshot = PlainSnapshot(build_standings([ranking]))
    view = standings_view(snapshot, _View(checkpoint="2020-02-stage1-end", crew="31"))
    assert view.crew.sources == ("https://b.example/2",)
    row = next(r for r in view.rows if r["crew_id"] == "31")
    assert row["source"] == "https://b.example/2"
    vesco = standings_view(snapshot, _View(checkpoint="2020-02-stage1-end", crew="46")).crew
    assert vesco.sources == ("https://a.example/1",)


def test_the_documentation_describes_the_optional_columns():
    text = (DOCS / "ranking-files.md").read_text()
    assert "`car_number_inferred_from`" in text and "`source`" in text
