"""The command line, run as a user runs it."""
from __future__ import annotations

import csv
import json
import shutil

import pytest
import shapely
from conftest import GEODATA, run_cli
from shapely.geometry import shape

import mapper
from mapper.timeline import steps


def test_version():
    r = run_cli("--version")
    assert r.returncode == 0 and mapper.__version__ in r.stdout


COMMANDS = ("build", "slice", "events", "validate", "derive", "figure")


def test_every_command_has_help():
    # the program as a user runs it lists every command; each command's own help through click's runner
    # (the same code, without a process and its imports per command)
    from click.testing import CliRunner

    from mapper.cli import main

    r = run_cli("--help")
    assert r.returncode == 0 and "Usage:" in r.stdout
    listed = r.stdout.split("Commands:")[1]
    for cmd in COMMANDS:
        assert f"  {cmd} " in listed, cmd
        r = CliRunner().invoke(main, [cmd, "--help"])
        assert r.exit_code == 0 and "Usage:" in r.output, cmd


def test_validate_ok():
    r = run_cli("validate", "--geodata", GEODATA)
    assert r.returncode == 0 and r.stdout.startswith("OK: 34 units")


def test_events_table(atlas):
    r = run_cli("events", "--geodata", GEODATA)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert len(lines) == len(atlas.events) + 2
    gul = next(line for line in lines if "gulistan-1813" in line)
    assert "1813-10-24 (O.S. 1813-10-12)" in gul and "Treaty of Gulistan" in gul and "km²" in gul

    # what changed, in the words every other output uses (one unit, "1 unit"; claims apart, not counted)
    def changes(eid):
        return next(line for line in lines if f" {eid} " in line).rstrip().rsplit("  ", 1)[1]

    assert changes("astrakhan-1556") == "Russia gained 46,088 km² (not from Persia) · 1 unit"
    assert changes("saint-petersburg-1723") == "Claims made, recognised or renounced at this step: 45,496 km² (not counted)"
    assert changes("gulistan-1813") == ("Persia lost 31,275 km² to Russia · 1 unit; Claims made, recognised or "
                                        "renounced at this step: 156,004 km² (not counted)")


def test_slice_at_a_date(tmp_path, atlas):
    out = tmp_path / "s.geojson"
    r = run_cli("slice", "--at", "1830-01-01", "-o", out, "--geodata", GEODATA)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["event"] == "turkmenchay-1828"
    feats = {f["properties"]["id"]: f["properties"] for f in doc["features"]}
    assert feats["erivan"]["layer"] == "sovereignty" and feats["erivan"]["holder"] == "russia"
    assert feats["erivan"]["holder_name"] == "Russian Empire" and feats["erivan"]["since"] == "erivan-1827"  # taken 1 (13) October 1827
    assert feats["gilan"]["holder"] == "persia"
    assert all(p["layer"] == "sovereignty" for p in feats.values())  # no zone in force in 1830
    tbilisi = atlas.place("tbilisi")
    hit = [f for f in doc["features"] if shape(f["geometry"]).covers(shapely.Point(tbilisi.lon, tbilisi.lat))]
    assert [f["properties"]["id"] for f in hit] == ["kartli-kakheti"]


def test_slice_to_stdout_with_zones():
    r = run_cli("slice", "--at", "1910-01-01", "--geodata", GEODATA)
    assert r.returncode == 0
    doc = json.loads(r.stdout)
    zones = [f["properties"] for f in doc["features"] if f["properties"]["layer"] == "zone"]
    # the 1907 spheres and the Russian occupations of 1909-18 (Tabriz, Gilan and Qazvin, Mashhad)
    assert {z["kind"] for z in zones} == {"russian_sphere", "neutral_zone", "british_sphere", "russian_occupation"}


@pytest.mark.parametrize("date", ["1813-02-30", "yesterday", "1813/10/24"])
def test_slice_bad_date(date):
    r = run_cli("slice", "--at", date, "--geodata", GEODATA)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: ") and "Traceback" not in r.stderr


