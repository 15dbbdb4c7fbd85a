"""The interactive atlas (``index.html``) and one standalone map per event (``maps/<event-id>.html``).

Both are folium maps (Leaflet) with the atlas engine (``assets/atlas.js``) on top. Every geometry is
embedded once, simplified for the web so that neighbouring units keep sharing their borders; a step
only restyles what changed. By default Leaflet is inlined and no request leaves the page (the
OpenStreetMap tiles are an optional layer, off by default); ``cdn=True`` links Leaflet from jsDelivr.
The output is deterministic: the same atlas always gives byte-identical files.

JavaScript API
--------------
``index.html`` (and each per-event map) defines ``window.mapperAtlas``:

``mapperAtlas.events``
    The event ids in order, e.g. ``["rus-caspian-expedition-913", ..., "soviet-dissolution-1991"]``
    (a per-event map lists only its own event).
``mapperAtlas.current()``
    The id of the event shown.
``mapperAtlas.go(id)``
    Show the map right after the event ``id``; returns ``false`` (and does nothing) for an unknown id.
``mapperAtlas.next()`` / ``mapperAtlas.prev()``
    Step forward or back (they stop at the ends); return the id now shown.
``mapperAtlas.state()``
    What is shown: ``{event: id, holders: {unitId: "persia" | "russia" | "other"}, zones: [zoneId, ...]}``,
    the same as ``mapper.timeline.steps(atlas)[i].state``.
``mapperAtlas.play()`` / ``mapperAtlas.pause()`` / ``mapperAtlas.playing()``
    Step every 2 seconds until the last event; stop; whether it is playing.
``mapperAtlas.map``
    The Leaflet map object.

The page follows its URL hash: ``index.html#turkmenchay-1828`` opens that step, and stepping rewrites
the hash (``history.replaceState``). Arrow keys step while the map or the timeline has focus.

Embedding a map::

    <iframe src="maps/turkmenchay-1828.html" width="600" height="400" title="Treaty of Turkmenchay"></iframe>

In a page, unit paths carry ``data-unit`` and ``data-holder`` attributes, zone paths ``data-zone`` and
place markers ``data-place``.
"""
from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import folium
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template
from shapely.geometry.base import BaseGeometry

from mapper.geometry import focus_box, label_point, simplify_coverage, simplify_each
from mapper.model import Atlas, format_date
from mapper.style import HOLDER_COLOURS, HOLDER_LABELS, ZONE_COLOURS, ZONE_LABELS
from mapper.timeline import Step, steps, unit_area_km2, zone_periods

__all__ = [
    "HOLDER_COLOURS",
    "UNIT_TOLERANCE",
    "ZONE_STYLES",
    "folium_map",
    "render_event_map",
    "render_index",
    "web_geometries",
    "write_html",
]

FILL_OPACITY = 0.78
UNIT_EDGE = "#ffffff"
CHANGED_EDGE = "#111111"
LAND = "#f4f2ec"
LAND_EDGE = "#aaa497"
SEA = "#c6dcea"
PLACE = "#2b2b2b"


@dataclass(frozen=True)
class ZoneStyle:
    """How a kind of zone is drawn: outline colour and dashes, and an SVG hatch pattern."""

    label: str
    color: str
    dash: str
    hatch: str  # "/" "\\" "x" "|" "-" "."
    angle: int = 45


#: Zone styles by kind: hatched overlays with dashed outlines, never a holder's fill.
_DASH_HATCH = {  # kind: (dashes, hatch, angle)
    "rus_raid": ("2 4", "/", 135),
    "russian_sphere": ("7 4", "/", 45),
    "neutral_zone": ("2 3", "-", 0),
    "british_sphere": ("7 4", "/", 135),
    "soviet_occupation": ("10 3 2 3", "x", 45),
    "british_occupation": ("10 3 2 3", "x", 45),
    "persian_socialist_soviet_republic": ("", "|", 0),
    "azerbaijan_peoples_government": ("", "|", 0),
    "republic_of_mahabad": ("", ".", 0),
}
ZONE_STYLES = {k: ZoneStyle(ZONE_LABELS[k], ZONE_COLOURS[k], *v) for k, v in _DASH_HATCH.items()}

