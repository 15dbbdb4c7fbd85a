"""QGIS styles of the GeoPackage's layers, written from :mod:`mapper.style` (no QGIS needed to build them).

Each layer gets one style as QGIS reads it (QML, the ``<qgis>`` document of *Layer Properties →
Style → Save Style*) and a plain OGC SLD 1.1 for other clients. The GeoPackage stores both in its
``layer_styles`` table, which QGIS applies when it opens a layer; the QGIS project
(:mod:`.qgis_project`) embeds the same elements in its layers.

- ``unit_periods``: one rule per holder (fill of :data:`mapper.style.HOLDERS`, white unit edges), one
  rule per claimant (the claim hatch and dashed outline in the claimant's edge colour), labels with
  the unit's name; features drawn oldest period first, so in a year with a change the new holder shows.
- ``zone_periods``: one rule per kind of zone (:data:`mapper.style.ZONES`: dashed outline, line or dot
  hatch in the power's colour, no fill), labels with the zone's name.
- ``places``: capitals as squares in their years (``capital_years``), other places as dots, labelled.
- ``countries``: background land (:data:`mapper.style.LAND`) with its borders.

The temporal settings (start and end fields, start included and end excluded) are part of the
style, so a layer opened from the GeoPackage alone already replays with QGIS's temporal controller.
Sizes are in points, as in :mod:`mapper.style`. Rule labels read :class:`mapper.words.Words`.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from mapper import style
from mapper.style import Hatch, LineStyle
from mapper.words import Words

__all__ = ["CAPITAL_RULE", "QGIS_VERSION", "LayerStyle", "layer_style", "style_elements", "qml", "sld"]

#: The QGIS version the documents are written for (the oldest LTR we test with: Debian stable's 3.22).
QGIS_VERSION = "3.22.0-Białowieża"
_FONT = "DejaVu Sans"
_HATCH_SPACING = 2.2  # mm between hatch lines at the map's scale, as on the page
_GEOMETRY_TYPE = {"Polygon": "2", "Point": "0"}  # QGIS's layerGeometryType


@dataclass(frozen=True)
class LayerStyle:
    """One layer's style: its title in the layer list, the QML and SLD documents, whether it is temporal."""

    layer: str
    title: str
    geometry: str  # "Polygon" or "Point"
    temporal: bool
    qml: str
    sld: str


def _rgba(colour: str, alpha: float = 1.0) -> str:
    c = colour.lstrip("#")
    return ",".join(str(int(c[i:i + 2], 16)) for i in (0, 2, 4)) + f",{round(alpha * 255)}"


def _options(parent: ET.Element, values: dict[str, str]) -> ET.Element:
    opt = ET.SubElement(parent, "Option", type="Map")
    for k, v in values.items():
        ET.SubElement(opt, "Option", name=k, type="QString", value=v)
    return opt


def _symbol(kind: str, name: str, layers: list[ET.Element], alpha: float = 1.0) -> ET.Element:
    sym = ET.Element("symbol", type=kind, name=name, alpha=f"{alpha:g}", clip_to_extent="1", force_rhr="0")
    sym.extend(layers)
    return sym


