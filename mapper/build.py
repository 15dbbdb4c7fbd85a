"""Run a whole build safely and incrementally: write into a temporary folder, then move the files into place.

A failed or interrupted build leaves the earlier outputs exactly as they were. A build only
ever replaces or removes files it wrote itself (listed in ``.mapper-manifest.json``), never
another file in the output folder, and never writes outside it.

Every output is keyed by what it was made from (:mod:`mapper.cache`): the data, GIS and HTML stages
as a whole by the whole atlas, each figure by the records it shows. An output whose key still holds
is carried over from the previous build instead of being made again, so an unchanged rebuild only
checks and links files, and editing one event redraws only the figures that show it.

The stages are chosen with :class:`BuildOptions`; the figures and printed atlases are made by
:mod:`mapper.print_jobs` in the worker processes of :mod:`mapper.workers`.
"""
from __future__ import annotations

import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from mapper import cache as _cache
from mapper import transaction
from mapper.editions import EDITIONS
from mapper.errors import BuildError
from mapper.model import Atlas
from mapper.print_jobs import Works, cached_figures, cached_printed
from mapper.workers import in_processes

__all__ = ["BuildOptions", "BuildReport", "build", "stage_key", "STAGES"]

MANIFEST = transaction.MANIFEST

Stage = Callable[[Atlas, Path, "BuildOptions"], list[Path]]
#: The build's own stages, in the order they run ("printed": the printed atlas, atlas.pdf).
STAGE_NAMES = ("data", "gis", "html", "figures", "printed")


@dataclass(frozen=True)
class BuildOptions:
    """How to build.

    Parameters
    ----------
    stages
        The stages to run, in order: names from :data:`STAGE_NAMES`, or ``(name, writer)`` pairs for a
        stage of one's own, a writer being ``(atlas, folder, options) -> written paths``.
    cdn
        Link Leaflet from a CDN instead of inlining it.
    workers
        Processes that draw the figures (default: up to 2, one per CPU); the files never depend on it.
    figures
        The figures to draw (names from :func:`mapper.figures.figure_names`; default: all of them).
        Tests use a few to save time; the printed atlas then draws only what it needs.
    progress
        Called with one line per stage as it finishes (the command line prints them on a terminal).
    languages
        The editions to write (:data:`mapper.editions.EDITIONS`: English at the top of the output folder,
        Persian and Russian under ``fa/`` and ``ru/``): each has its own figures and printed atlas.

    Examples
    --------
    >>> BuildOptions().without("figures").stage_names
    ('data', 'gis', 'html')
    """

    stages: tuple[str | tuple[str, Stage], ...] = STAGE_NAMES
    cdn: bool = False
    workers: int | None = None
    figures: tuple[str, ...] | None = None
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    languages: tuple[str, ...] = EDITIONS

    def __post_init__(self) -> None:
        from mapper.words import Words

        langs = tuple(dict.fromkeys(self.languages))
        bad = [lang for lang in langs if lang not in EDITIONS]
        if bad or not langs:
            raise BuildError(Words().did_you_mean(bad[0], EDITIONS, what="language") if bad
                             else "no language to build (choose from en, fa, ru)")
        object.__setattr__(self, "languages", langs)
        unknown = [s for s in self.stages if isinstance(s, str) and s not in STAGE_NAMES]
        if unknown:
            raise BuildError(Words().did_you_mean(unknown[0], STAGE_NAMES, what="stage"))
        if self.workers is not None and self.workers < 1:
            raise BuildError(f"workers must be at least 1, not {self.workers!r}")

    @property
    def stage_names(self) -> tuple[str, ...]:
        """Return the names of the stages to run, in order."""
        return tuple(s if isinstance(s, str) else s[0] for s in self.stages)

    def without(self, *names: str) -> BuildOptions:
        """Return these options without the stages ``names``: ``options.without("figures")``."""
        return replace(self, stages=tuple(s for s in self.stages if (s if isinstance(s, str) else s[0]) not in names))

    def writers(self) -> list[tuple[str, Stage]]:
        """Return the stages to run as ``(name, writer)`` pairs, in order."""
        return [(s, STAGES[s]) if isinstance(s, str) else s for s in self.stages]


@dataclass
class BuildReport:
    """What a build wrote (paths relative to the output folder), how long each stage took, and per stage
    how many outputs were made anew and how many carried over unchanged from the previous build."""

    files: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    made: dict[str, int] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)


def _data(atlas: Atlas, out: Path, options: BuildOptions) -> list[Path]:
    from mapper.exports import write_data

    return write_data(atlas, out)


def _gis(atlas: Atlas, out: Path, options: BuildOptions) -> list[Path]:
    from mapper.exports import write_gis

    return write_gis(atlas, out)


def _html(atlas: Atlas, out: Path, options: BuildOptions) -> list[Path]:
    from mapper.editions import EDITIONS
    from mapper.web import write_html

    return write_html(atlas, out, cdn=options.cdn, languages=tuple(getattr(options, "languages", EDITIONS)))


