"""The route data: data/stages.geojson -> tables of routes and places.

The file is committed data (see tools/build_stages.py). It is read once when the app is
created; nothing here touches the network. Lengths are geodesic (geopy) along the drawn line,
which goes through the listed places in order: a lower bound of the road distance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from geopy.distance import geodesic

ROUTE_IDS = ("2020-stage-1", "2020-stage-2", "2020-stage-3", "2020-stage-4", "1927", "1955")
STAGE_ROUTE_IDS = ROUTE_IDS[:4]
HISTORIC_ROUTE_IDS = ROUTE_IDS[4:]

# The values of the stage picker (and of ?stage= in the URL) and the routes they show.
ALL_2020 = "all"
STAGE_CHOICES: dict[str, tuple[str, ...]] = {
    ALL_2020: STAGE_ROUTE_IDS,
    "1": ("2020-stage-1",),
    "2": ("2020-stage-2",),
    "3": ("2020-stage-3",),
    "4": ("2020-stage-4",),
    "1927": ("1927",),
    "1955": ("1955",),
}

ROLES = ("start", "finish", "town", "lunch", "dinner", "time_trial", "passage_control")
CERTAINTIES = ("confirmed", "unverified", "conflicting")

_ROUTE_REQUIRED = {
    "route_id": str,
    "edition": int,
    "name": str,
    "start": str,
    "finish": str,
}
_PLACE_REQUIRED = {
    "route_id": str,
    "name": str,
    "order": int,
    "role": str,
    "certainty": str,
}


class RouteDataError(ValueError):
    """The route file cannot be used; the message says where and what."""

    def __init__(self, path: Path | str, where: str, expected: str, found: Any):
        self.path = str(path)
        self.where = where
        self.expected = expected
        self.found = found
        super().__init__(f"{Path(path).name}, {where}: expected {expected}, found {found!r}")


@dataclass(frozen=True)
class RouteData:
    """Read-only route tables.

    routes: one row per route (index route_id), with the file's properties plus
        length_km (geodesic through the places), n_places, lunch, dinner.
    places: one row per place along a route, ordered by route and order, with lat, lon
        and km_from_start (geodesic along the route's line to that place).
    paths: route_id -> ((lat, lon), ...) the drawn line in driving order.
    cumulative_km: route_id -> geodesic km from the start at each vertex of its path
        (computed once here; empty for hand-made RouteData, then each user computes it).
    """

    routes: pd.DataFrame
    places: pd.DataFrame
    paths: Mapping[str, tuple[tuple[float, float], ...]]
    cumulative_km: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    # tables derived from the data above by other modules, computed once (e.g. passage_times.py)
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def route(self, route_id: str) -> pd.Series:
        return self.routes.loc[route_id]

    def places_of(self, route_ids: tuple[str, ...] | list[str]) -> pd.DataFrame:
        return self.places[self.places["route_id"].isin(route_ids)]


def path_length_km(path: tuple[tuple[float, float], ...]) -> list[float]:
    """Cumulative geodesic distance (km) at each vertex of a (lat, lon) path."""
    cumulative = [0.0]
    for a, b in zip(path, path[1:], strict=False):
        cumulative.append(cumulative[-1] + geodesic(a, b).km)
    return cumulative


def _check_type(path: Path, where: str, props: Mapping, key: str, kind: type) -> None:
    value = props.get(key)
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise RouteDataError(path, f"{where}, property '{key}'", f"a {kind.__name__}", value)


def _position(path: Path, where: str, position: Any) -> tuple[float, float]:
    """GeoJSON [lon, lat] -> (lat, lon), checked."""
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(isinstance(v, int | float) for v in position[:2])
    ):
        raise RouteDataError(path, where, "a [longitude, latitude] position", position)
    lon, lat = float(position[0]), float(position[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise RouteDataError(path, where, "longitude -180..180 and latitude -90..90", position)
    return lat, lon


def load_route_data(path: Path | str) -> RouteData:
    """Read and validate stages.geojson; raise RouteDataError naming the feature and field."""
    path = Path(path)
    features = _features(path)
    route_rows: list[dict] = []
    place_rows: list[dict] = []
    paths: dict[str, tuple[tuple[float, float], ...]] = {}
    for index, feature in enumerate(features):
        where = f"feature {index}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise RouteDataError(path, where, "a GeoJSON Feature", feature)
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        kind = props.get("kind")
        if kind == "route":
            route_id, line = _route_line(path, where, props, geometry)
            if route_id in paths:
                raise RouteDataError(path, where, "a route_id used once", route_id)
            paths[route_id] = line
            route_rows.append(dict(props))
        elif kind == "place":
            place_rows.append(_place(path, where, props, geometry))
        else:
            raise RouteDataError(path, f"{where}, property 'kind'", "'route' or 'place'", kind)
    missing = [r for r in ROUTE_IDS if r not in paths]
    if missing:
        raise RouteDataError(path, "routes", f"all of {ROUTE_IDS}", f"missing {missing}")
    for row in place_rows:
        if row["route_id"] not in paths:
            raise RouteDataError(
                path, f"place '{row['name']}'", "a known route_id", row["route_id"]
            )
    return _route_data(route_rows, place_rows, paths)


def _features(path: Path) -> list:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise RouteDataError(path, "file", "an existing file", "no such file") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RouteDataError(path, "file", "UTF-8 JSON", str(err)) from err
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise RouteDataError(path, "top level", "a GeoJSON FeatureCollection", found)
    features = doc.get("features")
    if not isinstance(features, list):
        raise RouteDataError(path, "top level 'features'", "a list", features)
    return features


def _route_line(path: Path, where: str, props: dict, geometry: dict):
    """A route feature's id and its line, checked."""
    for key, typ in _ROUTE_REQUIRED.items():
        _check_type(path, where, props, key, typ)
    if geometry.get("type") != "LineString":
        raise RouteDataError(path, f"{where} geometry", "a LineString", geometry.get("type"))
    coords = geometry.get("coordinates") or []
    if len(coords) < 2:
        raise RouteDataError(path, f"{where} geometry", "at least 2 positions", len(coords))
    line = tuple(_position(path, f"{where} position {i}", c) for i, c in enumerate(coords))
    return props["route_id"], line


def _place(path: Path, where: str, props: dict, geometry: dict) -> dict:
    """A place feature's properties and position, checked."""
    for key, typ in _PLACE_REQUIRED.items():
        _check_type(path, where, props, key, typ)
    for key, allowed in (("role", ROLES), ("certainty", CERTAINTIES)):
        if props[key] not in allowed:
            raise RouteDataError(
                path, f"{where}, property '{key}'", f"one of {allowed}", props[key]
            )
    if geometry.get("type") != "Point":
        raise RouteDataError(path, f"{where} geometry", "a Point", geometry.get("type"))
    lat, lon = _position(path, f"{where} position", geometry.get("coordinates"))
    return {**props, "lat": lat, "lon": lon}


def _route_data(route_rows: list[dict], place_rows: list[dict], paths: dict) -> RouteData:
    places = _none_for_missing(
        pd.DataFrame(place_rows).sort_values(["route_id", "order"], kind="stable")
    )
    # the geodesics along every line, once (the place distances, the lengths and the town
    # lookup all read them)
    cumulative = {route_id: tuple(path_length_km(line)) for route_id, line in paths.items()}
    places["km_from_start"] = _km_from_start(places, paths, cumulative)
    routes = pd.DataFrame(route_rows).set_index("route_id").loc[list(ROUTE_IDS)]
    routes["length_km"] = [cumulative[r][-1] for r in routes.index]
    grouped = places.groupby("route_id")
    routes["n_places"] = grouped.size().reindex(routes.index).fillna(0).astype(int)
    for role in ("lunch", "dinner"):
        names = places[places["role"] == role].groupby("route_id")["name"].agg(", ".join)
        routes[role] = names.reindex(routes.index)
    return RouteData(
        routes=routes,
        places=places.reset_index(drop=True),
        paths=paths,
        cumulative_km=cumulative,
    )


def _none_for_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns hold None, not NaN, where a property is absent (so `if value:` works)."""
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _km_from_start(
    places: pd.DataFrame, paths: Mapping[str, tuple], cumulative_km: Mapping[str, tuple]
) -> list[float]:
    """Distance along each route's line to each of its places (places are line vertices).

    A place is matched to the nearest vertex at or after the previous place's vertex, so a
    town visited twice (Bologna on the 1927 figure-eight) gets both of its distances.
    """
    km: dict[int, float] = {}
    for route_id, group in places.groupby("route_id", sort=False):
        line = paths[route_id]
        cumulative = cumulative_km[route_id]
        cursor = 0
        for idx, lat, lon in zip(group.index, group["lat"], group["lon"], strict=True):
            best = min(
                range(cursor, len(line)),
                key=lambda i: (line[i][0] - lat) ** 2 + (line[i][1] - lon) ** 2,
            )
            cursor = best
            km[idx] = cumulative[best]
    return [km[i] for i in places.index]


def route_summary(route: RouteData, choice: str) -> dict:
    """What the stage card says about a picker choice, as plain values (no formatting)."""
    chosen = STAGE_CHOICES[choice]
    places = route.places_of(chosen)
    uncertain = places[places["certainty"] != "confirmed"]
    if choice == ALL_2020:
        rows = route.routes.loc[list(chosen)]
        return {
            "choice": choice,
            "route_ids": list(chosen),
            "start": rows.iloc[0]["start"],
            "finish": rows.iloc[-1]["finish"],
            "date_first": rows.iloc[0].get("date"),
            "date_last": rows.iloc[-1].get("date"),
            "length_km": float(rows["length_km"].sum()),
            "n_places": int(len(places)),
            "n_stages": len(chosen),
            "cars_starting": _value(rows.iloc[0].get("cars_starting")),
            "lunch": ", ".join(n for n in rows["lunch"] if isinstance(n, str)),
            "dinner": ", ".join(n for n in rows["dinner"] if isinstance(n, str)),
            "uncertain_places": uncertain["name"].tolist(),
            "unlocated_places": [],
            "sources": [s for listed in rows["sources"] if listed for s in listed],
        }
    row = route.route(chosen[0])
    return {
        "choice": choice,
        "route_ids": list(chosen),
        "name": row["name"],
        "edition": int(row["edition"]),
        "date": _value(row.get("date")),
        "start": row["start"],
        "finish": row["finish"],
        "start_time": _value(row.get("start_time")),
        # "planned" or "observed": the sources give some times as programmed, some as reported
        "start_time_kind": _value(row.get("start_time_kind")),
        "planned_arrival": _value(row.get("planned_arrival")),
        "observed_arrival": _value(row.get("observed_arrival")),
        "lunch": _value(row.get("lunch")),
        "dinner": _value(row.get("dinner")),
        "length_km": float(row["length_km"]),
        "official_length_km": _value(row.get("official_length_km")),
        "n_places": int(len(places)),
        "cars_starting": _value(row.get("cars_starting")),
        "winner": _winner(_value(row.get("winner"))),
        "uncertain_places": uncertain["name"].tolist(),
        "unlocated_places": [
            u.get("name", "") for u in (_value(row.get("unlocated_places")) or [])
        ],
        # the fans' words by field (start_time, arrival, cars_starting, official_length,
        # notes), each {"note", "conflict", "detail", "sources"}; the research notes stay in
        # the file for editors and never reach the card
        "card_notes": _value(row.get("card_notes")) or {},
        "sources": _value(row.get("sources")) or [],
    }


def _winner(winner: Mapping | None) -> dict | None:
    """The winner's figures for fans: crew, car, car number, time, average speed."""
    if not winner:
        return None
    keys = ("crew", "car", "car_number", "time", "average_speed_kmh")
    return {k: winner.get(k) for k in keys}


def _value(value: Any) -> Any:
    """None for missing cells (NaN, None), the value otherwise."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value
