"""Loading and validating the geodata (mapper/data/): the real data is sound, and each kind of mistake is reported clearly."""
from __future__ import annotations

import os

import pytest
import shapely
from conftest import run_cli, yaml_dump, yaml_load

import mapper
from mapper.dates import julian_to_gregorian, parse_date
from mapper.errors import GeodataError


def load_events(geo):
    return yaml_load((geo / "events.yaml").read_text(encoding="utf-8"))


def save_events(geo, doc):
    (geo / "events.yaml").write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def event(doc, event_id):
    return next(e for e in doc["events"] if e["id"] == event_id)


def problems(geo) -> str:
    with pytest.raises(GeodataError) as e:
        mapper.load(geo)
    return str(e.value)


def test_real_data_loads(atlas):
    assert len(atlas.units) == 34 and len(atlas.zones) == 16
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


def test_sources_and_notes_cite_as_a_reader_can(atlas):
    """What a reader sees as a source or a note names no file or folder of the project's workshop (an internal
    path such as "shared/reference", a file's name, a key with an underscore): the project's own notes are
    cited by their title, as any other source is."""
    texts = [s.title for e in atlas.events for s in e.sources] + [e.date_note or "" for e in atlas.events]
    texts += [s for layer in (atlas.units, atlas.zones, atlas.places) for f in layer for s in f.sources]
    texts += [f.derivation for layer in (atlas.units, atlas.zones) for f in layer]
    for text in texts:
        for internal in ("shared/", "events-reference", "history-review", ".yaml", "not_covered"):
            assert internal not in text, (internal, text)


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


# --- problems are collected and reported together (each kind of mistake: tests/test_robustness.py) ---


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


# --- where the geodata is read from: the package's own, or --geodata / MAPPER_GEODATA ---


def test_the_package_ships_its_geodata(tmp_path):
    from mapper.geodata import package_geodata

    assert (package_geodata() / "events.yaml").is_file() and package_geodata().parts[-2:] == ("mapper", "data")
    r = run_cli("validate", cwd=tmp_path)  # from a folder with no geodata in it
    assert r.returncode == 0 and r.stdout.startswith("OK: "), r.stderr


def test_mapper_geodata_overrides_the_package_data_and_messages_name_it(geo, tmp_path):
    doc = load_events(geo)
    event(doc, "gulistan-1813")["date"] = "1813-13-01"
    save_events(geo, doc)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    r = run_cli("validate", cwd=elsewhere, env={**os.environ, "MAPPER_GEODATA": str(geo)})
    assert r.returncode == 1 and f"{geo}/events.yaml: event 'gulistan-1813'" in r.stderr, r.stderr
    r = run_cli("validate", "--geodata", tmp_path / "nowhere", cwd=tmp_path)
    assert r.returncode == 1 and "nowhere: no geodata folder here" in r.stderr and "Traceback" not in r.stderr
