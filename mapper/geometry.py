"""Geometry shared by every output: areas, simplification, label points and focus boxes.

The web page, the print figures and the exports measure and place things the same way by calling
these functions; none of them reads files or knows about events. Boxes are ``(west, south, east,
north)`` in degrees, as shapely's ``bounds``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "EQUAL_AREA",
    "Box",
    "LabelPoint",
    "area_km2",
    "focus_box",
    "label_centre",
    "label_point",
    "simplify_coverage",
    "simplify_each",
    "to_equal_area",
]

#: Albers equal-area conic fitted to the atlas's area (24–47° N, 38–66° E).
EQUAL_AREA = "+proj=aea +lat_0=35 +lat_1=28 +lat_2=44 +lon_0=50 +datum=WGS84 +units=m +no_defs"

Box = tuple[float, float, float, float]


# --- areas -----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _transformer() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)


def to_equal_area(geom: BaseGeometry) -> BaseGeometry:
    """Return a lon/lat geometry projected to :data:`EQUAL_AREA` (metres)."""
    t = _transformer()
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def area_km2(geom: BaseGeometry) -> float:
    """Return the area of a lon/lat geometry in km², measured in :data:`EQUAL_AREA`.

    >>> round(area_km2(shapely.box(50, 35, 51, 36)))
    10066
    """
    return to_equal_area(geom).area / 1e6


# --- simplification --------------------------------------------------------------------------------

def _on_grid(simplified: np.ndarray, grid: float) -> list[BaseGeometry]:
    out = shapely.set_precision(simplified, grid)
    # set_precision may collapse a tiny part; fall back to the point-wise rounded shape rather than lose it
    return [g if not g.is_empty else shapely.set_precision(o, grid, mode="pointwise") for g, o in zip(out, simplified)]


def simplify_coverage(geoms: Sequence[BaseGeometry], tolerance: float, grid: float) -> list[BaseGeometry]:
    """Return a coverage (polygons sharing borders) simplified together, so neighbours keep one border.

    Coordinates are rounded to ``grid`` (degrees) afterwards.
    """
    return _on_grid(shapely.coverage_simplify(np.asarray(geoms, dtype=object), tolerance), grid)


def simplify_each(geoms: Sequence[BaseGeometry], tolerance: float, grid: float) -> list[BaseGeometry]:
    """Return each geometry simplified on its own (topology kept), then rounded to ``grid``."""
    return _on_grid(shapely.simplify(np.asarray(geoms, dtype=object), tolerance, preserve_topology=True), grid)


# --- label points ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabelPoint:
    """Where to write a label for a shape: the centre of the largest circle inside its largest part.

    ``room`` is that circle's radius (in the geometry's units); ``top`` is the part's northern edge straight
    above the centre (where a line due north from it leaves the part), for writing a label above a shape
    too small to hold it: a point on the shape's own edge, so that a line drawn to it points at the shape
    (the top of the part's bounding box, the old choice, could lie over a neighbour: Gulistan's recognised
    conquests were anchored in Dagestan, ceded at the same step).
    """

    x: float
    y: float
    room: float
    top: float


def _inscribed(geom: BaseGeometry | Sequence[BaseGeometry], tolerance: float) -> tuple[BaseGeometry, Any, float]:
    """Return the largest part of ``geom`` (or of the union of several), its largest inscribed circle's centre and radius."""
    if not isinstance(geom, BaseGeometry):
        geom = shapely.union_all(np.asarray(list(geom), dtype=object))
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        raise ValueError("label_point needs a polygon")
    big = max(parts, key=lambda p: p.area)
    circle = shapely.maximum_inscribed_circle(big, tolerance=tolerance)
    return big, shapely.get_point(circle, 0), float(shapely.length(circle))


def label_centre(geom: BaseGeometry | Sequence[BaseGeometry], *, tolerance: float = 0.02) -> tuple[float, float]:
    """Return only the ``x``, ``y`` of :func:`label_point` (the print figures' labels: no northern edge sought).

    >>> label_centre(shapely.box(0, 0, 2, 2))
    (1.0, 1.0)
    """
    _, centre, _ = _inscribed(geom, tolerance)
    return round(centre.x, 6), round(centre.y, 6)


def label_point(geom: BaseGeometry | Sequence[BaseGeometry], *, tolerance: float = 0.02) -> LabelPoint:
    """Return the label point of a geometry (or of the union of several).

    ``tolerance`` is in the geometry's units (0.02° for lon/lat, about 2000 m for metres).

    >>> label_point(shapely.box(0, 0, 2, 2))
    LabelPoint(x=1.0, y=1.0, room=1.0, top=2.0)
    """
    big, centre, room = _inscribed(geom, tolerance)
    north = shapely.LineString([(centre.x, centre.y), (centre.x, big.bounds[3] + 1.0)])
    ys = [y for _, y in shapely.get_coordinates(shapely.intersection(north, big.boundary)) if y >= centre.y]
    top = min(ys) if ys else big.bounds[3]
    return LabelPoint(round(centre.x, 6), round(centre.y, 6), round(room, 6), round(float(top), 6))


# --- focus boxes -----------------------------------------------------------------------------------

def _projected_aspect(box: Box) -> float:
    """Return height / width of a lon/lat box once projected to :data:`EQUAL_AREA`."""
    x0, y0, x1, y1 = to_equal_area(shapely.segmentize(shapely.box(*box), 0.25)).bounds
    return (y1 - y0) / (x1 - x0)


def focus_box(geoms: Sequence[BaseGeometry], frame: Box, *, pad: float = 1.2, min_size: tuple[float, float] = (14.0, 9.0),
              aspect: float | None = None, whole_above: float = 0.7) -> Box:
    """Return a lon/lat box around ``geoms`` that stays inside ``frame``.

    The box is the geometries' bounds grown by ``pad`` degrees, at least ``min_size`` (width, height)
    degrees, and with ``aspect`` (height / width, in the equal-area projection) when given. When the
    box would cover ``whole_above`` of the frame's width or height, or there is nothing to focus on,
    the frame itself is returned.

    >>> focus_box([shapely.box(48, 38, 49, 39)], (30, 20, 70, 50))
    (41.5, 34.0, 55.5, 43.0)
    """
    fx0, fy0, fx1, fy1 = frame
    if not len(geoms):
        return frame
    union = shapely.intersection(shapely.union_all(np.asarray(list(geoms), dtype=object)), shapely.box(*frame))
    if union.is_empty:
        return frame
    x0, y0, x1, y1 = union.bounds
    w, h = max(x1 - x0 + 2 * pad, min_size[0]), max(y1 - y0 + 2 * pad, min_size[1])
    if w >= whole_above * (fx1 - fx0) or h >= whole_above * (fy1 - fy0):
        return frame
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if aspect is not None:
        for _ in range(4):
            have = _projected_aspect((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
            if have < aspect:
                h *= aspect / have
            else:
                w *= have / aspect
    w, h = min(w, fx1 - fx0), min(h, fy1 - fy0)
    cx = min(max(cx, fx0 + w / 2), fx1 - w / 2)
    cy = min(max(cy, fy0 + h / 2), fy1 - h / 2)
    return tuple(round(v, 3) for v in (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))  # type: ignore[return-value]
