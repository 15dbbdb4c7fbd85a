"""Nothing injected runs: script payloads in every text field show as text in HTML, popups and SVG."""
from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from conftest import GEODATA, run_cli, yaml_dump, yaml_load

import mapper
from mapper.figures.files import save_figure
from mapper.geodata.translations import TRANSLATED_LANGUAGES as TRANSLATED

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">{{ 7*7 }}&amp;'


def tag(field: str) -> str:
    return f"[{field}]{PAYLOAD}"


FIGURES = ("territory", "anglo-russian-convention-1907", "soviet-dissolution-1991")


def poison_translations(path, lang):
    """Put the payload before every text of a translations file; key the polities by their poisoned names.

    The holders section is keyed by English names the poisoning changed, so it goes (a missing
    translation shows the English, which is poisoned too).
    """
    doc = yaml_load(path.read_text(encoding="utf-8"))

    def poison(value, where):
        if isinstance(value, str):
            return tag(where) + value
        if isinstance(value, list):
            return [poison(v, where) for v in value]
        if isinstance(value, dict):
            return {k: poison(v, where) for k, v in value.items()}
        return value

    doc["polities"] = {tag("polity") + k: poison(v, f"{lang}-polity") for k, v in doc["polities"].items()}
    doc.pop("holders", None)
    for section in ("baseline", "units", "zones", "places", "events"):
        if section in doc:
            doc[section] = poison(doc[section], f"{lang}-{section}")
    for event in doc.get("events", {}).values():  # events.yaml gained a poisoned first party
        if "parties" in event:
            event["parties"] = [tag(f"{lang}-party")] + event["parties"]
    path.write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    """A copy of the geodata with the payload in every text field, and a full build of it."""
    root = tmp_path_factory.mktemp("poisoned")
    geo = root / "geodata"
    shutil.copytree(GEODATA, geo)
    doc = yaml_load((geo / "events.yaml").read_text(encoding="utf-8"))
    for p in doc["polities"]["persia"] + doc["polities"]["russia"]:
        p["name"] = tag("polity") + p["name"]
    doc["baseline"]["holders"]["western-georgia"]["name"] = tag("baseline-name")
    for e in doc["events"]:
        e["title"] = tag("title") + e["title"]
        e["summary"] = tag("summary") + e["summary"]
        e["parties"] = [tag("party")] + list(e.get("parties", []))
        e["date_note"] = tag("date-note")
        e["sources"] = [{"title": tag("source"), "url": "https://example.org/?a=1&b=%3Cx%3E"}] + e["sources"]
        for eff in e.get("effects", []):
            if "transfer" in eff:
                eff["note"] = tag("effect-note")
                if eff["to"] == "other":
                    eff["to_name"] = tag("to-name")
    (geo / "events.yaml").write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    for layer in ("units", "zones"):
        d = json.loads((geo / f"{layer}.geojson").read_text(encoding="utf-8"))
        for f in d["features"]:
            p = f["properties"]
            p["name"] = tag(f"{layer}-name") + p["name"]
            p["name_fa"] = tag(f"{layer}-fa")
            p["name_ru"] = tag(f"{layer}-ru")
            p["derivation"] = tag(f"{layer}-derivation") + p["derivation"]
            p["sources"] = [tag(f"{layer}-source")] + p["sources"]
        (geo / f"{layer}.geojson").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")

    places = yaml_load((geo / "places.yaml").read_text(encoding="utf-8"))
    for p in places["places"]:
        p["name"] = tag("place-name") + p["name"]
        p["name_fa"] = tag("place-fa")
        p["name_ru"] = tag("place-ru")
        p["note"] = tag("place-note")
        p["sources"] = [tag("place-source")]
        for r in p.get("roles", []):
            r["note"] = tag("role-note")
            if r["role"] != "signing":
                r["of"] = tag("role-of")
    (geo / "places.yaml").write_text(yaml_dump(places, allow_unicode=True, sort_keys=False), encoding="utf-8")

    for lang in TRANSLATED:
        poison_translations(geo / "translations" / f"{lang}.yaml", lang)

    out = root / "outputs"
    r = run_cli("build", "--no-figures", "--geodata", geo, "--out", out)
    assert r.returncode == 0, r.stderr
    # The figures that show the most text from the data (every title in the chart; a map's title, summary,
    # sources, holders, zones and places), as SVG, the format whose text is markup; in English and Persian.
    atlas = mapper.load(geo)
    for lang, folder in (("en", out / "figures"), ("fa", out / "fa" / "figures")):
        folder.mkdir(parents=True, exist_ok=True)
        for name in FIGURES:
            save_figure(atlas, name, folder / f"{name}.svg", fmt="svg", lang=lang)
    return out


def popup_text(page) -> str:
    """The text of the one open popup (a closed one fades out for 200 ms first), its disclosures opened."""
    page.wait_for_function("document.querySelectorAll('.leaflet-popup-content').length === 1")
    page.evaluate("document.querySelectorAll('.leaflet-popup-content details').forEach(d => { d.open = true; })")
    return page.locator(".leaflet-popup-content").inner_text()


