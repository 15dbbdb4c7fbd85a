"""Find geodata/, read its layers, events and places, and check their structure.

This is the only module that reads geodata/. It checks what can be checked record by record
(syntax, fields, types, ids, dates, geometry validity); :mod:`mapper.validate` checks what needs
the whole history (holders at a date, overlaps, partitions). Every problem is collected and
raised once as a :class:`~mapper.errors.GeodataError`.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import os
import re
from pathlib import Path

import shapely
import yaml
from shapely.geometry import shape

from mapper.dates import HistDate, julian_to_gregorian, parse_date
from mapper.errors import GeodataError, Problem
from mapper.model import (
    CLAIM_ACTIONS,
    HOLDERS,
    TRANSFER_KINDS,
    ZONE_KINDS,
    Atlas,
    BaselineHolder,
    ClaimEffect,
    Country,
    Event,
    Place,
    Polity,
    Role,
    Source,
    Transfer,
    Unit,
    Zone,
    ZoneEffect,
)

__all__ = ["find_geodata", "read_atlas", "ATLAS_BOUNDS"]

FILES = ("units.geojson", "zones.geojson", "countries.geojson", "events.yaml", "places.yaml")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: Every geometry must lie within this box (lon/lat): the atlas's area with a margin ...
ATLAS_BOUNDS = (30.0, 20.0, 72.0, 52.0)
#: ... and have its centre in the map's box, where the story happens.
MAP_BOX = (38.0, 24.0, 66.0, 48.0)
#: Places (capitals such as Moscow and Saint Petersburg) may lie further afield.
PLACE_BOUNDS = (20.0, 10.0, 80.0, 65.0)
EVENT_KINDS = ("treaty", "war", "episode", "raid", "embassy", "withdrawal", "dissolution")
CERTAINTIES = ("high", "medium", "low")
DATE_CERTAINTIES = ("exact", "approximate", "disputed")
ROLES = ("capital", "embassy", "consulate", "signing", "city")
MAX_TEXT = 20_000


def find_geodata(path: str | os.PathLike | None = None) -> Path:
    """Return the geodata folder: ``path``, else ``$MAPPER_GEODATA``, else ./geodata, else the repo's."""
    candidates = []
    if path is not None:
        candidates.append(Path(path))
    elif os.environ.get("MAPPER_GEODATA"):
        candidates.append(Path(os.environ["MAPPER_GEODATA"]))
    else:
        candidates += [Path.cwd() / "geodata", Path(__file__).resolve().parent.parent / "geodata"]
    for c in candidates:
        if (c / "events.yaml").is_file():
            return c
    raise GeodataError([Problem(str(candidates[0]), None, None, "no geodata folder here (it must hold events.yaml)")])


# ---------------------------------------------------------------------------------------------
# YAML with line numbers


class _LineDict(dict):
    line: int | None = None


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    pairs = loader.construct_pairs(node)
    d = _LineDict(pairs)
    keys = [k for k, _ in pairs]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise yaml.constructor.ConstructorError(
            None, None, f"duplicate key {sorted(map(str, dupes))[0]!r}", node.start_mark
        )
    d.line = node.start_mark.line + 1
    return d


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as the strings the user wrote: we parse them ourselves (years before 1000, months).
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, problems: list[Problem]):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(str(path), None, None, f"not UTF-8 text ({e.reason} at byte {e.start})"))
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problems.append(Problem(str(path), where, None, f"malformed YAML: {e.problem or e.context}"))
    except yaml.YAMLError as e:
        problems.append(Problem(str(path), None, None, f"malformed YAML: {e}"))
    return None


def _read_json(path: Path, problems: list[Problem]):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        problems.append(Problem(str(path), None, None, f"not UTF-8 text ({e.reason} at byte {e.start})"))
    except json.JSONDecodeError as e:
        problems.append(Problem(str(path), f"line {e.lineno}, column {e.colno}", None, f"malformed JSON: {e.msg}"))
    return None


# ---------------------------------------------------------------------------------------------
# Field helpers: each reports a Problem and returns None when the value is unusable


