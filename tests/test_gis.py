"""GIS exports: the GeoPackage's layers and types, replaying it against the engine, static GeoJSON, CSV totals;
slices read by GDAL, UTF-8 Shapefiles, ``-o -``; the licence and the citation."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from conftest import GEODATA, run_cli, yaml_load

import mapper
from mapper.exports import LAYERS, changes_csv, write_gis
from mapper.timeline import steps, to_equal_area, unit_area_km2
from mapper.words import Words


@pytest.fixture(scope="module")
def out(built):
    """The build's outputs (read-only): its data/ folder holds what ``write_gis`` wrote."""
    return built


@pytest.fixture(scope="module")
def gpkg(out):
    return out / "data" / "atlas.gpkg"


@pytest.fixture(scope="module")
def unit_periods(gpkg):
    return pyogrio.read_dataframe(gpkg, layer="unit_periods")


@pytest.fixture(scope="module")
def zone_periods(gpkg):
    return pyogrio.read_dataframe(gpkg, layer="zone_periods")


def in_force(frame, when: dt.date):
    """Rows valid on ``when``: NULL start or start <= when, and NULL end or when < end."""
    d = np.datetime64(when.isoformat(), "D")
    start = frame["start"].to_numpy().astype("datetime64[D]")
    end = frame["end"].to_numpy().astype("datetime64[D]")
    ok = (np.isnat(start) | (start <= d)) & (np.isnat(end) | (d < end))
    return frame[ok]


def test_layers_and_field_types(gpkg):
    layers = dict(pyogrio.list_layers(gpkg))
    assert layers == {"unit_periods": "MultiPolygon", "zone_periods": "MultiPolygon", "places": "Point",
                      "countries": "MultiPolygon", "layer_styles": None}
    assert tuple(layers)[:-1] == LAYERS
    for layer in ("unit_periods", "zone_periods", "places"):
        info = pyogrio.read_info(gpkg, layer=layer)
        types = dict(zip(info["fields"], info["ogr_types"]))
        assert types["start"] == types["end"] == "OFTDate"
        assert types["start_iso"] == types["end_iso"] == "OFTString"
        assert info["crs"] == "EPSG:4326"
    places = pyogrio.read_info(gpkg, layer="places")
    assert {"place_id", "name", "name_fa", "name_ru", "roles", "lon", "lat", "note", "sources"} <= set(places["fields"])


def test_unit_periods_cover_every_unit(atlas, unit_periods):
    assert set(unit_periods["unit_id"]) == {u.id for u in atlas.units}
    baseline = unit_periods[unit_periods["start"].isna()]
    assert sorted(baseline["unit_id"]) == sorted(u.id for u in atlas.units)  # NULL start: the baseline
    assert baseline["start_iso"].isna().all()
    erivan = unit_periods[unit_periods["unit_id"] == "erivan"].sort_values("start_iso", na_position="first")
    holders = [(h, n) for h, n in zip(erivan["holder"], erivan["holder_name"])]
    # a new period whenever the holder or its name changes (Qajar Iran, Russian Empire, Soviet Russia ...)
    # a new period whenever the holder, its name or the claim changes: Ottoman 1724-35, Persian names by
    # dynasty, Russian from the capture of 1827 (claimed by Persia until Turkmenchay recognised it), the Republic of
    # Armenia 1918-1920, Soviet again, Armenia 1991
    assert [h for h, _ in holders] == (["persia"] * 2 + ["other"] + ["persia"] * 4 + ["russia"] * 3 + ["other"]
                                       + ["russia"] * 2 + ["other"])
    assert [n for _, n in holders][5:] == ["Zand Iran", "Qajar Iran", "Russian Empire", "Russian Empire", "Soviet Russia",
                                          "Republic of Armenia", "Soviet Russia", "Soviet Union", "Republic of Armenia"]
    assert list(erivan["claimed_by"].fillna(""))[7:9] == ["persia", ""]
    ends = dict(zip(erivan["end_iso"].fillna(""), erivan["until_event"].fillna("")))
    assert ends["1828-02-22"] == "turkmenchay-1828" and ends["1917-11-07"] == ""  # a renaming names no event
    # how sure each holding began (its change's certainty, as in changes.csv): Erivan's conquest high, NULL before
    assert list(erivan["certainty"].fillna(""))[-7:] == ["high"] * 7 and list(erivan["certainty"].fillna(""))[0] == ""
    karabakh = unit_periods[(unit_periods["unit_id"] == "karabakh") & (unit_periods["since_event"] == "transcaucasian-republics-1918")]
    assert list(karabakh["certainty"]) == ["low"]  # a disputed district of 1918
    assert list(erivan["since_event"].fillna(""))[-7:] == ["erivan-1827", "erivan-1827", "erivan-1827",
                                                           "transcaucasian-republics-1918", "armenia-sovietized-1920",
                                                           "armenia-sovietized-1920", "soviet-dissolution-1991"]


