"""``folium_map()``: the atlas as a ``folium.Map`` for notebooks, the only place folium is used.

The map is an ordinary ``folium.Map`` with one :class:`AtlasOverlay`, a ``MacroElement`` whose
Jinja template (``templates/folium.js.j2``) adds the engine and starts it on the map, like any
folium plugin. So a notebook user can add their own folium layers to it, and it shows inline in
Jupyter. The standalone pages do not use folium.

Leaflet itself comes with the map, not from a CDN: folium's ``leaflet`` and ``leaflet_css`` links
are replaced by ``data:`` URIs of the packaged Leaflet (xstatic-leaflet), its images inlined too,
and Leaflet's default marker icon set to inlined images. So the map, and a plain
``folium.Marker(location).add_to(m)``, show offline (folium's other extras, jQuery, Bootstrap and
Awesome Markers, stay links: only ``folium.Icon`` markers need them). :func:`atlas_html` is the
summary a notebook shows for an :class:`~mapper.model.Atlas`.
"""
from __future__ import annotations

import base64
import html
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import MacroElement
from folium.template import Template

from mapper.model import Atlas
from mapper.web.data import atlas_payload, event_payload
from mapper.web.page import asset, engine_scripts, event_index, font_css, patterns_svg, template_source
from mapper.web.payload import to_json
from mapper.web.styles import css_variables
from mapper.words import Words

__all__ = ["AtlasOverlay", "atlas_html", "folium_map", "leaflet_links"]


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@lru_cache(maxsize=1)
def leaflet_links() -> dict[str, str]:
    """Return folium's link names ``leaflet`` and ``leaflet_css`` mapped to ``data:`` URIs of the packaged Leaflet.

    The stylesheet's images (layer control, default marker) are data URIs inside it, and the script
    ends by pointing ``L.Icon.Default`` at inlined marker, retina marker and shadow images.
    """
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    images = {p.name: _data_uri("image/png", p.read_bytes()) for p in sorted((base / "images").glob("*.png"))}
    css = (base / "leaflet.css").read_text(encoding="utf-8")
    for name, uri in images.items():
        css = css.replace(f"url(images/{name})", f'url("{uri}")')
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js += ("\n;(function (D) { D.imagePath = \"\"; D.mergeOptions({iconUrl: \"%s\", iconRetinaUrl: \"%s\", "
           "shadowUrl: \"%s\"}); })(L.Icon.Default);\n"
           % (images["marker-icon.png"], images["marker-icon-2x.png"], images["marker-shadow.png"]))
    return {"leaflet": _data_uri("text/javascript", js.encode("utf-8")),
            "leaflet_css": _data_uri("text/css", css.encode("utf-8"))}


class AtlasOverlay(MacroElement):
    """The atlas engine on the folium map it is added to, showing the whole atlas or one event."""

    _template = Template(template_source("folium.js.j2"))

    def __init__(self, atlas: Atlas, event_id: str | None = None, lang: str = "en"):
        super().__init__()
        Words(lang)  # an unknown language: a MapperError naming it
        payload = (atlas_payload(atlas, lang) if event_id is None
                   else event_payload(atlas, event_index(atlas, event_id), lang))
        self.payload_json = to_json(payload)
        self.css = css_variables() + font_css(lang) + asset("atlas.css")
        self.scripts = engine_scripts()
        self.patterns = patterns_svg()


def folium_map(atlas: Atlas, event_id: str | None = None, lang: str = "en") -> folium.Map:
    """Return the stepping atlas as a ``folium.Map``, or the map of one event with ``event_id``.

    ``lang`` (``en``, ``fa``, ``ru``) is the edition: every text the map shows (legend, labels,
    popups, names, dates) in that language; the Persian one brings its font (Vazirmatn) inline.
    Raises :class:`mapper.errors.MapperError` for an unknown event id (with a suggestion) or language.
    """
    overlay = AtlasOverlay(atlas, event_id, lang)  # checks the event id and language before anything is built
    m = folium.Map(location=[36.0, 52.0], zoom_start=5, tiles=None, zoom_snap=0.25, zoom_delta=0.5,
                   keyboard=False, min_zoom=3, max_zoom=11)
    inline = leaflet_links()  # this map's own lists: folium's class-wide defaults stay as they are
    m.default_js = [(name, inline.get(name, url)) for name, url in m.default_js]
    m.default_css = [(name, inline.get(name, url)) for name, url in m.default_css]
    overlay.add_to(m)
    return m


def atlas_html(atlas: Atlas) -> str:
    """Return a short HTML summary of an atlas for notebooks: what it holds, its span, what to call next."""
    from mapper.timeline import steps

    w = Words("en")
    all_steps = steps(atlas)
    first, last = all_steps[0].event, all_steps[-1].event
    lines = [
        w.gettext("{units} units, {zones} zones, {places} places, {events} events").format(
            units=len(atlas.units), zones=len(atlas.zones), places=len(atlas.places), events=len(atlas.events)),
        w.gettext("From {first} to {last}").format(first=first.date.label, last=last.date.label),
        w.gettext("Running total Persia lost to Russia: {area}").format(area=w.km2(round(all_steps[-1].total_lost_km2))),
    ]
    hint = w.gettext("{map} shows the map; {frame} gives the state on a date as a GeoDataFrame.").format(
        map="<code>mapper.folium_map(atlas)</code>", frame="<code>mapper.state_frame(atlas, date)</code>")
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return f"<div class='mapper-atlas'><strong>{html.escape(w.title())}</strong><ul>{items}</ul><p>{hint}</p></div>"
