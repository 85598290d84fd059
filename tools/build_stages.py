#!/usr/bin/env python3
"""Build data/stages.geojson: the four stages of the 1000 Miglia 2020 and the
historic courses of 1927 and 1955, as one RFC 7946 FeatureCollection.

Usage (from the repository root):  python tools/build_stages.py [--out PATH]

Standard library only. The facts (places, orders, times, coordinates, field sizes,
winners and the source of each) are data, in data/route_facts/ (see its README.md):
  routes.csv       one row per route (the four 2020 stages, 1927, 1955)
  winners.csv      the winners of the historic courses
  2020.csv, 1927.csv, 1955.csv   the places of each course in driving order
  coordinates.csv  the coordinate of every located place, with where it comes from
  card_notes.csv   the stage card's words for fans, English and Italian: a short note by a
                   figure, and where the sources differ a flag and the detail
Every row carries its source; this script only reads, checks and assembles them.

Output: one FeatureCollection; the six route LineStrings first, then the place
Points grouped by route in driving order. A route's LineString is exactly the
coordinates of its Points sorted by `order`. Places that cannot be located from
the fact files are not Points: they are listed in the route's
`unlocated_places`, with the reason.
"""

import argparse
import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS_DIR = ROOT / "data" / "route_facts"
OUT_PATH = ROOT / "data" / "stages.geojson"

# source cell of a place that no published source names (the facts' own "memory, unverified")
MEMORY = "memory"
SEP = " ; "
COURSE_FILES = {2020: "2020.csv", 1927: "1927.csv", 1955: "1955.csv"}
INTS = {"stage", "edition", "cars_starting", "official_length_km", "car_number"}
FLOATS = {"lat", "lon", "average_speed_kmh"}
# the column of each file that must name a source on every row
SOURCE_COLUMN = {"routes.csv": "cars_starting_source"}


class FactsError(ValueError):
    """A fact row the builder cannot use, named by file and line."""


# ---------------------------------------------------------------------------
# Reading the fact files
# ---------------------------------------------------------------------------
def read_rows(path):
    """The rows of one fact file as dicts: empty cell -> None, numbers typed."""
    source_col = SOURCE_COLUMN.get(path.name, "source")
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, raw in enumerate(csv.DictReader(fh), start=2):
            row = {k: (v if v != "" else None) for k, v in raw.items()}
            if not row.get(source_col):
                raise FactsError(f"{path.name}, line {line}: column {source_col} is empty")
            for key in INTS & row.keys():
                row[key] = None if row[key] is None else int(row[key])
            for key in FLOATS & row.keys():
                row[key] = None if row[key] is None else float(row[key])
            row["line"] = f"{path.name}, line {line}"
            rows.append(row)
    return rows


def sources(cell):
    """A source cell as a list of sources; `memory` (no published source) is the empty list."""
    if cell is None or cell == MEMORY:
        return []
    return cell.split(SEP)


CARD_NOTE_FIELDS = {"start_time", "arrival", "cars_starting", "official_length", "notes"}


def card_note(row):
    """One card_notes.csv row: words in both languages or none, and a conflict with its detail."""
    if row["field"] not in CARD_NOTE_FIELDS:
        raise FactsError(f"{row['line']}: field {row['field']!r} is not one of {CARD_NOTE_FIELDS}")
    conflict = row["conflict"] == "yes"
    for kind in ("note", "detail"):
        if (row[f"{kind}_en"] is None) != (row[f"{kind}_it"] is None):
            raise FactsError(f"{row['line']}: {kind} needs both languages or neither")
    if conflict != (row["detail_en"] is not None):
        raise FactsError(f"{row['line']}: a conflict needs a detail, and a detail a conflict")

    def words(kind):
        return (
            None
            if row[f"{kind}_en"] is None
            else {"en": row[f"{kind}_en"], "it": row[f"{kind}_it"]}
        )

    return {
        "note": words("note"),
        "conflict": conflict,
        "detail": words("detail"),
        "sources": sources(row["source"]),
    }


def load_facts(facts_dir=FACTS_DIR):
    """The routes, in file order, each with its place rows; and the coordinate table."""
    facts_dir = Path(facts_dir)
    coords = {row["name"]: row for row in read_rows(facts_dir / "coordinates.csv")}
    winners = {row["route_id"]: row for row in read_rows(facts_dir / "winners.csv")}
    places = {}
    for edition, name in COURSE_FILES.items():
        for row in read_rows(facts_dir / name):
            places.setdefault((edition, row.get("stage")), []).append(row)
    notes = {}
    for row in read_rows(facts_dir / "card_notes.csv"):
        notes.setdefault(row["route_id"], {})[row["field"]] = card_note(row)
    routes = read_rows(facts_dir / "routes.csv")
    for route in routes:
        route["rows"] = places.pop((route["edition"], route["stage"]), [])
        if not route["rows"]:
            raise FactsError(f"{route['line']}: no places for route {route['route_id']}")
        route["winner"] = winners.pop(route["route_id"], None)
        route["card_notes"] = notes.pop(route["route_id"], {})
    if places or winners or notes:
        raise FactsError(f"rows for no route: {sorted(places) + sorted(winners) + sorted(notes)}")
    return routes, coords


# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------
def coordinate(row, coords):
    """Return ([lon, lat], coord_source, coord_certainty) for a located place row."""
    key = row["coordinate"] or row["name"]
    if key not in coords:
        raise FactsError(f"{row['line']}: no coordinate for {row['name']!r} (key {key!r})")
    point = coords[key]
    source = row["coord_source"] or point["source"]
    certainty = row["coord_certainty"] or point["certainty"]
    return [round(point["lon"], 4), round(point["lat"], 4)], source, certainty


def add_sources(collected, urls):
    """Append each url not yet in collected, keeping first-seen order."""
    for u in urls:
        if u and u not in collected:
            collected.append(u)


def winner(row):
    if row is None:
        return None
    keys = ("crew", "car", "car_number", "time", "average_speed_kmh", "note", "source")
    return {k: row[k] for k in keys}


TIME_KINDS = {"planned", "observed"}


def check_times(route):
    """A route's times say whether they were planned or observed, and where they come from."""
    if route["start_time"] and route["start_time_kind"] not in TIME_KINDS:
        raise FactsError(f"{route['line']}: start_time_kind must be one of {sorted(TIME_KINDS)}")
    timed = route["start_time"] or route["planned_arrival"] or route["observed_arrival"]
    if timed and not route["time_source"]:
        raise FactsError(f"{route['line']}: a start or arrival time without a time_source")
    for row in route["rows"]:
        if (row["planned_time"] or row["observed_time"]) and not row["time_source"]:
            raise FactsError(f"{row['line']}: a planned or observed time without a time_source")


def build(facts_dir=FACTS_DIR):
    routes, coords = load_facts(facts_dir)
    route_features, place_features = [], []
    for route in routes:
        check_times(route)
        rid = route["route_id"]
        points, unlocated, collected = [], [], []
        for row in route["rows"]:
            src = sources(row["source"])
            add_sources(collected, src)
            add_sources(collected, sources(row["time_source"]))
            if row["unlocated_reason"]:
                unlocated.append(
                    {
                        "name": row["name"],
                        "reason": row["unlocated_reason"],
                        "certainty": row["certainty"],
                        "source": SEP.join(src) or None,
                    }
                )
                continue
            position, coord_source, coord_certainty = coordinate(row, coords)
            order = len(points) + 1
            points.append(
                {
                    "type": "Feature",
                    "id": f"{rid}:{order:02d}",
                    "geometry": {"type": "Point", "coordinates": position},
                    "properties": {
                        "kind": "place",
                        "route_id": rid,
                        "edition": route["edition"],
                        "stage": route["stage"],
                        "order": order,
                        "name": row["name"],
                        "venue": row["venue"],
                        "role": row["role"],
                        "planned_time": row["planned_time"],
                        "observed_time": row["observed_time"],
                        "time_note": row["time_note"],
                        "time_source": row["time_source"],
                        "certainty": row["certainty"],
                        "certainty_note": row["certainty_note"],
                        "coord_source": coord_source,
                        "coord_certainty": coord_certainty,
                        "source": SEP.join(src) or None,
                        "note": row["note"],
                    },
                }
            )
        add_sources(collected, sources(route["cars_starting_source"]))
        add_sources(collected, sources(route["length_sources"]))
        add_sources(collected, sources(route["extra_sources"]))
        add_sources(collected, sources(route["time_source"]))
        line = [p["geometry"]["coordinates"] for p in points]  # points are built in order
        route_features.append(
            {
                "type": "Feature",
                "id": rid,
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "route",
                    "route_id": rid,
                    "edition": route["edition"],
                    "stage": route["stage"],
                    "name": route["name"],
                    "date": route["date"],
                    "start": points[0]["properties"]["name"],
                    "finish": points[-1]["properties"]["name"],
                    "start_time": route["start_time"],
                    "start_time_note": route["start_time_note"],
                    "start_time_kind": route["start_time_kind"],
                    "planned_arrival": route["planned_arrival"],
                    "observed_arrival": route["observed_arrival"],
                    "arrival_note": route["arrival_note"],
                    "time_source": route["time_source"],
                    "cars_starting": route["cars_starting"],
                    "cars_starting_note": route["cars_starting_note"],
                    "cars_starting_source": route["cars_starting_source"],
                    "official_length_km": route["official_length_km"],
                    "official_length_note": route["official_length_note"],
                    "winner": winner(route["winner"]),
                    "sources": collected,
                    "unlocated_places": unlocated,
                    "notes": route["notes"],
                    "card_notes": route["card_notes"],
                },
            }
        )
        place_features.extend(points)
    return {"type": "FeatureCollection", "features": route_features + place_features}


