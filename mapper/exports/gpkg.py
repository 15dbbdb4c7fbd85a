"""GIS exports: a GeoPackage with validity intervals and QGIS styles, and static GeoJSON layers.

``data/atlas.gpkg`` is a GeoPackage 1.2 (application id ``GPKG``, user version 10200), the version
GDAL 3.6 and QGIS 3.22 (Debian stable) open without a warning. It holds four layers, all in EPSG:4326:

``unit_periods``
    One row per sovereignty unit and holder period, valid on the half-open interval
    ``[start, end)``: ``unit_id``, ``name``, ``name_fa``, ``name_ru``, ``holder``
    (``persia``, ``russia`` or ``other``), ``holder_name`` (the name the holder went by during the
    period), ``claimed_by`` (claimants, space-separated, empty when none), ``since_event`` (the event
    since which the holder held it), ``certainty`` (how sure that event's change of holder is: ``high``,
    ``medium`` or ``low``, as ``changes.csv`` and the panel say; NULL on the starting map),
    ``until_event`` (the event that ends the period; NULL when a
    renaming or nothing ends it), ``start`` and ``end`` (GeoPackage DATE), ``start_iso`` and
    ``end_iso`` (the same dates as ISO text, ``0913-01-01``), ``km2`` and the geometry
    (MultiPolygon). A new period begins whenever the holder, its name or its claimants change.
``zone_periods``
    One row per zone and period in force: ``zone_id``, ``kind``, ``name``, ``name_fa``,
    ``name_ru``, ``start``, ``end``, ``start_iso``, ``end_iso``, ``since_event``,
    ``until_event``, geometry.
``places``
    ``place_id``, ``name``, ``name_fa``, ``name_ru``, ``roles`` (reader's labels joined with
    ``; ``), ``role_codes`` (``capital embassy signing ...``), ``lon``, ``lat``, ``note`` (the
    place's note, else its roles' notes), ``start``, ``end``, ``start_iso``, ``end_iso`` (when the
    place matters: a capital's years, a treaty's date; see :func:`.records.place_span`),
    ``sources``, Point.
``countries``
    Modern countries as background land: ``country_id``, ``name``, MultiPolygon (not temporal).

and the table ``layer_styles`` with one default QGIS style (QML, and an SLD) per layer
(:mod:`.qgis_style`): QGIS applies it, with the temporal settings, when it opens a layer.

A NULL ``start`` means "since before the first event" (the baseline), a NULL ``end`` means
"still in force". In QGIS, set the layer's temporal properties to *Separate fields for start and
end date/time* with ``start`` and ``end`` and the limit mode *Include start, exclude end*; QGIS
treats NULL bounds as open. Dates are proleptic Gregorian, so the Rus' raid of 913 starts on
``0913-01-01``.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
from pyogrio.raw import write as _ogr_write

from mapper.exports import geojson
from mapper.exports.lpf import LPF_NAME, lpf_text
from mapper.exports.qgis_project import PROJECT_NAME, project_xml
from mapper.exports.qgis_style import layer_style
from mapper.exports.records import iso, names, place_row, unit_period_row, zone_period_row
from mapper.model import Atlas
from mapper.timeline import Period, holder_periods, holdings_begun, unit_area_km2, zone_periods

__all__ = ["GPKG_NAME", "GPKG_VERSION", "LAYERS", "STYLE_TABLE", "unit_period_rows", "zone_period_rows",
           "place_rows", "country_rows", "write_gis"]

GPKG_NAME = "atlas.gpkg"
#: The GeoPackage version written (GDAL's ``VERSION`` creation option).
GPKG_VERSION = "1.2"
#: The GeoPackage's layers, in the order they are written.
LAYERS = ("unit_periods", "zone_periods", "places", "countries")
#: The table QGIS reads layer styles from.
STYLE_TABLE = "layer_styles"
#: A fixed "last change" time for the GeoPackage's metadata tables, so that builds do not differ by the clock.
_GPKG_TIMESTAMP = "2000-01-01T00:00:00.000Z"

_DESCRIPTIONS = {
    "unit_periods": "Sovereignty units, one row per holder period, valid on [start, end); "
                    "NULL start = baseline (before the first event), NULL end = still in force.",
    "zone_periods": "Spheres, occupation zones and short-lived republics, one row per period in force, "
                    "valid on [start, end); NULL end = still in force.",
    "places": "Capitals, missions, signing places and cities named in the atlas, valid on [start, end) "
              "(NULL: always).",
    "countries": "Modern countries (Natural Earth, public domain), drawn as background land.",
    STYLE_TABLE: "QGIS layer styles (QML and SLD), one default per layer.",
}


def unit_period_rows(atlas: Atlas) -> list[dict]:
    """Return one record per unit and period (the ``unit_periods`` layer), geometry last."""
    begun = holdings_begun(atlas)  # how sure each holding began (None: the starting map)
    return [unit_period_row(atlas.unit(p.id), p, unit_area_km2(atlas.unit(p.id).geometry), atlas,
                            certainty=getattr(begun.get((p.since or "", p.id)), "certainty", None))
            for p in holder_periods(atlas)]


def zone_period_rows(atlas: Atlas) -> list[dict]:
    """Return one record per zone and period in force (the ``zone_periods`` layer), geometry last."""
    return [zone_period_row(atlas.zone(p.id), p, atlas) for p in zone_periods(atlas)]


def place_rows(atlas: Atlas) -> list[dict]:
    """Return one record per place (the ``places`` layer), geometry last."""
    return [place_row(atlas, p) for p in atlas.places]


def country_rows(atlas: Atlas) -> list[dict]:
    """Return one record per modern country (the ``countries`` layer, background land), geometry last."""
    return [{"country_id": c.id, "name": c.name, "geometry": c.geometry} for c in atlas.countries]


_DATE_FIELDS = {"start", "end"}
_FLOAT_FIELDS = {"km2", "lon", "lat"}


def _columns(rows: list[dict]) -> tuple[list[str], list[np.ndarray], list[np.ndarray | None]]:
    names = [k for k in rows[0] if k != "geometry"]
    data: list[np.ndarray] = []
    masks: list[np.ndarray | None] = []
    for name in names:
        values = [r[name] for r in rows]
        if name in _DATE_FIELDS:  # GeoPackage DATE; NaT is written as NULL
            data.append(np.array([np.datetime64(iso(v)) if v else np.datetime64("NaT") for v in values],
                                 dtype="datetime64[D]"))
            masks.append(None)
        elif name in _FLOAT_FIELDS:
            data.append(np.array(values, dtype="float64"))
            masks.append(None)
        else:
            data.append(np.array(values, dtype=object))
            masks.append(np.array([v is None for v in values]))
    return names, data, masks


def _write_layer(path: Path, layer: str, rows: list[dict], geometry_type: str) -> None:
    names, data, masks = _columns(rows)
    geoms = [r["geometry"] for r in rows]
    if geometry_type == "MultiPolygon":
        geoms = [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms]
    wkb = shapely.to_wkb(np.array(geoms, dtype=object), flavor="iso")
    _ogr_write(str(path), wkb, data, names, field_mask=masks, layer=layer, driver="GPKG",
               geometry_type=geometry_type, crs="EPSG:4326", append=path.exists(),
               dataset_options={"VERSION": GPKG_VERSION},
               layer_options={"DESCRIPTION": _DESCRIPTIONS[layer]})  # gpkg_contents.description


def _write_styles(path: Path) -> None:
    """Add the ``layer_styles`` table as QGIS makes it (an attributes table), one default style per layer."""
    styles = [layer_style(layer) for layer in LAYERS]
    n = len(styles)
    columns: dict[str, Any] = {
        "f_table_catalog": [""] * n, "f_table_schema": [""] * n, "f_table_name": [s.layer for s in styles],
        "f_geometry_column": ["geom"] * n, "styleName": [s.layer for s in styles],
        "styleQML": [s.qml for s in styles], "styleSLD": [s.sld for s in styles],
        "useAsDefault": np.ones(n, dtype=bool), "description": [s.title for s in styles],
        "owner": [""] * n, "ui": [None] * n,
        "update_time": np.array([_GPKG_TIMESTAMP[:19]] * n, dtype="datetime64[ms]"),
    }
    data = [v if isinstance(v, np.ndarray) else np.array(v, dtype=object) for v in columns.values()]
    masks = [None if isinstance(v, np.ndarray) else np.array([x is None for x in v]) for v in columns.values()]
    _ogr_write(str(path), None, data, list(columns), field_mask=masks, layer=STYLE_TABLE, driver="GPKG",
               append=True, layer_options={"DESCRIPTION": _DESCRIPTIONS[STYLE_TABLE], "FID": "id"})


def _feature_collection(rows: list[dict], name: str) -> str:
    features = []
    for r in rows:
        props = {k: (iso(v) if isinstance(v, dt.date) else v) for k, v in r.items() if k != "geometry"}
        features.append(geojson.feature(props, r["geometry"]))
    return geojson.dumps(geojson.collection(features, name=name))


def _static_units(atlas: Atlas) -> list[dict]:
    return [{"id": u.id, **names(u, atlas),
             "baseline_holder": atlas.baseline[u.id].holder if u.id in atlas.baseline else None,
             "derivation": u.derivation, "sources": "; ".join(u.sources),
             "km2": round(unit_area_km2(u.geometry), 1), "geometry": u.geometry} for u in atlas.units]


def _static_zones(atlas: Atlas) -> list[dict]:
    periods: dict[str, list[Period]] = {}
    for p in zone_periods(atlas):
        periods.setdefault(p.id, []).append(p)
    return [{"id": z.id, "kind": z.kind, **names(z, atlas),
             "periods": "; ".join(f"{iso(p.start)}/{iso(p.end) or ''}" for p in periods.get(z.id, [])),
             "derivation": z.derivation, "sources": "; ".join(z.sources), "geometry": z.geometry} for z in atlas.zones]


def write_gis(atlas: Atlas, out: Path) -> list[Path]:
    """Write ``data/atlas.gpkg``, the QGIS project ``data/atlas.qgs``, the Linked Places ``data/atlas.lpf.json`` and ``data/units.geojson``, ``zones.geojson``, ``places.geojson`` under ``out``.

    Returns the paths written. The GeoPackage is rewritten from scratch; its layers' contents are
    the same from build to build.
    """
    data = Path(out) / "data"
    data.mkdir(parents=True, exist_ok=True)
    gpkg = data / GPKG_NAME
    gpkg.unlink(missing_ok=True)
    layers = {"unit_periods": (unit_period_rows(atlas), "MultiPolygon"),
              "zone_periods": (zone_period_rows(atlas), "MultiPolygon"),
              "places": (place_rows(atlas), "Point"),
              "countries": (country_rows(atlas), "MultiPolygon")}
    old = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _GPKG_TIMESTAMP})
    try:
        for layer in LAYERS:
            rows, geometry_type = layers[layer]
            if rows:
                _write_layer(gpkg, layer, rows, geometry_type)
        _write_styles(gpkg)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": old})
    written = [gpkg]
    project = data / PROJECT_NAME
    project.write_text(project_xml(atlas, GPKG_NAME), encoding="utf-8")
    lpf = data / LPF_NAME
    lpf.write_text(lpf_text(atlas), encoding="utf-8")
    written += [project, lpf]
    for name, rows in (("units", _static_units(atlas)), ("zones", _static_zones(atlas)), ("places", place_rows(atlas))):
        p = data / f"{name}.geojson"
        p.write_text(_feature_collection(rows, name), encoding="utf-8")
        written.append(p)
    return written
