"""Hostile input (issue 15, cases 5-11): a clean error naming file, record and field, or correct behaviour."""
from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

import mapper
from mapper import csvsafe, limits
from mapper.cli import main
from mapper.exports import events_csv


def validate(geo):
    r = CliRunner().invoke(main, ["validate", "--geodata", str(geo)])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


def edit(geo, name, old, new):
    p = geo / name
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_feature(geo, name, fid, fn):
    doc = json.loads((geo / name).read_text(encoding="utf-8"))
    fn(next(f for f in doc["features"] if f["properties"]["id"] == fid) if fid else doc)
    (geo / name).write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")


TITLE = "    title: Treaty of Gulistan"
ALIAS_BOMB = "".join(f'l{i}: &l{i} [{", ".join([f"*l{i - 1}"] * 9) if i else "lol"}]\n' for i in range(9))

CASES = {
    # 5: alias bombs, anchors
    "alias-bomb": ("events.yaml", "\npolities:", "\n" + ALIAS_BOMB + "polities:", ["an anchor (&l0) is not allowed"]),
    # 6: tracebacks before
    "complex-key": ("events.yaml", TITLE, TITLE + "\n    ? [a, b]\n    : c",
                    ["events.yaml: line", "field 'events[", "a key must be plain text"]),
    "deep-yaml": ("events.yaml", TITLE, "    title: " + "[" * 20000 + "]" * 20000, ["nested more than 40 levels deep"]),
    "huge-int-yaml": ("places.yaml", "lat: 55.7520", "lat: " + "1" * 5000,
                      ["places.yaml: line", "field 'places[1].lat'", "a number written with 5,000 characters"]),
    "date-os-year-1": ("events.yaml", "date_os: 1828-02-10", "date_os: 0001-01-01",
                       ["event 'turkmenchay-1828'", "field 'date_os'", "no New Style date"]),
    "date-os-year-9999": ("events.yaml", "date_os: 1828-02-10", "date_os: 9999-12-31",
                          ["event 'turkmenchay-1828'", "field 'date_os'", "no New Style date"]),
    "surrogate": ("events.yaml", TITLE, '    title: "Treaty of \\ud800 Gulistan"',
                  ["event 'gulistan-1813'", "field 'title'", "a lone surrogate (U+D800)"]),
    # 7: control characters
    "vertical-tab": ("events.yaml", TITLE, '    title: "Treaty\\x0b of Gulistan"', ["field 'title'", "control character (U+000B)"]),
    "nul": ("events.yaml", TITLE, '    title: "Treaty\\0 of Gulistan"', ["field 'title'", "control character (U+0000)"]),
    "escape": ("events.yaml", TITLE, '    title: "\\e[2J\\e[31mTreaty"', ["field 'title'", "control character (U+001B)"]),
    "escape-in-party": ("events.yaml", "parties: [", 'parties: ["\\e[31mred", ', ["field 'parties'", "U+001B"]),
    # 8: ids and urls anchored with \Z
    "id-newline": ("events.yaml", "id: turkmenchay-1828", 'id: "turkmenchay-1828\\n"',
                   ["field 'id'", "'turkmenchay-1828\\n' is not a safe id"]),
}


@pytest.mark.parametrize("name", CASES)
def test_hostile_yaml_gets_a_clean_error(geo, name):
    file, old, new, expected = CASES[name]
    edit(geo, file, old, new)
    r = validate(geo)
    assert r.exit_code == 1 and r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
    for text in expected:
        assert text in r.stderr, f"{text!r} not in:\n{r.stderr}"
    assert max(map(len, r.stderr.splitlines())) < 1000  # never the whole hostile value


def test_a_url_with_a_trailing_newline_is_refused(geo):
    url = "https://en.wikipedia.org/wiki/Iran%E2%80%93Russia_relations"
    edit(geo, "events.yaml", f'url: "{url}"', f'url: "{url}\\n"')
    r = validate(geo)
    assert r.exit_code == 1 and "field 'sources'" in r.stderr and "must be an http(s) address" in r.stderr


