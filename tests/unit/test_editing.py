"""dashboard.data.editing: exact names, refused names in words, atomic writes, the complete
and paged history, and the removal of a crash's leftovers. No process, no sleep."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from dashboard.data import editing
from dashboard.data.editing import EditRefused

GOOD = b"""# checkpoint: After time trial 101 (unit test)
# stage: 4
# order: 9
position,car_number,driver,co_driver,car,car_year,points,points_behind_leader
1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,90000,
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    rankings = tmp_path / "rankings"
    rankings.mkdir()
    return rankings


def refusal(call, *args) -> EditRefused:
    with pytest.raises(EditRefused) as caught:
        call(*args)
    return caught.value


# ---- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["2020-02-stage1-end.CSV", "my final.csv", "Classifica (1).csv", "città è.csv", "a?b.csv"],
)
def test_listed_names_are_kept_exactly(name):
    assert editing.check_name(name) == name


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../x.csv", "the name contains '/'"),
        ("sub/x.csv", "the name contains '/'"),
        ("..\\x.csv", "the name contains '\\'"),
        ("a..b.csv", "the name contains '..'"),
        ("x\x00.csv", "control character (U+0000)"),
        ("x\n.csv", "control character (U+000A)"),
        (".hidden.csv", "starts with '.'"),
        ("x.txt", "does not end with .csv"),
        ("x.csv.bak", "does not end with .csv"),
        ("", "the file name is empty"),
        ("x" * 300 + ".csv", "too long"),
        (5, "not text"),
        (["x.csv"], "not text"),
        ({"name": "x.csv"}, "not text"),
        (None, "not text"),
        ("\udc80.csv", "not valid text"),
    ],
)
def test_unsafe_names_are_refused_in_words(name, words):
    assert words in str(refusal(editing.check_name, name))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("nasty name?.csv", "the name contains '?'"),
        ('a"b.csv', "the name contains '\"'"),
        ("evil\u202ecsv.csv", "invisible character (U+202E)"),
        (" lead.csv", "starts or ends with a space"),
        ("trail .csv", "starts or ends with a space"),
        ("x" * 120 + ".csv", "at most 100 characters"),
    ],
)
def test_new_names_must_be_portable(folder, name, words):
    assert words in str(refusal(editing.check_new_name, folder, name))
    assert words in str(refusal(editing.save, folder, name, GOOD))
    assert os.listdir(folder) == []


def test_a_name_differing_only_in_case_from_an_existing_file_is_refused_naming_it(folder):
    (folder / "2020-02-stage1-end.csv").write_bytes(GOOD)
    for name in ("2020-02-stage1-end.CSV", "2020-02-STAGE1-END.csv"):
        err = refusal(editing.save, folder, name, GOOD)
        assert err.reason == "name_twin"
        assert err.params == {"existing": "2020-02-stage1-end.csv"}
        assert "2020-02-stage1-end.csv exists already" in str(err)
    assert sorted(os.listdir(folder)) == ["2020-02-stage1-end.csv"]


def test_a_name_in_another_unicode_form_is_a_twin(folder):
    (folder / "citta\u0300.csv").write_bytes(GOOD)  # decomposed, as macOS writes it
    assert refusal(editing.save, folder, "citt\u00e0.csv", GOOD).reason == "name_twin"


# ---- exact files -----------------------------------------------------------------------


def test_delete_removes_exactly_the_listed_file_not_its_case_twin(folder):
    (folder / "2020-02-stage1-end.csv").write_bytes(b"lower\n")
    (folder / "2020-02-stage1-end.CSV").write_bytes(b"upper\n")
    kept = editing.delete(folder, "2020-02-stage1-end.CSV")
    assert sorted(os.listdir(folder)) == [".history", "2020-02-stage1-end.csv"]
    assert (folder / "2020-02-stage1-end.csv").read_bytes() == b"lower\n"
    assert kept.read_bytes() == b"upper\n"
    assert kept.name.startswith("2020-02-stage1-end.CSV.")


def test_a_dropped_file_with_spaces_can_be_deleted_previewed_and_restored(folder):
    (folder / "my final.csv").write_bytes(GOOD)
    assert editing.read(folder, "my final.csv") == GOOD
    kept = editing.delete(folder, "my final.csv")
    assert not (folder / "my final.csv").exists()
    assert [v.name for v in editing.history(folder)] == ["my final.csv"]
    assert editing.restore(folder, kept.name) == "my final.csv"
    assert (folder / "my final.csv").read_bytes() == GOOD


