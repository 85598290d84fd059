"""Standings pieces: the grid (dash-ag-grid), the crew card, the checkpoint heading and the
data notes. Everything comes from the standings view (race.standings_view); nothing is
computed here."""

from __future__ import annotations

import json

import dash_ag_grid as dag
from dash import html

from dashboard import ids
from dashboard.i18n import format_date, format_number, texts
from dashboard.race import CheckpointInfo, CrewCard, RankingRow, StandingsView

LOCALES = {"en": "en-GB", "it": "it-IT"}


def change_text(change) -> str:
    if change is None:
        return "–"
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "= 0"


def grid_rows(rows: list[RankingRow]) -> list[dict]:
    """One row per crew of the shown ranking, for the grid: the view's rows with the change
    in words."""
    return [{**row, "change_text": change_text(row["change"])} for row in rows]


def _number_formatter(lang: str) -> dict:
    """Points and gaps as format_number writes them: grouped from 1000 up ('always': Italian's
    own rule would leave 2235 beside 67.276)."""
    locale = LOCALES.get(lang, "en-GB")
    return {
        "function": "params.value == null ? '–' : params.value.toLocaleString("
        f"'{locale}', {{useGrouping: 'always', maximumFractionDigits: 0}})"
    }


def _inferred_number(lang: str) -> dict:
    """The car number column's formatter and hover: a number taken from another ranking gets
    the mark, and on hover the ranking it was taken from."""
    labels = texts(lang)
    mark = json.dumps(" " + labels["table.inferred_mark"])
    reason = json.dumps(labels["table.number_inferred"])
    return {
        "valueFormatter": {
            "function": "params.value == null ? '' : '' + params.value"
            f" + (params.data.car_number_from ? {mark} : '')"
        },
        "tooltipValueGetter": {
            "function": "params.data && params.data.car_number_from ? "
            f"{reason}.replace('{{checkpoint}}', params.data.car_number_from) : null"
        },
        "cellClassRules": {"inferred": "params.data.car_number_from"},
    }


def standings_grid(rows: list[dict], lang: str, crew: str | None = None) -> dag.AgGrid:
    """The table of a ranking; `crew` is marked, and the browser moves the mark
    (markCrew in assets/explore.js) without sending the rows again."""
    labels = texts(lang)
    number = _number_formatter(lang)
    columns = [
        {
            "field": "position",
            "minWidth": 44,
            "headerName": labels["table.position"],
            "headerTooltip": labels["table.position_help"],
            "width": 78,
            "filter": False,
            "sort": "asc",
        },
        {
            "field": "change_text",
            "minWidth": 52,
            "headerName": labels["table.change"],
            "width": 92,
            "filter": False,
            "headerTooltip": labels["table.change_help"],
            "comparator": {
                "function": "(nodeA.data.change == null ? -999 : nodeA.data.change)"
                " - (nodeB.data.change == null ? -999 : nodeB.data.change)"
            },
            "cellClassRules": {
                "change-up": "params.data.change > 0",
                "change-down": "params.data.change < 0",
            },
        },
        {
            "field": "car_number",
            "minWidth": 44,
            "headerName": labels["table.number"],
            "headerTooltip": labels["table.number_help"],
            "width": 78,
            "filter": False,
            **_inferred_number(lang),
        },
        {
            "field": "crew",
            "minWidth": 100,
            "headerName": labels["table.crew"],
            "flex": 2,
            "tooltipField": "crew",
            # a long name wraps, each person on a line of their own, rather than being cut;
            # the row grows to fit (crewRowHeight in assets/grid_rows.js)
            "wrapText": True,
            "valueFormatter": {
                "function": "params.value ? params.value.split(' / ').join('\\n') : ''"
            },
        },
        {
            "field": "car",
            "minWidth": 120,
            "headerName": labels["table.car"],
            "flex": 1.5,
            "tooltipField": "car",
        },
        {
            "field": "car_year",
            "minWidth": 56,
            "headerName": labels["table.year"],
            "width": 80,
            "filter": False,
        },
        {
            "field": "points",
            "minWidth": 64,
            "headerName": labels["table.points"],
            "width": 104,
            "filter": False,
            "valueFormatter": number,
            "type": "rightAligned",
            "cellClassRules": {"derived": "params.data.points_derived"},
        },
        {
            "field": "gap",
            "minWidth": 56,
            "headerName": labels["table.gap"],
            "width": 100,
            "headerTooltip": labels["table.gap_help"],
            "filter": False,
            "valueFormatter": number,
            "type": "rightAligned",
        },
        {
            "field": "ahead",
            "minWidth": 64,
            "headerName": labels["table.ahead"],
            "width": 116,
            "headerTooltip": labels["table.ahead_help"],
            "filter": False,
            "valueFormatter": number,
            "type": "rightAligned",
        },
    ]
    return dag.AgGrid(
        id=ids.STANDINGS_GRID,
        rowData=rows,
        columnDefs=columns,
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "floatingFilter": False,
        },
        getRowId="params.data.crew_id",
        dashGridOptions={
            "rowClassRules": {
                "selected-crew": "params.context && params.data"
                " && params.data.crew_id === params.context.crew"
            },
            "context": {"crew": crew},
            # AG Grid's own words are English: an empty table (no ranking, or its rows
            # failed to come) says so in the page's language
            "localeText": {"noRowsToShow": labels["table.no_rows"]},
            "quickFilterText": "",
            "animateRows": False,
            "tooltipShowDelay": 300,
            "suppressCellFocus": False,
            # one tab stop: Tab leaves the grid, the arrow keys move inside it
            # (assets/grid_keys.js: Enter or Space selects the row's crew)
            "tabToNextCell": {"function": "false"},
            "getRowHeight": {"function": "crewRowHeight(params)"},
            "ensureDomOrder": True,
            # all columns in the DOM (screen readers, axe), not only the visible ones
            "suppressColumnVirtualisation": True,
        },
        className="standings-grid",
        columnSize="responsiveSizeToFit",
        style={"height": "100%", "width": "100%"},
    )


