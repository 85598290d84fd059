"""The editor's callbacks with inputs of the wrong type: called directly (their logic is plain
functions), then as hand-made requests to /_dash-update-component through Flask's test
client. Every one is refused in words (or with a 4xx), never a 500, and nothing is written."""

from __future__ import annotations

import base64
import json
import os
import shutil
from pathlib import Path

import pytest
from dash import html
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.config import DEFAULT_DATA_DIR, Config
from dashboard.data import editing
from dashboard.pages import editor

TOKEN = "unit-editor-token"
GOOD = b"""# checkpoint: After time trial 101 (unit test)
# stage: 4
# order: 9
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,90000,
"""
CONTENTS = "data:text/csv;base64," + base64.b64encode(GOOD).decode()
WRONG = [5, 1.5, True, ["x.csv"], {"name": "x.csv"}, [], {}]


def text_of(node) -> str:
    """The visible text of a Dash component tree."""
    if node is None:
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(text_of(n) for n in node)
    return text_of(getattr(node, "children", None))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    rankings = tmp_path / "rankings"
    rankings.mkdir()
    (rankings / "2020-02-stage1-end.csv").write_bytes(b"lower\n")
    (rankings / "2020-02-stage1-end.CSV").write_bytes(b"upper\n")
    (rankings / "my final.csv").write_bytes(GOOD)
    return rankings


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def edit(folder, trigger, value=1, **inputs):
    args = {
        "contents": None,
        "filename": None,
        "token": TOKEN,
        "pending": None,
        "changed": 0,
        "lang": "en",
        **inputs,
    }
    return editor.handle_edit(folder, TOKEN, editor.EditRequest(trigger, value, **args))


def message_of(answer) -> str:
    return text_of(answer[0])


# ---- the callbacks' logic, called directly ---------------------------------------------


@pytest.mark.parametrize("token", [None, *WRONG])
def test_a_token_of_the_wrong_type_is_refused(folder, token):
    before = listing(folder)
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="new.csv", token=token)
    assert "the editor token is missing or wrong" in message_of(answer)
    assert listing(folder) == before


@pytest.mark.parametrize("contents", WRONG)
def test_upload_contents_of_the_wrong_type_are_refused(folder, contents):
    before = listing(folder)
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=contents, filename="new.csv")
    assert "the request was not understood (the uploaded file" in message_of(answer)
    assert answer[6:] == (None, None)  # the upload emptied: the same file can be chosen again
    assert listing(folder) == before


@pytest.mark.parametrize("filename", WRONG)
def test_a_file_name_of_the_wrong_type_is_refused(folder, filename):
    before = listing(folder)
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename=filename)
    assert "the request was not understood (the file name" in message_of(answer)
    assert listing(folder) == before


def test_a_missing_file_name_is_refused_in_words(folder):
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename=None)
    assert "was refused and not written: the file name is missing" in message_of(answer)


@pytest.mark.parametrize("name", WRONG)
def test_delete_and_preview_of_a_name_of_the_wrong_type_are_refused(folder, name):
    before = listing(folder)
    answer = edit(folder, {"type": ids.FILE_DELETE, "name": name})
    assert "the request was not understood" in message_of(answer)
    shown = editor.handle_preview(folder, {"type": ids.FILE_PREVIEW, "name": name}, 1, "en")
    assert "the file name is missing or is not text" in text_of(shown)
    assert listing(folder) == before


@pytest.mark.parametrize("kept", WRONG)
def test_restore_of_a_name_of_the_wrong_type_is_refused(folder, kept):
    before = listing(folder)
    answer = edit(folder, {"type": ids.VERSION_RESTORE, "kept": kept})
    assert "the request was not understood (the kept version's name" in message_of(answer)
    assert listing(folder) == before


