"""The GeoPackage and the QGIS project as QGIS and GDAL see them.

Without QGIS: the GeoPackage's version and ``layer_styles`` table read back with sqlite3 and pyogrio,
the project's XML. With Debian's QGIS (``python3-qgis``; run in the system Python, headless): the
project opens, every layer is valid and styled, the temporal controller is set up, and at sample
dates QGIS's own temporal filter keeps exactly the holders, zones and places of the engine. With
GDAL's command-line tools (``gdal-bin``): ``ogrinfo`` opens the GeoPackage without a warning.
Tests that need a client skip where it is absent.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

import mapper
from mapper.exports.gpkg import LAYERS, STYLE_TABLE
from mapper.exports.qgis_project import FRAMES_PER_SECOND, animation_range
from mapper.exports.records import place_span
from mapper.style import HOLDERS, ZONES

SYSTEM_PYTHON = Path("/usr/bin/python3")
PROBE = Path(__file__).parent / "qgis_probe.py"
DATES = ["1700-01-01", "1723-06-01", "1813-10-24", "1830-01-01", "1910-01-01", "1942-01-01", "1946-04-01",
         "1995-01-01"]


def _has_qgis() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    return subprocess.run([str(SYSTEM_PYTHON), "-c", "import qgis.core"], capture_output=True).returncode == 0


needs_qgis = pytest.mark.skipif(not _has_qgis(), reason="QGIS (python3-qgis) is not installed")
needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's command-line tools are not installed")


@pytest.fixture(scope="module")
def data(built) -> Path:
    """The build's data/ folder (what ``write_gis`` wrote), read-only."""
    return built / "data"


def test_geopackage_is_version_1_2(data):
    with sqlite3.connect(data / "atlas.gpkg") as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # 'GPKG'
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200


def test_layer_styles_table(data):
    layers = dict(pyogrio.list_layers(data / "atlas.gpkg"))
    assert layers[STYLE_TABLE] is None  # an attributes table, registered as QGIS registers it
    with sqlite3.connect(data / "atlas.gpkg") as db:
        rows = db.execute("SELECT f_table_name, f_geometry_column, useAsDefault, styleQML, styleSLD "
                          "FROM layer_styles ORDER BY id").fetchall()
        kind = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchone()[0]
    assert kind == "attributes"
    assert [r[0] for r in rows] == list(LAYERS)
    for name, geom_column, default, qml, sld in rows:
        assert geom_column == "geom" and default == 1
        root = ET.fromstring(qml.split("\n", 1)[1])  # after the DOCTYPE line
        assert root.tag == "qgis" and root.find("renderer-v2").get("type") == "RuleRenderer"
        ET.fromstring(sld.split("\n", 1)[1])
    qml = dict((r[0], r[3]) for r in rows)
    # the palette's colours, as QGIS writes them (r,g,b,a)
    persia = HOLDERS["persia"].fill.lstrip("#")
    assert ",".join(str(int(persia[i:i + 2], 16)) for i in (0, 2, 4)) + ",255" in qml["unit_periods"]
    assert 'class="LinePatternFill"' in qml["unit_periods"]  # the claim hatch
    for kind in ZONES:
        assert f"'{kind}'" in qml["zone_periods"]
    assert '<temporal enabled="1" mode="2" startField="start" endField="end" limitMode="0"' in qml["zone_periods"]


def test_places_are_dated(atlas, data):
    places = pyogrio.read_dataframe(data / "atlas.gpkg", layer="places")
    row = places.set_index("place_id")
    geo = row.loc["georgievsk"]
    assert geo["start_iso"] == "1783-08-04" and pd.isna(geo["end_iso"])  # the Treaty of Georgievsk, not 913
    assert row.loc["saint-petersburg", "start_iso"] == "1712-01-01"  # capital from 1712, then signing place
    assert row.loc["tbilisi", ["start_iso", "end_iso", "start", "end"]].isna().all()  # a city: always shown
    with_notes = sum(1 for p in atlas.places if p.note or any(r.note for r in p.roles))
    assert row["note"].notna().sum() == with_notes > 30  # notes filled from the roles' notes
    assert row.loc["meghri", "note"].startswith("Small town on the Aras")


def test_countries_are_background_land(atlas, data):
    land = pyogrio.read_dataframe(data / "atlas.gpkg", layer="countries")
    assert sorted(land["country_id"]) == sorted(c.id for c in atlas.countries)


