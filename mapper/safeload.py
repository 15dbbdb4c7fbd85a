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

import numpy as np
import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

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


#: libyaml's parser where PyYAML was built with it (the wheels are): about ten times faster.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A SafeLoader whose input :func:`read_yaml` first checks for anchors, aliases, complex keys, deep
    nesting, huge scalars and numbers. Subclasses add constructors and resolvers as usual."""


def _python_twin(loader: type[StrictLoader]) -> type:
    """The pure-Python SafeLoader with ``loader``'s constructors and resolvers."""
    return type(f"{loader.__name__}Python", (yaml.SafeLoader,), {
        "yaml_constructors": loader.yaml_constructors, "yaml_implicit_resolvers": loader.yaml_implicit_resolvers})


class _Frame:
    """An open mapping or sequence while checking: its field path, its next index, whether a key comes next."""

    __slots__ = ("field", "mapping", "index", "key")

    def __init__(self, field: str, mapping: bool):
        self.field, self.mapping, self.index = field, mapping, 0
        self.key: str | None = None


def _check_events(text: str, loader: type) -> None:
    """Walk the parser's events once and refuse what the limits forbid, naming the field path."""
    resolver = loader("")
    stack: list[_Frame] = []
    for event in yaml.parse(text, Loader=loader):
        if not isinstance(event, NodeEvent):
            if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                stack.pop()
            continue
        top = stack[-1] if stack else None
        is_key = top is not None and top.mapping and top.key is None
        if top is None:
            field = ""
        elif top.mapping:
            field = top.field if is_key else f"{top.field}.{top.key}"
            if not is_key:
                top.key = None
        else:
            top.index += 1
            field = f"{top.field}[{top.index}]"

        def refuse(problem: str, mark=event.start_mark, field=field) -> None:
            name = field.lstrip(".")
            raise _LimitError(problem, mark, (name if len(name) <= 60 else name[:59] + "…") or None)

        if isinstance(event, AliasEvent):
            refuse(f"an alias (*{event.anchor}) is not allowed: write the value out")
        if event.anchor is not None:
            refuse(f"an anchor (&{event.anchor}) is not allowed: the data never need one")
        if is_key and not isinstance(event, ScalarEvent):
            refuse("a key must be plain text, not a list or mapping")
        if len(stack) + 1 > limits.MAX_DEPTH:
            refuse(f"nested more than {limits.MAX_DEPTH} levels deep")
        if isinstance(event, ScalarEvent):
            if len(event.value) > limits.MAX_SCALAR_CHARS:
                refuse(f"a value of {len(event.value):,} characters (at most {limits.MAX_SCALAR_CHARS:,})")
            if (len(event.value) > limits.MAX_NUMBER_CHARS and event.implicit[0]
                    and resolver.resolve(ScalarNode, event.value, event.implicit) in _NUMBER_TAGS):
                refuse(f"a number written with {len(event.value):,} characters (at most {limits.MAX_NUMBER_CHARS})")
            if is_key:
                assert top is not None
                top.key = limits.shorten(event.value, 40)[1:-1]
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            stack.append(_Frame(field, isinstance(event, MappingStartEvent)))


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
        try:
            _check_events(text, loader)
            return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass, checked above
        except yaml.YAMLError as e:
            if isinstance(e, _LimitError) or _BaseLoader is yaml.SafeLoader:
                raise
            # libyaml refuses some text the pure-Python parser reads (a lone surrogate escape, say), which
            # the geodata checks then refuse naming the record and field: read malformed text that way.
            python_loader = _python_twin(loader)
            _check_events(text, python_loader)
            return yaml.load(text, Loader=python_loader)  # noqa: S506 - as above
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
    checked = not _within_limits(text)  # the usual file: parsed at C speed; else checked token by token
    if checked:
        _check_depth(text)
    try:
        if checked:
            return json.loads(text, parse_int=_number(int), parse_float=_number(float))
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"line {e.lineno}, column {e.colno}", None, f"malformed JSON: {e.msg}") from None
    except _NumberTooLong as e:
        number = str(e)
        pos = text.find(number)
        raise InputError(_where(text, pos) if pos >= 0 else None, None,
                         f"a number written with {len(number):,} characters (at most {limits.MAX_NUMBER_CHARS})") from None


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
#: Per byte: +1 opens a level (``[``, ``{``), -1 closes one.
_DEPTH_STEP = np.zeros(256, dtype=np.int8)
_DEPTH_STEP[[ord("["), ord("{")]] = 1
_DEPTH_STEP[[ord("]"), ord("}")]] = -1
#: Per byte: whether it may be part of a number.
_NUMBER_BYTE = np.zeros(256, dtype=bool)
_NUMBER_BYTE[list(b"-+0123456789.eE")] = True


def _within_limits(text: str) -> bool:
    """Whether ``text`` surely keeps the depth and number limits: with its strings taken out, no point nested
    deeper than allowed and no run of number characters longer than a number may be.

    A quick look, with NumPy, at what :func:`_check_depth` and the parser's number hooks check one token
    at a time, in about a quarter of their time (units.geojson: 4 ms against 16); where it is not sure,
    they run and say where the limit is broken.
    """
    codes = np.frombuffer(_STRINGS.sub("", text).encode("utf-8"), dtype=np.uint8)
    if not codes.size:
        return True
    if int(np.cumsum(_DEPTH_STEP[codes], dtype=np.int32).max()) > limits.MAX_DEPTH:
        return False
    others = np.zeros(codes.size + 1, dtype=np.int32)
    np.cumsum(~_NUMBER_BYTE[codes], out=others[1:])  # of the bytes before each, those that cannot be in a number
    n = limits.MAX_NUMBER_CHARS + 1
    return not bool((others[n:] == others[:-n]).any())  # no n bytes in a row that could all be a number


def _check_depth(text: str) -> None:
    """Refuse ``text`` where its brackets nest deeper than allowed, naming the line and column."""
    depth = 0
    for m in _TOKENS.finditer(text):
        c = m.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                raise InputError(_where(text, m.start()), None, f"nested more than {limits.MAX_DEPTH} levels deep")
        elif c == "]" or c == "}":
            depth -= 1
