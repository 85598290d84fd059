"""The ingest (dashboard/data/ingest.py) and the store that reads what it publishes
(dashboard/data/store.py), on real files in a temporary folder, with its watching thread."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.data import ingest as ingest_module
from dashboard.data.ingest import Ingest, read_manifest, read_version
from dashboard.data.store import RankingStore
from dashboard.race import build_standings
from tests.conftest import wait_until

HEADER = "position,car_number,driver,co_driver,car,car_year,points"


def ranking(label: str, order: int, rows: int = 3, *, stage: int = 1, points=None) -> bytes:
    lines = [f"# checkpoint: {label}", f"# stage: {stage}", f"# order: {order}", HEADER]
    for i in range(1, rows + 1):
        value = points if points is not None and i == 2 else 30000 - i * 7
        lines.append(f"{i},{i},Driver {i},Co {i},Alfa Romeo 6C,1929,{value}")
    return ("\n".join(lines) + "\n").encode()


GOOD = ranking("End of stage 1", 1)
GOOD_2 = ranking("End of stage 1", 1, rows=4)
BROKEN = ranking("End of stage 1", 1, points='"12,5"')


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "rankings"
    target.mkdir()
    return target


@pytest.fixture
def store(folder: Path):
    running = RankingStore(folder, build=build_standings)
    yield running
    running.stop()


def status(store: RankingStore, name: str):
    return next((f for f in store.snapshot().files if f.name == name), None)


def one_whole_scan(store: RankingStore) -> None:
    """Wait until the store's ingest has judged the folder once more from start to end (a
    pass begun after this call has ended): what a scan would publish, it has published."""
    ingest = wait_until(lambda: store._ingest, what="the ingest thread")
    begun = ingest._passes  # counted as each pass begins
    wait_until(lambda: ingest._passes >= begun + 2, what="a whole scan of the folder")


def settled(store: RankingStore, name: str):
    """The file's published status once the ingest has judged it (not waiting)."""
    return wait_until(
        lambda: (s := status(store, name)) is not None and s.status != "waiting" and s,
        what=f"{name} judged",
    )


def test_files_are_judged_and_published_with_a_forward_only_content_version(folder, store):
    (folder / "2020-01-a.csv").write_bytes(GOOD)
    (folder / "notes.txt").write_text("not a ranking")
    for temporary in ("b.csv.tmp", "c.part", ".~lock.d.csv#", "~$e.csv", ".f.csv"):
        (folder / temporary).write_bytes(GOOD)
    first = store.snapshot()
    assert [(f.name, f.status) for f in first.files] == [
        ("2020-01-a.csv", "accepted"),
        ("notes.txt", "ignored"),
    ]
    assert first.files[0].rows == 3 and first.files[0].checkpoint == "2020-01-a"
    assert list(first.standings.checkpoints["checkpoint_id"]) == ["2020-01-a"]
    assert first.version == read_version(folder) == read_manifest(folder).version
    # a new file: a new, higher version; the same content again gives no new version
    (folder / "2020-02-b.csv").write_bytes(ranking("End of stage 2", 2, stage=2))
    second = wait_until(lambda: store.snapshot() if len(store.snapshot().accepted) == 2 else None)
    assert int(second.version[:6]) > int(first.version[:6])
    assert store.snapshot(first.version).version == first.version  # a view's own version
    assert len(store.snapshot(first.version).accepted) == 1
    seen = read_version(folder)
    one_whole_scan(store)  # nothing changed, so nothing is published
    assert read_version(folder) == seen


def test_a_refused_file_keeps_its_last_good_version_and_a_new_one_changes_nothing(folder, store):
    (folder / "2020-01-a.csv").write_bytes(GOOD)
    good = store.snapshot()
    (folder / "2020-01-a.csv").write_bytes(BROKEN)
    refused = wait_until(lambda: (s := status(store, "2020-01-a.csv")).status == "refused" and s)
    assert refused.using_last_good
    assert refused.error["row"] == 6 and refused.error["column"] == "points"
    assert "12,5" in refused.error["message"]
    snapshot = store.snapshot()
    assert snapshot.standings.table.equals(good.standings.table)  # the last good stays
    # a new refused file is shown refused, and nothing else changes
    (folder / "2020-02-new.csv").write_bytes(b"\x00\x01 not a ranking")
    new = settled(store, "2020-02-new.csv")
    assert new.status == "refused" and not new.using_last_good and new.blob is None
    assert store.snapshot().standings.table.equals(good.standings.table)
    # fixed: the new bytes are shown
    (folder / "2020-01-a.csv").write_bytes(GOOD_2)
    wait_until(lambda: status(store, "2020-01-a.csv").rows == 4, what="the fixed file")
    # a restart (a new store, a new ingest) still falls back on the last good version
    (folder / "2020-01-a.csv").write_bytes(BROKEN)
    wait_until(lambda: status(store, "2020-01-a.csv").status == "refused")
    store.stop()
    again = RankingStore(folder, build=build_standings)
    try:
        restarted = again.snapshot()
        entry = next(f for f in restarted.files if f.name == "2020-01-a.csv")
        assert entry.status == "refused" and entry.using_last_good and entry.rows == 4
        assert len(restarted.accepted) == 1 and len(restarted.accepted[0].rows) == 4
    finally:
        again.stop()


