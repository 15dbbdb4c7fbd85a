"""Derive the historical layers in geodata/ from the Natural Earth admin-1 extract.

This is the only code that reads ``../shared/sources``; the product itself reads only geodata/.
The recipe is ``geodata/derivation.yaml``: which admin-1 units make each historical unit and
zone, and the documented lines (areas) that cut them. An area is a drawn polygon, circles around
towns, or one side of a Natural Earth river line (the treaty lines that followed rivers).

The steps:

1. split every admin-1 unit by every recipe area it touches, giving *atoms* that partition the land;
2. simplify all atoms together as one coverage (``shapely.coverage_simplify``), so that
   neighbours keep sharing their edges, then snap them to the precision grid;
3. union atoms into units, zones and background countries, and write them as RFC 7946 GeoJSON.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyproj
import shapely
import yaml
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import split

from mapper.exports import geojson
from mapper.errors import MapperError

__all__ = ["derive", "DeriveReport", "source_units"]

ADMIN1_FILE = "ne10m_admin1_region.geojson"
RIVERS_FILE = "ne10m_rivers_region.geojson"


@dataclass(frozen=True)
class DeriveReport:
    """What :func:`derive` wrote, and which admin-1 units of the story's countries it left unused."""

    written: tuple[Path, ...]
    unused: tuple[str, ...]
    vertices: int


def _area_geometry(area_id: str, spec: dict, sources_dir: Path, admin1) -> shapely.Geometry:
    if "polygon" in spec:
        return shapely.make_valid(Polygon(spec["polygon"]))
    if "towns" in spec:
        geod = pyproj.Geod(ellps="WGS84")
        radius = float(spec["radius_km"]) * 1000.0
        circles = []
        for _name, (lon, lat) in sorted(spec["towns"].items()):
            az = np.linspace(0.0, 360.0, 33)[:-1]
            lons, lats, _ = geod.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, np.full(az.shape, radius))
            circles.append(Polygon(zip(lons, lats)))
        return shapely.union_all(circles)
    if "river" in spec:
        return _river_side(area_id, spec, sources_dir, admin1)
    raise MapperError(f"geodata/derivation.yaml: area {area_id!r}: needs 'polygon', 'towns' or 'river'")


def _river_side(area_id: str, spec: dict, sources_dir: Path, admin1) -> shapely.Geometry:
    """The part of ``frame`` on the ``keep`` side of a river line, extended at its mouth by ``mouth_to``.

    The Natural Earth piece is picked by name and scalerank and clipped to the frame; ``mouth_to``
    continues it from its downstream end (through water, checked: the extension may cut no land) until
    it leaves the frame, so that the line divides the frame in two.
    """
    import geopandas as gpd

    where = f"geodata/derivation.yaml: area {area_id!r}"
    src = sources_dir / RIVERS_FILE
    if not src.exists():
        raise MapperError(f"{src}: not found (see SOURCES.md beside it for how to make it)")
    rivers = gpd.read_file(src)
    name, rank = spec["river"]["name"], float(spec["river"]["scalerank"])
    match = rivers[(rivers["name"] == name) & (rivers["scalerank"] == rank)]
    if len(match) != 1:
        raise MapperError(f"{where}: river {name!r} scalerank {rank:g} matches {len(match)} pieces of {RIVERS_FILE}")
    frame = box(*spec["frame"])
    reach = shapely.line_merge(shapely.intersection(match.geometry.iloc[0], frame.buffer(0.01, join_style="mitre")))
    if reach.geom_type != "LineString":
        raise MapperError(f"{where}: river {name!r} enters the frame more than once; choose another frame")
    mouth = [tuple(map(float, p)) for p in spec.get("mouth_to", [])]
    if mouth:
        extension = LineString([reach.coords[-1], *mouth])
        near = admin1.geometry[admin1.geometry.intersects(extension)]
        crossed = shapely.intersection(extension, shapely.union_all(near.values)).length if len(near) else 0.0
        if crossed > 1e-6:
            raise MapperError(f"{where}: the extension from the river mouth crosses {crossed * 111:.1f} km of land")
    line = LineString([*reach.coords, *mouth])
    if frame.contains(Point(line.coords[0])) or frame.contains(Point(line.coords[-1])):
        raise MapperError(f"{where}: the river line must cross the frame from edge to edge (extend it with mouth_to)")
    keep = Point(spec["keep"])
    chosen = [g for g in shapely.get_parts(split(frame, line)) if g.contains(keep)]
    if len(chosen) != 1:
        raise MapperError(f"{where}: the keep point is on no side of the river line")
    return chosen[0]


