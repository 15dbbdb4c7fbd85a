"""The message catalogue: extraction up to date, translations read at run time, one wording for every output."""
from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from mapper.errors import MapperError
from mapper.words import CHANGE_KINDS, HOLDERS, LANGUAGES, ZONE_KINDS, Words, read_translations, untranslated_messages

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "mapper" / "locale"


def _ids(path: Path) -> set:
    with path.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def test_pot_is_up_to_date_with_the_code(tmp_path, monkeypatch):
    """Run the extractor exactly as the README says; the committed template must hold the same messages."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "--no-location", "--sort-output",
                                "-o", str(out), "."])
    fresh, committed = _ids(out), _ids(LOCALE / "mapper.pot")
    assert fresh - committed == set(), "messages in the code but not in mapper.pot: run pybabel extract (see words.py)"
    assert committed - fresh == set(), "messages in mapper.pot no longer in the code: run pybabel extract"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_po_files_follow_the_template(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "mapper.po"
    assert _ids(po) == _ids(LOCALE / "mapper.pot"), f"run pybabel update (see words.py) for {lang}"


def test_a_translation_is_used_and_a_missing_one_falls_back_to_english():
    po = b'''msgid ""
msgstr ""
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Ceded to {to}"
msgstr "\xd0\x9e\xd1\x82\xd0\xbe\xd1\x88\xd0\xbb\xd0\xbe \xd0\xba {to}"

msgid "{n} unit"
msgid_plural "{n} units"
msgstr[0] "{n} A"
msgstr[1] "{n} B"
msgstr[2] "{n} C"

msgid "Russia"
msgstr ""
'''
    t = read_translations(io.BytesIO(po), "ru")
    assert t.gettext("Ceded to {to}") == "Отошло к {to}"
    assert t.gettext("Russia") == "Russia"
    assert [t.ngettext("{n} unit", "{n} units", n) for n in (1, 3, 5, 21)] == ["{n} A", "{n} B", "{n} C", "{n} A"]


@pytest.mark.parametrize("lang, expected", [("en", "202,835 km²"), ("fa", "۲۰۲٬۸۳۵ کیلومتر مربع"),
                                             ("ru", "202\xa0835 км²")])
def test_km2_uses_the_locale_digits_and_grouping(lang, expected):
    assert Words(lang).km2(202835.4) == expected


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_is_translated_and_keeps_its_fields(lang):
    """Every msgid has a translation, with the same ``{name}`` fields (a translation may reorder them)."""
    with (LOCALE / lang / "LC_MESSAGES" / "mapper.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings) and "fuzzy" not in m.flags, (lang, m.id)
        fields = set(re.findall(r"{(\w+)}", ids[-1]))
        for s in strings:
            assert set(re.findall(r"{(\w+)}", s)) == fields, (lang, m.id, s)
    assert untranslated_messages(lang) == []  # what `mapper validate` warns about


def test_lang_lookups_of_the_interface_and_the_data(atlas):
    fa, ru = Words("fa", atlas), Words("ru", atlas)
    assert fa.holder_label("persia") == "ایران" and ru.holder_label("russia") == "Россия"
    assert ru.zone_label("russian_sphere") == "Русская сфера влияния"
    assert fa.title() == "ایران و روسیه: اطلس دگرگونی‌های سرزمینی"
    # a caption names the receiver as on the event's date, in the reader's language
    assert ru.change_caption(_change("cession", "Russian Empire")) == "Уступлено: Российская империя"
    assert fa.change_caption(_change("return", "Qajar Iran")) == "بازگردانده به ایران قاجار"
    assert ru.holder_legend("russia", ["Russian Empire", "Soviet Union"]) == "Россия (Российская империя; Советский Союз)"
    assert ru.units(1) == "1 единица" and ru.units(3) == "3 единицы" and ru.units(11) == "11 единиц"
    assert fa.units(12) == "۱۲ واحد"
    assert fa.loss_caption(SimpleNamespace(lost_km2=31275.2, changes=[])) == "ایران ۳۱٬۲۷۵ کیلومتر مربع را به روسیه از دست داد"
    gulistan = atlas.event("gulistan-1813")
    assert (fa.event_title(gulistan), ru.event_title(gulistan), Words("en", atlas).event_title(gulistan)) == \
        ("عهدنامهٔ گلستان", "Гюлистанский мирный договор", "Treaty of Gulistan")
    assert ru.region_name(atlas.zone("russian-sphere-1907")) == "Русская сфера (1907)"
    assert fa.region_name(atlas.unit("erivan")) == "خانات ایروان"  # the layer's own name_fa
    assert fa.place_name(atlas.place("kizlyar")) == "قزلار" and ru.place_name(atlas.place("tabriz")) == "Тебриз"
    assert ru.js_messages()["play"] == "Воспроизвести" and fa.js_messages()["units"] == {"one": "{n} واحد", "other": "{n} واحد"}


def test_every_vocabulary_has_a_label_in_every_language():
    for lang in LANGUAGES:
        w = Words(lang)
        assert all(w.holder_label(h) for h in HOLDERS)
        assert all(w.zone_label(k) for k in ZONE_KINDS)
        assert all(w.change_kind_label(k) for k in CHANGE_KINDS)
    assert {"russian_occupation", "ottoman_occupation"} <= set(ZONE_KINDS)


def test_every_zone_kind_in_the_geodata_has_a_label(atlas):
    assert {z.kind for z in atlas.zones} <= set(ZONE_KINDS)


def _change(kind, to_name, **kw):
    base = dict(event="e", unit="u", kind=kind, from_="persia", to="russia", from_name="Qajar Iran",
                to_name=to_name, km2=100.0, counted=True, certainty="high", note=None)
    return SimpleNamespace(**{**base, **kw})


@pytest.mark.parametrize("kind, to_name, caption", [
    ("conquest", "Russian Empire", "Taken by Russian Empire"),
    ("cession", "Russian Empire", "Ceded to Russian Empire"),
    ("return", "Qajar Iran", "Returned to Qajar Iran"),
    ("independence", "Republic of Armenia", "Independence: Republic of Armenia"),
    ("claim", "Qajar Iran", "Claimed by Qajar Iran"),
    ("recognition", "Russian Empire", "Conquest recognised"),
    ("renunciation", "Russian Empire", "Claim renounced"),
    ("occupation-begins", "Russian Empire", "Occupied by Russian Empire"),
    ("occupation-ends", "Russian Empire", "Occupation ends"),
])
def test_change_captions_follow_the_kind_and_the_receiving_name(kind, to_name, caption):
    assert Words().change_caption(_change(kind, to_name)) == caption


def test_changes_group_by_caption():
    w = Words()
    groups = w.change_groups([_change("cession", "Russian Empire", unit="a"), _change("conquest", "Russian Empire"),
                              _change("cession", "Russian Empire", unit="b")])
    assert {k: [c.unit for c in v] for k, v in groups.items()} == {"Ceded to Russian Empire": ["a", "b"],
                                                                  "Taken by Russian Empire": ["u"]}


@pytest.mark.parametrize("lost, changes, caption", [
    (173299.4, [], "Persia lost 173,299 km² to Russia"),
    (-2000, [], "Persia regained 2,000 km² from Russia"),
    (0, [], "No land changed hands"),
    (0, [_change("claim", "Qajar Iran")], "No land changed hands"),
    (0, [_change("conquest", "Russian Empire", from_="other", km2=500.0)], "Russia gained 500 km² (not from Persia)"),
    (0, [_change("independence", "Georgia", from_="russia", to="other")], "Russia lost 100 km² (not to Persia)"),
    (0, [_change("conquest", "Ottoman Empire", from_="other", to="other")], "100 km² changed hands"),
])
def test_loss_caption(lost, changes, caption):
    assert Words().loss_caption(SimpleNamespace(lost_km2=lost, changes=changes)) == caption


def test_did_you_mean():
    w = Words()
    assert w.did_you_mean("gulistn-1813", ["gulistan-1813", "turkmenchay-1828"]) == \
        "unknown event 'gulistn-1813' (did you mean 'gulistan-1813'?)"
    assert w.did_you_mean("zzz", ["gulistan-1813"]) == "unknown event 'zzz' (see `mapper events` for the list)"
    assert w.did_you_mean("jpeg", ["png", "svg", "pdf"], what="format") == "unknown format 'jpeg' (did you mean 'png'?)"
    assert w.did_you_mean("tiff", ["png", "svg", "pdf"], what="format") == "unknown format 'tiff' (one of png, svg, pdf)"


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(MapperError, match=r"unknown language 'de-at' \(one of en, fa, ru\)"):
        Words("de-at")
    with pytest.raises(MapperError, match=r"did you mean 'fa'"):
        Words("far")


def test_js_messages_hold_text_and_plural_categories():
    for lang in LANGUAGES:
        m = Words(lang).js_messages()
        assert all(isinstance(v, str) and v for k, v in m.items() if k != "units")
        assert m["holder.russia"] and m["caption.cession"] == Words(lang).gettext("Ceded to {to}")
    assert Words("en").js_messages()["units"] == {"one": "{n} unit", "other": "{n} units"}
    assert set(Words("ru").js_messages()["units"]) == {"one", "few", "many"}  # the categories of whole numbers


def test_date_line_and_certainty_note(atlas):
    w = Words()
    turkmenchay = atlas.event("turkmenchay-1828")
    assert w.date_line(turkmenchay).startswith("22 February 1828")
    assert "O.S." in w.date_line(turkmenchay)
    assert w.certainty_note(turkmenchay) == ""
    assert w.certainty_note(SimpleNamespace(date_certainty="approximate")) == "approximate date"


def test_direction():
    assert [Words(lang).direction for lang in LANGUAGES] == ["ltr", "rtl", "ltr"]


def test_matplotlib_joins_persian_letters_itself():
    """The figures need no reshaping: matplotlib lays text out with libraqm, so letters join as in a browser.

    Five behs joined (initial, medial, final forms) are far narrower than five isolated ones; without
    shaping they would be as wide. The words are passed in logical order, as everywhere else.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]

    def width(text: str) -> float:
        t = fig.text(0, 0, text, fontsize=20, family="DejaVu Sans")
        w = t.get_window_extent(renderer).width
        t.remove()
        return w

    try:
        assert width("ببببب") < 0.6 * 5 * width("ب")
        assert width("لا") < 0.8 * (width("ل") + width("ا"))  # lam-alef ligature
    finally:
        plt.close(fig)