def test_project_file(atlas, data):
    root = ET.parse(data / "atlas.qgs").getroot()
    sources = [ml.findtext("datasource") for ml in root.iter("maplayer")]
    assert sources == [f"./atlas.gpkg|layername={name}" for name in ("places", "zone_periods", "unit_periods",
                                                                     "countries")]
    start, end = animation_range(atlas)
    assert root.find("ProjectTimeSettings/TemporalRange/start").text.startswith(start.isoformat())
    assert root.find("ProjectTimeSettings").get("frameRate") == str(FRAMES_PER_SECOND)
    assert root.find("properties/TemporalControllerWidget/NavigationMode").text == "1"


@needs_gdal
def test_ogrinfo_opens_the_geopackage_without_warnings(data):
    run = subprocess.run(["ogrinfo", "-so", "-al", str(data / "atlas.gpkg")], capture_output=True, text=True,
                         env={**os.environ, "CPL_DEBUG": "OFF"})
    assert run.returncode == 0, run.stderr
    assert "Warning" not in run.stderr and "partially supported" not in run.stdout + run.stderr
    for layer in LAYERS:
        assert f"Layer name: {layer}" in run.stdout


@pytest.fixture(scope="module")
def qgis_report(data, tmp_path_factory):
    png = tmp_path_factory.mktemp("render") / "atlas-1910.png"
    run = subprocess.run([str(SYSTEM_PYTHON), str(PROBE), str(data / "atlas.qgs"), ",".join(DATES), str(png),
                          "1910-01-01"],
                         capture_output=True, text=True, timeout=600,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(png.parent)})
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    report["png"] = png
    report["stderr"] = run.stderr
    return report


@needs_qgis
def test_qgis_opens_every_layer_styled(qgis_report):
    r = qgis_report
    assert r["read"] and r["crs_valid"]
    assert "partially supported" not in r["stderr"] and "Warning" not in r["stderr"]  # GDAL 3.6 under QGIS 3.22
    assert set(r["layers"]) == {"unit_periods", "zone_periods", "places", "countries"}
    for name, layer in r["layers"].items():
        assert layer["valid"] and layer["features"] > 0 and layer["renderer"] == "RuleRenderer", name
    units = r["layers"]["unit_periods"]
    assert units["rules"][:3] == ["Persia / Iran", "Russia", "Other holders"] and units["labels"]
    for name in ("unit_periods", "zone_periods", "places"):
        layer = r["layers"][name]
        assert layer["temporal"] and layer["mode"] == 2 and (layer["start"], layer["end"]) == ("start", "end")
        assert layer["limit"] == 0  # include start, exclude end
    assert not r["layers"]["countries"]["temporal"]


@needs_qgis
def test_qgis_temporal_controller_is_set_up(atlas, qgis_report):
    start, end = animation_range(atlas)
    t = qgis_report["time"]
    assert t["start"].startswith(start.isoformat()) and t["end"].startswith(end.isoformat())
    assert t["step"] == 1 and t["fps"] == FRAMES_PER_SECOND
    assert qgis_report["navigation_mode"] == 1  # animated: the play button is live


@needs_qgis
@pytest.mark.parametrize("when", DATES)
def test_qgis_shows_the_engines_holders_zones_and_places(atlas, qgis_report, when):
    at = qgis_report["at"][when]
    state = mapper.state_at(atlas, when)
    assert {u: hs for u, hs in at["unit_periods"].items()} == {u: [t.holder] for u, t in state.holders.items()}
    assert at["zone_periods"] == sorted(state.zones)
    d = dt.date.fromisoformat(when)
    shown = sorted(p.id for p in atlas.places
                   if (lambda s, e: (s is None or s <= d) and (e is None or d < e))(*place_span(atlas, p)))
    assert at["places"] == shown
    # capitals are squares only in their years (Isfahan until 1723, Tehran from 1786 ...)
    assert not at["capital_rule_error"]
    assert at["capitals"] == sorted(p.id for p in atlas.places if any(r.role == "capital" and r.in_force(d.year)
                                                                      for r in p.roles))


@needs_qgis
def test_qgis_renders_the_project(qgis_report):
    from PIL import Image

    img = Image.open(qgis_report["png"]).convert("RGB")
    assert img.size == (1400, 1100)
    colours = img.getcolors(1 << 20)
    fills = {tuple(int(h.fill.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) for h in HOLDERS.values()}
    share = {c: 0 for c in fills}
    for n, c in colours:
        if c in share:
            share[c] += n
    persia = tuple(int(HOLDERS["persia"].fill.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    russia = tuple(int(HOLDERS["russia"].fill.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    assert share[persia] > 0.02 * img.size[0] * img.size[1]  # Persia, under the 1907 spheres' hatches in 1910
    assert share[russia] > 0.02 * img.size[0] * img.size[1]  # the Russian Caucasus and Transcaspia
