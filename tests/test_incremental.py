"""Incremental builds: an unchanged rebuild reuses every output, an edit redraws only what shows it, nothing is stale."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import history_until, yaml_dump, yaml_load

import mapper
import mapper.build as b
from mapper.cache import KEYS
from mapper.errors import BuildError

#: A quick build: the data stage and three figures (one event's, another event's, the territory chart).
FEW = ("gulistan-1813", "turkmenchay-1828", "territory", "gulistan-1813-before-after")
QUICK = b.BuildOptions(stages=("data", "figures"), figures=FEW, workers=1, languages=("en",))


def mtimes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def edit_event(geo, event_id, **fields):
    doc = yaml_load((geo / "events.yaml").read_text(encoding="utf-8"))
    (ev,) = [e for e in doc["events"] if e["id"] == event_id]
    ev.update(fields)
    (geo / "events.yaml").write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


#: The history up to the Treaty of Turkmenchay (35 of its events): every event the figures above show or the
#: tests edit, and the event before Gulistan, which dates Gulistan's pair. Half the history to write and key.
LAST = "turkmenchay-1828"


@pytest.fixture(scope="module")
def short_geodata(tmp_path_factory, atlas):
    """The real geodata cut after ``LAST`` (English only: the editions' test reads the whole geodata), read-only."""
    return history_until(tmp_path_factory.mktemp("short") / "geodata", atlas.events, LAST)


@pytest.fixture(scope="module")
def short_atlas(short_geodata):
    """The short history, loaded once for the module."""
    return mapper.load(short_geodata)


@pytest.fixture
def short(tmp_path, short_geodata):
    """A writable copy of the short history's geodata, for the tests that edit it."""
    return shutil.copytree(short_geodata, tmp_path / "geodata")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, short_atlas):
    """One quick build, made once for the module (each test works on its own copy: see ``first``)."""
    out = tmp_path_factory.mktemp("pristine") / "outputs"
    report = b.build(short_atlas, out, QUICK)
    assert report.made == {"data": 1, "figures": 4} and report.reused == {"data": 0, "figures": 0}
    return out


@pytest.fixture
def first(tmp_path, pristine):
    """A copy of the quick build (files, dates, manifest and keys), as if this test had built it."""
    out = tmp_path / "outputs"
    shutil.copytree(pristine, out, copy_function=shutil.copy2)
    return out


def test_an_unchanged_rebuild_reuses_every_output(first, short_atlas):
    before_times, before = mtimes(first), contents(first)
    lines = []
    report = b.build(short_atlas, first, b.BuildOptions(stages=QUICK.stages, figures=FEW, workers=1, progress=lines.append,
                                                  languages=("en",)))
    assert report.made == {"data": 0, "figures": 0} and report.reused == {"data": 1, "figures": 4}
    assert contents(first) == before
    # the same files carried over (copied with their dates), not made again; only the build's records are new
    changed = {rel for rel, t in mtimes(first).items() if before_times.get(rel) != t}
    assert changed <= {".mapper-manifest.json", KEYS}
    assert [line.split()[0] for line in lines] == ["data", "figures"] and "4 unchanged" in lines[1]


def test_editing_one_event_redraws_only_the_figures_that_show_it(first, short):
    before = contents(first)
    edit_event(short, "gulistan-1813", summary="A new summary, in our own words.")
    report = b.build(mapper.load(short), first, QUICK)
    # the pair shows the maps and dates, not the summary: it is carried over too
    assert report.made == {"data": 1, "figures": 1} and report.reused == {"data": 0, "figures": 3}
    after = contents(first)
    assert after["figures/gulistan-1813.svg"] != before["figures/gulistan-1813.svg"]
    assert b"A new summary, in our own words." in after["figures/gulistan-1813.svg"]
    for name in ("turkmenchay-1828", "territory"):  # they do not show Gulistan's summary
        assert after[f"figures/{name}.svg"] == before[f"figures/{name}.svg"]
    keys = json.loads(after[KEYS])["products"]
    assert set(keys) == {"data", *(f"figure:{n}" for n in FEW)}


def test_a_changed_input_is_never_served_stale(first, short):
    # a title shows in its event's figure and in the territory chart's axis
    edit_event(short, "turkmenchay-1828", title="Treaty of Torkamanchay")
    report = b.build(mapper.load(short), first, QUICK)
    assert report.made["figures"] == 2 and report.reused["figures"] == 2
    # the date of the event before Gulistan shows in Gulistan's pair (its eve) and in the running total
    pair = (first / "figures" / "gulistan-1813-before-after.png").read_bytes()
    edit_event(short, "lankaran-1813", date="1813-01-14", date_os="1813-01-02")
    report = b.build(mapper.load(short), first, QUICK)
    assert report.made["figures"] == 2 and report.reused["figures"] == 2
    assert (first / "figures" / "gulistan-1813-before-after.png").read_bytes() != pair
    for name in ("turkmenchay-1828", "territory"):
        assert "Torkamanchay" in (first / "figures" / f"{name}.svg").read_text(encoding="utf-8"), name
    assert "Torkamanchay" in (first / "data" / "events.csv").read_text(encoding="utf-8")


def test_an_output_changed_by_hand_is_made_again(first, short_atlas):
    good = (first / "figures" / "gulistan-1813.svg").read_bytes()
    (first / "figures" / "gulistan-1813.svg").write_text("<svg>edited</svg>", encoding="utf-8")
    (first / "figures" / "territory.png").unlink()
    report = b.build(short_atlas, first, QUICK)
    assert report.made["figures"] == 2 and report.reused["figures"] == 2
    assert (first / "figures" / "gulistan-1813.svg").read_bytes() == good
    assert (first / "figures" / "territory.png").exists()


