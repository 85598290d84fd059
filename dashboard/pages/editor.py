"""The editors' page (/editor): every ranking file and its status; upload, replace, delete and
restore, each checked before anything is written and each requiring the editor token.

Writes go through dashboard.data.editing (atomic, with history), always on the exact file
the table lists; the status comes from the same store the fans' page reads, so what this page
says is what the dashboard shows. The store publishes a written file a moment later: the
page's poll (store.version()) redraws the table then.

The callbacks are thin wrappers around plain functions (handle_edit, handle_preview,
turn_page) that check the type of every input: a hand-made request with a number or a list
where the page sends text gets a refusal in words, never an error 500.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import dash
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import app_data, ids
from dashboard.components.shell import shell
from dashboard.config import Config
from dashboard.data import editing
from dashboard.data.rankings import COLUMNS, MAX_BYTES, RankingError
from dashboard.data.store import RankingStore
from dashboard.i18n import format_clock, format_moment, format_number, refusal, say, texts
from dashboard.race import checkpoint_name
from dashboard.view_state import view_from_search

PATH = "/editor"
POLL_INTERVAL_MS = 2000
PREVIEW_ROWS = 40
HIDDEN = {"display": "none"}
# the history pager's ids (only this page uses them)
HISTORY_PAGE = "editor-history-page"
HISTORY_PREVIOUS = "editor-history-previous"
HISTORY_NEXT = "editor-history-next"
HISTORY_PAGER = "editor-history-pager"
HISTORY_PAGE_INFO = "editor-history-page-info"
PAGER_STYLE = {"display": "flex", "flexWrap": "wrap", "gap": ".5rem", "alignItems": "center"}
# the status words the store used and those the ingest uses
REFUSED_STATUSES = ("refused", "ignored")


def register() -> None:
    dash.register_page(__name__, path=PATH, layout=layout)


def layout(**params) -> list:
    """The page for Dash Pages, which calls it with the address's parameters."""
    view = view_from_search(params)
    data = app_data.current()
    body = content(view.lang, data.config, data.store)
    return shell(body, view, PATH, texts(view.lang)["editor.title"])


def content(lang: str, config: Config, store: RankingStore) -> html.Div:
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
    page = editing.history_page(store.folder, 0)
    return html.Div(
        className="editor",
        children=[
            dcc.Store(id=ids.EDITOR_PENDING, storage_type="memory"),
            dcc.Store(id=ids.EDITOR_CHANGED, data=0),
            dcc.Store(id=ids.EDITOR_VERSION, data=store.version()),
            dcc.Store(id=HISTORY_PAGE, data=0),
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
            html.Div(history_list(page, lang), id=ids.EDITOR_HISTORY),
            html.Nav(
                id=HISTORY_PAGER,
                **{"aria-label": labels["editor.history_pages"]},
                style=PAGER_STYLE if page.pages > 1 else HIDDEN,
                children=[
                    html.Button(
                        labels["editor.history_previous"],
                        id=HISTORY_PREVIOUS,
                        className="button secondary small",
                        n_clicks=0,
                        disabled=not page.has_previous,
                    ),
                    html.Span(page_info(page, lang), id=HISTORY_PAGE_INFO),
                    html.Button(
                        labels["editor.history_next"],
                        id=HISTORY_NEXT,
                        className="button secondary small",
                        n_clicks=0,
                        disabled=not page.has_next,
                    ),
                ],
            ),
        ],
    )


def _time(timestamp: float | datetime, lang: str) -> str:
    """A file's or a kept version's time, in the server's time zone, written per language."""
    moment = timestamp if isinstance(timestamp, datetime) else datetime.fromtimestamp(timestamp)
    return format_moment(moment.astimezone(), lang, seconds=True)


def _error_text(error: object, lang: str) -> str | None:
    """The words of a file's error in `lang`, whether the store gives a dict (as
    RankingError.as_dict, row and column named; the table names the file) or plain text."""
    if isinstance(error, dict):
        text = refusal(error, lang, with_file=False)
        return text or None
    return str(error) if error else None


