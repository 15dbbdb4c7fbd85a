"""The HTML pages: the atlas (``index.html``) and one map per event (``maps/<event-id>.html``), per edition.

Markup lives in Jinja templates (``templates/``, autoescaped); the engine is the plain scripts of
``assets/``, inlined in :data:`ENGINE` order (no bundler). By default Leaflet is inlined too and no
request leaves the page; ``cdn=True`` links Leaflet from jsDelivr. Same atlas, same bytes.

Editions: :func:`write_html` writes English at the top of ``out`` and Persian and Russian under
``out/fa/`` and ``out/ru/`` (:func:`mapper.editions.edition_dir`); every page links to the same page
of the other editions. The Persian pages are ``dir="rtl"`` and carry the Vazirmatn font (Arabic
subset, weights 400 and 700, ``assets/fonts/``, SIL OFL) inline, so they shape Persian offline; the
other editions do not carry it.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from mapper.editions import EDITIONS, edition_dir
from mapper.errors import MapperError
from mapper.exports.citation import cite_line
from mapper.model import Atlas
from mapper.web import minify
from mapper.web.data import atlas_payload, event_payload
from mapper.web.messages import page_words
from mapper.web.payload import to_json
from mapper.web.styles import css_variables, hatch_patterns
from mapper.words import Words

__all__ = ["EDITION_NAMES", "ENGINE", "INLINE_SCRIPTS", "LEAFLET_CDN", "asset", "engine_scripts", "engine_source", "edition_links", "event_index", "font_css", "patterns_svg", "render_event_map",
           "render_index", "write_html"]

LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/"
#: The engine's scripts, in the order the page loads them (each adds to window.MapperAtlas; api.js starts it).
ENGINE = ("util.js", "topology.js", "state.js", "popups.js", "placement.js", "controls.js", "fixedsvg.js", "layers.js", "legend.js", "panel.js",
          "timeline.js", "hash.js", "api.js", "editions.js")
#: Each edition's name in its own language, as the language switch shows it.
EDITION_NAMES = {"en": "English", "fa": "فارسی", "ru": "Русский"}
#: The Persian web font: Vazirmatn's Arabic subset (assets/fonts/, SIL Open Font License 1.1), by weight.
PERSIAN_FONT = {400: "vazirmatn-arabic-400-normal.woff2", 700: "vazirmatn-arabic-700-normal.woff2"}
#: The characters the Arabic subset covers (the browser takes the rest from the system's sans-serif).
_ARABIC_RANGE = "U+0600-06FF, U+0750-077F, U+0870-088E, U+0890-0891, U+0897-08E1, U+08E3-08FF, U+200C-200E, U+2010-2011, U+204F, U+2E41, U+FB50-FDFF, U+FE70-FE74, U+FE76-FEFC"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("mapper.web", "templates"), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def template_source(name: str) -> str:
    """Return the text of a template (for folium, which compiles it itself)."""
    return resources.files("mapper.web").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """Return the text of an asset file (``assets/<name>``), safe inside a <script> or <style> element."""
    text = resources.files("mapper.web").joinpath("assets", name).read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"assets/{name} would close its element")
    return text


#: Every script the pages inline: the engine, then the embed's own.
INLINE_SCRIPTS = (*ENGINE, "embed.js")


@lru_cache(maxsize=1)
def engine_source() -> str:
    """Return the scripts the pages inline (:data:`INLINE_SCRIPTS`) as written, one after another."""
    return "\n".join(asset(name) for name in INLINE_SCRIPTS)


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
    js = minify.leaflet(js, xleaflet.VERSION)  # the classes the pages never use, emptied
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(m: re.Match) -> str:
        png = (base / "images" / m.group(1)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    # the default marker icon is never used (labels are div icons, places circle markers): its image stays out
    css = re.sub(r"/\* Default icon URLs \*/\s*\.leaflet-default-icon-path\s*\{[^}]*\}", "", css)
    # the layer control's icon: our own small SVG, sharp at any density, instead of two PNGs
    css = re.sub(r"url\(images/layers(-2x)?\.png\);", LAYERS_ICON + ";background-size:26px 26px;", css)
    css = re.sub(r"url\(images/([\w.-]+\.png)\)", data_uri, css).replace("</style", "<\\/style")
    return _Leaflet(None, js, _without_unused(minify.style(css)))


#: Leaflet's style rules for what the page never shows: old Internet Explorer (VML, filters), the scale
#: control, box zoom, the crosshair cursor, image overlays, the retina copy of the layers icon (ours is SVG),
#: the canvas renderer, marker shadows and dragged markers (the engine's markers have neither).
_UNUSED_CSS = re.compile(r"leaflet-oldie|lvml|leaflet-vml-shape|leaflet-control-scale|leaflet-zoom-box|leaflet-crosshair"
                         r"|leaflet-image-layer|leaflet-retina|canvas|leaflet-marker-shadow|leaflet-marker-draggable")


def _without_unused(css: str) -> str:
    """Return a minified Leaflet style sheet without the selectors of :data:`_UNUSED_CSS` (and rules left with none)."""
    def rule(m: re.Match) -> str:
        if "@" in m.group(1):
            return m.group(0)
        kept = [sel for sel in m.group(1).split(",") if not _UNUSED_CSS.search(sel)]
        return ",".join(kept) + "{" + m.group(2) + "}" if kept else ""
    return re.sub(r"([^{}]+)\{([^{}]*)\}", rule, css)


def patterns_svg() -> str:
    """Return the SVG <defs> with the zones' hatch patterns."""
    return _env().get_template("patterns.svg.j2").render(patterns=hatch_patterns())


