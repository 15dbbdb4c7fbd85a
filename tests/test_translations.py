"""The data's texts in Persian and Russian (translations/<lang>.yaml): complete, in the right script, checked."""
from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import run_cli, yaml_dump, yaml_load

import mapper
from mapper.errors import GeodataError
from mapper.geodata.translations import TRANSLATED_LANGUAGES
from mapper.validate import missing_translations, translation_overlaps
from mapper.words import Words

ZWNJ = "\u200c"


def _letters(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c).startswith("L")]


#: Latin words a translation keeps as they are: the title of a source.
LATIN_KEPT = ("FRUS", "Persian Frontiers")


def _script_share(text: str, lo: int, hi: int) -> float:
    for kept in LATIN_KEPT:
        text = text.replace(kept, "")
    text = re.sub(r"\b[IVXL]+\b", "", text)  # Roman numerals, as Russian writes centuries and rulers: XVI век, Пётр I
    letters = _letters(text)
    return sum(lo <= ord(c) <= hi for c in letters) / len(letters)


def _texts(atlas, lang):
    """Every translated text of the atlas in ``lang``: (key, text)."""
    return sorted(atlas.translations.texts[lang].items())


def test_every_event_has_a_persian_and_russian_title_and_summary(atlas):
    for lang in TRANSLATED_LANGUAGES:
        w = Words(lang, atlas)
        for e in atlas.events:
            assert w.event_title(e) != e.title, (lang, e.id, "title")
            assert w.event_summary(e) != e.summary, (lang, e.id, "summary")
            if e.date_note:
                assert w.event_date_note(e) != e.date_note, (lang, e.id, "date_note")
            for n, eff in enumerate(e.effects, 1):
                if getattr(eff, "note", None):
                    assert w.effect_note(e, n) != eff.note, (lang, e.id, n)
            parties = w.event_parties(e)
            assert len(parties) == len(e.parties) and not set(parties) & set(e.parties), (lang, e.id, "parties")


def test_every_name_of_the_data_is_translated(atlas):
    names = {p.name for p in atlas.polities} | {b.name for b in atlas.baseline.values() if b.name}
    for lang in TRANSLATED_LANGUAGES:
        w = Words(lang, atlas)
        for region in (*atlas.units, *atlas.zones):
            assert w.region_name(region) != region.name, (lang, region.id)
        for place in atlas.places:
            assert w.place_name(place) != place.name, (lang, place.id)
        for name in names:
            assert w.holder_name(name) != name, (lang, name)
        assert w.baseline_note(atlas.baseline_note) != atlas.baseline_note


def test_validate_reports_nothing_missing(atlas):
    assert missing_translations(atlas) == {"fa": [], "ru": []}


def test_persian_is_persian_script_with_persian_letters_and_digits(atlas):
    for key, text in _texts(atlas, "fa"):
        assert _script_share(text, 0x0600, 0x06FF) == 1.0, (key, text)
        assert "\u064a" not in text and "\u0643" not in text, (key, "Arabic yeh or kaf: use Persian ی and ک")
        assert not re.search(r"[0-9]", text), (key, "ASCII digits: use Persian ۰–۹")
        assert not re.search(f" {ZWNJ}|{ZWNJ} |{ZWNJ}$|^{ZWNJ}", text), (key, "a ZWNJ beside a space")
    joined = " ".join(t for _, t in _texts(atlas, "fa"))
    # the non-joiner is where Persian needs it: verb prefixes and plurals
    assert f"می{ZWNJ}" in joined and f"{ZWNJ}ها" in joined
    assert not re.search(r"(?<![\w\u200c])می (?=\w)", joined), "می written apart from its verb"


def test_russian_is_cyrillic_with_no_mixed_script_words(atlas):
    for key, text in _texts(atlas, "ru"):
        assert _script_share(text, 0x0400, 0x04FF) == 1.0, (key, text)
        mixed = re.findall(r"\w*(?:[A-Za-z][А-Яа-яЁё]|[А-Яа-яЁё][A-Za-z])\w*", text)
        assert not mixed, (key, mixed)


