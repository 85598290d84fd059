"""Ranking files (data/rankings/*.csv): one file per ranking moment, parsed and validated.

Format (docs/ranking-files.md): `# key: value` metadata lines, then a header and one row per
crew. UTF-8 with or without BOM (Windows-1252 accepted where Excel clearly wrote it),
comma- or semicolon-separated. Every problem is reported with file, row, column, what was
expected and what was found; a file with an error is refused as a whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboard.i18n import Words, refusal, refusal_reason, say

# Limits: a real ranking has at most a few hundred rows and a few dozen columns; a real event
# has a few hundred crews, car numbers in the hundreds and points in the hundred thousands.
# Anything beyond these is refused (located) instead of reaching the standings. Written once:
# every check below reads them from here (NUMBER_LIMITS for the numbers).
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_COLUMNS = 50  # cells in any line of the table: the header and every row
MAX_CELL_CHARS = 200
MAX_POSITION = 10_000
MAX_CAR_NUMBER = 10_000
MAX_POINTS = 10_000_000  # points, and points behind the leader
MAX_STAGE = 20
MAX_ORDER = 10_000

# every whole number the parser reads (columns and metadata): its smallest and largest value
NUMBER_LIMITS: dict[str, tuple[int, int]] = {
    "position": (1, MAX_POSITION),
    "car_number": (1, MAX_CAR_NUMBER),
    "car_year": (1885, 2100),
    "points": (0, MAX_POINTS),
    "points_behind_leader": (0, MAX_POINTS),
    "stage": (1, MAX_STAGE),
    "order": (1, MAX_ORDER),
}
NUMBER_COLUMNS = ("position", "car_number", "car_year", "points", "points_behind_leader")

COLUMNS = (
    "position",
    "car_number",
    "driver",
    "co_driver",
    "car",
    "car_year",
    "points",
    "points_behind_leader",
    # optional, per row: the ranking (file name without .csv) a car number not given by this
    # ranking's source was taken from; blank where the source gives it
    "car_number_inferred_from",
    # optional, per row: where this row comes from, when not from the file's '# source:' lines
    "source",
)
REQUIRED_COLUMNS = ("position", "car_number", "driver", "co_driver", "car", "car_year")

# Accepted header spellings (compared after normalise_header): English and Italian.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "position": ("position", "pos", "posizione", "rank", "classifica", "piazzamento", "p"),
    "car_number": (
        "car_number",
        "number",
        "car_no",
        "no",
        "n",
        "nr",
        "num",
        "numero",
        "numero_gara",
        "n_gara",
        "race_number",
        "start_number",
        "numero_di_gara",
    ),
    "driver": ("driver", "pilota", "primo_pilota", "conduttore", "first_driver", "driver_1"),
    "co_driver": (
        "co_driver",
        "codriver",
        "navigator",
        "navigatore",
        "copilota",
        "co_pilota",
        "secondo_pilota",
        "second_driver",
        "driver_2",
    ),
    "car": ("car", "car_model", "model", "vettura", "auto", "automobile", "modello"),
    "car_year": ("car_year", "year", "anno", "anno_vettura", "anno_di_costruzione", "built"),
    "points": ("points", "pts", "punti", "punteggio", "score", "total_points", "punti_totali"),
    "points_behind_leader": (
        "points_behind_leader",
        "points_behind",
        "behind",
        "gap",
        "gap_to_leader",
        "distacco",
        "punti_di_distacco",
        "distacco_dal_leader",
        "distacco_punti",
    ),
    "car_number_inferred_from": (
        "car_number_inferred_from",
        "car_number_from",
        "numero_ricavato_da",
        "numero_preso_da",
    ),
    "source": ("source", "row_source", "fonte", "fonte_riga"),
}

META_ALIASES: dict[str, tuple[str, ...]] = {
    "checkpoint": ("checkpoint", "label", "rilevamento", "titolo", "classifica"),
    # the checkpoint's name in Italian, when the editor gives one
    "checkpoint_it": ("checkpoint_it", "rilevamento_it"),
    "stage": ("stage", "tappa"),
    "order": ("order", "ordine", "sequence"),
    "time": ("time", "date", "data", "ora", "orario"),
    "place": ("place", "location", "luogo", "localita"),
    "source": ("source", "fonte", "fonti"),
    "note": ("note", "nota", "notes"),
    "flag": ("flag", "avviso", "warning", "attenzione"),
    # a flag in Italian: the n-th '# flag_it:' line is the n-th '# flag:' line's translation
    "flag_it": ("flag_it", "avviso_it"),
}

_THOUSANDS = re.compile(r"^\d{1,3}([.,\u00a0\u202f ]\d{3})+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text: str) -> str:
    """Text safe for a terminal or a page: every unprintable character (controls, line and
    bidi marks) written as Python writes it, 'a\x00b' -> 'a\\x00b'; printable text unchanged."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _shown(found: object) -> str:
    if isinstance(found, str):
        return "'" + (found[:60] + "…" if len(found) > 60 else found) + "'"
    return repr(found)


