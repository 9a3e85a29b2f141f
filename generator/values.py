"""Check a document's values for what no output can carry, whatever its schema allows.

YAML's escapes in double quotes ("\\x01", "\\u2028", "\\0") make characters that cannot be typed into
a file, and `.nan` and `.inf` are numbers to YAML but not to JSON: one such value in one listing made
the search data of every page unreadable. Every text (field names too) is checked for the characters
of generator.characters; a field is a single line unless its schema marks it `"x-multiline": true`
(Markdown descriptions), and then only tabs and line breaks are allowed besides. Numbers must be finite.
"""
from __future__ import annotations

import math

from .characters import MULTI_LINE, SINGLE_LINE, character_name, printable
from .errors import Problems
from .schema_check import field_name, load_schema
from .yamlfile import Document

_NO_SCHEMA: dict = {}


def check_values(doc: Document, path: str, problems: Problems, schema_name: str | None = None) -> None:
    """Record every text with a character it may not hold, and every number that is not finite."""
    schema = load_schema(schema_name) if schema_name else _NO_SCHEMA
    _check(doc.data, schema, (), doc, path, problems)


def _check(value, schema: dict, where: tuple, doc: Document, path: str, problems: Problems) -> None:
    kind = type(value)
    if kind is str:
        if not value.isprintable() or value.isspace():  # most texts are neither: the search runs on few
            _check_text(value, schema, where, doc, path, problems)
    elif kind is dict:
        properties = schema.get("properties", _NO_SCHEMA)
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if not key.isprintable():
                _check_key(key, where, doc, path, problems)
            sub = properties.get(key) or (extra if isinstance(extra, dict) else _NO_SCHEMA)
            _check(item, sub, where + (key,), doc, path, problems)
    elif kind is list:
        items = schema.get("items", _NO_SCHEMA)
        for i, item in enumerate(value):
            _check(item, items, where + (i,), doc, path, problems)
    elif kind is float and not math.isfinite(value) and schema.get("type") in ("number", "integer"):
        spelled = ".nan" if value != value else ".inf" if value > 0 else "-.inf"
        fix = schema.get("x-fix") or "write a number"
        problems.add(path, doc.line_of(where), field_name(where), f"{spelled} is not a number — {fix}")


def _check_text(value: str, schema: dict, where: tuple, doc: Document, path: str, problems: Problems) -> None:
    multi_line = schema.get("x-multiline", False)
    found = (MULTI_LINE if multi_line else SINGLE_LINE).search(value)
    if found is None:
        if value.isspace():  # the model strips it to nothing: a listing without a name, say
            problems.add(path, doc.line_of(where), field_name(where),
                         "is only spaces — fill it in (or leave the field out, if it is optional)")
        return
    char = found.group()
    if char == "\n" and "\n" not in value.rstrip("\n"):  # what YAML's '>' and '|' leave at the end
        message = ("ends with a line break, but must be a single line — write the text on the same line as the "
                   "field name, or use '>-' instead of '>' or '|'")
    elif char == "\n":
        message = "has a line break, but must be a single line — join the lines into one"
    elif char == "\t":
        message = "contains a tab character — use a space instead"
    else:
        message = (f"contains {character_name(char)}, which cannot be published — remove it (in double quotes, "
                   "look for a backslash escape such as \\x01 or \\u2028)")
    problems.add(path, doc.line_of(where), field_name(where), message)


def _check_key(key: str, where: tuple, doc: Document, path: str, problems: Problems) -> None:
    found = SINGLE_LINE.search(key)
    if found is not None:
        problems.add(path, doc.line_of(where + (key,)), field_name(where + (printable(key),)),
                     f"the field name contains {character_name(found.group())} — retype the field name")
