"""Print figures: what is drawn (colours, counts, highlights, legend, title), files, determinism, CLI."""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import GEODATA, run_cli  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402
from PIL import Image  # noqa: E402
import shapely  # noqa: E402

import mapper  # noqa: E402
from mapper.build import in_processes  # noqa: E402
from mapper.errors import MapperError  # noqa: E402
from mapper import style  # noqa: E402
from mapper.figures import (  # noqa: E402
    MIN_PT,
    SIZES,
    border_steps,
    draw_figure,
    draw_event,
    draw_territory,
    figure_names,
    save_figure,
    write_figure,
    write_figures,
)
from mapper.figures.symbols import hatch  # noqa: E402
from mapper.timeline import steps  # noqa: E402
from mapper.words import Words  # noqa: E402


HOLDERS = {h: (s.fill, s.edge, hatch(s.hatch)) for h, s in style.HOLDERS.items()}


def patches(fig, prefix):
    return [p for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith(prefix)]


def texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def drawn(atlas, name, size="page", lang="en"):
    """The figure ``name`` at ``size`` in ``lang``, drawn once for the module (the checks read it, none changes it)."""
    return _drawn(atlas, name, size, lang)


@functools.lru_cache(maxsize=None)
def _drawn(atlas, name, size, lang):
    return draw_figure(atlas, name, size=size, lang=lang)


@functools.lru_cache(maxsize=None)
def laid_out(atlas, name, size="page", lang="en"):
    """``drawn`` with its layout finished (legends, ticks: what a draw decides), nothing rasterised: text
    boxes measured by the figure's own renderer are those of a full ``canvas.draw()``, for a tenth of its cost."""
    fig = drawn(atlas, name, size, lang)
    fig.draw_without_rendering()
    return fig


@pytest.fixture(scope="module")
def gulistan(atlas):
    return drawn(atlas, "gulistan-1813")


@pytest.fixture(scope="module")
def overview(atlas):
    return drawn(atlas, "overview")


#: The figures the file tests write (drawing all of them belongs to the build's own tests; the overview,
#: the costliest, is checked as drawn).
FEW = ["gulistan-1813", "territory"]


@pytest.fixture(scope="module")
def figures(atlas, overview, tmp_path_factory):
    """A few figures written by two worker processes of the build's pool, as a build writes them."""
    out = tmp_path_factory.mktemp("figures")
    folder = out / "figures"
    folder.mkdir()
    runs = in_processes(atlas, workers=2)(functools.partial(write_figure, folder=folder), FEW)
    return out, [p for paths in runs for p in paths]


def test_units_are_filled_by_holder(atlas, gulistan):
    state = mapper.state_at(atlas, "1813-10-24")
    by_colour = {s.fill: h for h, s in style.HOLDERS.items()}
    units = patches(gulistan, "unit_")
    assert len(units) == len(atlas.units)
    drawn = Counter(by_colour[to_hex(p.get_facecolor())] for p in units)
    assert drawn == Counter(t.holder for t in state.holders.values())
    for p in units:
        holder = state.holder(p.get_gid().removeprefix("unit_"))
        assert to_hex(p.get_facecolor()) == style.HOLDERS[holder].fill
    # a second cue besides colour: each hatched holder's hatch, one patch over exactly its units
    hatches = {p.get_gid().removeprefix("hatch_"): p for p in patches(gulistan, "hatch_")}
    assert hatches.keys() == {h for h in drawn if HOLDERS[h][2]}
    by_gid = {p.get_gid().removeprefix("unit_"): p for p in units}
    for h, p in hatches.items():
        assert p.get_hatch() == HOLDERS[h][2] and to_hex(p.get_hatchcolor()) == style.HOLDERS[h].edge
        mine = [by_gid[u] for u, t in state.holders.items() if t.holder == h]
        assert len(p.get_path().vertices) == sum(len(q.get_path().vertices) for q in mine)


def test_palette_reads_in_greyscale():
    def grey(c):
        r, g, b = to_rgb(c)
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = sorted(grey(s.fill) for s in style.HOLDERS.values())
    assert min(b - a for a, b in zip(levels, levels[1:])) > 0.1
    assert HOLDERS["persia"][2] is None
    assert HOLDERS["russia"][2] and HOLDERS["other"][2]
    assert HOLDERS["russia"][2] != HOLDERS["other"][2]


def test_changed_units_are_highlighted_by_kind(atlas, gulistan):
    (st,) = [st for st in steps(atlas) if st.event.id == "gulistan-1813"]
    kinds = {c.unit: c.kind for c in st.changes}
    assert {"cession", "recognition", "renunciation"} <= set(kinds.values())
    highlighted = {p.get_gid().removeprefix("changed_"): p for p in patches(gulistan, "changed_")
                   if "outline" not in p.get_gid()}
    assert highlighted.keys() == kinds.keys()
    for unit, p in highlighted.items():  # land that changed hands is hatched; a recognised conquest is not
        assert bool(p.get_hatch()) == (kinds[unit] == "cession"), unit
    outline = {p.get_gid(): p for p in patches(gulistan, "changed_outline_")}
    thin = max(p.get_linewidth() for p in patches(gulistan, "unit_"))
    assert outline and all(p.get_linewidth() > 4 * thin for p in outline.values())
    assert outline["changed_outline_cession_russia"].get_linestyle() == "-"
    assert outline["changed_outline_recognition_russia"].get_linestyle() != "-"  # dashed
    labels = {t.get_gid(): t.get_text() for t in gulistan.axes[0].texts
              if (t.get_gid() or "").startswith("label_change")}
    w = Words()
    area = {k: w.km2(sum(c.km2 for c in st.changes if c.kind == k)) for k in kinds.values()}
    assert labels == {"label_change_cession_russia": f"Ceded to Russian Empire\n{area['cession']}",
                      "label_change_recognition_russia": f"Conquest recognised\n{area['recognition']}",
                      "label_change_renunciation_russia": f"Claim renounced\n{area['renunciation']}"}


