"""The Content-Security-Policy (dashboard/security.py) in headless Chromium: every page draws
with no violation, reported either in the console or as a securitypolicyviolation event, and
every answer the page got carries the security headers."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import NOT_FOUND_CONSOLE_ERROR, open_page

PAGES = [
    "/",
    "/explore",
    "/bigscreen",
    "/editor",
    "/history",
    "/nope",
    "/?lang=it",
    "/explore?stage=3&lang=it",
    "/bigscreen?lang=it",
    "/editor?lang=it",
    "/history?lang=it",
    "/nope?lang=it",
]

# registered before any of the page's own scripts (init scripts are not subject to the CSP)
LISTEN = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  [e.violatedDirective, e.blockedURI, e.sourceFile + ':' + e.lineNumber, e.sample].join(' | ')
));"""

# the page is drawn: the router has answered, no callback is pending, every graph has drawn,
# every MapLibre map has loaded its style, layers and workers, every grid has its header
RENDERED = """() => {
  const routed = document.querySelector('#_pages_content');
  if (!routed || !routed.children.length || document.querySelector('#boot-message')) {
    return false;
  }
  if (document.querySelector('[data-dash-is-loading="true"]')) return false;
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd._fullLayout) return false;
    const sub = gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (sub && !(sub.map && sub.map.loaded() && sub.map.areTilesLoaded())) return false;
  }
  for (const grid of document.querySelectorAll('.ag-root')) {
    if (!grid.querySelector('.ag-header-cell')) return false;
  }
  return true;
}"""

MAPS_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(
  (gd) => gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot
    && gd._fullLayout.map._subplot.map.getCanvas().width > 0).length"""

HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class CspWatch:
    """A page of its own (CSP enforced: no bypass), with what would show a violation."""

    def __init__(self, browser):
        self.watched = open_page(browser)
        self.page = self.watched.page
        self.csp_console: list[str] = []
        self.responses = []
        self.page.add_init_script(LISTEN)
        self.page.on("console", self._console)
        self.page.on("response", lambda response: self.responses.append(response))

    def _console(self, msg) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            self.csp_console.append(f"{msg.type}: {msg.text}")

    def open(self, url: str):
        response = self.page.goto(url)
        try:
            self.page.wait_for_function(RENDERED)
        except PlaywrightTimeoutError as timeout:  # a blocked script or worker: say which
            violations = self.violations()
            raise AssertionError(f"{url} never drew; CSP violations: {violations}") from timeout
        # late fetches (map layers, worker scripts, lazy chunks) have ended too
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function(RENDERED)
        return response

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__cspViolations")
        return self.csp_console + events

    def close(self) -> None:
        self.page.context.close()


@pytest.fixture
def csp_page(browser):
    watch = CspWatch(browser)
    yield watch
    watch.close()


def assert_headers(response) -> None:
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "default-src 'self'" in policy, response.url
    assert "frame-ancestors 'none'" in policy, response.url
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (response.url, name)


@pytest.mark.parametrize("path", PAGES)
def test_page_draws_with_no_csp_violation(shipped_server, csp_page, path):
    document = csp_page.open(shipped_server.url + path)
    unknown = path.startswith("/nope")
    assert document.status == (404 if unknown else 200)
    assert_headers(document)
    policy = document.headers["content-security-policy"]
    assert (
        "'sha256-" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert csp_page.violations() == []
    # Chromium reports an unknown address's status 404 in the console: that, and nothing else
    assert csp_page.watched.console_errors == ([NOT_FOUND_CONSOLE_ERROR] if unknown else [])
    assert csp_page.watched.external_requests() == []
    # every answer the page got from the app carries the headers (scripts, CSS, JSON, images)
    answered = [r for r in csp_page.responses if r.url.startswith(shipped_server.url)]
    assert len(answered) > 10
    for response in answered:
        assert_headers(response)
    if path.split("?")[0] in ("/", "/explore", "/history"):
        # the MapLibre maps drew (their workers come from blob: URLs: worker-src blob:)
        assert csp_page.page.evaluate(MAPS_DRAWN) >= 1


def test_the_map_page_updates_with_no_csp_violation(shipped_server, csp_page):
    """Callbacks after the first paint (a new stage: a new map view, card and grid)."""
    page = csp_page.page
    csp_page.open(shipped_server.url + "/")
    page.locator("#stage-picker").get_by_role("link", name="Stage 3", exact=True).click()
    page.wait_for_url("**/?stage=3")
    page.locator("#stage-card").get_by_text("Siena").first.wait_for()
    page.wait_for_function(RENDERED)
    page.wait_for_load_state("networkidle")
    assert csp_page.violations() == []
    assert csp_page.watched.console_errors == []


def test_the_editor_with_a_token_has_no_csp_violation(editor_server, csp_page):
    """The editing controls (upload, file list) only show when a token is configured."""
    csp_page.open(editor_server.url + "/editor")
    csp_page.page.get_by_label("Editor token").wait_for()
    assert csp_page.violations() == []
    assert csp_page.watched.console_errors == []
