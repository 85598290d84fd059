"""The command line: `miglia validate FILE... [--json]`, and the server options unchanged;
called in this process (the real commands, as processes: tests/integration/test_cli_processes.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import __main__ as cli
from dashboard.config import DEFAULT_DATA_DIR
from dashboard.validate import validate_files

HEADER = "position,car_number,driver,co_driver,car,car_year,points,points_behind_leader"
GOOD = (
    "# checkpoint: End of stage 1\n# stage: 1\n# order: 2\n"
    f"{HEADER}\n"
    "1,46,Andrea Vesco,Roberto Vesco,Alfa Romeo 6C 1750 SS Zagato,1929,13779,\n"
    "2,28,Gianmario Fontanella,Anna Maria Covelli,Lancia Lambda,1927,,39\n"
)
# the points of the second crew (line 6) have a decimal
BROKEN = GOOD.replace(",,39", ',"12,5",')
WITH_WARNING = GOOD.replace(HEADER, HEADER + ",remarks").replace(",39\n", ",39,x\n")
SHIPPED = sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("good", GOOD), ("broken", BROKEN), ("warning", WITH_WARNING)):
        paths[name] = tmp_path / f"2020-02-{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def test_a_good_file_passes(capsys, files):
    code, out = run(capsys, "validate", str(files["good"]))
    assert code == 0
    assert out == [
        f"{files['good']}: ok, 2 rows, stage 1, order 2, checkpoint 'End of stage 1'",
        "1 file, 1 ok, 0 with warnings, 0 refused",
    ]


def test_a_broken_file_is_refused_with_file_row_column_and_message(capsys, files):
    code, out = run(capsys, "validate", str(files["good"]), str(files["broken"]))
    assert code == 1
    assert f"{files['broken']}:6:points: expected a whole number, found '12,5'" in out
    assert out[-1] == "2 files, 1 ok, 0 with warnings, 1 refused"


def test_unknown_row_and_column_are_dashes(capsys, tmp_path):
    path = tmp_path / "no-stage.csv"
    path.write_text(GOOD.replace("# stage: 1\n", ""), encoding="utf-8")
    code, out = run(capsys, "validate", str(path))
    assert code == 1
    assert out[0] == (
        f"{path}:-:-: missing metadata line '# stage: …': "
        "expected a '# stage:' line before the header, found 'none'"
    )


def test_warnings_are_printed_separately_and_do_not_refuse(capsys, files):
    code, out = run(capsys, "validate", str(files["warning"]))
    assert code == 0
    assert out[0] == f"warning: {files['warning']}: columns ignored: remarks"
    assert out[-1] == "1 file, 0 ok, 1 with warnings, 0 refused"


def test_a_name_the_app_would_ignore_is_a_warning(capsys, tmp_path):
    paths = [tmp_path / "ranking.txt", tmp_path / ".hidden.csv", tmp_path / "LOUD.CSV"]
    for path in paths:
        path.write_text(GOOD, encoding="utf-8")
    code, out = run(capsys, "validate", *map(str, paths))
    assert code == 0
    ignored = "the app ignores this file: the name must end in .csv and not start with a dot"
    assert out[0] == f"warning: {paths[0]}: {ignored}"
    assert out[2] == f"warning: {paths[1]}: {ignored}"
    assert out[-1] == "3 files, 1 ok, 2 with warnings, 0 refused"


def test_json_output(capsys, files):
    paths = [str(files["good"]), str(files["broken"]), str(files["warning"])]
    code, out = run(capsys, "validate", *paths, "--json")
    assert code == 1
    results = json.loads("\n".join(out))
    assert results == validate_files(paths)
    good, broken, warning = results
    assert good == {
        "file": paths[0],
        "status": "ok",
        "errors": [],
        "warnings": [],
        "rows": 2,
        "checkpoint": "End of stage 1",
        "stage": 1,
        "order": 2,
    }
    assert broken["status"] == "refused" and broken["rows"] == 0
    (error,) = broken["errors"]
    assert error["file"] == "2020-02-broken.csv"  # the name the app would know it by
    assert (error["row"], error["column"]) == (6, "points")
    assert (error["expected"], error["found"]) == ("a whole number", "12,5")
    assert error["message"] == (
        "2020-02-broken.csv, row 6, column points: expected a whole number, found '12,5'"
    )
    assert warning["status"] == "warnings"
    assert warning["warnings"] == ["columns ignored: remarks"]


def test_a_missing_file_counts_as_refused(capsys, files, tmp_path):
    missing = tmp_path / "nowhere.csv"
    code, out = run(capsys, "validate", str(files["good"]), str(missing))
    assert code == 1
    assert out[-2] == (
        f"{missing}:-:-: no such file: expected a readable file, found 'No such file or directory'"
    )
    assert out[-1] == "2 files, 1 ok, 0 with warnings, 1 refused"
    code, out = run(capsys, "validate", "--json", str(missing))
    assert code == 1
    assert json.loads("\n".join(out))[0]["status"] == "refused"


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate"])
    assert exit_info.value.code == 2
    assert "FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["validate", "--nope", "x.csv"])
    assert exit_info.value.code == 2


def test_the_shipped_files_all_pass(capsys):
    assert len(SHIPPED) == 7
    code, out = run(capsys, "validate", *map(str, SHIPPED))
    assert code == 0
    assert out[-1] == "7 files, 7 ok, 0 with warnings, 0 refused"


def test_the_server_options_still_work_with_and_without_run(capsys, tmp_path):
    """No subcommand and `run` take the same options (checked up to the route file)."""
    for argv in (["--data", str(tmp_path)], ["run", "--port", "8123", "--data", str(tmp_path)]):
        assert cli.main(argv) == 2
        assert "no route file" in capsys.readouterr().err
    for argv in (["--help"], ["run", "--help"]):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(argv)
        assert exit_info.value.code == 0
        help_text = capsys.readouterr().out
        assert "--port" in help_text and "--data" in help_text and "validate" in help_text


# --- any file: the app's errors, escaped, never a traceback (issue 13) -------------------


def test_a_number_beyond_int64_is_a_located_refusal(capsys, tmp_path):
    path = tmp_path / "2020-02-big.csv"
    path.write_text(GOOD.replace("13779", str(2**64)), encoding="utf-8")
    code, out = run(capsys, "validate", str(path))
    assert code == 1
    assert out[0] == (
        f"{path}:5:points: expected a number 0..10,000,000, found '18446744073709551616'"
    )


def test_control_characters_are_escaped_in_the_output(capsys, tmp_path):
    path = tmp_path / "2020-02-\x1b[31mred.csv"
    path.write_text(GOOD.replace("13779", "1\x1b[2J\x07"), encoding="utf-8")
    code, out = run(capsys, "validate", str(path))
    assert code == 1
    shown = str(path).replace("\x1b", "\\x1b")
    assert out[0] == f"{shown}:5:points: expected a whole number, found '1\\x1b[2J\\x07'"
    assert all(line.isprintable() for line in out)
    code, out = run(capsys, "validate", "--json", str(path))
    (result,) = json.loads("\n".join(out))
    assert result["file"] == shown
    assert result["errors"][0]["found"] == "1\\x1b[2J\\x07"
    assert result["errors"][0]["file"] == "2020-02-\\x1b[31mred.csv"


def test_a_folder_and_a_path_through_a_file_are_refused(capsys, tmp_path, files):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    through = files["good"] / "x.csv"
    code, out = run(capsys, "validate", str(folder), str(through))
    assert code == 1
    assert (
        out[0] == f"{folder}:-:-: cannot be read: expected a readable file, found 'Is a directory'"
    )
    assert (
        out[1]
        == f"{through}:-:-: cannot be read: expected a readable file, found 'Not a directory'"
    )


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(capsys, tmp_path):
    path = tmp_path / "2020-02-huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: 50 MB of NUL bytes
    code, out = run(capsys, "validate", str(path))
    assert code == 1
    assert out[0] == (
        f"{path}:-:-: file too large: expected at most 2,000,000 bytes, found '50,000,000 bytes'"
    )
    if Path("/dev/zero").exists():  # endless: read up to the limit only
        code, out = run(capsys, "validate", "/dev/zero")
        assert out[0] == (
            "/dev/zero:-:-: file too large: expected at most 2,000,000 bytes, "
            "found 'more than 2,000,000 bytes'"
        )


def test_utf16_and_huge_cells_are_located_refusals(capsys, tmp_path):
    utf16 = tmp_path / "2020-02-utf16.csv"
    utf16.write_bytes(GOOD.encode("utf-16"))
    huge = tmp_path / "2020-02-huge-cell.csv"
    huge.write_text(GOOD.replace("Andrea Vesco", "x" * 1_000_000), encoding="utf-8")
    code, out = run(capsys, "validate", str(utf16), str(huge))
    assert code == 1
    assert out[0] == (
        f"{utf16}:-:-: UTF-16 text: save it as UTF-8: expected UTF-8 text, "
        "found 'UTF-16 (little-endian, with byte order mark)'"
    )
    assert out[1] == (
        f"{huge}:5:driver: cell too long: expected at most 200 characters, "
        "found '1,000,000 characters'"
    )


def test_a_file_without_a_final_newline_is_ok_without_a_warning(capsys, tmp_path):
    path = tmp_path / "2020-02-no-newline.csv"
    path.write_text(GOOD.rstrip("\n"), encoding="utf-8")
    code, out = run(capsys, "validate", str(path))
    assert code == 0
    assert out == [
        f"{path}: ok, 2 rows, stage 1, order 2, checkpoint 'End of stage 1'",
        "1 file, 1 ok, 0 with warnings, 0 refused",
    ]


def test_a_parser_bug_is_reported_as_such_not_as_a_traceback(capsys, monkeypatch, files):
    from dashboard import validate as validate_module

    def broken(name, raw):
        raise KeyError("points")

    monkeypatch.setattr(validate_module, "parse_ranking", broken)
    code, out = run(capsys, "validate", str(files["good"]))
    assert code == 1
    assert out[0] == (
        f"{files['good']}:-:-: the parser failed (a bug: please report it with the file): "
        "expected a ranking or a refusal, found 'KeyError: 'points''"
    )