#: Web simplification of the units (degrees), done on the whole coverage so that borders stay shared.
UNIT_TOLERANCE = 0.015
ZONE_TOLERANCE = 0.01
LABEL_INSIDE_DEG = 2.0  # a change label goes inside an area only if it has this much room around its point
COUNTRY_TOLERANCE = 0.02
GRID = 0.001  # coordinates rounded to 3 decimals
LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
ATTRIBUTION = "Borders: Natural Earth (public domain)"
TITLE = "Iran and Russia: an atlas of territorial change"
_VERBS = {"treaty": "Ceded to", "war": "Taken by"}


# ------------------------------------------------------------------------------------------------
# geometry for the web


@lru_cache(maxsize=4)
def _web(atlas: Atlas) -> tuple[dict, dict, dict]:
    units = dict(zip((u.id for u in atlas.units), simplify_coverage([u.geometry for u in atlas.units], UNIT_TOLERANCE, GRID)))
    zones = dict(zip((z.id for z in atlas.zones), simplify_each([z.geometry for z in atlas.zones], ZONE_TOLERANCE, GRID)))
    countries = {}
    if atlas.countries:
        geoms = [c.geometry for c in atlas.countries]
        cov = bool(shapely.coverage_is_valid(np.asarray(geoms, dtype=object)))
        simplify = simplify_coverage if cov else simplify_each
        countries = dict(zip((c.id for c in atlas.countries), simplify(geoms, COUNTRY_TOLERANCE, GRID)))
    return units, zones, countries


def web_geometries(atlas: Atlas) -> dict[str, BaseGeometry]:
    """Return the units as drawn in the browser: coverage-simplified, on a 0.001° grid, keyed by unit id."""
    return dict(_web(atlas)[0])


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


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


def _encode(geom: BaseGeometry) -> list:
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


def _label_point(geoms: list[BaseGeometry]) -> tuple[list[float], bool]:
    """Return where to write a label for these shapes ([lat, lon]), and whether above them (small) or on them."""
    lp = label_point(geoms)
    if lp.room < LABEL_INSIDE_DEG:  # too small to hold the label: write it above
        return [round(lp.top + 0.15, 3), round(lp.x, 3)], True
    return [round(lp.y, 3), round(lp.x, 3)], False


# ------------------------------------------------------------------------------------------------
# the data handed to the page


def _url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://\S+$", url, re.IGNORECASE) else None


def _event_record(atlas: Atlas, ev, place_index: dict[str, int], *, full: bool) -> dict:
    place = atlas.place(ev.place).name if ev.place and ev.place in place_index else ev.place
    rec = {"id": ev.id, "title": ev.title, "kind": ev.kind, "year": str(ev.date.date.year), "date": ev.date.label,
           "os": format_date(ev.date_os) if ev.date_os else None,
           "placeIdx": place_index.get(ev.place, -1) if ev.place else -1}
    if full:
        rec.update({"cert": ev.date_certainty, "note": ev.date_note, "place": place, "parties": list(ev.parties),
                    "summary": ev.summary, "sources": [[s.title, _url(s.url)] for s in ev.sources]})
    return rec


def _holder_code(holder: str) -> int:
    return ("persia", "russia", "other").index(holder)


def _verb(atlas: Atlas, st: Step, to: str, unit: str) -> str:
    """Return "Returned to" when a unit goes back to its first holder, else what the event did."""
    if to != "other" and atlas.baseline[unit].holder == to:
        return "Returned to"
    return _VERBS.get(st.event.kind, "Passed to")


def _labels(atlas: Atlas, st: Step, web_units: dict) -> list[dict]:
    """Return one label per destination: what passed to whom at this step, where to write it."""
    groups: dict[tuple, list] = {}
    for c in st.changes:
        verb = _verb(atlas, st, c.to, c.unit)
        groups.setdefault((verb, c.to, c.to_name), []).append(c)
    out = []
    for (verb, to, to_name), cs in groups.items():
        km2 = sum(c.km2 for c in cs)
        what = atlas.unit(cs[0].unit).name if len(cs) == 1 else f"{len(cs)} units"
        at, above = _label_point([web_units[c.unit] for c in cs])
        out.append({"t": f"{verb} {to_name}", "s": f"{what} \u00b7 {km2:,.0f} km\u00b2", "h": _holder_code(to),
                    "at": at, "up": above})
    return out


