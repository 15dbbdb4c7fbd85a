"""Placeholder: the printed atlas is written in a later step."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mapper.model import Atlas


def write_atlas_pdf(atlas: Atlas, out: Path, *, run: Any = None) -> list[Path]:
    return []
