"""The timeline: one replay of the events, and every view of it (states, steps, periods).

:class:`Replay` walks the events once per atlas (cached) and keeps, after each event, who holds
each unit, who claims it and which zones are in force, unnamed. Every view names the holders at
the date it is about: :func:`state_at` on the day asked for, a :class:`Step` on its event's date, a
:class:`Period` for as long as holder, name and claims stay the same. So a holder's name cannot
differ between the API, the exports, the page and the figures.

An event takes effect on its date: the state on day ``d`` includes every event dated ``d`` or
earlier (validity intervals are half-open, ``[date, next change)``). Areas are computed in an
equal-area projection (:data:`EQUAL_AREA`).
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

import shapely

from mapper.dates import as_date
from mapper.geometry import EQUAL_AREA, to_equal_area
from mapper.geometry import area_km2 as unit_area_km2
from mapper.model import OCCUPATION_KINDS, TRANSFER_KINDS, Atlas, ClaimEffect, Event, Transfer
from mapper.replay import Hold, Issue, Move, Replay

__all__ = [
    "moving_events",
    "EQUAL_AREA",
    "Tenure",
    "State",
    "Change",
    "Step",
    "Period",
    "Issue",
    "replay",
    "initial_state",
    "state_at",
    "steps",
    "holder_name",
    "unit_area_km2",
    "holder_periods",
    "zone_periods",
    "units_at_point",
    "to_equal_area",
]

#: Change kinds whose rows enter Persia's loss to Russia (see :func:`counted`).
_LOSS_KINDS = {("persia", "russia"): ("conquest", "cession"), ("russia", "persia"): ("return", "conquest")}


@dataclass(frozen=True)
class Tenure:
    """Who holds a unit (``persia``, ``russia`` or ``other``), its name then, since which event, and who claims it."""

    holder: str
    holder_name: str
    since: str | None  # event id, or None for the baseline
    claimed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class State:
    """The map on one day: every unit's tenure (named as on that day) and the zones in force."""

    date: dt.date
    event: str | None  # the last event in effect, None before the first
    holders: dict[str, Tenure]
    zones: tuple[str, ...]

    def holder(self, unit_id: str) -> str:
        """Return the holder of ``unit_id`` on this day."""
        return self.holders[unit_id].holder


@dataclass(frozen=True)
class Change:
    """One change at one event: a unit's holder or claim, or (``unit`` = a zone id) an occupation.

    ``kind`` is ``conquest``, ``cession``, ``return``, ``independence``, ``claim``, ``recognition``,
    ``renunciation``, ``occupation-begins`` or ``occupation-ends``. ``from_`` is the side that gives
    something up (the old holder; the claimant who recognises or renounces; the occupier leaving),
    ``to`` the side that gains it; names are as on the event's date. ``counted``: the row enters
    Persia's loss to Russia (:func:`counted`). ``effect`` is the number of the event's effect it came
    from (1 for the first; None for an occupation row), by which its note is found in another language.
    """

    event: str
    unit: str
    kind: str
    from_: str
    to: str
    from_name: str
    to_name: str
    km2: float
    counted: bool
    certainty: str
    note: str | None
    effect: int | None = None


@dataclass(frozen=True)
class Step:
    """One event: the state after it (named as on its date), what it changed, Persia's losses to Russia.

    ``changes`` are the units' changes (holders and claims), ``occupations`` the occupation zones
    beginning or ending; :attr:`rows` is both, as ``changes.csv`` lists them.
    """

    index: int
    event: Event
    state: State
    changes: tuple[Change, ...]
    zones_begun: tuple[str, ...]
    zones_ended: tuple[str, ...]
    lost_km2: float  # net area Persia lost to Russia at this step, counted rows only (negative: regained)
    total_lost_km2: float  # running total since the baseline
    occupations: tuple[Change, ...] = ()

    @property
    def transfers(self) -> tuple[Change, ...]:
        """Return the changes of holder (conquest, cession, return, independence)."""
        return tuple(c for c in self.changes if c.kind in TRANSFER_KINDS)

    @property
    def claim_changes(self) -> tuple[Change, ...]:
        """Return the changes of claim (claims made, conquests recognised, claims renounced): nothing moves."""
        return tuple(c for c in self.changes if c.kind not in TRANSFER_KINDS)

    @property
    def rows(self) -> tuple[Change, ...]:
        """Return every change of this step: units first, then occupation zones."""
        return self.changes + self.occupations


