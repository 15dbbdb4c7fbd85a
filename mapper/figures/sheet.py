"""A figure laid out from the top down in inches, whose height fits what was put on it.

Figures go into reports at a fixed width; their height follows their content. A :class:`Sheet`
places text, legends and axes at positions measured in inches from its top-left corner, measures
what it placed with the renderer (so blocks never overlap), and :meth:`Sheet.finish` sets the figure's
height to what was used (or keeps a fixed height, for slides). Axes keep their size in inches.

A sheet for a right-to-left language (``rtl``) mirrors every position: what a figure places at ``x``
inches from the left goes ``x`` inches from the right, text is aligned to the right and legends put
their symbols right of their labels. The figures are laid out once, for both directions.
"""
from __future__ import annotations

import os
import textwrap
from typing import Any, Literal

from matplotlib import rcParams
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform

from mapper.figures.saving import DPI, new_figure

__all__ = ["RTL", "Sheet", "wrap"]

#: The languages written right to left (their figures are mirrored).
RTL = frozenset({"fa"})

_PROVISIONAL_IN = 40.0


#: Each text's average glyph width in em, by font file and text (a figure's legend labels and credits recur).
_EM_PER_CHAR: dict[tuple[str, str], float] = {}
_EM_LIMIT = 20_000
#: One FreeType face per font file, kept for measuring: a fresh one recomputes the auto-hinter's metrics for the
#: script (half the cost of measuring a text).
_MEASURING_FONTS: dict[str, FT2Font] = {}

# A forked worker must not read its font file through its parent's face (they would share a file position;
# matplotlib forgets its own fonts after a fork for the same reason). The measured widths stay.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_MEASURING_FONTS.clear)


def _em_per_char(text: str) -> float:
    """Return the average width of ``text``'s glyphs in em, in the figures' font (Cyrillic is wider than Latin)."""
    path = findfont(FontProperties(family=rcParams["font.family"]))
    key = (path, text)
    got = _EM_PER_CHAR.get(key)
    if got is None:
        font = _MEASURING_FONTS.get(path)
        if font is None:
            font = _MEASURING_FONTS[path] = FT2Font(path)
        font.set_size(100, 72)
        font.set_text(text)
        got = font.get_width_height()[0] / 64 / 100 / max(1, len(text))
        if len(_EM_PER_CHAR) >= _EM_LIMIT:
            _EM_PER_CHAR.clear()
        _EM_PER_CHAR[key] = got
    return got


def wrap(text: str, width_in: float, size_pt: float) -> str:
    """Return ``text`` wrapped to lines that fit ``width_in`` at ``size_pt``.

    The line length comes from the text's own average glyph width (Cyrillic is wider than Latin), at
    least 0.55 em.
    """
    wide = any("\u0400" <= ch <= "\u04ff" for ch in text)  # Cyrillic: measured (Latin keeps 0.55 em)
    em = max(0.55, 1.06 * _em_per_char(text)) if wide else 0.55  # 6 %: lines vary about the average
    chars = max(10, int(width_in * 72 / (size_pt * em)))
    return "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)) or text


class Sheet:
    """A figure ``width_in`` wide, laid out top-down; ``height_in`` fixes its height (else it fits); ``rtl`` mirrors it."""

    def __init__(self, width_in: float, height_in: float | None = None, dpi: float = DPI, rtl: bool = False):
        self.width = width_in
        self.rtl = rtl
        self.fixed = height_in
        self.fig: Figure = new_figure(width_in, height_in or _PROVISIONAL_IN, dpi)
        self._shift = Affine2D().translate(0, height_in or _PROVISIONAL_IN)
        #: (x inches from the left, -y inches from the top) to display coordinates
        self.top: Transform = Affine2D().scale(1, -1) + self._shift + self.fig.dpi_scale_trans
        self.renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self._axes: list[tuple[Axes, tuple[float, float, float, float]]] = []
        self.bottom = 0.0  # inches from the top used so far

    # --- measuring ---

    def extent_in(self, artist: Artist) -> tuple[float, float]:
        """Return the width and height in inches ``artist`` takes when drawn."""
        bb = artist.get_window_extent(self.renderer)
        return bb.width / self.fig.dpi, bb.height / self.fig.dpi

    # --- placing ---

    def text(self, x: float, y: float, s: str, *, size: float, gid: str, **kw: Any) -> Text:
        """Put text whose top-left (by default) is ``x``, ``y`` inches from the top-left; note how low it reaches."""
        kw.setdefault("ha", "left")
        kw.setdefault("va", "top")
        kw.setdefault("color", "#222222")
        if self.rtl:
            x = self.width - x
            kw["ha"] = {"left": "right", "right": "left"}.get(kw["ha"], kw["ha"])
            kw.setdefault("multialignment", kw["ha"])
        t = self.fig.text(x, y, s, transform=self.top, fontsize=size, gid=gid, **kw)
        if kw["va"] == "top":
            self.bottom = max(self.bottom, y + self.extent_in(t)[1])
        return t

    def legend(self, x: float, y: float, handles: list, labels: list[str], **kw: Any) -> Legend:
        """Put a legend whose top-left is ``x``, ``y`` inches from the top-left; note how low it reaches."""
        loc: Literal["upper left", "upper right"] = "upper left"
        if self.rtl:
            x, loc = self.width - x, "upper right"
            kw["markerfirst"] = False
            kw["alignment"] = {"left": "right", "right": "left"}.get(kw.get("alignment", "left"), "center")
        leg = self.fig.legend(handles, labels, loc=loc, bbox_to_anchor=(x, y), bbox_transform=self.top,
                              frameon=False, borderaxespad=0, borderpad=0, **kw)
        self.bottom = max(self.bottom, y + self.extent_in(leg)[1])
        return leg

    def axes(self, x: float, y: float, w: float, h: float, gid: str, mirror: bool = True) -> Axes:
        """Add axes ``w`` by ``h`` inches whose top-left is ``x``, ``y`` inches from the top-left.

        On a right-to-left sheet the axes go ``x`` inches from the right, unless ``mirror`` is false (a map
        as wide as the sheet keeps the room for its latitude labels on the left).
        """
        if self.rtl and mirror:
            x = self.width - x - w
        ax = self.fig.add_axes(self._fraction(x, y, w, h, self.fixed or _PROVISIONAL_IN))
        ax.set_gid(gid)
        self._axes.append((ax, (x, y, w, h)))
        self.bottom = max(self.bottom, y + h)
        return ax

    def _fraction(self, x: float, y: float, w: float, h: float, height: float) -> tuple[float, float, float, float]:
        return (x / self.width, (height - y - h) / height, w / self.width, h / height)

    def finish(self, margin: float = 0.1) -> Figure:
        """Fit the figure's height to what was placed (plus ``margin``) unless it is fixed; return the figure."""
        if self.fixed is None:
            height = self.bottom + margin
            self.fig.set_size_inches(self.width, height)
            self._shift.clear().translate(0, height)
            for ax, (x, y, w, h) in self._axes:
                ax.set_position(self._fraction(x, y, w, h, height))
        return self.fig
