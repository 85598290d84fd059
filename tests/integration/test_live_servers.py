"""The live-data path through real servers on 127.0.0.1: gunicorn with two workers polled ten
times a second while files come and go; slow copies that keep the file open; a kill -9 in
the middle of editor replaces."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard.data.ingest import SETTLE_S, read_manifest
from dashboard.data.store import RankingStore
from dashboard.race import build_standings
from tests.conftest import REPO, wait_until
from tests.integration.servers import Server
from tests.integration.test_ingest import ranking

BAD = ranking("End of stage 9", 90, points='"12,5"')


@pytest.fixture
def gunicorn(data_dir: Path):
    server = Server(data_dir, workers=2)
    server.wait_ready()
    yield server
    server.stop()


def test_fresh_workers_serve_every_script_to_requests_arriving_together(data_dir: Path):
    # the first requests of a worker come at once (a browser asks for ten scripts): none may
    # find Dash half set up (it answered 500, and the fan's page stayed empty)
    gunicorn = Server(data_dir, workers=4)
    gunicorn.wait_ready()
    page = gunicorn.get("/").decode()
    scripts = re.findall(r'src="(/_dash-component-suites/[^"]+)"', page)
    assert len(scripts) >= 5
    asked = scripts * 3
    together = threading.Barrier(len(asked))

    def fetch(path: str) -> int:
        together.wait(10)
        return gunicorn.status_code(path)

    try:
        with concurrent.futures.ThreadPoolExecutor(len(asked)) as pool:
            codes = list(pool.map(fetch, asked))
    finally:
        gunicorn.stop()
    assert codes == [200] * len(codes), sorted(zip(codes, asked, strict=True))[:3]


def test_two_workers_serve_one_forward_only_version_and_one_snapshot_per_version(
    gunicorn: Server, data_dir: Path
):
    rankings = data_dir / "rankings"
    answers: list[tuple[str, str]] = []  # (version, the status document without its version)
    stop = threading.Event()
    errors: list[str] = []

    def poll():
        while not stop.is_set():
            try:
                document = gunicorn.status()
                version = gunicorn.get("/_miglia/data-version").decode().strip()
            except Exception as err:  # noqa: BLE001 - recorded, then asserted on
                errors.append(repr(err))
                continue
            answers.append((document["version"], json.dumps(document, sort_keys=True)))
            answers.append((version, ""))
            stop.wait(0.1)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        steps = [
            lambda: (rankings / "2020-08-extra.csv").write_bytes(ranking("Extra", 80, rows=5)),
            lambda: (rankings / "2020-08-extra.csv").write_bytes(ranking("Extra", 80, rows=7)),
            lambda: (rankings / "2020-09-bad.csv").write_bytes(BAD),
            lambda: (rankings / "2020-07-final.csv").write_bytes(BAD),
            lambda: (rankings / "2020-08-extra.csv").unlink(),
            lambda: (rankings / "2020-09-bad.csv").unlink(),
        ]
        for step in steps:
            before = read_manifest(rankings).seq
            step()
            published = wait_until(
                lambda b=before: (seq := read_manifest(rankings).seq) > b and seq,
                what="a publication",
            )
            wait_until(  # the poller sees each version
                lambda p=published: any(int(v.split("-", 1)[0]) >= p for v, _ in answers),
                what=f"version {published} served",
            )
    finally:
        stop.set()
        poller.join(10)
    assert not errors, errors[:3]
    versions = [v for v, _ in answers]
    seqs = [int(v.split("-", 1)[0]) for v in versions]
    assert seqs == sorted(seqs), "a version went backwards"
    assert seqs[-1] - seqs[0] >= len(steps)
    documents: dict[str, set[str]] = {}
    for version, document in answers:
        if document:
            documents.setdefault(version, set()).add(document)
    assert all(len(d) == 1 for d in documents.values()), "one version, two snapshots"
    final = gunicorn.status()
    refused = {f["name"]: f for f in final["files"] if f["status"] == "refused"}
    assert refused["2020-07-final.csv"]["using_last_good"]
    assert refused["2020-07-final.csv"]["error"]["column"] == "points"


def chunks(whole: bytes) -> list[bytes]:
    """A copy in 5 chunks, cut at line ends and mid-row."""
    lines = whole.split(b"\n")
    cuts = [len(b"\n".join(lines[: len(lines) * k // 5])) + 1 for k in (1, 2)]
    cuts += [len(whole) * 3 // 5 + 7, len(whole) * 4 // 5 + 3]  # mid-row
    return [whole[start:end] for start, end in zip([0, *cuts], [*cuts, len(whole)], strict=True)]


def test_slow_copies_never_show_a_partial_ranking(data_dir: Path):
    server = Server(data_dir)
    server.wait_ready()
    rankings = data_dir / "rankings"
    copies = 20
    seen_partial: list[dict] = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            for entry in server.status()["files"]:
                slow = entry["name"].startswith("2020-5") and entry["status"] == "accepted"
                if slow and entry["rows"] != 3000:
                    seen_partial.append(entry)
            stop.wait(0.1)

    def all_judged_waiting(written: dict[str, int]) -> bool:
        """The server's ingest has looked at every copy as it is now, and is still waiting."""
        entries = {f.name: f for f in read_manifest(rankings).files}
        return all(
            name in entries and entries[name].status == "waiting" and entries[name].size == size
            for name, size in written.items()
        )

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        pieces = {
            f"2020-5{i:02d}-slow.csv": chunks(
                ranking(f"Slow copy {i}", 500 + i, rows=3000, stage=4)
            )
            for i in range(copies)
        }
        written = dict.fromkeys(pieces, 0)
        with contextlib.ExitStack() as stack:  # every copy open at once until it is whole
            writers = {name: stack.enter_context(open(rankings / name, "wb")) for name in pieces}
            for step in range(5):
                for name, writer in writers.items():
                    writer.write(pieces[name][step])
                    writer.flush()
                    written[name] += len(pieces[name][step])
                    # slower than the settle time, as far as the clock can tell: only the
                    # open handle says the copy is not done
                    long_ago = time.time() - 2 * SETTLE_S
                    os.utime(rankings / name, (long_ago, long_ago))
                if step < 4:  # each partial copy is seen, and left waiting, before the next
                    wait_until(
                        lambda: all_judged_waiting(written),
                        timeout=30,
                        what=f"every copy judged after chunk {step + 1}",
                    )

        def all_whole():
            files = [f for f in server.status()["files"] if f["name"].startswith("2020-5")]
            return len(files) == copies and all(
                f["status"] == "accepted" and f["rows"] == 3000 for f in files
            )

        wait_until(all_whole, timeout=60, what="every copy accepted whole")
    finally:
        stop.set()
        watcher.join(10)
        server.stop()
    assert not seen_partial, seen_partial[:2]