class _Record:
    """Reads the fields of one record, reporting problems with the file and record named."""

    def __init__(self, file: str, label: str, data, problems: list[Problem]):
        self.file, self.label, self.problems = file, label, problems
        self.prefix = ""  # prepended to field names: "effects[2]." for an effect's fields
        line = getattr(data, "line", None)
        self.where = f"{label} (line {line})" if line else label
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.problem(None, f"must be a mapping, not {type(data).__name__}")

    def problem(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.where, self.prefix + field if field else field, message))

    def text(self, field: str, *, required: bool = True) -> str | None:
        v = self.data.get(field)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.problem(field, "missing")
            return None
        if not isinstance(v, str):
            self.problem(field, f"must be text, not {type(v).__name__} {v!r}")
            return None
        if len(v) > MAX_TEXT:
            self.problem(field, f"too long ({len(v)} characters; at most {MAX_TEXT})")
            return None
        return " ".join(v.split()) if "\n" in v else v.strip()

    def texts(self, field: str) -> tuple[str, ...]:
        v = self.data.get(field)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.problem(field, "must be a list of texts")
            return ()
        return tuple(x.strip() for x in v)

    def choice(self, field: str, allowed, default=None, *, required: bool = False) -> str | None:
        v = self.data.get(field, default)
        if v is None:
            if required:
                self.problem(field, f"missing (one of {', '.join(allowed)})")
            return None
        if v not in allowed:
            self.problem(field, f"{v!r} is not one of {', '.join(allowed)}{_suggest(v, allowed)}")
            return None
        return v

    def ident(self, field: str = "id") -> str | None:
        v = self.data.get(field)
        if v is None:
            self.problem(field, "missing")
            return None
        if not isinstance(v, str) or not ID_RE.match(v):
            self.problem(field, f"{v!r} is not a safe id (lower-case letters, digits and single hyphens, e.g. 'gulistan-1813')")
            return None
        return v

    def number(self, field: str, lo: float, hi: float) -> float | None:
        v = self.data.get(field)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.problem(field, "missing" if v is None else f"must be a number, not {v!r}")
            return None
        if not math.isfinite(v) or not lo <= v <= hi:
            self.problem(field, f"{v!r} is outside {lo}..{hi}")
            return None
        return float(v)


def _suggest(value, known) -> str:
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _date_field(rec: _Record, field: str, *, required: bool) -> HistDate | None:
    v = rec.data.get(field)
    if v is None:
        if required:
            rec.problem(field, "missing")
        return None
    try:
        return parse_date(v)
    except ValueError as e:
        rec.problem(field, str(e))
        return None


def _sources(rec: _Record) -> tuple[Source, ...]:
    v = rec.data.get("sources")
    if v is None or v == []:
        rec.problem("sources", "missing: cite at least one source")
        return ()
    if not isinstance(v, list):
        rec.problem("sources", "must be a list")
        return ()
    out = []
    for i, s in enumerate(v, 1):
        if isinstance(s, str):
            out.append(Source(s.strip()))
            continue
        if not isinstance(s, dict) or not isinstance(s.get("title"), str) or not s["title"].strip():
            rec.problem("sources", f"source {i} needs a 'title'")
            continue
        url = s.get("url")
        if url is not None and (not isinstance(url, str) or not re.match(r"^https?://[^\s\"'<>]+$", url)):
            rec.problem("sources", f"source {i}: url {url!r} must be an http(s) address")
            url = None
        out.append(Source(s["title"].strip(), url))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Layers