def _atoms(admin1, areas: dict[str, shapely.Geometry]):
    """Split each admin-1 unit by the areas it touches; return (code, adm0, inside-set, geometry) rows."""
    rows: list[tuple[str, str, frozenset[str], shapely.Geometry]] = []
    for code, adm0, geom in zip(admin1["adm1_code"], admin1["adm0_a3"], admin1.geometry):
        pieces: list[tuple[frozenset[str], shapely.Geometry]] = [(frozenset(), geom)]
        for area_id, area in areas.items():
            if not shapely.intersects(geom, area):
                continue
            nxt = []
            for inside, piece in pieces:
                a = shapely.intersection(piece, area)
                b = shapely.difference(piece, area)
                for part, label in ((a, inside | {area_id}), (b, inside)):
                    part = _polygonal(part)
                    if part is not None:
                        nxt.append((label, part))
            pieces = nxt
        rows.extend((code, adm0, inside, piece) for inside, piece in pieces)
    return rows


def _polygonal(geom):
    """Return the polygonal part of ``geom`` (dropping lines and points of a cut), or None if empty."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > 1e-10]
    if not parts:
        return None
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def _select(rows, geoms, part: dict, known_areas) -> list[int]:
    for key in ("inside", "outside"):
        for area_id in part.get(key, []):
            if area_id not in known_areas:
                raise MapperError(f"geodata/derivation.yaml: unknown area {area_id!r}")
    codes = set(part.get("adm1", []))
    country = part.get("country")
    inside = set(part.get("inside", []))
    outside = set(part.get("outside", []))
    picked = []
    for i, (code, adm0, labels, _g) in enumerate(rows):
        if (code in codes or adm0 == country) and inside <= labels and not (outside & labels):
            if geoms[i] is not None:
                picked.append(i)
    return picked


def _describe(record: dict, rows, picked: list[int], names: dict[str, str], areas: dict, natural_earth: str) -> str:
    codes = sorted({rows[i][0] for i in picked}, key=lambda c: (names[c], c))
    text = f"Union of {natural_earth} units: " + ", ".join(f"{names[c]} ({c})" for c in codes) + "."
    cut = sorted({a for part in record["parts"] for key in ("inside", "outside") for a in part.get(key, [])})
    for area_id in cut:
        text += f" Cut along '{area_id}': " + " ".join(areas[area_id]["description"].split())
    note = record.get("note")
    if note:
        text += " " + " ".join(note.split())
    return text


def _feature(props: dict, geom, precision_deg: float) -> dict:
    geom = shapely.orient_polygons(geom)  # RFC 7946: exterior rings counter-clockwise
    decimals = max(0, int(round(-np.log10(precision_deg))))
    return {"type": "Feature", "properties": props, "geometry": geojson.geometry(geom, decimals)}


def _write(path: Path, features: list[dict], name: str) -> None:
    path.write_text(geojson.dumps({"type": "FeatureCollection", "name": name, "features": features}), encoding="utf-8")


def _prepare(sources_dir: Path, geodata_dir: Path):
    """Read the recipe and the admin-1 extract; split the admin-1 units into atoms."""
    import geopandas as gpd

    recipe_path = geodata_dir / "derivation.yaml"
    recipe = yaml.safe_load(recipe_path.read_text(encoding="utf-8"))
    src = sources_dir / ADMIN1_FILE
    if not src.exists():
        raise MapperError(f"{src}: not found (see SOURCES.md beside it for how to make it)")
    admin1 = gpd.read_file(src).sort_values("adm1_code", kind="stable").reset_index(drop=True)
    areas = {k: _area_geometry(k, v, sources_dir, admin1) for k, v in recipe["areas"].items()}
    return recipe_path, recipe, admin1, areas, _atoms(admin1, areas)


def source_units(sources_dir: Path, geodata_dir: Path) -> dict[str, shapely.Geometry]:
    """Return every unit's geometry before simplification (to measure what simplifying cost)."""
    _path, recipe, _admin1, areas, rows = _prepare(sources_dir, geodata_dir)
    geoms = [r[3] for r in rows]
    return {rec["id"]: shapely.union_all([geoms[i] for part in rec["parts"] for i in _select(rows, geoms, part, areas)])
            for rec in recipe["units"]}