def _bounds(geoms: list[BaseGeometry]) -> list[list[float]]:
    x0, y0, x1, y1 = shapely.total_bounds(np.asarray(geoms, dtype=object))
    return [[round(float(y0), 3), round(float(x0), 3)], [round(float(y1), 3), round(float(x1), 3)]]


def _focus_bounds(geoms: list[BaseGeometry], whole: list[list[float]]) -> list[list[float]]:
    """Return the box around what changed (:func:`mapper.geometry.focus_box`) as Leaflet bounds."""
    (s, w), (n, e) = whole
    x0, y0, x1, y1 = focus_box(geoms, (w, s, e, n))
    return [[y0, x0], [y1, x1]]


@lru_cache(maxsize=4)
def _shared(atlas: Atlas) -> dict:
    """The parts of the page data that every page shares, computed once per atlas."""
    web_units, web_zones, web_countries = _web(atlas)
    unit_index = {u.id: i for i, u in enumerate(atlas.units)}
    zone_index = {z.id: i for i, z in enumerate(atlas.zones)}
    place_index = {p.id: i for i, p in enumerate(atlas.places)}
    all_steps = steps(atlas)

    tree = shapely.STRtree([u.geometry for u in atlas.units])
    zone_units = {}
    for z in atlas.zones:
        hits = []
        for i in sorted(int(i) for i in tree.query(z.geometry, predicate="intersects")):
            g = atlas.units[i].geometry
            if g.intersection(z.geometry).area > 0.02 * g.area:
                hits.append(i)
        zone_units[z.id] = hits

    periods = {}
    for p in zone_periods(atlas):
        start = atlas.event(p.since).date.label if p.since else format_date(p.start)
        if p.until_event:
            end = f"{atlas.event(p.until_event).date.label} ({atlas.event(p.until_event).title})"
        elif p.end is not None:
            end = format_date(p.end)
        else:
            end = None
        text = f"{start} ({atlas.event(p.since).title})" if p.since else start
        text += f" until {end}" if end else " onwards"
        periods.setdefault(p.id, []).append(text)

    units = [{"id": u.id, "name": u.name, "fa": u.name_fa, "ru": u.name_ru, "der": u.derivation,
              "src": list(u.sources), "km2": round(unit_area_km2(u.geometry)), "g": _encode(web_units[u.id])}
             for u in atlas.units]
    zones = [{"id": z.id, "kind": z.kind, "name": z.name, "fa": z.name_fa, "ru": z.name_ru, "der": z.derivation,
              "src": list(z.sources), "per": "; ".join(periods.get(z.id, [])), "units": zone_units[z.id],
              "g": _encode(web_zones[z.id])} for z in atlas.zones]
    countries = [{"id": c.id, "g": _encode(web_countries[c.id])} for c in atlas.countries]
    view = _bounds(list(web_units.values()) + list(web_zones.values()))
    (south, west), (north, east) = view
    places = [{"id": p.id, "name": p.name, "fa": p.name_fa, "ru": p.name_ru, "ll": [p.lat, p.lon],
               "roles": [[atlas.role_label(r), r.note] for r in p.roles], "note": p.note, "src": list(p.sources),
               # capitals on the map get a permanent label, for orientation
               "label": any(r.role == "capital" for r in p.roles) and west <= p.lon <= east and south <= p.lat <= north}
              for p in atlas.places]

    step_recs = []
    for st in all_steps:
        d = st.event.date.date
        rec = {
            "e": st.index,
            "names": [atlas.polity_name("persia", d) or "Persia", atlas.polity_name("russia", d) or "Russia"],
            "ch": [[unit_index[c.unit], _holder_code(c.to), _polity(atlas, c.to, d, c.to_name),
                    _polity(atlas, c.from_, d, c.from_name), round(c.km2), c.certainty, c.note] for c in st.changes],
            "z": [zone_index[z] for z in st.state.zones],
            "zb": [zone_index[z] for z in st.zones_begun],
            "ze": [zone_index[z] for z in st.zones_ended],
            "moved": round(sum(c.km2 for c in st.changes)),
            "lost": round(st.lost_km2),
            "total": round(st.total_lost_km2),
            "labels": _labels(atlas, st, web_units),
        }
        step_recs.append(rec)

    sea = []  # the sea: the frame of the land layer, drawn under the land
    if atlas.countries:
        sea = _encode(shapely.box(*shapely.total_bounds(np.asarray([c.geometry for c in atlas.countries], dtype=object))))
    return {"sea": sea, "unit_index": unit_index, "zone_index": zone_index, "place_index": place_index, "units": units,
            "zones": zones, "countries": countries, "places": places, "steps": step_recs, "view": view}


