"""The printed atlas, ``atlas.pdf``: what goes into it, rendered from Jinja templates and typeset by WeasyPrint.

The book is an A4 document: a cover, the contents, an introduction with the overview (in parts, each on a
page at its own size), one spread per event that moved a border, a claim or a zone (the maps before and
after, what changed with km² and kind, the summary, the dates in the period's calendars, the sources),
the territory chart, the method (how the boundaries were drawn, how Persia's losses are counted), the
sources and a line to cite it.
Every sentence comes from :class:`mapper.words.Words`; every fact from :mod:`mapper.timeline`. The
maps are the build's own figures (``figures/<id>-before-after.png``, ``territory.png``,
``overview.png``); figures a build did not draw are drawn here, outside the outputs. Text is real text
(selectable, searchable), headings make the PDF's outline, and the PDF carries Title and Author.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from mapper import __version__
from mapper import dates as _dates
from mapper.editions import edition_dir
from mapper.errors import BuildError
from mapper.figures.captions import credits, loss_caption
from mapper.figures.files import figure_events, folder_task, warm
from mapper.figures.overview import part_names
from mapper.figures.pair import pair_name
from mapper.model import Atlas, Source
from mapper.timeline import Change, Step, steps
from mapper.words import Words

__all__ = ["PDF_NAME", "book_html", "needed_figures", "printed_task", "write_atlas_pdf"]

PDF_NAME = "atlas.pdf"
AUTHOR = "the iran-russia-atlas authors"
#: The scheme of the addresses by which the book places its figures (:func:`figure_url`).
FIGURE_SCHEME = "mapper-figure"

Runner = Callable[[Callable[[Atlas, str], list[Path]], Sequence[str]], Iterable[list[Path]]]


@dataclass(frozen=True)
class Row:
    """One line of an event's table of changes."""

    unit: str
    kind: str
    from_name: str
    to_name: str
    km2: str
    counted: bool


@dataclass(frozen=True)
class Spread:
    """One event's pages: its step, the words shown and the picture of its maps."""

    id: str
    title: str
    date: str
    calendars: list[str]
    loss: str
    total: str
    rows: list[Row]
    notes: list[str]  # the changes' notes, each told once, in the table's order
    zones: list[str]
    summary: str
    date_note: str | None
    place: str | None
    parties: list[str]
    sources: list[Source]
    image: str


def _calendars(st: Step, w: Words) -> list[str]:
    """Return the event's date in the calendars of the period that the dates module knows."""
    ev = st.event
    out = []
    solar = getattr(_dates, "format_solar_hijri", None)  # the Persian calendars, where mapper.dates has them
    if solar is not None:
        out.append(w.gettext("Solar Hijri: {date}").format(date=solar(ev.date.date, ev.date.precision, w.lang)))
    ah = getattr(ev, "date_ah", None)
    fmt_hijri = getattr(_dates, "format_hijri", None)
    if ah is not None and fmt_hijri is not None:
        out.append(w.gettext("Hijri (lunar): {date}").format(date=fmt_hijri(ah, w.lang)))
    if ev.date_os is not None:
        out.append(w.gettext("Julian (Old Style), as Russia dated it: {date}").format(
            date=_dates.format_date(ev.date_os, "day", w.lang)))
    return out


def _change_row(w: Words, region: str, c: Change) -> Row:
    """A change as a line of the table; a claim moves nothing, so its line names the claimant as the web
    does ("Claimed by Qajar Iran"), the holder under From and no one under To. A change less than certain
    says so, as the panel does: "Independence (certainty low)"."""
    if c.kind == "claim":
        return Row(region, w.with_certainty(w.change_caption(c), c.certainty), w.holder_name(c.from_name), "\u2014",
                   w.km2(c.km2), False)
    return Row(region, w.with_certainty(w.change_kind_label(c.kind), c.certainty), w.holder_name(c.from_name),
               w.holder_name(c.to_name), w.km2(c.km2), c.counted)


