"""The page fits its frame and starts light: labels kept at Gulistan, a tiny embed's title clear of the labels,
place names centred on their dots, numbers and plurals as Intl would write them but without Intl.

Each page is loaded once and checked for many things (the suite must stay quick).
"""
from __future__ import annotations

import pytest

#: Counts the Intl objects a page makes (none: the first one costs the start a quarter second on a slow phone).
COUNT_INTL = """(() => { window.__intl = 0;
  for (const k of ["NumberFormat", "PluralRules", "DateTimeFormat", "Collator"]) {
    const C = Intl[k];
    Intl[k] = new Proxy(C, { construct(t, a) { window.__intl++; return new t(...a); } });
  } })();"""

#: The page's number and plural functions against Intl's, for the page's language.
NUMBERS = """(lang) => { const U = MapperAtlas.util, before = window.__intl, bad = [];
  const nf = new Intl.NumberFormat(lang, {maximumFractionDigits: 0}), pr = new Intl.PluralRules(lang);
  const forms = {};  // the "units" message's forms, read back through tn with a marker count
  for (const n of [0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1000, 1234, 12345, 126469, 1234567]) {
    if (U.fmt(n) !== nf.format(n)) bad.push(["fmt", n, U.fmt(n), nf.format(n)]);
    const text = U.tn("units", n), cat = pr.select(n);
    (forms[cat] = forms[cat] || new Set()).add(text.replace(U.fmt(n), "#"));
  }
  for (const [cat, set] of Object.entries(forms)) if (set.size !== 1) bad.push(["plural", cat, [...set]]);
  return {bad, cats: Object.keys(forms).sort(), madeBefore: before}; }"""

#: The change labels, the title box and the controls, as drawn.
BOXES = """() => { const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const shown = e => !e.classList.contains("dropped") && getComputedStyle(e).visibility !== "hidden" && e.getBoundingClientRect().width > 0;
  const labels = [...document.querySelectorAll(".change-label-box")];
  return {labels: labels.map(e => ({text: e.querySelector(".verb").textContent, shown: shown(e), box: r(e)})),
          controls: [...document.querySelectorAll(".leaflet-control")].filter(e => e.getBoundingClientRect().width > 0).map(r),
          title: document.querySelector(".atlas-title") ? r(document.querySelector(".atlas-title")) : null,
          map: r(document.querySelector(".atlas-map"))}; }"""


def _overlap(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def _open(browser, url, size, lang="en"):
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, reduced_motion="reduce", locale=lang)
    ctx.route("https://**/*", lambda r: r.abort())
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.add_init_script(COUNT_INTL)
    pg.goto(url)
    pg.wait_for_function("window.mapperAtlas !== undefined")
    return ctx, pg, errors


def test_the_atlas_starts_without_intl_keeps_gulistans_labels_and_centres_place_names(built, browser):
    ctx, pg, errors = _open(browser, (built / "index.html").as_uri(), (1440, 900))
    try:
        assert pg.evaluate("window.__intl") == 0  # the first step is drawn without an Intl object
        pg.evaluate("mapperAtlas.go('gulistan-1813')")
        assert pg.evaluate("window.__intl") == 0  # nor does a step make one
        boxes = pg.evaluate(BOXES)
        # the three labels of Gulistan (the conquests recognised, Dagestan ceded, western Georgia's claim
        # renounced) all stand on the map, none over another or a control
        assert [lab["shown"] for lab in boxes["labels"]] == [True, True, True], boxes["labels"]
        shown = [lab["box"] for lab in boxes["labels"]]
        assert not any(_overlap(a, b) for i, a in enumerate(shown) for b in shown[i + 1:])
        assert not any(_overlap(a, c) for a in shown for c in boxes["controls"])
        # a permanent place name (capitals, the event's place) is centred on its dot, without measuring itself
        offsets = pg.evaluate("""() => [...document.querySelectorAll('.leaflet-tooltip.place-label')]
            .filter(t => !t.classList.contains('dropped') && !t.classList.contains('off') && t.getBoundingClientRect().height && !t.style.translate)
            .map(t => { const b = t.getBoundingClientRect(); return b.top + b.height / 2; })""")
        dots = pg.evaluate("""() => { const m = mapperAtlas.map, c = m.getContainer().getBoundingClientRect(), out = [];
            m.eachLayer(l => { const tt = l.getTooltip && l.getTooltip(); const el = tt && tt.options.permanent && tt.getElement();
              if (el && !el.classList.contains('dropped') && !el.classList.contains('off') && el.getBoundingClientRect().height && !el.style.translate)
                out.push(c.top + m.latLngToContainerPoint(l.getLatLng()).y); });
            return out; }""")
        assert len(offsets) >= 3 and sorted(round(o) for o in offsets) == pytest.approx(sorted(round(d) for d in dots), abs=2)
        # the panel's Wikipedia links are written from their titles: the data's addresses
        hrefs = pg.eval_on_selector_all(".event-sources a", "as => as.map(a => a.href)")
        assert "https://en.wikipedia.org/wiki/Treaty_of_Gulistan" in hrefs
        numbers = pg.evaluate(NUMBERS, "en")
        assert numbers["bad"] == [] and numbers["cats"] == ["one", "other"] and numbers["madeBefore"] == 0
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_an_edition_writes_its_numbers_and_plurals_as_intl_does(built, browser, lang):
    ctx, pg, errors = _open(browser, (built / lang / "index.html").as_uri(), (1280, 800), lang)
    try:
        pg.evaluate("mapperAtlas.go('turkmenchay-1828')")
        numbers = pg.evaluate(NUMBERS, lang)
        assert numbers["bad"] == [] and numbers["madeBefore"] == 0
        assert numbers["cats"] == (["one", "other"] if lang == "fa" else ["few", "many", "one"])
        moved = pg.text_content("#atlas-panel .territory .moved")
        assert ("۰" in moved or "۱" in moved or "۲" in moved or "۳" in moved) if lang == "fa" else "\u00a0" in moved
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("size", [(320, 240), (600, 400)])
def test_an_embeds_title_leaves_its_change_labels_in_view(built, browser, size):
    ctx, pg, errors = _open(browser, (built / "maps" / "gulistan-1813.html").as_uri(), size)
    try:
        boxes = pg.evaluate(BOXES)
        shown = [lab["box"] for lab in boxes["labels"] if lab["shown"]]
        assert len(shown) >= 2  # at the least the conquests recognised and Dagestan ceded
        m = boxes["map"]
        assert all(m[0] <= b[0] and b[2] <= m[2] and m[1] <= b[1] and b[3] <= m[3] for b in shown)  # none cut by the edge
        assert not any(_overlap(b, c) for b in shown for c in boxes["controls"])  # the title box is a control
        assert not any(_overlap(a, b) for i, a in enumerate(shown) for b in shown[i + 1:])
        title = boxes["title"]
        assert title and title[2] <= m[2] + 0.5  # the title box stays inside the frame
        if size == (320, 240):  # a tiny map: the title on one line and one date, a fifth of the height at most
            assert title[3] - title[1] <= 0.2 * size[1]
            assert pg.is_visible(".atlas-title .date-short") and not pg.is_visible(".atlas-title .moved")
        else:
            assert pg.is_visible(".atlas-title .moved") and not pg.is_visible(".atlas-title .date-short")
        assert errors == []
    finally:
        ctx.close()


