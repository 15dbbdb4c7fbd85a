"""mapper.geometry: areas, simplification, label points and focus boxes on small shapes and the real units."""
from __future__ import annotations

import doctest

import numpy as np
import pytest
import shapely

import mapper.geometry as geometry
from mapper.geometry import area_km2, focus_box, label_point, simplify_coverage, simplify_each


def test_doctests():
    assert doctest.testmod(geometry).failed == 0


def test_area_of_a_degree_shrinks_towards_the_pole():
    assert area_km2(shapely.box(50, 25, 51, 26)) > area_km2(shapely.box(50, 45, 51, 46)) > 7_000


def test_coverage_simplification_keeps_one_border_between_neighbours():
    wiggle = [(0, 0), *((x / 10, 0.05 * (-1) ** x) for x in range(1, 20)), (2, 0)]
    south = shapely.Polygon([*wiggle, (2, -1), (0, -1)])
    north = shapely.Polygon([*wiggle, (2, 1), (0, 1)])
    north, south = shapely.make_valid(north), shapely.make_valid(south)
    out = simplify_coverage([north, south], 0.2, 0.001)
    assert bool(shapely.coverage_is_valid(np.asarray(out, dtype=object)))
    assert sum(shapely.get_num_coordinates(out)) < sum(shapely.get_num_coordinates([north, south]))
    np.testing.assert_allclose(shapely.get_coordinates(out), np.round(shapely.get_coordinates(out), 3), atol=1e-9)


def test_a_tiny_part_is_not_lost_on_the_grid():
    [g] = simplify_each([shapely.box(0, 0, 0.0004, 0.0004)], 0.01, 0.001)
    assert not g.is_empty


def test_label_point_sits_in_the_largest_part_with_its_room():
    lp = label_point([shapely.box(0, 0, 1, 1), shapely.box(10, 0, 16, 6)])
    assert shapely.box(10, 0, 16, 6).contains(shapely.Point(lp.x, lp.y))
    assert lp.room == pytest.approx(3, abs=0.05) and lp.top == 6
    with pytest.raises(ValueError):
        label_point(shapely.Point(0, 0))


def test_focus_box_grows_small_changes_and_stays_in_the_frame():
    frame = (30, 20, 70, 50)
    x0, y0, x1, y1 = focus_box([shapely.box(31, 21, 32, 22)], frame)
    assert (x0, y0) == (30, 20) and x1 - x0 == pytest.approx(14) and y1 - y0 == pytest.approx(9)
    assert focus_box([], frame) == frame
    assert focus_box([shapely.box(31, 21, 65, 45)], frame) == frame  # most of the frame: show it all
    box = focus_box([shapely.box(48, 38, 49, 39)], frame, aspect=1.0)
    assert geometry._projected_aspect(box) == pytest.approx(1.0, rel=0.02)


def test_real_units_have_label_points_inside(atlas):
    for u in atlas.units:
        lp = label_point(u.geometry)
        assert u.geometry.buffer(1e-6).contains(shapely.Point(lp.x, lp.y)), u.id
