"""Write GeoJSON the one way every output does: rounded coordinates, one feature a line.

A leaf module (no other mapper imports), used by the derivation, the slices and the GIS layers.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

__all__ = ["geometry", "feature", "collection", "dumps"]


def _round(obj: Any, decimals: int) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, decimals) for v in obj]
        return [_round(o, decimals) for o in obj]
    return obj


@lru_cache(maxsize=512)
def geometry(geom: BaseGeometry, decimals: int = 4) -> dict:
    """Return a shapely geometry as a GeoJSON geometry with coordinates rounded to ``decimals``.

    The result is cached (the 68 slices repeat the same 34 units): treat it as read-only.
    """
    m = mapping(geom)
    return {"type": m["type"], "coordinates": _round(m["coordinates"], decimals)}


def feature(properties: dict, geom: BaseGeometry, decimals: int = 4) -> dict:
    """Return a GeoJSON Feature with these properties (in their order) and the rounded geometry."""
    return {"type": "Feature", "properties": properties, "geometry": geometry(geom, decimals)}


def collection(features: list[dict], **members: Any) -> dict:
    """Return a FeatureCollection; ``members`` (``name``, ``date`` ...) come before the features."""
    return {"type": "FeatureCollection", **members, "features": features}


def dumps(doc: dict) -> str:
    """Return a GeoJSON document as compact UTF-8 text, one feature a line (reviewable diffs), ending in a newline."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n"
