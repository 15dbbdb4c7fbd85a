"""Geometry as the browser draws it: the atlas's shapes simplified for the web and encoded compactly.

Units are simplified together as a coverage (:func:`mapper.geometry.simplify_coverage`) so that
neighbours keep sharing their borders; coordinates sit on a 0.001° grid and travel as delta-encoded
zigzag varints (the :data:`mapper.web.payload.Encoded` format), decoded by ``assets/util.js``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mapper.geometry import simplify_coverage, simplify_each
from mapper.model import Atlas

__all__ = ["GRID", "UNIT_TOLERANCE", "WebShapes", "encode", "web_geometries", "web_shapes"]

#: Web simplification of the units (degrees), done on the whole coverage so that borders stay shared.
UNIT_TOLERANCE = 0.015
ZONE_TOLERANCE = 0.01
COUNTRY_TOLERANCE = 0.05  # modern countries are for orientation only
GRID = 0.001  # coordinates rounded to 3 decimals
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class WebShapes:
    """The units, zones and modern countries as drawn in the browser, keyed by id."""

    units: dict[str, BaseGeometry]
    zones: dict[str, BaseGeometry]
    countries: dict[str, BaseGeometry]


@lru_cache(maxsize=4)
def web_shapes(atlas: Atlas) -> WebShapes:
    """Return the atlas's shapes simplified for the web (computed once per atlas)."""
    units = dict(zip((u.id for u in atlas.units), simplify_coverage([u.geometry for u in atlas.units], UNIT_TOLERANCE, GRID)))
    zones = dict(zip((z.id for z in atlas.zones), simplify_each([z.geometry for z in atlas.zones], ZONE_TOLERANCE, GRID)))
    countries = {}
    if atlas.countries:
        geoms = [c.geometry for c in atlas.countries]
        simplify = simplify_coverage if shapely.coverage_is_valid(np.asarray(geoms, dtype=object)) else simplify_each
        countries = dict(zip((c.id for c in atlas.countries), simplify(geoms, COUNTRY_TOLERANCE, GRID)))
    return WebShapes(units, zones, countries)


def web_geometries(atlas: Atlas) -> dict[str, BaseGeometry]:
    """Return the units as drawn in the browser: coverage-simplified, on a 0.001° grid, keyed by unit id."""
    return dict(web_shapes(atlas).units)


def _varints(values) -> str:
    """Return integers as zigzag varints, 5 bits a character in the base64url alphabet (6th bit: more follows)."""
    out = []
    for v in values:
        z = v * 2 if v >= 0 else -v * 2 - 1
        while z >= 32:
            out.append(_B64[32 | (z & 31)])
            z >>= 5
        out.append(_B64[z])
    return "".join(out)


def encode(geom: BaseGeometry) -> list[list[str]]:
    """Return polygons → rings, each ring a string of delta-encoded varints (thousandths of a degree, lon then lat).

    Small steps between neighbouring vertices take one or two characters a number, about half the
    size of the same deltas written as JSON numbers.
    """
    out = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            xy = np.rint(np.asarray(ring.coords)[:-1] / GRID).astype(np.int64)
            if len(xy) < 3:
                continue
            d = np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
            rings.append(_varints(d.ravel().tolist()))
        if rings:
            out.append(rings)
    return out


def bounds(geoms: list[BaseGeometry]) -> list[list[float]]:
    """Return Leaflet bounds ``[[south, west], [north, east]]`` of some shapes."""
    x0, y0, x1, y1 = shapely.total_bounds(np.asarray(geoms, dtype=object))
    return [[round(float(y0), 3), round(float(x0), 3)], [round(float(y1), 3), round(float(x1), 3)]]