def test_claims_are_hatched_in_the_claimants_colour_with_a_legend_entry(atlas):
    fig = draw_event(atlas, "ganja-1804")
    state = mapper.state_at(atlas, "1804-01-20")
    claimed = {u for u, t in state.holders.items() if "persia" in t.claimed_by}
    assert {"kartli-kakheti", "ganja"} <= claimed  # conquered by Russia, still claimed by Persia
    drawn = patches(fig, "claim_")
    assert {p.get_gid() for p in drawn} == {f"claim_{u}_persia" for u in claimed}
    persia = style.HOLDERS["persia"]
    for p in drawn:  # dashed outline in Persia's edge colour, hatch in its fill colour, the holder's fill seen
        assert to_hex(p.get_edgecolor()) == persia.edge and p.get_linestyle() != "-"
        assert p.get_hatch() and to_hex(p.get_hatchcolor()) == persia.fill and p.get_facecolor()[3] == 0
    assert "Claimed by Persia / Iran" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_legend_lists_only_what_is_drawn(gulistan):
    (legend,) = gulistan.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "Persia / Iran (Qajar Iran)", "Russia (Russian Empire)", "Changed hands at this event",
        "Conquest recognised", "Claim renounced", "Place of signing", "City",
    ]  # no other holder is left in 1813, no claim or zone is in force, no capital in view


def test_zones_are_overlays_with_legend_entries(atlas):
    fig = drawn(atlas, "anglo-russian-convention-1907")
    zones = patches(fig, "zone_")
    assert sorted(p.get_gid() for p in zones) == ["zone_british-sphere-1907", "zone_neutral-zone-1907",
                                                    "zone_russian-sphere-1907"]
    assert all(p.get_facecolor()[3] == 0 and p.get_hatch() for p in zones)  # outline and hatch, no fill
    assert len({p.get_hatch() for p in zones}) == 3
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Russian sphere (1907)", "Neutral zone (1907)", "British sphere (1907)"} <= set(legend)
    assert "Changed hands at this event" not in legend


def test_a_treatys_place_is_its_signing_place_and_any_other_events_is_the_place_of_the_event(atlas):
    # (as on the web, from model.Event.signed: Derbent 1722 was taken, not signed, and Turkmenchay was signed)
    for eid, note, legend in (("derbent-1722", "(place of this event)", "Place of this event"),
                              ("turkmenchay-1828", "(signing place)", "Place of signing")):
        fig = drawn(atlas, eid)
        labels = [t for t in texts(fig) if t.endswith(")") and "\n(" in t]
        assert any(t.endswith("\n" + note) for t in labels), (eid, labels)
        assert not any("(signing place)" in t for t in labels) or atlas.event(eid).signed, (eid, labels)
        assert legend in texts(fig), eid


def test_title_date_scale_and_attribution(gulistan):
    assert [t.get_text() for t in gulistan.texts if t.get_gid() == "title"] == ["Treaty of Gulistan"]
    (subtitle,) = [t for t in gulistan.texts if t.get_gid() == "subtitle"]
    assert "24 October 1813" in subtitle.get_text() and "O.S. 12 October 1813" in subtitle.get_text()
    assert any(t.endswith(" km") for t in texts(gulistan))  # scale bar
    assert any(t.endswith("°N") for t in texts(gulistan)) and any(t.endswith("°E") for t in texts(gulistan))
    assert any("Made with Natural Earth" in t for t in texts(gulistan))
    assert any(t.startswith("Gulistan") and "signing" in t for t in texts(gulistan))


def test_draw_into_given_axes(atlas):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert draw_event(atlas, "turkmenchay-1828", ax=ax) is fig
    assert len(patches(fig, "unit_")) == len(atlas.units)
    assert {p.get_gid() for p in patches(fig, "changed_") if "outline" not in p.get_gid()} == {
        f"changed_{c.unit}" for st in steps(atlas) if st.event.id == "turkmenchay-1828" for c in st.changes}


