"""Reading ``translations/<lang>.yaml``: the data's own texts (titles, summaries, names) in Persian and Russian.

One file per language beside ``events.yaml``, keyed by record kind and id::

    events:
      gulistan-1813: {title: …, summary: …, date_note: …, parties: [...], effect_notes: {2: …}}
    units:  {id: {name: …}}          # only where units.geojson has no name_<lang>
    zones:  {id: {name: …}}          # likewise zones.geojson
    places: {id: {name: …, note: …, roles: [{of: …, note: …}, …]}}  # likewise places.yaml; roles in order
    polities: {Qajar Iran: …}        # holder names by period (events.yaml polities), by English name
    holders:  {Turkmen tribes: …}    # other holders' names (baseline, to_name, occupiers), by English name
    baseline: {note: …}

A missing file or text is allowed (the English shows instead; :func:`mapper.validate.missing_translations`
lists what is missing). A key naming no record or an unknown field is a problem naming the file,
key and field. A name the layer itself gives (``name_fa`` in units.geojson) wins over the
translations file; :func:`mapper.validate.translation_overlaps` lists such doubles as warnings.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from mapper import limits
from mapper.errors import Problem
from mapper.geodata.fields import Record, read_yaml, suggest
from mapper.model import OCCUPATION_KINDS, BaselineHolder, ClaimEffect, Event, Place, Polity, Region, Transfer, Translations

__all__ = ["TRANSLATED_LANGUAGES", "SECTIONS", "FIELDS", "read_translations", "holder_names"]

#: The languages with a translations file (English is the data itself).
TRANSLATED_LANGUAGES = ("fa", "ru")
#: Sections of a translations file and, for records kept by id, the fields each may translate.
FIELDS: dict[str, tuple[str, ...]] = {
    "events": ("title", "summary", "date_note", "parties", "effect_notes"),
    "units": ("name",),
    "zones": ("name",),
    "places": ("name", "note", "roles"),
}
#: A role's ``of`` that is a holder id is named by the message catalogue, not translated per place.
ROLE_HOLDERS = ("iran", "persia", "russia")
SECTIONS = (*FIELDS, "polities", "holders", "baseline")

Key = tuple[str, str, str]


def holder_names(polities: Iterable[Polity], baseline: dict[str, BaselineHolder], events: Iterable[Event]) -> dict[str, set[str]]:
    """Return the English holder names the data use: ``polities`` (by period) and ``holders`` (everyone else)."""
    others = {b.name for b in baseline.values() if b.name}
    others |= {t.to_name for e in events for t in e.transfers if t.to_name}
    others |= {name for _, name in OCCUPATION_KINDS.values() if name}
    return {"polities": {p.name for p in polities}, "holders": others}


def read_translations(folder: Path, problems: list[Problem], *, units: Sequence[Region], zones: Sequence[Region],
                      places: Sequence[Place], events: Sequence[Event], polities: Sequence[Polity],
                      baseline: dict[str, BaselineHolder]) -> Translations:
    """Read every ``folder/<lang>.yaml`` there is; report each unusable key or field in ``problems``."""
    records: dict[str, dict[str, object]] = {
        "events": {e.id: e for e in events}, "units": {u.id: u for u in units},
        "zones": {z.id: z for z in zones}, "places": {p.id: p for p in places},
    }
    names = holder_names(polities, baseline, events)
    texts: dict[str, dict[Key, str]] = {}
    for lang in TRANSLATED_LANGUAGES:
        path = folder / f"{lang}.yaml"
        if not path.is_file():
            continue
        doc = read_yaml(path, problems)
        file = str(path)
        if doc is None:
            continue
        if not isinstance(doc, dict):
            problems.append(Problem(file, None, None, f"must be a mapping with sections {', '.join(SECTIONS)}"))
            continue
        out: dict[Key, str] = {}
        for section, body in doc.items():
            if section not in SECTIONS:
                problems.append(Problem(file, str(section), None, f"unknown section{suggest(section, SECTIONS)} (one of {', '.join(SECTIONS)})"))
                continue
            if body is None:
                continue
            if not isinstance(body, dict):
                problems.append(Problem(file, section, None, "must be a mapping"))
                continue
            if section in ("polities", "holders"):
                _names(file, section, body, names[section], out, problems)
            elif section == "baseline":
                rec = Record(file, "baseline", body, problems)
                _unknown_fields(rec, ("note",))
                if (note := rec.text("note", required=False)) is not None:
                    out[("baseline", "", "note")] = note
            else:
                for ident, entry in body.items():
                    rec = Record(file, f"{section}.{limits.shorten(ident)}", entry, problems)
                    record = records[section].get(ident) if isinstance(ident, str) else None
                    if record is None:
                        rec.problem(None, f"unknown {section[:-1]} {limits.shorten(ident)}{suggest(ident, records[section])}")
                        continue
                    _unknown_fields(rec, FIELDS[section])
                    for fld in FIELDS[section]:
                        if fld == "parties":
                            _parties(rec, record, section, ident, out)
                        elif fld == "effect_notes":
                            _effect_notes(rec, record, ident, out)
                        elif fld == "roles":
                            _roles(rec, record, ident, out)
                        elif (text := rec.text(fld, required=False)) is not None:
                            out[(section, ident, fld)] = text
        texts[lang] = out
    return Translations(texts)


def _unknown_fields(rec: Record, allowed: tuple[str, ...]) -> None:
    for key in rec.data:
        if key not in allowed:
            rec.problem(str(key), f"unknown field{suggest(key, allowed)} (one of {', '.join(allowed)})")


def _names(file: str, section: str, body: dict, known: set[str], out: dict[Key, str], problems: list[Problem]) -> None:
    where = "events.yaml polities" if section == "polities" else "baseline names, effects' to_name and occupiers"
    for name, text in body.items():
        if name not in known:
            problems.append(Problem(file, f"{section}.{limits.shorten(name)}", None,
                                    f"unknown name{suggest(name, known)} (the names are those of {where})"))
            continue
        rec = Record(file, section, {name: text}, problems)
        if (value := rec.text(name, required=False)) is not None:
            out[(section, name, "name")] = value


def _parties(rec: Record, event: object, section: str, ident: str, out: dict[Key, str]) -> None:
    if "parties" not in rec.data:
        return
    values = rec.texts("parties")
    english = getattr(event, "parties", ())
    if values and len(values) != len(english):
        rec.problem("parties", f"gives {len(values)} parties; events.yaml gives {len(english)} (translate each, in order)")
        return
    for n, text in enumerate(values, 1):
        out[(section, ident, f"parties[{n}]")] = text


def _effect_notes(rec: Record, event: object, ident: str, out: dict[Key, str]) -> None:
    raw = rec.data.get("effect_notes")
    if raw is None:
        return
    if not isinstance(raw, dict):
        rec.problem("effect_notes", "must map an effect's number (1 for the first) to its note")
        return
    effects = getattr(event, "effects", ())
    for n, text in raw.items():
        fld = f"effect_notes.{n}"
        ok = isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= len(effects)
        eff = effects[n - 1] if ok else None
        if not isinstance(eff, (Transfer, ClaimEffect)) or not eff.note:
            rec.problem(fld, f"event {ident!r} has no effect {n!r} with a note (effects[{n}].note)")
            continue
        sub = Record(rec.file, rec.label, {fld: text}, rec.problems)
        sub.where = rec.where
        if (value := sub.text(fld, required=False)) is not None:
            out[("events", ident, f"effects[{n}].note")] = value


def _roles(rec: Record, place: object, ident: str, out: dict[Key, str]) -> None:
    raw = rec.data.get("roles")
    if raw is None:
        return
    roles = getattr(place, "roles", ())
    if not isinstance(raw, list) or len(raw) != len(roles):
        rec.problem("roles", f"must list the place's {len(roles)} roles in order, as places.yaml does "
                             "({} for one with nothing to translate)")
        return
    for n, (entry, role) in enumerate(zip(raw, roles), 1):
        fld = f"roles[{n}]"
        if entry is None or entry == {}:
            continue
        if not isinstance(entry, dict):
            rec.problem(fld, "must be a mapping with 'of' and/or 'note'")
            continue
        sub = Record(rec.file, rec.label, entry, rec.problems)
        sub.where, sub.prefix = rec.where, f"{fld}."
        _unknown_fields(sub, ("of", "note"))
        for key in ("of", "note"):
            if key not in entry:
                continue
            english = getattr(role, key, None)
            if not english or (key == "of" and english in ROLE_HOLDERS):
                sub.problem(key, f"places.yaml gives this role no {key!r} to translate")
                continue
            if (text := sub.text(key, required=False)) is not None:
                out[("places", ident, f"{fld}.{key}")] = text
