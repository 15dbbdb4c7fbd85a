"""Labels on the maps: which places to show and where each label goes so that none overlaps another.

Text sizes are estimated in map units; a label that finds no free spot is left out, unless it is
one the map needs (a capital, the signing place, what changed), which then takes its first spot.
"""
from __future__ import annotations

import math

import numpy as np
import shapely
from matplotlib.lines import Line2D

from mapper.figures.frame import project_point
from mapper.figures.symbols import HALO, INK, MARKERS, PLACE_KINDS
from mapper.model import Atlas
from mapper.timeline import Step

__all__ = ["CITY_PRIORITY", "MAX_CITIES", "Labels", "draw_places", "pick_places"]

#: Cities labelled when there is room, most important first (after capitals and the signing place).
CITY_PRIORITY = (
    "tbilisi", "baku", "tabriz", "yerevan", "derbent", "ganja", "shusha", "nakhchivan", "lankaran", "ashgabat",
    "mashhad", "rasht", "isfahan", "shiraz", "astrakhan", "kermanshah", "gorgan", "ardabil", "yazd", "kerman",
    "bandar-abbas", "ahvaz", "urmia", "qazvin", "sari", "hamadan", "birjand", "zahedan", "bushehr", "kizlyar",
)
MAX_CITIES = 12


class Labels:
    """Place labels without overlaps, using text sizes estimated in map units."""

    def __init__(self, ax, units_per_pt: float, inside: tuple[float, float, float, float]):
        self.ax, self.k, self.boxes, self.inside = ax, units_per_pt, [], inside

    def _box(self, x, y, text, size, ha, va):
        lines = text.split("\n")
        w = max(len(s) for s in lines) * size * 0.58 * self.k
        h = len(lines) * size * 1.25 * self.k
        x0 = {"left": x, "right": x - w, "center": x - w / 2}[ha]
        y0 = {"bottom": y, "top": y - h, "center": y - h / 2, "baseline": y - 0.2 * h}[va]
        return (x0, y0, x0 + w, y0 + h)

    def free(self, box) -> bool:
        m = 6 * self.k  # keep clear of the neatline
        x0, y0, x1, y1 = self.inside
        if box[0] < x0 + m or box[1] < y0 + m or box[2] > x1 - m or box[3] > y1 - m:
            return False
        return all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in self.boxes)

    def reserve(self, x, y, pts: float):
        r = pts * self.k
        self.boxes.append((x - r, y - r, x + r, y + r))

    def add(self, x, y, text, *, size, gid, force=False, offset_pt=0.0, around_pt=0.0, leader=False, **kw):
        """Place a label near (x, y) where it overlaps no other; return the Text, or None if there is no room.

        With ``offset_pt``, try right, left, above and below a point symbol; otherwise centre the text on
        the point, then (with ``around_pt``) on points around it, joined to it by a line if ``leader``.
        ``force`` places it at the first try when there is no free spot.
        """
        d = offset_pt * self.k
        if d:
            tries = [(x + d, y, "left", "center"), (x - d, y, "right", "center"),
                     (x, y + d, "center", "bottom"), (x, y - d, "center", "top")]
        else:
            r = around_pt * self.k
            tries = [(x, y, "center", "center")] + [
                (x + f * r * math.cos(a), y + f * r * math.sin(a), "center", "center")
                for f in (1, 2, 3) for a in np.radians([270, 0, 180, 90, 315, 225, 45, 135])] * bool(r)
        boxes = [self._box(tx, ty, text, size, ha, va) for tx, ty, ha, va in tries]
        free = [i for i, b in enumerate(boxes) if self.free(b)]
        if not free and not force:
            return None
        i = free[0] if free else 0
        tx, ty, ha, va = tries[i]
        self.boxes.append(boxes[i])
        kw.setdefault("color", INK)
        if leader and i > 0:
            t = self.ax.annotate(text, (x, y), xytext=(tx, ty), ha=ha, va=va, fontsize=size, path_effects=HALO,
                                 zorder=9, arrowprops=dict(arrowstyle="-", color=INK, lw=1.0, shrinkA=1, shrinkB=0,
                                                           path_effects=HALO), **kw)
        else:
            t = self.ax.text(tx, ty, text, ha=ha, va=va, fontsize=size, path_effects=HALO, zorder=9, **kw)
        t.set_gid(gid)
        return t


def pick_places(atlas: Atlas, st: Step, window) -> list[tuple]:
    """Return ``(place, kind)`` to show, most important first: the signing place, capitals then, cities.

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
    return [(p, "signing") for p in signing] + [(p, "capital") for p in capitals] + [(p, "city") for p in cities]


def draw_places(ax, places: list[tuple], labels: Labels) -> list[tuple]:
    """Draw place symbols with their labels where there is room; return the legend entries."""
    kinds = []
    for p, kind in places:
        if kind == "city" and kinds.count("city") >= MAX_CITIES:
            break
        x, y = project_point(p.lon, p.lat)
        r = MARKERS[kind]["ms"] / 2 * labels.k
        if kind == "city" and not labels.free((x - r, y - r, x + r, y + r)):
            continue  # the symbol itself would sit under a label or the scale bar
        text = p.name.split(" (")[0] + ("\n(signing place)" if kind == "signing" else "")
        major = kind != "city"
        if labels.add(x, y, text, size=8.5 if major else 7.5, gid=f"place_label_{p.id}", force=major,
                      offset_pt=7 if kind == "signing" else 5, weight="bold" if major else "normal",
                      linespacing=1.0) is None:
            continue
        m = MARKERS[kind]
        ax.plot([x], [y], linestyle="none", zorder=8, gid=f"place_{p.id}", **m)
        labels.reserve(x, y, m["ms"] / 2)
        kinds.append(kind)
    return [(Line2D([], [], linestyle="none", **MARKERS[k]), PLACE_KINDS[k]) for k in PLACE_KINDS if k in kinds]

