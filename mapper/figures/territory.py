"""The territory chart: km² Persia lost to (and regained from) Russia per event, and the running total.

Only changes that enter Persia's loss (``Change.counted``: land Persia held passing to Russia by
conquest or cession, less what came back) make the bars and the total. What Persia recognised or
renounced by treaty (conquests it accepted, claims it dropped) is drawn beside them as an outlined,
dashed bar: shown with its area, never added to the loss.
"""
from __future__ import annotations

import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from mapper import placement, style
from mapper.figures.captions import RECOGNITIONS, credits, year
from mapper.figures.saving import rc, Size, check_size
from mapper.figures.sheet import Sheet, wrap
from mapper.figures.symbols import INK, MUTED, hatch, linestyle
from mapper.model import Atlas
from mapper.timeline import Step, steps
from mapper.words import Words

__all__ = ["draw_territory", "recognised_km2"]


def recognised_km2(st: Step) -> float:
    """Return the km² whose conquest Persia recognised or whose claim it renounced at ``st`` (never counted)."""
    return sum(c.km2 for c in st.changes if c.kind in RECOGNITIONS and c.from_ == "persia" and c.to == "russia")


def draw_territory(atlas: Atlas, *, lang: str = "en", size: str | Size = "page") -> Figure:
    """Return a chart of the km² Persia lost to (and regained from) Russia per event, and the running total."""
    w = Words(lang, atlas)
    sz = check_size(size)
    with rc():
        sts = [st for st in steps(atlas) if round(st.lost_km2) or round(recognised_km2(st))]
        margin = 0.1
        inner = sz.width_in - 2 * margin
        sheet = Sheet(sz.width_in)
        title = w.gettext("Land Persia lost to and regained from Russia")
        sheet.text(margin, margin, wrap(title, inner, sz.title_pt), size=sz.title_pt, weight="bold", color=INK,
                   gid="title")
        subtitle = w.gettext("km² per event (areas of the atlas's units, measured in an equal-area projection); "
                             "only land Persia held counts")
        sheet.text(margin, sheet.bottom + 0.04, wrap(subtitle, inner, sz.body_pt), size=sz.body_pt,
                   color="#333333", gid="subtitle")
        if not sts:
            sheet.text(margin, sheet.bottom + 0.3, w.gettext("No land passed between Persia and Russia in this history."),
                       size=sz.body_pt, color=INK, gid="nothing_lost")
        else:
            left = 0.75
            plot_w = inner - left
            ax = sheet.axes(margin + left, sheet.bottom + 0.25, plot_w, plot_w * (0.42 if not sz.stacked else 0.7), "bars")
            _bars(ax, sts, w, sz)
            sheet.bottom = _below(sheet, ax)
            given_up = style.HOLDERS["persia"]
            lost, regained = style.HOLDERS["russia"], style.HOLDERS["persia"]
            leg_labels = [w.gettext("Lost to Russia"), w.gettext("Regained from Russia"),
                          w.gettext("Recognised or renounced by Persia (not counted: not held, or counted when taken)")]
            leg = sheet.legend(margin, sheet.bottom + 0.1,
                               [Patch(facecolor=lost.fill, edgecolor=lost.edge, hatch=hatch(lost.hatch)),
                                Patch(facecolor=regained.fill, edgecolor=regained.edge, hatch=".."),
                                Patch(facecolor="white", edgecolor=given_up.edge, hatch=hatch(style.CLAIM.hatch),
                                      linestyle=linestyle(style.CLAIM.line))],
                               [wrap(lab, inner - 0.5, sz.small_pt) for lab in leg_labels], fontsize=sz.small_pt,
                               handleheight=1.3, handlelength=2.2)
            leg.set_gid("bars_legend")
            counted = [st for st in sts if round(st.lost_km2)]
            if counted:
                head = w.gettext("Running total of Persia's net loss to Russia")
                sheet.text(margin, sheet.bottom + 0.15, head, size=sz.body_pt, weight="bold", color=INK,
                           gid="running_total_title")
                ax2 = sheet.axes(margin + left, sheet.bottom + 0.08, plot_w, plot_w * 0.3, "running_total")
                _running_total(ax2, counted, w, sz)
                sheet.bottom = _below(sheet, ax2)
        sheet.text(margin, sheet.bottom + 0.1, wrap(credits(w, "chart"), inner, sz.small_pt), size=sz.small_pt,
                   color="#444444", gid="attribution", linespacing=1.3)
        fig = sheet.finish()
        fig.mapper_title = title  # type: ignore[attr-defined]
        fig.mapper_desc = subtitle  # type: ignore[attr-defined]
        return fig


