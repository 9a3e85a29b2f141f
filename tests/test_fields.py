"""One description of a listing's fields (the schema) and one table of vocabulary sections: what follows from them."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator.exports.listings import CSV_COLUMNS, LATER_FIELDS, RECORD_FIELDS, UNPUBLISHED
from generator.fields import listing_fields, load_schema, meeting_fields
from generator.model import Listing, Meeting
from generator.schema_check import property_schema
from generator.search_data import FILTER_KEYS, RECORD_FIELDS as RECORD_KEYS
from generator.vocabulary import FILTERED, SECTIONS, TOP_LEVEL
from helpers import IN_PERSON, REPO_ROOT, new_content, write_listing

SCHEMA = load_schema("listing.schema.json")


def test_listing_and_meeting_attributes_are_the_schema_fields():
    attributes = [f.name for f in dataclasses.fields(Listing)]
    assert [f.name for f in listing_fields()] == list(SCHEMA["properties"])
    assert set(SCHEMA["properties"]) <= set(attributes)
    assert [f.name for f in dataclasses.fields(Meeting)] == list(SCHEMA["properties"]["schedule"]["items"]["properties"])
    assert [f.name for f in meeting_fields() if f.required] == ["day", "start"]


def test_a_field_of_each_json_type_has_a_shape_and_an_empty_value():
    from generator.exports.listings import csv_value
    from generator.fields import _fields_of, value_of

    fields = {f.name: f for f in _fields_of({"required": ["a"], "properties": {
        "a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"}, "d": {"type": "array"},
        "e": {"type": "object", "properties": {"x": {"type": "string", "default": "US"}}},
        "f": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}})}
    assert {name: f.shape for name, f in fields.items()} == {"a": "text", "b": "value", "c": "value", "d": "list",
                                                             "e": "group", "f": "date"}
    assert fields["a"].required and not fields["b"].required
    assert value_of(fields["a"], "  text \n") == "text" and value_of(fields["b"], 3) == 3
    assert value_of(fields["e"], {"y": "1"}) == {"y": "1", "x": "US"} and value_of(fields["e"], {}) == {}
    assert [csv_value(value) for value in (None, True, 3, ("a", "b"))] == ["", "true", "3", "a; b"]


def test_every_field_of_the_schema_is_published_in_the_open_data_or_said_not_to_be():
    assert not LATER_FIELDS  # every field of today's schema has its place in schema_version 1.4
    published = set(RECORD_FIELDS) | UNPUBLISHED
    assert set(SCHEMA["properties"]) <= published


def test_every_vocabulary_section_names_a_field_of_the_schema():
    for section in SECTIONS:
        for field in section.fields:
            target = property_schema(SCHEMA["properties"], field)
            assert target.get("items", target)["type"] == "string", (section.name, field)
    assert [s.name for s in TOP_LEVEL] == ["kinds", "formats", "support_types", "audiences", "languages", "costs"]
    assert all(section.legend and section.parameter for section in FILTERED)
    taxonomy_sections = re.findall(r"^([a-z_]+):", (REPO_ROOT / "content" / "taxonomy.yaml").read_text(), re.M)
    assert sorted(taxonomy_sections) == sorted(s.name for s in SECTIONS)
    assert list(load_schema("taxonomy.schema.json")["properties"]) == [s.name for s in SECTIONS]


def test_the_directory_filters_are_the_tables_sections(starter_site):
    """The browser's filters come from the form's fieldsets, which the table writes, in its order."""
    page = (starter_site / "directory" / "index.html").read_text(encoding="utf-8")
    fieldsets = re.findall(r'<fieldset class="facet" data-facet="(\w+)"(?: data-section="(\w+)")? data-field="(\w+)"',
                           page)
    assert fieldsets == [(s.parameter, s.name, FILTER_KEYS[s.name]) for s in FILTERED]  # no schedules: no day filter
    assert all(key in RECORD_KEYS for _, _, key in fieldsets)


ACCESS_FIELD = {"type": "string", "maxLength": 200, "description": "How to get in: steps, lifts, parking.",
                "x-fix": "describe the access as text"}
ACCESS_LINE = '{% if listing.access %}<p class="access">Access: {{ listing.access }}</p>{% endif %}\n'


def test_a_field_added_to_the_schema_is_checked_shown_and_published(tmp_path):
    """Adding a field is one property in the schema and the template line that shows it (a copy of the generator)."""
    tree = tmp_path / "tree"
    shutil.copytree(REPO_ROOT / "generator", tree / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_ROOT / "templates", tree / "templates")
    shutil.copy(REPO_ROOT / "build.py", tree / "build.py")
    schema_path = tree / "generator" / "schema" / "listing.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["access"] = ACCESS_FIELD
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    listing_page = tree / "templates" / "listing.html"
    page = listing_page.read_text(encoding="utf-8")
    listing_page.write_text(page.replace("{% block content %}\n", "{% block content %}\n" + ACCESS_LINE, 1),
                            encoding="utf-8")
    content = new_content(tmp_path)
    write_listing(content, "ct/hartford.yaml", IN_PERSON + "    access: Step-free entrance on Main Street\n")
    write_listing(content, "ct/bad.yaml", IN_PERSON.replace("Tuesday Night", "Wednesday") + "    access: [not, text]\n")

    check = _build_py(tree, "check", "--content", str(content))
    assert check.returncode == 1
    assert re.search(r"ct/bad\.yaml:\d+: access: .*describe the access as text", check.stderr), check.stderr
    (content / "listings" / "ct" / "bad.yaml").unlink()
    output = tmp_path / "output"
    build = _build_py(tree, "build", "--content", str(content), "--output", str(output))
    assert build.returncode == 0, build.stderr

    assert "Access: Step-free entrance on Main Street" in (output / "listings" / "hartford" / "index.html").read_text()
    record = json.loads((output / "api" / "listings.json").read_text())["listings"][0]
    assert list(record)[-1] == "access" and record["access"] == "Step-free entrance on Main Street"
    rows = list(csv.reader(io.StringIO((output / "api" / "listings.csv").read_text(encoding="utf-8"))))
    assert rows[0][:len(CSV_COLUMNS)] == list(CSV_COLUMNS) and rows[0][-1] == "access"
    assert rows[1][-1] == "Step-free entrance on Main Street"
    editor_schema = json.loads((output / "schema" / "listing.schema.json").read_text())
    assert editor_schema["properties"]["access"]["x-fix"] == "describe the access as text"


def _build_py(tree: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(tree / "build.py"), *args], cwd=tree, capture_output=True, text=True,
                          timeout=120)
