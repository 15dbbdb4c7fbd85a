"""Check what needs the whole history: holders at each date, overlaps, gaps and partitions.

:func:`check_atlas` returns every problem found; :func:`mapper.load` raises them at once.
:func:`missing_translations` lists, per language, the data texts still shown in English (warnings).
"""
from __future__ import annotations

import shapely

from mapper.errors import Problem
from mapper.model import Atlas, Place, Region
from mapper.timeline import initial_state, replay, state_at, unit_area_km2

__all__ = ["check_atlas", "missing_translations", "translation_overlaps"]

#: Overlaps and gaps smaller than this (km²) are rounding, not mistakes.
SLIVER_KM2 = 0.5
PARTITIONS = {"anglo-russian-1907": ("russian_sphere", "neutral_zone", "british_sphere")}


def check_atlas(atlas: Atlas) -> list[Problem]:
    """Return every problem with the atlas as a whole (an empty list when it is sound)."""
    problems: list[Problem] = []
    problems += _overlaps(f"{atlas.folder}/units.geojson", "unit", [(u.id, u.geometry) for u in atlas.units])
    problems += _history(atlas)
    problems += _gaps(atlas)
    problems += _partitions(atlas)
    return problems


def _overlaps(file: str, what: str, items) -> list[Problem]:
    geoms = [g for _, g in items]
    tree = shapely.STRtree(geoms)
    out = []
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left, right):
        if i >= j:
            continue
        inter = shapely.intersection(geoms[i], geoms[j])
        km2 = unit_area_km2(inter) if not inter.is_empty else 0.0
        if km2 > SLIVER_KM2:
            c = inter.representative_point()
            out.append(Problem(file, f"{what} {items[i][0]!r}", "geometry",
                               f"overlaps {what} {items[j][0]!r} by {km2:,.1f} km² (near {c.x:.3f} E, {c.y:.3f} N)"))
    return out


def _history(atlas: Atlas) -> list[Problem]:
    """Report what the replay found contradictory: transfers, claims and zones against the state on their date."""
    events_file = f"{atlas.folder}/events.yaml"
    return [Problem(events_file, f"event {i.event!r}", i.field, i.message) for i in replay(atlas).issues]


def _holes(geom) -> list[shapely.Polygon]:
    return [shapely.Polygon(ring) for poly in shapely.get_parts(geom) for ring in poly.interiors]


def _gaps(atlas: Atlas) -> list[Problem]:
    """Land enclosed by units but covered by none: the holes in the union of all the units.

    Units never change shape, only holder, so one union serves every date; a gap is named by the
    units around it (Persia's territory when all of them are Persian at the baseline).
    """
    units_file = f"{atlas.folder}/units.geojson"
    start = initial_state(atlas)
    out = []
    for hole in _holes(shapely.union_all([u.geometry for u in atlas.units])):
        km2 = unit_area_km2(hole)
        if km2 <= SLIVER_KM2:
            continue
        pt = hole.representative_point()
        around = sorted(u.id for u in atlas.units if u.geometry.distance(hole) < 1e-9)
        where = ("inside Persia's territory" if around and all(start.holder(u) == "persia" for u in around)
                 else f"between units {', '.join(around)}")
        out.append(Problem(units_file, "baseline", "geometry",
                           f"a gap of {km2:,.1f} km² {where} near {pt.x:.3f} E, {pt.y:.3f} N is covered by no unit"))
    return out


