"""The build's worker processes: a pool whose workers hold the atlas and die with the build.

:func:`in_processes` runs one task over many items in parallel (results in order);
:func:`new_pool` is the pool itself, for :mod:`mapper.print_jobs`, which feeds it the figures and
books of a build as they become ready. Workers ignore interrupts (the parent stops the pool) and,
on Linux, are killed by the kernel if the build process dies, even by ``kill -9``.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from mapper import transaction
from mapper.model import Atlas

__all__ = ["call", "in_processes", "new_pool", "worker_count"]

_ATLAS: Atlas | None = None


def _init_worker(atlas: Atlas, parent: int) -> None:
    """Keep the atlas for the tasks; leave interrupts to the parent, which stops the pool.

    Workers ignore SIGINT and, where they die with the parent (Linux, even after kill -9), SIGTERM:
    a signal to the whole process group killed them while the parent was still cancelling
    futures, and Python 3.11's pool then raised InvalidStateError.
    """
    global _ATLAS
    _ATLAS = atlas
    # what the worker was forked with (the atlas, its replay and projected layers) lives as long as it does:
    # the garbage collector need not go through it again after each task, nor copy its memory by touching it
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN if transaction.die_with_parent(parent) else signal.SIG_DFL)


def call(task: Callable, item):
    """Run ``task(atlas, item)`` in a worker (what the pool is given to run)."""
    return task(_ATLAS, item)


def worker_count(workers: int | None = None) -> int:
    """Return how many worker processes to use: ``workers``, or by default one per CPU up to 2."""
    return workers if workers is not None else min(2, os.cpu_count() or 1)


def new_pool(atlas: Atlas, workers: int) -> ProcessPoolExecutor:
    """Return a process pool of ``workers`` processes, each holding ``atlas`` (:func:`call` runs a task there)."""
    # fork is quick and safe while this process has a single thread; otherwise start afresh
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(atlas, os.getpid()))


def in_processes(atlas: Atlas, workers: int | None = None) -> Callable:
    """Return ``run(task, items)``: ``task(atlas, item)`` for each item in ``workers`` processes, results in order.

    The atlas goes to each worker once (default: up to 2 workers, one per CPU); one worker runs here.
    """
    workers = worker_count(workers)

    def run(task: Callable, items):
        if workers <= 1:
            return [task(atlas, item) for item in items]
        with new_pool(atlas, workers) as pool:
            futures = [pool.submit(call, task, item) for item in items]
            try:
                return [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise

    return run