def _read_layer(path: Path, problems: list[Problem], *, layer: str, declared: set[str] | None = None):
    """Read ``units``, ``zones`` or ``countries`` (background land: no derivation, no centre check)."""
    doc = _read_json(path, problems)
    if doc is None:
        return []
    file = str(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        problems.append(Problem(file, None, "type", "must be a GeoJSON FeatureCollection"))
        return []
    crs = doc.get("crs")
    if crs is not None:
        name = str(((crs or {}).get("properties") or {}).get("name", ""))
        if not re.search(r"(CRS84|EPSG::?4326)$", name):
            problems.append(Problem(file, None, "crs", f"declares {name!r}; GeoJSON must be WGS84 lon/lat (RFC 7946)"))
    out, seen = [], {}
    for n, feat in enumerate(doc["features"], 1):
        props = (feat or {}).get("properties") if isinstance(feat, dict) else None
        fid = props.get("id") if isinstance(props, dict) else None
        rec = _Record(file, f"feature {n}" + (f" {fid!r}" if isinstance(fid, str) else ""), props, problems)
        ident = rec.ident()
        if ident and declared is not None:
            declared.add(ident)
        if ident in seen:
            rec.problem("id", f"duplicate id {ident!r} (also feature {seen[ident]})")
            ident = None
        elif ident:
            seen[ident] = n
        geom = _geometry(rec, feat.get("geometry") if isinstance(feat, dict) else None, centred=layer != "countries")
        name = rec.text("name")
        common = dict(
            name_fa=rec.text("name_fa", required=False),
            name_ru=rec.text("name_ru", required=False),
        )
        if ident is None or geom is None or name is None:
            continue
        if layer == "countries":
            out.append(Country(ident, name, geom))
            continue
        derivation = rec.text("derivation")
        srcs = tuple(s.title for s in _sources(rec))
        if derivation is None:
            continue
        if layer == "zones":
            kind = rec.choice("kind", ZONE_KINDS, required=True)
            if kind:
                out.append(Zone(ident, name, geom, derivation, srcs, kind=kind, **common))
        else:
            out.append(Unit(ident, name, geom, derivation, srcs, **common))
    return out


def _geometry(rec: _Record, g, *, centred: bool = True):
    """Return the shapely geometry of a GeoJSON polygon, or None after reporting what is wrong.

    ``centred``: the shape's centre must lie in the map's box (units and zones; not background land).
    """
    if not isinstance(g, dict):
        rec.problem("geometry", "missing")
        return None
    if g.get("type") not in ("Polygon", "MultiPolygon"):
        rec.problem("geometry", f"must be a Polygon or MultiPolygon, not {g.get('type')!r}")
        return None
    try:
        rings = list(_rings(g))
        flat = [float(v) for ring in rings for pos in ring for v in pos[:2]]
    except (TypeError, ValueError, IndexError):
        rec.problem("geometry", "malformed coordinates (each position must be [lon, lat])")
        return None
    if not all(math.isfinite(v) for v in flat):
        rec.problem("geometry", "has a coordinate that is not a number (NaN or infinite)")
        return None
    bad = next(((x, y) for x, y in zip(flat[::2], flat[1::2]) if not (-180 <= x <= 180 and -90 <= y <= 90)), None)
    if bad is not None:
        rec.problem("geometry", f"has the position {list(bad)!r}, which is no longitude/latitude (lon -180..180, lat -90..90)")
        return None
    for ring in rings:
        if len(ring) < 4 or list(ring[0]) != list(ring[-1]):
            rec.problem("geometry", "has a ring that is not closed (its first and last positions differ)")
            return None
    try:
        geom = shape(g)
    except Exception as e:  # shapely raises several types for malformed coordinates
        rec.problem("geometry", f"malformed coordinates ({e})")
        return None
    if geom.is_empty:
        rec.problem("geometry", "is empty")
        return None
    if not geom.is_valid:
        rec.problem("geometry", f"is invalid: {shapely.is_valid_reason(geom)}")
        return None
    x0, y0, x1, y1 = geom.bounds
    bx0, by0, bx1, by1 = ATLAS_BOUNDS
    c = geom.centroid
    if x0 < bx0 or y0 < by0 or x1 > bx1 or y1 > by1 or (centred and not _in_box(c.x, c.y, MAP_BOX)):
        hint = " (are longitude and latitude swapped?)" if _in_box(c.y, c.x, MAP_BOX) else ""
        rec.problem("geometry", f"lies outside the atlas's area (centre lon {MAP_BOX[0]:g}..{MAP_BOX[2]:g}, "
                                f"lat {MAP_BOX[1]:g}..{MAP_BOX[3]:g}): bounds {tuple(round(b, 2) for b in geom.bounds)}{hint}")
        return None
    return geom


def _in_box(x: float, y: float, b) -> bool:
    return b[0] <= x <= b[2] and b[1] <= y <= b[3]


def _rings(g: dict):
    coords = g.get("coordinates") or []
    polys = coords if g.get("type") == "MultiPolygon" else [coords]
    for poly in polys:
        yield from poly


# ---------------------------------------------------------------------------------------------
# Events


def _read_events(path: Path, problems: list[Problem], unit_ids, zone_ids, place_ids, declared: set[str]):
    doc = _read_yaml(path, problems)
    file = str(path)
    if doc is None:
        return (), (), {}, ""
    if not isinstance(doc, dict):
        problems.append(Problem(file, None, None, "must be a mapping with 'polities', 'baseline' and 'events'"))
        return (), (), {}, ""
    polities = _read_polities(file, doc.get("polities"), problems)
    baseline, note = _read_baseline(file, doc.get("baseline"), problems, unit_ids)
    raw = doc.get("events")
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(file, None, "events", "must be a non-empty list"))
        return polities, (), baseline, note
    events, seen, last = [], {}, None
    for n, item in enumerate(raw, 1):
        eid = item.get("id") if isinstance(item, dict) else None
        if isinstance(eid, str):
            declared.add(eid)
        rec = _Record(file, f"event {eid!r}" if isinstance(eid, str) else f"event {n}", item, problems)
        ev = _read_event(rec, unit_ids, zone_ids, place_ids)
        if ev is None:
            continue
        if ev.id in seen:
            rec.problem("id", f"duplicate id {ev.id!r} (also event {seen[ev.id]})")
            continue
        seen[ev.id] = n
        if last is not None and ev.date.date < last.date.date:
            rec.problem("date", f"{ev.date.iso} comes before the previous event {last.id!r} ({last.date.iso}); keep events in date order")
        last = ev
        events.append(ev)
    return polities, tuple(events), baseline, note


