"""The basemap layers served as cached GeoJSON files, named by URL in the route map."""

from __future__ import annotations

import gzip
import json

from flask import Flask

from dashboard import basemap_routes
from dashboard.app import create_app
from dashboard.config import Config
from dashboard.data.basemap import LAYERS, layer_geojson, load_basemap
from dashboard.data.route import load_route_data
from dashboard.figures.route_map import route_map


def test_each_layer_is_served_at_a_content_hashed_cached_address(data_dir):
    app = create_app(Config(data_dir=data_dir))
    client = app.server.test_client()
    config = Config(data_dir=data_dir)
    basemap = load_basemap(config.basemap_dir)
    served = basemap_routes.register(Flask("probe"), basemap)
    for layer in LAYERS:
        url = served.urls[layer]
        assert url.startswith("/_miglia/basemap/") and url.endswith(".geojson")
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200
        assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert json.loads(plain.get_data()) == layer_geojson(basemap, layer)
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert client.get("/_miglia/basemap/nothing.geojson").status_code == 404
    italy = layer_geojson(basemap, "italy")["features"]
    assert italy and all(f["properties"].get("italy") for f in italy)


def test_the_map_names_the_served_layers_instead_of_carrying_them(data_dir):
    config = Config(data_dir=data_dir)
    basemap = load_basemap(config.basemap_dir)
    served = basemap_routes.register(Flask("probe"), basemap)
    route = load_route_data(config.stages_path)
    figure = route_map(route, served, "all", "en", None)
    sources = [layer["source"] for layer in figure["layout"]["map"]["layers"]]
    assert sources == [served.urls[layer] for layer in LAYERS]
    inline = route_map(route, basemap, "all", "en", None)
    assert len(json.dumps(figure)) < len(json.dumps(inline)) - 200_000
