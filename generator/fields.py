"""A listing's fields, declared once: in the schema a listing file is checked against.

generator/schema/listing.schema.json describes every field of a listing file for contributors' editors
and for `check`. The rest is derived from it here: the attributes of `model.Listing` and `model.Meeting`,
how a file's value becomes an attribute's (`value_of`), and the fields the open data exports carry
(`generator/exports/listings.py`). Adding a field is one property in the schema plus the template line
that shows it.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "schema"
LISTING_SCHEMA = "listing.schema.json"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # a date written as YYYY-MM-DD


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Return one of the bundled JSON Schemas by file name."""
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class FileField:
    """One field of a listing file (or of one of its meetings), as the schema describes it."""

    name: str
    shape: str  # "text", "date", "value" (a number or yes/no), "list" (of texts), "group" (of named values), "meetings"
    required: bool
    defaults: tuple[tuple[str, str], ...] = ()  # a group's fields that have a default, with it

    @property
    def empty(self):
        """Return the attribute's value when the file leaves the field out."""
        return {"text": "", "date": None, "value": None, "list": (), "group": {}, "meetings": ()}[self.shape]


def _shape(schema: dict) -> str:
    kind = schema.get("type")
    if kind in ("number", "integer", "boolean"):
        return "value"
    if kind == "object":
        return "group"
    if kind == "array":
        return "meetings" if schema.get("items", {}).get("type") == "object" else "list"
    return "date" if schema.get("pattern") == DATE_PATTERN else "text"


def _fields_of(schema: dict) -> tuple[FileField, ...]:
    required = set(schema.get("required", ()))
    return tuple(FileField(name, _shape(prop), name in required,
                           tuple((key, sub["default"]) for key, sub in prop.get("properties", {}).items()
                                 if "default" in sub))
                 for name, prop in schema["properties"].items())


@lru_cache(maxsize=1)
def listing_fields() -> tuple[FileField, ...]:
    """Return the fields of a listing file, in the schema's order."""
    return _fields_of(load_schema(LISTING_SCHEMA))


@lru_cache(maxsize=1)
def meeting_fields() -> tuple[FileField, ...]:
    """Return the fields of one meeting of a listing's schedule."""
    return _fields_of(load_schema(LISTING_SCHEMA)["properties"]["schedule"]["items"])


def value_of(field: FileField, value):
    """Return a listing's attribute for a value its file gives (a list or group in the form the model keeps).

    Meetings are made by the caller (they need the listing's time zone); dates become dates, texts lose
    the spaces and line ends around them, lists become tuples; a number or yes/no is kept as it is.
    """
    if field.shape == "text":
        return value.strip()
    if field.shape == "date":
        return datetime.date.fromisoformat(value)
    if field.shape == "list":
        return tuple(value)
    if field.shape == "group":
        group = dict(value)
        for key, default in field.defaults if group else ():
            group.setdefault(key, default)
        return group
    return value
