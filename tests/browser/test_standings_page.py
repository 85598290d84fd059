"""The linked standings views in headless Chromium: table, charts, map, scrubber, live data."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import ids
from dashboard.figures.standings import HIGHLIGHT
from dashboard.i18n import texts
from tests.browser.conftest import axe_violations, screenshot, wait_for_polls
from tests.browser.test_explore_page import PLACE_ON_SCREEN, hover_place, wait_for_map
from tests.conftest import wait_until

TRACES = """(id) => document.querySelector('#' + id + ' .js-plotly-plot').data
    .map(t => ({meta: t.meta || {}, color: t.line && t.line.color, width: t.line && t.line.width,
                hovertext: t.hovertext, lat: t.lat}))"""
TICKS = """(id) => document.querySelector('#' + id + ' .js-plotly-plot').layout.xaxis.ticktext"""

NEW_RANKING = """# checkpoint: After time trial 99 (test)
# stage: 4
# order: 8
# place: Lodi
# source: written by the browser test
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,45,Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929,80001,
2,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,80000,
"""


# the table and both charts drawn (they come after the map: assets/standings_later.js)
STANDINGS_DRAWN = """() => !!document.querySelector('#standings-grid .ag-center-cols-container [row-id]')
    && ['bump-chart', 'gap-chart'].every(id => {
      const gd = document.querySelector('#' + id + ' .js-plotly-plot');
      return gd && gd.data && gd._fullLayout;
    })"""


def wait_for_standings(page):
    page.wait_for_function(STANDINGS_DRAWN)


def grid_row(page, crew_id: str):
    return page.locator(f"#standings-grid .ag-center-cols-container [row-id='{crew_id}']")


DRAWN_HOVER = """([id, crew, checkpoint]) => {
    const chart = document.querySelector('#' + id + ' .js-plotly-plot');
    const curve = chart.data.findIndex(t => t.meta && t.meta.crew_id === crew);
    const point = chart.data[curve].text.indexOf(checkpoint);
    window.Plotly.Fx.hover(chart, [{curveNumber: curve, pointNumber: point}]);
    const label = chart.querySelector('.hoverlayer .hovertext');
    if (!label) { return null; }
    const lines = Array.from(label.querySelectorAll('tspan.line')).map(l => l.textContent);
    return lines.length ? lines.join('\\n') : label.textContent;
}"""


def drawn_hover(page, chart_id: str, crew_id: str, checkpoint: str) -> str:
    """The hover label plotly draws on a crew's line at a checkpoint, its lines joined by a
    newline: the template as plotly.js fills it in."""
    return page.evaluate(DRAWN_HOVER, [chart_id, crew_id, checkpoint])


def cell(page, crew_id: str, column: str) -> str:
    return grid_row(page, crew_id).locator(f"[col-id='{column}']").inner_text()


def test_select_car_46_in_the_table_highlights_it_everywhere(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    grid_row(page, "46").locator("[col-id='crew']").click()
    expect(page.locator("#crew-card")).to_contain_text("#46")
    expect(page.locator("#crew-card")).to_contain_text("Alfa Romeo 6C 1750 SS Zagato")
    expect(grid_row(page, "46")).to_have_class(re.compile("selected-crew"))
    page.wait_for_function(
        """() => document.querySelector('#bump-chart .js-plotly-plot').data
                 .some(t => t.meta && t.meta.crew_id === '46' && t.line.width === 5)"""
    )
    traces = page.evaluate(TRACES, "bump-chart")
    vesco = next(t for t in traces if t["meta"].get("crew_id") == "46")
    others = [t for t in traces if t["meta"].get("crew_id") not in (None, "46")]
    assert vesco["color"] == HIGHLIGHT and all(t["color"] != HIGHLIGHT for t in others)
    expect(page).to_have_url(re.compile(r"crew=46"))
    screenshot(page, "standings-crew46-1366x768")
    assert watched.console_errors == []
    assert watched.external_requests() == []


def test_click_a_chart_line_selects_its_crew(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3")
    wait_for_map(page)
    wait_for_standings(page)
    expect(page.locator("#crew-card")).to_contain_text("Select a crew")
    traces = page.evaluate(TRACES, "bump-chart")
    index = next(i for i, t in enumerate(traces) if t["meta"].get("crew_id") == "45")
    point = page.locator("#bump-chart g.trace.scatter").nth(index).locator("path.point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#crew-card")).to_contain_text("Sergio Sisti / Anna Gualandi")
    expect(grid_row(page, "45")).to_have_class(re.compile("selected-crew"))


def test_stage_3_restricts_the_charts_to_its_checkpoints(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/")
    wait_for_map(page)
    wait_for_standings(page)
    assert len(page.evaluate(TICKS, "bump-chart")) == 7
    page.locator("#stage-picker").get_by_role("link", name="Stage 3", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('#bump-chart .js-plotly-plot').layout.xaxis.ticktext.length === 2"
    )
    assert page.evaluate(TICKS, "bump-chart") == ["After time trial 80", "End of stage 3"]
    assert page.evaluate(TICKS, "gap-chart") == ["After time trial 80", "End of stage 3"]
    expect(page.locator("#checkpoint-heading")).to_contain_text("End of stage 3")
    # step back within the stage: the table, the heading and the map follow
    page.get_by_role("button", name="◀ Previous").click()
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 80")
    expect(grid_row(page, "46").locator("[col-id='points']")).to_have_text("54,171")
    expect(grid_row(page, "5").locator("[col-id='position']")).to_have_text("6")


def test_table_charts_and_map_show_the_same_numbers(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3&crew=45&checkpoint=2020-06-stage3-end")
    wait_for_map(page)
    wait_for_standings(page)
    expect(page.locator("#checkpoint-heading")).to_contain_text("End of stage 3")
    points, gap = cell(page, "45", "points"), cell(page, "45", "gap")
    assert (points, gap) == ("65,041", "2,235")  # derived from "2235 behind" 67,276
    hover = drawn_hover(page, "bump-chart", "45", "End of stage 3")
    assert f"{points} points" in hover and f"Gap {gap}" in hover and "Pos. 2 ·" in hover
    assert drawn_hover(page, "gap-chart", "45", "End of stage 3") == hover
    marker = next(t for t in page.evaluate(TRACES, "route-map") if t["meta"].get("checkpoint"))
    assert marker["lat"], "the end of stage 3 was taken at Parma: the map marks it"
    text = marker["hovertext"][0]
    assert "Parma" in text and f"Gap {gap}" in text and "67,276" in text
    label = hover_place(page, 10.3283, 44.8011)
    expect(label).to_contain_text("End of stage 3")


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_charts_hover_labels_as_plotly_draws_them(shipped_server, watched, lang):
    """The hover template filled in by plotly.js: the crew, the checkpoint, then position,
    points and gap grouped as the table writes them, in the page's language."""
    page = watched.page
    labels = texts(lang)
    page.goto(shipped_server.url + f"/?stage=3&crew=45&checkpoint=2020-06-stage3-end&lang={lang}")
    wait_for_map(page)
    expect(grid_row(page, "45")).to_be_visible()
    checkpoint = page.locator("#checkpoint-heading strong").inner_text()
    points, gap = cell(page, "45", "points"), cell(page, "45", "gap")
    expected = "\n".join(
        [
            "#45 Sisti/Gualandi · Sergio Sisti / Anna Gualandi",
            checkpoint,
            f"{labels['table.position']} 2 · {points} {labels['chart.points']} · "
            f"{labels['table.gap']} {gap}",
        ]
    )
    for chart in ("bump-chart", "gap-chart"):
        assert drawn_hover(page, chart, "45", checkpoint) == expected


