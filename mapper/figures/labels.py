"""Labels on the maps: which places to show and where each label goes, by the atlas's placement rules.

The rules are :mod:`mapper.placement`'s (most important first, candidate positions in order, drop
what finds no room); this module measures each candidate with the renderer, in display pixels, so
the boxes compared are the ones that will be drawn at the figure's printed size.
"""
from __future__ import annotations

from typing import Any, cast

import shapely
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from mapper import placement
from mapper.figures.frame import line, project_point
from mapper.figures.symbols import HALO, INK, MARKERS, markers
from mapper.model import Atlas
from mapper.timeline import Step
from mapper.words import N_, Words

__all__ = ["CITY_PRIORITY", "MAX_CITIES", "Labels", "draw_places", "pick_places"]

#: Cities labelled when there is room, most important first (after capitals and the signing place).
CITY_PRIORITY = (
    "tbilisi", "baku", "tabriz", "yerevan", "derbent", "ganja", "shusha", "nakhchivan", "lankaran", "ashgabat",
    "mashhad", "rasht", "isfahan", "shiraz", "astrakhan", "kermanshah", "gorgan", "ardabil", "yazd", "kerman",
    "bandar-abbas", "ahvaz", "urmia", "qazvin", "sari", "hamadan", "birjand", "zahedan", "bushehr", "kizlyar",
)
MAX_CITIES = 12
#: The line under the event's place: where a treaty was signed, or where anything else happened.
_PLACE_NOTES = {"signing": N_("(signing place)"), "event": N_("(place of this event)")}
#: Two labels side by side on one line keep this much apart, in the larger font size (a word space and a bit).
WORD_SPACE = 0.4


class Labels:
    """Place labels on a map without overlaps, measuring each candidate with the renderer."""

    def __init__(self, ax: Any, margin_pt: float = 3.0, pad_pt: float = 1.5, neatline: shapely.Polygon | None = None):
        """``neatline``: the map's outline in map coordinates (its sides curve: no label may cross it)."""
        self.ax = ax
        self.renderer = ax.figure.canvas.get_renderer()
        self.px = ax.figure.dpi / 72  # pixels per point
        bb = ax.bbox
        m = margin_pt * self.px
        within = None
        if neatline is not None:
            outline = shapely.Polygon(ax.transData.transform(shapely.get_coordinates(neatline.exterior))).buffer(-m)
            shapely.prepare(outline)
            within = lambda box: bool(outline.contains(shapely.box(*box)))  # noqa: E731
        self.placer = placement.Placer(frame=(bb.x0 + m, bb.y0 + m, bb.x1 - m, bb.y1 - m), pad=pad_pt * self.px / 2,
                                       within=within)
        self.texts: list[Text] = []

    def display(self, x: float, y: float) -> tuple[float, float]:
        """Return the display position of the map point ``x``, ``y``."""
        px, py = self.ax.transData.transform((x, y))
        return float(px), float(py)

    def reserve(self, box: tuple[float, float, float, float]) -> None:
        """Keep a display box free of labels."""
        self.placer.reserve(box)

    def reserve_point(self, x: float, y: float, radius_pt: float) -> None:
        """Keep a symbol of ``radius_pt`` at the map point ``x``, ``y`` free of labels."""
        px, py = self.display(x, y)
        r = radius_pt * self.px
        self.placer.reserve((px - r, py - r, px + r, py + r))

    def point_free(self, x: float, y: float, radius_pt: float) -> bool:
        """Return whether a symbol of ``radius_pt`` at the map point would sit under no label or obstacle."""
        px, py = self.display(x, y)
        r = radius_pt * self.px
        return self.placer.free((px - r, py - r, px + r, py + r))

    def add(self, x: float, y: float, text: str, *, size: float, gid: str, gap_pt: float = 0.0,
            ring_pt: float = 0.0, **kw: Any) -> Text | None:
        """Place ``text`` for the feature at the map point ``x``, ``y``; return the Text, or None if dropped.

        With ``gap_pt`` the label goes beside a point symbol (:func:`mapper.placement.around_point`),
        otherwise on the area's label point or rings ``ring_pt`` around it (with a leader line).
        """
        px, py = self.display(x, y)
        cands = (placement.around_point(px, py, gap_pt * self.px) if gap_pt
                 else placement.around_area(px, py, ring_pt * self.px, rings=3 if ring_pt else 0))
        kw.setdefault("color", INK)
        if kw.get("style") == "italic" and any("\u0600" <= ch <= "\u06ff" for ch in text):
            kw["style"] = "normal"  # Persian has no italic, and the oblique fonts have no Arabic letters
        t = self.ax.text(x, y, text, fontsize=size, zorder=9, bbox=HALO, gid=gid, **kw)
        inv = self.ax.transData.inverted()
        shapes: dict[tuple[str, str], Bbox] = {}

        def measure(c: placement.Candidate) -> placement.Box:
            t.set_position(tuple(inv.transform((c.x, c.y))))
            t.set_horizontalalignment(c.ha)
            t.set_verticalalignment(c.va)
            return window_box(t, self.renderer, shapes)

        got = self.placer.place(cands, measure, space=WORD_SPACE * size * self.px)
        if got is None:
            t.remove()
            return None
        i, _ = got
        measure(cands[i])
        if cands[i].leader:
            (lx, ly) = t.get_position()
            # a dot where it points (on the feature's label point): a callout, not a border (1991's "Independence:
            # Turkmenistan", set over Iran, read as if its thin line were one)
            line(self.ax, [x, lx], [y, ly], color=INK, lw=0.6, zorder=8.8, gid=f"leader_{gid}", marker="o",
                 markevery=[0], ms=2.6, mfc=INK, mec="white", mew=0.5)
        self.texts.append(t)
        return t


