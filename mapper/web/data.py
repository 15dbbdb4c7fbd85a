"""The page payload built from the atlas: :func:`atlas_payload` for the atlas page, :func:`event_payload` for one event.

Everything the page shows is computed here once, from :func:`mapper.timeline.steps`, into the typed
records of :mod:`mapper.web.payload`; the engine only arranges it. Each edition (``lang``: en, fa,
ru) gets its own payload: every text in it (titles, summaries, names, captions, dates, the page's
words) comes from ``Words(lang, atlas)``, and the geometry is shared.
"""
from __future__ import annotations

import re
from urllib.parse import quote
from dataclasses import replace
from functools import lru_cache

import shapely
from shapely.geometry.base import BaseGeometry

from mapper.dates import CALENDARS, local_calendars, local_digits
from mapper.editions import edition_prefix
from mapper.geometry import focus_box, label_point
from mapper.model import TRANSFER_KINDS, Atlas, Event, Place, Unit, Zone
from mapper.timeline import Change, Step, holder_name, initial_state, moving_events, steps, unit_area_km2, zone_periods
from mapper.web.messages import script_words
from mapper.web.payload import (
    ArcsRecord,
    ChangeRecord,
    CountryRecord,
    EventRecord,
    Holding,
    LabelRecord,
    Payload,
    PlaceRecord,
    RoleRecord,
    SourceRecord,
    StepRecord,
    UnitRecord,
    ZoneRecord,
)
from mapper.web.shapes import GRID, bounds, web_shapes, web_topology
from mapper.web.styles import style_record
from mapper.words import Words

__all__ = ["atlas_payload", "event_payload"]

LABEL_INSIDE_DEG = 2.0  # a change label goes inside an area only if it has this much room around its point
ABOVE_DEG = 0.03  # a label written above an area stands this far north of its edge (clear of the outline, about 3 km)


def _url(url: str | None) -> str | None:
    return url if url and re.match(r"^https?://\S+$", url, re.IGNORECASE) else None


WIKIPEDIA = "https://en.wikipedia.org/wiki/"  # as assets/util.js writes it


def _source(title: str, url: str | None) -> SourceRecord:
    """A source record; a link that is the Wikipedia article its title names ("Wikipedia: Treaty of
    Gulistan") travels as ``wiki`` and the engine writes it (``encodeURI``: the same address)."""
    url = _url(url)
    article = title.split(": ", 1)[1] if title.startswith("Wikipedia: ") else None
    if url and article and url == WIKIPEDIA + quote(article.replace(" ", "_"), safe=";,/?:@&=+$!*'()#"):
        return SourceRecord(title, None, wiki=True)
    return SourceRecord(title, url)


#: The timeline: a gap between events counts as its length in years, at most GAP_CAP (then a break is
#: drawn), at least GAP_MIN (events of one year stay apart).
GAP_CAP, GAP_MIN = 12.0, 0.9


@lru_cache(maxsize=4)
def timeline_axis(atlas: Atlas) -> dict[str, tuple[float, bool]]:
    """Return, per event id, its place on the timeline (0..1) and whether a shortened gap precedes it."""
    days = [ev.date.date.toordinal() / 365.2425 for ev in atlas.events]
    pos, breaks = [0.0], [False]
    for a, b in zip(days, days[1:]):
        gap = b - a
        pos.append(pos[-1] + max(GAP_MIN, min(gap, GAP_CAP)))
        breaks.append(gap > GAP_CAP * 1.5)
    span = pos[-1] or 1.0
    return {ev.id: (round(p / span, 4), br) for ev, p, br in zip(atlas.events, pos, breaks)}


def _event(atlas: Atlas, w: Words, ev: Event, *, full: bool) -> EventRecord:
    at, gap = timeline_axis(atlas)[ev.id]
    known = {p.id for p in atlas.places}
    place_id = ev.place if ev.place in known else None
    place = w.place_name(atlas.place(place_id)) if place_id else ev.place
    date_note = "\n".join(t for t in (w.event_date_note(ev), w.calendar_note(ev)) if t) or None
    year, date = local_digits(str(ev.date.date.year), w.lang), w.date(ev.date.date, ev.date.precision)
    return EventRecord(
        id=ev.id, title=w.event_title(ev), kind=ev.kind, year=None if date.split(" ")[-1] == year else year, at=at, gap=gap,
        date=date,
        date_os=w.date(ev.date_os) if ev.date_os and "julian" in CALENDARS.get(w.lang, ()) else None,
        date_local=local_calendars(ev, w.lang), place_id=place_id,
        place=place if full else None, date_certainty=ev.date_certainty if full and ev.date_certainty != "exact" else None,
        date_note=date_note if full else None, parties=list(w.event_parties(ev)) if full else None,
        summary=w.event_summary(ev) if full else None,
        sources=[_source(s.title, s.url) for s in ev.sources] if full else None,
        figure=ev.id in _figured(atlas), signed=ev.signed)


