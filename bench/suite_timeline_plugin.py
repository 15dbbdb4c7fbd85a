"""pytest plugin for bench/suite_timeline.py: one JSON line per test phase (worker, module, start, stop, CPU).

Loaded with ``-p suite_timeline_plugin`` (bench/ on PYTHONPATH) when SUITE_TIMELINE names a folder; each
process (the controller and every xdist worker) appends to a file of its own there.
"""
from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import pytest

_FOLDER = os.environ.get("SUITE_TIMELINE")


def _cpu() -> float:
    """CPU seconds of this worker and of the processes it has waited for (its builds, its CLI runs).

    A browser's CPU counts only when the browser is closed (at the end of the worker's session)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _write(item: pytest.Item, phase: str, start: float, stop: float, cpu: float) -> None:
    if not _FOLDER:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    line = {"worker": worker, "nodeid": item.nodeid, "module": item.nodeid.split("::")[0], "phase": phase,
            "start": start, "stop": stop, "cpu": cpu}
    with open(Path(_FOLDER) / f"{worker}.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def _timed(phase: str):
    @pytest.hookimpl(hookwrapper=True)
    def hook(item):
        start, cpu = time.time(), _cpu()
        yield
        _write(item, phase, start, time.time(), _cpu() - cpu)
    return hook


pytest_runtest_setup = _timed("setup")
pytest_runtest_call = _timed("call")
pytest_runtest_teardown = _timed("teardown")
