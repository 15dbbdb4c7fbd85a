"""The territory chart: km² Persia lost to (and regained from) Russia per event, and the running total.

Only changes that enter Persia's loss (``Change.counted``: land Persia held passing to Russia by
conquest or cession, less what came back) make the bars and the total. What Persia recognised or
renounced by treaty (conquests it accepted, claims it dropped) is drawn beside them as an outlined,
dashed bar: shown with its area, never added to the loss.
"""
from __future__ import annotations

import textwrap

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from mapper.figures.captions import RECOGNITIONS, year
from mapper.figures.saving import FIG_WIDTH_IN, RC, new_figure
from mapper.figures.symbols import CLAIM_STYLES, HOLDER_STYLES, INK, MUTED
from mapper.model import Atlas
from mapper.timeline import Step, steps
from mapper.words import Words

__all__ = ["draw_territory", "recognised_km2"]


def recognised_km2(st: Step) -> float:
    """Return the km² whose conquest Persia recognised or whose claim it renounced at ``st`` (never counted)."""
    return sum(c.km2 for c in st.changes if c.kind in RECOGNITIONS and c.from_ == "persia" and c.to == "russia")


def draw_territory(atlas: Atlas, *, lang: str = "en") -> Figure:
    """Return a chart of the km² Persia lost to (and regained from) Russia per event, and the running total."""
    w = Words(lang)
    with matplotlib.rc_context(RC):
        sts = [st for st in steps(atlas) if round(st.lost_km2) or round(recognised_km2(st))]
        fig = new_figure(FIG_WIDTH_IN, 9.0)
        fig.suptitle(w.gettext("Land Persia lost to and regained from Russia"), x=0.06, y=0.975, ha="left",
                     va="top", fontsize=16, fontweight="bold", color=INK)
        fig.text(0.06, 0.935, w.gettext("km² per event (areas of the atlas's units, measured in an equal-area "
                                        "projection); only land Persia held counts"),
                 ha="left", va="top", fontsize=9.5, color="#333333", gid="subtitle")
        fig.text(0.06, 0.012, "\n".join(textwrap.wrap(w.attribution("print"), 200)), ha="left", va="bottom",
                 fontsize=6.5, color="#444444", gid="attribution", linespacing=1.3)
        if not sts:
            fig.text(0.5, 0.5, w.gettext("No land passed between Persia and Russia in this history."),
                     ha="center", va="center", fontsize=12, color=INK, gid="nothing_lost")
            return fig
        _bars(fig.add_axes((0.08, 0.52, 0.88, 0.36)), sts, w)
        counted = [st for st in sts if round(st.lost_km2)]
        if counted:
            _running_total(fig.add_axes((0.08, 0.08, 0.88, 0.22)), counted, w)
        return fig


def _thousands(w: Words) -> FuncFormatter:
    return FuncFormatter(lambda v, _: ("−" if v < 0 else "") + w.number(abs(v)))