def window_box(t: Text, renderer: Any, shapes: dict[tuple[str, str], Bbox]) -> placement.Box:
    """Return the box ``t.get_window_extent(renderer)`` gives, in display pixels, laying ``t`` out once per alignment.

    A label is measured at each candidate position (five or so a label); only its position and alignment
    change. Its laid-out box (matplotlib's ``Text._get_layout``) depends on the alignment, not the position, so
    it is kept in ``shapes`` by alignment and moved to each position, as ``get_window_extent`` moves it
    (the same arithmetic, so the same floats). Visible, non-empty text in its figure's resolution only (the labels).
    """
    key = (t.get_horizontalalignment(), t.get_verticalalignment())
    shape = shapes.get(key)
    if shape is None:
        shape = shapes[key] = cast(Any, t)._get_layout(renderer)[0]
    bb = shape.translated(*t.get_transform().transform(t.get_unitless_position()))
    return (bb.x0, bb.y0, bb.x1, bb.y1)


def pick_places(atlas: Atlas, st: Step, window: tuple) -> list[tuple]:
    """Return ``(place, kind)`` to show, most important first: the event's place (``signing`` for a treaty,
    ``event`` otherwise: :attr:`mapper.model.Event.signed`), capitals then, cities.

    Cities inside the units that changed hands come first, then by :data:`CITY_PRIORITY`.
    """
    lon0, lat0, lon1, lat1 = window
    mx, my = 0.04 * (lon1 - lon0), 0.04 * (lat1 - lat0)
    year = st.state.date.year
    inview = [p for p in atlas.places if lon0 + mx < p.lon < lon1 - mx and lat0 + my < p.lat < lat1 - my]
    signing = [p for p in inview if p.id == st.event.place]
    capitals = [p for p in inview if p not in signing
                and any(r.role == "capital" and r.in_force(year) for r in p.roles)]
    rank = {pid: i for i, pid in enumerate(CITY_PRIORITY)}
    changed = [atlas.unit(c.unit).geometry for c in st.changes]
    cities = sorted((p for p in inview if p.id in rank and p not in capitals and p not in signing),
                    key=lambda p: (not any(g.covers(shapely.Point(p.lon, p.lat)) for g in changed), rank[p.id]))
    here = "signing" if st.event.signed else "event"
    return [(p, here) for p in signing] + [(p, "capital") for p in capitals] + [(p, "city") for p in cities]


def draw_places(ax: Any, places: list[tuple], labels: Labels, w: Words, *, size: float, scale: float = 1.0,
                max_cities: int = MAX_CITIES) -> list[tuple]:
    """Draw place symbols with their labels where there is room; return the legend entries.

    A place whose label finds no room is left out, symbol and all (rule 3 of :mod:`mapper.placement`).
    """
    kinds: list[str] = []
    for p, kind in places:
        if kind == "city" and kinds.count("city") >= max_cities:
            break
        x, y = project_point(p.lon, p.lat)
        m = markers(kind, scale)
        r = m["ms"] / 2
        if not labels.point_free(x, y, r):
            continue  # the symbol itself would sit under a label or the scale bar
        labels.reserve_point(x, y, r)
        note = _PLACE_NOTES.get(kind)
        text = w.place_name(p).split(" (")[0] + ("\n" + w.gettext(note) if note else "")
        major = kind != "city"
        if labels.add(x, y, text, size=size, gid=f"place_label_{p.id}", gap_pt=r + 1.5,
                      weight="bold" if major else "normal", linespacing=1.0) is None:
            labels.placer.release_last()  # give the symbol's room back
            continue
        line(ax, [x], [y], linestyle="none", zorder=8, gid=f"place_{p.id}", **m)
        kinds.append(kind)
    return [(Line2D([], [], linestyle="none", **markers(k, scale)), w.place_kind(k)) for k in MARKERS if k in kinds]
