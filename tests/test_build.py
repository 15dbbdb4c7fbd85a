"""Nothing lost: a build is all or nothing, never touches files it did not write, never writes outside."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import GEODATA, history_until

import mapper
import mapper.build as b
from mapper.errors import BuildError


DATA = b.BuildOptions(stages=("data",))
#: The last event of the history these tests build: its first 17 events, every kind of data file, a quarter to write.
LAST = "zubov-1796"


def short_history(dst, without=()):
    """Copy the real geodata to ``dst`` cut after ``LAST``, also ``without`` the events named."""
    return history_until(dst, mapper.load(GEODATA).events, LAST, without)


@pytest.fixture(scope="module")
def short_geodata(tmp_path_factory):
    """The real geodata cut after ``LAST`` (read-only)."""
    return short_history(tmp_path_factory.mktemp("short") / "geodata")


@pytest.fixture(scope="module")
def atlas(short_geodata):
    """The short history, loaded once for the module (this module's ``atlas``)."""
    return mapper.load(short_geodata)


def data_only(*extra):
    """Options for a quick build: the data stage, then the stages ``extra`` of a test's own."""
    return b.BuildOptions(stages=("data", *extra))


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous(tmp_path_factory, atlas):
    """A data-only build, made once for the module (each test gets a copy: see ``out``)."""
    folder = tmp_path_factory.mktemp("previous") / "outputs"
    b.build(atlas, folder, DATA)
    return folder


@pytest.fixture
def out(tmp_path, previous):
    """An output folder holding a previous (data-only) build and a file of the user's."""
    folder = tmp_path / "site" / "outputs"
    shutil.copytree(previous, folder, copy_function=shutil.copy2)
    (folder / "my-notes.txt").write_text("mine", encoding="utf-8")
    (folder / "data" / "my-table.csv").write_text("a,b\n", encoding="utf-8")
    return folder


def test_a_failed_build_leaves_earlier_outputs_exactly_as_they_were(out, atlas):
    before = snapshot(out)

    def boom(atlas, folder, options):
        (folder / "data" / "changes.csv").write_text("half-written", encoding="utf-8")
        raise BuildError("the figure stage failed")

    with pytest.raises(BuildError, match="figure stage failed"):
        b.build(atlas, out, data_only(("boom", boom)))
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".mapper-build-")]


def test_a_build_keeps_files_it_did_not_write(out, atlas):
    b.build(atlas, out, DATA)
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "data" / "my-table.csv").read_text(encoding="utf-8") == "a,b\n"


def test_a_build_never_overwrites_a_file_it_did_not_write(tmp_path, atlas):
    folder = tmp_path / "outputs"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "changes.csv").write_text("my own table", encoding="utf-8")
    with pytest.raises(BuildError, match=r"changes.csv: already there and not written by mapper"):
        b.build(atlas, folder, DATA)
    assert (folder / "data" / "changes.csv").read_text(encoding="utf-8") == "my own table"
    assert sorted(p.name for p in folder.rglob("*") if p.name != ".mapper-lock") == ["changes.csv", "data"]


def test_a_build_removes_only_its_own_stale_files(out, tmp_path):
    geo = short_history(tmp_path / "geodata", without=("georgievsk-1783",))
    assert (out / "data" / "slices" / "georgievsk-1783.geojson").exists()
    b.build(mapper.load(geo), out, DATA)
    assert not (out / "data" / "slices" / "georgievsk-1783.geojson").exists()
    assert (out / "data" / "slices" / f"{LAST}.geojson").exists()
    assert (out / "my-notes.txt").exists() and (out / "data" / "my-table.csv").exists()


def test_a_build_never_writes_outside_its_folder(out, atlas):
    site = out.parent
    (site / "index.html").write_text("the user's own page", encoding="utf-8")
    before = {p for p in site.rglob("*") if not p.is_relative_to(out)}
    b.build(atlas, out, DATA)
    assert {p for p in site.rglob("*") if not p.is_relative_to(out)} == before
    assert (site / "index.html").read_text(encoding="utf-8") == "the user's own page"


def test_out_must_be_a_folder(tmp_path, atlas):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="not a folder"):
        b.build(atlas, f, DATA)


SLOW_BUILD = (  # a build with a slow stage of its own, run through the CLI's error handling
    "import sys, time, click, mapper, mapper.build as b\n"
    "from mapper.cli import _friendly\n"
    "slow = b.BuildOptions(stages=('data', ('slow', lambda a, o, p: time.sleep(60) or [])))\n"
    "click.command()(_friendly(lambda: b.build(mapper.load(sys.argv[1]), sys.argv[2], slow)))(args=[])\n"
)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_earlier_outputs_intact(out, sig, short_geodata):
    if signal.getsignal(sig) is signal.SIG_IGN:  # a shell's background job ignores SIGINT, and so do its children
        pytest.skip(f"{signal.Signals(sig).name} is ignored in this process, so the build would ignore it too")
    before = snapshot(out)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(short_geodata), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until the build is writing into its temporary folder
        tmp = [p for p in out.iterdir() if p.name.startswith(".mapper-build-")]
        if tmp and any(tmp[0].rglob("*.csv")):
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("the build never started writing")
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert "untouched" in err
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".mapper-build-")]
