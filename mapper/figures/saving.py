"""Figures on paper and on disk: the sizes they are made for, the canvas, rc settings, formats and metadata.

A figure is drawn at the width it is printed at (:data:`SIZES`: a report's column, an A4 page's
text width, a 16:9 slide), so a point of text is a point on paper and no text is smaller than
:data:`MIN_PT`. Everything is drawn on :class:`matplotlib.figure.Figure` objects with the Agg
canvas, never through pyplot, so a caller's own pyplot backend (in Jupyter, say) is left alone.

SVG keeps its text as ``<text>`` (searchable, selectable, translatable) and carries ``<title>`` and
``<desc>``; PDF carries Title, Author, Subject and Creator; PNG the same as text chunks. Two saves of
the same figure are byte-identical: a fixed SVG hash salt, no dates or software versions.
"""
from __future__ import annotations

import difflib
import io
import re
import struct
import zlib
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from xml.sax.saxutils import escape

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from mapper.errors import MapperError

__all__ = ["AUTHOR", "DPI", "FORMATS", "MIN_PT", "RC", "SIZES", "Size", "check_format", "check_size", "new_figure",
           "png_bytes", "rc", "save"]

FORMATS = ("png", "svg", "pdf")
CM = 1 / 2.54
#: Pixels per inch of the build's PNG files (a page-wide figure is about 1,340 px wide).
DPI = 200
#: The smallest text on any figure, in points at the size it is made for.
MIN_PT = 7.0
AUTHOR = "the iran-russia-atlas authors"


@dataclass(frozen=True)
class Size:
    """Where a figure goes: its printed width, a fixed height (slides) and its type sizes in points."""

    name: str
    width_cm: float
    height_cm: float | None  # None: as tall as the content needs
    title_pt: float
    body_pt: float
    small_pt: float
    stacked: bool  # the panel goes under the map (narrow) instead of beside it

    @property
    def width_in(self) -> float:
        return self.width_cm * CM

    @property
    def height_in(self) -> float | None:
        return None if self.height_cm is None else self.height_cm * CM


#: The sizes figures are made for; a build writes ``page``.
SIZES = {
    "column": Size("column", 8.5, None, 10.0, 7.0, 7.0, True),
    "page": Size("page", 17.0, None, 13.0, 8.0, 7.0, False),
    "slide": Size("slide", 25.4, 25.4 * 9 / 16, 18.0, 10.0, 8.0, False),
}

#: rc settings every figure is drawn and saved with (use :func:`rc`).
RC: dict[str, Any] = {
    "svg.hashsalt": "mapper",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "font.size": MIN_PT,
    "hatch.linewidth": 0.5,
    "path.simplify": True,
}


def rc() -> AbstractContextManager[None]:
    """Return the context in which every figure is drawn and saved (:data:`RC`)."""
    return matplotlib.rc_context(cast(Any, RC))


def new_figure(width_in: float, height_in: float, dpi: float = DPI) -> Figure:
    """Return an empty white figure on an Agg canvas (:class:`mapper.figures.glyphs.Canvas`)."""
    from mapper.figures.glyphs import Canvas

    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    Canvas(fig)
    return fig


def check_format(fmt: str) -> str:
    """Return ``fmt`` as one of :data:`FORMATS`; raise MapperError (with a did-you-mean) otherwise."""
    f = (fmt or "").lower().lstrip(".")
    if f not in FORMATS:
        close = difflib.get_close_matches(f, FORMATS, n=1, cutoff=0.3)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise MapperError(f"unknown figure format {fmt!r} (choose one of {', '.join(FORMATS)}{hint})")
    return f


def check_size(size: str | Size) -> Size:
    """Return the :class:`Size` named ``size``; raise MapperError (with a did-you-mean) otherwise."""
    if isinstance(size, Size):
        return size
    if size not in SIZES:
        close = difflib.get_close_matches(str(size), SIZES, n=1, cutoff=0.3)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise MapperError(f"unknown figure size {size!r} (choose one of {', '.join(SIZES)}{hint})")
    return SIZES[size]


