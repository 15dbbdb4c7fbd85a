"""Every sentence a reader sees, from one translatable catalogue (gettext ``.po`` files through Babel).

The English text is the message id, written in the code that uses it (tables here for what
several outputs share, ``words.gettext("…")`` where a sentence belongs to one output); the
translations live in ``mapper/locale/<lang>/LC_MESSAGES/mapper.po``. A message without a
translation shows in English. The ``.po`` files are read at run time with Babel's ``read_po``
and turned into :class:`gettext.GNUTranslations` in memory (a few milliseconds per language), so
there is no compiled ``.mo`` file to keep in step, to build in CI or to ship in the wheel.

Adding a message: write it in the code as ``w.gettext("…")`` (or ``N_("…")`` in a table), then
``pybabel extract -F babel.cfg --no-location --sort-output -o mapper/locale/mapper.pot .`` and
``pybabel update -i mapper/locale/mapper.pot -d mapper/locale -D mapper``; the test suite fails
while the ``.pot`` or a ``.po`` file is behind the code. Placeholders are ``{name}`` fields
(``str.format``), so a translation may reorder them.

The data's own texts (event titles and summaries, unit, zone and place names, holder names) are
not messages: they are written per language in ``translations/<lang>.yaml`` beside the geodata and
read into ``atlas.translations``. ``Words(lang, atlas)`` gives them with an English fallback:
``Words("fa", atlas).event_title(event)``, ``.region_name(unit)``, ``.holder_name("Qajar Iran")``.

Why one long module: it is the reader's vocabulary in one place (the shared tables, the loss and
change captions, dates, numbers, data texts), so a translator or a writer changing a phrase has one
file to read, and every output asks the same :class:`Words` object.

One rule for change labels: a change is captioned by its kind and the receiving holder's name on
the event's date ("Ceded to Russian Empire", "Taken by Russian Empire", "Returned to Qajar Iran",
"Independence: Republic of Armenia"), the same words in the page, the figures and the CSV; changes
with the same caption form one group, whose area is the sum of its changes.
"""
from __future__ import annotations

import difflib
import gettext as _gettext
import io
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

if TYPE_CHECKING:
    from mapper.dates import Precision


class _Texts(Protocol):  # what Words needs of mapper.model.Translations (atlas.translations)
    def text(self, lang: str, kind: str, ident: str, fld: str) -> str | None: ...


class _NoTexts:
    """No translations of the data (Words without an atlas): every data text is its English."""

    def text(self, lang: str, kind: str, ident: str, fld: str) -> str | None:
        return None

__all__ = ["LANGUAGES", "RTL_LANGUAGES", "CERTAINTIES", "CHANGE_KINDS", "HOLDERS", "ZONE_KINDS", "N_", "Words"]

