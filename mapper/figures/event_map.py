"""The print figure of one event: the map after it, title and date, legend, what changed, summary, sources.

Laid out for where it is printed (:data:`mapper.figures.saving.SIZES`): on a page or a slide the
panel stands beside the map; in a report's column it goes under it, with the legend and what changed
(the summary and sources belong to the report's own caption there).
"""
from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from mapper.errors import MapperError
from mapper.figures.captions import (
    change_lines,
    credits,
    date_line,
    figure_title,
    holdings_note,
    loss_caption,
    zone_lines,
)
from mapper.figures.frame import WINDOW, focus_window, projected_size
from mapper.figures.mapview import draw_map
from mapper.figures.saving import rc, Size, check_size
from mapper.figures.sheet import RTL, Sheet, wrap
from mapper.figures.symbols import INK
from mapper.model import Atlas
from mapper.timeline import Step, steps
from mapper.words import Words

__all__ = ["draw_event", "find_step"]

MARGIN_IN = 0.1


def find_step(atlas: Atlas, event_id: str, w: Words | None = None) -> Step:
    """Return the step of the event ``event_id``; raise MapperError with a did-you-mean if there is none."""
    for st in steps(atlas):
        if st.event.id == event_id:
            return st
    raise MapperError((w or Words()).did_you_mean(event_id, [e.id for e in atlas.events]))


def draw_event(atlas: Atlas, event_id: str, ax: Any = None, *, lang: str = "en", size: str | Size = "page") -> Figure:
    """Draw the map of the state right after the event ``event_id`` and return its figure.

    With ``ax``, draw only the map into that axes (no title, legend or side panel); otherwise make
    the full print figure at ``size`` (``column``, ``page`` or ``slide``). Raises MapperError for an
    unknown event id or size.
    """
    w = Words(lang, atlas)
    st = find_step(atlas, event_id, w)
    sz = check_size(size)
    with rc():
        if ax is not None:
            draw_map(ax, atlas, st, w, compact=True)
            return ax.figure
        return _event_figure(atlas, st, w, sz)


