"""Reading events.yaml: the polities' names by period, the baseline holders and the events with their effects.

Each effect is exactly one of ``transfer`` (with its ``kind``), ``claim``, ``recognize``,
``renounce``, ``begin`` or ``end``; what an effect means for the history as a whole (is ``from``
the holder then? does the claim exist?) is checked by the replay, see :mod:`mapper.validate`.
"""
from __future__ import annotations

from pathlib import Path

from mapper.dates import HistDate, format_hijri, hijri_tabular, julian_to_gregorian, lunar_offset, parse_date, parse_hijri
from mapper import limits
from mapper.errors import Problem
from mapper.geodata.fields import CERTAINTIES, Record, date_field, read_yaml, sources_field, suggest
from mapper.model import (
    CLAIM_ACTIONS,
    HOLDERS,
    TRANSFER_KINDS,
    BaselineHolder,
    ClaimEffect,
    Event,
    Polity,
    Transfer,
    ZoneEffect,
)

__all__ = ["EVENT_KINDS", "DATE_CERTAINTIES", "EFFECT_KEYS", "read_events"]

EVENT_KINDS = ("treaty", "war", "episode", "raid", "embassy", "withdrawal", "dissolution")
DATE_CERTAINTIES = ("exact", "approximate", "disputed")


def read_events(path: Path, problems: list[Problem], unit_ids, zone_ids, place_ids, declared: set[str]):
    doc = read_yaml(path, problems)
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
    events: list[Event] = []
    seen: dict[str, int] = {}
    last: Event | None = None
    for n, item in enumerate(raw, 1):
        eid = item.get("id") if isinstance(item, dict) else None
        if isinstance(eid, str):
            declared.add(eid)
        rec = Record(file, f"event {limits.shorten(eid)}" if isinstance(eid, str) else f"event {n}", item, problems)
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


def _read_event(rec: Record, unit_ids, zone_ids, place_ids) -> Event | None:
    d = rec.data
    ident = rec.ident()
    title = rec.text("title")
    summary = rec.text("summary")
    kind = rec.choice("kind", EVENT_KINDS, required=True)
    date = date_field(rec, "date", required=True)
    date_os = date_field(rec, "date_os", required=False)
    if date_os is not None and date_os.precision != "day":
        rec.problem("date_os", "an Old Style date must give the day")
        date_os = None
    if date_os is not None and date is not None:
        try:
            want = julian_to_gregorian(date_os.date.year, date_os.date.month, date_os.date.day)
        except (ValueError, OverflowError):  # beyond the Gregorian dates Python knows (years 1..9999)
            want = None
            rec.problem("date_os", f"Old Style {date_os.iso} has no New Style date between 0001 and 9999")
        if want is not None and date.precision == "day" and want != date.date:
            rec.problem("date_os", f"Old Style {date_os.iso} is {want.isoformat()} New Style, not {date.iso}")
    date_ah = _hijri(rec, date)
    place = d.get("place")
    if place is not None and place not in place_ids:
        rec.problem("place", f"unknown place {place!r}{suggest(place, place_ids)}")
        place = None
    parties = rec.texts("parties")
    sources = sources_field(rec)
    effects = _read_effects(rec, unit_ids, zone_ids, date)
    certainty = rec.choice("date_certainty", DATE_CERTAINTIES, "exact") or "exact"
    note = rec.text("date_note", required=False)
    if ident is None or title is None or summary is None or kind is None or date is None or effects is None:
        return None
    return Event(
        id=ident, title=title, kind=kind, date=date, summary=summary,
        date_os=date_os.date if date_os else None, date_ah=date_ah, date_certainty=certainty, date_note=note,
        place=place, parties=parties, sources=sources, effects=effects,
    )


def _hijri(rec: Record, date: HistDate | None) -> tuple[int, int, int] | None:
    """Read ``date_ah``, the Hijri lunar date the document bears; it must be within a day of ``date``.

    The arithmetic calendar (convertdate) and the observed one can differ by a day, no more.
    """
    raw = rec.data.get("date_ah")
    if raw is None:
        return None
    try:
        ah = parse_hijri(raw)
    except ValueError as e:
        rec.problem("date_ah", str(e))
        return None
    if date is None:
        return None
    if date.precision != "day":
        rec.problem("date_ah", "a Hijri date needs the event's date to the day")
        return None
    try:
        off = lunar_offset(date.date, ah)
    except (ValueError, OverflowError):
        off = None
    if off is None or abs(off) > 1:
        rec.problem("date_ah", f"Hijri {raw} is not {date.iso}: that day is {format_hijri(hijri_tabular(date.date))} "
                               "in the arithmetic calendar (the document's date may differ from it by one day, no more)")
        return None
    return ah


