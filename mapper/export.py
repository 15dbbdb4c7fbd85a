"""Data exports: slices as GeoJSON, changes and events as CSV.

Pure functions that turn timeline results into documents, plus writers for a build folder.
Output is deterministic: keys in a fixed order, coordinates on the geodata's grid.
"""
from __future__ import annotations

import io
from pathlib import Path

from mapper import csvsafe, geojson
from mapper.model import Atlas
from mapper.timeline import State, steps

__all__ = ["slice_collection", "dump_geojson", "changes_csv", "events_csv", "write_data"]

DECIMALS = 4


def slice_collection(atlas: Atlas, state: State) -> dict:
    """Return the state as a GeoJSON FeatureCollection: sovereignty units, then the zones in force."""
    features = []
    for u in atlas.units:
        t = state.holders[u.id]
        props = {"id": u.id, "layer": "sovereignty", "name": u.name, "name_fa": u.name_fa, "name_ru": u.name_ru,
                 "holder": t.holder, "holder_name": t.holder_name, "since": t.since}
        features.append({"type": "Feature", "properties": props, "geometry": geojson.geometry(u.geometry, DECIMALS)})
    for z in atlas.zones:
        if z.id in state.zones:
            props = {"id": z.id, "layer": "zone", "name": z.name, "kind": z.kind}
            features.append({"type": "Feature", "properties": props, "geometry": geojson.geometry(z.geometry, DECIMALS)})
    return {"type": "FeatureCollection", "date": state.date.isoformat(), "event": state.event, "features": features}


def dump_geojson(doc: dict) -> str:
    """Return a GeoJSON document as compact UTF-8 text, one feature a line."""
    return geojson.dumps(doc)


def changes_csv(atlas: Atlas) -> str:
    """Return one CSV row per event and unit that changed holder, with km² and running totals."""
    buf = io.StringIO()
    w = csvsafe.writer(buf, lineterminator="\n")
    w.writerow(["event", "date", "unit", "unit_name", "from", "from_name", "to", "to_name", "km2",
                "certainty", "persia_lost_to_russia_km2", "running_total_lost_km2"])
    for st in steps(atlas):
        for c in st.changes:
            w.writerow([st.event.id, st.event.date.iso, c.unit, atlas.unit(c.unit).name, c.from_, c.from_name,
                        c.to, c.to_name, f"{c.km2:.0f}", c.certainty, f"{st.lost_km2:.0f}", f"{st.total_lost_km2:.0f}"])
    return buf.getvalue()


def events_csv(atlas: Atlas) -> str:
    """Return the events table as CSV (one row per event)."""
    buf = io.StringIO()
    w = csvsafe.writer(buf, lineterminator="\n")
    w.writerow(["id", "date", "date_precision", "date_os", "date_certainty", "title", "kind", "place",
                "parties", "summary", "sources", "units_changed", "zones_begun", "zones_ended"])
    for st in steps(atlas):
        e = st.event
        w.writerow([e.id, e.date.iso, e.date.precision, e.date_os.isoformat() if e.date_os else "", e.date_certainty,
                    e.title, e.kind, e.place or "", "; ".join(e.parties), e.summary,
                    "; ".join(s.title + (f" <{s.url}>" if s.url else "") for s in e.sources),
                    " ".join(c.unit for c in st.changes), " ".join(st.zones_begun), " ".join(st.zones_ended)])
    return buf.getvalue()


def write_data(atlas: Atlas, out: Path) -> list[Path]:
    """Write data/slices/<event>.geojson, data/changes.csv and data/events.csv under ``out``."""
    data = out / "data"
    (data / "slices").mkdir(parents=True, exist_ok=True)
    written = []
    for st in steps(atlas):
        p = data / "slices" / f"{st.event.id}.geojson"
        p.write_text(dump_geojson(slice_collection(atlas, st.state)), encoding="utf-8")
        written.append(p)
    for name, text in (("changes.csv", changes_csv(atlas)), ("events.csv", events_csv(atlas))):
        p = data / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    return written
