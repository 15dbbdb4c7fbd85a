"""Benchmark the atlas: build time per stage, size against folium baselines, browser timings,
growth with the data, and the fidelity of the simplified borders.

Run from the repository root:  python bench/run.py  [--scales 1,10,100] [--no-browser]
Prints a table and writes outputs/bench/results.md and results.json. Never part of the tests.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import assets  # noqa: E402
import baselines  # noqa: E402
import synthetic  # noqa: E402

from mapper import build as build_mod  # noqa: E402
from mapper import timeline  # noqa: E402
from mapper.chromium import ARGS, CHROMIUM  # noqa: E402
from mapper.geodata import read_atlas  # noqa: E402
from mapper.validate import check_atlas  # noqa: E402

SOURCES = ROOT.parent / "shared" / "sources"


def sizes(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 9, mtime=0))


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


# --- 1. build ------------------------------------------------------------------------------------------


def time_build(geodata: Path, out: Path, *, stages=None) -> dict:
    """Time load, timeline and each build stage in-process; return seconds per stage."""
    t0 = time.perf_counter()
    atlas = read_atlas(geodata)
    problems = check_atlas(atlas) if stages is None else []
    assert not problems, problems
    t1 = time.perf_counter()
    timeline.steps.cache_clear()
    timeline.steps(atlas)
    t2 = time.perf_counter()
    options = build_mod.BuildOptions(**({} if stages is None else {"stages": tuple(stages)}))
    report = build_mod.build(atlas, out, options)
    return {"load": t1 - t0, "timeline": t2 - t1, **report.seconds, "total": time.perf_counter() - t0}, atlas


def time_cli_build(out: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mapper", "build", "--out", str(out)], check=True, cwd=ROOT,
                   capture_output=True)
    return time.perf_counter() - t0


# --- 3. browser ----------------------------------------------------------------------------------------

STEP_ATLAS = """async () => {
  const ids = window.mapperAtlas.events, times = [];
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  for (const round of [0, 1]) for (const id of ids) {
    const t0 = performance.now(); window.mapperAtlas.go(id); const t1 = performance.now();
    await frame(); times.push([t1 - t0, performance.now() - t0]);
  }
  return times.slice(ids.length);
}"""

STEP_LAYERS = """async () => {
  const map = window[Object.keys(window).find(k => k.startsWith('map_'))];
  const layers = Object.keys(window).filter(k => /^geo_json_step\\d+$/.test(k))
      .sort((a, b) => +a.slice(13) - +b.slice(13)).map(k => window[k]);
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const times = []; let shown = layers[0];
  for (const round of [0, 1]) for (const layer of layers) {
    const t0 = performance.now();
    if (shown !== layer) { map.removeLayer(shown); map.addLayer(layer); shown = layer; }
    const t1 = performance.now();
    await frame(); times.push([t1 - t0, performance.now() - t0]);
  }
  return times.slice(layers.length);
}"""

STEP_TIMESTAMPED = """async () => {
  const map = window[Object.keys(window).find(k => k.startsWith('map_'))];
  const td = map.timeDimension, times = window.__eventTimes, out = [];
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  for (const round of [0, 1]) for (const t of times) {
    const t0 = performance.now();
    await new Promise(r => { td.once('timeload', r); td.setCurrentTime(t); setTimeout(r, 2000); });
    const t1 = performance.now();
    await frame(); out.push([t1 - t0, performance.now() - t0]);
  }
  return out.slice(times.length);
}"""

READY = {  # when a page counts as rendered
    "paths": "document.querySelectorAll('path.leaflet-interactive').length > 10",
    "control": "document.querySelectorAll('.leaflet-control-timecontrol').length > 0",
}


def _server(cache: Path, missing: list[str]):
    """Return a route handler that answers CDN addresses from local copies (empty body if none)."""

    def serve(route):
        hit = assets.local_copy(route.request.url, cache)
        if hit is None:
            missing.append(route.request.url)
            route.fulfill(status=200, body=b"", content_type="text/plain")
        else:
            route.fulfill(status=200, body=hit[0], content_type=hit[1])

    return serve


def browser_timings(pages: dict[str, tuple], cache: Path, init: str | None = None) -> dict:
    """Open each page in headless Chromium (http(s) blocked; CDN addresses served locally) and time it."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for name, (path, script, *rest) in pages.items():
            ready = READY[rest[0] if rest else "paths"]
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            missing: list[str] = []
            serve = _server(cache, missing)
            ctx.route("http://**/*", serve)
            ctx.route("https://**/*", serve)
            page = ctx.new_page()
            renders = []
            for _ in range(3):
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function(ready, timeout=60000)
                renders.append(page.evaluate("performance.now()"))
            if init:
                page.evaluate(init)
            steps = page.evaluate(script)
            work, frames = [w for w, _ in steps], [f for _, f in steps]
            out[name] = {"first_render_ms": statistics.median(renders),
                         "step_median_ms": statistics.median(work), "step_worst_ms": max(work),
                         "frame_median_ms": statistics.median(frames), "frame_worst_ms": max(frames),
                         "steps": len(steps), "unserved": sorted(set(missing))}
            ctx.close()
        browser.close()
    return out


