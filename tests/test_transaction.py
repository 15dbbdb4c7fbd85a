"""The build's commit is all or nothing: failures and kills at any step, symlinks, locks, manifests."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import mapper.build as b
from mapper import transaction
from mapper.errors import BuildError

OLD = ["a.txt", "gone.txt", "sub/b.txt"]
NEW = ["a.txt", "maps/c.txt", "sub/b.txt"]


def stage_writing(version, rels):
    def stage(atlas, folder, options):
        for rel in rels:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(f"{version}:{rel}", encoding="utf-8")
        return [folder / rel for rel in rels]
    return stage


def fake_build(monkeypatch, folder, version, rels):
    return b.build(None, folder, b.BuildOptions(stages=(("fake", stage_writing(version, rels)),)))


def outputs(folder):
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (transaction.LOCK, transaction.MANIFEST)}


def expected(version, rels):
    return {rel: f"{version}:{rel}" for rel in rels} | {"mine.txt": "mine"}


@pytest.fixture
def out(tmp_path, monkeypatch):
    """An output folder holding an earlier build (version 1) and a file of the user's."""
    folder = tmp_path / "outputs"
    fake_build(monkeypatch, folder, 1, OLD)
    (folder / "mine.txt").write_text("mine", encoding="utf-8")
    return folder


def assert_consistent(folder, allowed):
    """The folder holds exactly one complete output set, its manifest lists it, and nothing is left over."""
    files = outputs(folder)
    assert files in allowed, files
    manifest = json.loads((folder / transaction.MANIFEST).read_text(encoding="utf-8"))["files"]
    assert sorted(manifest) == sorted(set(files) - {"mine.txt"})
    assert not [p.name for p in folder.iterdir() if p.name.startswith((transaction.TEMP_PREFIX, transaction.JOURNAL))]


class Killed(BaseException):
    """Stands for a kill: nothing in the build catches it, so no undo runs."""


def fail_at(monkeypatch, step, exc, *, after=False):
    """Make the ``step``-th os.replace raise ``exc`` instead of moving (or right ``after`` moving)."""
    calls = {"n": 0}
    real = os.replace

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == step and not after:
            raise exc
        real(src, dst)
        if calls["n"] == step:
            raise exc

    monkeypatch.setattr(os, "replace", replace)
    return real


# os.replace calls in this commit: journal, a (old away, new in), maps/c (new in), sub/b (old away, new in),
# gone (old away), manifest: 8 steps.
STEPS = range(1, 9)


@pytest.mark.parametrize("step", STEPS)
def test_a_failed_move_at_any_step_restores_the_earlier_outputs(out, monkeypatch, step):
    fail_at(monkeypatch, step, OSError(30, "Read-only file system", str(out / "maps")))
    with pytest.raises(BuildError, match="restored as they were" if step > 1 else "Read-only file system.*nothing was changed"):
        fake_build(monkeypatch, out, 2, NEW)
    assert_consistent(out, [expected(1, OLD)])


@pytest.mark.parametrize("step", STEPS)
def test_after_a_kill_at_any_step_the_next_build_recovers(out, monkeypatch, step):
    real = fail_at(monkeypatch, step, Killed(), after=True)
    with pytest.raises(Killed):
        fake_build(monkeypatch, out, 2, NEW)
    monkeypatch.setattr(os, "replace", real)
    assert transaction.recover(out) == ("finished" if step == 8 else "undone")
    assert_consistent(out, [expected(1, OLD)] if step < 8 else [expected(2, NEW)])
    fake_build(monkeypatch, out, 3, NEW)  # and the next build goes through
    assert_consistent(out, [expected(3, NEW)])


KILLING_BUILD = """
import os, signal, sys
from pathlib import Path
import mapper.build as b
step, real, n = int(sys.argv[2]), os.replace, [0]
def replace(src, dst):
    n[0] += 1
    if n[0] == step:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
def stage(atlas, folder, options):
    for rel in {new!r}:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("2:" + rel, encoding="utf-8")
b.build(None, Path(sys.argv[1]), b.BuildOptions(stages=(("fake", stage),)))
"""


@pytest.mark.parametrize("step", [4, 8])
def test_kill_9_during_the_commit_then_the_next_build_recovers(out, monkeypatch, step):
    r = subprocess.run([sys.executable, "-c", KILLING_BUILD.format(new=NEW), str(out), str(step)], timeout=120)
    assert r.returncode == -signal.SIGKILL
    assert (out / transaction.JOURNAL).exists()
    fake_build(monkeypatch, out, 3, NEW)
    assert_consistent(out, [expected(3, NEW)])


