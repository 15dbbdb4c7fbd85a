"""Dates: parsing what the geodata writes, converting Old Style, and formatting for readers.

The atlas's dates are proleptic Gregorian :class:`datetime.date` objects; a :class:`HistDate`
also remembers whether only the year or the month is known. Documents dated in the Julian
calendar (Russia until February 1918) keep their Old Style date beside it, and readers see both
(:func:`date_line`). Calendar arithmetic is convertdate's; month names are Babel's (CLDR), so a
date reads right in every language the atlas is translated into.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

from babel.dates import format_date as _babel_format_date
from convertdate import julian

__all__ = ["Precision", "HistDate", "parse_date", "as_date", "julian_to_gregorian", "format_date", "date_line"]

Precision = Literal["day", "month", "year"]

#: CLDR patterns per precision: ``24 October 1813``, ``June 1920`` (stand-alone month), ``913``.
_PATTERNS = {"day": "d MMMM y", "month": "LLLL y", "year": "y"}
#: How an Old Style date follows the New Style one (a msgid of the words catalogue).
OLD_STYLE = "{date} (O.S. {old_style})"


@dataclass(frozen=True, order=True)
class HistDate:
    """A Gregorian date known to the day, the month or only the year.

    ``date`` is the first day the event is in effect: the day itself, or the first day of the
    month or year when only those are known.

    >>> HistDate(dt.date(1920, 6, 1), "month").iso
    '1920-06'
    """

    date: dt.date
    precision: Precision = "day"

    @property
    def iso(self) -> str:
        """Return the date as written in the data: ``1813-10-24``, ``1920-06`` or ``0913``."""
        y = f"{self.date.year:04d}"
        if self.precision == "year":
            return y
        if self.precision == "month":
            return f"{y}-{self.date.month:02d}"
        return f"{y}-{self.date.month:02d}-{self.date.day:02d}"

    @property
    def label(self) -> str:
        """Return the date for English readers: ``24 October 1813``, ``June 1920`` or ``913``."""
        return format_date(self.date, self.precision)


def parse_date(value: object) -> HistDate:
    """Parse ``1813-10-24``, ``1920-06`` or ``0913`` (a year) into a :class:`HistDate`.

    Raises
    ------
    ValueError
        With a reader's message when the text is no such date.

    Examples
    --------
    >>> parse_date("1813-10-24")
    HistDate(date=datetime.date(1813, 10, 24), precision='day')
    >>> parse_date("0913").precision
    'year'
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.groups()
    try:
        if d:
            return HistDate(dt.date(int(y), int(mo), int(d)), "day")
        if mo:
            return HistDate(dt.date(int(y), int(mo), 1), "month")
        return HistDate(dt.date(int(y), 1, 1), "year")
    except ValueError as e:
        raise ValueError(f"{value!r} is not a real date ({e})") from None


def as_date(when: str | dt.date) -> dt.date:
    """Return ``when`` (a date, a datetime or text such as ``"1828-02-22"``) as a :class:`datetime.date`.

    >>> as_date("1828-02")
    datetime.date(1828, 2, 1)
    """
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    return parse_date(str(when)).date


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Return the Gregorian date of the Julian (Old Style) date ``year-month-day``.

    >>> julian_to_gregorian(1813, 10, 12)
    datetime.date(1813, 10, 24)
    """
    return dt.date(*julian.to_gregorian(year, month, day))


def format_date(d: dt.date, precision: Precision = "day", lang: str = "en") -> str:
    """Return ``d`` for readers of ``lang``: ``24 October 1813``, ``June 1920`` or ``913``.

    >>> format_date(dt.date(1813, 10, 24))
    '24 October 1813'
    >>> format_date(dt.date(1920, 6, 1), "month", lang="ru")
    'июнь 1920'
    """
    return _babel_format_date(d, _PATTERNS[precision], locale=lang)


class _Dated(Protocol):
    @property
    def date(self) -> HistDate: ...

    @property
    def date_os(self) -> dt.date | None: ...


def date_line(event: _Dated, lang: str = "en") -> str:
    """Return an event's date for readers, with the Old Style date where the document has one.

    >>> from types import SimpleNamespace as E
    >>> date_line(E(date=parse_date("1828-02-22"), date_os=dt.date(1828, 2, 10)))
    '22 February 1828 (O.S. 10 February 1828)'
    """
    text = format_date(event.date.date, event.date.precision, lang)
    if event.date_os is None:
        return text
    return _gettext(lang)(OLD_STYLE).format(date=text, old_style=format_date(event.date_os, "day", lang))


@lru_cache(maxsize=8)
def _gettext(lang: str):
    """The words catalogue's gettext for ``lang`` (identity for English or before the catalogue exists)."""
    if lang == "en":
        return str
    try:
        from mapper.words import Words
    except ImportError:
        return str
    return Words(lang).gettext
