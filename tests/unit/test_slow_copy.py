"""A ranking file still being copied is never taken half-written; a broken new version of a
file leaves its last good rows on screen.

The copy is a real writer thread appending a 300-row file in chunks cut in the middle of
rows, while the main thread polls store.snapshot() as the app does.
"""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from dashboard.data import store as store_module
from dashboard.data.store import FileStatus, RankingStore, Snapshot

NAME = "2020-02-stage1-end.csv"
CHECKPOINT = "2020-02-stage1-end"
ROWS = 300
HEADER = "position,car_number,driver,co_driver,car,car_year,points"


def ranking(rows: int = ROWS) -> bytes:
    lines = ["# checkpoint: End of stage 1", "# stage: 1", "# order: 2", HEADER]
    for position in range(1, rows + 1):
        lines.append(
            f"{position},{position + 100},Driver{position} Rossi,Navigator{position} Bianchi,"
            f"Alfa Romeo 6C 1750 SS Zagato,1929,{60000 - 7 * position}"
        )
    return ("\n".join(lines) + "\n").encode()


def cuts_mid_row(data: bytes, chunks: int, rng: random.Random) -> list[int]:
    """chunks - 1 offsets, each in the middle of a row of the body, never at a line end.
    Every other one is inside the points, the last cell: the file read there would parse,
    as a ranking with fewer rows and a wrong last figure."""
    body = data.index(HEADER.encode()) + len(HEADER) + 1
    cuts = []
    for k in range(1, chunks):
        cut = body + (len(data) - body) * k // chunks + rng.randint(-15, 15)
        if k % 2:
            cut = data.index(b"\n", cut) - rng.randint(1, 4)  # 59993 -> 5, 59, 599 or 5999
        while data[cut - 1 : cut] == b"\n" or data[cut : cut + 1] == b"\n":
            cut += 1
        cuts.append(cut)
    return cuts


def rows_shown(store: RankingStore, snapshot: Snapshot | None = None) -> int:
    return len((snapshot or store.snapshot()).standings.at(CHECKPOINT))


def status_of(store: RankingStore, snapshot: Snapshot | None = None) -> FileStatus | None:
    return {f.name: f for f in (snapshot or store.snapshot()).files}.get(NAME)


def set_age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


@pytest.mark.parametrize(
    "stable_after_s",
    [
        # so short that only the line-end rule stands between the poller and a half file
        0.05,
        # the real setting: the quiet period and the line-end rule together
        store_module.STABLE_AFTER_S,
    ],
)
def test_a_file_being_copied_is_taken_whole_or_not_at_all(tmp_path, monkeypatch, stable_after_s):
    monkeypatch.setattr(store_module, "STABLE_AFTER_S", stable_after_s)
    folder = tmp_path / "rankings"
    folder.mkdir()
    store = RankingStore(folder)
    data = ranking()
    rng = random.Random(1000)
    cuts = cuts_mid_row(data, 20, rng)
    pauses = [rng.uniform(0.1, 0.2) for _ in cuts]
    done = threading.Event()
    failure: list[BaseException] = []

    def copy() -> None:
        try:
            with open(folder / NAME, "wb") as handle:
                start = 0
                for cut, pause in zip([*cuts, len(data)], [*pauses, 0.0], strict=True):
                    handle.write(data[start:cut])
                    handle.flush()
                    start = cut
                    time.sleep(pause)
        except BaseException as err:  # reported by the main thread
            failure.append(err)
        finally:
            done.set()

    writer = threading.Thread(target=copy, daemon=True)
    seen: list[int] = []
    statuses: list[str] = []
    writer.start()
    deadline = None
    while True:
        snapshot = store.snapshot()
        seen.append(rows_shown(store, snapshot))
        status = status_of(store, snapshot)
        statuses.append(status.status if status else "absent")
        if done.is_set():
            deadline = deadline or time.monotonic() + stable_after_s + 2.0
            if seen[-1] == ROWS or time.monotonic() > deadline:
                break
        time.sleep(0.05)
    writer.join(5)
    assert not failure, failure
    assert set(seen) <= {0, ROWS}, sorted(set(seen))  # never a partial ranking
    assert len(seen) > len(cuts)  # the copy was watched all along
    assert seen[-1] == ROWS
    assert "waiting" in statuses
    assert "refused" not in statuses  # a half file is not even tried
    assert statuses[-1] == "loaded"
    assert (folder / ".accepted" / NAME).read_bytes() == data


def test_a_broken_new_version_keeps_the_last_good_rows(tmp_path):
    folder = tmp_path / "rankings"
    folder.mkdir()
    path = folder / NAME
    path.write_bytes(ranking())
    set_age(path, 60)
    store = RankingStore(folder)
    assert rows_shown(store) == ROWS
    assert status_of(store).status == "loaded"

    # replaced by a version with a decimal in row 10's points (line 14 of the file)
    path.write_bytes(ranking().replace(b",59930\n", b',"59930,5"\n'))
    set_age(path, 30)
    assert rows_shown(store) == ROWS
    status = status_of(store)
    assert status.status == "refused" and status.using_last_good
    assert (status.error["row"], status.error["column"]) == (14, "points")

    # a fresh process (a restart) falls back on rankings/.accepted/ the same way
    restarted = RankingStore(folder)
    assert rows_shown(restarted) == ROWS
    assert status_of(restarted).using_last_good

    # and a half-copied new version, stalled for longer than STABLE_AFTER_S, waits with the
    # good rows still shown
    path.write_bytes(ranking()[:5000])
    set_age(path, 5)
    assert rows_shown(store) == ROWS
    status = status_of(store)
    assert status.status == "waiting" and status.using_last_good


def test_a_file_without_a_final_newline_is_read_after_the_grace_period(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "STABLE_AFTER_S", 0.05)
    monkeypatch.setattr(store_module, "INCOMPLETE_GRACE_S", 0.5)
    folder = tmp_path / "rankings"
    folder.mkdir()
    store = RankingStore(folder)
    path = folder / NAME
    path.write_bytes(ranking(3).rstrip(b"\n"))  # a legal file, saved without a final newline
    time.sleep(0.1)
    assert status_of(store).status == "waiting"
    assert rows_shown(store) == 0
    time.sleep(0.5)
    assert status_of(store).status == "loaded"
    assert rows_shown(store) == 3
    # an old file without a final newline is read at once; so is one ending in CRLF or CR
    set_age(path, 60)
    other = RankingStore(folder)
    assert status_of(other).status == "loaded"
    for ending in (b"\r\n", b"\r"):
        path.write_bytes(ranking(3).rstrip(b"\n") + ending)
        set_age(path, 1)
        assert status_of(store).status == "loaded"