def _bars(ax, sts: list[Step], w: Words) -> None:
    """Draw per event a bar of km² lost (up) or regained (down), and beside it what Persia recognised."""
    ax.set_gid("bars")
    lost, regained, given_up = HOLDER_STYLES["russia"], HOLDER_STYLES["persia"], CLAIM_STYLES["persia"]
    for i, st in enumerate(sts):
        both = round(st.lost_km2) and round(recognised_km2(st))
        width = 0.4 if both else 0.62
        if round(st.lost_km2):
            s = lost if st.lost_km2 > 0 else regained
            x = i - 0.21 if both else i
            bar = ax.bar(x, st.lost_km2, width=width, color=s.face, edgecolor=s.edge, hatch=s.hatch or "..",
                         linewidth=0.8, zorder=2)[0]
            bar.set_gid(f"bar_{st.event.id}")
            _value(ax, x, st.lost_km2, ("−" if st.lost_km2 < 0 else "") + w.km2(abs(st.lost_km2)), bold=True)
        if round(recognised_km2(st)):
            x, km2 = (i + 0.21 if both else i), recognised_km2(st)
            bar = ax.bar(x, km2, width=width, color="white", edgecolor=given_up.edge, hatch=given_up.hatch,
                         linestyle=given_up.linestyle, linewidth=1.0, zorder=2)[0]
            bar.set_gid(f"recognised_{st.event.id}")
            _value(ax, x, km2, w.km2(km2), bold=False)
    ax.axhline(0, color=INK, lw=0.8, zorder=3)
    ax.set_xticks(range(len(sts)), [textwrap.shorten(st.event.title.replace(f" ({year(st.event)})", ""), 30,
                                                     placeholder="…") + f" {year(st.event)}" for st in sts],
                  fontsize=7, rotation=55, ha="right", rotation_mode="anchor")
    ax.set_xlim(-0.7, len(sts) - 0.3)
    ax.yaxis.set_major_formatter(_thousands(w))
    ax.set_ylabel(w.gettext("km² lost (below zero: regained)"), fontsize=9)
    low = min(0, *(st.lost_km2 for st in sts))
    high = max(0, *(st.lost_km2 for st in sts), *(recognised_km2(st) for st in sts))
    ax.set_ylim(low - 0.22 * high if low < 0 else 0, high * 1.35)  # room for the rotated km² labels
    ax.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend([Patch(facecolor=lost.face, edgecolor=lost.edge, hatch=lost.hatch),
               Patch(facecolor=regained.face, edgecolor=regained.edge, hatch=".."),
               Patch(facecolor="white", edgecolor=given_up.edge, hatch=given_up.hatch, linestyle=given_up.linestyle)],
              [w.gettext("Lost to Russia"), w.gettext("Regained from Russia"),
               w.gettext("Recognised or renounced by Persia (not counted: not held, or counted when taken)")],
              loc="upper left", frameon=False, fontsize=8.5, handleheight=1.5, handlelength=2.4)


def _value(ax, x: float, v: float, text: str, *, bold: bool) -> None:
    ax.annotate(text, (x, v), xytext=(0, 3 if v > 0 else -3), textcoords="offset points", ha="center",
                va="bottom" if v > 0 else "top", rotation=90, fontsize=7, color=INK if bold else MUTED,
                fontweight="bold" if bold else "normal", fontstyle="normal" if bold else "italic")


def _running_total(ax2, sts: list[Step], w: Words) -> None:
    """Draw the running total of Persia's net loss as a step line; label the last event of each period."""
    lost = HOLDER_STYLES["russia"]
    ax2.set_gid("running_total")
    years = [st.event.date.date.year + (st.event.date.date.timetuple().tm_yday - 1) / 365.25 for st in sts]
    totals = [st.total_lost_km2 for st in sts]
    x0, x1 = years[0] - 10, max(years[-1] + 30, 1920)
    line = ax2.step([x0, *years, x1], [0, *totals, totals[-1]], where="post", color=lost.edge, lw=2, zorder=3)[0]
    line.set_gid("running_total_line")
    ax2.fill_between([x0, *years, x1], [0, *totals, totals[-1]], step="post", color=lost.face, alpha=0.35,
                     hatch="///", edgecolor=lost.edge, linewidth=0, zorder=2)
    ax2.plot(years, totals, "o", color=lost.edge, ms=3.5, zorder=4)
    # events less than 20 years apart make one period, labelled at its last event: labels never collide
    last = [i for i in range(len(sts)) if i == len(sts) - 1 or years[i + 1] - years[i] >= 20]
    for i in last:
        name = sts[i].event.title.split(" (")[0].replace("Treaty of ", "")
        ax2.annotate(f"{name} {year(sts[i].event)}\n{w.km2(totals[i])}", (years[i], totals[i]), xytext=(4, 5),
                     textcoords="offset points", fontsize=7.5, ha="left", va="bottom", color=INK, linespacing=1.1)
    ax2.set_xlim(x0, x1)
    ax2.set_ylim(min(0, *totals) * 1.3, max(0, *totals) * 1.45)
    ax2.yaxis.set_major_formatter(_thousands(w))
    ax2.set_ylabel(w.gettext("km², running total"), fontsize=9)
    ax2.set_title(w.gettext("Running total of Persia's net loss to Russia"), fontsize=10, loc="left", color=INK)
    ax2.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax2.spines[["top", "right"]].set_visible(False)
    ax2.tick_params(labelsize=8)