def _event_figure(atlas: Atlas, st: Step, w: Words, size: Size) -> Figure:
    ev = st.event
    full_w, full_h = projected_size(WINDOW)
    aspect = full_h / full_w
    window = focus_window(atlas, st, aspect=aspect)
    sheet = Sheet(size.width_in, size.height_in, rtl=w.lang in RTL)
    inner = size.width_in - 2 * MARGIN_IN
    title = sheet.text(MARGIN_IN, MARGIN_IN, wrap(w.event_title(ev), inner, size.title_pt), size=size.title_pt,
                       weight="bold", color=INK, gid="title")
    title.set_linespacing(1.1)
    sub = w.parts(date_line(w, ev), holdings_note(w))
    sheet.text(MARGIN_IN, sheet.bottom + 0.04, wrap(sub, inner, size.body_pt), size=size.body_pt, gid="subtitle",
               color="#333333")
    top = sheet.bottom + 0.1
    credit = credits(w, "map")
    if size.stacked:
        map_w = inner
        map_h = map_w * aspect
        panel_x, panel_w, panel_top = MARGIN_IN, inner, top + map_h + 0.22
    elif size.height_in is not None:  # a slide: the map fills the height left, the panel the width left
        credit_h = 2 * size.small_pt * 1.3 / 72 + 0.05
        map_h = size.height_in - top - credit_h - 0.3
        map_w = map_h / aspect
        panel_x, panel_w, panel_top = MARGIN_IN + map_w + 0.45, inner - map_w - 0.45, top
    else:
        map_w = inner * 0.64
        map_h = map_w * aspect
        panel_x, panel_w, panel_top = MARGIN_IN + map_w + 0.4, inner - map_w - 0.4, top
    ax = sheet.axes(MARGIN_IN + 0.25, top, map_w - 0.25, map_h, "map", mirror=not size.stacked)
    entries = draw_map(ax, atlas, st, w, window=window, size=size)
    map_bottom = sheet.bottom + 0.2  # below the graticule's labels

    # the panel: legend, what changed, zones, date note, summary, sources
    limit = (size.height_in - 2 * size.small_pt * 1.3 / 72 - 0.2) if size.height_in else None
    sheet.bottom = panel_top
    labels = [wrap(lab, panel_w - 0.45, size.small_pt) for _, lab in entries]
    leg = sheet.legend(panel_x, panel_top, [h for h, _ in entries], labels, fontsize=size.small_pt,
                       handlelength=2.2, handleheight=1.3, title=w.gettext("Legend"),
                       title_fontproperties={"weight": "bold", "size": size.body_pt}, alignment="left",
                       labelspacing=0.45, ncols=2 if size.stacked and len(entries) > 4 else 1)
    leg.set_gid("legend")
    if size.stacked and len(entries) > 4:  # two columns of a narrow legend: wrap to half the width
        leg.remove()
        sheet.bottom = panel_top
        labels = [wrap(lab, panel_w / 2 - 0.4, size.small_pt) for _, lab in entries]
        leg = sheet.legend(panel_x, panel_top, [h for h, _ in entries], labels, fontsize=size.small_pt,
                           handlelength=1.8, handleheight=1.2, title=w.gettext("Legend"),
                           title_fontproperties={"weight": "bold", "size": size.body_pt}, alignment="left",
                           labelspacing=0.4, ncols=2, columnspacing=0.8)
        leg.set_gid("legend")

    def block(heading: str, body: list[str], gid: str, x: float, width: float) -> None:
        text_size = size.small_pt
        y = sheet.bottom + 0.1
        if limit is not None and y + 3 * text_size / 72 > limit:
            return
        head = sheet.text(x, y, heading, size=size.body_pt, weight="bold", color=INK, gid=gid + "_title")
        lines = [ln for para in body for ln in wrap(para, width, text_size).split("\n")]
        y = sheet.bottom + 0.03
        if limit is not None:
            room = int((limit - y) / (text_size * 1.25 / 72))
            if room < min(3, len(lines)):  # a heading over a line or two of a cut text says little: leave it out
                head.remove()
                sheet.bottom = y - 0.13
                return
            if len(lines) > room:
                lines = lines[:room - 1] + ["…"]
        sheet.text(x, y, "\n".join(lines), size=text_size, gid=gid, linespacing=1.25)

    changes = change_lines(w, atlas, st)
    if changes:
        block(w.gettext("What changed"), changes, "changes", panel_x, panel_w)
    zones = zone_lines(w, atlas, st)
    if zones:
        block(w.gettext("Zones"), zones, "zones", panel_x, panel_w)
    # on a page the rest runs under the map and the panel, across the width; on a slide it stays in the panel
    x, width = (panel_x, panel_w) if size.height_in is not None or size.stacked else (MARGIN_IN, inner)
    if not size.stacked and size.height_in is None:
        sheet.bottom = max(sheet.bottom, map_bottom)
    if note := w.event_date_note(ev):
        block(w.gettext("Date note"), [note], "date_note", x, width)
    if not size.stacked:
        block(w.gettext("Summary"), [w.event_summary(ev)], "summary", x, width)
        block(w.gettext("Sources"), ["; ".join(s.title for s in ev.sources)], "sources", x, width)

    y = max(sheet.bottom, map_bottom) + 0.08
    if size.height_in is not None:
        y = size.height_in - 2 * size.small_pt * 1.3 / 72 - 0.08
    sheet.text(MARGIN_IN, y, wrap(credit, inner, size.small_pt), size=size.small_pt, color="#444444",
               gid="attribution", linespacing=1.3)
    fig = sheet.finish()
    fig.mapper_title = figure_title(w, ev)  # type: ignore[attr-defined]
    fig.mapper_desc = loss_caption(w, st)  # type: ignore[attr-defined]
    return fig



