"""Dates: parsing what the geodata writes, converting between calendars, and formatting for readers.

The atlas's dates are proleptic Gregorian :class:`datetime.date` objects; a :class:`HistDate`
also remembers whether only the year or the month is known. Every edition shows the Gregorian
date; beside it (:func:`date_line`):

- English and Russian: the Old Style (Julian) date where the document was dated so (Russia until
  February 1918): ``24 октября 1813 (12 октября 1813 по старому стилю)``;
- Persian: the Solar Hijri date (the calendar Iranian readers use today), and the Hijri lunar
  date where the document bears one (``date_ah`` in events.yaml): ``۲ آبان ۱۱۹۲ … ۲۹ شوال ۱۲۲۸``.

Calendar arithmetic is convertdate's. Its Islamic calendar is the arithmetic (tabular) one, while
the documents followed the observed new moon, so the two can differ by a day: the date shown is
the document's own, and :func:`lunar_offset` says by how much the arithmetic one differs (checked
to be at most one day when the data are read). Gregorian month names are Babel's (CLDR); the Solar
Hijri and lunar month names are messages of the words catalogue (Babel has no such calendars).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Callable
from typing import Literal, Protocol

from babel.dates import format_date as _babel_format_date
from convertdate import islamic, julian, persian

from mapper.equinox import use_table

use_table()  # convertdate's equinoxes from the precomputed table: the same dates, without seconds of astronomy

__all__ = ["Precision", "HistDate", "parse_date", "as_date", "julian_to_gregorian", "format_date", "date_line",
           "solar_hijri", "hijri_tabular", "lunar_offset", "parse_hijri", "format_solar_hijri", "format_hijri",
           "calendar_note", "local_calendars", "local_digits", "SOLAR_MONTHS", "LUNAR_MONTHS"]


def N_(message: str) -> str:
    """Mark a message for the words catalogue (translated where it is shown)."""
    return message


Precision = Literal["day", "month", "year"]

#: CLDR patterns per precision: ``24 October 1813``, ``June 1920`` (stand-alone month), ``913``.
_PATTERNS = {"day": "d MMMM y", "month": "LLLL y", "year": "y"}
#: How an Old Style date follows the New Style one (a msgid of the words catalogue).
OLD_STYLE = N_("{date} (O.S. {old_style})")
#: How the Persian edition adds the Solar Hijri date, and the document's lunar date where there is one.
WITH_LOCAL = N_("{date} ({calendars})")  # calendars: the line below, which the page shows on its own
SOLAR_ALONE = N_("{solar} SH")
SOLAR_LUNAR_ALONE = N_("{solar} SH; {lunar} AH")
#: A calendar date: day, month name, year (the digits are made the language's by the caller).
DAY_MONTH_YEAR = N_("{day} {month} {year}")
#: The note when the arithmetic lunar calendar differs from the document's date.
LUNAR_NOTE = N_("The Hijri date is the one the document bears; the arithmetic Islamic calendar gives "
                "{tabular}. Lunar dates can differ by a day, as months began with the sighting of the new moon.")

#: Months of the Solar Hijri calendar (Farvardin begins at the March equinox), as message ids.
SOLAR_MONTHS = (N_("Farvardin"), N_("Ordibehesht"), N_("Khordad"), N_("Tir"), N_("Mordad"), N_("Shahrivar"),
                N_("Mehr"), N_("Aban"), N_("Azar"), N_("Dey"), N_("Bahman"), N_("Esfand"))
#: Months of the Hijri lunar calendar, as message ids.
LUNAR_MONTHS = (N_("Muharram"), N_("Safar"), N_("Rabi' al-awwal"), N_("Rabi' al-thani"), N_("Jumada al-awwal"),
                N_("Jumada al-thani"), N_("Rajab"), N_("Sha'ban"), N_("Ramadan"), N_("Shawwal"),
                N_("Dhu al-Qa'dah"), N_("Dhu al-Hijjah"))
#: The calendars each edition adds to the Gregorian date.
CALENDARS = {"en": ("julian",), "ru": ("julian",), "fa": ("persian", "islamic")}


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


@lru_cache(maxsize=4096)  # a build writes the same few hundred dates on every page
def format_date(d: dt.date, precision: Precision = "day", lang: str = "en") -> str:
    """Return ``d`` for readers of ``lang``: ``24 October 1813``, ``June 1920`` or ``913``.

    >>> format_date(dt.date(1813, 10, 24))
    '24 October 1813'
    >>> format_date(dt.date(1920, 6, 1), "month", lang="ru")
    'июнь 1920'
    >>> format_date(dt.date(1813, 10, 24), lang="fa")
    '۲۴ اکتبر ۱۸۱۳'
    """
    return local_digits(_babel_format_date(d, _PATTERNS[precision], locale=lang), lang)


@lru_cache(maxsize=4096)
def solar_hijri(d: dt.date) -> tuple[int, int, int]:
    """Return the Solar Hijri (Persian) date of the Gregorian day ``d`` as (year, month, day).

    convertdate finds the year's start by the astronomical equinox (tens of milliseconds a date;
    :mod:`mapper.equinox` keeps those of 600 to 2200 in a table), and the answers are kept: a build
    asks for the same few hundred dates in every page.

    >>> solar_hijri(dt.date(1813, 10, 24))
    (1192, 8, 2)
    """
    y, m, day = persian.from_gregorian(d.year, d.month, d.day)
    return int(y), int(m), int(day)


def hijri_tabular(d: dt.date) -> tuple[int, int, int]:
    """Return the arithmetic (tabular) Hijri lunar date of the Gregorian day ``d`` as (year, month, day).

    The documents followed the observed moon, so their date can be a day off this one.

    >>> hijri_tabular(dt.date(1813, 10, 24))
    (1228, 10, 28)
    """
    y, m, day = islamic.from_gregorian(d.year, d.month, d.day)
    return int(y), int(m), int(day)


def lunar_offset(d: dt.date, ah: tuple[int, int, int]) -> int:
    """Return by how many days the arithmetic calendar's date of ``d`` differs from the document's ``ah``.

    Positive when the arithmetic date is later: Turkmenchay (22 February 1828, 5 Sha'ban 1243 in the
    document) is 6 Sha'ban in the arithmetic calendar, ``+1``.

    >>> lunar_offset(dt.date(1828, 2, 22), (1243, 8, 5))
    1
    """
    return d.toordinal() - dt.date(*islamic.to_gregorian(*ah)).toordinal()


def parse_hijri(value: object) -> tuple[int, int, int]:
    """Parse a Hijri lunar date written ``1228-10-29`` (year, month 1-12, day 1-30).

    Raises ValueError with a reader's message when it is no such date.
    """
    m = re.fullmatch(r"(\d{3,4})-(\d{2})-(\d{2})", str(value).strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"{value!r} is not a Hijri date (write YYYY-MM-DD in the lunar calendar, e.g. 1228-10-29)")
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 30):
        raise ValueError(f"{value!r} is not a Hijri date (months 01-12, days 01-30)")
    return y, mo, d


def format_solar_hijri(d: dt.date, precision: Precision = "day", lang: str = "en") -> str:
    """Return the Solar Hijri date of ``d`` for readers: ``2 Aban 1192``, in Persian ``۲ آبان ۱۱۹۲``.

    Known only to the month or the year, a Gregorian date spans two Solar Hijri months or years:
    ``Khordad–Tir 1299`` (June 1920), ``934–935`` (1556).
    """
    t = _gettext(lang)
    if precision == "day":
        y, m, day = solar_hijri(d)
        return local_digits(t(DAY_MONTH_YEAR).format(day=day, month=t(SOLAR_MONTHS[m - 1]), year=y), lang)
    if precision == "month":
        last = (dt.date(d.year + d.month // 12, d.month % 12 + 1, 1) - dt.timedelta(days=1))
    else:
        last = dt.date(d.year, 12, 31)
    (y0, m0, _), (y1, m1, _) = solar_hijri(d), solar_hijri(last)
    if precision == "year":
        return local_digits(f"{y0}–{y1}" if y0 != y1 else str(y0), lang)
    if y0 == y1:
        text = f"{t(SOLAR_MONTHS[m0 - 1])}–{t(SOLAR_MONTHS[m1 - 1])} {y0}"
    else:
        text = f"{t(SOLAR_MONTHS[m0 - 1])} {y0}–{t(SOLAR_MONTHS[m1 - 1])} {y1}"
    return local_digits(text, lang)


def format_hijri(ah: tuple[int, int, int], lang: str = "en") -> str:
    """Return a Hijri lunar date for readers: ``29 Shawwal 1228``, in Persian ``۲۹ شوال ۱۲۲۸``."""
    t = _gettext(lang)
    y, m, day = ah
    return local_digits(t(DAY_MONTH_YEAR).format(day=day, month=t(LUNAR_MONTHS[m - 1]), year=y), lang)


class _Dated(Protocol):
    @property
    def date(self) -> HistDate: ...

    @property
    def date_os(self) -> dt.date | None: ...


def date_line(event: _Dated, lang: str = "en") -> str:
    """Return an event's date for readers of ``lang``, with the calendars that edition adds.

    English and Russian add the Old Style date where the document has one; Persian adds the Solar
    Hijri date and, where the document bears one (``date_ah``), the Hijri lunar date.

    >>> from types import SimpleNamespace as E
    >>> date_line(E(date=parse_date("1828-02-22"), date_os=dt.date(1828, 2, 10)))
    '22 February 1828 (O.S. 10 February 1828)'
    """
    t = _gettext(lang)
    text = format_date(event.date.date, event.date.precision, lang)
    calendars = CALENDARS.get(lang, ("julian",))
    local = local_calendars(event, lang)
    if local is not None:
        return t(WITH_LOCAL).format(date=text, calendars=local)
    if event.date_os is None or "julian" not in calendars:
        return text
    return t(OLD_STYLE).format(date=text, old_style=format_date(event.date_os, "day", lang))


def local_calendars(event: _Dated, lang: str = "en") -> str | None:
    """Return the date in the calendars the edition adds to the Gregorian one, alone, or None.

    Persian: the Solar Hijri date, and the document's Hijri lunar date where it bears one
    (``۲ آبان ۱۱۹۲ خورشیدی؛ ۲۹ شوال ۱۲۲۸ قمری``). The Old Style date, which the English and Russian
    editions add, is a date of its own (``event.date_os``), so it is not here.
    """
    if "persian" not in CALENDARS.get(lang, ()):
        return None
    t = _gettext(lang)
    solar = format_solar_hijri(event.date.date, event.date.precision, lang)
    ah = getattr(event, "date_ah", None)
    if "islamic" in CALENDARS[lang] and ah is not None:
        return t(SOLAR_LUNAR_ALONE).format(solar=solar, lunar=format_hijri(ah, lang))
    return t(SOLAR_ALONE).format(solar=solar)


def calendar_note(event: _Dated, lang: str = "en") -> str:
    """Return the note for an event whose lunar date the arithmetic calendar puts a day away, else ``""``.

    Only editions that show the lunar date (Persian) need it; it is in every language for the record.
    """
    ah = getattr(event, "date_ah", None)
    if ah is None or event.date.precision != "day" or lunar_offset(event.date.date, ah) == 0:
        return ""
    return _gettext(lang)(LUNAR_NOTE).format(tabular=format_hijri(hijri_tabular(event.date.date), lang))


#: Digits of the numbering systems Babel names but does not write (it localises only the separators).
_DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}


@lru_cache(maxsize=8)
def _digit_table(lang: str) -> dict[int, int] | None:
    from babel import Locale

    digits = _DIGITS.get(Locale.parse(lang).default_numbering_system)
    return str.maketrans("0123456789", digits) if digits else None


def local_digits(text: str, lang: str) -> str:
    """Return ``text`` with its digits in the language's own: Persian ``۱۸۱۳`` (Babel names the numbering
    system but localises only the separators)."""
    table = _digit_table(lang)
    return text.translate(table) if table else text


@lru_cache(maxsize=8)
def _gettext(lang: str) -> Callable[[str], str]:
    """The words catalogue's gettext for ``lang`` (identity for English or before the catalogue exists)."""
    if lang == "en":
        return str
    try:
        from mapper.words import Words
    except ImportError:
        return str
    return Words(lang).gettext