@dataclass(frozen=True)
class Period:
    """A half-open interval ``[start, end)`` of a unit's tenure or of a zone in force; ``end`` None: still.

    A unit's period ends whenever its holder, the holder's name or its claimants change. For a
    unit, ``since`` is the event since which the holder held it (as :attr:`Tenure.since`; None: the
    baseline); for a zone, the event that began it. ``until_event`` is the event that ends the
    period (None when a renaming or an expiry ends it, or nothing).
    """

    id: str
    start: dt.date | None
    end: dt.date | None
    holder: str | None = None
    holder_name: str | None = None
    since: str | None = None
    until_event: str | None = None
    claimed_by: tuple[str, ...] = ()


def counted(kind: str, from_: str, to: str) -> bool:
    """Return whether a change enters Persia's loss to Russia.

    Land Persia held counts once when it passes to Russia by conquest or cession, and comes off
    again when it returns (by return or conquest). Claims, recognitions, renunciations, changes
    involving ``other`` and occupations are shown with their areas but not counted.
    """
    return kind in _LOSS_KINDS.get((from_, to), ())


@lru_cache(maxsize=8)
def replay(atlas: Atlas) -> Replay:
    """Return the atlas's one replay of its events (cached per atlas)."""
    return Replay(atlas)


def holder_name(atlas: Atlas, holder: str, d: dt.date, other_name: str | None = None) -> str:
    """Return the name of ``holder`` on day ``d``: the polity's name then, or ``other_name`` for ``other``."""
    if holder == "other":
        return other_name or "Other"
    return atlas.polity_name(holder, d) or holder.capitalize()


def _tenure(atlas: Atlas, h: Hold, d: dt.date) -> Tenure:
    return Tenure(h.holder, holder_name(atlas, h.holder, d, h.other_name), h.since, h.claimed_by)


def _state(atlas: Atlas, holds: dict[str, Hold], zones: tuple[str, ...], d: dt.date, event: str | None) -> State:
    return State(d, event, {uid: _tenure(atlas, h, d) for uid, h in holds.items()}, zones)


def initial_state(atlas: Atlas) -> State:
    """Return the baseline: the state before the first event (named as on the day before it)."""
    r = replay(atlas)
    first = r.dates[1] if len(r.dates) > 1 else dt.date.max
    eve = first - dt.timedelta(days=1) if first > dt.date.min else first
    base = r.frames[0]
    return State(first, None, {uid: _tenure(atlas, h, eve) for uid, h in base.holds.items()}, ())


def state_at(atlas: Atlas, when: str | dt.date) -> State:
    """Return the state on day ``when``: every event dated on or before it has taken effect.

    Holders are named as on ``when``; zones whose ``until`` has come are no longer in force.
    """
    when = as_date(when)
    r = replay(atlas)
    frame = r.frames[bisect.bisect_right(r.dates, when, lo=1) - 1]
    return _state(atlas, frame.holds, r.zones_in_force(frame, when), when, frame.event.id if frame.event else None)


@lru_cache(maxsize=8)
def _areas(atlas: Atlas) -> dict[str, float]:
    return {r.id: unit_area_km2(r.geometry) for r in (*atlas.units, *atlas.zones)}


def _change(atlas: Atlas, ev: Event, m: Move, km2: float) -> Change:
    d = ev.date.date
    old, new, eff = m.old, m.new, m.effect
    if isinstance(eff, Transfer):
        src, dst = (old.holder, old.other_name), (new.holder, new.other_name)
        kind = eff.kind
    elif isinstance(eff, ClaimEffect) and eff.action == "claim":
        src, dst, kind = (old.holder, old.other_name), (eff.by, None), eff.kind
    else:  # recognition or renunciation: the claimant gives up its claim to the holder
        src, dst, kind = (eff.by, None), (old.holder, old.other_name), eff.kind
    # The giver of a transfer is named as on the eve: the Soviet Union, not the Russian Federation whose
    # name starts on the very day of the dissolution.
    src_day = d - dt.timedelta(days=1) if isinstance(eff, Transfer) and d > dt.date.min else d
    return Change(ev.id, m.unit, kind, src[0], dst[0], holder_name(atlas, src[0], src_day, src[1]),
                  holder_name(atlas, dst[0], d, dst[1]), km2, counted(kind, src[0], dst[0]), eff.certainty, eff.note,
                  ev.effects.index(eff) + 1)


