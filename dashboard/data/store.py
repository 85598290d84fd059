"""The rankings as every worker serves them: the snapshot the ingest published.

The ingest (dashboard/data/ingest.py) is the only writer; this side only reads its manifest
and the accepted bytes it names, and builds the model from exactly those bytes, once per
snapshot, with the builder it is given (app.py gives the race layer's build_standings: this
layer parses files and does not know the model), so every worker and every host serves the
same snapshot for the same version. The version a
process serves only moves forward, and a view that carries a version is answered from that
version's snapshot while it is kept, so the table, the charts, the crew card and the map
marker of one view always agree.

Each process also runs an ingest thread that waits for the folder's lock; only the holder
writes, so exactly one ingest runs whatever the number of workers or hosts.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from dashboard.data.ingest import (
    FileEntry,
    Ingest,
    Manifest,
    read_blob,
    read_manifest,
    read_version,
)
from dashboard.data.rankings import RankingError, RankingFile, parse_ranking

KEEP_IN_MEMORY = 3  # snapshots a process keeps built: the current one and views still on older
FIRST_PUBLISH_TIMEOUT_S = 30.0

Model = TypeVar("Model")  # what the builder makes of the accepted files (the standings)


@dataclass(frozen=True)
class Snapshot(Generic[Model]):
    version: str
    standings: Model
    files: tuple[FileEntry, ...] = field(default=())
    accepted: tuple[RankingFile, ...] = field(default=())
    published_at: str | None = None

    @property
    def refused(self) -> list[FileEntry]:
        return [f for f in self.files if f.status == "refused"]


def _seq(version: str | None) -> int:
    try:
        return int(str(version).split("-", 1)[0])
    except ValueError:
        return -1


def _release_freed_memory() -> None:
    """Hand the heap pages a model build freed back to the system (glibc only): glibc keeps
    them otherwise, and every worker's RSS would carry one build's garbage for its whole life."""
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the process's own C library
    if trim is not None:
        trim(0)


class RankingStore(Generic[Model]):
    def __init__(
        self,
        folder: Path | str,
        *,
        build: Callable[[Sequence[RankingFile]], Model],
        run_ingest: bool = True,
        force_polling=None,
    ):
        self.folder = Path(folder)
        self.build = build
        self.run_ingest = run_ingest
        if force_polling is None:
            force_polling = os.environ.get("MIGLIA_WATCH", "").lower() == "poll"
        self.force_polling = force_polling
        self._lock = threading.Lock()
        self._built: dict[str, Snapshot[Model]] = {}
        self._parsed: dict[tuple[str, str], RankingFile] = {}  # (name, sha256) -> parse
        self._newest: Snapshot[Model] | None = None
        self._ingest: Ingest | None = None
        self._ingest_pid: int | None = None

    # -- the ingest of this data folder ----------------------------------------------------
    def publish_now(self) -> None:
        """Publish the folder's state once, waiting for the lock (start-up and tools; a
        running ingest of another process does the same work anyway)."""
        if self._ingest_pid == os.getpid():  # this process's ingest: wait for its first pass
            deadline = time.monotonic() + FIRST_PUBLISH_TIMEOUT_S
            while read_version(self.folder) is None and time.monotonic() < deadline:
                time.sleep(0.02)
            return
        ingest = Ingest(self.folder, force_polling=True)
        if ingest.acquire(blocking=True, timeout=FIRST_PUBLISH_TIMEOUT_S):
            try:
                ingest.publish_once()
            finally:
                ingest.release()
            with self._lock:  # a first start parses a whole event: once, not twice
                self._parsed.update(ingest.parsed)

    def load(self) -> Snapshot[Model]:
        """Publish the folder as it is and build its snapshot, starting no thread: create_app
        calls this, possibly in gunicorn's master, which must not run the ingest (its workers
        each start theirs on their first request)."""
        self.publish_now()
        manifest = read_manifest(self.folder)
        if manifest is None:
            return self.snapshot()
        return self._build(manifest, newest=True)

    def _ensure_ingest(self) -> None:
        """Start this process's ingest thread (after a fork too: threads do not survive it,
        so a gunicorn worker starts its own)."""
        if not self.run_ingest or self._ingest_pid == os.getpid():
            return
        with self._lock:
            if self._ingest_pid == os.getpid():
                return
            self._ingest = Ingest(self.folder, force_polling=self.force_polling)
            self._ingest.start()
            self._ingest_pid = os.getpid()

    def stop(self) -> None:
        if self._ingest is not None and self._ingest_pid == os.getpid():
            self._ingest.stop()
        self._ingest_pid = None

    # -- reading what was published ----------------------------------------------------
    def version(self) -> str:
        """The published version (one small file read: every open page polls it)."""
        self._ensure_ingest()
        published = read_version(self.folder)
        newest = self._newest
        if newest is None:
            return self.snapshot().version
        if published is None or _seq(published) <= _seq(newest.version):
            return newest.version
        return published  # built by the first callback that asks for it

    def snapshot(self, version: str | None = None) -> Snapshot[Model]:
        """The newest published snapshot, or that of `version` (a view's) while it is kept;
        never one older than a snapshot this process has already served."""
        if version is not None and version in self._built:
            return self._built[version]
        self._ensure_ingest()
        newest = self._newest
        if version is None and newest is not None and read_version(self.folder) == newest.version:
            return newest  # the usual case: one small file read
        manifest = read_manifest(self.folder)
        if version is not None and (manifest is None or version != manifest.version):
            kept = read_manifest(self.folder, version)
            if kept is not None and (manifest is None or kept.seq <= manifest.seq):
                return self._build(kept, newest=False)
        return self._latest(manifest, newest)

    def _latest(self, manifest: Manifest | None, newest: Snapshot[Model] | None) -> Snapshot[Model]:
        """The snapshot of the published manifest (publishing the folder first if none is)."""
        if manifest is None:
            if newest is not None:
                return newest
            self.publish_now()
            manifest = read_manifest(self.folder)
            if manifest is None:
                return Snapshot(version="000000-empty", standings=self.build(()))
        if newest is not None and (
            newest.version == manifest.version or manifest.seq < _seq(newest.version)
        ):
            return newest  # the same, or a file system that shows an older manifest
        return self._build(manifest, newest=True)

    def _build(self, manifest: Manifest, newest: bool) -> Snapshot[Model]:
        with self._lock:
            built = self._built.get(manifest.version)
            if built is None:
                built = self._load(manifest)
                self._built[manifest.version] = built
                for old in sorted(self._built, key=_seq)[:-KEEP_IN_MEMORY]:
                    del self._built[old]
                _release_freed_memory()
            if newest and (self._newest is None or _seq(self._newest.version) < manifest.seq):
                self._newest = built
            return built

    def _load(self, manifest: Manifest) -> Snapshot[Model]:
        accepted = []
        used = set()
        for entry in manifest.files:
            if not entry.blob:
                continue
            key = (entry.name, entry.blob)
            used.add(key)
            ranking = self._parsed.get(key)
            if ranking is None:
                try:
                    ranking = parse_ranking(entry.name, read_blob(self.folder, entry.blob))
                except (OSError, RankingError):
                    continue  # pruned under a slow reader: the next version has it
                self._parsed[key] = ranking
            accepted.append(ranking)
        for built in self._built.values():
            used |= {(f.name, f.blob) for f in built.files if f.blob}
        self._parsed = {k: v for k, v in self._parsed.items() if k in used}
        return Snapshot(
            version=manifest.version,
            standings=self.build(accepted),
            files=manifest.files,
            accepted=tuple(accepted),
            published_at=manifest.published_at,
        )
