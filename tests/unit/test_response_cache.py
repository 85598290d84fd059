"""The callback response cache (dashboard/response_cache.py) and which callbacks it may
answer (dashboard/app.py is_pure_callback)."""

from __future__ import annotations

import io
import json

from dashboard import ids
from dashboard.app import is_pure_callback
from dashboard.response_cache import CallbackResponseCache
from tests.router import router_request


class CountingApp:
    """A WSGI app that answers with a counter, so a cached answer is recognisable."""

    def __init__(self, status: str = "200 OK"):
        self.calls = 0
        self.status = status

    def __call__(self, environ, start_response):
        self.calls += 1
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        start_response(self.status, [("Content-Type", "application/json")])
        return [json.dumps({"call": self.calls, "echo": json.loads(body)}).encode()]


def post(app, payload: dict, path="/_dash-update-component", encoding="gzip") -> tuple[str, bytes]:
    body = json.dumps(payload).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT_ENCODING": encoding,
        "wsgi.input": io.BytesIO(body),
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    content = b"".join(app(environ, start_response))
    return seen["status"], content


VIEW = {"output": "..view.data...stage-view.data..", "inputs": [{"id": "url", "value": "?"}]}


def test_an_identical_request_on_the_same_data_is_answered_from_the_cache():
    inner, version = CountingApp(), ["v1"]
    cache = CallbackResponseCache(inner, lambda: version[0], lambda request: True)
    first = post(cache, VIEW)
    assert post(cache, VIEW) == first and inner.calls == 1 and cache.hits == 1
    other = {**VIEW, "inputs": [{"id": "url", "value": "?crew=46"}]}
    assert post(cache, other) != first and inner.calls == 2  # another request
    assert post(cache, VIEW, encoding="identity") != first  # another encoding
    version[0] = "v2"  # new data: computed again
    assert post(cache, VIEW) != first and inner.calls == 4


def test_what_is_not_cacheable_always_runs():
    inner = CountingApp()
    cache = CallbackResponseCache(inner, lambda: "v", lambda request: False)
    post(cache, VIEW)
    post(cache, VIEW)
    assert inner.calls == 2 and cache.hits == 0
    failing = CountingApp(status="500 INTERNAL SERVER ERROR")
    cache = CallbackResponseCache(failing, lambda: "v", lambda request: True)
    post(cache, VIEW)
    post(cache, VIEW)
    assert failing.calls == 2  # errors are never kept
    inner = CountingApp()
    cache = CallbackResponseCache(inner, lambda: "v", lambda request: True)
    post(cache, VIEW, path="/_miglia/data-version")
    post(cache, VIEW, path="/_miglia/data-version")
    assert inner.calls == 2  # only callback requests


def test_the_cache_stays_within_its_size():
    inner = CountingApp()
    cache = CallbackResponseCache(inner, lambda: "v", lambda request: True, max_bytes=8_000)
    for i in range(50):
        post(cache, {**VIEW, "n": i})
    assert cache._bytes <= 8_000 and len(cache._entries) < 50


def test_only_pure_callbacks_are_cacheable():
    assert is_pure_callback({"output": f"..{ids.STANDINGS_GRID}.rowData...bump-chart.figure.."})
    assert is_pure_callback({"output": "..route-map.figure@1f2e...stage-card.children.."})
    # the standings table and charts drawn after the map (pages/explore.py, _later_callbacks)
    assert is_pure_callback(
        {"output": f"..{ids.GRID_BOX}.children...{ids.BUMP_BOX}.children...{ids.STANDINGS_DRAWN}.data.."}
    )
    assert is_pure_callback(router_request("/history", "?lang=it"))
    assert is_pure_callback(router_request("/nope"))
    assert not is_pure_callback(router_request("/editor"))
    assert not is_pure_callback(router_request("/editor/", "?lang=it"))
    assert not is_pure_callback({"output": f"..{ids.EDITOR_MESSAGE}.children.."})
    assert not is_pure_callback({"output": f"{ids.BS_STATE}.data"})
    assert not is_pure_callback({"output": 12})
