"""The overview: small maps of the holdings after each event at which Persia or Russia gained or lost land."""
from __future__ import annotations

from matplotlib.figure import Figure

from mapper.dates import local_digits
from mapper.errors import MapperError
from mapper.figures.captions import credits, loss_caption, year
from mapper.figures.frame import WINDOW, frame
from mapper.figures.mapview import draw_map
from mapper.figures.saving import rc, Size, check_size
from mapper.figures.sheet import RTL, Sheet, wrap
from mapper.figures.symbols import INK
from mapper.model import Atlas
from mapper.timeline import Step, steps
from mapper.words import Words

__all__ = ["border_steps", "draw_overview", "overview_parts", "part_names", "part_number"]

#: Small maps per row at each size.
COLUMNS = {"column": 3, "page": 5, "slide": 8}
#: Rows of small maps in one part of the overview (``overview-1``, ``overview-2`` ...): a part at ``page`` or
#: ``column`` size fits an A4 page's text block (24.7 cm) at its own size, in Russian too (its titles run longest),
#: where the whole overview (33 maps,
#: 38 cm at page size) could only be shrunk to half, its 7 pt text to 3.5 pt (the printed atlas did so).
PART_ROWS = {"column": 3, "page": 3, "slide": 2}


def border_steps(atlas: Atlas) -> tuple[Step, ...]:
    """Return the steps at which Persia or Russia gained or lost a unit, in order."""
    return tuple(st for st in steps(atlas)
                 if any({c.from_, c.to} & {"persia", "russia"} for c in st.changes))


def _parts(n_steps: int, size: Size) -> list[range]:
    """Split the overview's maps into parts of at most :data:`PART_ROWS` rows each, the rows shared out evenly."""
    cols = COLUMNS[size.name]
    rows = max(1, -(-n_steps // cols))
    count = -(-rows // PART_ROWS[size.name])
    ends = [cols * (i * rows // count) for i in range(count + 1)]  # whole rows, shared out evenly (7 rows: 2, 2, 3)
    return [range(ends[i], min(n_steps, ends[i + 1])) for i in range(count)]


def overview_parts(atlas: Atlas, size: str | Size = "page") -> int:
    """Return how many parts the overview falls into at ``size`` (figures ``overview-1`` to ``overview-N``)."""
    return len(_parts(len(border_steps(atlas)), check_size(size)))


def part_names(atlas: Atlas, size: str | Size = "page") -> list[str]:
    """Return the figure names of the overview's parts at ``size`` (``overview-1`` ...); none when it is one part."""
    count = overview_parts(atlas, size)
    return [f"overview-{i}" for i in range(1, count + 1)] if count > 1 else []


def part_number(name: str) -> int | None:
    """Return N for a part of the overview named ``overview-N``, else None."""
    head, _, number = name.partition("-")
    return int(number) if head == "overview" and number.isdigit() else None


def draw_overview(atlas: Atlas, *, lang: str = "en", size: str | Size = "page", part: int | None = None) -> Figure:
    """Return small multiples: one map per event at which Persia or Russia gained or lost land or a claim.

    The figure is as wide as ``size`` and as tall as its maps need (on a slide too: it is a handout). ``part``
    (1 to :func:`overview_parts`) draws only that part's maps, its title saying which part it is, each part
    whole in itself (title, legend and credits) and short enough for an A4 page. Raises MapperError for a
    part the overview does not have.
    """
    w = Words(lang, atlas)
    sz = check_size(size)
    with rc():
        sts = border_steps(atlas)
        title = w.gettext("Iran and Russia: the border, event by event")
        if part is not None:
            parts = _parts(len(sts), sz)
            if not 1 <= part <= len(parts):
                raise MapperError(w.gettext("the overview has {count} parts at this size (overview-1 to overview-{count})")
                                  .format(count=len(parts)))
            sts = tuple(sts[i] for i in parts[part - 1])
            if len(parts) > 1:
                title = w.gettext("{title} ({part} of {parts})").format(
                    title=title, part=local_digits(str(part), w.lang), parts=local_digits(str(len(parts)), w.lang))
        xmin, ymin, xmax, ymax = frame(WINDOW).bounds
        cols = COLUMNS[sz.name]
        margin, gap = 0.1, 0.1
        inner = sz.width_in - 2 * margin
        pw = (inner - (cols - 1) * gap) / cols
        ph = pw * (ymax - ymin) / (xmax - xmin)
        sheet = Sheet(sz.width_in, rtl=w.lang in RTL)
        sheet.text(margin, margin, wrap(title, inner, sz.title_pt), size=sz.title_pt, weight="bold", color=INK, gid="title")
        subtitle = w.gettext("Holdings after each event at which Persia or Russia gained or lost land or a claim; "
                             "units that changed hands are outlined and hatched, claims that changed are outlined "
                             "with dashes.")
        sheet.text(margin, sheet.bottom + 0.04, wrap(subtitle, inner, sz.body_pt), size=sz.body_pt, color="#333333",
                   gid="subtitle")
        entries: dict[str, tuple] = {}
        row_top = sheet.bottom + 0.12
        for r in range(0, len(sts), cols):
            titles = []
            for c, st in enumerate(sts[r:r + cols]):
                when = local_digits(year(st.event), w.lang)
                name = w.event_title(st.event).replace(f" ({year(st.event)})", "").replace(f" ({when})", "")
                text = wrap(w.parts(when, name), pw, sz.small_pt) + "\n" + wrap(loss_caption(w, st), pw,
                                                                                         sz.small_pt)
                titles.append(sheet.text(margin + c * (pw + gap), row_top, text, size=sz.small_pt, color=INK,
                                         gid=f"panel_title_{st.event.id}", linespacing=1.1))
            map_top = sheet.bottom + 0.04
            for c, st in enumerate(sts[r:r + cols]):
                ax = sheet.axes(margin + c * (pw + gap), map_top, pw, ph, f"panel_{st.event.id}")
                for h, label in draw_map(ax, atlas, st, w, compact=True, size=sz, merged=True):
                    key = label.split(" (")[0].split(":")[0]  # "Russia (Russian Empire)" -> "Russia"
                    entries.setdefault(key, (h, key))
            row_top = sheet.bottom + 0.1
        holders = [w.holder_label(h) for h in ("persia", "russia", "other")]
        handles = [entries[k] for k in holders if k in entries] + [v for k, v in entries.items() if k not in holders]
        ncols = 2 if sz.stacked else 3
        labels = [wrap(lab, inner / ncols - 0.45, sz.small_pt) for _, lab in handles]
        leg = sheet.legend(margin, sheet.bottom + 0.05, [h for h, _ in handles], labels, ncols=ncols,
                           fontsize=sz.small_pt, handlelength=2.2, handleheight=1.3, columnspacing=1.0)
        leg.set_gid("legend")
        sheet.text(margin, sheet.bottom + 0.08, wrap(credits(w, "map"), inner, sz.small_pt), size=sz.small_pt,
                   color="#444444", gid="attribution", linespacing=1.3)
        fig = sheet.finish()
        fig.mapper_title = title  # type: ignore[attr-defined]
        fig.mapper_desc = subtitle  # type: ignore[attr-defined]
        return fig
