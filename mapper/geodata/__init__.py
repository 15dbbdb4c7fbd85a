"""Find the geodata folder, read its layers, events and places, and check their structure.

This package is the only reader of the geodata files. It checks what can be checked record by
record (syntax, fields, types, ids, dates, geometry validity); :mod:`mapper.validate` checks what
needs the whole history (holders at a date, overlaps, partitions). Every problem is collected and
raised once as a :class:`~mapper.errors.GeodataError`.

Modules: :mod:`.fields` (YAML/JSON with line numbers, checked fields), :mod:`.layers` (units,
zones, countries), :mod:`.events` (polities, baseline, events and effects), :mod:`.places`,
:mod:`.translations` (the data's texts in Persian and Russian, ``translations/<lang>.yaml``).
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from mapper.errors import GeodataError, Problem
from mapper.geodata.events import read_events
from mapper.geodata.fields import suggest
from mapper.geodata.layers import ATLAS_BOUNDS, read_layer
from mapper.geodata.places import read_places
from mapper.geodata.translations import read_translations
from mapper.model import Atlas

__all__ = ["FILES", "ATLAS_BOUNDS", "package_geodata", "find_geodata", "read_atlas"]

FILES = ("units.geojson", "zones.geojson", "countries.geojson", "events.yaml", "places.yaml")


def package_geodata() -> Path:
    """Return the geodata shipped inside the package (``mapper/data``), read with :mod:`importlib.resources`."""
    return Path(str(resources.files("mapper") / "data"))


def find_geodata(path: str | os.PathLike | None = None) -> Path:
    """Return the geodata folder: ``path``, else ``$MAPPER_GEODATA``, else the package's own (``mapper/data``).

    Raises GeodataError, naming the folder, when it holds no ``events.yaml``.
    """
    if path is not None:
        folder = Path(path)
    elif os.environ.get("MAPPER_GEODATA"):
        folder = Path(os.environ["MAPPER_GEODATA"])
    else:
        folder = package_geodata()
    if not (folder / "events.yaml").is_file():
        raise GeodataError([Problem(str(folder), None, None, "no geodata folder here (it must hold events.yaml)")])
    return folder


def read_atlas(path: str | os.PathLike | None = None) -> Atlas:
    """Read every file of the geodata folder; raise GeodataError listing every structural problem."""
    root = _display(find_geodata(path))
    problems: list[Problem] = []
    missing = [f for f in FILES if not (root / f).is_file()]
    for f in missing:
        problems.append(Problem(str(root / f), None, None, "file missing"))
    if missing:
        raise GeodataError(problems)
    # ids are collected even from broken records, so that one broken feature does not cascade
    unit_ids: set[str] = set()
    zone_ids: set[str] = set()
    units = read_layer(root / "units.geojson", problems, layer="units", declared=unit_ids)
    zones = read_layer(root / "zones.geojson", problems, layer="zones", declared=zone_ids)
    countries = read_layer(root / "countries.geojson", problems, layer="countries")
    places = read_places(root / "places.yaml", problems)
    event_ids: set[str] = set()  # every id written, so that one broken event does not cascade
    polities, events, baseline, note = read_events(
        root / "events.yaml", problems,
        sorted(unit_ids), sorted(zone_ids), [p.id for p in places], event_ids,
    )
    for p in places if event_ids else ():  # no events read: the syntax error says why
        for r in p.roles:
            if r.event and r.event not in event_ids:
                problems.append(Problem(str(root / "places.yaml"), f"place {p.id!r}", "roles.event", f"unknown event {r.event!r}{suggest(r.event, event_ids)}"))
    if problems:
        raise GeodataError(problems)
    translations = read_translations(root / "translations", problems, units=units, zones=zones, places=places,
                                     events=events, polities=polities, baseline=baseline)
    if problems:
        raise GeodataError(problems)
    return Atlas(units=tuple(units), zones=tuple(zones), places=places, events=events,
                 polities=polities, baseline=baseline, baseline_note=note, countries=tuple(countries),
                 folder=str(root), translations=translations)


def _display(path: Path) -> Path:
    """Return ``path`` relative to the working folder when it lies below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
