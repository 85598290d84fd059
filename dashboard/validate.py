"""`miglia validate FILE...`: check ranking files before they go into the rankings folder.

Each file is checked exactly as the app loads it: parse_ranking on the file's bytes, under
the file's name. This module only computes the results; dashboard/__main__.py prints them.
Every text in a result is escaped (rankings.escape): no control character reaches the
terminal, whatever the file or its name holds. Any file gives a result, never a traceback.
A file without a final newline is checked like any other (the app takes it as it is).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dashboard.data.rankings import (
    MAX_BYTES,
    RankingError,
    escape,
    file_too_large,
    parse_ranking,
)


def _error(err: RankingError) -> dict:
    # as_dict() plus the message without the location, for `path:row:column: reason` lines
    return {**err.as_dict(), "reason": err.message}


def _read(path: Path) -> bytes:
    """The file's bytes, at most MAX_BYTES + 1 of them (a device or a huge file is not read
    whole); a path that cannot be read is refused, with the reason."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, os.strerror(21))
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except (OSError, ValueError) as err:  # ValueError: a NUL in the path
        reason = "no such file" if isinstance(err, FileNotFoundError) else "cannot be read"
        found = getattr(err, "strerror", None) or str(err) or type(err).__name__
        raise RankingError(path.name, reason, expected="a readable file", found=found) from err
    if len(raw) > MAX_BYTES:
        size = info.st_size if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES else None
        raise file_too_large(path.name, size)
    return raw


def validate_file(path: Path | str) -> dict:
    """One file -> {file, status: ok|warnings|refused, errors, warnings, rows, checkpoint,
    stage, order}. A file that cannot be read (missing, a folder) is refused, with the reason."""
    path = Path(path)
    result = {
        "file": escape(str(path)),
        "status": "refused",
        "errors": [],
        "warnings": [],
        "rows": 0,
        "checkpoint": None,
        "stage": None,
        "order": None,
    }
    try:
        raw = _read(path)
    except RankingError as err:
        result["errors"].append(_error(err))
        return result
    if path.name.startswith(".") or not path.name.lower().endswith(".csv"):
        # the store's rule (dashboard/data/store.py): such a file would never be shown
        result["warnings"].append(
            "the app ignores this file: the name must end in .csv and not start with a dot"
        )
    try:
        ranking = parse_ranking(path.name, raw)
    except RankingError as err:
        result["errors"].append(_error(err))
        return result
    except Exception as err:  # noqa: BLE001 - a parser bug: said as such, not a traceback
        result["errors"].append(
            _error(
                RankingError(
                    path.name,
                    "the parser failed (a bug: please report it with the file)",
                    expected="a ranking or a refusal",
                    found=f"{type(err).__name__}: {err}",
                )
            )
        )
        return result
    warnings = [escape(w) for w in result["warnings"] + list(ranking.warnings)]
    result.update(
        status="warnings" if warnings else "ok",
        warnings=warnings,
        rows=len(ranking.rows),
        checkpoint=escape(ranking.checkpoint),
        stage=ranking.stage,
        order=ranking.order,
    )
    return result


def validate_files(paths: list[Path | str]) -> list[dict]:
    """One result per path, in the order given."""
    return [validate_file(path) for path in paths]
