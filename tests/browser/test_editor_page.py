"""The editors' page in headless Chromium: upload, refuse, replace, restore, delete."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    EDITOR_TOKEN,
    Watched,
    _record_console_error,
    axe_violations,
    screenshot,
)

GOOD = """# checkpoint: After time trial 101 (editor test)
# stage: 4
# order: 9
# place: Treviglio
# source: written by the editor test
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,90000,
2,45,Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929,89000,
3,777,<script>alert('x')</script>,=HYPERLINK("http://x"),Fiat <b>508</b>,1933,88000,
"""


@pytest.fixture
def watched(browser):
    """As the shared fixture, but axe-core may be injected whatever the page's
    Content-Security-Policy (bypass_csp concerns the test's own script only)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watched = Watched(page, [], [])
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on("console", lambda msg: _record_console_error(watched, msg))
    page.on("pageerror", lambda exc: watched.console_errors.append(str(exc)))
    yield watched
    context.close()


RANKINGS = [
    "2020-01-stage1-after-tt11.csv",
    "2020-02-stage1-end.csv",
    "2020-03-stage2-end-of-second-day.csv",
    "2020-04-stage2-end.csv",
    "2020-05-stage3-after-tt80.csv",
    "2020-06-stage3-end.csv",
    "2020-07-final.csv",
]


def upload(page, name: str, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    page.set_input_files(
        "#editor-upload input[type=file]",
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}],
    )


def open_editor(page, server, token: str | None = EDITOR_TOKEN):
    page.goto(server.url + "/editor")
    expect(page.get_by_role("heading", name="Ranking files")).to_be_visible()
    if token is not None:
        page.get_by_label("Editor token").fill(token)


def test_upload_with_token_appears_in_the_standings(editor_server, watched):
    page = watched.page
    open_editor(page, editor_server)
    rankings = editor_server.data_dir / "rankings"
    message = page.locator("#editor-message")
    # a name the folder cannot keep is refused in words, never rewritten onto another name
    upload(page, "../../nasty name?.csv", GOOD)
    expect(message).to_contain_text("was refused and not written: the name contains")
    assert sorted(p.name for p in rankings.iterdir() if not p.name.startswith(".")) == RANKINGS
    upload(page, "Editor test (1).csv", GOOD)  # kept exactly: case, spaces and brackets
    expect(message).to_contain_text("Editor test (1).csv was checked and published: 3 rows")
    assert (rankings / "Editor test (1).csv").read_text(encoding="utf-8") == GOOD
    expect(page.locator("#editor-files")).to_contain_text("Editor test (1).csv")
    screenshot(page, "editor-accepted")
    assert axe_violations(page) == []

    page.goto(editor_server.url + "/")
    expect(page.locator("#checkpoint-heading")).to_contain_text(
        "After time trial 101 (editor test)"
    )
    row = page.locator("#standings-grid .ag-center-cols-container [row-id='777']")
    # hostile text is shown as text, never run or rendered as HTML
    # (each crew member on a line of their own)
    expect(row.locator("[col-id='crew']")).to_have_text(
        "<script>alert('x')</script>\n=HYPERLINK(\"http://x\")"
    )
    assert row.locator("[col-id='crew'] script").count() == 0
    assert page.evaluate("document.querySelectorAll('#standings-grid b').length") == 0
    assert watched.console_errors == []
    assert (
        EDITOR_TOKEN
        not in (editor_server.data_dir.parent / f"server-{editor_server.port}.log").read_text()
    )


def test_upload_without_token_is_refused_and_nothing_written(editor_server, watched):
    page = watched.page
    open_editor(page, editor_server, token=None)
    upload(page, "intruder.csv", GOOD)
    expect(page.locator("#editor-message")).to_contain_text("the editor token is missing or wrong")
    page.get_by_label("Editor token").fill("wrong-token")
    upload(page, "intruder.csv", GOOD)
    expect(page.locator("#editor-message")).to_contain_text("the editor token is missing or wrong")
    assert not (editor_server.data_dir / "rankings" / "intruder.csv").exists()


