"""How the page draws holders, zones and edges: the colours of :mod:`mapper.style` as the payload's
:class:`~mapper.web.payload.StyleRecord`, and the SVG hatch patterns the zones are filled with."""
from __future__ import annotations

from dataclasses import dataclass

from mapper.style import HOLDER_COLOURS, HOLDER_LABELS, ZONE_COLOURS, ZONE_LABELS
from mapper.web.payload import StyleRecord, ZoneStyleRecord

__all__ = ["HOLDER_COLOURS", "ZONE_STYLES", "ZoneStyle", "css_variables", "hatch_patterns", "pattern_id", "style_record"]

FILL_OPACITY = 0.78
UNIT_EDGE = "#ffffff"
CHANGED_EDGE = "#111111"
LAND = "#f4f2ec"
LAND_EDGE = "#aaa497"
SEA = "#c6dcea"
PLACE = "#2b2b2b"
#: A claim's hatch and dashed outline: a darker shade of the claimant's fill, to show on any holder's fill.
CLAIM_COLOURS = {"persia": "#8a6420", "russia": "#6e1f16", "other": "#2f4a2c"}
CLAIM_DASH = "4 3"


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
    "russian_occupation": ("10 3 2 3", "x", 45),
    "ottoman_occupation": ("10 3 2 3", "x", 45),
}
# the history model's new kinds, until mapper.style names them
_NEW_KINDS = {"russian_occupation": ("Russian occupation zone", "#7a1f14"),
              "ottoman_occupation": ("Ottoman occupation zone", "#b35806")}
#: Zone styles by kind: hatched overlays with dashed outlines, never a holder's fill.
ZONE_STYLES = {k: ZoneStyle(ZONE_LABELS.get(k) or _NEW_KINDS[k][0], ZONE_COLOURS.get(k) or _NEW_KINDS[k][1], *v)
               for k, v in _DASH_HATCH.items()}


#: The page's text and frame colours, until mapper.style provides css_variables() (same names).
_UI = {"ink": "#1e1e1c", "muted": "#555555", "paper": "#fbfaf7", "rule": "#d9d5ca", "link": "#1d5fbf",
       "warning": "#8a4b00", "map": "#dedbd3"}
_TEXT = {"persia": "#0d5f58", "russia": "#7d1230", "other": "#2f4a2c"}  # words in a holder's colour
_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif'


def css_variables() -> str:
    """Return the ``:root`` rule of CSS custom properties the stylesheet reads (``--ink``, ``--holder-russia`` ...).

    :func:`mapper.style.css_variables` when the palette module has it, else the same names from here.
    """
    from mapper import style

    if hasattr(style, "css_variables"):
        return style.css_variables()
    props = {}
    for h, colour in HOLDER_COLOURS.items():
        props.update({f"holder-{h}": colour, f"holder-{h}-text": _TEXT[h]})
    props.update({"land": LAND, "land-edge": LAND_EDGE, "sea": SEA, "unit-edge": UNIT_EDGE, "changed": CHANGED_EDGE})
    props.update(_UI)
    props["font-sans"] = _FONT
    return ":root {\n" + "".join(f"  --{k}: {v};\n" for k, v in props.items()) + "}\n"


def pattern_id(kind: str) -> str:
    """Return the id of the SVG pattern that hatches zones of ``kind``."""
    return "hatch-" + kind.replace("_", "-")


def style_record() -> StyleRecord:
    """Return the colours the engine draws with."""
    return StyleRecord(
        holders=dict(HOLDER_COLOURS), holder_labels=dict(HOLDER_LABELS), fill_opacity=FILL_OPACITY,
        unit_edge=UNIT_EDGE, changed=CHANGED_EDGE, land=LAND, land_edge=LAND_EDGE, sea=SEA, place=PLACE,
        zones={k: ZoneStyleRecord(s.label, s.color, s.dash, pattern_id(k)) for k, s in ZONE_STYLES.items()},
        claims={h: ZoneStyleRecord(f"Claimed by {HOLDER_LABELS[h]}", c, CLAIM_DASH, claim_pattern_id(h))
                for h, c in CLAIM_COLOURS.items()})


@dataclass(frozen=True)
class Pattern:
    """An SVG hatch pattern for the page's ``<defs>`` (drawn by ``templates/patterns.svg.j2``)."""

    id: str
    color: str
    hatch: str
    angle: int
    size: int = 9


def claim_pattern_id(holder: str) -> str:
    """Return the id of the SVG pattern that hatches a unit claimed by ``holder``."""
    return "claim-" + holder


def hatch_patterns() -> list[Pattern]:
    """Return the hatch pattern of every zone kind and of each claimant's claims (in the claimant's colour)."""
    zones = [Pattern(pattern_id(k), s.color, s.hatch, s.angle) for k, s in ZONE_STYLES.items()]
    return zones + [Pattern(claim_pattern_id(h), CLAIM_COLOURS[h], "/", 135) for h in HOLDER_COLOURS]
