"""A faster Agg canvas for the figures: text laid out, measured and rasterised once per process, then reused.

Text is most of the cost of a figure: matplotlib lays out and rasterises every glyph of every
label anew on each draw (in 3.11 glyph by glyph, through libraqm), and the figures are full of the
same names, numbers and headings in the same few sizes. :class:`Canvas` draws exactly as
:class:`~matplotlib.backends.backend_agg.FigureCanvasAgg` does, except that its renderer keeps

- each string's glyph layout, by string, font properties, resolution and hinting, and the metrics
  matplotlib would compute for it, read from that layout (matplotlib shapes a string once to measure
  it and again to draw it; the numbers are the same, see :meth:`_Renderer._measure`);
- each glyph's bitmap, by font file, size, resolution and its position within a pixel, rounded to a
  quarter of a pixel (at 200 dpi, 0.03 mm: nothing on paper moves).

Only horizontal plain text takes this path (rotated text and mathtext are drawn as matplotlib
draws them). The caches live as long as the process; what they hold depends only on their keys,
so files stay byte-identical from one run or worker process to the next.
"""
from __future__ import annotations

from typing import Any

import codecs
import os
import unicodedata

import numpy as np
from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import RenderMode
from matplotlib.transforms import Affine2D

__all__ = ["Canvas", "clear_caches"]

#: Positions within a pixel, in 1/64 px, that glyph bitmaps are kept for (quarter pixels).
_QUANTUM = 16
#: Unicode categories whose glyph's advance shaping may change (marks; format and control characters: ZWNJ, RLM).
_NOT_PLAIN = frozenset({"Mn", "Me", "Cf", "Cc"})
_LIMIT = 200_000

_METRICS: dict[tuple, tuple[float, float, float]] = {}
_LAYOUTS: dict[tuple, tuple[list[tuple[Any, int, float, float]], bool]] = {}
_GLYPHS: dict[tuple, tuple[np.ndarray, int, int]] = {}
_HEIGHTS: dict[tuple, tuple[float | None, float | None, float | None]] = {}
_BOXES: dict[tuple, tuple[tuple[int, int, int, int], int]] = {}


def clear_caches() -> None:
    """Forget every kept layout, metric and glyph (tests; a long-lived process that changed fonts)."""
    _METRICS.clear()
    _LAYOUTS.clear()
    _GLYPHS.clear()
    _HEIGHTS.clear()
    _BOXES.clear()


# A kept layout holds the fonts it was made with. A forked process must not use its parent's: they read
# their font files through descriptors the two processes share, and two reading at once read each other's
# glyphs (matplotlib forgets its own fonts after a fork for the same reason). The numbers and bitmaps stay.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_LAYOUTS.clear)


def _prop_key(prop: FontProperties) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_file(), prop.get_size_in_points())


def _font_heights(prop: FontProperties, dpi: float) -> tuple[float | None, float | None, float | None]:
    """Return the ascent, descent and line gap of ``prop``'s font at ``dpi``, as :class:`matplotlib.text.Text`
    computes them for each layout (finding the font and reading its tables every time), kept by font and size."""
    key = (_prop_key(prop), dpi)
    kept = _HEIGHTS.get(key)
    if kept is not None:
        return kept
    font: Any = get_font(fontManager._find_fonts_by_props(prop))
    got: tuple[float | None, float | None, float | None] = (None, None, None)
    for table_name, linegap_key, ascent_key, descent_key in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                                             ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72  # the same expression as matplotlib's: the same floats
        got = (table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale)
        break
    return _keep(_HEIGHTS, key, got)


def _glyph_box(ft: Any, size: float, dpi: float, index: int, flags: Any) -> tuple[tuple[int, int, int, int], int]:
    """Return a glyph's control box and advance at ``size`` and ``dpi``, in 26.6 fixed point, as FreeType loads it."""
    key = (ft.fname, size, dpi, index, flags)
    got = _BOXES.get(key)
    if got is None:
        ft.set_size(size, dpi)  # (also undoes the offset a glyph was last rendered at)
        glyph = ft.load_glyph(index, flags)
        got = _keep(_BOXES, key, (tuple(glyph.bbox), glyph.horiAdvance))
    return got