class RankingError(ValueError):
    """A ranking file that cannot be taken, located: file, row, column, expected, found.

    The reason, what was expected and what was found are Words (keys of dashboard/texts), so
    each reader gets them in their language: i18n.refusal(err.as_dict(), lang); str(err) is
    the English (for logs). The attributes keep what was found as it was; the message, the
    words and as_dict() are escaped (no control character reaches a terminal or a page)."""

    def __init__(
        self,
        file: str,
        message: str | Words | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | Words | None = None,
        found: object = None,
    ):
        self.file, self.row, self.column = file, row, column
        reason = _words(message)
        expected_words = _words(expected)
        # what was found: described in words, or the file's own text, quoted
        found_words = found if isinstance(found, Words) else None
        self.words = {
            "message": reason.as_dict() if reason else None,
            "expected": expected_words.as_dict() if expected_words else None,
            "found": None
            if expected_words is None
            else found_words.as_dict()
            if found_words
            else escape(_shown(found)),
        }
        self.expected = say(expected_words, "en") if expected_words else None
        self.found = say(found_words, "en") if found_words else found
        self.message = refusal_reason(self.words, "en")
        super().__init__(refusal(self._where(), "en"))

    def _where(self) -> dict:
        return {
            "file": escape(self.file),
            "row": self.row,
            "column": None if self.column is None else escape(self.column),
            "words": self.words,
        }

    def as_dict(self) -> dict:
        found = None
        if self.found is not None:
            found = str(self.found)
            found = escape(found[:1000] + "…" if len(found) > 1000 else found)
        return {
            **self._where(),
            "expected": self.expected,
            "found": found,
            "message": str(self),
        }


def _words(value: str | Words | None) -> Words | None:
    """Words with every text in them escaped; a plain text (a caller's own English, as the
    command line's) is kept as it is in both languages."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = Words("ranking.text", {"text": value})
    return Words(value.key, {k: _escaped(v) for k, v in value.params.items()})


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, Words):
        return _words(value)
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


def _says(key: str, /, **params: object) -> Words:
    """A refusal's reason, expected or found, by its key under ranking.*"""
    return Words("ranking." + key, params)


@dataclass(frozen=True)
class RankingFile:
    """One parsed ranking moment."""

    name: str
    checkpoint: str
    stage: int
    order: int
    time: str | None
    place: str | None
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    flags: tuple[str, ...]
    rows: pd.DataFrame  # COLUMNS + "row" (line number in the file)
    warnings: tuple[str, ...] = field(default=())
    checkpoint_it: str | None = None  # '# checkpoint_it:', the name in Italian
    # the warnings as Words, for each reader's language (`warnings` is their English)
    warning_words: tuple[Words, ...] = field(default=())
    # the flags in Italian ('# flag_it:'), one per flag in the same order, or none at all
    flags_it: tuple[str, ...] = field(default=())

    @property
    def checkpoint_id(self) -> str:
        return Path(self.name).stem


def normalise_header(text: str) -> str:
    """'Car Number ' -> 'car_number', 'Località' -> 'localita', 'N° gara' -> 'n_gara'."""
    text = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff")).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


