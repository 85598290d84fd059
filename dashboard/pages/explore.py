"""The fans' page: the route map, stage picker and card, and the linked standings views.

State lives in the browser: the `view` store (stage, checkpoint, crew, language, playing,
data version), mirrored into the page address so a shared link reopens the same view.
Callbacks are thin: they unpack inputs and call view_state, race, figures and components.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote

import brotli
import dash
from dash import (
    ClientsideFunction,
    Dash,
    Input,
    Output,
    Patch,
    State,
    ctx,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate
from flask import Response, request

from dashboard import app_data, ids
from dashboard.app_data import AppData
from dashboard.components.graph_config import ROUTE_MAP_CONFIG, localized
from dashboard.components.map_picture import picture
from dashboard.components.shell import shell
from dashboard.components.stage_card import stage_card
from dashboard.components.stage_picker import stage_picker, stage_picker_links
from dashboard.components.standings import (
    checkpoint_heading,
    crew_card,
    data_notes,
    grid_rows,
    points_note,
    standings_grid,
)
from dashboard.components.town_answer import town_answer_view
from dashboard.data.basemap import Basemap
from dashboard.data.export import ranking_csv
from dashboard.data.profile import Profile
from dashboard.data.route import (
    HISTORIC_ROUTE_IDS,
    STAGE_CHOICES,
    STAGE_ROUTE_IDS,
    RouteData,
    route_summary,
)
from dashboard.data.store import RankingStore, Snapshot
from dashboard.figures.profile import profile_figure
from dashboard.figures.route_map import (
    CHECKPOINT_TRACE_INDEX,
    PROFILE_MARK_TRACE_INDEX,
    TOWN_TRACE_INDEX,
    checkpoint_marker,
    glyphs_url,
    route_map,
    town_trace,
    town_view,
)
from dashboard.figures.standings import standings_charts
from dashboard.gazetteer import Gazetteer, LazyGazetteer
from dashboard.i18n import LANGUAGES, texts
from dashboard.passage_times import town_answer
from dashboard.race import shown_ranking, standings_view
from dashboard.static_files import CACHE_CONTROL, chosen_encoding
from dashboard.view_state import Event, View, apply, checkpoints_in_view, resolve, view_from_search

POLL_INTERVAL_MS = 1000
DATA_VERSION_PATH = "_miglia/data-version"  # the poll's endpoint (plain text, not a callback)
# one ranking's grid rows at a data version: ROWS_PATH/<version>/<lang>/<checkpoint>.json
ROWS_PATH = "_miglia/rows"
ROWS_BROTLI_QUALITY = 6  # compressed once per worker and ranking; 11 costs too long live
PLAY_INTERVAL_MS = 1800
GRAPH_CONFIG = ROUTE_MAP_CONFIG
CHART_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    # the camera button saves the chart as SVG (vector, for print and slides)
    "toImageButtonOptions": {"filename": "1000-miglia-standings", "format": "svg"},
}
_ROUTE_CHOICE_OF_CURVE = [str(i) for i in range(1, len(STAGE_ROUTE_IDS) + 1)] + list(
    HISTORIC_ROUTE_IDS
)
_CHOICE_OF_ROUTE = dict(
    zip(STAGE_ROUTE_IDS + HISTORIC_ROUTE_IDS, _ROUTE_CHOICE_OF_CURVE, strict=True)
)


# ---- what the views show, for a view and a snapshot (used by the layout and the callbacks)


def scrubber_props(view: View, snapshot: Snapshot, labels) -> dict:
    in_view = checkpoints_in_view(view, snapshot.standings)
    stage_of = snapshot.standings.checkpoints["stage"]
    stages = stage_of.loc[in_view].tolist() if in_view else []
    every = max(1, len(stages) // 12)
    marks = {}
    previous_stage = None
    for i, stage in enumerate(stages):
        if stage != previous_stage or i % every == 0 or i == len(stages) - 1:
            marks[i] = {"label": str(i + 1)}
        previous_stage = stage
    value = in_view.index(view.checkpoint) if view.checkpoint in in_view else 0
    return {
        "max": max(len(in_view) - 1, 0),
        "marks": marks,
        "value": value,
    }


def ranking_grid_rows(snapshot: Snapshot, checkpoint: str, lang: str) -> list[dict] | None:
    """The grid's rows of one ranking at a snapshot, for every view of it (None: no such
    ranking). The same rows as the standings view's; the browser marks the selected crew."""
    if checkpoint not in snapshot.standings.checkpoints.index:
        return None
    return grid_rows(shown_ranking(snapshot.standings, checkpoint, lang))


def rows_address(prefix: str, version: str, lang: str, checkpoint: str | None) -> str | None:
    """Where the grid fetches a ranking's rows: named by the data version, so never stale."""
    if not checkpoint:
        return None
    return f"{prefix}{ROWS_PATH}/{quote(version, safe='')}/{lang}/{quote(checkpoint, safe='')}.json"


