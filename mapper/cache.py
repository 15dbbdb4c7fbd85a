"""Incremental builds: every output is keyed by a hash of what it was made from, and reused while that holds.

A *product* is one or more files a build writes together (a figure's PNG and SVG; a whole stage's
files). Its key hashes the code that makes it (:func:`code_version`), the options and the records it
shows (:func:`digest` of a step, of the layers ...). The keys, with a SHA-256 of every file, are
written to ``.mapper/build-keys.json`` in the output folder as one more output of the build: it is
committed with the files it describes, by the same all-or-nothing switch (:mod:`mapper.transaction`),
so keys and files never disagree, and a failed build leaves both as they were.

A later build reuses a product (a copy into its staging folder, dates kept) only when the key
is the same **and** every file is still in place, a regular file, listed in the last manifest and
byte-identical to what was recorded; anything else is made again. So a changed input, a changed
option, new code or a file edited by hand is never served stale.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import shapely

from mapper.model import Atlas

__all__ = ["KEYS", "Cache", "atlas_digest", "code_version", "digest", "layers_digest", "translations_digest"]

#: Where the keys are kept, relative to the output folder (listed in the manifest like any output).
KEYS = ".mapper/build-keys.json"
_FORMAT = 1


def digest(*parts: Any) -> str:
    """Return a SHA-256 of the ``repr`` of ``parts`` (records are frozen dataclasses: their repr is their content)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(repr(p).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Return a hash of the package's code and catalogues, and of the drawing libraries' versions.

    Any change to mapper's own modules, templates or translations changes every key.
    """
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    root = resources.files("mapper")
    paths: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name not in ("__pycache__", "data"):
                    walk(child, rel + "/")
            elif child.name.endswith((".py", ".po", ".j2", ".css", ".js", ".html")):
                paths.append(rel)
                h.update(rel.encode())
                h.update(child.read_bytes())

    walk(root, "")
    for dist in ("matplotlib", "weasyprint", "shapely", "Babel"):
        try:
            v = version(dist)
        except PackageNotFoundError:
            v = "absent"
        h.update(f"{dist}={v}".encode())
    return h.hexdigest()


@lru_cache(maxsize=8)
def layers_digest(atlas: Atlas) -> str:
    """Return a hash of the atlas's geometry (units, zones, countries) and places."""
    h = hashlib.sha256()
    for layer in (atlas.units, atlas.zones, atlas.countries):
        for r in layer:
            h.update(r.id.encode())
            h.update(shapely.to_wkb(r.geometry, hex=False, output_dimension=2))
    h.update(repr(atlas.places).encode())
    return h.hexdigest()


@lru_cache(maxsize=16)
def translations_digest(atlas: Atlas, lang: str) -> str:
    """Return a hash of the data's own texts in ``lang`` (``translations/<lang>.yaml``; English: none)."""
    texts = atlas.translations.texts.get(lang, {})
    return digest(lang, sorted(texts.items()))


@lru_cache(maxsize=8)
def atlas_digest(atlas: Atlas) -> str:
    """Return a hash of everything in the atlas: layers, places, events, polities, baseline, translations."""
    return digest(layers_digest(atlas), atlas.events, atlas.polities, sorted(atlas.baseline.items()),
                  atlas.baseline_note, [(u.id, u.name, u.name_fa, u.name_ru) for u in atlas.units],
                  [translations_digest(atlas, lang) for lang in sorted(atlas.translations.texts)])


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Cache:
    """The keys of the previous build into ``out_dir`` and those of the build staging into ``tmp``.

    ``listed`` are the files the previous build's manifest lists (only those may be reused).
    """

    out_dir: Path
    tmp: Path
    listed: frozenset[str] = frozenset()
    old: dict[str, dict] = field(default_factory=dict)
    new: dict[str, dict] = field(default_factory=dict)
    reused: dict[str, int] = field(default_factory=dict)
    made: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, out_dir: Path, tmp: Path, listed: Iterable[str]) -> Cache:
        """Read the previous build's keys (none if absent, unlisted or unreadable: then everything is made)."""
        listed = frozenset(listed)
        old: dict[str, dict] = {}
        path = out_dir / KEYS
        if KEYS in listed and path.is_file() and not path.is_symlink():
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(doc, dict) and doc.get("format") == _FORMAT and isinstance(doc.get("products"), dict):
                    old = {k: v for k, v in doc["products"].items() if isinstance(v, dict)}
            except (OSError, ValueError, UnicodeDecodeError):
                old = {}
        return cls(out_dir, tmp, listed, old)

    def _usable(self, rec: dict, key: str) -> bool:
        files = rec.get("files")
        if rec.get("key") != key or not isinstance(files, dict) or not files:
            return False
        for rel, sha in files.items():
            src = self.out_dir / rel
            if rel not in self.listed or src.is_symlink() or not src.is_file() or not isinstance(sha, str):
                return False
            if _sha(src) != sha:
                return False
        return True

    def reuse(self, stage: str, product: str, key: str) -> list[Path] | None:
        """Put the previous build's files of ``product`` into the staging folder if ``key`` still holds.

        Returns the staged paths, or None when the product must be made again.
        """
        rec = self.old.get(product)
        if rec is None or not self._usable(rec, key):
            return None
        staged = []
        for rel in rec["files"]:
            dst = self.tmp / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            # a copy, never a hard link: a later stage writing into the staged file must not reach the output
            shutil.copy2(self.out_dir / rel, dst)
            staged.append(dst)
        self.new[product] = rec
        self.reused[stage] = self.reused.get(stage, 0) + 1
        return staged

    def record(self, stage: str, product: str, key: str, paths: Iterable[Path]) -> None:
        """Note the files just made for ``product`` (staged under the staging folder) with their key."""
        files = {}
        for p in paths:
            rel = Path(p).relative_to(self.tmp).as_posix()
            files[rel] = _sha(Path(p))
        self.new[product] = {"key": key, "files": dict(sorted(files.items()))}
        self.made[stage] = self.made.get(stage, 0) + 1

    def write(self) -> Path:
        """Write the keys of this build into the staging folder (committed with the outputs); return the path."""
        path = self.tmp / KEYS
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {"format": _FORMAT, "products": dict(sorted(self.new.items()))}
        path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return path