def checkpoint_heading(checkpoint: CheckpointInfo | None, lang) -> list:
    labels = texts(lang)
    if checkpoint is None:
        return [html.Span(labels["standings.none"])]
    parts = [
        html.Strong(checkpoint.label),
        " · ",
        labels["standings.stage_of"].format(stage=checkpoint.stage),
    ]
    if checkpoint.time:
        parts += [" · ", format_date(checkpoint.time[:10], lang, weekday=False)]
    if checkpoint.place:
        parts += [" · ", labels["standings.taken_at"].format(place=checkpoint.place)]
    return parts


def points_note(shown: StandingsView, lang: str) -> list:
    """Under the heading, when the shown ranking has no points: that it has none, and which
    ranking the points chart shows instead (the table, the charts and the card would
    otherwise show only dashes)."""
    if shown.has_points:
        return []
    labels = texts(lang)
    words = [labels["standings.no_points"]]
    if shown.points_from is not None:
        words += [
            " ",
            labels["standings.points_from"].format(
                checkpoint=shown.points_from.label, stage=shown.points_from.stage
            ),
        ]
    return [html.Span(words, className="points-note", id="points-note")]


def rankings_summary(names: list[str], lang: str, shown: int = 6) -> str:
    """'Start, Time trial 1, Time trial 2': all of them when few; at full event scale the
    count, the first and the latest ones (a crew can be in 120 rankings)."""
    if len(names) <= shown:
        return ", ".join(names)
    head, tail = names[: shown // 2], names[-(shown // 2) :]
    return f"{format_number(len(names), lang)}: " + ", ".join([*head, "…", *tail])


def crew_card(card: CrewCard | None, lang: str) -> list:
    labels = texts(lang)
    if card is None:
        return [html.H2(labels["crew.heading"]), html.P(labels["crew.none"], className="help")]
    facts = []

    def fact(term, value):
        facts.extend([html.Dt(term), html.Dd(value)])

    number = card.car_number
    taken_from = None
    if card.here is not None and card.here["car_number"] is not None:
        number, taken_from = card.here["car_number"], card.here["car_number_from"]
    if number is not None:
        shown = [f"#{int(number)}"]
        if taken_from:
            reason = labels["table.number_inferred"].format(checkpoint=taken_from)
            mark = labels["table.inferred_mark"]
            shown += [
                " ",
                html.Abbr(mark, title=reason, className="inferred", id="crew-number-mark"),
            ]
        fact(labels["crew.number"], shown)
    year = f" ({int(card.car_year)})" if card.car_year is not None else ""
    fact(labels["crew.car"], f"{card.car}{year}")
    if card.here is not None:
        fact(labels["crew.current"], str(card.here["position"]))
        fact(labels["crew.points"], format_number(card.here["points"], lang))
        fact(labels["crew.gap"], format_number(card.here["gap"], lang))
    else:
        fact(labels["crew.current"], labels["crew.not_in_ranking"])
    fact(labels["crew.best"], str(card.best_position))
    fact(labels["crew.rankings"], rankings_summary(list(card.rankings), lang))
    for term, spellings in (
        ("crew.spellings", card.crew_spellings),
        ("crew.car_spellings", card.car_spellings),
    ):
        if len(spellings) > 1:  # one spelling throughout: nothing to list
            fact(labels[term], _spelling_list(spellings, lang))
    return [
        html.H2(card.crew, id="crew-card-title"),
        html.Dl(facts, className="facts"),
        html.Details(
            [
                html.Summary(labels["crew.sources"]),
                html.Ul([html.Li(_source(s)) for s in card.sources]),
            ],
            className="sources",
        ),
    ]


def _where(rankings, lang: str) -> str:
    """The rankings of one spelling: named when one or two, else counted (the card's
    rankings list names them all)."""
    if len(rankings) <= 2:
        return ", ".join(rankings)
    return texts(lang)["crew.spelling_count"].format(n=format_number(len(rankings), lang))


def _spelling_list(spellings, lang: str):
    labels = texts(lang)
    return html.Ul(
        [
            html.Li(
                labels["crew.spelling_in"].format(text=s.text, rankings=_where(s.rankings, lang))
            )
            for s in spellings
        ],
        className="spellings",
    )


def _source(text: str):
    if text.startswith(("http://", "https://")):
        return html.A(text, href=text, rel="noopener noreferrer", target="_blank")
    return text


def data_notes(shown: StandingsView, lang) -> list:
    """Refused files, files still being written and the warnings that concern this ranking."""
    labels = texts(lang)
    items = []
    for note in shown.files:
        if note.status == "refused":
            tail = (
                labels["status.last_good"]
                if note.using_last_good
                else labels["status.no_last_good"]
            )
            message = labels["status.refused"].format(file=note.name, message=note.text(lang))
            items.append(html.Li([message, " ", tail], className="refused"))
        else:
            items.append(
                html.Li(labels["status.waiting"].format(file=note.name), className="waiting")
            )
    for warning in shown.warnings:
        kind = labels.get(f"warning.{warning.kind}", warning.kind)
        items.append(
            html.Li(
                [
                    html.Strong(kind + ": "),
                    warning.text(lang),
                    html.Span(f" ({warning.file})", className="note") if warning.file else "",
                ],
                className="warning",
            )
        )
    if not items:
        return [html.P(labels["status.ok"])]
    return [html.Ul(items)]
