"""The Italian page writes every points figure and gap of 1000 or more grouped with '.', in
the table and in the crew card alike (67.276 and 2.235, never 67.276 beside 2235)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from dashboard.i18n import texts
from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_standings_page import grid_row

IT = texts("it")
UNGROUPED = re.compile(r"\d{4,}")
GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
FIGURES = """() => [...document.querySelectorAll(
      '#standings-grid .ag-center-cols-container [col-id="points"],'
    + '#standings-grid .ag-center-cols-container [col-id="gap"],'
    + '#standings-grid .ag-center-cols-container [col-id="ahead"]')]
  .map(cell => cell.textContent.trim())"""
CARD_FACTS = """() => Object.fromEntries([...document.querySelectorAll('#crew-card dt')]
  .map(dt => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]))"""


def test_the_italian_table_and_crew_card_group_every_figure(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3&checkpoint=2020-06-stage3-end&crew=45&lang=it")
    wait_for_map(page)
    expect(grid_row(page, "45")).to_be_visible()
    page.wait_for_function(f"() => ({FIGURES})().some(text => /\\d/.test(text))")
    figures = [f for f in page.evaluate(FIGURES) if re.search(r"\d", f)]
    big = [f for f in figures if len(re.sub(r"\D", "", f)) >= 4]
    assert big, figures  # the ranking has points and gaps in the thousands
    assert [f for f in big if not GROUPED.match(f)] == [], figures
    assert "2.235" in figures and "67.276" in figures  # Sisti's gap beside Vesco's points
    expect(page.locator("#crew-card-title")).to_contain_text("Sisti")
    facts = page.evaluate(CARD_FACTS)
    for term in (IT["crew.points"], IT["crew.gap"]):
        assert GROUPED.match(facts[term]), facts
        assert not UNGROUPED.search(facts[term]), facts
    assert facts[IT["crew.gap"]] == "2.235"
    assert watched.console_errors == []
