"""How the page draws holders, zones and edges: the colours of :mod:`mapper.style` as the payload's
:class:`~mapper.web.payload.StyleRecord`, and the SVG hatch patterns the zones are filled with."""
from __future__ import annotations

from dataclasses import dataclass

from mapper.style import HOLDER_COLOURS, HOLDER_LABELS, ZONE_COLOURS, ZONE_LABELS
from mapper.web.payload import StyleRecord, ZoneStyleRecord

__all__ = ["HOLDER_COLOURS", "ZONE_STYLES", "ZoneStyle", "hatch_patterns", "pattern_id", "style_record"]

FILL_OPACITY = 0.78
UNIT_EDGE = "#ffffff"
CHANGED_EDGE = "#111111"
LAND = "#f4f2ec"
LAND_EDGE = "#aaa497"
SEA = "#c6dcea"
PLACE = "#2b2b2b"


@dataclass(frozen=True)
class ZoneStyle:
    """How a kind of zone is drawn: outline colour and dashes, and an SVG hatch pattern."""

    label: str
    color: str
    dash: str
    hatch: str  # "/" "|" "-" "x" "."
    angle: int = 45


_DASH_HATCH = {  # kind: (dashes, hatch, angle)
    "rus_raid": ("2 4", "/", 135),
    "russian_sphere": ("7 4", "/", 45),
    "neutral_zone": ("2 3", "-", 0),
    "british_sphere": ("7 4", "/", 135),
    "soviet_occupation": ("10 3 2 3", "x", 45),
    "british_occupation": ("10 3 2 3", "x", 45),
    "persian_socialist_soviet_republic": ("", "|", 0),
    "azerbaijan_peoples_government": ("", "|", 0),
    "republic_of_mahabad": ("", ".", 0),
}
#: Zone styles by kind: hatched overlays with dashed outlines, never a holder's fill.
ZONE_STYLES = {k: ZoneStyle(ZONE_LABELS[k], ZONE_COLOURS[k], *v) for k, v in _DASH_HATCH.items()}


def pattern_id(kind: str) -> str:
    """Return the id of the SVG pattern that hatches zones of ``kind``."""
    return "hatch-" + kind.replace("_", "-")


def style_record() -> StyleRecord:
    """Return the colours the engine draws with."""
    return StyleRecord(
        holders=dict(HOLDER_COLOURS), holder_labels=dict(HOLDER_LABELS), fill_opacity=FILL_OPACITY,
        unit_edge=UNIT_EDGE, changed=CHANGED_EDGE, land=LAND, land_edge=LAND_EDGE, sea=SEA, place=PLACE,
        zones={k: ZoneStyleRecord(s.label, s.color, s.dash, pattern_id(k)) for k, s in ZONE_STYLES.items()})


@dataclass(frozen=True)
class Pattern:
    """An SVG hatch pattern for the page's ``<defs>`` (drawn by ``templates/patterns.svg.j2``)."""

    id: str
    color: str
    hatch: str
    angle: int
    size: int = 9


def hatch_patterns() -> list[Pattern]:
    """Return the hatch pattern of every zone kind."""
    return [Pattern(pattern_id(k), s.color, s.hatch, s.angle) for k, s in ZONE_STYLES.items()]
