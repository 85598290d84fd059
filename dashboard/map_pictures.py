"""The still pictures of the route map (dashboard/figures/static_map.py), served as files.

The page shows the picture of the chosen route at once, first in the boot screen of the
HTML page (before any script has run) and then under the interactive map until that has
drawn. Each picture is built on first use (about 30 ms), compressed once (brotli and gzip)
and served at an address holding a hash of its content, cached by browsers for a year.
Built per app and kept with it, not in module state.
"""

from __future__ import annotations

import gzip
import hashlib
import threading

import brotli
from flask import Flask, Response, abort, request

from dashboard.data.basemap import Basemap
from dashboard.data.route import STAGE_CHOICES, RouteData
from dashboard.figures.static_map import HEIGHT_PX, WIDTH_PX, route_map_svg
from dashboard.precompressed import accepts_brotli

CACHE_CONTROL = "public, max-age=31536000, immutable"
PICTURE_SIZE = (WIDTH_PX, HEIGHT_PX)


class MapPictures:
    def __init__(self, route: RouteData, basemap: Basemap, requests_prefix: str = "/"):
        self.route = route
        self.basemap = basemap
        self.requests_prefix = requests_prefix
        self._names: dict[str, str] = {}  # choice -> file name
        self._files: dict[str, tuple[bytes, bytes, bytes]] = {}  # name -> plain, br, gzip
        self._lock = threading.Lock()

    def name(self, choice: str) -> str:
        if choice not in STAGE_CHOICES:
            raise KeyError(choice)
        with self._lock:
            if choice in self._names:
                return self._names[choice]
        body = route_map_svg(self.route, self.basemap, choice).encode()
        name = f"{choice}.{hashlib.sha256(body).hexdigest()[:16]}.svg"
        packed = (body, brotli.compress(body, quality=11), gzip.compress(body, 9, mtime=0))
        with self._lock:
            self._files[name] = packed
            self._names[choice] = name
        return name

    def url(self, choice: str) -> str:
        return f"{self.requests_prefix}_miglia/route-map/{self.name(choice)}"

    def file(self, name: str) -> tuple[bytes, bytes, bytes] | None:
        with self._lock:
            return self._files.get(name)


def register(
    server: Flask,
    route: RouteData,
    basemap: Basemap,
    routes_prefix: str = "/",
    requests_prefix: str = "/",
) -> MapPictures:
    pictures = MapPictures(route, basemap, requests_prefix)

    def route_map_picture(name: str) -> Response:
        choice = name.split(".", 1)[0]
        if choice not in STAGE_CHOICES:
            abort(404)
        pictures.name(choice)  # built on first use (a fresh worker, an address from a page)
        found = pictures.file(name)
        if found is None:
            abort(404)  # an old address: the page asks for the current one
        plain, packed_br, packed_gzip = found
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        if accepts_brotli():
            headers["Content-Encoding"] = "br"  # Flask-Compress leaves it as it is
            body = packed_br
        elif request.accept_encodings.quality("gzip") > 0:
            headers["Content-Encoding"] = "gzip"
            body = packed_gzip
        else:
            body = plain
        return Response(body, mimetype="image/svg+xml", headers=headers)

    server.add_url_rule(
        routes_prefix + "_miglia/route-map/<name>", "miglia_route_map_picture", route_map_picture
    )
    return pictures
