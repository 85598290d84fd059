"""The shaded relief (tools/build_relief.py's picture): served by the app at a hashed, cached
address as it is (a PNG is compressed already), and drawn on the fans' map over the land and
under the borders and routes, with its credit in the map's attribution in both languages."""

from __future__ import annotations

import math
import re
import struct

import pytest

from dashboard.app import create_app
from dashboard.config import ASSETS_DIR, Config
from dashboard.data.basemap import load_basemap
from dashboard.figures.route_map import route_map
from dashboard.i18n import texts

CACHE_CONTROL = "public, max-age=31536000, immutable"
RELIEF = ASSETS_DIR / "basemap" / "relief.png"
PALETTE = 3  # PNG colour type
RELIEF_MAX_BYTES = 400_000  # the first visit's budget (bench/bench_first_load.py) holds it


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    import shutil

    from dashboard.config import DEFAULT_DATA_DIR

    data = tmp_path_factory.mktemp("relief") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns(".history", ".ingest"))
    return create_app(Config(data_dir=data))


def test_the_relief_is_served_at_a_hashed_address_as_it_is(app):
    client = app.server.test_client()
    url = app.server.extensions["miglia"].basemap.urls["relief"]
    assert re.fullmatch(r"/_miglia/basemap/relief\.[0-9a-f]{16}\.png", url)
    sent = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert sent.status_code == 200 and sent.mimetype == "image/png"
    assert sent.headers["Cache-Control"] == CACHE_CONTROL
    assert "Content-Encoding" not in sent.headers  # a PNG would not shrink
    assert sent.get_data() == RELIEF.read_bytes()
    assert len(sent.get_data()) <= RELIEF_MAX_BYTES


def test_the_picture_is_spaced_in_web_mercator_between_its_corners():
    corners = load_basemap(ASSETS_DIR / "basemap").relief_corners
    (west, north), (east, north2), (east2, south), (west2, south2) = corners
    assert (north, east, south, west) == (north2, east2, south2, west2) and north > south

    def y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    png = RELIEF.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert png[25] == PALETTE and b"tRNS" in png  # a palette with transparent entries
    ratio = height / width
    # MapLibre stretches the picture linearly in Web Mercator between the corners
    assert ratio == pytest.approx((y(north) - y(south)) / math.radians(east - west), abs=2e-3)


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_map_draws_the_relief_over_the_land_under_the_borders_with_its_credit(app, lang):
    data = app.server.extensions["miglia"]
    figure = route_map(data.route, data.basemap, "3", lang)
    layers = figure["layout"]["map"]["layers"]
    kinds = [(layer["sourcetype"], layer.get("type")) for layer in layers]
    assert kinds == [
        ("geojson", "fill"),
        ("geojson", "fill"),
        ("image", "raster"),
        ("geojson", "line"),
    ]
    relief = layers[2]
    assert relief["source"] == data.basemap.urls["relief"]
    assert relief["coordinates"] == [list(c) for c in data.basemap.relief_corners]
    # under the town names, like the land and the borders (all under the routes)
    assert relief["below"] == layers[0]["below"] == layers[3]["below"]
    # MapLibre refuses an image source with an attribution: the credit rides on a GeoJSON layer
    assert "sourceattribution" not in relief
    credits = [layer.get("sourceattribution", "") for layer in layers]
    assert texts(lang)["map.relief_attribution"] in credits
    assert "GLOBE Task Team et al. (1999), NOAA NGDC" in texts(lang)["map.relief_attribution"]


def test_without_a_served_picture_the_map_has_no_relief_and_no_relief_credit(app):
    data = app.server.extensions["miglia"]
    figure = route_map(data.route, load_basemap(ASSETS_DIR / "basemap"), "3", "en")
    layers = figure["layout"]["map"]["layers"]
    assert all(layer["sourcetype"] == "geojson" for layer in layers)
    assert texts("en")["map.relief_attribution"] not in [
        layer.get("sourceattribution") for layer in layers
    ]