# --- 5. fidelity ---------------------------------------------------------------------------------------


def fidelity(atlas) -> dict:
    """Largest distance (m) between simplified and source borders; gaps and overlaps between units."""
    import shapely

    from mapper.derive import source_units
    from mapper.timeline import to_equal_area

    res = {}
    geoms = [u.geometry for u in atlas.units]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    overlaps = sum(1 for i, j in zip(left, right) if i < j and shapely.intersection(geoms[i], geoms[j]).area > 0)
    union = shapely.union_all(geoms)
    res["committed_overlaps"] = overlaps
    res["committed_valid_coverage"] = bool(shapely.coverage_is_valid(geoms))
    if (SOURCES / "ne10m_admin1_region.geojson").exists():
        src = source_units(SOURCES, ROOT / "mapper" / "data")
        dists = {u.id: shapely.hausdorff_distance(to_equal_area(u.geometry.boundary), to_equal_area(src[u.id].boundary))
                 for u in atlas.units}
        worst = max(dists, key=dists.get)
        res["committed_max_m"] = dists[worst]
        res["committed_worst_unit"] = worst
        src_union = shapely.union_all(list(src.values()))
        holes_src = sum(len(p.interiors) for p in shapely.get_parts(src_union))
        holes = sum(len(p.interiors) for p in shapely.get_parts(union))
        res["committed_gaps"] = max(0, holes - holes_src)
    try:
        from mapper.web import web_geometries
    except ImportError:
        return res
    web = web_geometries(atlas)
    wgeoms = [web[u.id] for u in atlas.units]
    res["web_valid_coverage"] = bool(shapely.coverage_is_valid(wgeoms))
    wtree = shapely.STRtree(wgeoms)
    left, right = wtree.query(wgeoms, predicate="intersects")
    res["web_overlaps"] = sum(1 for i, j in zip(left, right) if i < j and shapely.intersection(wgeoms[i], wgeoms[j]).area > 1e-12)
    wunion = shapely.union_all(wgeoms)
    res["web_gaps"] = max(0, sum(len(p.interiors) for p in shapely.get_parts(wunion))
                          - sum(len(p.interiors) for p in shapely.get_parts(union)))
    d = {u.id: shapely.hausdorff_distance(to_equal_area(web[u.id].boundary), to_equal_area(u.geometry.boundary)) for u in atlas.units}
    worst = max(d, key=d.get)
    res["web_vs_committed_max_m"], res["web_worst_unit"] = d[worst], worst
    return res


