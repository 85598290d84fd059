"""A file holding a number above 2^63 dropped into the folder: the fans' page, the big screen
and the editor keep the last good standings and say which file was refused, at which row and
column; no Content-Security-Policy violation in the console."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_explore_page import wait_for_map
from tests.browser.test_standings_page import grid_row

HUGE = str(2**63 + 7)
NAME = "2020-02-stage1-end.csv"


def break_with_a_huge_number(data_dir) -> int:
    """Put 2^63 + 7 in the leader's points; returns the row (line number) it is on."""
    path = data_dir / "rankings" / NAME
    lines = path.read_text("utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("1,46,"))
    lines[row] = lines[row].replace(",13779,", f",{HUGE},")
    path.write_text("\n".join(lines), "utf-8")
    (data_dir / "rankings" / "2020-08-new-bad.csv").write_text(
        "# checkpoint: Broken new file\n# stage: 4\n# order: 9\n"
        "position,car_number,driver,co_driver,car,car_year,points\n"
        f"{HUGE},46,Andrea Vesco,Roberto Vesco,Alfa Romeo,1929,1\n",
        "utf-8",
    )
    return row + 1


def refusal_shown(text: str, row: int) -> bool:
    return f"row {row}" in text and "column points" in text and NAME in text


def csp_violations(watched) -> list[str]:
    return [e for e in watched.console_errors if "Content Security Policy" in e]


def test_a_huge_number_keeps_the_last_good_standings_on_every_page(live_server, watched):
    page = watched.page
    page.goto(live_server.url + "/?stage=1&checkpoint=2020-02-stage1-end")
    wait_for_map(page)
    expect(grid_row(page, "46").locator("[col-id='points']")).to_contain_text("13")
    row = break_with_a_huge_number(live_server.data_dir)
    # the open page: the refusal appears in the data notes, with row and column
    notes = page.locator("#data-notes")
    expect(notes).to_contain_text(re.compile(rf"{NAME}.*row {row}.*column points"), timeout=15000)
    expect(notes).to_contain_text("2020-08-new-bad.csv")
    # ... and the last good standings stay: Vesco's 13,779 points
    expect(grid_row(page, "46").locator("[col-id='points']")).to_contain_text(
        re.compile(r"13[.,\u202f\u00a0]?779")
    )
    screenshot(page, "refused-huge-number-explore")
    # a fresh load of every page still answers
    page.goto(live_server.url + "/?stage=1&checkpoint=2020-02-stage1-end")
    expect(page.locator("#data-notes")).to_contain_text(f"row {row}")
    expect(grid_row(page, "46")).to_be_visible()
    page.goto(live_server.url + "/bigscreen?panels=top10")
    refusal = page.locator(".bs-refused").first
    expect(refusal).to_contain_text(re.compile(rf"{NAME}.*row {row}.*column points"))
    expect(page.locator("#bs-top10, .bs-top10").first).to_contain_text("Vesco")
    screenshot(page, "refused-huge-number-bigscreen")
    page.goto(live_server.url + "/editor")
    files = page.locator("#editor-files")
    expect(files).to_contain_text(re.compile(rf"row {row}.*column points", re.S))
    expect(files).to_contain_text("2020-08-new-bad.csv")
    screenshot(page, "refused-huge-number-editor")
    status = page.request.get(live_server.url + "/api/status").json()
    by_name = {f["name"]: f for f in status["files"]}
    assert by_name[NAME]["status"] == "refused" and by_name[NAME]["using_last_good"]
    assert by_name[NAME]["error"]["row"] == row
    assert by_name[NAME]["error"]["column"] == "points"
    assert by_name["2020-08-new-bad.csv"]["status"] == "refused"
    assert not by_name["2020-08-new-bad.csv"]["using_last_good"]
    assert csp_violations(watched) == []
    assert watched.console_errors == []
