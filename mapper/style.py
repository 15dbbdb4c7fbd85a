"""One palette and symbol set for every output: the web atlas, the embeddable maps and the print figures.

A report that puts a print figure beside an embedded map shows the same colours and symbols in
both; the page's stylesheet reads them as CSS custom properties (:func:`css_variables`). Holders
differ in lightness as well as hue (sand, grey-green, red-brown), so they stay apart in greyscale
print and for readers with red-green colour blindness (the tests simulate deuteranopia and measure
the distances); print adds the holders' hatches on top. Zones are overlays, never a holder's fill:
an outline with dashes and a hatch, in the colour of the power behind them (Russian and Soviet dark
red, British navy, Ottoman orange), the hatch telling spheres (one diagonal) from occupations (crossed
lines) and republics (vertical lines, dots). A claim is a hatch and a dashed outline in the
claimant's edge colour over the holder's fill.

Changing Russia's colour, say, is one edit here: :data:`HOLDERS` ``["russia"]``.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CHANGED",
    "CLAIM",
    "FILL_OPACITY",
    "FONTS",
    "HOLDERS",
    "LAND",
    "SEA",
    "UI",
    "ZONES",
    "Hatch",
    "HolderStyle",
    "LineStyle",
    "ZoneStyle",
    "css_variables",
    "svg_pattern",
]

_MPL_LINES = {(0,): "-", (45,): "/", (90,): "|", (135,): "\\", (45, 135): "x", (0, 90): "+"}


@dataclass(frozen=True)
class Hatch:
    """A fill pattern: parallel lines at ``angles`` (degrees anticlockwise from horizontal) or dots.

    The same hatch is an SVG pattern on the web (:func:`svg_pattern`) and a matplotlib hatch in
    print (:meth:`mpl`).
    """

    angles: tuple[int, ...] = ()
    dots: bool = False

    def mpl(self, density: int = 2) -> str:
        """Return the matplotlib hatch string, its symbol repeated ``density`` times: ``Hatch((45,)).mpl()`` -> ``//``."""
        return ("." if self.dots else _MPL_LINES[self.angles]) * density


@dataclass(frozen=True)
class HolderStyle:
    """How a holder is drawn: ``fill``, ``edge`` (its outlines and claim marks), ``text`` (words in its colour)."""

    fill: str
    edge: str
    text: str
    hatch: Hatch | None = None  # print only: the fill alone carries the holder on screen


@dataclass(frozen=True)
class LineStyle:
    """A stroke: colour, width in points and dashes (on/off lengths in points; empty: solid)."""

    colour: str
    width: float
    dash: tuple[float, ...] = ()

    @property
    def dasharray(self) -> str:
        """Return the dashes for SVG and Leaflet's ``dashArray`` (``""``: solid)."""
        return " ".join(f"{d:g}" for d in self.dash)

    @property
    def mpl_linestyle(self) -> str | tuple:
        """Return the dashes as a matplotlib line style."""
        return (0, self.dash) if self.dash else "-"


@dataclass(frozen=True)
class ZoneStyle:
    """How a kind of zone is drawn: an outline and a hatch in the same colour, no fill."""

    line: LineStyle
    hatch: Hatch

    @property
    def colour(self) -> str:
        return self.line.colour


#: Holders, light to dark: Persia sand, other holders grey-green (dotted in print), Russia red-brown (hatched).
HOLDERS = {
    "persia": HolderStyle("#dcae5c", "#6e5a33", "#765214"),
    "other": HolderStyle("#809b7c", "#27331f", "#3d5a39", Hatch(dots=True)),
    "russia": HolderStyle("#a84a3e", "#3f140e", "#8c2c22", Hatch((45,))),
}

#: Web fills let the land show through at this opacity; print fills are opaque.
FILL_OPACITY = 0.78

#: A claim: hatch and dashed outline in the claimant's ``edge`` colour over the holder's fill.
CLAIM = ZoneStyle(LineStyle("claimant", 1.6, (4, 3)), Hatch((135,)))

_RUSSIAN, _BRITISH, _OTTOMAN = "#7a1f14", "#1d3f8f", "#b35806"
_SPHERE, _OCCUPATION = (7, 4), (10, 3, 2, 3)