def _layer(cls: str, values: dict[str, str], sub: ET.Element | None = None) -> ET.Element:
    el = ET.Element("layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    _options(el, values)
    if sub is not None:
        el.append(sub)
    return el


def _line(line: LineStyle, colour: str | None = None) -> ET.Element:
    values = {"line_color": _rgba(colour or line.colour), "line_width": f"{line.width:g}", "line_width_unit": "Point",
              "line_style": "solid", "capstyle": "flat", "joinstyle": "round"}
    if line.dash:
        values |= {"use_custom_dash": "1", "customdash": ";".join(f"{d:g}" for d in line.dash), "customdash_unit": "Point"}
    return _layer("SimpleLine", values)


def _hatch(hatch: Hatch, colour: str, width: float = 0.6) -> list[ET.Element]:
    """Return the fill layers drawing ``hatch`` in ``colour``: one line pattern per angle, or a dot grid."""
    if hatch.dots:
        dot = _layer("SimpleMarker", {"name": "circle", "color": _rgba(colour), "outline_style": "no",
                                      "size": "0.7", "size_unit": "MM"})
        return [_layer("PointPatternFill", {"distance_x": f"{_HATCH_SPACING:g}", "distance_y": f"{_HATCH_SPACING:g}",
                                            "distance_x_unit": "MM", "distance_y_unit": "MM"},
                       _symbol("marker", "@0@0", [dot]))]
    out = []
    for angle in hatch.angles:
        stroke = _line(LineStyle(colour, width))
        out.append(_layer("LinePatternFill", {"angle": str(angle), "distance": f"{_HATCH_SPACING:g}",
                                              "distance_unit": "MM", "color": _rgba(colour),
                                              "line_width": f"{width:g}", "line_width_unit": "Point"},
                          _symbol("line", "@0@0", [stroke])))
    return out


def _fill(fill: str, edge: LineStyle | None) -> ET.Element:
    values = {"color": _rgba(fill), "style": "solid"}
    if edge is None:
        values |= {"outline_style": "no"}
    else:
        values |= {"outline_color": _rgba(edge.colour), "outline_width": f"{edge.width:g}", "outline_width_unit": "Point",
                   "outline_style": "solid"}
    return _layer("SimpleFill", values)


def _no_fill() -> ET.Element:
    return _layer("SimpleFill", {"color": "0,0,0,0", "style": "no", "outline_style": "no"})


def _marker(shape: str, fill: str, size: float) -> ET.Element:
    return _layer("SimpleMarker", {"name": shape, "color": _rgba(fill), "outline_color": _rgba(style.UI["ink"]),
                                   "outline_width": "0.8", "outline_width_unit": "Point", "size": f"{size:g}",
                                   "size_unit": "Point"})


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rule_renderer(rules: list[tuple[str, str, ET.Element]], order_by: str | None = None) -> ET.Element:
    """Return a rule-based renderer: ``rules`` are (filter expression, legend label, symbol)."""
    ren = ET.Element("renderer-v2", type="RuleRenderer", symbollevels="0", forceraster="0",
                     enableorderby="1" if order_by else "0", referencescale="-1")
    root = ET.SubElement(ren, "rules", key="root")
    symbols = ET.SubElement(ren, "symbols")
    for i, (expr, label, sym) in enumerate(rules):
        ET.SubElement(root, "rule", key=f"rule-{i}", filter=expr, label=label, symbol=str(i))
        sym.set("name", str(i))
        symbols.append(sym)
    if order_by:
        order = ET.SubElement(ren, "orderby")
        ET.SubElement(order, "orderByClause", asc="1", nullsFirst="1").text = f'"{order_by}"'
    return ren


def _labeling(field: str, size: float, colour: str, *, italic: bool = False, point: bool = False) -> ET.Element:
    lab = ET.Element("labeling", type="simple")
    settings = ET.SubElement(lab, "settings", calloutType="simple")
    text = ET.SubElement(settings, "text-style", fieldName=field, isExpression="0", fontFamily=_FONT,
                         fontSize=f"{size:g}", fontSizeUnit="Point", textColor=_rgba(colour), textOpacity="1",
                         fontItalic="1" if italic else "0", fontWeight="50", namedStyle="Oblique" if italic else "Book")
    ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor=_rgba(style.UI["paper"]), bufferOpacity="0.85", bufferNoFill="1", bufferJoinStyle="128")
    ET.SubElement(settings, "text-format", multilineAlign="3", wrapChar="", autoWrapLength="0")
    # points: labels around the symbol (0); polygons: over the pole of inaccessibility (1), inside only
    ET.SubElement(settings, "placement", placement="0" if point else "1", dist="1.2" if point else "0", distUnits="MM",
                  fitInPolygonOnly="0" if point else "1", centroidInside="1", priority="5",
                  polygonPlacementFlags="2", placementFlags="10", quadOffset="4")
    ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1", obstacleType="1", displayAll="0",
                  labelPerPart="0", minFeatureSize="0", limitNumLabels="0", maxNumLabels="2000", zIndex="0",
                  scaleVisibility="0", upsidedownLabels="0", mergeLines="0", fontLimitPixelSize="0")
    return lab


def _temporal(active: bool) -> ET.Element:
    # mode 2: separate start and end fields; limitMode 0: include start, exclude end (our half-open periods)
    el = ET.Element("temporal", enabled="1" if active else "0", mode="2" if active else "0",
                    startField="start" if active else "", endField="end" if active else "", limitMode="0",
                    accumulate="0", durationField="", durationUnit="min", fixedDuration="0", startExpression="",
                    endExpression="")
    rng = ET.SubElement(el, "fixedRange")
    ET.SubElement(rng, "start")
    ET.SubElement(rng, "end")
    return el


