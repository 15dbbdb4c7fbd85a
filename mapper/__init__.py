"""mapper: a historical atlas of territorial change between Iran and Russia.

>>> import mapper
>>> atlas = mapper.load()                                   # doctest: +SKIP
>>> mapper.state_at(atlas, "1830-01-01").holder("erivan")   # doctest: +SKIP
'russia'
"""
from __future__ import annotations

import datetime as _dt
from importlib.metadata import PackageNotFoundError, version

from mapper.errors import BuildError, GeodataError, MapperError, Problem
from mapper.geodata import find_geodata, parse_date, read_atlas
from mapper.model import Atlas, Event, Place, Unit, Zone
from mapper.timeline import Change, State, Step, steps
from mapper.timeline import state_at as _state_at

try:
    __version__ = version("iran-russia-atlas")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

__all__ = [
    "__version__",
    "load",
    "state_at",
    "steps",
    "changes",
    "Atlas",
    "Event",
    "Unit",
    "Zone",
    "Place",
    "State",
    "Step",
    "Change",
    "MapperError",
    "GeodataError",
    "BuildError",
    "Problem",
    "find_geodata",
]


def load(geodata=None) -> Atlas:
    """Load and validate the atlas from ``geodata`` (default: ./geodata or the repo's).

    Raises GeodataError listing every problem found, with file, record and field.
    """
    from mapper.validate import check_atlas

    atlas = read_atlas(geodata)
    problems = check_atlas(atlas)
    if problems:
        raise GeodataError(problems)
    return atlas


def _as_date(when) -> _dt.date:
    if isinstance(when, _dt.datetime):
        return when.date()
    if isinstance(when, _dt.date):
        return when
    try:
        return parse_date(str(when)).date
    except ValueError as e:
        raise MapperError(str(e)) from None


def state_at(atlas: Atlas, when) -> State:
    """Return the state on a date (a :class:`datetime.date` or text such as ``"1828-02-22"``)."""
    return _state_at(atlas, _as_date(when))


def changes(atlas: Atlas, event_id: str) -> tuple[Change, ...]:
    """Return the units that changed holder at the event ``event_id``."""
    for st in steps(atlas):
        if st.event.id == event_id:
            return st.changes
    known = [e.id for e in atlas.events]
    import difflib

    close = difflib.get_close_matches(event_id, known, n=1)
    raise MapperError(f"unknown event {event_id!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
