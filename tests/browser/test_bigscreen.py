"""The commentators' big screen in headless Chromium at 1920x1080 (and a 4K screenshot)."""

from __future__ import annotations

import base64
import time

import pytest
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


# the panel on top: the one before it stays drawn beneath it while it fades in
SHOWN_PANEL = """() => Array.from(document.querySelectorAll('.bs-panel'))
    .filter(p => getComputedStyle(p).visibility === 'visible')
    .sort((a, b) => getComputedStyle(b).zIndex - getComputedStyle(a).zIndex)
    .map(p => p.dataset.panel)[0] || null"""
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
    page.goto(live_server.url + "/bigscreen?period=2&cue=3")
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
    assert_strip_on_every_panel(page, ("top10", "bump", "stage", "profile", "map"), "1 #46 Vesco")

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
        "Leader #45 Sisti/Gualandi Lancia Lambda Spider Casaro gap to second: 1 point"
    )
    assert_strip_on_every_panel(page, ("top10", "bump", "stage", "profile", "map"), "#45 Sisti")
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
    """Each panel alone, all of them in another order, and with stage= and lang=: one file
    dropped, every page takes it without an error (a callback once needed the map and failed
    on every poll without it)."""
    choices = [
        *(([name], "") for name in PANEL_SHOWS_NEW),
        (["stage", "bump", "top10", "map"], ""),
        (["profile", "top10"], "&stage=4&lang=it&period=3"),
    ]
    pages = []
    for panels, more in choices:
        watched = open_page(browser, 1920, 1080)
        query = "/bigscreen?period=600&cue=0&panels=" + ",".join(panels) + more
        watched.page.goto(live_server.url + query)
        expect(watched.page.locator("#bs-leader")).to_contain_text("#46 Vesco")
        pages.append((panels, watched))
    (live_server.data_dir / "rankings" / "2020-08-bigscreen.csv").write_text(
        NEW_RANKING, encoding="utf-8"
    )
    for panels, watched in pages:
        page = watched.page
        expect(page.locator("#bs-leader")).to_contain_text("#45 Sisti/Gualandi")
        for name in panels:
            if name in PANEL_SHOWS_NEW:
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


# the size of the smallest text drawn in a panel's SVG figure (type, ticks, labels, the map's
# place names), in CSS pixels
SMALLEST_TEXT = """name => {
  const texts = Array.from(document.querySelectorAll(`#panel-${name} svg text`))
      .filter(t => t.textContent.trim());
  return texts.length ? Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize))) : 0;
}"""
FIGURE_DRAWN = """name => {
  const gd = document.querySelector(`#panel-${name} .js-plotly-plot`);
  return !!(gd && gd._fullData && gd._fullData.length);
}"""


def test_at_4k_every_text_of_the_charts_and_the_map_is_twice_its_1080p_size(
    shipped_server, browser
):
    sizes = {}
    for width, height in ((1920, 1080), (3840, 2160)):
        watched = open_page(browser, width, height)
        page = watched.page
        page.goto(shipped_server.url + "/bigscreen?period=600&panels=map,bump,profile")
        for name in ("map", "bump", "profile"):
            page.wait_for_function(FIGURE_DRAWN, arg=name)
            sizes[name, width] = page.evaluate(SMALLEST_TEXT, name)
        assert watched.console_errors == []
        page.context.close()
    # a screen that changes size (a window moved to the 4K screen) scales its figures again
    watched = open_page(browser, 1920, 1080)
    page = watched.page
    page.goto(shipped_server.url + "/bigscreen?period=600&panels=bump")
    page.wait_for_function(FIGURE_DRAWN, arg="bump")
    page.set_viewport_size({"width": 3840, "height": 2160})
    page.wait_for_function(f"() => ({SMALLEST_TEXT})('bump') >= 44", timeout=10_000)
    assert watched.console_errors == []
    page.context.close()
    for name in ("map", "bump", "profile"):
        assert sizes[name, 1920] >= 22, (name, sizes)
        assert sizes[name, 3840] >= 44, (name, sizes)
        assert sizes[name, 3840] == pytest.approx(2 * sizes[name, 1920], rel=0.02)