def test_territory_bars_count_only_counted_changes(atlas):
    fig = drawn(atlas, "territory")
    bars = {p.get_gid().removeprefix("bar_"): p.get_height() for p in patches(fig, "bar_")}
    want = {st.event.id: sum(c.km2 if c.from_ == "persia" else -c.km2 for c in st.changes if c.counted)
            for st in steps(atlas)}
    assert bars.keys() == {k for k, v in want.items() if round(v)}
    assert all(bars[k] == pytest.approx(want[k]) for k in bars)
    assert bars["resht-1732"] < 0 < bars["gulistan-1813"]
    # what Persia recognised or renounced is drawn apart (outlined, dashed), never as a loss
    given_up = {p.get_gid().removeprefix("recognised_"): p for p in patches(fig, "recognised_")}
    assert {"gulistan-1813", "akhal-1881"} <= given_up.keys() and "akhal-1881" not in bars
    assert all(p.get_linestyle() != "-" and to_hex(p.get_facecolor()) == "#ffffff" for p in given_up.values())
    (st,) = [st for st in steps(atlas) if st.event.id == "akhal-1881"]
    assert given_up["akhal-1881"].get_height() == pytest.approx(
        sum(c.km2 for c in st.changes if c.kind == "renunciation"))
    (line,) = [ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == "running_total_line"]
    assert max(line.get_ydata()) == pytest.approx(steps(atlas)[-1].total_lost_km2)


@pytest.mark.parametrize("lang, size", [("en", "page"), ("fa", "column")])
def test_territory_values_stand_inside_the_chart_clear_of_its_axis(atlas, lang, size):
    """Each bar's figure lies inside the axes, 3 pt clear of their edges (Resht's ran down onto the axis line and
    its ticks), as a number alone: the axis says km² (in a Persian column the repeated unit left no room)."""
    fig = draw_territory(atlas, size=size, lang=lang)
    renderer = fig.canvas.get_renderer()
    (ax,) = [a for a in fig.axes if a.get_gid() == "bars"]
    values = [t for t in ax.texts if t.get_gid() == "value"]
    assert len(values) >= 20
    clear = 3 * fig.dpi / 72 - 0.01
    for t in values:
        box = t.get_window_extent(renderer)
        assert box.y0 >= ax.bbox.y0 + clear and box.y1 <= ax.bbox.y1 - clear, t.get_text()
        assert "km" not in t.get_text() and "کیلومتر" not in t.get_text()
    regained = [t for t in values if t.xy[1] < 0]
    assert regained  # Resht and Ganja: their figures are kept


def test_territory_chart_of_a_history_without_losses_says_so(atlas):
    quiet = dataclasses.replace(atlas, events=atlas.events[:1])  # before any land passed between the two
    assert not any(round(st.lost_km2) for st in steps(quiet))
    fig = draw_territory(quiet)
    assert not patches(fig, "bar_")
    assert [t.get_text() for t in fig.texts if t.get_gid() == "nothing_lost"] == [
        "No land passed between Persia and Russia in this history."]


@pytest.mark.parametrize("size", ["page", "column"])
def test_the_overview_in_parts_fits_a_page_each_and_shows_every_border_change_once(atlas, size):
    """The whole overview (33 maps, 38 cm at page size) does not fit a page; its parts do, at their own size, in
    Russian too, whose titles run longest (the printed atlas shrank the whole to half, its 7 pt text to 3.5 pt)."""
    from mapper.errors import MapperError
    from mapper.figures.overview import overview_parts

    count = overview_parts(atlas, size)
    assert count >= 2
    shown = []
    for part in range(1, count + 1):
        fig = drawn(atlas, f"overview-{part}", size, "ru")
        assert fig.get_figheight() * 2.54 <= 24.7  # an A4 page's text block, 25 mm margins
        shown += [ax.get_gid().removeprefix("panel_") for ax in fig.axes if (ax.get_gid() or "").startswith("panel_")]
        (title,) = [t.get_text() for t in fig.texts if t.get_gid() == "title"]
        assert title.replace("\n", " ").endswith(f"(часть {part} из {count})")
    assert shown == [st.event.id for st in border_steps(atlas)]
    with pytest.raises(MapperError, match=f"overview-1 to overview-{count}"):
        draw_figure(atlas, f"overview-{count + 1}", size=size)


def test_the_printed_atlas_places_the_overview_in_parts(atlas):
    from mapper.printed.book import needed_figures

    names = needed_figures(atlas)
    assert "overview" not in names and names[:3] == ["overview-1", "overview-2", "overview-3"]


def test_overview_has_one_panel_per_border_change(atlas, overview):
    fig = overview
    panels = [ax.get_gid().removeprefix("panel_") for ax in fig.axes if (ax.get_gid() or "").startswith("panel_")]
    want = [st.event.id for st in steps(atlas)
            if any(c.from_ in ("persia", "russia") or c.to in ("persia", "russia") for c in st.changes)]
    assert panels == want == [st.event.id for st in border_steps(atlas)]
    assert "astrakhan-1556" in panels and "georgievsk-1783" not in panels
    titles = {t.get_gid(): t.get_text() for t in fig.texts if (t.get_gid() or "").startswith("panel_title_")}
    assert len(titles) == len(panels)
    (st,) = [st for st in steps(atlas) if st.event.id == "gulistan-1813"]
    title = titles["panel_title_gulistan-1813"].replace("\n", " ")
    assert title.startswith("1813 · Treaty of Gulistan") and title.endswith(Words().loss_caption(st))
    assert Words().loss_caption(st) == f"Persia lost {Words().km2(st.lost_km2)} to Russia"  # counted rows only


