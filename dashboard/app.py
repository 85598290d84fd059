"""create_app(config) -> Dash; for gunicorn: `gunicorn 'dashboard.app:create_server()'`.

Assembly only: load the data, make the Dash app, register the pages (Dash Pages), their
callbacks and the server's routes. Everything is loaded here, not at import: tests build apps
over their own data folders. Loaded data is read-only; there is no mutable module state.
"""

from __future__ import annotations

import re

import dash
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html
from flask import Response, request

from dashboard import (
    api,
    app_data,
    basemap_routes,
    ids,
    map_pictures,
    plotly_bundle,
    precompressed,
    security,
)
from dashboard.components.boot_screen import boot_screen
from dashboard.config import Config
from dashboard.data.basemap import load_basemap
from dashboard.data.history import load_history
from dashboard.data.route import load_route_data
from dashboard.data.store import RankingStore
from dashboard.gazetteer import LazyGazetteer
from dashboard.i18n import texts
from dashboard.pages import bigscreen, editor, explore, history, not_found
from dashboard.response_cache import CallbackResponseCache
from dashboard.startup import loading

PAGES = (explore, history, editor, bigscreen, not_found)
PAGES_LOCATION = app_data.PAGES_LOCATION
PAGES_CONTENT = "_pages_content"  # where dash.page_container shows the page (the router's output)
PAGES_TITLE_DONE = "_pages_dummy"  # the output of Dash Pages' own document.title callback

INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
<head>
{%metas%}
<title>{%title%}</title>
<link rel="icon" type="image/svg+xml" href="/assets/favicon.svg">
{%css%}
</head>
<body>
<!--boot-->
{%app_entry%}
{%config%}<script src="{plotly_src}"></script>{%scripts%}{%renderer%}
</body>
</html>"""


class MigliaDash(Dash):
    """Dash whose HTML page carries the boot screen of the address asked for."""

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        query = request.query_string.decode("utf-8", "replace")
        screen = boot_screen(request.path, query, app_data.current().pictures)
        return page.replace("<!--boot-->", screen)


def create_app(config: Config | None = None) -> Dash:
    with loading():
        return _create_app(config)


def _create_app(config: Config | None) -> Dash:
    config = config or Config.from_env()
    route = load_route_data(config.stages_path)
    basemap = load_basemap(config.basemap_dir)
    past = load_history(config.data_dir / "history.json")
    # the town lookup's gazetteer and per-route tables are made by its first use
    gazetteer = LazyGazetteer(config.basemap_dir / "comuni.csv")
    store = RankingStore(config.rankings_dir)
    store.load()  # the folder as it is now, before the first page

    app = MigliaDash(
        __name__,
        use_pages=True,
        pages_folder="",  # the pages register themselves (PAGES), nothing is imported by path
        include_pages_meta=False,  # the page's own meta tags, not Dash's social-media ones
        # every page's layout gets the address too (the language switch keeps it)
        routing_callback_inputs={
            "pathname": State(PAGES_LOCATION, "pathname"),
            "search": State(PAGES_LOCATION, "search"),
        },
        assets_folder=str(config.assets_dir),
        title=texts("en")["app.title"],
        update_title=None,
        compress=True,
        serve_locally=True,
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": texts("en")["app.tagline"]},
        ],
    )
    security.install(app.server)  # CSP and other headers on every response
    # static scripts as brotli twins compressed ahead of time (dashboard/precompressed.py)
    twins = precompressed.register(
        app.server, app.config.routes_pathname_prefix, config.precompressed_dir
    )
    # a partial plotly.js, defined before Dash's scripts: dcc.Graph then uses window.Plotly
    # instead of fetching Dash's full plotly.min.js (see dashboard/plotly_bundle.py)
    plotly_src = plotly_bundle.register(
        app.server,
        app.config.routes_pathname_prefix,
        app.config.requests_pathname_prefix,
        twins,
    )
    app.index_string = INDEX_STRING.replace("{plotly_src}", plotly_src)
    # callback answers are compressed on the fly: zstd (level 3) for browsers that accept it,
    # as Chromium does; gzip level 4, not 6, for the others: a 375 kB standings answer in
    # 3.5 ms instead of 5.6 ms, 8% larger. Identical answers come from the response cache.
    app.server.config["COMPRESS_LEVEL"] = 4
    # the basemap's layers as cached GeoJSON files: maps name URLs instead of carrying them
    basemap = basemap_routes.register(
        app.server, basemap, app.config.routes_pathname_prefix, app.config.requests_pathname_prefix
    )
    # the still picture of the route map: painted before any script, kept under the
    # interactive map until that has drawn (dashboard/map_pictures.py)
    pictures = map_pictures.register(
        app.server,
        route,
        basemap,
        app.config.routes_pathname_prefix,
        app.config.requests_pathname_prefix,
        twins,
    )
    app_data.install(
        app.server, app_data.AppData(config, route, basemap, past, store, gazetteer, pictures)
    )
    api.register(app.server, store, app.config.routes_pathname_prefix)
    # Dash's page registry is global: each app registers the same pages again, and each
    # layout reads its own app's data (app_data.current())
    for page in PAGES:
        page.register()
    app.layout = html.Div([dcc.Location(id=ids.URL, refresh="callback-nav"), dash.page_container])
    app.clientside_callback(
        ClientsideFunction("page", "show"),  # assets/page.js
        Output(ids.PAGE_TITLE, "id"),
        Input(ids.PAGE_TITLE, "data"),
        State(PAGES_TITLE_DONE, "children"),  # waits for Dash Pages' own title: ours wins
    )
    _answer_404_off_the_pages(app)
    explore.register_callbacks(app, route, basemap, store, gazetteer)
    editor.register_callbacks(app, config, store)
    bigscreen.register_callbacks(app, route, basemap, store)
    # identical requests for the same view on the same data are answered from a cache
    app.server.wsgi_app = CallbackResponseCache(
        app.server.wsgi_app, store.version, is_pure_callback
    )
    # uploads are checked against MAX_BYTES in words; this only stops absurd requests early
    app.server.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    return app


def _answer_404_off_the_pages(app: Dash) -> None:
    """An address no page is registered at gets the app's HTML page (Dash Pages draws the
    not-found page in it) with HTTP status 404, as a crawler or a link checker expects."""
    catch_all = app.config.routes_pathname_prefix + "<path:path>"

    def status(response: Response) -> Response:
        if request.endpoint == catch_all and not is_page(app.strip_relative_path(request.path)):
            response.status_code = 404
        return response

    app.server.after_request(status)


def is_page(path: str | None) -> bool:
    """Whether a page is registered at this address (relative, slashes left out or not)."""
    path = (path or "").strip("/")
    return any(
        page["path"].strip("/") == path
        for module, page in dash.page_registry.items()
        if module != not_found.MODULE
    )


# Callbacks whose answer depends only on the request and the data folder, known by one of
# their outputs: the page router (Dash Pages'), the fans' page. Never the editor's (they write
# files) or the big screen's (few screens, rotating on their own).
PURE_CALLBACKS = frozenset(
    {
        PAGES_CONTENT,
        ids.VIEW,
        ids.STANDINGS_GRID,
        ids.BUMP_CHART,
        ids.STAGE_CARD,
        ids.TOWN_ANSWER,
        ids.TOWN_SUGGESTIONS,
        ids.DOWNLOAD,
        ids.MAP_DOWNLOAD,
    }
)
_OUTPUT_ID = re.compile(r"(?:^|\.\.)([A-Za-z0-9_-]+)\.")


def is_pure_callback(request: dict) -> bool:
    """Whether a callback request may be answered from the response cache."""
    outputs = set(_OUTPUT_ID.findall(str(request.get("output", ""))))
    if not outputs & PURE_CALLBACKS:
        return False
    if PAGES_CONTENT in outputs:  # the editor's page shows the files' state: never cached
        for item in request.get("inputs") or []:
            if isinstance(item, dict) and str(item.get("value", "")).rstrip("/") == "/editor":
                return False
    return True


def create_server():
    """The Flask server of an app built from the environment (gunicorn entry point)."""
    return create_app().server
