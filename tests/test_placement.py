"""The label placement rules (mapper.placement) and what they make of the print figures' map labels."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from mapper import placement  # noqa: E402
from mapper.figures.event_map import draw_event  # noqa: E402
from mapper.figures.labels import WORD_SPACE  # noqa: E402


def test_two_labels_on_one_line_keep_a_word_space_apart():
    p = placement.Placer(pad=0.5)
    assert p.place([placement.Candidate(0, 0)], lambda c: (0, 0, 40, 10), space=4) is not None
    beside = lambda x0: (lambda c: (x0, 1, x0 + 30, 11))  # noqa: E731  (most of the height shared: one line)
    assert p.place([placement.Candidate(0, 0)], beside(42), space=4) is None  # 2 apart: the names would run together
    assert p.place([placement.Candidate(0, 0)], beside(45), space=4) is not None  # 5 apart: a word space
    below = lambda c: (0, 12, 40, 22)  # noqa: E731  (stacked: 2 apart is enough, as before)
    assert p.place([placement.Candidate(0, 0)], below, space=4) is not None


def test_an_obstacle_keeps_only_the_pad_and_its_room_can_be_given_back():
    p = placement.Placer(pad=0.5)
    p.reserve((0, 0, 10, 10))  # a place's symbol: its own label sits close beside it
    assert p.free((12, 0, 40, 10), space=4)
    p.place([placement.Candidate(0, 0)], lambda c: (12, 0, 40, 10), space=4)
    assert not p.free((42, 0, 60, 10), space=4)
    p.release_last()
    assert p.free((42, 0, 60, 10), space=4) and len(p.boxes) == len(p.spaces) == 1


@pytest.mark.parametrize("event_id, lang", [("gulistan-1813", "fa"), ("turkmenchay-1828", "en")])
def test_no_two_map_labels_on_one_line_run_together(atlas, event_id, lang):
    """At a report's column width the labels are dense: two names side by side on one line stand a word
    space apart (in the Persian Gulistan figure the Sheki and Baku khanates used to read as one)."""
    fig = draw_event(atlas, event_id, lang=lang, size="column")
    (ax,) = [a for a in fig.axes if a.get_gid() == "map"]
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith(("label_", "place_label_")) and t.get_visible()]
    boxes = [(t, t.get_window_extent(renderer)) for t in labels]
    assert len(boxes) > 5
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1:]:
            shared = min(a.y1, b.y1) - max(a.y0, b.y0)
            if shared > 0.5 * min(a.height, b.height):
                space = WORD_SPACE * max(ta.get_fontsize(), tb.get_fontsize()) * fig.dpi / 72
                gap = max(b.x0 - a.x1, a.x0 - b.x1)
                assert gap >= space - 0.5, (ta.get_text(), tb.get_text(), gap, space)