def test_write_figures_writes_every_figure_through_the_runner(atlas, tmp_path):
    asked = []

    def run(task, names):  # a runner that records the tasks instead of drawing them
        asked.extend(names)
        return [[tmp_path / "figures" / f"{n}.png"] for n in names]

    written = write_figures(atlas, tmp_path, run=run)
    assert asked == figure_names(atlas)
    # the overview, its three parts at page size (the printed atlas places them), the territory chart
    assert asked[:5] == ["overview", "overview-1", "overview-2", "overview-3", "territory"]
    assert written == [tmp_path / "figures" / f"{n}.png" for n in asked]
    # events that moved nothing (embassies, say) get no figure of their own in a build
    moved = {st.event.id for st in steps(atlas) if st.changes or st.zones_begun or st.zones_ended}
    assert asked[5::2] == [e for e in asked[5::2] if e in moved] and set(asked[5::2]) == moved
    assert asked[6::2] == [f"{e}-before-after" for e in asked[5::2]]  # each with its pair
    assert "first-embassy-1521" not in asked


def test_files_are_written_wide_and_deterministic(atlas, figures, tmp_path):
    out, written = figures
    assert {p.name for p in written} == {f"{s}.{fmt}" for s in FEW for fmt in ("png", "svg")}
    for stem in FEW:
        with Image.open(out / "figures" / f"{stem}.png") as im:  # 17 cm at 200 dpi
            assert abs(im.size[0] - SIZES["page"].width_in * 200) <= 1
    svg = (out / "figures" / "gulistan-1813.svg").read_text(encoding="utf-8")
    assert "Made with Natural Earth" in svg and 'id="unit_karabakh"' in svg
    # drawn again in this process, the files are byte-identical to the worker processes' ones
    for fmt in ("png", "svg"):
        again = save_figure(atlas, "gulistan-1813", tmp_path / f"again.{fmt}", fmt=fmt, dpi=200)
        assert again.read_bytes() == (out / "figures" / f"gulistan-1813.{fmt}").read_bytes(), fmt


def test_map_geometry_is_drawn_once_for_every_language_and_never_reused_for_another(atlas, tmp_path, monkeypatch):
    from mapper.figures import layers
    from mapper.figures.files import _save

    layers.clear()
    renders = []
    real = layers._Stand._render
    monkeypatch.setattr(layers._Stand, "_render", lambda self, *a: renders.append(self.ax.get_gid()) or real(self, *a))
    small = {"fmt": "png", "size": "column", "dpi": 72}  # the smallest map: the rules are the same at every size
    save_figure(atlas, "gulistan-1813", tmp_path / "en.png", lang="en", **small)
    ru = save_figure(atlas, "gulistan-1813", tmp_path / "ru.png", lang="ru", **small).read_bytes()
    assert renders == ["map"]  # the Russian map's geometry is the English one's
    layers.clear()
    fig = draw_figure(atlas, "gulistan-1813", size="column", lang="ru")
    assert _save(fig, tmp_path / "ru2.png", "png", 72).read_bytes() == ru
    assert renders == ["map", "map"]  # drawn by the Russian figure itself: the same file, whoever drew the layer
    # anything that changes a pixel of the geometry is drawn anew, never served from the kept layer
    (unit,) = [p for p in fig.axes[0].patches if p.get_gid() == "unit_karabakh"]
    unit.set_facecolor("#00ff00")
    changed = _save(fig, tmp_path / "green.png", "png", 72).read_bytes()
    assert renders == ["map"] * 3 and changed != ru
    with Image.open(tmp_path / "green.png") as im:
        assert (0, 255, 0) in {c for _, c in im.getcolors(1 << 20)}


def test_save_figure_errors(atlas, tmp_path):
    with pytest.raises(MapperError, match=r"unknown event 'gulistan-1812' \(did you mean 'gulistan-1813'\?\)"):
        save_figure(atlas, "gulistan-1812", tmp_path / "x.png", fmt="png")
    with pytest.raises(MapperError, match=r"unknown figure format 'jpg'.*png, svg, pdf"):
        save_figure(atlas, "gulistan-1813", tmp_path / "x.jpg", fmt="jpg")
    with pytest.raises(MapperError, match=r"unknown figure size 'colum' \(choose one of column, page, slide; did you mean 'column'\?\)"):
        save_figure(atlas, "gulistan-1813", tmp_path / "x.png", fmt="png", size="colum")
    with pytest.raises(MapperError, match="resolution"):
        save_figure(atlas, "gulistan-1813", tmp_path / "x.png", fmt="png", dpi=10)


def test_cli_writes_a_pdf_with_metadata_and_text(tmp_path):
    out = tmp_path / "x.pdf"
    r = run_cli("figure", "gulistan-1813", "--size", "column", "-o", out, "--geodata", GEODATA)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 10_000
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils not installed (pdfinfo, pdftotext)")
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Title:\s+Treaty of Gulistan, 24 October 1813", info, re.M), info
    assert re.search(r"^Author:\s+the iran-russia-atlas authors", info, re.M), info
    assert re.search(r"^Page size:\s+24[01](\.\d+)? x", info, re.M), info  # 8.5 cm = 241 pt wide
    text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True, check=True).stdout
    assert "Ceded to Russian Empire" in text and "Treaty of Gulistan" in text  # selectable text, not outlines