def _occupations(atlas: Atlas, r: Replay, ev: Event, holds: dict[str, Hold], begun, ended) -> list[Change]:
    out = []
    for zids, kind in ((begun, "occupation-begins"), (ended, "occupation-ends")):
        for zid in zids:
            zone = atlas.zone(zid)
            if zone.kind not in OCCUPATION_KINDS:
                continue
            occupier, occupier_name = OCCUPATION_KINDS[zone.kind]
            land = r.land_holder(zone, holds)
            d = ev.date.date
            occ = (occupier, holder_name(atlas, occupier, d, occupier_name))
            held = (land.holder, holder_name(atlas, land.holder, d, land.other_name))
            src, dst = (held, occ) if kind == "occupation-begins" else (occ, held)
            out.append(Change(ev.id, zid, kind, src[0], dst[0], src[1], dst[1], _areas(atlas)[zid], False, "high", None))
    return out


@lru_cache(maxsize=8)
def steps(atlas: Atlas) -> tuple[Step, ...]:
    """Return one step per event, in order, each with the state right after it, named as on its date."""
    r = replay(atlas)
    areas = _areas(atlas)
    out, total = [], 0.0
    for i, frame in enumerate(r.frames[1:]):
        ev = frame.event
        assert ev is not None  # only the baseline's frame has no event
        d = ev.date.date
        changes = tuple(_change(atlas, ev, m, areas[m.unit]) for m in frame.moves)
        occupations = tuple(_occupations(atlas, r, ev, frame.holds, frame.begun, frame.ended))
        lost = sum(c.km2 if c.from_ == "persia" else -c.km2 for c in changes if c.counted)
        total += lost
        state = _state(atlas, frame.holds, r.zones_in_force(frame, d), d, ev.id)
        out.append(Step(i, ev, state, changes, frame.begun, frame.ended, lost, total, occupations))
    return tuple(out)


@lru_cache(maxsize=8)
def holdings_begun(atlas: Atlas) -> dict[tuple[str, str], Change]:
    """Return the change of holder by which each holding began, by (event id, unit id): a period's
    :attr:`Period.since` and unit find how sure its beginning is (the GeoPackage, the Linked Places export)."""
    return {(c.event, c.unit): c for st in steps(atlas) for c in st.transfers}


def moving_events(atlas: Atlas) -> list[str]:
    """Return the ids of the events that moved a border, a claim or a zone (those drawn as figures and spreads)."""
    return [st.event.id for st in steps(atlas) if st.changes or st.zones_begun or st.zones_ended]


def holder_periods(atlas: Atlas) -> tuple[Period, ...]:
    """Return, for every unit, the half-open periods of unchanged holder, holder's name and claims."""
    r = replay(atlas)
    first = r.dates[1] if len(r.dates) > 1 else dt.date.max
    renames = {p.start for p in atlas.polities if p.start is not None and p.start > first}
    base = initial_state(atlas)
    current = {uid: Period(uid, None, None, t.holder, t.holder_name, None, None, t.claimed_by)
               for uid, t in base.holders.items()}
    out = []
    for d in sorted(set(r.dates[1:]) | renames):
        for uid, t in state_at(atlas, d).holders.items():
            cur = current[uid]
            if (t.holder, t.holder_name, t.claimed_by) == (cur.holder, cur.holder_name, cur.claimed_by):
                continue
            out.append(replace(cur, end=d, until_event=r.touched(uid, d)))
            current[uid] = Period(uid, d, None, t.holder, t.holder_name, t.since, None, t.claimed_by)
    out.extend(current.values())
    return tuple(sorted(out, key=lambda p: (p.id, p.start or dt.date.min)))


def zone_periods(atlas: Atlas) -> tuple[Period, ...]:
    """Return the half-open periods during which each zone is in force, with the events that begin and end them."""
    spans = replay(atlas).zone_spans
    return tuple(sorted((Period(s.zone, s.start, s.end, since=s.since, until_event=s.until_event) for s in spans),
                        key=lambda p: (p.id, p.start)))


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
    best = min(dist, key=lambda uid: dist[uid])
    return (best,) if dist[best] <= tolerance_km * 1000 else ()
