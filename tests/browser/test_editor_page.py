"""The editors' page in headless Chromium: upload, refuse, replace, restore, delete."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EDITOR_TOKEN, axe_violations, screenshot

pytestmark = pytest.mark.browser

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
    upload(page, "../../nasty name?.csv", GOOD)
    message = page.locator("#editor-message")
    expect(message).to_contain_text("nasty-name.csv was checked and published: 3 rows")
    rankings = editor_server.data_dir / "rankings"
    assert (rankings / "nasty-name.csv").read_text(encoding="utf-8") == GOOD
    assert not (editor_server.data_dir.parent / "nasty name?.csv").exists()
    expect(page.locator("#editor-files")).to_contain_text("nasty-name.csv")
    screenshot(page, "editor-accepted")
    assert axe_violations(page) == []

    page.goto(editor_server.url + "/")
    expect(page.locator("#checkpoint-heading")).to_contain_text(
        "After time trial 101 (editor test)"
    )
    row = page.locator("#standings-grid .ag-center-cols-container [row-id='777']")
    # hostile text is shown as text, never run or rendered as HTML
    expect(row.locator("[col-id='crew']")).to_have_text(
        "<script>alert('x')</script> / =HYPERLINK(\"http://x\")"
    )
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
