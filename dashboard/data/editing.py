"""What editors do to the rankings folder: upload, replace, delete and restore files.

Nothing accepted is ever lost: a replaced or deleted file is first kept in
rankings/.history/ (with the time it was set aside), from where it can be restored. Every
write is atomic (a temporary file in the same folder, then a rename), so no reader ever sees
half a file. Names are sanitised: no path, no odd characters, always .csv.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard.data.rankings import MAX_BYTES, RankingFile, parse_ranking

HISTORY_DIR = ".history"
MAX_NAME_CHARS = 80
_STAMP = "%Y%m%dT%H%M%S%fZ"


class EditRefused(ValueError):
    """An edit that was not done, with the reason in words a person can act on."""


@dataclass(frozen=True)
class Version:
    name: str  # the ranking file it belongs to
    path: Path
    kept_at: datetime
    size: int


def token_ok(given: str | None, configured: str | None) -> bool:
    """Constant-time check of an editor token; no token configured means no editing."""
    if not configured or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8"))


def sanitise_name(name: str | None) -> str:
    """'../../etc/passwd' -> 'passwd.csv'; 'Classifica finale (1).CSV' -> 'Classifica-finale-1.csv'."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = (
        base[:-4]
        if base.lower().endswith(".csv")
        else base.rsplit(".", 1)[0]
        if "." in base
        else base
    )
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")
    stem = re.sub(r"-{2,}", "-", stem)[: MAX_NAME_CHARS - 4]
    return (stem or "ranking") + ".csv"


def decode_upload(contents: str | None) -> bytes:
    """The bytes of a dcc.Upload value ('data:…;base64,…'), refusing oversized ones first."""
    if not contents or "," not in contents:
        raise EditRefused("the upload was empty or incomplete; choose the file again")
    encoded = contents.split(",", 1)[1]
    approx = len(encoded) * 3 // 4
    if approx > MAX_BYTES:
        raise EditRefused(
            f"the file is too large: {approx:,} bytes, the limit is {MAX_BYTES:,} bytes"
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as err:
        raise EditRefused("the upload could not be decoded; choose the file again") from err


def check(name: str, raw: bytes) -> RankingFile:
    """Validate exactly as the app will load it (raises RankingError)."""
    return parse_ranking(name, raw)


def _write_atomic(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep(folder: Path, name: str, move: bool) -> Path | None:
    """Set the current file aside in .history/ (copy or move); its path there."""
    current = folder / name
    if not current.exists():
        return None
    stamp = datetime.now(UTC).strftime(_STAMP)
    kept = folder / HISTORY_DIR / f"{name}.{stamp}"
    if move:
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(current, kept)
    else:
        _write_atomic(kept, current.read_bytes())
    return kept


def save(folder: Path, name: str, raw: bytes, replace: bool = False) -> Path | None:
    """Write an accepted upload. An existing file is only replaced when asked, and is kept in
    the history first. Returns the kept previous version, if any."""
    name = sanitise_name(name)
    target = folder / name
    if target.exists() and not replace:
        raise EditRefused(f"{name} exists already: confirm to replace it")
    kept = _keep(folder, name, move=False) if target.exists() else None
    if not raw.endswith((b"\n", b"\r")):
        raw += b"\n"  # a whole last line: the store does not wait for the rest of it
    _write_atomic(target, raw)
    return kept


def delete(folder: Path, name: str) -> Path:
    name = sanitise_name(name)
    kept = _keep(folder, name, move=True)
    if kept is None:
        raise EditRefused(f"{name} does not exist (any more)")
    return kept


def history(folder: Path, name: str | None = None) -> list[Version]:
    """Kept versions, newest first (of one file, or of all)."""
    versions = []
    for path in (folder / HISTORY_DIR).glob("*.csv.*"):
        file, _, stamp = path.name.rpartition(".")
        if name and file != name:
            continue
        try:
            kept_at = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue
        versions.append(Version(file, path, kept_at, path.stat().st_size))
    return sorted(versions, key=lambda v: v.kept_at, reverse=True)


def restore(folder: Path, kept_name: str) -> str:
    """Put a kept version back (the current file, if any, is kept in turn). Returns the name."""
    kept_path = folder / HISTORY_DIR / Path(kept_name).name
    file, _, _ = kept_path.name.rpartition(".")
    if not kept_path.is_file() or sanitise_name(file) != file:
        raise EditRefused(f"no kept version called {kept_name}")
    raw = kept_path.read_bytes()
    save(folder, file, raw, replace=True)
    return file
