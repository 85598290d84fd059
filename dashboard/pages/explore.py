"""The fans' page: the route map, stage picker and card, and the linked standings views.

State lives in the browser: the `view` store (stage, checkpoint, crew, language, playing,
data version), mirrored into the page address so a shared link reopens the same view.
Callbacks are thin: they unpack inputs and call view_state, race, figures and components.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from functools import lru_cache

import dash
from dash import (
    Dash,
    Input,
    Output,
    Patch,
    State,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate
from flask import Response

from dashboard import app_data, ids
from dashboard.components.graph_config import ROUTE_MAP_CONFIG
from dashboard.components.shell import shell
from dashboard.components.stage_card import stage_card
from dashboard.components.stage_picker import stage_picker, stage_picker_links
from dashboard.components.standings import (
    checkpoint_heading,
    crew_card,
    data_notes,
    grid_rows,
    standings_grid,
)
from dashboard.components.town_answer import town_answer_view
from dashboard.data.basemap import Basemap
from dashboard.data.export import ranking_csv
from dashboard.data.route import HISTORIC_ROUTE_IDS, STAGE_ROUTE_IDS, RouteData, route_summary
from dashboard.data.store import RankingStore, Snapshot
from dashboard.figures.route_map import (
    CHECKPOINT_TRACE_INDEX,
    TOWN_TRACE_INDEX,
    checkpoint_marker,
    route_map,
    route_traces,
    town_trace,
)
from dashboard.figures.standings import standings_charts
from dashboard.gazetteer import Gazetteer, LazyGazetteer
from dashboard.i18n import texts
from dashboard.map_pictures import MapPictures
from dashboard.passage_times import town_answer
from dashboard.view_state import (
    View,
    after_data_change,
    checkpoints_in_view,
    crews_in_charts,
    find_crew,
    resolve,
    step,
    view_from_search,
)

POLL_INTERVAL_MS = 1000
DATA_VERSION_PATH = "_miglia/data-version"  # the poll's endpoint (plain text, not a callback)
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


def table_outputs(view: View, route: RouteData, snapshot: Snapshot) -> dict:
    """The ranking table, crew card, heading, notes and map marker of a view."""
    labels, lang = texts(view.lang), view.lang
    standings = snapshot.standings
    checkpoint = view.checkpoint
    ranking = standings.at(checkpoint) if checkpoint else standings.table.iloc[0:0]
    checkpoint_row = standings.checkpoints.loc[checkpoint].to_dict() if checkpoint else None
    return {
        "rows": grid_rows(ranking, view.crew),
        "crew_card": crew_card(standings, view.crew, checkpoint, labels, lang),
        "clear_style": {} if view.crew else {"display": "none"},
        "heading": checkpoint_heading(standings, checkpoint, labels, lang),
        "notes": data_notes(snapshot, checkpoint, labels, lang),
        "marker": checkpoint_marker(route, checkpoint_row, ranking, view.crew, labels, lang),
    }


def chart_outputs(view: View, snapshot: Snapshot) -> dict:
    """The bump chart and the gap chart of a view."""
    standings = snapshot.standings
    bump, gap = standings_charts(
        standings,
        checkpoints_in_view(view, standings),
        crews_in_charts(view, standings),
        view.crew,
        view.checkpoint,
        texts(view.lang),
        view.lang,
        f"{view.stage}",
    )
    return {"bump": bump, "gap": gap}


def standings_outputs(view: View, route: RouteData, snapshot: Snapshot) -> dict:
    """Everything the standings section shows for a view (the page layout needs it all; the
    callbacks answer the table and the charts separately, in parallel)."""
    return {**table_outputs(view, route, snapshot), **chart_outputs(view, snapshot)}


def marker_key(marker: dict) -> str:
    """A short digest of the checkpoint marker trace (to tell whether the map must change)."""
    text = json.dumps(marker, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def town_outputs(
    view: View, route: RouteData, gazetteer: Gazetteer | LazyGazetteer
) -> tuple[list, dict]:
    """The answer in words and the map trace for the town in the view (if any)."""
    labels, lang = texts(view.lang), view.lang
    if not view.town:
        return [], town_trace(None, view.stage, labels, lang)
    town = gazetteer.find(view.town)
    if town is None:
        closest = [t.label for t in gazetteer.search(view.town, limit=5)]
        message = [html.P(labels["town.not_found"].format(text=view.town), className="reason")]
        if closest:
            message.append(html.P(labels["town.closest"].format(names=", ".join(closest))))
        return message, town_trace(None, view.stage, labels, lang)
    answer = town_answer(route, town)
    return town_answer_view(answer, labels, lang), town_trace(answer, view.stage, labels, lang)


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


# ---- layout


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
    body = content(view, data.route, data.basemap, data.store, data.gazetteer, data.pictures)
    return shell(body, view, pathname, texts(view.lang)["app.title"])


def content(
    view: View,
    route: RouteData,
    basemap: Basemap,
    store: RankingStore,
    gazetteer: Gazetteer | LazyGazetteer,
    pictures: MapPictures,
) -> html.Div:
    snapshot = store.snapshot()
    view = resolve(replace(view, version=snapshot.version), snapshot.standings)
    labels, lang = texts(view.lang), view.lang
    out = standings_outputs(view, route, snapshot)
    scrub = scrubber_props(view, snapshot, labels)
    town_children, town_map_trace = town_outputs(view, route, gazetteer)
    figure = route_map(route, basemap, view.stage, labels, lang, out["marker"])
    figure["data"][TOWN_TRACE_INDEX] = town_map_trace
    return html.Div(
        className="explore",
        children=[
            dcc.Store(id=ids.VIEW, data=view.to_dict()),
            dcc.Store(id=ids.STAGE_VIEW, data={"stage": view.stage, "lang": lang}),
            dcc.Store(id=ids.DATA_VERSION, data=snapshot.version),
            dcc.Store(id=ids.TOWN_VIEW, data=_town_view(view)),
            dcc.Store(id=ids.MAP_MARKER, data=marker_key(out["marker"])),
            dcc.Interval(id=ids.POLL, interval=POLL_INTERVAL_MS),
            dcc.Interval(id=ids.PLAY_TIMER, interval=PLAY_INTERVAL_MS, disabled=True),
            html.Aside(
                className="side",
                children=[
                    stage_picker(view.stage, lang, labels),
                    town_section(view, labels, town_children),
                    html.Section(
                        stage_card(route_summary(route, view.stage), labels, lang),
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
                            # (assets/map_picture.js); the map itself says it all to a
                            # screen reader, so the picture is hidden from it
                            html.Img(
                                src=pictures.url(view.stage),
                                alt="",
                                className="map-picture",
                                **{"aria-hidden": "true"},
                            ),
                            dcc.Loading(
                                dcc.Graph(
                                    id=ids.ROUTE_MAP,
                                    figure=figure,
                                    config=GRAPH_CONFIG,
                                    className="route-map",
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
                ],
            ),
            html.Section(
                className="standings",
                id="standings",
                **{"aria-labelledby": "standings-heading"},
                children=[
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
                                    html.Div(
                                        standings_grid(out["rows"], labels, lang),
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
                                    dcc.Graph(
                                        id=ids.BUMP_CHART,
                                        figure=out["bump"],
                                        config=CHART_CONFIG,
                                        className="chart",
                                    ),
                                ]
                            ),
                            html.Figure(
                                [
                                    html.Figcaption(labels["chart.gap_title"]),
                                    dcc.Graph(
                                        id=ids.GAP_CHART,
                                        figure=out["gap"],
                                        config=CHART_CONFIG,
                                        className="chart",
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


def register_callbacks(
    app: Dash,
    route: RouteData,
    basemap: Basemap,
    store: RankingStore,
    gazetteer: Gazetteer | LazyGazetteer,
) -> None:
    @lru_cache(maxsize=64)
    def stage_traces(choice: str, lang: str):
        """The route lines and places of a stage choice: fixed data, built once per process
        (callers only read them)."""
        return route_traces(route, choice, texts(lang), lang)

    @app.callback(
        Output(ids.VIEW, "data"),
        Output(ids.STAGE_VIEW, "data"),
        Output(ids.SCRUBBER, "max"),
        Output(ids.SCRUBBER, "marks"),
        Output(ids.SCRUBBER, "value"),
        Output(ids.PLAY_TIMER, "disabled"),
        Output(ids.PLAY_BUTTON, "children"),
        Output(ids.CREW_SEARCH_MESSAGE, "children"),
        Output(ids.TOWN_VIEW, "data"),
        Input(ids.URL, "search"),
        Input(ids.DATA_VERSION, "data"),
        Input(ids.STANDINGS_GRID, "cellClicked"),
        Input(ids.BUMP_CHART, "clickData"),
        Input(ids.GAP_CHART, "clickData"),
        Input(ids.ROUTE_MAP, "clickData"),
        Input(ids.SCRUBBER, "value"),
        Input(ids.PLAY_BUTTON, "n_clicks"),
        Input(ids.PREVIOUS_BUTTON, "n_clicks"),
        Input(ids.NEXT_BUTTON, "n_clicks"),
        Input(ids.PLAY_TIMER, "n_intervals"),
        Input(ids.CREW_SEARCH, "n_submit"),
        Input(ids.CREW_CLEAR, "n_clicks"),
        Input(ids.TOWN_FIND, "n_clicks"),
        Input(ids.TOWN_INPUT, "n_submit"),
        State(ids.VIEW, "data"),
        State(ids.STAGE_VIEW, "data"),
        State(ids.CREW_SEARCH, "value"),
        State(ids.TOWN_INPUT, "value"),
        State(ids.TOWN_VIEW, "data"),
        prevent_initial_call=True,
    )
    def change_view(
        search,
        _version,
        cell,
        bump_click,
        gap_click,
        map_click,
        scrub,
        _play,
        _prev,
        _next,
        _tick,
        _submit,
        _clear,
        _find_town,
        _submit_town,
        view_data,
        stage_data,
        search_text,
        town_text,
        town_data,
    ):
        """Every user action and every data change: the new view (see view_state)."""
        # several inputs may have changed since the last call: a user action wins, and the
        # page address and the data version are compared, not only their events
        triggered = list(ctx.triggered_prop_ids.values())
        actions = [t for t in triggered if t not in (ids.DATA_VERSION, ids.PLAY_TIMER, ids.URL)]
        trigger = (
            actions[0] if actions else (ids.PLAY_TIMER if ids.PLAY_TIMER in triggered else None)
        )
        view = View.from_dict(view_data)
        labels = texts(view.lang)
        message = no_update
        snapshot = store.snapshot()
        standings = snapshot.standings
        if snapshot.version != view.version:
            view = after_data_change(view, standings, snapshot.version)
        if (search or "") != view.nav:  # navigated (a stage link, Back, Forward)
            linked = view_from_search(search)
            view = View(
                stage=linked.stage,
                checkpoint=linked.checkpoint,
                crew=linked.crew or view.crew,
                town=linked.town or view.town,
                lang=view.lang,
                version=view.version,
                nav=search or "",
            )
        if trigger == ids.STANDINGS_GRID and cell:
            view = replace(view, crew=cell.get("rowId"))
        elif trigger in (ids.BUMP_CHART, ids.GAP_CHART):
            crew = _crew_of_chart_click(bump_click if trigger == ids.BUMP_CHART else gap_click)
            view = replace(view, crew=crew or view.crew)
        elif trigger == ids.ROUTE_MAP:
            choice = _map_click_choice(map_click)
            if choice is None or choice == view.stage:
                raise PreventUpdate
            view = replace(view, stage=choice, checkpoint=None)
        elif trigger == ids.SCRUBBER:
            in_view = checkpoints_in_view(view, standings)
            if scrub is not None and 0 <= scrub < len(in_view):
                view = replace(view, checkpoint=in_view[scrub], playing=False)
        elif trigger == ids.PLAY_BUTTON:
            in_view = checkpoints_in_view(view, standings)
            if view.playing:
                view = replace(view, playing=False)
            elif in_view:
                start = in_view[0] if view.checkpoint == in_view[-1] else view.checkpoint
                view = replace(view, playing=True, checkpoint=start)
        elif trigger in (ids.PREVIOUS_BUTTON, ids.NEXT_BUTTON):
            view = step(
                replace(view, playing=False),
                standings,
                -1 if trigger == ids.PREVIOUS_BUTTON else 1,
            )
        elif trigger == ids.PLAY_TIMER:
            if not view.playing:
                raise PreventUpdate
            view = step(view, standings, 1)
        elif trigger == ids.CREW_SEARCH:
            crew = find_crew(standings, search_text)
            if crew is None:
                message = labels["search.not_found"].format(text=(search_text or "")[:60])
            else:
                view = replace(view, crew=crew)
                message = labels["search.help"]
        elif trigger == ids.CREW_CLEAR:
            view = replace(view, crew=None)
        elif trigger in (ids.TOWN_FIND, ids.TOWN_INPUT):
            view = replace(view, town=(town_text or "").strip()[:80] or None)
        view = resolve(replace(view, version=snapshot.version), standings)
        scrub_props = scrubber_props(view, snapshot, labels)
        stage_view = {"stage": view.stage, "lang": view.lang}
        new_view = view.to_dict()
        return (
            new_view if new_view != view_data else no_update,  # unchanged: nothing re-renders
            stage_view if stage_view != stage_data else no_update,
            scrub_props["max"],
            scrub_props["marks"],
            scrub_props["value"],
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

    # the poll runs in the browser: a small GET, and a callback only when the version changed
    clientside_callback(
        """async function(tick, shown) {
            try {
                const response = await fetch(VERSION_URL, {cache: 'no-store'});
                const version = response.ok ? (await response.text()).trim() : '';
                return version && version !== shown ? version : window.dash_clientside.no_update;
            } catch (error) {
                return window.dash_clientside.no_update;  // server away: try again next tick
            }
        }""".replace(
            "VERSION_URL", json.dumps(app.config.requests_pathname_prefix + DATA_VERSION_PATH)
        ),
        Output(ids.DATA_VERSION, "data"),
        Input(ids.POLL, "n_intervals"),
        State(ids.DATA_VERSION, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.STANDINGS_GRID, "rowData"),
        Output(ids.CREW_CARD, "children"),
        Output(ids.CREW_CLEAR, "style"),
        Output(ids.CHECKPOINT_HEADING, "children"),
        Output(ids.DATA_NOTES, "children"),
        Output(ids.ROUTE_MAP, "figure", allow_duplicate=True),
        Output(ids.MAP_MARKER, "data"),
        Input(ids.VIEW, "data"),
        State(ids.MAP_MARKER, "data"),
        prevent_initial_call=True,
    )
    def show_table(view_data, shown_marker):
        """The table, crew card, heading, notes and map marker of a view. The map is only
        touched when its marker changes: redrawing a map costs far more than the rest (over
        a second with software rendering)."""
        view = View.from_dict(view_data)
        out = table_outputs(view, route, store.snapshot(view.version))
        key = marker_key(out["marker"])
        if key == shown_marker:
            patch = key = no_update
        else:
            patch = Patch()
            patch["data"][CHECKPOINT_TRACE_INDEX] = out["marker"]
        return (
            out["rows"],
            out["crew_card"],
            out["clear_style"],
            out["heading"],
            out["notes"],
            patch,
            key,
        )

    @app.callback(
        Output(ids.BUMP_CHART, "figure"),
        Output(ids.GAP_CHART, "figure"),
        Input(ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def show_charts(view_data):
        """The bump and gap charts of a view (their own request: it runs beside the table's)."""
        view = View.from_dict(view_data)
        out = chart_outputs(view, store.snapshot(view.version))
        return out["bump"], out["gap"]

    @app.callback(
        Output(ids.ROUTE_MAP, "figure", allow_duplicate=True),
        Output(ids.STAGE_CARD, "children"),
        Output(ids.STAGE_PICKER, "children"),
        Input(ids.STAGE_VIEW, "data"),
        Input(ids.MAP_RESET, "n_clicks"),
        prevent_initial_call=True,
    )
    def show_stage(stage_view, resets):
        """A stage chosen (picker, map or address) or the view reset: routes, view, card."""
        choice, lang = stage_view["stage"], stage_view["lang"]
        labels = texts(lang)
        traces, map_view = stage_traces(choice, lang)
        patch = Patch()
        for index, trace in enumerate(traces):
            patch["data"][index] = trace
        patch["layout"]["map"]["center"] = map_view["center"]
        patch["layout"]["map"]["zoom"] = map_view["zoom"]
        patch["layout"]["uirevision"] = f"{choice}-{resets or 0}"
        card = stage_card(route_summary(route, choice), labels, lang)
        return patch, card, stage_picker_links(choice, lang, labels)

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
        # imported here: folium takes ~0.3 s to import, and only this download needs it
        from dashboard.exports import export_filename, route_map_html

        choice, lang = stage_view["stage"], stage_view["lang"]
        html_text = route_map_html(route, basemap, choice, lang=lang)
        return dcc.send_string(html_text, export_filename(choice), type="text/html")

    @app.callback(
        Output(ids.TOWN_ANSWER, "children"),
        Output(ids.ROUTE_MAP, "figure", allow_duplicate=True),
        Input(ids.TOWN_VIEW, "data"),
        prevent_initial_call=True,
    )
    def show_town(town_view):
        """When the cars pass the fan's town: in words, and on the map."""
        view = View(stage=town_view["stage"], lang=town_view["lang"], town=town_view["town"])
        children, trace = town_outputs(view, route, gazetteer)
        patch = Patch()
        patch["data"][TOWN_TRACE_INDEX] = trace
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

    # the address mirrors the view (replaceState: no reload, no extra history entry)
    clientside_callback(
        """function(view) {
            if (!view) { return window.dash_clientside.no_update; }
            var params = new URLSearchParams();
            if (view.stage && view.stage !== 'all') { params.set('stage', view.stage); }
            if (view.checkpoint && view.checkpoint !== view.latest) { params.set('checkpoint', view.checkpoint); }
            if (view.crew) { params.set('crew', view.crew); }
            if (view.town) { params.set('town', view.town); }
            if (view.lang && view.lang !== 'en') { params.set('lang', view.lang); }
            var search = params.toString() ? '?' + params.toString() : '';
            if (window.location.search !== search) {
                window.history.replaceState(window.history.state, '', window.location.pathname + search);
            }
            return window.dash_clientside.no_update;
        }""",
        Output(ids.VIEW, "id"),
        Input(ids.VIEW, "data"),
    )

    # typing in the search box filters the table at once, in the browser
    clientside_callback(
        """function(text, options) {
            return Object.assign({}, options, {quickFilterText: text || ''});
        }""",
        Output(ids.STANDINGS_GRID, "dashGridOptions"),
        Input(ids.CREW_SEARCH, "value"),
        State(ids.STANDINGS_GRID, "dashGridOptions"),
        prevent_initial_call=True,
    )
