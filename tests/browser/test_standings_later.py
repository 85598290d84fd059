"""The fans' page is drawn in the order a fan looks at it: the header, the map and the stage
card first; the standings table and charts after the map, or at once when the fan scrolls to
them, with words in their place meanwhile (assets/standings_later.js). A shared link with a
crew still opens with the crew selected."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.i18n import texts
from tests.browser.conftest import axe_violations, screenshot

GRID_ROWS = "#standings-grid .ag-center-cols-container [row-id]"
# the browser never idle: the two ways that wait for it (after the map, the fallback) never
# ask, so only the fan's scrolling can bring the table (set before the page's scripts run)
NEVER_IDLE = "window.requestIdleCallback = function () { return 0; };"
# when the interactive map was made and when the table appeared, in page time
ORDER = """
(() => {
  window.__order = {};
  new MutationObserver(() => {
    const seen = window.__order;
    if (!seen.map && document.querySelector('#route-map .js-plotly-plot .maplibregl-canvas')) {
      seen.map = performance.now();
    }
    if (!seen.ready && document.querySelector('.map-stack.map-ready')) {
      seen.ready = performance.now();
    }
    if (!seen.table && document.querySelector('#standings-grid .ag-root')) {
      seen.table = performance.now();
    }
  }).observe(document, {childList: true, subtree: true, attributes: true});
})();
"""


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_table_waits_with_words_until_the_fan_scrolls_to_it(shipped_server, watched, lang):
    page = watched.page
    labels = texts(lang)
    page.add_init_script(NEVER_IDLE)
    page.goto(shipped_server.url + f"/?stage=3&lang={lang}")
    page.wait_for_selector(".map-stack.map-ready")
    note = page.locator("#grid-box .later-note")
    expect(note).to_have_text(labels["standings.loading_table"])
    expect(page.locator("#bump-box .later-note")).to_have_text(labels["standings.loading_chart"])
    assert page.locator("#standings-grid .ag-root").count() == 0
    # the rest of the section is there already, and working
    expect(page.locator("#checkpoint-heading")).to_contain_text(labels["standings.stage_of"][:5])
    screenshot(page, f"standings-later-waiting-{lang}")

    page.locator("#standings").scroll_into_view_if_needed()
    expect(page.locator(GRID_ROWS).first).to_be_visible()
    expect(page.locator("#bump-chart .main-svg").first).to_be_attached()
    expect(page.locator("#gap-chart .main-svg").first).to_be_attached()
    expect(note).to_have_count(0)
    assert watched.console_errors == []
    assert axe_violations(page) == []


def test_without_scrolling_the_table_comes_after_the_map(shipped_server, watched):
    page = watched.page
    page.add_init_script(ORDER)
    page.goto(shipped_server.url + "/?stage=3")
    expect(page.locator(GRID_ROWS).first).to_be_attached()
    order = page.evaluate("() => window.__order")
    assert order.get("map") and order.get("table")
    assert order["map"] < order["table"]
    # the map drawn first, unless it took longer than the page's fallback (a slow machine)
    assert order.get("ready", float("inf")) < order["table"] or order["table"] > 4000
    assert page.evaluate("() => window.scrollY") == 0  # nothing scrolled the page
    expect(page.locator("#bump-chart .main-svg").first).to_be_attached()
    assert watched.console_errors == []


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_a_crew_link_opens_with_the_crew_selected(shipped_server, browser, width, height):
    from tests.browser.conftest import open_page

    watched = open_page(browser, width, height)
    page = watched.page
    try:
        page.add_init_script(NEVER_IDLE)
        page.goto(shipped_server.url + "/?stage=3&crew=46")
        # before the table: the crew card names the crew
        expect(page.locator("#crew-card")).to_contain_text("#46")
        assert page.locator("#standings-grid .ag-root").count() == 0
        page.locator("#standings").scroll_into_view_if_needed()
        selected = page.locator("#standings-grid .ag-center-cols-container .selected-crew")
        expect(selected).to_have_count(1)
        expect(selected).to_contain_text("46")
        assert "crew=46" in page.url
        # and the crew is still the selected one after a step of the scrubber
        page.locator("#previous-button").click()
        expect(page.locator("#crew-card")).to_contain_text("#46")
        expect(selected).to_have_count(1)
        screenshot(page, f"standings-later-crew-{width}x{height}")
        assert watched.console_errors == []
    finally:
        page.context.close()


def test_a_view_changed_before_the_table_is_drawn_is_the_one_it_shows(shipped_server, watched):
    page = watched.page
    page.add_init_script(NEVER_IDLE)
    page.goto(shipped_server.url + "/")
    page.wait_for_selector(".map-stack.map-ready")
    # a stage picked before the table is there: the table, once drawn, is that stage's
    page.locator("#stage-picker").get_by_role("link", name="Stage 3", exact=True).click()
    expect(page.locator("#checkpoint-heading")).to_contain_text("End of stage 3")
    assert page.locator("#standings-grid .ag-root").count() == 0
    # a step back pressed in the section asks for the table and changes the view at once
    page.get_by_role("button", name="◀ Previous").click()
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 80")
    row = page.locator("#standings-grid .ag-center-cols-container [row-id='46']")
    expect(row.locator("[col-id='points']")).to_have_text("54,171")
    page.wait_for_function(
        "() => (document.querySelector('#bump-chart .js-plotly-plot') || {}).layout"
        " && document.querySelector('#bump-chart .js-plotly-plot').layout.xaxis.ticktext.length === 2"
    )
    assert watched.console_errors == []


def test_what_is_typed_while_the_grid_loads_is_the_filter_it_shows(shipped_server, watched):
    page = watched.page
    held = []  # the grid's own script, held until the fan has typed
    page.route("**/dash_ag_grid/async-community*", lambda route, request: held.append(route))
    with page.expect_request(lambda request: "async-community" in request.url):
        page.goto(shipped_server.url + "/?stage=3&checkpoint=2020-05-stage3-after-tt80")
        page.locator("#standings").scroll_into_view_if_needed()
    # the table is drawn and waiting for its script; the fan types meanwhile
    box = page.get_by_label("Find a crew (name, car or number)")
    box.fill("Bug")
    box.fill("Bugatti")
    assert held
    held[0].continue_()
    # the two crews of Bugatti cars, and no other, however the grid's waits ended
    expect(page.locator(GRID_ROWS)).to_have_count(2)
    expect(page.locator(GRID_ROWS).first).to_contain_text("bugatti", ignore_case=True)
    box.fill("")
    expect(page.locator(GRID_ROWS)).not_to_have_count(2)
    assert watched.console_errors == []
