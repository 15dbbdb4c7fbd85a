"""Calendars: the Gregorian, Old Style, Solar Hijri and Hijri lunar dates of the documents, on known dates."""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

import mapper
from mapper.dates import (
    date_line,
    format_hijri,
    format_solar_hijri,
    hijri_tabular,
    julian_to_gregorian,
    lunar_offset,
    parse_date,
    parse_hijri,
    solar_hijri,
)
from mapper.errors import GeodataError
from mapper.words import Words

GULISTAN, TURKMENCHAY = dt.date(1813, 10, 24), dt.date(1828, 2, 22)


def test_known_dates_in_every_calendar():
    # Gulistan: 24 October 1813 = 12 October O.S. = 2 Aban 1192 SH = 29 Shawwal 1228 in the document
    assert julian_to_gregorian(1813, 10, 12) == GULISTAN
    assert solar_hijri(GULISTAN) == (1192, 8, 2)
    assert hijri_tabular(GULISTAN) == (1228, 10, 28)  # the arithmetic calendar is a day behind the document
    assert lunar_offset(GULISTAN, (1228, 10, 29)) == -1
    # Turkmenchay: 22 February 1828 = 10 February O.S. = 2 Esfand 1206 SH = 5 Sha'ban 1243 in the document
    assert julian_to_gregorian(1828, 2, 10) == TURKMENCHAY
    assert solar_hijri(TURKMENCHAY) == (1206, 12, 2)
    assert hijri_tabular(TURKMENCHAY) == (1243, 8, 6)  # a day ahead of the document
    assert lunar_offset(TURKMENCHAY, (1243, 8, 5)) == 1
    # Nowruz 1403 fell on 20 March 2024
    assert solar_hijri(dt.date(2024, 3, 20)) == (1403, 1, 1)


def test_the_documents_lunar_dates_are_in_the_data(atlas):
    assert atlas.event("gulistan-1813").date_ah == (1228, 10, 29)
    assert atlas.event("turkmenchay-1828").date_ah == (1243, 8, 5)
    assert atlas.event("saint-petersburg-1723").date_ah == (1135, 12, 22)
    for e in atlas.events:  # every document date is within a day of the arithmetic calendar
        if e.date_ah:
            assert abs(lunar_offset(e.date.date, e.date_ah)) <= 1, e.id


@pytest.mark.parametrize("event_id, lang, line", [
    ("gulistan-1813", "en", "24 October 1813 (O.S. 12 October 1813)"),
    ("gulistan-1813", "ru", "24 октября 1813 (12 октября 1813 по старому стилю)"),
    ("gulistan-1813", "fa", "۲۴ اکتبر ۱۸۱۳ (۲ آبان ۱۱۹۲ خورشیدی؛ ۲۹ شوال ۱۲۲۸ قمری)"),
    ("turkmenchay-1828", "en", "22 February 1828 (O.S. 10 February 1828)"),
    ("turkmenchay-1828", "ru", "22 февраля 1828 (10 февраля 1828 по старому стилю)"),
    ("turkmenchay-1828", "fa", "۲۲ فوریه ۱۸۲۸ (۲ اسفند ۱۲۰۶ خورشیدی؛ ۵ شعبان ۱۲۴۳ قمری)"),
    ("saint-petersburg-1723", "fa", "۲۳ سپتامبر ۱۷۲۳ (۱ مهر ۱۱۰۲ خورشیدی؛ ۲۲ ذی‌الحجه ۱۱۳۵ قمری)"),
    ("anzali-landing-1920", "ru", "18 мая 1920"),  # no Old Style: Soviet Russia used the Gregorian calendar
    ("anzali-landing-1920", "fa", "۱۸ مه ۱۹۲۰ (۲۸ اردیبهشت ۱۲۹۹ خورشیدی)"),
    ("mashhad-shrine-1912", "fa", "۳۰ مارس ۱۹۱۲ (۱۰ فروردین ۱۲۹۱ خورشیدی)"),  # as the Persian sources give it
    ("azerbaijan-government-falls-1946", "fa", "۱۲ دسامبر ۱۹۴۶ (۲۱ آذر ۱۳۲۵ خورشیدی)"),  # 'Azerbaijan Day'
    ("astrakhan-1556", "fa", "۱۵۵۶ (۹۳۴–۹۳۵ خورشیدی)"),  # a year spans two Solar Hijri years
])
def test_date_line_of_each_edition(atlas, event_id, lang, line):
    assert Words(lang, atlas).date_line(atlas.event(event_id)) == line