LAYER_CASES = {
    "crs-string": (None, lambda d: d.__setitem__("crs", "EPSG:4326"), ["units.geojson", "field 'crs'", "must be a mapping"]),
    "crs-number": (None, lambda d: d.__setitem__("crs", 4326), ["field 'crs'", "must be a mapping"]),
    "crs-properties-text": (None, lambda d: d.__setitem__("crs", {"type": "name", "properties": "x"}), ["field 'crs'", "declares ''"]),
    "surrogate-name": ("gilan", lambda f: f["properties"].__setitem__("name", "Gil\ud800an"),
                       ["feature", "'gilan'", "field 'name'", "lone surrogate"]),
}


@pytest.mark.parametrize("name", LAYER_CASES)
def test_hostile_geojson_gets_a_clean_error(geo, name):
    fid, fn, expected = LAYER_CASES[name]
    edit_feature(geo, "units.geojson", fid, fn)
    r = validate(geo)
    assert r.exit_code == 1 and r.stderr.startswith("Error: ")
    for text in expected:
        assert text in r.stderr, f"{text!r} not in:\n{r.stderr}"


@pytest.mark.parametrize("number", ["1" * 400, "1" * 5000, "1" * 400 + ".5"])
def test_a_huge_coordinate_gets_a_clean_error(geo, number):
    text = (geo / "units.geojson").read_text(encoding="utf-8")
    at = text.index('"coordinates":[[[') + len('"coordinates":[[[')
    (geo / "units.geojson").write_text(text[:at] + number + text[text.index(",", at):], encoding="utf-8")
    r = validate(geo)
    assert r.exit_code == 1 and "units.geojson: line" in r.stderr and "a number written with" in r.stderr


def test_deeply_nested_json_gets_a_clean_error(geo):
    (geo / "zones.geojson").write_text("[" * 20000 + "]" * 20000, encoding="utf-8")
    r = validate(geo)
    assert r.exit_code == 1 and "zones.geojson: line 1, column 41: nested more than 40 levels deep" in r.stderr


def test_too_many_vertices_and_too_big_files_are_refused(geo, monkeypatch):
    monkeypatch.setattr(limits, "MAX_VERTICES", 100)
    r = validate(geo)
    assert r.exit_code == 1 and "field 'geometry': has more than 100 positions; simplify it" in r.stderr
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 20_000)
    r = validate(geo)
    assert r.exit_code == 1 and "units.geojson: is 1" in r.stderr and "bytes; at most 20,000" in r.stderr


# --- 9: CSV cells that start a formula -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_cells_are_prefixed(text):
    assert csvsafe.csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-1234", "-0.5", "+12", "1813-10-24", "Treaty", "", 5, None])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert csvsafe.csv_cell(value) == value


def test_events_csv_defuses_a_formula_title(atlas):
    events = (dataclasses.replace(atlas.events[0], title='=HYPERLINK("http://evil","click")'), *atlas.events[1:])
    text = events_csv(dataclasses.replace(atlas, events=events))
    assert '\'=HYPERLINK(""http://evil"",""click"")' in text
    assert "\n=" not in text and ",=" not in text


# --- 11: smaller ---------------------------------------------------------------------------------------


def test_slice_dash_writes_to_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["slice", "--at", "1830-01-01", "-o", "-"])
    assert r.exit_code == 0 and json.loads(r.stdout)["type"] == "FeatureCollection"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("args, message", [
    (["-o", "out.gif"], "out.gif: a figure is written as .png, .svg or .pdf, not .gif"),
    (["-o", "out.png", "--format", "pdf"], "out.png: the name says .png but --format is pdf"),
])
def test_figure_refuses_a_file_name_that_lies_about_its_format(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["figure", "gulistan-1813", *args])
    assert r.exit_code == 1 and message in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_long_at_value_is_not_echoed_whole():
    r = CliRunner().invoke(main, ["slice", "--at", "x" * 100_000])
    assert r.exit_code == 2 and "(100,000 characters) is not a date" in r.stderr
    assert len(r.stderr) < 400


@pytest.mark.browser
@pytest.mark.parametrize("hash_", ["#%", "#%E0%A4%A", "#%%%"])
def test_a_malformed_page_address_opens_the_first_step(page, built, atlas, hash_):
    page.goto((built / "index.html").as_uri() + hash_)
    page.wait_for_function("window.mapperAtlas !== undefined")
    assert page.evaluate("mapperAtlas.current()") == atlas.events[0].id
    assert page.errors == []


