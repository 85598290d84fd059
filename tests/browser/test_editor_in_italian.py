"""The editors' page in Italian (/editor?lang=it): a refused upload and a refused file in the
folder are explained in Italian, naming file, row and column; no English reason remains."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import EDITOR_TOKEN, screenshot
from tests.browser.test_editor_page import GOOD, upload, watched  # noqa: F401 (fixture)


def test_an_italian_editor_reads_the_refusal_in_italian(editor_server, watched):  # noqa: F811
    page = watched.page
    page.goto(editor_server.url + "/editor?lang=it")
    expect(page.get_by_role("heading", name="File delle classifiche")).to_be_visible()
    page.get_by_label("Codice redazione").fill(EDITOR_TOKEN)
    message = page.locator("#editor-message")

    upload(page, "rotto.csv", GOOD.replace("89000", "89.5"))
    expect(message).to_contain_text(
        "rotto.csv è stato rifiutato e non scritto: file rotto.csv, riga 8, colonna points: "
        "atteso: un numero intero, trovato: '89.5'"
    )
    assert "expected" not in message.inner_text() and "row 8" not in message.inner_text()
    # the message's time is Italian (24-hour clock, no AM/PM)
    expect(message.locator(".message-time")).to_have_text(re.compile(r"^\d{1,2}:\d{2}:\d{2}$"))

    upload(page, "enorme.csv", GOOD + "#" * 2_100_000)
    expect(message).to_contain_text("il limite è 2.000.000 byte")

    # a file copied into the folder and refused: the files table says why, in Italian
    rankings = editor_server.data_dir / "rankings"
    (rankings / "copiato-male.csv").write_text(GOOD.replace("89000", "89.5"), encoding="utf-8")
    row = page.locator("#editor-files tr", has_text="copiato-male.csv")
    expect(row).to_contain_text(
        "riga 8, colonna points: atteso: un numero intero, trovato: '89.5'", timeout=15_000
    )
    assert "expected" not in row.inner_text()
    screenshot(page, "editor-refused-italian")
    assert not (rankings / "rotto.csv").exists() and not (rankings / "enorme.csv").exists()
    assert watched.console_errors == []