def no_script_ran(page):
    assert page.evaluate("window.__xss") is None
    assert page.errors == [] and page.blocked == []


def test_atlas_shows_payloads_as_text_and_runs_none(page, poisoned):
    page.goto((poisoned / "index.html").as_uri())
    page.wait_for_function("window.mapperAtlas && document.querySelectorAll('path[data-unit]').length > 0")
    # every step, in one round trip: the page's text and the range's spoken value (aria-valuetext), and
    # whether anything ran by then
    shown = page.evaluate("""() => mapperAtlas.events.map(id => { mapperAtlas.go(id);
        return [id, document.body.textContent, document.getElementById('atlas-range').getAttribute('aria-valuetext'),
                window.__xss === undefined]; })""")
    for eid, panel, spoken, clean in shown:
        for field in ("title", "summary", "party", "date-note", "source"):
            assert tag(field) in panel, (eid, field)
        assert tag("title") in spoken and clean, eid
    no_script_ran(page)
    page.evaluate("mapperAtlas.go('soviet-dissolution-1991')")
    panel = page.locator("body").text_content()  # (the panel's sections out of view are not laid out)
    assert tag("to-name") in panel and tag("effect-note") in panel and tag("polity") in panel
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    # the language switch (the other editions), the event's figure and its data: the build's own files
    switch = re.compile(r"(fa|ru)/index\.html#soviet-dissolution-1991|figures/soviet-dissolution-1991\.png"
                        r"|data/slices/soviet-dissolution-1991\.geojson")
    assert hrefs and all(h.startswith(("https://", "http://", "#")) or switch.fullmatch(h) for h in hrefs), hrefs


POPUPS = [  # (step, the path clicked, the fields its popup must show literally)
    ("anglo-russian-convention-1907", 'path[data-unit="gilan"]',
     ("units-name", "units-fa", "units-ru", "units-derivation", "units-source", "polity")),
    ("anglo-russian-convention-1907", 'path[data-zone="neutral-zone-1907"]', ("zones-name", "zones-derivation")),
    ("anglo-russian-convention-1907", 'path[data-place="tehran"]',
     ("place-name", "place-fa", "place-ru", "role-of", "role-note", "place-source")),
    ("first-embassy-1521", 'path[data-unit="western-georgia"]', ("baseline-name",)),  # held by its baseline 'other'
]


def test_popups_show_payloads_as_text(page, poisoned):
    page.goto((poisoned / "index.html").as_uri() + "#anglo-russian-convention-1907")
    page.wait_for_function("window.mapperAtlas && document.querySelectorAll('path[data-unit]').length > 0")
    for step, selector, fields in POPUPS:
        page.evaluate("id => { mapperAtlas.map.closePopup(); mapperAtlas.go(id); }", step)
        page.locator(selector).dispatch_event("click")
        text = popup_text(page)
        for field in fields:
            assert tag(field) in text, (selector, field)
    no_script_ran(page)


def test_event_maps_run_nothing(page, poisoned):
    for name in ("gulistan-1813.html", "soviet-dissolution-1991.html", "anglo-russian-convention-1907.html"):
        head = (poisoned / "maps" / name).read_text(encoding="utf-8").split("</title>")[0]
        assert "<title>[title]&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x" in head  # escaped in the head too
        page.goto((poisoned / "maps" / name).as_uri())
        page.wait_for_function("document.querySelectorAll('path[data-unit]').length > 0")
        assert tag("title") in page.locator("body").inner_text()
        no_script_ran(page)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_editions_show_translated_payloads_as_text_and_run_none(page, poisoned, lang):
    page.goto((poisoned / lang / "index.html").as_uri() + "#gulistan-1813")
    page.wait_for_function("window.mapperAtlas && document.querySelectorAll('path[data-unit]').length > 0")
    for eid in page.evaluate("mapperAtlas.events")[::6]:  # the same code as English, which checks every step
        page.evaluate("id => mapperAtlas.go(id)", eid)
        assert tag(f"{lang}-events") in page.locator("body").inner_text(), eid  # the edition's texts, as text
        no_script_ran(page)
    page.locator('path[data-unit="gilan"]').dispatch_event("click")
    assert tag(f"{lang}-polity") in popup_text(page)
    no_script_ran(page)


def test_svg_figures_carry_no_markup_from_the_data(poisoned):
    svgs = sorted((poisoned / "figures").glob("*.svg")) + sorted((poisoned / "fa" / "figures").glob("*.svg"))
    assert len(svgs) == 2 * len(FIGURES)
    fa = [svg for svg in svgs if svg.parent.parent.name == "fa"]
    assert all("[fa-" in html.unescape(svg.read_text(encoding="utf-8")) for svg in fa)  # Persian texts, as text
    for svg in svgs:
        root = ET.parse(svg).getroot()  # well-formed XML: the payload did not break out of its text
        for el in root.iter():
            assert not el.tag.endswith("}script") and not el.tag.endswith("}foreignObject"), svg.name
            assert not any(k.lower().startswith("on") for k in el.attrib), svg.name
        text = svg.read_text(encoding="utf-8")
        assert "<script>window" not in text and "<img " not in text