def test_broken_upload_gets_a_located_error_and_is_not_written(editor_server, watched):
    page = watched.page
    open_editor(page, editor_server)
    upload(page, "broken.csv", GOOD.replace("89000", "89.5"))
    expect(page.locator("#editor-message")).to_contain_text(
        "broken.csv was refused and not written: broken.csv, row 8, column points: "
        "expected a whole number, found '89.5'"
    )
    upload(page, "huge.csv", GOOD + "#" * 2_100_000)
    expect(page.locator("#editor-message")).to_contain_text("the limit is 2,000,000 bytes")
    upload(page, "binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    expect(page.locator("#editor-message")).to_contain_text("binary content")
    rankings = editor_server.data_dir / "rankings"
    assert not any((rankings / n).exists() for n in ("broken.csv", "huge.csv", "binary.csv"))


def test_replace_asks_then_keeps_the_previous_version_which_can_be_restored(editor_server, watched):
    page = watched.page
    rankings = editor_server.data_dir / "rankings"
    original = (rankings / "2020-07-final.csv").read_text(encoding="utf-8")
    open_editor(page, editor_server)
    upload(page, "2020-07-final.csv", GOOD)
    expect(page.locator("#editor-confirm-box")).to_contain_text("2020-07-final.csv exists already")
    assert (rankings / "2020-07-final.csv").read_text(encoding="utf-8") == original  # not yet
    page.get_by_role("button", name="Replace 2020-07-final.csv").click()
    expect(page.locator("#editor-message")).to_contain_text("2020-07-final.csv was replaced")
    assert (rankings / "2020-07-final.csv").read_text(encoding="utf-8") == GOOD
    history = page.locator("#editor-history")
    expect(history).to_contain_text("2020-07-final.csv, kept at")
    history.get_by_role("button", name="Restore").first.click()
    expect(page.locator("#editor-message")).to_contain_text("2020-07-final.csv was restored")
    assert (rankings / "2020-07-final.csv").read_text(encoding="utf-8") == original
    expect(history.get_by_role("button", name="Restore")).to_have_count(2)  # both versions kept


def test_delete_asks_and_keeps_the_file_in_the_history(editor_server, watched):
    page = watched.page
    rankings = editor_server.data_dir / "rankings"
    open_editor(page, editor_server)
    row = page.locator("#editor-files tr", has_text="2020-01-stage1-after-tt11.csv")
    row.get_by_role("button", name="Delete").click()
    expect(page.locator("#editor-confirm-box")).to_contain_text(
        "Delete 2020-01-stage1-after-tt11.csv?"
    )
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#editor-message")).to_contain_text("Nothing was changed")
    assert (rankings / "2020-01-stage1-after-tt11.csv").exists()
    row.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Delete 2020-01-stage1-after-tt11.csv").click()
    expect(page.locator("#editor-message")).to_contain_text("was deleted and kept in the history")
    assert not (rankings / "2020-01-stage1-after-tt11.csv").exists()
    expect(page.locator("#editor-files")).not_to_contain_text("2020-01-stage1-after-tt11.csv")
    page.locator("#editor-history").get_by_role("button", name="Restore").click()
    expect(page.locator("#editor-files")).to_contain_text("2020-01-stage1-after-tt11.csv")


def test_status_of_dropped_files_and_preview(editor_server, watched):
    page = watched.page
    open_editor(page, editor_server)
    (editor_server.data_dir / "rankings" / "dropped-bad.csv").write_text(
        "# checkpoint: x\n# stage: 1\nposition,car_number\n1,2\n", encoding="utf-8"
    )
    files = page.locator("#editor-files")
    expect(files.locator("tr", has_text="dropped-bad.csv")).to_contain_text("refused", timeout=8000)
    expect(files.locator("tr", has_text="dropped-bad.csv")).to_contain_text("missing metadata line")
    page.locator("#editor-files tr", has_text="2020-05-stage3-after-tt80.csv").get_by_role(
        "button", name="Preview"
    ).click()
    expect(page.locator("#editor-preview")).to_contain_text("Andrea Vesco")
    expect(page.locator("#editor-preview")).to_contain_text("54171")


def test_read_only_when_no_token_is_configured(shipped_server, watched):
    page = watched.page
    page.goto(shipped_server.url + "/editor")
    expect(page.locator("#editor-readonly")).to_contain_text("MIGLIA_EDITOR_TOKEN")
    upload(page, "x.csv", GOOD)
    expect(page.locator("#editor-message")).to_contain_text("editing is not enabled on this server")
    assert not (shipped_server.data_dir / "rankings" / "x.csv").exists()
    assert axe_violations(page) == []


def test_choosing_the_same_refused_file_again_checks_it_again(editor_server, watched):
    page = watched.page
    open_editor(page, editor_server)
    message = page.locator("#editor-message")
    broken = GOOD.replace("89000", "89.5")
    refusal = "broken.csv, row 8, column points: expected a whole number, found '89.5'"
    upload(page, "broken.csv", broken)
    expect(message).to_contain_text(refusal)
    page.evaluate("window.firstMessage = document.querySelector('#editor-message > div')")
    upload(page, "broken.csv", broken)  # the same file, nothing fixed
    page.wait_for_function(
        "document.querySelector('#editor-message > div') !== window.firstMessage"
    )
    expect(message).to_contain_text(refusal)
    upload(page, "broken.csv", GOOD)  # fixed, under the same name
    expect(message).to_contain_text("broken.csv was checked and published: 3 rows")
    assert (editor_server.data_dir / "rankings" / "broken.csv").read_text(encoding="utf-8") == GOOD
    assert watched.console_errors == []


def test_delete_acts_on_the_exact_listed_file(editor_server, watched):
    page = watched.page
    rankings = editor_server.data_dir / "rankings"
    lower = (rankings / "2020-02-stage1-end.csv").read_bytes()
    (rankings / "2020-02-stage1-end.CSV").write_bytes(lower)  # dropped beside it
    (rankings / "my final.csv").write_text(GOOD, encoding="utf-8")
    open_editor(page, editor_server)
    files = page.locator("#editor-files")
    upper_row = files.locator("tr", has_text=re.compile(r"2020-02-stage1-end\.CSV"))
    expect(upper_row).to_have_count(1, timeout=8000)
    upper_row.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Delete 2020-02-stage1-end.CSV").click()
    expect(page.locator("#editor-message")).to_contain_text(
        "2020-02-stage1-end.CSV was deleted and kept in the history"
    )
    assert not (rankings / "2020-02-stage1-end.CSV").exists()
    assert (rankings / "2020-02-stage1-end.csv").read_bytes() == lower
    files.locator("tr", has_text="my final.csv").get_by_role("button", name="Preview").click()
    expect(page.locator("#editor-preview")).to_contain_text("Preview of my final.csv")
    expect(page.locator("#editor-preview")).to_contain_text("Andrea Vesco")
    files.locator("tr", has_text="my final.csv").get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Delete my final.csv").click()
    expect(page.locator("#editor-message")).to_contain_text("my final.csv was deleted")
    assert not (rankings / "my final.csv").exists()
    expect(files).not_to_contain_text("my final.csv")  # once the snapshot shows it
    # a new name differing only in case from a listed file is refused, naming that file
    upload(page, "2020-02-STAGE1-END.csv", GOOD)
    expect(page.locator("#editor-message")).to_contain_text(
        "2020-02-stage1-end.csv exists already and differs only in capitals"
    )
    assert not (rankings / "2020-02-STAGE1-END.csv").exists()


def _keep_versions(rankings, count: int) -> None:
    history = rankings / ".history"
    history.mkdir(exist_ok=True)
    raw = (rankings / "2020-07-final.csv").read_bytes()
    for i in range(count):
        (history / f"2020-07-final.csv.202005{i + 1:02d}T120000000000Z").write_bytes(raw)


@pytest.fixture
def server_with_history(data_dir):
    from tests.browser.conftest import LiveServer

    _keep_versions(data_dir / "rankings", 25)
    server = LiveServer(data_dir, env={"MIGLIA_EDITOR_TOKEN": EDITOR_TOKEN}).start()
    yield server
    server.stop()


def test_the_history_is_paged(server_with_history, watched):
    page = watched.page
    open_editor(page, server_with_history)
    history = page.locator("#editor-history")
    pager = page.locator("#editor-history-pager")
    expect(history.get_by_role("button", name="Restore")).to_have_count(20)
    expect(pager).to_contain_text("Versions 1–20 of 25, newest first (page 1 of 2)")
    # the kept time written per language by Babel (i18n.format_moment)
    expect(history.locator("li").first).to_contain_text("kept at 25 May 2020, ")
    expect(pager.get_by_role("button", name="Previous page")).to_be_disabled()
    pager.get_by_role("button", name="Next page").click()
    expect(pager).to_contain_text("Versions 21–25 of 25, newest first (page 2 of 2)")
    expect(history.get_by_role("button", name="Restore")).to_have_count(5)
    expect(history.locator("li").last).to_contain_text("kept at 1 May 2020, ")
    expect(pager.get_by_role("button", name="Next page")).to_be_disabled()
    screenshot(page, "editor-history-page-2")
    assert axe_violations(page) == []
    pager.get_by_role("button", name="Previous page").click()
    expect(pager).to_contain_text("page 1 of 2")
    page.goto(server_with_history.url + "/editor?lang=it")
    expect(page.locator("#editor-history-pager")).to_contain_text(
        "Versioni 1–20 di 25, dalla più recente (pagina 1 di 2)"
    )
    expect(page.get_by_role("button", name="Pagina successiva")).to_be_enabled()
    assert watched.console_errors == []
