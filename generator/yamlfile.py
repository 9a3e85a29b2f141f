"""Read one YAML document strictly, keeping the line of every value.

PyYAML quietly keeps the last of duplicate keys and expands aliases (an "alias bomb" can grow a
small file into gigabytes). Contributors' files are untrusted, so both are refused here, along
with tabs, non-UTF-8 bytes, control characters and oversized files, each with the line it happened on.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import yaml

from .characters import file_text_problem, yaml_text_problem
from .errors import Problems

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 1_000_000
MAX_DEPTH = 40
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep — a listing needs only a few levels"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_SCALARS = yaml.constructor.SafeConstructor()
# What construct_object would call for the tags plain values resolve to, without its bookkeeping per value.
_PLAIN_CONSTRUCTORS = {f"tag:yaml.org,2002:{name}": _SCALARS.yaml_constructors[f"tag:yaml.org,2002:{name}"]
                       for name in ("null", "bool", "int", "float")}
_ScalarNode = yaml.ScalarNode
# As for indentation, the walk starts at twice the limit: shallower texts are composed (and refused) as before.
_COMPACT_NESTING = re.compile(r"(?:[-?][ \t]+){%d}" % (2 * MAX_DEPTH))


@dataclass
class Document:
    """A parsed YAML mapping plus the 1-based line of each value, keyed by its path."""

    data: object
    lines: dict[tuple, int]

    def line_of(self, path: tuple | list) -> int:
        """Return the line of the deepest known value on `path` (1 if none is known)."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


def decode(raw: bytes) -> str:
    """Return the text of a UTF-8 file, or raise YamlProblem at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlProblem(line, f"byte 0x{raw[exc.start]:02x} is not UTF-8 — save the file as UTF-8 "
                                "(in most editors: Save with Encoding → UTF-8)") from None


def parse_text(text: str, first_line: int = 1) -> Document:
    """Parse YAML text into a Document; raise YamlProblem with a line on any defect."""
    odd = yaml_text_problem(text, first_line)
    if odd:
        raise YamlProblem(*odd)
    tab = "\t" in text and re.search(r"^[ ]*\t", text, re.MULTILINE)
    if tab:
        line = text.count("\n", 0, tab.start()) + first_line
        raise YamlProblem(line, "tab character used for indentation — indent with spaces (two per level)")
    try:
        _check_depth(text, first_line)
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        if "depth" in (exc.problem or ""):  # libyaml's own limit (PyYAML 6.0.4 and later) stops it first
            raise YamlProblem(line, TOO_DEEP) from None
        what = exc.problem or "invalid YAML"
        start = exc.context_mark
        if exc.context and start and mark and start.line != mark.line:
            what += f" ({exc.context}, which started on line {start.line + first_line})"
        raise YamlProblem(line, f"YAML syntax error: {what} — check indentation, and quote text that "
                                "contains ': ' or starts with a special character") from None
    except yaml.reader.ReaderError:  # a control character: its message gives no line, and spans lines
        raise YamlProblem(*file_text_problem(text, first_line)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"YAML error: {exc} — check the file's syntax") from None
    if node is None:
        return Document(None, {})
    lines: dict[tuple, int] = {}
    seen = set() if "*" in text else None  # only an alias (*name) makes the composer hand out a node twice
    data = _convert(node, (), lines, seen, first_line, 0, text)
    return Document(data, lines)


def _check_depth(text: str, first_line: int) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses and can crash the process.

    The event stream is read iteratively, so it is safe; it is only read when the text could nest deeply:
    through brackets, deep indentation, or block entries written on one line ('- - - x' nests three lists).
    """
    if (text.count("[") + text.count("{") <= MAX_DEPTH and not re.search(r"^ {%d,}" % (2 * MAX_DEPTH), text, re.M)
            and not _compact_nesting(text)):
        return
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(event.start_mark.line + first_line, TOO_DEEP)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _compact_nesting(text: str) -> bool:
    """Return True if a line holds many block entries in a row ('- - - …'), each one a level deeper."""
    entries = text.count("- ") + text.count("-\t") + text.count("? ") + text.count("?\t")
    return entries >= 2 * MAX_DEPTH and bool(_COMPACT_NESTING.search(text))  # counting first is cheaper


