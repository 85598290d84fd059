"""The editors' page (/editor): every ranking file and its status; upload, replace, delete and
restore, each checked before anything is written and each requiring the editor token.

Writes go through dashboard.data.editing (atomic, with history); the status comes from the
same RankingStore the fans' page reads, so what this page says is what the dashboard shows.
"""

from __future__ import annotations

from datetime import datetime

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.config import Config
from dashboard.data import editing
from dashboard.data.rankings import COLUMNS, MAX_BYTES, RankingError
from dashboard.data.store import RankingStore
from dashboard.i18n import format_number, texts
from dashboard.view_state import view_from_search

POLL_INTERVAL_MS = 2000
PREVIEW_ROWS = 40
HIDDEN = {"display": "none"}


def layout(lang: str, config: Config, store: RankingStore) -> html.Div:
    labels = texts(lang)
    enabled = bool(config.editor_token)
    access = (
        [
            html.Label(labels["editor.token"], htmlFor=ids.EDITOR_TOKEN),
            dcc.Input(
                id=ids.EDITOR_TOKEN,
                type="password",
                autoComplete="off",
                className="search",
                debounce=False,
            ),
            html.P(labels["editor.token_help"], className="help"),
        ]
        if enabled
        else [
            html.P(labels["editor.readonly"], className="alert", id="editor-readonly"),
            dcc.Input(id=ids.EDITOR_TOKEN, type="hidden", value=""),
        ]
    )
    return html.Div(
        className="editor",
        children=[
            dcc.Store(id=ids.EDITOR_PENDING, storage_type="memory"),
            dcc.Store(id=ids.EDITOR_CHANGED, data=0),
            dcc.Store(id=ids.EDITOR_VERSION, data=store.version()),
            dcc.Interval(id=ids.EDITOR_POLL, interval=POLL_INTERVAL_MS),
            html.H2(labels["editor.heading"], className="page-heading"),
            html.P(labels["editor.intro"]),
            html.Div(access, className="editor-access"),
            dcc.Upload(
                id=ids.EDITOR_UPLOAD,
                children=html.Div([html.Strong(labels["editor.upload"])]),
                className="upload",
                accept=".csv,text/csv,text/plain",
                multiple=False,
            ),
            html.P(
                labels["editor.upload_help"].format(limit=format_number(MAX_BYTES, lang)),
                className="help",
            ),
            html.Div(
                id=ids.EDITOR_MESSAGE,
                role="status",
                **{"aria-live": "polite"},
                className="editor-message",
            ),
            html.Div(
                id=ids.EDITOR_CONFIRM_BOX,
                className="confirm",
                style=HIDDEN,
                children=[
                    html.P(id=ids.EDITOR_CONFIRM_TEXT),
                    html.Button(
                        labels["editor.replace"].format(name=""),
                        id=ids.EDITOR_CONFIRM,
                        className="button danger",
                        n_clicks=0,
                    ),
                    html.Button(
                        labels["editor.cancel"],
                        id=ids.EDITOR_CANCEL,
                        className="button secondary",
                        n_clicks=0,
                    ),
                ],
            ),
            html.H3(labels["editor.files"]),
            html.Div(files_table(store, lang), id=ids.EDITOR_FILES),
            html.Div(id=ids.EDITOR_PREVIEW),
            html.H3(labels["editor.history"]),
            html.Div(history_list(store, lang), id=ids.EDITOR_HISTORY),
        ],
    )


