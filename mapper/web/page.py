"""The HTML pages: the atlas (``index.html``) and one map per event (``maps/<event-id>.html``).

Markup lives in Jinja templates (``templates/``, autoescaped); the engine is the plain scripts of
``assets/``, inlined in :data:`ENGINE` order (no bundler). By default Leaflet is inlined too and no
request leaves the page; ``cdn=True`` links Leaflet from jsDelivr. Same atlas, same bytes.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from mapper.errors import MapperError
from mapper.exports.citation import cite_line
from mapper.model import Atlas
from mapper.web import minify
from mapper.web.data import TITLE, atlas_payload, event_payload
from mapper.web.payload import to_json
from mapper.web.styles import css_variables, hatch_patterns

__all__ = ["ENGINE", "LEAFLET_CDN", "asset", "compact_script", "engine_scripts", "event_index", "patterns_svg", "render_event_map",
           "render_index", "write_html"]

LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
#: The engine's scripts, in the order the page loads them (each adds to window.MapperAtlas; api.js starts it).
ENGINE = ("util.js", "topology.js", "state.js", "popups.js", "placement.js", "controls.js", "layers.js", "legend.js", "panel.js", "timeline.js", "hash.js", "api.js")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("mapper.web", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def template_source(name: str) -> str:
    """Return the text of a template (for folium, which compiles it itself)."""
    return resources.files("mapper.web").joinpath("templates", name).read_text(encoding="utf-8")


def asset(name: str) -> str:
    """Return the text of an asset file (``assets/<name>``), safe inside a <script> or <style> element."""
    text = resources.files("mapper.web").joinpath("assets", name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"assets/{name} would close its element")
    return text


_BLOCK_COMMENT = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*\n", re.DOTALL | re.MULTILINE)
_LINE_COMMENT = re.compile(r"^[ \t]*//[^\n]*\n", re.MULTILINE)
_TRAILING_COMMENT = re.compile(r"([;{},(])[ \t]+//[^\n\"']*$", re.MULTILINE)


def compact_script(js: str) -> str:
    """Return an engine script without its comments and indentation, for the page (the files keep them).

    Only whole-line block and line comments and a trailing ``// ...`` after ``; { } , (`` (with no
    quote in it) go, so no string is touched; the result is the same program, about a third smaller.
    """
    js = _BLOCK_COMMENT.sub("", js)
    js = _LINE_COMMENT.sub("", js)
    js = _TRAILING_COMMENT.sub(r"\1", js)
    return "\n".join(line.strip() for line in js.splitlines() if line.strip()) + "\n"


def engine_scripts() -> list[str]:
    """Return the engine's scripts in load order, minified (:func:`mapper.web.minify.script`)."""
    return [minify.script(asset(name)) for name in ENGINE]


@dataclass(frozen=True)
class _Leaflet:
    cdn: str | None
    js: str = ""
    css: str = ""


#: Three stacked sheets, the layer control's button.
LAYERS_ICON = ("url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 26 26'%3E%3Cg fill='%23fff' "
               "stroke='%23444' stroke-width='1.6' stroke-linejoin='round'%3E%3Cpath d='M3 18l10 5 10-5-10-5z'/%3E"
               "%3Cpath d='M3 13.5l10 5 10-5-10-5z'/%3E%3Cpath d='M3 9l10 5 10-5-10-5z'/%3E%3C/g%3E%3C/svg%3E\")")


@lru_cache(maxsize=1)
def _leaflet_inline() -> _Leaflet:
    import xstatic.pkg.leaflet as xleaflet

    base = Path(xleaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", js).replace("</script", "<\\/script")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match) -> str:
        png = (base / "images" / m.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    # the default marker icon is never used (labels are div icons, places circle markers): its image stays out
    css = re.sub(r"/\* Default icon URLs \*/\s*\.leaflet-default-icon-path\s*\{[^}]*\}", "", css)
    # the layer control's icon: our own small SVG, sharp at any density, instead of two PNGs
    css = re.sub(r"url\(images/layers(-2x)?\.png\);", LAYERS_ICON + ";background-size:26px 26px;", css)
    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css).replace("</style", "<\\/style")
    return _Leaflet(None, js, minify.style(css))


def patterns_svg() -> str:
    """Return the SVG <defs> with the zones' hatch patterns."""
    return _env().get_template("patterns.svg.j2").render(patterns=hatch_patterns())


def _render(atlas: Atlas, index: int | None, *, cdn: bool) -> str:
    embed = index is not None
    if index is not None:
        payload = event_payload(atlas, index)
        ev = atlas.events[index]
        title = f"{ev.title} ({ev.date.label}) \u2014 {TITLE}"
    else:
        payload, title = atlas_payload(atlas), TITLE
    return _env().get_template("page.html.j2").render(
        lang="en", title=title, embed=embed, leaflet=_Leaflet(LEAFLET_CDN) if cdn else _leaflet_inline(),
        css_variables=minify.style(css_variables()), css=minify.style(asset("atlas.css")), scripts=engine_scripts() + [minify.script(asset("embed.js"))],
        payload_json=to_json(payload), map_label=payload.words["embedLabel" if embed else "mapLabel"], w=payload.words,
        n_steps=len(atlas.events), baseline_note=(atlas.baseline_note or "").strip(), patterns=hatch_patterns(),
        cite=cite_line())


def event_index(atlas: Atlas, event_id: str) -> int:
    """Return the position of ``event_id``; a :class:`MapperError` with a suggestion when unknown."""
    ids = [e.id for e in atlas.events]
    if event_id not in ids:
        import difflib

        close = difflib.get_close_matches(event_id, ids, n=1)
        raise MapperError(f"unknown event {event_id!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return ids.index(event_id)


def render_index(atlas: Atlas, *, cdn: bool = False) -> str:
    """Return the HTML of the atlas page."""
    return _render(atlas, None, cdn=cdn)


def render_event_map(atlas: Atlas, event_id: str, *, cdn: bool = False) -> str:
    """Return the HTML of the standalone map of one event, made to fill an iframe."""
    return _render(atlas, event_index(atlas, event_id), cdn=cdn)


def write_html(atlas: Atlas, out: Path, *, cdn: bool) -> list[Path]:
    """Write ``index.html`` and ``maps/<event-id>.html`` under ``out``; return the paths written."""
    out = Path(out)
    (out / "maps").mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    index.write_text(render_index(atlas, cdn=cdn), encoding="utf-8", newline="\n")
    written = [index]
    for i, ev in enumerate(atlas.events):
        p = out / "maps" / f"{ev.id}.html"
        p.write_text(_render(atlas, i, cdn=cdn), encoding="utf-8", newline="\n")
        written.append(p)
    return written
