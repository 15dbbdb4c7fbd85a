"""Reading places.yaml: cities, capitals, missions and signing places, with their roles."""
from __future__ import annotations

from pathlib import Path

from mapper import limits
from mapper.errors import Problem
from mapper.geodata.fields import Record, read_yaml, sources_field
from mapper.geodata.layers import MAP_BOX, in_box
from mapper.model import Place, Role

__all__ = ["PLACE_BOUNDS", "ROLES", "read_places"]

#: Places (capitals such as Moscow and Saint Petersburg) may lie further afield than units and zones.
PLACE_BOUNDS = (20.0, 10.0, 80.0, 65.0)
ROLES = ("capital", "embassy", "consulate", "signing", "city")


def read_places(path: Path, problems: list[Problem]) -> tuple[Place, ...]:
    doc = read_yaml(path, problems)
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
        rec = Record(file, f"place {limits.shorten(pid)}" if isinstance(pid, str) else f"place {n}", item, problems)
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
        role_names = {r["role"] for r in raw_roles if isinstance(r, dict) and isinstance(r.get("role"), str)}
        # a plain city must lie on the map; capitals, embassies and signing places may lie beyond it
        box = MAP_BOX if role_names <= {"city"} else PLACE_BOUNDS
        if lat is not None and lon is not None and not in_box(lon, lat, box):
            swapped = in_box(lat, lon, box)
            rec.problem("lon", f"({lon}, {lat}) is outside the atlas's area (lon {box[0]:g}..{box[2]:g}, lat {box[1]:g}..{box[3]:g})"
                        + (" (are lat and lon swapped?)" if swapped else ""))
            lat = None
        roles: list[Role] = []
        for r in raw_roles:
            rr = Record(file, rec.label, r, problems)
            rr.where = rec.where
            role = rr.choice("role", ROLES, required=True)
            years: dict[str, int | None] = {}
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
        srcs = tuple(s.title for s in sources_field(rec))
        if ident is None or name is None or lat is None or lon is None:
            continue
        out.append(Place(ident, name, lon, lat, tuple(roles), srcs,
                         rec.text("name_fa", required=False), rec.text("name_ru", required=False),
                         rec.text("note", required=False)))
    return tuple(out)