#: A shape's outline and screen box, and how wide its hatch and stroke are on screen (fixedsvg.js).
SHAPE = """(sel) => { const p = document.querySelector(sel), b = p.getBoundingClientRect(), m = p.getScreenCTM();
  const fill = (p.getAttribute('fill').match(/^url\\(#(.+)\\)$/) || [])[1], pat = fill && document.getElementById(fill);
  const k = pat ? pat.patternTransform.baseVal.consolidate().matrix.a : null;
  return {d: p.getAttribute('d'), box: [b.left, b.top, b.width, b.height], scale: m.a,
          hatch: pat ? +pat.getAttribute('width') * k * m.a : null, stroke: getComputedStyle(p).vectorEffect}; }"""


def test_a_zoom_or_pan_moves_the_drawn_shapes_without_drawing_them_again(built, browser):
    """The shapes are drawn once (their outlines never rewritten): a zoom or pan only moves and scales them,
    with strokes and hatches as wide on screen at every zoom, and the shape under the pointer still found."""
    ctx, pg, errors = _open(browser, (built / "index.html").as_uri(), (1440, 900))
    try:
        pg.evaluate("mapperAtlas.go('derbent-quba-1806')")  # Russia hatched, Persia's claims hatched and dashed
        sels = ['path[data-unit="derbent"]', 'path.claim[data-claim="ganja"]', "path.sea"]
        first = {s: pg.evaluate(SHAPE, s) for s in sels}
        z = pg.evaluate("mapperAtlas.map.getZoom()")
        pg.evaluate("() => new Promise(r => { const m = mapperAtlas.map; m.once('zoomend', () => setTimeout(r, 50)); m.setZoom(m.getZoom() + 1, {animate: true}); })")
        assert pg.evaluate("mapperAtlas.map.getZoom()") == z + 1  # an animated zoom (Leaflet's own) ...
        zoomed = {s: pg.evaluate(SHAPE, s) for s in sels}
        pg.evaluate("mapperAtlas.map.panBy([-150, 90], {animate: false})")  # ... and a pan
        panned = {s: pg.evaluate(SHAPE, s) for s in sels}
        for s in sels:
            a, b, c = first[s], zoomed[s], panned[s]
            assert a["d"] == b["d"] == c["d"], s  # never drawn again
            assert b["scale"] == pytest.approx(2 * a["scale"]), s  # but twice the size on screen
            assert b["box"][2] == pytest.approx(2 * a["box"][2], rel=0.02), s
            assert c["box"][0] == pytest.approx(b["box"][0] + 150, abs=1) and c["box"][1] == pytest.approx(b["box"][1] - 90, abs=1), s
            assert a["stroke"] == "non-scaling-stroke", s  # a border as thin at every zoom
        for s in sels[:2]:  # a hatch as wide on screen at every zoom (its pattern scaled against the shape's)
            assert first[s]["hatch"] and first[s]["hatch"] == pytest.approx(zoomed[s]["hatch"]) == pytest.approx(panned[s]["hatch"])
        # the legend's swatches keep their own copy of a hatch, which no zoom scales
        swatch = pg.evaluate("""() => { const r = document.querySelector('.atlas-legend svg.swatch [fill^="url(#claim-"]');
            const id = r.getAttribute('fill').slice(5, -1), p = document.getElementById(id);
            return [id, p.getAttribute('patternTransform')]; }""")
        assert swatch[0].endswith("-key") and "scale" not in (swatch[1] or "")
        # the pointer still finds the shapes where they are drawn (a unit's tooltip from its middle)
        box = panned[sels[0]]["box"]
        hit = pg.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y); return e.closest('path') && e.closest('path').dataset.unit; }",
                          [box[0] + box[2] / 2, box[1] + box[3] / 2])
        assert hit == "derbent"
        assert errors == []
    finally:
        ctx.close()
