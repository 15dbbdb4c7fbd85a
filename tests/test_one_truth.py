"""One truth: a unit's holder and the holder's name on a date read the same in every output.

The slice files, ``changes.csv``, the GeoPackage, ``mapper slice``, the Python API, the page's
payload and the figures' legends all come from the one replay of the timeline; this checks that
they agree unit by unit, on every event's date and on dates between events.
"""
from __future__ import annotations

import csv
import datetime as dt
import json

import numpy as np
import pyogrio
import pytest
from conftest import GEODATA, run_cli

import mapper
from mapper.exports import slice_collection
from mapper.figures import draw_event
from mapper.web.data import atlas_payload
from mapper.words import Words

BETWEEN = ["1700-01-01", "1740-06-01", "1800-01-01", "1850-01-01", "1930-01-01", "1992-01-01", "2020-01-01"]


@pytest.fixture(scope="module")
def data(built):
    """The build's data/ folder (``write_data`` and ``write_gis``), read-only."""
    return built / "data"


@pytest.fixture(scope="module")
def periods(data):
    return pyogrio.read_dataframe(data / "atlas.gpkg", layer="unit_periods")


def _gpkg_names(periods, when: dt.date) -> dict[str, tuple[str, str, str]]:
    d = np.datetime64(when.isoformat(), "D")
    start = periods["start"].to_numpy().astype("datetime64[D]")
    end = periods["end"].to_numpy().astype("datetime64[D]")
    rows = periods[(np.isnat(start) | (start <= d)) & (np.isnat(end) | (d < end))]
    assert rows["unit_id"].is_unique
    return {r.unit_id: (r.holder, r.holder_name, r.claimed_by or "") for r in rows.itertuples()}


def _slice_names(doc: dict) -> dict[str, tuple[str, str, str]]:
    return {f["properties"]["id"]: (f["properties"]["holder"], f["properties"]["holder_name"],
                                    " ".join(f["properties"]["claimed_by"]))
            for f in doc["features"] if f["properties"]["layer"] == "sovereignty"}


def _api_names(atlas, when) -> dict[str, tuple[str, str, str]]:
    return {uid: (t.holder, t.holder_name, " ".join(t.claimed_by)) for uid, t in mapper.state_at(atlas, when).holders.items()}


def test_every_step_names_holders_alike_in_slice_gpkg_api_and_changes(atlas, data, periods):
    rows = list(csv.DictReader((data / "changes.csv").open(encoding="utf-8")))
    for st in mapper.steps(atlas):
        d = st.event.date.date
        sliced = _slice_names(json.loads((data / "slices" / f"{st.event.id}.geojson").read_text(encoding="utf-8")))
        api = _api_names(atlas, d)
        assert sliced == api == _gpkg_names(periods, d), st.event.id
        assert {uid: (t.holder, t.holder_name) for uid, t in st.state.holders.items()} == {k: v[:2] for k, v in api.items()}
        for r in rows:
            if r["event"] == st.event.id and r["kind"] in ("conquest", "cession", "return", "independence"):
                assert (r["to"], r["to_name"]) == api[r["unit"]][:2], (st.event.id, r["unit"])
            if r["event"] == st.event.id and r["kind"] in ("recognition", "renunciation"):
                assert (r["to"], r["to_name"]) == api[r["unit"]][:2], (st.event.id, r["unit"])


@pytest.mark.parametrize("when", BETWEEN)
def test_dates_between_events_agree_in_slice_gpkg_and_api(atlas, periods, when):
    d = dt.date.fromisoformat(when)
    sliced = _slice_names(slice_collection(atlas, mapper.state_at(atlas, d)))
    assert sliced == _api_names(atlas, d) == _gpkg_names(periods, d)
    frame = mapper.state_frame(atlas, when)
    units = frame[frame["layer"] == "sovereignty"]
    assert dict(zip(units["id"], units["holder_name"])) == {k: v[1] for k, v in sliced.items()}


def test_mapper_slice_as_a_user_runs_it(atlas, periods):
    r = run_cli("slice", "--at", "1850-01-01", "--geodata", GEODATA)
    assert r.returncode == 0, r.stderr
    d = dt.date(1850, 1, 1)
    assert _slice_names(json.loads(r.stdout)) == _api_names(atlas, d) == _gpkg_names(periods, d)


def test_names_are_those_of_the_date_not_of_the_tenures_start(atlas, data, periods):
    rows = list(csv.DictReader((data / "changes.csv").open(encoding="utf-8")))
    erivan = next(r for r in rows if (r["event"], r["unit"]) == ("turkmenchay-1828", "erivan"))
    assert (erivan["from_name"], erivan["to_name"]) == ("Qajar Iran", "Russian Empire")
    assert _gpkg_names(periods, dt.date(1992, 1, 1))["gilan"][1] == "Islamic Republic of Iran"
    gilan_1828 = _slice_names(json.loads((data / "slices" / "turkmenchay-1828.geojson").read_text(encoding="utf-8")))["gilan"]
    assert gilan_1828[1] == "Qajar Iran"


def _payload_names(payload) -> list[dict[str, tuple[str, str]]]:
    """Replay the page's payload as its engine does: the base holders, then each step's transfers; a
    holder's name is the step's name for Persia and Russia, the transfer's (or base's) for others."""
    held = {h.unit: (h.holder, h.holder_name) for h in payload.base}
    out = []
    for step in payload.steps:
        for c in step.changes:
            held[c.unit] = (c.to_holder, c.to_name)
        out.append({u: (h, step.names[h] if h in step.names else name) for u, (h, name) in held.items()})
    return out


def test_the_page_payload_names_every_holder_as_the_api_does(atlas):
    payload = atlas_payload(atlas)
    assert [s.event for s in payload.steps] == [st.event.id for st in mapper.steps(atlas)]
    for st, names in zip(mapper.steps(atlas), _payload_names(payload)):
        api = {uid: v[:2] for uid, v in _api_names(atlas, st.event.date.date).items()}
        assert names == api, st.event.id


@pytest.mark.parametrize("event", ["gulistan-1813", "turkmenchay-1828", "akhal-1881", "soviet-dissolution-1991"])
def test_the_figure_legend_names_the_holders_of_its_date(atlas, event):
    st = next(s for s in mapper.steps(atlas) if s.event.id == event)
    (legend,) = draw_event(atlas, event).legends
    texts = [" ".join(t.get_text().split()) for t in legend.get_texts()]  # legend entries may wrap
    w = Words()
    api = _api_names(atlas, st.event.date.date)
    entries = 0
    for holder in {h for h, _, _ in api.values()}:
        names = sorted({name for h, name, _ in api.values() if h == holder})
        for entry in (t for t in texts if t.startswith(w.holder_label(holder))):  # none if not in view
            assert all(n in entry for n in names), (holder, names, entry)
            entries += 1
    assert entries >= 2
