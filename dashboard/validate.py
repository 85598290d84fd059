"""`miglia validate FILE...`: check ranking files before they go into the rankings folder.

Each file is checked exactly as the app loads it: parse_ranking on the file's bytes, under
the file's name. This module only computes the results; dashboard/__main__.py prints them.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.data.rankings import RankingError, parse_ranking


def _error(err: RankingError) -> dict:
    # as_dict() plus the message without the location, for `path:row:column: reason` lines
    return {**err.as_dict(), "reason": err.message}


def validate_file(path: Path | str) -> dict:
    """One file -> {file, status: ok|warnings|refused, errors, warnings, rows, checkpoint,
    stage, order}. A file that cannot be read (missing, a folder) is refused, with the reason."""
    path = Path(path)
    result = {
        "file": str(path),
        "status": "refused",
        "errors": [],
        "warnings": [],
        "rows": 0,
        "checkpoint": None,
        "stage": None,
        "order": None,
    }
    try:
        raw = path.read_bytes()
    except OSError as err:
        reason = "no such file" if isinstance(err, FileNotFoundError) else "cannot be read"
        found = err.strerror or type(err).__name__
        result["errors"].append(
            _error(RankingError(path.name, reason, expected="a readable file", found=found))
        )
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
    warnings = result["warnings"] + list(ranking.warnings)
    result.update(
        status="warnings" if warnings else "ok",
        warnings=warnings,
        rows=len(ranking.rows),
        checkpoint=ranking.checkpoint,
        stage=ranking.stage,
        order=ranking.order,
    )
    return result


def validate_files(paths: list[Path | str]) -> list[dict]:
    """One result per path, in the order given."""
    return [validate_file(path) for path in paths]
