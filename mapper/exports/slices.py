"""Slices: the map on one date as a GeoJSON FeatureCollection (``mapper slice``, ``data/slices/``).

Sovereignty units first (holder named as on the slice's date, claimants), then the zones in force.
Every feature also carries the slice's ``date`` (ISO text) and ``event`` (the last event in effect),
so that GDAL, QGIS or a spreadsheet, which read only the features' properties, keep the date; the
collection repeats both as foreign members for GeoJSON readers.
"""
from __future__ import annotations

from mapper.exports import geojson
from mapper.exports.records import iso, unit_properties, zone_properties
from mapper.model import Atlas
from mapper.timeline import State

__all__ = ["DECIMALS", "slice_collection", "dump_geojson"]

#: Coordinates are written to this many decimals (about 10 m), the geodata's grid.
DECIMALS = 4


def slice_collection(atlas: Atlas, state: State) -> dict:
    """Return the state as a GeoJSON FeatureCollection: sovereignty units, then the zones in force."""
    when = {"date": iso(state.date), "event": state.event}
    features = [geojson.feature({**unit_properties(u, state.holders[u.id]), **when}, u.geometry, DECIMALS)
                for u in atlas.units]
    features += [geojson.feature({**zone_properties(z), **when}, z.geometry, DECIMALS)
                 for z in atlas.zones if z.id in state.zones]
    return geojson.collection(features, **when)


def dump_geojson(doc: dict) -> str:
    """Return a GeoJSON document as compact UTF-8 text, one feature a line."""
    return geojson.dumps(doc)
