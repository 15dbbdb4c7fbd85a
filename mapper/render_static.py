"""Print figures with matplotlib: one map per event, an overview of the border changes, a territory chart.

Everything is drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas, never
through pyplot, so no display is needed and a caller's own pyplot backend (in Jupyter, say) is
left alone. Maps are in the atlas's Albers equal-area projection (:data:`mapper.timeline.EQUAL_AREA`)
and bounded by a graticule box: :data:`WINDOW` (the Caucasus, the Caspian and Iran) for the
overview and for events that change little, or a box around the units that changed hands.

The palette reads in greyscale: Persia, other holders and Russia differ in lightness, and Russia
and other holders also carry a hatch, so colour is never the only cue. Every artist that stands
for a record carries a ``gid``: ``unit_<id>``, ``changed_<id>``, ``zone_<id>``, ``country_<id>``,
``place_<id>``, ``bar_<event-id>``; tests and SVG users can find them by it.

Output is deterministic: two builds write byte-identical PNG and SVG files.
"""
from __future__ import annotations

import difflib
import math
import os
import textwrap
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
import pyproj
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter

from mapper.errors import MapperError
from mapper.model import Atlas, Event
from mapper.style import HOLDER_COLOURS, HOLDER_LABELS, ZONE_COLOURS, ZONE_LABELS
from mapper.timeline import EQUAL_AREA, Step, steps, to_equal_area

__all__ = [
    "WINDOW",
    "HOLDER_STYLES",
    "ZONE_STYLES",
    "ATTRIBUTION",
    "FORMATS",
    "border_steps",
    "draw_event",
    "draw_overview",
    "draw_territory",
    "save_figure",
    "write_figures",
]

#: The map window (lon_min, lat_min, lon_max, lat_max): the Caucasus, the Caspian and Iran.
WINDOW = (38.0, 24.0, 64.0, 47.0)
FORMATS = ("png", "svg", "pdf")
FIG_WIDTH_IN = 12.0
DPI = 200  # 2400 px wide

ATTRIBUTION = (
    "Made with Natural Earth. Boundaries: approximations derived from Natural Earth admin-1 "
    "(see geodata/derivation.yaml); historical units follow modern provinces and districts. "
    "Events, dates and places: geodata/events.yaml and places.yaml, with their sources. "
    "Albers equal-area conic projection (standard parallels 28° and 44° N)."
)

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
COMPACT_TOLERANCE_M = 4000.0  # simplification of the overview's small maps (a pixel is about 4.5 km)

#: Cities labelled when there is room, most important first (after capitals and the signing place).
CITY_PRIORITY = (
    "tbilisi", "baku", "tabriz", "yerevan", "derbent", "ganja", "shusha", "nakhchivan", "lankaran", "ashgabat",
    "mashhad", "rasht", "isfahan", "shiraz", "astrakhan", "kermanshah", "gorgan", "ardabil", "yazd", "kerman",
    "bandar-abbas", "ahvaz", "urmia", "qazvin", "sari", "hamadan", "birjand", "zahedan", "bushehr", "kizlyar",
)

# Deterministic output: a fixed SVG hash salt, no dates or software versions in the files.
_RC = {
    "svg.hashsalt": "mapper",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "hatch.linewidth": 0.7,
    "path.simplify": True,
}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}


# --- geometry ------------------------------------------------------------------------------------

def _window_polygon(window=WINDOW):
    return shapely.segmentize(shapely.box(*window), 0.25)


def _context(atlas: Atlas) -> tuple[float, float, float, float]:
    """Return the lon/lat box the background countries cover (the geodata's context box)."""
    if not atlas.countries:
        return WINDOW
    return tuple(shapely.union_all([c.geometry for c in atlas.countries]).bounds)


def _projected_size(window) -> tuple[float, float]:
    x0, y0, x1, y1 = to_equal_area(_window_polygon(window)).bounds
    return x1 - x0, y1 - y0


