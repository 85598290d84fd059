"""On a phone (390x844) nothing is cut at an edge: every header of the standings grid shows
its words in full (both languages, sorted or not), and every
town name drawn on the map lies inside the map (a name near the edge turns inwards)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_standings_page import grid_row

CUT_HEADERS = """() => [...document.querySelectorAll('#standings-grid .ag-header-cell[col-id]')]
  .filter(cell => cell.offsetParent)
  .map(cell => cell.querySelector('.ag-header-cell-text'))
  .filter(text => text && text.scrollWidth > text.clientWidth)
  .map(text => text.textContent)"""
HEADERS = """() => [...document.querySelectorAll('#standings-grid .ag-header-cell[col-id]')]
  .filter(cell => cell.offsetParent).map(cell => cell.getAttribute('col-id'))"""
# the names MapLibre has placed whose placed box reaches past the map's canvas: a symbol's
# box is found by queryRenderedFeatures wherever it lies, also in the strips just outside
CUT_NAMES = """() => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const layers = map.getStyle().layers.filter(l => l.id.startsWith('place-labels'))
                    .map(l => l.id);
  const c = map.getCanvas(), w = c.clientWidth, h = c.clientHeight;
  const names = box => new Set(map.queryRenderedFeatures(box, {layers})
                                  .map(f => f.properties.name));
  const inside = names([[0, 0], [w, h]]);
  const beyond = [[[-90, -90], [0, h + 90]], [[w, -90], [w + 90, h + 90]],
                  [[-90, -90], [w + 90, 0]], [[-90, h], [w + 90, h + 90]]];
  const cut = new Set();
  beyond.forEach(box => names(box).forEach(n => { if (inside.has(n)) { cut.add(n); } }));
  return {cut: [...cut].sort(), inside: [...inside].sort()};
}"""


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_grids_headers_are_whole_on_a_phone(shipped_server, phone, lang):
    page = phone.page
    page.goto(shipped_server.url + f"/?stage=3&checkpoint=2020-06-stage3-end&lang={lang}")
    wait_for_map(page)
    page.locator("#standings-grid").scroll_into_view_if_needed()
    expect(grid_row(page, "45")).to_be_visible()
    assert page.evaluate(HEADERS) == ["position", "car_number", "crew", "points", "gap"]
    page.wait_for_function(f"() => ({CUT_HEADERS})().length === 0")
    # sorted by the gap, its header gets an arrow beside its words: still whole
    page.locator("#standings-grid .ag-header-cell[col-id='gap'] .ag-header-cell-label").click()
    expect(page.locator("#standings-grid .ag-header-cell[col-id='gap']")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.wait_for_function(f"() => ({CUT_HEADERS})().length === 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.console_errors == [] and phone.external_requests() == []


@pytest.mark.parametrize("stage", ["all", "2", "3", "4"])
def test_town_names_lie_inside_the_map_on_a_phone(shipped_server, phone, stage):
    page = phone.page
    page.goto(shipped_server.url + f"/?stage={stage}")
    wait_for_map(page, stage)
    # the names settle after the map's last move (assets/map_labels.js)
    page.wait_for_function(
        f"() => ({CUT_NAMES})().cut.length === 0 && ({CUT_NAMES})().inside.length > 3"
    )
    shown = page.evaluate(CUT_NAMES)
    if stage in ("2", "3", "all"):
        assert "Roma" in shown["inside"], shown  # the name that was cut at the right edge
    assert phone.console_errors == [] and phone.external_requests() == []


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_grids_headers_are_whole_on_a_laptop(shipped_server, watched, lang):
    page = watched.page
    page.goto(shipped_server.url + f"/?stage=3&checkpoint=2020-06-stage3-end&lang={lang}")
    wait_for_map(page)
    page.locator("#standings-grid").scroll_into_view_if_needed()
    expect(grid_row(page, "45")).to_be_visible()
    assert "ahead" in page.evaluate(HEADERS)  # every column, "To crew ahead" the longest
    page.wait_for_function(f"() => ({CUT_HEADERS})().length === 0")
    assert watched.console_errors == []
