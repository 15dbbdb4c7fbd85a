"""The output folder as a transaction: one build at a time, and a commit that is all or nothing.

A build stages every file in ``.mapper-build-*/`` inside the output folder, then :func:`commit`
switches the files over with a rollback journal (``.mapper-journal.json``):

1. the journal is written (it names the staging folder, the new files, the stale ones and the
   new manifest); nothing visible has changed yet;
2. each new file's predecessor (if any) is moved into the staging folder's ``.old/``, then the
   new file into place; stale files of the previous build are moved into ``.old/`` too;
3. the new manifest replaces the old one: this single rename is the commit point;
4. the journal is removed, then the staging folder.

A failure in step 2 undoes every move at once. After a kill at any instant, :func:`recover`
(run by the next build, under the lock) finishes the commit when the new manifest is in place
and undoes it otherwise, then removes stale staging folders. Only files listed in the manifest
are ever replaced or removed, and never through a symbolic link.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from filelock import FileLock, Timeout

from mapper.errors import BuildError

__all__ = ["MANIFEST", "JOURNAL", "LOCK", "TEMP_PREFIX", "locked", "recover", "commit", "read_manifest",
           "die_with_parent"]

MANIFEST = ".mapper-manifest.json"
JOURNAL = ".mapper-journal.json"
LOCK = ".mapper-lock"
TEMP_PREFIX = ".mapper-build-"
#: Seconds a build waits for another build into the same folder to finish.
LOCK_WAIT = float(os.environ.get("MAPPER_LOCK_WAIT", "10"))


@contextmanager
def locked(out_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock on ``out_dir``; wait up to ``wait`` seconds, then raise BuildError."""
    lock = FileLock(str(out_dir / LOCK))
    try:
        lock.acquire(timeout=LOCK_WAIT if wait is None else wait)
    except Timeout:
        raise BuildError(f"{out_dir}: another mapper build is writing into this folder (it holds {out_dir / LOCK}); "
                         f"wait until it has finished, or build into another folder with --out") from None
    try:
        yield
    finally:
        lock.release()


def _safe_rel(rel) -> bool:
    if not isinstance(rel, str) or not rel or "\\" in rel or any(c < " " for c in rel):
        return False
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts and "." not in rel.split("/") and not p.name.startswith(".mapper-")


def _read_record(path: Path, keys: tuple[str, ...]) -> dict:
    """Read mapper's own JSON record ``path`` and check its lists of relative paths."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise BuildError(f"{path}: not a readable record of mapper's ({e}); restore it, or remove it together "
                         f"with the outputs it lists and build again") from None
    if not isinstance(doc, dict):
        raise BuildError(f"{path}: must be a JSON object, not {type(doc).__name__}")
    for key in keys:
        v = doc.get(key)
        if not isinstance(v, list):
            raise BuildError(f"{path}: field {key!r}: must be a list of relative paths, not {type(v).__name__}; "
                             f"restore the file, or remove it together with the outputs it lists and build again")
        bad = next((x for x in v if not _safe_rel(x)), None)
        if bad is not None or len(set(v)) != len(v):
            what = f"{str(bad)[:60]!r} is not a relative path inside the folder" if bad is not None else "lists a path twice"
            raise BuildError(f"{path}: field {key!r}: {what}; restore the file, or remove it together with "
                             f"the outputs it lists and build again")
    return doc


def read_manifest(out_dir: Path) -> list[str]:
    """Return the files the previous build wrote into ``out_dir`` (empty when there was none)."""
    path = out_dir / MANIFEST
    if not os.path.lexists(path):
        return []
    if path.is_symlink() or not path.is_file():
        raise BuildError(f"{path}: is not a plain file (a link?); mapper does not follow it")
    return list(_read_record(path, ("files",))["files"])


def _links(out_dir: Path, rels) -> list[Path]:
    """Return the symbolic links met on the way from ``out_dir`` to each of ``rels``."""
    found: dict[Path, None] = {}
    for rel in rels:
        p = out_dir
        for part in PurePosixPath(rel).parts:
            p = p / part
            if p.is_symlink():
                found[p] = None
                break
            if not p.exists():
                break
    return list(found)


def _refuse_links(out_dir: Path, rels) -> None:
    links = _links(out_dir, rels)
    if links:
        shown = "; ".join(f"{p} -> {os.readlink(p)}" for p in links[:5])
        raise BuildError(f"{shown}: {'is a symbolic link' if len(links) == 1 else 'are symbolic links'}; mapper never "
                         f"writes through a link (it could lead out of {out_dir}): replace it with a real folder or "
                         f"file, or build into another folder with --out (nothing was changed)")


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while files move (they arrive once the move is complete or undone)."""
    masked = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if masked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        if masked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _move(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)