EFFECT_KEYS = ("transfer", *CLAIM_ACTIONS, "begin", "end")


def _read_effects(rec: Record, unit_ids, zone_ids, date: HistDate | None):
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
            rec.problem(f"{field}.{key}", f"unknown {what} {i!r}{suggest(i, known)}")
        if bad:
            ok = False
            continue
        sub = Record(rec.file, rec.label, eff, rec.problems)
        sub.where, sub.prefix = rec.where, f"{field}."
        effect: Transfer | ClaimEffect | ZoneEffect | None
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


def _certainty_and_note(sub: Record) -> tuple[str | None, str | None, bool]:
    certainty = sub.choice("certainty", CERTAINTIES, "high")
    note = sub.text("note", required=False)
    if certainty in ("medium", "low") and not note:
        sub.problem("note", f"required when certainty is {certainty}: say why")
        return certainty, note, False
    return certainty, note, certainty is not None


def _transfer(sub: Record, ids: tuple[str, ...]) -> Transfer | None:
    kind = sub.choice("kind", TRANSFER_KINDS, required=True)
    src = sub.choice("from", HOLDERS, required=True)
    dst = sub.choice("to", HOLDERS, required=True)
    to_name = sub.text("to_name", required=False)
    ok = True
    if dst == "other" and not to_name:
        sub.problem("to_name", "required when 'to' is other: name the polity")
    if src and dst and src == dst and src != "other":  # (other to other: from one third state to another, named)
        sub.problem("to", f"'from' and 'to' are both {src!r}")
        ok = False
    if kind == "independence" and dst not in (None, "other"):
        sub.problem("to", f"an independence goes to 'other' (the new state), not {dst!r}")
        ok = False
    certainty, note, sure = _certainty_and_note(sub)
    if kind is None or src is None or dst is None or certainty is None or not (ok and sure):
        return None
    return Transfer(ids, src, dst, to_name, certainty, note, kind)


def _claim_effect(sub: Record, key: str, ids: tuple[str, ...]) -> ClaimEffect | None:
    by = sub.choice("by", HOLDERS, required=True)
    certainty, note, sure = _certainty_and_note(sub)
    if by is None or certainty is None or not sure:
        return None
    return ClaimEffect(key, ids, by, certainty, note)


def _zone_effect(sub: Record, key: str, ids: tuple[str, ...], date: HistDate | None) -> ZoneEffect | None:
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
            rec = Record(file, f"polities.{holder}[{n}]", p, problems)
            name = rec.text("name")
            start = date_field(rec, "from", required=False)
            until = date_field(rec, "until", required=False)
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
        rec = Record(file, f"baseline.holders.{uid}", spec, problems)
        if uid not in unit_ids:
            rec.problem(None, f"unknown unit {uid!r}{suggest(uid, unit_ids)}")
            continue
        holder = rec.choice("holder", HOLDERS, required=True)
        name = rec.text("name", required=False)
        if holder == "other" and not name:
            rec.problem("name", "required when the holder is other")
        claimed_by = rec.texts("claimed_by")
        for c in claimed_by:
            if c not in HOLDERS:
                rec.problem("claimed_by", f"{c!r} is not one of {', '.join(HOLDERS)}{suggest(c, HOLDERS)}")
            elif c == holder:
                rec.problem("claimed_by", f"{c!r} holds {uid!r}; a holder does not claim what it holds")
        if holder:
            out[uid] = BaselineHolder(holder, name, tuple(sorted(set(claimed_by) & set(HOLDERS) - {holder})))
    for uid in sorted(set(unit_ids) - set(out)):
        if uid not in raw["holders"]:
            problems.append(Problem(file, "baseline.holders", uid, f"missing: unit {uid!r} needs a baseline holder"))
    note = raw.get("note")
    return out, " ".join(note.split()) if isinstance(note, str) else ""
