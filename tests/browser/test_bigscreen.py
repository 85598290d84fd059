"""The commentators' big screen in headless Chromium at 1920x1080 (and a 4K screenshot)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, open_page, screenshot

NEW_RANKING = """# checkpoint: After time trial 112 (big screen test)
# stage: 4
# order: 8
# place: Treviglio
# source: written by the big-screen test
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,45,Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929,80001,
2,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,80000,
3,4,Lorenzo Turelli,Mario Turelli,OM 665 SMM Superba,1929,79000,
"""


SHOWN_PANEL = """() => Array.from(document.querySelectorAll('.bs-panel'))
    .find(p => getComputedStyle(p).visibility === 'visible').dataset.panel"""
# the big screen's map (an SVG plot) has drawn every one of its traces
MAP_DRAWN = """() => {
  const gd = document.querySelector('#bs-map .js-plotly-plot');
  return !!(gd && gd._fullData && gd._fullData.length)
      && gd.querySelectorAll('.trace').length === gd._fullData.length;
}"""


# the leader strip is on screen and nothing covers it: the element at its centre is in it
STRIP_ON_TOP = """() => {
  const strip = document.querySelector('.bs-strip');
  const box = strip.getBoundingClientRect();
  if (box.width < 10 || box.height < 10 || box.bottom > innerHeight || box.top < 0) return false;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return !!hit && strip.contains(hit);
}"""


def assert_strip_on_every_panel(page, panels, leader: str) -> None:
    for name in panels:
        wait_for_panel(page, name, timeout=20_000)
        assert page.evaluate(STRIP_ON_TOP), name
        expect(page.locator("#bs-leader")).to_contain_text(leader)


def shown_panel(page) -> str:
    return page.evaluate(SHOWN_PANEL)


def wait_for_panel(page, name: str, timeout: float = 10_000) -> None:
    page.wait_for_function(f"() => ({SHOWN_PANEL})() === {name!r}", timeout=timeout, polling=100)


def is_update(request) -> bool:
    """A callback request: the big screen's poll for new data."""
    return "/_dash-update-component" in request.url


def test_big_screen_rotates_and_takes_new_rankings_without_reload(live_server, browser):
    watched = open_page(browser, 1920, 1080)
    page = watched.page
    page.goto(live_server.url + "/bigscreen?period=2")
    expect(page.locator("#bs-checkpoint")).to_have_text("Final classification")
    expect(page).to_have_title("1000 Miglia · big screen")
    # fills the window, no scrollbars, body text at least 28 px at 1080p
    size = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size == [1920, 1080]
    assert (
        float(page.evaluate("getComputedStyle(document.querySelector('.bigscreen')).fontSize")[:-2])
        >= 28
    )
    page.wait_for_function(MAP_DRAWN)
    wait_for_panel(page, "map")
    screenshot(page, "bigscreen-map-1920x1080")
    # every panel comes round, in turn, under the leader strip (the final classification has
    # no points: the strip gives its positions and says so)
    expect(page.locator("#bs-leader")).to_contain_text("No points in this ranking")
    assert_strip_on_every_panel(page, ("top10", "bump", "stage", "map"), "1 #46 Vesco")

    page.evaluate("window.__not_reloaded = true")
    rankings = live_server.data_dir / "rankings"
    (rankings / "2020-08-bigscreen.csv").write_text(NEW_RANKING, encoding="utf-8")
    expect(page.locator("#bs-checkpoint")).to_have_text(
        "After time trial 112 (big screen test)", timeout=5000
    )
    cue = page.locator("#bs-cue")
    expect(cue).to_contain_text("New leader: #45 Sisti/Gualandi")
    # car 4 was not in the previous ranking: its change is unknown, so it is no "mover"
    expect(cue).to_contain_text("Biggest movers: #45 Sisti/Gualandi ▲1")
    expect(page.locator("#bs-top10 tr", has_text="Sergio Sisti")).to_contain_text("▲ 1")
    expect(page.locator("#bs-leader")).to_contain_text(
        "Leader #45 Sisti/Gualandi Lancia Lambda Spider Casaro gap to second: 1"
    )
    assert_strip_on_every_panel(page, ("top10", "bump", "stage", "map"), "#45 Sisti/Gualandi")
    assert page.evaluate("window.__not_reloaded") is True

    # a refused file: the screen keeps the last good data; one quiet line in the header says
    # which file was refused, for whoever stands by (issue 13)
    (rankings / "2020-09-broken.csv").write_text("not a ranking\n", encoding="utf-8")
    expect(page.locator(".bs-refused")).to_contain_text("2020-09-broken.csv", timeout=5000)
    expect(page.locator(".bs-refused")).to_contain_text("not shown")
    expect(page.locator("#bs-checkpoint")).to_have_text("After time trial 112 (big screen test)")
    # rotation goes on after the update
    before = shown_panel(page)
    page.wait_for_function(f"() => ({SHOWN_PANEL})() !== {before!r}", timeout=5000, polling=100)
    assert watched.console_errors == []
    assert watched.external_requests() == []
    assert axe_violations(page) == []
    page.context.close()