def test_cli_unknown_event_is_an_error_without_traceback(tmp_path, monkeypatch):
    # through click's runner (the command's own code, without a process and its imports: the test above runs
    # `mapper figure` as a user does); an error that escaped as a traceback would be r.exception, not SystemExit
    from click.testing import CliRunner

    from mapper.cli import main

    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["figure", "gulistan-1812", "--geodata", str(GEODATA)])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert "Error:" in r.stderr and "did you mean 'gulistan-1813'" in r.stderr
    assert "Traceback" not in r.output and not list(tmp_path.iterdir())


# --- snapshots: the words each figure shows, pinned so that a restructuring changes none by accident ---------
# Regenerate on purpose with MAPPER_UPDATE_SNAPSHOTS=1 and commit the JSON with the change that explains it.

SNAPSHOTS = Path(__file__).parent / "snapshots" / "print_texts.json"
SNAPSHOT_EVENTS = ("saint-petersburg-1723", "gulistan-1813", "turkmenchay-1828", "akhal-1881",
                   "anglo-russian-convention-1907")


def figure_texts(fig) -> list[str]:
    """Return every non-empty text the figure shows as ``gid|text``, sorted (titles, labels, legend, captions)."""
    return sorted(f"{t.get_gid() or ''}|{t.get_text()}" for t in fig.findobj(matplotlib.text.Text)
                  if t.get_text().strip())


@pytest.mark.parametrize("name", [*SNAPSHOT_EVENTS, "overview", "territory"])
def test_texts_match_the_snapshot(request, atlas, name):
    fig = drawn(atlas, name)
    got = figure_texts(fig)
    pinned = json.loads(SNAPSHOTS.read_text(encoding="utf-8")) if SNAPSHOTS.exists() else {}
    if os.environ.get("MAPPER_UPDATE_SNAPSHOTS"):
        pinned[name] = got
        SNAPSHOTS.parent.mkdir(exist_ok=True)
        SNAPSHOTS.write_text(json.dumps(pinned, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                             encoding="utf-8")
    assert got == pinned.get(name), f"{name}: texts differ from {SNAPSHOTS.name} (MAPPER_UPDATE_SNAPSHOTS=1 to accept)"


# --- sized for print: type sizes, no collisions, real text, credits in a reader's words ------------------

#: The figures checked at each size (every kind of figure; the busiest maps).
SIZED = [("gulistan-1813", "column"), ("gulistan-1813", "page"), ("gulistan-1813", "slide"),
         ("turkmenchay-1828", "column"), ("anglo-russian-convention-1907", "page"), ("overview", "page"),
         ("territory", "column"), ("territory", "page"), ("turkmenchay-1828-before-after", "page"), ("overview-3", "page")]


def sized(atlas, name, size):
    return laid_out(atlas, name, size)


def shown_texts(fig):
    """Every text the figure draws: its own, legends', and each axes' texts, labels and ticks in view."""
    out = list(fig.texts)
    for leg in fig.legends:
        out += [*leg.get_texts(), leg.get_title()]
    for ax in fig.axes:
        out += [*ax.texts, ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
        for leg in [ax.get_legend()] if ax.get_legend() else []:
            out += [*leg.get_texts(), leg.get_title()]
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            out += [t.label1 for t in axis.get_major_ticks() if lo - 1e-9 <= t.get_loc() <= hi + 1e-9 and t.label1.get_visible()]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name, size", SIZED)
def test_figure_has_the_printed_width_and_no_text_under_7_pt(atlas, name, size):
    fig = sized(atlas, name, size)
    assert fig.get_figwidth() == pytest.approx(SIZES[size].width_in)
    if SIZES[size].height_in:
        assert fig.get_figheight() == pytest.approx(SIZES[size].height_in)
    small = {(t.get_gid(), t.get_text()[:30], t.get_fontsize()) for t in shown_texts(fig) if t.get_fontsize() < MIN_PT}
    assert not small


@pytest.mark.parametrize("name, size", SIZED)
def test_no_two_texts_overlap_and_none_leaves_the_figure(atlas, name, size):
    fig = sized(atlas, name, size)
    renderer = fig.canvas.get_renderer()
    boxes = [(t, t.get_window_extent(renderer)) for t in shown_texts(fig)]
    boxes = [(t, b) for t, b in boxes if b.width > 0 and b.height > 0]
    assert len(boxes) > 20
    tol = 0.5  # pixels: boxes that touch do not overlap
    for i, (t, a) in enumerate(boxes):
        assert a.x0 >= -tol and a.y0 >= -tol and a.x1 <= fig.bbox.width + tol and a.y1 <= fig.bbox.height + tol, \
            (t.get_gid(), t.get_text()[:40])
        for u, b in boxes[i + 1:]:
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.y1, b.y1) - max(a.y0, b.y0) > tol
            assert not overlap, ((t.get_gid(), t.get_text()[:40]), (u.get_gid(), u.get_text()[:40]))


@pytest.mark.parametrize("name, size", SIZED)
def test_words_a_reader_understands(atlas, name, size):
    words = [t.get_text() for t in shown_texts(sized(atlas, name, size))]
    joined = "\n".join(words)
    assert "derivation.yaml" not in joined and "geodata/" not in joined and ".yaml" not in joined
    assert not [t for t in words if "km²" in t and "+" in t]  # a loss is a loss, never "+"
    (credit,) = [" ".join(t.get_text().split()) for t in shown_texts(sized(atlas, name, size))
                 if t.get_gid() == "attribution"]
    assert "approximated from Natural Earth provinces; see the atlas for each boundary's derivation" in credit
    assert ("projection (Albers" in credit) == (name != "territory")  # no map credit on a chart


def test_svg_keeps_its_text_and_carries_title_and_desc(atlas, tmp_path):
    import xml.etree.ElementTree as ET

    path = save_figure(atlas, "turkmenchay-1828", tmp_path / "t.svg", fmt="svg", size="column")
    root = ET.parse(path).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root[0].tag == ns + "title" and root[0].text.startswith("Treaty of Turkmenchay, 22 February 1828")
    assert root[1].tag == ns + "desc" and root[1].text == "Persia lost 3,176 km² to Russia"
    texts_ = ["".join(t.itertext()) for t in root.iter(ns + "text")]
    assert "Treaty of Turkmenchay" in texts_ and any("Ceded to Russian Empire" in t for t in texts_)


def test_labels_follow_the_placement_rules(atlas):
    """The change labels (most important after the signing place) are all placed; cities give way."""
    fig = sized(atlas, "gulistan-1813", "column")
    gids = [t.get_gid() or "" for t in fig.axes[0].texts]
    assert {"label_change_cession_russia", "label_change_recognition_russia",
            "label_change_renunciation_russia", "place_label_gulistan"} <= set(gids)
    cities_column = sum(g.startswith("place_label_") for g in gids)
    cities_page = sum((t.get_gid() or "").startswith("place_label_") for t in sized(atlas, "gulistan-1813", "page").axes[0].texts)
    assert cities_column <= cities_page  # less room, fewer names: a label with no room is dropped


@pytest.mark.parametrize("eid", ["transcaucasian-republics-1918", "saint-petersburg-1723", "soviet-dissolution-1991"])
def test_no_label_crosses_the_maps_curved_neatline(atlas, eid):
    # the neatline is the window's lon/lat box projected (its sides slant and curve): a label inside the axes'
    # rectangle could still run past it (1918's "Independence: Azerbaijan Democratic Republic" was cut by it)
    fig = laid_out(atlas, eid)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    (neat,) = [a for a in ax.patches if a.get_gid() == "neatline"]
    outline = shapely.Polygon(neat.get_path().transformed(neat.get_transform()).vertices)
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith(("label_", "place_label_"))]
    assert labels
    for t in labels:
        bb = t.get_bbox_patch().get_window_extent(renderer) if t.get_bbox_patch() else t.get_window_extent(renderer)
        assert outline.contains(shapely.box(bb.x0, bb.y0, bb.x1, bb.y1)), (eid, t.get_gid(), t.get_text())


