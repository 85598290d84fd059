"""The history page and the language choice, in headless Chromium."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot


def test_history_page(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/")
    page.get_by_role("link", name="History").click()
    expect(page).to_have_title("History of the 1000 Miglia")
    winners = page.locator("table.winners")
    expect(winners.locator("tr", has_text="1955")).to_contain_text(
        "Stirling Moss / Denis Jenkinson"
    )
    expect(winners.locator("tr", has_text="1955")).to_contain_text("157.650 km/h")
    expect(winners.locator("tr", has_text="1939")).to_contain_text("no race")
    expect(page.locator(".stories")).to_contain_text("#722, left Brescia at 07:22")
    expect(page.locator(".course-cards")).to_contain_text("1,618 km")
    page.wait_for_function("() => document.querySelector('#wins-chart .js-plotly-plot')")
    bars = page.evaluate("document.querySelector('#wins-chart .js-plotly-plot').data[0].y")
    assert bars[0] == 11
    screenshot(page, "history-1366x768")
    assert axe_violations(page) == []
    assert watched.console_errors == [] and watched.external_requests() == []


def test_language_is_remembered_and_numbers_follow_it(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/history?lang=it")
    expect(page).to_have_title("Storia della 1000 Miglia")
    expect(page.locator("table.winners tr", has_text="1955")).to_contain_text("157,650 km/h")
    expect(page.locator(".course-cards")).to_contain_text("1.618 km")
    # a later visit without ?lang= opens in Italian: the choice is kept in this browser
    page.goto(shipped_server.url + "/")
    expect(page.get_by_role("navigation", name="Percorso", exact=True)).to_be_visible()
    expect(page).to_have_url(shipped_server.url + "/?lang=it")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("navigation", name="Route", exact=True)).to_be_visible()
    page.goto(shipped_server.url + "/history")
    expect(page).to_have_title("History of the 1000 Miglia")
