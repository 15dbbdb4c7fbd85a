"""The page payload: the documented contract between Python and the atlas engine (``assets/*.js``).

Every page (the atlas and each per-event map) carries one :class:`Payload`, serialised by
:func:`to_json` with the field names below as JSON keys, unchanged. The engine reads the same names
(``payload.steps[k].changes[i].to_holder``); a test checks that every field here is read by the JS.
Records refer to each other by id (unit, zone, place, event ids), never by position, and holders are
named by their code (``"persia"``, ``"russia"``, ``"other"``), never by an index.

Geometry is one topology (:func:`mapper.web.shapes.web_topology`): ``Payload.arcs`` holds every
border once (:class:`ArcsRecord`: zigzag varints, 5 bits a character in the base64url alphabet, the
6th bit set when more follow; each arc's number of points, and the x and y steps of all arcs' points
one after another in units of ``Payload.grid`` degrees, lon and lat). A shape is :data:`Encoded`:
per polygon, per ring, a varint string of arc references (``i``, or ``~i`` for arc ``i`` walked
backwards), decoded by ``assets/topology.js``.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ArcsRecord",
    "ChangeRecord",
    "CountryRecord",
    "Encoded",
    "EventRecord",
    "Holding",
    "LabelRecord",
    "Payload",
    "PlaceRecord",
    "RoleRecord",
    "SourceRecord",
    "StepRecord",
    "StyleRecord",
    "UnitRecord",
    "ZoneRecord",
    "ZoneStyleRecord",
    "to_json",
]

#: Polygons -> rings -> one varint string of arc references per ring (see the module docstring).
Encoded = list[list[str]]
#: Leaflet bounds: ``[[south, west], [north, east]]``.
Bounds = list[list[float]]


@dataclass(frozen=True)
class ArcsRecord:
    """The topology's arcs (see the module docstring): points per arc, then the x and y steps."""

    points: str
    x: str
    y: str


@dataclass(frozen=True)
class ZoneStyleRecord:
    """How a kind of zone is drawn: legend label, outline colour and dashes, the SVG hatch pattern id."""

    label: str
    color: str
    dash: str
    pattern: str


@dataclass(frozen=True)
class StyleRecord:
    """Colours of the map, from :mod:`mapper.style`, keyed by holder code and zone kind."""

    holders: dict[str, str]
    holder_fills: dict[str, str]  # a holder's fill on the map: its colour or its hatch (url(#holder-russia))
    holder_labels: dict[str, str]
    fill_opacity: float
    unit_edge: str
    changed: str
    land: str
    land_edge: str
    sea: str
    place: str
    zones: dict[str, ZoneStyleRecord]
    claims: dict[str, ZoneStyleRecord]  # by claimant: hatch and dashed outline over the holder's fill


@dataclass(frozen=True)
class SourceRecord:
    """A source: its title, and a link only when it is an http(s) address. ``wiki``: the link is the
    English Wikipedia article the title names after "Wikipedia: " (the engine writes the address)."""

    title: str
    url: str | None
    wiki: bool = False


@dataclass(frozen=True)
class UnitRecord:
    """A unit of sovereignty, drawn once; its fill changes with the step."""

    id: str
    name: str
    name_en: str | None  # the English name, in the Persian and Russian editions (name is the edition's)
    name_fa: str | None
    name_ru: str | None
    derivation: str
    sources: list[str]
    km2: int
    geometry: Encoded


@dataclass(frozen=True)
class ZoneRecord:
    """A zone (sphere, occupation, republic): an overlay in force at some steps, never sovereignty."""

    id: str
    kind: str
    name: str
    name_en: str | None  # the English name, in the Persian and Russian editions (name is the edition's)
    name_fa: str | None
    name_ru: str | None
    derivation: str
    sources: list[str]
    periods: str  # when it was in force, in words
    units: list[str]  # ids of the units it covers (for their popups)
    geometry: Encoded


@dataclass(frozen=True)
class CountryRecord:
    """A modern country, drawn under the units for orientation."""

    id: str
    geometry: Encoded


@dataclass(frozen=True)
class RoleRecord:
    """What a place was (capital of ..., signing place of ...) and a note."""

    label: str
    note: str | None


@dataclass(frozen=True)
class PlaceRecord:
    """A place marker; ``capital_label`` gives it a permanent label (capitals inside the map)."""

    id: str
    name: str
    name_en: str | None  # the English name, in the Persian and Russian editions (name is the edition's)
    name_fa: str | None
    name_ru: str | None
    lat: float
    lon: float
    roles: list[RoleRecord]
    note: str | None
    sources: list[str]
    capital_label: bool


@dataclass(frozen=True)
class EventRecord:
    """An event. The panel's fields (``place`` ... ``sources``) are None in a per-event map's other events."""

    id: str
    title: str
    kind: str
    year: str | None  # None: the last word of ``date``
    at: float  # where the event stands on the timeline, 0..1 (time-proportional, long gaps shortened)
    gap: bool  # a shortened gap (a break on the timeline) comes before it
    date: str
    date_os: str | None
    date_local: str | None  # the date in the edition's own calendars (Persian: Solar Hijri, lunar Hijri)
    place_id: str | None  # a place marker's id, when the event happened at one
    place: str | None  # the place's name in words
    date_certainty: str | None  # None: exact (or not in this page)
    date_note: str | None
    parties: list[str] | None
    summary: str | None
    sources: list[SourceRecord] | None
    figure: bool  # the build draws a figure of it (figures/<id>.png: it moved a border, a claim or a zone)
    signed: bool  # its place is where it was signed (model.Event.signed), not only where it happened