def _below(sheet: Sheet, ax) -> float:
    """Return how far down (inches from the top) the axes reach with their tick labels."""
    bb = ax.get_tightbbox(sheet.renderer)
    return (sheet.fig.bbox.height - bb.y0) / sheet.fig.dpi


def _thousands(w: Words) -> FuncFormatter:
    return FuncFormatter(lambda v, _: ("−" if v < 0 else "") + w.number(abs(v)))


def _bars(ax, sts: list[Step], w: Words, sz: Size) -> None:
    """Draw per event a bar of km² lost (up) or regained (down), and beside it what Persia recognised."""
    ax.set_gid("bars")
    lost, regained, given_up = style.HOLDERS["russia"], style.HOLDERS["persia"], style.HOLDERS["persia"]
    claim_hatch, claim_ls = hatch(style.CLAIM.hatch), linestyle(style.CLAIM.line)
    for i, st in enumerate(sts):
        both = round(st.lost_km2) and round(recognised_km2(st))
        width = 0.4 if both else 0.62
        if round(st.lost_km2):
            s = lost if st.lost_km2 > 0 else regained
            x = i - 0.21 if both else i
            bar = ax.bar(x, st.lost_km2, width=width, color=s.fill, edgecolor=s.edge, hatch=hatch(s.hatch) or "..",
                         linewidth=0.6, zorder=2)[0]
            bar.set_gid(f"bar_{st.event.id}")
            _value(ax, x, st.lost_km2, w.number(abs(st.lost_km2)), bold=True, size=sz.small_pt)
        if round(recognised_km2(st)):
            x, km2 = (i + 0.21 if both else i), recognised_km2(st)
            bar = ax.bar(x, km2, width=width, color="white", edgecolor=given_up.edge, hatch=claim_hatch,
                         linestyle=claim_ls, linewidth=0.8, zorder=2)[0]
            bar.set_gid(f"recognised_{st.event.id}")
            _value(ax, x, km2, w.number(km2), bold=False, size=sz.small_pt)
    ax.axhline(0, color=INK, lw=0.8, zorder=3)
    ax.set_xticks(range(len(sts)), [textwrap.shorten(w.event_title(st.event).replace(f" ({year(st.event)})", ""), 30,
                                                     placeholder="…") + f" {year(st.event)}" for st in sts],
                  fontsize=sz.small_pt, rotation=90, ha="right", va="center", rotation_mode="anchor")
    ax.set_xlim(-0.7, len(sts) - 0.3)
    ax.yaxis.set_major_formatter(_thousands(w))
    ax.set_ylabel(w.gettext("km² lost (below zero: regained)"), fontsize=sz.small_pt)
    ax.tick_params(axis="y", labelsize=sz.small_pt)
    low = min(0, *(st.lost_km2 for st in sts))
    high = max(0, *(st.lost_km2 for st in sts), *(recognised_km2(st) for st in sts))
    ax.set_ylim(low * 1.05 if low < 0 else 0, high * 1.05)
    _fit_values(ax)
    _drop_crowded_values(ax)
    ax.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)


def _fit_values(ax) -> None:
    """Set the y limits so that every rotated km² label lies inside the axes, clear of their edges by 3 pt (the
    x axis's line and ticks; a label that ran down to them read as cut: Resht's "14,413 km²").

    A label's reach above and below its bar's end is fixed in points, so the limits are solved for: with a
    span D, the lowest limit is min(v - below·D/H) and the highest max(v + above·D/H). Where no limits hold
    them all (labels longer than the axes are tall: a column in Persian), labels give way, the recognitions'
    before the losses' (as :func:`_drop_crowded_values` ranks them), the longest first.
    """
    renderer, clear, height = ax.figure.canvas.get_renderer(), 3 * ax.figure.dpi / 72, ax.bbox.height
    reach = {}  # label -> (value, px below it, px above it), each with the clearance
    for t in (t for t in ax.texts if t.get_gid() == "value"):
        e, v = t.get_window_extent(renderer), t.xy[1]
        y = ax.transData.transform((t.xy[0], v))[1]
        reach[t] = (v, y - e.y0 + clear, e.y1 - y + clear)
    lo0, hi0 = ax.get_ylim()
    while reach:
        lo, hi = lo0, hi0
        for _ in range(100):
            span = hi - lo
            lo = min(lo0, *(v - below * span / height for v, below, _ in reach.values()))
            hi = max(hi0, *(v + above * span / height for v, _, above in reach.values()))
            if hi - lo <= span * (1 + 1e-9):
                ax.set_ylim(lo, hi)
                return
        drop = max(reach, key=lambda t: (t.get_fontweight() != "bold", reach[t][1] + reach[t][2]))
        drop.remove()
        del reach[drop]


