"""How to cite the atlas: the one sentence the page, the README and ``CITATION.cff`` agree on.

``CITATION.cff`` (Citation File Format 1.2, at the repository's root) is the machine-readable
form; :func:`cite_line` is the reader's sentence, through :class:`mapper.words.Words`. A test checks
that the file and this module name the same authors, title, version and licences.
"""
from __future__ import annotations

from mapper import __version__
from mapper.words import N_, Words

__all__ = ["AUTHORS", "CODE_LICENSE", "DATA_LICENSE", "cite_line"]

#: The authors as CITATION.cff names them (an entity: the project's contributors).
AUTHORS = "The iran-russia-atlas authors"
#: SPDX identifiers: the code (pyproject.toml, LICENSE) and the curated data (mapper/data, the exports).
CODE_LICENSE = "MIT"
DATA_LICENSE = "CC-BY-4.0"

_CITE = N_("Cite this atlas: {authors}, “{title}”, version {version}. Code under the MIT licence; data under "
           "CC BY 4.0 (borders derived from Natural Earth, public domain).")


def cite_line(w: Words | None = None) -> str:
    """Return the "Cite this atlas" sentence in ``w``'s language (English by default)."""
    w = w or Words("en")
    return w.gettext(_CITE).format(authors=AUTHORS, title=w.title(), version=__version__)
