"""The one static-file layer (dashboard/static_files.py): hash-named, immutable, compressed
once, brotli or gzip as accepted; the files the app registers with it (the plotly.js bundle,
the basemap layers, the still pictures of the route map); the build step's brotli twins
(tools/build_twins.py), also of Dash's component scripts; and callback answers, which are
not static, compressed on the fly per accepted encoding."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import brotli
import pytest
from flask import Flask
from plotly.offline import get_plotlyjs_version

from dashboard import static_files
from dashboard.app import GLYPHS_DIR, PLOTLY_BUNDLE, create_app
from dashboard.config import Config
from dashboard.data.basemap import LAYERS, layer_geojson, load_basemap
from dashboard.data.route import STAGE_CHOICES, load_route_data
from dashboard.figures.route_map import route_map
from dashboard.figures.static_map import PICTURE_LAYERS, route_map_svg
from tests.router import page_title, router_request
from tools import build_twins

CACHE_CONTROL = "public, max-age=31536000, immutable"
CHROMIUM_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium asks for, loopback included
BODY = b"var miglia = 'Brescia Roma Brescia';\n" * 400


def _probe(twins_dir, body=BODY):
    server = Flask("probe")
    files = static_files.install(server, twins_dir)
    files.add("scripts/miglia.min.js", body)
    return files, server.test_client()


def test_a_file_is_served_at_an_address_of_its_content_cached_for_good(tmp_path):
    files, client = _probe(tmp_path)
    url = files.url("scripts/miglia.min.js")
    digest = hashlib.sha256(BODY).hexdigest()[:16]
    assert url == f"/_miglia/scripts/miglia.{digest}.min.js"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.get_data() == BODY
    assert plain.headers["Cache-Control"] == CACHE_CONTROL
    assert plain.headers["Content-Type"] == "application/javascript; charset=utf-8"
    assert plain.headers["Content-Length"] == str(len(BODY))
    assert plain.headers["Vary"] == "Accept-Encoding"
    assert plain.headers["ETag"] == f'"{digest}"' and "Content-Encoding" not in plain.headers
    # another content, another address; the old one is gone
    other, other_client = _probe(tmp_path, BODY + b"//")
    assert other.url("scripts/miglia.min.js") != url
    assert other_client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("accepted", "encoding", "decode"),
    [
        (CHROMIUM_ENCODINGS, "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("br;q=0, gzip", "gzip", gzip.decompress),
        ("identity", None, bytes),
        ("zstd;q=0, deflate", None, bytes),
    ],
)
def test_brotli_or_gzip_as_the_browser_accepts_compressed_once(
    tmp_path, accepted, encoding, decode
):
    files, client = _probe(tmp_path)
    url = files.url("scripts/miglia.min.js")
    sent = client.get(url, headers={"Accept-Encoding": accepted})
    assert sent.status_code == 200 and sent.headers.get("Content-Encoding") == encoding
    assert decode(sent.get_data()) == BODY
    assert sent.headers["Content-Length"] == str(len(sent.get_data()))
    assert (
        sent.headers["Cache-Control"] == CACHE_CONTROL and sent.headers["Vary"] == "Accept-Encoding"
    )
    digest = hashlib.sha256(BODY).hexdigest()[:16]
    assert sent.headers["ETag"] == (f'"{digest}-{encoding}"' if encoding else f'"{digest}"')
    again = client.get(url, headers={"Accept-Encoding": accepted})
    assert again.get_data() == sent.get_data()
    if encoding:  # compressed once: the same bytes object from the registry
        assert files.encoded("scripts/miglia.min.js", encoding) is files.encoded(
            "scripts/miglia.min.js", encoding
        )


def test_a_copy_the_browser_holds_is_answered_not_modified(tmp_path):
    files, client = _probe(tmp_path)
    url = files.url("scripts/miglia.min.js")
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    for held in (first.headers["ETag"], '"0000000000000000", ' + first.headers["ETag"], "*"):
        again = client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": held})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == first.headers["ETag"]
        assert again.headers["Cache-Control"] == CACHE_CONTROL
    # the same content in another encoding is still a good copy
    gzip_tag = first.headers["ETag"]
    brotli_held = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": gzip_tag})
    assert brotli_held.status_code == 304
    changed = client.get(url, headers={"If-None-Match": '"0000000000000000"'})
    assert changed.status_code == 200 and changed.get_data()


def test_an_unknown_or_old_address_is_not_found(tmp_path):
    files, client = _probe(tmp_path)
    url = files.url("scripts/miglia.min.js")
    old = re.sub(r"\.[0-9a-f]{16}\.", ".0000000000000000.", url)
    for address in (old, "/_miglia/scripts/miglia.min.js", "/_miglia/nothing.0000000000000000.js"):
        assert client.get(address).status_code == 404
    with pytest.raises(KeyError):
        files.url("scripts/nothing.min.js")
    with pytest.raises(ValueError):
        files.add("notes.txt", b"no content type known")


def test_a_file_made_on_first_use_is_made_once_and_served_by_a_fresh_worker(tmp_path):
    made = []

    def picture() -> bytes:
        made.append(1)
        return b"<svg xmlns='http://www.w3.org/2000/svg'/>"

    files, client = _probe(tmp_path)
    files.add("route-map/2.svg", picture)
    assert made == []  # nothing made at start
    url = static_files.Folder(files, "route-map", ".svg").url("2")
    assert re.fullmatch(r"/_miglia/route-map/2\.[0-9a-f]{16}\.svg", url)
    assert client.get(url).mimetype == "image/svg+xml" and len(made) == 1
    # another worker was given the address by a page of this one: it makes the file itself
    other, other_client = _probe(tmp_path)
    other.add("route-map/2.svg", picture)
    assert other_client.get(url).status_code == 200 and len(made) == 2


def test_a_file_with_a_twin_is_sent_as_that_twin(tmp_path):
    twin = brotli.compress(BODY, quality=1)  # recognisable: level 11 would be smaller
    (tmp_path / static_files.twin_name(BODY)).write_bytes(twin)
    files, client = _probe(tmp_path)
    sent = client.get(files.url("scripts/miglia.min.js"), headers={"Accept-Encoding": "br"})
    assert sent.headers["Content-Encoding"] == "br" and sent.get_data() == twin


# --- the files of the app


def test_the_bundle_is_the_plotly_js_of_the_installed_plotly_package():
    # an upgraded `plotly` needs tools/build_plotly_bundle.sh run for its plotly.js version
    head = PLOTLY_BUNDLE.read_bytes()[:300].decode("ascii")
    assert f"plotly.js v{get_plotlyjs_version()} partial bundle" in head


def test_the_page_loads_the_bundle_first_and_it_is_cached_for_good(data_dir, tmp_path):
    app = create_app(Config(data_dir=data_dir, precompressed_dir=tmp_path / "no-twins"))
    client = app.server.test_client()
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    # one icon, the app's own (Dash's default favicon.ico would be one request more)
    assert re.findall(r'<link rel="icon"[^>]*>', page) == [
        '<link rel="icon" type="image/svg+xml" href="/assets/favicon.svg">'
    ]
    assert client.get("/assets/favicon.svg").status_code == 200
    assert re.fullmatch(r"/_miglia/plotly-miglia\.[0-9a-f]{16}\.min\.js", scripts[0])
    assert not any("plotly.min.js" in src for src in scripts)

    body = PLOTLY_BUNDLE.read_bytes()
    plain = client.get(scripts[0], headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.get_data() == body
    assert plain.headers["Cache-Control"] == CACHE_CONTROL
    assert plain.mimetype == "application/javascript"
    # no twin here: gzip, or brotli made by the server (at a quick level for 3 MB)
    packed = client.get(scripts[0], headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == body
    quick = client.get(scripts[0], headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert quick.headers["Content-Encoding"] == "br"
    assert brotli.decompress(quick.get_data()) == body


def test_each_basemap_layer_is_served_at_a_content_hashed_cached_address(data_dir):
    client = create_app(Config(data_dir=data_dir)).server.test_client()
    basemap = load_basemap(Config(data_dir=data_dir).basemap_dir)
    served = client.application.extensions["miglia"].basemap
    for layer in LAYERS:
        url = served.urls[layer]
        assert re.fullmatch(rf"/_miglia/basemap/{layer}\.[0-9a-f]{{16}}\.geojson", url)
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and plain.mimetype == "application/geo+json"
        assert plain.headers["Cache-Control"] == CACHE_CONTROL
        assert json.loads(plain.get_data()) == layer_geojson(basemap, layer)
        for accepted, decode in (
            ("gzip", gzip.decompress),
            (CHROMIUM_ENCODINGS, brotli.decompress),
        ):
            packed = client.get(url, headers={"Accept-Encoding": accepted})
            assert decode(packed.get_data()) == plain.get_data()
    assert client.get("/_miglia/basemap/nothing.geojson").status_code == 404
    italy = layer_geojson(basemap, "italy")["features"]
    assert italy and all(f["properties"].get("italy") for f in italy)


def test_the_map_names_the_served_layers_instead_of_carrying_them(data_dir):
    config = Config(data_dir=data_dir)
    app = create_app(config)
    served = app.server.extensions["miglia"].basemap
    route = load_route_data(config.stages_path)
    figure = route_map(route, served, "all", "en", None)
    sources = [layer["source"] for layer in figure["layout"]["map"]["layers"]]
    assert sources == [served.urls[layer] for layer in ("land", "italy", "relief", "regions")]
    inline = route_map(route, load_basemap(config.basemap_dir), "all", "en", None)
    assert len(json.dumps(figure)) < len(json.dumps(inline)) - 200_000


def test_each_route_picture_is_served_once_made_at_a_cached_address(
    data_dir, shipped_route, basemap, tmp_path
):
    server = create_app(Config(data_dir=data_dir, precompressed_dir=tmp_path)).server
    pictures = server.extensions["miglia"].pictures
    client = server.test_client()
    url = pictures.url("2", "lines")
    assert re.fullmatch(r"/_miglia/route-map/2-lines\.[0-9a-f]{16}\.svg", url)
    assert pictures.url("2", "lines") == url
    assert pictures.url("2", "ground") != url
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.mimetype == "image/svg+xml"
    assert plain.headers["Cache-Control"] == CACHE_CONTROL
    assert plain.get_data() == route_map_svg(shipped_route, basemap, "2", "lines").encode()
    packed = client.get(url, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.get_data()) == plain.get_data()
    assert len(packed.get_data()) < 25_000  # level 11 even without the build step's twin
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(gzipped.get_data()) == plain.get_data()
    assert client.get("/_miglia/route-map/2-lines.0000000000000000.svg").status_code == 404
    assert client.get("/_miglia/route-map/rome.svg").status_code == 404
    with pytest.raises(KeyError):
        pictures.url("<script>", "lines")


# --- the build step's twins


def test_build_writes_one_twin_per_content_and_drops_twins_of_nothing(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    script = sources / "a.js"
    script.write_text("var miglia = 'Brescia Roma Brescia';\n" * 400)
    style = sources / "b.css"
    style.write_text(".stage { color: #0072b2; }\n" * 300)
    twins = tmp_path / "twins"
    twins.mkdir()
    (twins / ("0" * 64 + ".br")).write_bytes(b"a twin of a file that is gone")

    results = build_twins.build(twins, [script], [style.read_bytes()], workers=1)

    assert sorted(p.name for p in twins.iterdir()) == sorted(
        hashlib.sha256(p.read_bytes()).hexdigest() + ".br" for p in (script, style)
    )
    for path in (script, style):
        twin = twins / static_files.twin_name(path.read_bytes())
        assert brotli.decompress(twin.read_bytes()) == path.read_bytes()
    assert all(made for *_, made in results)
    again = build_twins.build(twins, [script, style], workers=1)
    assert not any(made for *_, made in again)  # kept

    script.write_text("var miglia = 'changed';\n" * 400)  # a new version: a new twin
    build_twins.build(twins, [script, style], workers=1)
    assert (twins / static_files.twin_name(script.read_bytes())).exists()
    assert len(list(twins.iterdir())) == 2


def test_the_build_step_twins_dash_scripts_and_every_file_the_app_registers(
    data_dir, shipped_route, basemap
):
    names = [p.name for p in build_twins.component_scripts()]
    assert "dash_ag_grid.min.js" in names and "dash_renderer.min.js" in names
    assert not any(".dev." in n or n.startswith("react-dom@18.3.1.js") for n in names)
    bodies = build_twins.app_files(Config(data_dir=data_dir))
    assert PLOTLY_BUNDLE.read_bytes() in bodies
    for choice in STAGE_CHOICES:  # the same bytes as the server sends
        for layer in PICTURE_LAYERS:
            assert route_map_svg(shipped_route, basemap, choice, layer).encode() in bodies
    glyphs = sorted(GLYPHS_DIR.glob("*/*.pbf"))  # the map's font ranges
    assert all(path.read_bytes() in bodies for path in glyphs)
    # 1: the plotly bundle; 1: the relief picture
    pictures = len(STAGE_CHOICES) * len(PICTURE_LAYERS)
    assert len(bodies) == 1 + len(LAYERS) + 1 + pictures + len(glyphs)


def _app_with_twins(data_dir, twins_dir):
    return create_app(Config(data_dir=data_dir, precompressed_dir=twins_dir))


def test_a_script_with_a_twin_is_sent_as_brotli_to_browsers_that_accept_it(data_dir, tmp_path):
    twins = tmp_path / "twins"
    twins.mkdir()
    client = _app_with_twins(data_dir, twins).server.test_client()
    page = client.get("/").get_data(as_text=True)
    html_src = next(
        s for s in re.findall(r'<script src="([^"]+)"', page) if "dash_html_components" in s
    )
    plotly_src = re.findall(r'<script src="([^"]+)"', page)[0]
    raw = client.get(html_src, headers={"Accept-Encoding": "identity"}).get_data()
    bundle = PLOTLY_BUNDLE.read_bytes()

    # no twin yet: Dash's scripts compressed on the fly, as before
    on_the_fly = client.get(html_src, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert on_the_fly.headers.get("Content-Encoding") in ("zstd", "gzip")

    twin_of = {}
    for body in (raw, bundle):  # quality 1 keeps the test quick; the build uses 11
        twin_of[body] = brotli.compress(body, quality=1)
        (twins / static_files.twin_name(body)).write_bytes(twin_of[body])
    client = _app_with_twins(data_dir, twins).server.test_client()
    for src, body in ((html_src, raw), (plotly_src, bundle)):
        sent = client.get(src, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
        assert sent.status_code == 200
        assert sent.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in sent.headers["Vary"]
        assert sent.get_data() == twin_of[body]
        gzip_only = client.get(src, headers={"Accept-Encoding": "gzip"})
        assert gzip_only.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(gzip_only.get_data()) == body
        refused = client.get(src, headers={"Accept-Encoding": "br;q=0, gzip"})
        assert refused.headers["Content-Encoding"] == "gzip"


def test_a_cached_callback_answer_is_only_sent_to_a_browser_accepting_its_encoding(data_dir):
    """A crowd's browsers differ: an answer compressed with zstd for Chromium and kept in the
    response cache must not be sent to a client that only accepts gzip."""
    client = create_app(Config(data_dir=data_dir)).server.test_client()
    body = router_request("/history")
    first = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": CHROMIUM_ENCODINGS}
    )
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "zstd"
    second = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert second.headers["Content-Encoding"] == "gzip"
    assert page_title(json.loads(gzip.decompress(second.get_data())))
    plain = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": "identity"}
    )
    assert "Content-Encoding" not in plain.headers
    assert page_title(plain.get_json())["title"]


def test_every_script_the_page_names_is_servable_before_the_first_request(data_dir, tmp_path):
    # Dash registers its scripts on its first request, flagged done before it is: a second
    # thread of a fresh worker then got HTTP 500 for a script and the page stayed empty
    app = create_app(Config(data_dir=data_dir, precompressed_dir=tmp_path / "no-twins"))
    registered = {package: set(paths) for package, paths in app.registered_paths.items()}
    page = app.server.test_client().get("/").get_data(as_text=True)
    named = re.findall(r'src="/_dash-component-suites/([^/"]+)/([^"]+)"', page)
    assert len(named) >= 5
    for package, fingerprinted in named:
        path = re.sub(r"\.v[0-9a-z_]+m[0-9]+\.", ".", fingerprinted)  # Dash's cache-busting part
        assert path in registered.get(package, set()), (package, path)
