"""Linked Places Format (LPF 1.2, the World Historical Gazetteer's and Pelagios' exchange format): ``data/atlas.lpf.json``.

One GeoJSON-LD FeatureCollection of every unit, zone and place, each a Feature with:

- ``@id`` a URN of the atlas (``urn:iran-russia-atlas:unit:erivan``), ``properties.title`` and
  ``ccodes`` (ISO 3166-1 alpha-2 codes of the modern countries it overlaps);
- ``names``: English, Persian and Russian, citing the record's sources;
- ``types``: a Getty AAT concept (historical region, inhabited place) with the atlas's own kind as
  source label;
- ``geometry``: a GeometryCollection holding the shape (coordinates to 4 decimals);
- ``when``: for a zone its periods in force, for a place the years it matters to the atlas
  (:func:`.records.place_span`); timespans are ``[start, end)`` as everywhere in the atlas;
- ``relations`` (units): one ``gvp:broaderPartitive`` ("part of") relation per holder period, to
  the polity as named in that period, dated, with the certainty of the change that began it and the
  sources of its event;
- ``descriptions`` and ``links`` (GeoNames, where a place's sources name one).

Dates are ISO 8601 / EDTF level 1: ``1920-06`` or ``0913`` where only the month or year is known,
with ``~`` where the event's date is approximate and ``?`` where it is disputed. A baseline period
(the holder before the first change) starts ``latest`` at the first change's date, or at its end
where the holder was renamed before. Certainty
``high``/``medium``/``low`` is LPF's ``certain``/``less-certain``/``uncertain``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import shapely

from mapper.exports import geojson
from mapper.exports.records import names, place_note, place_span
from mapper.model import Atlas, Event, Source
from mapper.timeline import Change, Period, holder_periods, holdings_begun, steps, zone_periods
from mapper.words import Words

__all__ = ["LPF_NAME", "CONTEXT", "URN", "edtf", "lpf_collection", "lpf_text"]

LPF_NAME = "atlas.lpf.json"
#: The JSON-LD context LPF 1.2 documents name.
CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
URN = "urn:iran-russia-atlas"
_CERTAINTY = {"high": "certain", "medium": "less-certain", "low": "uncertain"}
_EDTF_MARK = {"exact": "", "approximate": "~", "disputed": "?"}
_AAT = {"unit": ("aat:300387178", "historical region"), "zone": ("aat:300387178", "historical region"),
        "place": ("aat:300008347", "inhabited place")}
#: ISO 3166-1 alpha-3 (the countries layer's ids, lower case) to alpha-2, for ``ccodes``.
_ALPHA2 = {"afg": "AF", "are": "AE", "arm": "AM", "aze": "AZ", "bhr": "BH", "geo": "GE", "irn": "IR", "irq": "IQ",
           "jor": "JO", "kab": "KZ", "kaz": "KZ", "kwt": "KW", "omn": "OM", "pak": "PK", "qat": "QA", "rus": "RU",
           "sau": "SA", "syr": "SY", "tkm": "TM", "tur": "TR", "uzb": "UZ"}


def _iso(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def edtf(event: Event) -> str:
    """Return an event's date in EDTF: its precision (``1920-06``, ``0913``) and ``~``/``?`` when approximate/disputed."""
    return event.date.iso + _EDTF_MARK.get(event.date_certainty, "")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _citations(sources: tuple[str, ...] | tuple[Source, ...]) -> list[dict]:
    out = []
    for s in sources:
        if isinstance(s, Source):
            out.append({"label": s.title, **({"@id": s.url} if s.url else {})})
        else:
            out.append({"label": s})
    return out


def _names(region: Any, atlas: Atlas) -> list[dict]:
    cites = _citations(region.sources)
    own = names(region, atlas)
    return [{"toponym": own[key], "lang": lang, "citations": cites}
            for key, lang in (("name", "en"), ("name_fa", "fa"), ("name_ru", "ru")) if own[key]]


def _ccodes(atlas: Atlas, geom: Any) -> list[str]:
    codes = {_ALPHA2.get(c.id, c.id.upper()[:2]) for c in atlas.countries
             if c.geometry.intersects(geom) and c.geometry.intersection(geom).area > 1e-4}
    return sorted(codes)


def _point_in(d: dt.date, events: dict[dt.date, Event]) -> dict:
    """Return a timespan bound: the event's EDTF date on an event's day, else the day (a 1 January alone: the year)."""
    ev = events.get(d)
    if ev is not None:
        return {"in": edtf(ev)}
    return {"in": f"{d.year:04d}" if (d.month, d.day) == (1, 1) else _iso(d)}


def _geometry(geom: Any) -> dict:
    return {"type": "GeometryCollection", "geometries": [geojson.geometry(geom, 4)]}


