"""Reading geodata files record by record: YAML with line numbers, JSON, and checked fields.

A :class:`Record` reads the fields of one record (an event, a feature's properties, a place) and
reports each unusable value as a :class:`~mapper.errors.Problem` naming the file, the record (with
its line) and the field, so that every problem of a file is collected before anything is raised.
"""
from __future__ import annotations

import difflib
import math
import re
from pathlib import Path

import yaml

from mapper import limits, safeload
from mapper.dates import HistDate, parse_date
from mapper.errors import Problem
from mapper.model import Source

__all__ = ["ID_RE", "MAX_TEXT", "CERTAINTIES", "read_yaml", "read_json", "Record", "suggest", "date_field",
           "sources_field"]

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
CERTAINTIES = ("high", "medium", "low")
MAX_TEXT = 20_000


class LineDict(dict):
    line: int | None = None


class Loader(safeload.StrictLoader):
    pass


def _construct_mapping(loader, node):
    pairs = loader.construct_pairs(node)
    d = LineDict(pairs)
    keys = [k for k, _ in pairs]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise yaml.constructor.ConstructorError(
            None, None, f"duplicate key {sorted(map(str, dupes))[0]!r}", node.start_mark
        )
    d.line = node.start_mark.line + 1
    return d


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Keep dates as the strings the user wrote: we parse them ourselves (years before 1000, months).
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path, problems: list[Problem]):
    try:
        return safeload.read_yaml(path, Loader)
    except safeload.InputError as e:
        problems.append(Problem(str(path), e.where, e.field, e.message))
        return None


def read_json(path: Path, problems: list[Problem]):
    try:
        return safeload.read_json(path)
    except safeload.InputError as e:
        problems.append(Problem(str(path), e.where, e.field, e.message))
        return None


class Record:
    """Reads the fields of one record, reporting problems with the file and record named."""

    def __init__(self, file: str, label: str, data, problems: list[Problem]):
        self.file, self.label, self.problems = file, label, problems
        self.prefix = ""  # prepended to field names: "effects[2]." for an effect's fields
        line = getattr(data, "line", None)
        self.where = f"{label} (line {line})" if line else label
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.problem(None, f"must be a mapping, not {type(data).__name__}")

    def problem(self, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, self.where, self.prefix + field if field else field, message))

    def text(self, field: str, *, required: bool = True) -> str | None:
        v = self.data.get(field)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.problem(field, "missing")
            return None
        if not isinstance(v, str):
            self.problem(field, f"must be text, not {type(v).__name__} {v!r}")
            return None
        if len(v) > MAX_TEXT:
            self.problem(field, f"too long ({len(v)} characters; at most {MAX_TEXT})")
            return None
        if bad := limits.text_problem(v):
            self.problem(field, bad)
            return None
        return " ".join(v.split()) if "\n" in v else v.strip()

    def texts(self, field: str) -> tuple[str, ...]:
        v = self.data.get(field)
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.problem(field, "must be a list of texts")
            return ()
        if bad := next(filter(None, map(limits.text_problem, v)), None):
            self.problem(field, bad)
            return ()
        return tuple(x.strip() for x in v)

    def choice(self, field: str, allowed, default=None, *, required: bool = False) -> str | None:
        v = self.data.get(field, default)
        if v is None:
            if required:
                self.problem(field, f"missing (one of {', '.join(allowed)})")
            return None
        if v not in allowed:
            self.problem(field, f"{v!r} is not one of {', '.join(allowed)}{suggest(v, allowed)}")
            return None
        return v

    def ident(self, field: str = "id") -> str | None:
        v = self.data.get(field)
        if v is None:
            self.problem(field, "missing")
            return None
        if not isinstance(v, str) or not ID_RE.match(v):
            self.problem(field, f"{limits.shorten(v)} is not a safe id (lower-case letters, digits and single hyphens, e.g. 'gulistan-1813')")
            return None
        return v

    def number(self, field: str, lo: float, hi: float) -> float | None:
        v = self.data.get(field)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.problem(field, "missing" if v is None else f"must be a number, not {v!r}")
            return None
        if not math.isfinite(v) or not lo <= v <= hi:
            self.problem(field, f"{v!r} is outside {lo}..{hi}")
            return None
        return float(v)


def suggest(value, known) -> str:
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def date_field(rec: Record, field: str, *, required: bool) -> HistDate | None:
    v = rec.data.get(field)
    if v is None:
        if required:
            rec.problem(field, "missing")
        return None
    try:
        return parse_date(v)
    except ValueError as e:
        rec.problem(field, str(e))
        return None


def sources_field(rec: Record) -> tuple[Source, ...]:
    v = rec.data.get("sources")
    if v is None or v == []:
        rec.problem("sources", "missing: cite at least one source")
        return ()
    if not isinstance(v, list):
        rec.problem("sources", "must be a list")
        return ()
    out = []
    for i, s in enumerate(v, 1):
        title = s if isinstance(s, str) else s.get("title") if isinstance(s, dict) else None
        if isinstance(title, str) and (bad := limits.text_problem(title)):
            rec.problem("sources", f"source {i}: {bad}")
            continue
        if isinstance(s, str):
            out.append(Source(s.strip()))
            continue
        if not isinstance(s, dict) or not isinstance(s.get("title"), str) or not s["title"].strip():
            rec.problem("sources", f"source {i} needs a 'title'")
            continue
        url = s.get("url")
        if url is not None and (not isinstance(url, str) or not re.match(r"https?://[^\s\"'<>]+\Z", url)):
            rec.problem("sources", f"source {i}: url {url!r} must be an http(s) address")
            url = None
        out.append(Source(s["title"].strip(), url))
    return tuple(out)
