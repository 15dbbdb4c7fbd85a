"""Limits on what the geodata may hold, and the checks that enforce them on text.

The data are small and hand-written; anything far beyond these limits is a mistake or an
attack (a hostile pull request), and is reported as a problem instead of being processed for
minutes or crashing. Each check returns a reader's message, or None when the value is fine.
"""
from __future__ import annotations

import re

__all__ = [
    "MAX_FILE_BYTES", "MAX_DEPTH", "MAX_SCALAR_CHARS", "MAX_NUMBER_CHARS", "MAX_VERTICES",
    "text_problem", "shorten",
]

#: A geodata file larger than this is refused before it is parsed.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Lists and mappings nested deeper than this are refused (the data need about 8).
MAX_DEPTH = 40
#: One YAML scalar longer than this is refused while parsing (text fields allow less, see geodata).
MAX_SCALAR_CHARS = 100_000
#: A number written with more characters than this is refused (coordinates need about 20).
MAX_NUMBER_CHARS = 40
#: A unit, zone or country with more positions than this is refused (the data have under 2,000).
MAX_VERTICES = 50_000

# C0 and C1 control characters and DEL, except tab, newline and carriage return (prose may wrap);
# lone surrogates cannot be written as UTF-8 at all.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Return why ``value`` cannot be shown to readers (a control character, a lone surrogate), or None."""
    m = _BAD_CHAR.search(value)
    if m is None:
        return None
    ch = m.group()
    what = "a lone surrogate" if "\ud800" <= ch <= "\udfff" else "a control character"
    return f"contains {what} (U+{ord(ch):04X}) at position {m.start() + 1}; remove it"


def shorten(value, limit: int = 60) -> str:
    """Return ``repr(value)`` cut to about ``limit`` characters, for quoting user input in messages."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit - 1]}… ({len(str(value)):,} characters)"