def _time(timestamp: float | datetime) -> str:
    moment = timestamp if isinstance(timestamp, datetime) else datetime.fromtimestamp(timestamp)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def files_table(store: RankingStore, lang: str) -> html.Div:
    labels = texts(lang)
    snapshot = store.snapshot()
    accepted = {f.name: f for f in snapshot.accepted}
    if not snapshot.files:
        return html.P(labels["editor.no_files"])
    head = html.Thead(
        html.Tr(
            [
                html.Th(labels[f"editor.col.{c}"], scope="col")
                for c in ("file", "status", "checkpoint", "rows", "changed", "actions")
            ]
        )
    )
    rows = []
    for status in snapshot.files:
        parsed = accepted.get(status.name)
        detail: list = [labels.get(f"editor.status.{status.status}", status.status)]
        if status.status == "refused":
            detail += [html.Br(), html.Span(status.error["message"], className="reason")]
            if status.using_last_good:
                detail += [html.Br(), html.Em(labels["editor.showing_last_good"])]
        elif status.warnings:
            detail += [html.Br(), html.Span("; ".join(status.warnings), className="reason")]
        rows.append(
            html.Tr(
                className=f"file-{status.status.replace(' ', '-')}",
                children=[
                    html.Td(html.Code(status.name)),
                    html.Td(detail),
                    html.Td(parsed.checkpoint if parsed else "–"),
                    html.Td(str(len(parsed.rows)) if parsed else "–"),
                    html.Td(_time(status.modified)),
                    html.Td(
                        [
                            html.Button(
                                labels["editor.preview"],
                                className="button secondary small",
                                id={"type": ids.FILE_PREVIEW, "name": status.name},
                            ),
                            html.Button(
                                labels["editor.delete"],
                                className="button secondary small",
                                id={"type": ids.FILE_DELETE, "name": status.name},
                            ),
                        ]
                    ),
                ],
            )
        )
    return html.Div(
        html.Table([head, html.Tbody(rows)], className="files"), className="table-scroll"
    )


def history_list(store: RankingStore, lang: str) -> html.Div:
    labels = texts(lang)
    versions = editing.history(store.folder)
    if not versions:
        return html.P(labels["editor.history_empty"])
    return html.Ul(
        [
            html.Li(
                [
                    labels["editor.kept_at"].format(
                        name=v.name, time=_time(v.kept_at), size=format_number(v.size, lang)
                    ),
                    " ",
                    html.Button(
                        labels["editor.restore"],
                        className="button secondary small",
                        id={"type": ids.VERSION_RESTORE, "kept": v.path.name},
                    ),
                ]
            )
            for v in versions[:50]
        ],
        className="history",
    )


def preview(store: RankingStore, name: str, lang: str) -> list:
    labels = texts(lang)
    path = store.folder / editing.sanitise_name(name)
    try:
        ranking = editing.check(path.name, path.read_bytes())
    except RankingError as err:
        return [
            html.H3(labels["editor.preview_of"].format(name=path.name)),
            html.P(str(err), className="reason"),
        ]
    except OSError:
        raise PreventUpdate from None
    table = ranking.rows.head(PREVIEW_ROWS)
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in COLUMNS]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td("" if str(row[c]) in ("<NA>", "nan", "None") else str(row[c]))
                    for c in COLUMNS
                ]
            )
            for row in table.to_dict("records")
        ]
    )
    return [
        html.H3(labels["editor.preview_of"].format(name=path.name)),
        html.P(f"{ranking.checkpoint} · stage {ranking.stage} · order {ranking.order}"),
        html.Div(html.Table([head, body], className="files"), className="table-scroll"),
    ]


