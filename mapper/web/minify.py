"""The page's scripts and style sheets made small: the assets keep their comments, the page does not.

:func:`script` parses an engine script (ES5) with calmjs.parse and prints it back without comments
or spaces, local names shortened (globals and property names untouched, so the program is the same);
:func:`style` drops a style sheet's comments and the spaces around its punctuation
(and after a declaration's colon). Both are pure
and cached by text, so a build that writes many pages minifies each asset once.

calmjs.parse is a pure-Python parser: minifying the engine takes seconds, in every process that
builds pages. So the minified engine is also committed, in ``assets/minified.json`` keyed by the
SHA-256 of each script's source, and :func:`script` takes it from there when the source is the
one it was made from (any other text, such as a script being edited, is minified on the spot).
``python -m mapper.web.minify`` writes the file anew after a script changes; a test checks that it
is current, so what a build reads is always what the minifier makes.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import resources

__all__ = ["COMMITTED", "LEAFLET_UNUSED", "committed", "leaflet", "minify_script", "script", "style", "write_committed"]

#: The committed minified scripts, relative to the ``mapper.web`` package.
COMMITTED = "assets/minified.json"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def committed() -> dict[str, str]:
    """Return the committed minified scripts, by the SHA-256 of their source ({} when the file is absent)."""
    f = resources.files("mapper.web").joinpath(COMMITTED)
    if not f.is_file():
        return {}
    return dict(json.loads(f.read_text(encoding="utf-8"))["scripts"])


@lru_cache(maxsize=64)
def script(js: str) -> str:
    """Return an ES5 script minified: comments and spaces gone, local names shortened.

    The committed result is used when there is one for exactly this text; otherwise :func:`minify_script`.
    """
    known = committed().get(_sha256(js))
    return known if known is not None else minify_script(js)


def minify_script(js: str) -> str:
    """Minify ``js`` with calmjs.parse (no cache): what :func:`script` returns and the committed file holds."""
    from calmjs.parse import es5  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from calmjs.parse.unparsers.es5 import minify_print  # type: ignore[import-untyped, import-not-found, unused-ignore]

    out = minify_print(es5(js), obfuscate=True, obfuscate_globals=False)
    if re.search(r"</(script|style)", out, re.IGNORECASE):  # the minifier joined something into a closing tag
        raise ValueError("a minified script would close its element")
    return out + "\n"


def write_committed(names: list[str]) -> dict[str, str]:
    """Minify the asset scripts ``names`` and write them to :data:`COMMITTED`; return what was written."""
    from mapper.web.page import asset

    scripts = {_sha256(asset(n)): minify_script(asset(n)) for n in names}
    path = resources.files("mapper.web").joinpath(COMMITTED)
    text = json.dumps({"about": "Minified engine scripts by the SHA-256 of their source; made by "
                                "`python -m mapper.web.minify`. Do not edit.", "scripts": dict(sorted(scripts.items()))},
                      ensure_ascii=False, indent=0, sort_keys=False)
    with resources.as_file(path) as p:
        p.write_text(text + "\n", encoding="utf-8", newline="\n")
    committed.cache_clear()
    script.cache_clear()
    return scripts


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"\s*([{};,>])\s*")  # never around ":" (".a :hover" differs from ".a:hover")
_DECLARATION = re.compile(r"([{;])([-\w]+): +")  # "color: red" in a block (a selector has no space after its ":")


@lru_cache(maxsize=16)
def style(css: str) -> str:
    """Return a style sheet without comments, line breaks and the spaces around ``{ } ; , >``."""
    css = _SPACE.sub(" ", _COMMENT.sub("", css))
    css = _DECLARATION.sub(r"\1\2:", _PUNCT.sub(r"\1", css))
    return css.replace(";}", "}").strip() + "\n"


#: Leaflet 1.9.3's classes the pages never use, each found by the start of its body in the minified
#: ``leaflet.js``: the canvas renderer (the pages draw SVG), image, video and SVG overlays, WMS tiles,
#: GeoJSON layers, dragging a marker, rectangles, circles sized in metres (the places are circle
#: markers), the scale control, the keyboard handler (the engine has its own keys) and the default marker
#: image (every marker the engine makes has its own icon), and the tap-hold handler (on iOS Safari a long
#: touch made a ``contextmenu`` event; the engine turns it off, ``tapHold: false``, and listens to no such
#: event). :func:`leaflet` empties their bodies (``X.extend({})``): every name the
#: library refers to stays defined, only code nothing calls goes. Two plain objects go the same way (a
#: pattern's group ``body`` marks where the object opens): the old Internet Explorer's VML drawing, mixed into the SVG
#: renderer only where there is VML (its style rules are left out too), and the ellipsoidal Mercator
#: projection of ``L.CRS.EPSG3395`` (the pages use the spherical one of ``EPSG3857``).
LEAFLET_VERSION = "1.9.3"
LEAFLET_UNUSED = (
    r"\.extend\(\{options:\{tolerance:0\}",
    r"\.extend\(\{options:\{opacity:1,alt:\"\",interactive:!1,crossOrigin:!1,errorOverlayUrl:",
    r"\.extend\(\{options:\{autoplay:!0,",
    r"\.extend\(\{_initImage:function\(\)\{var \w=this\._image=this\._url;",
    r"\.extend\(\{defaultWmsParams:",
    r"\.extend\(\{initialize:function\(\w,\w\)\{\w\(this,\w\),this\._layers=\{\},\w&&this\.addData\(\w\)\}",
    r"\.extend\(\{initialize:function\((\w)\)\{this\._marker=\1\},addHooks:",
    r"\.extend\(\{initialize:function\(\w,\w\)\{\w+\.prototype\.initialize\.call\(this,this\._boundsToLatLngs\(",
    r"\.extend\(\{initialize:function\(\w,\w,\w\)\{if\(\w\(this,\w=\"number\"==typeof \w\?",
    r"\.extend\(\{options:\{position:\"bottomleft\",maxWidth:100,",
    r"\.extend\(\{keyCodes:\{",
    r"\.extend\(\{options:\{iconUrl:\"marker-icon\.png\"",
    r"\.extend\(\{addHooks:function\(\)\{\w\(this\._map\._container,\"touchstart\",this\._onDown,this\)\}",
    r",\w+=(?P<body>\{)_initContainer:function\(\)\{this\._container=\w+\(\"div\",\"leaflet-vml-container\"\)",
    r",\w+=(?P<body>\{)R:6378137,R_MINOR:",
)
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")  # a "/" after one of these (or return, typeof) opens a regular expression


def _object_end(js: str, i: int) -> int:
    """Return the index just past the object literal that opens at ``js[i] == "{"`` (strings and
    regular expressions skipped); ValueError when it does not close."""
    depth, j, n = 0, i, len(js)
    while j < n:
        c = js[j]
        if c in "\"'":
            j += 1
            while js[j] != c:
                j += 2 if js[j] == "\\" else 1
        elif c == "/":
            k = j - 1
            while js[k] == " ":
                k -= 1
            if js[k] in _REGEX_AFTER or js[max(0, k - 5):k + 1] in ("return", "typeof"):
                j, cls = j + 1, False
                while cls or js[j] != "/":
                    if js[j] == "\\":
                        j += 1
                    elif js[j] in "[]":
                        cls = js[j] == "["
                    j += 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError("unbalanced object literal")


@lru_cache(maxsize=2)
def leaflet(js: str, version: str) -> str:
    """Return the minified ``leaflet.js`` with the bodies of :data:`LEAFLET_UNUSED` emptied.

    Only for the version the patterns were written for, and only when each pattern is found exactly
    once; otherwise Leaflet comes back whole (a newer Leaflet makes a larger page, never a broken one).
    """
    if version != LEAFLET_VERSION:
        return js
    spans = []
    for pattern in LEAFLET_UNUSED:
        found = list(re.finditer(pattern, js))
        if len(found) != 1:
            return js
        start = found[0].start("body") if "body" in found[0].re.groupindex else found[0].start() + len(".extend(")
        try:
            spans.append((start, _object_end(js, start)))
        except (ValueError, IndexError):
            return js
    out, last = [], 0
    for a, b in sorted(spans):
        out += [js[last:a], "{}"]
        last = b
    return "".join(out + [js[last:]])


if __name__ == "__main__":  # python -m mapper.web.minify: write assets/minified.json anew
    from mapper.web.page import INLINE_SCRIPTS

    made = write_committed(list(INLINE_SCRIPTS))
    print(f"{COMMITTED}: {len(made)} scripts")
