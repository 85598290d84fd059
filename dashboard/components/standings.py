"""Standings pieces: the grid (dash-ag-grid), the crew card, the checkpoint heading and the
data notes. Rows and texts come from the standings model; nothing is computed here."""

from __future__ import annotations

from collections.abc import Mapping

import dash_ag_grid as dag
import pandas as pd
from dash import html

from dashboard import ids
from dashboard.data.store import Snapshot
from dashboard.i18n import format_date, format_number
from dashboard.race import Standings

LOCALES = {"en": "en-GB", "it": "it-IT"}


def _int(value):
    return None if pd.isna(value) else int(value)


def change_text(change) -> str:
    if change is None or pd.isna(change):
        return "–"
    change = int(change)
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "= 0"


def grid_rows(ranking: pd.DataFrame, selected: str | None) -> list[dict]:
    """One row per crew of a checkpoint's ranking, for the grid (plain lists: a 400-row
    ranking in about a millisecond)."""
    na = pd.NA
    column = {
        name: [None if v is na else v for v in ranking[name].tolist()] for name in _GRID_SOURCE
    }
    rows = []
    for i, crew_id in enumerate(column["crew_id"]):
        change = column["position_change"][i]
        rows.append(
            {
                "crew_id": crew_id,
                "position": column["position"][i],
                "change": change,
                "change_text": change_text(change),
                "car_number": column["car_number"][i],
                "crew": column["crew"][i],
                "car": column["car"][i],
                "car_year": column["car_year"][i],
                "points": column["points"][i],
                "points_derived": bool(column["points_derived"][i]),
                "gap": column["gap_to_leader"][i],
                "ahead": column["gap_to_ahead"][i],
                "selected": crew_id == selected,
            }
        )
    return rows


_GRID_SOURCE = (
    "crew_id",
    "position",
    "position_change",
    "car_number",
    "crew",
    "car",
    "car_year",
    "points",
    "points_derived",
    "gap_to_leader",
    "gap_to_ahead",
)


def _number_formatter(lang: str) -> dict:
    locale = LOCALES.get(lang, "en-GB")
    return {"function": f"params.value == null ? '–' : params.value.toLocaleString('{locale}')"}


def standings_grid(rows: list[dict], labels: Mapping[str, str], lang: str) -> dag.AgGrid:
    number = _number_formatter(lang)
    columns = [
        {
            "field": "position",
            "minWidth": 44,
            "headerName": labels["table.position"],
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
            "width": 78,
            "filter": False,
        },
        {
            "field": "crew",
            "minWidth": 100,
            "headerName": labels["table.crew"],
            "flex": 2,
            "tooltipField": "crew",
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
            "rowClassRules": {"selected-crew": "params.data.selected"},
            "quickFilterText": "",
            "animateRows": False,
            "tooltipShowDelay": 300,
            "suppressCellFocus": False,
            "ensureDomOrder": True,
            # all columns in the DOM (screen readers, axe), not only the visible ones
            "suppressColumnVirtualisation": True,
        },
        className="standings-grid",
        columnSize="responsiveSizeToFit",
        style={"height": "100%", "width": "100%"},
    )


def checkpoint_heading(standings: Standings, checkpoint_id: str | None, labels, lang) -> list:
    if checkpoint_id is None:
        return [html.Span(labels["standings.none"])]
    row = standings.checkpoints.loc[checkpoint_id]
    parts = [
        html.Strong(row["label"]),
        " · ",
        labels["standings.stage_of"].format(stage=row["stage"]),
    ]
    if row["time"]:
        parts += [" · ", format_date(str(row["time"])[:10], lang, weekday=False)]
    if row["place"]:
        parts += [" · ", labels["standings.taken_at"].format(place=row["place"])]
    return parts


def rankings_summary(names: list[str], lang: str, shown: int = 6) -> str:
    """'Start, Time trial 1, Time trial 2': all of them when few; at full event scale the
    count, the first and the latest ones (a crew can be in 120 rankings)."""
    if len(names) <= shown:
        return ", ".join(names)
    head, tail = names[: shown // 2], names[-(shown // 2) :]
    return f"{format_number(len(names), lang)}: " + ", ".join([*head, "…", *tail])


def crew_card(
    standings: Standings,
    crew_id: str | None,
    checkpoint_id: str | None,
    labels: Mapping[str, str],
    lang: str,
) -> list:
    if crew_id is None or crew_id not in standings.crews.index:
        return [html.H2(labels["crew.heading"]), html.P(labels["crew.none"], className="help")]
    crew = standings.crews.loc[crew_id]
    rows = standings.crew_rows([crew_id])
    ranked_ids = standings.column("checkpoint_id")[rows].tolist()
    here = rows[ranked_ids.index(checkpoint_id)] if checkpoint_id in ranked_ids else None
    facts = []

    def fact(term, value):
        facts.extend([html.Dt(term), html.Dd(value)])

    if pd.notna(crew["car_number"]):
        fact(labels["crew.number"], f"#{int(crew['car_number'])}")
    year = f" ({int(crew['car_year'])})" if pd.notna(crew["car_year"]) else ""
    fact(labels["crew.car"], f"{crew['car']}{year}")
    if here is not None:
        fact(labels["crew.current"], str(standings.column("position")[here]))
        fact(labels["crew.points"], format_number(standings.column("points")[here], lang))
        fact(labels["crew.gap"], format_number(standings.column("gap_to_leader")[here], lang))
    else:
        fact(labels["crew.current"], labels["crew.not_in_ranking"])
    fact(labels["crew.best"], str(int(crew["best_position"])))
    ranked_at = standings.checkpoints.loc[ranked_ids]
    fact(labels["crew.rankings"], rankings_summary(ranked_at["label"].tolist(), lang))
    sources = [source for listed in ranked_at["sources"].tolist() for source in listed]
    source_items = [html.Li(_source(s)) for s in dict.fromkeys(sources)]
    return [
        html.H2(crew["crew"], id="crew-card-title"),
        html.Dl(facts, className="facts"),
        html.Details(
            [html.Summary(labels["crew.sources"]), html.Ul(source_items)], className="sources"
        ),
    ]


def _source(text: str):
    if text.startswith(("http://", "https://")):
        return html.A(text, href=text, rel="noopener noreferrer", target="_blank")
    return text


def data_notes(snapshot: Snapshot, checkpoint_id: str | None, labels, lang) -> list:
    """Refused files, files still being written and the warnings that concern this ranking."""
    items = []
    for status in snapshot.files:
        if status.status == "refused":
            tail = (
                labels["status.last_good"]
                if status.using_last_good
                else labels["status.no_last_good"]
            )
            items.append(
                html.Li(
                    [
                        labels["status.refused"].format(
                            file=status.name, message=status.error["message"]
                        ),
                        " ",
                        tail,
                    ],
                    className="refused",
                )
            )
        elif status.status == "waiting":
            items.append(
                html.Li(labels["status.waiting"].format(file=status.name), className="waiting")
            )
    warnings = snapshot.standings.warnings
    relevant = warnings[
        warnings["checkpoint_id"].isna() | (warnings["checkpoint_id"] == checkpoint_id)
    ]
    for row in relevant.itertuples():
        kind = labels.get(f"warning.{row.kind}", row.kind)
        items.append(
            html.Li(
                [
                    html.Strong(kind + ": "),
                    row.message,
                    html.Span(f" ({row.file})", className="note") if row.file else "",
                ],
                className="warning",
            )
        )
    if not items:
        return [html.P(labels["status.ok"])]
    return [html.Ul(items)]