#: The languages of the atlas; English is the message id.
LANGUAGES = ("en", "fa", "ru")
DOMAIN = "mapper"


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (it is translated where it is shown)."""
    return message


HOLDERS = ("persia", "russia", "other")
_HOLDER_LABELS = {"persia": N_("Persia / Iran"), "russia": N_("Russia"), "other": N_("Other holders")}

_ZONE_LABELS = {
    "rus_raid": N_("Coasts raided by the Rus'"),
    "russian_sphere": N_("Russian sphere of influence"),
    "neutral_zone": N_("Neutral zone"),
    "british_sphere": N_("British sphere of influence"),
    "russian_occupation": N_("Russian occupation zone"),
    "ottoman_occupation": N_("Ottoman occupation zone"),
    "soviet_occupation": N_("Soviet occupation zone"),
    "british_occupation": N_("British occupation zone"),
    "persian_socialist_soviet_republic": N_("Persian Socialist Soviet Republic"),
    "azerbaijan_peoples_government": N_("Azerbaijan People's Government"),
    "republic_of_mahabad": N_("Republic of Mahabad"),
}
ZONE_KINDS = tuple(_ZONE_LABELS)

#: Change kinds (one per change record): their name, and the caption of a group of such changes.
_KINDS = {  # kind: (label, caption)
    "conquest": (N_("Conquest"), N_("Taken by {to}")),
    "cession": (N_("Cession"), N_("Ceded to {to}")),
    "return": (N_("Return"), N_("Returned to {to}")),
    "independence": (N_("Independence"), N_("Independence: {to}")),
    "claim": (N_("Claim"), N_("Claimed by {to}")),
    "recognition": (N_("Recognition"), N_("Conquest recognised")),
    "renunciation": (N_("Renunciation"), N_("Claim renounced")),
    "occupation-begins": (N_("Occupation begins"), N_("Occupied by {to}")),
    "occupation-ends": (N_("Occupation ends"), N_("Occupation ends")),
}
CHANGE_KINDS = tuple(_KINDS)
#: The kinds that move land from one holder to another (the others are claims and overlays).
TRANSFER_KINDS = frozenset({"conquest", "cession", "return", "independence"})

#: The claims a step made, recognised or renounced (the panel, ``mapper events``).
CLAIMED_HERE = N_("Claims made, recognised or renounced at this step: {area} (not counted)")

_PLACE_KINDS = {"signing": N_("Place of signing"), "event": N_("Place of this event"), "capital": N_("Capital at the time"),
                "city": N_("City")}

#: What a place is in the story (:class:`mapper.model.Role`): the label with and without ``of``.
_ROLES = {
    "capital": (N_("Capital of {of}"), N_("Capital")),
    "embassy": (N_("Embassy of {of}"), N_("Embassy")),
    "consulate": (N_("Consulate of {of}"), N_("Consulate")),
    "signing": (N_("Signing place: {title} ({year})"), N_("Signing place")),
    "city": (N_("City"), N_("City")),
}
_SIGNED_AT = N_("Signing place: {title}")
#: A role's ``of`` given as a holder id.
_ROLE_OF = {"iran": N_("Iran"), "persia": N_("Iran"), "russia": N_("Russia")}

_CERTAINTY = {"approximate": N_("approximate date"), "disputed": N_("date disputed (see the event's date note)")}
#: How sure a date or a change is, as the outputs say it (by the data's code).
CERTAINTIES = {
    "approximate": N_("approximate"),
    "disputed": N_("disputed"),
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
}
WITH_CERTAINTY = N_("{text} (certainty {certainty})")

_UNKNOWN = {  # what was asked for: (with a close match, without one)
    "event": (N_("unknown event {value} (did you mean {close}?)"),
              N_("unknown event {value} (see `mapper events` for the list)")),
    "format": (N_("unknown format {value} (did you mean {close}?)"), N_("unknown format {value} (one of {known})")),
    "language": (N_("unknown language {value} (did you mean {close}?)"),
                 N_("unknown language {value} (one of {known})")),
    "stage": (N_("unknown build stage {value} (did you mean {close}?)"), N_("unknown build stage {value} (one of {known})")),
}

TITLE = N_("Iran and Russia: an atlas of territorial change")
_ATTRIBUTION = {
    "web": N_("Borders: Natural Earth (public domain)"),
}

#: What the page's script shows, by key; ``{name}`` fields are filled in by the script.
_JS = {
    "other": N_("Other"),
    "changedHere": N_("Changed hands at this step"),
    "heldOn": N_("Held on {date}"),
    "since": N_("Since"),
    "sinceStart": N_("before the first event (the atlas's starting map)"),
    "atThisStep": N_("At this step"),
    "certainty": N_("certainty {certainty}"),
    "area": N_("Area"),
    "zonesHere": N_("Zones in force here"),
    "boundary": N_("Boundary"),
    "sources": N_("Sources"),
    "overlay": N_("{kind}: an overlay, not a change of sovereignty"),
    "kind": N_("Kind"),
    "inForce": N_("In force"),
    "legend": N_("Legend"),
    "heldBy": N_("Held by"),
    "zonesNotSovereignty": N_("Zones (not sovereignty)"),
    "places": N_("Places"),
    "placeKinds": N_("City, capital, embassy, consulate"),
    "eventPlace": N_("Place of this event"),
    "modernBorders": N_("Modern borders, for orientation"),
    "mapOf": N_("Map: {title}, {date}"),
    "stepOf": N_("Step {n} of {total}"),
    "oldStyle": N_("Old Style (Julian): {date}"),
    "dateApproximate": N_("Date approximate."),
    "dateDisputed": N_("Date disputed."),
    "place": N_("Place"),
    "parties": N_("Parties"),
    "territory": N_("Territory"),
    "movedHere": N_("Changed hands at this step: {area} ({units})"),
    "noLandMoved": N_("No land changed hands at this step."),
    "lostHere": N_("Persia lost to Russia at this step: {area}"),
    "regainedHere": N_("Persia regained from Russia at this step: {area}"),
    "totalLost": N_("Running total Persia lost to Russia: {area}"),
    "totalGained": N_("Running total Persia gained from Russia: {area}"),
    "zonesHead": N_("Zones (spheres, occupations, republics)"),
    "begin": N_("Begin"),
    "end": N_("End"),
    "play": N_("Play"),
    "playTitle": N_("Play (a step every 2 seconds)"),
    "pause": N_("Pause"),
    "liveMoved": N_("{units} changed hands, {area} square kilometres."),
    "liveNone": N_("No land changed hands."),
    "km2": N_("{area} km²"),
}


def _units(t: _gettext.NullTranslations, n: int) -> str:
    return t.ngettext("{n} unit", "{n} units", n)


#: Plural messages of the page's script: key -> the message's form for a count.
_JS_PLURALS = {"units": _units}

class _Change(Protocol):  # what a caption needs of mapper.timeline.Change (read-only, as it is frozen)
    @property
    def unit(self) -> str: ...
    @property
    def from_(self) -> str: ...
    @property
    def to(self) -> str: ...
    @property
    def to_name(self) -> str: ...
    @property
    def km2(self) -> float: ...


class _Step(Protocol):  # what a loss caption needs of mapper.timeline.Step (read-only, as it is frozen)
    @property
    def lost_km2(self) -> float: ...
    @property
    def changes(self) -> Any: ...


@lru_cache(maxsize=None)
def _translations(lang: str) -> _gettext.NullTranslations:
    """Read ``lang``'s ``.po`` file into gettext translations (English: none, the ids are the text)."""
    if lang == "en":
        return _gettext.NullTranslations()
    po = resources.files("mapper").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as f:
        return read_translations(f, lang)


