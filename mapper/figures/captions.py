"""The words of the print figures: change labels, loss captions, holder names, date lines, credits.

Every sentence a figure shows is made here, from the timeline's steps, so that the figures never
word the same fact two ways.
"""
from __future__ import annotations

from mapper.model import Atlas, Event
from mapper.timeline import Step

__all__ = ["ATTRIBUTION", "NOTHING_LOST", "change_groups", "change_label", "date_line", "holder_labels", "km2", "loss_caption",
           "year"]

ATTRIBUTION = (
    "Made with Natural Earth. Boundaries: approximations derived from Natural Earth admin-1 "
    "(see geodata/derivation.yaml); historical units follow modern provinces and districts. "
    "Events, dates and places: geodata/events.yaml and places.yaml, with their sources. "
    "Albers equal-area conic projection (standard parallels 28° and 44° N)."
)


def change_label(from_: str, to: str, to_name: str) -> str:
    """Return the label of a unit passing from ``from_`` to ``to`` (``to_name`` when it is another holder)."""
    if from_ == "persia" and to == "russia":
        return "Ceded to Russia"
    if from_ == "russia" and to == "persia":
        return "Returned to Persia"
    if to == "russia":
        return "To Russia"
    if to == "persia":
        return "To Persia"
    return f"To {to_name}"


def change_groups(st: Step) -> dict[str, list]:
    """Return the changes at ``st`` grouped by their label, in order."""
    groups: dict[str, list] = {}
    for c in st.changes:
        groups.setdefault(change_label(c.from_, c.to, c.to_name), []).append(c)
    return groups


def year(ev: Event) -> str:
    """Return the event's year as text."""
    return str(ev.date.date.year)


def km2(v: float) -> str:
    """Return an area as "27,194 km²" (no sign)."""
    return f"{abs(v):,.0f} km²"


def loss_caption(st: Step) -> str:
    """Return what the step meant for Persia's land (or Russia's, when Persia was not involved)."""
    if round(st.lost_km2) > 0:
        return f"Persia lost {km2(st.lost_km2)} to Russia"
    if round(st.lost_km2) < 0:
        return f"Persia regained {km2(st.lost_km2)} from Russia"
    total = km2(sum(c.km2 for c in st.changes))
    if all(c.to == "russia" for c in st.changes):
        return f"Russia gained {total} (not from Persia)"
    if all(c.from_ == "russia" for c in st.changes):
        return f"Russia lost {total} (not to Persia)"
    return f"{total} changed hands"


def _polity(atlas: Atlas, holder: str, st: Step) -> str:
    return atlas.polity_name(holder, st.state.date) or holder.capitalize()


def holder_labels(atlas: Atlas, st: Step) -> dict[str, str]:
    """Return the legend label of each holder, named as on the step's date."""
    others = list(dict.fromkeys(t.holder_name for t in st.state.holders.values() if t.holder == "other"))
    return {
        "persia": f"Persia / Iran ({_polity(atlas, 'persia', st)})",
        "russia": f"Russia ({_polity(atlas, 'russia', st)})",
        "other": "Other holders: " + "; ".join(others),
    }


def date_line(ev: Event) -> str:
    """Return the event's date as written in the sources, flagged when disputed or approximate."""
    text = ev.date_label
    if ev.date_certainty == "disputed":
        text += "  ·  date disputed (see the event's date note)"
    elif ev.date_certainty == "approximate":
        text += "  ·  approximate date"
    return text



NOTHING_LOST = "No land passed between Persia and Russia in this history."
