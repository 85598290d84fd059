"""Standings as CSV for download, safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab / carriage return) could be run as a formula by
Excel or LibreOffice, also when spaces or quotes come first (" =1+1" once the spreadsheet
trims it); such cells get a leading apostrophe, which spreadsheets show as text. Every cell is
checked: the ranking's and the checkpoint lines above it (place, checkpoint label, sources).

Every line is written by the csv module, so a value holding a comma, a quote or a line break
stays in its one cell for any reader of CSV. Some readers split differently: Excel set to
Italian opens a .csv file at its semicolons, ignoring the commas, and quotes help there only
at the start of a piece; spreadsheets asked to guess the separator may pick a tab. So that no
piece such a reader makes can start a formula either:
- a cell holding a semicolon or a tab is quoted (the csv module alone would not quote it);
- tabs and line breaks inside a text become spaces (no standings value needs them, and a
  reader splitting at semicolons would start a new row at a line break inside a cell);
- a formula start right after a semicolon gets an apostrophe too ("Rossi; '=...").
The checkpoint lines stay one line each, starting with "#" (or with the quote before it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# full-width forms that some spreadsheets (Excel in East Asian locales) read as the same
_WIDE_FORMULA_STARTS = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
# what may come before a formula start and still let it run: spaces (trimmed on import),
# quotes (a quoted cell's own quotes, or a stray one), line breaks
_LEADING = " \"'\n\u00a0\u3000"
# characters that make a cell need quotes: the csv module's own set, plus ; and tab
_NEEDS_QUOTES = re.compile(r'[,;"\t\r\n]')
_LINE_BREAKS = re.compile(r"[\t\r\n\v\f\u0085\u2028\u2029]+")
# a formula start after a semicolon, past spaces and quotes: the apostrophe goes before it
_AFTER_SEMICOLON = re.compile(r"(;[ \"'\u00a0\u3000]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")

EXPORT_COLUMNS = {
    "position": "position",
    "position_change": "position_change",
    "car_number": "car_number",
    "driver": "driver",
    "co_driver": "co_driver",
    "car": "car",
    "car_year": "car_year",
    "points": "points",
    "gap_to_leader": "points_behind_leader",
    "gap_to_ahead": "points_behind_crew_ahead",
    # blank where the ranking's source gives the car number; else the ranking it came from
    "car_number_inferred_from": "car_number_inferred_from",
    "source": "source",  # the row's own source, where it has one
}
# checkpoint fields written above the ranking, as "# name: value" lines
METADATA = (
    ("label", "checkpoint"),
    ("stage", "stage"),
    ("order", "order"),
    ("time", "time"),
    ("place", "place"),
)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read the cell as a formula."""
    return text.lstrip(_LEADING).startswith(FORMULA_STARTS + _WIDE_FORMULA_STARTS)


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value)


def safe_cell(value, one_line: bool = False) -> str:
    """A value as the text of one cell: numbers as numbers, formula-like text neutralised;
    with one_line, tabs and line breaks inside it become spaces (as the export writes it)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _text(value)  # -2 is a number, not a formula
    text = _text(value)
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    text = _AFTER_SEMICOLON.sub(r"\1'", text)
    return "'" + text if is_formula_like(text) else text


def metadata_cell(name: str, value) -> str:
    """One "# name: value" cell: the value on one line, neutralised like any cell."""
    if isinstance(value, str):
        value = _LINE_BREAKS.sub(" ", value).strip()
    return f"# {name}: {safe_cell(value)}"


def _write(out: io.StringIO, cells: Iterable[str]) -> None:
    cells = list(cells)
    quoting = csv.QUOTE_ALL if any(_NEEDS_QUOTES.search(c) for c in cells) else csv.QUOTE_MINIMAL
    csv.writer(out, lineterminator="\n", quoting=quoting).writerow(cells)


def ranking_csv(ranking: pd.DataFrame, checkpoint: dict) -> str:
    """One checkpoint's ranking as CSV text, with its label and sources as comment lines."""
    out = io.StringIO()
    for key, name in METADATA:
        if checkpoint.get(key) is not None:
            _write(out, [metadata_cell(name, checkpoint[key])])
    for source in checkpoint.get("sources") or []:
        _write(out, [metadata_cell("source", source)])
    _write(out, EXPORT_COLUMNS.values())
    for row in ranking.to_dict("records"):
        _write(out, [safe_cell(row.get(column), one_line=True) for column in EXPORT_COLUMNS])
    return out.getvalue()
