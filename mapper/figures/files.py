"""Which figures the atlas has and how each one reaches a file: one draw and one save per figure.

A build writes ``figures/<name>.png`` and ``.svg`` for every name :func:`figure_names` lists; it may
write them in parallel by passing ``run`` (see :func:`write_figures`): the files never depend on it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from matplotlib.figure import Figure

from mapper.errors import MapperError
from mapper.figures.event_map import draw_event
from mapper.figures.overview import draw_overview
from mapper.figures.saving import DPI, FIG_WIDTH_IN, check_format, save
from mapper.figures.territory import draw_territory
from mapper.model import Atlas

__all__ = ["BUILD_FORMATS", "draw_figure", "figure_names", "save_figure", "write_figure", "write_figures"]

#: The formats a build writes for every figure.
BUILD_FORMATS = ("png", "svg")

#: ``run(task, names)`` calls ``task(atlas, name)`` for each name (perhaps in other processes) and
#: returns the results in the order of ``names``.
Runner = Callable[[Callable[[Atlas, str], list[Path]], Sequence[str]], Iterable[list[Path]]]


def figure_names(atlas: Atlas) -> list[str]:
    """Return the name of every figure a build writes: ``overview``, ``territory``, then each event id."""
    return ["overview", "territory", *(e.id for e in atlas.events)]


def draw_figure(atlas: Atlas, name: str) -> Figure:
    """Draw the figure ``name`` (``overview``, ``territory`` or an event id); raise MapperError if unknown."""
    if name == "overview":
        return draw_overview(atlas)
    if name == "territory":
        return draw_territory(atlas)
    return draw_event(atlas, name)


def save_figure(atlas: Atlas, event_id: str, path: Path, *, fmt: str, width_px: int = 2400) -> Path:
    """Draw the print figure of ``event_id`` and save it to ``path`` as PNG, SVG or PDF ``width_px`` wide.

    Raises MapperError for an unknown event id (with a did-you-mean), a bad format or width.
    """
    fmt = check_format(fmt)
    if not isinstance(width_px, int) or not 400 <= width_px <= 10000:
        raise MapperError(f"figure width {width_px!r} px is out of range (400 to 10000)")
    return save(draw_event(atlas, event_id), Path(path), fmt, width_px / FIG_WIDTH_IN)


def write_figure(atlas: Atlas, name: str, folder: Path) -> list[Path]:
    """Draw the figure ``name`` once and write it into ``folder`` in each of :data:`BUILD_FORMATS`."""
    fig = draw_figure(atlas, name)
    return [save(fig, Path(folder) / f"{name}.{fmt}", fmt, DPI) for fmt in BUILD_FORMATS]


def write_figures(atlas: Atlas, out: Path, *, run: Runner | None = None) -> list[Path]:
    """Write every figure into ``out/figures/``; return the paths written.

    ``run`` runs the tasks (the build passes its process pool); by default they run here, one by one.
    """
    folder = Path(out) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    task = _FolderTask(str(folder))
    names = figure_names(atlas)
    results = run(task, names) if run is not None else (task(atlas, n) for n in names)
    return [p for paths in results for p in paths]


class _FolderTask:
    """``write_figure`` into one folder, as a picklable callable for worker processes."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, atlas: Atlas, name: str) -> list[Path]:
        return write_figure(atlas, name, Path(self.folder))