def test_historical_names_in_russian_and_persian(atlas):
    ru, fa = Words("ru", atlas), Words("fa", atlas)
    assert ru.event_title(atlas.event("gulistan-1813")) == "Гюлистанский мирный договор"
    assert ru.event_title(atlas.event("turkmenchay-1828")) == "Туркманчайский мирный договор"
    assert ru.event_title(atlas.event("akhal-1881")) == "Ахал-Хорасанская разграничительная конвенция"
    assert fa.event_title(atlas.event("gulistan-1813")) == "عهدنامهٔ گلستان"
    assert fa.event_title(atlas.event("turkmenchay-1828")) == "عهدنامهٔ ترکمانچای"
    assert ru.holder_name("Qajar Iran") == "Каджарский Иран" and fa.holder_name("Qajar Iran") == "ایران قاجار"
    assert ru.holder_name("Turkmen tribes") == "Туркменские племена"
    # the translations keep the facts of the English: the Hijri date in the Gulistan note, the indemnity
    assert "۲۹ شوال ۱۲۲۸" in fa.event_date_note(atlas.event("gulistan-1813"))
    assert "20 миллионов рублей серебром" in ru.event_summary(atlas.event("turkmenchay-1828"))


def _write(geo, lang, doc):
    path = geo / "translations" / f"{lang}.yaml"
    path.write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _load(geo, lang):
    return yaml_load((geo / "translations" / f"{lang}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["events"].__setitem__("gulistan-1831", {"title": "x"}),
     r"ru\.yaml: events\.'gulistan-1831'.*unknown event 'gulistan-1831' \(did you mean 'gulistan-1813'\?\)"),
    (lambda d: d["events"]["gulistan-1813"].__setitem__("titel", "x"),
     r"ru\.yaml: events\.'gulistan-1813'.*field 'titel': unknown field \(did you mean 'title'\?\)"),
    (lambda d: d["polities"].__setitem__("Qajar Persia", "x"),
     r"ru\.yaml: polities\.'Qajar Persia'.*unknown name \(did you mean 'Qajar Iran'\?\)"),
    (lambda d: d.__setitem__("unit", {}), r"ru\.yaml: unit: unknown section \(did you mean 'units'\?\)"),
    (lambda d: d["events"]["gulistan-1813"].__setitem__("summary", ["a", "list"]),
     r"field 'summary': must be text, not list"),
    (lambda d: d["events"]["gulistan-1813"].__setitem__("parties", ["одна"]),
     r"field 'parties': gives 1 parties; events\.yaml gives 2"),
    (lambda d: d["events"]["gulistan-1813"].__setitem__("effect_notes", {9: "x"}),
     r"field 'effect_notes\.9': event 'gulistan-1813' has no effect 9 with a note"),
    (lambda d: d["places"]["moscow"].__setitem__("roles", [{}]),
     r"places\.'moscow'.*field 'roles': must list the place's 5 roles in order"),
    (lambda d: d["places"]["moscow"]["roles"].__setitem__(2, {"of": "Иран"}),
     r"places\.'moscow'.*field 'roles\[3\]\.of': places\.yaml gives this role no 'of' to translate"),
])
def test_a_bad_translation_key_is_an_error_naming_file_key_and_field(geo, mutate, expected):
    doc = _load(geo, "ru")
    mutate(doc)
    _write(geo, "ru", doc)
    with pytest.raises(GeodataError, match=expected):
        mapper.load(geo)


def test_validate_names_a_bad_translation_key_and_exits_1(geo):
    doc = _load(geo, "fa")
    doc["events"]["turkmenchay-1829"] = doc["events"].pop("turkmenchay-1828")
    _write(geo, "fa", doc)
    r = run_cli("validate", "--geodata", geo)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert re.search(r"translations/fa\.yaml: events\.'turkmenchay-1829' \(line \d+\): unknown event 'turkmenchay-1829' "
                     r"\(did you mean 'turkmenchay-1828'\?\)", r.stderr), r.stderr


def test_a_missing_translation_is_a_warning_and_shows_in_english(geo):
    doc = _load(geo, "fa")
    del doc["events"]["gulistan-1813"]["summary"]
    del doc["zones"]["zubov-1796"]
    del doc["polities"]["Qajar Iran"]
    _write(geo, "fa", doc)
    atlas = mapper.load(geo)
    assert missing_translations(atlas)["fa"] == ["event 'gulistan-1813': summary", "zone 'zubov-1796': name",
                                                 "polity 'Qajar Iran': name"]
    w = Words("fa", atlas)
    gulistan = atlas.event("gulistan-1813")
    assert w.event_summary(gulistan) == gulistan.summary and w.event_title(gulistan) == "عهدنامهٔ گلستان"
    # the page marks the English fallback as English, the rest as Persian
    assert w.lang_of("events", "gulistan-1813", "summary") == "en" and w.lang_of("events", "gulistan-1813", "title") == "fa"
    assert w.region_name(atlas.zone("zubov-1796")) == "Zubov's expedition (1796)"
    assert w.holder_name("Qajar Iran") == "Qajar Iran"
    r = run_cli("validate", "--geodata", geo)
    assert r.returncode == 0, r.stderr
    assert "Warning: 3 texts not translated into fa" in r.stdout
    assert "  event 'gulistan-1813': summary" in r.stdout and "Translations (ru): complete." in r.stdout


