"""Run a whole build safely and incrementally: write into a temporary folder, then move the files into place.

A failed or interrupted build leaves the earlier outputs exactly as they were. A build only
ever replaces or removes files it wrote itself (listed in ``.mapper-manifest.json``), never
another file in the output folder, and never writes outside it.

Every output is keyed by what it was made from (:mod:`mapper.cache`): the data, GIS and HTML stages
as a whole by the whole atlas, each figure by the records it shows. An output whose key still holds
is carried over from the previous build instead of being made again, so an unchanged rebuild only
checks and links files, and editing one event redraws only the figures that show it.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mapper import cache as _cache
from mapper import transaction
from mapper.editions import EDITIONS, edition_dir, edition_prefix
from mapper.errors import BuildError
from mapper.model import Atlas

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


_ATLAS: Atlas | None = None


def _init_worker(atlas: Atlas, parent: int) -> None:
    """Keep the atlas for the tasks; leave interrupts to the parent, which stops the pool.

    Workers ignore SIGINT and, where they die with the parent (Linux, even after kill -9), SIGTERM:
    a signal to the whole process group killed them while the parent was still cancelling
    futures, and Python 3.11's pool then raised InvalidStateError.
    """
    global _ATLAS
    _ATLAS = atlas
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN if transaction.die_with_parent(parent) else signal.SIG_DFL)


def _call(task: Callable, item):
    return task(_ATLAS, item)


def in_processes(atlas: Atlas, workers: int | None = None) -> Callable:
    """Return ``run(task, items)``: ``task(atlas, item)`` for each item in ``workers`` processes, results in order.

    The atlas goes to each worker once (default: up to 2 workers, one per CPU); one worker runs here.
    """
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)

    def run(task: Callable, items):
        if workers <= 1:
            return [task(atlas, item) for item in items]
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor

        # fork is quick and safe while this process has a single thread; otherwise start afresh
        fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(atlas, os.getpid())) as pool:
            futures = [pool.submit(_call, task, item) for item in items]
            try:
                return [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise

    return run


#: The writer of each stage, ``(atlas, folder, options) -> written paths`` (read-only: choose stages with BuildOptions).
STAGES = MappingProxyType({"data": _data, "gis": _gis, "html": _html, "figures": _figures, "printed": _printed})


class _Interrupted(BaseException):
    pass


def _raise_interrupt(signum, frame):
    raise _Interrupted(signal.Signals(signum).name)


def build(atlas: Atlas, out_dir: Path, options: BuildOptions = BuildOptions()) -> BuildReport:
    """Build every output of the atlas into ``out_dir``; all or nothing (see mapper.transaction)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir}: exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    with transaction.locked(out_dir):
        transaction.recover(out_dir)
        return _build(atlas, out_dir, options)


def _build(atlas: Atlas, out_dir: Path, options: BuildOptions) -> BuildReport:
    report = BuildReport()
    works: _Works | None = None
    tmp = Path(tempfile.mkdtemp(prefix=transaction.TEMP_PREFIX, dir=out_dir))
    old = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
    try:
        keys = _cache.Cache.open(out_dir, tmp, transaction.read_manifest(out_dir))
        works = _Works.start(atlas, tmp, options, keys)
        for spec, (name, stage) in zip(options.stages, options.writers()):
            t0 = time.perf_counter()
            try:
                if works is not None and isinstance(spec, str) and name in ("figures", "printed"):
                    works.finish(name)
                elif isinstance(spec, str) and name == "figures":
                    _cached_figures(atlas, tmp, options, keys)
                elif isinstance(spec, str) and name == "printed":
                    _cached_printed(atlas, tmp, options, keys)
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


def _staged(tmp: Path) -> set[Path]:
    return {p for p in tmp.rglob("*") if p.is_file()}


def stage_key(atlas: Atlas, name: str, options: BuildOptions) -> str:
    """Return the key of a whole stage's outputs: the code, the stage's options and the whole atlas."""
    opts = {"html": (options.cdn, options.languages)}.get(name, ())
    return _cache.digest(_cache.code_version(), name, opts, _cache.atlas_digest(atlas))


def _cached_stage(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache, name: str, stage: Stage) -> None:
    """Run a stage whose outputs depend on the whole atlas, unless its key still holds."""
    key = stage_key(atlas, name, options)
    if keys.reuse(name, name, key) is not None:
        return
    before = _staged(tmp)
    stage(atlas, tmp, options)
    keys.record(name, name, key, sorted(_staged(tmp) - before))