@pytest.mark.parametrize("when", ["1700-01-01", "1724-06-01", "1813-10-23", "1813-10-24", "1830-01-01",
                                  "1900-01-01", "1995-01-01"])
def test_replaying_unit_periods_gives_the_engines_holders(atlas, unit_periods, when):
    d = dt.date.fromisoformat(when)
    rows = in_force(unit_periods, d)
    assert rows["unit_id"].is_unique and len(rows) == len(atlas.units)
    state = mapper.state_at(atlas, d)
    assert dict(zip(rows["unit_id"], rows["holder"])) == {uid: t.holder for uid, t in state.holders.items()}
    since = {uid: (s if isinstance(s, str) else None) for uid, s in zip(rows["unit_id"], rows["since_event"])}
    assert since == {uid: t.since for uid, t in state.holders.items()}


@pytest.mark.parametrize("when", ["0913-06-01", "1910-01-01", "1942-01-01", "1946-04-01", "1950-01-01"])
def test_replaying_zone_periods_gives_the_engines_zones(atlas, zone_periods, when):
    d = dt.date.fromisoformat(when)
    assert set(in_force(zone_periods, d)["zone_id"]) == set(mapper.state_at(atlas, d).zones)


def test_year_913_round_trips(zone_periods):
    raid = zone_periods[zone_periods["zone_id"] == "rus-raid-913"].iloc[0]
    assert raid["start_iso"] == "0913-01-01" and raid["end_iso"] == "0914-01-01"
    assert np.datetime64(raid["start"], "D") == np.datetime64("0913-01-01")
    assert raid["kind"] == "rus_raid" and raid["since_event"] == "rus-caspian-expedition-913"


def test_geometries_keep_the_engines_areas(atlas, unit_periods):
    for uid, geom, km2 in zip(unit_periods["unit_id"], unit_periods.geometry, unit_periods["km2"]):
        engine = unit_area_km2(atlas.unit(uid).geometry)
        assert to_equal_area(geom).area / 1e6 == pytest.approx(engine, rel=1e-9)
        assert km2 == pytest.approx(engine, abs=0.05)


def test_places_layer(atlas, gpkg):
    places = pyogrio.read_dataframe(gpkg, layer="places")
    assert list(places["place_id"]) == [p.id for p in atlas.places]
    tehran = places[places["place_id"] == "tehran"].iloc[0]
    assert "Capital of Iran" in tehran["roles"] and "capital" in tehran["role_codes"].split()
    assert tehran.geometry.equals(shapely.Point(tehran["lon"], tehran["lat"]))