def files_table(store: RankingStore, lang: str) -> html.Div:
    labels = texts(lang)
    snapshot = store.snapshot()
    accepted = {f.name: f for f in getattr(snapshot, "accepted", ())}
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
        word = str(status.status)
        detail: list = [labels.get(f"editor.status.{word}", word)]
        reason = _error_text(status.error, lang)
        if word in REFUSED_STATUSES or reason:
            if reason:
                detail += [html.Br(), html.Span(reason, className="reason")]
            if status.using_last_good:
                detail += [html.Br(), html.Em(labels["editor.showing_last_good"])]
        elif status.warnings:
            said = _warnings_text(status.warnings, getattr(status, "warning_words", ()), lang)
            detail += [html.Br(), html.Span(said, className="reason")]
        count = status.rows or (len(parsed.rows) if parsed else 0)
        rows.append(
            html.Tr(
                className=f"file-{word.replace(' ', '-')}",
                children=[
                    html.Td(html.Code(status.name)),
                    html.Td(detail),
                    html.Td(
                        # the ranking's own label; else what the ingest names it
                        checkpoint_name(parsed, lang)
                        if parsed
                        else getattr(status, "checkpoint", None) or "–"
                    ),
                    html.Td(format_number(count, lang) if count else "–"),
                    html.Td(_time(status.modified, lang)),
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


def history_list(page: editing.HistoryPage, lang: str) -> html.Div | html.Ul:
    """One page of the kept versions, newest first."""
    labels = texts(lang)
    if not page.total:
        return html.P(labels["editor.history_empty"])
    return html.Ul(
        [
            html.Li(
                [
                    labels["editor.kept_at"].format(
                        name=v.name, time=_time(v.kept_at, lang), size=format_number(v.size, lang)
                    ),
                    " ",
                    html.Button(
                        labels["editor.restore"],
                        className="button secondary small",
                        id={"type": ids.VERSION_RESTORE, "kept": v.path.name},
                    ),
                ]
            )
            for v in page.versions
        ],
        className="history",
    )


def page_info(page: editing.HistoryPage, lang: str) -> str:
    if not page.total:
        return ""
    return texts(lang)["editor.history_page"].format(
        first=format_number(page.first, lang),
        last=format_number(page.first + len(page.versions) - 1, lang),
        total=format_number(page.total, lang),
        page=page.page + 1,
        pages=page.pages,
    )


def refusal_reason(err: editing.EditRefused, lang: str) -> str:
    """The reason of a refused edit in the reader's language (numbers too)."""
    template = texts(lang).get(f"editor.reason.{err.reason}")
    if template is None:
        return str(err)
    params = {
        key: format_number(value, lang) if isinstance(value, int) else value
        for key, value in err.params.items()
    }
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(err)


def preview(folder: Path, name: object, lang: str) -> list:
    """What the dashboard reads in exactly this listed file (first PREVIEW_ROWS rows)."""
    labels = texts(lang)
    try:
        raw = editing.read(folder, name)
    except editing.EditRefused as err:
        shown = name if isinstance(name, str) else "–"
        return [
            html.H3(labels["editor.preview_of"].format(name=shown)),
            html.P(refusal_reason(err, lang), className="reason"),
        ]
    try:
        ranking = editing.check(name, raw)
    except RankingError as err:
        return [
            html.H3(labels["editor.preview_of"].format(name=name)),
            html.P(refusal(err.as_dict(), lang), className="reason"),
        ]
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
        html.H3(labels["editor.preview_of"].format(name=name)),
        html.P(
            labels["editor.preview_meta"].format(
                checkpoint=checkpoint_name(ranking, lang), stage=ranking.stage, order=ranking.order
            )
        ),
        html.Div(html.Table([head, body], className="files"), className="table-scroll"),
    ]


def message(content, lang: str = "en") -> html.Div:
    """A message, timed and drawn afresh (a new key) even when its words repeat: choosing the
    same refused file again shows, and announces, the refusal again."""
    clock = format_clock(datetime.now(), lang)
    return html.Div(
        [html.Span(clock, className="message-time"), " ", content],
        key=str(time.time_ns()),
    )


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


@dataclass(frozen=True)
class EditRequest:
    """What the editor's page sent: what fired, its value, and the page's state."""

    trigger: object
    value: object = None
    contents: object = None
    filename: object = None
    token: object = None
    pending: object = None
    changed: object = 0
    lang: str = "en"


@dataclass(frozen=True)
class _Answer:
    """The callback's outputs: (message, pending, confirm box style, confirm text, confirm
    button label, changed count, upload contents, upload filename). The upload is always
    emptied, so that choosing the same file again is a new upload."""

    labels: Mapping[str, str]
    changed: int
    lang: str = "en"

    def say(self, text, done: bool = False) -> tuple:
        shown = message(text, self.lang)
        return (shown, None, HIDDEN, "", no_update, self.changed + done, None, None)

    def ask(self, text, pending: dict, question: str) -> tuple:
        return (message(text, self.lang), pending, {}, text, question, self.changed, None, None)

    def bad_input(self, field: str) -> tuple:
        what = self.labels[f"editor.field.{field}"]
        return self.say(self.labels["editor.bad_input"].format(field=what))


@dataclass
class _Shown:
    """The file name a refusal names (as far as the request got)."""

    name: str = "–"


def handle_edit(folder: Path, configured_token: str | None, request: EditRequest) -> tuple:
    """Every change an editor asks for: checked, then done atomically, or refused in words.
    Raises PreventUpdate for what is not a request."""
    trigger = request.trigger
    if trigger is None or (trigger != ids.EDITOR_UPLOAD and not request.value):
        raise PreventUpdate  # buttons appearing in a re-drawn list are not clicks
    labels = texts(request.lang)
    answer = _Answer(labels, _whole(request.changed), request.lang)
    if trigger == ids.EDITOR_CANCEL:
        return answer.say(labels["editor.cancelled"])
    if not configured_token or not editing.token_ok(request.token, configured_token):
        return answer.say(labels["editor.no_token" if configured_token else "editor.disabled"])
    action = _action_of(trigger)
    if action is None:
        raise PreventUpdate
    shown = _Shown()
    try:
        return action(folder, request, answer, shown)
    except (RankingError, editing.EditRefused, OSError) as err:
        return answer.say(_refusal(err, shown.name, labels, request.lang))


def _refusal(err: Exception, shown: str, labels: Mapping[str, str], lang: str) -> str:
    """Why a change was not made, naming the file."""
    if isinstance(err, RankingError):
        return labels["editor.refused"].format(name=err.file, reason=refusal(err.as_dict(), lang))
    if isinstance(err, editing.EditRefused):
        return labels["editor.refused"].format(name=shown, reason=refusal_reason(err, lang))
    return labels["editor.os_error"].format(name=shown, error=err.strerror or err)


def _upload(folder: Path, request: EditRequest, answer: _Answer, shown: _Shown) -> tuple:
    """A new file is saved; a file of the same name waits for the editor's confirmation."""
    contents, filename, labels = request.contents, request.filename, answer.labels
    if contents is None:
        raise PreventUpdate  # the upload emptied by the previous answer
    if not isinstance(contents, str):
        return answer.bad_input("contents")
    if not _text_or_none(filename):
        return answer.bad_input("filename")
    shown.name = filename or "–"
    name = editing.check_name(filename)
    raw = editing.decode_upload(contents)
    replacing = editing.exists_exactly(folder, name)
    if not replacing:
        editing.check_new_name(folder, name)  # before the contents: the first reason
    ranking = editing.check(name, raw)
    if replacing:
        pending = {"action": "replace", "name": name, "contents": contents}
        text = labels["editor.exists"].format(name=name)
        return answer.ask(text, pending, labels["editor.replace"].format(name=name))
    editing.save(folder, name, raw)
    return answer.say(_accepted(answer, name, ranking), done=True)


def _pending_ok(pending: object) -> bool:
    return (
        isinstance(pending, dict)
        and pending.get("action") in ("replace", "delete")
        and isinstance(pending.get("name"), str)
        and (pending["action"] != "replace" or isinstance(pending.get("contents"), str))
    )


def _confirm(folder: Path, request: EditRequest, answer: _Answer, shown: _Shown) -> tuple:
    """The replacement or deletion the editor was asked to confirm."""
    pending, labels = request.pending, answer.labels
    if pending is None:
        raise PreventUpdate
    if not _pending_ok(pending):
        return answer.bad_input("pending")
    name = shown.name = pending["name"]
    if pending["action"] == "replace":
        raw = editing.decode_upload(pending["contents"])
        ranking = editing.check(name, raw)
        editing.save(folder, name, raw, replace=True)
        replaced = labels["editor.replaced"].format(name=name)
        return answer.say([replaced, " ", *_accepted(answer, name, ranking)], done=True)
    editing.delete(folder, name)
    return answer.say(labels["editor.deleted"].format(name=name), done=True)


def _ask_delete(folder: Path, request: EditRequest, answer: _Answer, shown: _Shown) -> tuple:
    name = request.trigger.get("name")
    if not isinstance(name, str):
        return answer.bad_input("name")
    shown.name = name
    name = editing.existing(folder, name).name
    labels = answer.labels
    text = labels["editor.delete_confirm"].format(name=name)
    return answer.ask(
        text, {"action": "delete", "name": name}, labels["editor.delete"] + f" {name}"
    )


def _restore(folder: Path, request: EditRequest, answer: _Answer, shown: _Shown) -> tuple:
    kept = request.trigger.get("kept")
    if not isinstance(kept, str):
        return answer.bad_input("kept")
    shown.name = kept
    name = editing.restore(folder, kept)
    moment = editing.kept_time(kept)
    when = _time(moment, answer.lang) if moment else kept.rpartition(".")[2]
    return answer.say(answer.labels["editor.restored"].format(name=name, time=when), done=True)


_ACTIONS = {ids.EDITOR_UPLOAD: _upload, ids.EDITOR_CONFIRM: _confirm}
_ACTIONS_OF_LIST = {ids.FILE_DELETE: _ask_delete, ids.VERSION_RESTORE: _restore}


def _action_of(trigger: object):
    """The action of a button or of the upload; of a button in a file list by its type."""
    if isinstance(trigger, str):
        return _ACTIONS.get(trigger)
    if isinstance(trigger, dict) and isinstance(trigger.get("type"), str):
        return _ACTIONS_OF_LIST.get(trigger["type"])
    return None


def handle_preview(folder: Path, trigger: object, value: object, lang: str) -> list:
    if not value or not isinstance(trigger, dict):
        raise PreventUpdate
    return preview(folder, trigger.get("name"), lang)


def turn_page(folder: Path, trigger: object, page: object) -> int:
    """The history page after a click on previous or next (kept within the pages there are)."""
    step = (
        {HISTORY_PREVIOUS: -1, HISTORY_NEXT: 1}.get(trigger) if isinstance(trigger, str) else None
    )
    if step is None:
        raise PreventUpdate
    return editing.history_page(folder, _whole(page) + step).page


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
        Output(ids.EDITOR_UPLOAD, "filename"),
        inputs={
            "contents": Input(ids.EDITOR_UPLOAD, "contents"),
            "buttons": [
                Input(ids.EDITOR_CONFIRM, "n_clicks"),
                Input(ids.EDITOR_CANCEL, "n_clicks"),
                Input({"type": ids.FILE_DELETE, "name": ALL}, "n_clicks"),
                Input({"type": ids.VERSION_RESTORE, "kept": ALL}, "n_clicks"),
            ],
        },
        state={
            "page": {
                "filename": State(ids.EDITOR_UPLOAD, "filename"),
                "token": State(ids.EDITOR_TOKEN, "value"),
                "pending": State(ids.EDITOR_PENDING, "data"),
                "changed": State(ids.EDITOR_CHANGED, "data"),
            },
            "search": State(ids.URL, "search"),
        },
        prevent_initial_call=True,
    )
    def edit(contents, buttons, page, search):
        request = EditRequest(
            ctx.triggered_id, _triggered_value(), contents, lang=_lang(search), **page
        )
        return handle_edit(folder, config.editor_token, request)

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
        Output(HISTORY_PAGE, "data"),
        Input(HISTORY_PREVIOUS, "n_clicks"),
        Input(HISTORY_NEXT, "n_clicks"),
        State(HISTORY_PAGE, "data"),
        prevent_initial_call=True,
    )
    def change_page(_previous, _next, page):
        return turn_page(folder, ctx.triggered_id, page)

    @app.callback(
        Output(ids.EDITOR_FILES, "children"),
        Output(ids.EDITOR_HISTORY, "children"),
        Output(HISTORY_PAGER, "style"),
        Output(HISTORY_PAGE_INFO, "children"),
        Output(HISTORY_PREVIOUS, "disabled"),
        Output(HISTORY_NEXT, "disabled"),
        Input(ids.EDITOR_VERSION, "data"),
        Input(ids.EDITOR_CHANGED, "data"),
        Input(HISTORY_PAGE, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_files(_version, _changed, page, search):
        lang = _lang(search)
        shown = editing.history_page(folder, page)
        return (
            files_table(store, lang),
            history_list(shown, lang),
            PAGER_STYLE if shown.pages > 1 else HIDDEN,
            page_info(shown, lang),
            not shown.has_previous,
            not shown.has_next,
        )

    @app.callback(
        Output(ids.EDITOR_PREVIEW, "children"),
        Input({"type": ids.FILE_PREVIEW, "name": ALL}, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_preview(_clicks, search):
        return handle_preview(folder, ctx.triggered_id, _triggered_value(), _lang(search))


def _triggered_value() -> object:
    triggered = ctx.triggered
    if not triggered or not isinstance(triggered[0], dict):
        return None
    return triggered[0].get("value")


def _lang(search: object) -> str:
    return view_from_search(search if isinstance(search, str) else None).lang


def _accepted(answer: _Answer, name: str, ranking) -> list:
    labels, lang = answer.labels, answer.lang
    text = [
        labels["editor.accepted"].format(
            name=name, rows=format_number(len(ranking.rows), lang), checkpoint=ranking.checkpoint
        )
    ]
    if ranking.warnings:
        said = _warnings_text(ranking.warnings, ranking.warning_words, lang)
        text += [" ", labels["editor.accepted_warnings"].format(warnings=said)]
    return text


def _warnings_text(english, words, lang: str) -> str:
    """The parser's warnings in the editor's language, where it gave them as words."""
    if words and len(words) == len(english):
        return "; ".join(say(w, lang) for w in words)
    return "; ".join(english)
