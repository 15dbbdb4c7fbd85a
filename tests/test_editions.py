"""The atlas's three editions in Chromium: English, Persian (right to left) and Russian.

Each edition is opened as a reader opens it, from the build's ``outputs/`` (the session's ``built``):
its ``lang`` and ``dir``, its texts in its own script on every step, its calendars on known dates,
Persian digits, the language switch keeping the step, labels clear of each other in the mirrored
layout, and axe-core on the Persian and Russian pages.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_atlas_screens import AXE, LABEL_BOXES, label_problems

pytestmark = pytest.mark.browser

ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
SCRIPTS = {"fa": ARABIC, "ru": CYRILLIC, "en": LATIN}
ROMAN = re.compile(r"\b[IVX]+\b")  # a ruler's number in a Russian title ("Пётр I") is no Latin word

# Every step's panel: title, summary, the panel's text without its sources (bibliographic, in their own language).
PANELS = """() => mapperAtlas.events.map(id => {
  mapperAtlas.go(id);
  const body = document.querySelector('#atlas-panel-body').cloneNode(true);
  body.querySelectorAll('.event-sources').forEach(e => e.remove());
  return {id, title: document.querySelector('#atlas-event-title').textContent,
          summary: document.querySelector('#atlas-panel .summary').textContent, text: body.textContent};
})"""


#: Latin words a Persian or Russian page may carry: names of sources and of the map's base layers.
NAMES_IN_LATIN = re.compile(r"\bFRUS\b|OpenStreetMap|JavaScript|Natural Earth|Persian Frontiers|Ctrl\+C|\bPNG\b|GeoJSON|\{\w+\}|\b[IVX]+\b")


def payload_texts(p) -> list[tuple[str, str]]:
    """Every text of a payload the reader sees, but sources and boundary notes (bibliographic, English)."""
    out = []
    for e in p.events:
        out += [(e.id, t) for t in [e.title, e.summary, e.date, e.date_local, e.date_os, e.place, e.date_note,
                                    *(e.parties or [])] if t]
    out += [(u.id, u.name) for u in p.units] + [(z.id, t) for z in p.zones for t in (z.name, z.periods)]
    for pl in p.places:
        out += [(pl.id, t) for t in [pl.name, pl.note, *[r.label for r in pl.roles], *[r.note for r in pl.roles]] if t]
    for s in p.steps:
        out += [(s.event, t) for t in s.names.values()]
        out += [(s.event, t) for c in s.changes + s.claim_changes for t in (c.caption, c.from_name, c.to_name, c.note) if t]
        out += [(s.event, t) for lab in s.labels for t in (lab.title, lab.detail)]
    out += [(b.unit, b.holder_name) for b in p.base if b.holder_name]
    out += [(k, v) for k, v in p.words.items() if isinstance(v, str)]
    out += [(k, v) for k, v in p.style.holder_labels.items()] + [(k, z.label) for k, z in p.style.zones.items()]
    return out


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_the_payload_of_an_edition_holds_no_english(atlas, lang):
    from mapper.web.data import atlas_payload

    texts = payload_texts(atlas_payload(atlas, lang))
    assert len(texts) > 1300  # (a change's holder names travel only where they are not the step's names)
    english = [(k, t[:60]) for k, t in texts if re.search(r"[A-Za-z]{2,}", NAMES_IN_LATIN.sub("", t))]
    assert english == []
    if lang == "fa":  # a middle dot beside Persian digits reads as a zero (۰): parts are set apart with a dash
        assert [(k, t[:60]) for k, t in texts if "\u00b7" in t] == []


@pytest.fixture(scope="module")
def reader(browser):
    """A 1440×900 page with reduced motion and the network blocked; errors recorded."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.route("http://**/*", lambda r: r.abort())
    context.route("https://**/*", lambda r: r.abort())
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()


def edition(built: Path, lang: str) -> Path:
    return built if lang == "en" else built / lang


def open_page(pg, path: Path, hash_: str = ""):
    pg.goto(path.as_uri() + hash_)
    pg.wait_for_function("window.mapperAtlas !== undefined")
    return pg


