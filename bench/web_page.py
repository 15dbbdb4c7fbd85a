"""Benchmark the atlas page: its size against the naive folium baseline, and how fast it starts and steps
on a slow machine (Chromium with the CPU throttled 4× through CDP ``Emulation.setCPUThrottlingRate``).

Run from the repository root:  python bench/web_page.py  [--rate 4] [--runs 3]
Prints one table. Never part of the tests (timings and sizes belong here, not in tests/).

- size: ``index.html`` raw and gzip (level 9), and the ratio to baseline (a) of ``bench/baselines.py``
  (one ``folium.GeoJson`` layer per step, the naive folium page), raw and gzip;
- first render: from navigation start to the engine publishing ``window.mapperAtlas`` (the first step drawn),
  median of ``--runs`` fresh loads at the throttled rate (wall time), and the main thread's CPU time over the
  same span without throttling (trace ``tdur``: what the machine's other load cannot inflate much; the
  throttled time on an idle machine is about ``rate`` times it plus the time nothing runs);
- step: ``mapperAtlas.go(id)`` for every step in order with reduced motion, timed from a trace: the handler's
  time, and of it the style and layout it forces (``UpdateLayoutTree`` + ``Layout``: the one measurement a
  step makes to place its labels) apart from its own script; median and worst, wall time at the throttled
  rate and CPU time unthrottled. Three cases: *prepared* (the page loaded anew and left until its idle-time
  preparation of every step is done, the ``atlas-prepared`` performance mark of api.js: a reader reads a step for
  seconds before the next) and *fresh* (the steps run at once after the first render, nothing prepared and the
  engine's code run for the first time: each step makes its parts as it is shown), both with all the steps run
  one after another in one task, and *at a reader's pace* (prepared, each step in a task of its own after a
  pause of :data:`PAUSE_MS` and a frame: the idle time in which V8 collects garbage), the target's case: its
  ``--paced-passes`` passes (default 3) go over the same page one after another and each step's script is the
  median of its passes (what one hiccup of the machine cannot decide), the slowest single step of all passes
  printed beside. The address (``#event-id``) is written a moment later, once for a quick run
  of steps; that write is timed apart (``history.replaceState``).

``--trace DIR`` writes each pass over the steps as a Chromium trace (``DIR/steps-fresh.json``, ``-throttled``,
``-cpu``; open them in DevTools' Performance panel or Perfetto) with V8's garbage collections and its sampling
profiler added (:data:`PROFILE`): what a slow step spent its time on. Those categories cost time of their own, so
the numbers printed with ``--trace`` run higher than without.

Timings depend on what else the machine runs: the load average is printed with them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import baselines  # noqa: E402

import mapper  # noqa: E402
from mapper.chromium import ARGS, CHROMIUM  # noqa: E402
from mapper.web import write_html  # noqa: E402


def sizes(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 9, mtime=0))


INIT = """Object.defineProperty(window, 'mapperAtlas', {configurable: true,
    set(v) { performance.mark('atlas-ready'); window.__ready = performance.now(); window.__atlas = v; },
    get() { return window.__atlas; }});"""
#: What the benches trace: the main thread's tasks, their CPU time and the page's own marks.
CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "toplevel"]
#: What ``--trace`` adds: V8's garbage collections, compilations and its sampling profiler (JavaScript stacks).
PROFILE = ["v8", "v8.execute", "disabled-by-default-v8.gc", "disabled-by-default-v8.cpu_profiler"]
PREPARED = "performance.getEntriesByName('atlas-prepared').length > 0"
STEPS = """() => { for (const id of mapperAtlas.events) { performance.mark('step'); mapperAtlas.go(id); performance.mark('stepped'); }
    return mapperAtlas.events.length; }"""
#: A step's script should take at most this at the throttled rate (issue 11).
TARGET_MS = 16.0
#: The same steps at a reader's pace: each in a task of its own, after a pause of :data:`PAUSE_MS` with a frame drawn.
PAUSE_MS = 250
STEPS_PACED = """async (pause) => { for (const id of mapperAtlas.events) {
      await new Promise(r => setTimeout(r, pause)); await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
      performance.mark('step'); mapperAtlas.go(id); performance.mark('stepped'); }
    return mapperAtlas.events.length; }"""


def _main_thread(events: list[dict]) -> set:
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    return {k for k, v in names.items() if v == "CrRendererMain"}


def _steps(events: list[dict], clock: str, dur: str) -> tuple[list[float], list[float]]:
    """Per step (between the marks): (handler ms, forced style+layout ms) on ``clock`` (ts wall, tts CPU)."""
    main = _main_thread(events)
    marks = sorted((e[clock], e["name"]) for e in events if e.get("name") in ("step", "stepped") and clock in e)
    starts, ends = [t for t, n in marks if n == "step"], [t for t, n in marks if n == "stepped"]
    lay = [(e[clock], e.get(dur, 0)) for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"
           and e.get("name") in ("Layout", "UpdateLayoutTree") and clock in e]
    total = [(b - a) / 1000 for a, b in zip(starts, ends)]
    layout = [sum(d for t, d in lay if a <= t <= b) / 1000 for a, b in zip(starts, ends)]
    return total, layout


def browser(index: Path, rate: float, runs: int, size=(1440, 900), trace: Path | None = None, paced_passes: int = 3) -> dict:
    from playwright.sync_api import sync_playwright

    firsts, cpus, address, steps, prepared, ids = [], [], 0.0, {}, 0.0, []
    paced_worst: tuple[float, str] = (0.0, "?")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for run in range(runs):
            ctx = b.new_context(viewport={"width": size[0], "height": size[1]}, reduced_motion="reduce")
            ctx.route("https://**/*", lambda r: r.abort())
            pg = ctx.new_page()
            cdp = ctx.new_cdp_session(pg)
            pg.add_init_script(INIT)
            pg.goto("about:blank")
            b.start_tracing(page=pg, categories=CATEGORIES)  # unthrottled: the CPU time of the first render
            pg.goto(index.as_uri())
            pg.wait_for_function("window.__ready !== undefined", timeout=60_000)
            events = json.loads(b.stop_tracing())["traceEvents"]
            main = _main_thread(events)
            nav = min(e["ts"] for e in events if e.get("name") == "navigationStart")
            ready = min(e["ts"] for e in events if e.get("name") == "atlas-ready")
            cpus.append(sum(e.get("tdur", 0) for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"
                            and e.get("name") == "RunTask" and nav <= e["ts"] <= ready) / 1000)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})  # throttled: the wall time
            pg.goto("about:blank")
            pg.goto(index.as_uri())
            pg.wait_for_function("window.__ready !== undefined", timeout=60_000)
            firsts.append(pg.evaluate("window.__ready"))
            if run == 0:
                def one_pass(label: str, r: float, cdp=cdp, pg=pg, paced: bool = False) -> None:
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": r})
                    b.start_tracing(page=pg, categories=CATEGORIES + (PROFILE if trace else []))
                    pg.evaluate(STEPS_PACED, PAUSE_MS) if paced else pg.evaluate(STEPS)
                    raw = b.stop_tracing()
                    if trace:
                        trace.mkdir(parents=True, exist_ok=True)
                        (trace / f"steps-{label}.json").write_bytes(raw)
                    events = json.loads(raw)["traceEvents"]
                    steps[label] = _steps(events, "ts", "dur") if r != 1 else _steps(events, "tts", "tdur")

                ids = pg.evaluate("mapperAtlas.events")
                one_pass("fresh", rate)  # at once after the first render: nothing prepared, the code run for the first time
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                pg.goto("about:blank")
                pg.goto(index.as_uri())
                pg.wait_for_function("window.__ready !== undefined", timeout=60_000)
                pg.wait_for_function(PREPARED, timeout=60_000)  # the idle-time preparation done (api.js)
                prepared = pg.evaluate("performance.getEntriesByName('atlas-prepared')[0].startTime - window.__ready")
                one_pass("throttled", rate)
                one_pass("cpu", 1.0)
                for n in range(paced_passes):  # then again, one step at a time with a pause between, a few times over
                    one_pass(f"paced-{n + 1}", rate, paced=True)
                runs_ = [steps.pop(f"paced-{n + 1}") for n in range(paced_passes)]
                scripts = [[t - lay for t, lay in zip(*run_)] for run_ in runs_]  # per pass, per step
                med_script = [statistics.median(x) for x in zip(*scripts)]
                med_layout = [statistics.median(x) for x in zip(*(run_[1] for run_ in runs_))]
                steps["paced"] = ([a + b_ for a, b_ in zip(med_script, med_layout)], med_layout)
                paced_worst = max((x, ids[i] if len(ids) == len(s_) else "?") for s_ in scripts for i, x in enumerate(s_))
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                address = pg.evaluate("""() => { const t0 = performance.now();
                    for (let i = 0; i < 10; i++) history.replaceState(null, '', '#' + mapperAtlas.events[i]);
                    return (performance.now() - t0) / 10; }""")
            ctx.close()
        b.close()

    def split(total: list[float], layout: list[float]) -> dict:
        script = [t - l for t, l in zip(total, layout)]
        return {"handler": (statistics.median(total), max(total)), "layout": (statistics.median(layout), max(layout)),
                "script": (statistics.median(script), max(script)), "n": len(total),
                "worst": ids[max(range(len(script)), key=script.__getitem__)] if len(ids) == len(script) else "?",
                "over": sorted(((round(x, 1), ids[i] if len(ids) == len(script) else "?") for i, x in enumerate(script)
                                if x > TARGET_MS), reverse=True)}

    return {"first": statistics.median(firsts), "firsts": firsts, "first_cpu": statistics.median(cpus), "cpus": cpus,
            "steps": split(*steps["throttled"]), "steps_fresh": split(*steps["fresh"]), "steps_cpu": split(*steps["cpu"]),
            "steps_paced": split(*steps["paced"]), "paced_passes": paced_passes, "paced_worst": paced_worst,
            "address": address, "prepared": prepared}


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=4.0, help="CPU throttling rate (4 = four times slower)")
    ap.add_argument("--runs", type=int, default=3, help="fresh page loads for the first-render median")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--trace", type=Path, metavar="DIR", help="write the passes over the steps as traces, profiled")
    ap.add_argument("--paced-passes", type=int, default=3, help="passes at a reader's pace (per step, their median)")
    args = ap.parse_args(argv)
    atlas = mapper.load()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_html(atlas, out / "site", cdn=False)
        raw, gz = sizes(out / "site" / "index.html")
        naive = baselines.layers_baseline(atlas, out / "naive.html")
        nraw, ngz = sizes(naive)
        print(f"page index.html      raw {kb(raw):>10}  gzip {kb(gz):>9}  ({gz:,} bytes)")
        print(f"naive folium (a)     raw {kb(nraw):>10}  gzip {kb(ngz):>9}")
        print(f"ratio page / naive   raw {raw / nraw:10.3f}  gzip {gz / ngz:9.3f}   (target: gzip <= 120 KB, ratio <= 0.1)")
        if not args.no_browser:
            load0 = os.getloadavg()[0]
            t = browser(out / "site" / "index.html", args.rate, args.runs, trace=args.trace, paced_passes=args.paced_passes)
            r = args.rate
            print(f"first render at {r:g}x: {t['first']:.0f} ms wall (median of {args.runs}: "
                  f"{', '.join('%.0f' % x for x in t['firsts'])}); main-thread CPU unthrottled {t['first_cpu']:.0f} ms "
                  f"({', '.join('%.0f' % x for x in t['cpus'])})   (target: < 1000 ms at {r:g}x)")
            print(f"idle-time preparation of every step done {t['prepared']:.0f} ms after the first render at {r:g}x")
            for label, st in ((f"wall at {r:g}x, prepared", t["steps"]), (f"wall at {r:g}x, fresh", t["steps_fresh"]),
                              ("CPU at 1x, prepared", t["steps_cpu"]),
                              (f"wall at {r:g}x, at a reader's pace ({PAUSE_MS} ms between steps; per step the median of "
                               f"{t['paced_passes']} passes)", t["steps_paced"])):
                print(f"step ({st['n']} steps), {label}: script median {st['script'][0]:.1f} ms, worst {st['script'][1]:.1f} ({st['worst']}); "
                      f"forced style+layout median {st['layout'][0]:.1f}, worst {st['layout'][1]:.1f}; "
                      f"handler median {st['handler'][0]:.1f}, worst {st['handler'][1]:.1f}; "
                      f"script over {TARGET_MS:g} ms in {len(st['over'])}: {', '.join(f'{n} {x}' for x, n in st['over'][:6])}")
            print(f"at a reader's pace, the slowest single step of the {t['paced_passes']} passes: {t['paced_worst'][0]:.1f} ms "
                  f"({t['paced_worst'][1]})")
            print(f"(target: a step's script < {TARGET_MS:g} ms at {r:g}x)  address update {t['address']:.1f} ms a write (after the step)")
            print(f"load average {load0:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
