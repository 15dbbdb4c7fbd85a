"""The atlas on every screen and for every reader: desktop, tablet portrait and phone (touch), keyboard,
screen reader, broken links, labels, embeds, axe-core.

Each test opens the real atlas in headless Chromium at the sizes readers use (1440×900, 820×1180,
390×844 with touch) with the network blocked, and checks what the reader gets.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from mapper.timeline import steps

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"desktop": (1440, 900, False), "tablet": (820, 1180, True), "phone": (390, 844, True)}
EMBEDS = ((600, 400), (320, 240))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(en_site):
    return en_site


@pytest.fixture(scope="module", params=list(SIZES))
def screen_page(request, browser):
    """A page at one of the three sizes (tablet and phone with touch), reduced motion, network blocked:
    one browser context per size for the module (pytest runs the tests of one size together)."""
    w, h, touch = SIZES[request.param]
    context = browser.new_context(viewport={"width": w, "height": h}, has_touch=touch, is_mobile=touch and w < 500,
                                  reduced_motion="reduce")
    context.route("http://**/*", lambda r: r.abort())
    context.route("https://**/*", lambda r: r.abort())
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.size_name = request.param  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture
def screen(screen_page):
    """The size's page for one test: its errors so far cleared (each test opens the atlas afresh)."""
    screen_page.errors.clear()
    return screen_page


def open_atlas(pg, site: Path, hash_: str = ""):
    """Load the atlas afresh (a page at the same address would only change its hash)."""
    if pg.url != "about:blank":
        pg.goto("about:blank")
    pg.goto((site / "index.html").as_uri() + hash_)
    pg.wait_for_function("window.mapperAtlas !== undefined")
    return pg


# Every label's box, the map's frame and the controls' boxes, as the reader sees them.
LABEL_BOXES = """() => {
  const frame = document.querySelector('#map_atlas').getBoundingClientRect();
  const visible = el => { const s = getComputedStyle(el), r = el.getBoundingClientRect();
                          return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const labels = [...document.querySelectorAll('.change-label-box, .leaflet-tooltip.place-label')].filter(visible)
    .map(el => ({text: el.innerText.replace(/\\n/g, ' '), box: box(el)}));
  const controls = [...document.querySelectorAll('#map_atlas .leaflet-control')].filter(visible).map(box);
  // each leader line drawn: from its holder's corner, its width long, turned by its rotate(...)
  const leaders = [...document.querySelectorAll('.change-leader')].filter(el => getComputedStyle(el).display !== 'none')
    .map(el => { const h = el.parentNode.getBoundingClientRect(), len = parseFloat(el.style.width),
                       a = parseFloat(/rotate\\(([-\\d.e]+)rad\\)/.exec(el.style.transform)[1]);
                 return {text: el.parentNode.innerText.replace(/\\n/g, ' '),
                         line: [h.left, h.top, h.left + len * Math.cos(a), h.top + len * Math.sin(a)]}; });
  // the event's place: its ring's centre, and the change labels over it
  const ring = [...document.querySelectorAll('#map_atlas path.event-place')].map(box)[0];
  const at = ring && [(ring[0] + ring[2]) / 2, (ring[1] + ring[3]) / 2];
  const covering = at ? [...document.querySelectorAll('.change-label-box')].filter(visible).map(el => ({text: el.innerText, box: box(el)}))
    .filter(l => l.box[0] <= at[0] && at[0] <= l.box[2] && l.box[1] <= at[1] && at[1] <= l.box[3]).map(l => l.text) : [];
  return {frame: [frame.left, frame.top, frame.right, frame.bottom], labels, controls, leaders, covering};
}"""


