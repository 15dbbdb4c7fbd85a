"""Stages are chosen per build through a frozen options object, never by changing the module."""
from __future__ import annotations

import dataclasses

import pytest

import mapper.build as b
from mapper.errors import BuildError


def test_options_choose_the_stages_in_order():
    assert b.BuildOptions().stage_names == ("data", "gis", "html", "figures", "printed")
    assert b.BuildOptions(cdn=True).without("figures", "gis").stage_names == ("data", "html", "printed")
    assert b.BuildOptions(cdn=True).without("figures").cdn is True


def test_a_stage_of_ones_own_runs_with_the_options(atlas, tmp_path):
    seen = []

    def note(atlas_, folder, options):
        seen.append(options.cdn)
        (folder / "note.txt").write_text("hello", encoding="utf-8")
        return [folder / "note.txt"]

    report = b.build(atlas, tmp_path / "out", b.BuildOptions(stages=(("note", note),), cdn=True))
    assert seen == [True] and report.files == ["note.txt"] and list(report.seconds) == ["note"]
    assert report.made == {"note": 0} and report.reused == {"note": 0}  # a stage of one's own is never cached
    assert (tmp_path / "out" / "note.txt").read_text(encoding="utf-8") == "hello"


def test_options_are_frozen_and_the_stage_table_is_read_only():
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.BuildOptions().cdn = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        b.STAGES["slow"] = lambda a, o, p: []  # type: ignore[index]


@pytest.mark.parametrize("kwargs, message", [
    ({"stages": ("data", "figure")}, r"unknown build stage 'figure' \(did you mean 'figures'\?\)"),
    ({"stages": ("maps",)}, r"unknown build stage 'maps' \(one of data, gis, html, figures, printed\)"),
    ({"workers": 0}, r"workers must be at least 1, not 0"),
])
def test_bad_options_are_clear_errors(kwargs, message):
    with pytest.raises(BuildError, match=message):
        b.BuildOptions(**kwargs)
