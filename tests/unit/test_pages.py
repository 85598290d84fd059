"""Dash Pages (dashboard/app.py, dashboard/pages/): every page answers at its address, an
unknown address gets the not-found page with HTTP status 404, and apps built in one process
each serve their own data. Flask's test client, no server."""

from __future__ import annotations

import json
import shutil

import dash
import pytest
from dash import dcc, html

from dashboard import app_data
from dashboard.app import PAGES_CONTENT, PAGES_TITLE_DONE, create_app, is_page
from dashboard.config import DEFAULT_DATA_DIR, Config
from tests.router import page_title, router_request

PAGES = ["/", "/explore", "/history", "/editor", "/bigscreen", "/history/", "/?lang=it"]
UNKNOWN = ["/nope", "/no/such/page", "/404", "/history/more", "/nope?lang=it"]


def _data(tmp_path_factory, name: str):
    data = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns(".history", ".ingest"))
    return data


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """Two apps in one process, as the tests build them: editing on in one, off in the other."""
    with_token = create_app(Config(data_dir=_data(tmp_path_factory, "a"), editor_token="t0k3n"))
    read_only = create_app(Config(data_dir=_data(tmp_path_factory, "b")))
    return with_token, read_only


@pytest.fixture(scope="module")
def client(apps):
    return apps[1].server.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_200(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'id="_dash-config"' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", UNKNOWN)
def test_an_unknown_address_answers_404_with_the_app_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    # the app's own HTML page, which the router fills with the not-found page
    assert 'id="_dash-config"' in page and 'id="boot-message"' in page
    assert response.mimetype == "text/html"


def test_the_router_draws_the_not_found_page_in_the_address_language(client):
    answer = client.post("/_dash-update-component", json=router_request("/nope", "?lang=it"))
    assert answer.status_code == 200
    text = json.dumps(answer.get_json(), ensure_ascii=False)
    assert "not-found" in text and "L'indirizzo /nope non esiste" in text
    assert page_title(answer.get_json()) == {
        "title": "Pagina non trovata · Mappa del percorso 1000 Miglia",
        "lang": "it",
    }


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "1000 Miglia route map"),
        ("/explore", "1000 Miglia route map"),
        ("/history", "History of the 1000 Miglia"),
        ("/bigscreen", "1000 Miglia · big screen"),
    ],
)
def test_the_router_draws_each_page_with_its_title(client, path, title):
    answer = client.post("/_dash-update-component", json=router_request(path))
    assert answer.status_code == 200
    assert page_title(answer.get_json())["title"] == title


def test_a_query_change_within_the_fans_page_leaves_the_page_in_place(client):
    """A stage link or Back changes only the query: the page's own callbacks follow it, the
    router does not draw the page (and its map) again."""
    request = router_request("/", "?stage=3", changed="search")
    assert client.post("/_dash-update-component", json=request).status_code == 204


def test_apps_in_one_process_each_serve_their_own_data(apps):
    with_token, read_only = apps
    answers = [
        app.server.test_client().post("/_dash-update-component", json=router_request("/editor"))
        for app in (with_token, read_only, with_token)
    ]
    readonly = ["editor-readonly" in a.get_data(as_text=True) for a in answers]
    assert readonly == [False, True, False]
    assert app_data.AppData is type(with_token.server.extensions["miglia"])
    assert with_token.server.extensions["miglia"] is not read_only.server.extensions["miglia"]


def test_pages_are_registered_once_whatever_the_number_of_apps(apps):
    paths = sorted(page["path"] for page in dash.page_registry.values())
    assert paths == ["/", "/404", "/bigscreen", "/editor", "/explore", "/history"]
    assert is_page("history/") and is_page("") and not is_page("404") and not is_page("nope")


def test_the_ids_the_app_relies_on_are_dash_pages_own():
    """Dash Pages' component ids are private to Dash: a Dash upgrade that renames them
    fails here rather than in a browser."""
    container = dash.page_container.children
    assert isinstance(container[0], dcc.Location) and container[0].id == app_data.PAGES_LOCATION
    assert isinstance(container[1], html.Div) and container[1].id == PAGES_CONTENT
    assert any(c.id == PAGES_TITLE_DONE for c in container)
