"""The standings on a phone (390x844) and from the keyboard, in headless Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_relief_and_profile import CUT_TICK_LABELS
from tests.browser.test_standings_page import grid_row

CUT_CREW_NAMES = """() => [...document.querySelectorAll(
        '#standings-grid .ag-center-cols-container [col-id="crew"]')]
    .filter(cell => cell.scrollWidth > cell.clientWidth
                    || cell.scrollHeight > cell.clientHeight + 1)
    .map(cell => cell.textContent)"""
FOCUSED = """() => {
  const el = document.activeElement;
  const cell = el && el.closest('#standings-grid .ag-cell');
  const row = el && el.closest('#standings-grid [row-id]');
  return {inGrid: !!(el && el.closest('#standings-grid')), id: el && el.id,
          col: cell && cell.getAttribute('col-id'), row: row && row.getAttribute('row-id')};
}"""


def wait_for_focus_in_grid(page, inside: bool):
    """The grid moves focus across its edges itself (its tab guards, a task later): wait."""
    page.wait_for_function(f"(inside) => ({FOCUSED})().inGrid === inside", arg=inside)


def test_phone_shows_whole_crew_names(shipped_server, phone):
    page = phone.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    grid = page.locator("#standings-grid")
    grid.scroll_into_view_if_needed()
    expect(grid_row(page, "45")).to_be_visible()
    names = page.locator("#standings-grid .ag-center-cols-container [col-id='crew']")
    expect(names.first).to_be_visible()
    assert names.count() >= 5
    # the rows grow once the grid has fitted its columns to the phone
    page.wait_for_function(f"() => ({CUT_CREW_NAMES})().length === 0")
    # the longest names take two lines, not a cut
    heights = [names.nth(i).bounding_box()["height"] for i in range(names.count())]
    assert max(heights) > min(heights)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "standings-grid-390x844")
    assert phone.console_errors == [] and phone.external_requests() == []


def test_the_grid_is_one_tab_stop_with_arrows_and_enter_selects(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    expect(grid_row(page, "46")).to_be_visible()
    search = page.get_by_label("Find a crew (name, car or number)")
    search.focus()
    page.keyboard.press("Tab")
    wait_for_focus_in_grid(page, True)  # one press from the search box into the grid
    first = page.evaluate(FOCUSED)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate(FOCUSED)
    assert moved["inGrid"] and moved["row"] is not None and moved != first
    crew = moved["row"]
    page.keyboard.press("Enter")
    expect(page.locator("#crew-card")).not_to_contain_text("Select a crew")
    expect(page).to_have_url(re.compile(rf"crew={crew}\b"))
    expect(grid_row(page, crew)).to_have_class(re.compile("selected-crew"))
    # the next row, chosen with Space
    page.keyboard.press("ArrowDown")
    other = page.evaluate(FOCUSED)["row"]
    assert other != crew
    page.keyboard.press(" ")
    expect(page).to_have_url(re.compile(rf"crew={other}\b"))
    # the mark moved (the two rows redrawn in the browser) before the fan goes on
    expect(grid_row(page, other)).to_have_class(re.compile("selected-crew"))
    # one press of Tab leaves the grid
    page.keyboard.press("Tab")
    wait_for_focus_in_grid(page, False)
    page.keyboard.press("Shift+Tab")
    wait_for_focus_in_grid(page, True)  # and back in with one press
    assert watched.console_errors == []


# chart texts that reach past the chart's right edge, or overlap the text after them
CUT_CHART_TEXTS = """(id) => {
  const svg = document.querySelector('#' + id + ' .main-svg');
  if (!svg) return ['no chart'];
  const edge = svg.getBoundingClientRect().right;
  const texts = [...document.querySelectorAll('#' + id + ' .annotation-text')]
    .map(t => ({text: t.textContent, box: t.getBoundingClientRect()}));
  const cut = texts.filter(t => t.box.right > edge + 0.5).map(t => 'cut: ' + t.text);
  const stages = texts.filter(t => !t.text.startsWith('#')).sort((a, b) => a.box.left - b.box.left);
  for (let i = 1; i < stages.length; i++) {
    if (Math.abs(stages[i].box.top - stages[i - 1].box.top) < 2
        && stages[i].box.left < stages[i - 1].box.right) {
      cut.push('overlap: ' + stages[i - 1].text + ' / ' + stages[i].text);
    }
  }
  return cut;
}"""


RIGHT_MARGIN = """(id) => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  return {set: gd.layout.margin.r, pushed: gd._fullLayout._size.r - gd.layout.margin.r};
}"""


def test_phone_charts_keep_their_labels_inside_the_screen(shipped_server, phone):
    page = phone.page
    page.goto(shipped_server.url + "/")
    wait_for_map(page)
    for chart in ("bump-chart", "gap-chart"):
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.wait_for_function(
            f"() => document.querySelectorAll('#{chart} .annotation-text').length > 5"
        )
        page.wait_for_function(f"() => ({CUT_CHART_TEXTS})('{chart}').length === 0")
        tags = page.locator(f"#{chart} .annotation-text").all_text_contents()
        assert "#46" in tags  # the car number stays; the hover names the crew
        # the right margin narrowed to what the last checkpoint's name needs, so plotly
        # did not push it back out and draw the chart once more
        page.wait_for_function(f"() => ({RIGHT_MARGIN})('{chart}').set < 130")
        assert page.evaluate(RIGHT_MARGIN, chart)["pushed"] == 0
        assert page.evaluate(CUT_TICK_LABELS, chart) == []
    screenshot(page, "standings-charts-390x844")
    assert phone.console_errors == []


SHOWN_COLUMNS = """() => [...document.querySelectorAll('#standings-grid .ag-header-cell[col-id]')]
    .filter(cell => cell.offsetParent).map(cell => cell.getAttribute('col-id'))"""
PHONE_COLUMNS = ["position", "car_number", "crew", "points", "gap"]


def test_a_phone_shows_the_columns_that_matter_and_a_wider_screen_all(shipped_server, phone):
    page = phone.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    page.wait_for_function(f"() => ({SHOWN_COLUMNS})().join() === {PHONE_COLUMNS!r}.join()")
    # turned, or a window made wider: every column; narrow again: the phone's
    page.set_viewport_size({"width": 1100, "height": 844})
    page.wait_for_function(f"() => ({SHOWN_COLUMNS})().length === 9")
    assert "car" in page.evaluate(SHOWN_COLUMNS)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"() => ({SHOWN_COLUMNS})().join() === {PHONE_COLUMNS!r}.join()")
    assert phone.console_errors == []


def test_a_laptop_shows_every_column(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    page.wait_for_function(f"() => ({SHOWN_COLUMNS})().length === 9")
