"""Reading the GeoJSON layers: units, zones and the background countries, with their geometry checked."""
from __future__ import annotations

import math
import re
from pathlib import Path

import shapely
from shapely.geometry import shape

from mapper import limits
from mapper.errors import Problem
from mapper.geodata.fields import Record, read_json, sources_field
from mapper.model import ZONE_KINDS, Country, Unit, Zone

__all__ = ["ATLAS_BOUNDS", "MAP_BOX", "read_layer", "in_box"]

#: Every geometry must lie within this box (lon/lat): the atlas's area with a margin ...
ATLAS_BOUNDS = (30.0, 20.0, 72.0, 52.0)
#: ... and have its centre in the map's box, where the story happens.
MAP_BOX = (38.0, 24.0, 66.0, 48.0)


def read_layer(path: Path, problems: list[Problem], *, layer: str, declared: set[str] | None = None):
    """Read ``units``, ``zones`` or ``countries`` (background land: no derivation, no centre check)."""
    doc = read_json(path, problems)
    if doc is None:
        return []
    file = str(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(file, None, "type", "must be a GeoJSON FeatureCollection"))
        return []
    crs = doc.get("crs")
    if crs is not None and not isinstance(crs, dict):
        problems.append(Problem(file, None, "crs", f"must be a mapping like {{\"type\": \"name\", ...}}, not {limits.shorten(crs)}"))
    elif crs is not None:
        props = crs.get("properties")
        crs_name = str(props.get("name", "")) if isinstance(props, dict) else ""
        if not re.search(r"(CRS84|EPSG::?4326)\Z", crs_name):
            problems.append(Problem(file, None, "crs", f"declares {crs_name!r}; GeoJSON must be WGS84 lon/lat (RFC 7946)"))
    out: list[Unit | Zone | Country] = []
    seen: dict[str, int] = {}
    for n, feat in enumerate(doc["features"], 1):
        props = (feat or {}).get("properties") if isinstance(feat, dict) else None
        fid = props.get("id") if isinstance(props, dict) else None
        rec = Record(file, f"feature {n}" + (f" {limits.shorten(fid)}" if isinstance(fid, str) else ""), props, problems)
        ident = rec.ident()
        if ident and declared is not None:
            declared.add(ident)
        if ident in seen:
            rec.problem("id", f"duplicate id {ident!r} (also feature {seen[ident]})")
            ident = None
        elif ident:
            seen[ident] = n
        geom = _geometry(rec, feat.get("geometry") if isinstance(feat, dict) else None, centred=layer != "countries")
        name = rec.text("name")
        common = dict(
            name_fa=rec.text("name_fa", required=False),
            name_ru=rec.text("name_ru", required=False),
        )
        if ident is None or geom is None or name is None:
            continue
        if layer == "countries":
            out.append(Country(ident, name, geom))
            continue
        derivation = rec.text("derivation")
        srcs = tuple(s.title for s in sources_field(rec))
        if derivation is None:
            continue
        if layer == "zones":
            kind = rec.choice("kind", ZONE_KINDS, required=True)
            if kind:
                out.append(Zone(ident, name, geom, derivation, srcs, kind=kind, **common))
        else:
            out.append(Unit(ident, name, geom, derivation, srcs, **common))
    return out


def _geometry(rec: Record, g, *, centred: bool = True):
    """Return the shapely geometry of a GeoJSON polygon, or None after reporting what is wrong.

    ``centred``: the shape's centre must lie in the map's box (units and zones; not background land).
    """
    if not isinstance(g, dict):
        rec.problem("geometry", "missing")
        return None
    if g.get("type") not in ("Polygon", "MultiPolygon"):
        rec.problem("geometry", f"must be a Polygon or MultiPolygon, not {g.get('type')!r}")
        return None
    try:
        rings = list(_rings(g))
        if sum(len(r) for r in rings if isinstance(r, list)) > limits.MAX_VERTICES:
            rec.problem("geometry", f"has more than {limits.MAX_VERTICES:,} positions; simplify it (see derivation.yaml)")
            return None
        flat = [float(v) for ring in rings for pos in ring for v in pos[:2]]
    except (TypeError, ValueError, IndexError, OverflowError):
        rec.problem("geometry", "malformed coordinates (each position must be [lon, lat])")
        return None
    if not all(math.isfinite(v) for v in flat):
        rec.problem("geometry", "has a coordinate that is not a number (NaN or infinite)")
        return None
    bad = next(((x, y) for x, y in zip(flat[::2], flat[1::2]) if not (-180 <= x <= 180 and -90 <= y <= 90)), None)
    if bad is not None:
        rec.problem("geometry", f"has the position {list(bad)!r}, which is no longitude/latitude (lon -180..180, lat -90..90)")
        return None
    for ring in rings:
        if len(ring) < 4 or list(ring[0]) != list(ring[-1]):
            rec.problem("geometry", "has a ring that is not closed (its first and last positions differ)")
            return None
    try:
        geom = shape(g)
    except Exception as e:  # shapely raises several types for malformed coordinates
        rec.problem("geometry", f"malformed coordinates ({e})")
        return None
    if geom.is_empty:
        rec.problem("geometry", "is empty")
        return None
    if not geom.is_valid:
        rec.problem("geometry", f"is invalid: {shapely.is_valid_reason(geom)}")
        return None
    x0, y0, x1, y1 = geom.bounds
    bx0, by0, bx1, by1 = ATLAS_BOUNDS
    c = geom.centroid
    if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1 or (centred and not in_box(c.x, c.y, MAP_BOX)):
        hint = " (are longitude and latitude swapped?)" if in_box(c.y, c.x, MAP_BOX) else ""
        rec.problem("geometry", f"lies outside the atlas's area (centre lon {MAP_BOX[0]:g}..{MAP_BOX[2]:g}, "
                                f"lat {MAP_BOX[1]:g}..{MAP_BOX[3]:g}): bounds {tuple(round(b, 2) for b in geom.bounds)}{hint}")
        return None
    return geom


def in_box(x: float, y: float, b) -> bool:
    return b[0] <= x <= b[2] and b[1] <= y <= b[3]


def _rings(g: dict):
    coords = g.get("coordinates") or []
    polys = coords if g.get("type") == "MultiPolygon" else [coords]
    for poly in polys:
        yield from poly
