"""Which figures the atlas has and how each one reaches a file: one draw and one save per figure.

A build writes ``figures/<name>.png`` and ``.svg`` at page size for every name :func:`figure_names`
lists; it may write them in parallel by passing ``run`` (see :func:`write_figures`): the files never
depend on it. ``mapper figure NAME --size column|page|slide`` draws one on demand.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from matplotlib.figure import Figure

from mapper.errors import MapperError
from mapper.figures.event_map import draw_event
from mapper.figures.overview import draw_overview, part_names, part_number
from mapper.figures.pair import draw_pair, pair_name
from mapper.figures.saving import DPI, Size, check_format, check_size, save
from mapper.figures.territory import draw_territory
from mapper.model import Atlas
from mapper.timeline import Step, moving_events, steps

__all__ = ["BUILD_FORMATS", "by_cost", "collected_after", "draw_figure", "edition_task", "figure_events", "figure_key", "figure_names",
           "folder_task", "save_figure", "warm", "write_figure", "write_figures"]

#: The formats a build writes for every figure.
BUILD_FORMATS = ("png", "svg")
#: Pixels per inch of the before-and-after pairs (two maps side by side; 150 dpi keeps atlas.pdf light).
PAIR_DPI = 150

#: ``run(task, names)`` calls ``task(atlas, name)`` for each name (perhaps in other processes) and
#: returns the results in the order of ``names``.
Runner = Callable[[Callable[[Atlas, str], list[Path]], Sequence[str]], Iterable[list[Path]]]


def figure_events(atlas: Atlas) -> list[str]:
    """Return the ids of the events the build draws: :func:`mapper.timeline.moving_events`."""
    return moving_events(atlas)


def figure_names(atlas: Atlas) -> list[str]:
    """Return the name of every figure a build writes: ``overview`` and its parts at page size (``overview-1``
    ..., when it has more than one), ``territory``, then per event that moved something its figure and its
    before-and-after pair (``<event-id>-before-after``)."""
    return ["overview", *part_names(atlas), "territory", *(n for e in figure_events(atlas) for n in (e, pair_name(e)))]


def _step_digest(st: Step) -> tuple:
    """What a map of a step shows: the event, the state (holders by name, claims, zones), what changed, the totals."""
    return (st.event, st.state, st.changes, st.zones_begun, st.zones_ended, st.lost_km2, st.total_lost_km2,
            st.occupations)


def _map_digest(st: Step) -> tuple:
    """What a map of a step shows without its panel: the state, what changed, the event's title, date and place."""
    ev = st.event
    return (ev.id, ev.title, ev.date, ev.date_os, ev.date_certainty, ev.place, st.state, st.changes, st.zones_begun,
            st.zones_ended)


def figure_key(atlas: Atlas, name: str, size: str = "page", lang: str = "en") -> str:
    """Return the key of the figure ``name``: a hash of the code, the options and every record it shows.

    An event's figure shows its step and the layers and places; its pair also the step before; the
    overview (and each of its parts) every border step's map, title, date and loss; the territory chart
    every step's areas and titles. Editing one event's summary thus changes the key of its own figure only.
    """
    from mapper.cache import code_version, digest, layers_digest, translations_digest

    sts = steps(atlas)
    base = (code_version(), name, size, lang, layers_digest(atlas), translations_digest(atlas, lang))
    if name == "overview" or part_number(name) is not None:  # its panels: year, title, loss caption and map
        from mapper.figures.overview import border_steps

        return digest(*base, [(_map_digest(st), st.lost_km2) for st in border_steps(atlas)])
    if name == "territory":
        return digest(*base, [(st.event.id, st.event.title, st.event.date, st.lost_km2, st.total_lost_km2, st.changes)
                              for st in sts])
    event_id = name.removesuffix("-before-after") if name not in {e.id for e in atlas.events} else name
    found = [s for s in sts if s.event.id == event_id]
    if not found:
        return digest(*base, "unknown")
    st = found[0]
    if name == event_id:
        return digest(*base, _step_digest(st))
    # a pair shows the two maps and the two dates, not the events' summaries or sources
    prev = sts[st.index - 1] if st.index else None
    return digest(*base, _map_digest(st), _map_digest(prev) if prev else ("baseline", sorted(atlas.baseline.items())))


def warm(atlas: Atlas) -> None:
    """Compute what every figure shares (the replay, the projected layers) once, before worker processes fork."""
    from mapper.figures.frame import COMPACT_TOLERANCE_M, FULL_TOLERANCE_M, WINDOW, view

    steps(atlas)
    view(atlas, WINDOW, FULL_TOLERANCE_M)
    view(atlas, WINDOW, COMPACT_TOLERANCE_M)


def folder_task(folder: Path, lang: str = "en") -> Callable[[Atlas, str], list[Path]]:
    """Return a picklable ``task(atlas, name)`` that writes the figure ``name`` in ``lang`` into ``folder``."""
    return _FolderTask(str(folder), lang)


