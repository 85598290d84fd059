"""The fans' route map page, in headless Chromium, as a user uses it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import NOT_FOUND_CONSOLE_ERROR, axe_violations, screenshot

MAP_READY = """(choice) => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  if (!(sub && sub.map && sub.map.loaded() && sub.map.areTilesLoaded() && !sub.map.isMoving())) {
    return false;
  }
  // shown to the fan (assets/map_picture.js), and the standings drawn after it are there:
  // a mouse move made while they render can bring no hover label until the next move
  if (document.querySelector('.map-stack:not(.map-ready), .later-note')) { return false; }
  // the view of the given stage choice is the one drawn (its uirevision is '<choice>-<n>')
  return choice == null || String(gd.layout.uirevision || '').split('-')[0] === choice;
}"""

PLACE_ON_SCREEN = """([lon, lat]) => {
  const gd = document.querySelector('#route-map .js-plotly-plot');
  const map = gd._fullLayout.map._subplot.map;
  const point = map.project([lon, lat]);
  const box = map.getCanvas().getBoundingClientRect();
  return [box.left + point.x, box.top + point.y];
}"""


def wait_for_map(page, choice: str | None = None):
    """Wait until the map has drawn the view of the given stage choice and stopped moving."""
    page.wait_for_function(MAP_READY, arg=choice)


def pick(page, label: str):
    page.locator("#stage-picker").get_by_role("link", name=label, exact=True).click()


def hover_place(page, lon: float, lat: float):
    """Move the mouse onto a place of the map, as a user does; the hover label's locator."""
    x, y = page.evaluate(PLACE_ON_SCREEN, [lon, lat])
    page.mouse.move(x, y, steps=4)
    return page.locator("#route-map .hoverlayer .hovertext")


def test_pick_stage_3_shows_its_card_and_siena_as_lunch_stop(
    shipped_server, watched, shipped_route
):
    page = watched.page
    page.goto(shipped_server.url + "/")
    wait_for_map(page)
    expect(page).to_have_title("1000 Miglia route map")
    pick(page, "Stage 3")
    card = page.locator("#stage-card")
    expect(card).to_contain_text("Roma → Parma")
    expect(card).to_contain_text("Siena")
    expect(page).to_have_url(re.compile(r"\?stage=3$"))
    wait_for_map(page, "3")
    siena = shipped_route.places.query("route_id == '2020-stage-3' and name == 'Siena'").iloc[0]
    label = hover_place(page, siena["lon"], siena["lat"])
    expect(label).to_contain_text("Siena")
    expect(label).to_contain_text("Lunch stop")
    expect(label).to_contain_text("Stage 3")
    screenshot(page, "explore-stage3-1366x768")
    assert watched.external_requests() == []
    assert watched.console_errors == []


def test_shared_link_reopens_the_same_view(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=1927")
    wait_for_map(page)
    expect(page.locator("#stage-picker .selected")).to_contain_text("1927")
    expect(page.locator("#stage-card")).to_contain_text("1927")
    expect(page.locator("#stage-card")).to_contain_text("1,618 km")
    visible = page.evaluate(
        """() => document.querySelector('#route-map .js-plotly-plot').data
              .filter(t => t.meta && t.meta.route_id === '1927').map(t => t.visible)"""
    )
    assert visible == [True]
    # back to all of 2020: the address forgets the stage
    pick(page, "All of 2020")
    expect(page).to_have_url(shipped_server.url + "/")
    expect(page.locator("#stage-card")).to_contain_text("Brescia → Brescia")


def test_legend_toggles_a_kind_of_place(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=4")
    wait_for_map(page)
    entry = page.locator("#route-map g.traces", has=page.locator("text", has_text="Time trials"))
    entry.locator("rect.legendtoggle").click()
    page.wait_for_function(
        """() => document.querySelector('#route-map .js-plotly-plot').data
              .find(t => t.meta && t.meta.category === 'time_trial').visible === 'legendonly'"""
    )


def test_keyboard_changes_the_stage_and_back_returns(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=2")
    wait_for_map(page)
    page.locator("#stage-picker").get_by_role("link", name="Stage 2").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#stage-card")).to_contain_text("Roma → Parma")
    expect(page).to_have_url(re.compile(r"\?stage=3$"))
    page.go_back()
    expect(page.locator("#stage-card")).to_contain_text("Cervia-Milano Marittima → Roma")


def test_italian_page(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    page.get_by_role("link", name="Italiano").click()
    expect(page).to_have_url(re.compile(r"lang=it"))
    expect(page.get_by_role("navigation", name="Percorso", exact=True)).to_be_visible()
    expect(page.locator("#stage-card")).to_contain_text("sabato 24 ottobre 2020")
    expect(page).to_have_title("Mappa del percorso 1000 Miglia")
    assert page.evaluate("document.documentElement.lang") == "it"


def test_unknown_address_gets_a_friendly_page(shipped_server, watched):
    page = watched.page
    response = page.goto(shipped_server.url + "/no/such/page")
    assert response.status == 404  # for crawlers and link checkers; the page is still drawn
    expect(
        page.get_by_role("heading", level=1, name="There is no page at this address")
    ).to_be_visible()
    expect(page).to_have_title(re.compile("Page not found"))
    page.get_by_role("link", name="Open the route map").click()
    wait_for_map(page)
    # Chromium reports the page's own status 404 in the console; nothing else may be there
    assert watched.console_errors == [NOT_FOUND_CONSOLE_ERROR]


def test_phone_layout_and_accessibility(shipped_server, phone, watched):
    page = phone.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    page.wait_for_selector(".map-stack.map-ready", state="attached")  # the picture gave way
    screenshot(page, "explore-stage3-390x844")
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    map_box = page.locator("#route-map").bounding_box()
    assert map_box["width"] >= 360 and map_box["height"] >= 300
    assert axe_violations(page) == []
    assert phone.external_requests() == [] and phone.console_errors == []
    laptop = watched.page
    laptop.goto(shipped_server.url + "/")
    wait_for_map(laptop)
    assert axe_violations(laptop) == []
    laptop.goto(shipped_server.url + "/nowhere")
    expect(laptop.locator("h1", has_text="no page")).to_be_visible()
    assert axe_violations(laptop) == []
