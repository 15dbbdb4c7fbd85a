"""CSV cells that spreadsheets will not run: text starting with = + - @ (or tab, CR) is prefixed.

Excel, LibreOffice and Google Sheets treat a cell beginning with one of those characters as a
formula ("CSV injection"). As OWASP advises, such a cell is written with a leading apostrophe,
which spreadsheets show as text. Plain numbers (``-1234``, ``-0.5``) are left as they are.
"""
from __future__ import annotations

import csv
import re

__all__ = ["csv_cell", "writer"]

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?\Z")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """Return ``value`` safe for a spreadsheet: a formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, w):
        self._w = w

    def writerow(self, row):
        return self._w.writerow([csv_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(f, **kwargs) -> _SafeWriter:
    """Return a :func:`csv.writer` on ``f`` whose every cell goes through :func:`csv_cell`."""
    return _SafeWriter(csv.writer(f, **kwargs))
