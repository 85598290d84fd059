"""Every static file the app owns, served one way: at an address holding a hash of its content
(`/_miglia/<name>.<hash>.<suffix>`), cached by browsers for a year (`immutable`: new content
gets a new address), compressed once per encoding, brotli or gzip as the browser accepts.

The plotly.js bundle, the basemap layers and the still pictures of the route map register
their bytes (or how to make them, on first use) with one registry per app, kept on its Flask
server. Brotli comes from the build step's twins (tools/build_twins.py: level 11, seconds
per large file) when there is one, found by the content so it is never stale, else it is made
on the first request that asks for it. Dash serves its own component scripts; a response hook
swaps in their twins too. Callback answers change with the data: compressed on the fly.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections.abc import Callable
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request

CACHE_CONTROL = "public, max-age=31536000, immutable"
PREFIX = "_miglia/"  # where the registry's files are served
COMPONENT_SUITES = "_dash-component-suites/"  # where Dash serves its component scripts
TWIN_SUFFIX = ".br"
MIMETYPES = {
    ".js": "application/javascript",
    ".svg": "image/svg+xml",
    ".geojson": "application/geo+json",
    ".pbf": "application/x-protobuf",
    ".png": "image/png",
}
STORED = {".png"}  # compressed already: sent as they are
LIVE_BROTLI_MAX = 1_000_000  # above this, level 11 takes too long for a request: level 5
# an address's name: folders, the file's stem, the content's hash, the suffixes
_HASHED = re.compile(
    r"(?P<dir>(?:[^/]+/)*)(?P<stem>[^./]+)\.(?P<hash>[0-9a-f]{16})(?P<rest>\.[^/]+)"
)
_EXTENSION = "miglia_static_files"
GLYPHS = "glyphs/"  # MapLibre's font ranges, under PREFIX
_GLYPH_RANGE = re.compile(r"(?P<start>[0-9]+)-(?P<end>[0-9]+)")


def twin_name(body: bytes) -> str:
    """The file name of a body's brotli twin (the build step writes it, the server reads it)."""
    return hashlib.sha256(body).hexdigest() + TWIN_SUFFIX


class Twins:
    """The build step's brotli twins in a folder, read once per content and kept in memory
    (the set of static files is small and fixed, so this stays bounded)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._found: dict[str, bytes | None] = {}
        self._lock = threading.Lock()

    def of(self, body: bytes) -> bytes | None:
        name = twin_name(body)
        with self._lock:
            if name in self._found:
                return self._found[name]
        path = self.directory / name
        twin = path.read_bytes() if path.is_file() else None
        with self._lock:
            self._found[name] = twin
        return twin


def chosen_encoding() -> str:
    """brotli if the request accepts it, else gzip, else identity."""
    accepted = request.accept_encodings
    if accepted.quality("br") > 0:
        return "br"
    return "gzip" if accepted.quality("gzip") > 0 else "identity"


class StaticFiles:
    """The registry of one app's static files, by plain name ("route-map/2.svg")."""

    def __init__(self, twins: Twins, requests_prefix: str = "/"):
        self.twins = twins
        self.requests_prefix = requests_prefix
        self._makers: dict[str, Callable[[], bytes]] = {}
        self._bodies: dict[str, tuple[bytes, str]] = {}  # plain name -> body, hash; made once
        self._packed: dict[tuple[str, str], bytes] = {}  # (plain name, encoding) -> body
        self._lock = threading.Lock()

    def add(self, name: str, body: bytes | Callable[[], bytes]) -> None:
        """Register a file by its plain name; a callable body is made on first use."""
        if Path(name).suffix not in MIMETYPES:
            raise ValueError(f"{name}: no content type known for its suffix")
        self._makers[name] = body if callable(body) else (lambda: body)

    def names(self) -> list[str]:
        return list(self._makers)

    def body(self, name: str) -> bytes:
        """The file's bytes (made on first use); KeyError for a name never registered."""
        return self._made(name)[0]

    def _made(self, name: str) -> tuple[bytes, str]:
        make = self._makers[name]
        with self._lock:
            if name in self._bodies:
                return self._bodies[name]
        body = make()
        with self._lock:
            return self._bodies.setdefault(name, (body, hashlib.sha256(body).hexdigest()[:16]))

    def hashed_name(self, name: str) -> str:
        folder, _, file = name.rpartition("/")
        stem, dot, rest = file.partition(".")
        return f"{folder}/{stem}.{self._made(name)[1]}{dot}{rest}".lstrip("/")

    def url(self, name: str) -> str:
        return f"{self.requests_prefix}{PREFIX}{self.hashed_name(name)}"

    def encoded(self, name: str, encoding: str) -> bytes:
        """The file compressed as asked ("br", "gzip" or "identity"), compressed once."""
        plain = self.body(name)
        if encoding == "identity":
            return plain
        with self._lock:
            packed = self._packed.get((name, encoding))
        if packed is None:
            if encoding == "br":
                level = 11 if len(plain) <= LIVE_BROTLI_MAX else 5
                packed = self.twins.of(plain) or brotli.compress(plain, quality=level)
            else:
                packed = gzip.compress(plain, compresslevel=9, mtime=0)
            with self._lock:  # two threads may both compress once: the same bytes
                packed = self._packed.setdefault((name, encoding), packed)
        return packed

    def response(self, hashed: str) -> Response:
        """The answer to a request for `hashed` (a name as in the address)."""
        match = _HASHED.fullmatch(hashed)
        name = match and f"{match['dir']}{match['stem']}{match['rest']}"
        if not match or name not in self._makers or self.hashed_name(name) != hashed:
            abort(404)  # an unknown file, or an old address: the page asks for the current one
        encoding = "identity" if Path(name).suffix in STORED else chosen_encoding()
        tag = match["hash"] + ("" if encoding == "identity" else "-" + encoding)
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding", "ETag": f'"{tag}"'}
        # every encoding holds the same content: any of its tags is a copy still good
        asked = request.if_none_match
        if asked.star_tag or any(t.split("-")[0] == match["hash"] for t in asked.as_set(True)):
            return Response(status=304, headers=headers)
        if encoding != "identity":
            headers["Content-Encoding"] = encoding  # Flask-Compress leaves it as it is
        mimetype = MIMETYPES[Path(name).suffix]
        return Response(self.encoded(name, encoding), mimetype=mimetype, headers=headers)


