"""Check a document against a JSON Schema and explain each failure the way a contributor needs."""
from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from .errors import Problems, did_you_mean
from .model import DAYS, Taxonomy
from .yamlfile import Document

SCHEMA_DIR = Path(__file__).parent / "schema"
EDITOR_SCHEMA = "listing.schema.json"  # written into the content folder; listing files point editors at it
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_TYPE_NAMES = {"string": "text", "array": "a list", "object": "fields on their own lines",
               "number": "a number", "integer": "a whole number", "boolean": "true or false"}


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Return one of the bundled JSON Schemas by file name."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def field_name(path: tuple | list) -> str:
    """Return a readable field path such as 'location.city' or 'schedule[0].start'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def check_schema(doc: Document, schema_name: str, path: str, problems: Problems) -> bool:
    """Add a problem for every schema violation in `doc`; return True when there were none."""
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


def listing_schema_for(taxonomy: Taxonomy, schema_id: str) -> bytes:
    """Return the listing schema with the taxonomy's terms as enums, so editors can complete them."""
    schema = copy.deepcopy(load_schema("listing.schema.json"))
    schema["$id"] = schema_id
    props = schema["properties"]
    tax = taxonomy.sections

    def enum(target: dict, section: str) -> None:
        target["enum"] = list(tax[section])
        target["x-labels"] = {slug: t.label for slug, t in tax[section].items()}

    enum(props["kind"], "kinds")
    enum(props["format"], "formats")
    enum(props["cost"], "costs")
    for field, section in (("support_types", "support_types"), ("audience", "audiences"), ("languages", "languages")):
        enum(props[field]["items"], section)
    props["location"]["properties"]["region"]["enum"] = list(taxonomy.regions_by_code)
    props["schedule"]["items"]["properties"]["day"]["enum"] = list(DAYS)
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