def _read_event(rec: _Record, unit_ids, zone_ids, place_ids) -> Event | None:
    d = rec.data
    ident = rec.ident()
    title = rec.text("title")
    summary = rec.text("summary")
    kind = rec.choice("kind", EVENT_KINDS, required=True)
    date = _date_field(rec, "date", required=True)
    date_os = _date_field(rec, "date_os", required=False)
    if date_os is not None and date_os.precision != "day":
        rec.problem("date_os", "an Old Style date must give the day")
        date_os = None
    if date_os is not None and date is not None:
        want = julian_to_gregorian(date_os.date.year, date_os.date.month, date_os.date.day)
        if date.precision == "day" and want != date.date:
            rec.problem("date_os", f"Old Style {date_os.iso} is {want.isoformat()} New Style, not {date.iso}")
    place = d.get("place")
    if place is not None and place not in place_ids:
        rec.problem("place", f"unknown place {place!r}{_suggest(place, place_ids)}")
        place = None
    parties = rec.texts("parties")
    sources = _sources(rec)
    effects = _read_effects(rec, unit_ids, zone_ids, date)
    certainty = rec.choice("date_certainty", DATE_CERTAINTIES, "exact") or "exact"
    note = rec.text("date_note", required=False)
    if None in (ident, title, summary, kind, date) or effects is None:
        return None
    return Event(
        id=ident, title=title, kind=kind, date=date, summary=summary,
        date_os=date_os.date if date_os else None, date_certainty=certainty, date_note=note,
        place=place, parties=parties, sources=sources, effects=effects,
    )


EFFECT_KEYS = ("transfer", *CLAIM_ACTIONS, "begin", "end")


def _read_effects(rec: _Record, unit_ids, zone_ids, date: HistDate | None):
    raw = rec.data.get("effects") or []
    if not isinstance(raw, list):
        rec.problem("effects", "must be a list")
        return None
    out, ok = [], True
    for n, eff in enumerate(raw, 1):
        field = f"effects[{n}]"
        if not isinstance(eff, dict):
            rec.problem(field, "must be a mapping")
            ok = False
            continue
        keys = [k for k in EFFECT_KEYS if k in eff]
        if len(keys) != 1:
            rec.problem(field, f"needs exactly one of {', '.join(repr(k) for k in EFFECT_KEYS)}")
            ok = False
            continue
        (key,) = keys
        ids = eff[key]
        if isinstance(ids, str):
            ids = [ids]
        if not isinstance(ids, list) or not ids:
            rec.problem(f"{field}.{key}", "must be a non-empty list of ids")
            ok = False
            continue
        zonal = key in ("begin", "end")
        known = zone_ids if zonal else unit_ids
        what = "zone" if zonal else "unit"
        bad = [i for i in ids if i not in known]
        for i in bad:
            rec.problem(f"{field}.{key}", f"unknown {what} {i!r}{_suggest(i, known)}")
        if bad:
            ok = False
            continue
        sub = _Record(rec.file, rec.label, eff, rec.problems)
        sub.where, sub.prefix = rec.where, f"{field}."
        if key == "transfer":
            effect = _transfer(sub, tuple(ids))
        elif key in CLAIM_ACTIONS:
            effect = _claim_effect(sub, key, tuple(ids))
        else:
            effect = _zone_effect(sub, key, tuple(ids), date)
        if effect is None:
            ok = False
        else:
            out.append(effect)
    return tuple(out) if ok else None


