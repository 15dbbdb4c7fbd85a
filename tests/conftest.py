"""Shared fixtures: the real atlas, a built output folder, and headless Chromium with the network blocked."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

import mapper
from mapper.chromium import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "mapper" / "data"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
# Bytecode: where PYTHONDONTWRITEBYTECODE is set (as on this project's machines), every process of a run
# (each xdist worker, each `python -m mapper` a test starts) would compile mapper and rewrite the test
# modules from source again. The run keeps its bytecode in a folder of its own under the system's temporary
# folder instead (PYTHONPYCACHEPREFIX), never beside the sources. Set here, before xdist starts its workers.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None or sys.dont_write_bytecode:
    sys.dont_write_bytecode = False
    sys.pycache_prefix = os.environ.setdefault("PYTHONPYCACHEPREFIX",
                                               os.path.join(tempfile.gettempdir(), "iran-russia-atlas-pycache"))
# Property tests: the full count of examples in CI (CI=true), a quick sample locally.
settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
#: Examples for property tests that load and validate the whole real atlas (about a second each):
#: fewer than the profile's, so that CI stays near five minutes. The cheap properties keep the profile's count.
REAL_DATA_EXAMPLES = 40 if os.environ.get("CI") else 8

#: Test modules that take longest (CPU seconds, measured with ``--durations``), costliest first. pytest-xdist
#: hands whole modules to its workers in collection order (``--no-loadscope-reorder`` in pyproject.toml):
#: starting with these leaves short modules for the end, so the two cores finish together. The order
#: changes no result; a module missing here runs after them, in its usual order.
COSTLIEST_FIRST = (
    "test_incremental", "test_atlas_screens", "test_cli", "test_atlas_pdf", "test_render_html", "test_figures",
    "test_injection", "test_notebook", "test_hardening", "test_editions", "test_wheel", "test_gis", "test_embed",
    "test_build", "test_properties", "test_one_truth", "test_robustness", "test_qgis", "test_derive", "test_borders",
)


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(COSTLIEST_FIRST)}
    items.sort(key=lambda item: rank.get(getattr(getattr(item, "module", None), "__name__", ""), len(rank)))


@pytest.fixture(scope="session")
def atlas():
    """The real atlas from mapper/data/, loaded and validated once."""
    return mapper.load(GEODATA)


@pytest.fixture
def geo(tmp_path):
    """A writable copy of the real geodata, for tests that break it on purpose."""
    dst = tmp_path / "geodata"
    shutil.copytree(GEODATA, dst)
    return dst


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: about eight times faster
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def yaml_load(text: str):
    """``yaml.safe_load`` through libyaml, for tests that edit the geodata."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def yaml_dump(doc, **options) -> str:
    """``yaml.safe_dump`` through libyaml, for tests that edit the geodata."""
    return yaml.dump(doc, Dumper=_YAML_DUMPER, **options)


def cut_geodata(dst: Path, keep) -> Path:
    """Copy the real geodata to ``dst`` with only the events ``keep(event)`` accepts, and the places they need.

    The translations stay behind (they translate every event: a cut history is English only).
    """
    shutil.copytree(GEODATA, dst)
    shutil.rmtree(dst / "translations")
    doc = yaml_load((dst / "events.yaml").read_text(encoding="utf-8"))
    doc["events"] = [e for e in doc["events"] if keep(e)]
    kept_ids = {e["id"] for e in doc["events"]}
    (dst / "events.yaml").write_text(yaml_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    places = yaml_load((dst / "places.yaml").read_text(encoding="utf-8"))
    kept = []
    for p in places["places"]:
        roles = [r for r in p.get("roles", []) if r.get("event") is None or r["event"] in kept_ids]
        if roles or not p.get("roles"):  # a place there only for an event left out goes with it
            p["roles"] = roles
            kept.append(p)
    places["places"] = kept
    (dst / "places.yaml").write_text(yaml_dump(places, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def history_until(dst: Path, events, last: str, without=()) -> Path:
    """Copy the real geodata to ``dst`` cut after the event ``last`` of ``events`` (the atlas's, in order), and
    also ``without`` the events named: a shorter history for tests that build it."""
    ids = [e.id for e in events]
    kept = set(ids[:ids.index(last) + 1]) - set(without)
    return cut_geodata(dst, lambda e: e["id"] in kept)


def run_cli(*args, cwd=None, env=None, timeout=600):
    """Run ``python -m mapper ARGS`` as a user would; return the CompletedProcess."""
    return subprocess.run([sys.executable, "-m", "mapper", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout)


def made_once(tmp_path_factory, name: str, make) -> Path:
    """Return the folder ``name`` that ``make(folder)`` fills, made once for the whole run.

    With pytest-xdist each worker process has its own session: the folder is made by whichever
    worker asks first, under a file lock, and read by the others (the recipe in xdist's docs).
    Tests must treat it as read-only.
    """
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)  # a half-made folder from a worker that failed
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One ``mapper build`` of the real data without the figures, shared by the tests that read outputs.

    The figures are drawn and checked by the figure and build tests, which draw only what they check.
    """
    def make(out):
        r = run_cli("build", "--no-figures", "--geodata", GEODATA, "--out", out)
        assert r.returncode == 0, r.stderr

    return made_once(tmp_path_factory, "outputs", make)


@pytest.fixture(scope="session")
def en_site(tmp_path_factory, atlas):
    """The English atlas page and its maps (``write_html``, Leaflet inlined, no language switch), read-only."""
    from mapper.web import write_html

    return made_once(tmp_path_factory, "en-site", lambda out: write_html(atlas, out, cdn=False, languages=("en",)))


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; skips when Chromium is absent."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that blocks every http(s) request and records console errors and page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    blocked: list[str] = []

    def _block(route):
        blocked.append(route.request.url)
        route.abort()

    context.route("http://**/*", _block)
    context.route("https://**/*", _block)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()
