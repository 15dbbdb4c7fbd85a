"""Snapshot of what a reader sees on every step of the atlas: change labels, legend, panel text.

The snapshot (``tests/snapshots/web-steps.json``) pins the page's visible text so that a
restructuring of the web code cannot change it by accident. When a change is on purpose, rewrite
it with ``MAPPER_UPDATE_SNAPSHOTS=1 pytest tests/test_web_snapshot.py`` and commit the new
snapshot together with the change, saying so in the message.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "web-steps.json"


@pytest.fixture(scope="module")
def index_html(en_site):
    """The session's English atlas page (``write_html``, Leaflet inlined)."""
    return en_site / "index.html"


def visible_text(page) -> dict:
    """Return, per step, the change labels, the legend and the panel as the reader sees them (one round trip)."""
    return page.evaluate("""() => Object.fromEntries(mapperAtlas.events.map(id => { mapperAtlas.go(id);
        const text = sel => document.querySelector(sel).innerText;
        return [id, {labels: [...document.querySelectorAll('.change-label-box')].map(b => b.innerText),
                     legend: text('.atlas-legend'), panel: text('#atlas-panel'), live: text('#atlas-live')}]; }))""")


@pytest.mark.browser
def test_visible_text_per_step_matches_the_snapshot(page, index_html):
    page.emulate_media(reduced_motion="reduce")  # a step moves the map at once: what is read is what settles
    page.goto(index_html.as_uri())
    page.wait_for_function("window.mapperAtlas !== undefined")
    seen = visible_text(page)
    if os.environ.get("MAPPER_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(seen, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert list(seen) == list(want)
    for eid in want:
        assert seen[eid] == want[eid], eid
    assert page.errors == [] and page.blocked == []
