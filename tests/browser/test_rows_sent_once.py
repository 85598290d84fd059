"""The table's rows travel once per ranking (issue 18: send only what changed): selecting a
crew marks its row in the browser with no rows sent again; another ranking's rows are fetched
once from their version-named address; while they come, and if they fail, the page says so."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.i18n import texts
from dashboard.pages.explore import ROWS_PATH
from tests.browser.conftest import wait_for_polls, wait_in_browser
from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_standings_page import grid_row

SELECTED = re.compile("selected-crew")


def rows_traffic(page) -> tuple[list[str], list[tuple[str, int]]]:
    """The rows' requests and their answers (address, status), as the page makes them."""
    asked, answered = [], []
    page.on("request", lambda r: ROWS_PATH in r.url and asked.append(r.url))
    page.on("response", lambda r: ROWS_PATH in r.url and answered.append((r.url, r.status)))
    return asked, answered


def test_selecting_crews_sends_no_rows_and_another_ranking_fetches_them_once(
    shipped_server, watched
):
    page = watched.page
    asked, answered = rows_traffic(page)
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    expect(page.locator("#checkpoint-heading")).to_contain_text("End of stage 3")
    expect(grid_row(page, "46")).to_be_visible()
    assert asked == []  # the first ranking's rows came with the page

    grid_row(page, "46").locator("[col-id='crew']").click()
    expect(page.locator("#crew-card")).to_contain_text("Alfa Romeo 6C 1750 SS Zagato")
    expect(grid_row(page, "46")).to_have_class(SELECTED)
    grid_row(page, "45").locator("[col-id='crew']").click()
    expect(page.locator("#crew-card")).to_contain_text("Sergio Sisti / Anna Gualandi")
    expect(grid_row(page, "45")).to_have_class(SELECTED)
    expect(grid_row(page, "46")).not_to_have_class(SELECTED)
    expect(page.locator("#standings-grid .selected-crew")).to_have_count(1)
    wait_for_polls(page, 2)  # time for a fetch the selections might have started
    assert asked == []

    # the scrubber one ranking back: its rows, once, from the current version's address
    page.get_by_role("button", name="◀ Previous").click()
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 80")
    wait_in_browser(page, lambda: answered, what="the rows' answer")
    assert len(asked) == 1 and re.search(
        rf"/{ROWS_PATH}/[^/]+/en/2020-05-stage3-after-tt80\.json$", asked[0]
    )
    assert answered == [(asked[0], 200)]
    expect(grid_row(page, "45")).to_have_class(SELECTED)  # the mark stays on the crew
    expect(page.locator("#standings-rows-status")).to_have_text("")
    positions = grid_row(page, "45").locator("[col-id='position']")
    expect(positions).not_to_have_text("")
    # selecting in that ranking again sends nothing
    grid_row(page, "46").locator("[col-id='crew']").click()
    expect(grid_row(page, "46")).to_have_class(SELECTED)
    # the search box's filter (the grid's options again) keeps the mark where it is
    page.get_by_label("Find a crew (name, car or number)").fill("Vesco")
    expect(page.locator("#standings-grid .ag-center-cols-container [row-id]")).to_have_count(1)
    expect(grid_row(page, "46")).to_have_class(SELECTED)
    page.get_by_label("Find a crew (name, car or number)").fill("")
    grid_row(page, "45").locator("[col-id='crew']").click()
    expect(grid_row(page, "45")).to_have_class(SELECTED)
    expect(page.locator("#standings-grid .selected-crew")).to_have_count(1)
    wait_for_polls(page, 2)
    assert len(asked) == 1
    assert watched.console_errors == []
    assert watched.external_requests() == []


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_rows_on_their_way_and_a_failure_are_said_in_words(shipped_server, watched, lang):
    page = watched.page
    labels = texts(lang)
    held = []
    page.route(f"**/{ROWS_PATH}/**", lambda route: held.append(route))
    page.goto(shipped_server.url + f"/?stage=3&lang={lang}")
    wait_for_map(page)
    page.get_by_role("button", name=labels["scrubber.previous"]).click()
    wait_in_browser(page, lambda: held, what="the rows' request")
    status = page.locator("#standings-rows-status")
    expect(status).to_have_text(labels["table.loading"])
    expect(status).to_be_visible()
    held[0].fulfill(status=503, body="busy")
    expect(status).to_have_text(labels["table.load_failed"].format(status=503))
    # the table does not keep the other ranking's rows under this ranking's heading
    expect(page.locator("#standings-grid .ag-center-cols-container [row-id]")).to_have_count(0)
    expect(page.locator("#standings-grid .ag-overlay")).to_contain_text(labels["table.no_rows"])
    # the next ranking asked for comes through, and the words go
    page.unroute(f"**/{ROWS_PATH}/**")
    page.get_by_role("button", name=labels["scrubber.next"]).click()
    expect(grid_row(page, "46")).to_be_visible()
    expect(status).to_have_text("")
    failed = [e for e in watched.console_errors if "503" not in e]
    assert failed == []
