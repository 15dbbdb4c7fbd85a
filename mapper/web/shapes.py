"""Geometry as the browser draws it: one topology of the atlas's shapes, each shared border embedded once.

The units, zones, modern countries and the sea's frame are cut into *arcs* at the points where
three or more rings meet (TopoJSON-style): a border between two units, or between a unit and the
zone or country it shares an edge with, becomes one arc that every ring using it refers to (forwards,
or backwards as ``~i``). Each arc is simplified once (Douglas-Peucker, in kilometres), so neighbours
keep one border; an arc drawn by a unit or zone stays within :data:`UNIT_TOLERANCE` of the
committed geometry, one only modern countries use is coarser (:data:`COUNTRY_TOLERANCE`).
Coordinates are quantised to :data:`GRID` degrees and travel as delta-encoded zigzag varints (5 bits
a character in the base64url alphabet, the 6th bit set when more follow); ``assets/topology.js``
decodes them. :func:`web_shapes` gives the same shapes back as shapely geometries, for label points,
focus boxes and the tests.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from mapper.model import Atlas

__all__ = ["Arcs", "COUNTRY_TOLERANCE", "GRID", "UNIT_TOLERANCE", "Topology", "WebShapes", "bounds", "build_topology",
           "decode_topology", "web_geometries", "web_shapes", "web_topology"]

#: How far a simplified border of a unit or zone may stray from the committed one (Douglas-Peucker
#: tolerance, km); with the quantisation below it stays within 1 km.
UNIT_TOLERANCE = 0.72  # km
COUNTRY_TOLERANCE = 15.0  # modern countries' own borders are for orientation only
_SNAP = 1000  # the committed data sit on a 0.001° grid: shared vertices are found there
_STEP = 4
GRID = _STEP / _SNAP  # coordinates quantised to 0.004° (at most about 0.3 km off)
_KM_PER_DEG = 111.32
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

Point = tuple[int, int]
Ring = list[Point]


@dataclass(frozen=True)
class Arcs:
    """Every arc once, as three varint strings: ``points`` (each arc's number of points) and the steps
    ``x`` and ``y`` in :data:`GRID` units, all arcs' points one after another, each a step from the point
    before (the first from 0, 0). Apart, the two streams compress better than interleaved."""

    points: str
    x: str
    y: str


@dataclass(frozen=True)
class Topology:
    """The encoded topology: ``arcs`` and, per layer and id, polygons -> rings -> a varint string of
    arc references (``i`` forwards, ``~i`` backwards)."""

    arcs: Arcs
    units: dict[str, list[list[str]]]
    zones: dict[str, list[list[str]]]
    countries: dict[str, list[list[str]]]
    sea: list[list[str]]


@dataclass(frozen=True)
class WebShapes:
    """The units, zones and modern countries as drawn in the browser, keyed by id."""

    units: dict[str, BaseGeometry]
    zones: dict[str, BaseGeometry]
    countries: dict[str, BaseGeometry]


def _varints(values: Iterable[int]) -> str:
    """Return integers as zigzag varints, 5 bits a character in the base64url alphabet (6th bit: more follows)."""
    out = []
    for v in values:
        z = v * 2 if v >= 0 else -v * 2 - 1
        while z >= 32:
            out.append(_B64[32 | (z & 31)])
            z >>= 5
        out.append(_B64[z])
    return "".join(out)


def _unvarints(s: str) -> list[int]:
    out, z, shift = [], 0, 0
    for ch in s:
        c = _B64.index(ch)
        z |= (c & 31) << shift
        if c & 32:
            shift += 5
            continue
        out.append(-(z + 1) // 2 if z & 1 else z // 2)
        z, shift = 0, 0
    return out


def _rings(geom: BaseGeometry) -> list[list[Ring]]:
    """Return polygons -> rings as lists of points on the 0.001° grid (open: the first point not repeated)."""
    out = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            pts: Ring = []
            for x, y in np.rint(np.asarray(ring.coords) * _SNAP).astype(np.int64).tolist():
                if not pts or pts[-1] != (x, y):
                    pts.append((x, y))
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts.pop()
            if len(pts) >= 3:
                rings.append(pts)
        if rings:
            out.append(rings)
    return out


def _junctions(rings: Sequence[Ring]) -> set[Point]:
    """Return the points where rings meet or part: seen with more than one pair of neighbours."""
    seen: dict[Point, set[frozenset[Point]]] = defaultdict(set)
    for r in rings:
        n = len(r)
        for i, p in enumerate(r):
            seen[p].add(frozenset((r[i - 1], r[(i + 1) % n])))
    return {p for p, pairs in seen.items() if len(pairs) > 1}


def _cut(r: Ring, junctions: set[Point]) -> list[Ring]:
    """Return a ring cut into arcs at its junctions (a ring with none: one closed arc from its least point)."""
    n = len(r)
    at = [i for i, p in enumerate(r) if p in junctions]
    if not at:
        i0 = min(range(n), key=r.__getitem__)
        rr = r[i0:] + r[:i0]
        return [rr + [rr[0]]]
    return [[r[i % n] for i in range(a, b + 1)] for a, b in zip(at, at[1:] + [at[0] + n])]


class _Arcs:
    """The arcs found so far, each once, with the tolerance it is simplified to (the finest of its users)."""

    def __init__(self) -> None:
        self.arcs: list[Ring] = []
        self.tolerance: list[float] = []
        self.index: dict[tuple[Point, ...], int] = {}

    def ref(self, arc: Ring, tolerance: float) -> int:
        key = tuple(arc)
        back = arc[::-1]
        if arc[0] == arc[-1]:  # a closed arc, walked the other way round from the same least point
            back = [arc[0], *arc[-2:0:-1], arc[0]]
        i = self.index.get(key)
        if i is None:
            j = self.index.get(tuple(back))
            if j is not None:
                self.tolerance[j] = min(self.tolerance[j], tolerance)
                return ~j
            i = self.index[key] = len(self.arcs)
            self.arcs.append(arc)
            self.tolerance.append(tolerance)
        self.tolerance[i] = min(self.tolerance[i], tolerance)
        return i


def _simplify(arc: Ring, tolerance_km: float) -> np.ndarray:
    """Return an arc simplified (ends kept) and quantised to :data:`GRID`, as integer grid steps."""
    xy = np.asarray(arc, dtype=float) / _SNAP
    scale = np.array([np.cos(np.radians(np.abs(xy[:, 1]).min())) * _KM_PER_DEG, _KM_PER_DEG])  # km, a little generous E-W
    kept = np.asarray(shapely.simplify(shapely.LineString(xy * scale), tolerance_km, preserve_topology=False).coords) / scale
    if arc[0] == arc[-1] and len(kept) < 4:  # a small closed ring: keep it a ring
        kept = xy[np.linspace(0, len(xy) - 1, min(len(xy), 4)).round().astype(int)]
    q = (np.rint(kept * _SNAP).astype(np.int64) + _STEP // 2) // _STEP  # in integers: a shared point rounds alike
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1)
    return q[keep]


def _crossing(arcs: list[np.ndarray], groups: list[set[int]]) -> set[int]:
    """Return the arcs that cross themselves, or another arc of a group drawn together (a layer that is a
    coverage, or one zone): simplification can make borders cross. Other layers' borders may cross."""
    lines = np.asarray([shapely.LineString(a) if len(a) > 1 else shapely.Point(a[0]) for a in arcs], dtype=object)
    bad = {i for i, g in enumerate(lines) if g.geom_type == "LineString" and not g.is_closed and not g.is_simple}
    tree = shapely.STRtree(lines)
    for pred in ("crosses", "overlaps"):
        a, b = tree.query(lines, predicate=pred)
        for i, j in zip(a.tolist(), b.tolist()):
            if i != j and any(i in g and j in g for g in groups):
                bad.add(i)
    return bad


@lru_cache(maxsize=4)
def web_topology(atlas: Atlas) -> Topology:
    """Return the atlas's shapes as one topology (computed once per atlas); see the module docstring."""
    layers: list[tuple[str, dict[str, BaseGeometry], float]] = [
        ("units", {u.id: u.geometry for u in atlas.units}, UNIT_TOLERANCE),
        ("zones", {z.id: z.geometry for z in atlas.zones}, UNIT_TOLERANCE),
        ("countries", {c.id: c.geometry for c in atlas.countries}, COUNTRY_TOLERANCE),
    ]
    if atlas.countries:
        frame = shapely.box(*shapely.total_bounds(np.asarray([c.geometry for c in atlas.countries], dtype=object)))
        layers.append(("sea", {"sea": frame}, COUNTRY_TOLERANCE))
    return build_topology(layers)


def build_topology(layers: Sequence[tuple[str, dict[str, BaseGeometry], float]]) -> Topology:
    """Return the topology of some layers: (name, shapes by id, tolerance in km) each."""
    polys = {(name, k): _rings(g) for name, shapes, _ in layers for k, g in shapes.items()}
    junctions = _junctions([r for rings in polys.values() for poly in rings for r in poly])
    tol = {name: t for name, _, t in layers}
    arcs = _Arcs()
    refs = {key: [[[arcs.ref(a, tol[key[0]]) for a in _cut(r, junctions)] for r in poly] for poly in rings]
            for key, rings in polys.items()}
    simple = [_simplify(arc, t) for arc, t in zip(arcs.arcs, arcs.tolerance)]
    for rings in refs.values():  # a ring simplified to a line (a small island, a sliver) keeps its arcs whole
        for poly in rings:
            for r in poly:
                if sum(len(simple[i if i >= 0 else ~i]) - 1 for i in r) < 3:
                    for i in r:
                        simple[i if i >= 0 else ~i] = _simplify(arcs.arcs[i if i >= 0 else ~i], 0.0)
    def used(keys: Iterable[tuple[str, str]]) -> set[int]:
        return {i if i >= 0 else ~i for k in keys for poly in refs[k] for r in poly for i in r}

    groups = [used(k for k in refs if k[0] == name) for name in ("units", "countries")]
    groups += [used([k]) for k in refs if k[0] not in ("units", "countries")]
    tolerance = list(arcs.tolerance)
    for _ in range(6):  # simplified arcs that cross one another (or themselves) are simplified less
        bad = _crossing(simple, groups)
        if not bad:
            break
        for i in sorted(bad):
            tolerance[i] /= 4
            simple[i] = _simplify(arcs.arcs[i], tolerance[i])
    chain = np.concatenate(simple)  # all arcs one after another, each point a step from the one before
    d = np.diff(chain, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    encoded = Arcs(_varints(len(q) for q in simple), _varints(d[:, 0].tolist()), _varints(d[:, 1].tolist()))
    out: dict[str, dict[str, list[list[str]]]] = {name: {} for name, _, _ in layers}
    for (name, k), rings in refs.items():
        out[name][k] = [[_varints(r) for r in poly] for poly in rings]
    return Topology(encoded, out.get("units", {}), out.get("zones", {}), out.get("countries", {}),
                    out.get("sea", {}).get("sea", []))


def _decoded_arcs(arcs: Arcs) -> list[np.ndarray]:
    xy = np.cumsum(np.column_stack([_unvarints(arcs.x), _unvarints(arcs.y)]), axis=0) * GRID
    return np.split(xy, np.cumsum(_unvarints(arcs.points))[:-1])


def decode_topology(arcs: Arcs, geometry: list[list[str]], _cache: dict | None = None) -> BaseGeometry:
    """Return one shape of a topology as shapely (the rings the browser draws), made valid."""
    xy = _cache["arcs"] if _cache else _decoded_arcs(arcs)
    polys = []
    for poly in geometry:
        rings = []
        for s in poly:
            parts = [xy[i] if i >= 0 else xy[~i][::-1] for i in _unvarints(s)]
            ring = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])
            if len(ring) >= 4:
                rings.append(ring)
        if rings:
            polys.append(shapely.Polygon(rings[0], rings[1:]))
    geom = shapely.MultiPolygon(polys) if len(polys) != 1 else polys[0]
    return geom if geom.is_valid else shapely.make_valid(geom)


@lru_cache(maxsize=4)
def web_shapes(atlas: Atlas) -> WebShapes:
    """Return the atlas's shapes as the browser draws them (decoded from :func:`web_topology`)."""
    topo = web_topology(atlas)
    cache = {"arcs": _decoded_arcs(topo.arcs)}

    def layer(d: dict[str, list[list[str]]]) -> dict[str, BaseGeometry]:
        return {k: decode_topology(topo.arcs, g, cache) for k, g in d.items()}

    return WebShapes(layer(topo.units), layer(topo.zones), layer(topo.countries))


def web_geometries(atlas: Atlas) -> dict[str, BaseGeometry]:
    """Return the units as drawn in the browser, keyed by unit id."""
    return dict(web_shapes(atlas).units)


def bounds(geoms: list[BaseGeometry]) -> list[list[float]]:
    """Return Leaflet bounds ``[[south, west], [north, east]]`` of some shapes."""
    x0, y0, x1, y1 = shapely.total_bounds(np.asarray(geoms, dtype=object))
    return [[round(float(y0), 3), round(float(x0), 3)], [round(float(y1), 3), round(float(x1), 3)]]
