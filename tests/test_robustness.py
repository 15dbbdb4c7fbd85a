"""Bad input: every mistake gets one clear message naming file, record and field; exit 1; no traceback."""
from __future__ import annotations

import copy
import json
import math
import re

import pytest
from click.testing import CliRunner

from mapper.cli import main
from conftest import yaml_dump, yaml_load

# --- small editors for a geodata copy --------------------------------------------------------------------


def edit_yaml(name):
    def deco(fn):
        def run(geo):
            doc = yaml_load((geo / name).read_text(encoding="utf-8"))
            fn(doc)
            (geo / name).write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return run
    return deco


def edit_layer(name, feature_id=None):
    def deco(fn):
        def run(geo):
            doc = json.loads((geo / name).read_text(encoding="utf-8"))
            feats = doc["features"]
            target = next(f for f in feats if f["properties"]["id"] == feature_id) if feature_id else doc
            fn(target)
            (geo / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return run
    return deco


def first(event: dict, key: str) -> dict:
    """Return the event's first effect of one sort (``transfer``, ``end`` ...): positions move as the history grows."""
    return next(e for e in event["effects"] if key in e)


def ev(doc, eid):
    return next(e for e in doc["events"] if e["id"] == eid)


def place(doc, pid):
    return next(p for p in doc["places"] if p["id"] == pid)


def append_text(name, text):
    def run(geo):
        with (geo / name).open("a", encoding="utf-8") as f:
            f.write(text)
    return run


def replace_text(name, old, new):
    def run(geo):
        p = geo / name
        s = p.read_text(encoding="utf-8")
        assert old in s
        p.write_text(s.replace(old, new, 1), encoding="utf-8")
    return run


SQUARE = [[50.0, 30.0], [50.5, 30.0], [50.5, 30.5], [50.0, 30.5], [50.0, 30.0]]
BOWTIE = [[50.0, 30.0], [50.5, 30.5], [50.5, 30.0], [50.0, 30.5], [50.0, 30.0]]


def set_geometry(geometry):
    def fn(f):
        f["geometry"] = geometry
    return fn


CASES = {
    # syntax, with line and column
    "malformed-yaml": (append_text("events.yaml", "\n  - id: [unclosed\n"),
                       ["events.yaml: line", "column", "malformed YAML"]),
    "yaml-tab-indent": (replace_text("places.yaml", "  - id: tehran", "\t- id: tehran"),
                        ["places.yaml: line", "column", "malformed YAML"]),
    "malformed-geojson": (replace_text("units.geojson", '"type":"FeatureCollection"', '"type":"FeatureCollection",,'),
                          ["units.geojson: line 1, column", "malformed JSON"]),
    "duplicate-yaml-key": (replace_text("events.yaml", "    title: Treaty of Gulistan", "    title: Treaty of Gulistan\n    title: again"),
                           ["events.yaml: line", "duplicate key 'title'"]),
    "not-utf8": (lambda g: (g / "places.yaml").write_bytes((g / "places.yaml").read_bytes() + b"\n# \xff\xfe\n"),
                 ["places.yaml", "not UTF-8"]),
    "events-not-a-mapping": (lambda g: (g / "events.yaml").write_text("- 1\n- 2\n", encoding="utf-8"),
                             ["events.yaml", "must be a mapping"]),
    "missing-file": (lambda g: (g / "zones.geojson").unlink(), ["zones.geojson", "file missing"]),
    # fields
    "missing-title": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").pop("title")),
                      ["event 'resht-1732' (line", "field 'title': missing"]),
    "mistyped-summary": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").__setitem__("summary", 1732)),
                         ["event 'resht-1732'", "field 'summary': must be text, not int"]),
    "mistyped-parties": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").__setitem__("parties", "Russia, Persia")),
                         ["event 'resht-1732'", "field 'parties': must be a list of texts"]),
    "unknown-kind": (edit_yaml("events.yaml")(lambda d: ev(d, "akhal-1881").__setitem__("kind", "traety")),
                     ["event 'akhal-1881'", "field 'kind'", "(did you mean 'treaty'?)"]),
    "unknown-holder": (edit_yaml("events.yaml")(lambda d: first(ev(d, "geok-tepe-1881"), "transfer").__setitem__("to", "rusia")),
                       ["event 'geok-tepe-1881'", "field 'effects[1].to'", "'rusia' is not one of", "(did you mean 'russia'?)"]),
    "other-without-name": (edit_yaml("events.yaml")(lambda d: first(ev(d, "soviet-dissolution-1991"), "transfer").pop("to_name")),
                           ["event 'soviet-dissolution-1991'", "field 'effects[1].to_name'", "required when 'to' is other"]),
    "missing-sources": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").__setitem__("sources", [])),
                        ["event 'resht-1732'", "field 'sources': missing"]),
    "javascript-url": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732")["sources"].append({"title": "x", "url": "javascript:alert(1)"})),
                       ["event 'resht-1732'", "field 'sources'", "must be an http(s) address"]),
    "very-long-text": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").__setitem__("summary", "long " * 5000)),
                       ["event 'resht-1732'", "field 'summary': too long (25000 characters"]),
    # ids
    "unknown-unit": (edit_yaml("events.yaml")(lambda d: first(ev(d, "turkmenchay-1828"), "transfer")["transfer"].__setitem__(0, "erevan")),
                     ["event 'turkmenchay-1828'", "effects[1].transfer", "unknown unit 'erevan' (did you mean 'erivan'?)"]),
    "unknown-zone": (edit_yaml("events.yaml")(lambda d: first(ev(d, "gilan-republic-falls-1921"), "end")["end"].__setitem__(0, "gilan-republic-1902")),
                     ["event 'gilan-republic-falls-1921'", "unknown zone 'gilan-republic-1902' (did you mean 'gilan-republic-1920'?)"]),
    "unknown-place": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").__setitem__("place", "resht")),
                      ["event 'resht-1732'", "field 'place'", "unknown place 'resht' (did you mean 'rasht'?)"]),
    "unknown-event-in-place": (edit_yaml("places.yaml")(lambda d: place(d, "rasht")["roles"].append({"role": "signing", "event": "resht-1723"})),
                               ["place 'rasht'", "roles.event", "unknown event 'resht-1723' (did you mean 'resht-1732'?)"]),
    "duplicate-event": (edit_yaml("events.yaml")(lambda d: d["events"].insert(5, copy.deepcopy(ev(d, "resht-1732")))),
                        ["event 'resht-1732'", "duplicate id 'resht-1732'"]),
    "duplicate-unit": (edit_layer("units.geojson", "gilan")(lambda f: f["properties"].__setitem__("id", "mazandaran")),
                       ["units.geojson: feature 2 'mazandaran'", "duplicate id 'mazandaran'"]),
    "duplicate-place": (edit_yaml("places.yaml")(lambda d: place(d, "rasht").__setitem__("id", "tehran")),
                        ["places.yaml: place 'tehran'", "duplicate id 'tehran'"]),
    "id-with-dotdot": (edit_yaml("events.yaml")(lambda d: ev(d, "akhal-1881").__setitem__("id", "../x")),
                       ["field 'id': '../x' is not a safe id"]),
    "id-with-space": (edit_yaml("events.yaml")(lambda d: ev(d, "akhal-1881").__setitem__("id", "akhal 1881")),
                      ["field 'id': 'akhal 1881' is not a safe id"]),
    "id-upper-case": (edit_yaml("events.yaml")(lambda d: ev(d, "akhal-1881").__setitem__("id", "Akhal-1881")),
                      ["field 'id': 'Akhal-1881' is not a safe id"]),
    "unit-id-unsafe": (edit_layer("units.geojson", "gilan")(lambda f: f["properties"].__setitem__("id", "gilan/../x")),
                       ["units.geojson: feature 1", "'gilan/../x' is not a safe id"]),
    # dates
    "impossible-date": (edit_yaml("events.yaml")(lambda d: ev(d, "gulistan-1813").__setitem__("date", "1813-02-30")),
                        ["event 'gulistan-1813'", "field 'date': '1813-02-30' is not a real date"]),
    "unparsable-date": (edit_yaml("events.yaml")(lambda d: ev(d, "gulistan-1813").__setitem__("date", "24 Oct 1813")),
                        ["event 'gulistan-1813'", "field 'date': '24 Oct 1813' is not a date"]),
    "old-style-mismatch": (edit_yaml("events.yaml")(lambda d: ev(d, "gulistan-1813").__setitem__("date_os", "1813-10-24")),
                           ["event 'gulistan-1813'", "field 'date_os': Old Style 1813-10-24 is 1813-11-05 New Style, not 1813-10-24"]),
    "out-of-order": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732").__setitem__("date", "1736-01-01")),
                     ["event 'kizlyar-1735'", "field 'date'", "comes before the previous event 'resht-1732'"]),
    "two-effects-one-day": (edit_yaml("events.yaml")(lambda d: ev(d, "gulistan-1813")["effects"].append(
                                {"transfer": ["dagestan"], "kind": "independence", "from": "persia", "to": "other", "to_name": "Dagestan"})),
                            ["event 'gulistan-1813'", "unit 'dagestan' already changes holder on 1813-10-24"]),
    "wrong-from-holder": (edit_yaml("events.yaml")(lambda d: first(ev(d, "turkmenchay-1828"), "transfer").update({"from": "other"})),
                          ["event 'turkmenchay-1828'", "field 'effects[1].from'", "but on 1828-02-22 it is held by 'persia'"]),
    "transfer-without-kind": (edit_yaml("events.yaml")(lambda d: first(ev(d, "turkmenchay-1828"), "transfer").pop("kind")),
                              ["event 'turkmenchay-1828'", "field 'effects[1].kind': missing (one of conquest, cession, return, independence)"]),
    "transfer-kind-misspelt": (edit_yaml("events.yaml")(lambda d: first(ev(d, "turkmenchay-1828"), "transfer").update({"kind": "cesion"})),
                               ["event 'turkmenchay-1828'", "field 'effects[1].kind'", "(did you mean 'cession'?)"]),
    "uncertain-without-note": (edit_yaml("events.yaml")(lambda d: (first(ev(d, "turkmenchay-1828"), "transfer").update({"certainty": "low"}),
                                                                            first(ev(d, "turkmenchay-1828"), "transfer").pop("note", None))),
                               ["event 'turkmenchay-1828'", "field 'effects[1].note': required when certainty is low"]),
    "claim-by-the-holder": (edit_yaml("events.yaml")(lambda d: ev(d, "turkmenchay-1828")["effects"].append({"claim": ["gilan"], "by": "persia"})),
                            ["event 'turkmenchay-1828'", "field 'effects[2].by'", "'persia' holds 'gilan' on 1828-02-22"]),
    "claim-by-unknown-holder": (edit_yaml("events.yaml")(lambda d: ev(d, "turkmenchay-1828")["effects"].append({"claim": ["gilan"], "by": "rusia"})),
                                ["event 'turkmenchay-1828'", "field 'effects[2].by'", "(did you mean 'russia'?)"]),
    "recognize-without-claim": (edit_yaml("events.yaml")(lambda d: ev(d, "akhal-1881")["effects"].append({"recognize": ["erivan"], "by": "persia"})),
                                ["event 'akhal-1881'", "field 'effects[3].by'", "'persia' has no claim on 'erivan' on 1881-12-21 to recognize"]),
    "renounce-without-claim": (edit_yaml("events.yaml")(lambda d: ev(d, "akhal-1881")["effects"].append({"renounce": ["erivan"], "by": "persia"})),
                               ["event 'akhal-1881'", "field 'effects[3].by'", "'persia' has no claim on 'erivan' on 1881-12-21 to renounce"]),
    "recognize-land-never-held": (edit_yaml("events.yaml")(lambda d: (
                                      ev(d, "turkmenchay-1828")["effects"].append({"claim": ["astrakhan"], "by": "persia"}),
                                      ev(d, "akhal-1881")["effects"].append({"recognize": ["astrakhan"], "by": "persia"}))),
                                  ["event 'akhal-1881'", "field 'effects[3].by'", "'persia' never held 'astrakhan' before 1881-12-21"]),
    "baseline-claim-by-holder": (edit_yaml("events.yaml")(lambda d: d["baseline"]["holders"]["gilan"].update({"claimed_by": ["persia"]})),
                                 ["baseline.holders.gilan", "field 'claimed_by'", "'persia' holds 'gilan'"]),
    "zone-ended-not-begun": (edit_yaml("events.yaml")(lambda d: ev(d, "resht-1732")["effects"].append({"end": ["mahabad-republic-1946"]})),
                             ["event 'resht-1732'", "zone 'mahabad-republic-1946' is not in force on 1732-02-01"]),
    "until-before-date": (edit_yaml("events.yaml")(lambda d: first(ev(d, "rus-caspian-expedition-913"), "begin").__setitem__("until", "0900-01-01")),
                          ["event 'rus-caspian-expedition-913'", "until", "is not after the event's date"]),
    # geometry
    "self-intersection": (edit_layer("units.geojson", "gilan")(set_geometry({"type": "Polygon", "coordinates": [BOWTIE]})),
                          ["units.geojson: feature 1 'gilan'", "field 'geometry': is invalid: Self-intersection"]),
    "unclosed-ring": (edit_layer("units.geojson", "gilan")(set_geometry({"type": "Polygon", "coordinates": [SQUARE[:-1]]})),
                      ["feature 1 'gilan'", "field 'geometry'", "not closed"]),
    "empty-geometry": (edit_layer("zones.geojson", "rus-raid-913")(set_geometry({"type": "Polygon", "coordinates": []})),
                       ["zones.geojson: feature 1 'rus-raid-913'", "field 'geometry': is empty"]),
    "nan-coordinate": (edit_layer("units.geojson", "gilan")(set_geometry({"type": "Polygon", "coordinates": [[[50.0, 30.0], [math.nan, 30.0], [50.5, 30.5], [50.0, 30.0]]]})),
                       ["feature 1 'gilan'", "field 'geometry'", "not a number"]),
    "huge-coordinate": (edit_layer("zones.geojson", "rus-raid-913")(lambda f: f["geometry"]["coordinates"][0][0].__setitem__(1, 1.15e305)
                            if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"][0][0][0].__setitem__(1, 1.15e305)),
                        ["zones.geojson: feature 1 'rus-raid-913'", "field 'geometry'", "which is no longitude/latitude"]),
    "point-geometry": (edit_layer("units.geojson", "gilan")(set_geometry({"type": "Point", "coordinates": [50.0, 30.0]})),
                       ["feature 1 'gilan'", "must be a Polygon or MultiPolygon, not 'Point'"]),
    "lon-lat-swapped": (edit_layer("units.geojson", "gilan")(lambda f: f["geometry"].__setitem__(
                            "coordinates", [[[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]])),
                        ["feature 1 'gilan'", "lies outside the atlas's area", "swapped"]),
    "wrong-crs": (edit_layer("units.geojson")(lambda d: d.__setitem__("crs", {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}})),
                  ["units.geojson", "field 'crs'", "EPSG::3857", "must be WGS84"]),
    "place-swapped": (edit_yaml("places.yaml")(lambda d: place(d, "ahvaz").update({"lat": 48.67, "lon": 31.32})),
                      ["place 'ahvaz'", "field 'lon'", "outside the atlas's area", "swapped"]),
    "role-not-text": (edit_yaml("places.yaml")(lambda d: place(d, "mahabad")["roles"][0].__setitem__("role", [])),
                      ["place 'mahabad'", "field 'role': [] is not one of"]),
    "roles-not-a-list": (edit_yaml("places.yaml")(lambda d: place(d, "mahabad").__setitem__("roles", "capital")),
                         ["place 'mahabad'", "field 'roles': must be a list"]),
    "role-since-not-a-year": (edit_yaml("places.yaml")(lambda d: place(d, "mahabad")["roles"][0].update({"since": "1946", "until": 1900})),
                              ["place 'mahabad'", "field 'since': '1946' is not a year"]),
    "place-lat-range": (edit_yaml("places.yaml")(lambda d: place(d, "tabriz").update({"lat": 138.08})),
                        ["place 'tabriz'", "field 'lat': 138.08 is outside -90..90"]),
    # coverage
    "units-overlap": (edit_layer("units.geojson", "gilan")(lambda f: f.__setitem__("geometry", {"type": "MultiPolygon", "coordinates": (
                          [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"])
                          + [[[[52.0, 36.3], [52.4, 36.3], [52.4, 36.5], [52.0, 36.5], [52.0, 36.3]]]]})),
                      ["units.geojson: unit 'gilan'", "overlaps unit 'mazandaran'"]),
    "gap-in-persia": (edit_layer("units.geojson", "persia-interior")(lambda f: f["geometry"]["coordinates"][0].append(
                          [[54.0, 33.0], [54.0, 33.3], [54.3, 33.3], [54.3, 33.0], [54.0, 33.0]])
                          if f["geometry"]["type"] == "MultiPolygon" else f["geometry"]["coordinates"].append(
                          [[54.0, 33.0], [54.0, 33.3], [54.3, 33.3], [54.3, 33.0], [54.0, 33.0]])),
                      ["units.geojson: baseline", "gap of", "inside Persia's territory"]),
    "spheres-not-partition": (edit_layer("zones.geojson", "british-sphere-1907")(lambda f: f["properties"].__setitem__("kind", "neutral_zone")),
                              ["zones.geojson", "the anglo-russian-1907 partition needs zones of kind british_sphere"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_clear_error(geo, case):
    mutate, expected = CASES[case]
    mutate(geo)
    result = CliRunner().invoke(main, ["validate", "--geodata", str(geo)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    err = result.stderr
    assert err.startswith("Error: ") and "Traceback" not in err
    for text in expected:
        # an effect's position moves as the history grows: any index, but the same field of an effect
        pattern = re.sub(r"effects\\\[\d+\\\]", r"effects\\[\\d+\\]", re.escape(text))
        assert re.search(pattern, err), f"{text!r} not in:\n{err}"


def test_bad_input_case_count():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", ["old-style-mismatch", "self-intersection", "malformed-yaml"])
def test_build_reports_the_same_without_writing(geo, tmp_path, case):
    mutate, expected = CASES[case]
    mutate(geo)
    out = tmp_path / "out"
    build = CliRunner().invoke(main, ["build", "--geodata", str(geo), "--out", str(out)])
    check = CliRunner().invoke(main, ["validate", "--geodata", str(geo)])
    assert build.exit_code == check.exit_code == 1
    assert build.stderr == check.stderr
    assert not out.exists()


def test_persian_and_russian_text_round_trip(geo, tmp_path):
    fa, ru = "عهدنامه ترکمنچای — «آزمایش»", "Туркманчайский договор — «проверка»"

    @edit_yaml("events.yaml")
    def mutate(d):
        ev(d, "turkmenchay-1828")["title"] = fa
        ev(d, "turkmenchay-1828")["summary"] = ru + " " + fa + " " + "x" * 100

    mutate(geo)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["slice", "--at", "1830-01-01", "-o", str(out / "s.geojson"), "--geodata", str(geo)]) \
        if out.mkdir() is None else None
    assert r.exit_code == 0, r.output
    import mapper
    from mapper.exports import events_csv

    atlas = mapper.load(geo)
    assert atlas.event("turkmenchay-1828").title == fa
    assert fa in events_csv(atlas) and ru in events_csv(atlas)
    doc = json.loads((out / "s.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["id"]: f["properties"]["name_fa"] for f in doc["features"]}
    assert names["gilan"] == "گیلان"
