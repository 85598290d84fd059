"""Static scripts sent brotli-compressed at its highest level, compressed once ahead of time.

The first visit of the fans' page downloads about 3.5 MB of JavaScript before compression
(plotly.js with MapLibre, AG Grid, React, the Dash renderer and components). Compressed on
the fly (zstd level 3 or gzip) that is about 1.8 MB; brotli at level 11 makes it about
1.4 MB, but takes seconds per file, far too slow for a request. So the files are compressed
by a build step (`python -m dashboard.precompressed`, run by `make run` and `make serve`)
into a folder of `<sha256 of the file>.br`, and a response whose body has a compressed twin
there is sent as it, to browsers that accept brotli (Chromium does over https and on
loopback). Anything without a twin (a file changed since the build, a missing build step)
is compressed on the fly as before: the twin is found by the content, so it can never be
stale.

Only static content: Dash's component scripts (through the after-request hook), the
plotly.js bundle and the still pictures of the route map for the shipped data (their own
routes ask `Twins.of`). Callback answers are compressed on the fly
(they change with the data); the app's small assets are sent as files.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from flask import Flask, Response, request

from dashboard.config import PRECOMPRESSED_DIR as DEFAULT_DIR

SUFFIX = ".br"
COMPONENT_SUITES = "_dash-component-suites/"  # where Dash serves component scripts
MIN_BYTES = 4_000  # smaller files gain too little to be worth a twin
MAX_BYTES = 6_000_000  # the development builds (8 MB) are never served in production
# the packages whose files Dash serves under /_dash-component-suites/, and what of them
PACKAGE_FOLDERS = {
    "dash": ("deps", "dash-renderer/build", "dcc", "html", "dash_table"),
    "dash_ag_grid": ("",),
}
SKIP_NAMES = (".dev.", "demo.js", "async-enterprise", "async-mathjax")


def twin_name(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest() + SUFFIX


def static_sources() -> list[Path]:
    """The production JavaScript and CSS files that Dash and the app may serve."""
    import importlib.util

    from dashboard.plotly_bundle import BUNDLE

    found: list[Path] = [BUNDLE]
    for package, folders in PACKAGE_FOLDERS.items():
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        root = Path(spec.origin).parent
        for folder in folders:
            for path in sorted((root / folder).glob("*")):
                if path.suffix not in (".js", ".css") or any(s in path.name for s in SKIP_NAMES):
                    continue
                if folder == "deps" and ".min." not in path.name:
                    continue  # React's development builds: served only in debug mode
                found.append(path)
    return [p for p in found if p.is_file() and MIN_BYTES <= p.stat().st_size <= MAX_BYTES]


def _compress_into(args: tuple[str, str]) -> tuple[str, int, int, bool]:
    import brotli

    source, directory = args
    body = Path(source).read_bytes()
    target = Path(directory) / twin_name(body)
    if target.exists():
        return source, len(body), target.stat().st_size, False
    packed = brotli.compress(body, quality=11)
    with tempfile.NamedTemporaryFile(dir=directory, delete=False, suffix=".tmp") as handle:
        handle.write(packed)
    os.replace(handle.name, target)  # atomic: a running server never reads half a file
    return source, len(body), len(packed), True


def build(
    directory: Path = DEFAULT_DIR,
    sources: Iterable[Path] | None = None,
    bodies: Iterable[bytes] = (),
) -> list[tuple]:
    """Write the brotli twin of every source file (and body) that lacks one; drop twins of
    nothing. Returns (source, bytes, compressed bytes, made now) per source and body."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = list(static_sources() if sources is None else sources)
    bodies = list(bodies)
    with tempfile.TemporaryDirectory() as tmp:  # bodies go through files, like the rest
        for index, body in enumerate(bodies):
            path = Path(tmp) / f"body-{index}"
            path.write_bytes(body)
            sources.append(path)
        from concurrent.futures import ProcessPoolExecutor  # the build step only

        jobs = [(str(p), str(directory)) for p in sources]
        workers = max(1, min(len(jobs), os.cpu_count() or 1))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_compress_into, jobs))
        wanted = {twin_name(Path(p).read_bytes()) for p in sources}
    for stale in directory.glob("*" + SUFFIX):
        if stale.name not in wanted:
            stale.unlink()
    return results


def accepts_brotli() -> bool:
    return request.accept_encodings.quality("br") > 0


class Twins:
    """The compressed twins in a folder, read once per content and kept in memory (the
    set of static files is small and fixed, so this stays bounded)."""

    def __init__(self, directory: Path = DEFAULT_DIR):
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


def send_twin(response: Response, twins: Twins, routes_prefix: str = "/") -> Response:
    """The response with its brotli twin as body, when there is one and brotli is welcome."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.direct_passthrough
        or "Content-Encoding" in response.headers
        or not request.path.startswith(routes_prefix + COMPONENT_SUITES)
        or not accepts_brotli()
    ):
        return response
    twin = twins.of(response.get_data())
    if twin is None:
        return response
    response.set_data(twin)
    response.headers["Content-Encoding"] = "br"  # Flask-Compress leaves it as it is
    response.vary.add("Accept-Encoding")
    return response


def register(server: Flask, routes_prefix: str = "/", directory: Path = DEFAULT_DIR) -> Twins:
    """Send Dash's component scripts as their twins. Register after Dash(compress=True):
    Flask runs the after-request hooks last registered first, so this one comes before
    Flask-Compress, which leaves a response with a Content-Encoding alone."""
    twins = Twins(directory)
    server.after_request(lambda response: send_twin(response, twins, routes_prefix))
    return twins


def _shipped_pictures() -> list[bytes]:
    """The still pictures of the route map for the shipped data (dashboard/map_pictures.py)."""
    from dashboard.config import Config
    from dashboard.data.basemap import load_basemap
    from dashboard.data.route import load_route_data
    from dashboard.map_pictures import all_pictures

    config = Config()
    return all_pictures(load_route_data(config.stages_path), load_basemap(config.basemap_dir))


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m dashboard.precompressed",
        description="Compress the static scripts once with brotli (level 11) for the server.",
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the twins go")
    args = parser.parse_args(argv)
    results = build(args.dir, bodies=_shipped_pictures())
    made = sum(1 for r in results if r[3])
    raw = sum(r[1] for r in results)
    packed = sum(r[2] for r in results)
    print(
        f"{len(results)} static files, {made} compressed now: "
        f"{raw / 1e6:.1f} MB -> {packed / 1e6:.2f} MB brotli, in {args.dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
