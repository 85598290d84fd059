"""The rankings folder as the app sees it: a cheap data version, and a snapshot rebuilt only
when that version changes.

- version(): names, sizes and modification times of the *.csv files: a few microseconds per
  file, no reading; nothing is recomputed while it stays the same.
- current_version(): the snapshot's version as every open page polls it (through a small
  endpoint, every second): reused for POLL_CACHE_S, so a thousand polls a second cost one
  folder scan per process every quarter second and microseconds each.
- snapshot(): the accepted files, the refused ones with their located errors, and the
  standings model. A file that does not parse never replaces good data: its last good
  version (kept in rankings/.accepted/) stands in, and the refusal is reported.
- A file modified in the last STABLE_AFTER_S seconds may still be being copied: it is left
  for the next check, and its previous state stays. So is a file whose last byte is not a line
  end, for INCOMPLETE_GRACE_S: copy tools and editors write whole lines, so such a file is
  most likely cut mid-row by a copy in progress (after that it is read as it is: a file saved
  without a final newline is legal). The last byte is read only when a file's signature
  changes, and a file that changes while it is read is left for the next check too.

One RankingStore per app (created by create_app); its caches are per process and are only
caches: every worker computes the same snapshot from the same folder.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.data.rankings import RankingError, RankingFile, parse_ranking
from dashboard.race import Standings, build_standings

STABLE_AFTER_S = 0.5
POLL_CACHE_S = 0.25  # how long the polled version is reused (current_version)
WAITING_SUFFIX = "-waiting"  # ends the version while a file is still being written
INCOMPLETE_GRACE_S = 10.0
ACCEPTED_DIR = ".accepted"


@dataclass(frozen=True)
class FileStatus:
    name: str
    status: str  # "loaded" | "loaded with warnings" | "refused" | "waiting"
    modified: float
    size: int
    error: dict | None = None
    using_last_good: bool = False
    warnings: tuple[str, ...] = ()
    rows: int = 0


@dataclass(frozen=True)
class Snapshot:
    version: str
    standings: Standings
    files: tuple[FileStatus, ...] = field(default=())
    accepted: tuple[RankingFile, ...] = field(default=())
    # while a file waits only for its settling time: when (time.time()) the first will have
    # settled, so that a poll can ask again then (None: nothing waiting, or waiting for more
    # than time, such as a last line still being written)
    settles_at: float | None = None

    @property
    def refused(self) -> list[FileStatus]:
        return [f for f in self.files if f.status == "refused"]


def _signature(entry: os.DirEntry) -> tuple[str, int, int]:
    stat = entry.stat()
    return entry.name, stat.st_size, stat.st_mtime_ns


class RankingStore:
    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._parsed: dict[tuple[str, int, int], RankingFile | RankingError] = {}
        self._first_seen: dict[tuple[str, int, int], float] = {}
        self._whole_lines: dict[tuple[str, int, int], bool] = {}
        self._snapshot: Snapshot | None = None
        self._polled: tuple[float, str] | None = None  # (monotonic time, version)

    def _entries(self) -> list[os.DirEntry]:
        try:
            with os.scandir(self.folder) as entries:
                return sorted(
                    (
                        e
                        for e in entries
                        if e.is_file()
                        and e.name.lower().endswith(".csv")
                        and not e.name.startswith(".")
                    ),
                    key=lambda e: e.name,
                )
        except FileNotFoundError:
            return []

    def version(self) -> str:
        """A short fingerprint of the folder's ranking files (no file is read)."""
        digest = hashlib.blake2b(digest_size=8)
        for entry in self._entries():
            digest.update(repr(_signature(entry)).encode())
        return digest.hexdigest()

    def current_version(self) -> str:
        """The version of the current snapshot, checked at most every POLL_CACHE_S."""
        polled = self._polled
        now = time.monotonic()
        if polled is not None and now - polled[0] < POLL_CACHE_S:
            return polled[1]
        version = self.snapshot().version
        self._polled = (now, version)
        return version

    def poll_answer(self) -> str:
        """What the update poll is told: the current version (see current_version) and, while
        a new file waits for its settling time, a second line with the milliseconds until
        it has settled, so that the page can ask again then rather than a tick later."""
        version = self.current_version()
        current = self._snapshot
        if current is None or current.version != version or current.settles_at is None:
            return version
        wait_ms = max(0, round((current.settles_at - time.time()) * 1000))
        return f"{version}\n{wait_ms}"

    def recent_snapshot(self) -> Snapshot:
        """The snapshot as of at most POLL_CACHE_S ago: what the fans' page callbacks read,
        without a folder scan per request (the editor reads snapshot(), always current)."""
        version = self.current_version()
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        return self.snapshot()

    def snapshot(self) -> Snapshot:
        version = self.version()
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._snapshot is not None and self._snapshot.version == version:
                return self._snapshot
            self._snapshot = self._build(version)
            return self._snapshot

    def _ends_with_line_end(self, entry: os.DirEntry) -> bool:
        """Whether the file, as of its signature, ends with a line end (one byte read, once
        per signature); an empty file does not."""
        key = _signature(entry)
        if key not in self._whole_lines:
            last = b""
            try:
                if key[1]:
                    with open(entry.path, "rb") as handle:
                        handle.seek(key[1] - 1)  # the last byte of the size in the signature
                        last = handle.read(1)
            except OSError:
                pass
            self._whole_lines[key] = last in (b"\n", b"\r")
        return self._whole_lines[key]

    def _parse(self, entry: os.DirEntry) -> RankingFile | RankingError | None:
        """The parse of the file as of its signature; None when it changed since (it is being
        written: the caller treats it as waiting, and the next check sees the new version)."""
        key = _signature(entry)
        if key not in self._parsed:
            try:
                with open(entry.path, "rb") as handle:
                    raw = handle.read()
                    stat = os.fstat(handle.fileno())
            except OSError as err:
                self._parsed[key] = RankingError(entry.name, f"cannot be read ({err.strerror})")
                return self._parsed[key]
            if (len(raw), stat.st_size, stat.st_mtime_ns) != (key[1], key[1], key[2]):
                return None
            try:
                self._parsed[key] = parse_ranking(entry.name, raw)
            except RankingError as err:
                self._parsed[key] = err
            if isinstance(self._parsed[key], RankingFile):
                self._keep_good_copy(entry.name, raw)
        return self._parsed[key]

    def _last_good(self, name: str) -> RankingFile | None:
        path = self.folder / ACCEPTED_DIR / name
        try:
            return parse_ranking(name, path.read_bytes())
        except (OSError, RankingError):
            return None

    def _keep_good_copy(self, name: str, data: bytes) -> None:
        """Keep the accepted bytes, so a later broken version of the file can fall back."""
        target_dir = self.folder / ACCEPTED_DIR
        try:
            target = target_dir / name
            if target.exists() and target.read_bytes() == data:
                return
            target_dir.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target_dir, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only data folder: fall back on this process's memory only

    def _build(self, version: str) -> Snapshot:
        previous = {f.name: f for f in (self._snapshot.accepted if self._snapshot else ())}
        accepted: list[RankingFile] = []
        statuses: list[FileStatus] = []
        now = time.time()
        live_keys = set()
        settles_at: list[float] = []
        for entry in self._entries():
            name, size, mtime_ns = _signature(entry)
            live_keys.add((name, size, mtime_ns))
            # stable once modified STABLE_AFTER_S ago, or seen unchanged for that long (a file
            # whose modification time is in the future, e.g. clock skew, would wait forever)
            first_seen = self._first_seen.setdefault((name, size, mtime_ns), now)
            age = max(now - mtime_ns / 1e9, now - first_seen)
            result = None
            if age >= STABLE_AFTER_S and (
                age >= INCOMPLETE_GRACE_S or self._ends_with_line_end(entry)
            ):
                result = self._parse(entry)
            if result is None:
                if age < STABLE_AFTER_S:
                    settles_at.append(now + STABLE_AFTER_S - age)
                # may still be being written (recently modified, cut mid-line, or changed
                # while read): keep what we had
                fallback = previous.get(name) or self._last_good(name)
                if fallback is not None:
                    accepted.append(fallback)
                statuses.append(
                    FileStatus(
                        name,
                        "waiting",
                        mtime_ns / 1e9,
                        size,
                        using_last_good=fallback is not None,
                    )
                )
                continue
            if isinstance(result, RankingFile):
                accepted.append(result)
                statuses.append(
                    FileStatus(
                        name,
                        "loaded with warnings" if result.warnings else "loaded",
                        mtime_ns / 1e9,
                        size,
                        warnings=result.warnings,
                        rows=len(result.rows),
                    )
                )
            else:
                fallback = previous.get(name) or self._last_good(name)
                if fallback is not None:
                    accepted.append(fallback)
                statuses.append(
                    FileStatus(
                        name,
                        "refused",
                        mtime_ns / 1e9,
                        size,
                        error=result.as_dict(),
                        using_last_good=fallback is not None,
                    )
                )
        # forget parses of files that changed or went away
        self._parsed = {k: v for k, v in self._parsed.items() if k in live_keys}
        self._first_seen = {k: v for k, v in self._first_seen.items() if k in live_keys}
        self._whole_lines = {k: v for k, v in self._whole_lines.items() if k in live_keys}
        if any(s.status == "waiting" for s in statuses):
            version = version + WAITING_SUFFIX  # rebuild at the next check
        last = self._snapshot
        if last is not None and len(last.accepted) == len(accepted):
            same = all(a is b for a, b in zip(last.accepted, accepted, strict=True))
        else:
            same = False
        if same:  # while a file waits, every check rebuilds: nothing changed
            standings = last.standings
        else:  # new rankings after the others extend the model; anything else rebuilds it
            standings = build_standings(accepted, previous=last.standings if last else None)
        return Snapshot(
            version=version,
            standings=standings,
            files=tuple(statuses),
            accepted=tuple(accepted),
            settles_at=min(settles_at) if settles_at else None,
        )
