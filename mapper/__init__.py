"""mapper: a historical atlas of territorial change between Iran and Russia.

The public API: load the atlas, ask for the map on a date, step through the events, and get the
changes or a state as a table. Dates are :class:`datetime.date` objects or ISO text
(``"1828-02-22"``, ``"1828-02"``, ``"1828"``).

>>> import mapper
>>> atlas = mapper.load()
>>> mapper.state_at(atlas, "1830-01-01").holder("erivan")
'russia'
"""
from __future__ import annotations

import datetime as _dt
import difflib
from importlib.metadata import PackageNotFoundError, version
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from mapper.dates import HistDate, parse_date
from mapper.errors import BuildError, GeodataError, MapperError, Problem
from mapper.geodata import find_geodata, read_atlas
from mapper.model import Atlas, Event, Place, Unit, Zone
from mapper.timeline import Change, State, Step, Tenure
from mapper.timeline import state_at as _state_at
from mapper.timeline import steps as _steps

if TYPE_CHECKING:  # heavy imports only where used
    import folium
    import geopandas

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
    "Tenure",
    "Step",
    "Change",
    "HistDate",
    "MapperError",
    "GeodataError",
    "BuildError",
    "Problem",
    "find_geodata",
    "parse_date",
]


def load(geodata: str | PathLike[str] | None = None) -> Atlas:
    """Load and validate the atlas.

    Parameters
    ----------
    geodata
        A folder holding ``events.yaml``, ``units.geojson`` ... Default: ``$MAPPER_GEODATA`` if
        set, else the geodata shipped inside the package.

    Returns
    -------
    Atlas
        Layers, events, places and polities; compared by identity, so results derived from it
        are cached per atlas.

    Raises
    ------
    GeodataError
        Listing every problem found, each with file, record and field.

    Examples
    --------
    >>> import mapper
    >>> atlas = mapper.load()
    >>> atlas.event("turkmenchay-1828").title
    'Treaty of Turkmenchay'
    """
    from mapper.validate import check_atlas

    atlas = read_atlas(geodata)
    problems = check_atlas(atlas)
    if problems:
        raise GeodataError(problems)
    return atlas


def _as_date(when: str | _dt.date) -> _dt.date:
    if isinstance(when, _dt.datetime):
        return when.date()
    if isinstance(when, _dt.date):
        return when
    try:
        return parse_date(str(when)).date
    except ValueError as e:
        raise MapperError(str(e)) from None


def state_at(atlas: Atlas, when: str | _dt.date) -> State:
    """Return the map on a date: every unit's holder (named as on that date), claimants and the zones in force.

    Every event dated on or before ``when`` has taken effect.

    Parameters
    ----------
    atlas
        From :func:`load`.
    when
        A :class:`datetime.date` or ISO text (``"1828-02-22"``; ``"1828-02"`` and ``"1828"`` mean
        the first day of the month or year).

    Raises
    ------
    MapperError
        When ``when`` is no date.

    Examples
    --------
    >>> import mapper
    >>> atlas = mapper.load()
    >>> st = mapper.state_at(atlas, "1830-01-01")
    >>> st.holders["erivan"].holder, st.holders["erivan"].holder_name
    ('russia', 'Russian Empire')
    >>> mapper.state_at(atlas, "1942-01-01").zones
    ('soviet-occupation-1941', 'british-occupation-1941')
    """
    return _state_at(atlas, _as_date(when))


def steps(atlas: Atlas) -> tuple[Step, ...]:
    """Return one step per event, in date order: the state after it, its changes and Persia's running loss.

    Each step's state and changes name the holders as on the event's date.

    Examples
    --------
    >>> import mapper
    >>> atlas = mapper.load()
    >>> st = next(s for s in mapper.steps(atlas) if s.event.id == "turkmenchay-1828")
    >>> [(c.unit, c.kind) for c in st.changes]  # Erivan and Nakhchivan were taken in 1827
    [('erivan', 'recognition'), ('surmali', 'recognition'), ('nakhchivan', 'recognition'), ('meghri', 'cession'), ('talysh-south', 'cession')]
    >>> round(st.lost_km2)
    3176
    """
    return _steps(atlas)


def changes(atlas: Atlas, event_id: str) -> tuple[Change, ...]:
    """Return every change at the event ``event_id``, as ``data/changes.csv`` lists them.

    Units' changes of holder or claim come first, then occupation zones beginning or ending (whose
    ``unit`` is the zone's id). Names are as on the event's date; ``counted`` marks the rows that
    enter Persia's loss to Russia.

    Raises
    ------
    MapperError
        For an unknown event, suggesting the closest id.

    Examples
    --------
    >>> import mapper
    >>> atlas = mapper.load()
    >>> c = mapper.changes(atlas, "turkmenchay-1828")[0]
    >>> c.unit, c.kind, c.from_name, c.to_name, c.counted
    ('erivan', 'recognition', 'Qajar Iran', 'Russian Empire', False)
    """
    for st in _steps(atlas):
        if st.event.id == event_id:
            return st.rows
    close = difflib.get_close_matches(event_id, [e.id for e in atlas.events], n=1)
    raise MapperError(f"unknown event {event_id!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))


def state_frame(atlas: Atlas, when: str | _dt.date) -> geopandas.GeoDataFrame:
    """Return the map on a date as a GeoDataFrame (EPSG:4326): the units, then the zones in force.

    The rows are the features of ``mapper slice --at WHEN``. Columns: ``id``, ``layer``
    (``sovereignty`` or ``zone``), ``name``, ``name_fa``, ``name_ru``, ``holder``,
    ``holder_name`` (as on that date), ``since``, ``claimed_by`` (a list) for units, ``kind``
    for zones, and ``geometry``.

    Examples
    --------
    >>> import mapper
    >>> atlas = mapper.load()
    >>> frame = mapper.state_frame(atlas, "1830-01-01")
    >>> frame.set_index("id").loc["erivan", ["holder", "holder_name"]].tolist()
    ['russia', 'Russian Empire']
    """
    import geopandas as gpd

    from mapper.exports import slice_collection

    doc = slice_collection(atlas, state_at(atlas, when))
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    cols = ["id", "layer", "name", "name_fa", "name_ru", "holder", "holder_name", "since", "claimed_by", "kind",
            "geometry"]
    for c in cols:
        if c not in frame:
            frame[c] = None
    return frame[cols]


def folium_map(atlas: Atlas, event_id: str | None = None) -> folium.Map:
    """Return a ``folium.Map``: the whole stepping atlas, or one event's map; shows inline in Jupyter."""
    from mapper.web import folium_map as _folium_map

    return _folium_map(atlas, event_id)


def save_figure(atlas: Atlas, event_id: str, path: str | PathLike[str], *, fmt: str | None = None,
                size: str = "page", dpi: int = 300) -> Path:
    """Draw the print figure of an event (or ``overview``, ``territory``) and save it to ``path``; return the path.

    ``size`` is where it goes: ``column`` (8.5 cm), ``page`` (17 cm) or ``slide`` (16:9); PNG at ``dpi``.
    """
    from mapper.figures import save_figure as _save

    path = Path(path)
    return _save(atlas, event_id, path, fmt=fmt or (path.suffix.lstrip(".") or "png"), size=size, dpi=dpi)
