"""The QGIS project ``data/atlas.qgs``: the GeoPackage's layers styled, and the temporal controller set up.

A QGIS user opens this one file, opens the Temporal Controller panel (the clock button) and presses
play: the map steps a year a frame (eight frames a second) from the year before the first change of
holder to the year after the last event, holders, zones and places following the GeoPackage's
validity intervals. The project is written as text here (no QGIS needed to build it), in the
format QGIS 3.22 reads; its layers point at ``./atlas.gpkg`` next to it (relative paths), their
styles are :mod:`.qgis_style`'s, the map is in the atlas's equal-area projection
(:data:`mapper.timeline.EQUAL_AREA`) on the sea's colour.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import shapely
from pyproj import CRS

from mapper import style
from mapper.exports.qgis_style import QGIS_VERSION, style_elements
from mapper.model import Atlas
from mapper.timeline import EQUAL_AREA, steps, to_equal_area
from mapper.words import Words

__all__ = ["PROJECT_NAME", "TREE", "FRAMES_PER_SECOND", "animation_range", "project_xml"]

PROJECT_NAME = "atlas.qgs"
#: The layers as the layer panel lists them, top to bottom (drawn bottom to top).
TREE = ("places", "zone_periods", "unit_periods", "countries")
FRAMES_PER_SECOND = 8
_ALBERS = "Albers equal-area conic, standard parallels 28° and 44° N (the atlas's area projection)"
_WKB = {"unit_periods": "MultiPolygon", "zone_periods": "MultiPolygon", "places": "Point", "countries": "MultiPolygon"}


def animation_range(atlas: Atlas) -> tuple[dt.date, dt.date]:
    """Return the temporal controller's range: 1 January of the year before the first change of holder
    (so the first frame shows the starting map) to 1 January of the year after the last event."""
    all_steps = steps(atlas)
    first = next((st.event.date.date for st in all_steps if st.changes), all_steps[0].event.date.date)
    last = all_steps[-1].event.date.date
    return dt.date(first.year - 1, 1, 1), dt.date(last.year + 1, 1, 1)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _srs(parent: ET.Element, crs: CRS, proj4: str, description: str) -> None:
    ref = _sub(parent, "spatialrefsys", nativeFormat="Wkt")
    _sub(ref, "wkt", crs.to_wkt())
    _sub(ref, "proj4", proj4)
    epsg = crs.to_epsg()
    _sub(ref, "srid", str(epsg or 0))
    _sub(ref, "authid", f"EPSG:{epsg}" if epsg else "")
    _sub(ref, "description", description)
    _sub(ref, "geographicflag", "true" if crs.is_geographic else "false")


def _when(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T00:00:00.000Z"


def _rgb_parts(parent: ET.Element, prefix: str, colour: str) -> None:
    c = colour.lstrip("#")
    for part, i in (("Red", 0), ("Green", 2), ("Blue", 4)):
        _sub(parent, f"{prefix}{part}Part", str(int(c[i:i + 2], 16)), type="int")


def project_xml(atlas: Atlas, gpkg_name: str = "atlas.gpkg", lang: str = "en") -> str:
    """Return the QGIS project (``.qgs`` text) showing the GeoPackage ``gpkg_name`` beside it, styled, with the temporal controller."""
    w = Words(lang)
    map_crs, wgs84 = CRS.from_proj4(EQUAL_AREA), CRS.from_epsg(4326)
    root = ET.Element("qgis", projectname=w.title(), version=QGIS_VERSION)
    _sub(root, "homePath", path="")
    _sub(root, "title", w.title())
    _srs(_sub(root, "projectCrs"), map_crs, EQUAL_AREA, _ALBERS)

    titles = {layer: style_elements(layer, lang)[0] for layer in TREE}
    ids = {layer: f"{layer}_atlas" for layer in TREE}
    tree = _sub(root, "layer-tree-group")
    _sub(_sub(tree, "customproperties"), "Option")
    for layer in TREE:
        _sub(tree, "layer-tree-layer", id=ids[layer], name=titles[layer], source=f"./{gpkg_name}|layername={layer}",
             providerKey="ogr", checked="Qt::Checked", expanded="1" if layer != "countries" else "0")

    # the view: everything the units and zones cover, in the map's projection
    shapes = [u.geometry for u in atlas.units] + [z.geometry for z in atlas.zones]
    x0, y0, x1, y1 = to_equal_area(shapely.union_all(shapes)).bounds
    pad = 0.03 * max(x1 - x0, y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    canvas = _sub(root, "mapcanvas", name="theMapCanvas", annotationsVisible="1")
    _sub(canvas, "units", "meters")
    extent = _sub(canvas, "extent")
    for k, v in (("xmin", x0), ("ymin", y0), ("xmax", x1), ("ymax", y1)):
        _sub(extent, k, f"{v:.0f}")
    _sub(canvas, "rotation", "0")
    _srs(_sub(canvas, "destinationsrs"), map_crs, EQUAL_AREA, _ALBERS)
    _sub(canvas, "rendermaptile", "0")

    layers = _sub(root, "projectlayers")
    for layer in TREE:
        title, geometry, temporal, elements = style_elements(layer, lang)
        labels = any(e.tag == "labeling" for e in elements)
        ml = _sub(layers, "maplayer", type="vector", geometry=geometry, wkbType=_WKB[layer],
                  styleCategories="AllStyleCategories", labelsEnabled="1" if labels else "0",
                  hasScaleBasedVisibilityFlag="0", minScale="100000000", maxScale="0", readOnly="1")
        _sub(ml, "id", ids[layer])
        _sub(ml, "datasource", f"./{gpkg_name}|layername={layer}")
        _sub(ml, "layername", title)
        _srs(_sub(ml, "srs"), wgs84, "+proj=longlat +datum=WGS84 +no_defs", "WGS 84")
        _sub(ml, "provider", "ogr", encoding="UTF-8")
        ml.extend(elements)

    props = _sub(root, "properties")
    gui = _sub(props, "Gui")
    _rgb_parts(gui, "CanvasColor", style.SEA)
    _sub(_sub(props, "Paths"), "Absolute", "false", type="bool")
    _sub(_sub(props, "SpatialRefSys"), "ProjectionsEnabled", "1", type="int")  # QGIS reads projectCrs only then
    start, end = animation_range(atlas)
    tc = _sub(props, "TemporalControllerWidget")
    _sub(tc, "NavigationMode", "1", type="int")  # 1: animated temporal navigation
    _sub(tc, "StartDateTime", _when(start), type="QString")
    _sub(tc, "EndDateTime", _when(end), type="QString")

    view = _sub(root, "ProjectViewSettings", UseProjectScales="0", rotation="0")
    _sub(view, "Scales")
    default = _sub(view, "DefaultViewExtent", xmin=f"{x0:.0f}", ymin=f"{y0:.0f}", xmax=f"{x1:.0f}", ymax=f"{y1:.0f}")
    _srs(default, map_crs, EQUAL_AREA, _ALBERS)
    time = _sub(root, "ProjectTimeSettings", timeStep="1", timeStepUnit="y", frameRate=str(FRAMES_PER_SECOND),
                cumulativeTemporalRange="0")
    rng = _sub(time, "TemporalRange")
    _sub(rng, "start", _when(start))
    _sub(rng, "end", _when(end))
    ET.indent(root, "  ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"
