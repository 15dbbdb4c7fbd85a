"""Print figures: what is drawn (colours, counts, highlights, legend, title), files, determinism, CLI."""
from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import GEODATA, run_cli  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402
from PIL import Image  # noqa: E402

import mapper  # noqa: E402
from mapper.errors import MapperError  # noqa: E402
from mapper.figures import (  # noqa: E402
    ATTRIBUTION,
    HOLDER_STYLES,
    border_steps,
    draw_event,
    draw_overview,
    draw_territory,
    save_figure,
)
from mapper.timeline import steps  # noqa: E402


def patches(fig, prefix):
    return [p for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith(prefix)]


def texts(fig):
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


@pytest.fixture(scope="module")
def gulistan(atlas):
    return draw_event(atlas, "gulistan-1813")


@pytest.fixture(scope="module")
def figures(built):
    """The figures of the suite's one ``mapper build`` (drawn by the build's worker processes)."""
    return built, sorted((built / "figures").iterdir())


def test_units_are_filled_by_holder(atlas, gulistan):
    state = mapper.state_at(atlas, "1813-10-24")
    by_colour = {to_hex(s.face): h for h, s in HOLDER_STYLES.items()}
    units = patches(gulistan, "unit_")
    assert len(units) == len(atlas.units)
    drawn = Counter(by_colour[to_hex(p.get_facecolor())] for p in units)
    assert drawn == Counter(t.holder for t in state.holders.values())
    for p in units:
        holder = state.holder(p.get_gid().removeprefix("unit_"))
        assert to_hex(p.get_facecolor()) == HOLDER_STYLES[holder].face
        assert p.get_hatch() == HOLDER_STYLES[holder].hatch  # a second cue besides colour


def test_palette_reads_in_greyscale():
    def grey(c):
        r, g, b = to_rgb(c)
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = sorted(grey(s.face) for s in HOLDER_STYLES.values())
    assert min(b - a for a, b in zip(levels, levels[1:])) > 0.1
    assert HOLDER_STYLES["persia"].hatch is None
    assert HOLDER_STYLES["russia"].hatch and HOLDER_STYLES["other"].hatch
    assert HOLDER_STYLES["russia"].hatch != HOLDER_STYLES["other"].hatch


def test_changed_units_are_highlighted(atlas, gulistan):
    changed = {c.unit for c in mapper.changes(atlas, "gulistan-1813")}
    highlighted = patches(gulistan, "changed_")
    assert {p.get_gid().removeprefix("changed_") for p in highlighted if "outline" not in p.get_gid()} == changed
    assert all(p.get_hatch() for p in highlighted if "outline" not in p.get_gid())
    outline = [p for p in highlighted if "outline" in p.get_gid()]
    thin = max(p.get_linewidth() for p in patches(gulistan, "unit_"))
    assert outline and all(p.get_linewidth() > 4 * thin for p in outline)
    labels = {t.get_gid(): t.get_text() for t in gulistan.axes[0].texts
              if (t.get_gid() or "").startswith("label_change")}
    assert labels == {"label_change_ceded_to_russia": "Ceded to Russia\n173,299 km²",
                      "label_change_to_russia": "To Russia\n29,535 km²"}  # western Georgia was not Persia's


def test_legend_lists_only_what_is_drawn(gulistan):
    (legend,) = gulistan.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "Persia / Iran (Qajar Iran)", "Russia (Russian Empire)", "Changed hands at this event",
        "Place of signing", "City",
    ]  # no other holder is left in 1813, no zone is in force, no capital in view


def test_zones_are_overlays_with_legend_entries(atlas):
    fig = draw_event(atlas, "anglo-russian-convention-1907")
    zones = patches(fig, "zone_")
    assert sorted(p.get_gid() for p in zones) == ["zone_british-sphere-1907", "zone_neutral-zone-1907",
                                                    "zone_russian-sphere-1907"]
    assert all(p.get_facecolor()[3] == 0 and p.get_hatch() for p in zones)  # outline and hatch, no fill
    assert len({p.get_hatch() for p in zones}) == 3
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"Russian sphere (1907)", "Neutral zone (1907)", "British sphere (1907)"} <= set(legend)
    assert "Changed hands at this event" not in legend


def test_title_date_scale_and_attribution(gulistan):
    assert "Treaty of Gulistan" in gulistan.get_suptitle()
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
        "changed_erivan", "changed_surmali", "changed_nakhchivan", "changed_talysh-south"}


def test_territory_bars_equal_the_engine(atlas):
    fig = draw_territory(atlas)
    bars = {p.get_gid().removeprefix("bar_"): p.get_height() for p in patches(fig, "bar_")}
    want = {st.event.id: st.lost_km2 for st in steps(atlas) if round(st.lost_km2)}
    assert bars.keys() == want.keys()
    assert all(bars[k] == pytest.approx(v) for k, v in want.items())
    assert bars["resht-1732"] < 0 < bars["gulistan-1813"]
    (line,) = [ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == "running_total_line"]
    assert max(line.get_ydata()) == pytest.approx(steps(atlas)[-1].total_lost_km2)


