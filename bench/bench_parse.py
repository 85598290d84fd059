"""Parsing ranking files: the app's parser (dashboard/data/rankings.py: decode, metadata,
every cell checked, located errors) against the baseline a competent pandas user would write
(pd.read_csv of the table, then the same limits checked column by column with to_numeric),
run in turn A B A B ... in one process, on the same bytes (prints figures; no assertions).

    .venv/bin/python bench/bench_parse.py [--repeat 15]
    .venv/bin/python bench/bench_parse.py --only ours|pandas --crews 2000 --times 50

Inputs: the shipped data/rankings/*.csv (all of them, as one batch), and one SYNTHETIC file
of 400 and one of 2,000 crews (bench/synthetic_event.py, written to a temporary folder).
`--only` parses one input `--times` times and prints nothing: for timing whole processes
against each other from outside.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from bench.synthetic_event import write_event  # noqa: E402
from dashboard.config import DEFAULT_DATA_DIR  # noqa: E402
from dashboard.data import rankings  # noqa: E402

TEXT_COLUMNS = ("driver", "co_driver", "car")


def pandas_parse(name: str, raw: bytes) -> pd.DataFrame:
    """The baseline: metadata lines by hand, the table by pd.read_csv (all cells as text),
    then each number column by to_numeric and the app's limits; the first bad row located."""
    text = raw.decode("utf-8-sig")
    lines = text.splitlines()
    skip = 0
    meta = {}
    while skip < len(lines) and lines[skip].lstrip().startswith("#"):
        key, _, value = lines[skip].lstrip("# ").partition(":")
        meta[key.strip().lower()] = value.strip()
        skip += 1
    for key in ("checkpoint", "stage", "order"):
        if not meta.get(key):
            raise ValueError(f"{name}: missing metadata '{key}'")
    header = lines[skip]
    sep = ";" if header.count(";") > header.count(",") else ","
    frame = pd.read_csv(io.StringIO(text), sep=sep, skiprows=skip, dtype=str, keep_default_na=False)
    frame = frame.rename(
        columns=lambda c: rankings._HEADER_LOOKUP.get(rankings.normalise_header(c), c)
    )
    missing = [c for c in rankings.REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}, row {skip + 1}: missing columns {missing}")
    if len(frame) > rankings.MAX_ROWS:
        raise ValueError(f"{name}: too many rows")
    row = pd.Series(range(skip + 2, skip + 2 + len(frame)), index=frame.index)
    for column in rankings.NUMBER_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.array([None] * len(frame), dtype="Int64")
            continue
        cells = frame[column].str.strip()
        blank = cells == ""
        values = pd.to_numeric(cells.mask(blank), errors="coerce")
        low, high = rankings.NUMBER_LIMITS[column]
        bad = ~blank & (values.isna() | (values < low) | (values > high) | (values % 1 != 0))
        if column == "position":
            bad |= blank
        if bad.any():
            at = bad.idxmax()
            raise ValueError(f"{name}, row {row[at]}, column {column}: found {cells[at]!r}")
        frame[column] = values.astype("Int64")
    for column in TEXT_COLUMNS:
        cells = frame[column]
        long = cells.str.len() > rankings.MAX_CELL_CHARS
        if long.any():
            raise ValueError(f"{name}, row {row[long.idxmax()]}, column {column}: too long")
        frame[column] = cells.str.strip()
    frame.insert(0, "row", row)
    return frame[["row", *rankings.COLUMNS]]


def ours(batch: list[tuple[str, bytes]]) -> None:
    for name, raw in batch:
        rankings.parse_ranking(name, raw)


def theirs(batch: list[tuple[str, bytes]]) -> None:
    for name, raw in batch:
        pandas_parse(name, raw)


def inputs(tmp: Path) -> dict[str, list[tuple[str, bytes]]]:
    shipped = sorted((DEFAULT_DATA_DIR / "rankings").glob("*.csv"))
    batches = {
        f"shipped 2020 data ({len(shipped)} files)": [(p.name, p.read_bytes()) for p in shipped]
    }
    for crews in (400, 2000):
        path = write_event(tmp / str(crews), crews=crews, rankings=4)[-1]
        batches[f"SYNTHETIC {crews:,} crews (1 file)"] = [(path.name, path.read_bytes())]
    return batches


def interleaved(batch, repeat: int) -> tuple[float, float, float]:
    """Median ms of ours and of the baseline, and the median of the pairwise ratios."""
    mine, base, ratios = [], [], []
    ours(batch), theirs(batch)  # warm-up
    for index in range(repeat):
        pair = {}
        for label, fn in (("ours", ours), ("pandas", theirs))[:: 1 if index % 2 else -1]:
            start = time.perf_counter()
            fn(batch)
            pair[label] = (time.perf_counter() - start) * 1000
        mine.append(pair["ours"])
        base.append(pair["pandas"])
        ratios.append(pair["ours"] / pair["pandas"])
    return statistics.median(mine), statistics.median(base), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--only", choices=("ours", "pandas"))
    parser.add_argument("--crews", type=int, default=400)
    parser.add_argument("--times", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only:
            path = write_event(Path(tmp), crews=args.crews, rankings=4)[-1]
            batch = [(path.name, path.read_bytes())]
            for _ in range(args.times):
                (ours if args.only == "ours" else theirs)(batch)
            return
        print(
            f"{'input':36} {'ours':>9} {'pandas':>9} {'ours/pandas':>12}  (medians, {args.repeat} pairs)"
        )
        for label, batch in inputs(Path(tmp)).items():
            mine, base, ratio = interleaved(batch, args.repeat)
            print(f"{label:36} {mine:7.2f}ms {base:7.2f}ms {ratio:12.2f}")


if __name__ == "__main__":
    main()
