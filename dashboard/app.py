"""create_app(config) -> Dash; for gunicorn: `gunicorn 'dashboard.app:create_server()'`.

Everything is loaded here, not at import: tests build apps over their own data folders.
Loaded data is read-only and captured by the callbacks; there is no mutable module state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from html import escape

from dash import Dash, Input, Output, State, clientside_callback, dcc, html
from flask import request

from dashboard import api, basemap_routes, ids, map_pictures, plotly_bundle, precompressed, security
from dashboard.config import Config
from dashboard.data.basemap import load_basemap
from dashboard.data.history import load_history
from dashboard.data.route import load_route_data
from dashboard.data.store import RankingStore
from dashboard.i18n import texts
from dashboard.pages import bigscreen, editor, explore, history, not_found
from dashboard.response_cache import CallbackResponseCache
from dashboard.startup import loading
from dashboard.towns import LazyGazetteer
from dashboard.view_state import View, view_from_search

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
    """Dash whose HTML page carries a boot screen chosen per request (see boot_screen)."""

    boot_screen: Callable[[str, bytes], str] = staticmethod(lambda path, query: "")

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        return page.replace("<!--boot-->", self.boot_screen(request.path, request.query_string))


def boot_screen(path: str, query: bytes, pictures: map_pictures.MapPictures) -> str:
    """What the HTML page shows before its scripts have run: on the fans' map page the still
    picture of the chosen route's map, painted at once; elsewhere a line of text."""
    view = view_from_search(query.decode("utf-8", "replace"))
    labels = texts(view.lang)
    if path.rstrip("/") not in ("", "/explore"):
        return (
            '<div id="boot-message" class="boot-message" role="status">'
            f"{escape(labels['boot.loading_page'])}</div>"
        )
    width, height = map_pictures.PICTURE_SIZE
    alt = labels["boot.picture_alt"].format(route=labels[f"picker.{view.stage}"])
    return (
        '<div id="boot-message" class="boot-message boot-map" role="status">'
        f'<img src="{escape(pictures.url(view.stage))}" alt="{escape(alt)}" width="{width}"'
        f' height="{height}" elementtiming="route-map-picture" fetchpriority="high">'
        f"<p>{escape(labels['boot.loading_map'])}</p></div>"
    )


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
    app.boot_screen = lambda path, query: boot_screen(path, query, pictures)
    api.register(app.server, store, app.config.routes_pathname_prefix)
    app.layout = html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.PAGE_TITLE),
            html.Div(id=ids.PAGE),
        ]
    )

    @app.callback(
        Output(ids.PAGE, "children"),
        Output(ids.PAGE_TITLE, "data"),
        Input(ids.URL, "pathname"),
        State(ids.URL, "search"),
    )
    def render_page(pathname: str, search: str):
        view = replace(view_from_search(search), nav=search or "")
        lang, labels = view.lang, texts(view.lang)
        path = pathname or "/"
        if path in ("/", "/explore"):
            body = explore.layout(view, route, basemap, store, gazetteer, pictures)
            title = labels["app.title"]
        elif path.rstrip("/") == "/bigscreen":
            body = bigscreen.layout(search, route, basemap, store)
            return body, {"title": labels["bs.title"], "lang": lang, "bigscreen": True}
        elif path.rstrip("/") == "/history":
            body = history.layout(lang, route, basemap, past)
            title = labels["history.title"]
        elif path.rstrip("/") == "/editor":
            body = editor.layout(lang, config, store)
            title = labels["editor.title"]
        else:
            body = not_found.layout(path, lang, labels)
            title = f"{labels['notfound.title']} · {labels['app.title']}"
        return shell(body, view, path), {"title": title, "lang": lang}

    clientside_callback(
        """function(page) {
            if (page) {
                document.title = page.title;
                document.documentElement.lang = page.lang;
                document.body.classList.toggle('bigscreen-mode', !!page.bigscreen);
                // the chosen language is remembered in this browser
                var params = new URLSearchParams(window.location.search);
                try {
                    if (params.has('lang')) {
                        window.localStorage.setItem('miglia-lang', params.get('lang'));
                    } else if (!page.bigscreen) {
                        var stored = window.localStorage.getItem('miglia-lang');
                        if (stored && stored !== page.lang) {
                            params.set('lang', stored);
                            window.location.replace(window.location.pathname + '?' + params.toString());
                        }
                    }
                } catch (e) { /* storage disabled: the address alone decides */ }
            }
            var boot = document.getElementById('boot-message');
            if (boot) { boot.remove(); }
            return window.dash_clientside.no_update;
        }""",
        Output(ids.PAGE_TITLE, "id"),
        Input(ids.PAGE_TITLE, "data"),
    )

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


def shell(body, view: View, path: str) -> list:
    """Header and footer around a page."""
    lang = view.lang
    labels = texts(lang)
    other = "it" if lang == "en" else "en"
    header = html.Header(
        className="top",
        children=[
            html.A(labels["app.skip_to_map"], href="#map", className="skip-link"),
            html.Div(
                [
                    html.H1(
                        html.A(labels["app.heading"], href="/" + View(lang=lang).search()),
                    ),
                    html.P(labels["app.tagline"], className="tagline"),
                ],
                className="brand",
            ),
            html.Nav(
                [
                    html.A(labels["nav.map"], href="/" + View(lang=lang).search()),
                    html.A(labels["history.link"], href="/history" + View(lang=lang).search()),
                ],
                className="top-nav",
                **{"aria-label": labels["nav.map"] + " · " + labels["history.link"]},
            ),
            html.A(
                labels["lang.switch"],
                href=_with_lang(
                    path + View(stage=view.stage, crew=view.crew, lang=other).search(), other
                ),
                className="lang-switch",
                lang=other,
                title=labels["lang.switch_label"],
                id="lang-switch",
            ),
        ],
    )
    footer = html.Footer(
        className="bottom",
        children=[
            html.P(labels["footer.attribution"]),
            html.P(
                [
                    labels["footer.offline"],
                    " ",
                    html.A(labels["editor.link"], href="/editor" + View(lang=lang).search()),
                ]
            ),
        ],
    )
    return [header, html.Main(body, id="main"), footer]


def _with_lang(href: str, lang: str) -> str:
    """An explicit ?lang= (also for the default language), so the choice is remembered."""
    if "lang=" in href:
        return href
    return href + ("&" if "?" in href else "?") + f"lang={lang}"


# Callbacks whose answer depends only on the request and the data folder, known by one of
# their outputs: the page router, the fans' page. Never the editor's (they write files) or the
# big screen's (few screens, rotating on their own).
PURE_CALLBACKS = frozenset(
    {
        ids.PAGE,
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
    if ids.PAGE in outputs:  # the editor's page shows the files' state: never cached
        for item in request.get("inputs") or []:
            if isinstance(item, dict) and str(item.get("value", "")).rstrip("/") == "/editor":
                return False
    return True


def create_server():
    """The Flask server of an app built from the environment (gunicorn entry point)."""
    return create_app().server
