"""The passage-time estimate: where and when each route passes a town (the second half of
"when do the cars pass my town?"; dashboard/gazetteer.py finds the town).

The routes are the lines of dashboard/data/route.py, drawn through the places' points. A town
is "on" a route when its point is within THROUGH_KM of that line, or when it is itself one of
the route's places (a big comune's point can lie several km from the place's point). Everything
returns plain values (no formatted texts): the page words them in its two languages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geopy.distance import geodesic

from dashboard.data.route import (
    HISTORIC_ROUTE_IDS,
    ROUTE_IDS,
    STAGE_ROUTE_IDS,
    RouteData,
    path_length_km,
)
from dashboard.gazetteer import Town, aliases

# A town "passes" when its point is within this distance of the route's line. The line is
# drawn straight through the places' points (not along the roads), and a comune's point is
# its centroid, so 2 km: a town on the line or next to it, not one a valley away.
THROUGH_KM = 2.0
# A town is "the same" as a route's place when the normalised names match and the two points
# are this close. The places' points are town centres while the comuni's points are
# polygon centroids: on the shipped data they differ by up to 7.5 km (Foligno; Pesaro 6.2).
PLACE_MATCH_KM = 10.0
# Below this distance (km) there is no meaningful direction to the route.
SAME_POINT_KM = 0.01
SAME_PLACE_KM = 1e-6  # a distance along the line this small is the place itself
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")

_EARTH_KM = 6371.0088


@dataclass(frozen=True)
class _Place:
    name: str
    keys: frozenset[str]
    role: str
    order: int
    lat: float
    lon: float
    km: float
    planned_time: str | None
    observed_time: str | None
    time: str | None  # the time the estimate uses: the observed one where reported, else planned
    time_kind: str | None  # "observed" or "planned"
    minutes: int | None
    time_note: str | None


@dataclass(frozen=True)
class _PreparedRoute:
    path: tuple[tuple[float, float], ...]
    cumulative_km: tuple[float, ...]
    places: tuple[_Place, ...]  # in driving order
    timed: tuple[_Place, ...]  # the places with a planned or observed time, in driving order


def _prepared(route: RouteData, route_id: str) -> _PreparedRoute:
    """Per-route tables (cumulative km, places), computed once and kept with the RouteData
    they derive from (its derived-data cache), not in module state."""
    tables = route.derived.setdefault("passage_times", {})
    if route_id not in tables:
        tables[route_id] = _prepare(route, route_id)
    return tables[route_id]


def _prepare(route: RouteData, route_id: str) -> _PreparedRoute:
    path = tuple(route.paths[route_id])
    cumulative = route.cumulative_km.get(route_id) or path_length_km(path)
    frame = route.places[route.places["route_id"] == route_id].sort_values("order")

    def column(name: str) -> list:
        return list(frame[name]) if name in frame.columns else [None] * len(frame)

    places = []
    for name, role, order, lat, lon, km, planned, observed, note in zip(
        frame["name"], frame["role"], frame["order"], frame["lat"], frame["lon"],
        frame["km_from_start"], frame["planned_time"], column("observed_time"),
        column("time_note"), strict=True,
    ):  # fmt: skip
        planned = planned if isinstance(planned, str) and planned else None
        observed = observed if isinstance(observed, str) and observed else None
        # what happened in 2020 where a source reports it, the programme otherwise
        used, kind = (
            (observed, "observed") if observed else (planned, "planned" if planned else None)
        )
        places.append(
            _Place(
                name=name,
                keys=frozenset(aliases(name, "/-")),
                role=role,
                order=int(order),
                lat=float(lat),
                lon=float(lon),
                km=float(km),
                planned_time=planned,
                observed_time=observed,
                time=used,
                time_kind=kind,
                minutes=_minutes(used) if used else None,
                time_note=note if isinstance(note, str) and note else None,
            )
        )
    return _PreparedRoute(
        path=path,
        cumulative_km=tuple(cumulative),
        places=tuple(places),
        timed=tuple(p for p in places if p.minutes is not None),
    )


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.strip().split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: float) -> str:
    total = round(minutes) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


def _local_xy(lat0: float, lon0: float, lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular km east/north of (lat0, lon0); good for nearest-point choices."""
    x = math.radians(lon - lon0) * math.cos(math.radians(lat0)) * _EARTH_KM
    y = math.radians(lat - lat0) * _EARTH_KM
    return x, y


