"""Write GeoJSON the one way every output does: rounded coordinates, one feature a line.

A leaf module (no other mapper imports), used by the derivation, the data exports and the GIS layers.
"""
from __future__ import annotations

import json

from shapely.geometry import mapping

__all__ = ["geometry", "dumps"]


def _round(obj, decimals: int):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, decimals) for v in obj]
        return [_round(o, decimals) for o in obj]
    return obj


def geometry(geom, decimals: int = 4) -> dict:
    """Return a shapely geometry as a GeoJSON geometry with coordinates rounded to ``decimals``."""
    m = mapping(geom)
    return {"type": m["type"], "coordinates": _round(m["coordinates"], decimals)}


def dumps(doc: dict) -> str:
    """Return a GeoJSON document as compact UTF-8 text, one feature a line (reviewable diffs), ending in a newline."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n"