def _style() -> dict:
    return {
        "holders": HOLDER_COLOURS, "holderLabels": HOLDER_LABELS, "fillOpacity": FILL_OPACITY,
        "unitEdge": UNIT_EDGE, "changed": CHANGED_EDGE, "land": LAND, "landEdge": LAND_EDGE, "sea": SEA, "place": PLACE,
        "zones": {k: {"label": s.label, "color": s.color, "dash": s.dash, "pattern": _pattern_id(k)}
                  for k, s in ZONE_STYLES.items()},
    }


def _obj(parts: dict[str, str]) -> str:
    """Return a JSON object from keys and already serialised values."""
    return "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in parts.items()) + "}"


@lru_cache(maxsize=4)
def _shared_js(atlas: Atlas) -> dict:
    """The page data that does not depend on the step shown, serialised once per atlas."""
    sh = _shared(atlas)
    return {
        "title": _js(TITLE), "style": _js(_style()), "sea": _js(sh["sea"]), "countries": _js(sh["countries"]),
        "places": _js(sh["places"]), "units": [_js(u) for u in sh["units"]], "zones": [_js(z) for z in sh["zones"]],
    }


def _page_data(atlas: Atlas, index: int | None) -> str:
    """Return the page data as JSON safe in a <script>: the atlas page (``index`` None) or step ``index``'s map.

    ``units`` (geometry, names, sources) and ``zones`` are drawn once; ``base`` holds each unit's
    ``[holder code, other holder's name, since event]`` before the first step in the data, and every
    step only the changes: ``[unit, holder code, to name, from name, km², certainty, note]``.
    """
    sh, js = _shared(atlas), _shared_js(atlas)
    place_index = sh["place_index"]
    all_steps = steps(atlas)
    parts = {k: js[k] for k in ("title", "style", "sea", "countries", "places")}
    if index is None:
        base = [[_holder_code(atlas.baseline[u.id].holder), _base_name(atlas, u.id), -1] for u in atlas.units]
        events = [_event_record(atlas, st.event, place_index, full=True) for st in all_steps]
        parts.update(units="[" + ",".join(js["units"]) + "]", zones="[" + ",".join(js["zones"]) + "]",
                     base=_js(base), steps=_js(sh["steps"]), events=_js(events), view=_js(sh["view"]))
        return _obj(parts)
    # one step: only the zones in force and the events that popups name ("since ...")
    st = all_steps[index]
    prior = all_steps[index - 1].state if index > 0 else None
    event_index = {s.event.id: s.index for s in all_steps}
    if prior is None:
        base = [[_holder_code(atlas.baseline[u.id].holder), _base_name(atlas, u.id), -1] for u in atlas.units]
    else:
        base = []
        for u in atlas.units:
            t = prior.holders[u.id]
            base.append([_holder_code(t.holder), t.holder_name if t.holder == "other" else None,
                         event_index[t.since] if t.since else -1])
    named = sorted({b[2] for b in base if b[2] >= 0} | {index})
    local_event = {e: i for i, e in enumerate(named)}
    for b in base:
        b[2] = local_event.get(b[2], -1)
    events = [_event_record(atlas, all_steps[e].event, place_index, full=(e == index)) for e in named]
    zone_ids = list(st.state.zones)
    local_zone = {sh["zone_index"][z]: i for i, z in enumerate(zone_ids)}
    rec = dict(sh["steps"][index])
    rec.update(z=[local_zone[i] for i in rec["z"]], zb=[local_zone[i] for i in rec["zb"] if i in local_zone],
               ze=[], e=local_event[index])
    web_units, web_zones, _ = _web(atlas)
    focus = [web_units[c.unit] for c in st.changes] + [web_zones[z] for z in st.zones_begun]
    view = _focus_bounds(focus, sh["view"]) if focus else sh["view"]
    parts.update(units="[" + ",".join(js["units"]) + "]",
                 zones="[" + ",".join(js["zones"][sh["zone_index"][z]] for z in zone_ids) + "]",
                 base=_js(base), steps=_js([rec]), events=_js(events), view=_js(view))
    return _obj(parts)


