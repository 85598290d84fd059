"""Builds data/history.json: the winners of the speed race 1927-1957 and the story points a
fan looks for, each with its source. Run: python3 tools/history_data.py [--out PATH]

The facts are data, in data/history_facts/ (every row with its source):
  winners.csv  one row per year 1927-1957 (crew, car, marque; time and average speed only
               where ../shared/facts/1000-miglia-facts.md §2.4 and §2.2-2.3 give them, with
               that source in time_speed_source; a note on the speed for fans in English and
               Italian; empty crew = no race held; closed_circuit = yes for 1940, the Gran
               Premio Brescia; a note for fans on the year in both languages, with its
               note_source)
  story.csv    the story points, title and text in English and Italian
Winners (year, crew, car) are transcribed from the seed page (../shared/seeds/, "Mille Miglia
winners"); nothing is filled in where no source gives a figure.
"""

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS_DIR = ROOT / "data" / "history_facts"
OUT_PATH = ROOT / "data" / "history.json"


def read_rows(path: Path) -> list[dict]:
    """The rows of a fact file, empty cell -> None; every row must name its source."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(fh)]
    for line, row in enumerate(rows, start=2):
        if not row["source"]:
            raise ValueError(f"{path.name}, line {line}: column source is empty")
    return rows


def read_winners(path: Path) -> list[dict]:
    """winners.csv rows; a figure or a note without its source, or a note in one language
    only, is refused."""
    rows = read_rows(path)
    for line, row in enumerate(rows, start=2):
        if (row["note_en"] is None) != (row["note_it"] is None):
            raise ValueError(f"{path.name}, line {line}: a note needs English and Italian")
        if row["note_en"] and not row["note_source"]:
            raise ValueError(f"{path.name}, line {line}: a note without its note_source")
        figures = row["time"] or row["average_kmh"] or row["speed_note_en"]
        if figures and not row["time_speed_source"]:
            raise ValueError(f"{path.name}, line {line}: a time or speed without time_speed_source")
    return rows


def build(facts_dir: Path = FACTS_DIR) -> dict:
    winners = [
        {
            "year": int(row["year"]),
            "race": row["crew"] is not None,
            "crew": row["crew"],
            "car": row["car"],
            "marque": row["marque"],
            "time": row["time"],
            "average_kmh": None if row["average_kmh"] is None else float(row["average_kmh"]),
            "speed_note": None
            if row["speed_note_en"] is None
            else {"en": row["speed_note_en"], "it": row["speed_note_it"]},
            "source": row["source"],
            "time_speed_source": row["time_speed_source"],
            # 1940: the Gran Premio Brescia, on a closed circuit, not the road race
            "closed_circuit": row["closed_circuit"] == "yes",
            "note": None
            if row["note_en"] is None
            else {"en": row["note_en"], "it": row["note_it"]},
            "note_source": row["note_source"],
        }
        for row in read_winners(facts_dir / "winners.csv")
    ]
    story = [
        {
            "key": row["key"],
            "en": {"title": row["title_en"], "text": row["text_en"]},
            "it": {"title": row["title_it"], "text": row["text_it"]},
            "source": row["source"],
        }
        for row in read_rows(facts_dir / "story.csv")
    ]
    return {
        "about": "Winners of the Mille Miglia speed race 1927-1957 and story points; built by "
        "tools/history_data.py from the seed page and ../shared/facts (sources per row).",
        "winners": winners,
        "story": story,
    }


def render(history: dict) -> str:
    return json.dumps(history, ensure_ascii=False, indent=1) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build data/history.json")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    args.out.write_text(render(build()), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