def test_big_screen_options_and_4k(shipped_server, browser):
    watched = open_page(browser, 3840, 2160)
    page = watched.page
    page.goto(shipped_server.url + "/bigscreen?panels=top10,stage&period=30&stage=3&lang=it")
    expect(page.locator("#bs-checkpoint")).to_have_text(
        "Fine tappa 3"
    )  # the checkpoint name in the page's language
    assert page.locator(".bs-panel:not(.bs-unused)").count() == 2
    expect(page.locator("#panel-top10")).to_contain_text("Primi 10")
    expect(page.locator("#bs-top10")).to_contain_text("67.276")
    assert (
        float(page.evaluate("getComputedStyle(document.querySelector('.bigscreen')).fontSize")[:-2])
        >= 56
    )
    screenshot(page, "bigscreen-top10-3840x2160")
    assert watched.console_errors == []
    page.context.close()


# what each panel shows of NEW_RANKING once it has taken it
PANEL_SHOWS_NEW = {
    "map": ("#bs-map", "After time trial 112 (big screen test)"),
    "top10": ("#bs-top10", "Sergio Sisti"),
    "bump": ("#bs-bump", "Sisti/Gualandi"),
    "stage": ("#bs-stage", "Brescia"),
}


def test_every_panels_choice_keeps_updating(live_server, browser):
    """Each panel alone, and all of them in another order: one file dropped, every page takes
    it without an error (a callback once needed the map and failed on every poll without it)."""
    choices = [*([name] for name in PANEL_SHOWS_NEW), ["stage", "bump", "top10", "map"]]
    pages = []
    for panels in choices:
        watched = open_page(browser, 1920, 1080)
        watched.page.goto(live_server.url + "/bigscreen?period=600&panels=" + ",".join(panels))
        expect(watched.page.locator("#bs-checkpoint")).to_have_text("Final classification")
        pages.append((panels, watched))
    (live_server.data_dir / "rankings" / "2020-08-bigscreen.csv").write_text(
        NEW_RANKING, encoding="utf-8"
    )
    for panels, watched in pages:
        page = watched.page
        expect(page.locator("#bs-checkpoint")).to_have_text(
            "After time trial 112 (big screen test)"
        )
        for name in panels:
            where, text = PANEL_SHOWS_NEW[name]
            expect(page.locator(where)).to_contain_text(text)
        assert watched.console_errors == [], panels
        page.context.close()


def test_big_screen_recovers_after_a_server_restart(live_server, browser):
    watched = open_page(browser, 1920, 1080)
    page = watched.page
    page.goto(live_server.url + "/bigscreen?period=3")
    expect(page.locator("#bs-checkpoint")).to_have_text("Final classification")
    page.evaluate("window.__not_reloaded = true")
    live_server.stop()
    for _ in range(2):  # a few polls fail while the server is away
        with page.expect_event("requestfailed", predicate=is_update, timeout=10_000):
            pass
    (live_server.data_dir / "rankings" / "2020-08-bigscreen.csv").write_text(
        NEW_RANKING, encoding="utf-8"
    )
    live_server.start()  # same port, same folder
    expect(page.locator("#bs-checkpoint")).to_have_text(
        "After time trial 112 (big screen test)", timeout=15000
    )
    assert page.evaluate("window.__not_reloaded") is True
    page.context.close()
