"""One map of the atlas's state after a step: holders, zones, what changed, places and labels.

The event figures draw it large with labels; the overview draws it small (``compact``). Every
artist that stands for a record carries a ``gid``: ``unit_<id>``, ``changed_<id>``, ``zone_<id>``,
``country_<id>``, ``place_<id>``; tests and SVG users find them by it.
"""
from __future__ import annotations

import textwrap

import shapely
from matplotlib.patches import Patch, PathPatch
from matplotlib.transforms import TransformedPatchPath

from mapper.figures.captions import change_groups, holder_labels, is_transfer
from mapper import style
from mapper.figures.frame import (
    COMPACT_TOLERANCE_M,
    FULL_TOLERANCE_M,
    WINDOW,
    collection,
    frame,
    graticule,
    label_point,
    patch,
    path,
    holder_union,
    scale_bar,
    set_limits,
    view,
)
from mapper.figures.layers import mark as mark_layer
from mapper.figures.labels import Labels, draw_places, pick_places
from mapper.figures.saving import SIZES, Size
from mapper.figures.symbols import INK, MUTED, hatch, linestyle
from mapper.model import Atlas
from mapper.timeline import Change, State, Step, initial_state, steps
from mapper.words import Words

__all__ = ["draw_map"]


def draw_map(ax, atlas: Atlas, st: Step, w: Words, *, window=WINDOW, compact: bool = False,
             size: Size = SIZES["page"], before: bool = False, merged: bool = False) -> list[tuple]:
    """Draw the state after ``st`` into ``ax``; return the legend entries ``(handle, label)`` drawn.

    Holders are fills; claims a hatch and dashed outline in the claimant's colour; zones outlines and
    hatches; units that changed hands at ``st`` a hatch and a thick outline, units whose claim changed
    (claimed, conquest recognised, claim renounced) a thick dashed outline. ``size`` gives the type
    sizes of the labels (the axes must already have their printed size). With ``before``, draw the
    state on the eve of ``st`` instead, the units about to change outlined (not hatched, not labelled).
    With ``merged`` (the overview's many small maps), the countries are one patch (``countries``), the
    units one per holder (``units_<holder>``) and the claims one per claimant: the same picture, drawn
    many times faster.
    """
    state = st.state if not before else (steps(atlas)[st.index - 1].state if st.index else initial_state(atlas))
    tolerance = COMPACT_TOLERANCE_M if compact else FULL_TOLERANCE_M
    layers = view(atlas, window, tolerance)
    frame_ = frame(window)
    set_limits(ax, window)
    _one_clip_transform(ax)
    lw = 0.45 if compact else 0.8

    # the layers are cut to the neatline (frame.view): fills need no clipping, outlines are clipped to it
    # (a path of its own: an SVG numbers its clip paths by the path objects, one a map as before)
    neatline = PathPatch(path(frame_).copy(), facecolor="none", edgecolor=INK, linewidth=0.8, zorder=10, gid="neatline")
    ax.add_artist(neatline)
    # one clip path for every outline (an artist given the patch itself builds a transformed copy of it each time)
    clip = TransformedPatchPath(neatline)
    patch(ax, frame_, gid="sea", face=style.SEA, z=0.5)
    if merged:
        patch(ax, collection(list(layers["countries"].values())), gid="countries", face=style.LAND,
              edge=style.LAND_EDGE, lw=0.35 * lw, z=1)
    else:
        for cid, g in layers["countries"].items():
            patch(ax, g, gid=f"country_{cid}", face=style.LAND, edge=style.LAND_EDGE, lw=0.35 * lw, z=1)

    holders = {uid: t.holder for uid, t in state.holders.items()}
    drawn_holders = []
    for u in atlas.units:
        h = holders[u.id]
        if not merged:
            hs = style.HOLDERS[h]
            patch(ax, layers["units"][u.id], gid=f"unit_{u.id}", face=hs.fill, edge=hs.edge, lw=0.3 * lw, z=2)
        if h not in drawn_holders and not layers["units"][u.id].is_empty:
            drawn_holders.append(h)
    if not merged:
        # each holder's hatch is one patch over its units (Agg lays a hatch out anew for every patch it fills:
        # one per unit cost a fifth of a map's drawing); the pattern is the same, anchored to the page
        for h, hs in style.HOLDERS.items():
            mine = [u.id for u in atlas.units if holders[u.id] == h]
            if mine and hatch(hs.hatch):
                patch(ax, collection([layers["units"][u] for u in mine]), gid=f"hatch_{h}",
                      hatch=hatch(hs.hatch), hatch_colour=hs.edge, edge="none", lw=0, z=2.05)
    # the borders between holders, thicker than the unit lines
    for h in style.HOLDERS:
        ids = tuple(uid for uid, hh in holders.items() if hh == h)
        if not ids:
            continue
        if merged:
            hs = style.HOLDERS[h]
            patch(ax, collection([layers["units"][u] for u in ids]), gid=f"units_{h}", face=hs.fill,
                  edge=hs.edge, hatch=hatch(hs.hatch), lw=0.3 * lw, z=2)
        patch(ax, holder_union(atlas, window, tolerance, ids), gid=f"holder_{h}", edge=INK, lw=0.9 * lw, z=3,
              clip=clip)
    grat = graticule(ax, window, compact, size.small_pt, w)

    entries = []
    names = holder_labels(w, atlas, state)
    for h in ("persia", "russia", "other"):
        if h in drawn_holders:
            hs = style.HOLDERS[h]
            entries.append((Patch(facecolor=hs.fill, edgecolor=hs.edge, hatch=hatch(hs.hatch), linewidth=0.5),
                            names[h]))
    entries += _draw_claims(ax, atlas, state, w, layers, lw, clip, merged)

    # zones in force: outline and hatch, drawn over the units
    kinds = []
    for zid in state.zones:
        z = atlas.zone(zid)
        zs = style.ZONES[z.kind]
        patch(ax, layers["zones"][zid], gid=f"zone_{zid}", edge=zs.colour, hatch=hatch(zs.hatch),
              lw=zs.line.width * lw, ls=linestyle(zs.line), z=4, clip=clip)
        if z.kind not in kinds and not layers["zones"][zid].is_empty:
            kinds.append(z.kind)
            entries.append((Patch(facecolor="none", edgecolor=zs.colour, hatch=hatch(zs.hatch),
                                  linestyle=linestyle(zs.line), linewidth=1.0), w.region_name(z)))

    # what changed at this step
    # a claim kept on land lost at this very step is said in the panel, not drawn twice on the map
    moved = {c.unit for c in st.changes if is_transfer(c)}
    groups = {label: cs for label, cs in change_groups(w, st).items()
              if is_transfer(cs[0]) or not {c.unit for c in cs} <= moved}
    changed = style.CHANGED
    dashed = (0, (4, 2))  # a change of claim: the changed units' outline, dashed, no hatch
    if before:  # the units about to change: one thick outline, no hatch, no label
        moving = [layers["units"][c.unit] for c in st.changes]
        if moving:
            patch(ax, shapely.union_all(moving), gid="changed_outline_before", edge=changed.colour,
                  lw=1.3 * changed.line.width * lw, ls=dashed, z=5.5, clip=clip)
            entries.append((Patch(facecolor="none", edgecolor=changed.colour, linestyle=dashed,
                                  linewidth=changed.line.width * 0.7), w.gettext("To change at this event")))
        groups = {}
    for changes in groups.values():
        transfer = is_transfer(changes[0])
        for c in changes:
            patch(ax, layers["units"][c.unit], gid=f"changed_{c.unit}", edge=changed.colour,
                  hatch=hatch(changed.hatch) if transfer else None, lw=0.3 * changed.line.width * lw, z=5)
        union = shapely.union_all([layers["units"][c.unit] for c in changes])
        patch(ax, union, gid=f"changed_outline_{_slug(changes)}", edge=changed.colour,
              lw=1.3 * changed.line.width * lw, ls="-" if transfer else dashed, z=5.5, clip=clip)
    if any(is_transfer(c) for c in st.changes) and not before:
        entries.append((Patch(facecolor="none", edgecolor=changed.colour, hatch=hatch(changed.hatch),
                              linewidth=changed.line.width * 0.7), w.gettext("Changed hands at this event")))
    for label, changes in groups.items():
        if not is_transfer(changes[0]):  # small maps: one entry for every change of a claim
            entries.append((Patch(facecolor="none", edgecolor=changed.colour, linestyle=dashed,
                                  linewidth=changed.line.width * 0.7),
                            w.gettext("Claim changed at this event") if compact else label))

    # everything drawn so far but the neatline is the same in every language: drawn once (mapper.figures.layers)
    mark_layer(ax, [a for a in (*ax.patches, *ax.lines) if a is not neatline])
    if compact:
        return entries

    # labels, most important first (mapper.placement): signing place and capitals, what changed, zones
    # begun, names of the changed units, then cities
    labels_ = Labels(ax, neatline=frame_)
    renderer = labels_.renderer
    for t in grat:
        bb = t.get_window_extent(renderer)
        labels_.reserve((bb.x0, bb.y0, bb.x1, bb.y1))
    labels_.reserve(scale_bar(ax, window, w, size.small_pt))
    scale = size.body_pt / 8
    places = pick_places(atlas, st, window)
    major = [pk for pk in places if pk[1] != "city"]
    entries += draw_places(ax, major, labels_, w, size=size.body_pt, scale=scale)
    for label, changes in sorted(groups.items(), key=lambda g: -sum(c.km2 for c in g[1])):  # the largest land first
        union = shapely.intersection(shapely.union_all([layers["units"][c.unit] for c in changes]), frame_)
        if union.is_empty:
            continue
        x, y = label_point(union)
        labels_.add(x, y, f"{label}\n{w.km2(sum(c.km2 for c in changes))}", size=size.body_pt + 1, weight="bold",
                    gid=f"label_change_{_slug(changes)}", linespacing=1.1, ring_pt=3 * size.body_pt,
                    ha="center", va="center")
    for zid in () if before else st.zones_begun:
        visible = shapely.intersection(layers["zones"][zid], frame_)
        if zid in st.state.zones and not visible.is_empty:
            x, y = label_point(visible)
            z = atlas.zone(zid)
            labels_.add(x, y, "\n".join(textwrap.wrap(w.region_name(z), 24)), size=size.body_pt, style="italic", weight="bold",
                        gid=f"label_zone_{zid}", color=style.ZONES[z.kind].colour, ring_pt=3 * size.body_pt)
    if window != WINDOW:
        for uid in dict.fromkeys(c.unit for c in st.changes):  # a unit may change twice (taken, still claimed)
            g = shapely.intersection(layers["units"][uid], frame_)
            if not g.is_empty:
                x, y = label_point(g)
                name = "\n".join(textwrap.wrap(w.region_name(atlas.unit(uid)).split(" (")[0], 16))
                labels_.add(x, y, name, size=size.small_pt, style="italic", gid=f"label_unit_{uid}", color="#2b2b2b",
                            ring_pt=size.small_pt, linespacing=1.0)
    entries += draw_places(ax, [pk for pk in places if pk[1] == "city"], labels_, w, size=size.small_pt,
                           scale=scale, max_cities=12 if not size.stacked else 6)
    return list(dict((label, (h, label)) for h, label in entries).values())