@pytest.mark.parametrize(
    "pending",
    [
        5,
        "replace",
        ["replace"],
        {"action": "format disk", "name": "x.csv"},
        {"action": "delete", "name": 5},
        {"action": "replace", "name": "x.csv", "contents": ["a"]},
        {"action": "delete"},
    ],
)
def test_a_confirmation_of_the_wrong_shape_is_refused(folder, pending):
    before = listing(folder)
    answer = edit(folder, ids.EDITOR_CONFIRM, pending=pending)
    assert "the request was not understood (the change to confirm" in message_of(answer)
    assert listing(folder) == before


@pytest.mark.parametrize("changed", [None, "3", [1], {}])
def test_a_change_count_of_the_wrong_type_starts_again(folder, changed):
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="new.csv", changed=changed)
    assert "new.csv was checked and published" in message_of(answer)
    assert answer[5] == 1


def test_odd_triggers_are_not_requests(folder):
    for trigger in (None, 5, ["x"], {"type": "something else"}, "editor-poll"):
        with pytest.raises(PreventUpdate):
            edit(folder, trigger)
    with pytest.raises(PreventUpdate):
        editor.handle_preview(folder, "file-preview", 1, "en")
    for trigger in (None, 5, {"type": "x"}, "other"):
        with pytest.raises(PreventUpdate):
            editor.turn_page(folder, trigger, 0)


def test_the_delete_asked_is_of_the_exact_listed_file(folder):
    asked = edit(folder, {"type": ids.FILE_DELETE, "name": "2020-02-stage1-end.CSV"})
    assert asked[1] == {"action": "delete", "name": "2020-02-stage1-end.CSV"}
    done = edit(folder, ids.EDITOR_CONFIRM, pending=asked[1])
    assert "2020-02-stage1-end.CSV was deleted" in message_of(done)
    assert (folder / "2020-02-stage1-end.csv").read_bytes() == b"lower\n"
    assert not (folder / "2020-02-stage1-end.CSV").exists()
    asked = edit(folder, {"type": ids.FILE_DELETE, "name": "my final.csv"})
    edit(folder, ids.EDITOR_CONFIRM, pending=asked[1])
    assert not (folder / "my final.csv").exists()


def test_a_new_name_is_refused_with_the_reason_in_both_languages(folder):
    (folder / "2020-02-stage1-end.CSV").unlink()
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="../../x.csv")
    assert "the name contains '/'" in message_of(answer)
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="../../x.csv", lang="it")
    assert "il nome contiene '/'" in message_of(answer)
    answer = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="2020-02-STAGE1-END.csv")
    assert "2020-02-stage1-end.csv exists already and differs only in capitals" in message_of(
        answer
    )
    assert not (folder / "x.csv").exists() and not (folder.parent.parent / "x.csv").exists()


def test_a_refused_file_is_explained_in_the_editors_language_with_row_and_column(folder):
    bad = GOOD.replace(b",90000,", b",13.779.5,", 1)
    assert bad != GOOD
    contents = "data:text/csv;base64," + base64.b64encode(bad).decode()
    english = message_of(edit(folder, ids.EDITOR_UPLOAD, contents=contents, filename="bad.csv"))
    assert "bad.csv was refused and not written: bad.csv, row " in english
    assert ", column points: expected a whole number, found '13.779.5'" in english
    italian = message_of(
        edit(folder, ids.EDITOR_UPLOAD, contents=contents, filename="bad.csv", lang="it")
    )
    assert "bad.csv è stato rifiutato e non scritto: file bad.csv, riga " in italian
    assert ", colonna points: atteso: un numero intero, trovato: '13.779.5'" in italian
    assert not (folder / "bad.csv").exists()


def test_every_reason_has_words_in_both_languages():
    from dashboard.i18n import texts

    reasons = {"other", "exists", "missing"}
    source = Path(editing.__file__).read_text(encoding="utf-8")
    import re

    reasons |= set(re.findall(r'_refuse\(\s*(?:f?"[^"]*",\s*)?"([a-z_]+)"', source))
    reasons |= set(re.findall(r'^\s+"([a-z_]+)",$', source, re.M))
    for lang in ("en", "it"):
        labels = texts(lang)
        missing = {r for r in reasons if f"editor.reason.{r}" not in labels}
        assert not missing, (lang, missing)


