"""Properties that hold for any valid history, and for any mutation of the real data files."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

import shapely
from click.testing import CliRunner
from conftest import GEODATA, REAL_DATA_EXAMPLES, yaml_dump, yaml_load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.cli import main
from mapper.model import (
    Atlas,
    BaselineHolder,
    Event,
    HistDate,
    Polity,
    Source,
    Transfer,
    Unit,
)
from mapper.timeline import initial_state, state_at, steps, unit_area_km2

HOLDERS = ("persia", "russia", "other")
GRID = [shapely.box(50 + i * 0.5, 30 + j * 0.5, 50.5 + i * 0.5, 30.5 + j * 0.5) for i in range(3) for j in range(3)]
UNIT_IDS = [f"u{i}" for i in range(len(GRID))]
AREAS = {uid: unit_area_km2(g) for uid, g in zip(UNIT_IDS, GRID)}
TOTAL = unit_area_km2(shapely.union_all(GRID))


@st.composite
def histories(draw):
    """A random valid atlas: a 3×3 grid of units and 1–12 events, each transferring units from their holder."""
    baseline = {u: draw(st.sampled_from(HOLDERS)) for u in UNIT_IDS}
    holders = dict(baseline)
    day = dt.date(1700, 1, 1)
    events = []
    for n in range(draw(st.integers(1, 12))):
        day += dt.timedelta(days=draw(st.integers(1, 4000)))  # valid: a unit changes at most once a day
        moved = draw(st.lists(st.sampled_from(UNIT_IDS), unique=True, max_size=4))
        effects = []
        for u in moved:
            to = draw(st.sampled_from([h for h in HOLDERS if h != holders[u]]))
            kind = draw(st.sampled_from(("conquest", "cession", "return") + (("independence",) if to == "other" else ())))
            effects.append(Transfer((u,), holders[u], to, "Someone" if to == "other" else None, kind=kind))
            holders[u] = to
        events.append(Event(f"e{n}", f"Event {n}", "treaty", HistDate(day), "A summary.", sources=(Source("test"),),
                            effects=tuple(effects)))
    units = tuple(Unit(u, u.upper(), g, "a box") for u, g in zip(UNIT_IDS, GRID))
    polities = (Polity("persia", "Persia"), Polity("russia", "Russia"))
    base = {u: BaselineHolder(h, "Someone" if h == "other" else None) for u, h in baseline.items()}
    return Atlas(units, (), (), tuple(events), polities, base)


def held_km2(state, holder):
    return sum(AREAS[u] for u, t in state.holders.items() if t.holder == holder)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile in conftest; timing never fails a test
@given(histories(), st.integers(0, 60000))
def test_units_partition_the_area_at_every_date(atlas, offset):
    day = dt.date(1699, 1, 1) + dt.timedelta(days=offset)
    state = state_at(atlas, day)
    territories = {h: shapely.union_all([g for u, g in zip(UNIT_IDS, GRID) if state.holders[u].holder == h]) for h in HOLDERS}
    assert sum(unit_area_km2(t) for t in territories.values() if not t.is_empty) == __import__("pytest").approx(TOTAL)
    for a in HOLDERS:
        for b in HOLDERS:
            if a < b:
                assert shapely.intersection(territories[a], territories[b]).area < 1e-12


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile in conftest; timing never fails a test
@given(histories(), st.integers(0, 60000))
def test_state_at_equals_applying_the_events_up_to_it(atlas, offset):
    day = dt.date(1699, 1, 1) + dt.timedelta(days=offset)
    holders = {u: t.holder for u, t in initial_state(atlas).holders.items()}
    for ev in atlas.events:
        if ev.date.date <= day:
            for t in ev.transfers:
                for u in t.units:
                    holders[u] = t.to
    assert {u: t.holder for u, t in state_at(atlas, day).holders.items()} == holders


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile in conftest; timing never fails a test
@given(histories())
def test_areas_of_changes_add_up_to_the_difference_of_areas_held(atlas):
    before = initial_state(atlas)
    for s in steps(atlas):
        for h in HOLDERS:
            gained = sum(c.km2 for c in s.changes if c.to == h) - sum(c.km2 for c in s.changes if c.from_ == h)
            assert abs((held_km2(s.state, h) - held_km2(before, h)) - gained) < 1e-6
        # the counting rule: Persia's held land passing to Russia by conquest or cession, minus what comes back
        for c in s.changes:
            assert c.counted == (c.kind in {("persia", "russia"): ("conquest", "cession"),
                                            ("russia", "persia"): ("return", "conquest")}.get((c.from_, c.to), ()))
        assert abs(s.lost_km2 - sum(c.km2 if c.from_ == "persia" else -c.km2 for c in s.changes if c.counted)) < 1e-6
        lost = held_km2(before, "persia") - held_km2(s.state, "persia")
        other_flows = sum(c.km2 for c in s.changes if "other" in (c.from_, c.to) and "persia" in (c.from_, c.to))
        uncounted = [c for c in s.changes if {c.from_, c.to} == {"persia", "russia"} and not c.counted]
        if not other_flows and not uncounted:
            assert abs(s.lost_km2 - lost) < 1e-6
        before = s.state


# --- random mutations of the real data files: a clean result or a clean error, never a traceback ---------

FILES = ("events.yaml", "places.yaml", "units.geojson", "zones.geojson")
VALUES = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=30),
                   st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
                   st.sampled_from(["1813-02-30", "0913", "1920-06", "persia", "other", "../x", "gilan", "<script>"]))


def _paths(obj, prefix=()):
    """Every (path, value) in a nested document, for picking what to mutate."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutations(draw):
    name = draw(st.sampled_from(FILES))
    kind = draw(st.sampled_from(["set", "delete", "bytes"]))
    return name, kind, draw(st.integers(0, 10**9)), draw(VALUES), draw(st.binary(min_size=1, max_size=3))