def derive(sources_dir: Path, geodata_dir: Path) -> DeriveReport:
    """Re-derive ``units.geojson``, ``zones.geojson`` and ``countries.geojson`` in ``geodata_dir``."""
    recipe_path, recipe, admin1, areas, rows = _prepare(sources_dir, geodata_dir)
    names = dict(zip(admin1["adm1_code"], admin1["name_en"]))
    countries = dict(zip(admin1["adm0_a3"], admin1["admin"]))
    simplified = shapely.coverage_simplify(
        np.array([r[3] for r in rows], dtype=object), float(recipe["simplify_tolerance_deg"])
    )
    grid = float(recipe["precision_deg"])
    geoms = [_polygonal(shapely.make_valid(shapely.set_precision(g, grid))) for g in simplified]

    written: list[Path] = []
    used: set[str] = set()
    nat = recipe["natural_earth"]
    for layer in ("units", "zones"):
        features = []
        for rec in recipe[layer]:
            picked = sorted({i for part in rec["parts"] for i in _select(rows, geoms, part, areas)})
            if not picked:
                raise MapperError(f"{recipe_path}: {layer[:-1]} {rec['id']!r}: its parts select no land")
            if layer == "units":
                used.update(rows[i][0] for i in picked)
            geom = shapely.set_precision(shapely.union_all([geoms[i] for i in picked]), grid)
            props = {"id": rec["id"]}
            if layer == "zones":
                props["kind"] = rec["kind"]
            props.update(
                name=rec["name"],
                name_fa=rec.get("name_fa"),
                name_ru=rec.get("name_ru"),
                derivation=_describe(rec, rows, picked, names, recipe["areas"], nat),
                sources=[nat, *rec.get("sources", [])],
            )
            features.append(_feature(props, geom, grid))
        path = geodata_dir / f"{layer}.geojson"
        _write(path, features, layer)
        written.append(path)

    # Background land: modern countries from the same simplified atoms, clipped to the map's box.
    clip = box(*recipe["context_bbox"])
    features = []
    for adm0 in sorted(countries):
        parts = [geoms[i] for i, r in enumerate(rows) if r[1] == adm0 and geoms[i] is not None]
        geom = _polygonal(shapely.set_precision(shapely.intersection(shapely.union_all(parts), clip), grid))
        if geom is None:
            continue
        props = {"id": adm0.lower(), "name": countries[adm0], "derivation": f"{nat}, dissolved by country and clipped to the map's box."}
        features.append(_feature(props, geom, grid))
    path = geodata_dir / "countries.geojson"
    _write(path, features, "countries")
    written.append(path)

    story = {"IRN", "AZE", "ARM"}
    unused = tuple(sorted(c for c, a in zip(admin1["adm1_code"], admin1["adm0_a3"]) if a in story and c not in used))
    nverts = int(sum(shapely.get_num_coordinates(g) for g in geoms if g is not None))
    return DeriveReport(tuple(written), unused, nverts)