def _unit_rules(w: Words) -> list[tuple[str, str, ET.Element]]:
    rules = []
    for holder in ("persia", "russia", "other"):
        h = style.HOLDERS[holder]
        rules.append((f'"holder" = {_quote(holder)}', w.holder_label(holder),
                      _symbol("fill", "", [_fill(h.fill, style.UNIT_EDGE)])))
    claim = w.change_kind_label("claim")
    for claimant in ("persia", "russia"):
        edge = style.HOLDERS[claimant].edge
        layers = [_no_fill()] + _hatch(style.CLAIM.hatch, edge, 0.7) + [_line(style.CLAIM.line, edge)]
        label = w.gettext("{holder} ({names})").format(holder=claim, names=w.holder_label(claimant))
        rules.append((f"""concat(' ', "claimed_by", ' ') LIKE {_quote(f'% {claimant} %')}""", label,
                      _symbol("fill", "", layers)))
    return rules


def _zone_rules(w: Words) -> list[tuple[str, str, ET.Element]]:
    rules = []
    for kind, z in style.ZONES.items():
        layers = [_no_fill()] + _hatch(z.hatch, z.colour) + [_line(z.line)]
        rules.append((f'"kind" = {_quote(kind)}', w.zone_label(kind), _symbol("fill", "", layers)))
    return rules


#: The places layer's capital rule (exported for the tests).
#: A place is a capital on the map's date when one of its ``capital_years`` ranges holds the year the
#: temporal controller shows (``@map_start_time``); without a date (no temporal controller) every capital is.
_CAPITAL_NOW = (
    """"capital_years" IS NOT NULL AND (@map_start_time IS NULL OR array_length(array_filter("""
    """string_to_array("capital_years", ' '), """
    """if(left(@element, strpos(@element, '-') - 1) = '', -100000, to_int(left(@element, strpos(@element, '-') - 1)))"""
    """ <= year(@map_start_time) AND """
    """if(substr(@element, strpos(@element, '-') + 1) = '', 100000, to_int(substr(@element, strpos(@element, '-') + 1)))"""
    """ > year(@map_start_time))) > 0)""")
CAPITAL_RULE = _CAPITAL_NOW


def _place_rules(w: Words) -> list[tuple[str, str, ET.Element]]:
    return [(_CAPITAL_NOW, w.place_kind("capital"),
             _symbol("marker", "", [_marker("square", style.UI["paper"], 5.5)])),
            ("ELSE", w.place_kind("city"), _symbol("marker", "", [_marker("circle", style.UI["ink"], 4)]))]


def _land_rules(w: Words) -> list[tuple[str, str, ET.Element]]:
    return [("", w.gettext("Modern borders, for orientation"),
             _symbol("fill", "", [_fill(style.LAND, LineStyle(style.LAND_EDGE, 0.5))]))]


#: Per layer: title message, geometry, temporal, rules, label field and (size, colour, italic), order field.
def _spec(layer: str, w: Words) -> tuple[str, str, bool, list, ET.Element | None, str | None]:
    ink = style.UI["ink"]
    if layer == "unit_periods":
        return w.gettext("Held by"), "Polygon", True, _unit_rules(w), _labeling("name", 7.5, ink), "start"
    if layer == "zone_periods":
        return (w.gettext("Zones (spheres, occupations, republics)"), "Polygon", True, _zone_rules(w),
                _labeling("name", 7.5, style.UI["muted"], italic=True), None)
    if layer == "places":
        return w.gettext("Places"), "Point", True, _place_rules(w), _labeling("name", 8, ink, point=True), None
    if layer == "countries":
        return w.gettext("Modern borders, for orientation"), "Polygon", False, _land_rules(w), None, None
    raise KeyError(layer)


def style_elements(layer: str, lang: str = "en") -> tuple[str, str, bool, list[ET.Element]]:
    """Return ``(title, geometry, temporal, elements)``: the style's XML elements, as a QML and a project layer hold them."""
    w = Words(lang)
    title, geometry, temporal, rules, labeling, order = _spec(layer, w)
    elements = [_temporal(temporal), _rule_renderer(rules, order)]
    if labeling is not None:
        elements.append(labeling)
    blend = ET.Element("layerOpacity")
    blend.text = "1"
    elements.append(blend)
    gt = ET.Element("layerGeometryType")
    gt.text = _GEOMETRY_TYPE[geometry]
    elements.append(gt)
    return title, geometry, temporal, elements


def _to_text(root: ET.Element) -> str:
    ET.indent(root, " ")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"


