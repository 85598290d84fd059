"""Static scripts sent as brotli twins compressed ahead of time (dashboard/precompressed.py),
and callback answers cached per accepted encoding (dashboard/response_cache.py)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import brotli

from dashboard import plotly_bundle, precompressed
from dashboard.app import create_app
from dashboard.config import Config
from tests.router import page_title, router_request

CHROMIUM_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium asks for, loopback included


def test_build_writes_one_twin_per_content_and_drops_twins_of_nothing(tmp_path):
    sources = tmp_path / "src"
    sources.mkdir()
    script = sources / "a.js"
    script.write_text("var miglia = 'Brescia Roma Brescia';\n" * 400)
    style = sources / "b.css"
    style.write_text(".stage { color: #0072b2; }\n" * 300)
    twins = tmp_path / "twins"
    twins.mkdir()
    (twins / ("0" * 64 + ".br")).write_bytes(b"a twin of a file that is gone")

    results = precompressed.build(twins, [script, style])

    assert sorted(p.name for p in twins.iterdir()) == sorted(
        hashlib.sha256(p.read_bytes()).hexdigest() + ".br" for p in (script, style)
    )
    for path in (script, style):
        twin = twins / precompressed.twin_name(path.read_bytes())
        assert brotli.decompress(twin.read_bytes()) == path.read_bytes()
    assert all(made for *_, made in results)
    assert not any(made for *_, made in precompressed.build(twins, [script, style]))  # kept

    script.write_text("var miglia = 'changed';\n" * 400)  # a new version: a new twin
    precompressed.build(twins, [script, style])
    assert (twins / precompressed.twin_name(script.read_bytes())).exists()
    assert len(list(twins.iterdir())) == 2


def test_the_static_sources_are_the_production_scripts():
    names = [p.name for p in precompressed.static_sources()]
    assert plotly_bundle.BUNDLE.name in names
    assert "dash_ag_grid.min.js" in names and "dash_renderer.min.js" in names
    assert not any(".dev." in n or n.startswith("react-dom@18.3.1.js") for n in names)


def _app_with_twins(data_dir, twins_dir):
    return create_app(Config(data_dir=data_dir, precompressed_dir=twins_dir))


def test_a_script_with_a_twin_is_sent_as_brotli_to_browsers_that_accept_it(data_dir, tmp_path):
    twins = tmp_path / "twins"
    twins.mkdir()
    client = _app_with_twins(data_dir, twins).server.test_client()
    page = client.get("/").get_data(as_text=True)
    html_src = next(
        s for s in re.findall(r'<script src="([^"]+)"', page) if "dash_html_components" in s
    )
    plotly_src = re.findall(r'<script src="([^"]+)"', page)[0]
    raw = client.get(html_src, headers={"Accept-Encoding": "identity"}).get_data()
    bundle = plotly_bundle.BUNDLE.read_bytes()

    # no twin yet: compressed on the fly, as before
    on_the_fly = client.get(html_src, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
    assert on_the_fly.headers.get("Content-Encoding") in ("zstd", "gzip")

    for body in (raw, bundle):  # quality 1 keeps the test quick; the build uses 11
        (twins / precompressed.twin_name(body)).write_bytes(brotli.compress(body, quality=1))
    client = _app_with_twins(data_dir, twins).server.test_client()
    for src, body in ((html_src, raw), (plotly_src, bundle)):
        sent = client.get(src, headers={"Accept-Encoding": CHROMIUM_ENCODINGS})
        assert sent.status_code == 200
        assert sent.headers["Content-Encoding"] == "br"
        assert "Accept-Encoding" in sent.headers["Vary"]
        assert brotli.decompress(sent.get_data()) == body
        gzip_only = client.get(src, headers={"Accept-Encoding": "gzip"})
        assert gzip_only.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(gzip_only.get_data()) == body
        refused = client.get(src, headers={"Accept-Encoding": "br;q=0, gzip"})
        assert refused.headers["Content-Encoding"] == "gzip"


def test_a_cached_callback_answer_is_only_sent_to_a_browser_accepting_its_encoding(data_dir):
    """A crowd's browsers differ: an answer compressed with zstd for Chromium and kept in the
    response cache must not be sent to a client that only accepts gzip."""
    client = create_app(Config(data_dir=data_dir)).server.test_client()
    body = router_request("/history")
    first = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": CHROMIUM_ENCODINGS}
    )
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "zstd"
    second = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": "gzip"})
    assert second.headers["Content-Encoding"] == "gzip"
    assert page_title(json.loads(gzip.decompress(second.get_data())))
    plain = client.post(
        "/_dash-update-component", json=body, headers={"Accept-Encoding": "identity"}
    )
    assert "Content-Encoding" not in plain.headers
    assert page_title(plain.get_json())["title"]
