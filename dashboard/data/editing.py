"""What editors do to the rankings folder: upload, replace, delete and restore files.

Nothing accepted is ever lost: a replaced or deleted file is first kept in
rankings/.history/ (with the time it was set aside), from where it can be restored. Every
write is atomic (a temporary file in the same folder, fsync, rename, fsync of the folder), so
no reader ever sees half a file, and a crash (even kill -9) leaves either the old or the new
file, plus at most a temporary file that remove_leftovers() clears.

Names are never rewritten: the editor acts on the exact file it lists (case, spaces and odd
characters included), after checking that the name is a plain file name directly inside the
rankings folder. A new name the folder cannot keep safely is refused with the reason.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hmac
import os
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dashboard.data.rankings import MAX_BYTES, RankingFile, parse_ranking

HISTORY_DIR = ".history"
MAX_NAME_CHARS = 100  # for new names; existing ones only need to fit in the history
_STAMP = "%Y%m%dT%H%M%S%fZ"
_STAMP_CHARS = len(".20200101T000000000000Z")
MAX_NAME_BYTES = 255 - _STAMP_CHARS  # the kept copy adds the stamp; 255 is the usual limit
HISTORY_PAGE_SIZE = 20
# temporary files older than this are leftovers of a crash; younger ones may still be
# being written by another worker (several gunicorn workers share the folder)
LEFTOVER_AGE_S = 10.0  # an upload's write takes milliseconds
UPLOAD_PREFIX, UPLOAD_SUFFIX = ".upload-", ".tmp"
# characters Windows or a Samba share cannot hold in a name: refused in new names so that
# the folder can be copied anywhere
_NOT_PORTABLE = '<>:"|?*'


class EditRefused(ValueError):
    """An edit that was not done, with the reason in words a person can act on.

    `reason` names the text (editor.reason.<reason> in dashboard/texts/) and `params` fill it,
    so the page shows the reason in the reader's language; str() is the English wording."""

    def __init__(self, message: str, reason: str = "other", **params: object):
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Version:
    name: str  # the ranking file it belongs to
    path: Path
    kept_at: datetime
    size: int


