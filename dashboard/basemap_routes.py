"""The basemap layers served to the browser as GeoJSON files, so the map figure names a URL
instead of carrying them (about 240 kB): the browser fetches them once and caches them for
good, and Dash no longer copies them on every map update (dcc.Graph deep-copies a figure;
for the inline GeoJSON that took about 0.4 s of the first paint).

Each layer is served at an address holding a hash of its content, `immutable` for a year,
gzipped once per process, on its first request.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import replace

from flask import Flask, Response, abort, request

from dashboard.data.basemap import LAYERS, Basemap, layer_geojson

CACHE_CONTROL = "public, max-age=31536000, immutable"


def register(
    server: Flask, basemap: Basemap, routes_prefix: str = "/", requests_prefix: str = "/"
) -> Basemap:
    """Add the layers' route; returns the basemap with the layers' URLs."""
    files: dict[str, bytes] = {}
    packed: dict[str, bytes] = {}  # gzipped on first request (keeps the start quick)
    urls = {}
    for layer in LAYERS:
        body = json.dumps(layer_geojson(basemap, layer), separators=(",", ":")).encode()
        name = f"{layer}.{hashlib.sha256(body).hexdigest()[:16]}.geojson"
        files[name] = body
        urls[layer] = f"{requests_prefix}_miglia/basemap/{name}"

    def basemap_layer(name: str) -> Response:
        if name not in files:
            abort(404)
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("Accept-Encoding", "").lower():
            if name not in packed:  # two threads may both compress once: the same bytes
                packed[name] = gzip.compress(files[name], compresslevel=9, mtime=0)
            headers["Content-Encoding"] = "gzip"  # Flask-Compress leaves it as it is
            return Response(packed[name], mimetype="application/geo+json", headers=headers)
        return Response(files[name], mimetype="application/geo+json", headers=headers)

    server.add_url_rule(
        routes_prefix + "_miglia/basemap/<name>", "miglia_basemap_layer", basemap_layer
    )
    return replace(basemap, urls=urls)