def test_the_real_data_passes_every_limit():
    assert mapper.load(None).units


# --- structural mutations: aliases, nesting, huge numbers, control characters, surrogates --------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from conftest import GEODATA, REAL_DATA_EXAMPLES  # noqa: E402
from test_properties import _doc, _paths  # noqa: E402

HOSTILE = st.one_of(
    st.tuples(st.just("alias"), st.integers(1, 9)),
    st.tuples(st.just("nest"), st.integers(1, 200)),
    st.tuples(st.just("number"), st.sampled_from(["1" * 41, "9" * 5000, "1e99999", "-" + "7" * 400 + ".5", "0x" + "f" * 60])),
    st.tuples(st.just("char"), st.sampled_from(["\x00", "\x0b", "\x1b[2J", "\x7f", "\x85", "\ud800", "\udfff"])),
)


def _mutated_text(name, seed, mutation):
    """Return the file ``name`` with one value replaced by a hostile one, written as JSON (valid YAML)."""
    kind, arg = mutation
    doc = json.loads(json.dumps(_doc(name)[1], default=str))
    paths = [p for p in _paths(doc) if p]
    path = paths[seed % len(paths)]
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    old = parent[path[-1]]
    if kind == "nest":
        parent[path[-1]] = json.loads("[" * arg + "]" * arg)
    elif kind == "char":
        parent[path[-1]] = (old if isinstance(old, str) else "text")[:3] + arg + "x"
    else:
        parent[path[-1]] = "__HOSTILE__"
    text = json.dumps(doc, ensure_ascii=True)
    if kind == "number":
        text = text.replace('"__HOSTILE__"', arg)
    elif kind == "alias":
        bomb = "[&b0 [" + ", ".join(["lol"] * 9) + "], " + ", ".join(["*b0"] * arg) + "]"
        text = text.replace('"__HOSTILE__"', bomb) if name.endswith(".yaml") else text.replace('"__HOSTILE__"', "[1]")
    return text


@settings(max_examples=REAL_DATA_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["events.yaml", "places.yaml", "units.geojson", "zones.geojson"]),
       seed=st.integers(0, 10**9), mutation=HOSTILE)
def test_structurally_mutated_data_gives_a_clean_result_or_a_clean_error(tmp_path_factory, name, seed, mutation):
    geo = tmp_path_factory.mktemp("geo")
    for f in ("units.geojson", "zones.geojson", "countries.geojson", "events.yaml", "places.yaml"):
        (geo / f).write_bytes((GEODATA / f).read_bytes())
    (geo / name).write_text(_mutated_text(name, seed, mutation), encoding="utf-8")
    r = validate(geo)
    assert r.exit_code in (0, 1), (name, mutation, r.output)
    if r.exit_code == 1:
        assert r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
        assert max(map(len, r.stderr.splitlines())) < 1000, "a hostile value was echoed whole"
        assert "\x1b" not in r.stderr and "\x00" not in r.stderr


@settings(deadline=None)  # the profile's count of examples (conftest.py)
@given(st.recursive(st.one_of(st.integers(-10**60, 10**60), st.floats(allow_nan=False, allow_infinity=False),
                              st.text(alphabet='[]{}"\\0123456789.eE-+ ab', max_size=60), st.booleans(), st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                    max_leaves=60))
def test_the_quick_look_at_json_agrees_with_the_token_by_token_check(tmp_path_factory, doc):
    """read_json's NumPy look at a file (the usual path) refuses exactly what the slow check refuses, or less
    only where the slow path then runs: its answer and its message are the same either way."""
    from mapper import safeload

    path = tmp_path_factory.getbasetemp() / "quick-look.json"
    path.write_text(json.dumps(doc), encoding="utf-8")

    def read():
        try:
            return ("ok", safeload.read_json(path))
        except safeload.InputError as e:
            return ("refused", e.where, e.message)

    quick = read()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(safeload, "_within_limits", lambda text: False)
        slow = read()
    assert quick == slow
