"""The Linked Places export: valid against the LPF schema, and saying what the atlas says.

``tests/data/lpf.schema.json`` is a JSON Schema we wrote from the published LPF 1.2 description
(no package ships one); the export is validated with ``jsonschema`` and, to be sure the schema
bites, a few broken copies are refused.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import shapely
from shapely.geometry import shape

import mapper
from mapper.exports import write_gis
from mapper.exports.lpf import CONTEXT, URN, lpf_collection

SCHEMA = json.loads((Path(__file__).parent / "data" / "lpf.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc(atlas):
    return lpf_collection(atlas)


@pytest.fixture(scope="module")
def by_id(doc):
    return {f["@id"]: f for f in doc["features"]}


def _validator():
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def test_export_is_valid_lpf(doc):
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert doc["@context"] == CONTEXT


@pytest.mark.parametrize("breakage", ["no title", "no citation", "bad certainty", "bad date", "no context"])
def test_schema_refuses_broken_records(doc, breakage):
    bad = copy.deepcopy({**doc, "features": doc["features"][:1]})  # one unit: quick to validate
    assert not list(_validator().iter_errors(bad))
    f = bad["features"][0]
    if breakage == "no title":
        del f["properties"]["title"]
    elif breakage == "no citation":
        for n in f["names"]:
            n.pop("citations", None)
    elif breakage == "bad certainty":
        f["relations"][0]["certainty"] = "high"
    elif breakage == "bad date":
        f["relations"][1]["when"]["timespans"][0]["start"] = {"in": "22 July 1501"}
    else:
        del bad["@context"]
    assert list(_validator().iter_errors(bad))


def test_every_unit_zone_and_place_once(atlas, by_id):
    want = ({f"{URN}:unit:{u.id}" for u in atlas.units} | {f"{URN}:zone:{z.id}" for z in atlas.zones}
            | {f"{URN}:place:{p.id}" for p in atlas.places})
    assert set(by_id) == want


def test_unit_relations_replay_the_holders(atlas, by_id):
    """At sample dates, the relation in force names the polity the engine names."""
    for when in ("1750-01-01", "1830-01-01", "1900-01-01", "1995-01-01"):
        d = dt.date.fromisoformat(when)
        state = mapper.state_at(atlas, d)
        for u in atlas.units:
            names = []
            for rel in by_id[f"{URN}:unit:{u.id}"]["relations"]:
                span = rel["when"]["timespans"][0]
                start = span["start"].get("in")
                end = span.get("end", {}).get("in")
                key = lambda s: s.rstrip("~?%").ljust(10, "-")  # a year sorts before its days  # noqa: E731
                if (start is None or key(start) <= key(d.isoformat())) and (end is None or key(d.isoformat()) < key(end)):
                    names.append(rel["label"])
            assert names == [state.holders[u.id].holder_name], (u.id, when)


def test_uncertainty_and_edtf(by_id):
    erivan = by_id[f"{URN}:unit:erivan"]["relations"]
    ottoman = next(r for r in erivan if r["label"] == "Ottoman Empire")
    assert ottoman["when"]["timespans"][0]["end"]["in"].endswith("~")  # the 1735 recovery is dated approximately
    assert ottoman["citations"] and all(c["label"] for c in ottoman["citations"])
    raid = by_id[f"{URN}:zone:rus-raid-913"]["when"]
    assert raid["timespans"] == [{"start": {"in": "0913~"}, "end": {"in": "0914"}}]
    certainties = {r["certainty"] for f in by_id.values() for r in f.get("relations", [])}
    assert {"certain", "less-certain"} <= certainties


def test_a_holdings_certainty_is_the_geopackages(atlas, by_id):
    """Each holding is as sure as the change of holder that began it, in the Linked Places export as in the
    GeoPackage; Quba's Russian holding from 1806 (a medium conquest) read "certain" here, taken from the
    recognition the same event also made."""
    from mapper.exports.gpkg import unit_period_rows

    words = {"high": "certain", "medium": "less-certain", "low": "uncertain"}
    periods = unit_period_rows(atlas)
    for u in atlas.units:
        rows = [r for r in periods if r["unit_id"] == u.id]
        rels = by_id[f"{URN}:unit:{u.id}"]["relations"]
        assert len(rels) == len(rows), u.id
        for row, rel in zip(rows, rels):
            if row["certainty"]:
                assert rel["certainty"] == words[row["certainty"]], (u.id, row["since_event"], row["start_iso"])
    quba = [r for r in by_id[f"{URN}:unit:quba"]["relations"] if r["label"] == "Russian Empire"]
    assert quba and quba[0]["certainty"] == "less-certain"


def test_places_names_links_and_dates(by_id):
    geo = by_id[f"{URN}:place:georgievsk"]
    assert geo["when"]["timespans"] == [{"start": {"in": "1783-08-04"}}]
    assert {"closeMatch"} == {link["type"] for link in geo["links"]}
    tehran = by_id[f"{URN}:place:tehran"]
    assert {n["lang"] for n in tehran["names"]} == {"en", "fa", "ru"}
    assert tehran["properties"]["ccodes"] == ["IR"]


def test_geometries_are_the_atlas(atlas, by_id):
    for u in atlas.units:
        g = shape(by_id[f"{URN}:unit:{u.id}"]["geometry"]["geometries"][0])
        assert shapely.equals_exact(g.normalize(), u.geometry.normalize(), tolerance=1e-4) or \
            g.symmetric_difference(u.geometry).area < 1e-6


def test_build_writes_the_file(atlas, tmp_path):
    written = write_gis(atlas, tmp_path)
    path = tmp_path / "data" / "atlas.lpf.json"
    assert path in written
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(lpf_collection(atlas)))
