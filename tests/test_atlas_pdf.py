"""The printed atlas (atlas.pdf): pages, outline, metadata and selectable text, read back from the PDF."""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import shutil
import subprocess

from pathlib import Path

import pytest
from conftest import GEODATA, cut_geodata

import mapper
from mapper.build import BuildOptions, build
from mapper.figures.files import figure_events
from mapper.printed import write_atlas_pdf
from mapper.timeline import steps
from mapper.words import Words

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed (pdftotext)")


@pytest.fixture(scope="module")
def small(atlas):
    """The history up to Peter I's Derbent campaign: three events moved something (913, 1556, 1722)."""
    return dataclasses.replace(atlas, events=atlas.events[:6])


#: The book's stages with the figures it places (the overview, the chart, each spread's pair; the events' own
#: maps, which it does not show, are the figure tests' and the build's to draw), English only.
BOOK = BuildOptions(stages=("figures", "printed"), languages=("en",),
                    figures=("overview", "territory", *(f"{e}-before-after" for e in
                                                         ("rus-caspian-expedition-913", "astrakhan-1556", "derbent-1722"))))


@pytest.fixture(scope="module")
def built_book(small_geodata, tmp_path_factory):
    """A build of the cut history's English figures and atlas.pdf by the build's two worker processes, into
    a folder named relative to the working folder (as ``mapper build`` writes ``outputs/``)."""
    parent = tmp_path_factory.mktemp("printed")
    with contextlib.chdir(parent):
        report = build(mapper.load(small_geodata), Path("outputs"), BOOK)
    assert report.made == {"figures": 5, "printed": 1}
    return parent / "outputs"


@pytest.fixture(scope="module")
def book(built_book):
    return built_book / "atlas.pdf"


@functools.lru_cache(maxsize=None)
def page_texts(path):
    """Each page's text (pdftotext, once per page), read once per book for the module (the books are read-only)."""
    n = len(pypdf.PdfReader(path).pages)
    return tuple(subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), path, "-"], capture_output=True,
                                text=True, check=True).stdout for i in range(1, n + 1))


def outline(path):
    reader = pypdf.PdfReader(path)

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                yield from walk(it, depth + 1)
            else:
                yield depth, it.title, reader.get_destination_page_number(it) + 1

    return list(walk(reader.outline, 0))


def test_pages_one_spread_per_event_that_moved_something(small, book):
    spreads = figure_events(small)
    assert spreads == ["rus-caspian-expedition-913", "astrakhan-1556", "derbent-1722"]
    pages = page_texts(book)
    # cover, contents, introduction (+ overview), a page per spread, territory, method (2+), sources, cite
    assert len(pages) >= 3 + len(spreads) + 4
    titles = {small.event(e).title: e for e in spreads}
    starts = {t: [i for i, p in enumerate(pages) if p.lstrip().startswith(t) or f"\n{t}\n" in p[:400]]
              for t in titles}
    assert all(starts.values()), starts
    assert "first-embassy-1521" not in spreads  # an embassy moved nothing: no spread


def test_outline_has_chapters_and_every_spread(small, book):
    items = outline(book)
    top = [title for depth, title, _ in items if depth == 0]
    assert top == ["Introduction", "Event by event", "Land Persia lost to and regained from Russia", "Method",
                   "Sources", "Cite this atlas"]
    events = [(title, page) for depth, title, page in items if depth == 1 and title not in (
        "How Persia's losses are counted", "How the boundaries were drawn")]
    assert [t for t, _ in events] == [small.event(e).title for e in figure_events(small)]
    pages = page_texts(book)
    for title, page in events:  # each bookmark leads to the page that shows its event
        assert title in pages[page - 1]


