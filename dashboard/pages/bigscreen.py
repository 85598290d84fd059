"""The commentators' big screen (/bigscreen): runs on its own, readable across a studio.

Options in the address: ?panels=map,top10,bump,stage&period=15&stage=all&lang=it
Panels rotate in the browser (one dcc.Interval, a clientside callback: no server round
trip, no stacked timers); new data is checked every few seconds with the same cheap folder
version as the fans' page, and only a changed version re-renders the panels. A refused file
never reaches the screen: the store keeps the last good version.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime

import dash
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from dash import ClientsideFunction, Dash, Input, Output, State, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import app_data, ids
from dashboard.components.shell import page_title
from dashboard.components.stage_card import stage_card
from dashboard.components.standings import change_text
from dashboard.data.basemap import Basemap
from dashboard.data.profile import Profile
from dashboard.data.route import STAGE_CHOICES, RouteData, route_summary
from dashboard.data.store import RankingStore, Snapshot
from dashboard.figures.bigscreen import (
    basemap_traces,
    bigscreen_chart,
    bigscreen_map,
    bigscreen_profile,
)
from dashboard.figures.profile import profile_figure
from dashboard.figures.route_map import checkpoint_place
from dashboard.figures.standings import bump_chart
from dashboard.i18n import format_date, format_number, language, refusal, texts
from dashboard.race import RankingCues, StandingsView, crew_tag, ranking_cues, standings_view
from dashboard.view_state import BIGSCREEN_PANELS, View, parse_address, resolve

PATH = "/bigscreen"
POLL_INTERVAL_MS = 2000
GRAPH_CONFIG = {"staticPlot": True, "displayModeBar": False, "responsive": True}


def options(params: str | Mapping | None) -> dict:
    """The screen's options from its address (a query string or Dash Pages' parameters)."""
    address = parse_address(params)
    return {
        "panels": list(address.panels),
        "period": address.period,
        "stage": address.stage,
        "lang": address.lang,
    }


def _updated_at(snapshot: Snapshot, lang: str) -> str:
    """The time the newest accepted file arrived, the server's local time, per language."""
    times = [f.modified for f in snapshot.files if f.status == "accepted"]
    if not times:
        return "–"
    return babel_format_time(
        datetime.fromtimestamp(max(times), UTC), "HH:mm:ss", locale=language(lang)
    )


def ranking_time(value: str | None, lang: str) -> str:
    """A ranking's `# time:` (a date, or a date and a time of day) in the screen's language."""
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value  # as the file says it: still better than nothing on screen
    if len(value) <= 10:  # a day only
        return format_date(when.date(), lang, weekday=False)
    # a time without a zone is the race's own clock: shown as written
    zone = when.tzinfo or UTC
    return babel_format_datetime(when, "d MMMM y, HH:mm", tzinfo=zone, locale=language(lang))


LEADER_STRIP_POSITIONS = 3  # where a ranking has no points, the strip lists this many positions


def leader_strip(shown: StandingsView, lang: str) -> list:
    """Always on screen, whatever panel shows: the latest ranking's name and time, its leader
    (car number, crew, car) and the gap to second; a ranking without points gives its first
    positions instead, and says so."""
    labels = texts(lang)
    checkpoint = shown.checkpoint
    if checkpoint is None:
        return [html.Span(labels["bs.no_data"], className="bs-when")]
    return _spaced(_strip_parts(shown, labels, lang))


def _spaced(parts: list) -> list:
    """Pieces with a space between them: read as words, not run together."""
    return [piece for part in parts for piece in (part, " ")][:-1]


def _strip_parts(shown: StandingsView, labels, lang: str) -> list:
    checkpoint = shown.checkpoint
    parts = [html.Span(ranking_time(checkpoint.time, lang), className="bs-when")]
    if not shown.has_points:
        parts.append(html.Span(labels["bs.no_points"], className="bs-note"))
        parts.append(
            html.Span(
                [
                    html.Span(
                        [
                            html.B(str(r["position"])),
                            " ",
                            crew_tag(r["car_number"], r["crew"]),
                            " ",
                        ],
                        className="bs-position",
                    )
                    for r in shown.rows[:LEADER_STRIP_POSITIONS]
                ],
                className="bs-positions",
            )
        )
        return parts
    leader = shown.leader
    if leader is None:
        return parts
    parts += [
        html.Span(labels["bs.leader"], className="bs-label"),
        html.Strong(crew_tag(leader["car_number"], leader["crew"]), className="bs-leader-crew"),
        html.Span(leader["car"], className="bs-leader-car"),
    ]
    second = next((r for r in shown.rows if r["position"] == 2), None)
    if second is not None and second["gap"] is not None:
        key = "bs.gap_second_one" if second["gap"] == 1 else "bs.gap_second"
        gap = format_number(second["gap"], lang)
        parts.append(html.Span(labels[key].format(gap=gap), className="bs-gap"))
    return parts