def test_before_and_after_pair(atlas):
    fig = sized(atlas, "turkmenchay-1828-before-after", "page")
    before, after = [ax for ax in fig.axes if ax.get_gid() in ("before", "after")]
    (st,) = [s for s in steps(atlas) if s.event.id == "turkmenchay-1828"]
    eve = steps(atlas)[st.index - 1].state
    for ax, state in ((before, eve), (after, st.state)):
        fills = {p.get_gid().removeprefix("unit_"): to_hex(p.get_facecolor()) for p in ax.patches
                 if (p.get_gid() or "").startswith("unit_")}
        assert fills == {u: style.HOLDERS[t.holder].fill for u, t in state.holders.items()}
    moved = {c.unit for c in st.changes if c.kind == "cession"}
    assert {u for u in moved if eve.holder(u) == "persia"} == moved  # Persian on the eve, Russian after
    assert [p.get_gid() for p in before.patches if p.get_gid() == "changed_outline_before"]
    assert not [t for t in before.texts if (t.get_gid() or "").startswith("label_change")]
    assert [t for t in after.texts if (t.get_gid() or "").startswith("label_change")]


def test_a_persian_figure_shows_the_datas_persian_texts_upright(atlas, tmp_path):
    import xml.etree.ElementTree as ET

    from mapper.figures.saving import save
    from mapper.words import Words

    w = Words("fa", atlas)
    ev = atlas.event("gulistan-1813")
    fig = draw_event(atlas, "gulistan-1813", lang="fa")
    shown = texts(fig)
    joined = "\n".join(shown)
    assert w.event_title(ev) != ev.title and w.event_title(ev) in joined
    assert w.region_name(atlas.unit("dagestan")) in joined and "Dagestan" not in joined
    assert ev.summary.split()[0] not in joined.split()  # the summary is the Persian one
    arabic = [t for t in fig.findobj(matplotlib.text.Text) if any("\u0600" <= ch <= "\u06ff" for ch in t.get_text())]
    assert arabic and all(t.get_style() == "normal" for t in arabic)  # no oblique font has Arabic letters
    # the scale bar's numbers stand alone (a Persian "250 km" would read unit first, away from its tick); the
    # caption names the unit in Persian
    scale = {t.get_gid(): t.get_text() for t in fig.findobj(matplotlib.text.Text) if (t.get_gid() or "").startswith("scalebar_")}
    assert scale["scalebar_label_2"] and set(scale["scalebar_label_2"]) <= set("۰۱۲۳۴۵۶۷۸۹٬")
    assert "km" not in joined and "کیلومتر" in scale["scalebar_caption"]
    # mirrored for right to left: the title set from the right, the panel (legend) on the left of the map
    renderer = fig.canvas.get_renderer()
    (title,) = [t for t in fig.texts if t.get_gid() == "title"]
    assert title.get_horizontalalignment() == "right"
    assert fig.bbox.width - title.get_window_extent(renderer).x1 < 0.15 * fig.dpi
    (legend,) = [leg for leg in fig.legends if leg.get_gid() == "legend"]
    (map_ax,) = [ax for ax in fig.axes if ax.get_gid() == "map"]
    assert legend.get_window_extent(renderer).x1 < map_ax.get_window_extent(renderer).x0
    # the SVG keeps the Persian as text, letters in logical order (shaping is the reader's renderer's)
    svg = save(fig, tmp_path / "fa.svg", "svg", title=w.event_title(ev))
    ns = "{http://www.w3.org/2000/svg}"
    svg_texts = ["".join(t.itertext()) for t in ET.parse(svg).getroot().iter(ns + "text")]
    assert w.event_title(ev) in svg_texts
    assert sum(any("\u0600" <= ch <= "\u06ff" for ch in t) for t in svg_texts) > 20


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_translated_text_stays_inside_the_figure(atlas, lang):
    fig = laid_out(atlas, "anglo-russian-convention-1907", lang=lang)  # a long summary
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_text().strip() and t.get_visible():
            bb = t.get_window_extent(renderer)
            assert bb.x0 >= -1 and bb.x1 <= width + 1, (t.get_text()[:60], bb.x0, bb.x1, width)