def test_stale_staging_folders_are_removed(out, monkeypatch):
    (out / ".mapper-build-dead1" / "figures").mkdir(parents=True)
    (out / ".mapper-build-dead1" / "figures" / "x.png").write_bytes(b"x" * 1000)
    fake_build(monkeypatch, out, 2, NEW)
    assert_consistent(out, [expected(2, NEW)])


def test_a_symlinked_subfolder_is_refused_and_nothing_written_through_it(out, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text("not mapper's", encoding="utf-8")
    (out / "maps").symlink_to(elsewhere)
    with pytest.raises(BuildError, match=r"maps -> .*elsewhere: is a symbolic link; mapper never writes through"):
        fake_build(monkeypatch, out, 2, NEW)
    assert [p.name for p in elsewhere.iterdir()] == ["c.txt"]
    assert (elsewhere / "c.txt").read_text(encoding="utf-8") == "not mapper's"
    (out / "maps").unlink()
    assert_consistent(out, [expected(1, OLD)])


@pytest.mark.parametrize("files", [None, [1, 2], "abc", ["../outside.txt"], ["/etc/passwd"], ["a.txt", "a.txt"]])
def test_a_broken_manifest_stops_the_build_and_deletes_nothing(out, monkeypatch, files):
    (out / "a").write_text("a file named by one letter", encoding="utf-8")
    (out / transaction.MANIFEST).write_text(json.dumps({"files": files}), encoding="utf-8")
    before = outputs(out)
    with pytest.raises(BuildError, match=r"\.mapper-manifest\.json: field 'files': "):
        fake_build(monkeypatch, out, 2, NEW)
    assert outputs(out) == before


def test_a_second_build_waits_then_stops_with_a_clear_message(out, monkeypatch):
    monkeypatch.setattr(transaction, "LOCK_WAIT", 0.3)
    held, release = threading.Event(), threading.Event()

    def other_build():
        with transaction.locked(out):
            held.set()
            release.wait(30)

    t = threading.Thread(target=other_build)
    t.start()
    try:
        held.wait(10)
        t0 = time.monotonic()
        with pytest.raises(BuildError, match="another mapper build is writing into this folder"):
            fake_build(monkeypatch, out, 2, NEW)
        assert time.monotonic() - t0 >= 0.3
    finally:
        release.set()
        t.join()
    assert_consistent(out, [expected(1, OLD)])
    fake_build(monkeypatch, out, 2, NEW)
    assert_consistent(out, [expected(2, NEW)])


def test_a_full_disk_names_the_file_being_written(out, monkeypatch):
    def full(atlas, folder, options):
        (folder / "data").mkdir()
        (folder / "data" / "atlas.gpkg").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(BuildError, match=r"outputs/data/atlas\.gpkg: could not be written \(No space left on device\)"):
        b.build(None, out, b.BuildOptions(stages=(("full", full),)))
    assert_consistent(out, [expected(1, OLD)])


def test_the_manifest_is_mapper_s_own_record(out):
    doc = json.loads((out / transaction.MANIFEST).read_text(encoding="utf-8"))
    assert doc == {"files": OLD}
    assert Path(out / transaction.LOCK).exists()


POOL = """
import sys, time
from mapper.build import in_processes
def slow(atlas, item):
    time.sleep(60)
print("started", flush=True)
in_processes(None, workers=2)(slow, range(4))
"""


def _children(pid):
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            kids.append(int(stat.parent.name))
    return kids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_build():
    proc = subprocess.Popen([sys.executable, "-c", POOL], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 60
    while len(kids := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(kids) >= 2
    proc.kill()
    proc.wait(30)
    deadline = time.monotonic() + 30
    alive = kids
    while alive and time.monotonic() < deadline:
        alive = [k for k in kids if Path(f"/proc/{k}").exists()
                 and Path(f"/proc/{k}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]
        time.sleep(0.1)
    assert alive == []


FIGURES_BUILD = """
import sys, time
import mapper.build as b
def slow(atlas, item):
    time.sleep(1)
def figures(atlas, folder, options):
    print("figures", flush=True)
    b.in_processes(None, workers=2)(slow, range(6))
    return []
try:
    b.build(None, sys.argv[1], b.BuildOptions(stages=(("figures", figures),)))
except b.BuildError as e:
    print(f"Error: {e}", file=sys.stderr)
    sys.exit(1)
"""


def test_sigterm_to_the_process_group_during_figures_is_a_clean_stop(out):
    proc = subprocess.Popen([sys.executable, "-c", FIGURES_BUILD, str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout.readline().strip() == "figures"
    time.sleep(0.5)  # the workers are running (six tasks of a second each on two: 3 s in all, if none is stopped)
    os.killpg(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "InvalidStateError" not in err
    assert "build interrupted (SIGTERM); the earlier outputs" in err
    assert_consistent(out, [expected(1, OLD)])