@lru_cache(maxsize=1)
def _persian_font_css() -> str:
    """Return the @font-face rules of Vazirmatn with the font files inlined, and the page's font stack."""
    fonts = resources.files("mapper.web").joinpath("assets", "fonts")
    rules = []
    for weight, name in PERSIAN_FONT.items():
        data = base64.b64encode(fonts.joinpath(name).read_bytes()).decode("ascii")
        rules.append(f"@font-face {{ font-family: \"Vazirmatn\"; font-style: normal; font-weight: {weight}; font-display: swap; "
                     f"src: url(data:font/woff2;base64,{data}) format(\"woff2\"); unicode-range: {_ARABIC_RANGE}; }}")
    stack = style_font_stack()
    rules.append(f":root {{ --font-sans: \"Vazirmatn\", {stack}; }}")
    return "\n".join(rules) + "\n"


def style_font_stack() -> str:
    """Return the palette's sans-serif font stack (``--font-sans`` of :func:`css_variables`)."""
    m = re.search(r"--font-sans:\s*([^;]+);", css_variables())
    return m.group(1).strip() if m else "sans-serif"


def font_css(lang: str) -> str:
    """Return the CSS that gives ``lang``'s pages a font of their own: Vazirmatn for Persian, else nothing."""
    return _persian_font_css() if lang == "fa" else ""


@dataclass(frozen=True)
class EditionLink:
    """A link of the language switch: the same page in another edition."""

    lang: str
    name: str
    href: str


def edition_links(lang: str, event_id: str | None = None, languages: tuple[str, ...] = EDITIONS) -> list[EditionLink]:
    """Return the switch's links from a page of ``lang`` to the same page of the other editions.

    The atlas page links ``index.html`` of each (its script adds ``#<event>``); a per-event map links
    the other editions' map of the same event. Paths are relative, so the outputs work from any folder.
    """
    up = ("../" if event_id else "") + ("../" if lang != "en" else "")
    page = f"maps/{event_id}.html" if event_id else "index.html"
    return [EditionLink(other, EDITION_NAMES[other], up + (f"{other}/" if other != "en" else "") + page)
            for other in languages if other != lang]


def _render(atlas: Atlas, index: int | None, *, cdn: bool, lang: str = "en", languages: tuple[str, ...] = EDITIONS) -> str:
    embed = index is not None
    w, words = Words(lang, atlas), page_words(lang)
    if index is not None:
        payload = event_payload(atlas, index, lang)
        ev = atlas.events[index]
        title = f"{w.event_title(ev)} ({w.date(ev.date.date, ev.date.precision)}) \u2014 {payload.title}"
    else:
        payload = atlas_payload(atlas, lang)
        title = payload.title
    return _env().get_template("page.html.j2").render(
        lang=lang, dir=w.direction, title=title, embed=embed,
        leaflet=_Leaflet(LEAFLET_CDN) if cdn else _leaflet_inline(), font_css=font_css(lang),
        css_variables=minify.style(css_variables()), css=minify.style(asset("atlas.css")),
        scripts=[minify.script(asset(name)) for name in INLINE_SCRIPTS],
        payload_json=to_json(payload), map_label=words["embedLabel" if embed else "mapLabel"], w=words,
        n_steps=len(atlas.events), n_steps_text=w.number(len(atlas.events)), baseline_note=w.baseline_note((atlas.baseline_note or "").strip()),
        patterns=hatch_patterns(), cite=cite_line(),
        editions=edition_links(lang, atlas.events[index].id if index is not None else None, languages))


def event_index(atlas: Atlas, event_id: str) -> int:
    """Return the position of ``event_id``; a :class:`MapperError` with a suggestion when unknown."""
    ids = [e.id for e in atlas.events]
    if event_id not in ids:
        import difflib

        close = difflib.get_close_matches(event_id, ids, n=1)
        raise MapperError(f"unknown event {event_id!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return ids.index(event_id)


def render_index(atlas: Atlas, *, cdn: bool = False, lang: str = "en", languages: tuple[str, ...] = EDITIONS) -> str:
    """Return the HTML of the atlas page in ``lang`` (en, fa, ru), its switch linking the other ``languages``."""
    return _render(atlas, None, cdn=cdn, lang=lang, languages=languages)


def render_event_map(atlas: Atlas, event_id: str, *, cdn: bool = False, lang: str = "en",
                     languages: tuple[str, ...] = EDITIONS) -> str:
    """Return the HTML of the standalone map of one event in ``lang``, made to fill an iframe."""
    return _render(atlas, event_index(atlas, event_id), cdn=cdn, lang=lang, languages=languages)


def write_html(atlas: Atlas, out: Path, *, cdn: bool, languages: tuple[str, ...] = EDITIONS) -> list[Path]:
    """Write ``index.html`` and ``maps/<event-id>.html`` of each edition; return the paths written.

    English goes to ``out`` itself, the others to ``out/<lang>/`` (:func:`mapper.editions.edition_dir`).
    Each page's language switch links the other editions in ``languages``.
    """
    for lang in languages:
        Words(lang)  # an unknown language fails here, before anything is written
    written = []
    for lang in languages:
        base = edition_dir(Path(out), lang)
        (base / "maps").mkdir(parents=True, exist_ok=True)
        index = base / "index.html"
        index.write_text(render_index(atlas, cdn=cdn, lang=lang, languages=languages), encoding="utf-8", newline="\n")
        written.append(index)
        for i, ev in enumerate(atlas.events):
            p = base / "maps" / f"{ev.id}.html"
            p.write_text(_render(atlas, i, cdn=cdn, lang=lang, languages=languages), encoding="utf-8", newline="\n")
            written.append(p)
    return written