def test_bad_geodata_exits_1_without_traceback(tmp_path):
    geo = tmp_path / "geodata"
    shutil.copytree(GEODATA, geo)
    text = (geo / "events.yaml").read_text(encoding="utf-8").replace("date: 1813-10-24", "date: 1813-10-32", 1)
    (geo / "events.yaml").write_text(text, encoding="utf-8")
    for cmd in ("validate", "build", "events"):
        args = (cmd, "--geodata", geo) + (("--out", tmp_path / "out") if cmd == "build" else ())
        r = run_cli(*args)
        assert r.returncode == 1, cmd
        assert "Error: 1 problem in the geodata" in r.stderr and "'1813-10-32' is not a real date" in r.stderr
        assert "events.yaml: event 'gulistan-1813' (line" in r.stderr
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "out" / "data").exists()


def test_build_writes_slices_and_changes(built, atlas):
    for e in atlas.events:
        doc = json.loads((built / "data" / "slices" / f"{e.id}.geojson").read_text(encoding="utf-8"))
        assert doc["event"] == e.id
    rows = list(csv.DictReader((built / "data" / "changes.csv").open(encoding="utf-8")))
    want = [(c.event, c.unit, c.from_, c.to) for s in steps(atlas) for c in s.rows]
    assert [(r["event"], r["unit"], r["from"], r["to"]) for r in rows] == want
    gul = sum(float(r["km2"]) for r in rows if r["event"] == "gulistan-1813" and r["counted"] == "true")
    assert gul == pytest.approx(next(s for s in steps(atlas) if s.event.id == "gulistan-1813").lost_km2, abs=10)


def test_build_is_deterministic(built, tmp_path):
    again = tmp_path / "again"
    r = run_cli("build", "--no-figures", "--geodata", GEODATA, "--out", again)
    assert r.returncode == 0, r.stderr
    # both builds skip the figures, whose determinism is the figure tests' (test_figures.py)
    def files(folder):
        return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())

    first, second = files(built), files(again)
    assert first == second
    for rel in first:
        assert (built / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_build_progress_one_line_per_stage_on_a_terminal_only(built, tmp_path):
    """Under a pseudo-terminal `mapper build` says one line per stage on stderr; piped, it says none.

    A rebuild of a copy of the session's shared build (same options, nothing changed): quick; the shared
    build itself stays untouched while other workers read it.
    """
    import os
    import pty
    import subprocess
    import sys

    out = tmp_path / "outputs"
    shutil.copytree(built, out, copy_function=shutil.copy2)
    args = [sys.executable, "-m", "mapper", "build", "--no-figures", "--geodata", str(GEODATA), "--out", str(out)]
    main, child = pty.openpty()
    proc = subprocess.Popen(args, stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    assert proc.wait(timeout=300) == 0
    lines = [ln.strip() for ln in b"".join(chunks).decode("utf-8").splitlines() if ln.strip()]
    stages = [ln.split()[0] for ln in lines if ln.split()[0] in ("data", "gis", "html", "figures", "printed")]
    assert stages == ["data", "gis", "html"], lines
    assert all("unchanged" in ln for ln in lines if ln.split()[0] in stages), lines
    piped = run_cli("build", "--no-figures", "--geodata", GEODATA, "--out", out)
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr
    assert piped.stdout.startswith("Wrote ") and "0 outputs made" in piped.stdout


def test_a_reader_that_leaves_early_ends_the_command_quietly():
    """`mapper events | head -1`: the pipe closes after the first line; no "Broken pipe" error, no traceback."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "mapper", "events", "--geodata", str(GEODATA)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b"date")
    proc.stdout.close()  # the reader leaves while the table is still being written
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=60) in (0, 141)  # 0 when the whole table fitted in the pipe before it closed
    assert err == ""