def rows_store(prefix: str, version: str, view: View) -> dict:
    """What the grid's row fetcher needs (assets/explore.js): the address and its words."""
    labels = texts(view.lang)
    return {
        "url": rows_address(prefix, version, view.lang, view.checkpoint),
        "loading": labels["table.loading"],
        "failed": labels["table.load_failed"],
        "no_answer": labels["table.no_answer"],
    }


def standings_outputs(view: View, route: RouteData, snapshot: Snapshot, prefix: str = "/") -> dict:
    """Everything the standings section shows for a view, drawn from one standings view;
    the table's rows by address (draw_standings gives the first ones with the grid)."""
    lang = view.lang
    shown = standings_view(snapshot, view)
    bump, gap = standings_charts(shown.chart, lang, view.stage)
    checkpoint = shown.checkpoint.checkpoint_id if shown.checkpoint else None
    return {
        "rows_store": rows_store(prefix, snapshot.version, replace(view, checkpoint=checkpoint)),
        "crew_card": crew_card(shown.crew, lang),
        "clear_style": {} if view.crew else {"display": "none"},
        "heading": checkpoint_heading(shown.checkpoint, lang) + points_note(shown, lang),
        "notes": data_notes(shown, lang),
        "marker": checkpoint_marker(route, shown, lang),
        "bump": bump,
        "gap": gap,
    }


