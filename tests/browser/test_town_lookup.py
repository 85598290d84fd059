"""'When do the cars pass my town?' in headless Chromium."""

import re

from playwright.sync_api import expect

from tests.browser.test_explore_page import wait_for_map


def test_type_a_town_and_read_the_answer(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=4")
    wait_for_map(page)
    box = page.get_by_label("Town (any Italian comune)")
    box.fill("castellarq")
    # suggestions as you type (a native datalist, keyboard-friendly)
    expect(page.locator("#town-suggestions option").first).to_have_attribute(
        "value", "Castell'Arquato (PC)"
    )
    box.fill("castellarquato")
    box.press("Enter")
    answer = page.locator("#town-answer")
    expect(answer).to_contain_text("Castell'Arquato (PC): the 2020 route passes through on Stage 4")
    expect(answer).to_contain_text("first car 09:40 (planned, Castell'Arquato)")
    expect(page).to_have_url(re.compile(r"town=castellarquato"))
    page.wait_for_function(
        """() => document.querySelector('#route-map .js-plotly-plot').data
                 .some(t => t.meta && t.meta.town && t.lat.length === 2)"""
    )
    # a shared link reopens the answer
    page.goto(shipped_server.url + "/?town=Pandino")
    expect(page.locator("#town-answer")).to_contain_text(
        "estimate between Lodi (planned 11:15) and Treviglio (planned 12:45)"
    )
    assert watched.console_errors == [] and watched.external_requests() == []


def test_unknown_town_gets_the_closest_names(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/")
    box = page.get_by_label("Town (any Italian comune)")
    box.fill("Tréviglo")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#town-answer")).to_contain_text("Treviglio (BG)")
    expect(page.locator("#town-answer")).to_contain_text("12:45 (planned, Treviglio)")
    box.fill("Xyzzyville")
    box.press("Enter")
    expect(page.locator("#town-answer")).to_contain_text('No town called "Xyzzyville"')