def _keep(cache: dict, key: tuple, value: Any) -> Any:
    if len(cache) >= _LIMIT:
        cache.clear()
    cache[key] = value
    return value


class _Renderer(RendererAgg):
    """RendererAgg whose plain horizontal text reuses kept metrics, layouts and glyph bitmaps."""

    def _get_font_height_metrics(self, prop):  # type: ignore[no-untyped-def]
        return _font_heights(prop, self.dpi)  # (the figure's resolution: a figure is drawn at its own)

    def get_text_width_height_descent(self, s, prop, ismath):  # type: ignore[no-untyped-def]
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        flags = get_hinting_flag()
        key = (s, _prop_key(prop), self.dpi, flags)
        got = _METRICS.get(key)
        if got is None:
            got = _keep(_METRICS, key, self._measure(s, prop, flags))
        return got

    def _measure(self, s: str, prop: FontProperties, flags: Any) -> tuple[float, float, float]:
        """Return the width, height and descent of ``s`` in pixels, as ``FT2Font.set_text`` gives them, from its kept layout.

        matplotlib shapes a string once to measure it and again to draw it (each through libraqm:
        about a millisecond a string, two in Persian), and every string drawn was measured first. Here
        one layout serves both: the width is the pen's advance after the last glyph, the height and
        descent those of the glyphs' boxes (26.6 fixed point, as FreeType gives them, so the same numbers).
        """
        items, plain_end = self._layout_of(s, prop, flags, None, None)
        if not items:
            return 0.0, 0.0, 0.0
        if not plain_end:  # the last glyph's advance may not be its own (a mark's, a zero-width character's)
            return super().get_text_width_height_descent(s, prop, False)
        size = prop.get_size_in_points()
        low, high = 32000 * 64, -32000 * 64
        advance = 0
        for ft, index, _x, y in items:
            (_x0, y0, _x1, y1), advance = _glyph_box(ft, size, self.dpi, index, flags)
            dy = round(y * 64)
            low, high = min(low, y0 + dy), max(high, y1 + dy)
        return items[-1][2] + advance / 64, (high - low) / 64, -low / 64

    def _layout_of(self, s: str, prop: FontProperties, flags: Any, features: Any,
                   language: Any) -> tuple[list[tuple[Any, int, float, float]], bool]:
        """Return the kept layout of ``s`` (font, glyph index, x, y per glyph, as ``FT2Font._layout`` gives it) and
        whether its last glyph stands for ordinary characters only (no mark, no zero-width or control character)."""
        key = (s, _prop_key(prop), self.dpi, flags, tuple(features) if features else None,
               language if isinstance(language, str) or language is None else tuple(language))
        got = _LAYOUTS.get(key)
        if got is None:
            font = self._prepare_font(prop)
            laid = font._layout(s, flags=flags, features=features, language=language)
            plain = not laid or not any(unicodedata.category(ch) in _NOT_PLAIN for ch in laid[-1].char)
            got = _keep(_LAYOUTS, key, ([(it.ft_object, it.glyph_index, it.x, it.y) for it in laid], plain))
        return got

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # type: ignore[no-untyped-def]
        if ismath or angle % 360:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        items, _ = self._layout_of(s, prop, flags, features, language)
        size = prop.get_size_in_points()
        aa = bool(gc.get_antialiased())
        height = int(self.height)
        for ft, index, dx, dy in items:
            # where matplotlib puts the glyph's origin, in 1/64 px (y upwards), rounded to a quarter pixel
            tx = round(round(64 * (x + dx)) / _QUANTUM) * _QUANTUM
            ty = round(round(64 * (self.height - y + dy)) / _QUANTUM) * _QUANTUM
            fx, fy = tx % 64, ty % 64
            gkey = (ft.fname, size, self.dpi, index, flags, aa, fx, fy)
            glyph = _GLYPHS.get(gkey)
            if glyph is None:
                ft.set_size(size, self.dpi)
                ft._set_transform(np.array([[0x10000, 0], [0, 0x10000]]), [fx, fy])
                bitmap = ft._render_glyph(index, flags, RenderMode.NORMAL if aa else RenderMode.MONO)
                buffer = np.array(bitmap.buffer, copy=True)
                if not aa:
                    buffer *= 0xff
                glyph = _keep(_GLYPHS, gkey, (buffer, bitmap.left, bitmap.top))
            buffer, left, top = glyph
            if buffer.size:
                self._renderer.draw_text_image(buffer, left + (tx - fx) // 64,
                                               height - (top + (ty - fy) // 64) + buffer.shape[0], 0, gc)
        return None


class _SVGRenderer(RendererSVG):
    """RendererSVG whose text metrics are kept like :class:`_Renderer`'s (an SVG's text is laid out at 72 dpi), and
    which names each clip path's transform once per SVG.

    RendererSVG tells clip paths apart by their path and the text of their transform (``str``: numpy prints
    two matrices, about a millisecond), made anew for every artist clipped; a map clips some forty outlines
    to its neatline, through the same matrix. The text is kept by the matrix (its bytes and numpy's print
    options: all that ``str`` reads) for the SVG being written; the ids and the file are the same.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._flip_texts: dict[tuple, str] = {}

    def _get_clip_attrs(self, gc):  # type: ignore[no-untyped-def]
        clippath, trans = gc.get_clip_path()
        if clippath is None or type(trans) is not Affine2D:  # (as matplotlib does it, unkept)
            return super()._get_clip_attrs(gc)
        # what RendererSVG._get_clip_attrs does for a clip path, str(clippath_trans) kept
        clippath_trans = self._make_flip_transform(trans)
        key = (trans.get_matrix().tobytes(), self.height, repr(sorted(np.get_printoptions().items())))
        text = self._flip_texts.get(key)
        if text is None:
            text = self._flip_texts[key] = str(clippath_trans)
        dictkey = (self._get_clippath_id(clippath), text)
        clip = self._clipd.get(dictkey)
        if clip is None:
            oid = self._make_id('p', dictkey)
            self._clipd[dictkey] = ((clippath, clippath_trans), oid)
        else:
            _, oid = clip
        return {'clip-path': f'url(#{oid})'}

    def _get_font_height_metrics(self, prop):  # type: ignore[no-untyped-def]
        return _font_heights(prop, 72)  # (print_svg draws the figure at 72 dpi)

    def get_text_width_height_descent(self, s, prop, ismath):  # type: ignore[no-untyped-def]
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _prop_key(prop), "svg", self.points_to_pixels(72))
        got = _METRICS.get(key)
        if got is None:
            got = _keep(_METRICS, key, super().get_text_width_height_descent(s, prop, ismath))
        return got


class Canvas(FigureCanvasAgg):
    """FigureCanvasAgg drawing with :class:`_Renderer` (same pictures, text drawn from the kept caches).

    Outside a draw, its renderer is one pixel big: laying a figure out measures text and legends,
    which needs the resolution, not a page of pixels (a 40-inch provisional sheet at 200 dpi is a
    40 MB buffer to clear). SVG is written with :class:`_SVGRenderer`.
    """

    _drawing = False
    _measurer: _Renderer | None = None

    def draw(self):  # type: ignore[no-untyped-def]
        from mapper.figures.layers import standing_in

        self._drawing = True
        try:
            with standing_in(self.figure):  # each map's geometry drawn once per build, whatever the language
                super().draw()
        finally:
            self._drawing = False

    def get_renderer(self):  # type: ignore[no-untyped-def]
        if not self._drawing:
            if self._measurer is None or self._measurer.dpi != self.figure.dpi:
                self._measurer = _Renderer(1, 1, self.figure.dpi)
            return self._measurer
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _Renderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_: Any):  # type: ignore[no-untyped-def]
        """Write the figure as SVG as matplotlib's SVG canvas does, with :class:`_SVGRenderer` (the options savefig
        handles itself, facecolor and such, are left to it)."""
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as opened:
            fh: Any = opened if cbook.file_requires_unicode(opened) else codecs.getwriter("utf-8")(opened)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            renderer: Any = MixedModeRenderer(self.figure, width, height, dpi,
                                         _SVGRenderer(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata),
                                         bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()