@lru_cache(maxsize=4)
def _figured(atlas: Atlas) -> frozenset[str]:
    return frozenset(moving_events(atlas))  # the events the build draws a figure of


@lru_cache(maxsize=4)
def _unit_km2(atlas: Atlas) -> dict[str, int]:
    """Each unit's area as its record gives it (``UnitRecord.km2``)."""
    return {u.id: round(unit_area_km2(u.geometry)) for u in atlas.units}


def _change(atlas: Atlas, w: Words, c: Change, names: dict[str, str]) -> ChangeRecord:
    """A change's record; a holder's name only when it is not the step's name for it (``names``), the
    certainty only when it is not high, the area only when it is not the unit's own (the engine reads
    what is left out as those)."""
    km2 = round(c.km2)
    def name(holder: str, n: str) -> str | None:
        n = w.holder_name(n)
        return None if names.get(holder) == n else n

    return ChangeRecord(unit=c.unit, kind=c.kind, caption=w.change_caption(c), from_holder=c.from_, to_holder=c.to,
                        from_name=name(c.from_, c.from_name), to_name=name(c.to, c.to_name), km2=None if _unit_km2(atlas).get(c.unit) == km2 else km2,
                        counted=c.counted, certainty=None if c.certainty == "high" else c.certainty,
                        note=w.change_note(atlas.event(c.event), c))


def _labels(atlas: Atlas, w: Words, changes: tuple[Change, ...], web_units: dict[str, BaseGeometry]) -> list[LabelRecord]:
    """Return one label per caption: what the step did to whom, where to write it.

    A claim that follows a transfer of the same unit at the same step (the loser keeps claiming)
    gets no label of its own: the claim hatch shows it.
    """
    moved = {c.unit for c in changes if c.kind in TRANSFER_KINDS}
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        if c.kind == "claim" and c.unit in moved:
            continue
        groups.setdefault((w.change_caption(c), c.to), []).append(c)
    out = []
    for (caption, to), cs in groups.items():
        km2 = sum(c.km2 for c in cs)
        what = w.region_name(atlas.unit(cs[0].unit)) if len(cs) == 1 else w.units(len(cs))
        lp = label_point([web_units[c.unit] for c in cs])
        above = lp.room < LABEL_INSIDE_DEG  # too small to hold the label: write it above
        out.append(LabelRecord(title=caption, detail=w.parts(what, w.km2(km2)), holder=to,
                               lat=round(lp.top + ABOVE_DEG if above else lp.y, 3), lon=round(lp.x, 3), above=above))
    return out


def _step(atlas: Atlas, w: Words, st: Step, web_units: dict[str, BaseGeometry]) -> StepRecord:
    d = st.event.date.date
    names = {h: w.holder_name(holder_name(atlas, h, d)) for h in ("persia", "russia")}
    moved, claimed = st.transfers, st.claim_changes
    transfers = [_change(atlas, w, c, names) for c in moved]
    claim_changes = [_change(atlas, w, c, names) for c in claimed]
    claims = {u: list(t.claimed_by) for u, t in st.state.holders.items() if t.claimed_by}
    return StepRecord(
        event=st.event.id,
        names=names,
        changes=transfers, claim_changes=claim_changes, claims=claims,
        zones=list(st.state.zones), zones_begun=list(st.zones_begun), zones_ended=list(st.zones_ended),
        moved_km2=round(sum(c.km2 for c in moved)),
        claimed_km2=round(sum(c.km2 for c in claimed)) if claimed else None,
        lost_km2=round(st.lost_km2),
        total_lost_km2=round(st.total_lost_km2), labels=_labels(atlas, w, st.changes, web_units))


def _zone_periods(atlas: Atlas, w: Words) -> dict[str, str]:
    periods: dict[str, list[str]] = {}

    def dated(event_id: str) -> str:
        ev = atlas.event(event_id)
        return w.dated_event(w.date(ev.date.date, ev.date.precision), w.event_title(ev))

    for p in zone_periods(atlas):
        start = dated(p.since) if p.since else (w.date(p.start) if p.start else "")
        if p.until_event:
            end: str | None = dated(p.until_event)
        else:
            end = w.date(p.end) if p.end is not None else None
        periods.setdefault(p.id, []).append(w.period(start, end))
    return {k: w.series(v) for k, v in periods.items()}


def _zone_units(atlas: Atlas) -> dict[str, list[str]]:
    """Return, per zone, the units it covers (more than 2 % of the unit's area)."""
    tree = shapely.STRtree([u.geometry for u in atlas.units])
    out = {}
    for z in atlas.zones:
        hits = []
        for i in sorted(int(i) for i in tree.query(z.geometry, predicate="intersects")):
            g = atlas.units[i].geometry
            if g.intersection(z.geometry).area > 0.02 * g.area:
                hits.append(atlas.units[i].id)
        out[z.id] = hits
    return out