def _drop_crowded_values(ax) -> None:
    """Leave out the km² labels that would overlap another (mapper.placement: losses first, then recognitions)."""
    renderer = ax.figure.canvas.get_renderer()
    values = sorted((t for t in ax.texts if t.get_gid() == "value"), key=lambda t: t.get_fontweight() != "bold")
    placer = placement.Placer(pad=0.5)
    for t in values:
        e = t.get_window_extent(renderer)
        box: placement.Box = (e.x0, e.y0, e.x1, e.y1)
        if not placer.free(box):
            t.remove()
        else:
            placer.reserve(box)


def _value(ax, x: float, v: float, text: str, *, bold: bool, size: float) -> None:
    ax.annotate(text, (x, v), xytext=(0, 2 if v > 0 else -2), textcoords="offset points", ha="center",
                va="bottom" if v > 0 else "top", rotation=90, fontsize=size, gid="value", color=INK if bold else MUTED,
                fontweight="bold" if bold else "normal", fontstyle="normal" if bold or _arabic(text) else "italic")


def _arabic(text: str) -> bool:
    """Return whether ``text`` has Arabic-script letters or digits (no oblique font has them: drawn upright)."""
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _running_total(ax2, sts: list[Step], w: Words, sz: Size) -> None:
    """Draw the running total of Persia's net loss as a step line; label the last event of each period.

    Labels are placed by the atlas's rules (:mod:`mapper.placement`): above-right of their point first,
    then the other sides; one that finds no room is left out.
    """
    lost = style.HOLDERS["russia"]
    ax2.set_gid("running_total")
    years = [st.event.date.date.year + (st.event.date.date.timetuple().tm_yday - 1) / 365.25 for st in sts]
    totals = [st.total_lost_km2 for st in sts]
    x0, x1 = years[0] - 10, max(years[-1] + 30, 1920)
    line = ax2.step([x0, *years, x1], [0, *totals, totals[-1]], where="post", color=lost.edge, lw=2, zorder=3)[0]
    line.set_gid("running_total_line")
    ax2.fill_between([x0, *years, x1], [0, *totals, totals[-1]], step="post", color=lost.fill, alpha=0.35,
                     hatch="///", edgecolor=lost.edge, linewidth=0, zorder=2)
    ax2.plot(years, totals, "o", color=lost.edge, ms=3.5, zorder=4)
    ax2.set_xlim(x0, x1)
    ax2.set_ylim(min(0, *totals) * 1.3, max(0, *totals) * 1.45)
    ax2.yaxis.set_major_formatter(_thousands(w))
    ax2.set_ylabel(w.gettext("km², running total"), fontsize=sz.small_pt)
    ax2.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax2.spines[["top", "right"]].set_visible(False)
    ax2.tick_params(labelsize=sz.small_pt)
    # events less than 20 years apart make one period, labelled at its last event
    last = [i for i in range(len(sts)) if i == len(sts) - 1 or years[i + 1] - years[i] >= 20]
    renderer = ax2.figure.canvas.get_renderer()
    bb = ax2.bbox
    placer = placement.Placer(frame=(bb.x0, bb.y0, bb.x1, bb.y1), pad=1.0)
    for i in last:
        name = w.event_title(sts[i].event).split(" (")[0].replace("Treaty of ", "")
        px, py = ax2.transData.transform((years[i], totals[i]))
        placer.reserve((px - 3, py - 3, px + 3, py + 3))
        t = ax2.text(years[i], totals[i], f"{name} {year(sts[i].event)}\n{w.km2(totals[i])}", fontsize=sz.small_pt,
                     color=INK, linespacing=1.1, gid=f"total_label_{sts[i].event.id}", zorder=5)
        inv = ax2.transData.inverted()

        def measure(c: placement.Candidate, t=t, inv=inv) -> placement.Box:
            t.set_position(tuple(inv.transform((c.x, c.y))))
            t.set_horizontalalignment(c.ha)
            t.set_verticalalignment(c.va)
            e = t.get_window_extent(renderer)
            return (e.x0, e.y0, e.x1, e.y1)

        around = placement.around_point(px, py, 4 * ax2.figure.dpi / 72)
        cands = [around[k] for k in (4, 5, 0, 1, 6, 7, 2, 3)]  # above-right and above-left first
        got = placer.place(cands, measure)
        if got is None:
            t.remove()
        else:
            measure(cands[got[0]])