_DOCS = {}


def _doc(name):
    if name not in _DOCS:
        text = (GEODATA / name).read_text(encoding="utf-8")
        _DOCS[name] = (text, yaml_load(text) if name.endswith(".yaml") else json.loads(text))
    return _DOCS[name]


def _apply(geo: Path, mutation):
    name, kind, seed, value, junk = mutation
    text, doc = _doc(name)
    if kind == "bytes":
        raw = text.encode("utf-8")
        at = seed % len(raw)
        (geo / name).write_bytes(raw[:at] + junk + raw[at + len(junk):])
        return
    doc = json.loads(json.dumps(doc, default=str))
    paths = [p for p in _paths(doc) if p and "coordinates" not in p[-1:]]
    path = paths[seed % len(paths)]
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    if kind == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    if name.endswith(".yaml"):
        (geo / name).write_text(yaml_dump(doc, allow_unicode=True), encoding="utf-8")
    else:
        (geo / name).write_text(json.dumps(doc), encoding="utf-8")


@settings(max_examples=REAL_DATA_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutated_data_gives_a_clean_result_or_a_clean_error(mutation):
    with tempfile.TemporaryDirectory() as tmp:
        geo = Path(tmp) / "geodata"
        shutil.copytree(GEODATA, geo)
        _apply(geo, mutation)
        runner = CliRunner()
        for args in (["validate"], ["slice", "--at", "1830-01-01", "-o", str(Path(tmp) / "s.geojson")]):
            r = runner.invoke(main, [*args, "--geodata", str(geo)])
            assert r.exit_code in (0, 1), (mutation, r.output)
            if r.exception is not None and not isinstance(r.exception, SystemExit):
                raise AssertionError(f"{mutation}: uncaught {r.exception!r}") from r.exception
            if r.exit_code == 1:
                assert r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
                break  # the slice reads the same files the same way: refused by validation, it is refused too
