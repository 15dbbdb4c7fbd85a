"""A map's geometry drawn once and reused by every edition: fills, hatches, borders and graticule as one raster.

The geometry of a map (:func:`mapper.figures.mapview.draw_map`: sea, land, units, hatches, holders'
borders, claims, zones, what changed, the graticule's lines) is the same in English, Persian and
Russian; only its text differs. ``draw_map`` marks those artists as the axes' layer (:func:`mark`).
When a figure is drawn to pixels (:class:`mapper.figures.glyphs.Canvas`, PNG), the layer's artists
stand aside and one image stands in for them (:func:`standing_in`): their drawing, made once per
build and kept by a digest of everything that decides its pixels (each artist's path, colours, line
widths and styles, hatch, clip path and order; the axes' limits and size in pixels; the resolution;
the rc settings that change how paths are drawn). Two maps whose layers draw the same pixels share it,
whichever edition drew it first; anything that changes a pixel changes the digest, so a layer is never
reused for another drawing.

The layer is always drawn with the axes at the same place within a pixel (its lower-left corner on
a pixel's corner, hatches anchored there), then put at the axes' place rounded to whole pixels, so
that the file does not depend on which edition drew the layer first: builds stay byte-identical.
The text, place symbols, scale bar and neatline are drawn over it as before. SVG and PDF files draw
every artist as vectors (the SVG keeps each record's ``gid``); the artists stay on the axes for anyone
who reads them.

The drawings are kept in memory for the process and, when a build names a folder (:func:`use_folder`),
there as ``<digest>.npy`` for its other worker processes; the build removes the folder when it ends.
"""
from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.transforms import Bbox, TransformedPatchPath

__all__ = ["clear", "mark", "standing_in", "use_folder"]

#: Pixels of room round the axes in a layer's drawing (lines on its edge are clipped to the axes anyway).
MARGIN_PX = 3
#: rc settings that change how Agg draws a path.
_RC = ("path.simplify", "path.simplify_threshold", "path.snap", "path.sketch", "agg.path.chunksize")
_MEMORY: dict[str, np.ndarray] = {}
_MEMORY_LIMIT = 48
_FOLDER: Path | None = None
_ATTR = "_mapper_layer"


def use_folder(folder: Path | str | None) -> None:
    """Keep layers in ``folder`` too, shared by the build's worker processes (None: in memory only)."""
    global _FOLDER
    _FOLDER = None if folder is None else Path(folder)


def clear() -> None:
    """Forget the layers kept in memory."""
    _MEMORY.clear()


def mark(ax: Any, artists: list[Artist]) -> None:
    """Make ``artists`` (path patches and lines in ``ax``'s data coordinates) the layer of ``ax``."""
    setattr(ax, _ATTR, list(artists))


def _layer(ax: Any) -> list[Artist]:
    arts = getattr(ax, _ATTR, None) or []
    data = ax.transData
    if getattr(ax.transAxes, "_boxout", None) is not ax.bbox:  # (how _Stand._render moves the axes)
        return []
    for a in arts:  # only what the digest describes completely; anything else is drawn as it is
        if a.axes is not ax or not isinstance(a, (PathPatch, Line2D)) or Artist.get_transform(a) is not data:
            return []
        clip = a.get_clip_path()
        if clip is not None and not (isinstance(clip, TransformedPatchPath) and getattr(clip, "_patch").axes is ax
                                     and Artist.get_transform(getattr(clip, "_patch")) is data):
            return []
    return [a for a in arts if a.get_visible()]


@contextmanager
def standing_in(fig: Any) -> Iterator[None]:
    """While drawing ``fig`` to pixels, draw each axes' layer as one kept image instead of its artists."""
    stands = []
    for ax in fig.axes:
        arts = _layer(ax)
        if not arts:
            continue
        stand = _Stand(ax, arts)
        for a in arts:
            a.set_visible(False)
        ax.add_artist(stand)
        stands.append(stand)
    try:
        yield
    finally:
        for stand in stands:
            stand.remove()
            for a in stand.arts:
                a.set_visible(True)