def test_text_is_measured_as_matplotlib_measures_it(atlas):
    """The figures' renderer measures each string from the layout it draws (mapper.figures.glyphs): the same
    width, height and descent as matplotlib's own Agg renderer, for the figures' texts in the three scripts,
    kerned pairs, ligatures, marks and zero-width characters at either end."""
    import itertools

    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from mapper.figures.glyphs import _Renderer, clear_caches

    clear_caches()
    lines = {ln for lang in ("en", "fa", "ru") for t in laid_out(atlas, "gulistan-1813", lang=lang).findobj(matplotlib.text.Text)
             for ln in t.get_text().split("\n")}
    odd = ["", " ", "ffi", "AV", "To", "Ёж", "لا", "کِتابِ", "مُحَمَّد", "دست\u200cبه\u200cدست", "ب\u200c", "\u200cب",
           "Tbilisi\u200f", "\u200fTbilisi", "a\u200d", "e\u0301", "abc ابت", "ابت abc", "(۱۸۱۳)", "۲٬۴۵۰ km²"]
    pairs = ["".join(p) for p in itertools.product("ابپتجسفکگلمهی AVTWYo", repeat=2)]
    assert len(lines) > 150 and any("\u0600" <= ch <= "\u06ff" for ln in lines for ch in ln)
    differ = []
    for dpi, weight in ((200, "normal"), (150, "bold")):
        prop = FontProperties(family="DejaVu Sans", size=7, weight=weight)
        ours, theirs = _Renderer(1, 1, dpi), RendererAgg(1, 1, dpi)
        for s in sorted(lines) + odd + pairs:
            got, want = ours.get_text_width_height_descent(s, prop, False), theirs.get_text_width_height_descent(s, prop, False)
            if got != want:
                differ.append((s, dpi, weight, got, want))
    assert not differ, differ[:5]


