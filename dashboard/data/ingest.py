"""The one writer of what fans see: reads the rankings folder and publishes snapshots.

Exactly one ingest runs per data folder, whichever process holds the lock file
(`rankings/.ingest/lock`, an flock): `make run`, any gunicorn worker, or any host sharing the
folder. The others wait for the lock and only read what it published (dashboard/data/store.py).

A file is read only once it is complete: on Linux when inotify reports its writer closed it
(or it was renamed into the folder); where no inotify event comes (network shares) when it
has not changed for SETTLE_S, which is why writers are told to write to a temporary name and
rename. Temporary names are ignored. Each file is validated whole; the result is one manifest
(rankings/.ingest/current.json) naming the bytes of every accepted file by their sha256
(kept in rankings/.ingest/blobs/), the refusals and the warnings, replaced with one atomic
rename. Its version is a sequence number that only moves forward, plus a content hash.
The design and the manifest's schema: docs/ingest.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dashboard.data import editing
from dashboard.data.rankings import RankingError, RankingFile, parse_ranking
from dashboard.i18n import Words

LOG = logging.getLogger(__name__)
INGEST_DIR = ".ingest"
CURRENT = "current.json"
VERSION = "version"  # the published version alone, written after current.json
BLOBS = "blobs"
SNAPSHOTS = "snapshots"
LOCK = "lock"
SCHEMA = 1
SETTLE_S = 2.0  # a file untouched this long, with no writer known to hold it, is complete
EVENT_QUIET_S = 0.1  # after a close event: no further event for this long, then read
SCAN_S = 1.0  # the folder is scanned this often even without an event
KEEP_SNAPSHOTS = 20  # older versions a slow reader may still ask for
INGEST_TMP_PREFIX = ".ingest-"


def is_ranking_name(name: str) -> bool:
    """A name the ingest reads: *.csv, not a dot-file nor an editor's or copier's temporary."""
    lower = name.lower()
    return (
        lower.endswith(".csv")
        and not name.startswith((".", "~$"))
        and not lower.endswith((".tmp", ".part"))
    )


def is_temporary_name(name: str) -> bool:
    lower = name.lower()
    return (
        name.startswith((".", "~$"))
        or lower.endswith((".tmp", ".part", ".crdownload", ".swp"))
        or ".~lock." in name
    )


def ingest_dir(folder: Path) -> Path:
    return Path(folder) / INGEST_DIR


def write_atomic(path: Path, data: bytes) -> None:
    editing.write_atomic(path, data, prefix=INGEST_TMP_PREFIX)


@dataclass(frozen=True)
class FileEntry:
    """One file of the folder as the ingest last judged it (a manifest row)."""

    name: str
    status: str  # "accepted" | "refused" | "waiting" | "ignored"
    modified: float = 0.0
    size: int = 0
    checkpoint: str | None = None
    rows: int = 0
    warnings: tuple[str, ...] = ()  # the English
    error: dict | None = None
    blob: str | None = None  # sha256 of the bytes shown for it (its own, or its last good)
    using_last_good: bool = False
    signature: tuple[int, int] | None = None  # (size, mtime_ns) of the bytes judged
    # the warnings as Words.as_dict(), for each reader's language (i18n.say)
    warning_words: tuple[dict, ...] = ()

    def to_json(self) -> dict:
        data = {
            "name": self.name,
            "status": self.status,
            "modified": self.modified,
            "size": self.size,
            "checkpoint": self.checkpoint,
            "rows": self.rows,
            "warnings": list(self.warnings),
            "error": self.error,
            "blob": self.blob,
            "using_last_good": self.using_last_good,
        }
        if self.signature is not None:
            data["signature"] = list(self.signature)
        if self.warning_words:
            data["warning_words"] = list(self.warning_words)
        return data

    @classmethod
    def from_json(cls, data: dict) -> FileEntry:
        signature = data.get("signature")
        return cls(
            name=data["name"],
            status=data["status"],
            modified=data.get("modified") or 0.0,
            size=data.get("size") or 0,
            checkpoint=data.get("checkpoint"),
            rows=data.get("rows") or 0,
            warnings=tuple(data.get("warnings") or ()),
            error=data.get("error"),
            blob=data.get("blob"),
            using_last_good=bool(data.get("using_last_good")),
            signature=tuple(signature) if signature else None,
            warning_words=tuple(data.get("warning_words") or ()),
        )


@dataclass(frozen=True)
class Manifest:
    """What one published snapshot holds (rankings/.ingest/current.json)."""

    version: str
    seq: int
    published_at: str
    files: tuple[FileEntry, ...] = field(default=())

    def to_json(self) -> dict:
        return {
            "schema": SCHEMA,
            "version": self.version,
            "seq": self.seq,
            "published_at": self.published_at,
            "files": [f.to_json() for f in self.files],
        }

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        return cls(
            version=data["version"],
            seq=int(data["seq"]),
            published_at=data["published_at"],
            files=tuple(FileEntry.from_json(f) for f in data["files"]),
        )


def read_manifest(folder: Path, version: str | None = None) -> Manifest | None:
    """The published manifest (or the kept one of `version`); None when there is none."""
    base = ingest_dir(folder)
    path = base / CURRENT if version is None else base / SNAPSHOTS / f"{version}.json"
    try:
        return Manifest.from_json(json.loads(path.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_version(folder: Path) -> str | None:
    try:
        return (ingest_dir(folder) / VERSION).read_text("ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def read_blob(folder: Path, digest: str) -> bytes:
    return (ingest_dir(folder) / BLOBS / digest).read_bytes()


def remove_leftovers(folder: Path) -> list[Path]:
    """Temporary files a crash left: the editor's and the store's once old enough that no
    write can still be in progress (dashboard.data.editing), and the ingest's own at once
    (only the lock holder writes them)."""
    removed = editing.remove_leftovers(folder)
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(ingest_dir(folder)):
            if entry.is_file() and entry.name.startswith(INGEST_TMP_PREFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def open_for_writing(folder: Path) -> set[str]:
    """Names in `folder` that a process of this host holds open for writing (Linux /proc;
    empty elsewhere, and writers on other hosts are not seen: hence the rename rule)."""
    held = set()
    prefix = str(Path(folder).resolve()) + os.sep
    with contextlib.suppress(OSError):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            fd_dir = f"/proc/{pid}/fd"
            with contextlib.suppress(OSError):
                for fd in os.listdir(fd_dir):
                    with contextlib.suppress(OSError, KeyError, ValueError):
                        target = os.readlink(f"{fd_dir}/{fd}")
                        if not target.startswith(prefix) or os.sep in target[len(prefix) :]:
                            continue
                        with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                            fields = dict(line.split(":", 1) for line in info if ":" in line)
                        flags = int(fields["flags"].strip(), 8)
                        if flags & (os.O_WRONLY | os.O_RDWR):
                            held.add(target[len(prefix) :])
    return held


class WriterWatch:
    """Which files a writer holds open, from inotify events through watchdog; None where
    inotify does not work (then only the settle time applies)."""

    def __init__(self, folder: Path, on_event):
        self.folder = folder
        self._open: set[str] = set()  # modified or created, and not closed since
        self._generation: dict[str, int] = {}
        self._last_event: dict[str, float] = {}
        self._lock = threading.Lock()
        self._on_event = on_event
        self.observer = None

    def start(self, force_polling: bool = False) -> bool:
        if force_polling:
            return False
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers.inotify import InotifyObserver
        except ImportError:  # not Linux: settle time only
            return False
        watch = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                watch._seen(event)

        try:
            observer = InotifyObserver()
            observer.schedule(Handler(), str(self.folder), recursive=False)
            observer.daemon = True
            observer.start()
        except OSError:  # no inotify here (limits, some network file systems)
            return False
        self.observer = observer
        return True

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=2)

    def _seen(self, event) -> None:
        if event.is_directory:
            return
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):  # readers, the ingest itself among them
            return
        path = os.fsdecode(event.src_path)
        name = os.path.basename(path)
        with self._lock:
            self._touch(name)
            if kind == "modified":
                self._open.add(name)
            elif kind == "created":
                # created empty by a writer (data and a close will follow), or renamed in
                # whole from another folder (nothing will follow)
                try:
                    empty = os.stat(path).st_size == 0
                except OSError:
                    empty = False
                if empty:
                    self._open.add(name)
            elif kind in ("closed", "deleted", "moved"):
                self._open.discard(name)
            if kind == "moved":
                dest = os.path.basename(os.fsdecode(event.dest_path))
                self._open.discard(dest)
                self._touch(dest)
        self._on_event()

    def _touch(self, name: str) -> None:
        self._generation[name] = self._generation.get(name, 0) + 1
        self._last_event[name] = time.monotonic()

    def held_open(self, name: str) -> bool:
        with self._lock:
            return name in self._open

    def generation(self, name: str) -> int:
        with self._lock:
            return self._generation.get(name, 0)

    def complete_since(self, name: str) -> float | None:
        """Seconds since an event said the file is complete (closed after writing, renamed
        in); None when no event said so."""
        with self._lock:
            if name not in self._generation or name in self._open:
                return None
            return time.monotonic() - self._last_event[name]


class Ingest:
    """Reads the folder and publishes manifests; run by whichever process holds the lock."""

    def __init__(self, folder: Path | str, *, force_polling: bool = False):
        self.folder = Path(folder)
        self.force_polling = force_polling
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._first_seen: dict[tuple[str, int, int], float] = {}
        self._judged: dict[tuple[str, int, int], FileEntry] = {}
        # the files this pass parsed and accepted, by (name, blob): a reader of the
        # published snapshot in the same process takes them instead of parsing them again
        self.parsed: dict[tuple[str, str], RankingFile] = {}
        self.watch = WriterWatch(self.folder, self._wake.set)
        self.inotify = False
        self._lock_fd: int | None = None
        self._passes = 0
        # a forked child must not keep the lock alive after this process lets it go
        forget = weakref.WeakMethod(self._forget_lock)
        os.register_at_fork(after_in_child=lambda: (method := forget()) and method())
        self._thread: threading.Thread | None = None

    # -- the lock: exactly one ingest per data folder ------------------------------------
    def acquire(self, blocking: bool = False, timeout: float | None = None) -> bool:
        base = ingest_dir(self.folder)
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(base / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not blocking or (deadline is not None and time.monotonic() > deadline):
                    os.close(fd)
                    return False
                time.sleep(0.1)
                continue
            self._lock_fd = fd
            return True

    def _forget_lock(self) -> None:
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None

    def release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None

    # -- the thread of the process that holds the lock ----------------------------------
    def start(self) -> None:
        """Wait for the lock in the background, then watch and publish until stopped."""
        self._thread = threading.Thread(target=self._run, name="miglia-ingest", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.watch.stop()
        self.release()

    def _run(self) -> None:
        while not self._stop.is_set():  # a second ingest waits here for the first to end
            if self.acquire():
                break
            self._stop.wait(SCAN_S)
        if self._stop.is_set():
            return
        self.inotify = self.watch.start(self.force_polling)
        while not self._stop.is_set():
            self._wake.clear()
            try:
                wait = self.publish_once()
            except Exception:  # one bad pass must not end the only writer
                LOG.exception("ingest pass failed; trying again")
                wait = SCAN_S
            self._wake.wait(wait)

    # -- one pass ----------------------------------------------------------------------
    def publish_once(self) -> float:
        """Judge the folder's files, publish a new manifest if anything changed; returns how
        long until a waiting file should be looked at again."""
        remove_leftovers(self.folder)
        self.parsed = {}
        previous = read_manifest(self.folder)
        before = {f.name: f for f in previous.files} if previous else {}
        entries, wait = self._judge_folder(before)
        entries = self._one_file_per_checkpoint(entries, before)
        content = hashlib.sha256(
            json.dumps(
                [e.to_json() | {"modified": None} for e in entries], sort_keys=True
            ).encode()
        ).hexdigest()[:12]
        if previous is not None and previous.version.split("-", 1)[1] == content:
            return wait
        seq = (previous.seq + 1) if previous else 1
        manifest = Manifest(
            version=f"{seq:06d}-{content}",
            seq=seq,
            published_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            files=tuple(entries),
        )
        data = json.dumps(manifest.to_json(), indent=1).encode()
        base = ingest_dir(self.folder)
        write_atomic(base / SNAPSHOTS / f"{manifest.version}.json", data)
        write_atomic(base / CURRENT, data)  # the publication: one rename
        write_atomic(base / VERSION, manifest.version.encode())  # what polls read
        self._prune(manifest)
        return wait

    def _judge_folder(self, before: dict[str, FileEntry]) -> tuple[list[FileEntry], float]:
        now = time.time()
        entries: list[FileEntry] = []
        wait = SCAN_S
        live = set()
        try:
            with os.scandir(self.folder) as it:
                found = sorted((e for e in it if e.is_file()), key=lambda e: e.name)
        except FileNotFoundError:
            found = []
        first_pass = self._passes == 0
        self._passes += 1
        writing = None  # looked up once per pass, when a new file needs judging
        for entry in found:
            name = entry.name
            if is_temporary_name(name):
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue  # removed since the listing: the next pass sees the folder as it is
            key = (name, stat.st_size, stat.st_mtime_ns)
            live.add(key)
            if not is_ranking_name(name):
                entries.append(FileEntry(name, "ignored", stat.st_mtime, stat.st_size))
                continue
            old = before.get(name)
            if old is not None and old.signature == (stat.st_size, stat.st_mtime_ns):
                entries.append(old)  # unchanged since it was judged
                continue
            if key in self._judged:
                entries.append(self._judged[key])
                continue
            first_seen = self._first_seen.setdefault(key, now)
            # quiet since first seen so, or modified long ago (a future mtime cannot block)
            quiet = max(now - stat.st_mtime_ns / 1e9, now - first_seen)
            closed = self.watch.complete_since(name) if self.inotify else None
            if writing is None:
                writing = open_for_writing(self.folder)
            complete = (
                name not in writing
                and not self.watch.held_open(name)
                and (
                    first_pass  # the folder as found at start: no writer holds the file
                    or quiet >= SETTLE_S
                    or (closed is not None and closed >= EVENT_QUIET_S)
                )
            )
            judged = self._read(entry.path, name, stat, old) if complete else None
            if judged is None:
                wait = min(wait, EVENT_QUIET_S if closed is not None else max(0.05, SETTLE_S - quiet))
                entries.append(self._waiting(name, stat, old))
                continue
            self._judged[key] = judged
            entries.append(judged)
        self._first_seen = {k: v for k, v in self._first_seen.items() if k in live}
        self._judged = {k: v for k, v in self._judged.items() if k in live}
        return entries, wait

    def _read(self, path: str, name: str, stat, old: FileEntry | None) -> FileEntry | None:
        """Read and judge one complete file; None if it changed while being read."""
        generation = self.watch.generation(name)
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
                after = os.fstat(handle.fileno())
        except OSError as err:
            return self._refused(
                name,
                stat,
                old,
                RankingError(name, Words("ranking.error.cannot_be_read", {"error": err.strerror})),
            )
        if (
            (after.st_size, after.st_mtime_ns) != (stat.st_size, stat.st_mtime_ns)
            or len(raw) != stat.st_size
            or self.watch.generation(name) != generation
            and self.watch.held_open(name)
        ):
            return None
        try:
            ranking = parse_ranking(name, raw)
        except RankingError as err:
            return self._refused(name, stat, old, err)
        except Exception as err:  # noqa: BLE001 - a parser bug refuses the file, never the app
            reason = Words("ranking.error.could_not_be_read", {"error": str(err)})
            return self._refused(name, stat, old, RankingError(name, reason))
        digest = self._keep_blob(raw)
        self.parsed[(name, digest)] = ranking
        return FileEntry(
            name,
            "accepted",
            stat.st_mtime,
            stat.st_size,
            checkpoint=ranking.checkpoint_id,
            rows=len(ranking.rows),
            warnings=ranking.warnings,
            warning_words=tuple(w.as_dict() for w in ranking.warning_words),
            blob=digest,
            signature=(stat.st_size, stat.st_mtime_ns),
        )

    def _refused(self, name, stat, old: FileEntry | None, err: RankingError) -> FileEntry:
        return self._waiting(name, stat, old, status="refused", error=err.as_dict())

    @staticmethod
    def _waiting(name, stat, old: FileEntry | None, status="waiting", error=None) -> FileEntry:
        """Not taken (yet): what stays shown for the file is its last good version, if any."""
        last_good = old.blob if old is not None else None
        return FileEntry(
            name,
            status,
            stat.st_mtime,
            stat.st_size,
            checkpoint=old.checkpoint if last_good else None,
            rows=old.rows if last_good else 0,
            error=error,
            blob=last_good,
            using_last_good=last_good is not None,
            # a refusal is final for these bytes; a waiting file is judged again
            signature=(stat.st_size, stat.st_mtime_ns) if status == "refused" else None,
        )

    @staticmethod
    def _one_file_per_checkpoint(
        entries: list[FileEntry], before: dict[str, FileEntry]
    ) -> list[FileEntry]:
        """A second file giving a checkpoint already given is refused, naming the file that
        has it; the file that was shown before keeps it, else the first by name."""
        holder: dict[str, str] = {}
        ranked = sorted(
            (e for e in entries if e.blob and e.checkpoint),
            key=lambda e: (before.get(e.name) is None or before[e.name].blob is None, e.name),
        )
        for entry in ranked:
            holder.setdefault(entry.checkpoint.casefold(), entry.name)
        out = []
        for entry in entries:
            owner = holder.get((entry.checkpoint or "").casefold())
            if entry.blob and owner is not None and owner != entry.name:
                err = RankingError(
                    entry.name,
                    Words(
                        "ranking.error.checkpoint_taken",
                        {"checkpoint": entry.checkpoint, "owner": owner},
                    ),
                )
                entry = FileEntry(
                    entry.name,
                    "refused",
                    entry.modified,
                    entry.size,
                    error=err.as_dict(),
                    signature=entry.signature,
                )
            out.append(entry)
        return out

    def _keep_blob(self, raw: bytes) -> str:
        digest = hashlib.sha256(raw).hexdigest()
        path = ingest_dir(self.folder) / BLOBS / digest
        if not path.exists():
            write_atomic(path, raw)
        return digest

    def _prune(self, manifest: Manifest) -> None:
        """Keep the last KEEP_SNAPSHOTS manifests and the blobs they name."""
        base = ingest_dir(self.folder)
        kept = sorted((base / SNAPSHOTS).glob("*.json"))
        for old in kept[:-KEEP_SNAPSHOTS]:
            old.unlink(missing_ok=True)
        used = {f.blob for f in manifest.files if f.blob}
        for path in kept[-KEEP_SNAPSHOTS:]:
            with contextlib.suppress(OSError, ValueError, KeyError):
                used |= {f["blob"] for f in json.loads(path.read_bytes())["files"] if f["blob"]}
        with contextlib.suppress(FileNotFoundError):
            for blob in (base / BLOBS).iterdir():
                if blob.name not in used and not blob.name.startswith("."):
                    blob.unlink(missing_ok=True)
