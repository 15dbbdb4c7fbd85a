"""One palette for every output: the web atlas, the embeddable maps and the print figures.

A report that puts a print figure beside an embedded map shows the same colours in both.
Holders differ in lightness as well as hue (sand, grey-green, red-brown), so they stay apart in
greyscale print and with red-green colour blindness; the print figures add hatching on top.
"""
from __future__ import annotations

__all__ = ["HOLDER_COLOURS", "HOLDER_LABELS", "ZONE_COLOURS", "ZONE_LABELS"]

#: Fill colour of each holder, light to dark: Persia sand, other holders grey-green, Russia red-brown.
HOLDER_COLOURS = {"persia": "#dcae5c", "other": "#809b7c", "russia": "#a84a3e"}
HOLDER_LABELS = {"persia": "Persia / Iran", "russia": "Russia", "other": "Other holders"}

#: Outline colour of each kind of zone: Russian and Soviet in dark red, British in navy.
ZONE_COLOURS = {
    "rus_raid": "#5a3a1a",
    "russian_sphere": "#7a1f14",
    "neutral_zone": "#3c3c3c",
    "british_sphere": "#1d3f8f",
    "soviet_occupation": "#7a1f14",
    "british_occupation": "#1d3f8f",
    "persian_socialist_soviet_republic": "#7a1f14",
    "azerbaijan_peoples_government": "#4b2478",
    "republic_of_mahabad": "#1c5c34",
}
ZONE_LABELS = {
    "rus_raid": "Coasts raided by the Rus'",
    "russian_sphere": "Russian sphere of influence",
    "neutral_zone": "Neutral zone",
    "british_sphere": "British sphere of influence",
    "soviet_occupation": "Soviet occupation zone",
    "british_occupation": "British occupation zone",
    "persian_socialist_soviet_republic": "Persian Socialist Soviet Republic",
    "azerbaijan_peoples_government": "Azerbaijan People's Government",
    "republic_of_mahabad": "Republic of Mahabad",
}