def test_wrap_measures_each_text_in_the_font_of_the_moment(monkeypatch):
    """``wrap`` keeps each text's measured glyph width, by font file and text: the kept width is what a fresh
    font measures, another font family measures afresh (never the first font's width), and a forked process
    measures with a face of its own, never its parent's."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    from mapper.figures import sheet

    def fresh(text, family):
        font = FT2Font(findfont(FontProperties(family=family)))
        font.set_size(100, 72)
        font.set_text(text)
        return font.get_width_height()[0] / 64 / 100 / len(text)

    text = "яблоко яблоко яблоко " + " ".join("и" * 40)  # narrow spaces in DejaVu Sans, not in its Mono
    monkeypatch.setitem(rcParams, "font.family", ["DejaVu Sans"])
    sans = sheet._em_per_char(text)
    assert sans == sheet._em_per_char(text) == fresh(text, ["DejaVu Sans"])
    wrapped = sheet.wrap(text, 3.0, 7)
    assert wrapped.replace("\n", " ") == text and wrapped.count("\n") == 1
    monkeypatch.setitem(rcParams, "font.family", ["DejaVu Sans Mono"])
    mono = sheet._em_per_char(text)
    assert mono == fresh(text, ["DejaVu Sans Mono"]) and mono != sans
    assert sheet.wrap(text, 3.0, 7).count("\n") == 2  # a wider font, shorter lines
    monkeypatch.setitem(rcParams, "font.family", ["DejaVu Sans"])
    assert sheet.wrap(text, 3.0, 7) == wrapped
    assert sheet._MEASURING_FONTS
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports whether it inherited a face, then whether it measures the same
        inherited = bool(sheet._MEASURING_FONTS)
        same = sheet._em_per_char(text + " ") == fresh(text + " ", ["DejaVu Sans"])
        os.write(write, f"{inherited} {same}".encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100).decode() == "False True"
    os.close(read)


def test_a_collection_of_layer_geometries_is_made_once_and_drawn_as_its_members(atlas):
    """``frame.collection`` gives the same collection (and so the same kept path) for the same member objects,
    another for other members or other objects of the same shape; its path is its members' paths end to end."""
    import numpy as np
    import shapely

    from mapper.figures import frame

    units = frame.view(atlas, frame.WINDOW, frame.FULL_TOLERANCE_M)["units"]
    some = [units[u.id] for u in atlas.units[:5]]
    both = frame.collection(some)
    assert frame.collection(list(some)) is both
    assert frame.collection(some[:4]) is not both
    copies = [shapely.from_wkb(shapely.to_wkb(g)) for g in some]  # equal geometries, other objects
    assert frame.collection(copies) is not both
    assert frame.path(both) is frame.path(frame.collection(some))
    members = [frame.path(g) for g in some if not g.is_empty]
    assert np.array_equal(frame.path(both).vertices, np.concatenate([m.vertices for m in members]))
    assert np.array_equal(frame.path(both).codes, np.concatenate([m.codes for m in members]))
    assert np.array_equal(frame.path(both).vertices, frame.path(shapely.GeometryCollection(some)).vertices)


def test_a_label_is_measured_where_it_stands_as_matplotlib_measures_it(atlas):
    """``labels.window_box`` lays a label out once per alignment and moves it: at every position and alignment
    it gives the box ``get_window_extent`` gives (one-line and two-line labels, bold, several sizes)."""
    from mapper.figures.labels import window_box

    fig = drawn(atlas, "gulistan-1813")
    (ax,) = [a for a in fig.axes if a.get_gid() == "map"]
    renderer = fig.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for text, size, weight in (("Tiflis", 8, "bold"), ("Erivan Khanate\n(to Russia)", 9, "normal"), ("Ганджа", 7, "normal")):
        t = ax.text(x0, y0, text, fontsize=size, weight=weight)
        shapes: dict = {}
        try:
            for i in range(40):
                t.set_position((x0 + (x1 - x0) * i / 41.3, y1 - (y1 - y0) * i / 37.7))
                t.set_horizontalalignment(("left", "center", "right")[i % 3])
                t.set_verticalalignment(("bottom", "center", "top", "baseline")[i % 4])
                bb = t.get_window_extent(renderer)
                assert window_box(t, renderer, shapes) == (bb.x0, bb.y0, bb.x1, bb.y1)
            assert len(shapes) == 12
        finally:
            t.remove()


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_svg_is_the_svg_matplotlib_writes(atlas, lang):
    """The figures' canvas writes SVG with text metrics and clip-path names kept (mapper.figures.glyphs): the file
    is byte for byte the one matplotlib's own SVG canvas writes, clip paths (the map's outlines clipped to its
    neatline) and all."""
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from mapper.figures.glyphs import Canvas
    from mapper.figures.saving import rc

    fig = draw_figure(atlas, "gulistan-1813", lang=lang)
    meta = {"Date": None, "Title": "t", "Description": "d", "Creator": "c"}
    ours, theirs = io.BytesIO(), io.BytesIO()
    with rc():
        fig.savefig(ours, format="svg", dpi=72, metadata=meta, facecolor="white")
        FigureCanvasSVG(fig)
        try:
            fig.savefig(theirs, format="svg", dpi=72, metadata=meta, facecolor="white")
        finally:
            Canvas(fig)
    assert ours.getvalue().count(b"clip-path=") > 30
    assert ours.getvalue() == theirs.getvalue()


def test_change_labels_of_the_largest_lands_go_first_and_a_leader_ends_in_a_dot(atlas):
    """At 1991 the four new states' labels compete for room: Turkmenistan's, the largest, had been placed last and
    landed over central Iran, its thin leader reading as a border. The largest land's label now goes first, and
    every leader ends in a dot on the land it names."""
    from mapper.figures.frame import project_point

    fig = laid_out(atlas, "soviet-dissolution-1991")
    texts = {t.get_text().split("\n")[0]: t for ax in fig.axes for t in ax.texts
             if (t.get_gid() or "").startswith("label_change_")}
    turkmenistan = texts["Independence: Turkmenistan"]
    assert turkmenistan.get_position()[1] > project_point(51.39, 35.69)[1]  # north of Tehran, on its own land
    leaders = [ln for ax in fig.axes for ln in ax.lines if (ln.get_gid() or "").startswith("leader_")]
    assert leaders and all(ln.get_marker() == "o" and list(ln.get_markevery()) == [0] for ln in leaders)