def _refusals(snapshot: Snapshot, lang: str) -> list:
    """A quiet line for whoever stands by: a refused file, and whether its last good version
    is on screen."""
    labels = texts(lang)
    lines = []
    for f in snapshot.refused:
        message = refusal(f.error, lang, with_file=False)  # the line names the file already
        key = "bs.refused_last_good" if f.using_last_good else "bs.refused_left_out"
        lines.append(
            html.Span(labels[key].format(file=f.name, message=message), className="bs-refused")
        )
    return lines


def _tags(rows, mark=None) -> str:
    return ", ".join(crew_tag(r["car_number"], r["crew"]) + (mark(r) if mark else "") for r in rows)


def cue(cues: RankingCues | None, labels) -> list:
    """What changed with this ranking, in words a commentator reads out: a new leader, who
    gained and who lost most, who entered and who left the top 10."""
    if cues is None:
        return []
    parts = [html.Span(labels["bs.new_ranking"].format(label=cues.checkpoint.label))]
    if cues.new_leader:
        leader = cues.new_leader
        tag = crew_tag(leader["car_number"], leader["crew"])
        parts.append(html.Strong(labels["bs.new_leader"].format(crew=tag)))
    if cues.gainers:
        text = _tags(cues.gainers, lambda r: f" ▲{r['change']}")
        parts.append(html.Span(labels["bs.movers"].format(movers=text)))
    if cues.losers:
        text = _tags(cues.losers, lambda r: f" ▼{-r['change']}")
        parts.append(html.Span(labels["bs.losers"].format(movers=text)))
    if cues.entered_top:
        parts.append(html.Span(labels["bs.entered_top"].format(crews=_tags(cues.entered_top))))
    if cues.left_top:
        parts.append(html.Span(labels["bs.left_top"].format(crews=_tags(cues.left_top))))
    return _spaced(parts)


_TOP10_COLUMNS = (
    "table.position",
    "table.change",
    "table.number",
    "table.crew",
    "table.car",
    "table.points",
    "table.gap",
)


def top10(shown: StandingsView, lang) -> list:
    """The first ten and the places each gained or lost since the previous ranking; a ranking
    without points gives positions only, and says so."""
    labels = texts(lang)
    if shown.checkpoint is None:
        return [html.P(labels["bs.no_data"])]
    columns = _TOP10_COLUMNS if shown.has_points else _TOP10_COLUMNS[:-2]
    head = html.Thead(html.Tr([html.Th(labels[k], scope="col") for k in columns]))
    rows = []
    for r in shown.rows[:10]:
        change = r["change"]
        mover = "" if not change else ("up" if change > 0 else "down")
        cells = [
            html.Td(str(r["position"])),
            html.Td(change_text(change), className=f"change {mover}"),
            html.Td("" if r["car_number"] is None else f"#{r['car_number']}"),
            html.Td(r["crew"]),
            html.Td(r["car"]),
        ]
        if shown.has_points:
            cells += [
                html.Td(format_number(r["points"], lang), className="num"),
                html.Td(format_number(r["gap"], lang), className="num"),
            ]
        rows.append(html.Tr(className=f"mover-{mover}" if mover else "", children=cells))
    # a short ranking (a final classification may list a few crews) in larger type
    few = " few" if len(rows) < 9 else ""
    table = html.Table([head, html.Tbody(rows)], className="bs-table" + few)
    if shown.has_points:
        return [table]
    return [html.P(labels["bs.no_points"], className="bs-note"), table]


FIGURE_PANELS = ("map", "bump", "profile")  # drawn by the browser from one store, scaled
HTML_PANELS = ("top10", "stage")
EMPTY = {"map": {}, "bump": {}, "profile": {}, "top10": [], "stage": []}