def test_messages_are_drawn_afresh_each_time(folder):
    one = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="a/b.csv")[0]
    two = edit(folder, ids.EDITOR_UPLOAD, contents=CONTENTS, filename="a/b.csv")[0]
    assert isinstance(one, html.Div) and one.key != two.key


# ---- hand-made requests to /_dash-update-component ---------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = tmp_path_factory.mktemp("requests") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns(".history"))
    (data / "rankings" / "my final.csv").write_bytes(GOOD)
    from dashboard.app import create_app

    app = create_app(Config(data_dir=data, editor_token=TOKEN))
    client = app.server.test_client()
    client.data = data
    return client


def _prop(item: dict) -> str:
    key = item["id"]
    if isinstance(key, dict):
        key = json.dumps(key, sort_keys=True, separators=(",", ":"))
    return f"{key}.{item['property']}"


def edit_request(changed: str, value, *, filename=None, token=TOKEN, pending=None, names=None):
    """What the page posts for the editor's main callback, with the values given."""
    outputs = [
        {"id": ids.EDITOR_MESSAGE, "property": "children"},
        {"id": ids.EDITOR_PENDING, "property": "data"},
        {"id": ids.EDITOR_CONFIRM_BOX, "property": "style"},
        {"id": ids.EDITOR_CONFIRM_TEXT, "property": "children"},
        {"id": ids.EDITOR_CONFIRM, "property": "children"},
        {"id": ids.EDITOR_CHANGED, "property": "data"},
        {"id": ids.EDITOR_UPLOAD, "property": "contents"},
        {"id": ids.EDITOR_UPLOAD, "property": "filename"},
    ]
    deletes = [
        {"id": {"type": ids.FILE_DELETE, "name": n}, "property": "n_clicks", "value": None}
        for n in (names or [])
    ]
    inputs = [
        {"id": ids.EDITOR_UPLOAD, "property": "contents", "value": None},
        {"id": ids.EDITOR_CONFIRM, "property": "n_clicks", "value": 0},
        {"id": ids.EDITOR_CANCEL, "property": "n_clicks", "value": 0},
        deletes,
        [],
    ]
    for item in [*inputs[:3], *deletes]:
        if _prop(item) == changed:
            item["value"] = value
    return {
        "output": ".." + "...".join(_prop(o) for o in outputs) + "..",
        "outputs": outputs,
        "inputs": inputs,
        "state": [
            {"id": ids.EDITOR_UPLOAD, "property": "filename", "value": filename},
            {"id": ids.EDITOR_TOKEN, "property": "value", "value": token},
            {"id": ids.EDITOR_PENDING, "property": "data", "value": pending},
            {"id": ids.EDITOR_CHANGED, "property": "data", "value": 0},
            {"id": ids.URL, "property": "search", "value": "?lang=en"},
        ],
        "changedPropIds": [changed],
    }


def post(client, body):
    return client.post(
        "/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
    )


def answer_text(response) -> str:
    body = response.get_json(silent=True) or {}
    return json.dumps(body.get("response", {}).get(ids.EDITOR_MESSAGE, {}))


