"""Issue 17 in Chromium: the crew card lists a crew's spellings, and a car number taken from
another ranking carries a mark whose hover names that ranking, in the table and the card."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, axe_violations, screenshot
from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_standings_page import grid_row

WORDS = {
    "en": ("Names as published", "After time trial 80", "taken from the same crew"),
    "it": ("Nomi come pubblicati", "Dopo la prova 80", "preso dallo stesso equipaggio"),
}


@pytest.mark.parametrize("lang", ["en", "it"])
def test_spellings_and_the_inferred_mark_with_its_reason(shipped_server, watched, lang):
    spellings, taken_from, reason = WORDS[lang]
    page = watched.page
    page.goto(shipped_server.url + f"/?checkpoint=2020-02-stage1-end&crew=28&lang={lang}")
    wait_for_map(page)
    card = page.locator("#crew-card")
    # the heading: the spelling six of seven rankings use; the card lists the final's too
    expect(page.locator("#crew-card-title")).to_have_text(
        "Gianmario Fontanella / Anna Maria Covelli"
    )
    expect(card).to_contain_text(spellings)
    expect(card).to_contain_text("Gianmaria Fontanella / Anna Maria Covelli")
    # the card's number: marked, its reason on hover (the title)
    mark = page.locator("#crew-number-mark")
    expect(mark).to_have_text("*")
    title = mark.get_attribute("title")
    assert taken_from in title and reason in title
    # the table: 28 is marked, Turelli's 4 (given by this ranking) is not
    number = grid_row(page, "28").locator("[col-id='car_number']")
    expect(number).to_have_text("28 *")
    expect(grid_row(page, "4").locator("[col-id='car_number']")).to_have_text("4")
    number.hover()
    tooltip = page.locator(".ag-tooltip")
    expect(tooltip).to_contain_text(taken_from)
    expect(tooltip).to_contain_text(reason)
    # axe reads colours: wait until the tooltip has faded in
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.ag-tooltip')).opacity === '1'"
    )
    assert axe_violations(page) == []  # the card's lists, the mark and the tooltip
    screenshot(page, f"crew-spellings-and-inferred-{lang}")
    card.screenshot(path=str(ARTIFACTS / f"crew-card-spellings-{lang}.png"))
    assert watched.console_errors == []
    assert watched.external_requests() == []
