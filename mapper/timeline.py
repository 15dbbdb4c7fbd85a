"""The timeline engine: pure functions from the loaded atlas to states, steps and changes.

An event takes effect on its date: the state on day ``d`` includes every event dated ``d`` or
earlier (validity intervals are half-open, ``[date, next change)``). Areas are computed in an
equal-area projection (:data:`EQUAL_AREA`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyproj
import shapely

from mapper.model import Atlas, Event, Transfer

__all__ = [
    "EQUAL_AREA",
    "Tenure",
    "State",
    "Change",
    "Step",
    "Period",
    "initial_state",
    "state_at",
    "steps",
    "unit_area_km2",
    "holder_periods",
    "zone_periods",
    "units_at_point",
    "to_equal_area",
]

#: Albers equal-area conic fitted to the atlas's area (24–47° N, 38–66° E).
EQUAL_AREA = "+proj=aea +lat_0=35 +lat_1=28 +lat_2=44 +lon_0=50 +datum=WGS84 +units=m +no_defs"


@dataclass(frozen=True)
class Tenure:
    """Who holds a unit: ``persia``, ``russia`` or ``other``, its name then, and since which event."""

    holder: str
    holder_name: str
    since: str | None  # event id, or None for the baseline


@dataclass(frozen=True)
class State:
    """The map on one day: every unit's tenure and the zones in force."""

    date: dt.date
    event: str | None  # the last event in effect, None before the first
    holders: dict[str, Tenure]
    zones: tuple[str, ...]

    def holder(self, unit_id: str) -> str:
        """Return the holder of ``unit_id`` on this day."""
        return self.holders[unit_id].holder


@dataclass(frozen=True)
class Change:
    """One unit changing holder at one event, with its area."""

    event: str
    unit: str
    from_: str
    to: str
    from_name: str
    to_name: str
    km2: float
    certainty: str
    note: str | None


@dataclass(frozen=True)
class Step:
    """One event: the state after it, what it changed, and Persia's losses to Russia."""

    index: int
    event: Event
    state: State
    changes: tuple[Change, ...]
    zones_begun: tuple[str, ...]
    zones_ended: tuple[str, ...]
    lost_km2: float  # net area Persia lost to Russia at this step (negative: regained)
    total_lost_km2: float  # running total since the baseline


@dataclass(frozen=True)
class Period:
    """A half-open validity interval ``[start, end)`` of a holder or zone; ``end`` None: still."""

    id: str
    start: dt.date | None
    end: dt.date | None
    holder: str | None = None
    holder_name: str | None = None
    since: str | None = None
    until_event: str | None = None


def _name(atlas: Atlas, holder: str, d: dt.date, other_name: str | None) -> str:
    if holder == "other":
        return other_name or "Other"
    return atlas.polity_name(holder, d) or holder.capitalize()


def initial_state(atlas: Atlas) -> State:
    """Return the baseline: the state before the first event (named as on the day before it)."""
    first = atlas.events[0].date.date if atlas.events else dt.date.max
    eve = first - dt.timedelta(days=1) if first > dt.date.min else first
    holders = {uid: Tenure(b.holder, _name(atlas, b.holder, eve, b.name), None) for uid, b in sorted(atlas.baseline.items())}
    return State(first, None, holders, ())


def _apply(atlas: Atlas, state: State, ev: Event) -> tuple[State, list[tuple[str, Tenure, Tenure, Transfer]], list[str], list[str]]:
    d = ev.date.date
    holders = dict(state.holders)
    moved = []
    for t in ev.transfers:
        for uid in t.units:
            old = holders[uid]
            new = Tenure(t.to, _name(atlas, t.to, d, t.to_name), ev.id)
            holders[uid] = new
            moved.append((uid, old, new, t))
    zones = list(state.zones)
    begun, ended = [], []
    for z in ev.zone_effects:
        for zid in z.zones:
            if z.action == "begin" and zid not in zones:
                zones.append(zid)
                begun.append(zid)
            elif z.action == "end" and zid in zones:
                zones.remove(zid)
                ended.append(zid)
    return State(d, ev.id, holders, tuple(zones)), moved, begun, ended


def _expiries(atlas: Atlas) -> dict[str, dt.date]:
    """Zones that end by themselves (``until``), keyed by zone id."""
    out = {}
    for ev in atlas.events:
        for z in ev.zone_effects:
            if z.action == "begin" and z.until is not None:
                for zid in z.zones:
                    out[zid] = z.until
    return out


def _rename(atlas: Atlas, state: State, d: dt.date) -> dict[str, Tenure]:
    """Return holders with the polity names of day ``d`` (Qajar Iran became Pahlavi Iran ...)."""
    return {
        uid: (t if t.holder == "other" else Tenure(t.holder, _name(atlas, t.holder, d, None), t.since))
        for uid, t in state.holders.items()
    }


