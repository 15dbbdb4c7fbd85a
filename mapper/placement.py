"""Label placement rules shared by the atlas's outputs: greedy, most important first, never overlapping.

The rules, in the units of whoever calls them (display pixels for the print figures):

1. Labels are placed in order of importance (:data:`IMPORTANCE`): the signing place, capitals, what
   changed, zones that began, the names of changed units, then cities by rank. An earlier label is
   never moved for a later one.
2. Each label has candidate positions, tried in order (:func:`around_point` for a place symbol:
   right, left, above, below, then the diagonals; :func:`around_area` for an area: its label point,
   then rings around it). The first candidate whose box overlaps no placed box and lies inside the
   frame (and inside the map's own outline, where that is not a rectangle) wins.
3. A label with no free candidate is dropped (the legend and the caption still say what it is);
   a place's symbol is dropped with its label.
4. Obstacles (symbols, the scale bar, the legend) are reserved before any label.
5. Two labels side by side on one line keep a word space apart, so that two names never read as one.

Boxes are ``(x0, y0, x1, y1)`` with ``x0 <= x1`` and ``y0 <= y1``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["IMPORTANCE", "Box", "Candidate", "Placer", "around_area", "around_point", "overlaps"]

Box = tuple[float, float, float, float]

#: Kinds of label, most important first: a kind earlier in this list is placed first.
IMPORTANCE = ("signing", "capital", "change", "zone", "unit", "city")


def overlaps(a: Box, b: Box, pad: float = 0.0) -> bool:
    """Return whether boxes ``a`` and ``b``, each grown by ``pad``, overlap (touching is not overlapping)."""
    return not (a[2] + pad <= b[0] - pad or b[2] + pad <= a[0] - pad
                or a[3] + pad <= b[1] - pad or b[3] + pad <= a[1] - pad)


def inside(a: Box, frame: Box) -> bool:
    """Return whether box ``a`` lies within ``frame``."""
    return a[0] >= frame[0] and a[1] >= frame[1] and a[2] <= frame[2] and a[3] <= frame[3]


@dataclass(frozen=True)
class Candidate:
    """A position for a label: anchor point and alignment (matplotlib's ``ha``/``va`` words)."""

    x: float
    y: float
    ha: str = "center"
    va: str = "center"
    leader: bool = False  # the label sits away from its feature and needs a line to it


def around_point(x: float, y: float, gap: float) -> list[Candidate]:
    """Return the candidates beside a point symbol ``gap`` away: right, left, above, below, diagonals."""
    d = gap * math.sqrt(0.5)
    return [Candidate(x + gap, y, "left", "center"), Candidate(x - gap, y, "right", "center"),
            Candidate(x, y + gap, "center", "bottom"), Candidate(x, y - gap, "center", "top"),
            Candidate(x + d, y + d, "left", "bottom"), Candidate(x - d, y + d, "right", "bottom"),
            Candidate(x + d, y - d, "left", "top"), Candidate(x - d, y - d, "right", "top")]


def around_area(x: float, y: float, step: float, rings: int = 3) -> list[Candidate]:
    """Return the candidates for an area's label: centred on its label point, then on rings ``step`` apart."""
    out = [Candidate(x, y)]
    for ring in range(1, rings + 1):
        for deg in (270, 0, 180, 90, 315, 225, 45, 135):
            a = math.radians(deg)
            out.append(Candidate(x + ring * step * math.cos(a), y + ring * step * math.sin(a), leader=True))
    return out


@dataclass
class Placer:
    """Greedy placement: reserve obstacles, then place labels in order of importance.

    ``frame`` bounds every label (None: no bound), and ``within``, where given, says whether a box lies inside
    a frame that is no rectangle (a map's curved neatline); ``pad`` is the clearance kept between boxes. Two labels
    side by side on one line (their boxes share most of their height) keep a word space apart (``space``,
    each label's own), so that two names never read as one.
    """

    frame: Box | None = None
    pad: float = 0.0
    within: Callable[[Box], bool] | None = None
    boxes: list[Box] = field(default_factory=list)
    spaces: list[float] = field(default_factory=list)  # each box's word space (0 for an obstacle), in step with boxes

    def reserve(self, box: Box) -> None:
        """Keep ``box`` free of labels (a symbol, the scale bar, the legend)."""
        self.boxes.append(box)
        self.spaces.append(0.0)

    def release_last(self) -> None:
        """Give back the room of the last box reserved or placed (a symbol whose label found no room)."""
        self.boxes.pop()
        self.spaces.pop()

    def free(self, box: Box, space: float = 0.0) -> bool:
        """Return whether a label (its text's box, words ``space`` apart) could take ``box``."""
        if self.frame is not None and not inside(box, self.frame):
            return False
        if self.within is not None and not self.within(box):
            return False
        for b, s in zip(self.boxes, self.spaces):
            if overlaps(box, b, self.pad):
                return False
            if s and space and _one_line(box, b) and _gap(box, b) < max(s, space):
                return False
        return True

    def place(self, candidates: Sequence[Candidate], measure: Callable[[Candidate], Box],
              space: float = 0.0) -> tuple[int, Box] | None:
        """Take the first candidate whose box (``measure(candidate)``) is free; return its index and box.

        ``space``: the label's word space (kept from a label beside it on its line). Returns None (the label is
        dropped) when no candidate is free.
        """
        for i, c in enumerate(candidates):
            box = measure(c)
            if self.free(box, space):
                self.boxes.append(box)
                self.spaces.append(space)
                return i, box
        return None


def _one_line(a: Box, b: Box) -> bool:
    """Return whether boxes ``a`` and ``b`` stand on one line (they share over half the lower one's height)."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _gap(a: Box, b: Box) -> float:
    """Return the horizontal distance between boxes ``a`` and ``b`` (0 when they overlap across)."""
    return max(0.0, b[0] - a[2], a[0] - b[2])


def order(kinds: Iterable[str]) -> list[int]:
    """Return the indices of ``kinds`` sorted by :data:`IMPORTANCE` (stable within a kind)."""
    ks = list(kinds)
    return sorted(range(len(ks)), key=lambda i: IMPORTANCE.index(ks[i]) if ks[i] in IMPORTANCE else len(IMPORTANCE))
