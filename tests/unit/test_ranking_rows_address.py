"""A ranking's table rows by their own immutable address (issue 18: send only what changed).

The fans' page names the rows' address in its standings answer; the browser fetches them only
when the ranking, the data version or the language changes, and marks the selected crew
itself. These tests read the shipped 2020 data through an app's Flask server.
"""

from __future__ import annotations

import gzip
import json
import shutil
from urllib.parse import quote

import brotli
import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.components.standings import grid_rows
from dashboard.config import DEFAULT_DATA_DIR, Config
from dashboard.i18n import LANGUAGES, texts
from dashboard.pages.explore import ROWS_PATH, rows_address
from dashboard.race import standings_view
from dashboard.view_state import View, resolve

A_RANKING = """# checkpoint: After time trial 112 (unit test)
# stage: 4
# order: 8
# time: 2020-10-25 11:40
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,45,Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929,80001,
2,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,79990,
"""


@pytest.fixture
def app(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, folder, ignore=shutil.ignore_patterns(".history", ".ingest"))
    return create_app(Config(data_dir=folder))


def store_of(app):
    return app.server.extensions["miglia"].store


def rows_of(client, version: str, lang: str, checkpoint: str, encoding: str = "gzip"):
    answer = client.get(
        f"/{ROWS_PATH}/{version}/{lang}/{quote(checkpoint, safe='')}.json",
        headers={"Accept-Encoding": encoding},
    )
    return answer


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON: a browser's JSON.parse refuses it")


def decoded(answer) -> list[dict]:
    body = answer.data
    encoding = answer.headers.get("Content-Encoding")
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        body = brotli.decompress(body)
    return json.loads(body, parse_constant=_not_json)  # strict, as the browser reads it


def without_selection(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "selected"} for row in rows]


def test_the_rows_at_their_address_are_what_the_page_showed_for_every_ranking(app):
    """For every shipped ranking, in both languages, with no crew or any of three crews
    selected: the rows the standings view gave the page (grid_rows(shown.rows)), but for
    the selection the browser now draws."""
    client = app.server.test_client()
    snapshot = store_of(app).snapshot()
    checkpoints = list(snapshot.standings.checkpoints.index)
    assert len(checkpoints) >= 7
    for checkpoint in checkpoints:
        for lang in LANGUAGES:
            answer = rows_of(client, snapshot.version, lang, checkpoint)
            assert answer.status_code == 200, (checkpoint, lang)
            served = decoded(answer)
            assert served and all(row["selected"] is False for row in served)
            for crew in (None, "46", "45", served[-1]["crew_id"]):
                view = resolve(
                    View(checkpoint=checkpoint, crew=crew, lang=lang), snapshot.standings
                )
                shown = standings_view(snapshot, view)
                assert without_selection(served) == without_selection(grid_rows(shown.rows))


def test_the_rows_are_immutable_compressed_and_revalidated(app):
    client = app.server.test_client()
    snapshot = store_of(app).snapshot()
    checkpoint = snapshot.standings.checkpoints.index[-1]
    plain = rows_of(client, snapshot.version, "it", checkpoint, "identity")
    assert plain.status_code == 200 and plain.mimetype == "application/json"
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Vary"] == "Accept-Encoding"
    assert "Content-Encoding" not in plain.headers
    for encoding in ("gzip", "br"):
        packed = rows_of(client, snapshot.version, "it", checkpoint, encoding)
        assert packed.headers["Content-Encoding"] == encoding
        assert len(packed.data) < len(plain.data) / 3
        assert decoded(packed) == json.loads(plain.data)
    again = client.get(
        f"/{ROWS_PATH}/{snapshot.version}/it/{checkpoint}.json",
        headers={"Accept-Encoding": "identity", "If-None-Match": plain.headers["ETag"]},
    )
    assert again.status_code == 304 and not again.data
    # the Italian rows name an inferred number's ranking in Italian, the English in English
    english = json.loads(rows_of(client, snapshot.version, "en", checkpoint, "identity").data)
    assert [r["crew_id"] for r in english] == [r["crew_id"] for r in json.loads(plain.data)]


@pytest.mark.parametrize(
    ("version", "lang", "checkpoint"),
    [
        ("000999-nosuchversion", "en", "CURRENT"),
        ("CURRENT", "en", "2099-no-such-ranking"),
        ("CURRENT", "fr", "CURRENT"),
    ],
)
def test_an_unknown_version_ranking_or_language_is_a_404_in_words(app, version, lang, checkpoint):
    client = app.server.test_client()
    snapshot = store_of(app).snapshot()
    version = snapshot.version if version == "CURRENT" else version
    if checkpoint == "CURRENT":
        checkpoint = snapshot.standings.checkpoints.index[0]
    answer = rows_of(client, version, lang, checkpoint)
    assert answer.status_code == 404
    assert answer.headers["Cache-Control"] == "no-store"  # no proxy keeps a miss
    message = answer.get_json()["error"]
    assert f"'{checkpoint}'" in message and f"'{version}'" in message and f"'{lang}'" in message
    assert "not kept any more or never was" in message