def panel_outputs(
    opts: dict,
    route: RouteData,
    base: list,
    snapshot: Snapshot,
    profiles: Mapping[str, Profile] | None = None,
) -> dict:
    """Every panel of the screen asked for, for the latest ranking of its stage choice."""
    labels, lang, stage = texts(opts["lang"]), opts["lang"], opts["stage"]
    shown = standings_view(snapshot, resolve(View(stage=stage, lang=lang), snapshot.standings))
    checkpoint = shown.checkpoint
    where = checkpoint_place(route, checkpoint.place, checkpoint.stage) if checkpoint else None
    map_choice = stage if stage != "all" else (str(checkpoint.stage) if checkpoint else "all")
    builders = {
        "map": lambda: bigscreen_map(
            route, base, map_choice, where, checkpoint and checkpoint.label
        ),
        "top10": lambda: top10(shown, lang),
        "bump": lambda: bigscreen_chart(bump_chart(shown.chart, lang, uirevision="bigscreen")),
        "stage": lambda: stage_card(route_summary(route, map_choice), lang),
        "profile": lambda: (
            bigscreen_profile(
                profile_figure([profiles[r] for r in STAGE_CHOICES[map_choice]], lang)
            )
            if profiles
            else {}
        ),
    }
    # only the panels asked for are built; the others stay empty (a figure, no children)
    return {
        **{name: builders[name]() if name in opts["panels"] else EMPTY[name] for name in builders},
        "checkpoint": checkpoint.label if checkpoint else labels["bs.no_data"],
        "leader": leader_strip(shown, lang),
        "updated": [
            labels["bs.updated"].format(time=_updated_at(snapshot, lang)),
            *_refusals(snapshot, lang),
        ],
        "checkpoint_id": checkpoint.checkpoint_id if checkpoint else None,
    }


def figures_of(out: dict) -> dict:
    """The figures of the panels, as the browser reads them from one store."""
    return {name: out[name] for name in FIGURE_PANELS}


def register() -> None:
    dash.register_page(__name__, path=PATH, layout=layout)


def layout(**params) -> list:
    """The page for Dash Pages, which calls it with the address's parameters. No header or
    footer: the screen is all panels."""
    opts = options(params)
    data = app_data.current()
    body = content(opts, data, screen_options(params))
    return [page_title(texts(opts["lang"])["bs.title"], opts["lang"], bigscreen=True), body]


CUE_HOLD_S = 8.0  # how long a new ranking's cues hold the screen before the panels change
SAFE_MAX = 10


def _number(params: Mapping, key: str, default: float, low: float, high: float) -> float:
    value = params.get(key)
    if value is not None and not isinstance(value, str):
        value = next(iter(value), None)
    try:
        number = float(value) if value else default
    except ValueError:
        return default
    return min(max(number, low), high) if math.isfinite(number) else default


def screen_options(params: Mapping) -> dict:
    """The screen's own options beyond the shared address: ?safe=5 keeps everything 5 % inside
    the edges (a television's overscan); ?cue=8 holds a new ranking's cues 8 s."""
    return {
        "safe": _number(params, "safe", 0.0, 0.0, SAFE_MAX),
        "hold": _number(params, "cue", CUE_HOLD_S, 0.0, 60.0),
    }


def content(opts: dict, data, screen: dict | None = None) -> html.Div:
    screen = screen or screen_options({})
    labels = texts(opts["lang"])
    snapshot = data.store.snapshot()
    out = panel_outputs(opts, data.route, basemap_traces(data.basemap), snapshot, data.profiles)

    def graph(id_: str) -> dcc.Graph:
        # drawn by the browser from the figures' store, scaled to the screen
        return dcc.Graph(id=id_, figure={}, config=GRAPH_CONFIG, className="bs-graph")

    panels = {
        "map": graph(ids.BS_MAP),
        "top10": html.Div(out["top10"], id=ids.BS_TOP10),
        "bump": graph(ids.BS_BUMP),
        "stage": html.Div(out["stage"], id=ids.BS_STAGE, className="card bs-card"),
        "profile": graph(ids.BS_PROFILE),
    }
    ordered = [*opts["panels"], *(p for p in BIGSCREEN_PANELS if p not in opts["panels"])]
    safe = screen["safe"]
    return html.Div(
        className="bigscreen",
        style={"--bs-safe": f"{safe:g}"},
        children=[
            dcc.Store(
                id=ids.BS_STATE,
                data={
                    **opts,
                    "version": snapshot.version,
                    "checkpoint": out["checkpoint_id"],
                    "flash": 0,
                    "hold_polls": math.ceil(screen["hold"] * 1000 / POLL_INTERVAL_MS),
                    "release_at": None,
                },
            ),
            dcc.Store(id=ids.BS_FIGURES, data=figures_of(out)),
            dcc.Store(id=ids.BS_SCALE, data=None),  # set by assets/bigscreen.js on a resize
            dcc.Interval(id=ids.BS_POLL, interval=POLL_INTERVAL_MS),
            dcc.Interval(id=ids.BS_ROTATE, interval=int(opts["period"] * 1000)),
            html.Header(
                className="bs-top",
                children=[
                    html.H1(labels["bs.heading"]),
                    html.Div(out["updated"], id=ids.BS_UPDATED, className="bs-updated"),
                ],
            ),
            # the leader strip: outside the panels, so on screen whatever panel shows
            html.Div(
                className="bs-strip",
                children=[
                    html.Div(out["checkpoint"], id=ids.BS_CHECKPOINT, className="bs-checkpoint"),
                    html.Div(out["leader"], id=ids.BS_LEADER, className="bs-leader"),
                ],
            ),
            html.Div(
                className="bs-stage-area",
                children=[
                    html.Main(
                        id=ids.BS_PANELS,
                        className=f"bs-panels show-{ordered[0]} still",  # drawn at once, no fade
                        children=[
                            html.Section(
                                [
                                    html.H2(labels[f"bs.panel.{name}"]),
                                    html.Div(panels[name], className="bs-body"),
                                ],
                                className="bs-panel"
                                if name in opts["panels"]
                                else "bs-panel bs-unused",
                                id=f"panel-{name}",
                                **{"data-panel": name},
                            )
                            # every panel is in the page (so hidden ones keep their size, and
                            # every callback finds its outputs whatever panels= asks); only
                            # those asked for take part in the rotation, in their order
                            for name in ordered
                        ],
                    ),
                    # over the panels while a new ranking's cues hold the screen
                    html.Div([], id=ids.BS_CUE, className="bs-cue", role="status"),
                ],
            ),
        ],
    )