def test_a_spread_too_long_for_one_page_moves_its_story_whole_to_the_next(small, book):
    """Where an event's text does not fit under its maps, its summary, calendars and sources start the next
    page together: the spread's first page is its maps and what changed, never a page of a few stray lines."""
    items = outline(book)
    starts = [(title, page) for depth, title, page in items if depth == 1 and title not in (
        "How Persia's losses are counted", "How the boundaries were drawn")]
    after = next(page for depth, title, page in items if title == "Land Persia lost to and regained from Russia")
    pages = page_texts(book)
    spans = {title: (page, nxt) for (title, page), nxt in zip(starts, [p for _, p in starts[1:]] + [after])}
    assert any(nxt - page == 2 for page, nxt in spans.values()), spans  # Astrakhan's story takes a page of its own
    for title, (page, nxt) in spans.items():
        assert nxt - page in (1, 2), (title, page, nxt)
        if nxt - page == 2:
            first = [ln.strip() for ln in pages[page - 1].splitlines() if ln.strip()]
            second = [ln.strip() for ln in pages[page].splitlines() if ln.strip()]
            assert "What changed" in first and "Summary" not in first, title
            assert second[1] == "Summary" and "Sources" in second, (title, second[:3])  # after the running head


def test_metadata_and_selectable_text(small, book):
    info = subprocess.run(["pdfinfo", book], capture_output=True, text=True, check=True).stdout
    assert "Title:           Iran and Russia: an atlas of territorial change" in info
    assert "Author:          the iran-russia-atlas authors" in info
    assert "Page size:       595.276 x 841.89 pts (A4)" in info or "A4" in info
    text = subprocess.run(["pdftotext", book, "-"], capture_output=True, text=True, check=True).stdout
    w = Words()
    (st,) = [s for s in steps(small) if s.event.id == "derbent-1722"]
    ev = st.event
    assert ev.title in text and w.date_line(ev) in text
    assert w.loss_caption(st) in text and w.gettext("Running total: {area}").format(area=w.km2(st.total_lost_km2)) in text
    for c in st.changes:  # what changed, with km² and kind, from the timeline and the words
        assert small.unit(c.unit).name in text and w.km2(c.km2) in text and w.change_kind_label(c.kind) in text
    assert " ".join(ev.summary.split()[:6]) in " ".join(text.split())
    assert ev.sources[0].title.split(":")[0] in text
    assert "How Persia's losses are counted" in text and "Cite this atlas" in text
    assert "the iran-russia-atlas authors. Iran and Russia: an atlas of territorial change." in " ".join(text.split())
    assert ".yaml" not in text  # no internal file names


def test_contents_give_the_page_of_each_spread(small, book):
    pages = page_texts(book)
    contents = next(p for p in pages if p.lstrip().startswith("Contents"))
    for depth, title, page in outline(book):
        if depth == 1 and title in contents:
            line = next(ln for ln in contents.splitlines() if title in ln)
            assert line.rstrip().endswith(str(page)), line


@pytest.fixture(scope="module")
def small_geodata(tmp_path_factory):
    """A copy of the geodata with the first six events only (and the places those six need)."""
    first_six = {e.id for e in mapper.load(GEODATA).events[:6]}
    return cut_geodata(tmp_path_factory.mktemp("small") / "geodata", lambda e: e["id"] in first_six)


def test_the_build_places_its_own_figures_and_reuses_the_book(small_geodata, built_book):
    out = built_book
    assert (out / "atlas.pdf").read_bytes().startswith(b"%PDF")
    titles = [title for depth, title, _ in outline(out / "atlas.pdf") if depth == 1]
    assert titles[:3] == ["Caspian expedition of the Rus' (913)", "Russian conquest of the Astrakhan Khanate",
                          "Peter I takes Derbent"]
    # the figures the book shows are the build's own (no second drawing): their pixels are in the PDF as written
    from mapper.printed.book import png_idat

    pair = (out / "figures" / "derbent-1722-before-after.png").read_bytes()
    assert png_idat(pair) and png_idat(pair) in (out / "atlas.pdf").read_bytes()
    assert not (out / "fa").exists() and not (out / "ru").exists()  # the English edition only
    # a rebuild into a copy makes nothing and leaves the book as it was
    again = out.parent / "again"
    shutil.copytree(out, again, copy_function=shutil.copy2)
    report = build(mapper.load(small_geodata), again, BOOK)
    assert report.made == {"figures": 0, "printed": 0} and report.reused == {"figures": 5, "printed": 1}
    assert (again / "atlas.pdf").read_bytes() == (out / "atlas.pdf").read_bytes()


