"""The history model on small edits of the real data: claims, recognitions, renunciations, counting, periods.

Each test rewrites a copy of events.yaml (the ``geo`` fixture) into a history the real data does not
(yet) tell, and checks what the one replay makes of it in the API's states, steps and periods.
"""
from __future__ import annotations


import mapper
from mapper.geodata import read_atlas
from mapper.timeline import holder_periods, state_at, steps
from conftest import yaml_dump, yaml_load


def _edit(geo, fn, *, check: bool = True):
    path = geo / "events.yaml"
    doc = yaml_load(path.read_text(encoding="utf-8"))
    fn(doc)
    path.write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return mapper.load(geo) if check else read_atlas(geo)


def _ev(doc, eid):
    return next(e for e in doc["events"] if e["id"] == eid)


def _conquest_then_recognition(doc):
    """Kartli-Kakheti taken by Russia already in 1783 (Persia claims it), recognised at Gulistan in 1813."""
    _ev(doc, "georgievsk-1783")["effects"] = [
        {"transfer": ["kartli-kakheti"], "kind": "conquest", "from": "persia", "to": "russia"},
        {"claim": ["kartli-kakheti"], "by": "persia"},
    ]
    for eff in _ev(doc, "kartli-kakheti-1801")["effects"]:  # the real data has it taken in 1801
        key = "transfer" if "transfer" in eff else "claim"
        eff[key] = [u for u in eff[key] if u != "kartli-kakheti"]


def test_a_conquest_counts_and_its_recognition_does_not(geo):
    atlas = _edit(geo, _conquest_then_recognition)
    st = {s.event.id: s for s in steps(atlas)}
    (taken,) = [c for c in st["georgievsk-1783"].changes if c.kind == "conquest"]
    (claim,) = [c for c in st["georgievsk-1783"].changes if c.kind == "claim"]
    assert (taken.from_, taken.to, taken.counted) == ("persia", "russia", True)
    assert (taken.from_name, taken.to_name) == ("Zand Iran", "Russian Empire")  # names as on 4 August 1783
    assert (claim.from_, claim.to, claim.counted) == ("russia", "persia", False)
    assert st["georgievsk-1783"].lost_km2 == taken.km2
    (rec,) = [c for c in st["gulistan-1813"].changes if c.unit == "kartli-kakheti"]
    assert (rec.kind, rec.from_, rec.to, rec.counted) == ("recognition", "persia", "russia", False)
    assert rec.from_name == "Qajar Iran"
    # the total is the same as when the land passed in 1801: counted once, earlier
    assert steps(atlas)[-1].total_lost_km2 == steps(mapper.load())[-1].total_lost_km2


def test_claims_show_in_the_state_until_recognised(geo):
    atlas = _edit(geo, _conquest_then_recognition)
    assert state_at(atlas, "1783-08-03").holders["kartli-kakheti"].claimed_by == ()
    t = state_at(atlas, "1800-01-01").holders["kartli-kakheti"]
    assert (t.holder, t.claimed_by) == ("russia", ("persia",))
    assert state_at(atlas, "1813-10-24").holders["kartli-kakheti"].claimed_by == ()


def test_a_new_period_when_the_claim_changes(geo):
    atlas = _edit(geo, _conquest_then_recognition)
    periods = [p for p in holder_periods(atlas) if p.id == "kartli-kakheti"]
    spans = [(p.start.isoformat(), p.holder_name, p.claimed_by, p.since, p.until_event) for p in periods
             if p.start and "1751" <= p.start.isoformat() < "1900"]
    assert spans == [("1751-01-01", "Zand Iran", (), "nader-caucasus-1735", "georgievsk-1783"),  # a renaming begins a period
                     ("1783-08-04", "Russian Empire", ("persia",), "georgievsk-1783", "gulistan-1813"),
                     ("1813-10-24", "Russian Empire", (), "georgievsk-1783", None)]  # held since 1783


def _turkmen_claim_renounced(doc):
    """Merv held by the Turkmen tribes and claimed by Persia; Russia conquers it in 1884 and Persia renounces."""
    doc["baseline"]["holders"]["merv"] = {"holder": "other", "name": "Turkmen tribes", "claimed_by": ["persia"]}
    merv = _ev(doc, "merv-1884")
    merv["effects"] = [*merv["effects"], {"renounce": ["merv"], "by": "persia"}]


def test_a_renounced_claim_is_shown_not_counted(geo):
    atlas = _edit(geo, _turkmen_claim_renounced)
    assert state_at(atlas, "1800-01-01").holders["merv"].claimed_by == ("persia",)
    assert state_at(atlas, "1800-01-01").holders["merv"].holder_name == "Turkmen tribes"
    st = next(s for s in steps(atlas) if s.event.id == "merv-1884")
    kinds = {(c.unit, c.kind): c for c in st.changes}
    assert not kinds[("merv", "conquest")].counted and not kinds[("merv", "renunciation")].counted
    assert kinds[("merv", "renunciation")].km2 == kinds[("merv", "conquest")].km2 > 0
    assert st.lost_km2 == sum(c.km2 for c in st.changes if c.counted) == 0
    assert state_at(atlas, "1885-01-01").holders["merv"].claimed_by == ()


def test_a_claim_ends_when_the_claimant_takes_the_land(geo):
    def edit(doc):
        _turkmen_claim_renounced(doc)
        merv = _ev(doc, "merv-1884")
        merv["effects"] = [{"transfer": ["merv"], "kind": "conquest", "from": "other", "to": "persia"},
                           *[e for e in merv["effects"] if e.get("transfer") != ["merv"] and "renounce" not in e]]
    atlas = _edit(geo, edit, check=False)  # Persia's 1884 gain leaves the 1907 spheres short of it
    t = state_at(atlas, "1885-01-01").holders["merv"]
    assert (t.holder, t.claimed_by) == ("persia", ())


def test_occupations_are_rows_with_the_zone_and_named_sides(atlas):
    st = next(s for s in steps(atlas) if s.event.id == "anglo-soviet-invasion-1941")
    rows = {c.unit: c for c in st.occupations}
    soviet = rows["soviet-occupation-1941"]
    assert (soviet.kind, soviet.from_, soviet.to, soviet.counted) == ("occupation-begins", "persia", "russia", False)
    assert (soviet.from_name, soviet.to_name) == ("Pahlavi Iran", "Soviet Union")
    assert rows["british-occupation-1941"].to_name == "British Empire"
    assert st.rows == st.changes + st.occupations and st.lost_km2 == 0
    ends = next(s for s in steps(atlas) if s.event.id == "soviet-withdrawal-1946").occupations
    assert [(c.unit, c.kind, c.from_) for c in ends] == [("soviet-occupation-1941", "occupation-ends", "russia")]
