"""The offline basemap shipped in assets/basemap (built by tools/build_basemap.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ATTRIBUTION = "Basemap: Natural Earth (public domain) · Italian regions: ISTAT (CC BY 4.0)"


@dataclass(frozen=True)
class Basemap:
    countries: dict
    regions: dict
    attribution: str = ATTRIBUTION


def load_basemap(folder: Path | str) -> Basemap:
    folder = Path(folder)
    return Basemap(
        countries=json.loads((folder / "countries.geojson").read_text(encoding="utf-8")),
        regions=json.loads((folder / "regions.geojson").read_text(encoding="utf-8")),
    )
