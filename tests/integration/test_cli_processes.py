"""The real commands as processes: `python -m dashboard validate` and the installed `miglia`
(the same command called in this process: tests/unit/test_cli.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.unit.test_cli import BROKEN, GOOD


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("good", GOOD), ("broken", BROKEN)):
        paths[name] = tmp_path / f"2020-02-{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.mark.parametrize("entry", ["python -m dashboard", "miglia"])
def test_the_console_entries_run_validate(files, entry):
    if entry == "miglia":
        script = Path(sys.executable).parent / "miglia"  # the installed console script
        if not script.exists():
            pytest.skip("the package is not installed in this environment (pip install -e .)")
        command = [str(script)]
    else:
        command = [sys.executable, "-m", "dashboard"]
    result = subprocess.run(
        [*command, "validate", str(files["good"]), str(files["broken"])],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert f"{files['broken']}:6:points: expected a whole number" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 files, 1 ok, 0 with warnings, 1 refused"


def test_hostile_files_never_print_a_traceback(tmp_path):
    """The real command, on files that used to crash it: only the located lines."""
    paths = []
    for index, raw in enumerate(
        [
            GOOD.replace("13779", "9" * 30).encode(),
            GOOD.replace("# order: 2", "# order: " + "1" * 40).encode(),
            GOOD.encode() + b"3,7" + b",x" * 10_000 + b"\n",
            b"\x00\xff" * 100,
            b"",
        ]
    ):
        paths.append(tmp_path / f"2020-02-hostile-{index}.csv")
        paths[-1].write_bytes(raw)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "validate", *map(str, paths), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == f"{paths[0]}:5:points: expected a number 0..10,000,000, found '{'9' * 30}'"
    assert lines[1].startswith(f"{paths[1]}:-:order: expected a number 1..10,000, found '1111")
    assert (
        lines[2]
        == f"{paths[2]}:7:-: too many cells: expected at most 50 cells, found '10,002 cells'"
    )
    assert lines[-1] == "6 files, 0 ok, 0 with warnings, 6 refused"