def test_acting_on_a_name_that_is_not_there_is_refused(folder):
    (folder / "x.csv").write_bytes(GOOD)
    assert refusal(editing.delete, folder, "X.csv").reason == "missing"
    assert refusal(editing.read, folder, "X.CSV").reason == "missing"
    assert refusal(editing.delete, folder, "../rankings/x.csv").reason == "name_char"
    assert (folder / "x.csv").exists()


def test_links_and_folders_are_not_acted_on(folder, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes(GOOD)
    (folder / "link.csv").symlink_to(outside)
    (folder / "dir.csv").mkdir()
    assert refusal(editing.read, folder, "link.csv").reason == "missing"
    assert refusal(editing.delete, folder, "dir.csv").reason == "missing"
    assert refusal(editing.save, folder, "link.csv", GOOD).reason == "not_plain"
    assert outside.read_bytes() == GOOD


def test_save_replaces_only_when_asked_and_keeps_the_previous_version(folder):
    assert editing.save(folder, "Final Ranking.CSV", b"one\n") is None
    assert refusal(editing.save, folder, "Final Ranking.CSV", b"two\n").reason == "exists"
    kept = editing.save(folder, "Final Ranking.CSV", b"two", replace=True)
    assert kept.read_bytes() == b"one\n"
    assert (folder / "Final Ranking.CSV").read_bytes() == b"two\n"  # a whole last line


def test_restore_refuses_names_outside_the_history(folder, tmp_path):
    (tmp_path / "x.csv.20200101T000000000000Z").write_bytes(GOOD)
    for kept in ("../x.csv.20200101T000000000000Z", "x.csv.20200101T000000000000Z", 7, None):
        assert refusal(editing.restore, folder, kept).reason in ("no_version", "kept_not_text")
    assert os.listdir(folder) == []


def test_token_of_the_wrong_type_is_wrong():
    assert editing.token_ok("secret", "secret")
    for given in (None, "", 5, ["secret"], {"t": "secret"}, "secre", "\udc80"):
        assert not editing.token_ok(given, "secret")
    assert not editing.token_ok("secret", None)


@pytest.mark.parametrize("contents", [None, 5, ["data:text/csv;base64,eA=="], {}, "no comma"])
def test_upload_contents_of_the_wrong_type_are_refused(contents):
    assert refusal(editing.decode_upload, contents).reason == "upload_empty"


# ---- atomic writes ---------------------------------------------------------------------


def test_writes_fsync_the_file_and_then_the_folder(folder, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(editing.os, "fsync", recording_fsync)
    editing.save(folder, "x.csv", GOOD)
    assert synced == ["file", "folder"]
    synced.clear()
    editing.delete(folder, "x.csv")  # a rename into .history/: both folders made durable
    assert synced == ["folder", "folder"]


def test_a_failed_write_leaves_the_live_file_whole_and_no_temporary_file(folder, monkeypatch):
    (folder / "x.csv").write_bytes(b"old\n")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(editing.os, "replace", failing_replace)
    with pytest.raises(OSError):
        editing.save(folder, "x.csv", b"new\n", replace=True)
    assert (folder / "x.csv").read_bytes() == b"old\n"
    leftovers = [p.name for p in folder.rglob(".upload-*")]
    assert leftovers == []


# ---- leftovers of a crash --------------------------------------------------------------


def _old(path: Path, age_s: float = 3600) -> Path:
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_remove_leftovers_removes_old_temporary_files_only(folder):
    history = folder / editing.HISTORY_DIR
    history.mkdir()
    leftovers = [
        folder / ".upload-abc123.tmp",
        history / ".upload-def456.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half a fi")
        _old(path)
    kept = [
        folder / "x.csv",
        folder / ".upload-notes.txt",  # not one of ours
        history / "x.csv.20200101T000000000000Z",
        folder / ".tmp-xyz",  # not one of ours either
    ]
    for path in kept:
        path.write_bytes(GOOD)
        _old(path)
    young = folder / ".upload-inflight.tmp"  # another worker may be writing it now
    young.write_bytes(b"in progress")
    (folder / ".upload-dir.tmp").mkdir()  # not a file
    _old(folder / ".upload-dir.tmp")

    removed = editing.remove_leftovers(folder)

    assert sorted(removed) == sorted(leftovers)
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in kept)
    assert young.exists() and (folder / ".upload-dir.tmp").is_dir()
    assert editing.remove_leftovers(folder, min_age_s=0) == [young]
    assert editing.remove_leftovers(folder) == []


def test_remove_leftovers_of_a_missing_folder_is_nothing(tmp_path):
    assert editing.remove_leftovers(tmp_path / "nowhere") == []


def test_a_crash_between_write_and_rename_is_cleared_at_the_next_start(folder, monkeypatch):
    (folder / "x.csv").write_bytes(b"old\n")

    def killed(src, dst):  # what kill -9 leaves: the temporary file, never a partial live one
        raise SystemExit("killed")

    monkeypatch.setattr(editing.os, "replace", killed)
    monkeypatch.setattr(editing.Path, "unlink", lambda self, missing_ok=False: None)
    with pytest.raises(SystemExit):
        editing.save(folder, "x.csv", b"new\n", replace=True)
    monkeypatch.undo()
    assert (folder / "x.csv").read_bytes() == b"old\n"
    assert list(folder.rglob(".upload-*.tmp"))  # here the copy into .history/ was cut
    assert editing.remove_leftovers(folder, min_age_s=0)
    assert not list(folder.rglob(".upload-*.tmp"))


# ---- the history, complete and paged ---------------------------------------------------


def _kept(folder: Path, count: int, name: str = "x.csv") -> list[str]:
    history = folder / editing.HISTORY_DIR
    history.mkdir(exist_ok=True)
    names = []
    for i in range(count):
        kept = f"{name}.2020{(i // 28) + 1:02d}{(i % 28) + 1:02d}T120000000000Z"
        (history / kept).write_bytes(b"v%d\n" % i)
        names.append(kept)
    return names


def test_history_lists_every_kept_version_whatever_the_case_of_csv(folder):
    names = _kept(folder, 45) + _kept(folder, 2, "UPPER.CSV") + _kept(folder, 1, "my final.csv")
    (folder / editing.HISTORY_DIR / ".upload-x.tmp").write_bytes(b"")
    (folder / editing.HISTORY_DIR / "notes.txt").write_bytes(b"")
    versions = editing.history(folder)
    assert sorted(v.path.name for v in versions) == sorted(names)
    assert [v.kept_at for v in versions] == sorted((v.kept_at for v in versions), reverse=True)
    assert {v.name for v in versions} == {"x.csv", "UPPER.CSV", "my final.csv"}
    assert len(editing.history(folder, "UPPER.CSV")) == 2


def test_history_pages_of_twenty(folder):
    _kept(folder, 45)
    everything = editing.history(folder)
    pages = [editing.history_page(folder, n) for n in range(3)]
    assert [len(p.versions) for p in pages] == [20, 20, 5]
    assert [v for p in pages for v in p.versions] == everything  # nothing lost or repeated
    assert [(p.page, p.pages, p.total, p.first) for p in pages] == [
        (0, 3, 45, 1),
        (1, 3, 45, 21),
        (2, 3, 45, 41),
    ]
    assert (pages[0].has_previous, pages[0].has_next) == (False, True)
    assert (pages[1].has_previous, pages[1].has_next) == (True, True)
    assert (pages[2].has_previous, pages[2].has_next) == (True, False)


@pytest.mark.parametrize(("asked", "shown"), [(-1, 0), (99, 2), ("1", 0), (None, 0), (True, 0)])
def test_a_page_out_of_range_or_of_the_wrong_type_gives_the_nearest(folder, asked, shown):
    _kept(folder, 45)
    assert editing.history_page(folder, asked).page == shown


def test_an_empty_history_is_one_empty_page(folder):
    page = editing.history_page(folder, 3)
    assert (page.versions, page.page, page.pages, page.total, page.first) == ((), 0, 1, 0, 0)
    assert not page.has_previous and not page.has_next


def test_two_versions_kept_in_the_same_microsecond_are_both_kept(folder, monkeypatch):
    from datetime import UTC, datetime

    fixed = datetime(2020, 6, 1, 12, 0, tzinfo=UTC)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return fixed

    monkeypatch.setattr(editing, "datetime", Frozen)
    editing.save(folder, "x.csv", b"one\n")
    editing.save(folder, "x.csv", b"two\n", replace=True)
    editing.save(folder, "x.csv", b"three\n", replace=True)
    monkeypatch.undo()
    kept = sorted(p.read_bytes() for p in (folder / editing.HISTORY_DIR).iterdir())
    assert kept == [b"one\n", b"two\n"]