def _polity(atlas: Atlas, holder: str, d, name: str | None) -> str:
    """Return the holder's name on day ``d``: the polity's (Qajar Iran ...), or an other holder's own name."""
    if holder == "other":
        return name or "Other"
    return atlas.polity_name(holder, d) or HOLDER_LABELS[holder]


def _base_name(atlas: Atlas, unit_id: str) -> str | None:
    b = atlas.baseline[unit_id]
    return (b.name or "Other") if b.holder == "other" else None


def _js(obj) -> str:
    """Return ``obj`` as JSON safe inside a <script> element."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(a, b)
    return text


# ------------------------------------------------------------------------------------------------
# assets


def _pattern_id(kind: str) -> str:
    return "hatch-" + kind.replace("_", "-")


def _patterns_svg() -> str:
    parts = ['<svg class="atlas-defs" aria-hidden="true" focusable="false" width="0" height="0"><defs>']
    for kind, s in ZONE_STYLES.items():
        size = 9
        lines = {
            "/": [f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{s.color}" stroke-width="1.6" stroke-opacity="0.75"/>'],
            "|": [f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{s.color}" stroke-width="1.6" stroke-opacity="0.75"/>'],
            "-": [f'<line x1="0" y1="0" x2="{size}" y2="0" stroke="{s.color}" stroke-width="1.4" stroke-opacity="0.7"/>'],
            "x": [f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{s.color}" stroke-width="1.3" stroke-opacity="0.7"/>',
                  f'<line x1="0" y1="0" x2="{size}" y2="0" stroke="{s.color}" stroke-width="1.3" stroke-opacity="0.7"/>'],
            ".": [f'<circle cx="{size / 2}" cy="{size / 2}" r="1.6" fill="{s.color}" fill-opacity="0.8"/>'],
        }[s.hatch]
        rotate = f' patternTransform="rotate({s.angle})"' if s.angle else ""
        parts.append(f'<pattern id="{_pattern_id(kind)}" patternUnits="userSpaceOnUse" width="{size}" height="{size}"{rotate}>'
                     f'<rect width="{size}" height="{size}" fill="{s.color}" fill-opacity="0.07"/>{"".join(lines)}</pattern>')
    parts.append("</defs></svg>")
    return "".join(parts)


def _asset(name: str) -> str:
    return resources.files("mapper").joinpath("assets", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _leaflet_inline() -> tuple[str, str]:
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", js).replace("</script", "<\\/script")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match) -> str:
        png = (base / "images" / m.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css).replace("</style", "<\\/style")
    return js, css


def _head(cdn: bool) -> str:
    if cdn:
        leaflet = (f'<link rel="stylesheet" href="{LEAFLET_CDN}leaflet.css"/>\n'
                   f'<script src="{LEAFLET_CDN}leaflet.js"></script>')
    else:
        js, css = _leaflet_inline()
        leaflet = f"<style>{css}</style>\n<script>{js}</script>"
    return f"{leaflet}\n<style>{_asset('atlas.css')}</style>\n<script>{_asset('atlas.js')}</script>"


# ------------------------------------------------------------------------------------------------
# folium elements with stable ids


class _Page(Figure):
    """The page around the map: ``lang``, a title, the scripts at the end of the body."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        "<title>{{ this.page_title }}</title>\n"
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        '<body class="{{ this.body_class }}">\n'
        "{{ this.html.render(**kwargs) }}\n"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, title: str, body_class: str):
        super().__init__()
        self._id = "page"
        self.header._id, self.html._id, self.script._id = "header", "html", "script"
        self.header._children.clear()  # the charset is in the template
        self.page_title = html.escape(title)
        self.body_class = body_class


