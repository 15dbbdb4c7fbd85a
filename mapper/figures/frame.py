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
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from mapper import geometry
from mapper.figures.symbols import INK, MUTED
from mapper.model import Atlas
from mapper.timeline import EQUAL_AREA, Step, to_equal_area
from mapper.words import Words

__all__ = ["WINDOW", "COMPACT_TOLERANCE_M", "collection", "focus_window", "frame", "graticule", "holder_union", "label_point", "line", "patch",
           "path",
           "project_point", "projected_size", "scale_bar", "set_limits", "view"]

#: The map window (lon_min, lat_min, lon_max, lat_max): the Caucasus, the Caspian and Iran.
WINDOW = (38.0, 24.0, 64.0, 47.0)
COMPACT_TOLERANCE_M = 8000.0  # simplification of the overview's small maps (under a pixel: about 11 km at 200 dpi)
#: Simplification of the large maps: well under a tenth of a millimetre at a page's width.
FULL_TOLERANCE_M = 600.0


def _window_polygon(window=WINDOW):
    return shapely.segmentize(shapely.box(*window), 0.25)


@lru_cache(maxsize=8)
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

    The box (:func:`mapper.geometry.focus_box`, as the web page frames a step) stays inside the
    background's extent; :data:`WINDOW` when nothing changed or the change spans most of the window.
    """
    geoms = [atlas.unit(c.unit).geometry for c in st.changes] or [atlas.zone(z).geometry for z in st.zones_begun]
    context = _context(atlas)
    # "most of the window": 70 % of WINDOW's width or height, as a share of the background's extent
    share = 0.7 * min((WINDOW[2] - WINDOW[0]) / (context[2] - context[0]),
                      (WINDOW[3] - WINDOW[1]) / (context[3] - context[1]))
    box = geometry.focus_box(geoms, context, aspect=aspect, whole_above=share)
    return WINDOW if box == context else box


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
    """Return the projected layers cut to the map's neatline (small files, fast drawing), once per window.

    Fills cut so need no clipping when drawn (a clip path costs Agg a mask of the whole figure per
    patch). A unit outside the window becomes an empty geometry (and an empty patch): drawn, not seen.
    """
    neat = frame(window)
    x0, y0, x1, y1 = neat.bounds
    out = {}
    for kind, geoms in _layers(atlas, tolerance_m).items():
        keys = list(geoms)
        boxed = shapely.clip_by_rect(np.array([geoms[k] for k in keys], dtype=object), x0, y0, x1, y1)
        cut = shapely.intersection(boxed, neat)
        out[kind] = {k: _polygons(g) for k, g in zip(keys, cut)}
    return out


def _polygons(geom):
    """Return only the polygons of ``geom`` (a cut may leave slivers of lines or points on the neatline)."""
    if geom.is_empty or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


#: The smallest island a holder's border goes round, as a share of the window's width (squared: an area).
#: Smaller ones keep their fill; a thick black ring round a speck reads as a place symbol.
SPECK = 0.006


@lru_cache(maxsize=256)
def holder_union(atlas: Atlas, window: tuple, tolerance_m: float, units: tuple[str, ...]):
    """Return the union of the ``units`` as cut to ``window`` (the border of one holder), kept per process.

    Parts smaller than :data:`SPECK` of the window (the islets off Baku on a regional map) are left out.
    """
    layer = view(atlas, window, tolerance_m)["units"]
    union = shapely.union_all([layer[u] for u in units])
    x0, _, x1, _ = frame(window).bounds
    least = (SPECK * (x1 - x0)) ** 2
    parts = [p for p in shapely.get_parts(union) if p.area >= least]
    return shapely.MultiPolygon(parts) if len(parts) != len(shapely.get_parts(union)) else union


@lru_cache(maxsize=1)
def _to_equal_area() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", EQUAL_AREA, always_xy=True)


@lru_cache(maxsize=32)
def frame(window: tuple) -> shapely.Polygon:
    """Return the map's neatline: the lon/lat box ``window`` projected (its sides are curved)."""
    return to_equal_area(_window_polygon(window))


#: Paths made, by the id of their geometry (kept with it, so that the id cannot be another's): the projected
#: layers (:func:`view`) are the same objects for every map of a window, in every language.
_PATHS: dict[int, tuple[object, MplPath]] = {}
_PATHS_LIMIT = 2048