def _certainty_and_note(sub: _Record) -> tuple[str | None, str | None, bool]:
    certainty = sub.choice("certainty", CERTAINTIES, "high")
    note = sub.text("note", required=False)
    if certainty in ("medium", "low") and not note:
        sub.problem("note", f"required when certainty is {certainty}: say why")
        return certainty, note, False
    return certainty, note, certainty is not None


def _transfer(sub: _Record, ids: tuple[str, ...]) -> Transfer | None:
    kind = sub.choice("kind", TRANSFER_KINDS, required=True)
    src = sub.choice("from", HOLDERS, required=True)
    dst = sub.choice("to", HOLDERS, required=True)
    to_name = sub.text("to_name", required=False)
    ok = True
    if dst == "other" and not to_name:
        sub.problem("to_name", "required when 'to' is other: name the polity")
    if src and dst and src == dst:
        sub.problem("to", f"'from' and 'to' are both {src!r}")
        ok = False
    if kind == "independence" and dst not in (None, "other"):
        sub.problem("to", f"an independence goes to 'other' (the new state), not {dst!r}")
        ok = False
    certainty, note, sure = _certainty_and_note(sub)
    if None in (kind, src, dst) or not (ok and sure):
        return None
    return Transfer(ids, src, dst, to_name, certainty, note, kind)


def _claim_effect(sub: _Record, key: str, ids: tuple[str, ...]) -> ClaimEffect | None:
    by = sub.choice("by", HOLDERS, required=True)
    certainty, note, sure = _certainty_and_note(sub)
    if by is None or not sure:
        return None
    return ClaimEffect(key, ids, by, certainty, note)


def _zone_effect(sub: _Record, key: str, ids: tuple[str, ...], date: HistDate | None) -> ZoneEffect | None:
    until = None
    if "until" in sub.data:
        if key != "begin":
            sub.problem("until", "only a 'begin' effect can have 'until'")
        try:
            until = parse_date(sub.data["until"]).date
        except ValueError as e:
            sub.problem("until", str(e))
            return None
        if date is not None and until <= date.date:
            sub.problem("until", f"{until.isoformat()} is not after the event's date {date.iso}")
            return None
    return ZoneEffect(key, ids, until)


def _read_polities(file: str, raw, problems: list[Problem]) -> tuple[Polity, ...]:
    if not isinstance(raw, dict):
        problems.append(Problem(file, None, "polities", "must map persia and russia to their names by period"))
        return ()
    out = []
    for holder in ("persia", "russia"):
        periods = raw.get(holder)
        if not isinstance(periods, list) or not periods:
            problems.append(Problem(file, f"polities.{holder}", None, "must be a non-empty list of periods"))
            continue
        prev = None
        for n, p in enumerate(periods, 1):
            rec = _Record(file, f"polities.{holder}[{n}]", p, problems)
            name = rec.text("name")
            start = _date_field(rec, "from", required=False)
            until = _date_field(rec, "until", required=False)
            if start and until and until.date <= start.date:
                rec.problem("until", "must come after 'from'")
            if prev is not None and (start is None or prev.until is None or start.date != prev.until):
                rec.problem("from", "must equal the previous period's 'until' (periods are contiguous)")
            if name:
                prev = Polity(holder, name, start.date if start else None, until.date if until else None)
                out.append(prev)
    return tuple(out)


def _read_baseline(file: str, raw, problems: list[Problem], unit_ids):
    if not isinstance(raw, dict) or not isinstance(raw.get("holders"), dict):
        problems.append(Problem(file, "baseline", "holders", "must map every unit id to its holder before the first event"))
        return {}, ""
    out = {}
    for uid, spec in raw["holders"].items():
        rec = _Record(file, f"baseline.holders.{uid}", spec, problems)
        if uid not in unit_ids:
            rec.problem(None, f"unknown unit {uid!r}{_suggest(uid, unit_ids)}")
            continue
        holder = rec.choice("holder", HOLDERS, required=True)
        name = rec.text("name", required=False)
        if holder == "other" and not name:
            rec.problem("name", "required when the holder is other")
        claimed_by = rec.texts("claimed_by")
        for c in claimed_by:
            if c not in HOLDERS:
                rec.problem("claimed_by", f"{c!r} is not one of {', '.join(HOLDERS)}{_suggest(c, HOLDERS)}")
            elif c == holder:
                rec.problem("claimed_by", f"{c!r} holds {uid!r}; a holder does not claim what it holds")
        if holder:
            out[uid] = BaselineHolder(holder, name, tuple(sorted(set(claimed_by) & set(HOLDERS) - {holder})))
    for uid in sorted(set(unit_ids) - set(out)):
        if uid not in raw["holders"]:
            problems.append(Problem(file, "baseline.holders", uid, f"missing: unit {uid!r} needs a baseline holder"))
    note = raw.get("note") if isinstance(raw.get("note"), str) else ""
    return out, " ".join(note.split())