def test_shared_link_and_search_and_clear(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?stage=3&crew=46&checkpoint=2020-05-stage3-after-tt80")
    wait_for_map(page)
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 80")
    expect(page.locator("#crew-card")).to_contain_text("#46")
    expect(page.locator("#crew-card")).to_contain_text("54,171")
    box = page.get_by_label("Find a crew (name, car or number)")
    box.fill("Bugatti")
    expect(page.locator("#standings-grid .ag-center-cols-container [row-id]")).to_have_count(2)
    box.press("Enter")
    expect(page.locator("#crew-card")).to_contain_text("Belotti")
    expect(page).to_have_url(re.compile(r"crew=26"))
    box.fill("Nobody Like This")
    box.press("Enter")
    expect(page.locator("#crew-search-message")).to_contain_text(
        'No crew matches "Nobody Like This"'
    )
    page.get_by_role("button", name="Clear selection").click()
    expect(page.locator("#crew-card")).to_contain_text("Select a crew")


def test_play_steps_through_the_rankings(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?checkpoint=2020-01-stage1-after-tt11")
    wait_for_map(page)
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 11")
    expect(page.locator("#checkpoint-heading")).not_to_contain_text("taken at")
    ticks = []  # the callbacks the play timer fired
    page.on(
        "request",
        lambda r: (
            "_dash-update-component" in r.url
            and f"{ids.PLAY_TIMER}.n_intervals" in (r.post_data or "")
            and ticks.append(r.url)
        ),
    )
    play = page.locator("#play-button")
    expect(play).to_have_text("▶ Play")
    play.click()
    expect(play).to_have_text("❚❚ Pause")
    expect(page.locator("#checkpoint-heading")).to_contain_text("End of stage 1", timeout=8000)
    assert ticks  # the timer's steps are seen
    play.click()
    expect(play).to_have_text("▶ Play")
    shown = page.locator("#checkpoint-heading").inner_text()
    ticks.clear()
    wait_for_polls(page, 4)  # a poll a second: longer than a step of the play timer
    assert ticks == []
    assert page.locator("#checkpoint-heading").inner_text() == shown


def test_clicking_a_place_on_the_map_selects_its_stage(shipped_server, watched, shipped_route):
    page = watched.page
    page.goto(shipped_server.url + "/")
    wait_for_map(page)
    fabriano = shipped_route.places.query("route_id == '2020-stage-2' and name == 'Fabriano'").iloc[
        0
    ]
    expect(hover_place(page, fabriano["lon"], fabriano["lat"])).to_contain_text("Fabriano")
    x, y = page.evaluate(PLACE_ON_SCREEN, [fabriano["lon"], fabriano["lat"]])
    page.mouse.click(x, y)
    expect(page.locator("#stage-card")).to_contain_text("Cervia-Milano Marittima → Roma")
    wait_for_map(page, "2")
    ticks = page.evaluate(TICKS, "bump-chart")
    assert (
        len(ticks) == 2
        and ticks[0].startswith("After time trial 52")
        and ticks[1] == "End of stage 2"
    )


def test_data_notes_flag_the_time_trial_80_ranking(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/?checkpoint=2020-05-stage3-after-tt80")
    notes = page.locator("#data-notes")
    expect(notes).to_contain_text("positions do not match points")
    expect(notes).to_contain_text("position 7 (Mario Turelli / Lorenzo Turelli, 49,153 points)")
    wait_for_map(page)
    expect(grid_row(page, "46")).to_be_visible()  # the grid has drawn its header and rows
    assert axe_violations(page) == []


def test_live_new_file_appears_and_broken_file_keeps_last_good_data(live_server, watched):
    page = watched.page
    page.goto(live_server.url + "/?crew=46")
    wait_for_map(page)
    expect(page.locator("#checkpoint-heading")).to_contain_text("Final classification")
    rankings = live_server.data_dir / "rankings"
    (rankings / "2020-08-test.csv").write_text(NEW_RANKING, encoding="utf-8")
    started = time.monotonic()
    # the viewer was on the latest ranking: they follow on to the new one, keeping their crew
    expect(page.locator("#checkpoint-heading")).to_contain_text(
        "After time trial 99 (test)", timeout=5000
    )
    assert time.monotonic() - started < 5
    expect(page.locator("#crew-card")).to_contain_text("#46")
    expect(grid_row(page, "46").locator("[col-id='position']")).to_have_text("2")
    assert len(page.evaluate(TICKS, "bump-chart")) == 8

    # a broken version of that file: refused with a located error, last good data stays
    (rankings / "2020-08-test.csv").write_text(
        NEW_RANKING.replace("80000", "eighty thousand"), encoding="utf-8"
    )
    notes = page.locator("#data-notes")
    expect(notes).to_contain_text("2020-08-test.csv was refused", timeout=5000)
    expect(notes).to_contain_text(
        "row 8, column points: expected a whole number, found 'eighty thousand'"
    )
    expect(notes).to_contain_text("The last good version of this file is still shown")
    expect(grid_row(page, "46").locator("[col-id='points']")).to_have_text("80,000")
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 99 (test)")

    # a new file that is broken from the start: refused, nothing else changes
    (rankings / "2020-09-bad.csv").write_text("position;points\n1;x\n", encoding="utf-8")
    expect(notes).to_contain_text("2020-09-bad.csv was refused", timeout=5000)
    expect(notes).to_contain_text("It is not shown until it is fixed")
    assert len(page.evaluate(TICKS, "bump-chart")) == 8
    screenshot(page, "standings-refused-file")
    assert watched.console_errors == []


# how far plotly's automargin pushed a chart's bottom, left and right margins past those the
# figure set (a push draws the chart a second time), and any tick label hidden or cut at the
# chart's edge
CHART_MARGINS = """(id) => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const cut = [...gd.querySelectorAll('.xtick text, .ytick text, .g-ytitle text')]
    .map(t => ({text: t.textContent, box: t.getBoundingClientRect()}))
    .filter(t => !t.box.width || t.box.bottom > svg.bottom + 0.5 || t.box.left < svg.left - 0.5
                 || t.box.right > svg.right + 0.5)
    .map(t => t.text);
  const drawn = gd._fullLayout._size, set = gd.layout.margin;
  return {pushed: [drawn.b - set.b, drawn.l - set.l, drawn.r - set.r], left: set.l, cut};
}"""


def taken_files(server) -> set[str]:
    with urllib.request.urlopen(server.url + "/api/status", timeout=10) as answer:
        files = json.load(answer)["files"]
    return {f["name"] for f in files if f["status"] == "accepted"}


def test_charts_have_room_for_long_checkpoint_names_and_big_gaps(live_server, watched):
    long_names = NEW_RANKING.replace(
        "After time trial 99 (test)", "CONTROLLO ORARIO MONTEPULCIANO WEST (test)"
    ).replace("80001", "2500001")
    rankings = live_server.data_dir / "rankings"
    (rankings / "2020-08-test.csv").write_text(long_names)
    # and after it, another: the last label reaches furthest right
    after = long_names.replace("WEST", "EAST").replace("# order: 8", "# order: 9")
    (rankings / "2020-09-test.csv").write_text(after)
    wanted = {"2020-08-test.csv", "2020-09-test.csv"}
    wait_until(lambda: wanted <= taken_files(live_server), what="both files taken")
    page = watched.page
    page.goto(live_server.url + "/?checkpoint=2020-08-test")
    wait_for_map(page)
    wait_for_standings(page)
    expect(page.locator("#checkpoint-heading")).to_contain_text("CONTROLLO ORARIO")
    for chart in ("bump-chart", "gap-chart"):
        margins = page.evaluate(CHART_MARGINS, chart)
        # set wide enough by the figure: plotly drew each chart once
        assert margins["pushed"] == [0, 0, 0], (chart, margins)
        assert margins["cut"] == [], (chart, margins)
    assert page.evaluate(CHART_MARGINS, "gap-chart")["left"] > 56  # 2,500,000 points
    page.locator(".charts").scroll_into_view_if_needed()
    screenshot(page, "charts-long-names")
    assert watched.console_errors == []


def test_download_the_shown_ranking_as_safe_csv(live_server, watched):
    hostile = NEW_RANKING.replace("Sergio Sisti", "=HYPERLINK(http://evil)")
    (live_server.data_dir / "rankings" / "2020-08-test.csv").write_text(hostile, encoding="utf-8")
    page = watched.page
    page.goto(live_server.url + "/?checkpoint=2020-08-test")
    expect(page.locator("#checkpoint-heading")).to_contain_text("After time trial 99 (test)")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download this ranking (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "2020-08-test-standings.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert "# checkpoint: After time trial 99 (test)" in text
    assert "\n1,1,45,'=HYPERLINK(http://evil),Anna Gualandi," in text  # shown as text
    assert (
        "\n2,-1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,80000,1,1,,\n"
        in text
    )
