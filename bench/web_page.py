"""Benchmark the atlas page: its size against the naive folium baseline, and how fast it starts and steps
on a slow machine (Chromium with the CPU throttled 4× through CDP ``Emulation.setCPUThrottlingRate``).

Run from the repository root:  python bench/web_page.py  [--rate 4] [--runs 3]
Prints one table. Never part of the tests (timings and sizes belong here, not in tests/).

- size: ``index.html`` raw and gzip (level 9), and the ratio to baseline (a) of ``bench/baselines.py``
  (one ``folium.GeoJson`` layer per step, the naive folium page), raw and gzip;
- first render: from navigation start to the engine publishing ``window.mapperAtlas`` (the first step drawn),
  median of ``--runs`` fresh loads;
- step: the script time of ``mapperAtlas.go(id)`` for every step in order (restyle, bringing the change
  into view, legend, panel, live region, the one forced layout and the label placement), median and
  worst, with reduced motion (no animation frames counted). The address (``#event-id``) is written a
  moment later, once for a quick run of steps; that write is timed apart (``history.replaceState``).

Timings depend on what else the machine runs: the load average is printed with them.
"""
from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import baselines  # noqa: E402

import mapper  # noqa: E402
from mapper.web import write_html  # noqa: E402

CHROMIUM = os.environ.get("MAPPER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def sizes(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 9, mtime=0))


def browser(index: Path, rate: float, runs: int, size=(1440, 900)) -> dict:
    from playwright.sync_api import sync_playwright

    firsts, step_ms, address = [], [], 0.0
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for run in range(runs):
            ctx = b.new_context(viewport={"width": size[0], "height": size[1]}, reduced_motion="reduce")
            ctx.route("https://**/*", lambda r: r.abort())
            pg = ctx.new_page()
            cdp = ctx.new_cdp_session(pg)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            # the first step is drawn when the engine publishes window.mapperAtlas (just before mapper:ready)
            pg.add_init_script("""Object.defineProperty(window, 'mapperAtlas', {configurable: true,
                set(v) { window.__ready = performance.now(); window.__atlas = v; }, get() { return window.__atlas; }});""")
            pg.goto(index.as_uri())
            pg.wait_for_function("window.__ready !== undefined", timeout=60_000)
            firsts.append(pg.evaluate("window.__ready"))
            if run == 0:
                step_ms = pg.evaluate("""() => mapperAtlas.events.map(id => {
                    const t0 = performance.now(); mapperAtlas.go(id); return performance.now() - t0; })""")
                address = pg.evaluate("""() => { const t0 = performance.now();
                    for (let i = 0; i < 10; i++) history.replaceState(null, '', '#' + mapperAtlas.events[i]);
                    return (performance.now() - t0) / 10; }""")
            ctx.close()
        b.close()
    return {"first": statistics.median(firsts), "step_median": statistics.median(step_ms), "step_worst": max(step_ms),
            "steps": len(step_ms), "address": address}


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=4.0, help="CPU throttling rate (4 = four times slower)")
    ap.add_argument("--runs", type=int, default=3, help="fresh page loads for the first-render median")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)
    atlas = mapper.load()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_html(atlas, out / "site", cdn=False)
        raw, gz = sizes(out / "site" / "index.html")
        naive = baselines.layers_baseline(atlas, out / "naive.html")
        nraw, ngz = sizes(naive)
        print(f"page index.html      raw {kb(raw):>10}  gzip {kb(gz):>9}")
        print(f"naive folium (a)     raw {kb(nraw):>10}  gzip {kb(ngz):>9}")
        print(f"ratio page / naive   raw {raw / nraw:10.3f}  gzip {gz / ngz:9.3f}   (target: gzip <= 120 KB, ratio <= 0.1)")
        if not args.no_browser:
            t = browser(out / "site" / "index.html", args.rate, args.runs)
            print(f"CPU throttled {args.rate:g}x: first render {t['first']:.0f} ms (median of {args.runs}); "
                  f"step script median {t['step_median']:.1f} ms, worst {t['step_worst']:.1f} ms over {t['steps']} steps "
                  "(targets: first render < 1000 ms, step < 16 ms)")
            print(f"address update {t['address']:.1f} ms a write (after the step); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