_HEADER_LOOKUP = {alias: canon for canon, aliases in HEADER_ALIASES.items() for alias in aliases}
_META_LOOKUP = {alias: canon for canon, aliases in META_ALIASES.items() for alias in aliases}


def file_too_large(name: str, size: int | None) -> RankingError:
    """The refusal of a file over MAX_BYTES (size None: more than that, exact size unknown)."""
    found = (
        _says("found.bytes", count=size)
        if size is not None
        else _says("found.more_bytes", count=MAX_BYTES)
    )
    return RankingError(
        name,
        _says("error.file_too_large"),
        expected=_says("expected.at_most_bytes", count=MAX_BYTES),
        found=found,
    )


def _line_of(raw: bytes, offset: int) -> int:
    """The line (from 1, as the parser counts them) holding byte `offset`."""
    return len((raw[:offset].decode("utf-8", "replace") + "x").splitlines())


def _utf16(raw: bytes) -> Words | None:
    """'UTF-16 ...' when the bytes are UTF-16 (or UTF-32) text, with or without BOM."""
    for bom, label in (
        (codecs.BOM_UTF32_LE, "found.utf32_le_bom"),
        (codecs.BOM_UTF32_BE, "found.utf32_be_bom"),
        (codecs.BOM_UTF16_LE, "found.utf16_le_bom"),
        (codecs.BOM_UTF16_BE, "found.utf16_be_bom"),
    ):
        if raw.startswith(bom):
            return _says(label)
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    # Latin text in UTF-16: every other byte is NUL, the others (almost) never
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.3 * half and even <= 0.01 * half:
        return _says("found.utf16_le")
    if even >= 0.3 * half and odd <= 0.01 * half:
        return _says("found.utf16_be")
    return None


def decode(name: str, raw: bytes) -> tuple[str, list[Words]]:
    """Bytes -> text. UTF-8 (BOM or not); Windows-1252 when it clearly is; else refused."""
    if len(raw) > MAX_BYTES:
        raise file_too_large(name, len(raw))
    utf16 = _utf16(raw)
    if utf16:
        raise RankingError(name, _says("error.utf16"), expected=_says("expected.utf8"), found=utf16)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise RankingError(
            name,
            _says("error.binary"),
            row=_line_of(raw, nul),
            expected=_says("expected.text_file"),
            found=_says("found.nul_bytes"),
        )
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise RankingError(
                name,
                _says("error.not_text"),
                row=_line_of(raw, err.start),
                expected=_says("expected.utf8"),
                found=_says("found.byte", byte=f"0x{raw[err.start]:02x}", offset=err.start),
            ) from err
        if _CONTROL.search(text):
            raise RankingError(
                name,
                _says("error.binary"),
                expected=_says("expected.text_file"),
                found=_says("found.control_characters"),
            ) from err
        return text, [_says("warning.cp1252")]


def _clean(text: str) -> str:
    if text.isprintable():  # the usual case: nothing to remove
        return text.strip()
    return _CONTROL.sub("", text).strip()


def _bounds(low: int, high: int) -> Words:
    def number(value: int) -> int | str:
        # grouped per language from 10,000; a year (2100) is written as it is
        return value if value >= 10_000 else str(value)

    return _says("expected.number_between", low=number(low), high=number(high))


def _whole_number(name: str, row: int | None, column: str, text: str) -> int | None:
    """The one check of every whole number (cells and metadata): blank -> None; digits, with
    thousands separators (and '#' before a car number), within NUMBER_LIMITS[column]; anything
    else (decimals, signs, units, NaN, inf, too many digits) is refused, located."""
    text = text.strip()
    if not text:
        return None
    low, high = NUMBER_LIMITS[column]
    digits = text
    if not (text.isascii() and text.isdigit()):
        if column == "car_number":
            digits = digits.lstrip("#")
        if _THOUSANDS.match(digits):
            digits = re.sub(r"[.,\u00a0\u202f ]", "", digits)
        if not (digits.isascii() and digits.isdigit()):  # '²'.isdigit() is True, int('²') fails
            raise RankingError(
                name, row=row, column=column, expected=_says("expected.whole_number"), found=text
            )
    # more digits than any limit has: refused without int() (which refuses 4,300 digits)
    short = len(digits) <= 20 or len(digits.lstrip("0")) <= len(str(high))
    value = int(digits) if short else None
    if value is None or not low <= value <= high:
        raise RankingError(name, row=row, column=column, expected=_bounds(low, high), found=text)
    return value


