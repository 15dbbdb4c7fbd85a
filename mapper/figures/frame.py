"""The map frame: projection of the layers, the window and its neatline, graticule and scale bar.

Maps are in the atlas's Albers equal-area projection (:data:`mapper.timeline.EQUAL_AREA`) and
bounded by a graticule box: :data:`WINDOW` (the Caucasus, the Caspian and Iran) or a box around
what changed. Geometry turns into matplotlib patches here and nowhere else (:func:`patch`).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pyproj
import shapely
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from mapper.figures.symbols import INK
from mapper.model import Atlas
from mapper.timeline import EQUAL_AREA, Step, to_equal_area

__all__ = ["WINDOW", "COMPACT_TOLERANCE_M", "focus_window", "frame", "graticule", "label_point", "patch", "path",
           "project_point", "projected_size", "scale_bar", "set_limits", "view"]

#: The map window (lon_min, lat_min, lon_max, lat_max): the Caucasus, the Caspian and Iran.
WINDOW = (38.0, 24.0, 64.0, 47.0)
COMPACT_TOLERANCE_M = 4000.0  # simplification of the overview's small maps (a pixel is about 4.5 km)


def _window_polygon(window=WINDOW):
    return shapely.segmentize(shapely.box(*window), 0.25)


def _context(atlas: Atlas) -> tuple[float, float, float, float]:
    """Return the lon/lat box the background countries cover (the geodata's context box)."""
    if not atlas.countries:
        return WINDOW
    return tuple(shapely.union_all([c.geometry for c in atlas.countries]).bounds)


def projected_size(window) -> tuple[float, float]:
    """Return the width and height in metres of the lon/lat box ``window`` once projected."""
    x0, y0, x1, y1 = to_equal_area(_window_polygon(window)).bounds
    return x1 - x0, y1 - y0


def focus_window(atlas: Atlas, st: Step, aspect: float = 1.0) -> tuple[float, float, float, float]:
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
        pw, ph = projected_size((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
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
def view(atlas: Atlas, window: tuple, tolerance_m: float = 0.0) -> dict:
    """Return the projected layers cut to the rectangle around the map ``window`` (small files, fast drawing).

    A unit outside the window becomes an empty geometry (and an empty patch): it is drawn, not seen.
    """
    x0, y0, x1, y1 = frame(window).bounds
    m = 0.02 * max(x1 - x0, y1 - y0)
    return {kind: {k: shapely.clip_by_rect(g, x0 - m, y0 - m, x1 + m, y1 + m) for k, g in geoms.items()}
            for kind, geoms in _layers(atlas, tolerance_m).items()}


@lru_cache(maxsize=32)
def frame(window: tuple) -> shapely.Polygon:
    """Return the map's neatline: the lon/lat box ``window`` projected (its sides are curved)."""
    return to_equal_area(_window_polygon(window))


def path(geom) -> MplPath:
    """Return a matplotlib path for the polygons of ``geom`` (holes kept); empty if there are none."""
    verts, codes = [], []
    parts = getattr(geom, "geoms", [geom])
    for poly in parts:
        if poly.geom_type == "MultiPolygon" or poly.geom_type == "GeometryCollection":
            sub = path(poly)
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


def patch(ax, geom, *, gid: str, face=None, edge="none", hatch=None, lw=0.5, ls="-", z=2.0, alpha=None, clip=None):
    """Add ``geom`` to ``ax`` as one patch with the id ``gid``; return the patch."""
    p = PathPatch(path(geom), facecolor=face if face is not None else "none", edgecolor=edge, hatch=hatch,
                  linewidth=lw, linestyle=ls, zorder=z, alpha=alpha, joinstyle="round")
    p.set_gid(gid)
    ax.add_patch(p)
    if clip is not None:
        p.set_clip_path(clip)
    return p


def project_point(lon: float, lat: float) -> tuple[float, float]:
    """Return the projected position of a lon/lat point."""
    p = to_equal_area(shapely.Point(lon, lat))
    return p.x, p.y


def label_point(geom) -> tuple[float, float]:
    """Return the centre of the largest circle inside the largest polygon of ``geom``."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in ("Polygon", "MultiPolygon")]
    big = max(parts, key=lambda g: g.area)
    if big.geom_type == "MultiPolygon":
        big = max(big.geoms, key=lambda g: g.area)
    p = shapely.get_point(shapely.maximum_inscribed_circle(big, tolerance=2000), 0)
    return p.x, p.y


def set_limits(ax, window) -> tuple[float, float, float, float]:
    """Fit the projected ``window`` into ``ax`` (equal aspect, no axes drawn); return the limits set."""
    xmin, ymin, xmax, ymax = frame(window).bounds
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
    return xmin, ymin, xmax, ymax


def graticule(ax, window, compact: bool) -> None:
    """Draw meridians and parallels every 5° (2° on small windows), labelled at the frame unless ``compact``."""
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


def scale_bar(ax, window) -> tuple[float, float, float, float]:
    """Draw a scale bar in the lower left whose length uses the projection's scale factor there.

    Returns the box it covers, in map units.
    """
    lon, lat = window[0] + 0.06 * (window[2] - window[0]), window[1] + 0.045 * (window[3] - window[1])
    width_km = projected_size(window)[0] / 1000
    km = next(k for k in (1000, 500, 250, 200, 100, 50) if k <= width_km / 4)
    factors = pyproj.Proj(EQUAL_AREA).get_factors(lon + 0.1 * (window[2] - window[0]), lat)
    length = km * 1000 * factors.parallel_scale
    x0, y0 = project_point(lon, lat)
    h = length / 40
    box = (x0 - h * 2.5, y0 - h * 2, x0 + length + h * 5.5, y0 + h * 5.6)
    ax.add_patch(Rectangle(box[:2], box[2] - box[0], box[3] - box[1], facecolor="white", alpha=0.85,
                           edgecolor="none", zorder=8, gid="scalebar_box"))
    for i in range(4):
        ax.add_patch(Rectangle((x0 + i * length / 4, y0), length / 4, h, facecolor=INK if i % 2 == 0 else "white",
                               edgecolor=INK, linewidth=0.6, zorder=8.5, gid=f"scalebar_{i}"))
    for frac in (0, 0.5, 1):
        label = f"{km * frac:g}" + (" km" if frac == 1 else "")
        ax.text(x0 + frac * length, y0 + h * 1.6, label, ha="center", va="bottom", fontsize=7, zorder=9, color=INK)
    ax.text(x0 + length / 2, y0 - h * 0.6, f"scale true at {lat:.0f}° N", ha="center", va="top", fontsize=5.5,
            color="#444444", zorder=9)
    return box
