"""Check a document against a JSON Schema and explain each failure the way a contributor needs.

Most documents are valid, so a compiled validator (fastjsonschema) answers first; only a document it
rejects is checked again by jsonschema, whose errors the messages are made from.
"""
from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import Problems, did_you_mean
from .fields import load_schema
from .model import DAYS, Taxonomy
from .vocabulary import SECTIONS
from .yamlfile import Document

if TYPE_CHECKING:
    import jsonschema

EDITOR_SCHEMA = "listing.schema.json"  # written into the content folder; listing files point editors at it
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Keywords that fastjsonschema and jsonschema judge alike for the values a YAML file gives (str, int, float,
# bool, None, list, dict): a document one accepts, the other accepts too. `pattern` is handed to
# fastjsonschema as a format that calls re.search, as jsonschema does, because fastjsonschema rewrites
# every `$` to `\Z` (even inside [...], where `\Z` does not compile). A schema that uses any keyword not
# listed here is checked by jsonschema alone; test_schema_check.py keeps the bundled schemas on the fast path.
_FAST_KEYWORDS = frozenset({"type", "properties", "additionalProperties", "required", "items", "minItems",
                            "uniqueItems", "minLength", "maxLength", "pattern", "minimum", "maximum"})
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "default"})  # ignored by both ("x-…" too)
_TYPE_NAMES = {"string": "text", "array": "a list", "object": "fields on their own lines",
               "number": "a number", "integer": "a whole number", "boolean": "true or false"}


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema  # only needed for documents with errors

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


class _NotFast(Exception):
    """The schema uses a keyword the compiled validator is not trusted with."""


@lru_cache(maxsize=None)
def fast_validator(name: str) -> Callable[[object], object] | None:
    """Return the compiled validator for a bundled schema (None if it must be left to jsonschema).

    It raises on any document it does not accept; compiled once per process.
    """
    import fastjsonschema

    formats: dict[str, Callable[[str], object]] = {}
    try:
        schema = _fast_schema(load_schema(name), formats)
    except _NotFast:
        return None
    # Defaults are left out of the copy, and use_default=False besides: fastjsonschema would write them into data.
    return fastjsonschema.compile(schema, formats=formats, use_default=False, use_formats=True,
                                  detailed_exceptions=False)


def _fast_schema(schema: object, formats: dict) -> dict:
    """Return a copy of a (sub)schema for fastjsonschema: annotations dropped, each pattern made a format."""
    if not isinstance(schema, dict):
        raise _NotFast("a schema that is not an object")
    copied = {}
    for key, value in schema.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        if key not in _FAST_KEYWORDS:
            raise _NotFast(key)
        if key == "properties":
            value = {name: _fast_schema(sub, formats) for name, sub in value.items()}
        elif key == "items" or (key == "additionalProperties" and not isinstance(value, bool)):
            value = _fast_schema(value, formats)
        elif key == "pattern":
            key, name = "format", f"pattern-{len(formats)}"
            formats[name], value = re.compile(value).search, name
        copied[key] = value
    return copied


def _is_valid_fast(schema_name: str, data: object) -> bool:
    """Return True when the compiled validator accepts the document (False means: ask jsonschema)."""
    validate = fast_validator(schema_name)
    if validate is None:
        return False
    try:
        validate(data)
    except Exception:  # its "invalid", or a value its generated code cannot handle: jsonschema decides either way
        return False
    return True