def marker_key(marker: dict) -> str:
    """A short digest of the checkpoint marker trace (to tell whether the map must change)."""
    text = json.dumps(marker, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def town_outputs(
    view: View, route: RouteData, gazetteer: Gazetteer | LazyGazetteer, labelled: bool = False
) -> tuple[list, dict, dict | None]:
    """The answer in words, the map trace (the town named on the map when `labelled`) and
    the map's view of the town and the shown route (None: no town found on it)."""
    labels, lang = texts(view.lang), view.lang
    if not view.town:
        return [], town_trace(None, view.stage, lang, labelled), None
    town = gazetteer.find(view.town)
    if town is None:
        closest = [t.label for t in gazetteer.search(view.town, limit=5)]
        message = [html.P(labels["town.not_found"].format(text=view.town), className="reason")]
        if closest:
            message.append(html.P(labels["town.closest"].format(names=", ".join(closest))))
        return message, town_trace(None, view.stage, lang, labelled), None
    answer = town_answer(route, town)
    trace = town_trace(answer, view.stage, lang, labelled)
    return town_answer_view(answer, lang), trace, town_view(answer, view.stage)


def map_uirevision(choice: str, resets: int | None, town: str | None = None) -> str:
    """What resets the map's view: the stage choice ('<choice>-...'), the reset button and the
    town looked up. The stage and town callbacks both name the same one for the same view."""
    revision = f"{choice}-{resets or 0}"
    return f"{revision}-{town}" if town else revision


def _patch_view(patch: Patch, view: dict, uirevision: str) -> None:
    patch["layout"]["map"]["center"] = view["center"]
    patch["layout"]["map"]["zoom"] = view["zoom"]
    patch["layout"]["uirevision"] = uirevision


def town_section(view: View, labels, answer_children: list) -> html.Section:
    return html.Section(
        className="card town-card",
        **{"aria-labelledby": "town-heading"},
        children=[
            html.H2(labels["town.heading"], id="town-heading"),
            html.Label(labels["town.label"], htmlFor=ids.TOWN_INPUT),
            html.Div(
                [
                    dcc.Input(
                        id=ids.TOWN_INPUT,
                        type="search",
                        value=view.town or "",
                        placeholder=labels["town.placeholder"],
                        autoComplete="off",
                        list=ids.TOWN_SUGGESTIONS,
                        className="search",
                        debounce=False,
                    ),
                    html.Button(
                        labels["town.find"], id=ids.TOWN_FIND, n_clicks=0, className="button"
                    ),
                ],
                className="town-row",
            ),
            html.Datalist(id=ids.TOWN_SUGGESTIONS),
            html.P(labels["town.help"], className="help"),
            html.Div(answer_children, id=ids.TOWN_ANSWER, **{"aria-live": "polite"}),
        ],
    )


# ---- the standings section's table and charts, drawn after the map or when scrolled to


def later(component_id: str, words: str) -> list:
    """What holds a table's or chart's place until it is drawn: the words a fan reads, and a
    stand-in under the component's id, so that the callbacks naming it find it meanwhile."""
    return [
        dcc.Store(id=component_id),
        html.P(words, className="later-note", role="status"),
    ]


def standings_chart(component_id: str, figure: dict, lang: str) -> dcc.Graph:
    return dcc.Graph(
        id=component_id,
        figure=figure,
        config=localized(CHART_CONFIG, lang),
        className="chart",
    )


# ---- layout


def stage_profiles(profiles: Mapping[str, Profile], choice: str) -> tuple[Profile, ...]:
    """The altitude profiles of a stage choice's routes, in driving order."""
    return tuple(profiles[route_id] for route_id in STAGE_CHOICES[choice])


PROFILE_CONFIG = {"displayModeBar": False, "responsive": True}


def profile_section(profiles: tuple[Profile, ...], lang: str) -> html.Section:
    """The altitude profile under the map, with what it is in words."""
    labels = texts(lang)
    return html.Section(
        className="profile-panel",
        **{"aria-label": labels["profile.region_label"]},
        children=[
            html.H2(labels["profile.heading"], id="profile-heading"),
            dcc.Graph(
                id=ids.ALTITUDE_PROFILE,
                figure=profile_figure(profiles, lang),
                config=PROFILE_CONFIG,
                className="altitude-profile",
                clear_on_unhover=True,  # leaving the profile clears its mark on the map
            ),
            html.P(labels["profile.caption"], className="help"),
        ],
    )


def register() -> None:
    dash.register_page(__name__, path="/", layout=layout)
    # the older address of the same page (Dash's redirect_from would drop the query)
    dash.register_page(__name__ + ".explore", path="/explore", layout=layout)


def layout(pathname: str = "/", search: str = "", **params) -> list:
    """The page for Dash Pages, which calls it with the address's parameters. A stage link or
    Back within the page changes only the query: change_view follows that, keeping the map."""
    if app_data.PAGES_LOCATION + ".pathname" not in ctx.triggered_prop_ids:
        raise PreventUpdate
    view = replace(view_from_search(params), nav=search or "")
    data = app_data.current()
    body = content(view, data)
    return shell(body, view, pathname, texts(view.lang)["app.title"])


def content(view: View, data: AppData) -> html.Div:
    route, pictures = data.route, data.pictures
    snapshot = data.store.snapshot()
    view = resolve(replace(view, version=snapshot.version), snapshot.standings)
    labels, lang = texts(view.lang), view.lang
    out = standings_outputs(view, route, snapshot, dash.get_app().config.requests_pathname_prefix)
    scrub = scrubber_props(view, snapshot, labels)
    labelled = glyphs_url(data.basemap) is not None
    town_children, town_map_trace, town_fit = town_outputs(view, route, data.gazetteer, labelled)
    traces = data.route_traces[view.stage, lang]
    figure = route_map(route, data.basemap, view.stage, lang, out["marker"], traces)
    figure["data"][TOWN_TRACE_INDEX] = town_map_trace
    if town_fit:  # a shared link with a town opens on the town
        figure["layout"]["map"].update(town_fit)
        figure["layout"]["uirevision"] = map_uirevision(view.stage, 0, view.town)
    profiles = stage_profiles(data.profiles, view.stage)
    return html.Div(
        className="explore",
        children=[
            dcc.Store(id=ids.VIEW, data=view.to_dict()),
            dcc.Store(id=ids.STAGE_VIEW, data={"stage": view.stage, "lang": lang}),
            dcc.Store(id=ids.DATA_VERSION, data=snapshot.version),
            dcc.Store(id=ids.STANDINGS_ROWS, data=out["rows_store"]),
            dcc.Store(id=ids.TOWN_VIEW, data=_town_view(view)),
            dcc.Store(id=ids.MAP_MARKER, data=marker_key(out["marker"])),
            dcc.Store(id=ids.CREW_PICK),
            dcc.Store(id=ids.PROFILE_MARK_INDEX, data=PROFILE_MARK_TRACE_INDEX),
            dcc.Interval(id=ids.POLL, interval=POLL_INTERVAL_MS),
            dcc.Interval(id=ids.PLAY_TIMER, interval=PLAY_INTERVAL_MS, disabled=True),
            html.Aside(
                className="side",
                children=[
                    stage_picker(view.stage, lang),
                    town_section(view, labels, town_children),
                    html.Section(
                        stage_card(route_summary(route, view.stage), lang, profiles),
                        id=ids.STAGE_CARD,
                        className="card stage-card",
                        **{"aria-live": "polite", "aria-labelledby": "stage-card-title"},
                    ),
                ],
            ),
            html.Section(
                className="map-panel",
                id="map",
                **{"aria-label": labels["map.region_label"]},
                children=[
                    html.Div(
                        className="map-stack",
                        children=[
                            # the still picture of this view, until the map has drawn
                            picture(pictures, view.stage),
                            dcc.Loading(
                                dcc.Graph(
                                    id=ids.ROUTE_MAP,
                                    figure=figure,
                                    config=localized(GRAPH_CONFIG, lang),
                                    className="route-map",
                                    clear_on_unhover=True,  # and the place's on the profile
                                ),
                                delay_show=300,
                                type="circle",
                                color="#0072B2",
                            ),
                        ],
                    ),
                    html.Div(
                        className="map-tools",
                        children=[
                            html.P(labels["map.help"], className="help"),
                            html.Button(
                                labels["map.download"],
                                id=ids.MAP_DOWNLOAD_BUTTON,
                                n_clicks=0,
                                className="button secondary",
                            ),
                            dcc.Download(id=ids.MAP_DOWNLOAD),
                            html.Button(
                                labels["map.reset"],
                                id=ids.MAP_RESET,
                                n_clicks=0,
                                className="button secondary",
                            ),
                        ],
                    ),
                    profile_section(profiles, lang),
                ],
            ),
            html.Section(
                className="standings",
                id="standings",
                **{"aria-labelledby": "standings-heading", "data-later": "1"},
                children=[
                    dcc.Store(id=ids.STANDINGS_WANTED, data=0),
                    dcc.Store(id=ids.STANDINGS_DRAWN, data=False),
                    html.Div(
                        className="standings-head",
                        children=[
                            html.H2(labels["standings.heading"], id="standings-heading"),
                            html.Button(
                                labels["standings.download"],
                                id=ids.DOWNLOAD_BUTTON,
                                n_clicks=0,
                                className="button secondary small download",
                            ),
                            dcc.Download(id=ids.DOWNLOAD),
                            html.P(
                                out["heading"],
                                id=ids.CHECKPOINT_HEADING,
                                className="checkpoint-heading",
                                **{"aria-live": "polite"},
                            ),
                        ],
                    ),
                    html.Div(
                        className="scrubber",
                        role="group",
                        **{"aria-label": labels["scrubber.label"]},
                        children=[
                            html.Button(
                                labels["scrubber.previous"],
                                id=ids.PREVIOUS_BUTTON,
                                className="button secondary",
                                n_clicks=0,
                            ),
                            html.Button(
                                labels["scrubber.play"],
                                id=ids.PLAY_BUTTON,
                                className="button",
                                n_clicks=0,
                            ),
                            html.Button(
                                labels["scrubber.next"],
                                id=ids.NEXT_BUTTON,
                                className="button secondary",
                                n_clicks=0,
                            ),
                            html.Div(
                                dcc.Slider(
                                    id=ids.SCRUBBER,
                                    min=0,
                                    step=1,
                                    included=False,
                                    updatemode="mouseup",
                                    max=scrub["max"],
                                    marks=scrub["marks"],
                                    value=scrub["value"],
                                    allow_direct_input=False,
                                ),
                                className="scrubber-slider",
                                title=labels["scrubber.help"],
                            ),
                        ],
                    ),
                    html.P(
                        [labels["standings.partial"], " ", labels["standings.identity"]],
                        className="help",
                    ),
                    html.Div(
                        className="standings-body",
                        children=[
                            html.Div(
                                className="table-box",
                                children=[
                                    html.Label(labels["search.label"], htmlFor=ids.CREW_SEARCH),
                                    dcc.Input(
                                        id=ids.CREW_SEARCH,
                                        type="search",
                                        debounce=False,
                                        placeholder=labels["search.placeholder"],
                                        className="search",
                                        autoComplete="off",
                                    ),
                                    html.P(
                                        labels["search.help"],
                                        className="help",
                                        id=ids.CREW_SEARCH_MESSAGE,
                                        **{"aria-live": "polite"},
                                    ),
                                    html.P(
                                        "",
                                        id=ids.STANDINGS_ROWS_STATUS,
                                        className="rows-status",
                                        role="status",
                                    ),
                                    html.Div(
                                        later(
                                            ids.STANDINGS_GRID, labels["standings.loading_table"]
                                        ),
                                        id=ids.GRID_BOX,
                                        className="grid-box",
                                        role="region",
                                        **{"aria-label": labels["table.region_label"]},
                                    ),
                                ],
                            ),
                            html.Div(
                                className="crew-box",
                                children=[
                                    html.Section(
                                        out["crew_card"],
                                        id=ids.CREW_CARD,
                                        className="card crew-card",
                                        **{"aria-live": "polite"},
                                    ),
                                    html.Button(
                                        labels["crew.clear"],
                                        id=ids.CREW_CLEAR,
                                        n_clicks=0,
                                        className="button secondary",
                                        style=out["clear_style"],
                                    ),
                                ],
                            ),
                        ],
                    ),
                    html.Div(
                        className="charts",
                        children=[
                            html.Figure(
                                [
                                    html.Figcaption(labels["chart.bump_title"]),
                                    html.Div(
                                        later(ids.BUMP_CHART, labels["standings.loading_chart"]),
                                        id=ids.BUMP_BOX,
                                        className="chart-box",
                                    ),
                                ]
                            ),
                            html.Figure(
                                [
                                    html.Figcaption(labels["chart.gap_title"]),
                                    html.Div(
                                        later(ids.GAP_CHART, labels["standings.loading_chart"]),
                                        id=ids.GAP_BOX,
                                        className="chart-box",
                                    ),
                                ]
                            ),
                        ],
                    ),
                    html.P(labels["chart.help"], className="help"),
                    html.Details(
                        [
                            html.Summary(labels["status.heading"]),
                            html.Div(out["notes"], id=ids.DATA_NOTES),
                        ],
                        open=True,
                        className="data-notes",
                    ),
                ],
            ),
        ],
    )


# ---- callbacks


def _town_view(view: View) -> dict:
    return {"town": view.town, "lang": view.lang, "stage": view.stage}


def _map_click_choice(click: dict | None) -> str | None:
    """The stage choice of a click on a route line or on one of its places."""
    if not click or not click.get("points"):
        return None
    point = click["points"][0]
    custom = point.get("customdata")
    if isinstance(custom, list) and custom and custom[0] in _CHOICE_OF_ROUTE:
        return _CHOICE_OF_ROUTE[custom[0]]
    curve = point.get("curveNumber")
    if isinstance(curve, int) and 0 <= curve < len(_ROUTE_CHOICE_OF_CURVE):
        return _ROUTE_CHOICE_OF_CURVE[curve]
    return None


def _crew_of_chart_click(click: dict | None) -> str | None:
    if not click or not click.get("points"):
        return None
    custom = click["points"][0].get("customdata")
    if isinstance(custom, list):  # [crew_id, ...]
        custom = custom[0] if custom else None
    return custom if isinstance(custom, str) and custom else None


def _crew_of_pick(pick: dict | None) -> str | None:
    """The crew of a click in the table or a chart, as pickCrew (assets/explore.js) wrote it."""
    if not pick:
        return None
    return _CREW_OF_CLICK.get(pick.get("prop"), lambda _click: None)(pick.get("click"))


# what may change the view: the name change_view reads it by, and the component property
_EVENT_INPUTS = {
    "address": (ids.URL, "search"),
    "version": (ids.DATA_VERSION, "data"),
    "pick": (ids.CREW_PICK, "data"),  # a click in the table or a chart (pickCrew)
    "map": (ids.ROUTE_MAP, "clickData"),
    "scrubber": (ids.SCRUBBER, "value"),
    "play": (ids.PLAY_BUTTON, "n_clicks"),
    "previous": (ids.PREVIOUS_BUTTON, "n_clicks"),
    "next": (ids.NEXT_BUTTON, "n_clicks"),
    "tick": (ids.PLAY_TIMER, "n_intervals"),
    "search": (ids.CREW_SEARCH, "n_submit"),
    "clear": (ids.CREW_CLEAR, "n_clicks"),
    "find_town": (ids.TOWN_FIND, "n_clicks"),
    "submit_town": (ids.TOWN_INPUT, "n_submit"),
}
_NAME_OF_COMPONENT = {component: name for name, (component, _prop) in _EVENT_INPUTS.items()}
_PASSIVE = ("address", "version", "tick")  # not a user's action
# the table's and the charts' clicks, as pickCrew passes them on (by the clicked property)
_CREW_OF_CLICK = {
    "cellClicked": lambda click: (click or {}).get("rowId"),
    "clickData": _crew_of_chart_click,
}


# the view event of each input, and where its value comes from
_EVENT_OF_INPUT = {
    "pick": ("crew", lambda values: _crew_of_pick(values.get("pick"))),
    "map": ("stage", lambda values: _map_click_choice(values.get("map"))),
    "scrubber": ("scrubber", lambda values: values.get("scrubber")),
    "search": ("search", lambda values: values.get("search_text")),
    "find_town": ("town", lambda values: values.get("town_text")),
    "submit_town": ("town", lambda values: values.get("town_text")),
}


def view_event(triggered: list[str], values: dict) -> Event | None:
    """The view event of what fired, its value unpacked. Several inputs may fire at once: a
    user's action wins, then the play timer, then new data (the address is applied first by
    the caller)."""
    fired = [_NAME_OF_COMPONENT[t] for t in triggered if t in _NAME_OF_COMPONENT]
    fired = [name for name in fired if name != "pick" or values.get("pick")]  # a real click
    actions = [name for name in fired if name not in _PASSIVE]
    name = actions[0] if actions else ("tick" if "tick" in fired else None)
    if name is None:
        return Event("new_data") if "version" in fired else None
    kind, value_of = _EVENT_OF_INPUT.get(name, (name, lambda _values: None))
    return Event(kind, value_of(values))


def register_callbacks(app: Dash, data: AppData) -> None:
    """The page's callbacks, over one app's data."""
    _view_callbacks(app, data.store)
    _standings_callbacks(app, data.route, data.store)
    _rows_endpoint(app, data.store)
    _later_callbacks(app, data.store)
    labelled = glyphs_url(data.basemap) is not None
    _stage_callbacks(app, data, labelled)
    _town_callbacks(app, data.route, data.gazetteer, labelled)
    _download_callbacks(app, data.route, data.basemap, data.store)
    _browser_callbacks(app)


def _view_callbacks(app: Dash, store: RankingStore) -> None:
    @app.callback(
        output=[
            Output(ids.VIEW, "data"),
            Output(ids.STAGE_VIEW, "data"),
            Output(ids.SCRUBBER, "max"),
            Output(ids.SCRUBBER, "marks"),
            Output(ids.SCRUBBER, "value"),
            Output(ids.PLAY_TIMER, "disabled"),
            Output(ids.PLAY_BUTTON, "children"),
            Output(ids.CREW_SEARCH_MESSAGE, "children"),
            Output(ids.TOWN_VIEW, "data"),
        ],
        inputs={"values": {name: Input(*prop) for name, prop in _EVENT_INPUTS.items()}},
        state={
            "view_data": State(ids.VIEW, "data"),
            "stage_data": State(ids.STAGE_VIEW, "data"),
            "town_data": State(ids.TOWN_VIEW, "data"),
            "typed": {
                "search_text": State(ids.CREW_SEARCH, "value"),
                "town_text": State(ids.TOWN_INPUT, "value"),
            },
        },
        prevent_initial_call=True,
    )
    def change_view(values, view_data, stage_data, town_data, typed):
        """Every user action and every data change: the next view (view_state.apply)."""
        snapshot = store.snapshot()
        old = View.from_dict(view_data)
        view = apply(old, Event("address", values["address"]), snapshot)
        event = view_event(list(ctx.triggered_prop_ids.values()), {**values, **typed})
        if event is not None:
            view = apply(view, event, snapshot)
        if view == old and (event is None or event.kind != "search"):
            raise PreventUpdate
        labels = texts(view.lang)
        scrub = scrubber_props(view, snapshot, labels)
        stage_view = {"stage": view.stage, "lang": view.lang}
        message = no_update
        if event is not None and event.kind == "search":
            found = view.not_found is None
            message = (
                labels["search.help"]
                if found
                else labels["search.not_found"].format(text=view.not_found)
            )
        new_view = view.to_dict()
        return (
            new_view if new_view != view_data else no_update,  # unchanged: nothing re-renders
            stage_view if stage_view != stage_data else no_update,
            scrub["max"],
            scrub["marks"],
            scrub["value"],
            not view.playing,
            labels["scrubber.pause"] if view.playing else labels["scrubber.play"],
            message,
            _town_view(view) if _town_view(view) != town_data else no_update,
        )

    def data_version() -> Response:
        """What every open page polls: the published data version as plain text."""
        return Response(
            store.version(),
            mimetype="text/plain",
            headers={"Cache-Control": "no-store"},
        )

    app.server.add_url_rule(
        app.config.routes_pathname_prefix + DATA_VERSION_PATH, "data_version", data_version
    )
    app.clientside_callback(
        ClientsideFunction("explore", "poll"),  # assets/explore.js
        Output(ids.DATA_VERSION, "data"),
        Input(ids.POLL, "n_intervals"),
        State(ids.DATA_VERSION, "data"),
        prevent_initial_call=True,
    )


def _standings_callbacks(app: Dash, route: RouteData, store: RankingStore) -> None:
    prefix = app.config.requests_pathname_prefix

    @app.callback(
        Output(ids.STANDINGS_ROWS, "data"),
        Output(ids.CREW_CARD, "children"),
        Output(ids.CREW_CLEAR, "style"),
        Output(ids.CHECKPOINT_HEADING, "children"),
        Output(ids.DATA_NOTES, "children"),
        Output(ids.ROUTE_MAP, "figure", allow_duplicate=True),
        Output(ids.MAP_MARKER, "data"),
        Output(ids.BUMP_CHART, "figure"),
        Output(ids.GAP_CHART, "figure"),
        Input(ids.VIEW, "data"),
        State(ids.MAP_MARKER, "data"),
        State(ids.STANDINGS_ROWS, "data"),
        prevent_initial_call=True,
    )
    def show_standings(view_data, shown_marker, shown_rows):
        """The standings section of a view. The table's rows are named by address, and only
        when the ranking, version or language changed (the browser fetches them, and marks
        the selected crew). The map is only touched when its marker changes: redrawing a
        map costs far more than the rest."""
        view = View.from_dict(view_data)
        out = standings_outputs(view, route, store.snapshot(view.version), prefix)
        key = marker_key(out["marker"])
        if key == shown_marker:
            patch = key = no_update
        else:
            patch = Patch()
            patch["data"][CHECKPOINT_TRACE_INDEX] = out["marker"]
        return (
            out["rows_store"] if out["rows_store"] != shown_rows else no_update,
            out["crew_card"],
            out["clear_style"],
            out["heading"],
            out["notes"],
            patch,
            key,
            out["bump"],
            out["gap"],
        )


class _NoSuchRanking(LookupError):
    """A rows address naming no ranking this data has (raised, so lru_cache keeps nothing)."""


def _rows_endpoint(app: Dash, store: RankingStore) -> None:
    """GET ROWS_PATH/<version>/<lang>/<checkpoint>.json: one ranking's grid rows at one data
    version. The address names everything the answer depends on, so it is immutable: the
    browser, nginx or any CDN keep it, and a new version is a new address."""

    @lru_cache(maxsize=256)
    def packed(version: str, lang: str, checkpoint: str, encoding: str) -> bytes:
        """The rows as sent, encoded once per worker (a ranking is asked for by every fan)."""
        snapshot = store.snapshot(version)
        rows = ranking_grid_rows(snapshot, checkpoint, lang)
        if snapshot.version != version or rows is None:
            raise _NoSuchRanking
        body = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
        if encoding == "br":
            return brotli.compress(body, quality=ROWS_BROTLI_QUALITY)
        if encoding == "gzip":
            return gzip.compress(body, compresslevel=6, mtime=0)
        return body

    def ranking_rows(version: str, lang: str, checkpoint: str) -> Response:
        encoding = chosen_encoding()
        try:
            if lang not in LANGUAGES:
                raise _NoSuchRanking
            body = packed(version, lang, checkpoint, encoding)
        except _NoSuchRanking:
            message = (
                f"No ranking '{checkpoint}' in language '{lang}' at data version '{version}': "
                f"the version is not kept any more or never was, or the ranking or language "
                f"is unknown. The page asks for the current version's address."
            )
            return Response(
                json.dumps({"error": message}),
                status=404,
                mimetype="application/json",
                headers={"Cache-Control": "no-store"},
            )
        tag = hashlib.blake2b(
            f"{version}/{lang}/{checkpoint}/{encoding}".encode(), digest_size=8
        ).hexdigest()
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding", "ETag": f'"{tag}"'}
        if request.if_none_match.contains(tag):
            return Response(status=304, headers=headers)
        if encoding != "identity":
            headers["Content-Encoding"] = encoding  # Flask-Compress leaves it as it is
        return Response(body, mimetype="application/json", headers=headers)

    rule = app.config.routes_pathname_prefix + ROWS_PATH + "/<version>/<lang>/<checkpoint>.json"
    app.server.add_url_rule(rule, "ranking_rows", ranking_rows)


def drawn_standings(view: View, snapshot: Snapshot) -> tuple:
    """The grid (with its ranking's rows, the crew to mark in its context) and both charts,
    as the page draws them after the map; later rankings' rows come by their address."""
    shown = standings_view(snapshot, view)
    bump, gap = standings_charts(shown.chart, view.lang, view.stage)
    checkpoint = shown.checkpoint.checkpoint_id if shown.checkpoint else None
    rows = ranking_grid_rows(snapshot, checkpoint, view.lang) if checkpoint else None
    return (
        standings_grid(rows or [], view.lang, view.crew),
        standings_chart(ids.BUMP_CHART, bump, view.lang),
        standings_chart(ids.GAP_CHART, gap, view.lang),
    )


def _later_callbacks(app: Dash, store: RankingStore) -> None:
    """The table and the charts, once the page wants them (assets/standings_later.js)."""

    @app.callback(
        Output(ids.GRID_BOX, "children"),
        Output(ids.BUMP_BOX, "children"),
        Output(ids.GAP_BOX, "children"),
        Output(ids.STANDINGS_DRAWN, "data"),
        Input(ids.STANDINGS_WANTED, "data"),
        State(ids.VIEW, "data"),
        State(ids.STANDINGS_DRAWN, "data"),
        prevent_initial_call=True,
    )
    def draw_standings(wanted, view_data, drawn):
        if not wanted or drawn:
            raise PreventUpdate  # not yet, or show_standings keeps them up to date
        view = View.from_dict(view_data)
        return (*drawn_standings(view, store.snapshot(view.version)), True)

    # a view changed before they were drawn: asked again for that view (assets/explore.js);
    # once drawn, show_standings keeps them up to date and no request is sent
    app.clientside_callback(
        ClientsideFunction("explore", "standingsAgain"),
        Output(ids.STANDINGS_WANTED, "data"),
        Input(ids.VIEW, "data"),
        State(ids.STANDINGS_WANTED, "data"),
        State(ids.STANDINGS_DRAWN, "data"),
        prevent_initial_call=True,
    )


def _stage_callbacks(app: Dash, data: AppData, labelled: bool) -> None:
    route, gazetteer = data.route, data.gazetteer

    @app.callback(
        Output(ids.ROUTE_MAP, "figure", allow_duplicate=True),
        Output(ids.STAGE_CARD, "children"),
        Output(ids.STAGE_PICKER, "children"),
        Output(ids.ALTITUDE_PROFILE, "figure"),
        Input(ids.STAGE_VIEW, "data"),
        Input(ids.MAP_RESET, "n_clicks"),
        State(ids.TOWN_VIEW, "data"),
        prevent_initial_call=True,
    )
    def show_stage(stage_view, resets, town_view_data):
        """A stage chosen (picker, map or address) or the view reset: routes, view, card. With
        a town looked up, a new stage opens on the town (as show_town draws it); the reset
        button shows the whole route."""
        choice, lang = stage_view["stage"], stage_view["lang"]
        traces, map_view = data.route_traces[choice, lang]
        patch = Patch()
        for index, trace in enumerate(traces):
            patch["data"][index] = trace
        town = (town_view_data or {}).get("town")
        uirevision = map_uirevision(choice, resets)
        if town and ids.MAP_RESET + ".n_clicks" not in ctx.triggered_prop_ids:
            view = View(stage=choice, lang=lang, town=town)
            town_fit = town_outputs(view, route, gazetteer, labelled)[2]
            if town_fit:
                map_view, uirevision = town_fit, map_uirevision(choice, resets, town)
        _patch_view(patch, map_view, uirevision)
        profiles = stage_profiles(data.profiles, choice)
        card = stage_card(route_summary(route, choice), lang, profiles)
        return patch, card, stage_picker_links(choice, lang), profile_figure(profiles, lang)


def _download_callbacks(app: Dash, route: RouteData, basemap: Basemap, store: RankingStore) -> None:
    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def download_ranking(_clicks, view_data):
        """The shown ranking as CSV, safe against spreadsheet formulas."""
        view = View.from_dict(view_data)
        standings = store.snapshot(view.version).standings
        if not view.checkpoint or view.checkpoint not in standings.checkpoints.index:
            raise PreventUpdate
        checkpoint = standings.checkpoints.loc[view.checkpoint].to_dict()
        text = ranking_csv(standings.at(view.checkpoint), checkpoint)
        return dcc.send_string(text, f"{view.checkpoint}-standings.csv", type="text/csv")

    @app.callback(
        Output(ids.MAP_DOWNLOAD, "data"),
        Input(ids.MAP_DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.STAGE_VIEW, "data"),
        prevent_initial_call=True,
    )
    def download_map(_clicks, stage_view):
        """The chosen route as a standalone HTML map (folium, Leaflet inlined, offline)."""
        # imported here: folium is slow to import, and only this download needs it
        from dashboard.exports import export_filename, route_map_html

        choice, lang = stage_view["stage"], stage_view["lang"]
        html_text = route_map_html(route, basemap, choice, lang=lang)
        return dcc.send_string(html_text, export_filename(choice), type="text/html")


def _town_callbacks(
    app: Dash, route: RouteData, gazetteer: Gazetteer | LazyGazetteer, labelled: bool
) -> None:
    @app.callback(
        Output(ids.TOWN_ANSWER, "children"),
        Output(ids.ROUTE_MAP, "figure", allow_duplicate=True),
        Input(ids.TOWN_VIEW, "data"),
        State(ids.MAP_RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    def show_town(town_view_data, resets):
        """When the cars pass the fan's town: in words, and on the map, zoomed to the town and
        the nearest point of the shown route."""
        view = View(
            stage=town_view_data["stage"], lang=town_view_data["lang"], town=town_view_data["town"]
        )
        children, trace, town_fit = town_outputs(view, route, gazetteer, labelled)
        patch = Patch()
        patch["data"][TOWN_TRACE_INDEX] = trace
        if town_fit:
            _patch_view(patch, town_fit, map_uirevision(view.stage, resets, view.town))
        return children, patch

    @app.callback(
        Output(ids.TOWN_SUGGESTIONS, "children"),
        Input(ids.TOWN_INPUT, "value"),
        prevent_initial_call=True,
    )
    def suggest_towns(text):
        """Suggestions as the fan types (a few milliseconds over ~7,900 comuni)."""
        if not text or len(text.strip()) < 2:
            return []
        return [html.Option(value=town.label) for town in gazetteer.search(text, limit=8)]


def _browser_callbacks(app: Dash) -> None:
    """The callbacks that run in the browser (assets/explore.js)."""
    app.clientside_callback(
        ClientsideFunction("explore", "mirrorAddress"),  # assets/explore.js
        Output(ids.VIEW, "id"),
        Input(ids.VIEW, "data"),
    )
    # the altitude profile and the map mark each other's hovered point (assets/explore.js)
    app.clientside_callback(
        ClientsideFunction("explore", "markOnMap"),
        Output(ids.ALTITUDE_PROFILE, "id"),
        Input(ids.ALTITUDE_PROFILE, "hoverData"),
        State(ids.PROFILE_MARK_INDEX, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("explore", "markOnProfile"),
        Output(ids.ROUTE_MAP, "id"),
        Input(ids.ROUTE_MAP, "hoverData"),
        prevent_initial_call=True,
    )
    # a click in the table or a chart, passed on only when it is one: the table and charts,
    # drawn after the map, fire their clicks empty as they appear, and such a request of
    # change_view's would take the place of one in flight (a step back pressed meanwhile)
    app.clientside_callback(
        ClientsideFunction("explore", "pickCrew"),
        Output(ids.CREW_PICK, "data"),
        Input(ids.STANDINGS_GRID, "cellClicked"),
        Input(ids.BUMP_CHART, "clickData"),
        Input(ids.GAP_CHART, "clickData"),
        prevent_initial_call=True,
    )
    # the table's rows, fetched from their address when it changes (assets/explore.js)
    app.clientside_callback(
        ClientsideFunction("explore", "showRows"),
        Output(ids.STANDINGS_GRID, "rowData"),
        Output(ids.STANDINGS_ROWS_STATUS, "children"),
        Input(ids.STANDINGS_ROWS, "data"),
        prevent_initial_call=True,
    )
    # the selected crew's row marked in the browser: no rows sent again
    app.clientside_callback(
        ClientsideFunction("explore", "markCrew"),
        Output(ids.STANDINGS_GRID, "id"),
        Input(ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("explore", "quickFilter"),  # assets/explore.js
        Output(ids.STANDINGS_GRID, "dashGridOptions"),
        Input(ids.CREW_SEARCH, "value"),
        Input(ids.STANDINGS_DRAWN, "data"),  # what was typed before the table was drawn
        prevent_initial_call=True,
    )
