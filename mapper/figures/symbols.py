"""How the print figures draw each kind of thing: holders, zones, changed units, places, land and sea.

Colours come from :mod:`mapper.style` (one palette for web and print); this module adds what only
print needs: hatches (so that greyscale print keeps every holder apart), line styles and widths,
place markers and the ink and halo of the text.
"""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib.patheffects import withStroke

from mapper.style import HOLDER_COLOURS, HOLDER_LABELS, ZONE_COLOURS, ZONE_LABELS

__all__ = ["Style", "HOLDER_STYLES", "ZONE_STYLES", "SEA", "LAND", "LAND_EDGE", "INK", "HALO", "CHANGED_EDGE",
           "CHANGED_HATCH", "MARKERS", "PLACE_KINDS"]

SEA = "#cfe3f1"
LAND = "#f7f6f2"
LAND_EDGE = "#a7a49c"
INK = "#1a1a1a"
HALO = [withStroke(linewidth=2.4, foreground="white")]


@dataclass(frozen=True)
class Style:
    """How a holder or zone kind is drawn: fill (``None``: none), edge, hatch and line style."""

    label: str
    face: str | None
    edge: str
    hatch: str | None = None
    linestyle: str | tuple = "-"
    linewidth: float = 0.5


#: Holders, light to dark: Persia plain sand, other holders grey-green dotted, Russia red-brown hatched.
HOLDER_STYLES = {
    "persia": Style(HOLDER_LABELS["persia"], HOLDER_COLOURS["persia"], "#6e5a33"),
    "other": Style(HOLDER_LABELS["other"], HOLDER_COLOURS["other"], "#27331f", ".."),
    "russia": Style(HOLDER_LABELS["russia"], HOLDER_COLOURS["russia"], "#3f140e", "///"),
}

#: Zones are overlays (outline and hatch), not sovereignty.
_ZONE_LINES = {  # kind: (hatch, line style, line width)
    "rus_raid": ("--", (0, (5, 2)), 1.2),
    "russian_sphere": ("\\\\\\", (0, (5, 2)), 1.4),
    "neutral_zone": ("..", (0, (1, 1.5)), 1.4),
    "british_sphere": ("|||", (0, (5, 2)), 1.4),
    "soviet_occupation": ("\\\\\\", (0, (6, 2, 1, 2)), 1.4),
    "british_occupation": ("|||", (0, (6, 2, 1, 2)), 1.4),
    "persian_socialist_soviet_republic": ("xx", "-", 1.6),
    "azerbaijan_peoples_government": ("++", "-", 1.6),
    "republic_of_mahabad": ("oo", "-", 1.6),
}
ZONE_STYLES = {k: Style(ZONE_LABELS[k], None, ZONE_COLOURS[k], *v) for k, v in _ZONE_LINES.items()}

CHANGED_EDGE = "#000000"
CHANGED_HATCH = "\\\\"

#: Place symbols by kind, most prominent first.
MARKERS = {"signing": dict(marker="*", ms=13, mfc="#c21f1f", mec="white", mew=0.8),
           "capital": dict(marker="s", ms=6.5, mfc=INK, mec="white", mew=0.8),
           "city": dict(marker="o", ms=4, mfc=INK, mec="white", mew=0.6)}
PLACE_KINDS = {"signing": "Place of signing", "capital": "Capital at the time", "city": "City"}
