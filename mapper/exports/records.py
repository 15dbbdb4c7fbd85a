"""The one rule for what an export says about a unit, a zone, a change or a period.

Every export (slices, CSV tables, the GeoPackage, the static GeoJSON layers) builds its rows from
these functions, so a unit's holder, the holder's name on a date, its claimants or a change's kind
read the same in each. Values are plain (text, numbers, lists, dates); each writer only encodes them. Persian and Russian
names are the record's own or, where it has none, the atlas's translations (``translations/<lang>.yaml``).
"""
from __future__ import annotations

import datetime as dt

import shapely

from mapper.model import Atlas, Place, Unit, Zone
from mapper.timeline import Change, Period, Tenure

__all__ = ["CHANGE_COLUMNS", "iso", "names", "unit_properties", "zone_properties", "change_row", "unit_period_row",
           "zone_period_row", "place_row", "place_span", "place_note", "capital_years", "claims_text"]

#: The columns of ``data/changes.csv`` (the history issue's contract).
CHANGE_COLUMNS = ("event", "unit", "kind", "from", "to", "from_name", "to_name", "km2", "counted", "certainty", "note")


def iso(d: dt.date | None) -> str | None:
    """Return a date as ISO text with a four-digit year (``0913-01-01``), None for None."""
    return None if d is None else f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def claims_text(claimed_by: tuple[str, ...]) -> str:
    """Return claimants for a flat table: ``persia russia`` (empty when none)."""
    return " ".join(claimed_by)


_KIND = {Unit: "units", Zone: "zones", Place: "places"}


def names(region: Unit | Zone | Place, atlas: Atlas | None = None) -> dict:
    """Return ``name``, ``name_fa``, ``name_ru``: the record's own, else the atlas's translations (None if neither)."""
    texts = getattr(atlas, "translations", None)
    out: dict[str, str | None] = {"name": region.name}
    for lang in ("fa", "ru"):
        value = getattr(region, f"name_{lang}")
        if not value and texts is not None:
            value = texts.text(lang, _KIND[type(region)], region.id, "name")
        out[f"name_{lang}"] = value or None
    return out


def unit_properties(unit: Unit, tenure: Tenure, atlas: Atlas | None = None) -> dict:
    """Return a sovereignty feature's properties: the unit, its holder named as on the date, its claimants."""
    return {"id": unit.id, "layer": "sovereignty", **names(unit, atlas), "holder": tenure.holder,
            "holder_name": tenure.holder_name, "since": tenure.since, "claimed_by": list(tenure.claimed_by)}


def zone_properties(zone: Zone, atlas: Atlas | None = None) -> dict:
    """Return a zone feature's properties (an overlay in force: sphere, occupation, republic)."""
    return {"id": zone.id, "layer": "zone", **names(zone, atlas), "kind": zone.kind}


def change_row(c: Change) -> dict:
    """Return a change as a ``changes.csv`` row (keys :data:`CHANGE_COLUMNS`)."""
    return {"event": c.event, "unit": c.unit, "kind": c.kind, "from": c.from_, "to": c.to,
            "from_name": c.from_name, "to_name": c.to_name, "km2": f"{c.km2:.0f}",
            "counted": "true" if c.counted else "false", "certainty": c.certainty, "note": c.note or ""}


def _period_dates(p: Period) -> dict:
    return {"start": p.start, "end": p.end, "start_iso": iso(p.start), "end_iso": iso(p.end)}


def unit_period_row(unit: Unit, p: Period, km2: float, atlas: Atlas | None = None, certainty: str | None = None) -> dict:
    """Return a ``unit_periods`` row: the unit, holder named for the period, claimants, since when and how
    surely (the certainty of the change that began the holding), dates; geometry last."""
    return {"unit_id": unit.id, **names(unit, atlas), "holder": p.holder, "holder_name": p.holder_name,
            "claimed_by": claims_text(p.claimed_by), "since_event": p.since, "certainty": certainty,
            "until_event": p.until_event,
            **_period_dates(p), "km2": round(km2, 1), "geometry": unit.geometry}


def zone_period_row(zone: Zone, p: Period, atlas: Atlas | None = None) -> dict:
    """Return a ``zone_periods`` row; geometry last."""
    return {"zone_id": zone.id, "kind": zone.kind, **names(zone, atlas), **_period_dates(p),
            "since_event": p.since, "until_event": p.until_event, "geometry": zone.geometry}


def place_span(atlas: Atlas, place: Place) -> tuple[dt.date | None, dt.date | None]:
    """Return the half-open interval ``[start, end)`` in which a place matters to the atlas.

    Each role gives an interval: a capital's ``since``/``until`` years (1 January of each), a
    signing place from its treaty's date on; a role with no dates (a city, an embassy) always holds.
    The place's interval is the union's hull: None where any role is open on that side. So
    Georgievsk appears in 1783, Isfahan is a capital's place until 1723, Tehran is always there.
    """
    starts: list[dt.date | None] = []
    ends: list[dt.date | None] = []
    for r in place.roles:
        if r.role == "signing" and r.event:
            ev = {e.id: e for e in atlas.events}.get(r.event)
            starts.append(ev.date.date if ev else None)
            ends.append(None)
        else:
            starts.append(dt.date(r.since, 1, 1) if r.since is not None else None)
            ends.append(dt.date(r.until, 1, 1) if r.until is not None else None)
    start = None if not starts or None in starts else min(d for d in starts if d is not None)
    end = None if not ends or None in ends else max(d for d in ends if d is not None)
    return start, end


def capital_years(place: Place) -> str | None:
    """Return the years a place was a capital, as half-open ranges ``since-until`` joined by spaces.

    ``1598-1723`` (Isfahan), ``-1712 1918-`` (Moscow: until 1712 and since 1918; an empty side is
    open); None for a place that was never a capital. The QGIS style reads it to draw a capital's
    square only in its years.
    """
    spans = [f"{'' if r.since is None else r.since}-{'' if r.until is None else r.until}"
             for r in place.roles if r.role == "capital"]
    return " ".join(spans) or None


def place_note(place: Place) -> str | None:
    """Return a place's note: its own, else the notes of its roles joined with ``; `` (None if none)."""
    if place.note:
        return place.note
    notes = list(dict.fromkeys(r.note for r in place.roles if r.note))
    return "; ".join(notes) or None


def place_row(atlas: Atlas, place: Place) -> dict:
    """Return a ``places`` row: names, roles (reader's labels and codes), note, dates (:func:`place_span`); geometry last."""
    start, end = place_span(atlas, place)
    return {"place_id": place.id, **names(place, atlas),
            "roles": "; ".join(atlas.role_label(r) for r in place.roles),
            "role_codes": " ".join(dict.fromkeys(r.role for r in place.roles)),
            "capital_years": capital_years(place),
            "lon": place.lon, "lat": place.lat, "note": place_note(place),
            "start": start, "end": end, "start_iso": iso(start), "end_iso": iso(end),
            "sources": "; ".join(place.sources), "geometry": shapely.Point(place.lon, place.lat)}
