"""Loading and validating geodata/: the real data is sound, and each kind of mistake is reported clearly."""
from __future__ import annotations

import json
import shutil

import pytest
import shapely
import yaml

import mapper
from mapper.errors import GeodataError
from mapper.geodata import julian_to_gregorian, parse_date

from conftest import GEODATA


@pytest.fixture
def geo(tmp_path):
    """A writable copy of the real geodata."""
    dst = tmp_path / "geodata"
    shutil.copytree(GEODATA, dst)
    return dst


def load_events(geo):
    return yaml.safe_load((geo / "events.yaml").read_text(encoding="utf-8"))


def save_events(geo, doc):
    (geo / "events.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def event(doc, event_id):
    return next(e for e in doc["events"] if e["id"] == event_id)


def problems(geo) -> str:
    with pytest.raises(GeodataError) as e:
        mapper.load(geo)
    return str(e.value)


def test_real_data_loads(atlas):
    assert len(atlas.units) == 24 and len(atlas.zones) == 9
    required = {"rus-caspian-expedition-913", "first-embassy-1521", "saint-petersburg-1723", "resht-1732", "ganja-1735",
                "gulistan-1813", "turkmenchay-1828", "akhal-1881", "anglo-russian-convention-1907",
                "gilan-soviet-republic-1920", "friendship-treaty-1921", "anglo-soviet-invasion-1941",
                "azerbaijan-peoples-government-1945", "mahabad-republic-1946", "soviet-withdrawal-1946"}
    assert required <= {e.id for e in atlas.events}


def test_every_feature_says_how_it_was_derived(atlas):
    for rec in (*atlas.units, *atlas.zones):
        assert "Natural Earth" in rec.derivation and rec.sources, rec.id
        assert rec.geometry.is_valid and not rec.geometry.is_empty
    assert sum(1 for u in atlas.units if u.name_fa and u.name_ru) == len(atlas.units)


def test_units_form_a_coverage_without_overlaps(atlas):
    geoms = [u.geometry for u in atlas.units]
    assert shapely.coverage_is_valid(geoms)


def test_every_event_cites_sources_and_has_a_summary(atlas):
    for e in atlas.events:
        assert e.sources and len(e.summary) > 80, e.id
        for s in e.sources:
            assert s.url is None or s.url.startswith(("https://", "http://"))


def test_old_style_dates_match_new_style(atlas):
    for e in atlas.events:
        if e.date_os is not None:
            assert julian_to_gregorian(e.date_os.year, e.date_os.month, e.date_os.day) == e.date.date, e.id


@pytest.mark.parametrize("text,iso,precision", [("1813-10-24", "1813-10-24", "day"), ("1920-06", "1920-06", "month"),
                                                ("0913", "0913", "year")])
def test_parse_date(text, iso, precision):
    d = parse_date(text)
    assert (d.iso, d.precision) == (iso, precision)


def test_julian_conversion_known_pairs():
    assert julian_to_gregorian(1813, 10, 12).isoformat() == "1813-10-24"
    assert julian_to_gregorian(1723, 9, 12).isoformat() == "1723-09-23"
    assert julian_to_gregorian(1917, 10, 25).isoformat() == "1917-11-07"


# --- each kind of mistake: one message naming file, record and field ---------------------------------


def test_unknown_unit_suggests_the_closest(geo):
    doc = load_events(geo)
    event(doc, "gulistan-1813")["effects"][0]["transfer"][0] = "karabagh"
    save_events(geo, doc)
    msg = problems(geo)
    assert "events.yaml: event 'gulistan-1813'" in msg and "effects[1].transfer" in msg
    assert "unknown unit 'karabagh' (did you mean 'karabakh'?)" in msg


def test_impossible_date(geo):
    doc = load_events(geo)
    event(doc, "gulistan-1813")["date"] = "1813-02-30"
    save_events(geo, doc)
    assert "field 'date': '1813-02-30' is not a real date" in problems(geo)


def test_old_style_mismatch(geo):
    doc = load_events(geo)
    event(doc, "turkmenchay-1828")["date_os"] = "1828-02-22"
    save_events(geo, doc)
    assert "field 'date_os': Old Style 1828-02-22 is 1828-03-05 New Style, not 1828-02-22" in problems(geo)


def test_duplicate_and_out_of_order(geo):
    doc = load_events(geo)
    doc["events"].append(dict(event(doc, "resht-1732")))
    save_events(geo, doc)
    msg = problems(geo)
    assert "duplicate id 'resht-1732'" in msg


def test_transfer_from_a_holder_that_does_not_hold(geo):
    doc = load_events(geo)
    eff = event(doc, "turkmenchay-1828")["effects"][0]
    eff["from"] = "russia"
    eff["to"] = "persia"
    save_events(geo, doc)
    msg = problems(geo)
    assert "event 'turkmenchay-1828', field 'effects[1].from': transfers" in msg
    assert "but on 1828-02-22 it is held by 'persia'" in msg


def test_all_problems_are_reported_at_once(geo):
    doc = load_events(geo)
    event(doc, "gulistan-1813")["date"] = "1813-13-01"
    event(doc, "akhal-1881")["kind"] = "traety"
    del event(doc, "resht-1732")["title"]
    save_events(geo, doc)
    msg = problems(geo)
    assert "3 problems" in msg
    assert "'traety' is not one of" in msg and "(did you mean 'treaty'?)" in msg
    assert "event 'resht-1732' (line" in msg and "field 'title': missing" in msg


def test_malformed_yaml_gives_line_and_column(geo):
    text = (geo / "events.yaml").read_text(encoding="utf-8")
    (geo / "events.yaml").write_text(text + "\n  - id: [unclosed\n", encoding="utf-8")
    msg = problems(geo)
    assert "events.yaml: line" in msg and "column" in msg and "malformed YAML" in msg


def test_overlapping_units(geo):
    doc = json.loads((geo / "units.geojson").read_text(encoding="utf-8"))
    gilan = next(f for f in doc["features"] if f["properties"]["id"] == "gilan")
    maz = next(f for f in doc["features"] if f["properties"]["id"] == "mazandaran")
    grown = shapely.geometry.shape(gilan["geometry"]).union(shapely.geometry.shape(maz["geometry"]).buffer(-0.2))
    gilan["geometry"] = shapely.geometry.mapping(grown)
    (geo / "units.geojson").write_text(json.dumps(doc), encoding="utf-8")
    assert "unit 'gilan'" in (msg := problems(geo)) and "overlaps unit 'mazandaran'" in msg


def test_swapped_coordinates(geo):
    doc = json.loads((geo / "units.geojson").read_text(encoding="utf-8"))
    f = doc["features"][0]
    f["geometry"]["coordinates"] = [[[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]]
    (geo / "units.geojson").write_text(json.dumps(doc), encoding="utf-8")
    assert "lies outside the atlas's area" in (msg := problems(geo)) and "swapped" in msg


def test_gap_inside_persia(geo):
    doc = json.loads((geo / "units.geojson").read_text(encoding="utf-8"))
    f = next(f for f in doc["features"] if f["properties"]["id"] == "persia-interior")
    g = shapely.geometry.shape(f["geometry"]).difference(shapely.Point(54.0, 33.0).buffer(0.3))
    f["geometry"] = shapely.geometry.mapping(g)
    (geo / "units.geojson").write_text(json.dumps(doc), encoding="utf-8")
    assert "gap of" in (msg := problems(geo)) and "inside Persia's territory" in msg


def test_spheres_must_partition_persia(geo):
    doc = json.loads((geo / "zones.geojson").read_text(encoding="utf-8"))
    f = next(f for f in doc["features"] if f["properties"]["id"] == "neutral-zone-1907")
    g = shapely.geometry.shape(f["geometry"]).difference(shapely.Point(52.5, 29.6).buffer(0.3))
    f["geometry"] = shapely.geometry.mapping(g)
    (geo / "zones.geojson").write_text(json.dumps(doc), encoding="utf-8")
    assert "must partition Persia" in problems(geo)


def test_unsafe_event_id(geo):
    doc = load_events(geo)
    event(doc, "akhal-1881")["id"] = "../Akhal 1881"
    save_events(geo, doc)
    assert "'../Akhal 1881' is not a safe id" in problems(geo)


def test_source_links_must_be_http(geo):
    doc = load_events(geo)
    event(doc, "akhal-1881")["sources"].append({"title": "x", "url": "javascript:alert(1)"})
    save_events(geo, doc)
    assert "must be an http(s) address" in problems(geo)
