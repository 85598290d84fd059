"""The partial plotly.js bundle (dashboard/vendor/plotly, built by tools/build_plotly_bundle.sh).

dcc.Graph uses window.Plotly when it exists and only otherwise injects Dash's full
plotly.min.js (4.8 MB). The page loads this smaller bundle (the traces the app draws: scatter,
bar, scattermap) before Dash's scripts, so no graph ever asks for the full one.

It is served at an address holding a hash of its content, cached by browsers for a year
(`immutable`): a rebuilt bundle gets a new address. Browsers that accept brotli get its
precompressed twin (dashboard/precompressed.py) when the build step made one; others get a
gzip body made once per process, on the first request that accepts gzip.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from flask import Flask, Response, request

from dashboard.precompressed import Twins, accepts_brotli

BUNDLE = Path(__file__).resolve().parent / "vendor" / "plotly" / "plotly-miglia.min.js"
CACHE_CONTROL = "public, max-age=31536000, immutable"


def register(
    server: Flask, routes_prefix: str = "/", requests_prefix: str = "/", twins: Twins | None = None
) -> str:
    """Add the bundle's route to the Flask server; returns the URL to put in the page."""
    body = BUNDLE.read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:16]
    name = f"_miglia/plotly-miglia.{digest}.min.js"
    packed: list[bytes] = []
    # the bundle never changes while the app runs: its twin is looked up (3 MB hashed) once
    twin_of_bundle: list[bytes | None] = []

    def plotly_bundle() -> Response:
        headers = {"Cache-Control": CACHE_CONTROL, "Vary": "Accept-Encoding"}
        twin = None
        if twins is not None and accepts_brotli():
            if not twin_of_bundle:
                twin_of_bundle.append(twins.of(body))
            twin = twin_of_bundle[0]
        if twin is not None:
            headers["Content-Encoding"] = "br"
            data = twin
        elif "gzip" in request.headers.get("Accept-Encoding", "").lower():
            if not packed:
                packed.append(gzip.compress(body, compresslevel=9, mtime=0))
            # Content-Encoding set: Flask-Compress (Dash's compress=True) leaves it as it is
            headers["Content-Encoding"] = "gzip"
            data = packed[0]
        else:
            data = body
        return Response(data, mimetype="application/javascript", headers=headers)

    server.add_url_rule(routes_prefix + name, "miglia_plotly_bundle", plotly_bundle)
    return requests_prefix + name