def _unquote_metadata_line(line: str, delimiter: str) -> str:
    """'"# note: a ""b""; c";;;' (a metadata cell that Excel quoted on saving) -> '# note: a "b"; c'."""
    try:
        cells = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return line
    while cells and not cells[-1].strip():
        cells.pop()
    return delimiter.join(cells).strip()


def _split_metadata(name: str, lines: list[str]):
    meta: dict[str, list[str]] = {}
    body_start = 0
    delimiter = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.strip(",;").strip():
            continue  # blank, or an empty Excel row (';;;;;;;')
        if stripped.startswith('"#'):
            if delimiter is None:  # the header's, as in parse_ranking
                header = next(
                    (
                        x
                        for x in lines[index:]
                        if x.strip().strip(",;").strip() and not x.lstrip().startswith(("#", '"#'))
                    ),
                    "",
                )
                delimiter = ";" if header.count(";") > header.count(",") else ","
            stripped = _unquote_metadata_line(stripped, delimiter)
        if not stripped.startswith("#"):
            body_start = index
            break
        content = stripped.lstrip("#").strip().rstrip(",;").strip().strip('"').strip()
        if ":" not in content:
            continue  # a plain comment
        key, value = content.split(":", 1)
        canon = _META_LOOKUP.get(normalise_header(key))
        if canon:
            meta.setdefault(canon, []).append(_clean(value)[:1000])
    else:
        raise RankingError(
            name,
            _says("error.no_rows"),
            expected=_says("expected.header_line"),
            found=_says("found.end_of_file"),
        )
    return meta, body_start