def draw_figure(atlas: Atlas, name: str, *, size: str | Size = "page", lang: str = "en") -> Figure:
    """Draw the figure ``name`` (``overview``, a part of it ``overview-N``, ``territory``, any event id or
    ``<event-id>-before-after``) at ``size``.

    Raises MapperError for an unknown name (with a did-you-mean) or size.
    """
    if name == "overview":
        return draw_overview(atlas, size=size, lang=lang)
    if (part := part_number(name)) is not None:
        return draw_overview(atlas, size=size, lang=lang, part=part)
    if name == "territory":
        return draw_territory(atlas, size=size, lang=lang)
    if name.endswith("-before-after") and name not in {e.id for e in atlas.events}:
        return draw_pair(atlas, name.removesuffix("-before-after"), size=size, lang=lang)
    return draw_event(atlas, name, size=size, lang=lang)


def _save(fig: Figure, path: Path, fmt: str, dpi: float) -> Path:
    return save(fig, path, fmt, dpi, title=getattr(fig, "mapper_title", ""), desc=getattr(fig, "mapper_desc", ""))


def save_figure(atlas: Atlas, name: str, path: Path, *, fmt: str, size: str | Size = "page", dpi: int = 300,
                lang: str = "en") -> Path:
    """Draw the figure ``name`` at ``size`` and save it to ``path`` as PNG (at ``dpi``), SVG or PDF.

    Raises MapperError for an unknown name (with a did-you-mean), a bad format, size or resolution.
    """
    fmt = check_format(fmt)
    sz = check_size(size)
    if not isinstance(dpi, int) or not 72 <= dpi <= 1200:
        raise MapperError(f"figure resolution {dpi!r} dpi is out of range (72 to 1200)")
    return _save(draw_figure(atlas, name, size=sz, lang=lang), Path(path), fmt, dpi)


def write_figure(atlas: Atlas, name: str, folder: Path, lang: str = "en") -> list[Path]:
    """Draw the figure ``name`` once at page size in ``lang`` and write it into ``folder`` in each of :data:`BUILD_FORMATS`.

    A before-and-after pair is written as PNG only (the printed atlas places it; WeasyPrint draws
    large SVG maps slowly); ``mapper figure ID-before-after --format svg`` gives its SVG.
    """
    with collected_after():
        fig = draw_figure(atlas, name, lang=lang)
        if name.endswith("-before-after") and name not in {e.id for e in atlas.events}:
            return [_save(fig, Path(folder) / f"{name}.png", "png", PAIR_DPI)]
        return [_save(fig, Path(folder) / f"{name}.{fmt}", fmt, DPI) for fmt in BUILD_FORMATS]


@contextmanager
def collected_after() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a figure is drawn and saved, then collect its garbage once.

    A figure makes some hundred thousand objects (artists, transforms, paths) that refer to one another;
    the collector, left to itself, went through them and everything older every few hundred allocations
    (about a tenth of a figure's time). Nothing a figure makes depends on when garbage is collected.
    """
    if not gc.isenabled():  # the caller's choice
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)  # what the figure left (the young generations): the older objects are the caller's


def write_figures(atlas: Atlas, out: Path, *, run: Runner | None = None, names: Sequence[str] | None = None) -> list[Path]:
    """Write the figures ``names`` (default: :func:`figure_names`) into ``out/figures/``; return the paths written.

    ``run`` runs the tasks (the build passes its process pool); by default they run here, one by one.
    """
    folder = Path(out) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    task = _FolderTask(str(folder))
    names = list(figure_names(atlas) if names is None else names)
    results = run(task, names) if run is not None else (task(atlas, n) for n in names)
    return [p for paths in results for p in paths]


def by_cost(jobs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return ``(lang, name)`` jobs the costliest first (the overview, then pairs, maps, the chart), else in order.

    Workers take jobs in this order, so the long ones do not start last and keep one worker busy alone.
    """
    def cost(job: tuple[str, str]) -> int:
        name = job[1]
        pairlike = name.endswith("-before-after") or part_number(name) is not None
        return 0 if name == "overview" else 1 if pairlike else 3 if name == "territory" else 2

    return sorted(jobs, key=cost)


def edition_task(root: Path, layers: Path | None = None) -> Callable[[Atlas, tuple[str, str]], list[Path]]:
    """Return a picklable ``task(atlas, (lang, name))`` that writes a figure into its edition's ``figures/`` under ``root``.

    ``layers`` is a folder the build's workers share the maps' drawn geometry in (:mod:`mapper.figures.layers`).
    """
    return _EditionTask(str(root), None if layers is None else str(layers))


class _EditionTask:
    """``write_figure`` into ``<edition>/figures/`` under one root, as a picklable callable for worker processes."""

    def __init__(self, root: str, layers: str | None = None):
        self.root = root
        self.layers = layers

    def __call__(self, atlas: Atlas, job: tuple[str, str]) -> list[Path]:
        from mapper.editions import edition_dir
        from mapper.figures.layers import use_folder

        lang, name = job
        use_folder(self.layers)
        try:
            return write_figure(atlas, name, edition_dir(Path(self.root), lang) / "figures", lang=lang)
        finally:
            use_folder(None)


class _FolderTask:
    """``write_figure`` into one folder, as a picklable callable for worker processes."""

    def __init__(self, folder: str, lang: str = "en"):
        self.folder = folder
        self.lang = lang

    def __call__(self, atlas: Atlas, name: str) -> list[Path]:
        return write_figure(atlas, name, Path(self.folder), lang=self.lang)