class _Stand(Artist):
    """Stands in for an axes' layer in one Agg draw: draws (or finds) the layer's image and puts it in place."""

    def __init__(self, ax: Any, arts: list[Artist]):
        super().__init__()
        self.ax = ax
        self.arts: list[Any] = sorted(arts, key=lambda a: a.get_zorder())  # the order Axes.draw draws them in (stable)
        self.set_zorder(self.arts[0].get_zorder())

    def draw(self, renderer: Any) -> None:
        if not self.get_visible():
            return
        box = self.ax.bbox
        # (the axes' size in pixels, rounded: it comes out of the figure's height, which differs in its last bits)
        width, height = round(box.width, 6), round(box.height, 6)
        key = self._key(renderer.dpi, width, height)
        image = _find(key)
        if image is None:
            image = _keep(key, self._render(renderer.dpi, width, height))
        gc = renderer.new_gc()
        try:
            renderer.draw_image(gc, round(box.x0) - MARGIN_PX, round(box.y0) - MARGIN_PX, image)
        finally:
            gc.restore()

    def _key(self, dpi: float, width: float, height: float) -> str:
        h = hashlib.blake2b(digest_size=20)

        def feed(*parts: Any) -> None:
            h.update(repr(parts).encode())

        feed("layer 3", float(dpi), float(width), float(height), MARGIN_PX, tuple(map(float, self.ax.get_xlim())),
             tuple(map(float, self.ax.get_ylim())),
             [cast(Any, matplotlib.rcParams)[k] for k in _RC])
        for a in self.arts:
            feed(type(a).__name__, a.get_zorder(), a.get_alpha(), a.get_clip_on(), a.get_antialiased(),
                 a.get_snap(), a.get_sketch_params(), a.get_rasterized(), a.get_path_effects())
            clip = cast(Any, a.get_clip_path())
            if isinstance(clip, TransformedPatchPath):
                outline = getattr(clip, "_patch")  # the patch whose outline clips
                _path(h, outline.get_path())
                feed(outline.axes is self.ax and Artist.get_transform(outline) is self.ax.transData)
            if isinstance(a, PathPatch):
                _path(h, a.get_path())
                feed(tuple(a.get_facecolor()), tuple(a.get_edgecolor()), a.get_linewidth(), a.get_linestyle(),
                     getattr(a, "_dash_pattern"), a.get_hatch(), tuple(getattr(a, "_hatch_color")), a.get_hatch_linewidth(),
                     a.get_joinstyle(), a.get_capstyle(), a.get_fill())
            else:
                h.update(np.ascontiguousarray(a.get_xydata(), dtype=np.float64).tobytes())
                feed(a.get_color(), a.get_linewidth(), a.get_linestyle(), a._dash_pattern, a.get_marker(),
                     a.get_markersize(), a.get_markerfacecolor(), a.get_markeredgecolor(), a.get_drawstyle(),
                     a.get_solid_joinstyle(), a.get_solid_capstyle(), a.get_dash_joinstyle(), a.get_dash_capstyle())
        return h.hexdigest()

    def _render(self, dpi: float, width: float, height: float) -> np.ndarray:
        """Draw the layer with the axes (``width`` by ``height`` pixels) at (MARGIN_PX, MARGIN_PX) of a small canvas."""
        from mapper.figures.glyphs import _Renderer

        ax = self.ax
        w_px, h_px = math.ceil(width) + 2 * MARGIN_PX, math.ceil(height) + 2 * MARGIN_PX
        # the axes' box in pixels given exactly (moving the axes instead left it a last bit off, which differs with
        # the figure's height, and so with the language, and moved an edge pixel's shade)
        to_box = ax.transAxes
        to_box._boxout = Bbox.from_bounds(MARGIN_PX, MARGIN_PX, width, height)
        to_box.invalidate()
        renderer = _Renderer(w_px, h_px, dpi)
        try:
            for a in self.arts:
                a.set_visible(True)
                try:
                    a.draw(renderer)
                finally:
                    a.set_visible(False)
        finally:
            to_box._boxout = ax.bbox
            to_box.invalidate()
        # bottom row first: Agg's draw_image reads an image upwards, as matplotlib's images hand it theirs
        return np.ascontiguousarray(np.asarray(renderer.buffer_rgba())[::-1])


def _path(h: Any, path: Any) -> None:
    h.update(np.ascontiguousarray(path.vertices, dtype=np.float64).tobytes())
    h.update(b"-" if path.codes is None else np.ascontiguousarray(path.codes).tobytes())
    h.update(repr((path.should_simplify, path.simplify_threshold, path._interpolation_steps)).encode())


def _find(key: str) -> np.ndarray | None:
    image = _MEMORY.get(key)
    if image is None and _FOLDER is not None:
        try:
            image = np.load(_FOLDER / f"{key}.npy", allow_pickle=False)
        except (OSError, ValueError):
            return None
        _remember(key, image)
    return image


def _remember(key: str, image: np.ndarray) -> None:
    if len(_MEMORY) >= _MEMORY_LIMIT:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[key] = image


def _keep(key: str, image: np.ndarray) -> np.ndarray:
    _remember(key, image)
    if _FOLDER is not None:
        try:
            fd, tmp = tempfile.mkstemp(dir=_FOLDER, suffix=".part")
            with os.fdopen(fd, "wb") as f:
                np.save(f, image, allow_pickle=False)
            os.replace(tmp, _FOLDER / f"{key}.npy")  # whole or not at all: another worker may be reading
        except OSError:
            pass  # (the folder gone with its build) a layer not shared is drawn again by the next worker that needs it
    return image
