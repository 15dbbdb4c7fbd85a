"""The day of each year's March equinox at Tehran, which starts the Solar Hijri year, from a table.

convertdate computes it astronomically (pymeeus' VSOP87 theory: milliseconds a year, two or three
years a date), so :func:`mapper.dates.solar_hijri` asked for a few hundred dates in each Persian
page spent seconds there in every process. ``equinox.json`` holds convertdate's own answers for
the Gregorian years :data:`FIRST_YEAR` to :data:`LAST_YEAR`, written by ``python -m mapper.equinox``;
years outside it are computed as before. :func:`use_table` makes convertdate.persian read it
(its functions look ``equinox_jd`` up in their module), so every Persian date is still convertdate's
own answer, found without the astronomy. A test checks the table and the dates against convertdate.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from convertdate import persian

__all__ = ["FIRST_YEAR", "LAST_YEAR", "equinox_jd", "use_table", "write_table"]

FIRST_YEAR, LAST_YEAR = 600, 2200
_FILE = "equinox.json"
#: convertdate's own function, for the years outside the table and for writing it.
_computed = persian.equinox_jd


@lru_cache(maxsize=1)
def _table() -> tuple[int, ...]:
    f = resources.files("mapper").joinpath(_FILE)
    if not f.is_file():
        return ()
    data = json.loads(f.read_text(encoding="utf-8"))
    assert data["first_year"] == FIRST_YEAR, "equinox.json was written for other years: run python -m mapper.equinox"
    return tuple(data["equinox_jd"])


def equinox_jd(gyear: int) -> int:
    """Return the Julian day of the March equinox of Gregorian year ``gyear``, reckoned at Tehran (as convertdate)."""
    table = _table()
    if FIRST_YEAR <= gyear < FIRST_YEAR + len(table):
        return table[gyear - FIRST_YEAR]
    return int(_computed(gyear))


def use_table() -> None:
    """Have convertdate.persian take the equinoxes from the table (idempotent)."""
    persian.equinox_jd = equinox_jd


def write_table() -> int:
    """Compute the table with convertdate and write it to ``mapper/equinox.json``; return its length."""
    days = [int(_computed(y)) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    text = json.dumps({"about": "Julian day of the March equinox at Tehran (52.5° E) per Gregorian year, from "
                                "convertdate.persian.equinox_jd; made by `python -m mapper.equinox`. Do not edit.",
                       "first_year": FIRST_YEAR, "equinox_jd": days}, separators=(",", ":"))
    with resources.as_file(resources.files("mapper").joinpath(_FILE)) as p:
        p.write_text(text + "\n", encoding="utf-8", newline="\n")
    _table.cache_clear()
    return len(days)


if __name__ == "__main__":
    print(f"mapper/{_FILE}: {write_table()} years")