def qml(layer: str, lang: str = "en") -> str:
    """Return the QGIS style document (QML) of a GeoPackage layer."""
    _, _, _, elements = style_elements(layer, lang)
    labels = any(e.tag == "labeling" for e in elements)
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="AllStyleCategories",
                      labelsEnabled="1" if labels else "0", hasScaleBasedVisibilityFlag="0", minScale="100000000",
                      maxScale="0")
    root.extend(elements)
    return _to_text(root)


_SE = "http://www.opengis.net/se"
_OGC = "http://www.opengis.net/ogc"


def sld(layer: str, lang: str = "en") -> str:
    """Return an OGC SLD 1.1 of a layer: the same rules with fills, outlines and dashes (hatches are QML only)."""
    w = Words(lang)
    ET.register_namespace("se", _SE)
    ET.register_namespace("ogc", _OGC)
    ET.register_namespace("", "http://www.opengis.net/sld")
    doc = ET.Element("{http://www.opengis.net/sld}StyledLayerDescriptor", version="1.1.0")
    named = ET.SubElement(doc, "{http://www.opengis.net/sld}NamedLayer")
    ET.SubElement(named, f"{{{_SE}}}Name").text = layer
    user = ET.SubElement(named, "{http://www.opengis.net/sld}UserStyle")
    ET.SubElement(user, f"{{{_SE}}}Name").text = layer
    fts = ET.SubElement(user, f"{{{_SE}}}FeatureTypeStyle")

    def rule(title: str, prop: str | None, value: str | None, fill: str | None, line: LineStyle | None,
             point: str | None = None) -> None:
        r = ET.SubElement(fts, f"{{{_SE}}}Rule")
        ET.SubElement(r, f"{{{_SE}}}Name").text = title
        if prop is not None:
            f = ET.SubElement(r, f"{{{_OGC}}}Filter")
            eq = ET.SubElement(f, f"{{{_OGC}}}PropertyIsEqualTo")
            ET.SubElement(eq, f"{{{_OGC}}}PropertyName").text = prop
            ET.SubElement(eq, f"{{{_OGC}}}Literal").text = value
        if point:
            sym = ET.SubElement(r, f"{{{_SE}}}PointSymbolizer")
            g = ET.SubElement(sym, f"{{{_SE}}}Graphic")
            m = ET.SubElement(g, f"{{{_SE}}}Mark")
            ET.SubElement(m, f"{{{_SE}}}WellKnownName").text = point
            fl = ET.SubElement(m, f"{{{_SE}}}Fill")
            ET.SubElement(fl, f"{{{_SE}}}SvgParameter", name="fill").text = fill or style.UI["ink"]
            ET.SubElement(g, f"{{{_SE}}}Size").text = "5"
            return
        sym = ET.SubElement(r, f"{{{_SE}}}PolygonSymbolizer")
        if fill:
            fl = ET.SubElement(sym, f"{{{_SE}}}Fill")
            ET.SubElement(fl, f"{{{_SE}}}SvgParameter", name="fill").text = fill
        if line:
            st = ET.SubElement(sym, f"{{{_SE}}}Stroke")
            ET.SubElement(st, f"{{{_SE}}}SvgParameter", name="stroke").text = line.colour
            ET.SubElement(st, f"{{{_SE}}}SvgParameter", name="stroke-width").text = f"{line.width:g}"
            if line.dash:
                ET.SubElement(st, f"{{{_SE}}}SvgParameter", name="stroke-dasharray").text = line.dasharray

    if layer == "unit_periods":
        for holder, h in style.HOLDERS.items():
            rule(w.holder_label(holder), "holder", holder, h.fill, style.UNIT_EDGE)
    elif layer == "zone_periods":
        for kind, z in style.ZONES.items():
            rule(w.zone_label(kind), "kind", kind, None, z.line)
    elif layer == "places":
        rule(w.gettext("Places"), None, None, style.UI["ink"], None, point="circle")
    elif layer == "countries":
        rule(w.gettext("Modern borders, for orientation"), None, None, style.LAND, LineStyle(style.LAND_EDGE, 0.5))
    else:
        raise KeyError(layer)
    ET.indent(doc, " ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(doc, encoding="unicode") + "\n"


def layer_style(layer: str, lang: str = "en") -> LayerStyle:
    """Return the style of one GeoPackage layer (``unit_periods``, ``zone_periods``, ``places``, ``countries``)."""
    title, geometry, temporal, _ = style_elements(layer, lang)
    return LayerStyle(layer, title, geometry, temporal, qml(layer, lang), sld(layer, lang))
