"""Errors raised by mapper.

Every problem names the file, the record and the field it concerns. Validation collects all
problems first and raises once, so that a user sees every mistake in one run.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "MapperError", "GeodataError", "BuildError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is and what is wrong."""

    file: str
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class MapperError(ValueError):
    """Base class of the errors mapper reports to its users."""


class GeodataError(MapperError):
    """The geodata (layers, events or places) are invalid; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = f"{len(lines)} problem{'s' if len(lines) != 1 else ''} in the geodata:"
        super().__init__("\n".join([head, *("  " + line for line in lines)]))


class BuildError(MapperError):
    """A build could not be completed; earlier outputs are left as they were."""