def _flags(meta: dict, warnings: list) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The flags and their Italian, one for one, or no Italian (and a warning) when the
    counts differ: which translation goes with which flag would then be a guess."""
    flags, flags_it = tuple(meta.get("flag", ())), tuple(meta.get("flag_it", ()))
    if flags_it and len(flags_it) != len(flags):
        warnings.append(
            _says("warning.flag_it_count", flags=len(flags), translations=len(flags_it))
        )
        return flags, ()
    return flags, flags_it


def _metadata_value(name: str, meta: dict, key: str, required: bool = True) -> str | None:
    values = meta.get(key)
    if not values or not values[0]:
        if required:
            raise RankingError(
                name,
                _says("error.missing_metadata", key=key),
                expected=_says("expected.metadata_line", key=key),
                found=_says("found.none"),
            )
        return None
    return values[0]


def _long_field(text: str, delimiter: str, limit: int) -> tuple[int, int] | None:
    """(index, length) of the first field longer than `limit` in the record that starts
    `text`, read as the csv module reads it (quotes, doubled quotes, lenient); or None."""
    index, i, end = 0, 0, len(text)
    stop = re.compile("[" + re.escape(delimiter) + "\n]")
    while i < end:
        length = 0
        if text[i] == '"':  # a quoted part: up to the closing quote ('""' is a quote)
            i += 1
            while True:
                close = text.find('"', i)
                if close < 0:
                    length, i = length + end - i, end
                    break
                length += close - i
                if text.startswith('""', close):
                    length, i = length + 1, close + 2
                    continue
                i = close + 1
                break
        found = stop.search(text, i)
        at = found.start() if found else end
        length += at - i
        if length > limit:
            return index, length
        if at >= end or text[at] == "\n":
            return None
        index, i = index + 1, at + 1
    return None


def _column_name(header: list[str], index: int) -> str:
    """How an error names column `index`: its canonical name, else its header as written,
    else its number (from 1)."""
    title = header[index].strip() if index < len(header) else ""
    return _HEADER_LOOKUP.get(normalise_header(title)) or title or str(index + 1)


def _read_table(
    name: str, lines: list[str], body_start: int, delimiter: str
) -> tuple[list[list[str]], list[int]]:
    """The header and the rows as cells, with the line each starts on (from 1, as in the
    file: a quoted cell may hold line breaks). A cell over the csv module's field limit is
    refused with its row and column."""
    body = "\n".join(lines[body_start:])
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    records: list[list[str]] = []
    starts: list[int] = []
    done = 0  # the lines of the records read so far
    try:
        for record in reader:
            records.append(record)
            starts.append(body_start + 1 + done)
            done = reader.line_num
    except csv.Error as err:
        row = body_start + 1 + done
        long = _long_field("\n".join(lines[row - 1 :]), delimiter, csv.field_size_limit())
        if long is None:
            raise RankingError(
                name, _says("error.unreadable_csv", error=str(err)), row=row
            ) from err
        index, length = long
        header: list[str] = []
        if row > body_start + 1:  # the header was read (it did not hold the long cell)
            header = next(csv.reader([lines[body_start]], delimiter=delimiter), [])
        raise RankingError(
            name,
            _says("error.cell_too_long"),
            row=row,
            column=_column_name(header, index),
            expected=_says("expected.at_most_characters", count=MAX_CELL_CHARS),
            found=_says("found.characters", count=length),
        ) from err
    return records, starts


def _too_long(name: str, row: int, column: str, cell: str) -> RankingError:
    return RankingError(
        name,
        _says("error.cell_too_long"),
        row=row,
        column=column,
        expected=_says("expected.at_most_characters", count=MAX_CELL_CHARS),
        found=_says("found.characters", count=len(cell)),
    )


def _width(name: str, row: int, record: list[str], what: str) -> None:
    """Refuses a line of the table with more than MAX_COLUMNS cells (`what`: cells or
    columns)."""
    if len(record) > MAX_COLUMNS:
        raise _width_error(name, row, record, what)


def _width_error(name: str, row: int, record: list[str], what: str) -> RankingError:
    return RankingError(
        name,
        _says(f"error.too_many_{what}"),
        row=row,
        expected=_says(f"expected.at_most_{what}", count=MAX_COLUMNS),
        found=_says(f"found.{what}", count=len(record)),
    )


def _crew_rows(
    name: str, records: list[list[str]], starts: list[int], columns: dict[str, int], delimiter: str
) -> tuple[dict[str, list], list[list[str]]]:
    """The crews' rows (blank and comment rows left out) as columns of values, with "row"
    (the line of each), and the rows' cells as written; the first error in the file (row,
    then column in COLUMNS order) is raised.

    The rows are sorted out first (a row's own errors: too many cells, too short, one row too
    many), then each column is read whole; where a column has a bad cell, the first row with
    one is read again cell by cell (_cell), which raises that row's first error."""
    kept, lines, row_error = _crew_records(
        name, records, starts, max(columns.values()) + 1, delimiter
    )
    data: dict[str, list] = {"row": lines}
    first_bad = len(kept)  # the first kept row with a bad cell (len(kept): none)
    for column in COLUMNS:
        if column not in columns:  # an optional column (points, gap, inferred-from, source)
            data[column] = [None if column in NUMBER_LIMITS else ""] * len(kept)
            continue
        cells = [record[columns[column]] for record in kept[:first_bad]]
        values, bad = _column_values(name, lines, column, cells)
        data[column] = values
        first_bad = min(first_bad, bad)
    # a row with neither a driver nor a car number, after its own cells (the columns are
    # cut at the first bad row, if any: the rows after it do not count)
    nameless = next(
        (
            i
            for i, (driver, number) in enumerate(
                zip(data["driver"], data["car_number"], strict=False)
            )
            if not driver and number is None
        ),
        len(kept),
    )
    if first_bad < len(kept) and first_bad <= nameless:
        for column in (c for c in COLUMNS if c in columns):
            cell = kept[first_bad][columns[column]]
            _cell(name, lines[first_bad], column, cell, column in NUMBER_LIMITS)
        raise AssertionError(f"{name}: row {lines[first_bad]} was read as bad, and then not")
    if nameless < len(kept):
        raise RankingError(
            name,
            row=lines[nameless],
            column="driver",
            expected=_says("expected.driver_or_number"),
            found="",
        )
    if row_error is not None:
        raise row_error
    if not kept:
        raise RankingError(
            name,
            _says("error.no_rows"),
            expected=_says("expected.one_crew"),
            found=_says("found.none"),
        )
    return data, kept


