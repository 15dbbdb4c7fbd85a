"""Print figures with matplotlib: one map per event, an overview of the border changes, a territory chart.

Where to change what:

- ``symbols``: fills, hatches, lines and markers of holders, zones, changed units and places (colours
  from :mod:`mapper.style`);
- ``captions``: every sentence a figure shows (change labels, loss captions, legend names, credits);
- ``frame``: projection, map window and focus window, neatline, graticule, scale bar;
- ``labels``: which places are shown and where labels go without overlapping;
- ``mapview``: one map of the state after a step (used large by ``event_map``, small by ``overview``);
- ``event_map``, ``overview``, ``territory``: one module per figure type;
- ``saving``: canvas, rc settings, formats, byte-identical files;
- ``files``: the figures a build writes and the entry points that draw and save them.

The palette reads in greyscale: Persia, other holders and Russia differ in lightness, and Russia and
other holders also carry a hatch, so colour is never the only cue. Artists that stand for a record carry
a ``gid`` (``unit_<id>``, ``changed_<id>``, ``zone_<id>``, ``place_<id>``, ``bar_<event-id>`` ...).
"""
from __future__ import annotations

from mapper.figures.captions import ATTRIBUTION
from mapper.figures.event_map import draw_event
from mapper.figures.files import (
    draw_figure,
    figure_names,
    save_figure,
    write_figure,
    write_figures,
)
from mapper.figures.frame import WINDOW
from mapper.figures.overview import border_steps, draw_overview
from mapper.figures.saving import FORMATS
from mapper.figures.symbols import HOLDER_STYLES, ZONE_STYLES
from mapper.figures.territory import draw_territory

__all__ = [
    "ATTRIBUTION",
    "FORMATS",
    "HOLDER_STYLES",
    "WINDOW",
    "ZONE_STYLES",
    "border_steps",
    "draw_event",
    "draw_figure",
    "draw_overview",
    "draw_territory",
    "figure_names",
    "save_figure",
    "write_figure",
    "write_figures",
]
