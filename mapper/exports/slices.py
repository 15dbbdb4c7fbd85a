"""Slices: the map on one date as a GeoJSON FeatureCollection (``mapper slice``, ``data/slices/``).

Sovereignty units first (holder named as on the slice's date, claimants), then the zones in force.
Every feature also carries the slice's ``date`` (ISO text) and ``event`` (the last event in effect),
so that GDAL, QGIS or a spreadsheet, which read only the features' properties, keep the date; the
collection repeats both as foreign members for GeoJSON readers.
"""
from __future__ import annotations

from pathlib import Path

from mapper.exports import geojson
from mapper.exports.records import iso, unit_properties, zone_properties
from mapper.model import Atlas
from mapper.timeline import State

__all__ = ["DECIMALS", "SLICE_FORMATS", "slice_collection", "dump_geojson", "write_slice"]

#: Coordinates are written to this many decimals (about 10 m), the geodata's grid.
DECIMALS = 4


def slice_collection(atlas: Atlas, state: State) -> dict:
    """Return the state as a GeoJSON FeatureCollection: sovereignty units, then the zones in force."""
    when = {"date": iso(state.date), "event": state.event}
    features = [geojson.feature({**unit_properties(u, state.holders[u.id], atlas), **when}, u.geometry, DECIMALS)
                for u in atlas.units]
    features += [geojson.feature({**zone_properties(z, atlas), **when}, z.geometry, DECIMALS)
                 for z in atlas.zones if z.id in state.zones]
    return geojson.collection(features, **when)


def dump_geojson(doc: dict) -> str:
    """Return a GeoJSON document as compact UTF-8 text, one feature a line."""
    return geojson.dumps(doc)


#: Output formats of :func:`write_slice`, by file suffix (anything else is GeoJSON).
SLICE_FORMATS = {".shp": "ESRI Shapefile", ".gpkg": "GPKG"}
#: Shapefile field names have at most 10 characters: the longer properties get these names.
_SHAPEFILE_NAMES = {"holder_name": "holder_nam", "claimed_by": "claimed_by"}


def write_slice(atlas: Atlas, state: State, path: Path) -> None:
    """Write the slice to ``path``: GeoJSON, or by suffix a Shapefile (``.shp``) or GeoPackage (``.gpkg``).

    A Shapefile is written in UTF-8 with its ``.cpg`` file saying so (GDAL's ``ENCODING=UTF-8``), so
    that Persian and Russian names survive in QGIS, GDAL and ArcGIS; list properties are joined
    with spaces and ``holder_name`` becomes ``holder_nam`` (ten characters at most).
    """
    path = Path(path)
    driver = SLICE_FORMATS.get(path.suffix.lower())
    doc = slice_collection(atlas, state)
    if driver is None:
        path.write_text(dump_geojson(doc), encoding="utf-8")
        return
    import geopandas as gpd
    import pyogrio

    from mapper.exports.gpkg import GPKG_VERSION

    rows = []
    for f in doc["features"]:
        props = {k: (" ".join(v) if isinstance(v, list) else v) for k, v in f["properties"].items()}
        rows.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    frame = gpd.GeoDataFrame.from_features(rows, crs="EPSG:4326")
    columns = ["id", "layer", "name", "name_fa", "name_ru", "holder", "holder_name", "since", "claimed_by", "kind",
               "date", "event", "geometry"]
    frame = frame.reindex(columns=columns)
    for c in columns[:-1]:  # text columns, also where every value is empty (zones' kind on a date without zones)
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    options: dict[str, str] = {}
    dataset_options: dict[str, str] = {}
    if driver == "ESRI Shapefile":
        frame = frame.rename(columns=_SHAPEFILE_NAMES)
        options["ENCODING"] = "UTF-8"
        for sidecar in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            path.with_suffix(sidecar).unlink(missing_ok=True)
    else:
        path.unlink(missing_ok=True)
        dataset_options["VERSION"] = GPKG_VERSION  # as data/atlas.gpkg: no warning in GDAL 3.6 / QGIS 3.22
    pyogrio.write_dataframe(frame, path, driver=driver, layer=path.stem, promote_to_multi=True,
                            layer_options=options or None, dataset_options=dataset_options or None)
