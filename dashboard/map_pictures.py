"""The still pictures of the route map (dashboard/figures/static_map.py), served as files.

The page shows the picture of the chosen route at once, first in the boot screen of the
HTML page (before any script has run) and then under the interactive map until that has
drawn. Each picture is built on first use (about 30 ms), compressed once per encoding
(brotli level 11 from the build step's twins when there is one) and served at an address
holding a hash of its content, cached by browsers for a year.
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
from dashboard.precompressed import Twins, accepts_brotli

CACHE_CONTROL = "public, max-age=31536000, immutable"
PICTURE_SIZE = (WIDTH_PX, HEIGHT_PX)


class MapPictures:
    def __init__(
        self,
        route: RouteData,
        basemap: Basemap,
        requests_prefix: str = "/",
        twins: Twins | None = None,
    ):
        self.route = route
        self.basemap = basemap
        self.requests_prefix = requests_prefix
        self.twins = twins
        self._names: dict[str, str] = {}  # choice -> file name
        self._bodies: dict[str, bytes] = {}  # file name -> SVG
        self._packed: dict[tuple[str, str], bytes] = {}  # (file name, encoding) -> body
        self._lock = threading.Lock()

    def name(self, choice: str) -> str:
        """The picture's file name (built on first use: about 30 ms)."""
        if choice not in STAGE_CHOICES:
            raise KeyError(choice)
        with self._lock:
            if choice in self._names:
                return self._names[choice]
        body = route_map_svg(self.route, self.basemap, choice).encode()
        name = f"{choice}.{hashlib.sha256(body).hexdigest()[:16]}.svg"
        with self._lock:
            self._bodies[name] = body
            self._names[choice] = name
        return name

    def url(self, choice: str) -> str:
        return f"{self.requests_prefix}_miglia/route-map/{self.name(choice)}"

    def body(self, name: str, encoding: str = "identity") -> bytes | None:
        """The picture compressed as asked ("br", "gzip" or "identity"), compressed once:
        brotli at level 11 (a third smaller than level 9, but about 0.3 s) comes from the
        precompressed twins when the build step made them (the shipped data), else it is
        made on the first request for it."""
        with self._lock:
            plain = self._bodies.get(name)
            packed = self._packed.get((name, encoding))
        if plain is None or encoding == "identity":
            return plain
        if packed is None:
            if encoding == "br":
                packed = (self.twins.of(plain) if self.twins else None) or brotli.compress(
                    plain, quality=11
                )
            else:
                packed = gzip.compress(plain, 9, mtime=0)
            with self._lock:
                self._packed[(name, encoding)] = packed
        return packed


def all_pictures(route: RouteData, basemap: Basemap) -> list[bytes]:
    """Every picture of a route (for the build step's precompressed twins)."""
    return [route_map_svg(route, basemap, choice).encode() for choice in STAGE_CHOICES]


def register(
    server: Flask,
    route: RouteData,
    basemap: Basemap,
    routes_prefix: str = "/",
    requests_prefix: str = "/",
    twins: Twins | None = None,
) -> MapPictures:
    pictures = MapPictures(route, basemap, requests_prefix, twins)

    def route_map_picture(name: str) -> Response:
        choice = name.split(".", 1)[0]
        if choice not in STAGE_CHOICES:
            abort(404)
        pictures.name(choice)  # built on first use (a fresh worker, an address from a page)
        if accepts_brotli():
            encoding = "br"
        elif request.accept_encodings.quality("gzip") > 0:
            encoding = "gzip"
        else:
            encoding = "identity"
        body = pictures.body(name, encoding)
        if body is None:
            abort(404)  # an old address: the page asks for the current one
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        if encoding != "identity":
            headers["Content-Encoding"] = encoding  # Flask-Compress leaves it as it is
        return Response(body, mimetype="image/svg+xml", headers=headers)

    server.add_url_rule(
        routes_prefix + "_miglia/route-map/<name>", "miglia_route_map_picture", route_map_picture
    )
    return pictures