def test_the_book_is_the_same_byte_for_byte_wherever_its_figures_lie(small_geodata, built_book, tmp_path):
    """The build typeset its book from figures in a staging folder with a name of its own; the same figures
    in another folder give the same file, byte for byte (WeasyPrint names images after their addresses)."""
    other = tmp_path / "elsewhere"
    shutil.copytree(built_book / "figures", other / "figures")
    write_atlas_pdf(mapper.load(small_geodata), other)
    assert (other / "atlas.pdf").read_bytes() == (built_book / "atlas.pdf").read_bytes()


def test_a_claim_in_a_spreads_table_names_the_claimant_and_moves_nothing(atlas):
    """Kurekchay: Persia's claim to the Karabakh it lost reads "Claimed by Qajar Iran" (as on the web), the holder
    under From and no one under To; it read "Claim, Russian Empire -> Qajar Iran", as if the land went back."""
    import re

    from mapper.printed.book import book_html

    html = book_html(atlas, "en")
    spread = html[html.index('id="ev-kurekchay-1805"'):]
    spread = spread[:spread.index("</table>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr><td>.*?</tr>", spread)]
    assert ["Karabakh Khanate", "Conquest", "Qajar Iran", "Russian Empire", "22,650 km²", "yes"] in rows
    assert ["Karabakh Khanate", "Claimed by Qajar Iran", "Russian Empire", "\u2014", "22,650 km²", "no"] in rows