def field_name(path: tuple | list) -> str:
    """Return a readable field path such as 'location.city' or 'schedule[0].start'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def check_schema(doc: Document, schema_name: str, path: str, problems: Problems) -> bool:
    """Add a problem for every schema violation in `doc`; return True when there were none."""
    if _is_valid_fast(schema_name, doc.data):
        return True
    errors = sorted(_validator(schema_name).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
    seen = set()  # jsonschema reports 'required' once per missing field, each naming them all
    for error in errors:
        for field_path, line_path, message in _explain(error):
            if (field_path, message) not in seen:
                seen.add((field_path, message))
                problems.add(path, doc.line_of(line_path), field_name(field_path), message)
    return not errors


def _explain(error: jsonschema.ValidationError):
    """Yield (field path, line path, message) for one validation error."""
    where = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    fix = schema.get("x-fix") or "see this field's description in generator/schema/"
    kind, value = error.validator, error.instance
    if kind == "required":
        properties = schema.get("properties", {})
        for name in error.validator_value:
            if isinstance(value, dict) and name not in value:
                hint = properties.get(name, {}).get("x-fix", f"add a '{name}:' line")
                yield where + (name,), where, f"is required — {hint}"
    elif kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        for name in value:
            if name not in known:
                yield where + (name,), where + (name,), f"unknown field '{name}'{did_you_mean(name, known)}"
    elif kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        if expected == "array" and isinstance(value, str) and "," in value:
            # `support_types: 12-step, family-support`: the values are right, the brackets are missing.
            yield where, where, (f"must be a list, not {_describe(value)} — put the values in square brackets: "
                                 f"[{_short(value)}]")
        elif expected == "string" and isinstance(value, bool):
            # `languages: [en, no]` (Norwegian): YAML reads yes, no, on, off, true and false as true or false.
            yield where, where, (f"must be text, not {_describe(value)}: YAML reads the words yes, no, on, off, true "
                                 "and false as true or false — put the word in quotes, e.g. \"no\"")
        else:
            yield where, where, f"must be {_TYPE_NAMES.get(expected, expected)}, not {_describe(value)} — {fix}"
    elif kind == "pattern" and isinstance(value, str) and _bad_scheme(value, error.validator_value):
        yield where, where, (f"'{_short(value)}' uses the '{_SCHEME.match(value).group(1)}:' scheme, which is not "
                             f"allowed — {fix}")
    elif kind == "pattern":
        yield where, where, f"'{_short(value)}' is not in the expected form — {fix}"
    elif kind in ("maxLength", "minLength"):
        limit = "at most" if kind == "maxLength" else "at least"
        yield where, where, f"is {len(value)} characters; it must be {limit} {error.validator_value} — {fix}"
    elif kind in ("minimum", "maximum"):
        if math.isfinite(value):  # .inf and .nan: generator.values says what they are
            yield where, where, f"{value} is out of range — {fix}"
    elif kind == "minItems":
        yield where, where, f"must list at least {error.validator_value} — {fix}"
    elif kind == "uniqueItems":
        yield where, where, "lists the same value more than once — remove the repeat"
    else:
        yield where, where, f"{error.message}{' — ' + fix if fix else ''}"


def _bad_scheme(value: str, pattern: str) -> bool:
    match = _SCHEME.match(value)
    return bool(match) and "http" in pattern and match.group(1).lower() not in ("http", "https")


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{_short(str(value))}'"


def property_schema(properties: dict, field: str) -> dict:
    """Return the schema of a field given by its dotted name: "location.region", "schedule.types"."""
    schema = {"properties": properties}
    for key in field.split("."):
        schema = schema.get("items", schema)["properties"][key]
    return schema


SERVES = ["statewide", "part-of-state", "nationwide"]  # the words of the bundled schema's pattern, for completion


def listing_schema_for(taxonomy: Taxonomy, schema_id: str) -> bytes:
    """Return the listing schema with the taxonomy's terms as enums, so editors can complete them."""
    schema = copy.deepcopy(load_schema("listing.schema.json"))
    schema["$id"] = schema_id
    props = schema["properties"]
    for section in SECTIONS:
        terms = taxonomy.sections[section.name]
        for field in section.fields:
            target = property_schema(props, field)
            target = target.get("items", target)  # a list of terms: each item is one
            if section.by_code:
                target["enum"] = [term.code for term in terms.values()]
            else:
                target["enum"] = list(terms)
                target["x-labels"] = {slug: term.label for slug, term in terms.items()}
    property_schema(props, "schedule.day")["enum"] = list(DAYS)
    props["serves"]["enum"] = SERVES
    props["also_serves"]["items"]["enum"] = list(taxonomy.regions_by_code)
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