def register_callbacks(app: Dash, route: RouteData, basemap: Basemap, store: RankingStore) -> None:
    base = basemap_traces(basemap)

    @app.callback(
        Output(ids.BS_FIGURES, "data"),
        Output(ids.BS_TOP10, "children"),
        Output(ids.BS_STAGE, "children"),
        Output(ids.BS_CHECKPOINT, "children"),
        Output(ids.BS_LEADER, "children"),
        Output(ids.BS_UPDATED, "children"),
        Output(ids.BS_CUE, "children"),
        Output(ids.BS_CUE, "className"),
        Output(ids.BS_STATE, "data"),
        Input(ids.BS_POLL, "n_intervals"),
        State(ids.BS_STATE, "data"),
        prevent_initial_call=True,
    )
    def refresh(tick, state):
        """New data only (the same cheap version check as the fans' page). A new ranking first
        shows its cues over the panels, with the strip already new; the panels follow once
        the cues have held the screen for their time."""
        tick = tick or 0
        release_at = state.get("release_at")
        if release_at is not None and tick < release_at:
            raise PreventUpdate
        snapshot = store.snapshot()
        if release_at is None and snapshot.version == state["version"]:
            raise PreventUpdate
        profiles = app_data.current().profiles
        out = panel_outputs(state, route, base, snapshot, profiles)
        new = release_at is None and out["checkpoint_id"] != state.get("checkpoint")
        hold = new and state.get("hold_polls", 0) > 0
        keep = dash.no_update
        panels = (
            (keep, keep, keep)
            if hold
            else (
                figures_of(out),
                *(out[p] if p in state["panels"] else keep for p in HTML_PANELS),
            )
        )
        flash = state.get("flash", 0) + (1 if new else 0)
        if new:
            cues = ranking_cues(snapshot.standings, out["checkpoint_id"], lang=state["lang"])
            cue_children = cue(cues, texts(state["lang"]))
            # flash-0/1 alternate so that each new ranking starts the banner's look afresh
            cue_class = f"bs-cue on flash-{flash % 2}" if hold else f"bs-cue flash-{flash % 2}"
        else:
            cue_children = keep
            cue_class = f"bs-cue flash-{flash % 2}" if release_at is not None else keep
        return (
            *panels,
            out["checkpoint"],
            out["leader"],
            out["updated"],
            cue_children,
            cue_class,
            {
                **state,
                "version": snapshot.version,
                "checkpoint": out["checkpoint_id"],
                "flash": flash,
                "release_at": tick + state["hold_polls"] if hold else None,
            },
        )

    clientside_callback(
        ClientsideFunction("bigscreen", "scale"),  # assets/bigscreen.js
        Output(ids.BS_MAP, "figure"),
        Output(ids.BS_BUMP, "figure"),
        Output(ids.BS_PROFILE, "figure"),
        Input(ids.BS_FIGURES, "data"),
        Input(ids.BS_SCALE, "data"),
    )

    clientside_callback(
        ClientsideFunction("bigscreen", "rotate"),  # assets/bigscreen.js
        Output(ids.BS_PANELS, "className"),
        Input(ids.BS_ROTATE, "n_intervals"),
        State(ids.BS_PANELS, "className"),
        prevent_initial_call=True,
    )
