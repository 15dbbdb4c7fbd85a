"""Read untrusted YAML and JSON files within limits, reporting where a limit was broken.

The geodata arrive through pull requests, so a file may be hostile: nine lines of YAML anchors
expand to gigabytes, 20,000 nested brackets exhaust the stack, a 5,000-digit number makes
``int()`` refuse. :func:`read_yaml` and :func:`read_json` refuse such input while parsing, with
an :class:`InputError` giving the line, column and (for YAML) the field path. YAML anchors and
aliases are refused outright: the data never need them. Limits are in :mod:`mapper.limits`.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import MappingNode, ScalarNode

from mapper import limits

__all__ = ["InputError", "StrictLoader", "read_yaml", "read_json"]

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class InputError(ValueError):
    """A file that cannot be read: ``where`` (e.g. "line 3, column 5"), ``field`` (or None), ``message``."""

    def __init__(self, where: str | None, field: str | None, message: str):
        super().__init__(message)
        self.where, self.field, self.message = where, field, message


class _LimitError(yaml.MarkedYAMLError):
    def __init__(self, problem: str, mark, field: str | None):
        super().__init__(problem=problem, problem_mark=mark)
        self.field = field


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors, aliases, complex keys, deep nesting, huge scalars and numbers."""

    def __init__(self, stream):
        super().__init__(stream)
        self._fields: list[str] = []

    def _field(self) -> str | None:
        field = "".join(self._fields).lstrip(".")
        return (field if len(field) <= 60 else field[:59] + "…") or None

    def _refuse(self, problem: str, mark) -> None:
        raise _LimitError(problem, mark, self._field())

    def compose_node(self, parent, index):
        if isinstance(index, ScalarNode):
            self._fields.append(f".{limits.shorten(index.value, 40)[1:-1]}")
        elif isinstance(index, int):
            self._fields.append(f"[{index + 1}]")
        else:
            self._fields.append("")
        try:
            return self._checked_node(parent, index)
        finally:
            self._fields.pop()

    def _checked_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            self._refuse(f"an alias (*{event.anchor}) is not allowed: write the value out", event.start_mark)
        if event.anchor is not None:
            self._refuse(f"an anchor (&{event.anchor}) is not allowed: the data never need one", event.start_mark)
        if isinstance(parent, MappingNode) and index is None and not isinstance(event, ScalarEvent):
            self._refuse("a key must be plain text, not a list or mapping", event.start_mark)
        if isinstance(event, ScalarEvent) and len(event.value) > limits.MAX_SCALAR_CHARS:
            self._refuse(f"a value of {len(event.value):,} characters (at most {limits.MAX_SCALAR_CHARS:,})",
                         event.start_mark)
        if len(self._fields) > limits.MAX_DEPTH:
            self._refuse(f"nested more than {limits.MAX_DEPTH} levels deep", event.start_mark)
        node = super().compose_node(parent, index)
        if node.tag in _NUMBER_TAGS and len(node.value) > limits.MAX_NUMBER_CHARS:
            self._refuse(f"a number written with {len(node.value):,} characters (at most {limits.MAX_NUMBER_CHARS})",
                         node.start_mark)
        return node


def _text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(None, None, f"cannot be read ({e.strerror or e})") from None
    if size > limits.MAX_FILE_BYTES:
        raise InputError(None, None, f"is {size:,} bytes; at most {limits.MAX_FILE_BYTES:,} (is it the right file?)")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(None, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None


def read_yaml(path: Path, loader: type[StrictLoader] = StrictLoader):
    """Return the document in the YAML file ``path``, read with ``loader``; raise InputError."""
    text = _text(path)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        if isinstance(e, _LimitError):
            raise InputError(where, e.field, e.problem or "") from None
        raise InputError(where, None, f"malformed YAML: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise InputError(None, None, f"malformed YAML: {e}") from None


class _NumberTooLong(ValueError):
    pass


def _number(parse):
    def checked(s: str):
        if len(s) > limits.MAX_NUMBER_CHARS:
            raise _NumberTooLong(s)
        return parse(s)
    return checked


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def read_json(path: Path):
    """Return the document in the JSON file ``path``; raise InputError."""
    text = _text(path)
    depth = 0
    for m in _TOKENS.finditer(text):
        c = m.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                raise InputError(_where(text, m.start()), None, f"nested more than {limits.MAX_DEPTH} levels deep")
        elif c == "]" or c == "}":
            depth -= 1
    try:
        return json.loads(text, parse_int=_number(int), parse_float=_number(float))
    except json.JSONDecodeError as e:
        raise InputError(f"line {e.lineno}, column {e.colno}", None, f"malformed JSON: {e.msg}") from None
    except _NumberTooLong as e:
        number = str(e)
        pos = text.find(number)
        raise InputError(_where(text, pos) if pos >= 0 else None, None,
                         f"a number written with {len(number):,} characters (at most {limits.MAX_NUMBER_CHARS})") from None
