"""The elevation grid shipped in data/elevation/ (built by tools/build_relief.py from NOAA's
GLOBE 30 arc-second tile G): read once when the app is created, sampled bilinearly.

GLOBE Task Team et al. (1999), NOAA NGDC. The sea is 0 m in the grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

GRID_FILE = Path("elevation") / "italy_globe30.npz"  # inside the data folder
MIN_CELLS = 2  # bilinear sampling needs two cells each way


class ElevationError(ValueError):
    """The elevation grid cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True, eq=False)
class ElevationGrid:
    """Heights in metres on a regular lat/lon grid, north row first.

    north_lat, west_lon: the centre of the north-west cell; step: the cell size, degrees.
    """

    heights: np.ndarray
    north_lat: float
    west_lon: float
    step: float

    def sample(self, lats, lons) -> np.ndarray:
        """Bilinear heights (m) at the points; NaN outside the grid."""
        lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
        rows, cols = self.heights.shape
        row = (self.north_lat - lats) / self.step
        col = (lons - self.west_lon) / self.step
        inside = (row >= 0) & (row <= rows - 1) & (col >= 0) & (col <= cols - 1)
        row, col = np.where(inside, row, 0.0), np.where(inside, col, 0.0)
        r0 = np.minimum(np.floor(row).astype(int), rows - 2)
        c0 = np.minimum(np.floor(col).astype(int), cols - 2)
        fr, fc = row - r0, col - c0
        h = self.heights
        top = h[r0, c0] * (1 - fc) + h[r0, c0 + 1] * fc
        bottom = h[r0 + 1, c0] * (1 - fc) + h[r0 + 1, c0 + 1] * fc
        return np.where(inside, top * (1 - fr) + bottom * fr, np.nan)


def load_elevation(path: Path | str) -> ElevationGrid:
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            heights = npz["elevation"].astype(np.float64)
            north, west, step = (float(npz[k]) for k in ("north_lat", "west_lon", "step"))
    except (OSError, KeyError, ValueError) as error:
        raise ElevationError(f"{path}: not an elevation grid ({error})") from error
    if heights.ndim != 2 or min(heights.shape) < MIN_CELLS or step <= 0:
        raise ElevationError(f"{path}: expected a 2-D grid and a positive step")
    heights.flags.writeable = False  # read-only after load: shared by every request
    return ElevationGrid(heights, north, west, step)