def test_a_month_spans_two_solar_months():
    assert format_solar_hijri(dt.date(1920, 6, 1), "month") == "Khordad–Tir 1299"
    assert format_solar_hijri(dt.date(1920, 6, 1), "month", "fa") == "خرداد–تیر ۱۲۹۹"
    assert format_solar_hijri(dt.date(1917, 3, 1), "month") == "Esfand 1295–Farvardin 1296"
    line = date_line(SimpleNamespace(date=parse_date("1920-06"), date_os=None), "fa")
    assert line == "ژوئن ۱۹۲۰ (خرداد–تیر ۱۲۹۹ خورشیدی)"


def test_month_names_in_each_language():
    assert format_hijri((1228, 10, 29)) == "29 Shawwal 1228"
    assert format_hijri((1228, 10, 29), "fa") == "۲۹ شوال ۱۲۲۸"
    assert format_hijri((1228, 10, 29), "ru") == "29 шавваль 1228"
    assert format_solar_hijri(GULISTAN) == "2 Aban 1192"
    # Russian Gregorian months are in the genitive (Babel/CLDR), as a date needs them
    assert Words("ru").date_line(SimpleNamespace(date=parse_date("1813-10-24"), date_os=dt.date(1813, 10, 12))) \
        .startswith("24 октября 1813")


def test_the_lunar_note_says_when_the_arithmetic_calendar_is_a_day_off(atlas):
    fa, en = Words("fa", atlas), Words("en", atlas)
    note = fa.calendar_note(atlas.event("gulistan-1813"))
    assert "۲۸ شوال ۱۲۲۸" in note and "رؤیت هلال" in note
    assert "۶ شعبان ۱۲۴۳" in fa.calendar_note(atlas.event("turkmenchay-1828"))
    assert fa.calendar_note(atlas.event("saint-petersburg-1723")) == ""  # the arithmetic calendar agrees
    assert fa.calendar_note(atlas.event("anzali-landing-1920")) == ""  # no lunar date
    assert en.calendar_note(atlas.event("gulistan-1813")) == ""  # English shows no lunar date, so needs no note


@pytest.mark.parametrize("value, message", [
    ("1228-10-26", r"field 'date_ah': Hijri 1228-10-26 is not 1813-10-24: that day is 28 Shawwal 1228 in the "
                   r"arithmetic calendar \(the document's date may differ from it by one day, no more\)"),
    ("1228-13-01", r"field 'date_ah': '1228-13-01' is not a Hijri date \(months 01-12, days 01-30\)"),
    ("29 Shawwal 1228", r"field 'date_ah': '29 Shawwal 1228' is not a Hijri date \(write YYYY-MM-DD"),
])
def test_a_wrong_hijri_date_is_an_error_naming_the_event(geo, value, message):
    path = geo / "events.yaml"
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r"date_ah: 1228-10-29", f'date_ah: "{value}"', text)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GeodataError, match=r"events\.yaml: event 'gulistan-1813' \(line \d+\), " + message):
        mapper.load(geo)


def test_parse_hijri():
    assert parse_hijri("1243-08-05") == (1243, 8, 5)
    with pytest.raises(ValueError):
        parse_hijri("1243-8-5")


def test_the_calendars_an_edition_adds_on_a_line_of_their_own(atlas):
    from mapper.dates import local_calendars

    ev = atlas.event("gulistan-1813")
    assert local_calendars(ev, "fa") == "۲ آبان ۱۱۹۲ خورشیدی؛ ۲۹ شوال ۱۲۲۸ قمری"
    assert local_calendars(atlas.event("anzali-landing-1920"), "fa") == "۲۸ اردیبهشت ۱۲۹۹ خورشیدی"
    assert local_calendars(ev, "ru") is None and local_calendars(ev, "en") is None  # their Old Style is date_os


def test_the_equinox_table_is_convertdates_own_answers(atlas):
    """mapper/equinox.json holds convertdate's equinoxes: a sample of years, and a sample of the events'
    Solar Hijri dates and of the days around Nowruz, found with the table, are what convertdate computes
    without it (known dates are pinned besides, above and in the editions' tests)."""
    import random

    from convertdate import persian

    from mapper import equinox

    rng = random.Random(1813)
    years = [equinox.FIRST_YEAR, equinox.LAST_YEAR] + rng.sample(range(equinox.FIRST_YEAR, equinox.LAST_YEAR), 8)
    assert [equinox.equinox_jd(y) for y in years] == [int(equinox._computed(y)) for y in years]
    days = rng.sample([e.date.date for e in atlas.events], 12)  # (each costs convertdate's astronomy twice below)
    days += [dt.date(y, 3, d) for y in rng.sample(range(900, 2100), 4) for d in (19, 20, 21, 22)]
    with_table = [persian.from_gregorian(d.year, d.month, d.day) for d in days]
    persian.equinox_jd = equinox._computed
    try:
        assert [persian.from_gregorian(d.year, d.month, d.day) for d in days] == with_table
    finally:
        equinox.use_table()