def render(fc):
    """The file's text: the exact bytes shipped in data/stages.geojson."""
    return json.dumps(fc, ensure_ascii=False, indent=1) + "\n"


# ---------------------------------------------------------------------------
# Checks and summary
# ---------------------------------------------------------------------------
ROLES = {"start", "finish", "town", "lunch", "dinner", "time_trial", "passage_control"}
CERTAINTIES = {"confirmed", "unverified", "conflicting"}


def haversine_km(a, b):
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


ITALY_BOX = (6, 36, 19, 47.5)  # lon, lat, lon, lat: a position outside is a swapped lat/lon
KIND_GEOMETRIES = {("route", "LineString"), ("place", "Point")}


def validate(fc):
    """RFC 7946 basics plus the project's own rules. Returns a list of errors."""
    err = []
    if fc.get("type") != "FeatureCollection":
        err.append("top level is not a FeatureCollection")
    if "crs" in fc:
        err.append("'crs' member present")
    for i, f in enumerate(fc["features"]):
        tag = f"feature {i} ({f.get('id')})"
        if f.get("type") != "Feature" or "properties" not in f or "geometry" not in f:
            err.append(f"{tag}: not a Feature with geometry and properties")
            continue
        g = f["geometry"]
        kind = f["properties"].get("kind")
        positions = [g["coordinates"]] if g["type"] == "Point" else g["coordinates"]
        if (kind, g["type"]) not in KIND_GEOMETRIES:
            err.append(f"{tag}: kind {kind} with geometry {g['type']}")
        if g["type"] == "LineString" and len(positions) < 2:
            err.append(f"{tag}: LineString with fewer than 2 positions")
        err += [f"{tag}: {problem}" for pos in positions for problem in _position_errors(pos)]
        if kind == "place":
            err += [f"{tag}: {problem}" for problem in _place_errors(f["properties"])]
    return err


def _position_errors(pos) -> list[str]:
    if len(pos) != 2 or not all(isinstance(v, (int, float)) for v in pos):
        return [f"bad position {pos}"]
    lon, lat = pos
    err = []
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        err.append(f"position out of range {pos}")
    west, south, east, north = ITALY_BOX
    if not (west <= lon <= east and south <= lat <= north):
        err.append(f"position outside Italy {pos} (lat/lon swapped?)")
    if any(round(v, 4) != v for v in pos):
        err.append(f"more than 4 decimals {pos}")
    return err


def _place_errors(p: dict) -> list[str]:
    err = []
    if p["role"] not in ROLES:
        err.append(f"role {p['role']}")
    if p["certainty"] not in CERTAINTIES:
        err.append(f"certainty {p['certainty']}")
    if (p["certainty"] == "confirmed") != (p["certainty_note"] is None):
        err.append("certainty_note must be null exactly when confirmed")
    if p["coord_certainty"] not in {"comune point", "approximate"}:
        err.append(f"coord_certainty {p['coord_certainty']}")
    for key in ("planned_time", "observed_time"):
        t = p[key]
        if t is not None and not (
            len(t) == 5 and t[2] == ":" and t[:2].isdigit() and t[3:].isdigit()
        ):
            err.append(f"{key} {t!r} is not HH:MM")
    if (p["planned_time"] or p["observed_time"]) and not p["time_source"]:
        err.append("a time without a time_source")
    return err


ROUTE_IDS = ["2020-stage-1", "2020-stage-2", "2020-stage-3", "2020-stage-4", "1927", "1955"]
# facts the seed page states outright: (route, place, properties read, what they must be)
NAMED_FACTS = (
    ("2020-stage-4", "Varano de' Melegari", ("role",), [("time_trial",)]),
    ("2020-stage-4", "Lodi", ("planned_time",), [("11:15",)]),
    ("2020-stage-4", "Treviglio", ("role", "planned_time"), [("lunch", "12:45")]),
    ("2020-stage-4", "Castell'Arquato", ("planned_time",), [("09:40",)]),
    ("2020-stage-1", "Ferrara", ("role",), [("dinner",)]),
    ("2020-stage-2", "Fabriano", ("role",), [("lunch",)]),
)


