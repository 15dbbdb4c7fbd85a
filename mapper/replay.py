"""The one replay of the events: holders, claims and zones after each event, before any naming.

:class:`Replay` applies the events in order to the baseline and keeps a :class:`Frame` per event.
It never fails: what contradicts the history (a transfer from a holder that does not hold the unit,
a recognition without a claim ...) is applied as far as it can be and recorded as an
:class:`Issue`, which :mod:`mapper.validate` reports with the file, event and field. Views that name
holders at a date (states, steps, periods) live in :mod:`mapper.timeline`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from mapper.model import Atlas, ClaimEffect, Event, Transfer, Zone

__all__ = ["Hold", "Move", "Issue", "Frame", "ZoneSpan", "Replay"]


@dataclass(frozen=True)
class Hold:
    """A unit's tenure, unnamed: the holder, the name of an ``other`` holder, since which event, its claimants."""

    holder: str
    other_name: str | None
    since: str | None
    claimed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Move:
    """What one effect did to one unit: its tenure before and after."""

    unit: str
    old: Hold
    new: Hold
    effect: Transfer | ClaimEffect


@dataclass(frozen=True)
class Issue:
    """A contradiction in the history: the event, the effect's field and what is wrong."""

    event: str
    field: str
    message: str


@dataclass(frozen=True)
class Frame:
    """The atlas right after one event (``event`` None: the baseline)."""

    event: Event | None
    holds: dict[str, Hold]
    zones: tuple[str, ...]  # begun and not ended, in the order they began (``until`` not yet applied)
    until: dict[str, dt.date]  # the zones among them that end by themselves, and when
    moves: tuple[Move, ...] = ()
    begun: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()


@dataclass(frozen=True)
class ZoneSpan:
    """A zone in force on ``[start, end)``, begun by ``since`` and ended by ``until_event`` (None: expired or still)."""

    zone: str
    start: dt.date
    end: dt.date | None
    since: str
    until_event: str | None = None


