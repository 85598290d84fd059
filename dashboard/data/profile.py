"""The altitude profile of a route: the elevation grid sampled along the drawn line.

The line goes straight from one listed place to the next, so the profile is the ground under
that line (GLOBE 30", about 1 km cells), not the road's: it shows where the mountains are and
about how high, while the real road winds, climbs and tunnels differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dashboard.data.elevation import ElevationGrid
from dashboard.data.route import RouteData

STEP_KM = 0.5
SMOOTH_SAMPLES = 5  # the climb is summed over a moving average of 2 km: grid noise is no climb
NEAR_PLACE_KM = 3.0  # the highest point is named after a listed place this close


@dataclass(frozen=True)
class ProfilePlace:
    name: str
    role: str
    order: int
    km: float
    elevation_m: float
    certainty: str


@dataclass(frozen=True)
class Highest:
    km: float
    elevation_m: float
    lat: float
    lon: float
    near: str | None  # the listed place within NEAR_PLACE_KM, if any


@dataclass(frozen=True)
class Profile:
    route_id: str
    km: tuple[float, ...]  # distance from the start along the drawn line
    elevation_m: tuple[float, ...]
    lat: tuple[float, ...]
    lon: tuple[float, ...]
    places: tuple[ProfilePlace, ...]
    climb_m: float  # the sum of the rises, lightly smoothed
    highest: Highest


def points_along(
    path: tuple[tuple[float, float], ...], cumulative_km: tuple[float, ...], step_km: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(km, lat, lon) every step_km along a path, its end included; each segment is
    interpolated linearly between its vertices by its share of the geodesic length."""
    cumulative = np.asarray(cumulative_km, dtype=float)
    total = float(cumulative[-1])
    km = np.arange(0.0, total, step_km)
    km = np.append(km, total) if total > 0 else np.array([0.0])
    lats, lons = np.asarray(path, dtype=float).T
    return km, np.interp(km, cumulative, lats), np.interp(km, cumulative, lons)


def smoothed(values: np.ndarray, window: int = SMOOTH_SAMPLES) -> np.ndarray:
    """A centred moving average; the window shrinks at the ends so none is dropped."""
    half = window // 2
    padded = np.concatenate([[0.0], np.cumsum(values)])
    index = np.arange(len(values))
    lo, hi = np.maximum(index - half, 0), np.minimum(index + half + 1, len(values))
    return (padded[hi] - padded[lo]) / (hi - lo)


def total_climb(elevation: np.ndarray) -> float:
    """The sum of the positive steps of the smoothed profile, metres."""
    steps = np.diff(smoothed(elevation))
    return float(steps[steps > 0].sum())


def route_profile(
    route: RouteData, grid: ElevationGrid, route_id: str, step_km: float = STEP_KM
) -> Profile:
    """The profile of one route: samples every step_km, its listed places, climb, highest."""
    km, lat, lon = points_along(route.paths[route_id], route.cumulative_km[route_id], step_km)
    elevation = np.nan_to_num(grid.sample(lat, lon), nan=0.0)  # off the grid: as the sea
    places = _places(route, grid, route_id)
    top = int(np.argmax(elevation))
    near = [p for p in places if abs(p.km - km[top]) <= NEAR_PLACE_KM]
    highest = Highest(  # rounded as the samples are
        km=round(float(km[top]), 3),
        elevation_m=round(float(elevation[top]), 1),
        lat=round(float(lat[top]), 5),
        lon=round(float(lon[top]), 5),
        near=min(near, key=lambda p: abs(p.km - km[top])).name if near else None,
    )
    return Profile(
        route_id=route_id,
        km=tuple(km.round(3).tolist()),
        elevation_m=tuple(elevation.round(1).tolist()),
        lat=tuple(lat.round(5).tolist()),
        lon=tuple(lon.round(5).tolist()),
        places=places,
        climb_m=total_climb(elevation),
        highest=highest,
    )


def _places(route: RouteData, grid: ElevationGrid, route_id: str) -> tuple[ProfilePlace, ...]:
    """The route's listed places that are on the line (a place with no position is not)."""
    rows = route.places[route.places["route_id"] == route_id].sort_values("order")
    located = rows[rows["lat"].notna() & rows["lon"].notna() & rows["km_from_start"].notna()]
    heights = grid.sample(located["lat"].to_numpy(float), located["lon"].to_numpy(float))
    return tuple(
        ProfilePlace(
            name=row["name"],
            role=row["role"],
            order=int(row["order"]),
            km=float(row["km_from_start"]),
            elevation_m=0.0 if math.isnan(height) else float(height),
            certainty=row["certainty"],
        )
        for row, height in zip(located.to_dict("records"), heights, strict=True)
    )