def check_race_facts(fc):
    """Sanity checks named in the brief. Returns a list of errors."""
    places = {}
    for f in fc["features"]:
        if f["properties"]["kind"] == "place":
            places.setdefault(f["properties"]["route_id"], []).append(f)
    err = _order_errors(fc, places)

    def find(rid, name):
        return [f["properties"] for f in places[rid] if f["properties"]["name"] == name]

    s3_lunch = [
        p["name"] for p in (f["properties"] for f in places["2020-stage-3"]) if p["role"] == "lunch"
    ]
    if s3_lunch != ["Siena"]:
        err.append(f"stage 3 lunch is {s3_lunch}")
    for rid, name, keys, expected in NAMED_FACTS:
        found = [tuple(p[k] for k in keys) for p in find(rid, name)]
        if found != expected:
            err.append(f"{rid}: {name} has {', '.join(keys)} {found}, expected {expected}")
    bologna = [p["order"] for p in find("1927", "Bologna")]
    if len(bologna) != 2 or bologna[0] == bologna[1]:
        err.append(f"1927 Bologna orders: {bologna}")
    if not find("1955", "Cremona"):
        err.append("1955 course does not pass Cremona")
    return err


def _order_errors(fc, places: dict) -> list[str]:
    """The routes first and in order, each route's places 1..n along its line, start to
    finish, and each 2020 stage starting where the one before finished."""
    err = []
    routes = {
        f["properties"]["route_id"]: f for f in fc["features"] if f["properties"]["kind"] == "route"
    }
    ids = ROUTE_IDS
    if [f["properties"]["route_id"] for f in fc["features"][:6]] != ids:
        err.append("the six routes are not first, in order")
    seen = [(f["properties"]["route_id"], f["properties"]["order"]) for f in fc["features"][6:]]
    if seen != sorted(seen, key=lambda t: (ids.index(t[0]), t[1])):
        err.append("place features are not grouped by route in order")
    for rid in ids:
        pts = sorted(places[rid], key=lambda f: f["properties"]["order"])
        if [f["properties"]["order"] for f in pts] != list(range(1, len(pts) + 1)):
            err.append(f"{rid}: orders are not 1..n")
        if routes[rid]["geometry"]["coordinates"] != [f["geometry"]["coordinates"] for f in pts]:
            err.append(f"{rid}: LineString differs from its Points")
        if pts[0]["properties"]["role"] != "start" or pts[-1]["properties"]["role"] != "finish":
            err.append(f"{rid}: first/last place is not start/finish")
        rp = routes[rid]["properties"]
        ends = (pts[0]["properties"]["name"], pts[-1]["properties"]["name"])
        if (rp["start"], rp["finish"]) != ends:
            err.append(f"{rid}: start/finish names differ from the places")
    for n in (1, 2, 3):
        a = sorted(places[f"2020-stage-{n}"], key=lambda f: f["properties"]["order"])[-1]
        b = sorted(places[f"2020-stage-{n + 1}"], key=lambda f: f["properties"]["order"])[0]
        if (a["properties"]["name"], a["geometry"]["coordinates"]) != (
            b["properties"]["name"],
            b["geometry"]["coordinates"],
        ):
            err.append(f"stage {n} finish does not chain to stage {n + 1} start")
    return err


def summary(fc):
    print(f"{'route':<14} {'places':>6} {'unlocated':>9} {'length km':>10}  start → finish")
    for f in fc["features"]:
        p = f["properties"]
        if p["kind"] != "route":
            continue
        c = f["geometry"]["coordinates"]
        km = sum(haversine_km(c[i], c[i + 1]) for i in range(len(c) - 1))
        print(
            f"{p['route_id']:<14} {len(c):>6} {len(p['unlocated_places']):>9} {km:>10.1f}  "
            f"{p['start']} → {p['finish']}"
        )
    print("(length = straight haversine segments through the located places, not road distance)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH, help="where to write the GeoJSON")
    parser.add_argument("--facts", type=Path, default=FACTS_DIR, help="folder of the fact files")
    args = parser.parse_args(argv)
    try:
        fc = build(args.facts)
    except FactsError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    problems = validate(fc) + check_race_facts(fc)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = render(fc)
    args.out.write_text(text, encoding="utf-8")
    # re-read what was written and check it round-trips
    if json.loads(args.out.read_text(encoding="utf-8")) != fc:
        problems.append("written file does not round-trip")
    print(f"wrote {args.out} ({len(fc['features'])} features, {len(text.encode('utf-8'))} bytes)")
    summary(fc)
    if problems:
        print("\nPROBLEMS:", *problems, sep="\n  ")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
