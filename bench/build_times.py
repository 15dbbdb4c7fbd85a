"""Build times as a user meets them: a cold build, an unchanged rebuild, and a rebuild after editing one event.

Run from the repository root:  python bench/build_times.py [--no-pdf] [--lang en,fa]
Each build is ``python -m mapper build`` in a fresh process (imports included) into one output folder,
from a copy of the shipped geodata, with every edition (English, Persian, Russian) unless ``--lang``
says otherwise; the edit changes the summary of the Treaty of Gulistan, so only its figure in each
edition and the outputs that read the whole atlas (tables, pages, printed atlases) are made again.
Prints the three times, the CPU seconds each used (its processes together: on a machine shared with
other work the wall time grows, the CPU time hardly), what each build made and carried over, and the
ratios against the goals (an unchanged rebuild at most a tenth of a cold build; a cold build under
20 s on 2 cores). It reports; it never fails.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "mapper" / "data"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its worker processes, once ended
    return usage.ru_utime + usage.ru_stime


def build(geo: Path, out: Path, extra: list[str]) -> tuple[float, float, str]:
    t0, c0 = time.perf_counter(), _cpu()
    r = subprocess.run([sys.executable, "-m", "mapper", "build", "--geodata", str(geo), "--out", str(out), *extra],
                       capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
        raise SystemExit(f"the build failed (exit {r.returncode})")
    first = r.stdout.splitlines()[0]
    m = re.search(r"(\d+) outputs made, (\d+) unchanged", first)
    return seconds, cpu, (f"{m.group(1)} made, {m.group(2)} unchanged" if m else first)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-pdf", action="store_true", help="leave out the printed atlas")
    ap.add_argument("--lang", default=None, help="build only these editions (en,fa,ru; default: all)")
    args = ap.parse_args()
    extra = (["--no-pdf"] if args.no_pdf else []) + (["--lang", args.lang] if args.lang else [])
    with tempfile.TemporaryDirectory(prefix="mapper-bench-") as tmp:
        geo, out = Path(tmp) / "geodata", Path(tmp) / "outputs"
        shutil.copytree(GEODATA, geo)
        cold = build(geo, out, extra)
        unchanged = build(geo, out, extra)
        doc = yaml.safe_load((geo / "events.yaml").read_text(encoding="utf-8"))
        (ev,) = [e for e in doc["events"] if e["id"] == "gulistan-1813"]
        ev["summary"] = ev["summary"].strip() + " (Edited for the benchmark.)"
        (geo / "events.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        edited = build(geo, out, extra)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"mapper build, {os.cpu_count()} CPUs, load average {load:.1f} at the end"
          + (" (without the printed atlas)" if args.no_pdf else "") + f", editions: {args.lang or 'en,fa,ru'}")
    print(f"{'build':<22}{'seconds':>9}{'CPU s':>9}  outputs")
    for name, (s, cpu, what) in (("cold", cold), ("unchanged rebuild", unchanged), ("one event edited", edited)):
        print(f"{name:<22}{s:>9.1f}{cpu:>9.1f}  {what}")
    print(f"unchanged / cold: {unchanged[0] / cold[0]:.3f} (goal: at most 0.1); cold: {cold[0]:.1f} s (goal: under 20 s)")


if __name__ == "__main__":
    main()
