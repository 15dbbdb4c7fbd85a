"""How the print figures draw each kind of thing: holders, claims, zones, changed units, places, land, sea.

Colours, dashes and hatch directions come from :mod:`mapper.style` (one palette for web and print);
this module turns them into matplotlib terms and adds what only print needs: every holder but Persia
also carries a hatch, so that greyscale print keeps them apart; place markers; the halo of the text.
"""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib.patheffects import withStroke

from mapper import style

__all__ = ["Style", "HOLDER_STYLES", "ZONE_STYLES", "CLAIM_STYLES", "CLAIM_HATCH_WIDTH", "CHANGED_STYLE", "RECOGNISED_STYLE", "SEA",
           "LAND", "LAND_EDGE", "INK", "MUTED", "HALO", "MARKERS"]

SEA = style.SEA
LAND = style.LAND
LAND_EDGE = style.LAND_EDGE
INK = style.UI["ink"]
MUTED = style.UI["muted"]
HALO = [withStroke(linewidth=2.4, foreground="white")]


@dataclass(frozen=True)
class Style:
    """How a holder, claim or zone kind is drawn: fill (``None``: none), edge, hatch and line style."""

    face: str | None
    edge: str
    hatch: str | None = None
    linestyle: str | tuple = "-"
    linewidth: float = 0.5


def _hatch(h: style.Hatch | None) -> str | None:
    return None if h is None else h.mpl(2 if h.dots or len(h.angles) > 1 else 3)


#: Holders, light to dark: Persia plain sand, other holders grey-green dotted, Russia red-brown hatched.
HOLDER_STYLES = {h: Style(s.fill, s.edge, _hatch(s.hatch)) for h, s in style.HOLDERS.items()}

#: A claim: a dashed outline in the claimant's edge colour and a hatch in its fill colour (light lines that
#: stand out on the darker fills of the holders a claim lies on), over the holder's fill.
CLAIM_STYLES = {h: Style(s.fill, s.edge, _hatch(style.CLAIM.hatch), style.CLAIM.line.mpl_linestyle,
                         style.CLAIM.line.width) for h, s in style.HOLDERS.items()}
CLAIM_HATCH_WIDTH = 1.6

#: Zones are overlays (outline and hatch), not sovereignty.
ZONE_STYLES = {k: Style(None, z.colour, _hatch(z.hatch), z.line.mpl_linestyle, z.line.width)
               for k, z in style.ZONES.items()}

#: Units that changed hands at the step shown: hatch and a thick outline.
CHANGED_STYLE = Style(None, style.CHANGED.colour, _hatch(style.CHANGED.hatch), "-", style.CHANGED.line.width)
#: Units whose claim changed at the step (claimed, conquest recognised, claim renounced): a dashed outline only.
RECOGNISED_STYLE = Style(None, style.CHANGED.colour, None, (0, (4, 2)), style.CHANGED.line.width)

#: Place symbols by kind, most prominent first.
MARKERS = {"signing": dict(marker="*", ms=13, mfc=style.SIGNING, mec="white", mew=0.8),
           "capital": dict(marker="s", ms=6.5, mfc=INK, mec="white", mew=0.8),
           "city": dict(marker="o", ms=4, mfc=INK, mec="white", mew=0.6)}
