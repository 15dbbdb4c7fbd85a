"""The words of the print figures, through the atlas's one catalogue (:class:`mapper.words.Words`).

Change captions, loss captions, holder names and dates come from :mod:`mapper.words`, exactly as the
web page and the CSV word them; this module adds the few sentences only print shows (panel headings,
axis titles, the credits) as catalogue messages, and groups a step's changes for the map and panel.
Credits say where things come from in a reader's words, never a file name.
"""
from __future__ import annotations

from mapper.model import Atlas, Event
from mapper.timeline import Change, State, Step
from mapper.words import TRANSFER_KINDS, Words

__all__ = ["RECOGNITIONS", "change_groups", "change_lines", "counted_note", "credits", "date_line",
           "figure_title", "holder_labels", "holdings_note", "is_transfer", "loss_caption", "year", "zone_lines"]

#: Change kinds that end a claim without moving land: shown distinctly and never counted as a loss.
RECOGNITIONS = frozenset({"recognition", "renunciation"})


def is_transfer(c: Change) -> bool:
    """Return whether the change moved land from one holder to another (not a claim beginning or ending)."""
    return c.kind in TRANSFER_KINDS


def change_groups(w: Words, st: Step) -> dict[str, list[Change]]:
    """Return the changes of the units at ``st`` grouped by caption ("Ceded to Russian Empire" ...), in order."""
    return w.change_groups(st.changes)


def counted_note(w: Words, changes: list[Change]) -> str:
    """Return " (not counted)" for a group none of whose changes enters Persia's loss, else ""."""
    return "" if any(c.counted for c in changes) else " " + w.gettext("(not counted)")


def change_lines(w: Words, atlas: Atlas, st: Step) -> list[str]:
    """Return the panel's lines on what changed: each group with its area and units, then the step's loss."""
    groups = change_groups(w, st)
    if not groups:
        return []
    lines = []
    for label, changes in groups.items():
        lines.append(f"{label} ({w.km2(sum(c.km2 for c in changes))}){counted_note(w, changes)}: "
                     + w.series(w.gettext("{region}, {area}").format(region=w.region_name(atlas.unit(c.unit)),
                                                                      area=w.km2(c.km2)) for c in changes))
    lines.append(loss_caption(w, st) + ". " + w.gettext("Running total: {area}").format(area=w.km2(st.total_lost_km2)))
    return lines


def zone_lines(w: Words, atlas: Atlas, st: Step) -> list[str]:
    """Return the panel's lines on zones that began or ended at ``st``."""
    return ([w.gettext("Begins: {zone}").format(zone=w.region_name(atlas.zone(z))) for z in st.zones_begun]
            + [w.gettext("Ends: {zone}").format(zone=w.region_name(atlas.zone(z))) for z in st.zones_ended])


def year(ev: Event) -> str:
    """Return the event's year as text."""
    return str(ev.date.date.year)


def holder_labels(w: Words, atlas: Atlas, state: State) -> dict[str, str]:
    """Return the legend label of each holder, naming its polities as on the state's date."""
    names: dict[str, list[str]] = {}
    for t in state.holders.values():
        names.setdefault(t.holder, []).append(t.holder_name)
    return {h: w.holder_legend(h, names.get(h, ())) for h in ("persia", "russia", "other")}


def date_line(w: Words, ev: Event) -> str:
    """Return the event's date line, flagged when the date is disputed or approximate."""
    note = w.certainty_note(ev)
    return w.parts(w.date_line(ev), note) if note else w.date_line(ev)


def loss_caption(w: Words, st: Step) -> str:
    """Return what ``st`` did to Persia's territory (:meth:`mapper.words.Words.loss_caption`)."""
    return w.loss_caption(st)


def holdings_note(w: Words) -> str:
    """Return what an event's map shows."""
    return w.gettext("holdings after the event")


def figure_title(w: Words, ev: Event) -> str:
    """Return a figure's title for its file metadata: the event and its date."""
    return f"{ev.title}, {w.date_line(ev)}"


def credits(w: Words, kind: str) -> str:
    """Return the credits of a ``map`` or a ``chart``, in a reader's words."""
    if kind == "map":
        return w.gettext("Made with Natural Earth. Boundaries approximated from Natural Earth provinces; see the "
                         "atlas for each boundary's derivation. Events, dates and places from the sources the atlas "
                         "cites. Equal-area projection (Albers, standard parallels 28° and 44° N).")
    return w.gettext("Areas of the atlas's boundaries, approximated from Natural Earth provinces; see the atlas for "
                     "each boundary's derivation and for how Persia's losses are counted.")
