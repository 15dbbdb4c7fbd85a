"""One map of the atlas's state after a step: holders, zones, what changed, places and labels.

The event figures draw it large with labels; the overview draws it small (``compact``). Every
artist that stands for a record carries a ``gid``: ``unit_<id>``, ``changed_<id>``, ``zone_<id>``,
``country_<id>``, ``place_<id>``; tests and SVG users find them by it.
"""
from __future__ import annotations

import textwrap

import shapely
from matplotlib.patches import Patch, PathPatch

from mapper.figures.captions import change_groups, holder_labels, km2
from mapper.figures.frame import (
    COMPACT_TOLERANCE_M,
    WINDOW,
    frame,
    graticule,
    label_point,
    patch,
    path,
    scale_bar,
    set_limits,
    view,
)
from mapper.figures.labels import Labels, draw_places, pick_places
from mapper.figures.symbols import (
    CHANGED_EDGE,
    CHANGED_HATCH,
    HOLDER_STYLES,
    INK,
    LAND,
    LAND_EDGE,
    SEA,
    ZONE_STYLES,
)
from mapper.model import Atlas
from mapper.timeline import Step

__all__ = ["draw_map"]


def draw_map(ax, atlas: Atlas, st: Step, *, window=WINDOW, compact: bool = False) -> list[tuple]:
    """Draw the state after ``st`` into ``ax``; return the legend entries ``(handle, label)`` drawn."""
    layers = view(atlas, window, COMPACT_TOLERANCE_M if compact else 0.0)
    frame_ = frame(window)
    xmin, ymin, xmax, ymax = set_limits(ax, window)
    lw = 0.55 if compact else 1.0

    # everything is clipped to the neatline; units outside it are drawn but not seen
    neatline = PathPatch(path(frame_), facecolor="none", edgecolor=INK, linewidth=0.9, zorder=10, gid="neatline")
    ax.add_patch(neatline)
    patch(ax, frame_, gid="sea", face=SEA, z=0.5)
    for cid, g in layers["countries"].items():
        patch(ax, g, gid=f"country_{cid}", face=LAND, edge=LAND_EDGE, lw=0.35 * lw, z=1, clip=neatline)

    holders = {uid: t.holder for uid, t in st.state.holders.items()}
    drawn_holders = []
    for u in atlas.units:
        h = holders[u.id]
        s = HOLDER_STYLES[h]
        patch(ax, layers["units"][u.id], gid=f"unit_{u.id}", face=s.face, edge=s.edge, hatch=s.hatch,
               lw=0.3 * lw, z=2, clip=neatline)
        if h not in drawn_holders and layers["units"][u.id].intersects(frame_):
            drawn_holders.append(h)
    # the borders between holders, thicker than the unit lines
    for h in HOLDER_STYLES:
        geoms = [layers["units"][uid] for uid, hh in holders.items() if hh == h]
        if geoms:
            union = shapely.union_all(geoms)
            patch(ax, union, gid=f"holder_{h}", edge=INK, lw=0.9 * lw, z=3, clip=neatline)
    graticule(ax, window, compact)

    entries = []
    labels = holder_labels(atlas, st)
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
        patch(ax, layers["zones"][zid], gid=f"zone_{zid}", edge=s.edge, hatch=s.hatch, lw=s.linewidth * lw,
               ls=s.linestyle, z=4, clip=neatline)
        if z.kind not in kinds and layers["zones"][zid].intersects(frame_):
            kinds.append(z.kind)
            entries.append((Patch(facecolor="none", edgecolor=s.edge, hatch=s.hatch, linestyle=s.linestyle,
                                  linewidth=1.0), z.name))

    # what changed at this step
    groups = change_groups(st)
    for label, changes in groups.items():
        for c in changes:
            patch(ax, layers["units"][c.unit], gid=f"changed_{c.unit}", edge=CHANGED_EDGE, hatch=CHANGED_HATCH,
                   lw=0.6 * lw, z=5, clip=neatline)
        union = shapely.union_all([layers["units"][c.unit] for c in changes])
        patch(ax, union, gid=f"changed_outline_{label.lower().replace(' ', '_')}", edge=CHANGED_EDGE,
               lw=2.6 * lw, z=5.5, clip=neatline)
    if groups:
        entries.append((Patch(facecolor="none", edgecolor=CHANGED_EDGE, hatch=CHANGED_HATCH, linewidth=2.0),
                        "Changed hands at this event" if not compact else "Changed hands"))

    if compact:
        return entries

    # labels: capitals and the signing place, then what changed, zones begun, unit names, cities
    bb = ax.get_position()
    width_pt, height_pt = bb.width * ax.figure.get_figwidth() * 72, bb.height * ax.figure.get_figheight() * 72
    fx0, fy0, fx1, fy1 = frame_.bounds
    labels_ = Labels(ax, max((xmax - xmin) / width_pt, (ymax - ymin) / height_pt), (fx0, fy0, fx1, fy1))
    labels_.boxes.append(scale_bar(ax, window))
    places = pick_places(atlas, st, window)
    changed_geoms = [atlas.unit(c.unit).geometry for c in st.changes]
    first = [pk for pk in places if pk[1] != "city" or any(g.covers(shapely.Point(pk[0].lon, pk[0].lat))
                                                           for g in changed_geoms)]
    entries += draw_places(ax, first, labels_)
    for label, changes in groups.items():
        union = shapely.intersection(shapely.union_all([layers["units"][c.unit] for c in changes]), frame_)
        if union.is_empty:
            continue
        x, y = label_point(union)
        labels_.add(x, y, f"{label}\n{km2(sum(c.km2 for c in changes))}", size=10, weight="bold",
                    gid=f"label_change_{label.lower().replace(' ', '_')}", force=True, linespacing=1.1,
                    around_pt=28, leader=True)
    for zid in st.zones_begun:
        visible = shapely.intersection(layers["zones"][zid], frame_)
        if zid in st.state.zones and not visible.is_empty:
            x, y = label_point(visible)
            z = atlas.zone(zid)
            labels_.add(x, y, "\n".join(textwrap.wrap(z.name, 24)), size=9, style="italic", weight="bold",
                        gid=f"label_zone_{zid}", color=ZONE_STYLES[z.kind].edge, around_pt=30, force=True)
    if window != WINDOW:
        for c in st.changes:
            g = shapely.intersection(layers["units"][c.unit], frame_)
            if not g.is_empty:
                x, y = label_point(g)
                name = "\n".join(textwrap.wrap(atlas.unit(c.unit).name.split(" (")[0], 16))
                labels_.add(x, y, name, size=7, style="italic", gid=f"label_unit_{c.unit}", color="#2b2b2b",
                            around_pt=8, linespacing=1.0)
    entries += draw_places(ax, [pk for pk in places if pk not in first], labels_)
    return list(dict((label, (h, label)) for h, label in entries).values())