def overlap(a, b, slack=0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def crosses(line, box) -> bool:
    """Does the segment ``line`` (x0, y0, x1, y1) pass through ``box`` or come within 2 px of it? (A leader that
    ends on another label reads as pointing at it: Gulistan's "Claim renounced" ended on "Conquest recognised".)"""
    import shapely

    return shapely.LineString([line[:2], line[2:]]).distance(shapely.box(*box)) < 2


def meet(a, b) -> bool:
    """Do the segments ``a`` and ``b`` (x0, y0, x1, y1) cross or touch? (Two leaders along one line read as one.)"""
    import shapely

    return shapely.LineString([a[:2], a[2:]]).distance(shapely.LineString([b[:2], b[2:]])) < 1


def label_problems(seen: dict) -> list[str]:
    f, labels, out = seen["frame"], seen["labels"], []
    out += [f"covers the event's place: {text!r}" for text in seen.get("covering", [])]
    leaders = seen.get("leaders", [])
    for n, lead in enumerate(leaders):  # a leader line crosses no other label, nor ends on one, nor meets another leader
        out += [f"leader of {lead['text']!r} crosses {a['text']!r}" for a in labels
                if a["text"] != lead["text"] and crosses(lead["line"], a["box"])]
        out += [f"leaders of {lead['text']!r} and {other['text']!r} meet" for other in leaders[n + 1:]
                if meet(lead["line"], other["line"])]
    for i, a in enumerate(labels):
        b = a["box"]
        if b[0] < f[0] - 0.5 or b[1] < f[1] - 0.5 or b[2] > f[2] + 0.5 or b[3] > f[3] + 0.5:
            out.append(f"cut by the map's edge: {a['text']!r}")
        for c in seen["controls"]:
            if overlap(b, c):
                out.append(f"under a control: {a['text']!r}")
        for other in labels[i + 1:]:
            if overlap(b, other["box"]):
                out.append(f"overlap: {a['text']!r} / {other['text']!r}")
    return out


def test_no_label_overlaps_another_or_is_cut_or_hidden_on_any_step(screen, site, atlas):
    open_atlas(screen, site)
    # every step in turn and what it shows, in one round trip (a step places its labels before it returns)
    seen_by_step = screen.evaluate("ids => ids.map(id => { mapperAtlas.go(id); return (" + LABEL_BOXES + ")(); })",
                                   [st.event.id for st in steps(atlas)])
    problems = {st.event.id: p for st, seen in zip(steps(atlas), seen_by_step) if (p := label_problems(seen))}
    assert problems == {}
    assert sum(len(seen["labels"]) for seen in seen_by_step) > len(steps(atlas))  # labels are drawn, not all dropped
    assert screen.errors == []


@pytest.mark.parametrize("size", EMBEDS)
def test_embedded_maps_place_their_labels_clear_of_each_other_and_the_controls(browser, site, atlas, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.route("https://**/*", lambda r: r.abort())
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        problems = {}
        for eid in ("gulistan-1813", "turkmenchay-1828", "anglo-russian-convention-1907", "soviet-dissolution-1991"):
            pg.goto((site / "maps" / f"{eid}.html").as_uri())
            pg.wait_for_function("window.mapperAtlas !== undefined")
            seen = pg.evaluate(LABEL_BOXES)
            p = label_problems(seen)
            # and the controls (zoom, reset, layers, title, legend, attribution) do not cover each other
            cs = seen["controls"]
            p += [f"controls overlap: {a} / {b}" for i, a in enumerate(cs) for b in cs[i + 1:] if overlap(a, b)]
            if p:
                problems[eid] = p
        assert problems == {} and errors == []
    finally:
        context.close()


def test_a_step_brings_the_changed_land_into_view(screen, site, atlas):
    open_atlas(screen, site)
    # zoom far in on the south-east, far from the Caucasus
    screen.evaluate("void mapperAtlas.map.setView([27.2, 60.6], 7, {animate: false})")  # void: not the map object back
    screen.evaluate("mapperAtlas.go('turkmenchay-1828')")
    inside = screen.evaluate("""() => {
      const m = mapperAtlas.map, v = m.getBounds();
      return [...document.querySelectorAll('path.unit.changed')].map(p => p.dataset.unit).length > 0 &&
        mapperAtlas.state() && ['erivan', 'nakhchivan'].every(id => {
          const layer = Object.values(m._layers).find(l => l.getElement && l.getElement() &&
                                                            l.getElement().dataset && l.getElement().dataset.unit === id);
          return v.contains(layer.getBounds());
        });
    }""")
    assert inside
    # the reset button shows the whole map again
    screen.click(".atlas-reset button")
    assert screen.evaluate("mapperAtlas.map.getZoom()") < 7
    assert screen.errors == []


def test_keyboard_reaches_next_at_once_and_arrows_work_from_load(screen, site, atlas):
    ids = [e.id for e in atlas.events]
    open_atlas(screen, site)
    # the skip link comes first and is visible when focused
    screen.keyboard.press("Tab")
    assert screen.evaluate("document.activeElement.className") == "skip-link"
    assert screen.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    # the focus ring is at least 2 px wide
    screen.keyboard.press("Tab")
    screen.keyboard.press("Tab")
    ring = screen.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert ring[0] != "none" and ring[1] >= 2
    # Next within four presses from load
    presses = 3
    while screen.evaluate("document.activeElement.id") != "atlas-next" and presses < 5:
        screen.keyboard.press("Tab")
        presses += 1
    assert screen.evaluate("document.activeElement.id") == "atlas-next" and presses <= 4
    # arrow keys with nothing focused, as at load (the step is still the first: Tab moved only the focus)
    assert screen.evaluate("document.activeElement.blur(), document.activeElement === document.body")
    assert screen.evaluate("mapperAtlas.current()") == ids[0]
    screen.keyboard.press("ArrowRight")
    assert screen.evaluate("mapperAtlas.current()") == ids[1]
    # no map shape is in the tab order
    focusable = screen.evaluate("""[...document.querySelectorAll('#map_atlas path, #map_atlas .leaflet-marker-icon')]
        .filter(e => e.tabIndex >= 0 || e.getAttribute('tabindex') !== null).length""")
    assert focusable == 0
    assert screen.errors == []


def test_the_live_region_tells_who_what_and_how_much(screen, site, atlas):
    open_atlas(screen, site, "#gulistan-1813")
    screen.evaluate("mapperAtlas.go('turkmenchay-1828')")
    live = screen.inner_text("#atlas-live")
    st = next(s for s in steps(atlas) if s.event.id == "turkmenchay-1828")
    assert "Treaty of Turkmenchay" in live and "Ceded to Russian Empire" in live
    assert f"{round(sum(c.km2 for c in st.transfers)):,} km²" in live
    assert screen.get_attribute("#atlas-live", "aria-live") == "polite"


def test_a_step_scrolls_the_panel_back_to_its_top(screen, site, atlas):
    open_atlas(screen, site, "#gulistan-1813")
    scrollable = screen.evaluate("(() => { const p = document.getElementById('atlas-panel'); return p.scrollHeight > p.clientHeight; })()")
    if not scrollable:  # one column: the page scrolls, not the panel
        assert screen.size_name in ("phone", "tablet")
        return
    screen.evaluate("document.getElementById('atlas-panel').scrollTop = 900")
    screen.evaluate("mapperAtlas.next()")
    assert screen.evaluate("document.getElementById('atlas-panel').scrollTop") == 0


@pytest.mark.parametrize("bad", ["#%", "#nope", "#%E0%A4%A"])
def test_broken_hashes_leave_a_working_page_with_a_message(page, site, atlas, bad):
    open_atlas(page, site, bad)
    assert page.evaluate("mapperAtlas.current()") == atlas.events[0].id
    notice = page.locator("#atlas-notice")
    assert notice.is_visible() and "names no event" in notice.inner_text()
    page.click("#atlas-next")  # the page works, and the message goes with the next step
    assert page.evaluate("mapperAtlas.current()") == atlas.events[1].id
    assert not notice.is_visible()
    assert page.errors == []


def test_a_later_hash_that_names_no_event_keeps_the_step_and_says_so(page, site):
    open_atlas(page, site, "#turkmenchay-1828")
    page.evaluate("location.hash = '#nope'")
    notice = page.locator("#atlas-notice")
    notice.wait_for(state="visible")
    assert "names no event" in notice.inner_text() and "nope" in notice.inner_text()
    assert "first event" not in notice.inner_text()  # it is not shown: the step stays
    assert page.evaluate("mapperAtlas.current()") == "turkmenchay-1828"
    assert page.errors == []


def test_the_list_of_events_links_to_every_step(page, site, atlas):
    open_atlas(page, site)
    links = page.eval_on_selector_all("#atlas-toc a", "as => as.map(a => a.getAttribute('href'))")
    assert links == ["#" + e.id for e in atlas.events]
    page.click("#atlas-toc summary")
    page.click('#atlas-toc a[href="#turkmenchay-1828"]')
    page.wait_for_function("mapperAtlas.current() === 'turkmenchay-1828'")
    assert page.get_attribute('#atlas-toc a[href="#turkmenchay-1828"]', "aria-current") == "step"


def test_the_timeline_spaces_events_by_time_without_overlapping_labels(screen, site, atlas):
    open_atlas(screen, site)
    for eid in ("rus-caspian-expedition-913", "shuragel-1805", "soviet-dissolution-1991"):
        screen.evaluate("id => mapperAtlas.go(id)", eid)
        boxes = screen.evaluate("""[...document.querySelectorAll('#atlas-ticks .tick.labelled .tick-label')]
            .map(l => { const r = l.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
        assert len(boxes) >= 3
        assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        assert screen.evaluate("document.querySelector('#atlas-ticks .tick.current').classList.contains('labelled')")
        # the current tick stands under the range's thumb (18 px, 28 px on touch), and no break shows through it
        thumb, mark, breaks = screen.evaluate("""() => {
            const r = document.getElementById('atlas-range'), b = r.getBoundingClientRect();
            const size = parseFloat(getComputedStyle(r).getPropertyValue('--thumb'));
            const centre = el => { const q = el.getBoundingClientRect(); return (q.left + q.right) / 2; };
            return [[b.left + size / 2 + (b.width - size) * r.value / r.max, size],
                    centre(document.querySelector('#atlas-ticks .tick.current .tick-mark')),
                    [...document.querySelectorAll('#atlas-ticks .tick-break')]
                      .filter(x => getComputedStyle(x).visibility !== 'hidden').map(centre)]; }""")
        assert thumb[1] == (28 if screen.size_name != "desktop" else 18)
        assert abs(mark - thumb[0]) < 1.5, (eid, mark, thumb)
        assert all(abs(x - thumb[0]) >= thumb[1] / 2 for x in breaks), (eid, breaks, thumb)
    xs = screen.evaluate("""Object.fromEntries([...document.querySelectorAll('#atlas-ticks .tick')]
        .map(t => [t.dataset.event, t.getBoundingClientRect().left]))""")
    # 1945 -> 1946 is closer than 1921 -> 1941, and the 608 years after 913 are shortened with a break
    assert xs["mahabad-republic-1946"] - xs["azerbaijan-peoples-government-1945"] < xs["anglo-soviet-invasion-1941"] - xs["gilan-republic-falls-1921"]
    assert screen.locator("#atlas-ticks .tick-break").count() >= 1


def test_touch_one_finger_scrolls_the_page_not_the_map(screen, site):
    if screen.size_name == "desktop":
        pytest.skip("a mouse drags the map")
    open_atlas(screen, site)
    assert screen.evaluate("mapperAtlas.map.dragging.enabled()") is False
    assert screen.evaluate("getComputedStyle(document.getElementById('map_atlas')).touchAction") != "none"
    # 44 px touch targets
    for sel in ("#atlas-prev", "#atlas-next", "#atlas-play", "#atlas-range", ".atlas-reset button", ".atlas-fullscreen button",
                ".leaflet-control-zoom-in"):
        box = screen.locator(sel).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, sel
    screen.tap("#map_atlas", position={"x": 200, "y": 200})  # a tap lets one finger move the map
    assert screen.evaluate("mapperAtlas.map.dragging.enabled()") is True


def test_the_map_fills_its_frame_with_land_or_sea(screen, site):
    open_atlas(screen, site)
    sea = screen.evaluate("getComputedStyle(document.querySelector('.leaflet-container')).backgroundColor")
    from mapper.style import SEA

    assert sea == "rgb({}, {}, {})".format(*(int(SEA[i:i + 2], 16) for i in (1, 3, 5)))


def test_step_and_ready_events_for_host_pages(page, site):
    page.add_init_script("""window.__steps = []; window.__ready = 0;
        window.addEventListener('mapper:step', e => window.__steps.push([e.detail.event, e.detail.index]));
        window.addEventListener('mapper:ready', () => window.__ready++);""")
    open_atlas(page, site)
    page.evaluate("mapperAtlas.go('gulistan-1813')")
    page.click("#atlas-next")
    steps_seen = page.evaluate("window.__steps")
    assert page.evaluate("window.__ready") == 1
    ids = page.evaluate("mapperAtlas.events")
    assert steps_seen[-2:] == [["gulistan-1813", ids.index("gulistan-1813")],
                               [ids[ids.index("gulistan-1813") + 1], ids.index("gulistan-1813") + 1]]


def test_print_puts_the_map_and_the_panel_on_one_a4_page(page, site, tmp_path):
    open_atlas(page, site, "#turkmenchay-1828")
    page.emulate_media(media="print")
    page.wait_for_timeout(200)
    assert not page.locator("#atlas-timeline").is_visible()
    pdf = tmp_path / "atlas.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == 1, len(pages)
    assert "Treaty of Turkmenchay" in pages[0] and "Ceded to Russian Empire" in pages[0]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (npm ci)")
def test_axe_core_finds_no_moderate_or_worse_violation(screen, site):
    if screen.size_name == "tablet":
        pytest.skip("one markup at every size: axe runs at the widest and the narrowest (touch) layouts")
    open_atlas(screen, site, "#turkmenchay-1828")
    screen.add_script_tag(path=str(AXE))
    result = screen.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                                     where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in result if v["impact"] in ("moderate", "serious", "critical")]
    assert bad == []


def test_controls_readers_expect_full_screen_share_figure_and_data_links(browser, built, atlas):
    """Full screen, a share link (clipboard, or a selected field without it), the figure and data links;
    a link to a step zooms to its change; the view never leaves the land layer's box."""
    from mapper.figures.files import figure_events

    figured = set(figure_events(atlas))
    plain = next(e.id for e in atlas.events if e.id not in figured)
    for clipboard in (True, False):
        context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
        context.route("https://**/*", lambda r: r.abort())
        if clipboard:
            context.grant_permissions(["clipboard-read", "clipboard-write"])
        else:
            context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        try:
            open_atlas(pg, built, "#turkmenchay-1828")
            field = pg.locator("#atlas-panel .share-url")
            assert not field.is_visible()  # no empty box under the button until it is pressed
            pg.click("#atlas-panel .share-button")
            url = field.input_value()
            assert url.endswith("index.html#turkmenchay-1828") and field.is_visible()
            assert pg.evaluate("document.activeElement.value.length === document.activeElement.selectionEnd - "
                               "document.activeElement.selectionStart")
            pg.wait_for_function("document.getElementById('atlas-live').textContent.startsWith('Link')")
            live = pg.inner_text("#atlas-live")
            if clipboard:
                assert live == "Link copied." and pg.evaluate("navigator.clipboard.readText()") == url
            else:
                assert live.startswith("Link selected")
            if not clipboard:
                continue
            # the figure (drawn for an event that moved something) and the data of this event
            assert pg.get_attribute("#atlas-panel a.figure-link", "href") == "figures/turkmenchay-1828.png"
            data = pg.get_attribute("#atlas-panel a.data-link", "href")
            assert data == "data/slices/turkmenchay-1828.geojson" and (built / data).exists()
            pg.evaluate("id => mapperAtlas.go(id)", plain)
            assert pg.locator("#atlas-panel a.figure-link").count() == 0
            assert (built / pg.get_attribute("#atlas-panel a.data-link", "href")).exists()
            # full screen: the map frame alone, and back
            button = pg.locator(".atlas-fullscreen button")
            assert button.get_attribute("aria-label") == "Full screen"
            button.click()
            pg.wait_for_function("document.fullscreenElement === document.getElementById('map_atlas')")
            assert button.get_attribute("aria-label") == "Leave full screen"
            button.click()
            pg.wait_for_function("document.fullscreenElement === null")
            # the view stays inside the land layer's box at the least zoom, panned as far as it goes
            for dx, dy in ((-5000, 0), (5000, 0), (0, -5000), (0, 5000)):
                pg.evaluate("""([dx, dy]) => { const m = mapperAtlas.map; m.setZoom(0, {animate: false});
                    m.panBy([dx, dy], {animate: false}); }""", [dx, dy])
                try:  # the map pulls itself back inside its bounds (within a few seconds at most)
                    pg.wait_for_function("""() => { const m = mapperAtlas.map;
                        const box = m.options.maxBounds, v = m.getBounds(), e = 0.03;  // a pixel
                        return v.getWest() >= box.getWest() - e && v.getEast() <= box.getEast() + e &&
                               v.getSouth() >= box.getSouth() - e && v.getNorth() <= box.getNorth() + e; }""", timeout=3000)
                except PlaywrightTimeout:
                    pytest.fail(f"the view stays outside the land layer's box after panning by {(dx, dy)}")
        finally:
            context.close()
        assert errors == []


def test_a_link_to_a_step_zooms_to_its_change(screen, site, atlas):
    open_atlas(screen, site, "#turkmenchay-1828")
    view = screen.evaluate("""() => { const m = mapperAtlas.map, v = m.getBounds();
        const changed = Object.values(m._layers).filter(l => l.getElement && l.getElement() &&
                                                        l.getElement().classList.contains('changed'));
        return {zoom: m.getZoom(), min: m.getMinZoom(), n: changed.length,
                inside: changed.every(l => v.contains(l.getBounds()))}; }""")
    assert view["n"] == 2 and view["inside"] and view["zoom"] >= view["min"] + 0.75, view


def _lab(rgb):
    """CIE L*a*b* (D65) of an sRGB colour given as 0..255 floats."""
    import numpy as np

    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ c
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


#: Two areas of the map must differ by at least this CIE76 ΔE under every simulated colour-vision
#: deficiency. ΔE 2.3 is a just-noticeable difference between patches side by side; areas a reader
#: matches to a legend across the map need a clear difference: 20 is twice the usual "clearly
#: distinct" 10 and above the 17 the accessibility review found too close (Russia vs other holders).
#: A hatched area against a flat one (Russia's hatch, as in print) also differs in texture: there
#: half of it (the "clearly distinct" 10) is asked of the mean colour.
MIN_DELTA_E = 20.0
#: Zones are hatches in their kind's colour with their own dash pattern on the outline: their hatch
#: lines' colours must stay 15 apart (the neutral zone against the Russian sphere comes to about 16.5
#: under deuteranopia, the closest pair; the dashes tell them apart too). A dotted zone against one
#: hatched with lines (the neutral zone's grey dots against the British sphere's navy diagonals, about
#: 14 under tritanopia) differs in texture as well, so there too half the holders' 20 is asked.
MIN_ZONE_DELTA_E = 15.0


def _differ_in_texture(a, b, hatched, dotted) -> bool:
    """Whether two sampled areas also differ in pattern: hatched against flat, or dots against lines."""
    return hatched[a] != hatched[b] or dotted.get(a, False) != dotted.get(b, False)


def test_holders_and_zones_stay_apart_under_colour_vision_deficiencies(browser, site, atlas, tmp_path):
    """Chromium's vision-deficiency emulation: the mean colour of a patch inside each holder's land and
    inside each zone (labels, places and controls hidden) stays apart; the screenshots are kept."""
    import io

    import numpy as np
    import shapely
    from PIL import Image
    from shapely.ops import polylabel

    from mapper.web import web_geometries
    from mapper.web.shapes import web_shapes

    from mapper.style import ZONES

    units, zones = web_geometries(atlas), web_shapes(atlas).zones
    dotted = {z.id: ZONES[z.kind].hatch.dots for z in atlas.zones}  # a zone hatched with dots, not lines
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.route("https://**/*", lambda r: r.abort())
    pg = context.new_page()
    cdp = context.new_cdp_session(pg)
    shots = ROOT / "tests" / "artifacts" / "vision"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        open_atlas(pg, site)
        pg.add_style_tag(content=".leaflet-marker-pane, .leaflet-tooltip-pane, .leaflet-control-container, "
                                 ".leaflet-places-pane { display: none !important; }")

        def centre(geom):  # a point well inside the part of geom in view
            w, s_, e, n = pg.evaluate("(() => { const b = mapperAtlas.map.getBounds(); "
                                      "return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()")
            geom = geom.intersection(shapely.box(w, s_, e, n))
            if geom.is_empty:
                return None
            part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
            pt = polylabel(part, tolerance=0.01)
            return pg.evaluate("""([lat, lon]) => { const m = mapperAtlas.map, p = m.latLngToContainerPoint([lat, lon]),
                r = m.getContainer().getBoundingClientRect(), s = m.getSize();
                return p.x > 10 && p.y > 10 && p.x < s.x - 10 && p.y < s.y - 10 ? [r.left + p.x, r.top + p.y] : null; }""",
                               [pt.y, pt.x])

        def areas(event_id):  # sample points: one unit per holder (outside every zone), one per zone in force
            pg.evaluate("id => { mapperAtlas.go(id); mapperAtlas.resetView(); }", event_id)
            settled, seen = None, ""  # the view at rest (on a busy machine a zoom may still be running)
            for _ in range(40):
                pg.wait_for_timeout(100)
                seen, settled = pg.evaluate("mapperAtlas.map.getBounds().toBBoxString()"), seen
                if seen == settled:
                    break
            state, out = pg.evaluate("mapperAtlas.state()"), {}
            claimed = set(pg.evaluate("[...document.querySelectorAll('path[data-claim]')].map(p => p.dataset.claim)"))
            zoned = [zones[z] for z in state["zones"]]
            for uid, holder in sorted(state["holders"].items()):  # the holder's own fill: no zone, no claim over it
                if holder not in out and uid not in claimed and not any(z.intersects(units[uid]) for z in zoned):
                    if (xy := centre(units[uid])) is not None:
                        out[holder] = xy
            for z in state["zones"]:
                if (xy := centre(zones[z])) is not None:
                    out[z] = xy
            return out

        for event_id, need in (("turkmenchay-1828", {"persia", "russia", "other"}),
                               ("anglo-russian-convention-1907", {"russian-sphere-1907", "british-sphere-1907"})):
            points = areas(event_id)
            assert need <= set(points), (event_id, points)
            for deficiency in ("none", "deuteranopia", "protanopia", "tritanopia"):
                cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": deficiency})
                pg.wait_for_timeout(50)  # a frame drawn with the new emulation
                png = pg.screenshot()
                (shots / f"{event_id}-{deficiency}.png").write_bytes(png)
                img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
                patch = {k: img[int(y) - 12:int(y) + 13, int(x) - 12:int(x) + 13].reshape(-1, 3) for k, (x, y) in points.items()}
                # a holder by its fill's mean colour; a zone (a hatch over the holder's fill) by its hatch lines' colour
                lab = {k: _lab(p.mean(axis=0) if k in ("persia", "russia", "other")
                               else p[p.sum(axis=1) <= np.percentile(p.sum(axis=1), 12)].mean(axis=0)) for k, p in patch.items()}
                hatched = {k: float(np.std(p.mean(axis=1))) > 8 for k, p in patch.items()}  # a hatch: light and dark lines
                keys = sorted(lab)
                # apart: by colour, or (a hatched area against a flat one) by colour and texture together
                group = {k: k in ("persia", "russia", "other") for k in keys}  # holders against holders, zones against zones
                close = [(a, b, round(float(np.linalg.norm(lab[a] - lab[b])), 1)) for i, a in enumerate(keys) for b in keys[i + 1:]
                         if group[a] == group[b] and np.linalg.norm(lab[a] - lab[b]) < (
                             MIN_DELTA_E / 2 if _differ_in_texture(a, b, hatched, dotted)
                             else MIN_DELTA_E if group[a] else MIN_ZONE_DELTA_E)]
                assert close == [], (event_id, deficiency, close)
    finally:
        context.close()