def send_twin(response: Response, twins: Twins, routes_prefix: str = "/") -> Response:
    """A component script of Dash's with its brotli twin as body, when there is one and
    brotli is welcome (Dash sets their addresses and cache headers itself)."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or not request.path.startswith(routes_prefix + COMPONENT_SUITES)
        or chosen_encoding() != "br"
    ):
        return response
    twin = twins.of(response.get_data())
    if twin is None:
        return response
    response.set_data(twin)
    response.headers["Content-Encoding"] = "br"  # Flask-Compress leaves it as it is
    response.vary.add("Accept-Encoding")
    return response


def install(
    server: Flask, twins_dir: Path, routes_prefix: str = "/", requests_prefix: str = "/"
) -> StaticFiles:
    """The app's registry, with its route and the component scripts' hook. Install after
    Dash(compress=True): Flask runs the after-request hooks last registered first, so the
    hook comes before Flask-Compress, which leaves a response with a Content-Encoding alone."""
    twins = Twins(twins_dir)
    files = StaticFiles(twins, requests_prefix)
    server.add_url_rule(routes_prefix + PREFIX + "<path:hashed>", "miglia_static", files.response)
    server.after_request(lambda response: send_twin(response, twins, routes_prefix))
    server.extensions[_EXTENSION] = files
    return files


def of(server: Flask) -> StaticFiles:
    """The registry installed on a server."""
    return server.extensions[_EXTENSION]


class Folder:
    """The files of one folder of a registry, by key ("2" for "route-map/2.svg")."""

    def __init__(self, files: StaticFiles, folder: str, suffix: str):
        self.files, self.folder, self.suffix = files, folder, suffix

    def url(self, key: str) -> str:
        """The file's address; KeyError for a key never registered."""
        return self.files.url(f"{self.folder}/{key}{self.suffix}")


def _empty_glyph_range(stack: str, glyph_range: str) -> bytes:
    """A glyph PBF with no glyph (message glyphs { fontstack { name, range } }): a range the
    app does not ship draws nothing instead of failing the map's request."""

    def field(number: int, payload: bytes) -> bytes:  # length-delimited, payload < 128 bytes
        return bytes([number << 3 | 2, len(payload)]) + payload

    return field(1, field(1, stack.encode()) + field(2, glyph_range.encode()))


def install_glyphs(
    server: Flask, files: StaticFiles, folder: Path, routes_prefix: str = "/"
) -> str:
    """Serve the font ranges in `folder/<font stack>/<start>-<end>.pbf` (tools/build_glyphs.py)
    and return the map style's `glyphs` URL template. MapLibre fills in {fontstack} and
    {range}, so the address cannot carry one file's hash: it carries a hash of all of them and
    is immutable all the same. Any font stack gets the shipped one (the first, by name), so a
    trace's default font never fails a request."""
    stacks = sorted(p.name for p in folder.iterdir() if p.is_dir())
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*/*.pbf")):
        name = f"{GLYPHS}{path.parent.name}/{path.name}"
        body = path.read_bytes()
        files.add(name, body)
        digest.update(name.encode() + b"\0" + body)
    version = digest.hexdigest()[:16]
    default_stack = stacks[0]

    def glyph_range(version_asked: str, stack: str, glyph_range: str) -> Response:
        match = _GLYPH_RANGE.fullmatch(glyph_range)
        if version_asked != version or not match:
            abort(404)
        shipped = stack if stack in stacks else default_stack
        name = f"{GLYPHS}{shipped}/{glyph_range}.pbf"
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        if name not in files.names():
            return Response(
                _empty_glyph_range(shipped, glyph_range),
                mimetype=MIMETYPES[".pbf"],
                headers=headers,
            )
        encoding = chosen_encoding()
        if encoding != "identity":
            headers["Content-Encoding"] = encoding  # Flask-Compress leaves it as it is
        return Response(files.encoded(name, encoding), mimetype=MIMETYPES[".pbf"], headers=headers)

    rule = f"{routes_prefix}{PREFIX}{GLYPHS}<version_asked>/<stack>/<glyph_range>.pbf"
    server.add_url_rule(rule, "miglia_glyphs", glyph_range)
    return f"{files.requests_prefix}{PREFIX}{GLYPHS}{version}/{{fontstack}}/{{range}}.pbf"