def _nearest_on_path(
    path: tuple[tuple[float, float], ...], lat0: float, lon0: float
) -> tuple[int, float, tuple[float, float]]:
    """(segment index, fraction along it, (lat, lon)) of the path point nearest (lat0, lon0).

    The town is projected onto each segment in a local equirectangular frame centred on it;
    the first of equally near points wins (a town passed twice gets the first pass).
    """
    points = [_local_xy(lat0, lon0, lat, lon) for lat, lon in path]
    best = (math.inf, 0, 0.0)
    for i, ((ax, ay), (bx, by)) in enumerate(zip(points, points[1:], strict=False)):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else min(1.0, max(0.0, -(ax * dx + ay * dy) / length2))
        px, py = ax + t * dx, ay + t * dy
        d2 = px * px + py * py
        if d2 < best[0] - 1e-12:
            best = (d2, i, t)
    _, i, t = best
    (alat, alon), (blat, blon) = path[i], path[i + 1]
    return i, t, (alat + t * (blat - alat), alon + t * (blon - alon))


def _bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing (degrees clockwise from north, 0-360) from point 1 to point 2."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlon = math.radians(lon2 - lon1)
    x = math.sin(dlon) * math.cos(phi2)
    y = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlon)
    return math.degrees(math.atan2(x, y)) % 360.0