def test_series_separates_list_items_as_the_language_does():
    assert [Words(lang).series(["a", "b"]) for lang in ("en", "fa", "ru")] == ["a; b", "a؛ b", "a; b"]


def test_a_figures_lines_on_what_changed_use_the_languages_punctuation(atlas):
    from mapper.figures.captions import change_lines
    from mapper.timeline import steps

    st = next(s for s in steps(atlas) if s.event.id == "turkmenchay-1828")  # two groups of several units each
    fa = change_lines(Words("fa", atlas), atlas, st)
    assert len(fa) >= 3 and all("," not in line and ";" not in line for line in fa), fa
    assert "؛ " in fa[0] and "، " in fa[0]
    en = change_lines(Words("en", atlas), atlas, st)
    assert "; " in en[0] and ", " in en[0]


def test_parts_of_a_line_are_set_apart_as_the_language_does(atlas):
    from mapper.figures.captions import date_line
    from mapper.figures.pair import draw_pair

    assert [Words(lang).parts("a", "b") for lang in ("en", "fa", "ru")] == ["a · b", "a — b", "a · b"]
    fa = Words("fa", atlas)
    assert "\u00b7" not in date_line(fa, atlas.event("akhal-1881"))  # a date and its note, in the figures' subtitles
    fig = draw_pair(atlas, "gulistan-1813", lang="fa")
    heads = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if "گلستان" in t.get_text() or "۱۸۱۳" in t.get_text()]
    assert heads and not any("\u00b7" in h for h in heads)
