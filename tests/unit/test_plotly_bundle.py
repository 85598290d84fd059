"""The partial plotly.js bundle (dashboard/vendor/plotly): same plotly.js as Dash would serve,
served at a content-hashed, long-cached address, and loaded before Dash's scripts."""

from __future__ import annotations

import gzip
import re

from plotly.offline import get_plotlyjs_version

from dashboard import plotly_bundle
from dashboard.app import create_app
from dashboard.config import Config


def test_the_bundle_is_the_plotly_js_of_the_installed_plotly_package():
    # an upgraded `plotly` needs tools/build_plotly_bundle.sh run for its plotly.js version
    head = plotly_bundle.BUNDLE.read_bytes()[:300].decode("ascii")
    assert f"plotly.js v{get_plotlyjs_version()} partial bundle" in head


def test_the_page_loads_the_bundle_first_and_it_is_cached_for_good(data_dir, tmp_path):
    # no brotli twins here (tests/unit/test_precompressed.py has them): gzip for browsers
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

    body = plotly_bundle.BUNDLE.read_bytes()
    plain = client.get(scripts[0], headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.mimetype == "application/javascript"
    assert plain.get_data() == body

    packed = client.get(scripts[0], headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert gzip.decompress(packed.get_data()) == body
