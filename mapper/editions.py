"""The atlas's editions: English at the top of ``outputs/``, Persian and Russian under ``fa/`` and ``ru/``."""
from __future__ import annotations

from pathlib import Path

__all__ = ["EDITIONS", "edition_dir", "edition_prefix"]

#: The editions, English first.
EDITIONS = ("en", "fa", "ru")


def edition_prefix(lang: str) -> str:
    """Return the folder of an edition relative to ``outputs/``: ``""`` for English, ``"fa/"``, ``"ru/"``."""
    return "" if lang == "en" else f"{lang}/"


def edition_dir(out: Path, lang: str) -> Path:
    """Return the folder an edition is written to: ``out`` for English, ``out/fa`` or ``out/ru``."""
    return Path(out) / edition_prefix(lang) if lang != "en" else Path(out)
