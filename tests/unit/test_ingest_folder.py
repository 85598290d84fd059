"""The ingest's judgement of one folder pass, without its thread."""

from __future__ import annotations

import os

from dashboard.data import ingest


class _Vanished:
    """A folder entry whose file is removed between the listing and its stat."""

    name = "2020-09-gone.csv"
    path = "/nowhere/2020-09-gone.csv"

    def is_file(self) -> bool:
        return True

    def stat(self):
        raise FileNotFoundError(self.path)


def test_a_file_removed_between_listing_and_stat_is_left_out(tmp_path, monkeypatch):
    (tmp_path / "2020-01-a.csv").write_text("not judged here\n")
    real_scandir = os.scandir

    class _Listing:
        def __init__(self, path):
            self._inner = real_scandir(path)

        def __enter__(self):
            return [*self._inner, _Vanished()]

        def __exit__(self, *exc):
            self._inner.close()

    monkeypatch.setattr(ingest.os, "scandir", _Listing)
    entries, _wait = ingest.Ingest(tmp_path)._judge_folder({})
    assert [e.name for e in entries] == ["2020-01-a.csv"]
