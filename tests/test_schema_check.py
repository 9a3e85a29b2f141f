"""schema_check: the compiled validator (fastjsonschema) and jsonschema agree on every document, and a
document the compiled one rejects gets exactly the jsonschema-derived messages."""
from __future__ import annotations

import copy

import pytest

from generator import schema_check
from generator.errors import Problems
from generator.schema_check import check_schema, fast_validator, load_schema
from generator.yamlfile import Document, read_yaml
from helpers import dedent

BUNDLED = ("listing.schema.json", "taxonomy.schema.json", "article.schema.json")

# A listing that uses every field once, so that every field's rules are exercised below.
FULL_LISTING = {
    "name": "Hartford Tuesday Group", "kind": "local-group", "support_types": ["12-step"],
    "summary": "A weekly 12-step meeting in downtown Hartford.", "description": "Open to *all*.",
    "format": "hybrid",
    "location": {"address": "1 Main St", "city": "Hartford", "region": "CT", "postal_code": "06106",
                 "country": "US", "lat": 41.76, "lng": -72.68},
    "online": {"url": "https://example.org/join", "platform": "Zoom"},
    "contact": {"phone": "+1-860-244-3343", "email": "info@example.org", "website": "https://example.org"},
    "organization": "CCAR", "credentials": ["CPS"], "audience": ["women"], "languages": ["en"], "cost": "free",
    "schedule": [{"day": "monday", "start": "19:00", "end": "20:00", "timezone": "America/New_York",
                  "notes": "side door"}],
    "last_verified": "2026-01-05", "source": "https://example.org/source", "not_duplicate_of": ["other-group"],
}
TERM = {"slug": "twelve-step", "label": "12-step", "description": "Step groups."}
FULL_TAXONOMY = {
    "kinds": [TERM], "formats": [TERM], "support_types": [{**TERM, "meeting_guide": "W"}],
    "audiences": [{**TERM, "meeting_guide": "LGBTQ"}], "languages": [TERM], "costs": [TERM],
    "regions": [{"slug": "connecticut", "code": "CT", "label": "Connecticut", "description": "CT",
                 "timezone": "America/New_York"}],
}
FULL_ARTICLE = {"title": "Finding a sponsor", "summary": "How people in 12-step groups find a sponsor.",
                "date": "2026-01-05", "tags": ["sponsors"], "support_types": ["12-step"]}

# Values that sit on either side of some rule of the schemas: type, length, pattern (including a trailing
# newline, which `$` accepts, and Python's extra whitespace such as \x1c), range, list rules.
VALUES = [
    "", "x", "ab", "06106", "06106\n", "06106-1234", "0610", "https://example.org/a", "https://example.org/a\n",
    "https://$x", "ftp://example.org", "https:// x", "https://a\x1cb", "19:00", "24:00", "9pm", "US", "us", "CT\n",
    "a@b.co", "a@b", "+1-860-244-3343", "(860) 244-3343 ext. 12", "2026-01-05", "2026-1-5", "12-step", "Bad_Slug",
    "W", "way-too-long-code", "x" * 151, "x" * 201, "x" * 301, "x" * 501, "x" * 5001, "é" * 150, "é" * 151,
    0, 1, -91, 91, 41.5, -180.5, float("nan"), float("inf"), True, False, None,
    [], ["a"], ["a", "a"], ["a", "b"], ["a", 1], [["a"]], [{"a": 1}], [None], [True, 1], {}, {"a": 1},
    {"url": "https://example.org"}, {"day": "monday", "start": "19:00"}, set(), [set()], [set(), set()],
]


def paths(value, path=()):
    """Yield the path of every value inside a document."""
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from paths(child, path + (key,))


def with_value(doc, path, value):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def without(doc, path):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return doc


def variants(full):
    """Yield many documents near a valid one: each value replaced by each of VALUES, or left out."""
    yield full
    for path in list(paths(full))[1:]:
        for value in VALUES:
            yield with_value(full, path, value)
        yield without(full, path)
        if isinstance(path[-1], str):
            yield with_value(full, path[:-1] + ("unknown",), "x")
    for value in VALUES:
        yield value  # not even a mapping


CASES = [("listing.schema.json", FULL_LISTING), ("taxonomy.schema.json", FULL_TAXONOMY),
         ("article.schema.json", FULL_ARTICLE)]


def jsonschema_accepts(name, data):
    return not any(True for _ in schema_check._validator(name).iter_errors(data))


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_schemas_use_the_compiled_validator(name):
    assert fast_validator(name) is not None


@pytest.mark.parametrize("name,full", CASES)
def test_compiled_validator_agrees_with_jsonschema(name, full):
    assert schema_check._is_valid_fast(name, full) and jsonschema_accepts(name, full)
    disagree, checked = [], 0
    for doc in variants(full):
        checked += 1
        if schema_check._is_valid_fast(name, doc) != jsonschema_accepts(name, doc):
            disagree.append(doc)
    assert disagree == []
    assert checked > 500


