"""Snapshots of the data exports: changes.csv and the properties of every step's slice.

They pin what the exports say so that moving code cannot change it by accident. When a change is
meant, regenerate with ``MAPPER_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py`` and commit the new
files with the code, saying why in the message.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mapper.exports import changes_csv, slice_collection
from mapper.exports.gpkg import unit_period_rows, zone_period_rows
from mapper.timeline import steps

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("MAPPER_UPDATE_SNAPSHOTS") == "1"


def _check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"updated {path.name}")
    assert path.is_file(), f"no snapshot {path}; run with MAPPER_UPDATE_SNAPSHOTS=1"
    want = path.read_text(encoding="utf-8").splitlines()
    got = text.splitlines()
    diff = [f"line {i + 1}: {w!r} != {g!r}" for i, (w, g) in enumerate(zip(want, got)) if w != g]
    assert not diff and len(want) == len(got), "\n".join(diff[:10]) or f"{len(want)} lines != {len(got)}"


def test_changes_csv_snapshot(atlas):
    _check("changes.csv", changes_csv(atlas))


def test_slice_properties_snapshot(atlas):
    lines = []
    for st in steps(atlas):
        doc = slice_collection(atlas, st.state)
        props = [{k: v for k, v in f["properties"].items() if k not in ("name_fa", "name_ru")} for f in doc["features"]]
        lines.append(json.dumps({"event": doc["event"], "date": doc["date"], "features": props}, ensure_ascii=False))
    _check("slices.jsonl", "\n".join(lines) + "\n")


def test_geopackage_periods_snapshot(atlas):
    lines = []
    for rows in (unit_period_rows(atlas), zone_period_rows(atlas)):
        for r in rows:
            keep = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()
                    if k not in ("geometry", "name_fa", "name_ru", "start", "end")}
            lines.append(json.dumps(keep, ensure_ascii=False))
    _check("periods.jsonl", "\n".join(lines) + "\n")