class _Map(folium.Map):
    """A folium map without folium's CDN links; Leaflet comes from :class:`_Assets`."""

    default_js: ClassVar[list] = []
    default_css: ClassVar[list] = []
    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <div class="folium-map atlas-map" id={{ this.get_name()|tojson }} tabindex="0" role="region"
             aria-label={{ this.aria_label|tojson }}></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {{ this.options|tojavascript }});
        {{ this.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, aria_label: str):
        super().__init__(location=[36.0, 52.0], zoom_start=5, tiles=None, zoom_snap=0.25, zoom_delta=0.5,
                         keyboard=False, min_zoom=3, max_zoom=11)
        self._id = "atlas"
        self.global_switches._id = "switches"
        self.aria_label = aria_label
        self.attribution = ATTRIBUTION
        self.options = {"center": [36.0, 52.0], **self.options}


class _Group(Layer):
    """An empty Leaflet feature group that the engine fills (listed in the layer control if ``control``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        {% endmacro %}
        """
    )

    def __init__(self, key: str, name: str | None = None, *, control: bool = True, show: bool = True):
        super().__init__(name=name or key, overlay=True, control=control, show=show)
        self._name = "Group"
        self._id = key


class _Raw(Element):
    """Text put into the page as it is (branca would compile a rendered macro again as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _RawMacro(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page verbatim.

    branca wraps each rendered macro in ``Element(text)``, which compiles ``text`` as a Jinja
    template: slow for a large page, and data holding ``{{`` would be evaluated.
    """

    def render(self, **kwargs):
        figure = self.get_root()
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _Assets(_RawMacro):
    """Leaflet (inlined or from the CDN), the atlas's CSS and engine, in the page head."""

    _template = Template("{% macro header(this, kwargs) %}{{ this.head }}{% endmacro %}")

    def __init__(self, cdn: bool):
        super().__init__()
        self._name, self._id = "Assets", "assets"
        self.head = _head(cdn)


class _Ui(_RawMacro):
    """The panel, timeline and live region of the atlas page (empty in a per-event map)."""

    _template = Template("{% macro html(this, kwargs) %}{{ this.markup }}{% endmacro %}")

    def __init__(self, markup: str):
        super().__init__()
        self._name, self._id = "Ui", "ui"
        self.markup = markup


class _Engine(_RawMacro):
    """Starts the atlas engine on the map with the page's data."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapperAtlasInit({{ this.data }}, {{ this.map.get_name() }}, {
            land: {{ this.layers.land.get_name() }}, units: {{ this.layers.units.get_name() }},
            zones: {{ this.layers.zones.get_name() }}, labels: {{ this.layers.labels.get_name() }},
            places: {{ this.layers.places.get_name() }}, control: {{ this.control.get_name() }}
        }, {{ this.options }});
        {% endmacro %}
        """
    )

    def __init__(self, m, layers, control, data_js: str, options: dict):
        super().__init__()
        self._name, self._id = "Engine", "engine"
        self.map, self.layers, self.control, self.data, self.options = m, layers, control, data_js, _js(options)


@dataclass
class _Layers:
    land: _Group
    units: _Group
    zones: _Group
    labels: _Group
    places: _Group


def _index_markup(atlas: Atlas, n: int) -> str:
    note = html.escape(atlas.baseline_note.strip()) if atlas.baseline_note else ""
    about = (f'<details class="about"><summary>About the starting map</summary><p>{note}</p></details>' if note else "")
    return f"""
<aside id="atlas-panel" aria-labelledby="atlas-event-title">
  <p class="kicker">{html.escape(TITLE)}</p>
  <div id="atlas-panel-body"></div>
  {about}
</aside>
<nav id="atlas-timeline" aria-label="Timeline of events">
  <button type="button" class="nav" id="atlas-prev" aria-label="Previous event" title="Previous event (left arrow)">&#8249;</button>
  <button type="button" class="nav" id="atlas-play" aria-label="Play" aria-pressed="false" title="Play (a step every 2 seconds)">&#9654;&#xFE0E;</button>
  <button type="button" class="nav" id="atlas-next" aria-label="Next event" title="Next event (right arrow)">&#8250;</button>
  <div class="track">
    <input type="range" id="atlas-range" min="0" max="{n - 1}" step="1" value="0" aria-label="Event on the timeline">
    <div id="atlas-ticks"></div>
  </div>
</nav>
<div id="atlas-live" class="sr-only" aria-live="polite" aria-atomic="true"></div>
{_patterns_svg()}"""