def _spread(atlas: Atlas, st: Step, w: Words) -> Spread:
    ev = st.event
    rows = [_change_row(w, w.region_name(atlas.unit(c.unit)), c) for c in st.changes]
    rows += [Row(w.region_name(atlas.zone(c.unit)), w.change_kind_label(c.kind), w.holder_name(c.from_name),
                 w.holder_name(c.to_name), w.km2(c.km2), False) for c in st.occupations]
    notes = list(dict.fromkeys(n for n in (w.change_note(ev, c) for c in st.changes) if n))
    zones = ([w.gettext("Begins: {zone}").format(zone=w.region_name(atlas.zone(z))) for z in st.zones_begun]
             + [w.gettext("Ends: {zone}").format(zone=w.region_name(atlas.zone(z))) for z in st.zones_ended])
    place = next((w.place_name(p) for p in atlas.places if p.id == ev.place), None) if ev.place else None
    return Spread(ev.id, w.event_title(ev), w.date_line(ev), _calendars(st, w), loss_caption(w, st),
                  w.gettext("Running total: {area}").format(area=w.km2(st.total_lost_km2)), rows, notes, zones,
                  w.event_summary(ev), w.event_date_note(ev), place, list(w.event_parties(ev)), list(ev.sources),
                  figure_url(pair_name(ev.id)))


