"""The atlas's data model: frozen records with no I/O and no formatting.

Holders are ``persia``, ``russia`` or ``other``. Dates are proleptic Gregorian
(:class:`datetime.date`); a :class:`~mapper.dates.HistDate` remembers whether only the year or the
month is known. The vocabularies (holders, zone kinds, transfer kinds) are defined here once.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry

from mapper.dates import HistDate, date_line, format_date  # noqa: F401 - format_date: older imports

__all__ = [
    "HOLDERS",
    "ZONE_KINDS",
    "OCCUPATION_KINDS",
    "TRANSFER_KINDS",
    "CLAIM_ACTIONS",
    "HistDate",
    "Source",
    "Region",
    "Unit",
    "Zone",
    "Role",
    "Place",
    "Transfer",
    "ClaimEffect",
    "ZoneEffect",
    "Event",
    "Polity",
    "BaselineHolder",
    "Country",
    "Translations",
    "Atlas",
]

HOLDERS = ("persia", "russia", "other")
ZONE_KINDS = (
    "rus_raid",
    "russian_sphere",
    "neutral_zone",
    "british_sphere",
    "soviet_occupation",
    "british_occupation",
    "persian_socialist_soviet_republic",
    "azerbaijan_peoples_government",
    "republic_of_mahabad",
    "russian_occupation",
    "ottoman_occupation",
)
#: Zone kinds that are military occupations, with the occupying holder and, for ``other``, its name.
OCCUPATION_KINDS: dict[str, tuple[str, str | None]] = {
    "russian_occupation": ("russia", None),
    "soviet_occupation": ("russia", None),
    "british_occupation": ("other", "British Empire"),
    "ottoman_occupation": ("other", "Ottoman Empire"),
}
#: How a unit's holder changes at a ``transfer`` effect.
TRANSFER_KINDS = ("conquest", "cession", "return", "independence")
#: Effects on claims (the effect's key) and the kind of change each makes.
CLAIM_ACTIONS = {"claim": "claim", "recognize": "recognition", "renounce": "renunciation"}
@dataclass(frozen=True)
class Source:
    """A cited source: a title and, where there is one, an http(s) address."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Region:
    """A polygon of the atlas, with its names and how its boundary was derived."""

    id: str
    name: str
    geometry: BaseGeometry
    derivation: str
    sources: tuple[str, ...] = ()
    name_fa: str | None = None
    name_ru: str | None = None


@dataclass(frozen=True)
class Unit(Region):
    """A sovereignty unit: a region whose holder changes with the events."""


@dataclass(frozen=True)
class Zone(Region):
    """An overlay that does not change sovereignty (a sphere, an occupation zone, a republic)."""

    kind: str = field(kw_only=True)


@dataclass(frozen=True)
class Role:
    """What a place is in the story: ``capital``, ``embassy``, ``consulate``, ``signing`` or ``city``."""

    role: str
    of: str | None = None
    event: str | None = None
    note: str | None = None
    since: int | None = None  # years, half-open [since, until): e.g. a capital's period
    until: int | None = None

    def in_force(self, year: int) -> bool:
        """Return whether the role held in ``year``."""
        return (self.since is None or self.since <= year) and (self.until is None or year < self.until)

    @property
    def label(self) -> str:
        """Return a short reader's description, e.g. ``Embassy of Russia``."""
        if self.role == "signing":
            return f"Signing place ({self.event})" if self.event else "Signing place"
        text = self.role.capitalize()
        if self.of:
            of = {"persia": "Iran", "iran": "Iran", "russia": "Russia"}.get(self.of, self.of)
            text += f" of {of}"
        return text


@dataclass(frozen=True)
class Place:
    """A point on the map: a city, an embassy or consulate, a signing place."""

    id: str
    name: str
    lon: float
    lat: float
    roles: tuple[Role, ...] = ()
    sources: tuple[str, ...] = ()
    name_fa: str | None = None
    name_ru: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Transfer:
    """Units passing from one holder to another on an event's date, by ``kind`` (:data:`TRANSFER_KINDS`)."""

    units: tuple[str, ...]
    from_: str
    to: str
    to_name: str | None = None
    certainty: str = "high"
    note: str | None = None
    kind: str = "cession"


@dataclass(frozen=True)
class ClaimEffect:
    """A claim on units beginning (``claim``), or ending by ``recognize`` or ``renounce``, by holder ``by``."""

    action: str  # a key of CLAIM_ACTIONS
    units: tuple[str, ...]
    by: str
    certainty: str = "high"
    note: str | None = None

    @property
    def kind(self) -> str:
        """Return the kind of change: ``claim``, ``recognition`` or ``renunciation``."""
        return CLAIM_ACTIONS[self.action]


@dataclass(frozen=True)
class ZoneEffect:
    """Zones that begin (optionally until a set date) or end on an event's date."""

    action: str  # "begin" | "end"
    zones: tuple[str, ...]
    until: _dt.date | None = None


