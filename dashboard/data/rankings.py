"""Ranking files (data/rankings/*.csv): one file per ranking moment, parsed and validated.

Format (docs/ranking-files.md): `# key: value` metadata lines, then a header and one row per
crew. UTF-8 with or without BOM (Windows-1252 accepted where Excel clearly wrote it),
comma- or semicolon-separated. Every problem is reported with file, row, column, what was
expected and what was found; a file with an error is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

# Limits: a real ranking has at most a few hundred rows.
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MAX_COLUMNS = 40
MAX_CELL_CHARS = 200

COLUMNS = (
    "position",
    "car_number",
    "driver",
    "co_driver",
    "car",
    "car_year",
    "points",
    "points_behind_leader",
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
}

META_ALIASES: dict[str, tuple[str, ...]] = {
    "checkpoint": ("checkpoint", "label", "rilevamento", "titolo", "classifica"),
    "stage": ("stage", "tappa"),
    "order": ("order", "ordine", "sequence"),
    "time": ("time", "date", "data", "ora", "orario"),
    "place": ("place", "location", "luogo", "localita"),
    "source": ("source", "fonte", "fonti"),
    "note": ("note", "nota", "notes"),
    "flag": ("flag", "avviso", "warning", "attenzione"),
}

_THOUSANDS = re.compile(r"^\d{1,3}([.,\u00a0\u202f ]\d{3})+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RankingError(ValueError):
    """A ranking file that cannot be taken, located: file, row, column, expected, found."""

    def __init__(
        self,
        file: str,
        message: str | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: object = None,
    ):
        self.file, self.row, self.column = file, row, column
        self.expected, self.found = expected, found
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        text = message or ""
        if expected is not None:
            shown = found if isinstance(found, str) else repr(found)
            if isinstance(found, str):
                shown = "'" + (found[:60] + "…" if len(found) > 60 else found) + "'"
            text = f"{text + ': ' if text else ''}expected {expected}, found {shown}"
        self.message = text
        super().__init__(", ".join(where) + ": " + text)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "expected": self.expected,
            "found": None if self.found is None else str(self.found),
            "message": str(self),
        }


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


def decode(name: str, raw: bytes) -> tuple[str, list[str]]:
    """Bytes -> text. UTF-8 (BOM or not); Windows-1252 when it clearly is; else refused."""
    if len(raw) > MAX_BYTES:
        raise RankingError(
            name,
            "file too large",
            expected=f"at most {MAX_BYTES:,} bytes",
            found=f"{len(raw):,} bytes",
        )
    if b"\x00" in raw:
        raise RankingError(name, "binary content", expected="a text (CSV) file", found="NUL bytes")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise RankingError(
                name,
                "not a text file",
                expected="UTF-8 text",
                found=f"byte 0x{raw[err.start]:02x} at offset {err.start}",
            ) from err
        if _CONTROL.search(text):
            raise RankingError(
                name, "binary content", expected="a text (CSV) file", found="control characters"
            ) from err
        return text, ["decoded as Windows-1252 (Excel); save as UTF-8 to be sure of accents"]


def _clean(text: str) -> str:
    if text.isprintable():  # the usual case: nothing to remove (fast path)
        return text.strip()
    return _CONTROL.sub("", text).strip()


def _whole_number(name, row, column, text, *, minimum=0, maximum=None) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():  # the usual case (fast path)
        value = int(text)
        if value >= minimum and (maximum is None or value <= maximum):
            return value
    digits = text.lstrip("#") if column == "car_number" else text
    if _THOUSANDS.match(digits):
        digits = re.sub(r"[.,\u00a0\u202f ]", "", digits)
    if not (digits.isascii() and digits.isdigit()):  # '²'.isdigit() is True, int('²') fails
        raise RankingError(name, row=row, column=column, expected="a whole number", found=text)
    value = int(digits)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
        raise RankingError(name, row=row, column=column, expected=f"a number {bounds}", found=text)
    return value


# the whole-number columns and their bounds (as _whole_number checks them row by row)
_BOUNDS = {
    "position": (1, None),
    "car_number": (1, 99_999),
    "car_year": (1885, 2100),
    "points": (0, None),
    "points_behind_leader": (0, None),
}


def _plain_columns(
    records: list[list[str]], header_row: int, header_len: int, columns: dict[str, int]
) -> dict[str, list] | None:
    """The usual file in one pass per column: every cell plain digits or printable text
    within the limits. None when anything needs converting (thousands separators, '#12'),
    is refused or must be located: then the row-by-row parser decides, with its errors.

    Whole columns are checked at once where they can be (a column is all plain digits when
    its cells joined are), which is what makes the usual file cheap (bench_standings)."""
    need = max(columns.values()) + 1
    body = records[1:]
    firsts = [record[0] if record else "" for record in body]
    if body and all(f.strip() and not f.lstrip().startswith("#") for f in firsts):
        # the usual file: no blank or comment row (a blank row has a blank first cell)
        if min(map(len, body)) < need:
            return None
        kept = body
        lines = list(range(header_row + 1, header_row + 1 + len(body)))
    else:
        lines, kept = [], []
        line = header_row
        for record in body:
            line += 1
            # a row with nothing but blanks (the cells joined are blank iff each cell is)
            if not "".join(record).strip() or record[0].lstrip().startswith("#"):
                continue
            if len(record) < need:
                return None
            lines.append(line)
            kept.append(record)
    if not kept or len(kept) > MAX_ROWS:
        return None
    # trailing empty cells (Excel's separators) need no trimming here: only the columns
    # up to `need` are read, and trimming never shortens a row below the header
    # rows of different lengths: cut at the shortest, which is >= need
    by_column = list(zip(*kept, strict=False))
    data: dict[str, list] = {"row": lines}
    for column in COLUMNS:
        index = columns.get(column)
        if index is None:
            data[column] = [None if column in _BOUNDS else ""] * len(kept)
            continue
        cells = by_column[index]
        if max(map(len, cells)) > MAX_CELL_CHARS:
            return None
        if column in _BOUNDS:
            values = _plain_numbers(cells, *_BOUNDS[column])
            if values is None:
                return None
        elif "".join(cells).isprintable():
            values = [cell.strip() for cell in cells]
        else:
            values = [_clean(cell) for cell in cells]
        data[column] = values
    if None in data["position"]:
        return None
    if any(not d and n is None for d, n in zip(data["driver"], data["car_number"], strict=True)):
        return None
    return data


def _plain_numbers(cells: Sequence[str], low: int, high: int | None) -> list[int | None] | None:
    """A column's cells as whole numbers within low..high (None for a blank cell), or None
    when one is not plain digits or out of bounds."""
    texts = [cell.strip() for cell in cells]
    joined = "".join(texts)
    if not (joined.isascii() and joined.isdigit()) and joined:
        return None  # something other than digits and blanks somewhere
    if all(texts):
        values = list(map(int, texts))
        if min(values) < low or (high is not None and max(values) > high):
            return None
        return values
    result: list[int | None] = []
    for text in texts:
        if not text:
            result.append(None)
            continue
        value = int(text)
        if value < low or (high is not None and value > high):
            return None
        result.append(value)
    return result


def _whole_numbers(values: list[int | None]) -> pd.api.extensions.ExtensionArray:
    """A nullable Int64 column (None missing), built straight from numpy when it fits."""
    try:
        if None in values:
            mask = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
            numbers = np.fromiter(
                (0 if v is None else v for v in values), dtype=np.int64, count=len(values)
            )
        else:
            mask = np.zeros(len(values), dtype=bool)
            numbers = np.array(values, dtype=np.int64)
    except OverflowError:  # beyond int64: pandas decides, as it always did
        return pd.array(values, dtype="Int64")
    return pd.arrays.IntegerArray(numbers, mask)


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
            "no ranking rows",
            expected="a header line after the metadata",
            found="end of file",
        )
    return meta, body_start


def _metadata_value(name: str, meta: dict, key: str, required: bool = True) -> str | None:
    values = meta.get(key)
    if not values or not values[0]:
        if required:
            raise RankingError(
                name,
                f"missing metadata line '# {key}: …'",
                expected=f"a '# {key}:' line before the header",
                found="none",
            )
        return None
    return values[0]


def parse_ranking(name: str, raw: bytes) -> RankingFile:
    """Parse one ranking file's bytes; raise RankingError naming file, row and column."""
    text, warnings = decode(name, raw)
    lines = text.splitlines()
    meta, body_start = _split_metadata(name, lines)

    checkpoint = _metadata_value(name, meta, "checkpoint")
    stage = _whole_number(
        name, None, "stage", _metadata_value(name, meta, "stage"), minimum=1, maximum=20
    )
    order = _whole_number(name, None, "order", _metadata_value(name, meta, "order"), minimum=1)
    when = _metadata_value(name, meta, "time", required=False)
    if when:
        try:
            (datetime if "T" in when or " " in when else date).fromisoformat(when)
        except ValueError as err:
            raise RankingError(
                name,
                "metadata 'time'",
                expected="an ISO date or date-time such as 2020-10-24 or 2020-10-24T15:30",
                found=when,
            ) from err

    header_line = lines[body_start]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO("\n".join(lines[body_start:])), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as err:
        raise RankingError(name, f"unreadable CSV ({err})") from err
    header_row = body_start + 1
    header = [normalise_header(h) for h in records[0]]
    while header and not header[-1]:
        header.pop()  # Excel's trailing separators
    if len(header) > MAX_COLUMNS:
        raise RankingError(
            name,
            "too many columns",
            row=header_row,
            expected=f"at most {MAX_COLUMNS} columns",
            found=f"{len(header)} columns",
        )
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
            "missing columns",
            row=header_row,
            expected="columns "
            + ", ".join(REQUIRED_COLUMNS)
            + " (and points or points_behind_leader)",
            found=", ".join(records[0]) or "an empty header",
        )
    if "points" not in columns and "points_behind_leader" not in columns:
        raise RankingError(
            name,
            "missing column",
            row=header_row,
            expected="a points or points_behind_leader column",
            found=", ".join(records[0]),
        )
    if ignored:
        warnings.append("columns ignored: " + ", ".join(ignored))

    data = _plain_columns(records, header_row, len(header), columns)
    if data is None:  # something to convert, refuse or locate: row by row
        rows: list[dict] = []
        seen_lines = header_row
        for record in records[1:]:
            seen_lines += 1
            line = seen_lines
            while record and not record[-1].strip() and len(record) > len(header):
                record = record[:-1]
            if not any(cell.strip() for cell in record):
                continue
            if record[0].lstrip().startswith("#"):
                continue
            if len(record) < max(columns.values()) + 1:
                raise RankingError(
                    name,
                    "row too short",
                    row=line,
                    expected=f"{len(header)} cells",
                    found=f"{len(record)} cells",
                )
            if len(rows) >= MAX_ROWS:
                total = sum(1 for r in records[1:] if any(cell.strip() for cell in r))
                raise RankingError(
                    name,
                    "too many rows",
                    row=line,
                    expected=f"at most {MAX_ROWS:,} rows",
                    found=f"{total:,} rows",
                )
            cells = {}
            for column, index in columns.items():
                value = record[index]
                if len(value) > MAX_CELL_CHARS:
                    raise RankingError(
                        name,
                        row=line,
                        column=column,
                        expected=f"at most {MAX_CELL_CHARS} characters",
                        found=f"{len(value)} characters",
                    )
                cells[column] = value
            row = {
                "row": line,
                "position": _whole_number(name, line, "position", cells["position"], minimum=1),
                "car_number": _whole_number(
                    name, line, "car_number", cells["car_number"], minimum=1, maximum=99_999
                ),
                "driver": _clean(cells["driver"]),
                "co_driver": _clean(cells["co_driver"]),
                "car": _clean(cells["car"]),
                "car_year": _whole_number(
                    name, line, "car_year", cells["car_year"], minimum=1885, maximum=2100
                ),
                "points": _whole_number(name, line, "points", cells.get("points", "")),
                "points_behind_leader": _whole_number(
                    name, line, "points_behind_leader", cells.get("points_behind_leader", "")
                ),
            }
            if row["position"] is None:
                raise RankingError(
                    name, row=line, column="position", expected="a position", found=""
                )
            if not row["driver"] and row["car_number"] is None:
                raise RankingError(
                    name,
                    row=line,
                    column="driver",
                    expected="a driver name or a car number",
                    found="",
                )
            rows.append(row)
        if not rows:
            raise RankingError(
                name, "no ranking rows", expected="at least one crew after the header", found="none"
            )
        data = {column: [r[column] for r in rows] for column in ("row", *COLUMNS)}
    table = pd.DataFrame(
        {
            column: _whole_numbers(data[column]) if column in _BOUNDS else data[column]
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
        flags=tuple(meta.get("flag", ())),
        rows=table,
        warnings=tuple(warnings),
    )


def read_ranking(path: Path) -> RankingFile:
    return parse_ranking(path.name, path.read_bytes())