def _focus_window(atlas: Atlas, st: Step, aspect: float = 1.0) -> tuple[float, float, float, float]:
    """Return a lon/lat box around what changed at ``st`` whose projection is ``aspect`` (height/width).

    Falls back on :data:`WINDOW` when nothing changed or the change spans most of it.
    """
    geoms = [atlas.unit(c.unit).geometry for c in st.changes] or [atlas.zone(z).geometry for z in st.zones_begun]
    if not geoms:
        return WINDOW
    c0, c1, c2, c3 = _context(atlas)
    lon0, lat0, lon1, lat1 = shapely.intersection(shapely.union_all(geoms), shapely.box(c0, c1, c2, c3)).bounds
    pad = 1.2
    w, h = max(lon1 - lon0 + 2 * pad, 14.0), max(lat1 - lat0 + 2 * pad, 9.0)
    if w >= 0.7 * (WINDOW[2] - WINDOW[0]) or h >= 0.7 * (WINDOW[3] - WINDOW[1]):
        return WINDOW
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    for _ in range(4):
        pw, ph = _projected_size((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
        if ph / pw < aspect:
            h *= aspect / (ph / pw)
        else:
            w *= (ph / pw) / aspect
    w, h = min(w, c2 - c0), min(h, c3 - c1)
    cx = min(max(cx, c0 + w / 2), c2 - w / 2)
    cy = min(max(cy, c1 + h / 2), c3 - h / 2)
    return tuple(round(v, 2) for v in (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))


@lru_cache(maxsize=8)
def _layers(atlas: Atlas, tolerance_m: float = 0.0) -> dict:
    """Project the atlas's layers: ``{"units": {id: geom}, "zones": {...}, "countries": {...}}``.

    With ``tolerance_m``, simplify them for small maps (units and countries as coverages, so that
    neighbours keep their shared edges).
    """
    def proj(geoms, coverage: bool):
        out = [to_equal_area(shapely.orient_polygons(g)) for g in geoms]
        if tolerance_m and out:
            arr = np.array(out, dtype=object)
            out = list(shapely.coverage_simplify(arr, tolerance_m) if coverage
                       else shapely.simplify(arr, tolerance_m, preserve_topology=True))
        return out

    return {
        "units": dict(zip([u.id for u in atlas.units], proj([u.geometry for u in atlas.units], True))),
        "zones": dict(zip([z.id for z in atlas.zones], proj([z.geometry for z in atlas.zones], False))),
        "countries": dict(zip([c.id for c in atlas.countries], proj([c.geometry for c in atlas.countries], True))),
    }


@lru_cache(maxsize=64)
def _view(atlas: Atlas, window: tuple, tolerance_m: float = 0.0) -> dict:
    """Return :func:`_layers` cut to the rectangle around the map ``window`` (small files, fast drawing).

    A unit outside the window becomes an empty geometry (and an empty patch): it is drawn, not seen.
    """
    x0, y0, x1, y1 = _frame(window).bounds
    m = 0.02 * max(x1 - x0, y1 - y0)
    return {kind: {k: shapely.clip_by_rect(g, x0 - m, y0 - m, x1 + m, y1 + m) for k, g in geoms.items()}
            for kind, geoms in _layers(atlas, tolerance_m).items()}


@lru_cache(maxsize=32)
def _frame(window: tuple) -> shapely.Polygon:
    """Return the map's neatline: the lon/lat box ``window`` projected (its sides are curved)."""
    return to_equal_area(_window_polygon(window))


def _path(geom) -> MplPath:
    """Return a matplotlib path for the polygons of ``geom`` (holes kept); empty if there are none."""
    verts, codes = [], []
    parts = getattr(geom, "geoms", [geom])
    for poly in parts:
        if poly.geom_type == "MultiPolygon" or poly.geom_type == "GeometryCollection":
            sub = _path(poly)
            if len(sub.vertices):
                verts.append(sub.vertices)
                codes.append(sub.codes)
            continue
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            if len(c) < 4:
                continue
            code = np.full(len(c), MplPath.LINETO, dtype=MplPath.code_type)
            code[0], code[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(c)
            codes.append(code)
    if not verts:
        return MplPath(np.empty((0, 2)))
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _patch(ax, geom, *, gid: str, face=None, edge="none", hatch=None, lw=0.5, ls="-", z=2.0, alpha=None,
           clip=None):
    patch = PathPatch(_path(geom), facecolor=face if face is not None else "none", edgecolor=edge, hatch=hatch,
                      linewidth=lw, linestyle=ls, zorder=z, alpha=alpha, joinstyle="round")
    patch.set_gid(gid)
    ax.add_patch(patch)
    if clip is not None:
        patch.set_clip_path(clip)
    return patch


def _project_point(lon: float, lat: float) -> tuple[float, float]:
    p = to_equal_area(shapely.Point(lon, lat))
    return p.x, p.y


def _label_point(geom) -> tuple[float, float]:
    """Return the centre of the largest circle inside the largest polygon of ``geom``."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    big = max(parts, key=lambda g: g.area)
    if big.geom_type == "MultiPolygon":
        big = max(big.geoms, key=lambda g: g.area)
    p = shapely.get_point(shapely.maximum_inscribed_circle(big, tolerance=2000), 0)
    return p.x, p.y


# --- events and names ----------------------------------------------------------------------------

def _step(atlas: Atlas, event_id: str) -> Step:
    for st in steps(atlas):
        if st.event.id == event_id:
            return st
    close = difflib.get_close_matches(event_id, [e.id for e in atlas.events], n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else " (see `mapper events` for the list)"
    raise MapperError(f"unknown event {event_id!r}{hint}")


def border_steps(atlas: Atlas) -> tuple[Step, ...]:
    """Return the steps at which Persia or Russia gained or lost a unit, in order."""
    return tuple(st for st in steps(atlas)
                 if any({c.from_, c.to} & {"persia", "russia"} for c in st.changes))


def _change_label(from_: str, to: str, to_name: str) -> str:
    if from_ == "persia" and to == "russia":
        return "Ceded to Russia"
    if from_ == "russia" and to == "persia":
        return "Returned to Persia"
    if to == "russia":
        return "To Russia"
    if to == "persia":
        return "To Persia"
    return f"To {to_name}"


def _change_groups(st: Step) -> dict[str, list]:
    groups: dict[str, list] = {}
    for c in st.changes:
        groups.setdefault(_change_label(c.from_, c.to, c.to_name), []).append(c)
    return groups


def _year(ev: Event) -> str:
    return str(ev.date.date.year)


def _km2(v: float) -> str:
    return f"{abs(v):,.0f} km²"


def _loss_caption(st: Step) -> str:
    if round(st.lost_km2) > 0:
        return f"Persia lost {_km2(st.lost_km2)} to Russia"
    if round(st.lost_km2) < 0:
        return f"Persia regained {_km2(st.lost_km2)} from Russia"
    total = _km2(sum(c.km2 for c in st.changes))
    if all(c.to == "russia" for c in st.changes):
        return f"Russia gained {total} (not from Persia)"
    if all(c.from_ == "russia" for c in st.changes):
        return f"Russia lost {total} (not to Persia)"
    return f"{total} changed hands"


def _polity(atlas: Atlas, holder: str, st: Step) -> str:
    return atlas.polity_name(holder, st.state.date) or holder.capitalize()


def _holder_labels(atlas: Atlas, st: Step) -> dict[str, str]:
    others = list(dict.fromkeys(t.holder_name for t in st.state.holders.values() if t.holder == "other"))
    return {
        "persia": f"Persia / Iran ({_polity(atlas, 'persia', st)})",
        "russia": f"Russia ({_polity(atlas, 'russia', st)})",
        "other": "Other holders: " + "; ".join(others),
    }


# --- the map -------------------------------------------------------------------------------------

class _Labels:
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


def _graticule(ax, window, compact: bool):
    lon0, lat0, lon1, lat1 = window
    step = 5.0 if lon1 - lon0 > 16 else 2.0
    lats = np.linspace(lat0, lat1, 100)
    lons = np.linspace(lon0, lon1, 100)
    t = pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)
    for lon in np.arange(math.ceil(lon0 / step) * step, lon1 + 1e-9, step):
        x, y = t.transform(np.full_like(lats, lon), lats)
        ax.plot(x, y, color="#6f6f6f", lw=0.35, alpha=0.7, zorder=3.5, gid=f"graticule_lon_{lon:g}")
        if not compact:
            bx, by = t.transform(lon, lat0)
            ax.annotate(f"{lon:g}°E", (bx, by), xytext=(0, -4), textcoords="offset points", ha="center", va="top",
                        fontsize=7.5, color="#444444", annotation_clip=False)
    for lat in np.arange(math.ceil(lat0 / step) * step, lat1 + 1e-9, step):
        x, y = t.transform(lons, np.full_like(lons, lat))
        ax.plot(x, y, color="#6f6f6f", lw=0.35, alpha=0.7, zorder=3.5, gid=f"graticule_lat_{lat:g}")
        if not compact:
            bx, by = t.transform(lon0, lat)
            ax.annotate(f"{lat:g}°N", (bx, by), xytext=(-4, 0), textcoords="offset points", ha="right",
                        va="center", fontsize=7.5, color="#444444", annotation_clip=False)


def _scale_bar(ax, window) -> tuple[float, float, float, float]:
    """Draw a scale bar in the lower left whose length uses the projection's scale factor there.

    Returns the box it covers, in map units.
    """
    lon, lat = window[0] + 0.06 * (window[2] - window[0]), window[1] + 0.045 * (window[3] - window[1])
    width_km = _projected_size(window)[0] / 1000
    km = next(k for k in (1000, 500, 250, 200, 100, 50) if k <= width_km / 4)
    factors = pyproj.Proj(EQUAL_AREA).get_factors(lon + 0.1 * (window[2] - window[0]), lat)
    length = km * 1000 * factors.parallel_scale
    x0, y0 = _project_point(lon, lat)
    h = length / 40
    box = (x0 - h * 2.5, y0 - h * 2, x0 + length + h * 5.5, y0 + h * 5.6)
    ax.add_patch(Rectangle(box[:2], box[2] - box[0], box[3] - box[1], facecolor="white", alpha=0.85,
                           edgecolor="none", zorder=8, gid="scalebar_box"))
    for i in range(4):
        ax.add_patch(Rectangle((x0 + i * length / 4, y0), length / 4, h, facecolor=INK if i % 2 == 0 else "white",
                               edgecolor=INK, linewidth=0.6, zorder=8.5, gid=f"scalebar_{i}"))
    for i, frac in enumerate((0, 0.5, 1)):
        label = f"{km * frac:g}" + (" km" if frac == 1 else "")
        ax.text(x0 + frac * length, y0 + h * 1.6, label, ha="center", va="bottom", fontsize=7, zorder=9, color=INK)
    ax.text(x0 + length / 2, y0 - h * 0.6, f"scale true at {lat:.0f}° N", ha="center", va="top", fontsize=5.5,
            color="#444444", zorder=9)
    return box


def _draw_map(ax, atlas: Atlas, st: Step, *, window=WINDOW, compact: bool = False) -> list[tuple]:
    """Draw the state after ``st`` into ``ax``; return the legend entries ``(handle, label)`` drawn."""
    layers = _view(atlas, window, COMPACT_TOLERANCE_M if compact else 0.0)
    frame = _frame(window)
    xmin, ymin, xmax, ymax = frame.bounds
    pad = (xmax - xmin) * 0.004
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    bb = ax.get_position()
    box = bb.height * ax.figure.get_figheight() / (bb.width * ax.figure.get_figwidth())
    if (ymax - ymin) / (xmax - xmin) < box:  # widen the limits to the axes' shape, keeping the map centred
        grow = ((xmax - xmin) * box - (ymax - ymin)) / 2
        ymin, ymax = ymin - grow, ymax + grow
    else:
        grow = ((ymax - ymin) / box - (xmax - xmin)) / 2
        xmin, xmax = xmin - grow, xmax + grow
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    lw = 0.55 if compact else 1.0

    # everything is clipped to the neatline; units outside it are drawn but not seen
    neatline = PathPatch(_path(frame), facecolor="none", edgecolor=INK, linewidth=0.9, zorder=10, gid="neatline")
    ax.add_patch(neatline)
    _patch(ax, frame, gid="sea", face=SEA, z=0.5)
    for cid, g in layers["countries"].items():
        _patch(ax, g, gid=f"country_{cid}", face=LAND, edge=LAND_EDGE, lw=0.35 * lw, z=1, clip=neatline)

    holders = {uid: t.holder for uid, t in st.state.holders.items()}
    drawn_holders = []
    for u in atlas.units:
        h = holders[u.id]
        s = HOLDER_STYLES[h]
        _patch(ax, layers["units"][u.id], gid=f"unit_{u.id}", face=s.face, edge=s.edge, hatch=s.hatch,
               lw=0.3 * lw, z=2, clip=neatline)
        if h not in drawn_holders and layers["units"][u.id].intersects(frame):
            drawn_holders.append(h)
    # the borders between holders, thicker than the unit lines
    for h in HOLDER_STYLES:
        geoms = [layers["units"][uid] for uid, hh in holders.items() if hh == h]
        if geoms:
            union = shapely.union_all(geoms)
            _patch(ax, union, gid=f"holder_{h}", edge=INK, lw=0.9 * lw, z=3, clip=neatline)
    _graticule(ax, window, compact)

    entries = []
    labels = _holder_labels(atlas, st)
    for h in ("persia", "russia", "other"):
        if h in drawn_holders:
            s = HOLDER_STYLES[h]
            entries.append((Patch(facecolor=s.face, edgecolor=s.edge, hatch=s.hatch, linewidth=0.5),
                            "\n".join(textwrap.wrap(labels[h], 46))))

    # zones in force: outline and hatch, drawn over the units
    kinds = []
    for zid in st.state.zones:
        z = atlas.zone(zid)
        s = ZONE_STYLES[z.kind]
        _patch(ax, layers["zones"][zid], gid=f"zone_{zid}", edge=s.edge, hatch=s.hatch, lw=s.linewidth * lw,
               ls=s.linestyle, z=4, clip=neatline)
        if z.kind not in kinds and layers["zones"][zid].intersects(frame):
            kinds.append(z.kind)
            entries.append((Patch(facecolor="none", edgecolor=s.edge, hatch=s.hatch, linestyle=s.linestyle,
                                  linewidth=1.0), z.name))

    # what changed at this step
    groups = _change_groups(st)
    for label, changes in groups.items():
        for c in changes:
            _patch(ax, layers["units"][c.unit], gid=f"changed_{c.unit}", edge=CHANGED_EDGE, hatch=CHANGED_HATCH,
                   lw=0.6 * lw, z=5, clip=neatline)
        union = shapely.union_all([layers["units"][c.unit] for c in changes])
        _patch(ax, union, gid=f"changed_outline_{label.lower().replace(' ', '_')}", edge=CHANGED_EDGE,
               lw=2.6 * lw, z=5.5, clip=neatline)
    if groups:
        entries.append((Patch(facecolor="none", edgecolor=CHANGED_EDGE, hatch=CHANGED_HATCH, linewidth=2.0),
                        "Changed hands at this event" if not compact else "Changed hands"))

    if compact:
        return entries

    # labels: capitals and the signing place, then what changed, zones begun, unit names, cities
    bb = ax.get_position()
    width_pt, height_pt = bb.width * ax.figure.get_figwidth() * 72, bb.height * ax.figure.get_figheight() * 72
    fx0, fy0, fx1, fy1 = frame.bounds
    labels_ = _Labels(ax, max((xmax - xmin) / width_pt, (ymax - ymin) / height_pt), (fx0, fy0, fx1, fy1))
    labels_.boxes.append(_scale_bar(ax, window))
    places = _pick_places(atlas, st, window)
    changed_geoms = [atlas.unit(c.unit).geometry for c in st.changes]
    first = [pk for pk in places if pk[1] != "city" or any(g.covers(shapely.Point(pk[0].lon, pk[0].lat))
                                                           for g in changed_geoms)]
    entries += _draw_places(ax, first, labels_)
    for label, changes in groups.items():
        union = shapely.intersection(shapely.union_all([layers["units"][c.unit] for c in changes]), frame)
        if union.is_empty:
            continue
        x, y = _label_point(union)
        labels_.add(x, y, f"{label}\n{_km2(sum(c.km2 for c in changes))}", size=10, weight="bold",
                    gid=f"label_change_{label.lower().replace(' ', '_')}", force=True, linespacing=1.1,
                    around_pt=28, leader=True)
    for zid in st.zones_begun:
        visible = shapely.intersection(layers["zones"][zid], frame)
        if zid in st.state.zones and not visible.is_empty:
            x, y = _label_point(visible)
            z = atlas.zone(zid)
            labels_.add(x, y, "\n".join(textwrap.wrap(z.name, 24)), size=9, style="italic", weight="bold",
                        gid=f"label_zone_{zid}", color=ZONE_STYLES[z.kind].edge, around_pt=30, force=True)
    if window != WINDOW:
        for c in st.changes:
            g = shapely.intersection(layers["units"][c.unit], frame)
            if not g.is_empty:
                x, y = _label_point(g)
                name = "\n".join(textwrap.wrap(atlas.unit(c.unit).name.split(" (")[0], 16))
                labels_.add(x, y, name, size=7, style="italic", gid=f"label_unit_{c.unit}", color="#2b2b2b",
                            around_pt=8, linespacing=1.0)
    entries += _draw_places(ax, [pk for pk in places if pk not in first], labels_)
    return list(dict((label, (h, label)) for h, label in entries).values())


def _pick_places(atlas: Atlas, st: Step, window) -> list[tuple]:
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


_MARKERS = {"signing": dict(marker="*", ms=13, mfc="#c21f1f", mec="white", mew=0.8),
            "capital": dict(marker="s", ms=6.5, mfc=INK, mec="white", mew=0.8),
            "city": dict(marker="o", ms=4, mfc=INK, mec="white", mew=0.6)}
_PLACE_KINDS = {"signing": "Place of signing", "capital": "Capital at the time", "city": "City"}
MAX_CITIES = 12


def _draw_places(ax, places: list[tuple], labels: _Labels) -> list[tuple]:
    """Draw place symbols with their labels where there is room; return the legend entries."""
    kinds = []
    for p, kind in places:
        if kind == "city" and kinds.count("city") >= MAX_CITIES:
            break
        x, y = _project_point(p.lon, p.lat)
        r = _MARKERS[kind]["ms"] / 2 * labels.k
        if kind == "city" and not labels.free((x - r, y - r, x + r, y + r)):
            continue  # the symbol itself would sit under a label or the scale bar
        text = p.name.split(" (")[0] + ("\n(signing place)" if kind == "signing" else "")
        major = kind != "city"
        if labels.add(x, y, text, size=8.5 if major else 7.5, gid=f"place_label_{p.id}", force=major,
                      offset_pt=7 if kind == "signing" else 5, weight="bold" if major else "normal",
                      linespacing=1.0) is None:
            continue
        m = _MARKERS[kind]
        ax.plot([x], [y], linestyle="none", zorder=8, gid=f"place_{p.id}", **m)
        labels.reserve(x, y, m["ms"] / 2)
        kinds.append(kind)
    return [(Line2D([], [], linestyle="none", **_MARKERS[k]), _PLACE_KINDS[k]) for k in _PLACE_KINDS if k in kinds]


# --- figures -------------------------------------------------------------------------------------

def _figure(width_in: float, height_in: float) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _date_line(ev: Event) -> str:
    text = ev.date_label
    if ev.date_certainty == "disputed":
        text += "  ·  date disputed (see the event's date note)"
    elif ev.date_certainty == "approximate":
        text += "  ·  approximate date"
    return text


def draw_event(atlas: Atlas, event_id: str, ax=None) -> Figure:
    """Draw the map of the state right after the event ``event_id`` and return its figure.

    With ``ax``, draw only the map into that axes (no title, legend or side panel); otherwise
    make the full print figure: title and date, the map, a legend, what changed and the sources.
    Raises MapperError for an unknown event id.
    """
    st = _step(atlas, event_id)
    with matplotlib.rc_context(_RC):
        if ax is not None:
            _draw_map(ax, atlas, st, compact=True)
            return ax.figure
        return _event_figure(atlas, st)


def _event_figure(atlas: Atlas, st: Step) -> Figure:
    ev = st.event
    full_w, full_h = _projected_size(WINDOW)
    window = _focus_window(atlas, st, aspect=full_h / full_w)
    map_w = 7.9
    map_h = map_w * full_h / full_w
    top, bottom, left = 1.05, 0.75, 0.5
    fig_h = top + map_h + bottom
    fig = _figure(FIG_WIDTH_IN, fig_h)
    ax = fig.add_axes((left / FIG_WIDTH_IN, bottom / fig_h, map_w / FIG_WIDTH_IN, map_h / fig_h))
    ax.set_gid("map")
    entries = _draw_map(ax, atlas, st, window=window)

    fig.suptitle(ev.title, x=left / FIG_WIDTH_IN, y=1 - 0.22 / fig_h, ha="left", va="top", fontsize=17,
                 fontweight="bold", color=INK)
    fig.text(left / FIG_WIDTH_IN, 1 - 0.68 / fig_h, _date_line(ev) + "  ·  holdings after the event",
             ha="left", va="top", fontsize=10.5, color="#333333", gid="subtitle")

    # side panel: legend, what changed, summary, sources
    x0 = (left + map_w + 0.3) / FIG_WIDTH_IN
    width_chars = 52
    legend = fig.legend([h for h, _ in entries], [lab for _, lab in entries], loc="upper left",
                        bbox_to_anchor=(x0 - 0.006, 1 - top / fig_h), frameon=False, fontsize=8,
                        handlelength=2.6, handleheight=1.5, borderaxespad=0, title="Legend",
                        title_fontproperties={"weight": "bold", "size": 9}, alignment="left", labelspacing=0.6)
    legend.set_gid("legend")
    renderer = fig.canvas.get_renderer()
    y = legend.get_window_extent(renderer).y0 / fig.bbox.height - 0.2 / fig_h
    line = 1.32 / 72 / fig_h

    def block(title: str, lines: Iterable[str], gid: str, size=8.0):
        nonlocal y
        if y < 1.0 / fig_h:
            return
        fig.text(x0, y, title, ha="left", va="top", fontsize=9, fontweight="bold", color=INK, gid=gid + "_title")
        y -= 9 * line * 1.1
        body = list(lines)
        room = int((y - 0.55 / fig_h) / (size * line))
        if len(body) > room:
            body = body[:max(room - 1, 0)] + ["…"]
        if body:
            fig.text(x0, y, "\n".join(body), ha="left", va="top", fontsize=size, color="#222222", gid=gid,
                     linespacing=1.25)
        y -= (len(body) * size * 1.25 + 12) / 72 / fig_h

    groups = _change_groups(st)
    if groups:
        lines = []
        for label, changes in groups.items():
            lines.append(f"{label} ({_km2(sum(c.km2 for c in changes))}):")
            for c in changes:
                lines += textwrap.wrap(f"{atlas.unit(c.unit).name}, {_km2(c.km2)}", width_chars,
                                       initial_indent="  • ", subsequent_indent="     ")
        lines += textwrap.wrap(f"Persia's cumulative net loss to Russia: {_km2(st.total_lost_km2)}",
                               width_chars)
        block("What changed", lines, "changes")
    if st.zones_begun or st.zones_ended:
        lines = [f"  + {atlas.zone(z).name}" for z in st.zones_begun] + [f"  – {atlas.zone(z).name} (ended)"
                                                                          for z in st.zones_ended]
        block("Zones", lines, "zones")
    block("Summary", textwrap.wrap(ev.summary, width_chars), "summary")
    block("Sources", [w for s in ev.sources for w in textwrap.wrap(s.title, width_chars, initial_indent="• ",
                                                                    subsequent_indent="  ")], "sources", size=7)

    fig.text(left / FIG_WIDTH_IN, 0.14 / fig_h, "\n".join(textwrap.wrap(ATTRIBUTION, 190)), ha="left",
             va="bottom", fontsize=6.5, color="#444444", gid="attribution", linespacing=1.3)
    return fig


def draw_overview(atlas: Atlas) -> Figure:
    """Return small multiples: one map per event at which Persia or Russia gained or lost land."""
    with matplotlib.rc_context(_RC):
        sts = border_steps(atlas)
        frame = _frame(WINDOW)
        xmin, ymin, xmax, ymax = frame.bounds
        cols = 4
        rows = max(1, math.ceil(len(sts) / cols))
        gap, side = 0.18, 0.3
        pw = (FIG_WIDTH_IN - 2 * side - (cols - 1) * gap) / cols
        ph = pw * (ymax - ymin) / (xmax - xmin)
        title_h, head, foot = 0.62, 0.85, 0.95
        fig_h = head + rows * (ph + title_h) + foot
        fig = _figure(FIG_WIDTH_IN, fig_h)
        fig.suptitle("Iran and Russia: the border, treaty by treaty", x=side / FIG_WIDTH_IN, y=1 - 0.18 / fig_h,
                     ha="left", va="top", fontsize=16, fontweight="bold", color=INK)
        fig.text(side / FIG_WIDTH_IN, 1 - 0.55 / fig_h,
                 "Holdings after each event at which Persia or Russia gained or lost land; "
                 "the units that changed hands are outlined and hatched.", ha="left", va="top", fontsize=9.5,
                 color="#333333", gid="subtitle")
        entries: dict[str, tuple] = {}
        for i, st in enumerate(sts):
            r, c = divmod(i, cols)
            x = side + c * (pw + gap)
            y = fig_h - head - (r + 1) * (ph + title_h) + 0.02
            ax = fig.add_axes((x / FIG_WIDTH_IN, y / fig_h, pw / FIG_WIDTH_IN, ph / fig_h))
            ax.set_gid(f"panel_{st.event.id}")
            for h, label in _draw_map(ax, atlas, st, compact=True):
                key = label.split(" (")[0].split(":")[0]
                entries.setdefault(key, (h, key))
            name = st.event.title.replace(f" ({_year(st.event)})", "")
            title = "\n".join(textwrap.wrap(f"{_year(st.event)} · {name}", 38)[:2])
            ax.set_title(f"{title}\n{_loss_caption(st)}", fontsize=8, loc="left", pad=3, color=INK,
                         linespacing=1.15)
        order = ["Persia / Iran", "Russia", "Other holders", "Changed hands"]
        handles = [entries[k] for k in order if k in entries]
        leg = fig.legend([h for h, _ in handles], [lab for _, lab in handles], loc="lower left", ncols=len(handles),
                         bbox_to_anchor=(side / FIG_WIDTH_IN, 0.42 / fig_h), frameon=False, fontsize=8.5,
                         handlelength=2.6, handleheight=1.5, borderaxespad=0)
        leg.set_gid("legend")
        fig.text(side / FIG_WIDTH_IN, 0.1 / fig_h, "\n".join(textwrap.wrap(ATTRIBUTION, 200)), ha="left",
                 va="bottom", fontsize=6.5, color="#444444", gid="attribution", linespacing=1.3)
        return fig


def draw_territory(atlas: Atlas) -> Figure:
    """Return a chart of the km² Persia lost to (and regained from) Russia per treaty, and the running total."""
    with matplotlib.rc_context(_RC):
        sts = [st for st in steps(atlas) if round(st.lost_km2)]
        fig = _figure(FIG_WIDTH_IN, 8.0)
        fig.suptitle("Land Persia lost to and regained from Russia", x=0.06, y=0.975, ha="left", va="top",
                     fontsize=16, fontweight="bold", color=INK)
        fig.text(0.06, 0.928, "km² per treaty (areas of the atlas's units, measured in an equal-area projection)",
                 ha="left", va="top", fontsize=9.5, color="#333333", gid="subtitle")
        if not sts:  # a valid history in which no land passed between them: say so, draw no empty axes
            fig.text(0.5, 0.5, "No land passed between Persia and Russia in these events.", ha="center",
                     va="center", fontsize=12, color=INK, gid="no_changes")
            return fig
        thousands = FuncFormatter(lambda v, _: f"{v:,.0f}".replace("-", "−"))

        ax = fig.add_axes((0.08, 0.5, 0.88, 0.36))
        ax.set_gid("bars")
        lost, regained = HOLDER_STYLES["russia"], HOLDER_STYLES["persia"]
        for i, st in enumerate(sts):
            s = lost if st.lost_km2 > 0 else regained
            bar = ax.bar(i, st.lost_km2, width=0.62, color=s.face, edgecolor=s.edge, hatch=s.hatch or "..",
                         linewidth=0.8, zorder=2)[0]
            bar.set_gid(f"bar_{st.event.id}")
            sign = "+" if st.lost_km2 > 0 else "−"
            ax.annotate(f"{sign}{_km2(st.lost_km2)}", (i, st.lost_km2), xytext=(0, 4 if st.lost_km2 > 0 else -4),
                        textcoords="offset points", ha="center", va="bottom" if st.lost_km2 > 0 else "top",
                        fontsize=8.5, fontweight="bold", color=INK)
        ax.axhline(0, color=INK, lw=0.8, zorder=3)
        ax.set_xticks(range(len(sts)),
                      ["\n".join(textwrap.wrap(st.event.title.replace(f" ({_year(st.event)})", ""), 22)) + "\n"
                       + _year(st.event) for st in sts], fontsize=8)
        ax.yaxis.set_major_formatter(thousands)
        ax.set_ylabel("km²  (+ lost, − regained)", fontsize=9)
        ax.set_ylim(min(0, min(st.lost_km2 for st in sts)) * 1.35, max(st.lost_km2 for st in sts) * 1.18)
        ax.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend([Patch(facecolor=lost.face, edgecolor=lost.edge, hatch=lost.hatch),
                   Patch(facecolor=regained.face, edgecolor=regained.edge, hatch="..")],
                  ["Lost to Russia", "Regained from Russia"], loc="upper left", frameon=False, fontsize=8.5,
                  handleheight=1.5, handlelength=2.4)

        ax2 = fig.add_axes((0.08, 0.1, 0.88, 0.26))
        ax2.set_gid("running_total")
        years = [st.event.date.date.year + (st.event.date.date.timetuple().tm_yday - 1) / 365.25 for st in sts]
        totals = [st.total_lost_km2 for st in sts]
        x0, x1 = years[0] - 10, max(years[-1] + 20, 1920)
        line = ax2.step([x0, *years, x1], [0, *totals, totals[-1]], where="post", color=lost.edge, lw=2, zorder=3)[0]
        line.set_gid("running_total_line")
        ax2.fill_between([x0, *years, x1], [0, *totals, totals[-1]], step="post", color=lost.face, alpha=0.35,
                         hatch="///", edgecolor=lost.edge, linewidth=0, zorder=2)
        ax2.plot(years, totals, "o", color=lost.edge, ms=4.5, zorder=4)
        # label each treaty; treaties less than 20 years apart get a column of labels with leaders
        clusters: list[list[int]] = []
        for i, yr in enumerate(years):
            if clusters and yr - years[clusters[-1][-1]] < 20:
                clusters[-1].append(i)
            else:
                clusters.append([i])
        top = max(totals) * 1.3
        for cl in clusters:
            for j, i in enumerate(cl):
                st = sts[i]
                name = st.event.title.split(" (")[0].replace("Treaty of ", "")
                text = f"{name} {_year(st.event)}: {totals[i]:,.0f}"
                if len(cl) == 1:
                    ax2.annotate(text.replace(": ", "\n"), (years[i], totals[i]), xytext=(3, 5),
                                 textcoords="offset points", fontsize=7.5, ha="left", va="bottom", color=INK,
                                 linespacing=1.1)
                else:
                    ty = top * (0.8 - 0.16 * j)
                    ax2.annotate(text, (years[i], totals[i]), xytext=(years[cl[-1]] + 8, ty), textcoords="data",
                                 fontsize=7.5, ha="left", va="center", color=INK,
                                 arrowprops=dict(arrowstyle="-", color="#555555", lw=0.6, shrinkA=2, shrinkB=3))
        ax2.set_xlim(x0, x1)
        ax2.set_ylim(0, max(totals) * 1.3)
        ax2.yaxis.set_major_formatter(thousands)
        ax2.set_ylabel("km², running total", fontsize=9)
        ax2.set_title("Running total of Persia's net loss to Russia", fontsize=10, loc="left", color=INK)
        ax2.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
        ax2.spines[["top", "right"]].set_visible(False)
        ax2.tick_params(labelsize=8)
        fig.text(0.06, 0.015, "\n".join(textwrap.wrap(ATTRIBUTION, 200)), ha="left", va="bottom", fontsize=6.5,
                 color="#444444", gid="attribution", linespacing=1.3)
        return fig


# --- files ---------------------------------------------------------------------------------------

def _save(fig: Figure, path: Path, fmt: str, dpi: float) -> Path:
    with matplotlib.rc_context(_RC):
        fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white")
    return path


def _check_format(fmt: str) -> str:
    f = (fmt or "").lower().lstrip(".")
    if f not in FORMATS:
        close = difflib.get_close_matches(f, FORMATS, n=1, cutoff=0.3)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise MapperError(f"unknown figure format {fmt!r} (choose one of {', '.join(FORMATS)}{hint})")
    return f


def save_figure(atlas: Atlas, event_id: str, path: Path, *, fmt: str, width_px: int = 2400) -> Path:
    """Draw the print figure of ``event_id`` and save it to ``path`` as PNG, SVG or PDF ``width_px`` wide.

    Raises MapperError for an unknown event id (with a did-you-mean), a bad format or width.
    """
    fmt = _check_format(fmt)
    if not isinstance(width_px, int) or not 400 <= width_px <= 10000:
        raise MapperError(f"figure width {width_px!r} px is out of range (400 to 10000)")
    fig = draw_event(atlas, event_id)
    path = Path(path)
    return _save(fig, path, fmt, width_px / FIG_WIDTH_IN)


_ATLAS: Atlas | None = None


def _init_worker(atlas: Atlas) -> None:
    """Keep the atlas for the tasks; leave interrupts to the parent, which stops the pool."""
    import signal

    global _ATLAS
    _ATLAS = atlas
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _render(task: tuple[str, str], folder: str, atlas: Atlas | None = None) -> list[str]:
    kind, key = task
    atlas = atlas or _ATLAS
    fig = {"event": lambda: draw_event(atlas, key), "overview": lambda: draw_overview(atlas),
           "territory": lambda: draw_territory(atlas)}[kind]()
    out = []
    for fmt in ("png", "svg"):
        p = Path(folder) / f"{key}.{fmt}"
        _save(fig, p, fmt, DPI)
        out.append(str(p))
    return out


def write_figures(atlas: Atlas, out: Path, *, workers: int | None = None) -> list[Path]:
    """Write ``figures/<event-id>.png/.svg``, ``overview`` and ``territory`` under ``out``; return the paths.

    ``workers`` processes draw in parallel (default: up to 2, one per CPU); the files do not depend on it.
    """
    folder = Path(out) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [("overview", "overview"), ("territory", "territory")] + [("event", e.id) for e in atlas.events]
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1:
        written = [p for t in tasks for p in _render(t, str(folder), atlas)]
    else:
        import multiprocessing
        import threading

        # fork is quick and safe while this process has a single thread; otherwise start afresh
        fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(atlas,)) as pool:
            futures = [pool.submit(_render, t, str(folder)) for t in tasks]
            try:
                written = [p for f in futures for p in f.result()]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    return [Path(p) for p in written]