def untranslated_messages(lang: str) -> list[str]:
    """Return the message ids of ``lang``'s ``.po`` file that have no translation (they show in English)."""
    po = resources.files("mapper").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    out = []
    for m in catalog:
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.id and (not all(strings) or m.fuzzy):
            out.append(m.id if isinstance(m.id, str) else m.id[0])
    return out


def read_translations(f: IO[bytes], lang: str) -> _gettext.GNUTranslations:
    """Read a ``.po`` file into gettext translations; untranslated and fuzzy messages are left out."""
    catalog = read_po(f, locale=lang, domain=DOMAIN)
    for message in list(catalog):  # a plural message with a form missing is left out as a whole
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            catalog.delete(message.id, message.context)
    buf = io.BytesIO()
    write_mo(buf, catalog)  # leaves out untranslated and fuzzy messages: they fall back to English
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


#: Languages written right to left.
RTL_LANGUAGES = frozenset({"fa"})


class Words:
    """The reader's sentences in one language: ``Words("fa").km2(27194)`` -> ``"۲۷٬۱۹۴ کیلومتر مربع"``.

    Parameters
    ----------
    lang : str
        One of :data:`LANGUAGES`.

    Examples
    --------
    >>> w = Words()
    >>> w.km2(202835.4)
    '202,835 km²'
    >>> w.holder_label("persia")
    'Persia / Iran'
    """

    def __init__(self, lang: str = "en", atlas: Any = None) -> None:
        if lang not in LANGUAGES:
            from mapper.errors import MapperError

            raise MapperError(Words().did_you_mean(lang, LANGUAGES, what="language"))
        self.lang = lang
        self.locale = Locale.parse(lang)
        self._t = _translations(lang)
        #: the data's texts in other languages (``atlas.translations``); without an atlas, English only
        self.texts: _Texts = getattr(atlas, "translations", None) or _NoTexts()
        self._atlas = atlas

    def gettext(self, message: str) -> str:
        """Return ``message`` (an English message id) in this language."""
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the form of a message for the count ``n`` in this language."""
        return self._t.ngettext(singular, plural, n)

    @property
    def direction(self) -> str:
        """Return the writing direction of the language: ``rtl`` for Persian, else ``ltr`` (for ``<html dir>``).

        Browsers and matplotlib (3.11, through libraqm) shape Persian and order mixed lines
        themselves; the text stays in logical order everywhere.
        """
        return "rtl" if self.lang in RTL_LANGUAGES else "ltr"

    # --- numbers and areas ---

    def number(self, value: float) -> str:
        """Return ``value`` rounded to a whole number, grouped and in the language's digits."""
        from mapper.dates import local_digits

        text = format_decimal(round(value), format="#,##0", locale=self.locale, numbering_system="default")
        return local_digits(text, self.lang)

    def km2(self, value: float) -> str:
        """Return an area: ``27,194 km²`` (the sign kept; pass ``abs(value)`` for a magnitude)."""
        return self.gettext("{area} km²").format(area=self.number(value))

    # --- vocabularies ---

    def holder_label(self, holder: str) -> str:
        """Return the name of a holder across time: ``Persia / Iran``, ``Russia``, ``Other holders``."""
        return self.gettext(_HOLDER_LABELS[holder])

    def holder_legend(self, holder: str, names: Iterable[str]) -> str:
        """Return a legend entry naming the holder's polities: ``Russia (Russian Empire)``, ``Other holders: …``."""
        names = list(dict.fromkeys(self.holder_name(n) for n in names))
        if holder == "other":
            return self.gettext("Other holders: {names}").format(names="; ".join(names))
        if not names:
            return self.holder_label(holder)
        return self.gettext("{holder} ({names})").format(holder=self.holder_label(holder), names="; ".join(names))

    def claim_label(self, holder: str) -> str:
        """Return the legend entry of a claimant's hatch: ``Claimed by Persia / Iran``."""
        return self.gettext("Claimed by {name}").format(name=self.holder_label(holder))

    def zone_label(self, kind: str) -> str:
        """Return the name of a kind of zone: ``Russian sphere of influence``."""
        return self.gettext(_ZONE_LABELS[kind])

    def change_kind_label(self, kind: str) -> str:
        """Return the name of a change kind: ``Cession``."""
        return self.gettext(_KINDS[kind][0])

    def place_kind(self, kind: str) -> str:
        """Return the legend text of a kind of place symbol: ``signing``, ``capital`` or ``city``."""
        return self.gettext(_PLACE_KINDS[kind])

    def title(self) -> str:
        """Return the atlas's title."""
        return self.gettext(TITLE)

    def attribution(self, medium: str) -> str:
        """Return the credits line of ``medium`` (``web``; the print figures' credits are
        :func:`mapper.figures.captions.credits`, in words a reader understands)."""
        return self.gettext(_ATTRIBUTION[medium])

    # --- the data's own texts (translations/<lang>.yaml), English where there is no translation ---

    def text(self, kind: str, ident: str, fld: str, english: str) -> str:
        """Return a data text in this language: ``text("events", "gulistan-1813", "title", "Treaty of Gulistan")``."""
        if self.lang == "en":
            return english
        return self.texts.text(self.lang, kind, ident, fld) or english

    def lang_of(self, kind: str, ident: str, fld: str) -> str:
        """Return the language :meth:`text` gives for this field: this one, or ``en`` where it falls back.

        For ``lang`` attributes on mixed-language pages: an English summary in the Persian edition
        is marked ``lang="en"`` so that screen readers read it as English.
        """
        if self.lang == "en" or self.texts.text(self.lang, kind, ident, fld) is not None:
            return self.lang
        return "en"

    def event_title(self, event: Any) -> str:
        """Return the event's title: ``Treaty of Gulistan``, ``عهدنامهٔ گلستان``, ``Гюлистанский мирный договор``."""
        return self.text("events", event.id, "title", event.title)

    def event_summary(self, event: Any) -> str:
        """Return the event's summary in this language (English if it has no translation)."""
        return self.text("events", event.id, "summary", event.summary)

    def event_date_note(self, event: Any) -> str | None:
        """Return the event's date note (who gives which date), or None when it has none."""
        if not event.date_note:
            return None
        return self.text("events", event.id, "date_note", event.date_note)

    def event_parties(self, event: Any) -> tuple[str, ...]:
        """Return the event's parties, each in this language where translated."""
        return tuple(self.text("events", event.id, f"parties[{n}]", p) for n, p in enumerate(event.parties, 1))

    def change_note(self, event: Any, change: Any) -> str | None:
        """Return the note of a change at ``event`` in this language: the note of the effect it came from."""
        if change.effect:
            return self.effect_note(event, change.effect)
        return cast("str | None", change.note)

    def with_certainty(self, text: str, certainty: str) -> str:
        """Return ``text`` with how sure it is, unless that is high: ``Independence (certainty low)``."""
        if certainty == "high":
            return text
        return self.gettext(WITH_CERTAINTY).format(text=text, certainty=self.gettext(CERTAINTIES[certainty]))

    def effect_note(self, event: Any, n: int) -> str | None:
        """Return the note of the event's ``n``-th effect (1 for the first), or None when it has none."""
        note = getattr(event.effects[n - 1], "note", None)
        return self.text("events", event.id, f"effects[{n}].note", note) if note else None

    def region_name(self, region: Any) -> str:
        """Return a unit's or zone's name: the layer's ``name_<lang>``, else the translations file, else English."""
        kind = "zones" if hasattr(region, "kind") else "units"
        return self._name(kind, region)

    def place_name(self, place: Any) -> str:
        """Return a place's name: places.yaml's ``name_<lang>``, else the translations file, else English."""
        return self._name("places", place)

    def place_note(self, place: Any) -> str | None:
        """Return a place's note in this language, or None when it has none."""
        return self.text("places", place.id, "note", place.note) if place.note else None

    def role_label(self, place: Any, n: int) -> str:
        """Return what the place's ``n``-th role (1 for the first) is: ``Signing place: Treaty of Gulistan (1813)``.

        The treaty's title is the event's in this language (it needs ``Words(lang, atlas)``);
        ``Capital of Safavid Iran (1598–1722)`` takes the role's ``of`` from the translations file.
        """
        role = place.roles[n - 1]
        with_of, without = _ROLES.get(role.role, (role.role, role.role))
        if role.role == "signing":
            ev = None
            if role.event and self._atlas is not None:
                ev = {e.id: e for e in self._atlas.events}.get(role.event)
            if ev is None:
                return self.gettext(without)
            from mapper.dates import local_digits

            year = str(ev.date.date.year)
            if year in ev.title:  # the title names its year already: "Treaty of Saint Petersburg (1723)"
                return self.gettext(_SIGNED_AT).format(title=self.event_title(ev))
            return self.gettext(with_of).format(title=self.event_title(ev), year=local_digits(year, self.lang))
        if not role.of or role.role not in _ROLES:
            return self.gettext(without)
        of = (self.gettext(_ROLE_OF[role.of]) if role.of in _ROLE_OF
              else self.text("places", place.id, f"roles[{n}].of", role.of))
        return self.gettext(with_of).format(of=of)

    def role_note(self, place: Any, n: int) -> str | None:
        """Return the note of the place's ``n``-th role in this language, or None when it has none."""
        note = place.roles[n - 1].note
        return self.text("places", place.id, f"roles[{n}].note", note) if note else None

    def _name(self, kind: str, record: Any) -> str:
        if self.lang == "en":
            return str(record.name)
        own = getattr(record, f"name_{self.lang}", None)
        return own or self.text(kind, record.id, "name", record.name)

    def holder_name(self, name: str | None) -> str:
        """Return a holder's name on a date in this language: ``Qajar Iran`` -> ``ایران قاجار``."""
        if not name or self.lang == "en":
            return name or ""
        return (self.texts.text(self.lang, "polities", name, "name")
                or self.texts.text(self.lang, "holders", name, "name") or name)

    def baseline_note(self, english: str) -> str:
        """Return the note on the starting map (``atlas.baseline_note``) in this language."""
        return self.text("baseline", "", "note", english) if english else english

    # --- changes and losses ---

    def change_caption(self, change: _Change) -> str:
        """Return the caption of a change (and of its group): ``Ceded to Russian Empire``.

        The caption follows the change's kind and names the receiving holder as on the event's date.
        """
        kind = getattr(change, "kind", None)
        to = self.holder_name(change.to_name)
        if kind is None:  # a change from before the history model's kinds: say only where it went
            return self.gettext("Passed to {to}").format(to=to)
        return self.gettext(_KINDS[kind][1]).format(to=to)

    def change_groups(self, changes: Iterable[_Change]) -> dict[str, list]:
        """Return the changes grouped by caption, in order of first appearance."""
        groups: dict[str, list] = {}
        for c in changes:
            groups.setdefault(self.change_caption(c), []).append(c)
        return groups

    def loss_caption(self, step: _Step) -> str:
        """Return what a step did to Persia's territory: ``Persia lost 173,299 km² to Russia``."""
        lost = round(step.lost_km2)
        if lost > 0:
            return self.gettext("Persia lost {area} to Russia").format(area=self.km2(lost))
        if lost < 0:
            return self.gettext("Persia regained {area} from Russia").format(area=self.km2(-lost))
        moved = [c for c in step.changes if getattr(c, "kind", None) in TRANSFER_KINDS | {None}]
        if not moved:
            return self.gettext("No land changed hands")
        area = self.km2(sum(c.km2 for c in moved))
        if all(c.to == "russia" for c in moved):
            return self.gettext("Russia gained {area} (not from Persia)").format(area=area)
        if all(c.from_ == "russia" for c in moved):
            return self.gettext("Russia lost {area} (not to Persia)").format(area=area)
        return self.gettext("{area} changed hands").format(area=area)

    def step_changes(self, step: _Step) -> str:
        """Return what a step changed on the ground and on paper, on one line (``mapper events``):
        ``Persia lost 3,958 km² to Russia · 2 units``, then its claims made, recognised or renounced."""
        moved = [c for c in step.changes if getattr(c, "kind", None) in TRANSFER_KINDS | {None}]
        claims = [c for c in step.changes if getattr(c, "kind", None) not in TRANSFER_KINDS | {None}]
        out = [self.parts(self.loss_caption(step), self.units(len(moved)))] if moved else []
        if claims:
            out.append(self.gettext(CLAIMED_HERE).format(area=self.km2(sum(c.km2 for c in claims))))
        return self.series(out)

    def units(self, n: int) -> str:
        """Return a count of units: ``1 unit``, ``3 units``."""
        return _units(self._t, n).format(n=self.number(n))

    # --- dates ---

    def date_line(self, event: Any) -> str:
        """Return an event's date line for this edition (see :func:`mapper.dates.date_line`).

        English: ``24 October 1813 (O.S. 12 October 1813)``; Russian: ``24 октября 1813 (12 октября 1813
        по старому стилю)``; Persian: ``۲۴ اکتبر ۱۸۱۳ (۲ آبان ۱۱۹۲ خورشیدی؛ ۲۹ شوال ۱۲۲۸ قمری)``.
        """
        from mapper.dates import date_line

        return date_line(event, lang=self.lang)

    def date(self, d: Any, precision: Precision = "day") -> str:
        """Return a date for this edition: ``24 October 1813``, ``June 1920``, ``913``."""
        from mapper.dates import format_date

        return format_date(d, precision, lang=self.lang)

    def period(self, start: str, end: str | None) -> str:
        """Return a span of time: ``1907 until 1917``, or ``1991 onwards`` when it has not ended."""
        if end is None:
            return self.gettext("{start} onwards").format(start=start)
        return self.gettext("{start} until {end}").format(start=start, end=end)

    def parts(self, *texts: str) -> str:
        """Return parts of one line set apart as the language sets them: ``1828 · holdings after the event``,
        Persian ``… — …`` (a middle dot beside Persian digits reads as a zero, ``۰``)."""
        return self.gettext(" \u00b7 ").join(texts)

    def series(self, items: Iterable[str]) -> str:
        """Return items one after another, separated as the language separates list items: ``a; b``, ``a؛ b``."""
        return self.gettext("; ").join(items)

    def dated_event(self, date: str, title: str) -> str:
        """Return a date with the event that falls on it: ``31 August 1907 (Anglo-Russian Convention)``."""
        return self.gettext("{date} ({event})").format(date=date, event=title)

    def calendar_note(self, event: Any) -> str:
        """Return the note for a lunar date a day away from the arithmetic calendar, else ``""``.

        Only the Persian edition shows lunar dates, so only it needs the note.
        """
        from mapper.dates import CALENDARS, calendar_note

        return calendar_note(event, self.lang) if "islamic" in CALENDARS.get(self.lang, ()) else ""

    def certainty_note(self, event: Any) -> str:
        """Return ``approximate date`` or ``date disputed (…)`` for such events, else ``""``."""
        note = _CERTAINTY.get(event.date_certainty)
        return self.gettext(note) if note else ""

    # --- errors ---

    def did_you_mean(self, value: str, known: Iterable[str], *, what: str = "event") -> str:
        """Return ``unknown event 'x' (did you mean 'y'?)``, or a pointer to the list without a close match."""
        known = list(known)
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
        with_close, without = _UNKNOWN[what]
        if close:
            return self.gettext(with_close).format(value=repr(value), close=repr(close[0]))
        return self.gettext(without).format(value=repr(value), known=", ".join(known))

    # --- the page ---

    def js_messages(self) -> dict[str, Any]:
        """Return the page script's strings: UI text by key, plus plural messages by CLDR category.

        Keys are those of the UI table, ``holder.<id>``, ``zone.<kind>``, ``kind.<kind>`` and
        ``caption.<kind>``; a plural message (``units``) maps the ``Intl.PluralRules`` categories
        of whole numbers in the language (en ``one``/``other``, ru ``one``/``few``/``many``) to its forms. ``{name}`` fields are left for the script.
        """
        out: dict[str, Any] = {k: self.gettext(v) for k, v in _JS.items()}
        out.update({f"holder.{k}": self.gettext(v) for k, v in _HOLDER_LABELS.items()})
        out.update({f"zone.{k}": self.gettext(v) for k, v in _ZONE_LABELS.items()})
        out.update({f"kind.{k}": self.gettext(v[0]) for k, v in _KINDS.items()})
        out.update({f"caption.{k}": self.gettext(v[1]) for k, v in _KINDS.items()})
        for key, form in _JS_PLURALS.items():
            forms: dict[str, str] = {}
            for n in (*range(1, 200), 0):  # enough numbers to meet every category of the three languages
                forms.setdefault(self.locale.plural_form(n), form(self._t, n))
            out[key] = forms
        return out


def vocabularies() -> Mapping[str, tuple[str, ...]]:
    """Return the ids the catalogue has labels for: holders, zone kinds, change kinds."""
    return {"holders": HOLDERS, "zone_kinds": ZONE_KINDS, "change_kinds": CHANGE_KINDS}