#: Zone kinds: the colour of the power behind them; spheres one diagonal, occupations crossed lines.
ZONES = {
    "rus_raid": ZoneStyle(LineStyle("#5a3a1a", 1.2, (2, 4)), Hatch((0,))),
    "russian_sphere": ZoneStyle(LineStyle(_RUSSIAN, 1.4, _SPHERE), Hatch((45,))),
    "british_sphere": ZoneStyle(LineStyle(_BRITISH, 1.4, _SPHERE), Hatch((135,))),
    "neutral_zone": ZoneStyle(LineStyle("#3c3c3c", 1.4, (2, 3)), Hatch(dots=True)),
    "russian_occupation": ZoneStyle(LineStyle(_RUSSIAN, 1.4, _OCCUPATION), Hatch((45, 135))),
    "ottoman_occupation": ZoneStyle(LineStyle(_OTTOMAN, 1.4, _OCCUPATION), Hatch((45, 135))),
    "soviet_occupation": ZoneStyle(LineStyle(_RUSSIAN, 1.4, _OCCUPATION), Hatch((45, 135))),
    "british_occupation": ZoneStyle(LineStyle(_BRITISH, 1.4, _OCCUPATION), Hatch((0, 90))),
    "persian_socialist_soviet_republic": ZoneStyle(LineStyle(_RUSSIAN, 1.6), Hatch((90,))),
    "azerbaijan_peoples_government": ZoneStyle(LineStyle("#00897b", 1.6), Hatch((90,))),
    "republic_of_mahabad": ZoneStyle(LineStyle("#d08c00", 1.6), Hatch(dots=True)),
}

#: The base map: land (modern countries, for orientation), its borders, the sea.
LAND = "#f4f2ec"
LAND_EDGE = "#a8a49a"
SEA = "#c9dfec"
UNIT_EDGE = LineStyle("#ffffff", 0.8)
#: Units that changed hands at the step shown: a dark outline and a hatch.
CHANGED = ZoneStyle(LineStyle("#111111", 2.0), Hatch((135,)))
SIGNING = "#c21f1f"  # the star of the place where a treaty was signed

#: Text and page colours, shared by the page and the figures.
UI = {
    "ink": "#1e1e1c",  # text, place symbols, neatlines
    "muted": "#555149",  # secondary text, graticule labels
    "paper": "#fbfaf7",  # the page's background
    "rule": "#d9d5ca",  # separators
    "link": "#1d5fbf",  # links and the keyboard focus ring
    "warning": "#8a4b00",  # an uncertain date
    "map": "#dedbd3",  # the map's background outside the land and sea
}

FONTS = {
    "sans": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
    "print": "DejaVu Sans",
}


def _css_name(key: str) -> str:
    return key.replace("_", "-")


def css_variables() -> str:
    """Return a ``:root`` rule with the palette as CSS custom properties (``--holder-russia`` ...).

    Examples
    --------
    >>> "--holder-russia: #a84a3e;" in css_variables()
    True
    """
    props: dict[str, str] = {}
    for h, s in HOLDERS.items():
        props.update({f"holder-{h}": s.fill, f"holder-{h}-edge": s.edge, f"holder-{h}-text": s.text})
    for kind, z in ZONES.items():
        props[f"zone-{_css_name(kind)}"] = z.colour
    props.update({"land": LAND, "land-edge": LAND_EDGE, "sea": SEA, "unit-edge": UNIT_EDGE.colour,
                  "changed": CHANGED.colour, "signing": SIGNING})
    props.update(UI)
    props["font-sans"] = FONTS["sans"]
    return ":root {\n" + "".join(f"  --{k}: {v};\n" for k, v in props.items()) + "}\n"


def svg_pattern(pattern_id: str, hatch: Hatch, colour: str, *, size: int = 9) -> str:
    """Return an SVG ``<pattern>`` drawing ``hatch`` in ``colour`` on a faint wash of it."""
    if hatch.dots:
        marks = [f'<circle cx="{size / 2:g}" cy="{size / 2:g}" r="1.6" fill="{colour}" fill-opacity="0.8"/>']
        angle = 0
    else:
        # a vertical line rotated to the first angle; a second angle at 90° from it is a horizontal line
        angle = (90 - hatch.angles[0]) % 180
        marks = [f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{colour}" stroke-width="1.5" stroke-opacity="0.75"/>']
        if len(hatch.angles) > 1:
            marks.append(f'<line x1="0" y1="0" x2="{size}" y2="0" stroke="{colour}" stroke-width="1.5" '
                         f'stroke-opacity="0.75"/>')
    rotate = f' patternTransform="rotate({angle})"' if angle else ""
    return (f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{size}" height="{size}"{rotate}>'
            f'<rect width="{size}" height="{size}" fill="{colour}" fill-opacity="0.07"/>{"".join(marks)}</pattern>')
