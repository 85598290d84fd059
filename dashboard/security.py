"""Security headers on every response: a Content-Security-Policy, no framing, no sniffing.

    security.install(app.server)   # right after the Dash app is made (see app.py)

The policy is as tight as the pages allow; each source is there because a page needs it,
found by running every page in headless Chromium and reading its CSP violations
(tests/browser/test_csp.py):

- default-src 'self': the app is fully offline; no remote host is ever named.
- script-src 'self' plus one 'sha256-…' per inline script Dash writes: the renderer's
  bootstrap and the clientside callbacks are inline <script> tags. Their hashes are computed
  from the page itself in an after_request hook (only the scripts after Dash's config
  element: see inline_script_hashes), so no 'unsafe-inline' for scripts and nothing to
  update when a clientside callback changes. No 'unsafe-eval': plotly.js,
  MapLibre (inside plotly.js), dash-ag-grid and Dash itself run without it.
- worker-src blob:: MapLibre (the go.Scattermap maps) starts its web workers from blob: URLs.
- style-src 'self' 'unsafe-inline': React renders style attributes (style={...}) and
  plotly.js, MapLibre and AG Grid insert <style> elements at run time; neither can be hashed
  ahead of time (dash-renderer, dcc and plotly.js all add <style> elements, blocked without
  it). Styles cannot run code; this is the one loose part of the policy.
- img-src 'self' data:: AG Grid draws its icons (sort arrows, menu) as data: SVG images.
- object-src 'none', base-uri 'none', form-action 'self': nothing here uses plugins, <base>
  or forms posting elsewhere; closing them costs nothing.
- frame-ancestors 'none' (and X-Frame-Options: DENY for older browsers): no page is ever
  shown inside another site's frame (clickjacking on the editor's buttons).

Non-HTML answers (JSON, scripts, images, GeoJSON) carry the same policy without hashes: it
matters if one of them is ever opened as a document, and a worker loaded from a URL would get
its policy from its own response.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from flask import Flask, Response

# Each directive and why: see the module docstring.
BASE_POLICY: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("worker-src", "blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# An inline script element: no src attribute. Its text, exactly as the browser hashes it.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_DASH_CONFIG = re.compile(
    r"<script\b[^>]*\bid=[\"']?_dash-config\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL
)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# script types a browser runs (others, such as Dash's application/json config, are data)
_RUNNABLE = {
    "",
    "text/javascript",
    "application/javascript",
    "module",
    "text/ecmascript",
    "application/ecmascript",
}


def inline_script_hashes(page: str) -> list[str]:
    """The CSP sources ('sha256-…') of the inline scripts Dash wrote, in order, no repeats.

    Only the scripts after Dash's config element count: Dash writes its clientside callbacks
    and the renderer's bootstrap there, from the app's own code. Anything before it (the
    head, the boot screen, the page's title) is where text from a request could ever be
    echoed; a <script> that got in there is not allowed, so the policy still stops it. A page
    without Dash's config (such as Flask's own error pages) allows no inline script at all.
    """
    configs = list(_DASH_CONFIG.finditer(page))
    if not configs:
        return []
    found: list[str] = []
    # the last config element is Dash's: one injected before it gains nothing
    for match in _SCRIPT.finditer(page, configs[-1].end()):
        attributes, text = match.group(1), match.group(2)
        if _SRC.search(attributes):
            continue
        kind = _TYPE.search(attributes)
        if kind and kind.group(1).lower() not in _RUNNABLE:
            continue
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if source not in found:
            found.append(source)
    return found


def policy(script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy header's value, with the given script hashes allowed."""
    hashes = " ".join(script_hashes)
    parts = []
    for name, sources in BASE_POLICY:
        if name == "script-src" and hashes:
            sources = f"{sources} {hashes}"
        parts.append(f"{name} {sources}")
    return "; ".join(parts)


def add_headers(response: Response) -> Response:
    """The after_request hook: the policy (with the page's script hashes) and the headers."""
    hashes: list[str] = []
    if (
        response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
    ):
        hashes = inline_script_hashes(response.get_data(as_text=True))
    response.headers["Content-Security-Policy"] = policy(hashes)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def install(server: Flask) -> None:
    """Add the headers to every response of the server.

    Call it after the Dash app is made: Flask runs after_request hooks last-registered first,
    so this one reads the HTML before Flask-Compress (Dash's compress=True) or the
    brotli twins (dashboard/static_files.py) have encoded any body.
    """
    server.after_request(add_headers)
