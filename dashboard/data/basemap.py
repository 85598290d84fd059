"""The offline basemap shipped in assets/basemap (built by tools/build_basemap.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Basemap:
    countries: dict
    regions: dict
    # where the browser can fetch each layer (see layer_geojson), when the app serves them:
    # the map then names a URL instead of carrying the layers' GeoJSON in every figure
    urls: Mapping[str, str] | None = None
    # the shaded relief's corners (lon, lat; top-left first, clockwise), from relief.json;
    # the relief is drawn only where the app serves its picture (urls["relief"])
    relief_corners: tuple[tuple[float, float], ...] | None = None


LAYERS = ("land", "italy", "regions")
# the basemap's credit: a text per language (dashboard/texts/*.json), as the page shows it
ATTRIBUTION_TEXT = "map.basemap_attribution"
RELIEF_PICTURE = "relief.png"  # built with relief.json by tools/build_relief.py


def layer_geojson(basemap: Basemap, layer: str) -> dict:
    """One basemap layer: 'land' (the neighbours), 'italy', or 'regions' (Italy's)."""
    if layer == "regions":
        return basemap.regions
    is_italy = layer == "italy"
    return {
        "type": "FeatureCollection",
        "features": [
            f
            for f in basemap.countries["features"]
            if bool(f["properties"].get("italy")) is is_italy
        ],
    }


def layer_source(basemap: Basemap, layer: str) -> str | dict:
    """What a map layer's `source` is: the served URL if there is one, else the GeoJSON."""
    if basemap.urls and layer in basemap.urls:
        return basemap.urls[layer]
    return layer_geojson(basemap, layer)


def load_basemap(folder: Path | str) -> Basemap:
    folder = Path(folder)
    return Basemap(
        countries=json.loads((folder / "countries.geojson").read_text(encoding="utf-8")),
        regions=json.loads((folder / "regions.geojson").read_text(encoding="utf-8")),
        relief_corners=_relief_corners(folder),
    )


def _relief_corners(folder: Path) -> tuple[tuple[float, float], ...]:
    meta = json.loads((folder / "relief.json").read_text(encoding="utf-8"))
    return tuple((float(lon), float(lat)) for lon, lat in meta["coordinates"])
