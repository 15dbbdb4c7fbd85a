"""The printed atlas (atlas.pdf): HTML and CSS from Jinja templates, typeset by WeasyPrint."""
from __future__ import annotations

from mapper.printed.book import printed_task, write_atlas_pdf

__all__ = ["printed_task", "write_atlas_pdf"]