def _convert(node, path: tuple, lines: dict, seen: set | None, offset: int, depth: int, text: str):
    """Turn a node into plain Python values, recording lines and refusing aliases and duplicates.

    `seen` holds the nodes met so far, or is None when the text has no alias; then scalars, most of
    the nodes, are converted in their parent's loop instead of by a call each (same checks, same lines).
    """
    if seen is not None:
        if id(node) in seen:
            raise YamlProblem(_alias_line(text, offset), "YAML anchors and aliases (&name / *name) are not "
                                                         "allowed — write each value out in full")
        seen.add(id(node))
    if depth > MAX_DEPTH:
        raise YamlProblem(node.start_mark.line + offset, TOO_DEEP)
    lines.setdefault(path, node.start_mark.line + offset)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, lines, seen, offset, depth, text)
    if isinstance(node, yaml.SequenceNode):
        return _sequence(node, path, lines, seen, offset, depth, text)
    return _scalar(node, offset)


def _mapping(node, path: tuple, lines: dict, seen: set | None, offset: int, depth: int, text: str) -> dict:
    """Return a mapping node's fields, refusing merge keys, duplicate keys and keys that are not text."""
    result = {}
    inline = seen is None and depth < MAX_DEPTH  # a child scalar would pass every check of _convert
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem(key_node.start_mark.line + offset, "a field name must be plain text")
        key = key_node.value
        if key == "<<":
            raise YamlProblem(key_node.start_mark.line + offset, "merge keys (<<) are not allowed — "
                                                                 "write the fields out in full")
        key_path = path + (key,)
        if key in result:
            first = lines.get(key_path, "?")
            raise YamlProblem(key_node.start_mark.line + offset,
                              f"duplicate field '{key}' (first given on line {first}) — keep one")
        lines[key_path] = key_node.start_mark.line + offset
        if inline and value_node.__class__ is _ScalarNode:
            result[key] = value_node.value if value_node.tag == _STR else _scalar(value_node, offset)
        else:
            result[key] = _convert(value_node, key_path, lines, seen, offset, depth + 1, text)
    return result


def _sequence(node, path: tuple, lines: dict, seen: set | None, offset: int, depth: int, text: str) -> list:
    """Return a sequence node's items."""
    inline = seen is None and depth < MAX_DEPTH
    result = []
    for i, item in enumerate(node.value):
        if inline and item.__class__ is _ScalarNode:
            lines.setdefault(path + (i,), item.start_mark.line + offset)
            result.append(item.value if item.tag == _STR else _scalar(item, offset))
        else:
            result.append(_convert(item, path + (i,), lines, seen, offset, depth + 1, text))
    return result


def _scalar(node, offset: int):
    """Return a scalar's value; dates stay ISO strings so that JSON Schema can check them."""
    tag = node.tag
    if tag == _STR or tag == _TIMESTAMP:
        return node.value
    construct = _PLAIN_CONSTRUCTORS.get(tag)
    try:
        value = construct(_SCALARS, node) if construct else _construct_tagged(node)
    except (yaml.YAMLError, ValueError, TypeError):
        raise YamlProblem(node.start_mark.line + offset, f"YAML tag '{node.tag}' cannot be used here — remove "
                                                         "the tag (the '!…' part) and write the value as plain text") from None
    if isinstance(value, (datetime.date, bytes)):
        return node.value
    return value


def _construct_tagged(node):
    """Construct a scalar with any other tag as PyYAML does, then let go of it (the constructor keeps what it made)."""
    try:
        return _SCALARS.construct_object(node)
    finally:
        _SCALARS.constructed_objects.clear()
        _SCALARS.recursive_objects.clear()
        _SCALARS.state_generators.clear()


def _alias_line(text: str, offset: int) -> int:
    """Return the line of the first alias in the text (only called when one was found)."""
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + offset
    return offset


def read_yaml(raw: bytes) -> Document:
    """Decode and parse one YAML file's bytes."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(1, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} — is this the right file?")
    return parse_text(decode(raw))


def report(problems: Problems, path: str, exc: YamlProblem, field: str = "(file)") -> None:
    """Add a YamlProblem to a Problems collection."""
    problems.add(path, exc.line, field, exc.message)
