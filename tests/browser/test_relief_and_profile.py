"""The 1927 course's relief and altitude profile, in Italian on a phone, in headless Chromium.
Stage 3's relief, profile and their link both ways, on both screens and in both languages, are
in test_fans_page_matrix.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_fans_page_matrix import PROFILE_ROUTES, RELIEF_DRAWN


def test_the_profile_and_its_note_in_italian_on_a_phone(shipped_server, phone):
    page = phone.page
    page.goto(shipped_server.url + "/?stage=1927&lang=it")
    wait_for_map(page, "1927")
    page.wait_for_function(RELIEF_DRAWN)
    profile = page.locator("#altitude-profile")
    page.wait_for_function(f"() => ({PROFILE_ROUTES})().join() === '1927'")
    expect(profile).to_contain_text("Lungo la linea tra le località elencate")
    expect(profile).to_contain_text("km dalla partenza")
    expect(profile.locator(".annotation", has_text="Passo della Futa")).to_be_visible()
    expect(page.locator("#stage-card")).to_contain_text("Dislivello in salita")
    box = profile.bounding_box()
    assert box and box["width"] <= 390  # fits the phone's width
    assert phone.external_requests() == []
    assert phone.console_errors == []


# tick labels of a chart hidden by plotly or reaching past its edges (a label that would
# be hidden or cut is drawn whole: the margins fit every label)
CUT_TICK_LABELS = """(id) => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  return [...gd.querySelectorAll('.xtick text, .ytick text')]
    .filter(t => getComputedStyle(t).display === 'none' || !t.getBoundingClientRect().width
                 || t.getBoundingClientRect().left < svg.left - 0.5
                 || t.getBoundingClientRect().right > svg.right + 0.5
                 || t.getBoundingClientRect().bottom > svg.bottom + 0.5)
    .map(t => t.textContent);
}"""


@pytest.mark.parametrize("choice", ["all", "1", "2", "3", "4", "1927", "1955"])
def test_every_profile_tick_label_whole_on_a_phone(shipped_server, phone, choice):
    page = phone.page
    page.goto(f"{shipped_server.url}/?stage={choice}")
    wait_for_map(page, choice)
    page.wait_for_function(
        "() => document.querySelectorAll('#altitude-profile .xtick text').length"
    )
    assert page.evaluate(CUT_TICK_LABELS, "altitude-profile") == []
    assert phone.console_errors == []