@dataclass(frozen=True)
class Holding:
    """Who held a unit before the first step of the page: holder code, its name if ``other``, since when."""

    unit: str
    holder: str
    holder_name: str | None
    since: str | None  # event id, None for the atlas's starting map


@dataclass(frozen=True)
class ChangeRecord:
    """One change of a unit at a step, named as on the event's date.

    ``kind`` is a transfer (``conquest``, ``cession``, ``return``, ``independence``: the holder
    becomes ``to_holder``) or a change of claim (``claim``: ``to_holder`` begins to claim it;
    ``recognition`` / ``renunciation``: the claimant ``from_holder`` gives its claim up to the holder
    ``to_holder``). ``counted``: the row enters Persia's loss to Russia. ``caption`` says it in words.
    """

    unit: str
    kind: str
    caption: str
    from_holder: str
    to_holder: str
    from_name: str | None  # None: the step's name for from_holder (StepRecord.names)
    to_name: str | None  # None: the step's name for to_holder
    km2: int | None  # None: the unit's own area (UnitRecord.km2)
    counted: bool
    certainty: str | None  # None: high
    note: str | None


@dataclass(frozen=True)
class LabelRecord:
    """A change label on the map: what passed to whom, where to write it (above small shapes)."""

    title: str
    detail: str
    holder: str
    lat: float
    lon: float
    above: bool


@dataclass(frozen=True)
class StepRecord:
    """One step (event): what it changed, the zones in force, Persia's losses, the holders' names then.

    ``changes`` change holders (the engine applies them); ``claim_changes`` begin or end claims and
    leave the holder as it was; ``claims`` is every claim in force after the step (unit id -> claimants).
    ``lost_km2`` and ``total_lost_km2`` count ``counted`` rows only.
    """

    event: str
    names: dict[str, str]  # holder code -> the polity's name on the event's date (persia, russia)
    changes: list[ChangeRecord]
    claim_changes: list[ChangeRecord]
    claims: dict[str, list[str]]
    zones: list[str]
    zones_begun: list[str]
    zones_ended: list[str]
    moved_km2: int  # km² of ``changes``
    claimed_km2: int | None  # km² of ``claim_changes`` (their sum rounded once, as every output gives it); None: none
    lost_km2: int
    total_lost_km2: int
    labels: list[LabelRecord]


@dataclass(frozen=True)
class Payload:
    """Everything a page shows. ``embed`` pages carry one step, the zones in force and the events named."""

    title: str
    lang: str  # the page's language (BCP 47)
    words: dict[str, Any]  # every text the engine shows, by key (mapper.web.messages.page_words)
    embed: bool
    style: StyleRecord
    view: Bounds
    grid: float  # the arcs' quantum, degrees
    arcs: ArcsRecord  # the topology's arcs, each border once
    sea: Encoded
    countries: list[CountryRecord]
    units: list[UnitRecord]
    zones: list[ZoneRecord]
    places: list[PlaceRecord]
    events: list[EventRecord]
    base: list[Holding]
    steps: list[StepRecord]
    figure_path: str  # an event's figure, relative to the page ("{id}" is the event id)
    data_path: str  # an event's map as data, relative to data_root
    data_root: str = ""  # from the page to the folder that holds data/: "" (English), "../" (the fa/ and ru/ editions)


_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _fields(record):
    """A record's fields in order, for :func:`json.dumps` to write in turn (what ``asdict`` gives, without
    deep-copying every list of coordinates first: a page's payload holds some hundred thousand numbers),
    but those that are None or False: the engine reads a member that is not there as null or false (an
    English page carries no empty Persian date, no ``above: false``)."""
    out = {}
    for name in _field_names(type(record)):
        v = getattr(record, name)
        if v is not None and v is not False:
            out[name] = v
    return out


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a payload record")
    return tuple(f.name for f in dataclasses.fields(cls))


def to_json(value) -> str:
    """Return a payload (or any record) as compact JSON safe inside a ``<script>`` element.

    Members of records that are None or False are left out (:func:`_fields`). ``<``, ``>`` and ``&`` are escaped, and so is a ``{`` that would open a Jinja tag (``{{``, ``{%``,
    ``{#``; JSON's own braces are never followed by those), so data text can neither close the
    script nor be evaluated by a template engine that sees the page.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_fields)
    for a, b in _SCRIPT_SAFE:
        text = text.replace(a, b)
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


def field_names(cls: type = Payload) -> set[str]:
    """Return every field name of ``cls`` and of the records it holds (for the contract test)."""
    import typing

    names: set[str] = set()
    todo, seen = [cls], set()
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        hints = typing.get_type_hints(c)
        for f in dataclasses.fields(c):
            names.add(f.name)
            for arg in _walk(hints[f.name]):
                if isinstance(arg, type) and dataclasses.is_dataclass(arg):
                    todo.append(arg)
    return names


def _walk(tp):
    import typing

    yield tp
    for a in typing.get_args(tp):
        yield from _walk(a)
