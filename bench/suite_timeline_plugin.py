"""pytest plugin for bench/suite_timeline.py: one JSON line per test phase (worker, module, start, stop).

Loaded with ``-p suite_timeline_plugin`` (bench/ on PYTHONPATH) when SUITE_TIMELINE names a folder; each
process (the controller and every xdist worker) appends to a file of its own there.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

_FOLDER = os.environ.get("SUITE_TIMELINE")


def _write(item: pytest.Item, phase: str, start: float, stop: float) -> None:
    if not _FOLDER:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    line = {"worker": worker, "nodeid": item.nodeid, "module": item.nodeid.split("::")[0], "phase": phase,
            "start": start, "stop": stop}
    with open(Path(_FOLDER) / f"{worker}.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def _timed(phase: str):
    @pytest.hookimpl(hookwrapper=True)
    def hook(item):
        start = time.time()
        yield
        _write(item, phase, start, time.time())
    return hook


pytest_runtest_setup = _timed("setup")
pytest_runtest_call = _timed("call")
pytest_runtest_teardown = _timed("teardown")