def test_territory_chart_of_a_history_without_losses_says_so(atlas):
    quiet = dataclasses.replace(atlas, events=atlas.events[:1])  # before any land passed between the two
    assert not any(round(st.lost_km2) for st in steps(quiet))
    fig = draw_territory(quiet)
    assert not patches(fig, "bar_")
    assert [t.get_text() for t in fig.texts if t.get_gid() == "nothing_lost"] == [
        "No land passed between Persia and Russia in this history."]


def test_overview_has_one_panel_per_border_change(atlas):
    fig = draw_overview(atlas)
    panels = [ax.get_gid().removeprefix("panel_") for ax in fig.axes if (ax.get_gid() or "").startswith("panel_")]
    want = [st.event.id for st in steps(atlas)
            if any(c.from_ in ("persia", "russia") or c.to in ("persia", "russia") for c in st.changes)]
    assert panels == want == [st.event.id for st in border_steps(atlas)]
    assert "astrakhan-1556" in panels and "georgievsk-1783" not in panels
    titles = {ax.get_gid(): ax.get_title(loc="left") for ax in fig.axes if ax.get_gid()}
    assert "1813 · Treaty of Gulistan" in titles["panel_gulistan-1813"]
    assert "173,299 km²" in titles["panel_gulistan-1813"]


def test_files_are_written_wide_and_deterministic(atlas, figures, tmp_path):
    out, written = figures
    names = {p.name for p in written}
    stems = [e.id for e in atlas.events] + ["overview", "territory"]
    assert names == {f"{s}.{fmt}" for s in stems for fmt in ("png", "svg")}
    for stem in ("gulistan-1813", "overview", "territory"):
        with Image.open(out / "figures" / f"{stem}.png") as im:
            assert im.size[0] >= 2000
    svg = (out / "figures" / "gulistan-1813.svg").read_text(encoding="utf-8")
    assert ATTRIBUTION.split(".")[0] in svg and 'id="unit_karabakh"' in svg
    # drawn again in this process, the files are byte-identical to the worker processes' ones
    for fmt in ("png", "svg"):
        again = save_figure(atlas, "gulistan-1813", tmp_path / f"again.{fmt}", fmt=fmt, width_px=2400)
        assert again.read_bytes() == (out / "figures" / f"gulistan-1813.{fmt}").read_bytes(), fmt


def test_save_figure_errors(atlas, tmp_path):
    with pytest.raises(MapperError, match=r"unknown event 'gulistan-1812' \(did you mean 'gulistan-1813'\?\)"):
        save_figure(atlas, "gulistan-1812", tmp_path / "x.png", fmt="png", width_px=2400)
    with pytest.raises(MapperError, match=r"unknown figure format 'jpg'.*png, svg, pdf"):
        save_figure(atlas, "gulistan-1813", tmp_path / "x.jpg", fmt="jpg", width_px=2400)
    with pytest.raises(MapperError, match="width"):
        save_figure(atlas, "gulistan-1813", tmp_path / "x.png", fmt="png", width_px=10)


def test_cli_writes_a_pdf(tmp_path):
    out = tmp_path / "x.pdf"
    r = run_cli("figure", "gulistan-1813", "-o", out, "--geodata", GEODATA)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 10_000


def test_cli_unknown_event_is_an_error_without_traceback(tmp_path):
    r = run_cli("figure", "gulistan-1812", "--geodata", GEODATA, cwd=tmp_path)
    assert r.returncode == 1
    assert "Error:" in r.stderr and "did you mean 'gulistan-1813'" in r.stderr
    assert "Traceback" not in r.stderr and not list(tmp_path.iterdir())


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
def test_texts_match_the_snapshot(atlas, name, gulistan):
    if name == "gulistan-1813":
        fig = gulistan
    else:
        fig = {"overview": draw_overview, "territory": draw_territory}.get(name, lambda a: draw_event(a, name))(atlas)
    got = figure_texts(fig)
    pinned = json.loads(SNAPSHOTS.read_text(encoding="utf-8")) if SNAPSHOTS.exists() else {}
    if os.environ.get("MAPPER_UPDATE_SNAPSHOTS"):
        pinned[name] = got
        SNAPSHOTS.parent.mkdir(exist_ok=True)
        SNAPSHOTS.write_text(json.dumps(pinned, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                             encoding="utf-8")
    assert got == pinned.get(name), f"{name}: texts differ from {SNAPSHOTS.name} (MAPPER_UPDATE_SNAPSHOTS=1 to accept)"
