"""Numbers on the fans' page in the page's language: every points figure and gap of 1000 or
more grouped (67.276 and 2.235 in Italian, never 67.276 beside 2235), by Babel where Python
writes them and by the browser's Intl with the same rule where the grid does; car numbers
and years never grouped."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from dashboard.components.standings import crew_card, grid_rows, standings_grid
from dashboard.figures.standings import standings_charts
from dashboard.i18n import format_number
from dashboard.race import build_standings, standings_view
from tests.chart_hover import hover_texts
from tests.conftest import PlainSnapshot, shipped_rankings

END_OF_STAGE_3 = "2020-06-stage3-end"
# four or more digits in a row: a figure of 1000 or more written without its grouping
UNGROUPED = re.compile(r"(?<![\d#])\d{4,}(?!\d)")


@dataclass(frozen=True)
class _View:
    stage: str = "all"
    checkpoint: str | None = END_OF_STAGE_3
    crew: str | None = None
    lang: str = "it"


@pytest.fixture(scope="module")
def shipped():
    return PlainSnapshot(build_standings(shipped_rankings()))


def _text(component) -> str:
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return _text(children) if children is not None else ""


def _crew_with_a_big_gap(shipped) -> str:
    rows = standings_view(shipped, _View()).rows
    return next(r["crew_id"] for r in rows if r["gap"] is not None and r["gap"] >= 1000)


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_crew_card_groups_points_and_gap(shipped, lang):
    crew = _crew_with_a_big_gap(shipped)
    view = standings_view(shipped, _View(crew=crew, lang=lang))
    here = view.crew.here
    facts = next(c for c in crew_card(view.crew, lang) if getattr(c, "className", None) == "facts")
    text = _text(facts)  # the figures (the sources' addresses hold digits of their own)
    assert format_number(here["gap"], lang) in text
    if here["points"] is not None:
        assert format_number(here["points"], lang) in text
    # the car's year stays as it is: the only four-digit figure left ungrouped
    year = str(int(view.crew.car_year))
    assert UNGROUPED.findall(text.replace(year, "")) == [], text


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_charts_hovers_group_points_and_gaps(shipped, lang):
    crew = _crew_with_a_big_gap(shipped)
    view = standings_view(shipped, _View(crew=crew, lang=lang))
    for figure in standings_charts(view.chart, lang):
        lines = [t for t in figure["data"] if t["meta"].get("crew_id")]
        hovers = [h for t in lines for h in hover_texts(t) if h]
        assert hovers
        for hover in hovers:
            assert UNGROUPED.findall(hover) == [], hover
    gap = format_number(view.crew.here["gap"], lang)
    assert any(gap in h for h in hovers)


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-GB"), ("it", "it-IT")])
def test_the_grids_points_and_gaps_are_grouped_from_1000_up(shipped, lang, locale):
    rows = grid_rows(standings_view(shipped, _View(lang=lang)).rows)
    columns = {c["field"]: c for c in standings_grid(rows, lang).columnDefs}
    for field in ("points", "gap", "ahead"):
        formatter = columns[field]["valueFormatter"]["function"]
        assert f"toLocaleString('{locale}'" in formatter, field
        # Italian's own rule (CLDR) groups only from 10.000: 2235 beside 67.276
        assert "useGrouping: 'always'" in formatter, field
    # car numbers and years are no quantities: never grouped
    assert "toLocaleString" not in str(columns["car_number"].get("valueFormatter"))
    assert "valueFormatter" not in columns["car_year"]


def test_the_gap_charts_axis_groups_its_figures(shipped):
    view = standings_view(shipped, _View())
    bump, gap = standings_charts(view.chart, "it")
    assert gap["layout"]["yaxis"]["separatethousands"] is True
    assert gap["layout"]["yaxis"]["exponentformat"] == "none"  # 10.000, not 10k
    assert "separatethousands" not in bump["layout"]["yaxis"]  # positions: small numbers