def _names(atlas: Atlas, record: Place | Unit | Zone, lang: str) -> dict[str, str | None]:
    """Return a unit's, zone's or place's name in English (in the other editions), Persian and Russian
    (None where it has none), for popups."""
    out: dict[str, str | None] = {"name_en": record.name if lang != "en" else None}
    for lang in ("fa", "ru"):
        w = Words(lang, atlas)
        name = w.place_name(record) if isinstance(record, Place) else w.region_name(record)
        out[f"name_{lang}"] = name if name != record.name else None
    return out


def _script_words(lang: str) -> dict:
    from mapper.web.page import engine_source  # (page renders this module's payloads)

    return script_words(lang, engine_source())


@lru_cache(maxsize=6)
def atlas_payload(atlas: Atlas, lang: str = "en") -> Payload:
    """Return the payload of the atlas page in ``lang`` (en, fa, ru): every unit, zone, place, event and step."""
    w = Words(lang, atlas)
    shapes, topo = web_shapes(atlas), web_topology(atlas)
    periods, zone_units = _zone_periods(atlas, w), _zone_units(atlas)
    view = bounds(list(shapes.units.values()) + list(shapes.zones.values()))
    (south, west), (north, east) = view
    units = [UnitRecord(id=u.id, name=w.region_name(u), **_names(atlas, u, lang),
                        derivation=u.derivation, sources=list(u.sources), km2=_unit_km2(atlas)[u.id],
                        geometry=topo.units[u.id])
             for u in atlas.units]
    zones = [ZoneRecord(id=z.id, kind=z.kind, name=w.region_name(z), **_names(atlas, z, lang), derivation=z.derivation,
                        sources=list(z.sources), periods=periods.get(z.id, ""), units=zone_units[z.id],
                        geometry=topo.zones[z.id]) for z in atlas.zones]
    places = [PlaceRecord(id=p.id, name=w.place_name(p), **_names(atlas, p, lang),
                          lat=round(p.lat, 3), lon=round(p.lon, 3),  # 0.001° (about 100 m) places a dot
                          roles=[RoleRecord(w.role_label(p, n), w.role_note(p, n)) for n in range(1, len(p.roles) + 1)],
                          note=w.place_note(p), sources=list(p.sources),
                          # capitals on the map get a permanent label, for orientation
                          capital_label=any(r.role == "capital" for r in p.roles)
                          and west <= p.lon <= east and south <= p.lat <= north)
              for p in atlas.places]
    start = initial_state(atlas).holders  # named by the timeline, like every step
    base = [Holding(unit=u.id, holder=start[u.id].holder,
                    holder_name=w.holder_name(start[u.id].holder_name) if start[u.id].holder == "other" else None,
                    since=None) for u in atlas.units]
    all_steps = steps(atlas)
    return Payload(
        title=w.title(), lang=w.lang, words=_script_words(w.lang), embed=False, style=style_record(w), view=view,
        grid=GRID, arcs=ArcsRecord(topo.arcs.points, topo.arcs.x, topo.arcs.y), sea=topo.sea,
        countries=[CountryRecord(c.id, topo.countries[c.id]) for c in atlas.countries],
        units=units, zones=zones, places=places,
        events=[_event(atlas, w, st.event, full=True) for st in all_steps], base=base,
        steps=[_step(atlas, w, st, shapes.units) for st in all_steps],
        figure_path="figures/{id}.png", data_path="data/slices/{id}.geojson", data_root=edition_prefix(lang) and "../")


def event_payload(atlas: Atlas, index: int, lang: str = "en") -> Payload:
    """Return the payload of the map of step ``index`` in ``lang``: that step alone, the holders just before
    it, the zones in force and the events its popups name ("since ...")."""
    w = Words(lang, atlas)
    whole = atlas_payload(atlas, lang)
    all_steps = steps(atlas)
    st = all_steps[index]
    if index == 0:
        base = whole.base
    else:
        prior = all_steps[index - 1].state
        base = [Holding(unit=u.id, holder=prior.holders[u.id].holder,
                        holder_name=w.holder_name(prior.holders[u.id].holder_name) if prior.holders[u.id].holder == "other" else None,
                        since=prior.holders[u.id].since) for u in atlas.units]
    named = {h.since for h in base if h.since} | {st.event.id}
    events = [_event(atlas, w, s.event, full=(s.index == index)) for s in all_steps if s.event.id in named]
    in_force = set(st.state.zones)
    step = whole.steps[index]
    step = replace(step, zones_begun=[z for z in step.zones_begun if z in in_force], zones_ended=[])
    shapes = web_shapes(atlas)
    focus = [shapes.units[c.unit] for c in st.changes] + [shapes.zones[z] for z in st.zones_begun]
    (south, west), (north, east) = whole.view
    frame = (west, south, east, north)
    x0, y0, x1, y1 = focus_box(focus, frame) if focus else frame
    return replace(whole, embed=True, view=[[y0, x0], [y1, x1]], zones=[z for z in whole.zones if z.id in in_force],
                   events=events, base=base, steps=[step])
