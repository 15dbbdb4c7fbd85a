"""What only print adds to the one palette (:mod:`mapper.style`): hatch density, place markers, label halos.

Colours, dashes and hatch directions are read from :data:`mapper.style.HOLDERS`, :data:`mapper.style.ZONES`,
:data:`mapper.style.CLAIM` and :data:`mapper.style.CHANGED` where they are drawn; this module only says
how dense a hatch is on paper and how place symbols and the halo behind labels look. Every holder but
Persia carries a hatch in print, so greyscale print keeps them apart.
"""
from __future__ import annotations

from typing import Any

from mapper import style

__all__ = ["HALO", "INK", "MUTED", "MARKERS", "hatch", "linestyle", "markers"]

INK = style.UI["ink"]
MUTED = style.UI["muted"]
#: The halo behind a label on the map: a box of paper colour (kept as real text in SVG, unlike a stroke).
HALO: dict[str, Any] = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.78}

#: Place symbols by kind, most prominent first (sizes in points at the body size of 8 pt).
MARKERS: dict[str, dict[str, Any]] = {
    "signing": {"marker": "*", "ms": 11.0, "mfc": style.SIGNING, "mec": "white", "mew": 0.6},
    "event": {"marker": "o", "ms": 9.0, "mfc": "none", "mec": style.SIGNING, "mew": 1.8},  # a ring, as on the web
    "capital": {"marker": "s", "ms": 5.0, "mfc": INK, "mec": "white", "mew": 0.6},
    "city": {"marker": "o", "ms": 3.6, "mfc": INK, "mec": "white", "mew": 0.5},
}


def hatch(h: style.Hatch | None, density: int = 3) -> str | None:
    """Return the matplotlib hatch of a palette hatch (None for none)."""
    return None if h is None else h.mpl(density)


def linestyle(line: style.LineStyle) -> Any:
    """Return a palette line's dashes as a matplotlib line style (``"-"`` or ``(0, dashes)``)."""
    return line.mpl_linestyle


def markers(kind: str, scale: float = 1.0) -> dict[str, Any]:
    """Return the marker style of a place ``kind``, its size scaled by ``scale``."""
    m = dict(MARKERS[kind])
    m["ms"] = m["ms"] * scale
    return m
