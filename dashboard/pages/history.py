"""The history page (/history): the 1927 and 1955 courses beside the 2020 route, the winners
1927-1957, wins by make, winners' average speeds, and the story points, all from data."""

from __future__ import annotations

import math

import dash
from dash import dcc, html

from dashboard import app_data
from dashboard.components.graph_config import ROUTE_MAP_CONFIG, localized
from dashboard.components.shell import shell
from dashboard.components.stage_card import duration, note_words, sources_disclosure
from dashboard.data.basemap import Basemap
from dashboard.data.history import History
from dashboard.data.route import RouteData
from dashboard.figures.history import speed_chart, wins_by_marque_chart
from dashboard.figures.route_map import route_map
from dashboard.i18n import format_number, texts
from dashboard.view_state import view_from_search

PATH = "/history"

CHART_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"filename": "1000-miglia-history", "format": "svg"},
}


def history_map(route: RouteData, basemap: Basemap, lang: str) -> dict:
    """Both historic courses drawn, with the 2020 stages faint underneath for comparison."""
    figure = route_map(route, basemap, "1927", lang)
    for trace in figure["data"]:
        if trace.get("meta", {}).get("route_id") == "1955":
            trace.update(visible=True, opacity=1.0, line={**trace["line"], "width": 5})
    figure["layout"]["uirevision"] = "history"
    return figure


def _course_card(route: RouteData, route_id: str, lang: str) -> html.Section:
    labels = texts(lang)
    row = route.route(route_id)
    winner = row.get("winner") or {}
    notes = row.get("card_notes") or {}
    facts = [
        html.Dt(labels["history.distance"]),
        html.Dd(
            [f"{format_number(row['official_length_km'], lang)} km"]
            + note_words(notes.get("official_length"), lang)
        ),
        html.Dt(labels["history.winner"]),
        html.Dd(" · ".join(w for w in (winner.get("crew"), winner.get("car")) if w) or "–"),
        html.Dt(labels["history.time"]),
        html.Dd(duration(winner.get("time"))),
        html.Dt(labels["history.speed"]),
        html.Dd(
            f"{format_number(winner.get('average_speed_kmh'), lang, 3)} km/h"
            if winner.get("average_speed_kmh")
            else "–"
        ),
    ]
    winner_sources = sources_of(winner.get("source"))
    return html.Section(
        [
            html.H3(labels[f"card.title.{route_id}"]),
            html.Dl(facts, className="facts"),
            sources_disclosure(
                winner_sources,
                {k: v for k, v in notes.items() if k == "official_length"},
                lang,
            ),
        ],
        className="card",
    )


def sources_of(cell: str | None) -> list[str]:
    """A fact file's source cell (several joined by ' ; ') as a list."""
    return [s.strip() for s in (cell or "").split(" ; ") if s.strip()]


def _winners_table(history: History, lang: str) -> html.Table:
    labels = texts(lang)
    head = html.Thead(
        html.Tr(
            [
                html.Th(labels[k], scope="col")
                for k in (
                    "history.year",
                    "history.crew",
                    "history.car",
                    "history.marque",
                    "history.time",
                    "history.speed",
                    "history.note",
                )
            ]
        )
    )
    rows = []
    for w in history.winners.to_dict("records"):
        if not w["race"]:
            rows.append(
                html.Tr(
                    [
                        html.Td(str(w["year"])),
                        html.Td(labels["history.no_race"], colSpan=6, className="note"),
                    ],
                    className="no-race",
                )
            )
            continue
        speed = w["average_kmh"]
        speed_text = (
            f"{format_number(speed, lang, 3)} km/h" if speed and not math.isnan(speed) else "–"
        )
        if w.get("speed_note"):
            speed_text += f" ({w['speed_note'][lang]})"
        rows.append(
            html.Tr(
                [
                    html.Td(str(w["year"])),
                    html.Td(w["crew"]),
                    html.Td(w["car"]),
                    html.Td(w["marque"]),
                    html.Td(duration(w["time"])),
                    html.Td(speed_text),
                    html.Td(w["note"][lang] if w.get("note") else "", className="note"),
                ]
            )
        )
    return html.Table([head, html.Tbody(rows)], className="files winners")


def register() -> None:
    dash.register_page(__name__, path=PATH, layout=layout)


def layout(**params) -> list:
    """The page for Dash Pages, which calls it with the address's parameters."""
    view = view_from_search(params)
    data = app_data.current()
    body = content(view.lang, data.route, data.basemap, data.history)
    return shell(body, view, PATH, texts(view.lang)["history.title"])


def content(lang: str, route: RouteData, basemap: Basemap, history: History) -> html.Div:
    labels = texts(lang)
    sources = [
        s
        for w in history.winners.to_dict("records")
        for cell in (w.get("source"), w.get("time_speed_source"), w.get("note_source"))
        for s in sources_of(cell)
    ]
    return html.Div(
        className="history",
        children=[
            html.H2(labels["history.heading"], className="page-heading"),
            html.P(labels["history.intro"]),
            html.Section(
                dcc.Graph(
                    id="history-map",
                    figure=history_map(route, basemap, lang),
                    config=localized(ROUTE_MAP_CONFIG, lang),
                    className="history-map",
                ),
                **{"aria-label": labels["history.map_label"]},
            ),
            html.H3(labels["history.courses"]),
            html.Div(
                [_course_card(route, r, lang) for r in ("1927", "1955")],
                className="course-cards",
            ),
            html.H3(labels["history.stories"]),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(s[lang]["title"] + ": "),
                            s[lang]["text"],
                            sources_disclosure(sources_of(s["source"]), {}, lang),
                        ]
                    )
                    for s in history.story
                ],
                className="stories",
            ),
            html.Div(
                className="charts",
                children=[
                    html.Figure(
                        [
                            html.Figcaption(labels["history.wins_title"]),
                            dcc.Graph(
                                id="wins-chart",
                                config=localized(CHART_CONFIG, lang),
                                className="chart",
                                figure=wins_by_marque_chart(
                                    history.wins_by_marque(),
                                    lang,
                                    road_races=history.wins_by_marque(road_races_only=True),
                                ),
                            ),
                            html.P(labels["history.wins_help"], className="help"),
                        ]
                    ),
                    html.Figure(
                        [
                            html.Figcaption(labels["history.speed_title"]),
                            dcc.Graph(
                                id="speed-chart",
                                config=localized(CHART_CONFIG, lang),
                                className="chart",
                                figure=speed_chart(history.winners, lang),
                            ),
                            html.P(labels["history.speed_gaps"], className="help"),
                        ]
                    ),
                ],
            ),
            html.H3(labels["history.winners"]),
            html.Div(_winners_table(history, lang), className="table-scroll"),
            sources_disclosure(sources, {}, lang),
        ],
    )
