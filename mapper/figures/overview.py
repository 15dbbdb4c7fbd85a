"""The overview: small maps of the holdings after each event at which Persia or Russia gained or lost land."""
from __future__ import annotations

import math
import textwrap

import matplotlib
from matplotlib.figure import Figure

from mapper.figures.captions import ATTRIBUTION, loss_caption, year
from mapper.figures.frame import WINDOW, frame
from mapper.figures.mapview import draw_map
from mapper.figures.saving import FIG_WIDTH_IN, RC, new_figure
from mapper.figures.symbols import INK
from mapper.model import Atlas
from mapper.timeline import Step, steps

__all__ = ["border_steps", "draw_overview"]


def border_steps(atlas: Atlas) -> tuple[Step, ...]:
    """Return the steps at which Persia or Russia gained or lost a unit, in order."""
    return tuple(st for st in steps(atlas)
                 if any({c.from_, c.to} & {"persia", "russia"} for c in st.changes))


def draw_overview(atlas: Atlas) -> Figure:
    """Return small multiples: one map per event at which Persia or Russia gained or lost land."""
    with matplotlib.rc_context(RC):
        sts = border_steps(atlas)
        xmin, ymin, xmax, ymax = frame(WINDOW).bounds
        cols = 4
        rows = max(1, math.ceil(len(sts) / cols))
        gap, side = 0.18, 0.3
        pw = (FIG_WIDTH_IN - 2 * side - (cols - 1) * gap) / cols
        ph = pw * (ymax - ymin) / (xmax - xmin)
        title_h, head, foot = 0.62, 0.85, 0.95
        fig_h = head + rows * (ph + title_h) + foot
        fig = new_figure(FIG_WIDTH_IN, fig_h)
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
            for h, label in draw_map(ax, atlas, st, compact=True):
                key = label.split(" (")[0].split(":")[0]
                entries.setdefault(key, (h, key))
            name = st.event.title.replace(f" ({year(st.event)})", "")
            title = "\n".join(textwrap.wrap(f"{year(st.event)} · {name}", 38)[:2])
            ax.set_title(f"{title}\n{loss_caption(st)}", fontsize=8, loc="left", pad=3, color=INK,
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