@dataclass(frozen=True)
class HistoryPage:
    versions: tuple[Version, ...]
    page: int  # 0-based, within 0..pages-1
    pages: int  # at least 1
    total: int
    per_page: int = HISTORY_PAGE_SIZE
    first: int = field(default=0)  # 1-based number of the first version shown (0: none)

    @property
    def has_previous(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page < self.pages - 1


def token_ok(given: object, configured: str | None) -> bool:
    """Constant-time check of an editor token; no token configured means no editing.
    Anything but a non-empty string (a number, a list from a hand-made request) is wrong."""
    if not configured or not isinstance(given, str) or not given:
        return False
    try:
        given_bytes = given.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from JSON
        return False
    return hmac.compare_digest(given_bytes, configured.encode("utf-8"))


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def _refuse(message: str, reason: str, **params) -> EditRefused:
    return EditRefused(message, reason, **params)


def check_name(name: object) -> str:
    """The name itself, if it is a plain .csv file name directly inside the folder (as listed
    by the store: any case, spaces and most characters); else EditRefused with the reason.
    The checks: text, no path separator, no '..', no NUL or control character, not a
    dot-file, ends with .csv (any case), short enough to be kept in the history."""
    if not isinstance(name, str):
        raise _refuse("the file name is missing or is not text", "name_not_text")
    if not name:
        raise _refuse("the file name is empty", "name_empty")
    for sep in ("/", "\\"):
        if sep in name:
            raise _refuse(f"the name contains '{sep}'", "name_char", char=sep)
    if ".." in name:
        raise _refuse("the name contains '..'", "name_char", char="..")
    for char in name:
        category = unicodedata.category(char)
        if category == "Cs":
            raise _refuse("the name is not valid text", "name_not_text")
        if category == "Cc":
            code = _describe(char)
            raise _refuse(
                f"the name contains a control character ({code})", "name_control", code=code
            )
    if name.startswith("."):
        raise _refuse("the name starts with '.' (a hidden file)", "name_dot")
    if not name.lower().endswith(".csv") or len(name) == 4:
        raise _refuse("the name does not end with .csv", "name_not_csv")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise _refuse(
            f"the name is too long (at most {MAX_NAME_BYTES} bytes in UTF-8)",
            "name_too_long_bytes",
            limit=MAX_NAME_BYTES,
        )
    return name


def check_new_name(folder: Path, name: object) -> str:
    """The name for a file that does not exist yet, if the folder can keep it safely: a plain
    name (check_name), printable, portable, not too long, and not another file's name in
    another case or Unicode form (two files would give the same checkpoint)."""
    name = check_name(name)
    for char in name:
        if unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
            code = _describe(char)
            raise _refuse(
                f"the name contains an invisible character ({code})", "name_invisible", code=code
            )
        if char in _NOT_PORTABLE:
            raise _refuse(f"the name contains '{char}'", "name_char", char=char)
    if name != name.strip() or name[:-4] != name[:-4].strip():
        raise _refuse("the name starts or ends with a space", "name_space")
    if len(name) > MAX_NAME_CHARS:
        raise _refuse(
            f"the name is too long (at most {MAX_NAME_CHARS} characters)",
            "name_too_long",
            limit=MAX_NAME_CHARS,
        )
    twin = _twin(folder, name)
    if twin is not None:
        raise _refuse(
            f"{twin} exists already and differs only in capitals or accents; two such files "
            "would give the same checkpoint: replace that file or choose another name",
            "name_twin",
            existing=twin,
        )
    return name


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _twin(folder: Path, name: str) -> str | None:
    """Another file in the folder whose name is this one in another case or Unicode form."""
    folded = _fold(name)
    for other in sorted(_listing(folder)):
        if other != name and _fold(other) == folded and other.lower().endswith(".csv"):
            return other
    return None


def exists_exactly(folder: Path, name: str) -> bool:
    """Whether a plain file of exactly this name (not a case-insensitive match, not a
    symbolic link) is directly in the folder."""
    if name not in _listing(folder):
        return False
    return (folder / name).is_file() and not (folder / name).is_symlink()


def existing(folder: Path, name: object) -> Path:
    """The path of the listed file of exactly this name; EditRefused if it is not there."""
    name = check_name(name)
    if not exists_exactly(folder, name):
        raise _refuse(f"{name} does not exist (any more)", "missing", name=name)
    return folder / name


def read(folder: Path, name: object) -> bytes:
    """The bytes of the exact listed file (for the preview)."""
    path = existing(folder, name)
    try:
        return path.read_bytes()
    except OSError as err:
        raise _refuse(
            f"{path.name} cannot be read ({err.strerror})",
            "unreadable",
            name=path.name,
            error=str(err.strerror),
        ) from err


def decode_upload(contents: object) -> bytes:
    """The bytes of a dcc.Upload value ('data:…;base64,…'), refusing oversized ones first."""
    if not isinstance(contents, str) or "," not in contents:
        raise _refuse("the upload was empty or incomplete; choose the file again", "upload_empty")
    encoded = contents.split(",", 1)[1]
    approx = len(encoded) * 3 // 4
    if approx > MAX_BYTES:
        raise _refuse(
            f"the file is too large: {approx:,} bytes, the limit is {MAX_BYTES:,} bytes",
            "too_large",
            size=approx,
            limit=MAX_BYTES,
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as err:
        raise _refuse(
            "the upload could not be decoded; choose the file again", "undecodable"
        ) from err


def check(name: str, raw: bytes) -> RankingFile:
    """Validate exactly as the app will load it (raises RankingError)."""
    return parse_ranking(name, raw)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in the folder durable (where the system allows opening folders)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, raw: bytes, prefix: str = UPLOAD_PREFIX) -> None:
    """Write to a temporary name in the same folder, fsync, rename, fsync the folder: a
    reader or a crash never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=UPLOAD_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _keep(folder: Path, name: str, move: bool) -> Path | None:
    """Set the current file aside in .history/ (copy or move); its path there."""
    current = folder / name
    if not exists_exactly(folder, name):
        return None
    history_dir = folder / HISTORY_DIR
    history_dir.mkdir(parents=True, exist_ok=True)
    moment = datetime.now(UTC)
    kept = history_dir / f"{name}.{moment.strftime(_STAMP)}"
    while os.path.lexists(kept):  # two keeps in the same microsecond: never overwrite one
        moment += timedelta(microseconds=1)
        kept = history_dir / f"{name}.{moment.strftime(_STAMP)}"
    if move:
        os.replace(current, kept)
        _fsync_folder(history_dir)
        _fsync_folder(folder)
    else:
        write_atomic(kept, current.read_bytes())
    return kept


def save(folder: Path, name: object, raw: bytes, replace: bool = False) -> Path | None:
    """Write an accepted upload under exactly this name. An existing file is only replaced
    when asked, and is kept in the history first; a new name must pass check_new_name.
    Returns the kept previous version, if any."""
    name = check_name(name)
    if exists_exactly(folder, name):
        if not replace:
            raise _refuse(f"{name} exists already: confirm to replace it", "exists", name=name)
        kept = _keep(folder, name, move=False)
    else:
        check_new_name(folder, name)
        if os.path.lexists(folder / name):  # a folder or a link of that name
            raise _refuse(f"{name} is not a plain file", "not_plain", name=name)
        kept = None
    if not raw.endswith((b"\n", b"\r")):
        raw += b"\n"  # a whole last line: the store does not wait for the rest of it
    write_atomic(folder / name, raw)
    return kept


def delete(folder: Path, name: object) -> Path:
    """Move exactly this listed file into the history; its path there."""
    name = existing(folder, name).name
    kept = _keep(folder, name, move=True)
    if kept is None:
        raise _refuse(f"{name} does not exist (any more)", "missing", name=name)
    return kept


def _parse_kept(kept_name: str) -> tuple[str, datetime] | None:
    if kept_name.startswith("."):
        return None
    file, _, stamp = kept_name.rpartition(".")
    if not file.lower().endswith(".csv"):
        return None
    try:
        return file, datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def kept_time(kept_name: str) -> datetime | None:
    """When the kept version of this name was kept (None for a name that is not one)."""
    parsed = _parse_kept(kept_name)
    return parsed[1] if parsed else None


def history(folder: Path, name: str | None = None) -> list[Version]:
    """Every kept version, newest first (of one file, or of all)."""
    versions = []
    history_dir = folder / HISTORY_DIR
    for kept_name in _listing(history_dir):
        parsed = _parse_kept(kept_name)
        if parsed is None or (name and parsed[0] != name):
            continue
        path = history_dir / kept_name
        try:
            size = path.stat().st_size
        except OSError:  # restored or removed meanwhile
            continue
        versions.append(Version(parsed[0], path, parsed[1], size))
    return sorted(versions, key=lambda v: (v.kept_at, v.path.name), reverse=True)


def page_of(
    versions: list[Version], page: object, per_page: int = HISTORY_PAGE_SIZE
) -> HistoryPage:
    """One page of the versions (newest first); a page out of range, or not a whole number,
    gives the nearest existing page."""
    total = len(versions)
    pages = max(1, -(-total // per_page))
    number = page if isinstance(page, int) and not isinstance(page, bool) else 0
    number = min(max(number, 0), pages - 1)
    shown = tuple(versions[number * per_page : (number + 1) * per_page])
    return HistoryPage(shown, number, pages, total, per_page, number * per_page + 1 if shown else 0)


def history_page(folder: Path, page: object, per_page: int = HISTORY_PAGE_SIZE) -> HistoryPage:
    return page_of(history(folder), page, per_page)


def restore(folder: Path, kept_name: object) -> str:
    """Put a kept version back (the current file, if any, is kept in turn). Returns the name."""
    if not isinstance(kept_name, str) or not kept_name:
        raise _refuse("the kept version's name is missing or is not text", "kept_not_text")
    parsed = None
    if "/" not in kept_name and "\\" not in kept_name and "\x00" not in kept_name:
        parsed = _parse_kept(kept_name)
    history_dir = folder / HISTORY_DIR
    if (
        parsed is None
        or kept_name not in _listing(history_dir)
        or not (history_dir / kept_name).is_file()
    ):
        raise _refuse(f"no kept version called {kept_name}", "no_version", name=kept_name)
    file = check_name(parsed[0])
    raw = (history_dir / kept_name).read_bytes()
    save(folder, file, raw, replace=True)
    return file


def _is_leftover(name: str) -> bool:
    return name.startswith(UPLOAD_PREFIX) and name.endswith(UPLOAD_SUFFIX)


def remove_leftovers(folder: Path | str, min_age_s: float = LEFTOVER_AGE_S) -> list[Path]:
    """Remove the temporary files a crash left behind (the editor's .upload-*.tmp) in the
    rankings folder and its .history/; the paths removed.

    Only files last modified at least min_age_s ago: a younger one may be a write still in
    progress in another worker. Links and folders are left alone."""
    folder = Path(folder)
    removed: list[Path] = []
    now = time.time()
    for where in (folder, folder / HISTORY_DIR):
        try:
            entries = list(os.scandir(where))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if not _is_leftover(entry.name):
                continue
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if now - entry.stat(follow_symlinks=False).st_mtime < min_age_s:
                    continue
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            removed.append(Path(entry.path))
    return removed
