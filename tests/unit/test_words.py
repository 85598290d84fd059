"""Refusals of ranking files and data-quality warnings in both languages: every kind is
rendered in English and Italian from its key (dashboard/i18n.py, texts/*.json), numbers by
Babel, never by hand; the English stays what logs and existing readers know."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dashboard.components.standings import data_notes
from dashboard.data.rankings import MAX_COLUMNS, MAX_ROWS, RankingError, parse_ranking
from dashboard.i18n import Moment, Words, refusal, say, texts
from dashboard.race import FileNote, build_standings, warnings_of

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"
META = "# checkpoint: End of stage 1\n# stage: 1\n# order: 2\n"
HEADER = "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader"
VESCO = "Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929"
SISTI = "Sergio Sisti,Anna Gualandi,Lancia Lambda Spider Casaro,1929"
FONTANELLA = "Gianmario Fontanella,Anna Maria Covelli,Lancia Lambda Casaro VII Series,1927"
# a number written by hand in English (12,345) where the Italian page must read 12.345
ENGLISH_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")


def _keys_in_code() -> set[str]:
    """Every text key the data layer and the race logic name for refusals and warnings."""
    keys: set[str] = set()
    for module in ("data/rankings.py", "data/ingest.py", "race.py"):
        source = (PACKAGE / module).read_text("utf-8")
        for key in re.findall(r'_says\(f?"([^"]+)"', source):
            for what in ("cells", "columns"):
                keys.add("ranking." + key.replace("{what}", what))
        keys.update(re.findall(r'Words\(\s*"([a-z_.]+)"', source))
    return {k for k in keys if not k.endswith(".")}  # not _says' own "ranking." + key


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _is_only_placeholders(template: str) -> bool:
    """'{reason}: {detail}' reads the same in both languages."""
    return not re.search(r"[A-Za-z]", re.sub(r"\{[^}]*\}", "", template))


WORD_KEYS = sorted(
    k for k in texts("en") if k.startswith(("ranking.", "warning.says.", "map.hover.time_"))
)


def test_every_key_the_code_names_is_in_both_languages():
    keys = _keys_in_code()
    assert len(keys) > 60  # the scan finds the keys (a broken pattern would find none)
    missing = {lang: sorted(keys - texts(lang).keys()) for lang in ("en", "it")}
    assert missing == {"en": [], "it": []}


@pytest.mark.parametrize("key", WORD_KEYS)
def test_every_text_is_italian_with_the_same_parameters(key):
    english, italian = texts("en")[key], texts("it")[key]
    assert _placeholders(english) == _placeholders(italian), key
    if not _is_only_placeholders(english):
        assert italian != english, key
    # rendered with numbers: grouped per language by Babel
    params = {name: 12345 for name in _placeholders(english)}
    assert "12,345" in say(Words(key, params), "en") or not params
    shown = say(Words(key, params), "it")
    assert not ENGLISH_THOUSANDS.search(shown), shown
    assert "12.345" in shown or not params


def _refusal(raw: bytes, name: str = "bad.csv") -> RankingError:
    with pytest.raises(RankingError) as caught:
        parse_ranking(name, raw)
    return caught.value


def _file(rows: str, meta: str = META, header: str = HEADER) -> bytes:
    return (meta + header + "\n" + rows).encode()


ROW = f"1,46,{VESCO},13779,\n"
# one bad file per kind of refusal the parser gives
BAD_FILES = {
    "whole_number": _file(f"1,46,{VESCO},12.5,\n"),
    "number_between": _file(f"1,46,{VESCO},99999999,\n"),
    "year_between": _file("1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo,1800,100,\n"),
    "position": _file(f",46,{VESCO},100,\n"),
    "driver_or_number": _file(",,,,Alfa Romeo,1929,100,\n".replace(",,,,", "1,,,,", 1)),
    "no_rows_after_header": _file(""),
    "no_header": META.encode(),
    "missing_metadata": _file(ROW, meta="# stage: 1\n# order: 2\n"),
    "metadata_time": _file(ROW, meta=META + "# time: yesterday\n"),
    "missing_columns": _file(ROW, header="position,car_number,driver"),
    "missing_points": _file(
        "1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo,1929\n",
        header="position,car_number,driver,co_driver,car,car_year",
    ),
    "row_too_short": _file("1,46,Andrea Vesco\n"),
    "row_other_separator": _file("1;46;Andrea Vesco;Roberto Vesco;Alfa;1929;100;\n"),
    "cell_too_long": _file(f"1,46,{'A' * 300},Roberto Vesco,Alfa Romeo,1929,100,\n"),
    "too_many_cells": _file("1,46,A,B,C,1929,100," + ",x" * MAX_COLUMNS + "\n"),
    "too_many_columns": _file(ROW, header=HEADER + ",x" * MAX_COLUMNS),
    "too_many_rows": _file(
        "".join(f"{i},{i},Driver {i},Co {i},Alfa,1929,100,\n" for i in range(1, MAX_ROWS + 2))
    ),
    "derived_points": _file(f"1,46,{VESCO},100,\n2,45,{SISTI},,150000\n"),
    "binary": b"# checkpoint: x\n\x00\x01",
    "utf16": _file(ROW).decode().encode("utf-16"),
    "file_too_large": b"#" * 2_000_001,
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_every_refusal_reads_in_italian_with_file_row_and_column(kind):
    err = _refusal(BAD_FILES[kind])
    english = str(err)
    assert refusal(err.as_dict(), "en") == english and english.startswith("bad.csv")
    italian = refusal(err.as_dict(), "it")
    assert italian != english and italian.isprintable()
    assert italian.startswith("file bad.csv")
    if err.row is not None:
        assert f"riga {err.row}" in italian and f"row {err.row}" in english
    if err.column is not None:
        assert f"colonna {err.column}" in italian
    if err.expected is not None:
        assert "atteso: " in italian and ", trovato: " in italian
    assert not ENGLISH_THOUSANDS.search(italian), italian
    # the reason alone in Italian: none of the English words of the reason remain
    reason = english.split(": ", 1)[1]
    assert reason not in italian


def test_numbers_in_refusals_are_grouped_per_language():
    err = _refusal(BAD_FILES["file_too_large"])
    assert "at most 2,000,000 bytes" in str(err)
    assert "al massimo 2.000.000 byte" in refusal(err.as_dict(), "it")
    err = _refusal(BAD_FILES["derived_points"])
    assert "150,000" in str(err) or "-149,900" in str(err)
    assert "-149.900" in refusal(err.as_dict(), "it")


def test_what_the_file_holds_stays_escaped_in_every_language():
    err = _refusal(_file(f"1,46,{VESCO},1\x1b[2J,\n"))
    for lang in ("en", "it"):
        text = refusal(err.as_dict(), lang)
        assert text.isprintable() and "\\x1b[2J" in text
    # a parameter given by the ingest (a checkpoint from a file) is escaped too
    err = RankingError(
        "x.csv", Words("ranking.error.checkpoint_taken", {"checkpoint": "a\x07", "owner": "y.csv"})
    )
    assert refusal(err.as_dict(), "it").isprintable() and "a\\x07" in str(err)


def _ranking(name: str, rows: str, order: int = 1, stage: int = 1, meta: str = "", header=HEADER):
    text = f"# checkpoint: {name}\n# stage: {stage}\n# order: {order}\n{meta}{header}\n{rows}"
    return parse_ranking(f"{name}.csv", text.encode())


def _all_warnings():
    """Standings with every kind of warning the race logic gives."""
    files = [
        # a position with more points than the one above it, a duplicate position
        _ranking(
            "a",
            f"1,46,{VESCO},30000,\n2,45,{SISTI},10000,\n3,28,{FONTANELLA},20000,\n3,9,X Y,Z W,Fiat,1930,5000,\n",
            order=1,
            stage=2,
            meta="# time: 2020-10-24T15:30\n",
        ),
        # points going down, a crew with another car number, an earlier stage and time
        _ranking(
            "b",
            f"1,64,{VESCO},40000,\n2,45,{SISTI},9000,\n",
            order=2,
            stage=1,
            meta="# time: 2020-10-23\n",
            header=HEADER + ",remarks",
        ),
        # the same order as b; car 45 with another crew; a flag in the file's own words
        _ranking("c", f"1,45,{FONTANELLA},50000,\n", order=2, stage=2, meta="# flag: typo\n"),
    ]
    return build_standings(files)


def test_every_warning_kind_reads_in_italian():
    standings = _all_warnings()
    by_key = {}
    for row in standings.warnings.itertuples():
        if row.words is not None and row.words.key.startswith("warning.says."):
            by_key.setdefault(row.words.key, row.words)
    said = {k for k in texts("en") if k.startswith("warning.says.")}
    assert set(by_key) == said  # the standings above give every kind
    for words in by_key.values():
        english, italian = say(words, "en"), say(words, "it")
        assert italian != english
        assert not ENGLISH_THOUSANDS.search(italian), italian
    assert "20,000 points" in say(by_key["warning.says.points_order"], "en")
    points_order = say(by_key["warning.says.points_order"], "it")
    assert "20.000 punti" in points_order and "(10.000)" in points_order
    assert "9.000" in say(by_key["warning.says.points_down"], "it")
    assert re.search(
        r"numeri di gara \d+ e \d+$", say(by_key["warning.says.two_car_numbers"], "it")
    )
    time_order = say(by_key["warning.says.time_order"], "it")
    assert "23 ottobre 2020" in time_order and "24 ottobre 2020, 15:30" in time_order
    # the message column keeps the English
    assert any("has more points than position" in m for m in standings.warnings["message"])


def test_the_fans_data_notes_are_in_the_page_language():
    standings = _all_warnings()
    warnings = sum((warnings_of(standings, c) for c in "abc"), ())
    err = _refusal(BAD_FILES["whole_number"])
    note = FileNote("bad.csv", "refused", str(err), False, err.as_dict())

    class Shown:
        files = (note,)

    Shown.warnings = warnings
    text = str(data_notes(Shown, "it"))
    assert "riga 5, colonna points: atteso: un numero intero, trovato: '12.5'" in text
    assert "compare con i numeri di gara" in text and "colonne ignorate: remarks" in text
    assert "appears with" not in text and "row 5" not in text
    assert "typo" in text  # the file's own flag, as written
    english = str(data_notes(Shown, "en"))
    assert "row 5, column points: expected a whole number" in english


def test_a_files_flag_reads_in_its_italian_or_says_it_is_the_files_own_words():
    translated = _ranking(
        "a", f"1,46,{VESCO},100,\n", meta="# flag: a typo in the source\n# flag_it: un refuso\n"
    )
    as_written = _ranking("b", f"1,46,{VESCO},100,\n", order=2, meta="# flag: a typo\n")
    standings = build_standings([translated, as_written])

    class Shown:
        files = ()
        warnings = warnings_of(standings, "a") + warnings_of(standings, "b")

    italian = str(data_notes(Shown, "it"))
    assert "un refuso" in italian and "a typo in the source" not in italian
    # without its Italian the flag is shown as written, said to be the file's own text
    lead_in = texts("it")["warning.says.flag_as_written"].format(text="a typo")
    assert lead_in in italian
    english = str(data_notes(Shown, "en"))
    assert "a typo in the source" in english and "un refuso" not in english
    assert "non tradotto" not in english and "'a typo'" in english.replace('"', "'")


def test_the_shipped_flags_read_in_italian_on_the_italian_page():
    from dashboard.config import DEFAULT_DATA_DIR
    from dashboard.data.rankings import read_ranking

    files = [read_ranking(p) for p in sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))]
    standings = build_standings(files)
    for ranking in files:
        for flag in ranking.flags:
            shown = [w.text("it") for w in warnings_of(standings, ranking.checkpoint_id)]
            assert flag not in " ".join(shown), ranking.name
            assert not ENGLISH_THOUSANDS.search(" ".join(shown)), shown


def test_a_moment_is_written_per_language():
    words = Words(
        "warning.says.time_order",
        {"time": Moment("2020-10-23"), "before": Moment("2020-10-24T08:05"), "file": "a.csv"},
    )
    assert "23 October 2020" in say(words, "en") and "24 ottobre 2020, 08:05" in say(words, "it")
    # kept as plain JSON and read back the same
    assert say(Words.of(words.as_dict()), "it") == say(words, "it")


def test_the_ingests_file_entry_keeps_the_warnings_words_for_the_editor():
    from dashboard.data.ingest import FileEntry
    from dashboard.pages.editor import _warnings_text

    ranking = parse_ranking("w.csv", _file(ROW, header=HEADER + ",remarks"))
    entry = FileEntry(
        "w.csv",
        "accepted",
        warnings=ranking.warnings,
        warning_words=tuple(w.as_dict() for w in ranking.warning_words),
    )
    kept = FileEntry.from_json(entry.to_json())
    assert kept.warning_words == entry.warning_words
    assert _warnings_text(kept.warnings, kept.warning_words, "it") == "colonne ignorate: remarks"
    assert _warnings_text(kept.warnings, kept.warning_words, "en") == "columns ignored: remarks"
    # an entry kept before the words existed still shows its English
    assert _warnings_text(("columns ignored: x",), (), "it") == "columns ignored: x"


@pytest.mark.parametrize("lang", ["en", "it"])
def test_map_hovers_never_show_the_researchs_own_time_notes(shipped_route, lang):
    from dashboard.figures.route_map import place_hover

    places = shipped_route.places.reset_index().to_dict("records")
    noted = [p for p in places if p.get("time_note")]
    assert noted  # the shipped route has such notes
    for place in places:
        hover = place_hover(place, "x", lang)
        if place.get("time_note"):
            assert place["time_note"] not in hover
        for raw in ("seed", "CONFLICT", "SUPPORTED", " per ", "excerpt"):
            assert raw not in hover, (raw, hover)
    conflicting = next(p for p in noted if p["time_note"].startswith("CONFLICT"))
    assert texts(lang)["map.hover.time_conflict"] in place_hover(conflicting, "x", lang)
    unplanned = next(p for p in noted if not p.get("planned_time"))
    assert texts(lang)["map.hover.time_unconfirmed"] in place_hover(unplanned, "x", lang)