def _build(atlas: Atlas, index: int | None, *, cdn: bool) -> folium.Map:
    embed = index is not None
    if embed:
        ev = atlas.events[index]
        title = f"{ev.title} ({ev.date.label}) \u2014 {TITLE}"
        label = "Map of one event of the atlas"  # the engine adds the event's title
    else:
        title = TITLE
        label = "Map of the atlas. Left and right arrow keys step through the events; up and down pan; plus and minus zoom."
    page = _Page(title, "atlas-embed" if embed else "atlas-index")
    m = _Map(label)
    page.add_child(m, name="map")
    _Assets(cdn).add_to(m, name="assets")
    tiles = folium.TileLayer("OpenStreetMap", name="OpenStreetMap (web tiles, online)", overlay=True, control=True,
                             show=False)
    tiles._id = "osm"
    layers = _Layers(
        land=_Group("land", "Modern countries (land, borders)"),
        units=_Group("units", control=False),
        zones=_Group("zones", "Zones: spheres, occupations, republics"),
        labels=_Group("labels", control=False),
        places=_Group("places", "Places: capitals, embassies, treaties"),
    )
    for key in ("land", "units", "zones", "labels", "places"):
        getattr(layers, key).add_to(m, name=key)
    tiles.add_to(m, name="osm")
    control = folium.LayerControl(position="topright", collapsed=embed)
    control._id = "layers"
    control.add_to(m, name="layer_control")
    _Engine(m, layers, control, _page_data(atlas, index), {"embed": embed}).add_to(m, name="engine")
    _Ui(_patterns_svg() if embed else _index_markup(atlas, len(atlas.events))).add_to(m, name="ui")
    return m


def _render(m: folium.Map) -> str:
    return m.get_root().render()


# ------------------------------------------------------------------------------------------------
# public


def folium_map(atlas: Atlas, event_id: str | None = None, *, cdn: bool = False) -> folium.Map:
    """Return the stepping atlas as a ``folium.Map``, or the map of one event with ``event_id``.

    The map is self-contained (Leaflet inlined) unless ``cdn``; it shows inline in Jupyter.
    """
    if event_id is None:
        return _build(atlas, None, cdn=cdn)
    ids = [e.id for e in atlas.events]
    if event_id not in ids:
        import difflib

        from mapper.errors import MapperError

        close = difflib.get_close_matches(event_id, ids, n=1)
        raise MapperError(f"unknown event {event_id!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return _build(atlas, ids.index(event_id), cdn=cdn)


def render_index(atlas: Atlas, *, cdn: bool = False) -> str:
    """Return the HTML of the atlas page."""
    return _render(_build(atlas, None, cdn=cdn))


def render_event_map(atlas: Atlas, event_id: str, *, cdn: bool = False) -> str:
    """Return the HTML of the standalone map of one event, made to fill an iframe."""
    return _render(folium_map(atlas, event_id, cdn=cdn))


def write_html(atlas: Atlas, out: Path, *, cdn: bool) -> list[Path]:
    """Write ``index.html`` and ``maps/<event-id>.html`` under ``out``; return the paths written."""
    out = Path(out)
    (out / "maps").mkdir(parents=True, exist_ok=True)
    written = []
    index = out / "index.html"
    index.write_text(render_index(atlas, cdn=cdn), encoding="utf-8", newline="\n")
    written.append(index)
    for i, ev in enumerate(atlas.events):
        p = out / "maps" / f"{ev.id}.html"
        p.write_text(_render(_build(atlas, i, cdn=cdn)), encoding="utf-8", newline="\n")
        written.append(p)
    return written
