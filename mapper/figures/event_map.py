"""The print figure of one event: the map after it, title and date, legend, what changed, summary, sources."""
from __future__ import annotations

import difflib
import textwrap
from collections.abc import Iterable

import matplotlib
from matplotlib.figure import Figure

from mapper.errors import MapperError
from mapper.figures.captions import ATTRIBUTION, change_groups, date_line, km2
from mapper.figures.frame import WINDOW, focus_window, projected_size
from mapper.figures.mapview import draw_map
from mapper.figures.saving import FIG_WIDTH_IN, RC, new_figure
from mapper.figures.symbols import INK
from mapper.model import Atlas
from mapper.timeline import Step, steps

__all__ = ["draw_event", "find_step"]


def find_step(atlas: Atlas, event_id: str) -> Step:
    """Return the step of the event ``event_id``; raise MapperError with a did-you-mean if there is none."""
    for st in steps(atlas):
        if st.event.id == event_id:
            return st
    close = difflib.get_close_matches(event_id, [e.id for e in atlas.events], n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else " (see `mapper events` for the list)"
    raise MapperError(f"unknown event {event_id!r}{hint}")



def draw_event(atlas: Atlas, event_id: str, ax=None) -> Figure:
    """Draw the map of the state right after the event ``event_id`` and return its figure.

    With ``ax``, draw only the map into that axes (no title, legend or side panel); otherwise
    make the full print figure: title and date, the map, a legend, what changed and the sources.
    Raises MapperError for an unknown event id.
    """
    st = find_step(atlas, event_id)
    with matplotlib.rc_context(RC):
        if ax is not None:
            draw_map(ax, atlas, st, compact=True)
            return ax.figure
        return _event_figure(atlas, st)


def _event_figure(atlas: Atlas, st: Step) -> Figure:
    ev = st.event
    full_w, full_h = projected_size(WINDOW)
    window = focus_window(atlas, st, aspect=full_h / full_w)
    map_w = 7.9
    map_h = map_w * full_h / full_w
    top, bottom, left = 1.05, 0.75, 0.5
    fig_h = top + map_h + bottom
    fig = new_figure(FIG_WIDTH_IN, fig_h)
    ax = fig.add_axes((left / FIG_WIDTH_IN, bottom / fig_h, map_w / FIG_WIDTH_IN, map_h / fig_h))
    ax.set_gid("map")
    entries = draw_map(ax, atlas, st, window=window)

    fig.suptitle(ev.title, x=left / FIG_WIDTH_IN, y=1 - 0.22 / fig_h, ha="left", va="top", fontsize=17,
                 fontweight="bold", color=INK)
    fig.text(left / FIG_WIDTH_IN, 1 - 0.68 / fig_h, date_line(ev) + "  ·  holdings after the event",
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

    groups = change_groups(st)
    if groups:
        lines = []
        for label, changes in groups.items():
            lines.append(f"{label} ({km2(sum(c.km2 for c in changes))}):")
            for c in changes:
                lines += textwrap.wrap(f"{atlas.unit(c.unit).name}, {km2(c.km2)}", width_chars,
                                       initial_indent="  • ", subsequent_indent="     ")
        lines += textwrap.wrap(f"Persia's cumulative net loss to Russia: {km2(st.total_lost_km2)}",
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