def _unit_relations(atlas: Atlas, periods: list[Period], changes: dict[tuple[str, str], Change],
                    events: dict[dt.date, Event], first_change: dt.date) -> list[dict]:
    out = []
    for p in periods:
        span: dict = {}
        if p.start is None:  # the baseline: held since before the first change (or the polity's renaming)
            span["start"] = {"latest": _iso(min(first_change, p.end or first_change))}
        else:
            span["start"] = _point_in(p.start, events)
        if p.end is not None:
            span["end"] = _point_in(p.end, events)
        change = changes.get((p.since, p.id)) if p.since else None
        rel: dict = {"relationType": "gvp:broaderPartitive", "relationTo": f"{URN}:polity:{_slug(p.holder_name or '')}",
                     "label": p.holder_name, "when": {"timespans": [span]},
                     "certainty": _CERTAINTY[change.certainty] if change else ("less-certain" if p.start is None
                                                                               else "certain")}
        if p.since:
            rel["citations"] = _citations(atlas.event(p.since).sources)
        out.append(rel)
    return out


def lpf_collection(atlas: Atlas, lang: str = "en") -> dict:
    """Return the atlas's units, zones and places as one Linked Places FeatureCollection (a dict)."""
    w = Words(lang)
    all_steps = steps(atlas)
    events: dict[dt.date, Event] = {}
    for st in all_steps:  # a date names its event (the first of the day)
        events.setdefault(st.event.date.date, st.event)
    changes = holdings_begun(atlas)  # the change by which each holding began
    first_change = next((st.event.date.date for st in all_steps if st.changes), all_steps[0].event.date.date)
    by_unit: dict[str, list[Period]] = {}
    for p in holder_periods(atlas):
        by_unit.setdefault(p.id, []).append(p)
    features: list[dict] = []
    for u in atlas.units:
        features.append({
            "type": "Feature", "@id": f"{URN}:unit:{u.id}",
            "properties": {"title": u.name, "ccodes": _ccodes(atlas, u.geometry)},
            "names": _names(u, atlas),
            "types": [{"identifier": _AAT["unit"][0], "label": _AAT["unit"][1],
                       "sourceLabels": [{"label": "sovereignty unit", "lang": "en"}]}],
            "geometry": _geometry(u.geometry),
            "relations": _unit_relations(atlas, by_unit.get(u.id, []), changes, events, first_change),
            "descriptions": [{"value": u.derivation, "lang": "en"}],
        })
    spans: dict[str, list[dict]] = {}
    zone_certainty: dict[str, str] = {}
    for p in zone_periods(atlas):
        span = {"start": _point_in(p.start, events)} if p.start else {"start": {"latest": _iso(first_change)}}
        if p.end is not None:
            span["end"] = _point_in(p.end, events)
        spans.setdefault(p.id, []).append(span)
        if p.since and atlas.event(p.since).date_certainty != "exact":
            zone_certainty[p.id] = "less-certain"
    for z in atlas.zones:
        feature: dict = {
            "type": "Feature", "@id": f"{URN}:zone:{z.id}",
            "properties": {"title": z.name, "ccodes": _ccodes(atlas, z.geometry)},
            "names": _names(z, atlas),
            "types": [{"identifier": _AAT["zone"][0], "label": _AAT["zone"][1],
                       "sourceLabels": [{"label": w.zone_label(z.kind), "lang": lang}]}],
            "geometry": _geometry(z.geometry),
            "descriptions": [{"value": z.derivation, "lang": "en"}],
        }
        if z.id in spans:
            feature["when"] = {"timespans": spans[z.id], "certainty": zone_certainty.get(z.id, "certain")}
        features.append(feature)
    for pl in atlas.places:
        point = shapely.Point(pl.lon, pl.lat)
        feature = {
            "type": "Feature", "@id": f"{URN}:place:{pl.id}",
            "properties": {"title": pl.name, "ccodes": _ccodes(atlas, point.buffer(0.01))},
            "names": _names(pl, atlas),
            "types": [{"identifier": _AAT["place"][0], "label": _AAT["place"][1],
                       "sourceLabels": [{"label": atlas.role_label(r), "lang": "en"} for r in pl.roles]}],
            "geometry": _geometry(point),
        }
        start, end = place_span(atlas, pl)
        if start is not None or end is not None:
            span = {"start": _point_in(start, events) if start else {"latest": _iso(first_change)}}
            if end is not None:
                span["end"] = _point_in(end, events)
            feature["when"] = {"timespans": [span]}
        note = place_note(pl)
        if note:
            feature["descriptions"] = [{"value": note, "lang": "en"}]
        links = [{"type": "closeMatch", "identifier": f"https://www.geonames.org/{m.group(1)}/"}
                 for s in pl.sources for m in [re.match(r"GeoNames (\d+)$", s)] if m]
        if links:
            feature["links"] = links
        features.append(feature)
    return {"type": "FeatureCollection", "@context": CONTEXT, "name": w.title(), "features": features}


def lpf_text(atlas: Atlas) -> str:
    """Return ``atlas.lpf.json``: the Linked Places collection as UTF-8 JSON, one feature a line."""
    return geojson.dumps(lpf_collection(atlas))
