"""The web atlas: the stepping page (``index.html``), one map per event (``maps/<id>.html``), ``folium_map()``.

Layout
------
``payload``   the typed page payload: the contract with the JS (dataclasses, named fields)
``data``      builds the payload from the atlas and its timeline
``shapes``    the geometry as the browser draws it (simplified, encoded)
``messages``  every text the page shows, from :class:`mapper.words.Words` (the payload carries them)
``styles``    colours, zone styles and hatch patterns for the page
``page``      renders the Jinja templates into the HTML files
``notebook``  ``folium_map()``: the atlas on a ``folium.Map`` (folium only here)
``templates/`` the markup; ``assets/`` the engine's scripts (one concern a file) and the CSS

Editions
--------
Every page exists in English (``out/``), Persian (``out/fa/``, right to left) and Russian (``out/ru/``):
``write_html(atlas, out, cdn=False, languages=("en", "fa", "ru"))``, ``render_index(atlas, lang="fa")``,
``render_event_map(atlas, id, lang="ru")``, ``folium_map(atlas, lang="ru")``. The payload carries the
edition's texts (``payload.lang``, ``payload.words``); a language switch (``#atlas-editions``) links
the same page of the other editions and, on the atlas page, keeps the step.

JavaScript API
--------------
``index.html`` (and each per-event map) defines ``window.mapperAtlas``:

``mapperAtlas.events``
    The event ids in order, e.g. ``["rus-caspian-expedition-913", ..., "soviet-dissolution-1991"]``
    (a per-event map lists only its own event).
``mapperAtlas.current()``
    The id of the event shown.
``mapperAtlas.go(id)``
    Show the map right after the event ``id``; returns ``false`` (and does nothing) for an unknown id.
``mapperAtlas.next()`` / ``mapperAtlas.prev()``
    Step forward or back (they stop at the ends); return the id now shown.
``mapperAtlas.state()``
    What is shown: ``{event: id, holders: {unitId: "persia" | "russia" | "other"}, zones: [zoneId, ...]}``,
    the same as ``mapper.timeline.steps(atlas)[i].state``.
``mapperAtlas.play()`` / ``mapperAtlas.pause()`` / ``mapperAtlas.playing()``
    Step every 2 seconds until the last event; stop; whether it is playing.
``mapperAtlas.index()``
    The position of the step shown (0-based).
``mapperAtlas.resetView()``
    Show the whole map again (as the ⌂ button does).
``mapperAtlas.map``
    The Leaflet map object.

Events on ``window``: ``mapper:step`` (a ``CustomEvent``, ``detail: {event, index}``) each time a step
is shown, and ``mapper:ready`` once the first step is drawn; a host page (or ``assets/embed.js``)
needs nothing else.

The page follows its URL hash: ``index.html#turkmenchay-1828`` opens that step, and stepping rewrites
the hash (``history.replaceState``); a hash that names no event leaves a message and the first step.
Arrow keys step from page load, and while the map or the timeline has focus.

Embedding a map::

    <iframe src="maps/turkmenchay-1828.html" width="600" height="400" title="Treaty of Turkmenchay"></iframe>

In a page, unit paths carry ``data-unit`` and ``data-holder`` attributes, zone paths ``data-zone`` and
place markers ``data-place``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from mapper.web.page import render_event_map, render_index, write_html
from mapper.web.shapes import UNIT_TOLERANCE, web_geometries
from mapper.web.styles import HOLDER_COLOURS, ZONE_STYLES

if TYPE_CHECKING:
    from mapper.web.notebook import folium_map


def __getattr__(name: str):
    """``folium_map`` on first use: folium (with branca and pandas) takes a second to import, and a
    build or the command line never needs it."""
    if name == "folium_map":
        from mapper.web.notebook import folium_map

        return folium_map
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "HOLDER_COLOURS",
    "UNIT_TOLERANCE",
    "ZONE_STYLES",
    "folium_map",
    "render_event_map",
    "render_index",
    "web_geometries",
    "write_html",
]
