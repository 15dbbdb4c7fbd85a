"""The wheel works outside the repository: build it, install it into a fresh venv elsewhere, run ``mapper build``."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT


# The base interpreter builds the wheel offline: a venv's own bundled setuptools may be too old to
# make wheels without network (the test extra installs setuptools>=70.1 where .ci/run installs).
BUILDER = Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"


def _run(*args, cwd, env=None, timeout=600):
    r = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(map(str, args))}\n{r.stdout}\n{r.stderr}"
    return r


def _install(wheel: Path, env_dir: Path, python: Path) -> None:
    """Install ``wheel`` into the venv ``env_dir`` as pip would (files, console scripts), with PyPA's installer.

    installer does only this step, in a fraction of a second; a venv with its own pip costs ten seconds
    of ``ensurepip`` for nothing the test checks.
    """
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    site = env_dir / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    scheme = {"purelib": site, "platlib": site, "headers": env_dir / "include", "scripts": env_dir / "bin",
              "data": env_dir}
    destination = SchemeDictionaryDestination({k: str(v) for k, v in scheme.items()}, interpreter=str(python),
                                              script_kind="posix")
    with WheelFile.open(wheel) as source:
        install(source, destination, additional_metadata={"INSTALLER": b"mapper-tests"})


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv (system site-packages for the dependencies) with only the wheel of mapper installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a copy of what goes into the wheel, so that the build leaves the repository alone
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "mapper", src / "mapper", ignore=shutil.ignore_patterns("__pycache__"))
    _run(BUILDER, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", tmp / "dist", src, cwd=tmp)
    (wheel,) = (tmp / "dist").glob("iran_russia_atlas-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    _install(wheel, env_dir, python)
    home = tmp / "elsewhere"  # no geodata/ here or above, no repository
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MAPPER_GEODATA", "PYTHONPATH")}
    return python, home, env


def test_the_installed_package_is_the_wheel_not_the_repository(installed):
    python, home, env = installed
    r = _run(python, "-c", "import mapper; print(mapper.__file__)", cwd=home, env=env)
    path = Path(r.stdout.strip())
    assert path.is_relative_to(python.parent.parent) and not path.is_relative_to(ROOT)


def test_mapper_build_runs_from_the_wheel_outside_the_repository(installed):
    python, home, env = installed
    mapper_cmd = python.parent / "mapper"
    # English and Persian: the Persian edition reads the packaged catalogue, translations and font
    r = _run(mapper_cmd, "build", "--no-figures", "--lang", "en,fa", "--out", home / "outputs", cwd=home, env=env)
    assert "Wrote" in r.stdout
    out = home / "outputs"
    assert (out / "index.html").is_file() and (out / "data" / "changes.csv").is_file()
    assert len(list((out / "maps").glob("*.html"))) > 10
    _run(mapper_cmd, "figure", "gulistan-1813", "-o", home / "gulistan.svg", cwd=home, env=env)
    assert "<svg" in (home / "gulistan.svg").read_text(encoding="utf-8")[:2000]
    assert (out / "fa" / "index.html").is_file()
    # the API, and the words and the data's translations that ship in the wheel, from one process
    r = _run(python, "-c", "import mapper; from mapper.words import Words; a = mapper.load(); print(len(a.events)); "
             "print(Words('fa').km2(1234)); print(Words('ru', a).event_title(a.event('gulistan-1813')))", cwd=home, env=env)
    events, km2, title = r.stdout.strip().splitlines()
    assert int(events) > 10
    assert km2 == "۱٬۲۳۴ کیلومتر مربع"
    assert title == "Гюлистанский мирный договор"
