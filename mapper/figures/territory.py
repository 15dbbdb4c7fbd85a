"""The territory chart: km² Persia lost to (and regained from) Russia per treaty, and the running total."""
from __future__ import annotations

import textwrap

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from mapper.figures.captions import ATTRIBUTION, NOTHING_LOST, km2, year
from mapper.figures.saving import FIG_WIDTH_IN, RC, new_figure
from mapper.figures.symbols import HOLDER_STYLES, INK
from mapper.model import Atlas
from mapper.timeline import Step, steps

__all__ = ["draw_territory"]


def draw_territory(atlas: Atlas) -> Figure:
    """Return a chart of the km² Persia lost to (and regained from) Russia per treaty, and the running total."""
    with matplotlib.rc_context(RC):
        sts = [st for st in steps(atlas) if round(st.lost_km2)]
        fig = new_figure(FIG_WIDTH_IN, 8.0)
        fig.suptitle("Land Persia lost to and regained from Russia", x=0.06, y=0.975, ha="left", va="top",
                     fontsize=16, fontweight="bold", color=INK)
        fig.text(0.06, 0.928, "km² per treaty (areas of the atlas's units, measured in an equal-area projection)",
                 ha="left", va="top", fontsize=9.5, color="#333333", gid="subtitle")
        fig.text(0.06, 0.015, "\n".join(textwrap.wrap(ATTRIBUTION, 200)), ha="left", va="bottom", fontsize=6.5,
                 color="#444444", gid="attribution", linespacing=1.3)
        if not sts:
            fig.text(0.5, 0.5, NOTHING_LOST, ha="center", va="center", fontsize=12, color=INK, gid="nothing_lost")
            return fig
        _bars(fig.add_axes((0.08, 0.5, 0.88, 0.36)), sts)
        _running_total(fig.add_axes((0.08, 0.1, 0.88, 0.26)), sts)
        return fig


_THOUSANDS = FuncFormatter(lambda v, _: f"{v:,.0f}".replace("-", "−"))


def _bars(ax, sts: list[Step]) -> None:
    """Draw one bar per treaty: km² lost (up) or regained (down)."""
    ax.set_gid("bars")
    lost, regained = HOLDER_STYLES["russia"], HOLDER_STYLES["persia"]
    for i, st in enumerate(sts):
        s = lost if st.lost_km2 > 0 else regained
        bar = ax.bar(i, st.lost_km2, width=0.62, color=s.face, edgecolor=s.edge, hatch=s.hatch or "..",
                     linewidth=0.8, zorder=2)[0]
        bar.set_gid(f"bar_{st.event.id}")
        sign = "+" if st.lost_km2 > 0 else "−"
        ax.annotate(f"{sign}{km2(st.lost_km2)}", (i, st.lost_km2), xytext=(0, 4 if st.lost_km2 > 0 else -4),
                    textcoords="offset points", ha="center", va="bottom" if st.lost_km2 > 0 else "top",
                    fontsize=8.5, fontweight="bold", color=INK)
    ax.axhline(0, color=INK, lw=0.8, zorder=3)
    ax.set_xticks(range(len(sts)),
                  ["\n".join(textwrap.wrap(st.event.title.replace(f" ({year(st.event)})", ""), 22)) + "\n"
                   + year(st.event) for st in sts], fontsize=8)
    ax.yaxis.set_major_formatter(_THOUSANDS)
    ax.set_ylabel("km²  (+ lost, − regained)", fontsize=9)
    ax.set_ylim(min(0, min(st.lost_km2 for st in sts)) * 1.35, max(st.lost_km2 for st in sts) * 1.18)
    ax.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend([Patch(facecolor=lost.face, edgecolor=lost.edge, hatch=lost.hatch),
               Patch(facecolor=regained.face, edgecolor=regained.edge, hatch="..")],
              ["Lost to Russia", "Regained from Russia"], loc="upper left", frameon=False, fontsize=8.5,
              handleheight=1.5, handlelength=2.4)


def _running_total(ax2, sts: list[Step]) -> None:
    """Draw the running total of Persia's net loss as a step line, each treaty labelled."""
    lost = HOLDER_STYLES["russia"]
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
            text = f"{name} {year(st.event)}: {totals[i]:,.0f}"
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
    ax2.yaxis.set_major_formatter(_THOUSANDS)
    ax2.set_ylabel("km², running total", fontsize=9)
    ax2.set_title("Running total of Persia's net loss to Russia", fontsize=10, loc="left", color=INK)
    ax2.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax2.spines[["top", "right"]].set_visible(False)
    ax2.tick_params(labelsize=8)