def test_an_older_version_keeps_its_own_rows_while_kept(app):
    """A page still showing the version before a new file asks for that version's rows and
    gets them, not the new version's: the address names the version."""
    client = app.server.test_client()
    store = store_of(app)
    before = store.snapshot()
    last = before.standings.checkpoints.index[-1]
    old_rows = decoded(rows_of(client, before.version, "en", last))
    (app.server.extensions["miglia"].config.data_dir / "rankings" / "2020-08-unit.csv").write_text(
        A_RANKING, "utf-8"
    )
    store.publish_now()
    after = store.snapshot()
    assert after.version != before.version
    assert decoded(rows_of(client, before.version, "en", last)) == old_rows
    new = after.standings.checkpoints.index.difference(before.standings.checkpoints.index)
    assert len(new) == 1
    assert rows_of(client, before.version, "en", new[0]).status_code == 404
    assert [r["crew_id"] for r in decoded(rows_of(client, after.version, "en", new[0]))] == [
        "45",
        "46",
    ]


# ---- the standings answer names the rows; it does not carry them


def standings_request(app, view: dict, rows_store: dict | None, marker: str | None = None):
    """What the browser posts when the view store changes: show_standings' request."""
    key = next(k for k in app.callback_map if f"{ids.STANDINGS_ROWS}.data" in k)
    outputs = []
    for part in key.strip(".").split("..."):
        component, _, prop = part.rpartition(".")
        outputs.append({"id": component, "property": prop})
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [{"id": ids.VIEW, "property": "data", "value": view}],
        "state": [
            {"id": ids.MAP_MARKER, "property": "data", "value": marker},
            {"id": ids.STANDINGS_ROWS, "property": "data", "value": rows_store},
        ],
        "changedPropIds": [f"{ids.VIEW}.data"],
    }


def answer_of(client, request: dict) -> dict:
    answer = client.post("/_dash-update-component", json=request)
    assert answer.status_code == 200
    return answer.get_json()["response"]


def test_selecting_a_crew_or_moving_within_a_ranking_sends_no_rows(app):
    client = app.server.test_client()
    snapshot = store_of(app).snapshot()
    standings = snapshot.standings
    first = resolve(View(version=snapshot.version), standings)
    answer = answer_of(client, standings_request(app, first.to_dict(), None))
    rows_store = answer[ids.STANDINGS_ROWS]["data"]
    assert rows_store["url"] == rows_address("/", snapshot.version, "en", first.checkpoint)
    assert rows_store["loading"] == texts("en")["table.loading"]
    assert ids.STANDINGS_GRID not in answer  # no rows in a standings answer, ever
    marker = answer[ids.MAP_MARKER]["data"]

    # a crew selected in the same ranking: its card and charts, no rows, no new address
    crew = View.from_dict({**first.to_dict(), "crew": "46"})
    answer = answer_of(client, standings_request(app, crew.to_dict(), rows_store, marker))
    assert ids.STANDINGS_ROWS not in answer and ids.STANDINGS_GRID not in answer
    assert "Vesco" in json.dumps(answer[ids.CREW_CARD])
    assert "change_text" not in json.dumps(answer)  # no grid row anywhere in the answer
    # another stage whose view keeps the same ranking: still the same rows
    same = View.from_dict({**crew.to_dict(), "playing": True})
    answer = answer_of(client, standings_request(app, same.to_dict(), rows_store, marker))
    assert ids.STANDINGS_ROWS not in answer

    # the scrubber on another ranking: a new address (fetched once by the browser)
    other = standings.checkpoints.index[0]
    moved = View.from_dict({**crew.to_dict(), "checkpoint": other})
    answer = answer_of(client, standings_request(app, moved.to_dict(), rows_store, marker))
    assert answer[ids.STANDINGS_ROWS]["data"]["url"].endswith(f"/en/{other}.json")
    # and in Italian the same ranking is another address, with its words
    italian = View.from_dict({**crew.to_dict(), "lang": "it"})
    answer = answer_of(client, standings_request(app, italian.to_dict(), rows_store, marker))
    assert answer[ids.STANDINGS_ROWS]["data"]["url"].endswith(f"/it/{first.checkpoint}.json")
    assert answer[ids.STANDINGS_ROWS]["data"]["loading"] == texts("it")["table.loading"]


def test_the_page_carries_the_rows_address_and_draws_the_first_rows_with_the_grid(app):
    """The first render names the address the rows would be fetched from; the grid, drawn
    after the map, comes with its ranking's rows inline (no second round trip) and the crew
    to mark in its context."""
    from dashboard.pages.explore import drawn_standings
    from tests.router import router_request

    client = app.server.test_client()
    snapshot = store_of(app).snapshot()
    answer = client.post("/_dash-update-component", json=router_request("/", "?crew=46&lang=it"))
    page = json.loads(answer.get_data(as_text=True))
    found = {}
    stack = [page["response"]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == ids.STANDINGS_ROWS:
                found[props["id"]] = props
            stack.extend(node.values())
    view = resolve(View(lang="it", crew="46", version=snapshot.version), snapshot.standings)
    assert found[ids.STANDINGS_ROWS]["data"]["url"] == rows_address(
        "/", snapshot.version, "it", view.checkpoint
    )
    grid = drawn_standings(view, snapshot)[0]
    served = decoded(rows_of(client, snapshot.version, "it", view.checkpoint))
    assert grid.rowData == served
    assert grid.dashGridOptions["context"] == {"crew": "46"}