def register_callbacks(app: Dash, config: Config, store: RankingStore) -> None:
    folder = store.folder

    @app.callback(
        Output(ids.EDITOR_MESSAGE, "children"),
        Output(ids.EDITOR_PENDING, "data"),
        Output(ids.EDITOR_CONFIRM_BOX, "style"),
        Output(ids.EDITOR_CONFIRM_TEXT, "children"),
        Output(ids.EDITOR_CONFIRM, "children"),
        Output(ids.EDITOR_CHANGED, "data"),
        Output(ids.EDITOR_UPLOAD, "contents"),
        Input(ids.EDITOR_UPLOAD, "contents"),
        Input(ids.EDITOR_CONFIRM, "n_clicks"),
        Input(ids.EDITOR_CANCEL, "n_clicks"),
        Input({"type": ids.FILE_DELETE, "name": ALL}, "n_clicks"),
        Input({"type": ids.VERSION_RESTORE, "kept": ALL}, "n_clicks"),
        State(ids.EDITOR_UPLOAD, "filename"),
        State(ids.EDITOR_TOKEN, "value"),
        State(ids.EDITOR_PENDING, "data"),
        State(ids.EDITOR_CHANGED, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def edit(
        contents, _confirm, _cancel, _deletes, _restores, filename, token, pending, changed, search
    ):
        """Every change an editor asks for: checked, then done atomically, or refused."""
        trigger = ctx.triggered_id
        value = ctx.triggered[0]["value"] if ctx.triggered else None
        if trigger is None or (trigger != ids.EDITOR_UPLOAD and not value):
            raise PreventUpdate  # buttons appearing in a re-drawn list are not clicks
        labels = texts(_lang(search))
        hide = (None, HIDDEN, "", no_update)
        if trigger == ids.EDITOR_CANCEL:
            return (labels["editor.cancelled"], *hide, changed, None)
        if not config.editor_token:
            return (labels["editor.disabled"], *hide, changed, None)
        if not editing.token_ok(token, config.editor_token):
            return (labels["editor.no_token"], *hide, changed, None)
        try:
            if trigger == ids.EDITOR_UPLOAD:
                if contents is None:
                    raise PreventUpdate
                name = editing.sanitise_name(filename)
                raw = editing.decode_upload(contents)
                ranking = editing.check(name, raw)
                if (folder / name).exists():
                    text = labels["editor.exists"].format(name=name)
                    return (
                        text,
                        {"action": "replace", "name": name, "contents": contents},
                        {},
                        text,
                        labels["editor.replace"].format(name=name),
                        changed,
                        None,
                    )
                editing.save(folder, name, raw)
                return (_accepted(labels, name, ranking), *hide, changed + 1, None)
            if trigger == ids.EDITOR_CONFIRM and pending:
                name = pending["name"]
                if pending["action"] == "replace":
                    raw = editing.decode_upload(pending["contents"])
                    ranking = editing.check(name, raw)
                    editing.save(folder, name, raw, replace=True)
                    text = [
                        labels["editor.replaced"].format(name=name),
                        " ",
                        _accepted(labels, name, ranking),
                    ]
                    return (text, *hide, changed + 1, None)
                editing.delete(folder, name)
                return (labels["editor.deleted"].format(name=name), *hide, changed + 1, None)
            if isinstance(trigger, dict) and trigger.get("type") == ids.FILE_DELETE:
                name = editing.sanitise_name(trigger["name"])
                text = labels["editor.delete_confirm"].format(name=name)
                return (
                    text,
                    {"action": "delete", "name": name},
                    {},
                    text,
                    labels["editor.delete"] + f" {name}",
                    changed,
                    None,
                )
            if isinstance(trigger, dict) and trigger.get("type") == ids.VERSION_RESTORE:
                kept = trigger["kept"]
                name = editing.restore(folder, kept)
                when = kept.rpartition(".")[2]
                return (
                    labels["editor.restored"].format(name=name, time=when),
                    *hide,
                    changed + 1,
                    None,
                )
        except RankingError as err:
            return (
                labels["editor.refused"].format(name=err.file, reason=str(err)),
                *hide,
                changed,
                None,
            )
        except editing.EditRefused as err:
            name = editing.sanitise_name(filename) if trigger == ids.EDITOR_UPLOAD else ""
            return (
                labels["editor.refused"].format(name=name or "–", reason=str(err)),
                *hide,
                changed,
                None,
            )
        raise PreventUpdate

    @app.callback(
        Output(ids.EDITOR_VERSION, "data"),
        Input(ids.EDITOR_POLL, "n_intervals"),
        State(ids.EDITOR_VERSION, "data"),
        prevent_initial_call=True,
    )
    def check_folder(_tick, shown):
        if store.version() == shown:
            raise PreventUpdate
        version = store.snapshot().version  # "-waiting" while a file is still being copied
        if version == shown:
            raise PreventUpdate
        return version

    @app.callback(
        Output(ids.EDITOR_FILES, "children"),
        Output(ids.EDITOR_HISTORY, "children"),
        Input(ids.EDITOR_VERSION, "data"),
        Input(ids.EDITOR_CHANGED, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_files(_version, _changed, search):
        lang = _lang(search)
        return files_table(store, lang), history_list(store, lang)

    @app.callback(
        Output(ids.EDITOR_PREVIEW, "children"),
        Input({"type": ids.FILE_PREVIEW, "name": ALL}, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_preview(clicks, search):
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        return preview(store, ctx.triggered_id["name"], _lang(search))


def _lang(search: str | None) -> str:
    return view_from_search(search).lang


def _accepted(labels, name: str, ranking) -> list:
    text = [
        labels["editor.accepted"].format(
            name=name, rows=len(ranking.rows), checkpoint=ranking.checkpoint
        )
    ]
    if ranking.warnings:
        text += [
            " ",
            labels["editor.accepted_warnings"].format(warnings="; ".join(ranking.warnings)),
        ]
    return text