def test_a_second_file_giving_the_same_checkpoint_is_refused_naming_the_first(folder, store):
    (folder / "X.csv").write_bytes(GOOD)
    store.snapshot()
    (folder / "X.CSV").write_bytes(ranking("End of stage 1 again", 3))
    second = settled(store, "X.CSV")
    assert second.status == "refused"
    assert "X.csv" in second.error["message"] and "checkpoint" in second.error["message"]
    assert status(store, "X.csv").status == "accepted"
    assert len(store.snapshot().standings.checkpoints) == 1


def test_a_file_held_open_by_its_writer_is_never_read_until_closed(folder, store):
    store.snapshot()
    whole = ranking("After time trial 9", 2, rows=300)
    path = folder / "2020-02-slow.csv"
    with open(path, "wb") as writer:
        for start in range(0, len(whole) - 100, len(whole) // 5):
            writer.write(whole[start : start + len(whole) // 5])
            writer.flush()
            # untouched for longer than the settle time, as far as the clock can tell: only
            # the writer's open handle says "not yet"
            long_ago = time.time() - 2 * ingest_module.SETTLE_S
            os.utime(path, (long_ago, long_ago))
            one_whole_scan(store)
            entry = status(store, "2020-02-slow.csv")
            assert entry is None or entry.status == "waiting", entry
        writer.write(whole[start + len(whole) // 5 :])
    done = wait_until(lambda: (s := status(store, "2020-02-slow.csv")).status != "waiting" and s)
    assert done.status == "accepted" and done.rows == 300


def test_a_file_written_to_a_temporary_name_then_renamed_is_read_once_whole(
    folder, store, monkeypatch
):
    store.snapshot()
    reads = []
    real_parse = ingest_module.parse_ranking
    monkeypatch.setattr(
        ingest_module,
        "parse_ranking",
        lambda name, raw: reads.append(name) or real_parse(name, raw),
    )
    whole = ranking("After time trial 9", 2, rows=500)
    with open(folder / "2020-02-b.csv.tmp", "wb") as writer:
        for start in range(0, len(whole), 997):
            writer.write(whole[start : start + 997])
            writer.flush()
    os.replace(folder / "2020-02-b.csv.tmp", folder / "2020-02-b.csv")
    done = settled(store, "2020-02-b.csv")
    assert done.status == "accepted" and done.rows == 500
    one_whole_scan(store)
    assert reads == ["2020-02-b.csv"]


def test_exactly_one_ingest_holds_a_folder_and_a_second_one_waits(folder):
    first, second = Ingest(folder), Ingest(folder)
    assert first.acquire()
    assert not second.acquire()
    # another process holding the lock makes this one wait too
    first.release()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from dashboard.data.ingest import Ingest;"
            f"i = Ingest({str(folder)!r}); assert i.acquire(); print('held', flush=True);"
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not second.acquire()
        assert not second.acquire(blocking=True, timeout=0.3)
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert second.acquire(blocking=True, timeout=5)
    second.release()


def test_leftover_temporary_files_are_removed_at_start(folder):
    (folder / ".history").mkdir()
    leftovers = [folder / ".upload-abc.tmp", folder / ".history" / ".upload-x.tmp"]
    for path in leftovers:
        path.write_bytes(b"half")
        os.utime(path, (time.time() - 60, time.time() - 60))  # from a crash a minute ago
    (folder / "2020-01-a.csv").write_bytes(GOOD)
    store = RankingStore(folder, build=build_standings)
    try:
        store.snapshot()
    finally:
        store.stop()
    assert not any(path.exists() for path in leftovers)
    assert (folder / "2020-01-a.csv").read_bytes() == GOOD


def test_the_manifest_names_every_accepted_byte_by_its_hash(folder, store):
    (folder / "2020-01-a.csv").write_bytes(GOOD)
    store.snapshot()
    manifest = json.loads((folder / ".ingest" / "current.json").read_text())
    (entry,) = manifest["files"]
    blob = folder / ".ingest" / "blobs" / entry["blob"]
    assert blob.read_bytes() == GOOD
    assert manifest["schema"] == 1 and manifest["version"].startswith("000001-")


def test_a_first_start_parses_each_file_once(folder, monkeypatch):
    """The start-up publish parses every file to judge it; the snapshot built next takes
    those parses instead of reading and parsing the whole event a second time."""
    import dashboard.data.store as store_module

    for order in range(1, 4):
        (folder / f"2020-0{order}-r.csv").write_bytes(ranking(f"Ranking {order}", order))
    parsed = []

    def counting(name, raw, real=ingest_module.parse_ranking):
        parsed.append(name)
        return real(name, raw)

    monkeypatch.setattr(ingest_module, "parse_ranking", counting)
    monkeypatch.setattr(store_module, "parse_ranking", counting)
    started = RankingStore(folder, build=build_standings, run_ingest=False)
    snapshot = started.load()
    assert len(snapshot.accepted) == 3
    assert sorted(parsed) == ["2020-01-r.csv", "2020-02-r.csv", "2020-03-r.csv"]
    # a file changed later and published the same way: parsed once too
    (folder / "2020-02-r.csv").write_bytes(ranking("Ranking 2", 2, rows=4))
    parsed.clear()
    started.publish_now()
    assert started.snapshot().standings.table.shape[0] == 10
    assert parsed.count("2020-02-r.csv") == 1