class Replay:
    """Replay ``atlas``'s events once; see the module's description."""

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self.issues: list[Issue] = []
        self.zone_spans: list[ZoneSpan] = []
        self._until: dict[str, dt.date] = {}  # zones in force that end by themselves
        self._open: dict[str, ZoneSpan] = {}
        self._held_by: dict[str, set[str]] = {}  # every holder a unit has had so far
        self._touches: dict[tuple[str, dt.date], str] = {}  # (unit, day) -> last event changing it
        self._moved: dict[tuple[str, dt.date], str] = {}  # (unit, day) -> event changing its holder
        self._land_unit: dict[str, str] = {}  # zone -> the unit covering most of it
        holds = {uid: Hold(b.holder, b.name, None, b.claimed_by) for uid, b in sorted(atlas.baseline.items())}
        for uid, h in holds.items():
            self._held_by[uid] = {h.holder}
        self.frames: list[Frame] = [Frame(None, holds, (), {})]
        for ev in atlas.events:
            self.frames.append(self._apply(self.frames[-1], ev))
        for span in self._open.values():
            self.zone_spans.append(replace(span, end=self._until.get(span.zone)))
        #: The date of each frame (the baseline's is date.min), for bisecting.
        self.dates: list[dt.date] = [dt.date.min] + [ev.date.date for ev in atlas.events]

    # --- queries ---------------------------------------------------------------------------------

    def zones_in_force(self, frame: Frame, d: dt.date) -> tuple[str, ...]:
        """Return the zones of ``frame`` still in force on day ``d`` (those with an ``until`` expire)."""
        return tuple(z for z in frame.zones if not (z in frame.until and frame.until[z] <= d))

    def touched(self, unit: str, d: dt.date) -> str | None:
        """Return the last event dated ``d`` that changed ``unit``'s holder or claims, if any."""
        return self._touches.get((unit, d))

    def land_holder(self, zone: Zone, holds: dict[str, Hold]) -> Hold:
        """Return the tenure of the unit that covers most of ``zone`` (whose land it is)."""
        if zone.id not in self._land_unit:
            near = [u for u in self.atlas.units if u.geometry.intersects(zone.geometry)] or list(self.atlas.units)
            self._land_unit[zone.id] = max(near, key=lambda u: u.geometry.intersection(zone.geometry).area).id
        return holds[self._land_unit[zone.id]]

    # --- the replay ------------------------------------------------------------------------------

    def _issue(self, ev: Event, field: str, message: str) -> None:
        self.issues.append(Issue(ev.id, field, message))

    def _apply(self, prev: Frame, ev: Event) -> Frame:
        d = ev.date.date
        self._expire(d)
        holds = dict(prev.holds)
        zones = [z for z in prev.zones if z in self._open]
        moves: list[Move] = []
        begun: list[str] = []
        ended: list[str] = []
        seen: dict[str, int] = {}
        for n, eff in enumerate(ev.effects, 1):
            field = f"effects[{n}]"
            if isinstance(eff, Transfer):
                for uid in eff.units:
                    if uid in seen:
                        self._issue(ev, field, f"unit {uid!r} already changes holder on {ev.date.iso} (in effects[{seen[uid]}]); "
                                               "two effects on one unit on one day contradict")
                        continue
                    if (uid, d) in self._moved:
                        self._issue(ev, field, f"unit {uid!r} already changes holder on {ev.date.iso} (in event "
                                               f"{self._moved[(uid, d)]!r}); two effects on one unit on one day contradict")
                        continue
                    seen[uid] = n
                    moves.append(self._transfer(ev, field, eff, uid, holds))
            elif isinstance(eff, ClaimEffect):
                for uid in eff.units:
                    move = self._claim(ev, field, eff, uid, holds)
                    if move is not None:
                        moves.append(move)
            else:
                for zid in eff.zones:
                    if eff.action == "begin":
                        if zid in self._open:
                            self._issue(ev, f"{field}.begin", f"zone {zid!r} already began at {self._open[zid].since!r}")
                            continue
                        self._open[zid] = ZoneSpan(zid, d, None, ev.id)
                        if eff.until is not None:
                            self._until[zid] = eff.until
                        zones.append(zid)
                        begun.append(zid)
                    elif zid not in self._open:
                        self._issue(ev, f"{field}.end", f"zone {zid!r} is not in force on {ev.date.iso}")
                    else:
                        span = self._open.pop(zid)
                        self._until.pop(zid, None)
                        self.zone_spans.append(replace(span, end=d, until_event=ev.id))
                        zones.remove(zid)
                        ended.append(zid)
        for m in moves:
            self._touches[(m.unit, d)] = ev.id
            if isinstance(m.effect, Transfer):
                self._moved[(m.unit, d)] = ev.id
        return Frame(ev, holds, tuple(zones), dict(self._until), tuple(moves), tuple(begun), tuple(ended))

    def _expire(self, d: dt.date) -> None:
        """Close the zones whose ``until`` has come by day ``d``."""
        for zid, until in sorted(self._until.items()):
            if until <= d:
                self.zone_spans.append(replace(self._open.pop(zid), end=until))
                del self._until[zid]

    def _transfer(self, ev: Event, field: str, eff: Transfer, uid: str, holds: dict[str, Hold]) -> Move:
        old = holds[uid]
        if old.holder != eff.from_:
            self._issue(ev, f"{field}.from", f"transfers {uid!r} from {eff.from_!r}, but on {ev.date.iso} it is held by {old.holder!r}")
        # a claim ends by itself when the claimant becomes the holder
        claims = tuple(c for c in old.claimed_by if c != eff.to)
        new = Hold(eff.to, eff.to_name, ev.id, claims)
        holds[uid] = new
        self._held_by[uid].add(eff.to)
        return Move(uid, old, new, eff)

    def _claim(self, ev: Event, field: str, eff: ClaimEffect, uid: str, holds: dict[str, Hold]) -> Move | None:
        old = holds[uid]
        by, where = eff.by, f"{field}.by"
        if eff.action == "claim":
            if old.holder == by:
                self._issue(ev, where, f"{by!r} holds {uid!r} on {ev.date.iso}; a holder does not claim what it holds")
                return None
            if by in old.claimed_by:
                self._issue(ev, where, f"{by!r} already claims {uid!r} on {ev.date.iso}")
                return None
            claims = tuple(sorted((*old.claimed_by, by)))
        else:
            if by not in old.claimed_by:
                self._issue(ev, where, f"{by!r} has no claim on {uid!r} on {ev.date.iso} to {eff.action}"
                                       + (f" ({by!r} holds it)" if old.holder == by else ""))
                return None
            if eff.action == "recognize" and by not in self._held_by[uid]:
                self._issue(ev, where, f"{by!r} never held {uid!r} before {ev.date.iso}: it recognises no conquest; "
                                       "a claim on land never held is dropped with 'renounce'")
            claims = tuple(c for c in old.claimed_by if c != by)
        new = Hold(old.holder, old.other_name, old.since, claims)
        holds[uid] = new
        return Move(uid, old, new, eff)