def test_changed_options_or_lost_keys_make_everything_again(first, short_atlas):
    (first / KEYS).write_text("{not json", encoding="utf-8")
    # a stage and a figure whose keys would hold (the quick build's own): made again, since the keys are lost
    one = b.BuildOptions(stages=QUICK.stages, figures=("turkmenchay-1828",), workers=1, languages=("en",))
    report = b.build(short_atlas, first, one)
    assert report.made == {"data": 1, "figures": 1} and report.reused == {"data": 0, "figures": 0}
    html = b.BuildOptions(stages=("html",), languages=("en",))
    assert b.build(short_atlas, first, html).made == {"html": 1}
    assert b.build(short_atlas, first, html).reused == {"html": 1}
    assert b.build(short_atlas, first, b.BuildOptions(stages=("html",), cdn=True, languages=("en",))).made == {"html": 1}


def test_a_failed_build_keeps_the_earlier_outputs_and_their_keys(first, short, short_atlas):
    before = contents(first)
    edit_event(short, "first-embassy-1521", summary="Never committed.")  # the data shows it; none of the figures

    def boom(atlas, folder, options):
        raise BuildError("a later stage failed")

    with pytest.raises(BuildError, match="a later stage failed"):
        b.build(mapper.load(short), first, b.BuildOptions(stages=(*QUICK.stages, ("boom", boom)), figures=FEW, workers=1,
                                                        languages=("en",)))
    assert contents(first) == before
    # the keys still describe the files in place: the unchanged data is reused, nothing stale is
    report = b.build(short_atlas, first, QUICK)
    assert report.reused == {"data": 1, "figures": 4}


def test_unknown_figure_names_are_a_clear_error(tmp_path, short_atlas):
    with pytest.raises(BuildError, match=r"unknown event 'gulistan-1812' \(did you mean 'gulistan-1813'\?\)"):
        b.build(short_atlas, tmp_path / "out", b.BuildOptions(stages=("figures",), figures=("gulistan-1812",)))


def test_each_edition_has_its_own_figures_keyed_by_its_translations(tmp_path, geo, atlas):
    """fa/figures/ beside figures/; editing a Persian translation redraws the Persian figure only."""
    out = tmp_path / "outputs"
    two = b.BuildOptions(stages=("figures",), figures=("territory",), workers=1, languages=("en", "fa"))
    report = b.build(atlas, out, two)  # the real atlas: what geo holds until it is edited below
    assert report.made == {"figures": 2}
    assert {p.relative_to(out).as_posix() for p in out.rglob("*.svg")} == {"figures/territory.svg",
                                                                           "fa/figures/territory.svg"}
    fa_svg = (out / "fa" / "figures" / "territory.svg").read_text(encoding="utf-8")
    assert "<text" in fa_svg and any("\u0600" <= ch <= "\u06ff" for ch in fa_svg)
    keys = json.loads((out / KEYS).read_text(encoding="utf-8"))["products"]
    assert set(keys) == {"figure:territory", "figure:fa/territory"}
    doc = yaml_load((geo / "translations" / "fa.yaml").read_text(encoding="utf-8"))
    (geo / "translations" / "fa.yaml").write_text(yaml_dump(_retitled(doc), allow_unicode=True), encoding="utf-8")
    report = b.build(mapper.load(geo), out, two)
    assert report.made == {"figures": 1} and report.reused == {"figures": 1}
    assert "تغییر برای آزمون" in (out / "fa" / "figures" / "territory.svg").read_text(encoding="utf-8")
    with pytest.raises(BuildError, match=r"unknown language 'de'"):
        b.BuildOptions(languages=("en", "de"))


def _retitled(doc):
    """Return the Persian translations with the Treaty of Turkmenchay retitled (the territory chart shows it)."""
    for key, entry in doc.items():
        if isinstance(entry, dict) and "turkmenchay-1828" in entry:
            entry["turkmenchay-1828"]["title"] = "تغییر برای آزمون"
            return doc
    raise AssertionError("no Persian title of turkmenchay-1828 found")


def test_a_stage_keys_only_the_files_it_wrote_not_the_figures_written_beside_it(tmp_path, short_atlas, monkeypatch):
    """The figure workers write into the staging folder while the data, GIS and web stages run: a stage's
    record holds the files it wrote, so an unchanged rebuild carries it over (a figure in its record, half
    written when it was read, once made every rebuild redo the web pages)."""
    from mapper.exports import write_data

    def data_beside_a_figure_worker(atlas, folder, options):
        (folder / "figures").mkdir(exist_ok=True)
        (folder / "figures" / "being-drawn.png").write_bytes(b"")  # a figure a worker has only begun
        return write_data(atlas, folder)

    monkeypatch.setattr(b, "STAGES", {**b.STAGES, "data": data_beside_a_figure_worker})
    out = tmp_path / "outputs"
    only_data = b.BuildOptions(stages=("data",), languages=("en",))
    assert b.build(short_atlas, out, only_data).made == {"data": 1}
    record = json.loads((out / KEYS).read_text(encoding="utf-8"))["products"]["data"]["files"]
    assert record and not [f for f in record if f.startswith("figures/")]
    (out / "figures" / "being-drawn.png").write_bytes(b"finished")  # the worker finishes its figure
    assert b.build(short_atlas, out, only_data).reused == {"data": 1}
