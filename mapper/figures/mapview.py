"""One map of the atlas's state after a step: holders, zones, what changed, places and labels.

The event figures draw it large with labels; the overview draws it small (``compact``). Every
artist that stands for a record carries a ``gid``: ``unit_<id>``, ``changed_<id>``, ``zone_<id>``,
``country_<id>``, ``place_<id>``; tests and SVG users find them by it.
"""
from __future__ import annotations

import textwrap

import shapely
from matplotlib.patches import Patch, PathPatch

from mapper.figures.captions import change_groups, holder_labels, is_transfer
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
    CHANGED_STYLE,
    CLAIM_HATCH_WIDTH,
    CLAIM_STYLES,
    HOLDER_STYLES,
    INK,
    LAND,
    LAND_EDGE,
    MUTED,
    RECOGNISED_STYLE,
    SEA,
    ZONE_STYLES,
)
from mapper.model import Atlas
from mapper.timeline import Change, Step
from mapper.words import Words

__all__ = ["draw_map"]


def draw_map(ax, atlas: Atlas, st: Step, w: Words, *, window=WINDOW, compact: bool = False) -> list[tuple]:
    """Draw the state after ``st`` into ``ax``; return the legend entries ``(handle, label)`` drawn.

    Holders are fills; claims a hatch and dashed outline in the claimant's colour; zones outlines and
    hatches; units that changed hands at ``st`` a hatch and a thick outline, units whose claim changed
    (claimed, conquest recognised, claim renounced) a thick dashed outline.
    """
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
    labels = holder_labels(w, atlas, st)
    for h in ("persia", "russia", "other"):
        if h in drawn_holders:
            s = HOLDER_STYLES[h]
            entries.append((Patch(facecolor=s.face, edgecolor=s.edge, hatch=s.hatch, linewidth=0.5),
                            "\n".join(textwrap.wrap(labels[h], 46))))
    entries += _draw_claims(ax, atlas, st, w, layers, frame_, lw, neatline)

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
    # a claim kept on land lost at this very step is said in the panel, not drawn twice on the map
    moved = {c.unit for c in st.changes if is_transfer(c)}
    groups = {label: cs for label, cs in change_groups(w, st).items()
              if is_transfer(cs[0]) or not {c.unit for c in cs} <= moved}
    for changes in groups.values():
        s = CHANGED_STYLE if is_transfer(changes[0]) else RECOGNISED_STYLE
        for c in changes:
            patch(ax, layers["units"][c.unit], gid=f"changed_{c.unit}", edge=s.edge, hatch=s.hatch,
                  lw=0.3 * s.linewidth * lw, z=5, clip=neatline)
        union = shapely.union_all([layers["units"][c.unit] for c in changes])
        patch(ax, union, gid=f"changed_outline_{_slug(changes)}", edge=s.edge, lw=1.3 * s.linewidth * lw,
              ls=s.linestyle, z=5.5, clip=neatline)
    if any(is_transfer(c) for c in st.changes):
        s = CHANGED_STYLE
        entries.append((Patch(facecolor="none", edgecolor=s.edge, hatch=s.hatch, linewidth=s.linewidth),
                        w.gettext("Changed hands at this event")))
    s = RECOGNISED_STYLE
    for label, changes in groups.items():
        if not is_transfer(changes[0]):  # small maps: one entry for every change of a claim
            entries.append((Patch(facecolor="none", edgecolor=s.edge, linestyle=s.linestyle, linewidth=s.linewidth),
                            w.gettext("Claim changed at this event") if compact else label))

    if compact:
        return entries

    # labels: capitals and the signing place, then what changed, zones begun, unit names, cities
    bb = ax.get_position()
    width_pt, height_pt = bb.width * ax.figure.get_figwidth() * 72, bb.height * ax.figure.get_figheight() * 72
    fx0, fy0, fx1, fy1 = frame_.bounds
    labels_ = Labels(ax, max((xmax - xmin) / width_pt, (ymax - ymin) / height_pt), (fx0, fy0, fx1, fy1))
    labels_.boxes.append(scale_bar(ax, window, w))
    places = pick_places(atlas, st, window)
    changed_geoms = [atlas.unit(c.unit).geometry for c in st.changes]
    first = [pk for pk in places if pk[1] != "city" or any(g.covers(shapely.Point(pk[0].lon, pk[0].lat))
                                                           for g in changed_geoms)]
    entries += draw_places(ax, first, labels_, w)
    for label, changes in groups.items():
        union = shapely.intersection(shapely.union_all([layers["units"][c.unit] for c in changes]), frame_)
        if union.is_empty:
            continue
        x, y = label_point(union)
        labels_.add(x, y, f"{label}\n{w.km2(sum(c.km2 for c in changes))}", size=10, weight="bold",
                    gid=f"label_change_{_slug(changes)}", force=True, linespacing=1.1,
                    around_pt=28, leader=True)
    for zid in st.zones_begun:
        visible = shapely.intersection(layers["zones"][zid], frame_)
        if zid in st.state.zones and not visible.is_empty:
            x, y = label_point(visible)
            z = atlas.zone(zid)
            labels_.add(x, y, "\n".join(textwrap.wrap(z.name, 24)), size=9, style="italic", weight="bold",
                        gid=f"label_zone_{zid}", color=ZONE_STYLES[z.kind].edge, around_pt=30, force=True)
    if window != WINDOW:
        for uid in dict.fromkeys(c.unit for c in st.changes):  # a unit may change twice (taken, still claimed)
            g = shapely.intersection(layers["units"][uid], frame_)
            if not g.is_empty:
                x, y = label_point(g)
                name = "\n".join(textwrap.wrap(atlas.unit(uid).name.split(" (")[0], 16))
                labels_.add(x, y, name, size=7, style="italic", gid=f"label_unit_{uid}", color="#2b2b2b",
                            around_pt=8, linespacing=1.0)
    entries += draw_places(ax, [pk for pk in places if pk not in first], labels_, w)
    return list(dict((label, (h, label)) for h, label in entries).values())


def _slug(changes: list[Change]) -> str:
    """Return a group's id for artists: its kind and receiving holder, ``cession_russia``."""
    return f"{changes[0].kind}_{changes[0].to}"


def _draw_claims(ax, atlas: Atlas, st: Step, w: Words, layers: dict, frame_, lw: float, clip) -> list[tuple]:
    """Draw each claim on a unit (``claim_<unit>_<claimant>``); return a legend entry per claimant seen."""
    seen = []
    for u in atlas.units:
        for claimant in st.state.holders[u.id].claimed_by:
            s = CLAIM_STYLES[claimant]
            geom = layers["units"][u.id]
            patch(ax, geom, gid=f"claim_{u.id}_{claimant}", edge=s.edge, hatch=s.hatch, lw=s.linewidth * lw,
                  ls=s.linestyle, z=3.5, clip=clip, hatch_colour=s.face, hatch_width=CLAIM_HATCH_WIDTH * lw)
            if claimant not in seen and geom.intersects(frame_):
                seen.append(claimant)
    return [(Patch(facecolor=MUTED, edgecolor=CLAIM_STYLES[c].edge, hatch=CLAIM_STYLES[c].hatch,
                   hatchcolor=CLAIM_STYLES[c].face, linestyle=CLAIM_STYLES[c].linestyle, linewidth=1.2),
             w.gettext("Claimed by {to}").format(to=w.holder_label(c))) for c in seen]