# --- main ----------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--out", type=Path, default=ROOT / "outputs" / "bench")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    cache = args.out / "cache"
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    lines = []

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # 1. the real build, in-process per stage and as a user runs it
        stage_s, atlas = time_build(ROOT / "mapper" / "data", tmp / "real")
        results["build_s"] = stage_s
        results["cli_build_s"] = time_cli_build(tmp / "cli")
        lines.append("## Build (real data)")
        lines.append("| stage | seconds |\n|---|---:|")
        lines += [f"| {k} | {v:.2f} |" for k, v in stage_s.items()]
        lines.append(f"| `mapper build` as a command (with imports) | {results['cli_build_s']:.2f} |")

        # 2. sizes against the baselines
        index = tmp / "real" / "index.html"
        cdn_dir = tmp / "cdn"
        from mapper.web import write_html

        write_html(atlas, cdn_dir, cdn=True)
        base_a = baselines.layers_baseline(atlas, args.out / "baseline-layers.html")
        base_b = baselines.timestamped_baseline(atlas, args.out / "baseline-timestamped.html")
        shutil.copy(index, args.out / "atlas.html")
        size = {"atlas (inlined)": sizes(index), "atlas (--cdn)": sizes(cdn_dir / "index.html"),
                "baseline (a) GeoJson layers": sizes(base_a), "baseline (b) TimestampedGeoJson": sizes(base_b)}
        maps = sorted((tmp / "real" / "maps").glob("*.html"))
        size["per-event maps (median)"] = tuple(int(statistics.median(sizes(m)[i] for m in maps)) for i in (0, 1))
        results["size_bytes"] = size
        a_raw = size["baseline (a) GeoJson layers"][0]
        lines.append("\n## Size (same slices)")
        lines.append("| file | raw | gzip | raw vs baseline (a) |\n|---|---:|---:|---:|")
        for k, (raw, gz) in size.items():
            lines.append(f"| {k} | {kb(raw)} | {kb(gz)} | {raw / a_raw:.3f} |")

        # 3. browser
        if not args.no_browser:
            results["browser"] = browser_timings(
                {"atlas": (args.out / "atlas.html", STEP_ATLAS), "baseline (a)": (base_a, STEP_LAYERS)}, cache)
            times = [baselines.event_time_ms(e) for e in atlas.events]
            results["browser"].update(browser_timings(
                {"baseline (b)": (base_b, STEP_TIMESTAMPED, "control")}, cache, init=f"window.__eventTimes = {json.dumps(times)}"))
            lines.append("\n## Browser (headless Chromium, http(s) blocked; baselines' CDN files served locally)")
            lines.append("A step's *script* is the time the step's own code runs; *to next frame* adds the wait for the "
                         "next animation frame (headless Chromium paints at 60 Hz, so this is at least one 16.7 ms frame).\n")
            lines.append("| page | first render | step script median | step script worst | to next frame median | to next frame worst |\n"
                         "|---|---:|---:|---:|---:|---:|")
            for k, v in results["browser"].items():
                lines.append(f"| {k} | {v['first_render_ms']:.0f} ms | {v['step_median_ms']:.2f} ms | {v['step_worst_ms']:.2f} ms | "
                             f"{v['frame_median_ms']:.1f} ms | {v['frame_worst_ms']:.1f} ms |")

        # 4. growth: load, timeline and the atlas page (slices and per-event maps hold every unit's geometry
        #    once per event by design, so at 100x they would be gigabytes: they are left out here)
        from mapper.web import render_index

        lines.append("\n## Growth (synthetic data; build = load + timeline + atlas page)")
        lines.append("| units × | events × | units | events | holder changes | vertices | build | atlas raw | atlas gzip | first render | step script median | step script worst |\n"
                     "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        results["growth"] = []
        runs = [(int(s), int(s)) for s in args.scales.split(",")] + [(1, 10)]
        for scale, ev_scale in runs:
            geo = synthetic.make(tmp / f"syn{scale}-{ev_scale}", scale, events_scale=ev_scale)
            t0 = time.perf_counter()
            syn = read_atlas(geo)
            timeline.steps(syn)
            page = tmp / f"syn{scale}-{ev_scale}.html"
            page.write_text(render_index(syn), encoding="utf-8")
            build_s = time.perf_counter() - t0
            raw, gz = sizes(page)
            row = {"units_scale": scale, "events_scale": ev_scale, "units": len(syn.units), "events": len(syn.events),
                   "holder_changes": sum(len(s.changes) for s in timeline.steps(syn)),
                   "vertices": int(sum(__import__("shapely").get_num_coordinates(u.geometry) for u in syn.units)),
                   "build_s": build_s, "raw": raw, "gzip": gz}
            if not args.no_browser:
                t = browser_timings({"s": (page, STEP_ATLAS)}, cache)["s"]
                row.update({k: t[k] for k in ("first_render_ms", "step_median_ms", "step_worst_ms")})
            results["growth"].append(row)
            timing = (f"{row['first_render_ms']:.0f} ms | {row['step_median_ms']:.2f} ms | {row['step_worst_ms']:.2f} ms |"
                      if "step_median_ms" in row else "– | – | – |")
            lines.append(f"| {scale}× | {ev_scale}× | {row['units']} | {row['events']} | {row['holder_changes']} | {row['vertices']:,} | "
                         f"{row['build_s']:.1f} s | {kb(raw)} | {kb(gz)} | {timing}")
        one = next(r for r in results["growth"] if (r["units_scale"], r["events_scale"]) == (1, 1))
        ten = next(r for r in results["growth"] if (r["units_scale"], r["events_scale"]) == (1, 10))
        d_events = ten["events"] - one["events"]
        d_changes = ten["holder_changes"] - one["holder_changes"]
        per_event = (ten["raw"] - one["raw"]) / d_events
        results["bytes_per_extra_event"] = per_event
        lines.append(f"\nWith the units fixed and 10× the events ({d_events} more events, {d_changes} more holder changes), the page "
                     f"grows by {per_event:.0f} bytes per event: its text (title, summary, source) and {d_changes / d_events:.1f} "
                     "change records of a few dozen bytes each. No geometry is repeated per event.")

        # 5. fidelity
        results["fidelity"] = fid = fidelity(atlas)
        lines.append("\n## Fidelity of the simplified borders")
        lines.append("| measure | value |\n|---|---:|")
        for k, v in fid.items():
            lines.append(f"| {k} | {v:,.0f} |" if isinstance(v, float) else f"| {k} | {v} |")

    text = f"Machine: {results['machine']}\n\n" + "\n".join(lines) + "\n"
    (args.out / "results.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print(text)
    print(f"Wrote {args.out / 'results.md'} and results.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