def test_a_spread_tells_each_changes_certainty_and_its_notes_once(atlas):
    """1918: the panel tells a disputed district's certainty and the note on the dispute; the book's table said
    neither. Each note follows the table once, however many rows share it."""
    import re

    from mapper.printed.book import book_html

    html = book_html(atlas, "en")
    spread = html[html.index('id="ev-transcaucasian-republics-1918"'):]
    spread = spread[:spread.index('class="story"')]
    rows = {r[0]: r[1] for r in (re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr><td>.*?</tr>", spread))}
    assert rows["Karabakh Khanate"] == "Independence (certainty low)"
    assert rows["Baku Khanate"] == "Independence (certainty medium)" and rows["Erivan Khanate"] == "Independence"
    notes = re.findall(r'<p class="change-note">(.*?)</p>', spread)
    assert len(notes) == len(set(notes)) == 5 and any(n.startswith("Baku itself was held") for n in notes)
    assert rows["Shirak (Shuragel)"] == "Independence (certainty medium)"  # Ottoman-held until December 1918
    ru = book_html(atlas, "ru")
    ru = ru[ru.index('id="ev-transcaucasian-republics-1918"'):]
    assert "Сам Баку удерживали" in ru[:ru.index('class="story"')]  # the note in the edition's language


def test_without_weasyprint_the_build_says_what_to_install(small, tmp_path, monkeypatch):
    import sys

    from mapper.errors import BuildError

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it were not installed
    with pytest.raises(BuildError, match=r"needs WeasyPrint and Pango .*pip install weasyprint.*--no-pdf"):
        write_atlas_pdf(small, tmp_path)
    assert not (tmp_path / "atlas.pdf").exists()


# --- the Persian and Russian editions: fa/atlas.pdf right to left, ru/atlas.pdf in Russian ---------------------


@pytest.fixture(scope="module")
def editions(small, tmp_path_factory):
    """fa/atlas.pdf and ru/atlas.pdf, each placing what its edition's figures folder holds: the Russian chart,
    and the chart again as a stand-in for the other figures (drawing them all belongs to the build), but for
    the Persian chart, which is missing, so that the Persian book draws it itself, outside the outputs."""
    from mapper.figures.files import write_figure
    from mapper.printed.book import needed_figures

    out = tmp_path_factory.mktemp("editions")
    for lang in ("ru", "fa"):
        (out / lang / "figures").mkdir(parents=True)
    (chart, _) = write_figure(small, "territory", out / "ru" / "figures", lang="ru")
    for lang in ("ru", "fa"):
        for n in needed_figures(small):
            if n != "territory":
                shutil.copy(chart, out / lang / "figures" / f"{n}.png")
    staged = sorted(p.name for p in (out / "fa" / "figures").iterdir())
    (fa,) = write_atlas_pdf(small, out, lang="fa")
    assert fa == out / "fa" / "atlas.pdf" and sorted(p.name for p in (out / "fa" / "figures").iterdir()) == staged
    (ru,) = write_atlas_pdf(small, out, lang="ru")
    assert ru == out / "ru" / "atlas.pdf"
    return fa, ru


def plain(text):
    """Text as pdftotext gives it back from right-to-left lines: no direction marks, no zero-width non-joiners, and
    no hamza above (U+0654, as in «محاصرهٔ»), which pdftotext puts before the letter it sits on."""
    return " ".join("".join(ch for ch in text if ch not in "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u0654").split())


def test_the_persian_atlas_is_persian_right_to_left_with_persian_digits(small, editions):
    fa, _ = editions
    w = Words("fa", small)
    info = subprocess.run(["pdfinfo", fa], capture_output=True, text=True, check=True).stdout
    assert f"Title:           {w.title()}" in info
    text = plain(subprocess.run(["pdftotext", fa, "-"], capture_output=True, text=True, check=True).stdout)
    # headings and the method from the catalogue, the data's texts from translations/fa.yaml: Persian words
    # in logical order (pdftotext gives each right-to-left run first letter first)
    for msg in ("Introduction", "Event by event", "Method", "Cite this atlas", "What changed", "Contents"):
        assert w.gettext(msg) != msg and plain(w.gettext(msg)) in text, msg
    assert "Introduction" not in text and "Event by event" not in text  # no English heading left
    ev = small.event("derbent-1722")
    assert w.event_title(ev) != ev.title and plain(w.event_title(ev)) in text
    assert plain(" ".join(w.event_summary(ev).split()[:6])) in text
    assert sum("\u0600" <= ch <= "\u06ff" for ch in text) > 3000
    assert "۱۷۲۲" in text and "۳٬۹۵۸" in text  # Persian digits: the year of Derbent's taking, its km²
    titles = [t for _, t, _ in outline(fa)]
    assert titles[0] == w.gettext("Introduction") and w.event_title(ev) in titles
    # right to left: the contents' heading is set against the right margin (A4: 595 pt wide, 2 cm margins);
    # pdftotext's boxes give each word's letters in visual order, right to left reversed
    bbox = subprocess.run(["pdftotext", "-bbox-layout", "-f", "2", "-l", "2", fa, "-"], capture_output=True, text=True,
                          check=True).stdout
    import re

    lines = re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</line>', bbox, re.S)
    heading = plain(w.gettext("Contents"))[::-1]
    boxes = [(float(a), float(b), float(c)) for a, b, c, body in lines
             if re.findall(r">([^<]*)</word>", body) == [heading]]
    # the page's heading and the running head (in the top margin, above 40 pt: a tall font's line box may
    # reach above the 2 cm margin)
    (x0, _, x1), = [box for box in boxes if box[1] > 40]
    assert x0 > 595.28 / 2 and x1 > 595.28 - 56.7 - 12, boxes
    assert [box for box in boxes if box[1] < 40 and box[2] < 595.28 / 2]  # the running head on the left


def test_the_russian_atlas_is_in_russian(small, editions):
    _, ru = editions
    w = Words("ru", small)
    text = " ".join(subprocess.run(["pdftotext", ru, "-"], capture_output=True, text=True, check=True).stdout.split())
    for msg in ("Introduction", "Method", "How Persia's losses are counted", "Cite this atlas"):
        assert w.gettext(msg) != msg and w.gettext(msg) in text, msg
    ev = small.event("astrakhan-1556")
    assert w.event_title(ev) in text and w.date_line(ev) in text
    assert "Introduction" not in text
    assert sum("\u0400" <= ch <= "\u04ff" for ch in text) > 3000