def path(geom) -> MplPath:
    """Return a matplotlib path for the polygons of ``geom`` (holes kept); empty if there are none.

    A geometry's path is made once per process (matplotlib never changes a patch's path; setting one replaces it).
    """
    kept = _PATHS.get(id(geom))
    if kept is not None and kept[0] is geom:
        return kept[1]
    made = _path(geom)
    if len(_PATHS) >= _PATHS_LIMIT:
        _PATHS.clear()
    _PATHS[id(geom)] = (geom, made)
    return made


def _path(geom) -> MplPath:
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    parts = getattr(geom, "geoms", [geom])
    for poly in parts:
        if poly.geom_type == "MultiPolygon" or poly.geom_type == "GeometryCollection":
            sub = path(poly)
            if sub.codes is not None and len(np.asarray(sub.vertices)):
                verts.append(np.asarray(sub.vertices))
                codes.append(np.asarray(sub.codes))
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


#: Collections made of layer geometries, by their members' ids (kept with them, so that no id can be another's).
_COLLECTIONS: dict[tuple[int, ...], tuple[tuple, shapely.GeometryCollection]] = {}
_COLLECTIONS_LIMIT = 1024


def collection(geoms) -> shapely.GeometryCollection:
    """Return the geometries ``geoms`` as one collection, the same object whenever they are the same objects.

    A map's hatches and merged layers gather the same projected layers (:func:`view`) in every language
    and on many maps: made once, their matplotlib path is made once too (:func:`path` keeps paths by geometry).
    """
    members = tuple(geoms)
    key = tuple(map(id, members))
    kept = _COLLECTIONS.get(key)
    if kept is not None and all(a is b for a, b in zip(kept[0], members)):
        return kept[1]
    made = shapely.GeometryCollection(list(members))
    if len(_COLLECTIONS) >= _COLLECTIONS_LIMIT:
        _COLLECTIONS.clear()
    _COLLECTIONS[key] = (members, made)
    return made


def patch(ax, geom, *, gid: str, face=None, edge="none", hatch=None, lw=0.5, ls="-", z=2.0, alpha=None, clip=None,
          hatch_colour=None, hatch_width=None):
    """Add ``geom`` to ``ax`` as one patch with the id ``gid``; return the patch.

    The hatch is drawn in ``hatch_colour`` (default: the edge's) ``hatch_width`` points wide (default: rc).
    """
    p = PathPatch(path(geom), facecolor=face if face is not None else "none", edgecolor=edge, hatch=hatch,
                  linewidth=lw, linestyle=ls, zorder=z, alpha=alpha, joinstyle="round")
    if hatch_colour is not None:
        p.set_hatchcolor(hatch_colour)
    if hatch_width is not None:
        p.set_hatch_linewidth(hatch_width)
    p.set_gid(gid)
    ax.add_artist(p)  # not add_patch: the limits are set by the window, and updating them costs a second a map
    if clip is not None:
        p.set_clip_path(clip)
    return p


def line(ax, x, y, **kw) -> Line2D:
    """Add a line through the points ``x``, ``y`` to ``ax`` as ``ax.plot`` would, without its argument parsing
    and without updating the data limits (the window sets them)."""
    ln = Line2D(x, y, **kw)
    ax.add_artist(ln)
    return ln


def project_point(lon: float, lat: float) -> tuple[float, float]:
    """Return the projected position of a lon/lat point."""
    p = to_equal_area(shapely.Point(lon, lat))
    return p.x, p.y


def label_point(geom) -> tuple[float, float]:
    """Return where a label of the projected ``geom`` goes (:func:`mapper.geometry.label_point`, in metres)."""
    return geometry.label_centre(geom, tolerance=2000)


def _units_per_point(ax) -> float:
    """Return the map units one point covers in ``ax`` (its limits and size in inches set)."""
    bb = ax.get_position()
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (bb.width * ax.figure.get_figwidth() * 72)


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


