"""The page's scripts and style sheets made small: the assets keep their comments, the page does not.

:func:`script` parses an engine script (ES5) with calmjs.parse and prints it back without comments
or spaces, local names shortened (globals and property names untouched, so the program is the same);
:func:`style` drops a style sheet's comments and the spaces around its punctuation. Both are pure
and cached by text, so a build that writes many pages minifies each asset once.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["script", "style"]


@lru_cache(maxsize=64)
def script(js: str) -> str:
    """Return an ES5 script minified: comments and spaces gone, local names shortened."""
    from calmjs.parse import es5  # type: ignore[import-untyped, import-not-found, unused-ignore]
    from calmjs.parse.unparsers.es5 import minify_print  # type: ignore[import-untyped, import-not-found, unused-ignore]

    out = minify_print(es5(js), obfuscate=True, obfuscate_globals=False)
    if re.search(r"</(script|style)", out, re.IGNORECASE):  # the minifier joined something into a closing tag
        raise ValueError("a minified script would close its element")
    return out + "\n"


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"\s*([{};,>])\s*")  # never around ":" (".a :hover" differs from ".a:hover")


@lru_cache(maxsize=16)
def style(css: str) -> str:
    """Return a style sheet without comments, line breaks and the spaces around ``{ } ; , >``."""
    css = _SPACE.sub(" ", _COMMENT.sub("", css))
    return _PUNCT.sub(r"\1", css).replace(";}", "}").strip() + "\n"