def _crew_records(
    name: str, records: list[list[str]], starts: list[int], need: int, delimiter: str
) -> tuple[list[list[str]], list[int], RankingError | None]:
    """The crews' rows and their lines, up to the first row that is wrong as a row (too many
    cells, too short, one row too many), and that row's error (None if none is)."""
    kept: list[list[str]] = []
    lines: list[int] = []
    for line, record in zip(starts[1:], records[1:], strict=True):
        if len(record) > MAX_COLUMNS:
            return kept, lines, _width_error(name, line, record, "cells")
        if not _is_crew_row(record):
            continue  # a blank row (each cell blank), Excel's ';;;;', or a comment row
        if len(record) < need:
            return kept, lines, _too_short(name, line, record, need, delimiter)
        if len(kept) == MAX_ROWS:
            return kept, lines, _too_many_rows(name, line, records)
        kept.append(record)
        lines.append(line)
    return kept, lines, None


def _column_values(name: str, lines: list[int], column: str, cells: list[str]) -> tuple[list, int]:
    """One column's values, and the index of its first bad cell (len(cells) if none): plain
    digits within the column's limits are read at once, every other cell by _cell."""
    number = column in NUMBER_LIMITS
    if not number:
        # a crew's names recur in every ranking file the store keeps parsed: one string each
        values = [sys.intern(_clean(cell)) for cell in cells]
        long = next((i for i, cell in enumerate(cells) if len(cell) > MAX_CELL_CHARS), None)
        return values, len(cells) if long is None else long
    low, high = NUMBER_LIMITS[column]
    values = [
        int(cell) if cell.isdigit() and cell.isascii() and len(cell) <= 20 else None
        for cell in cells
    ]
    # left to _cell: every cell but plain digits within the limits and empty cells (a blank
    # number, None already), and an empty position (required)
    empty_ok = column != "position"
    for i in [
        i
        for i, value in enumerate(values)
        if (value is None and not (empty_ok and cells[i] == ""))
        or (value is not None and not low <= value <= high)
    ]:
        try:
            values[i] = _cell(name, lines[i], column, cells[i], True)
        except RankingError:
            return values, i
    return values, len(cells)


def _is_crew_row(record: list[str]) -> bool:
    return bool("".join(record).strip()) and not record[0].lstrip().startswith("#")


def _cell(name: str, line: int, column: str, cell: str, number: bool):
    """One cell's value, by the one check of its kind."""
    if len(cell) > MAX_CELL_CHARS:
        raise _too_long(name, line, column, cell)
    if not number:
        return _clean(cell)
    value = _whole_number(name, line, column, cell)
    if value is None and column == "position":
        raise RankingError(
            name, row=line, column=column, expected=_says("expected.position"), found=""
        )
    return value


def _too_short(name: str, line: int, record: list[str], need: int, delimiter: str):
    other = ";" if delimiter == "," else ","
    reason = (
        _says("error.row_too_short_separated", separator=other)
        if other in record[0]
        else _says("error.row_too_short")
    )
    return RankingError(
        name,
        reason,
        row=line,
        expected=_says("expected.cells_separated", count=need, separator=delimiter),
        found=_says("found.cell" if len(record) == 1 else "found.cells", count=len(record)),
    )


def _too_many_rows(name: str, line: int, records: list[list[str]]):
    total = sum(1 for r in records[1:] if _is_crew_row(r))
    return RankingError(
        name,
        _says("error.too_many_rows"),
        row=line,
        expected=_says("expected.at_most_rows", count=MAX_ROWS),
        found=_says("found.rows", count=total),
    )