# ---------------------------------------------------------------------------------------------
# Places


def _read_places(path: Path, problems: list[Problem]) -> tuple[Place, ...]:
    doc = _read_yaml(path, problems)
    file = str(path)
    if doc is None:
        return ()
    raw = doc.get("places") if isinstance(doc, dict) else None
    if not isinstance(raw, list):
        problems.append(Problem(file, None, "places", "must be a list"))
        return ()
    out, seen = [], set()
    for n, item in enumerate(raw, 1):
        pid = item.get("id") if isinstance(item, dict) else None
        rec = _Record(file, f"place {pid!r}" if isinstance(pid, str) else f"place {n}", item, problems)
        ident = rec.ident()
        if ident in seen:
            rec.problem("id", f"duplicate id {ident!r}")
            ident = None
        seen.add(ident)
        name = rec.text("name")
        lat = rec.number("lat", -90, 90)
        lon = rec.number("lon", -180, 180)
        raw_roles = rec.data.get("roles") or []
        if not isinstance(raw_roles, list):
            rec.problem("roles", "must be a list of {role: ...} mappings")
            raw_roles = []
        roles = [r.get("role") for r in raw_roles if isinstance(r, dict) and isinstance(r.get("role"), str)]
        # a plain city must lie on the map; capitals, embassies and signing places may lie beyond it
        box = MAP_BOX if set(roles) <= {"city"} else PLACE_BOUNDS
        if lat is not None and lon is not None and not _in_box(lon, lat, box):
            swapped = _in_box(lat, lon, box)
            rec.problem("lon", f"({lon}, {lat}) is outside the atlas's area (lon {box[0]:g}..{box[2]:g}, lat {box[1]:g}..{box[3]:g})"
                        + (" (are lat and lon swapped?)" if swapped else ""))
            lat = None
        roles = []
        for r in raw_roles:
            rr = _Record(file, rec.label, r, problems)
            rr.where = rec.where
            role = rr.choice("role", ROLES, required=True)
            years = {}
            for key in ("since", "until"):
                v = rr.data.get(key)
                if v is not None and (isinstance(v, bool) or not isinstance(v, int) or not 0 < v < 3000):
                    rr.problem(key, f"{v!r} is not a year")
                    v = None
                years[key] = v
            if years["since"] and years["until"] and years["until"] <= years["since"]:
                rr.problem("until", "must come after 'since'")
            if role:
                roles.append(Role(role, rr.text("of", required=False), rr.text("event", required=False),
                                  rr.text("note", required=False), **years))
        srcs = tuple(s.title for s in _sources(rec))
        if None in (ident, name, lat, lon):
            continue
        out.append(Place(ident, name, lon, lat, tuple(roles), srcs,
                         rec.text("name_fa", required=False), rec.text("name_ru", required=False),
                         rec.text("note", required=False)))
    return tuple(out)


# ---------------------------------------------------------------------------------------------


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
    units = _read_layer(root / "units.geojson", problems, layer="units", declared=unit_ids)
    zones = _read_layer(root / "zones.geojson", problems, layer="zones", declared=zone_ids)
    countries = _read_layer(root / "countries.geojson", problems, layer="countries")
    places = _read_places(root / "places.yaml", problems)
    event_ids: set[str] = set()  # every id written, so that one broken event does not cascade
    polities, events, baseline, note = _read_events(
        root / "events.yaml", problems,
        sorted(unit_ids), sorted(zone_ids), [p.id for p in places], event_ids,
    )
    for p in places:
        for r in p.roles:
            if r.event and r.event not in event_ids:
                problems.append(Problem(str(root / "places.yaml"), f"place {p.id!r}", "roles.event", f"unknown event {r.event!r}{_suggest(r.event, event_ids)}"))
    if problems:
        raise GeodataError(problems)
    return Atlas(units=tuple(units), zones=tuple(zones), places=places, events=events,
                 polities=polities, baseline=baseline, baseline_note=note, countries=tuple(countries),
                 folder=str(root))


def _display(path: Path) -> Path:
    """Return ``path`` relative to the working folder when it lies below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
