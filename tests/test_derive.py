"""The committed layers are what the derivation code makes from Natural Earth (needs ../shared)."""
from __future__ import annotations

import shutil

import pytest
from conftest import GEODATA, SHARED_SOURCES, run_cli

needs_sources = pytest.mark.skipif(
    not (SHARED_SOURCES / "ne10m_admin1_region.geojson").exists(),
    reason="the Natural Earth extract in ../shared/sources is not here",
)


@needs_sources
def test_rederiving_reproduces_the_committed_layers(tmp_path):
    geo = tmp_path / "geodata"
    geo.mkdir()
    shutil.copy(GEODATA / "derivation.yaml", geo)
    r = run_cli("derive", "--sources", SHARED_SOURCES, "--geodata", geo)
    assert r.returncode == 0, r.stderr
    assert "in no unit" not in r.stderr  # every district of Iran, Azerbaijan and Armenia is placed
    for name in ("units.geojson", "zones.geojson", "countries.geojson"):
        assert (geo / name).read_bytes() == (GEODATA / name).read_bytes(), name


def test_derive_needs_the_sources(tmp_path):
    r = run_cli("derive", "--sources", tmp_path, "--geodata", tmp_path)
    assert r.returncode != 0 and "Traceback" not in r.stderr


@needs_sources
def test_a_river_extension_that_crosses_land_is_refused(tmp_path):
    geo = tmp_path / "geodata"
    geo.mkdir()
    recipe = (GEODATA / "derivation.yaml").read_text(encoding="utf-8")
    start = recipe.index("    mouth_to:", recipe.index("  north-of-terek:"))
    end = recipe.index("\n", start)
    # Straight east from the Terek's mouth runs over the Agrakhan peninsula.
    (geo / "derivation.yaml").write_text(recipe[:start] + "    mouth_to: [[49.5, 43.76]]" + recipe[end:], encoding="utf-8")
    r = run_cli("derive", "--sources", SHARED_SOURCES, "--geodata", geo)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "north-of-terek" in r.stderr and "crosses" in r.stderr and "km of land" in r.stderr
    assert not (geo / "units.geojson").exists()


@needs_sources
def test_a_river_that_is_not_in_the_extract_is_named(tmp_path):
    geo = tmp_path / "geodata"
    geo.mkdir()
    recipe = (GEODATA / "derivation.yaml").read_text(encoding="utf-8")
    (geo / "derivation.yaml").write_text(recipe.replace("river: {name: Terek, scalerank: 10}",
                                                        "river: {name: Terek, scalerank: 3}"), encoding="utf-8")
    r = run_cli("derive", "--sources", SHARED_SOURCES, "--geodata", geo)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "'Terek' scalerank 3 matches 0 pieces" in r.stderr