# per animation frame, how much of the panels' area the drawn panels cover (1: fully): the
# panels are opaque, so covered = 1 - the product of (1 - opacity) of those visible
COVERAGE_SAMPLER = """() => {
  window.__coverage = [];
  const sample = () => {
    let through = 1;
    document.querySelectorAll('#bs-panels > .bs-panel').forEach(p => {
      const style = getComputedStyle(p);
      if (style.visibility === 'visible' && style.display !== 'none') {
        through *= 1 - parseFloat(style.opacity);
      }
    });
    window.__coverage.push(1 - through);
    window.__sampling = requestAnimationFrame(sample);
  };
  sample();
}"""
# the share of a screenshot's pixels that are not the big screen's background
NOT_BACKGROUND = """async b64 => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  let other = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (Math.abs(px[i] - 12) + Math.abs(px[i + 1] - 17) + Math.abs(px[i + 2] - 23) > 24) other++;
  }
  return other / (px.length / 4);
}"""


def test_a_rotation_never_shows_a_blank_frame(shipped_server, browser):
    watched = open_page(browser, 1280, 720)
    page = watched.page
    page.goto(shipped_server.url + "/bigscreen?period=2&panels=map,top10,stage")
    page.wait_for_function(FIGURE_DRAWN, arg="map")
    wait_for_panel(page, "map")
    page.evaluate(COVERAGE_SAMPLER)
    box = page.locator("#bs-panels").bounding_box()
    # screenshots of the panels' area, as fast as they come, through two panel changes
    shots = []
    for name in ("top10", "stage"):
        wait_for_panel(page, name)
        for _ in range(6):
            shots.append(base64.b64encode(page.screenshot(clip=box)).decode())
    coverage = page.evaluate("cancelAnimationFrame(window.__sampling), window.__coverage")
    assert len(coverage) > 30
    assert min(coverage) > 0.99
    decoder = page.context.new_page()  # about:blank: no CSP of the app's against data: images
    shares = [decoder.evaluate(NOT_BACKGROUND, shot) for shot in shots]
    assert min(shares) > 0.02, shares
    assert watched.console_errors == []
    page.context.close()


def test_a_new_ranking_holds_its_cues_then_the_panels_change(live_server, browser):
    watched = open_page(browser, 1920, 1080)
    page = watched.page
    page.goto(live_server.url + "/bigscreen?period=600&panels=top10,map&cue=4")
    expect(page.locator("#bs-top10 tr", has_text="Sergio Sisti")).to_contain_text("2")
    (live_server.data_dir / "rankings" / "2020-08-bigscreen.csv").write_text(
        NEW_RANKING, encoding="utf-8"
    )
    banner = page.locator(".bs-cue.on")
    expect(banner).to_be_visible()
    shown_at = time.monotonic()
    expect(banner).to_contain_text("New leader: #45 Sisti/Gualandi")
    expect(banner).to_contain_text("Lost most: #46 Vesco ▼1")
    # the strip is new at once; the panels still show the ranking before, under the banner
    expect(page.locator("#bs-leader")).to_contain_text("#45 Sisti/Gualandi")
    assert "▲ 1" not in page.locator("#bs-top10").inner_text()
    expect(page.locator("#bs-top10 tr", has_text="Sergio Sisti")).to_contain_text("▲ 1")
    assert time.monotonic() - shown_at > 2.5  # held: 4 s, less a poll's slack
    expect(page.locator(".bs-cue.on")).to_have_count(0)
    expect(page.locator("#bs-cue")).to_contain_text("New leader")  # one quiet line stays
    expect(page.locator("#bs-map")).to_contain_text("After time trial 112 (big screen test)")
    assert watched.console_errors == []
    page.context.close()


