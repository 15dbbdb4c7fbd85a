"""``folium_map()``: the atlas as a ``folium.Map`` for notebooks, the only place folium is used.

The map is an ordinary ``folium.Map`` (folium links Leaflet, as for any folium map) with one
:class:`AtlasOverlay`, a ``MacroElement`` whose Jinja template (``templates/folium.js.j2``) adds
the engine and starts it on the map, like any folium plugin. So a notebook user can add their own
folium layers to it, and it shows inline in Jupyter. The standalone pages do not use folium.
"""
from __future__ import annotations

import folium
from branca.element import MacroElement
from folium.template import Template

from mapper.model import Atlas
from mapper.web.data import atlas_payload, event_payload
from mapper.web.page import asset, engine_scripts, event_index, patterns_svg, template_source
from mapper.web.payload import to_json

__all__ = ["AtlasOverlay", "folium_map"]


class AtlasOverlay(MacroElement):
    """The atlas engine on the folium map it is added to, showing the whole atlas or one event."""

    _template = Template(template_source("folium.js.j2"))

    def __init__(self, atlas: Atlas, event_id: str | None = None):
        super().__init__()
        payload = atlas_payload(atlas) if event_id is None else event_payload(atlas, event_index(atlas, event_id))
        self.payload_json = to_json(payload)
        self.css = asset("atlas.css")
        self.scripts = engine_scripts()
        self.patterns = patterns_svg()


def folium_map(atlas: Atlas, event_id: str | None = None) -> folium.Map:
    """Return the stepping atlas as a ``folium.Map``, or the map of one event with ``event_id``.

    Raises :class:`mapper.errors.MapperError` for an unknown event id (with a suggestion).
    """
    overlay = AtlasOverlay(atlas, event_id)  # checks the event id before anything is built
    m = folium.Map(location=[36.0, 52.0], zoom_start=5, tiles=None, zoom_snap=0.25, zoom_delta=0.5,
                   keyboard=False, min_zoom=3, max_zoom=11)
    overlay.add_to(m)
    return m
