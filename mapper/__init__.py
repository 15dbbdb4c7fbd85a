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
    "state_frame",
    "folium_map",
    "save_figure",
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


def state_frame(atlas: Atlas, when):
    """Return the state on a date as a GeoDataFrame (EPSG:4326): units, then the zones in force.

    Columns: ``id``, ``layer`` (``sovereignty`` or ``zone``), ``name``, ``name_fa``, ``name_ru``,
    ``holder``, ``holder_name``, ``since`` (units) and ``kind`` (zones), ``geometry``.
    """
    import geopandas as gpd

    from mapper.export import slice_collection

    doc = slice_collection(atlas, state_at(atlas, when))
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    cols = ["id", "layer", "name", "name_fa", "name_ru", "holder", "holder_name", "since", "kind", "geometry"]
    for c in cols:
        if c not in frame:
            frame[c] = None
    return frame[cols]


def folium_map(atlas: Atlas, event_id: str | None = None):
    """Return a ``folium.Map``: the whole stepping atlas, or one event's map; shows inline in Jupyter."""
    from mapper.render_html import folium_map as _folium_map

    return _folium_map(atlas, event_id)


def save_figure(atlas: Atlas, event_id: str, path, *, fmt: str | None = None, width_px: int = 2400):
    """Draw the print figure of an event and save it to ``path`` (PNG, SVG or PDF)."""
    from pathlib import Path

    from mapper.figures import save_figure as _save

    path = Path(path)
    return _save(atlas, event_id, path, fmt=fmt or (path.suffix.lstrip(".") or "png"), width_px=width_px)
