"""Figures on paper and on disk: the canvas, the shared rc settings, formats and deterministic files.

Everything is drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas, never through
pyplot, so no display is needed and a caller's own pyplot backend (in Jupyter, say) is left alone.
Two saves of the same figure are byte-identical: a fixed SVG hash salt, no dates or software
versions in PNG, SVG or PDF.
"""
from __future__ import annotations

import difflib
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mapper.errors import MapperError

__all__ = ["DPI", "FIG_WIDTH_IN", "FORMATS", "RC", "check_format", "new_figure", "save"]

FORMATS = ("png", "svg", "pdf")
FIG_WIDTH_IN = 12.0
DPI = 200  # 2400 px wide

#: rc settings every figure is drawn and saved with.
RC = {
    "svg.hashsalt": "mapper",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "font.family": "DejaVu Sans",
    "hatch.linewidth": 0.7,
    "path.simplify": True,
}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}


def new_figure(width_in: float, height_in: float) -> Figure:
    """Return an empty white figure on an Agg canvas."""
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def check_format(fmt: str) -> str:
    """Return ``fmt`` as one of :data:`FORMATS`; raise MapperError (with a did-you-mean) otherwise."""
    f = (fmt or "").lower().lstrip(".")
    if f not in FORMATS:
        close = difflib.get_close_matches(f, FORMATS, n=1, cutoff=0.3)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise MapperError(f"unknown figure format {fmt!r} (choose one of {', '.join(FORMATS)}{hint})")
    return f


def save(fig: Figure, path: Path, fmt: str, dpi: float = DPI) -> Path:
    """Save ``fig`` to ``path`` as ``fmt`` at ``dpi`` without dates or versions; return the path."""
    with matplotlib.rc_context(RC):
        fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white")
    return Path(path)