@dataclass(frozen=True)
class Event:
    """A treaty or episode, with its date and its effects on the map."""

    id: str
    title: str
    kind: str
    date: HistDate
    summary: str
    date_os: _dt.date | None = None
    date_ah: tuple[int, int, int] | None = None  # (year, month, day) of the Hijri lunar date the document bears
    date_certainty: str = "exact"
    date_note: str | None = None
    place: str | None = None
    parties: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    effects: tuple[Transfer | ClaimEffect | ZoneEffect, ...] = ()

    @property
    def signed(self) -> bool:
        """Whether the event is a document signed at its place (a treaty), so that its place is told as the
        signing place; any other event's place is the place of the event (every output asks this)."""
        return self.kind == "treaty"

    @property
    def transfers(self) -> tuple[Transfer, ...]:
        """Return the effects that move units between holders."""
        return tuple(e for e in self.effects if isinstance(e, Transfer))

    @property
    def claim_effects(self) -> tuple[ClaimEffect, ...]:
        """Return the effects that begin or end claims."""
        return tuple(e for e in self.effects if isinstance(e, ClaimEffect))

    @property
    def zone_effects(self) -> tuple[ZoneEffect, ...]:
        """Return the effects that start or stop zones."""
        return tuple(e for e in self.effects if isinstance(e, ZoneEffect))

    @property
    def date_label(self) -> str:
        """Return the date for English readers, with the Old Style date where there is one."""
        return date_line(self)


@dataclass(frozen=True)
class Polity:
    """The name a holder went by in a period, valid on ``[start, until)``."""

    holder: str
    name: str
    start: _dt.date | None = None
    until: _dt.date | None = None

    def covers(self, d: _dt.date) -> bool:
        """Return whether the period includes the day ``d``."""
        return (self.start is None or self.start <= d) and (self.until is None or d < self.until)


@dataclass(frozen=True)
class BaselineHolder:
    """A unit's holder before the first event, and the holders that claim it without holding it."""

    holder: str
    name: str | None = None
    claimed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Country:
    """A modern country, drawn as background land so the map reads without web tiles."""

    id: str
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Translations:
    """The data's own texts in other languages (``translations/<lang>.yaml``): written by the project.

    ``texts[lang][(kind, id, field)]`` is the text, where ``kind`` is ``events``, ``units``,
    ``zones``, ``places`` or ``baseline``; holder names (``polities`` and ``holders``) are keyed by
    their English name: ``texts["fa"][("polities", "Qajar Iran", "name")]``.
    """

    texts: Mapping[str, Mapping[tuple[str, str, str], str]] = field(default_factory=dict)

    def text(self, lang: str, kind: str, ident: str, fld: str) -> str | None:
        """Return the text of ``kind``/``ident``/``fld`` in ``lang``, or None when there is none."""
        return self.texts.get(lang, {}).get((kind, ident, fld))


@dataclass(frozen=True, eq=False)
class Atlas:
    """Everything loaded from the geodata folder (mapper/data by default): layers, places, events, polities and the baseline.

    Compared and hashed by identity, so that derived results can be cached per atlas.
    """

    units: tuple[Unit, ...]
    zones: tuple[Zone, ...]
    places: tuple[Place, ...]
    events: tuple[Event, ...]
    polities: tuple[Polity, ...]
    baseline: dict[str, BaselineHolder]
    baseline_note: str = ""
    countries: tuple[Country, ...] = field(default=(), repr=False)
    folder: str = "geodata"  # where it was read from, for messages
    translations: Translations = field(default_factory=Translations, repr=False)

    def unit(self, unit_id: str) -> Unit:
        """Return the unit with this id (KeyError if none)."""
        return _index(self.units)[unit_id]

    def zone(self, zone_id: str) -> Zone:
        """Return the zone with this id (KeyError if none)."""
        return _index(self.zones)[zone_id]

    def event(self, event_id: str) -> Event:
        """Return the event with this id (KeyError if none)."""
        return _index(self.events)[event_id]

    def place(self, place_id: str) -> Place:
        """Return the place with this id (KeyError if none)."""
        return _index(self.places)[place_id]

    def role_label(self, role: Role) -> str:
        """Return a reader's description of a place's role, naming the treaty signed there."""
        if role.role == "signing" and role.event:
            ev = _index(self.events).get(role.event)
            if ev is not None:
                year = str(ev.date.date.year)  # not twice: "Treaty of Saint Petersburg (1723)"
                return f"Signing place: {ev.title}" if year in ev.title else f"Signing place: {ev.title} ({year})"
        return role.label

    def _repr_html_(self) -> str:
        """Show a short summary in Jupyter (:func:`mapper.web.notebook.atlas_html`)."""
        from mapper.web.notebook import atlas_html

        return atlas_html(self)

    def polity_name(self, holder: str, d: _dt.date) -> str | None:
        """Return the name of ``holder`` (``persia`` or ``russia``) on day ``d``."""
        for p in self.polities:
            if p.holder == holder and p.covers(d):
                return p.name
        return None


def _index(records):
    return {r.id: r for r in records}