def _product(kind: str, lang: str, name: str) -> str:
    """Return the cache's name of one output: ``figure:gulistan-1813``, ``figure:fa/gulistan-1813``, ``printed:ru``."""
    return f"{kind}:{edition_prefix(lang)}{name}"


def _cached_figures(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> None:
    """Draw the figures of every edition whose keys changed (in parallel); carry the others over."""
    from mapper.figures.files import by_cost, edition_task, figure_key, warm

    todo = _figures_to_draw(atlas, tmp, options, keys)
    if not todo:
        return
    warm(atlas)
    todo = by_cost(todo)  # the longest first, so that two workers finish together
    results = in_processes(atlas, options.workers)(edition_task(tmp), todo)
    for (lang, n), paths in zip(todo, results):
        keys.record("figures", _product("figure", lang, n), figure_key(atlas, n, lang=lang), paths)


def _figures_to_draw(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> list[tuple[str, str]]:
    """Carry over the figures whose keys hold; return the ``(lang, name)`` left to draw (and say so on a terminal)."""
    from mapper.figures import figure_names
    from mapper.figures.files import figure_key
    from mapper.words import Words

    names = figure_names(atlas)
    if options.figures is not None:
        known = set(names) | {e.id for e in atlas.events}
        for n in options.figures:
            if n not in known:
                raise BuildError(Words().did_you_mean(n, names, what="event"))
        names = list(options.figures)
    jobs = [(lang, n) for lang in options.languages for n in names]
    todo = [(lang, n) for lang, n in jobs
            if keys.reuse("figures", _product("figure", lang, n), figure_key(atlas, n, lang=lang)) is None]
    if todo and options.progress is not None:  # the longest stage says what it is doing before it starts
        options.progress(f"figures  drawing {len(todo)} of {len(jobs)} …")
    for lang in options.languages:
        (edition_dir(tmp, lang) / "figures").mkdir(parents=True, exist_ok=True)
    return todo


def _cached_printed(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> None:
    """Typeset the printed atlas of every edition whose key changed (in parallel); carry the others over.

    Each edition's atlas.pdf places the figures the figures stage staged in its ``figures/`` folder.
    """
    from mapper.printed import printed_task

    todo = [lang for lang in options.languages
            if keys.reuse("printed", _product("printed", lang, ""), printed_key(atlas, lang)) is None]
    if not todo:
        return
    results = in_processes(atlas, options.workers)(printed_task(tmp), todo)
    for lang, paths in zip(todo, results):
        keys.record("printed", _product("printed", lang, ""), printed_key(atlas, lang), paths)


#: The editions' atlas.pdf, the costliest first (Persian is set right to left, with two more calendars).
_PDF_COST = {"fa": 0, "ru": 1, "en": 2}


class _Works:
    """The figures and printed atlases of a build, made by one set of worker processes from the build's start.

    The workers start (forked once the atlas's shared work is done, :func:`mapper.figures.files.warm`)
    before the first stage, so they draw while this process writes the data, GIS and web stages. They
    take the costliest work first: an edition's atlas.pdf as soon as the figures it places are staged
    (the Persian first), the figures those need, then the rest, the costliest first, so that both
    workers finish together. The stages ``figures`` and ``printed`` then wait for their files and note
    their keys. At most one task more than there are workers waits in the pool's queue, so that a
    book ready to start is never queued behind a hundred figures.
    """

    def __init__(self, atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache, workers: int):
        self.atlas, self.tmp, self.options, self.keys, self.workers = atlas, tmp, options, keys, workers
        self.figures: list[tuple[str, str]] = []
        self.books: list[str] = []
        self.needs: dict[str, set[tuple[str, str]]] = {}
        self.results: dict[tuple, list[Path]] = {}
        self.error: BaseException | None = None
        self.running: set[tuple] = set()
        self.closed = False
        self.pool: Any = None
        import threading

        self.lock = threading.Condition()

    @classmethod
    def start(cls, atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> _Works | None:
        """Plan and start the figures and books to make, or return None to make them stage by stage (one worker)."""
        workers = options.workers if options.workers is not None else min(2, os.cpu_count() or 1)
        names = [s for s in options.stages if isinstance(s, str)]
        if workers <= 1 or "figures" not in names:
            return None
        from mapper.figures.files import by_cost, warm
        from mapper.printed.book import needed_figures

        works = cls(atlas, tmp, options, keys, workers)
        works.figures = by_cost(_figures_to_draw(atlas, tmp, options, keys))
        if "printed" in names:
            works.books = sorted((lang for lang in options.languages
                                  if keys.reuse("printed", _product("printed", lang, ""), printed_key(atlas, lang)) is None),
                                 key=lambda lang: _PDF_COST.get(lang, 9))
            drawing = set(works.figures)
            works.needs = {lang: {(lang, n) for n in needed_figures(atlas)} & drawing for lang in works.books}
        if not works.figures and not works.books:
            return works
        warm(atlas)
        works._warm_dates()
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor

        fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        works.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(atlas, os.getpid()))
        with works.lock:
            works._fill()
        return works

    def _warm_dates(self) -> None:
        """Compute the Solar Hijri dates once here (tens of milliseconds each), not in every worker."""
        from mapper import dates

        for e in self.atlas.events:
            try:
                dates.format_solar_hijri(e.date.date, e.date.precision)
            except (ValueError, OverflowError):  # a date the calendar cannot convert: its output says so
                pass

    def _next(self) -> tuple | None:
        for lang in self.books:  # a book whose figures are staged
            if not self.needs[lang]:
                self.books.remove(lang)
                return ("printed", lang)
        for lang in self.books:  # the figures the first book waits for (the costliest book first), its costliest first
            for i, job in enumerate(self.figures):
                if job in self.needs[lang]:
                    return ("figure", *self.figures.pop(i))
        return ("figure", *self.figures.pop(0)) if self.figures else None

    def _fill(self) -> None:
        """Keep the workers busy with one task queued besides (call holding the lock)."""
        from mapper.figures.files import edition_task
        from mapper.printed import printed_task

        while not self.closed and self.error is None and len(self.running) < self.workers + 1:
            job = self._next()
            if job is None:
                break
            task = edition_task(self.tmp) if job[0] == "figure" else printed_task(self.tmp)
            future = self.pool.submit(_call, task, job[1:] if job[0] == "figure" else job[1])
            self.running.add(job)
            future.add_done_callback(lambda f, job=job: self._done(job, f))

    def _done(self, job: tuple, future: Any) -> None:
        with self.lock:
            self.running.discard(job)
            try:
                if future.cancelled():
                    return
                error = future.exception()
                if error is not None:
                    self.error = self.error or error
                    return
                self.results[job] = future.result()
                if job[0] == "figure":
                    for needs in self.needs.values():
                        needs.discard(job[1:])
                self._fill()
            except BaseException as e:  # noqa: BLE001 - a callback's error would be lost: keep it for the stage
                self.error = self.error or e
            finally:
                self.lock.notify_all()

    def finish(self, stage: str) -> None:
        """Wait for the stage's outputs (``figures`` or ``printed``), note their keys; raise a worker's error."""
        from mapper.figures.files import figure_key

        kind = "figure" if stage == "figures" else "printed"
        with self.lock:
            while self.error is None and self._left(kind):
                self.lock.wait()
            if self.error is not None:
                raise self.error
        for job, paths in sorted(self.results.items()):
            if job[0] == kind == "figure":
                lang, name = job[1:]
                self.keys.record("figures", _product("figure", lang, name), figure_key(self.atlas, name, lang=lang), paths)
            elif job[0] == kind:
                self.keys.record("printed", _product("printed", job[1], ""), printed_key(self.atlas, job[1]), paths)

    def _left(self, kind: str) -> bool:
        """Whether any ``kind`` of work is still to start or running (call holding the lock)."""
        if kind == "figure":
            return bool(self.figures) or any(j[0] == kind for j in self.running)
        return bool(self.books) or any(j[0] == kind for j in self.running)

    def close(self) -> None:
        """Stop the workers: cancel what has not started, wait for what has."""
        with self.lock:
            self.closed = True
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def printed_key(atlas: Atlas, lang: str) -> str:
    """Return the key of an edition's atlas.pdf: the code, the language and the whole atlas (with its translations)."""
    return _cache.digest(_cache.code_version(), "printed", lang, _cache.atlas_digest(atlas))


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
