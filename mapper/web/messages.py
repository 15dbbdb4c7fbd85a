"""The page's own words: every sentence the atlas page and its script show, from :class:`mapper.words.Words`.

:func:`page_words` returns one table, key -> text in the page's language: the keys
:meth:`mapper.words.Words.js_messages` defines (shared with other outputs) and the page's own
messages below (marked with ``N_`` for the catalogue, translated through ``Words.gettext``). The
payload carries the table (``Payload.words``) and the templates read it too, so the script and the
markup hold no English of their own: a Persian or Russian page is the same code with another table.
``{name}`` fields are filled in by the script.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from mapper.words import CERTAINTIES, CLAIMED_HERE, N_, WITH_CERTAINTY, Words

__all__ = ["PAGE", "CERTAINTIES", "EVENT_KINDS", "page_words", "script_words"]

#: Event kinds as the panel names them.
EVENT_KINDS = {
    "treaty": N_("treaty"),
    "war": N_("war"),
    "episode": N_("episode"),
    "raid": N_("raid"),
    "withdrawal": N_("withdrawal"),
    "embassy": N_("embassy"),
    "dissolution": N_("dissolution"),
}

#: The plural categories by their code in the words' plural table (util.js reads the same order).
PLURAL_CODES = ("one", "few", "many", "other")

#: The page's messages, by the key the script and templates use.
PAGE = {
    # landmarks, skip link, controls
    "skip": N_("Skip to the timeline controls"),
    "skipEvent": N_("Skip to the event"),
    "mapLabel": N_("Map of the atlas. Left and right arrow keys step through the events; up and down pan; "
                   "plus and minus zoom."),
    "embedLabel": N_("Map of one event of the atlas"),
    "timelineLabel": N_("Timeline of events"),
    "prev": N_("Previous event"),
    "prevTitle": N_("Previous event (left arrow)"),
    "next": N_("Next event"),
    "nextTitle": N_("Next event (right arrow)"),
    "rangeLabel": N_("Event on the timeline"),
    "keysHint": N_("Tip: the left and right arrow keys step through the events."),
    "aboutStart": N_("About the starting map"),
    "allEvents": N_("All {n} events"),
    "eventsList": N_("List of events"),
    "resetView": N_("Show the whole map"),
    "fitChange": N_("Show what changed at this step"),
    "touchHint": N_("Use two fingers to move the map, or tap it first"),
    "layerCountries": N_("Modern countries (land, borders)"),
    "layerClaims": N_("Claims (hatched in the claimant's colour)"),
    "layerZones": N_("Zones: spheres, occupations, republics"),
    "layerPlaces": N_("Places: capitals, embassies, treaties"),
    "layerOsm": N_("OpenStreetMap (web tiles, online)"),
    "editions": N_("This atlas in other languages"),
    # Leaflet's own controls (assets/editions.js puts these words on them)
    "zoomIn": N_("Zoom in"),
    "zoomOut": N_("Zoom out"),
    "layers": N_("Layers"),
    "closePopup": N_("Close popup"),
    "leafletLink": N_("A JavaScript library for interactive maps"),
    "fullScreen": N_("Full screen"),
    "exitFullScreen": N_("Leave full screen"),
    "share": N_("Copy a link to this event"),
    "shareField": N_("Link to this event"),
    "shareCopied": N_("Link copied."),
    "shareSelected": N_("Link selected: press Ctrl+C to copy it."),
    "figureLink": N_("Figure of this event (PNG)"),
    "dataLink": N_("Data of this event (GeoJSON)"),
    # hash
    "badHash": N_("This link names no event of the atlas (\u201c{hash}\u201d), so the first event is shown."),
    "badHashKept": N_("This link names no event of the atlas (\u201c{hash}\u201d), so the event shown stays."),
    # the panel and the embed's title box
    "dateCertainty": N_("Date {certainty}."),
    "changeLine": N_("{caption} ({from} \u2192 {to}), {area}"),
    "claimLine": N_("{caption}, {area}"),
    "withCertainty": WITH_CERTAINTY,
    "claimedHere": CLAIMED_HERE,
    "countRule": N_("Counted: land Persia held that passed to Russia by conquest or cession, less what came back. "
                    "Claims, recognitions, renunciations and occupations are shown but not counted."),
    "movedBox": N_("{area} changed hands"),
    "oldStyleShort": N_("{date} (O.S. {osdate})"),
    # the legend
    "claimedBy": N_("Claimed by {name}"),
    "paperChange": N_("Claim made, recognised or renounced at this step"),
    "signedHere": N_("signed here"),
    "placeOfEvent": N_("place of this event"),
    # popups
    "heldSince": N_("{holder}, since {since}"),
    "heldFromStart": N_("{holder}, since before the first event"),
    "sinceEvent": N_("{title} ({date})"),
    "occupiedBy": N_("Occupations and zones here"),
    "howDrawn": N_("How was this drawn?"),
    "notSovereignty": N_("{kind} (not a change of sovereignty)"),
    # live region
    "liveStep": N_("{year}: {title}."),
    "liveChange": N_("{caption}: {what}."),
    "liveClaim": N_("On paper: {caption}: {what}."),
    "liveZones": N_("Zones beginning: {names}."),
}


@lru_cache(maxsize=8)
def page_words(lang: str = "en") -> Mapping[str, Any]:
    """Return every text of the page in ``lang``: the shared script messages and the page's own, by key
    (read-only: made once per language, read by every page of the edition)."""
    w = Words(lang)
    out = w.js_messages()
    out.update({k: w.gettext(v) for k, v in PAGE.items()})
    out.update({f"event.{k}": w.gettext(v) for k, v in EVENT_KINDS.items()})
    out.update({f"certainty.{k}": w.gettext(v) for k, v in CERTAINTIES.items()})
    out["listSep"] = w.series(["", ""])  # between the items of a list ("; ", Persian "؛ ")
    out["partSep"] = w.parts("", "")  # between the parts of a line (" · ", Persian " — ")
    # numbers without Intl (whose first use costs the page's start a quarter of a second on a slow phone):
    # the language's digits and group separator, and the plural category of the whole numbers 0..199
    # (0 one, 1 few, 2 many, 3 other; from 200 on, n is classed as 100 + n % 100), all from Babel
    out["digits"] = w.number(0) + "".join(w.number(d) for d in range(1, 10))
    out["group"] = w.number(1000)[1:-3]
    forms = [w.locale.plural_form(n) for n in range(200)]
    out["plurals"] = [PLURAL_CODES.index(f) if f in PLURAL_CODES else 3 for f in forms]
    out["title"] = w.title()
    out["attribution"] = w.attribution("web")
    return MappingProxyType(out)


@lru_cache(maxsize=8)
def script_words(lang: str, source: str) -> dict[str, Any]:
    """Return the page words the script ``source`` reads, for the payload (the markup's own words stay in the templates).

    A key is read when the script names it in quotes (``t("legend")``), or names its prefix with the dot
    (``t("certainty." + c)`` reads every ``certainty.*``).
    """
    quoted = set(re.findall(r"[\"']([\w.-]+)[\"']", source))
    return {k: v for k, v in page_words(lang).items()
            if k in quoted or ("." in k and k.split(".", 1)[0] + "." in quoted)}