def _partitions(atlas: Atlas) -> list[Problem]:
    """Zones that must partition Persia (the 1907 spheres) must cover it exactly, without overlap."""
    zones_file = f"{atlas.folder}/zones.geojson"
    out = []
    for name, kinds in PARTITIONS.items():
        zones = [z for z in atlas.zones if z.kind in kinds]
        if {z.kind for z in zones} != set(kinds):
            missing = sorted(set(kinds) - {z.kind for z in zones})
            out.append(Problem(zones_file, None, "kind", f"the {name} partition needs zones of kind {', '.join(missing)}"))
            continue
        out += _overlaps(zones_file, "zone", [(z.id, z.geometry) for z in zones])
        began = [e for e in atlas.events for eff in e.zone_effects if eff.action == "begin" and set(eff.zones) & {z.id for z in zones}]
        if not began:
            continue
        st = state_at(atlas, began[0].date.date)
        persia = shapely.union_all([u.geometry for u in atlas.units if st.holders[u.id].holder == "persia"])
        cover = shapely.union_all([z.geometry for z in zones])
        for label, diff in (("not covered by any", persia.difference(cover)), ("outside Persia but in a", cover.difference(persia))):
            km2 = unit_area_km2(diff) if not diff.is_empty else 0.0
            if km2 > SLIVER_KM2:
                pt = diff.representative_point()
                out.append(Problem(zones_file, ", ".join(z.id for z in zones), "geometry",
                                   f"{km2:,.1f} km² of Persia on {began[0].date.iso} is {label} {name} zone (near {pt.x:.3f} E, {pt.y:.3f} N): the zones must partition Persia"
                                   if label.startswith("not") else
                                   f"{km2:,.1f} km² {label} {name} zone (near {pt.x:.3f} E, {pt.y:.3f} N): the zones must partition Persia"))
    return out


def missing_translations(atlas: Atlas) -> dict[str, list[str]]:
    """Return, per translated language, the data texts that have no translation (shown in English).

    Not errors: the atlas falls back to English. Every event's title, summary, parties (and date
    note and effects' notes), every unit, zone and place name, every holder name and the baseline note are expected.

    >>> import mapper
    >>> sorted(missing_translations(mapper.load()))
    ['fa', 'ru']
    """
    from mapper.geodata.translations import TRANSLATED_LANGUAGES, holder_names

    names = holder_names(atlas.polities, atlas.baseline, atlas.events)
    out: dict[str, list[str]] = {}
    for lang in TRANSLATED_LANGUAGES:
        def has(kind: str, ident: str, fld: str) -> bool:
            return atlas.translations.text(lang, kind, ident, fld) is not None  # noqa: B023 - used at once

        gaps: list[str] = []
        for e in atlas.events:
            fields = ["title", "summary"] + (["date_note"] if e.date_note else [])
            gaps += [f"event {e.id!r}: {f}" for f in fields if not has("events", e.id, f)]
            if e.parties and not has("events", e.id, "parties[1]"):
                gaps.append(f"event {e.id!r}: parties")
            gaps += [f"event {e.id!r}: effect_notes.{n}" for n, eff in enumerate(e.effects, 1)
                     if getattr(eff, "note", None) and not has("events", e.id, f"effects[{n}].note")]
        for kind, records in (("units", atlas.units), ("zones", atlas.zones), ("places", atlas.places)):
            gaps += [f"{kind[:-1]} {r.id!r}: name" for r in records
                     if not getattr(r, f"name_{lang}", None) and not has(kind, r.id, "name")]
        for p in atlas.places:
            for n, role in enumerate(p.roles, 1):
                texts = [("of", role.of)] if role.of and role.of not in ("iran", "persia", "russia") else []
                texts += [("note", role.note)] if role.note else []
                gaps += [f"place {p.id!r}: roles[{n}].{k}" for k, _ in texts
                         if not has("places", p.id, f"roles[{n}].{k}")]
        for section in ("polities", "holders"):
            gaps += [f"{section[:-1] if section == 'holders' else 'polity'} {n!r}: name"
                     for n in sorted(names[section]) if not has(section, n, "name")]
        if atlas.baseline_note and not has("baseline", "", "note"):
            gaps.append("baseline: note")
        out[lang] = gaps
    return out


def translation_overlaps(atlas: Atlas) -> dict[str, list[str]]:
    """Return, per language, the names given both in a layer (``name_<lang>``) and in the translations file.

    The layer's name is used; the other is dead text that can drift, so ``mapper validate`` warns.
    """
    from mapper.geodata.translations import TRANSLATED_LANGUAGES

    layers: dict[str, tuple[str, tuple[Region | Place, ...]]] = {
        "units": ("units.geojson", atlas.units), "zones": ("zones.geojson", atlas.zones),
        "places": ("places.yaml", atlas.places)}
    out: dict[str, list[str]] = {}
    for lang in TRANSLATED_LANGUAGES:
        out[lang] = [f"{kind[:-1]} {r.id!r}: name (the name_{lang} of {file} is used)"
                     for kind, (file, records) in layers.items() for r in records
                     if getattr(r, f"name_{lang}", None) and atlas.translations.text(lang, kind, r.id, "name")]
    return out
