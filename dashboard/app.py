"""create_app(config) -> Dash; for gunicorn: `gunicorn 'dashboard.app:create_server()'`.

Assembly only: load the data, make the Dash app, register the pages (Dash Pages), their
callbacks and the server's routes. Everything is loaded here, not at import: tests build apps
over their own data folders. Loaded data is read-only; there is no mutable module state.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import dash
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html
from flask import Response, request

from dashboard import api, app_data, ids, security, static_files
from dashboard.components.boot_screen import boot_screen
from dashboard.components.map_picture import MapPictures
from dashboard.config import Config
from dashboard.data.basemap import (
    LAYERS,
    RELIEF_PICTURE,
    Basemap,
    layer_geojson,
    load_basemap,
)
from dashboard.data.elevation import GRID_FILE, load_elevation
from dashboard.data.history import load_history
from dashboard.data.profile import route_profile
from dashboard.data.route import ROUTE_IDS, STAGE_CHOICES, RouteData, load_route_data
from dashboard.data.store import RankingStore
from dashboard.figures.route_map import (
    GLYPHS_URL,
    first_map_files,
    relief_url,
    route_trace_table,
)
from dashboard.figures.static_map import PICTURE_LAYERS, relief_box, route_map_svg
from dashboard.gazetteer import LazyGazetteer
from dashboard.i18n import texts
from dashboard.pages import bigscreen, editor, explore, history, not_found
from dashboard.race import build_standings
from dashboard.response_cache import CallbackResponseCache
from dashboard.startup import loading

PAGES = (explore, history, editor, bigscreen, not_found)
# the partial plotly.js (the traces the app draws), built by tools/build_plotly_bundle.sh
PLOTLY_BUNDLE = Path(__file__).resolve().parent / "vendor" / "plotly" / "plotly-miglia.min.js"
# the map's font ranges for town names, built by tools/build_glyphs.py
GLYPHS_DIR = PLOTLY_BUNDLE.parent.parent / "glyphs"
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
        data = app_data.current()
        screen = boot_screen(request.path, query, data.pictures, first_map_files(data.basemap))
        return page.replace("<!--boot-->", screen)


def create_app(config: Config | None = None) -> Dash:
    with loading():
        return _create_app(config)


def _create_app(config: Config | None) -> Dash:
    config = config or Config.from_env()
    route = load_route_data(config.stages_path)
    basemap = load_basemap(config.basemap_dir)
    past = load_history(config.data_dir / "history.json")
    elevation = load_elevation(config.data_dir / GRID_FILE)
    # the town lookup's gazetteer and per-route tables are made by its first use
    gazetteer = LazyGazetteer(config.basemap_dir / "comuni.csv")
    store = RankingStore(config.rankings_dir, build=build_standings)  # the model, per snapshot
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
    files = static_files.install(
        app.server,
        config.precompressed_dir,
        app.config.routes_pathname_prefix,
        app.config.requests_pathname_prefix,
    )
    # a partial plotly.js, defined before Dash's scripts: dcc.Graph then uses window.Plotly
    # instead of fetching Dash's full plotly.min.js
    files.add("plotly-miglia.min.js", PLOTLY_BUNDLE.read_bytes())
    app.index_string = INDEX_STRING.replace("{plotly_src}", files.url("plotly-miglia.min.js"))
    # callback answers are compressed on the fly: zstd for browsers that accept it, gzip
    # level 4 for the others (the trade-off: docs/performance.md, "Why the code is so")
    app.server.config["COMPRESS_LEVEL"] = 4
    glyphs = static_files.install_glyphs(
        app.server, files, GLYPHS_DIR, app.config.routes_pathname_prefix
    )
    basemap = _add_relief(files, basemap, config.basemap_dir)
    basemap, pictures = _add_map_files(files, route, basemap, glyphs)
    # fixed data: every route's profile once, not on each page open or stage choice
    profiles = {route_id: route_profile(route, elevation, route_id) for route_id in ROUTE_IDS}
    data = app_data.AppData(
        config,
        route,
        basemap,
        past,
        store,
        gazetteer,
        pictures,
        elevation,
        profiles,
        route_trace_table(route),  # likewise the map's routes, for every page open
    )
    app_data.install(app.server, data)
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
    explore.register_callbacks(app, data)
    editor.register_callbacks(app, config, store)
    bigscreen.register_callbacks(app, route, basemap, store)
    # identical requests for the same view on the same data are answered from a cache
    app.server.wsgi_app = CallbackResponseCache(
        app.server.wsgi_app, store.version, is_pure_callback
    )
    # uploads are checked against MAX_BYTES in words; this only stops absurd requests early
    app.server.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    _set_up_before_serving(app)
    return app


def _set_up_before_serving(app: Dash) -> None:
    """Dash sets itself up on its first request and flags that done before it is, so a
    second thread of a worker could find no component script registered and answer 500 (an
    empty page): one request now does the set-up, before any fan's (and, with gunicorn
    --preload, before the workers are forked). It asks for a static file that does not exist:
    an answer that touches no data (and starts no ingest)."""
    app.server.test_client().get(app.config.routes_pathname_prefix + static_files.PREFIX + "-")


def _add_map_files(
    files: static_files.StaticFiles, route: RouteData, basemap: Basemap, glyphs: str
) -> tuple[Basemap, MapPictures]:
    """The basemap's layers as files, so maps name URLs instead of carrying them (and the
    glyphs URL template, for town names); the still pictures of the route map (painted before
    any script), each made on first use."""
    for layer in LAYERS:
        body = json.dumps(layer_geojson(basemap, layer), separators=(",", ":")).encode()
        files.add(f"basemap/{layer}.geojson", body)
    urls = {name: files.url(f"basemap/{name}.geojson") for name in LAYERS}
    basemap = replace(basemap, urls={**(basemap.urls or {}), **urls, GLYPHS_URL: glyphs})
    for choice in STAGE_CHOICES:
        for layer in PICTURE_LAYERS:
            files.add(
                f"route-map/{choice}-{layer}.svg",
                lambda c=choice, part=layer: route_map_svg(route, basemap, c, part).encode(),
            )
    pictures = MapPictures(
        static_files.Folder(files, "route-map", ".svg"),
        relief_url(basemap),
        {choice: relief_box(route, basemap, choice) for choice in STAGE_CHOICES},
    )
    return basemap, pictures


def _add_relief(files: static_files.StaticFiles, basemap: Basemap, folder: Path) -> Basemap:
    """The shaded relief picture as a file the map names (the maps draw it under the routes)."""
    files.add(f"basemap/{RELIEF_PICTURE}", (folder / RELIEF_PICTURE).read_bytes())
    return replace(basemap, urls={"relief": files.url(f"basemap/{RELIEF_PICTURE}")})


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
        ids.GRID_BOX,
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
