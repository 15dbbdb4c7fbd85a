"""The figures and printed atlases of a build: which to make, by which worker, in what order, with what key.

:func:`cached_figures` and :func:`cached_printed` make a stage's outputs stage by stage (one pool
each); :class:`Works` makes both with one pool from the build's start, the costliest first, each
edition's atlas.pdf as soon as its figures are staged. Either way an output whose key holds
(:mod:`mapper.cache`) is carried over instead of made again.
"""
from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mapper import cache as _cache
from mapper.editions import edition_dir, edition_prefix
from mapper.errors import BuildError
from mapper.model import Atlas
from mapper.workers import call, in_processes, new_pool, worker_count

if TYPE_CHECKING:
    from mapper.build import BuildOptions

__all__ = ["Works", "books_to_make", "cached_figures", "cached_printed", "printed_key", "product", "record_book", "record_figure"]


def product(kind: str, lang: str, name: str) -> str:
    """Return the cache's name of one output: ``figure:gulistan-1813``, ``figure:fa/gulistan-1813``, ``printed:ru``."""
    return f"{kind}:{edition_prefix(lang)}{name}"


def cached_figures(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> None:
    """Draw the figures of every edition whose keys changed (in parallel); carry the others over."""
    from mapper.figures.files import by_cost, edition_task, warm

    todo = figures_to_draw(atlas, tmp, options, keys)
    if not todo:
        return
    warm(atlas)
    todo = by_cost(todo)  # the longest first, so that two workers finish together
    with layer_folder() as layers:
        results = in_processes(atlas, options.workers)(edition_task(tmp, layers), todo)
    for (lang, n), paths in zip(todo, results):
        record_figure(atlas, keys, lang, n, paths)


@contextmanager
def layer_folder() -> Iterator[Path]:
    """Return a folder outside the outputs where the workers share the maps' drawn geometry for one build (then removed).

    What is kept there is named by a digest of everything that decides its pixels (:mod:`mapper.figures.layers`),
    so the build keys need not cover it: a layer is reused only for the same drawing, and never outlives the build.
    """
    with tempfile.TemporaryDirectory(prefix="mapper-layers-", ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def record_figure(atlas: Atlas, keys: _cache.Cache, lang: str, name: str, paths: list[Path]) -> None:
    """Note the key of a figure just drawn, with its files."""
    from mapper.figures.files import figure_key

    keys.record("figures", product("figure", lang, name), figure_key(atlas, name, lang=lang), paths)


def books_to_make(atlas: Atlas, options: BuildOptions, keys: _cache.Cache) -> list[str]:
    """Carry over the editions' atlas.pdf whose keys hold; return the languages left to typeset."""
    return [lang for lang in options.languages
            if keys.reuse("printed", product("printed", lang, ""), printed_key(atlas, lang)) is None]


def record_book(atlas: Atlas, keys: _cache.Cache, lang: str, paths: list[Path]) -> None:
    """Note the key of an edition's atlas.pdf just typeset, with its file."""
    keys.record("printed", product("printed", lang, ""), printed_key(atlas, lang), paths)


def figures_to_draw(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> list[tuple[str, str]]:
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
            if keys.reuse("figures", product("figure", lang, n), figure_key(atlas, n, lang=lang)) is None]
    if todo and options.progress is not None:  # the longest stage says what it is doing before it starts
        options.progress(f"figures  drawing {len(todo)} of {len(jobs)} …")
    for lang in options.languages:
        (edition_dir(tmp, lang) / "figures").mkdir(parents=True, exist_ok=True)
    return todo


def cached_printed(atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> None:
    """Typeset the printed atlas of every edition whose key changed (in parallel); carry the others over.

    Each edition's atlas.pdf places the figures the figures stage staged in its ``figures/`` folder.
    """
    from mapper.printed import printed_task

    todo = books_to_make(atlas, options, keys)
    if not todo:
        return
    results = in_processes(atlas, options.workers)(printed_task(tmp), todo)
    for lang, paths in zip(todo, results):
        record_book(atlas, keys, lang, paths)


#: The editions' atlas.pdf, the costliest first (Persian is set right to left, with two more calendars).
_PDF_COST = {"fa": 0, "ru": 1, "en": 2}


class Works:
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
        self.lock = threading.Condition()
        self.cleanup = ExitStack()
        self.layers: Path | None = None

    @classmethod
    def start(cls, atlas: Atlas, tmp: Path, options: BuildOptions, keys: _cache.Cache) -> Works | None:
        """Plan and start the figures and books to make, or return None to make them stage by stage (one worker)."""
        workers = worker_count(options.workers)
        names = [s for s in options.stages if isinstance(s, str)]
        if workers <= 1 or "figures" not in names:
            return None
        from mapper.figures.files import by_cost, warm
        from mapper.printed.book import needed_figures

        works = cls(atlas, tmp, options, keys, workers)
        works.figures = by_cost(figures_to_draw(atlas, tmp, options, keys))
        if "printed" in names:
            works.books = sorted(books_to_make(atlas, options, keys), key=lambda lang: _PDF_COST.get(lang, 9))
            drawing = set(works.figures)
            works.needs = {lang: {(lang, n) for n in needed_figures(atlas)} & drawing for lang in works.books}
        if not works.figures and not works.books:
            return works
        warm(atlas)
        works.layers = works.cleanup.enter_context(layer_folder())
        works.pool = new_pool(atlas, workers)
        with works.lock:
            works._fill()
        return works

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
            task = edition_task(self.tmp, self.layers) if job[0] == "figure" else printed_task(self.tmp)
            future = self.pool.submit(call, task, job[1:] if job[0] == "figure" else job[1])
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
        kind = "figure" if stage == "figures" else "printed"
        with self.lock:
            while self.error is None and self._left(kind):
                self.lock.wait()
            if self.error is not None:
                raise self.error
        for job, paths in sorted(self.results.items()):
            if job[0] == kind == "figure":
                record_figure(self.atlas, self.keys, job[1], job[2], paths)
            elif job[0] == kind:
                record_book(self.atlas, self.keys, job[1], paths)

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
        self.cleanup.close()


def printed_key(atlas: Atlas, lang: str) -> str:
    """Return the key of an edition's atlas.pdf: the code, the language and the whole atlas (with its translations)."""
    return _cache.digest(_cache.code_version(), "printed", lang, _cache.atlas_digest(atlas))