def _figures(atlas: Atlas, out: Path, options: BuildOptions) -> list[Path]:
    from mapper.figures import write_figures

    return write_figures(atlas, out, run=in_processes(atlas, options.workers), names=options.figures)


def _printed(atlas: Atlas, out: Path, options: BuildOptions) -> list[Path]:
    from mapper.printed import write_atlas_pdf

    run = in_processes(atlas, options.workers)
    return [p for lang in options.languages for p in write_atlas_pdf(atlas, out, run=run, lang=lang)]


#: The writer of each stage, ``(atlas, folder, options) -> written paths`` (read-only: choose stages with BuildOptions).
STAGES = MappingProxyType({"data": _data, "gis": _gis, "html": _html, "figures": _figures, "printed": _printed})


class _Interrupted(BaseException):
    pass


def _raise_interrupt(signum, frame):
    raise _Interrupted(signal.Signals(signum).name)


def build(atlas: Atlas, out_dir: Path, options: BuildOptions = BuildOptions()) -> BuildReport:
    """Build every output of the atlas into ``out_dir``; all or nothing (see mapper.transaction)."""
    out_dir = Path(out_dir).absolute()  # (the staging folder's files are handed to workers and made into file: URIs)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir}: exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    with transaction.locked(out_dir):
        transaction.recover(out_dir)
        return _build(atlas, out_dir, options)


def _build(atlas: Atlas, out_dir: Path, options: BuildOptions) -> BuildReport:
    report = BuildReport()
    works: Works | None = None
    tmp = Path(tempfile.mkdtemp(prefix=transaction.TEMP_PREFIX, dir=out_dir))
    old = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
    try:
        keys = _cache.Cache.open(out_dir, tmp, transaction.read_manifest(out_dir))
        works = Works.start(atlas, tmp, options, keys)
        for spec, (name, stage) in zip(options.stages, options.writers()):
            t0 = time.perf_counter()
            try:
                if works is not None and isinstance(spec, str) and name in ("figures", "printed"):
                    works.finish(name)
                elif isinstance(spec, str) and name == "figures":
                    cached_figures(atlas, tmp, options, keys)
                elif isinstance(spec, str) and name == "printed":
                    cached_printed(atlas, tmp, options, keys)
                elif isinstance(spec, str):
                    _cached_stage(atlas, tmp, options, keys, name, stage)
                else:  # a stage of one's own: never cached
                    stage(atlas, tmp, options)
            except OSError as e:
                raise _named(e, tmp, out_dir) from None
            report.seconds[name] = time.perf_counter() - t0
            report.made[name], report.reused[name] = keys.made.get(name, 0), keys.reused.get(name, 0)
            if options.progress is not None:
                options.progress(_stage_line(name, report))
        if keys.new:
            keys.write()
        files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
        transaction.commit(tmp, out_dir, files)
        report.files = files
        return report
    except _Interrupted as e:
        raise BuildError(f"build interrupted ({e}); the earlier outputs in {out_dir} are untouched") from None
    finally:
        if works is not None:
            works.close()
        if not (out_dir / transaction.JOURNAL).exists():  # else the next build needs it to undo the commit
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def _stage_line(name: str, report: BuildReport) -> str:
    made, reused = report.made.get(name, 0), report.reused.get(name, 0)
    what = f"{made} made, {reused} unchanged" if made + reused else "done"
    return f"{name:<8} {what} ({report.seconds[name]:.1f} s)"


def stage_key(atlas: Atlas, name: str, options: BuildOptions) -> str:
    """Return the key of a whole stage's outputs: the code, the stage's options and the whole atlas."""
    opts = {"html": (options.cdn, options.languages)}.get(name, ())
    return _cache.digest(_cache.code_version(), name, opts, _cache.atlas_digest(atlas))


def _cached_stage(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache, name: str, stage: Stage) -> None:
    """Run a stage whose outputs depend on the whole atlas, unless its key still holds.

    The key covers the files the stage says it wrote, not whatever appeared in the staging folder
    meanwhile: the figure workers write there at the same time (:class:`mapper.print_jobs.Works`), and a
    figure taken into the stage's record, perhaps half written, made the next build redo the stage.
    """
    key = stage_key(atlas, name, options)
    if keys.reuse(name, name, key) is not None:
        return
    keys.record(name, name, key, sorted(set(stage(atlas, tmp, options))))


def _named(e: OSError, tmp: Path, out_dir: Path) -> BuildError:
    """Name the file a write failed on (a full disk reports none): the newest file in the staging folder."""
    if e.filename:
        where = Path(e.filename)
        where = out_dir / where.relative_to(tmp) if where.is_relative_to(tmp) else where
    else:
        newest = max((p for p in tmp.rglob("*") if p.is_file()), key=lambda p: p.stat().st_mtime_ns, default=None)
        where = out_dir / newest.relative_to(tmp) if newest else out_dir
    return BuildError(f"{where}: could not be written ({e.strerror or e}); the earlier outputs in {out_dir} are untouched")


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