def _texts(w: Words, atlas: Atlas) -> dict[str, Any]:
    """The book's own sentences, through the catalogue."""
    years = [e.date.date.year for e in atlas.events]
    span = _dates.local_digits(f"{min(years)}–{max(years)}", w.lang) if years else ""
    return {
        "title": w.title(),
        "subtitle": w.gettext("Territorial change between Iran and Russia, event by event: conquests, treaties, claims and occupations"),
        "span": span,
        "edition": w.gettext("Printed atlas, version {version}").format(version=_dates.local_digits(__version__, w.lang)),
        "contents": w.gettext("Contents"),
        "introduction": w.gettext("Introduction"),
        "intro": [
            w.gettext("This atlas follows the border between Persia (Iran) and Russia from the Rus' raids on the Caspian "
              "in the tenth century to the end of the Soviet Union, one event at a time: conquests, treaties, claims "
              "and occupations. Each event that moved a border, a claim or a zone has its own pages: "
              "the map on the eve of the event beside the map right after it, what changed with the area of "
              "each unit, the summary and the sources."),
            w.gettext("Sovereignty is drawn as fills (Persia sand, Russia red-brown and hatched, other holders grey-green "
              "and dotted); spheres of influence, occupations and short-lived republics are hatched overlays, "
              "not sovereignty. Areas are measured in an equal-area projection."),
            w.gettext("The same facts, names and colours are in the interactive atlas (index.html), its maps and its "
              "tables: each is computed once and every output reads it."),
        ],
        "overview": w.gettext("The border, event by event"),
        "events": w.gettext("Event by event"),
        "changed": w.gettext("What changed"),
        "unit": w.gettext("Unit"), "kind": w.gettext("Kind"), "from": w.gettext("From"), "to": w.gettext("To"), "area": w.gettext("Area"),
        "counted": w.gettext("Counted"), "yes": w.gettext("yes"), "no": w.gettext("no"),
        "zones": w.gettext("Zones"),
        "summary": w.gettext("Summary"),
        "date_note": w.gettext("Date note"),
        "place": w.gettext("Place"),
        "parties": w.gettext("Parties"),
        "sources": w.gettext("Sources"),
        "calendars": w.gettext("In the calendars of the period"),
        "territory": w.gettext("Land Persia lost to and regained from Russia"),
        "method": w.gettext("Method"),
        "boundaries": w.gettext("How the boundaries were drawn"),
        "boundaries_intro": w.gettext("Every boundary approximates a historical line with modern provinces and districts "
                              "from Natural Earth (1:10m admin-1, public domain): units are merged from whole "
                              "provinces where the historical line follows them, and cut along documented lines "
                              "where it does not. For each unit, how it was drawn:"),
        "counting": w.gettext("How Persia's losses are counted"),
        "counting_text": [
            w.gettext("Every change has a kind: conquest, cession, return, independence, claim, recognition, renunciation, "
              "or the beginning or end of an occupation."),
            w.gettext("The running total counts each km² that Persia held once, when it passed to Russia by conquest or "
              "cession, less what came back by return or reconquest. A treaty that recognises an earlier "
              "conquest moves nothing, and a claim renounced on land Persia never held is not a loss; both are "
              "shown with their areas but not counted, as are transfers to or from other states and occupations."),
        ],
        "all_sources": w.gettext("Sources"),
        "sources_intro": w.gettext("Natural Earth 1:10m admin-1 states and provinces (public domain), and the works cited "
                           "for each event:"),
        "cite": w.gettext("Cite this atlas"),
        "citation": w.gettext("{authors}. {title}. Printed atlas, version {version}.").format(
            authors=AUTHOR, title=w.title(), version=__version__),
        "credit": credits(w, "map"),
        "page": w.gettext("page"),
    }


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("mapper.printed", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


#: The type of each edition's book: DejaVu Sans (Latin, Cyrillic, and Persian shaped by Pango), Vazirmatn
#: first for Persian where the web edition ships it.
FONTS = {"fa": '"Vazirmatn", "DejaVu Sans", sans-serif'}
_VAZIRMATN = ("vazirmatn-arabic-400-normal.woff2", "vazirmatn-arabic-700-normal.woff2")


def _font_faces(lang: str) -> str:
    """Return ``@font-face`` rules for the edition's own font files, where the package has them."""
    if lang != "fa":
        return ""
    fonts = resources.files("mapper.web").joinpath("assets", "fonts")
    rules = []
    for name, weight in zip(_VAZIRMATN, (400, 700)):
        f = fonts.joinpath(name)
        if f.is_file():
            rules.append(f'@font-face {{ font-family: "Vazirmatn"; font-weight: {weight}; '
                         f'src: url("{Path(str(f)).as_uri()}") format("woff2"); }}')
    return "\n".join(rules)


def _edition_css(lang: str) -> str:
    """Return what an edition adds to atlas.css: its font, and for Persian the right-to-left page and digits."""
    css = _font_faces(lang)
    # without the font file, name no font fontconfig would look for in vain on every run of text
    font = FONTS[lang] if css else FONTS.get(lang, "").replace('"Vazirmatn", ', "")
    if font:
        css += f"\nhtml {{ font-family: {font}; }}\n@page {{ @bottom-center {{ font-family: {font}; }} }}"
    if lang == "fa":
        css += ("\n@page { @bottom-center { content: counter(page, persian); } @top-right { content: none; }"
                " @top-left { content: string(chapter); font: 7.5pt " + font + "; color: #555149; } }"
                "\n@page :first { @top-left { content: none; } }"
                "\n.contents a::after { content: leader('. ') target-counter(attr(href), page, persian); }")
    return css


def figure_url(name: str) -> str:
    """Return the address by which the book places figure ``name`` (see :class:`_FigureFetcher`)."""
    return f"{FIGURE_SCHEME}:{name}.png"


def book_html(atlas: Atlas, lang: str = "en") -> str:
    """Return the printed atlas as one HTML document in ``lang``; its figures are :func:`figure_url` addresses."""
    w = Words(lang, atlas)
    by_id = {st.event.id: st for st in steps(atlas)}
    spreads = [_spread(atlas, by_id[e], w) for e in figure_events(atlas)]
    seen: dict[tuple[str, str | None], Source] = {}
    for e in atlas.events:
        for s in e.sources:
            seen.setdefault((s.title, s.url), s)
    css = resources.files("mapper.printed").joinpath("templates", "atlas.css").read_text(encoding="utf-8")
    css += _edition_css(lang)
    return _env().get_template("atlas.html.j2").render(
        lang=lang, dir="rtl" if lang == "fa" else "ltr", t=_texts(w, atlas), css=css, spreads=spreads,
        overviews=[figure_url(n) for n in overview_names(atlas)], territory=figure_url("territory"),
        units=[(w.region_name(u), u.derivation) for u in atlas.units],
        sources=sorted(seen.values(), key=lambda s: s.title.lower()),
        author=AUTHOR)


def overview_names(atlas: Atlas) -> list[str]:
    """Return the figures of the book's overview: its parts at page size, each whole on a page at its own size
    (``overview-1`` ...), or the build's ``overview`` when it is short enough to be one part."""
    return part_names(atlas, "page") or ["overview"]


def needed_figures(atlas: Atlas) -> list[str]:
    """Return the figures the book shows: the overview, the territory chart, each spread's pair."""
    return [*overview_names(atlas), "territory", *(pair_name(e) for e in figure_events(atlas))]


def write_atlas_pdf(atlas: Atlas, out: Path, *, run: Runner | None = None, lang: str = "en") -> list[Path]:
    """Write the edition ``lang``'s ``atlas.pdf`` (``out/atlas.pdf``, ``out/fa/atlas.pdf`` ...); return its path.

    The figures come from the edition's ``figures/`` folder; those missing there are drawn outside the
    outputs (in ``run``'s workers, if given). Raises BuildError, with what to install, when WeasyPrint or
    its Pango libraries are missing.
    """
    try:
        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as e:  # OSError: WeasyPrint is there but Pango is not
        raise BuildError(f"the printed atlas (atlas.pdf) needs WeasyPrint and Pango ({e}); install them with "
                         f"`pip install weasyprint` and `apt-get install libpango-1.0-0 libpangoft2-1.0-0`, or "
                         f"build without it: mapper build --no-pdf") from None

    folder = edition_dir(Path(out).absolute(), lang)  # the figures are placed by file: URI
    names = needed_figures(atlas)
    images = {n: folder / "figures" / f"{n}.png" for n in names}
    missing = [n for n in names if not images[n].is_file()]
    with tempfile.TemporaryDirectory(prefix="mapper-printed-") as scratch:
        if missing:
            warm(atlas)
            task = folder_task(Path(scratch), lang)
            results = run(task, missing) if run is not None else [task(atlas, n) for n in missing]
            for n, paths in zip(missing, results):
                images[n] = next(p for p in paths if p.suffix == ".png")
        html = book_html(atlas, lang)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / PDF_NAME
        with _png_as_is():
            doc = weasyprint.HTML(string=html, base_url=str(folder), url_fetcher=_figure_fetcher(images)).render()
            doc.metadata.title = Words(lang).title()
            doc.metadata.authors = [AUTHOR]
            doc.metadata.generator = "mapper (iran-russia-atlas) with WeasyPrint"
            doc.write_pdf(path)
    return [path]


def _figure_fetcher(images: dict[str, Path]) -> Any:
    """Return WeasyPrint's URL fetcher, which also serves ``mapper-figure:NAME.png`` from ``images``' files.

    WeasyPrint names each image in the PDF after a hash of its address, so placing the figures by their
    ``file:`` addresses (a build's staging folder has a new name each time) made every build's atlas.pdf
    differ; addresses that name only the figure keep the book the same byte for byte. A figure missing
    from ``images`` stops the book (``fail_on_errors``) instead of leaving a hole in a page.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class FigureFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(FIGURE_SCHEME + ":"):
                return super().fetch(url, headers)
            name = url[len(FIGURE_SCHEME) + 1:].removesuffix(".png")
            if name not in images:
                raise KeyError(f"the book has no figure {name!r}")
            return URLFetcherResponse(url, images[name].read_bytes(), {"Content-Type": "image/png"})

    return FigureFetcher(fail_on_errors=True)


def png_idat(data: bytes) -> bytes | None:
    """Return the compressed pixel data of an 8-bit RGB, non-interlaced PNG (the figures'), else None.

    Those bytes are what a PDF image with ``/FlateDecode``, ``/Predictor 15`` and three colours holds,
    so they go into the PDF as they are, neither decoded nor compressed again.
    """
    if len(data) < 33 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    depth, colour, interlace = data[24], data[25], data[28]
    if (depth, colour, interlace) != (8, 2, 0):
        return None
    out, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            out.append(data[pos + 8:pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(out) or None


@contextmanager
def _png_as_is() -> Iterator[None]:
    """Let WeasyPrint embed the figures' PNG data as it is (it would decode and compress each again).

    WeasyPrint re-encodes every PNG it places (about a third of a book's time); any image that is not
    an 8-bit RGB PNG still takes WeasyPrint's own way, and so does every image with a WeasyPrint whose
    ``RasterImage`` has no ``_get_png_data`` (an internal, written against WeasyPrint 70).
    """
    from weasyprint.images import RasterImage  # type: ignore[import-untyped]

    original = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(original, staticmethod):  # another WeasyPrint than the one this was written for: its own way
        yield
        return

    def as_is(pillow_image: Any) -> bytes:
        fp: Any = getattr(pillow_image, "fp", None)
        data = None
        if getattr(pillow_image, "format", None) == "PNG" and hasattr(fp, "getvalue"):
            data = png_idat(fp.getvalue())
        return data if data is not None else original.__func__(pillow_image)

    RasterImage._get_png_data = staticmethod(as_is)
    try:
        yield
    finally:
        RasterImage._get_png_data = original


def printed_task(root: Path) -> Callable[[Atlas, str], list[Path]]:
    """Return a picklable ``task(atlas, lang)`` that writes the edition ``lang``'s atlas.pdf under ``root``."""
    return _PrintedTask(str(root))


class _PrintedTask:
    def __init__(self, root: str):
        self.root = root

    def __call__(self, atlas: Atlas, lang: str) -> list[Path]:
        return write_atlas_pdf(atlas, Path(self.root), lang=lang)