REPLACER = """
import sys, time
from pathlib import Path
from dashboard.app import create_app
from dashboard.config import Config
from dashboard.data import editing
from tests.integration.test_ingest import ranking
app = create_app(Config(data_dir=Path(sys.argv[1])))
client = app.server.test_client()
client.get("/api/status")  # starts this process's ingest
print("ready", flush=True)
for i in range(100):
    editing.save(Path(sys.argv[1]) / "rankings", "2020-08-replaced.csv",
                 ranking(f"Replaced {i}", 80, rows=200 + i), replace=True)
    print(i, flush=True)
    client.get("/api/status")
"""


def test_kill_9_during_editor_replaces_loses_nothing_accepted(data_dir: Path):
    rankings = data_dir / "rankings"
    process = subprocess.Popen(
        [sys.executable, "-c", REPLACER, str(data_dir)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout.readline().strip() == "ready"
    kill_after = random.Random(13).randrange(20, 80)
    for line in process.stdout:
        if int(line) >= kill_after:
            break
    process.kill()  # SIGKILL: no clean-up of any kind
    process.wait(10)
    # the live file is whole: one of the versions written, complete
    live = (rankings / "2020-08-replaced.csv").read_bytes()
    assert any(live == ranking(f"Replaced {i}", 80, rows=200 + i) for i in range(100))
    # every replaced version was kept whole in the history
    kept = sorted((rankings / ".history").glob("2020-08-replaced.csv.*"))
    assert len(kept) >= kill_after
    texts = {p.read_bytes() for p in kept}
    assert all(
        any(t == ranking(f"Replaced {i}", 80, rows=200 + i) for i in range(100)) for t in texts
    )
    # what the ingest had accepted is still named and kept
    before = read_manifest(rankings)
    for entry in before.files:
        if entry.blob:
            assert (rankings / ".ingest" / "blobs" / entry.blob).is_file()
    # a restart: the lock is free, no temporary file is left, the live file is accepted
    store = RankingStore(rankings, build=build_standings)
    try:
        snapshot = store.load()
        entry = next(f for f in snapshot.files if f.name == "2020-08-replaced.csv")
        assert entry.status == "accepted"
        assert entry.rows == live.count(b"\n") - 4

        def leftovers():
            places = (rankings, rankings / ".history", rankings / ".ingest")
            return [p for place in places for p in place.iterdir() if p.name.endswith(".tmp")]

        store.snapshot()  # this process's ingest runs, and clears what the crash left
        wait_until(lambda: not leftovers(), timeout=30, what="no temporary file left")
    finally:
        store.stop()
