"""The words of the print figures, through the atlas's one catalogue (:class:`mapper.words.Words`).

Change captions, loss captions, holder names and dates come from :mod:`mapper.words`, exactly as the
web page and the CSV word them; this module adds the few sentences only print shows (panel headings,
axis titles, the credits line) as catalogue messages, and groups a step's changes for the map and panel.
"""
from __future__ import annotations

from mapper.model import Atlas, Event
from mapper.timeline import Change, Step
from mapper.words import TRANSFER_KINDS, Words

__all__ = ["RECOGNITIONS", "change_groups", "counted_note", "date_line", "holder_labels", "is_transfer", "year"]

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


def year(ev: Event) -> str:
    """Return the event's year as text."""
    return str(ev.date.date.year)


def holder_labels(w: Words, atlas: Atlas, st: Step) -> dict[str, str]:
    """Return the legend label of each holder, naming its polities as on the step's date."""
    names: dict[str, list[str]] = {}
    for t in st.state.holders.values():
        names.setdefault(t.holder, []).append(t.holder_name)
    return {h: w.holder_legend(h, names.get(h, ())) for h in ("persia", "russia", "other")}


def date_line(w: Words, ev: Event) -> str:
    """Return the event's date line, flagged when the date is disputed or approximate."""
    note = w.certainty_note(ev)
    return w.date_line(ev) + (f"  ·  {note}" if note else "")