def _one_clip_transform(ax) -> None:
    """Give every artist added to ``ax`` the same transform of the axes' box to be clipped to.

    matplotlib clips each artist added to axes to the axes' patch, and builds that patch's transform
    anew for each one (a fifth of a millisecond; a map adds a few hundred artists). The patch is the
    unit square in axes coordinates and never changes, and its transform stays live (it follows the
    axes if they move), so one serves them all: the same clip, drawn the same.
    """
    fixed = ax.patch.get_transform()
    setattr(ax.patch, "get_transform", lambda: fixed)


def _slug(changes: list[Change]) -> str:
    """Return a group's id for artists: its kind and receiving holder, ``cession_russia``."""
    return f"{changes[0].kind}_{changes[0].to}"


def _draw_claims(ax, atlas: Atlas, state: State, w: Words, layers: dict, lw: float, clip,
                 merged: bool = False) -> list[tuple]:
    """Draw each claim on a unit (``claim_<unit>_<claimant>``, merged: ``claim_<claimant>``); return a legend
    entry per claimant seen.

    A claim is a hatch in the claimant's fill colour and a dashed outline in its edge colour (:data:`mapper.style.CLAIM`).
    """
    seen = []
    claim = style.CLAIM
    by_claimant: dict[str, list] = {}
    for u in atlas.units:
        for claimant in state.holders[u.id].claimed_by:
            by_claimant.setdefault(claimant, []).append((f"claim_{u.id}_{claimant}", layers["units"][u.id]))
    for claimant, claimed in by_claimant.items():
        cs = style.HOLDERS[claimant]
        parts = [("claim_" + claimant, collection([g for _, g in claimed]))] if merged else claimed
        for gid, geom in parts:
            patch(ax, geom, gid=gid, edge=cs.edge, hatch=hatch(claim.hatch), lw=claim.line.width * lw,
                  ls=linestyle(claim.line), z=3.5, clip=clip, hatch_colour=cs.fill, hatch_width=claim.line.width * lw)
        if claimant not in seen and any(not g.is_empty for _, g in claimed):
            seen.append(claimant)
    return [(Patch(facecolor=MUTED, edgecolor=style.HOLDERS[c].edge, hatch=hatch(claim.hatch),
                   hatchcolor=style.HOLDERS[c].fill, linestyle=linestyle(claim.line), linewidth=1.2),
             w.gettext("Claimed by {to}").format(to=w.holder_label(c))) for c in seen]