def problems_from(name, data, fast: bool, monkeypatch) -> tuple[bool, list]:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(schema_check, "_is_valid_fast", lambda schema_name, data: False)
        problems = Problems()
        valid = check_schema(Document(data, {(): 3}), name, "x.yaml", problems)
    return valid, problems.items


@pytest.mark.parametrize("name,full", CASES)
def test_fast_and_slow_paths_report_the_same_problems(name, full, monkeypatch):
    for doc in variants(full):
        fast = problems_from(name, doc, True, monkeypatch)
        assert fast == problems_from(name, doc, False, monkeypatch), doc


def test_invalid_listing_gets_the_jsonschema_messages():
    doc = read_yaml(dedent("""\
        name: X
        kind: local-group
        support_types: [12-step, 12-step]
        summary: A weekly 12-step meeting in downtown Hartford.
        format: in-person
        location:
          postal_code: "6106"
          lat: true
        contact:
          website: ftp://example.org
        last_verified: 2026-01-05
        colour: blue
    """).encode())
    problems = Problems()
    assert check_schema(doc, "listing.schema.json", "x.yaml", problems) is False
    assert [str(p) for p in problems.items] == [
        "x.yaml:12: colour: unknown field 'colour' — use one of: name, kind, support_types, summary, description, "
        "format, serves, also_serves, location, online, contact, organization, …",
        "x.yaml:1: source: is required — write a full web address starting with https:// (or http://)",
        "x.yaml:10: contact.website: 'ftp://example.org' uses the 'ftp:' scheme, which is not allowed — write a "
        "full web address starting with https:// (or http://)",
        "x.yaml:8: location.lat: must be a number, not true (true/false) — give latitude as a number between -90 "
        "and 90, e.g. 41.7637",
        "x.yaml:7: location.postal_code: '6106' is not in the expected form — write a 5-digit ZIP code in quotes, "
        'e.g. postal_code: "06106"',
        "x.yaml:1: name: is 1 characters; it must be at least 2 — give the name as plain text, e.g. name: Recovery "
        "Café",
        "x.yaml:3: support_types: lists the same value more than once — remove the repeat",
    ]


def test_trailing_newline_passes_as_jsonschema_lets_it():
    # Python's `$` matches before a final newline; fastjsonschema's own pattern code would refuse this.
    data = {**FULL_LISTING, "location": {**FULL_LISTING["location"], "postal_code": "06106\n"}}
    assert schema_check._is_valid_fast("listing.schema.json", data)
    assert check_schema(Document(data, {}), "listing.schema.json", "x.yaml", Problems())


def test_checking_leaves_the_document_as_it_was():
    # The schema gives location.country a default; the compiled validator must not write it in.
    data = {**FULL_LISTING, "location": {"city": "Hartford", "region": "CT"}}
    before = copy.deepcopy(data)
    assert check_schema(Document(data, {}), "listing.schema.json", "x.yaml", Problems())
    assert data == before and list(data["location"]) == ["city", "region"]


@pytest.mark.parametrize("schema", [{"type": "string", "format": "email"}, {"enum": ["a", "b"]},
                                    {"anyOf": [{"type": "string"}]}, {"items": [{"type": "string"}]},
                                    {"properties": {"a": True}}, {"$ref": "#/x"}])
def test_keywords_not_checked_against_jsonschema_are_left_to_it(schema):
    with pytest.raises(schema_check._NotFast):
        schema_check._fast_schema(schema, {})


def test_patterns_become_formats_that_search_as_jsonschema_does():
    formats = {}
    fast = schema_check._fast_schema(load_schema("listing.schema.json"), formats)
    website = fast["properties"]["contact"]["properties"]["website"]
    assert "pattern" not in website and website["format"] in formats
    assert formats[website["format"]]("https://example.org/$x\n")


def test_a_word_yaml_reads_as_true_or_false_is_named_with_the_fix():
    """`languages: [en, no]` (Norwegian): YAML reads 'no' as false; 'must be text, not false' alone leaves a
    contributor lost."""
    doc = read_yaml(dedent("""\
        name: Fake Fjord Group
        kind: local-group
        support_types: [12-step]
        summary: A fictional meeting used only by the test suite.
        format: online
        online:
          url: https://example.org/join
        languages: [en, no]
        last_verified: 2026-01-05
        source: https://example.org/
    """).encode())
    problems = Problems()
    assert check_schema(doc, "listing.schema.json", "x.yaml", problems) is False
    assert [str(p) for p in problems.items] == [
        "x.yaml:8: languages[1]: must be text, not false (true/false): YAML reads the words yes, no, on, off, true "
        'and false as true or false — put the word in quotes, e.g. "no"']