def share(pattern: re.Pattern, text: str) -> float:
    """The share of the text's letters (Arabic, Cyrillic or Latin) that are in ``pattern``'s script."""
    letters = sum(len(p.findall(text)) for p in SCRIPTS.values())
    return len(pattern.findall(text)) / letters if letters else 0.0


@pytest.mark.parametrize("lang", ["fa", "ru", "en"])
def test_each_edition_has_its_lang_dir_and_its_script_on_every_step(reader, built, atlas, lang):
    pg = open_page(reader, edition(built, lang) / "index.html")
    assert pg.evaluate("[document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction]") == \
        [lang, "rtl" if lang == "fa" else "", "rtl" if lang == "fa" else "ltr"]
    if lang == "en":  # the English texts are the data's own; nor does the page carry the Persian font
        assert "@font-face" not in (built / "index.html").read_text(encoding="utf-8")
        return
    panels = pg.evaluate(PANELS)
    assert [p["id"] for p in panels] == [e.id for e in atlas.events]
    script = SCRIPTS[lang]
    wrong = {p["id"]: p["title"] for p in panels if share(script, ROMAN.sub("", p["title"])) < 1.0}
    wrong |= {p["id"]: p["summary"][:80] for p in panels if share(script, p["summary"]) < 0.97}
    assert wrong == {}
    if lang == "fa":  # numbers in Persian digits: km², years, counts (not one Western digit outside the sources)
        western = {p["id"]: re.findall(r"\S*[0-9]\S*", p["text"])[:3] for p in panels if re.search(r"[0-9]", p["text"])}
        assert western == {}
        assert all(re.search("[۰-۹]", p["text"]) for p in panels)
        # the mirrored layout: the panel on the left, the map on the right, the timeline running right to left
        box = pg.evaluate("""() => ['#atlas-panel', '#map_atlas', '#atlas-prev', '#atlas-next'].map(
            s => document.querySelector(s).getBoundingClientRect().left)""")
        assert box[0] < box[1] and box[2] > box[3]
        ticks = pg.evaluate("""() => ['gulistan-1813', 'turkmenchay-1828'].map(
            id => document.querySelector(`.tick[data-event="${id}"]`).getBoundingClientRect().left)""")
        assert ticks[0] > ticks[1]  # the later event stands further left
        # screen-reader text: Leaflet's own buttons speak Persian too
        assert pg.evaluate("""['.leaflet-control-zoom-in', '.leaflet-control-layers-toggle'].map(
            s => document.querySelector(s).getAttribute('aria-label'))""") == ["بزرگ‌نمایی", "لایه‌ها"]
        pg.evaluate("mapperAtlas.go('gulistan-1813'); document.activeElement.blur()")
        pg.keyboard.press("ArrowLeft")  # along the timeline: left is later
        assert pg.evaluate("mapperAtlas.current()") == "persian-offensive-1826"
        assert pg.evaluate("document.fonts.check('16px Vazirmatn', 'گلستان')")
        assert pg.evaluate("getComputedStyle(document.querySelector('#atlas-event-title')).fontFamily").strip('"').startswith("Vazirmatn")
    else:
        assert "@font-face" not in (built / lang / "index.html").read_text(encoding="utf-8")
    assert reader.errors == []


# (edition, event): what the panel's dates say. Every edition gives the Gregorian date; Persian adds the
# Solar Hijri and the document's lunar date, Russian the Old Style date.
DATES = {
    ("fa", "gulistan-1813"): ["۲۴ اکتبر ۱۸۱۳", "۲ آبان ۱۱۹۲", "۲۹ شوال ۱۲۲۸"],
    ("fa", "turkmenchay-1828"): ["۲۲ فوریه ۱۸۲۸", "۲ اسفند ۱۲۰۶", "۵ شعبان ۱۲۴۳"],
    ("ru", "gulistan-1813"): ["24 октября 1813", "12 октября 1813"],
    ("ru", "turkmenchay-1828"): ["22 февраля 1828", "10 февраля 1828"],
    ("en", "turkmenchay-1828"): ["22 February 1828", "10 February 1828"],
}


