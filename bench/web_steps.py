"""Compare the atlas page's steps between two versions of the engine on a shared, busy machine.

Run from the repository root:  python bench/web_steps.py [--base REV] [--passes 6] [--fresh [--prepared]] [--paced] [--rate 1]
Prints one line per version. Never part of the tests (timings belong in bench/, not tests/).

The page is built from the working tree and from git revision ``--base`` (default ``main``: its files
taken with ``git archive`` into a temporary folder and built there by its own code, in a subprocess).
One Chromium opens both pages and alternates passes over every step (``mapperAtlas.go`` for each
event, reduced motion, 1440×900), so that the machine's other load falls on both alike. Each step's
script is its main-thread CPU time from the trace (``tdur``) less the style and layout it forces
(as in ``bench/web_page.py``); for each step the median over the passes is kept, and the line gives
the median step, the worst step (named), and the sum over all steps. ``--fresh`` loads the page anew
before each pass (every step is then run for the first time, as the first pass of ``web_page.py``);
with ``--prepared`` each load is first left until the page's idle-time preparation of every step is
done (api.js); otherwise the passes go over the same page again (code warm). ``--rate 4`` throttles the CPU 4× and
times the wall clock instead (which the machine's other load inflates). ``--paced`` takes the steps at a
reader's pace (each in a task of its own after a pause, as the third pass of ``web_page.py``) instead of all
in one task; the line then also counts the steps over ``web_page.TARGET_MS``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import web_page  # noqa: E402

BUILD = ("import sys, mapper; from pathlib import Path; from mapper.web import write_html; "
         "write_html(mapper.load(), Path(sys.argv[1]), cdn=False)")


def build(tree: Path, out: Path) -> Path:
    """Build the atlas page with the ``mapper`` package of ``tree`` (in its own process); return index.html."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    subprocess.run([sys.executable, "-c", BUILD, str(out)], check=True, cwd=tree, env=env)
    return out / "index.html"


def passes(pages: dict[str, Path], n: int, fresh: bool, rate: float,
           prepared: bool = False, paced: bool = False) -> tuple[list[str], dict[str, list[list[float]]]]:
    """Per version, per pass, each step's script time (ms)."""
    from playwright.sync_api import sync_playwright

    clock, dur = ("tts", "tdur") if rate == 1 else ("ts", "dur")
    out: dict[str, list[list[float]]] = {name: [] for name in pages}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=web_page.CHROMIUM, args=web_page.ARGS)
        ctxs: dict[str, Any] = {}
        pgs: dict[str, Any] = {}
        for name in pages:
            ctxs[name] = b.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
            ctxs[name].route("https://**/*", lambda r: r.abort())
        ids: list[str] = []
        for _ in range(n):
            for name, index in pages.items():
                ctx, pg = ctxs[name], pgs.get(name)
                if pg is None or fresh:
                    if pg is not None:
                        pg.close()
                    pg = pgs[name] = ctx.new_page()
                    pg.add_init_script(web_page.INIT)
                    pg.goto(index.as_uri())
                    pg.wait_for_function("window.__ready !== undefined", timeout=60_000)
                    pg.wait_for_timeout(300)
                    if prepared:  # the idle-time preparation done (a page without it: 5 s more)
                        try:
                            pg.wait_for_function(web_page.PREPARED, timeout=5_000)
                        except Exception:
                            pass
                else:
                    pg.evaluate("mapperAtlas.go(mapperAtlas.events[0])")
                ids = pg.evaluate("mapperAtlas.events")
                ctx.new_cdp_session(pg).send("Emulation.setCPUThrottlingRate", {"rate": rate})
                b.start_tracing(page=pg, categories=web_page.CATEGORIES)
                pg.evaluate(web_page.STEPS_PACED, web_page.PAUSE_MS) if paced else pg.evaluate(web_page.STEPS)
                total, layout = web_page._steps(json.loads(b.stop_tracing())["traceEvents"], clock, dur)
                out[name].append([t - lay for t, lay in zip(total, layout)])
        b.close()
    return ids, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="the git revision to compare the working tree with")
    ap.add_argument("--passes", type=int, default=6)
    ap.add_argument("--fresh", action="store_true", help="load the page anew before each pass")
    ap.add_argument("--prepared", action="store_true", help="with --fresh: wait for the idle-time preparation first")
    ap.add_argument("--rate", type=float, default=1.0, help="CPU throttling (1: CPU time; otherwise wall time)")
    ap.add_argument("--paced", action="store_true", help="each step in a task of its own, after a pause (a reader's pace)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        pages = {args.base: build(base, Path(tmp) / "base-site"), "working tree": build(ROOT, Path(tmp) / "site")}
        ids, times = passes(pages, args.passes, args.fresh, args.rate, args.prepared, args.paced)
    load = os.getloadavg()
    what = "CPU at 1x" if args.rate == 1 else f"wall at {args.rate:g}x"
    print(f"a step's script, {what}, per step the median of {args.passes} {('prepared ' if args.prepared else '') + 'fresh' if args.fresh else 'warm'}{' paced' if args.paced else ''} passes "
          f"(load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs):")
    for name, runs in times.items():
        per = [statistics.median(x) for x in zip(*runs)]
        worst = max(range(len(per)), key=per.__getitem__)
        print(f"  {name:<14} median {statistics.median(per):6.2f} ms   worst {per[worst]:6.2f} ms ({ids[worst]})   "
              f"all {len(per)} steps {sum(per):7.0f} ms   over {web_page.TARGET_MS:g} ms: {sum(x > web_page.TARGET_MS for x in per)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
