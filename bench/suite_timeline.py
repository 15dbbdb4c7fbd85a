"""Where the test suite's wall time goes: each worker's busy and idle time, the modules, and the tail.

Run from the repository root:  python bench/suite_timeline.py [--json out.json] [pytest args...]
Runs the README's test command (``python -m pytest``, with any extra arguments) with a small plugin
that records when each test's setup, call and teardown start and end on each xdist worker, then prints:
the wall time and CPU seconds of the run; per worker, the time it spent in tests and the time it sat
idle (before its first test, between tests and after its last); the modules by the worker-seconds they
took (and their CPU seconds, a browser's excepted); and the last tests to finish (the tail that decides the wall time). Never part of the tests.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(extra: list[str], record: Path) -> tuple[float, float, int]:
    """Run the suite with the recording plugin; return wall seconds, CPU seconds (all processes), exit code."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
               SUITE_TIMELINE=str(record))
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "suite_timeline_plugin", *extra],
                        cwd=ROOT, env=env).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t0, cpu, rc


def report(rows: list[dict], wall: float, cpu: float) -> None:
    start = min(r["start"] for r in rows)
    end = max(r["stop"] for r in rows)
    print(f"suite: {wall:.1f} s wall, {cpu:.1f} s CPU (all processes); tests from {0:.1f} to {end - start:.1f} s")
    by_worker: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        by_worker[r["worker"]].append(r)
    print("\nworker  busy s  idle s  first s  last s")
    for w, rs in sorted(by_worker.items()):
        rs.sort(key=lambda r: r["start"])
        busy = sum(r["stop"] - r["start"] for r in rs)
        first, last = rs[0]["start"] - start, rs[-1]["stop"] - start
        print(f"{w:6s} {busy:7.1f} {end - start - busy:7.1f} {first:8.1f} {last:7.1f}")
    per_module: collections.Counter[str] = collections.Counter()
    cpu_module: collections.Counter[str] = collections.Counter()
    for r in rows:
        per_module[r["module"]] += r["stop"] - r["start"]
        cpu_module[r["module"]] += r.get("cpu", 0.0)
    print(f"\nmodules by worker-seconds (of {sum(per_module.values()):.1f}), with the CPU seconds of the worker "
          "and its subprocesses (a browser's not included):")
    for module, secs in per_module.most_common(30):
        print(f"  {secs:6.1f}  {cpu_module[module]:6.1f}  {module}")
    print("\nthe last tests to finish:")
    for r in sorted(rows, key=lambda r: r["stop"])[-8:]:
        print(f"  {r['stop'] - start:6.1f} s  {r['worker']}  {r['phase']:8s} {r['nodeid'][:110]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="also write the records here")
    args, extra = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "timeline"
        record.mkdir()
        wall, cpu, rc = run(extra, record)
        rows = [json.loads(line) for f in sorted(record.glob("*.jsonl")) for line in f.read_text().splitlines()]
    if args.json:
        args.json.write_text(json.dumps(rows), encoding="utf-8")
    if rows:
        report(rows, wall, cpu)
    print(f"\npytest exit code {rc}")


if __name__ == "__main__":
    main()
