"""Data exports: what goes where under ``<out>/data/``, each file built from the one timeline.

====================================  ===========================================  ==========================
file                                  what it holds                                built by
====================================  ===========================================  ==========================
``data/slices/<event>.geojson``       the map right after each event               :mod:`.slices`
``data/changes.csv``                  every change of every event                  :mod:`.tables`
``data/events.csv``                   the events table                             :mod:`.tables`
``data/atlas.gpkg``                   periods, places, land, QGIS styles           :mod:`.gpkg`, :mod:`.qgis_style`
``data/atlas.qgs``                    the QGIS project (temporal controller)       :mod:`.qgis_project`
``data/atlas.lpf.json``               Linked Places (gazetteers)                   :mod:`.lpf`
``data/units|zones|places.geojson``   the static layers                            :mod:`.gpkg`
====================================  ===========================================  ==========================

``mapper slice -o FILE.shp|.gpkg`` writes a slice as a UTF-8 Shapefile or a GeoPackage
(:func:`.slices.write_slice`); :mod:`.citation` is the "Cite this atlas" sentence.

Rows and properties come from :mod:`.records` (one rule for what an export says about a unit, a
zone, a change or a period) and GeoJSON is written by :mod:`.geojson` only. Holder names are the
timeline's: as on the slice's date, the change's event date, or during the period.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper.exports.slices import dump_geojson, slice_collection
from mapper.exports.tables import changes_csv, events_csv
from mapper.model import Atlas
from mapper.timeline import steps

if TYPE_CHECKING:
    from mapper.exports.gpkg import GPKG_NAME, LAYERS, write_gis

__all__ = ["GPKG_NAME", "LAYERS", "slice_collection", "dump_geojson", "changes_csv", "events_csv", "write_data",
           "write_gis"]


def write_data(atlas: Atlas, out: Path) -> list[Path]:
    """Write ``data/slices/<event>.geojson``, ``data/changes.csv`` and ``data/events.csv`` under ``out``."""
    data = Path(out) / "data"
    (data / "slices").mkdir(parents=True, exist_ok=True)
    written = []
    for st in steps(atlas):
        p = data / "slices" / f"{st.event.id}.geojson"
        p.write_text(dump_geojson(slice_collection(atlas, st.state)), encoding="utf-8")
        written.append(p)
    for name, text in (("changes.csv", changes_csv(atlas)), ("events.csv", events_csv(atlas))):
        p = data / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    return written


def __getattr__(name: str) -> Any:
    """The GeoPackage writer's names, imported when first asked for: it needs GeoPandas and GDAL, which
    take about a second to import, and ``mapper slice``, ``mapper events`` or the web pages need neither."""
    if name in ("GPKG_NAME", "LAYERS", "write_gis"):
        from mapper.exports import gpkg

        return getattr(gpkg, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