UPLOAD = f"{ids.EDITOR_UPLOAD}.contents"
CONFIRM = f"{ids.EDITOR_CONFIRM}.n_clicks"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (edit_request(UPLOAD, CONTENTS, filename="new.csv", token=12345), "token is missing"),
        (edit_request(UPLOAD, CONTENTS, filename="new.csv", token=[TOKEN]), "token is missing"),
        (edit_request(UPLOAD, CONTENTS, filename="new.csv", token={"t": TOKEN}), "token"),
        (edit_request(UPLOAD, CONTENTS, filename=42), "the file name"),
        (edit_request(UPLOAD, CONTENTS, filename=["new.csv"]), "the file name"),
        (edit_request(UPLOAD, CONTENTS, filename={"n": 1}), "the file name"),
        (edit_request(UPLOAD, 7, filename="new.csv"), "the uploaded file"),
        (edit_request(UPLOAD, [CONTENTS], filename="new.csv"), "the uploaded file"),
        (edit_request(UPLOAD, CONTENTS, filename="../../escape.csv"), "the name contains '/'"),
        (edit_request(CONFIRM, 1, pending=17), "the change to confirm"),
        (edit_request(CONFIRM, 1, pending={"action": "delete", "name": 3}), "the change"),
        (
            edit_request(CONFIRM, 1, pending={"action": "delete", "name": "../history.json"}),
            "the name contains '/'",
        ),
    ],
)
def test_hand_made_requests_of_the_wrong_types_are_refused_not_crashed(client, body, words):
    before = listing(client.data)
    response = post(client, body)
    assert response.status_code != 500
    assert response.status_code < 500
    if response.status_code == 200:
        assert words in answer_text(response)
    assert listing(client.data) == before


@pytest.mark.parametrize("name", [5, ["my final.csv"], {"a": 1}, None, "../history.json"])
def test_hand_made_pattern_ids_of_the_wrong_type_are_refused_not_crashed(client, name):
    before = listing(client.data)
    trigger = {"type": ids.FILE_DELETE, "name": name}
    changed = json.dumps(trigger, sort_keys=True, separators=(",", ":")) + ".n_clicks"
    body = edit_request(changed, 1, names=[name])
    response = post(client, body)
    assert response.status_code < 500
    assert listing(client.data) == before
    preview = {
        "output": f"{ids.EDITOR_PREVIEW}.children",
        "outputs": {"id": ids.EDITOR_PREVIEW, "property": "children"},
        "inputs": [
            [
                {
                    "id": {"type": ids.FILE_PREVIEW, "name": name},
                    "property": "n_clicks",
                    "value": 1,
                }
            ]
        ],
        "state": [{"id": ids.URL, "property": "search", "value": 3}],
        "changedPropIds": [changed.replace(ids.FILE_DELETE, ids.FILE_PREVIEW)],
    }
    assert post(client, preview).status_code < 500


def test_a_hand_made_request_for_the_exact_file_deletes_exactly_it(client):
    changed = json.dumps({"name": "my final.csv", "type": ids.FILE_DELETE}, separators=(",", ":"))
    response = post(client, edit_request(changed + ".n_clicks", 1, names=["my final.csv"]))
    assert response.status_code == 200
    pending = response.get_json()["response"][ids.EDITOR_PENDING]["data"]
    assert pending == {"action": "delete", "name": "my final.csv"}
    response = post(client, edit_request(CONFIRM, 1, pending=pending))
    assert "my final.csv was deleted" in answer_text(response)
    assert not (client.data / "rankings" / "my final.csv").exists()
    assert any(
        p.startswith("my final.csv.") for p in os.listdir(client.data / "rankings" / ".history")
    )


@pytest.mark.parametrize("page", ["2", [1], {"p": 1}, None, 1e9, -5])
def test_a_hand_made_history_page_of_the_wrong_type_is_not_a_crash(client, page):
    body = {
        "output": f"{editor.HISTORY_PAGE}.data",
        "outputs": {"id": editor.HISTORY_PAGE, "property": "data"},
        "inputs": [
            {"id": editor.HISTORY_PREVIOUS, "property": "n_clicks", "value": 0},
            {"id": editor.HISTORY_NEXT, "property": "n_clicks", "value": 1},
        ],
        "state": [{"id": editor.HISTORY_PAGE, "property": "data", "value": page}],
        "changedPropIds": [f"{editor.HISTORY_NEXT}.n_clicks"],
    }
    assert post(client, body).status_code < 500
