"""Print figures with matplotlib: one map per event, an overview of the border changes, a territory chart.

Where to change what:

- ``symbols``: what print adds to the one palette (:mod:`mapper.style`, read directly where things are
  drawn): hatch density, place markers, the halo behind labels;
- ``captions``: grouping and wording of a step's changes through :mod:`mapper.words` (the one catalogue);
- ``frame``: projection, map window and focus window, neatline, graticule, scale bar;
- ``labels``: which places are shown and where labels go without overlapping (the rules are
  :mod:`mapper.placement`'s, measured with the renderer at the printed size);
- ``sheet``: a figure laid out top-down in inches whose height fits its content;
- ``mapview``: one map of the state after a step (used large by ``event_map``, small by ``overview``);
- ``event_map``, ``overview``, ``territory``: one module per figure type;
- ``glyphs``: the figures' Agg canvas, which lays out and rasterises each string and glyph once per process;
- ``layers``: each map's geometry drawn to pixels once per build and shared by the editions' PNGs;
- ``saving``: the sizes figures are made for (column, page, slide), canvas, rc settings, formats,
  metadata (SVG ``<title>``/``<desc>`` and real ``<text>``, PDF Title/Author), byte-identical files;
- ``files``: the figures a build writes and the entry points that draw and save them.

The palette reads in greyscale: Persia, other holders and Russia differ in lightness, and Russia and
other holders also carry a hatch, so colour is never the only cue. Artists that stand for a record carry
a ``gid`` (``unit_<id>``, ``changed_<id>``, ``zone_<id>``, ``place_<id>``, ``bar_<event-id>`` ...).
"""
from __future__ import annotations

from mapper.figures.event_map import draw_event
from mapper.figures.files import (
    draw_figure,
    figure_events,
    figure_names,
    save_figure,
    write_figure,
    write_figures,
)
from mapper.figures.frame import WINDOW
from mapper.figures.overview import border_steps, draw_overview
from mapper.figures.saving import FORMATS, MIN_PT, SIZES
from mapper.figures.territory import draw_territory

__all__ = [
    "FORMATS",
    "MIN_PT",
    "SIZES",
    "WINDOW",
    "border_steps",
    "draw_event",
    "draw_figure",
    "draw_overview",
    "figure_events",
    "draw_territory",
    "figure_names",
    "save_figure",
    "write_figure",
    "write_figures",
]