# every drawn element of the screen, as boxes [left, top, right, bottom] clipped by the
# ancestors that clip it (a long strip hides its end, the map's SVG its far lands)
DRAWN_BOXES = """() => Array.from(document.querySelectorAll('.bigscreen *'))
  .filter(e => {
    const s = getComputedStyle(e);
    return s.visibility === 'visible' && s.display !== 'none' && e.getClientRects().length;
  })
  .map(e => {
    let [l, t, r, b] = (({left, top, right, bottom}) => [left, top, right, bottom])(
        e.getBoundingClientRect());
    for (let a = e.parentElement; a && a.closest('.bigscreen'); a = a.parentElement) {
      if (getComputedStyle(a).overflow !== 'visible') {
        const c = a.getBoundingClientRect();
        l = Math.max(l, c.left); t = Math.max(t, c.top);
        r = Math.min(r, c.right); b = Math.min(b, c.bottom);
      }
    }
    return [l, t, r, b];
  })
  .filter(([l, t, r, b]) => r - l > 0 && b - t > 0)"""


def test_a_safe_area_keeps_everything_inside_the_edges(shipped_server, browser):
    watched = open_page(browser, 1920, 1080)
    page = watched.page
    page.goto(shipped_server.url + "/bigscreen?period=600&safe=5")
    page.wait_for_function(FIGURE_DRAWN, arg="map")
    for key, name in (("1", "map"), ("2", "top10"), ("3", "bump"), ("5", "profile")):
        page.keyboard.press(key)
        wait_for_panel(page, name)
        boxes = page.evaluate(DRAWN_BOXES)
        assert len(boxes) > 20
        outside = [b for b in boxes if b[0] < 95 or b[1] < 53 or b[2] > 1825 or b[3] > 1027]
        assert outside == [], (name, outside[:5])
    assert watched.console_errors == []
    page.context.close()


def test_keys_jump_to_a_panel_and_pause_the_rotation_with_nothing_on_screen(
    shipped_server, browser
):
    watched = open_page(browser, 1920, 1080)
    page = watched.page
    page.goto(shipped_server.url + "/bigscreen?period=2&panels=stage,top10,map,bump")
    wait_for_panel(page, "stage")
    page.keyboard.press("4")
    wait_for_panel(page, "bump")
    page.keyboard.press("2")
    wait_for_panel(page, "top10")
    before = page.locator(".bigscreen").inner_text()
    page.keyboard.press(" ")
    # three polls (six seconds) at a panel every two seconds: the rotation would have moved
    for _ in range(3):
        with page.expect_request(is_update, timeout=10_000):
            pass
    assert shown_panel(page) == "top10"
    assert page.locator(".bigscreen").inner_text() == before  # no control, no word on screen
    page.keyboard.press(" ")
    page.wait_for_function(f"() => ({SHOWN_PANEL})() !== 'top10'", timeout=10_000, polling=100)
    assert watched.console_errors == []
    page.context.close()


# counts the undo-history entries Dash records (each input change: a poll's tick, a rotation)
COUNT_HISTORY_ENTRIES = """() => {
  const store = window.dash_stores[0];
  window.__entries = 0;
  let present = store.getState().history.present;
  store.subscribe(() => {
    const now = store.getState().history.present;
    if (now !== present) { present = now; window.__entries += 1; }
  });
}"""


def test_a_screen_left_on_keeps_no_growing_undo_history(shipped_server, browser):
    """Dash keeps every input change for an undo button the app hides: on a screen left on
    for hours that grew by every tick (the soak's slow heap growth); only the last few stay."""
    watched = open_page(browser, 1280, 720)
    page = watched.page
    page.goto(shipped_server.url + "/bigscreen?period=1&panels=top10,stage")
    wait_for_panel(page, "top10")
    page.evaluate(COUNT_HISTORY_ENTRIES)
    page.wait_for_function("() => window.__entries >= 15", timeout=40_000, polling=200)
    assert page.evaluate("window.dash_stores[0].getState().history.past.length") <= 10
    # the screen goes on rotating with its history bounded
    before = shown_panel(page)
    page.wait_for_function(f"() => ({SHOWN_PANEL})() !== {before!r}", timeout=5000, polling=100)
    assert watched.console_errors == []
    page.context.close()