def test_without_a_translations_folder_everything_is_english(geo):
    for lang in TRANSLATED_LANGUAGES:
        (geo / "translations" / f"{lang}.yaml").unlink()
    atlas = mapper.load(geo)
    e = atlas.event("gulistan-1813")
    assert Words("ru", atlas).event_title(e) == "Treaty of Gulistan"
    assert len(missing_translations(atlas)["ru"]) > 2 * len(atlas.events)


def test_words_without_an_atlas_give_the_data_in_english(atlas):
    e = atlas.event("gulistan-1813")
    assert Words("fa").event_title(e) == "Treaty of Gulistan"
    assert Words("fa").region_name(atlas.unit("gilan")) == "گیلان"  # the layer's own name_fa


def test_place_roles_in_each_language(atlas):
    moscow, gulistan = atlas.place("moscow"), atlas.place("gulistan")
    ru, fa, en = Words("ru", atlas), Words("fa", atlas), Words("en", atlas)
    assert [en.role_label(moscow, n) for n in (1, 3, 4)] == [atlas.role_label(moscow.roles[n - 1]) for n in (1, 3, 4)]
    assert ru.role_label(moscow, 1) == "Столица: Россия (Московское государство до 1712 года)"
    assert ru.role_label(moscow, 3) == "Посольство: Иран" and fa.role_label(moscow, 3) == "سفارت ایران"
    assert fa.role_label(gulistan, 1) == "محل امضای عهدنامهٔ گلستان (۱۸۱۳)"
    assert ru.role_note(moscow, 3) == "Посольство Исламской Республики Иран" and ru.role_note(moscow, 1) is None
    for lang in TRANSLATED_LANGUAGES:
        w = Words(lang, atlas)
        for p in atlas.places:
            for n, role in enumerate(p.roles, 1):
                if role.note:
                    assert w.role_note(p, n) != role.note, (lang, p.id, n)


def _years(text: str) -> set[str]:
    """The years a text names (3–4 digits, any script), with abbreviated ranges written out: 1552-53 -> 1552, 1553."""
    text = text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    text = re.sub(r"(?<=\d)[\s\u00a0\u202f,٬](?=\d{3}\b)", "", text)  # 13 000, 13,000: one number
    years = set(re.findall(r"(?<![\d.٫])\d{3,4}(?!\d|[.٫]\d)", text))
    for century, first, second in re.findall(r"\b(\d{2})(\d{2})[-–/](\d{2})\b", text):
        years.add(century + second)
    return years


def test_translations_keep_the_years_of_the_english(atlas):
    """A translation names the same years as its English text (a wrong or dropped year fails)."""
    for lang in TRANSLATED_LANGUAGES:
        w = Words(lang, atlas)
        for e in atlas.events:
            pairs = [(e.title, w.event_title(e)), (e.summary, w.event_summary(e))]
            pairs += [(e.date_note, w.event_date_note(e))] if e.date_note else []
            pairs += list(zip(e.parties, w.event_parties(e)))
            pairs += [(eff.note, w.effect_note(e, n)) for n, eff in enumerate(e.effects, 1) if getattr(eff, "note", None)]
            for english, text in pairs:
                assert _years(english) == _years(text or ""), (lang, e.id, english[:60], text)


def test_a_hostile_translations_file_is_refused_cleanly(geo):
    """The translations are geodata like the rest: YAML anchors and aliases are refused, naming the file."""
    path = geo / "translations" / "ru.yaml"
    path.write_text("events:\n  gulistan-1813: &a {title: x}\n  turkmenchay-1828: *a\n", encoding="utf-8")
    r = run_cli("validate", "--geodata", geo)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "translations/ru.yaml" in r.stderr and re.search(r"anchor|alias", r.stderr), r.stderr


def test_a_name_the_layer_gives_wins_and_the_double_is_a_warning(geo):
    doc = _load(geo, "ru")
    doc["units"] = {"gilan": {"name": "Гилянь"}}
    _write(geo, "ru", doc)
    atlas = mapper.load(geo)
    assert Words("ru", atlas).region_name(atlas.unit("gilan")) == "Гилян"  # units.geojson's name_ru
    assert translation_overlaps(atlas) == {"fa": [], "ru": ["unit 'gilan': name (the name_ru of units.geojson is used)"]}
    r = run_cli("validate", "--geodata", geo)
    assert r.returncode == 0 and "Warning: translations/ru.yaml names unit 'gilan': name" in r.stdout
