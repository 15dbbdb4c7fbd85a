"""The public façade: its docstring examples run, and what it returns is typed as it says."""
from __future__ import annotations

import datetime as dt
import doctest

import pytest

import mapper
import mapper.dates


@pytest.mark.parametrize("module", [mapper, mapper.dates], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("when", ["1830-01-01", dt.date(1830, 1, 1), dt.datetime(1830, 1, 1, 12), "1830-01", "1830"])
def test_state_at_takes_text_or_dates(atlas, when):
    st = mapper.state_at(atlas, when)
    assert st.date == dt.date(1830, 1, 1) and st.holder("erivan") == "russia"


def test_state_at_rejects_what_is_no_date(atlas):
    with pytest.raises(mapper.MapperError, match=r"'1830-13-01' is not a real date"):
        mapper.state_at(atlas, "1830-13-01")


def test_changes_are_the_csv_rows_and_unknown_events_get_a_suggestion(atlas):
    rows = mapper.changes(atlas, "anglo-soviet-invasion-1941")
    assert [c.kind for c in rows] == ["occupation-begins", "occupation-begins"]
    with pytest.raises(mapper.MapperError, match=r"unknown event 'gulistan-1812' \(did you mean 'gulistan-1813'\?\)"):
        mapper.changes(atlas, "gulistan-1812")


def test_state_frame_has_claims_and_names_of_the_date(atlas):
    frame = mapper.state_frame(atlas, "1992-01-01").set_index("id")
    assert frame.loc["gilan", "holder_name"] == "Islamic Republic of Iran"
    assert list(frame.loc["gilan", "claimed_by"]) == []
    assert frame.crs.to_epsg() == 4326
