"""Cached callback responses: many fans ask for the same views (the latest ranking, the
leaders, a stage), so the answer to an identical callback request on the same data is kept
and sent again without running Dash, JSON or gzip.

A WSGI middleware in front of the Flask server: for POSTs to /_dash-update-component that
`cacheable(request)` accepts, the key is the data version, the address, the encodings
accepted and a digest of the request body; the value is the whole response (status,
headers, compressed body). Only pure callbacks may be cached: their answer must depend on
nothing but the request and the data folder (the app decides; the editor's callbacks,
which write files, never are). Bounded by total bytes, least recently used out first.

Per process and only a cache: every worker computes the same answers from the same folder,
and a new data version never matches an old entry.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

MAX_REQUEST_BYTES = 256_000  # larger callback requests (uploads) pass through uncached
CACHEABLE_STATUS = ("200 OK", "204 NO CONTENT")


class CallbackResponseCache:
    def __init__(
        self,
        app: Callable,
        version: Callable[[], str],
        cacheable: Callable[[dict], bool],
        max_bytes: int = 32_000_000,
    ):
        self.app = app
        self.version = version
        self.cacheable = cacheable
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[str, list, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("PATH_INFO", "").endswith(
            "/_dash-update-component"
        ):
            return self.app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not 0 < length <= MAX_REQUEST_BYTES:
            return self.app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            request = json.loads(body)
        except ValueError:
            return self.app(environ, start_response)
        if not isinstance(request, dict) or not self.cacheable(request):
            return self.app(environ, start_response)

        # the whole Accept-Encoding, not just "gzip accepted": the compression chosen (zstd,
        # br, gzip or none) depends on all of it, and a cached body is already compressed
        encodings = environ.get("HTTP_ACCEPT_ENCODING", "").lower().replace(" ", "")[:200]
        key = (
            self.version(),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING", ""),
            encodings,
            hashlib.blake2b(body, digest_size=16).digest(),
        )
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
        if entry is not None:
            status, headers, content = entry
            start_response(status, list(headers))
            return [content]

        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, list(headers)
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        try:
            content = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status = captured.get("status", "")
        if status.upper() in CACHEABLE_STATUS:
            self._keep(key, (status, captured["headers"], content))
        with self._lock:
            self.misses += 1
        return [content]

    def _keep(self, key: tuple, entry: tuple[str, list, bytes]) -> None:
        size = len(entry[2]) + 512
        if size > self.max_bytes // 8:
            return  # one huge answer must not flush everything else
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes and self._entries:
                _, (_, _, old) = self._entries.popitem(last=False)
                self._bytes -= len(old) + 512