def commit(tmp: Path, out_dir: Path, files: list[str]) -> None:
    """Switch ``out_dir`` over to the files staged in ``tmp``; all or nothing (see the module notes)."""
    previous = read_manifest(out_dir)
    stale = sorted(set(previous) - set(files))
    _refuse_links(out_dir, files + stale)
    foreign = [rel for rel in files if os.path.lexists(out_dir / rel) and rel not in previous]
    if foreign:
        shown = ", ".join(str(out_dir / rel) for rel in foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise BuildError(f"{shown}: already there and not written by mapper; move {'it' if len(foreign) == 1 else 'them'} "
                         f"away or build into another folder with --out (nothing was changed)")
    manifest = json.dumps({"files": files}, indent=1) + "\n"
    journal = {"tmp": tmp.name, "files": files, "stale": stale, "previous": previous, "manifest": manifest}
    (tmp / MANIFEST).write_text(manifest, encoding="utf-8")
    (tmp / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    with _signals_blocked():
        try:
            os.replace(tmp / JOURNAL, out_dir / JOURNAL)
        except OSError as e:
            raise BuildError(f"{out_dir / JOURNAL}: could not be written ({e.strerror or e}); nothing was changed") from None
        try:
            backup = tmp / ".old"
            for rel in files:
                if os.path.lexists(out_dir / rel):
                    _move(out_dir / rel, backup / rel)
                _move(tmp / rel, out_dir / rel)
            for rel in stale:
                if os.path.lexists(out_dir / rel):
                    _move(out_dir / rel, backup / rel)
            os.replace(tmp / MANIFEST, out_dir / MANIFEST)
        except OSError as e:
            where = f"{e.filename}: " if e.filename else ""
            try:
                _undo(out_dir, journal)
            except OSError as e2:
                raise BuildError(f"{where}could not move the new outputs into place ({e.strerror or e}), nor undo "
                                 f"that ({e2.strerror or e2}); the next mapper build into {out_dir} finishes undoing it") from None
            raise BuildError(f"{where}could not move the new outputs into place ({e.strerror or e}); "
                             f"the earlier outputs in {out_dir} were restored as they were") from None
        os.unlink(out_dir / JOURNAL)


def _undo(out_dir: Path, journal: dict) -> None:
    """Put every file back where it was before the commit in ``journal`` began; remove the journal."""
    tmp = out_dir / journal["tmp"]
    backup = tmp / ".old"
    for rel in reversed(journal["stale"]):
        if os.path.lexists(backup / rel):
            _move(backup / rel, out_dir / rel)
    new_dirs: set[PurePosixPath] = set()
    for rel in reversed(journal["files"]):
        dst, old = out_dir / rel, backup / rel
        if os.path.lexists(old):
            os.replace(old, dst)
        elif not os.path.lexists(tmp / rel) and rel not in journal["previous"] and os.path.lexists(dst):
            os.unlink(dst)
            new_dirs.update(PurePosixPath(rel).parents)
    for d in sorted(new_dirs, key=lambda p: -len(p.parts)):
        if d.parts and not os.listdir(out_dir / d):
            (out_dir / d).rmdir()
    os.unlink(out_dir / JOURNAL)


def recover(out_dir: Path) -> str | None:
    """Finish or undo a commit a killed build left in ``out_dir``, then remove stale staging folders.

    Call it holding the lock. Returns what was done ("finished", "undone") or None.
    """
    done = None
    path = out_dir / JOURNAL
    if os.path.lexists(path):
        journal = _read_record(path, ("files", "stale", "previous"))
        tmp = journal.get("tmp")
        if not isinstance(tmp, str) or not tmp.startswith(TEMP_PREFIX) or "/" in tmp or not isinstance(journal.get("manifest"), str):
            raise BuildError(f"{path}: field 'tmp' or 'manifest' is not what mapper writes; restore the file, or remove "
                             f"it together with the outputs and build again")
        _refuse_links(out_dir, journal["files"] + journal["stale"])
        current = (out_dir / MANIFEST).read_text(encoding="utf-8") if (out_dir / MANIFEST).is_file() else None
        with _signals_blocked():
            if current == journal["manifest"]:
                os.unlink(path)
                done = "finished"
            else:
                _undo(out_dir, journal)
                done = "undone"
    for p in out_dir.glob(TEMP_PREFIX + "*"):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink()
    return done


def die_with_parent(parent: int | None = None) -> bool:
    """Have the kernel kill this (worker) process when its parent dies; return whether it will (Linux).

    A build killed with ``kill -9`` would otherwise leave its figure workers running, orphaned.
    ``parent`` is the parent's pid as the parent knew it: a worker that starts after its parent died
    already has another parent, which its own first look would take for the real one.
    """
    parent = os.getppid() if parent is None else parent
    if os.getppid() != parent:  # the parent died while this worker was starting
        os._exit(1)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL) != 0:  # PR_SET_PDEATHSIG
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    return True