def _derived_points(name: str, data: dict, cells: Sequence[str]) -> None:
    """Refuses a gap that would derive points below 0. Where a crew has no points but a gap,
    the standings derive its points as the leader's minus the gap (race.py: the leader is the
    first crew at position 1 with points)."""
    leader = next(
        (
            p
            for pos, p in zip(data["position"], data["points"], strict=True)
            if pos == 1 and p is not None
        ),
        None,
    )
    if leader is None:
        return
    for line, points, gap, cell in zip(
        data["row"], data["points"], data["points_behind_leader"], cells, strict=True
    ):
        if points is None and gap is not None and gap > leader:
            raise RankingError(
                name,
                _says("error.derived_points_below_zero", points=leader - gap, leader=leader),
                row=line,
                column="points_behind_leader",
                expected=_says("expected.gap_at_most", leader=leader),
                found=cell.strip(),
            )


def parse_ranking(name: str, raw: bytes) -> RankingFile:
    """Parse one ranking file's bytes; raise RankingError naming file, row and column.

    For any bytes: a RankingFile within every limit above, or a RankingError; nothing else.
    One path for every file: the rows sorted out, each column read whole, every cell that is
    not plain digits by the one check of its kind (_cell), and the first error in the file
    (row, then column in COLUMNS order) is raised."""
    text, warnings = decode(name, raw)
    lines = text.splitlines()
    meta, body_start = _split_metadata(name, lines)

    checkpoint = _metadata_value(name, meta, "checkpoint")
    stage = _whole_number(name, None, "stage", _metadata_value(name, meta, "stage"))
    order = _whole_number(name, None, "order", _metadata_value(name, meta, "order"))
    when = _metadata_value(name, meta, "time", required=False)
    if when:
        try:
            (datetime if "T" in when or " " in when else date).fromisoformat(when)
        except ValueError as err:
            raise RankingError(
                name,
                _says("error.metadata_time"),
                expected=_says("expected.iso_time"),
                found=when,
            ) from err

    header_line = lines[body_start]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    records, starts = _read_table(name, lines, body_start, delimiter)
    header_row = body_start + 1
    if not records or not records[0]:
        raise RankingError(
            name,
            _says("error.no_rows"),
            expected=_says("expected.header_line"),
            found=_says("found.none"),
        )
    _width(name, header_row, records[0], "columns")
    header = [normalise_header(h) for h in records[0]]
    while header and not header[-1]:
        header.pop()  # Excel's trailing separators
    columns: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        canon = _HEADER_LOOKUP.get(title)
        if canon and canon not in columns:
            columns[canon] = index
        elif title:
            ignored.append(records[0][index].strip())
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise RankingError(
            name,
            _says("error.missing_columns"),
            row=header_row,
            expected=_says("expected.columns", columns=", ".join(REQUIRED_COLUMNS)),
            found=", ".join(records[0]) or _says("found.empty_header"),
        )
    if "points" not in columns and "points_behind_leader" not in columns:
        raise RankingError(
            name,
            _says("error.missing_points_column"),
            row=header_row,
            expected=_says("expected.points_column"),
            found=", ".join(records[0]),
        )
    if ignored:
        warnings.append(_says("warning.columns_ignored", columns=", ".join(ignored)))
    flags, flags_it = _flags(meta, warnings)

    data, kept = _crew_rows(name, records, starts, columns, delimiter)
    if "points_behind_leader" in columns:
        _derived_points(name, data, [r[columns["points_behind_leader"]] for r in kept])
    table = pd.DataFrame(
        {
            column: pd.array(data[column], dtype="Int64")
            if column in NUMBER_LIMITS
            else data[column]
            for column in ("row", *COLUMNS)
        }
    )
    return RankingFile(
        name=name,
        checkpoint=checkpoint,
        stage=stage,
        order=order,
        time=when,
        place=_metadata_value(name, meta, "place", required=False),
        sources=tuple(meta.get("source", ())),
        notes=tuple(meta.get("note", ())),
        flags=flags,
        rows=table,
        warnings=tuple(say(w, "en") for w in warnings),
        warning_words=tuple(_words(w) for w in warnings),
        checkpoint_it=_metadata_value(name, meta, "checkpoint_it", required=False),
        flags_it=flags_it,
    )


def read_ranking(path: Path) -> RankingFile:
    return parse_ranking(path.name, path.read_bytes())
