"""The map's glyphs (tools/build_glyphs.py output, served by static_files.install_glyphs): one
immutable URL template for MapLibre, the shipped ranges compressed once, any other range or
font stack answered without an error, and the map's style naming them."""

from __future__ import annotations

import re

import brotli
from flask import Flask

from dashboard import static_files
from dashboard.app import GLYPHS_DIR, create_app
from dashboard.config import Config
from dashboard.figures.route_map import FONT, PLACE_LABELS, place_labels, route_map

CACHE_CONTROL = "public, max-age=31536000, immutable"
SHIPPED = GLYPHS_DIR / FONT / "0-255.pbf"


def _served(tmp_path, prefix="/"):
    server = Flask("glyphs")
    files = static_files.install(server, tmp_path, prefix, prefix)
    template = static_files.install_glyphs(server, files, GLYPHS_DIR, prefix)
    return template, server.test_client()


def _url(template: str, stack: str, glyph_range: str) -> str:
    return template.replace("{fontstack}", stack).replace("{range}", glyph_range)


def test_the_shipped_ranges_are_served_cached_for_good_and_compressed(tmp_path):
    template, client = _served(tmp_path)
    assert template.startswith("/_miglia/glyphs/") and "{fontstack}/{range}.pbf" in template
    plain = client.get(_url(template, "DejaVu%20Sans", "0-255"))
    assert plain.status_code == 200 and plain.get_data() == SHIPPED.read_bytes()
    assert plain.headers["Cache-Control"] == CACHE_CONTROL
    assert plain.headers["Content-Type"] == "application/x-protobuf"
    packed = client.get(_url(template, "DejaVu%20Sans", "0-255"), headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.get_data()) == SHIPPED.read_bytes()
    assert len(packed.get_data()) < len(SHIPPED.read_bytes()) / 2


def test_other_ranges_and_font_stacks_never_fail_the_map(tmp_path):
    template, client = _served(tmp_path)
    empty = client.get(_url(template, "DejaVu%20Sans", "8192-8447"))
    assert empty.status_code == 200
    assert empty.get_data() == b"\n\x18\n\x0bDejaVu Sans\x12\t8192-8447"  # a stack, no glyph
    # plotly's default font for map text gets the shipped font
    other = client.get(
        _url(template, "Open%20Sans%20Regular,Arial%20Unicode%20MS%20Regular", "0-255")
    )
    assert other.get_data() == SHIPPED.read_bytes()
    assert client.get(_url(template, "DejaVu%20Sans", "0-x")).status_code == 404
    stale = template.replace("/glyphs/", "/glyphs/0")
    assert client.get(_url(stale, "DejaVu%20Sans", "0-255")).status_code == 404


def test_the_address_keeps_the_apps_prefix(tmp_path):
    template, client = _served(tmp_path, "/miglia/")
    assert template.startswith("/miglia/_miglia/glyphs/")
    assert client.get(_url(template, "DejaVu%20Sans", "0-255")).status_code == 200


def test_the_apps_map_names_its_glyphs_and_draws_town_names(data_dir):
    app = create_app(Config(data_dir=data_dir))
    data = app.server.extensions["miglia"]
    figure = route_map(data.route, data.basemap, "3")
    style = figure["layout"]["map"]["style"]
    client = app.server.test_client()
    assert client.get(_url(style["glyphs"], "DejaVu%20Sans", "0-255")).status_code == 200
    names = [layer for layer in style["layers"] if layer["type"] == "symbol"]
    assert names and all(layer["layout"]["text-font"] == [FONT] for layer in names)
    assert all(layer["paint"]["text-halo-width"] > 1 for layer in names)
    # the basemap's land is drawn under the names, not over them
    assert {layer["below"] for layer in figure["layout"]["map"]["layers"]} == {names[0]["id"]}
    assert style["sources"][PLACE_LABELS]["data"] == place_labels(data.route)


def test_town_names_are_ranked_so_few_show_at_low_zoom(shipped_route):
    features = place_labels(shipped_route)["features"]
    rank = {f["properties"]["name"]: f["properties"]["rank"] for f in features}
    assert len(rank) == len(features) == shipped_route.places["name"].nunique()
    assert rank["Brescia"] == rank["Roma"] == rank["Parma"] == rank["Firenze"] == 1
    assert rank["Siena"] == rank["Treviglio"] == rank["Ferrara"] == 2  # lunch and dinner stops
    assert rank["Pontenure"] == rank["Gubbio"] == 3  # a town passed; a 1927 control
    assert sum(r == 1 for r in rank.values()) <= 8


def test_the_fans_page_asks_at_once_for_the_relief_and_glyphs_its_map_will_fetch(data_dir):
    # MapLibre asks for them only once the map's style is read, one after the other
    app = create_app(Config(data_dir=data_dir))
    data = app.server.extensions["miglia"]
    client = app.server.test_client()
    layers = route_map(data.route, data.basemap, "all")["layout"]["map"]["layers"]
    relief = next(layer["source"] for layer in layers if layer["sourcetype"] == "image")
    glyphs = _url(route_map(data.route, data.basemap, "all")["layout"]["map"]["style"]["glyphs"],
                  "DejaVu%20Sans", "0-255")  # fmt: skip
    page = client.get("/").get_data(as_text=True)
    asked = re.findall(
        r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin="anonymous">', page
    )
    assert asked == [relief, glyphs]
    assert all(client.get(url).status_code == 200 for url in asked)
    # the other pages have no map to draw first
    assert 'rel="preload"' not in client.get("/history").get_data(as_text=True)


def test_each_rank_has_an_edge_layer_for_names_turned_inwards(data_dir):
    data = create_app(Config(data_dir=data_dir)).server.extensions["miglia"]
    style = route_map(data.route, data.basemap, "3")["layout"]["map"]["style"]
    symbols = {layer["id"]: layer for layer in style["layers"] if layer["type"] == "symbol"}
    for rank in (1, 2, 3):
        usual = symbols[f"{PLACE_LABELS}-{rank}"]
        edge = symbols[f"{PLACE_LABELS}-{rank}-edge"]
        # until the browser has measured the names (assets/map_labels.js), all are usual
        of_rank = ["==", ["get", "rank"], rank]
        moved = ["in", ["get", "name"], ["literal", []]]
        assert usual["filter"] == ["all", of_rank, ["!", moved]]
        assert edge["filter"] == ["all", of_rank, moved]
        assert "text-variable-anchor" in usual["layout"] and "text-anchor" in edge["layout"]
        assert edge["layout"]["text-size"] == usual["layout"]["text-size"]
        assert edge["minzoom"] == usual["minzoom"]