def graticule(ax, window, compact: bool, size_pt: float = 7.0, w: Words | None = None) -> list:
    """Draw meridians and parallels every 5° (2° on small windows), labelled at the frame unless ``compact``.

    The labels are in ``w``'s language and digits: ``44°N`` in English; Persian and Russian maps print the
    degrees alone (``۴۴°``, ``44°``), since the side of the frame tells latitude from longitude.

    Returns the labels' texts.
    """
    w = w or Words()
    texts = []
    lon0, lat0, lon1, lat1 = window
    step = 5.0 if lon1 - lon0 > 16 else 2.0
    lats = np.linspace(lat0, lat1, 100)
    lons = np.linspace(lon0, lon1, 100)
    t = _to_equal_area()
    for lon in np.arange(math.ceil(lon0 / step) * step, lon1 + 1e-9, step):
        x, y = t.transform(np.full_like(lats, lon), lats)
        line(ax, x, y, color="#6f6f6f", lw=0.35, alpha=0.7, zorder=3.5, gid=f"graticule_lon_{lon:g}")
        if not compact:
            bx, by = t.transform(lon, lat0)
            texts.append(ax.annotate(w.gettext("{degrees}°E").format(degrees=w.number(lon)), (bx, by), xytext=(0, -3), textcoords="offset points", ha="center",
                                     va="top", fontsize=size_pt, color=MUTED, annotation_clip=False,
                                     gid=f"graticule_label_lon_{lon:g}"))
    for lat in np.arange(math.ceil(lat0 / step) * step, lat1 + 1e-9, step):
        x, y = t.transform(lons, np.full_like(lons, lat))
        line(ax, x, y, color="#6f6f6f", lw=0.35, alpha=0.7, zorder=3.5, gid=f"graticule_lat_{lat:g}")
        if not compact:
            bx, by = t.transform(lon0, lat)
            texts.append(ax.annotate(w.gettext("{degrees}°N").format(degrees=w.number(lat)), (bx, by), xytext=(-3, 0), textcoords="offset points", ha="right",
                                     va="center", fontsize=size_pt, color=MUTED, annotation_clip=False,
                                     gid=f"graticule_label_lat_{lat:g}"))
    return texts


def scale_bar(ax, window, w: Words, size_pt: float = 7.0) -> tuple[float, float, float, float]:
    """Draw a scale bar in the lower left whose length uses the projection's scale factor there.

    The last number carries the unit ("250 km"); in a right-to-left language the numbers stand alone and the
    caption names the unit. Returns the box it covers (bar, labels and caption, on a white ground) in display pixels.
    """
    lon, lat = window[0] + 0.06 * (window[2] - window[0]), window[1] + 0.05 * (window[3] - window[1])
    width_km = projected_size(window)[0] / 1000
    km = next((k for k in (1000, 500, 250, 200, 100, 50, 20, 10) if k <= width_km / 4), 10)
    factors = pyproj.Proj(EQUAL_AREA).get_factors(lon + 0.1 * (window[2] - window[0]), lat)
    length = km * 1000 * factors.parallel_scale
    x0, y0 = project_point(lon, lat)
    pt = _units_per_point(ax)
    h = 3 * pt
    artists = [ax.add_artist(Rectangle((x0 + i * length / 4, y0), length / 4, h, facecolor=INK if i % 2 == 0 else "white",
                                       edgecolor=INK, linewidth=0.6, zorder=8.5, gid=f"scalebar_{i}"))
               for i in range(4)]
    renderer = ax.figure.canvas.get_renderer()
    rtl = w.direction == "rtl"  # a right-to-left reader would read "250 km" with the unit first, left of the number:
    # the bar's numbers stand alone on their ticks and the caption names the unit
    for i, frac in enumerate((0, 0.5, 1)):
        number, x, ha = w.number(km * frac), x0 + frac * length, "center"
        label = number
        if frac == 1 and not rtl:  # the unit follows the last number, which stays centred on its tick (clear of the middle one)
            probe = ax.text(x, y0, number, fontsize=size_pt)
            x -= probe.get_window_extent(renderer).width / 2 * pt * 72 / ax.figure.dpi
            probe.remove()
            label, ha = w.gettext("{length} km").format(length=number), "left"
        artists.append(ax.text(x, y0 + h + pt, label, ha=ha, va="bottom", fontsize=size_pt,
                               zorder=9, color=INK, gid=f"scalebar_label_{i}"))
    caption = w.gettext("scale in kilometres, true at {lat}° N") if rtl else w.gettext("scale true at {lat}° N")
    caption = caption.format(lat=w.number(lat))
    artists.append(ax.text(x0, y0 - pt, caption, ha="left", va="top", fontsize=size_pt, color=MUTED, zorder=9,
                           gid="scalebar_caption"))
    boxes = [a.get_window_extent(renderer) for a in artists]
    d0, d1 = min(b.x0 for b in boxes) - 3, min(b.y0 for b in boxes) - 2
    d2, d3 = max(b.x1 for b in boxes) + 3, max(b.y1 for b in boxes) + 2
    (bx0, by0), (bx1, by1) = ax.transData.inverted().transform([(d0, d1), (d2, d3)])
    ax.add_artist(Rectangle((bx0, by0), bx1 - bx0, by1 - by0, facecolor="white", alpha=0.85, edgecolor="none",
                            zorder=8, gid="scalebar_box"))
    return (d0, d1, d2, d3)