def test_contents_are_the_same_across_builds(atlas, gpkg, tmp_path):
    write_gis(atlas, tmp_path)
    for layer in LAYERS:
        a = pyogrio.read_dataframe(gpkg, layer=layer)
        b = pyogrio.read_dataframe(tmp_path / "data" / "atlas.gpkg", layer=layer)
        assert a.drop(columns="geometry").equals(b.drop(columns="geometry")), layer
        assert list(shapely.to_wkb(a.geometry.values)) == list(shapely.to_wkb(b.geometry.values)), layer
    for name in ("units", "zones", "places"):
        assert (tmp_path / "data" / f"{name}.geojson").read_bytes() == (gpkg.parent / f"{name}.geojson").read_bytes()


def test_static_geojson_layers(atlas, out):
    units = json.loads((out / "data" / "units.geojson").read_text(encoding="utf-8"))
    zones = json.loads((out / "data" / "zones.geojson").read_text(encoding="utf-8"))
    places = json.loads((out / "data" / "places.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["id"] for f in units["features"]] == [u.id for u in atlas.units]
    assert [f["properties"]["id"] for f in zones["features"]] == [z.id for z in atlas.zones]
    assert len(places["features"]) == len(atlas.places)
    raid = next(f for f in zones["features"] if f["properties"]["id"] == "rus-raid-913")
    assert raid["properties"]["periods"] == "0913-01-01/0914-01-01"


def test_changes_csv_totals_equal_the_engine(atlas):
    rows = list(csv.DictReader(io.StringIO(changes_csv(atlas))))
    assert list(rows[0]) == ["event", "unit", "kind", "from", "to", "from_name", "to_name", "km2", "counted",
                             "certainty", "note"]
    by_event = {st.event.id: st for st in steps(atlas)}
    assert len(rows) == sum(len(st.rows) for st in by_event.values())
    # how sure each change is, and why, as the panel and the printed tables tell it (1918's disputed districts)
    engine = [c for st in by_event.values() for c in st.rows]
    assert [(r["certainty"], r["note"]) for r in rows] == [(c.certainty, c.note or "") for c in engine]
    karabakh = next(r for r in rows if r["event"] == "transcaucasian-republics-1918" and r["unit"] == "karabakh")
    assert karabakh["certainty"] == "low" and karabakh["note"].startswith("Disputed:")
    for r in rows:
        region = atlas.zone(r["unit"]) if r["kind"].startswith("occupation-") else atlas.unit(r["unit"])
        assert float(r["km2"]) == round(unit_area_km2(region.geometry))
        assert r["counted"] in ("true", "false")
    for eid, st in by_event.items():
        mine = [r for r in rows if r["event"] == eid and r["counted"] == "true"]
        net = sum(float(r["km2"]) * (1 if r["from"] == "persia" else -1) for r in mine)
        assert net == pytest.approx(st.lost_km2, abs=len(mine)), eid
    counted = [r for r in rows if r["counted"] == "true"]
    assert all({r["from"], r["to"]} == {"persia", "russia"} for r in counted)
    assert not any(r["kind"] in ("claim", "recognition", "renunciation", "occupation-begins", "occupation-ends")
                   for r in counted)
    # Gulistan recognised most of its land (conquered 1801-1813) and ceded only Dagestan
    gulistan = sum(float(r["km2"]) for r in counted if r["event"] == "gulistan-1813")
    assert gulistan == pytest.approx(31275, abs=12)


# --- exports readable everywhere: the slice's date in GDAL, UTF-8 Shapefiles, -o - ---------------------------

needs_ogr2ogr = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL's ogr2ogr is not installed")


def test_slice_date_is_a_property_gdal_reads(tmp_path):
    r = run_cli("slice", "--at", "1830-01-01", "-o", str(tmp_path / "s.geojson"), "--geodata", GEODATA)
    assert r.returncode == 0, r.stderr
    frame = pyogrio.read_dataframe(tmp_path / "s.geojson")
    assert {str(d)[:10] for d in frame["date"]} == {"1830-01-01"} and set(frame["event"]) == {"turkmenchay-1828"}
    info = pyogrio.read_info(tmp_path / "s.geojson")
    assert dict(zip(info["fields"], info["ogr_types"]))["date"] == "OFTDate"  # GDAL reads the ISO text as a date


def test_slice_to_standard_output_with_dash(tmp_path):
    r = run_cli("slice", "--at", "1910-01-01", "-o", "-", "--geodata", GEODATA, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["date"] == "1910-01-01" and doc["features"][0]["properties"]["date"] == "1910-01-01"
    assert not (tmp_path / "-").exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".shp", ".gpkg"])
def test_slice_as_shapefile_or_geopackage_keeps_utf8(atlas, tmp_path, suffix):
    out = tmp_path / f"slice{suffix}"
    r = run_cli("slice", "--at", "1830-01-01", "-o", str(out), "--geodata", GEODATA)
    assert r.returncode == 0, r.stderr
    if suffix == ".shp":
        assert (tmp_path / "slice.cpg").read_text().strip() == "UTF-8"
    frame = pyogrio.read_dataframe(out).set_index("id")
    erivan = atlas.unit("erivan")
    assert frame.loc["erivan", "name_fa"] == erivan.name_fa and frame.loc["erivan", "name_ru"] == erivan.name_ru
    assert frame.loc["erivan", "date"] == "1830-01-01"
    assert frame.loc["erivan", "holder_nam" if suffix == ".shp" else "holder_name"] == "Russian Empire"


@needs_ogr2ogr
def test_ogr2ogr_to_shapefile_keeps_utf8_with_the_documented_option(atlas, gpkg, tmp_path):
    """The README's command: ``ogr2ogr -lco ENCODING=UTF-8 units.shp atlas.gpkg unit_periods``."""
    out = tmp_path / "units.shp"
    run = subprocess.run(["ogr2ogr", "-lco", "ENCODING=UTF-8", str(out), str(gpkg), "unit_periods"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "units.cpg").read_text().strip() == "UTF-8"
    info = subprocess.run(["ogrinfo", "-q", str(out), "units", "-where", "unit_id = 'erivan'"],
                          capture_output=True, text=True)
    erivan = atlas.unit("erivan")
    assert erivan.name_fa in info.stdout and erivan.name_ru in info.stdout


# --- licence and citation ---------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_citation_file_agrees_with_the_package():
    import tomllib

    from mapper.exports.citation import AUTHORS, CODE_LICENSE, DATA_LICENSE, cite_line

    cff = yaml_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["cff-version"] == "1.2.0" and cff["message"] and cff["title"] == Words("en").title()
    assert cff["version"] == project["version"] == mapper.__version__
    assert cff["authors"] == [{"name": AUTHORS}]
    assert cff["license"] == [CODE_LICENSE, DATA_LICENSE] and project["license"] == {"text": CODE_LICENSE}
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "CC BY 4.0" in licence and "Natural Earth" in licence
    line = cite_line()
    assert line.startswith("Cite this atlas: ") and cff["title"] in line and cff["version"] in line
    assert line in (ROOT / "README.md").read_text(encoding="utf-8")


def test_page_shows_the_citation(atlas):
    from mapper.exports.citation import cite_line
    from mapper.web import render_index

    page = render_index(atlas)
    assert f'<p class="cite">{html.escape(cite_line(), quote=True)}</p>' in page


def test_zone_names_in_persian_and_russian_where_the_data_has_them(atlas, zone_periods):
    """The columns are always there; they are filled from the zones' own names or the atlas's translations."""
    assert {"name_fa", "name_ru"} <= set(zone_periods.columns)
    texts = getattr(atlas, "translations", None)
    for z in atlas.zones:
        row = zone_periods[zone_periods["zone_id"] == z.id].iloc[0]
        for lang in ("fa", "ru"):
            want = getattr(z, f"name_{lang}") or (texts.text(lang, "zones", z.id, "name") if texts else None)
            got = row[f"name_{lang}"]
            assert (got if isinstance(got, str) else None) == want, (z.id, lang)