def _svg_with_title(svg: bytes, title: str, desc: str) -> bytes:
    """Put ``<title>`` and ``<desc>`` first inside the root ``<svg>`` element (read by screen readers)."""
    text = svg.decode("utf-8")
    m = re.search(r"<svg\b[^>]*>", text)
    if m is None:  # pragma: no cover - matplotlib always writes one
        return svg
    head = f"\n <title>{escape(title)}</title>\n <desc>{escape(desc)}</desc>"
    return (text[:m.end()] + head + text[m.end():]).encode("utf-8")


def save(fig: Figure, path: Path, fmt: str, dpi: float = DPI, *, title: str = "", desc: str = "") -> Path:
    """Save ``fig`` to ``path`` as ``fmt`` (PNG at ``dpi``) with its title and description; return the path."""
    meta: dict[str, dict[str, str | None]] = {
        "png": {"Software": None, "Title": title, "Description": desc, "Author": AUTHOR},
        "svg": {"Date": None, "Title": title, "Description": desc, "Creator": AUTHOR},
        "pdf": {"CreationDate": None, "ModDate": None, "Title": title, "Subject": desc, "Author": AUTHOR,
                "Creator": "mapper (iran-russia-atlas)", "Producer": None},
    }
    with rc():
        if fmt == "svg":
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", dpi=72, metadata=meta["svg"], facecolor="white")
            Path(path).write_bytes(_svg_with_title(buf.getvalue(), title, desc))
        elif fmt == "png":
            _save_png(fig, Path(path), dpi, {k: v for k, v in meta["png"].items() if v})
        else:
            fig.savefig(path, format=fmt, dpi=72, metadata=meta[fmt], facecolor="white")
    return Path(path)


def _save_png(fig: Figure, path: Path, dpi: float, text: dict[str, str]) -> None:
    """Write ``fig`` as an RGB PNG at ``dpi`` with ``text`` chunks.

    No alpha channel (the figures are on white): the files are smaller, and WeasyPrint places them
    without splitting off and compressing a transparency mask for each one.
    """
    from PIL import Image

    old = fig.dpi
    fig.set_dpi(dpi)
    try:
        canvas = cast(Any, fig.canvas)
        canvas.draw()
        w, h = canvas.get_width_height(physical=True)
        image = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    finally:
        fig.set_dpi(old)
    Path(path).write_bytes(png_bytes(np.asarray(image), dpi, text))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rgb: np.ndarray, dpi: float, text: dict[str, str]) -> bytes:
    """Return the PNG file of the 8-bit RGB image ``rgb`` (rows top first), marked ``dpi``, with ``text`` chunks.

    Every row is stored unfiltered (PNG filter type 0) and deflated at level 3. The figures are mostly
    flat areas of a few colours, which deflate finds as repeats anyway: choosing a filter per row, as
    Pillow does, cost more time than all of the compression and made the files about a tenth larger.
    The pixels are exactly those given. Text that Latin-1 cannot hold goes in an ``iTXt`` chunk (UTF-8).
    """
    h, w, _ = rgb.shape
    rows = np.empty((h, 3 * w + 1), np.uint8)
    rows[:, 0] = 0  # each row's filter type: none
    rows[:, 1:] = rgb.reshape(h, 3 * w)
    packer = zlib.compressobj(3)
    data = packer.compress(cast(Any, rows)) + packer.flush()  # (an array is a buffer; numpy does not say so to mypy)
    ppm = int(dpi / 0.0254 + 0.5)  # pixels per metre
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)),
              _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))]
    for key, value in text.items():
        try:
            chunks.append(_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1")))
        except UnicodeEncodeError:
            chunks.append(_chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8")))
    step = 1 << 18
    chunks += [_chunk(b"IDAT", data[i:i + step]) for i in range(0, len(data), step)]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + _chunk(b"IEND", b"")
