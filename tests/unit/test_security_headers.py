"""Security headers (dashboard/security.py) on every kind of answer, with Flask's test client
over an app built from the shipped data: HTML pages, callback answers, static files, 404s."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import shutil

import pytest

from dashboard import security
from dashboard.app import create_app
from dashboard.config import DEFAULT_DATA_DIR, Config
from tests.router import page_title, router_request

CHROMIUM_ENCODINGS = "gzip, deflate, br, zstd"
PAGES = ["/", "/explore", "/bigscreen", "/editor", "/history", "/nope", "/?lang=it"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns(".history"))
    return create_app(Config(data_dir=data)).server.test_client()


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} given twice"
        parsed[name] = sources
    return parsed


def assert_security_headers(response) -> dict[str, list[str]]:
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["worker-src"] == ["blob:"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    script = policy["script-src"]
    assert script[0] == "'self'"
    assert all(s.startswith("'sha256-") for s in script[1:])
    # nothing from another host, no eval, no inline scripts but the hashed ones
    header = response.headers["Content-Security-Policy"]
    assert "http" not in header and "*" not in header
    assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in " ".join(script)
    return policy


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_allows_exactly_its_own_inline_scripts(client, path):
    response = client.get(path, headers={"Accept-Encoding": "identity"})
    assert response.status_code == (404 if path == "/nope" else 200)  # drawn by the router
    policy = assert_security_headers(response)
    page = response.get_data(as_text=True)
    runnable = [
        text for attributes, text in INLINE_SCRIPT.findall(page) if "json" not in attributes
    ]
    # the renderer's bootstrap and the clientside callbacks, no more
    assert len(runnable) >= 2
    assert "new DashRenderer()" in runnable[-1]
    assert sorted(policy["script-src"][1:]) == sorted({sha256_source(t) for t in runnable})
    # Dash's config is data (type application/json): not hashed, never run
    config = re.search(r'<script id="_dash-config"[^>]*>(.*?)</script>', page, re.DOTALL)
    assert sha256_source(config.group(1)) not in policy["script-src"]


@pytest.mark.parametrize("encoding", ["gzip", CHROMIUM_ENCODINGS])
def test_hashes_are_taken_before_the_page_is_compressed(client, encoding):
    plain = client.get("/history", headers={"Accept-Encoding": "identity"})
    packed = client.get("/history", headers={"Accept-Encoding": encoding})
    assert packed.headers.get("Content-Encoding") in ("gzip", "zstd", "br")
    policy = assert_security_headers(packed)
    assert len(policy["script-src"]) > 2
    assert packed.headers["Content-Security-Policy"] == plain.headers["Content-Security-Policy"]
    if packed.headers["Content-Encoding"] == "gzip":
        page = gzip.decompress(packed.get_data()).decode()
        assert policy["script-src"][1:] == security.inline_script_hashes(page)


def test_callback_answers_carry_the_headers(client):
    body = router_request("/history", "?lang=it")
    for _ in range(2):  # the second answer comes from the response cache
        response = client.post(
            "/_dash-update-component", json=body, headers={"Accept-Encoding": "identity"}
        )
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        assert page_title(response.get_json())["lang"] == "it"
        policy = assert_security_headers(response)
        assert policy["script-src"] == ["'self'"]  # no HTML, no hashes
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert_security_headers(client.get(path))


def test_static_files_carry_the_headers(client):
    page = client.get("/").get_data(as_text=True)
    sources = re.findall(r'<script src="([^"]+)"', page)
    sources += re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    sources += ["/assets/favicon.svg"]
    assert any("plotly-miglia" in s for s in sources)
    assert any("dash_renderer" in s for s in sources)
    for src in sources:
        for encoding in ("identity", CHROMIUM_ENCODINGS):
            response = client.get(src, headers={"Accept-Encoding": encoding})
            assert response.status_code == 200, src
            assert_security_headers(response)


@pytest.mark.parametrize("path", ["/assets/nope.css", "/_miglia/route-map/nope.svg"])
def test_not_found_answers_carry_the_headers(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert_security_headers(response)


def test_a_server_error_carries_the_headers(client):
    # Dash refuses a script of a registered library that does not exist with a 500
    response = client.get("/_dash-component-suites/dash_ag_grid/nope.v1m2.min.js")
    assert response.status_code == 500
    assert_security_headers(response)


def test_a_post_to_a_page_is_refused_with_the_headers(client):
    response = client.post("/")
    assert response.status_code == 405
    assert_security_headers(response)


def test_inline_script_hashes_of_a_small_page():
    page = (
        "<title><script>alert(1)</script></title>"  # text echoed into the head: not allowed
        '<script id="_dash-config" type="application/json">{"fake": 1}</script>'
        "<script>alert(2)</script>"  # before Dash's own config: not allowed either
        '<script id="_dash-config" type="application/json">{"a": 1}</script>'
        '<script src="/x.js"></script>'
        "<script>var a = 1;</script>"
        '<SCRIPT type="text/javascript">\nvar b = "é";\n</SCRIPT>'
        '<script type="text/x-template"><b>data</b></script>'
        "<script>var a = 1;</script>"
    )
    assert security.inline_script_hashes(page) == [
        sha256_source("var a = 1;"),
        sha256_source('\nvar b = "é";\n'),
    ]
    # no Dash config (Flask's error pages, anything else): no inline script allowed
    assert security.inline_script_hashes("<script>var a = 1;</script>") == []
    assert security.policy([]) == security.policy()
    assert "script-src 'self' 'sha256-x';" in security.policy(["'sha256-x'"])