def compass(bearing_deg: float) -> str:
    """One of N, NE, E, SE, S, SW, W, NW (45-degree sectors centred on each)."""
    return COMPASS[int(((bearing_deg % 360.0) + 22.5) // 45.0) % 8]


def _matched_place(prepared: _PreparedRoute, town: Town) -> _Place | None:
    """The route's place that is this town (same normalised name, within PLACE_MATCH_KM);
    the first one with a time if the route visits it more than once."""
    keys = aliases(town.name)
    candidates = [
        p
        for p in prepared.places
        if p.keys & keys
        and math.hypot(*_local_xy(town.lat, town.lon, p.lat, p.lon)) <= PLACE_MATCH_KM * 1.1
        and geodesic((town.lat, town.lon), (p.lat, p.lon)).km <= PLACE_MATCH_KM
    ]
    timed = [p for p in candidates if p.minutes is not None]
    return (timed or candidates or [None])[0]


def _estimate(prepared: _PreparedRoute, km: float) -> dict | None:
    """Linear interpolation by distance between the nearest timed places before and after."""
    timed = prepared.timed
    before = next((i for i in range(len(timed) - 1, -1, -1) if timed[i].km <= km), None)
    after = next((i for i in range(len(timed)) if timed[i].km > km), None)
    if after is None and before is not None and before > 0 and abs(timed[before].km - km) < SAME_PLACE_KM:
        before, after = before - 1, before  # exactly at the last timed place
    if before is None or after is None:
        return None
    a, b = timed[before], timed[after]
    start, end = a.minutes, b.minutes
    if end < start:  # past midnight
        end += 24 * 60
    span = b.km - a.km
    fraction = 0.0 if span <= 0 else (km - a.km) / span
    stops = [
        p.name
        for p in prepared.places
        if a.order < p.order < b.order and p.role in ("lunch", "dinner") and p.minutes is None
    ]
    return {
        "time": _hhmm(start + fraction * (end - start)),
        "estimate_from": (a.name, b.name),
        "estimate_times": (a.time, b.time),
        "estimate_kinds": (a.time_kind, b.time_kind),
        "estimate_km": (a.km, b.km),
        "estimate_spans_stop": stops,
    }


def route_answer(
    route: RouteData, town: Town, route_id: str, through_km: float = THROUGH_KM
) -> dict:
    """Where and when one route passes the town (plain values; see the module docstring).

    Keys: route_id; distance_km (geodesic, town point to the nearest point of the line);
    through_km; passes (distance_km <= through_km, or the town is one of the route's places);
    nearest_point (lat, lon); bearing_deg and direction (from the town to that point; None
    when closer than SAME_POINT_KM); km_along (from the route's start to that point, along the
    line); route_length_km; nearest_place {name, role, order, km_from_start, distance_km} (the
    route's place nearest the town); place and place_role (the route's place that is this
    town and its role, e.g. "lunch", or None);
    time ("HH:MM" of the first car, or None); time_kind ("planned", "observed", "estimate" or
    None);
    time_place and time_note (for a planned time); estimate_from (place before, place after),
    estimate_times, estimate_km and estimate_spans_stop (lunch/dinner places without a time
    between them) for an estimate, else None / []. An estimate is made at km_along, or at the
    place's own km when the town is an untimed place of the route (Pandino); estimate_kinds
    says whether each end's time was "planned" or "observed". A place's own time is its
    observed one where a source reports it (time_kind "observed"), else its planned one
    ("planned"); the estimate uses the same choice at both ends. Times exist
    whatever the distance: the page decides whether a time 250 km away is worth showing.
    """
    prepared = _prepared(route, route_id)
    segment, fraction, nearest = _nearest_on_path(prepared.path, town.lat, town.lon)
    distance_km = geodesic((town.lat, town.lon), nearest).km
    start_vertex = prepared.path[segment]
    km_along = prepared.cumulative_km[segment] + (
        geodesic(start_vertex, nearest).km if fraction > 0 else 0.0
    )
    if distance_km < SAME_POINT_KM:
        bearing, direction = None, None
    else:
        bearing = _bearing(town.lat, town.lon, *nearest)
        direction = compass(bearing)

    closest = min(
        prepared.places,
        key=lambda p: math.hypot(*_local_xy(town.lat, town.lon, p.lat, p.lon)),
    )
    matched = _matched_place(prepared, town)

    answer = {
        "route_id": route_id,
        "distance_km": distance_km,
        "through_km": through_km,
        "passes": distance_km <= through_km or matched is not None,
        "nearest_point": nearest,
        "bearing_deg": bearing,
        "direction": direction,
        "km_along": km_along,
        "route_length_km": prepared.cumulative_km[-1],
        "nearest_place": {
            "name": closest.name,
            "role": closest.role,
            "order": closest.order,
            "km_from_start": closest.km,
            "distance_km": geodesic((town.lat, town.lon), (closest.lat, closest.lon)).km,
        },
        "place": matched.name if matched else None,
        "place_role": matched.role if matched else None,
        "time": None,
        "time_kind": None,
        "time_place": None,
        "time_note": None,
        "estimate_from": None,
        "estimate_times": None,
        "estimate_kinds": None,
        "estimate_km": None,
        "estimate_spans_stop": [],
    }
    if matched is not None and matched.time:
        answer.update(
            time=matched.time,
            time_kind=matched.time_kind,
            time_place=matched.name,
            time_note=matched.time_note,
        )
        return answer
    estimate = _estimate(prepared, matched.km if matched is not None else km_along)
    if estimate is not None:
        answer.update(estimate, time_kind="estimate")
    return answer


def town_answer(route: RouteData, town: Town, through_km: float = THROUGH_KM) -> dict:
    """route_answer for all six routes (2020 stages 1-4, then 1927, 1955) and a summary.

    Keys: town (the Town); routes (list of route_answer dicts in ROUTE_IDS order); summary:
    stages_through (2020 route_ids that pass), passes_2020 (bool), nearest_stage and
    nearest_stage_distance_km (the 2020 stage whose line is nearest, always filled),
    historic_through (1927/1955 route_ids that pass).
    """
    answers = [route_answer(route, town, route_id, through_km) for route_id in ROUTE_IDS]
    by_id = {a["route_id"]: a for a in answers}
    stages = [by_id[r] for r in STAGE_ROUTE_IDS]
    nearest = min(stages, key=lambda a: a["distance_km"])
    through = [a["route_id"] for a in stages if a["passes"]]
    return {
        "town": town,
        "routes": answers,
        "summary": {
            "stages_through": through,
            "passes_2020": bool(through),
            "nearest_stage": nearest["route_id"],
            "nearest_stage_distance_km": nearest["distance_km"],
            "historic_through": [r for r in HISTORIC_ROUTE_IDS if by_id[r]["passes"]],
        },
    }
