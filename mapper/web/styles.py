"""How the page draws holders, zones and edges: the colours of :mod:`mapper.style` as the payload's
:class:`~mapper.web.payload.StyleRecord`, and the SVG hatch patterns the zones are filled with."""
from __future__ import annotations

from dataclasses import dataclass

from mapper import style
from mapper.web.payload import StyleRecord, ZoneStyleRecord
from mapper.words import Words

__all__ = ["HOLDER_COLOURS", "holder_fills", "ZONE_STYLES", "ZoneStyle", "css_variables", "hatch_patterns", "pattern_id", "style_record"]

# Every colour, dash and hatch is read from mapper.style, the one palette of web and print; every label
# from mapper.words.
HOLDER_COLOURS = {h: s.fill for h, s in style.HOLDERS.items()}
FILL_OPACITY = style.FILL_OPACITY
UNIT_EDGE = style.UNIT_EDGE.colour
CHANGED_EDGE = style.CHANGED.line.colour
LAND = style.LAND
LAND_EDGE = style.LAND_EDGE
SEA = style.SEA
PLACE = style.UI["ink"]
#: A claim's hatch and dashed outline: the claimant's edge colour, to show on any holder's fill.
CLAIM_COLOURS = {h: s.edge for h, s in style.HOLDERS.items()}
CLAIM_DASH = style.CLAIM.line.dasharray


@dataclass(frozen=True)
class ZoneStyle:
    """How a kind of zone is drawn on the page: outline colour and dashes, and an SVG hatch pattern."""

    color: str
    dash: str
    hatch: str  # "/" (one line, rotated by angle) "x" (two crossing lines) "." (dots)
    angle: int = 45


def _svg_hatch(hatch: style.Hatch) -> tuple[str, int]:
    """Return the page pattern for a palette hatch: a vertical line (or cross) turned clockwise by ``angle``.

    The palette measures angles anticlockwise from horizontal, so a line at ``a`` is the vertical turned by ``90 - a``.
    """
    if hatch.dots or not hatch.angles:
        return ".", 0
    return ("x" if len(hatch.angles) > 1 else "/"), (90 - hatch.angles[0]) % 180


ZONE_STYLES = {k: ZoneStyle(z.colour, z.line.dasharray, *_svg_hatch(z.hatch)) for k, z in style.ZONES.items()}


def css_variables() -> str:
    """Return the ``:root`` rule of CSS custom properties the stylesheet reads (``--ink``, ``--holder-russia`` ...)."""
    return style.css_variables()


def pattern_id(kind: str) -> str:
    """Return the id of the SVG pattern that hatches zones of ``kind``."""
    return "hatch-" + kind.replace("_", "-")


def style_record(words: Words) -> StyleRecord:
    """Return the colours the engine draws with, and their legend labels in ``words``' language."""
    return StyleRecord(
        holders=dict(HOLDER_COLOURS), holder_fills=holder_fills(),
        holder_labels={h: words.holder_label(h) for h in HOLDER_COLOURS}, fill_opacity=FILL_OPACITY,
        unit_edge=UNIT_EDGE, changed=CHANGED_EDGE, land=LAND, land_edge=LAND_EDGE, sea=SEA, place=PLACE,
        zones={k: ZoneStyleRecord(words.zone_label(k), s.color, s.dash, pattern_id(k)) for k, s in ZONE_STYLES.items()},
        claims={h: ZoneStyleRecord(words.claim_label(h), c, CLAIM_DASH, claim_pattern_id(h))
                for h, c in CLAIM_COLOURS.items()})


@dataclass(frozen=True)
class Pattern:
    """An SVG hatch pattern for the page's ``<defs>`` (drawn by ``templates/patterns.svg.j2``).

    ``background``: an opaque fill under the hatch (a holder's fill), else a faint wash of ``color``.
    """

    id: str
    color: str
    hatch: str
    angle: int
    size: int = 9
    background: str | None = None


#: Holders hatched on the web as in print, so that they never rely on colour alone (Russia: one diagonal).
WEB_HATCHED = ("russia",)


def holder_pattern_id(holder: str) -> str:
    """Return the id of the SVG pattern that fills the units of a hatched holder."""
    return "holder-" + holder


def holder_fills() -> dict[str, str]:
    """Return each holder's fill on the page: its colour, or its hatch pattern (``url(#holder-russia)``)."""
    return {h: f"url(#{holder_pattern_id(h)})" if h in WEB_HATCHED else c for h, c in HOLDER_COLOURS.items()}


def claim_pattern_id(holder: str) -> str:
    """Return the id of the SVG pattern that hatches a unit claimed by ``holder``."""
    return "claim-" + holder


def hatch_patterns() -> list[Pattern]:
    """Return the hatch pattern of every zone kind and of each claimant's claims (in the claimant's colour)."""
    zones = [Pattern(pattern_id(k), s.color, s.hatch, s.angle) for k, s in ZONE_STYLES.items()]
    claims = [Pattern(claim_pattern_id(h), CLAIM_COLOURS[h], "/", 135) for h in HOLDER_COLOURS]
    holders = [Pattern(holder_pattern_id(h), style.HOLDERS[h].edge, *_svg_hatch(style.HOLDERS[h].hatch or style.Hatch((45,))),
                       size=8, background=HOLDER_COLOURS[h]) for h in WEB_HATCHED]
    return zones + claims + holders