def test_known_dates_in_each_editions_calendars(reader, built):
    seen = {}
    for lang in ("fa", "ru", "en"):
        pg = open_page(reader, edition(built, lang) / "index.html")
        for (lang_, eid), expected in DATES.items():
            if lang_ != lang:
                continue
            pg.evaluate("id => mapperAtlas.go(id)", eid)
            dates = pg.evaluate("[...document.querySelectorAll('#atlas-panel-body .date, #atlas-panel-body .date-os, "
                                "#atlas-panel-body .date-local')].map(e => e.textContent).join(' | ')")
            seen[lang, eid] = [x for x in expected if x not in dates] or None
            if lang == "fa":  # the lunar date is the document's, a day from the arithmetic calendar: the note says so
                note = pg.evaluate("document.querySelector('#atlas-panel-body .date-note').textContent")
                assert "۲۸ شوال ۱۲۲۸" in note or "۶ شعبان ۱۲۴۳" in note
    assert all(v is None for v in seen.values()), seen


def test_the_switch_keeps_the_step_and_is_reachable_by_keyboard(reader, built):
    pg = open_page(reader, built / "fa" / "index.html", "#turkmenchay-1828")
    links = pg.evaluate("""[...document.querySelectorAll('#atlas-editions a')].map(
        a => [a.textContent, a.lang, a.hreflang, a.getAttribute('href')])""")
    assert links == [["English", "en", "en", "../index.html#turkmenchay-1828"],
                     ["Русский", "ru", "ru", "../ru/index.html#turkmenchay-1828"]]
    for _ in range(12):  # by keyboard: Tab to the Russian link, Enter
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.hreflang") == "ru":
            break
    assert pg.evaluate("document.activeElement.hreflang") == "ru"
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    pg.wait_for_function("window.mapperAtlas !== undefined")
    assert pg.evaluate("[document.documentElement.lang, mapperAtlas.current()]") == ["ru", "turkmenchay-1828"]
    assert pg.evaluate("document.querySelector('#atlas-event-title').textContent") == "Туркманчайский мирный договор"
    # stepping rewrites the links: the Persian one now opens the next step
    nxt = pg.evaluate("mapperAtlas.next()")
    assert pg.evaluate("document.querySelector('#atlas-editions a[hreflang=fa]').getAttribute('href')") == \
        f"../fa/index.html#{nxt}"
    # a per-event map links the same event's map in the other editions, on the map
    pg = open_page(reader, built / "fa" / "maps" / "gulistan-1813.html")
    hrefs = pg.evaluate("[...document.querySelectorAll('.leaflet-control #atlas-editions a')].map(a => a.getAttribute('href'))")
    assert hrefs == ["../../maps/gulistan-1813.html", "../../ru/maps/gulistan-1813.html"]
    pg.click("#atlas-editions a[hreflang=ru]")
    pg.wait_for_function("window.mapperAtlas !== undefined")
    assert pg.evaluate("[document.documentElement.lang, mapperAtlas.current()]") == ["ru", "gulistan-1813"]
    assert reader.errors == []


def test_labels_do_not_overlap_in_the_right_to_left_edition(reader, built):
    pg = open_page(reader, built / "fa" / "index.html")
    problems, shown = {}, 0
    for eid in ("gulistan-1813", "turkmenchay-1828", "akhal-1881", "anglo-russian-convention-1907",
                "anglo-soviet-invasion-1941", "soviet-dissolution-1991"):
        assert pg.evaluate("id => mapperAtlas.go(id)", eid), eid
        seen = pg.evaluate(LABEL_BOXES)
        shown += len(seen["labels"])
        if p := label_problems(seen):
            problems[eid] = p
    assert problems == {} and shown > 6
    # the labels on the map are Persian (the map stays left to right, its text does not)
    texts = " ".join(label["text"] for label in seen["labels"])
    assert share(ARABIC, texts) > 0.9


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (npm ci)")
def test_axe_core_finds_no_moderate_or_worse_violation_in_the_right_to_left_edition(reader, built):
    # Persian: its own direction, font and layout (the Russian edition is the English page in other words)
    pg = open_page(reader, built / "fa" / "index.html", "#gulistan-1813")
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    assert [v for v in result if v["impact"] in ("moderate", "serious", "critical")] == []
