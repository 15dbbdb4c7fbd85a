"""Build times as a user meets them: a cold build, an unchanged rebuild, and a rebuild after editing one event.

Run from the repository root:  python bench/build_times.py [--workers N] [--no-pdf]
Each build is ``python -m mapper build`` in a fresh process (imports included) into one output folder,
from a copy of the shipped geodata; the edit changes the summary of the Treaty of Gulistan, so only its
figure and the outputs that read the whole atlas (tables, page, printed atlas) are made again.
Prints the three times, what each build made and carried over, and the ratios against the goals
(an unchanged rebuild at most a tenth of a cold build; a cold build under 20 s on 2 cores). It
reports; it never fails.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "mapper" / "data"


def build(geo: Path, out: Path, extra: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "mapper", "build", "--geodata", str(geo), "--out", str(out), *extra],
                       capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
        raise SystemExit(f"the build failed (exit {r.returncode})")
    first = r.stdout.splitlines()[0]
    m = re.search(r"(\d+) outputs made, (\d+) unchanged", first)
    return seconds, (f"{m.group(1)} made, {m.group(2)} unchanged" if m else first)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=None, help="(unused: the build uses up to 2 processes)")
    ap.add_argument("--no-pdf", action="store_true", help="leave out the printed atlas")
    args = ap.parse_args()
    extra = ["--no-pdf"] if args.no_pdf else []
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
          + (" (without the printed atlas)" if args.no_pdf else ""))
    print(f"{'build':<22}{'seconds':>9}  outputs")
    for name, (s, what) in (("cold", cold), ("unchanged rebuild", unchanged), ("one event edited", edited)):
        print(f"{name:<22}{s:>9.1f}  {what}")
    print(f"unchanged / cold: {unchanged[0] / cold[0]:.3f} (goal: at most 0.1); cold: {cold[0]:.1f} s (goal: under 20 s)")


if __name__ == "__main__":
    main()
