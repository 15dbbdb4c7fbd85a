"""Before and after: the map on the eve of an event beside the map right after it, for reports and the printed atlas."""
from __future__ import annotations

from matplotlib.figure import Figure

from mapper.figures.captions import credits, figure_title, loss_caption
from mapper.figures.event_map import find_step
from mapper.figures.frame import WINDOW, focus_window, projected_size
from mapper.figures.mapview import draw_map
from mapper.figures.saving import Size, check_size, rc
from mapper.figures.sheet import RTL, Sheet, wrap
from mapper.figures.symbols import INK
from mapper.model import Atlas
from mapper.timeline import steps
from mapper.words import Words

__all__ = ["draw_pair", "pair_name"]

MARGIN_IN = 0.1


def pair_name(event_id: str) -> str:
    """Return the figure name of an event's before-and-after pair: ``<event-id>-before-after``."""
    return f"{event_id}-before-after"


def draw_pair(atlas: Atlas, event_id: str, *, lang: str = "en", size: str | Size = "page") -> Figure:
    """Return the maps before and after the event ``event_id`` side by side, with one legend and the credits."""
    w = Words(lang, atlas)
    st = find_step(atlas, event_id, w)
    sz = check_size(size)
    with rc():
        full_w, full_h = projected_size(WINDOW)
        aspect = full_h / full_w
        window = focus_window(atlas, st, aspect=aspect)
        sheet = Sheet(sz.width_in, rtl=w.lang in RTL)
        inner = sz.width_in - 2 * MARGIN_IN
        gap = 0.35
        map_w = (inner - gap - 0.3) / 2
        map_h = map_w * aspect
        eve = steps(atlas)[st.index - 1].event if st.index else None
        heads = [w.parts(w.gettext("Before"), w.date_line(eve)) if eve else w.gettext("Before"),
                 w.parts(w.gettext("After"), w.date_line(st.event))]
        entries: dict[str, tuple] = {}
        for i, before in enumerate((True, False)):
            x = MARGIN_IN + 0.3 + i * (map_w + gap)
            sheet.text(x, MARGIN_IN, wrap(heads[i], map_w, sz.body_pt), size=sz.body_pt, weight="bold", color=INK,
                       gid="before_title" if before else "after_title")
        top = sheet.bottom + 0.08
        for i, before in enumerate((True, False)):
            x = MARGIN_IN + 0.3 + i * (map_w + gap)
            ax = sheet.axes(x, top, map_w, map_h, "before" if before else "after")
            for h, label in draw_map(ax, atlas, st, w, window=window, size=sz, before=before):
                entries.setdefault(label, (h, label))
        sheet.bottom += 0.25  # the graticule's labels
        handles = list(entries.values())
        labels = [wrap(lab, inner / 2 - 0.45, sz.small_pt) for _, lab in handles]
        leg = sheet.legend(MARGIN_IN, sheet.bottom + 0.05, [h for h, _ in handles], labels, ncols=2,
                           fontsize=sz.small_pt, handlelength=2.2, handleheight=1.3, columnspacing=1.0)
        leg.set_gid("legend")
        sheet.text(MARGIN_IN, sheet.bottom + 0.08, wrap(credits(w, "map"), inner, sz.small_pt), size=sz.small_pt,
                   color="#444444", gid="attribution", linespacing=1.3)
        fig = sheet.finish()
        fig.mapper_title = w.gettext("Before and after: {title}").format(title=figure_title(w, st.event))  # type: ignore[attr-defined]
        fig.mapper_desc = loss_caption(w, st)  # type: ignore[attr-defined]
        return fig