def state_at(atlas: Atlas, when: dt.date) -> State:
    """Return the state on day ``when``: every event dated on or before it has taken effect."""
    state = initial_state(atlas)
    for ev in atlas.events:
        if ev.date.date > when:
            break
        state = _apply(atlas, state, ev)[0]
    expiries = _expiries(atlas)
    zones = tuple(z for z in state.zones if not (z in expiries and expiries[z] <= when))
    return State(when, state.event, _rename(atlas, state, when), zones)


@lru_cache(maxsize=8)
def _areas(atlas: Atlas) -> dict[str, float]:
    return {u.id: unit_area_km2(u.geometry) for u in atlas.units}


def unit_area_km2(geom) -> float:
    """Return the area of a lon/lat geometry in km², measured in :data:`EQUAL_AREA`."""
    return to_equal_area(geom).area / 1e6


@lru_cache(maxsize=1)
def _transformer():
    return pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)


def to_equal_area(geom):
    """Return a lon/lat geometry projected to :data:`EQUAL_AREA` (metres)."""
    t = _transformer()
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


@lru_cache(maxsize=8)
def steps(atlas: Atlas) -> tuple[Step, ...]:
    """Return one step per event, in order, each with the state right after the event."""
    areas = _areas(atlas)
    expiries = _expiries(atlas)
    state = initial_state(atlas)
    out, total = [], 0.0
    for i, ev in enumerate(atlas.events):
        state, moved, begun, ended = _apply(atlas, state, ev)
        live = tuple(z for z in state.zones if not (z in expiries and expiries[z] <= ev.date.date))
        changes = []
        lost = 0.0
        for uid, old, new, t in moved:
            km2 = areas[uid]
            changes.append(Change(ev.id, uid, old.holder, new.holder, old.holder_name, new.holder_name, km2, t.certainty, t.note))
            if old.holder == "persia" and new.holder == "russia":
                lost += km2
            elif old.holder == "russia" and new.holder == "persia":
                lost -= km2
        total += lost
        shown = State(ev.date.date, ev.id, state.holders, live)
        out.append(Step(i, ev, shown, tuple(changes), tuple(begun), tuple(ended), lost, total))
    return tuple(out)


def holder_periods(atlas: Atlas) -> tuple[Period, ...]:
    """Return, for every unit, the half-open periods of each holder from the baseline on."""
    open_: dict[str, Period] = {
        uid: Period(uid, None, None, t.holder, t.holder_name, None) for uid, t in initial_state(atlas).holders.items()
    }
    out = []
    for st in steps(atlas):
        for c in st.changes:
            p = open_[c.unit]
            out.append(Period(p.id, p.start, st.event.date.date, p.holder, p.holder_name, p.since, st.event.id))
            open_[c.unit] = Period(c.unit, st.event.date.date, None, c.to, c.to_name, st.event.id)
    out.extend(open_.values())
    return tuple(sorted(out, key=lambda p: (p.id, p.start or dt.date.min)))


def zone_periods(atlas: Atlas) -> tuple[Period, ...]:
    """Return the half-open periods during which each zone is in force, with the events that begin and end them."""
    out, started = [], {}
    for ev in atlas.events:
        for z in ev.zone_effects:
            for zid in z.zones:
                if z.action == "begin" and z.until is not None:
                    out.append(Period(zid, ev.date.date, z.until, since=ev.id))
                elif z.action == "begin":
                    started[zid] = ev
                elif zid in started:
                    began = started.pop(zid)
                    out.append(Period(zid, began.date.date, ev.date.date, since=began.id, until_event=ev.id))
    out += [Period(zid, ev.date.date, None, since=ev.id) for zid, ev in started.items()]
    return tuple(sorted(out, key=lambda p: (p.id, p.start)))


def units_at_point(atlas: Atlas, lon: float, lat: float, *, tolerance_km: float = 0.0) -> tuple[str, ...]:
    """Return the ids of the units containing the point, or failing that the nearest within ``tolerance_km``.

    The tolerance serves coastal towns whose centre lies just seaward of the simplified coastline.
    """
    pt = shapely.Point(lon, lat)
    hits = tuple(u.id for u in atlas.units if u.geometry.covers(pt))
    if hits or tolerance_km <= 0:
        return hits
    ppt = to_equal_area(pt)
    dist = {u.id: to_equal_area(u.geometry).distance(ppt) for u in atlas.units}
    best = min(dist, key=dist.get)
    return (best,) if dist[best] <= tolerance_km * 1000 else ()
