"""The Meeting Guide feed (/api/meetings.json) against the spec's own JSON Schema, and its rules checked directly.

A small fake directory stresses the feed: listing slugs far past the spec's 64 characters (two of them alike
for 200 characters), meetings in six time zones, repeats at one time, hybrid and online listings, every
taxonomy term that carries a Meeting Guide code, and addresses the schema's patterns would refuse as written.

The schema is the code4recovery spec's (schema/feed.schema.json and the files it refers to), read from
../shared/feeds/mg-spec-schema/ beside the repository and never copied into it: those tests skip when the
folder is absent. The rest of this file needs nothing outside the repository, so the feed's guarantees
(slug length, uniqueness and stability, the fields' formats) hold wherever the suite runs.
"""
from __future__ import annotations

import json
import re
import zoneinfo
from pathlib import Path

import pytest
import yaml

from exports_fixture import STANDARDS, load_json, render_exports_site
from generator.exports import meeting_guide
from helpers import new_content, write_listing

SPEC = Path(__file__).resolve().parents[2] / "shared/feeds/mg-spec-schema"
SCHEMA_FILES = ("feed.schema.json", "meeting.schema.json", "meeting-type.schema.json")
BASE_URL = "https://example.org/dir/"

# Two listing slugs of 200 characters that differ only in their last one: cut short, they would collide.
TWIN = "fictional-twin-group-" + "x" * 178
# The spec schema's patterns, written out here so the always-on tests do not lean on the module's copies.
SPEC_PATTERNS = {
    "time": r"([01]?[0-9]|2[0-3]):[0-5][0-9]", "end_time": r"([01]?[0-9]|2[0-3]):[0-5][0-9]",
    "updated": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "state": r"[A-Z]{2}", "postal_code": r"[0-9]{5}",
    "address": r"(?:[0-9]+\s)?[0-9]*\s?[A-Za-z]+(?:\s[A-Za-z]+)*", "city": r"[A-Za-z]+(?:\s[A-Za-z]+)*",
}
URI_FIELDS = ("conference_url", "url", "feedback_url", "entity_website_url")

HARTFORD = "location: {address: 1 Main Street, city: Hartford, region: CT, postal_code: '06103'}"
ZOOM = "online: {url: 'https://example.org/fake/zoom', platform: Zoom}"


def schedule(*meetings: str) -> list[str]:
    """Return the schedule's YAML lines: each meeting given as 'day start[-end] [timezone]'."""
    lines = ["schedule:"]
    for meeting in meetings:
        day, hours, *zone = meeting.split()
        start, _, end = hours.partition("-")
        fields = [f"day: {day}", f"start: '{start}'"] + [f"end: '{end}'" for _ in end[:1]]
        lines.append("  - {" + ", ".join(fields + [f"timezone: {z}" for z in zone]) + "}")
    return lines


def coded_terms(repo_root: Path) -> dict[str, list[str]]:
    """Return the slugs of every taxonomy term with a Meeting Guide code, by listing field."""
    taxonomy = yaml.safe_load((repo_root / "content" / "taxonomy.yaml").read_text(encoding="utf-8"))
    return {field: [t["slug"] for t in taxonomy[section] if t.get("meeting_guide")]
            for section, field in meeting_guide.CODED_FIELDS}


def fake_listing(slug: str, name: str, *meetings: str, fmt: str = "in-person", place: str = HARTFORD,
                 online: str = "", support_types=("mutual-aid",), audience=(), languages=()) -> str:
    """Return the YAML of a fake listing."""
    terms = {"support_types": support_types, "audience": audience, "languages": languages}
    lines = [f"name: {name}", "kind: local-group", f"format: {fmt}", place, online,
             "summary: A fictional meeting made up for the Meeting Guide schema tests, not a real group.",
             *(f"{key}: [{', '.join(slugs)}]" for key, slugs in terms.items() if slugs),
             *schedule(*meetings), "last_verified: 2026-04-01", f"source: https://example.org/fake/{slug}"]
    return "\n".join(line for line in lines if line) + "\n"


def write_stress_listings(content: Path, repo_root: Path) -> None:
    """Write the fake listings that stress the feed."""
    coded = coded_terms(repo_root)
    listings = {
        f"ct/{TWIN}a.yaml": fake_listing(TWIN + "a", "Fake Twin Group A", "monday 19:00", "monday 19:00"),
        f"ct/{TWIN}b.yaml": fake_listing(TWIN + "b", "Fake Twin Group B", "monday 19:00", "wednesday 07:30-08:30"),
        "ct/fake-every-code.yaml": fake_listing(
            "fake-every-code", "Fake Every Code Meeting", "sunday 09:00-10:00", fmt="hybrid", online=ZOOM,
            support_types=coded["support_types"] or ["mutual-aid"], audience=coded["audience"],
            languages=coded["languages"]),
        "online/fake-six-zones.yaml": fake_listing(
            "fake-six-zones", "Fake Six Time Zones Online Meeting", "monday 06:00 America/New_York",
            "tuesday 07:00-08:00 America/Chicago", "wednesday 12:00 America/Denver",
            "thursday 18:15-19:45 America/Phoenix", "friday 23:00-00:30 America/Anchorage",
            "saturday 00:00 Pacific/Honolulu", fmt="online", place="",
            online="online: {url: 'https://example.org/fake/réunion?salle=é', platform: Jitsi}"),
        "nc/fake-awkward-address.yaml": fake_listing(
            "fake-awkward-address", "Fake Awkward Address Meeting", "tuesday 20:00", fmt="hybrid", online=ZOOM,
            place="location: {address: '100 N. Main St., Suite 4', city: Winston-Salem, region: NC, "
                  "postal_code: '27101-1234', lat: 36.0999, lng: -80.2442}"),
        "nm/fake-unplaceable-street.yaml": fake_listing(
            "fake-unplaceable-street", "Fake Calle Meeting", "friday 18:00", support_types=["secular"],
            place="location: {address: 'Calle 5 de Mayo #12', city: Española, region: NM, postal_code: '87532'}"),
    }
    for path, text in listings.items():
        write_listing(content, path, text)


@pytest.fixture(scope="module")
def stress_content(tmp_path_factory, repo_root) -> Path:
    content = new_content(tmp_path_factory.mktemp("mg-stress") / "project")
    write_stress_listings(content, repo_root)
    return content


@pytest.fixture(scope="module")
def feed(stress_content) -> list[dict]:
    return load_json(render_exports_site(stress_content, BASE_URL), meeting_guide.FEED_PATH)


@pytest.fixture(scope="module")
def relative_feed(stress_content) -> list[dict]:
    """The same directory built without an absolute base URL (links are then root-relative)."""
    return load_json(render_exports_site(stress_content, "/dir/"), meeting_guide.FEED_PATH)


# --------------------------------------------------------------------------- the spec's schema


@pytest.fixture(scope="module")
def spec_validator():
    """Return a validator of the spec's feed schema, its references resolved from the spec's folder."""
    if not all((SPEC / name).is_file() for name in SCHEMA_FILES):
        pytest.skip(f"the Meeting Guide spec's schemas are not in {SPEC}")
    from jsonschema import Draft7Validator, FormatChecker
    from referencing import Registry, Resource

    schemas = [json.loads((SPEC / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    return Draft7Validator(schemas[0], registry=registry, format_checker=FormatChecker())


def schema_errors(validator, feed: list[dict]) -> list[str]:
    """Return each schema error as 'meeting slug: field: message'."""
    return [f"{feed[e.absolute_path[0]]['slug'] if e.absolute_path else '(feed)'}: "
            f"{'/'.join(map(str, list(e.absolute_path)[1:]))}: {e.message[:200]}"
            for e in validator.iter_errors(feed)]


def test_the_stress_feed_passes_the_spec_schema(spec_validator, feed, relative_feed):
    assert schema_errors(spec_validator, feed) == []
    assert schema_errors(spec_validator, relative_feed) == []


def test_the_schema_check_catches_what_the_feed_used_to_send(spec_validator, feed):
    # The test is only worth something if the validator refuses the old feed's faults.
    meeting = dict(feed[0])
    for field, bad in (("slug", "x" * 65), ("types", ["AR"]), ("postal_code", "06103-1234"), ("time", "7pm")):
        assert schema_errors(spec_validator, [{**meeting, field: bad}]), field


@pytest.mark.parametrize("built", ["starter_site", "hostile_site"])
def test_built_sites_feeds_pass_the_spec_schema(spec_validator, built, request):
    output: Path = request.getfixturevalue(built)
    feed = json.loads((output / meeting_guide.FEED_PATH).read_text(encoding="utf-8"))
    assert schema_errors(spec_validator, feed) == []


def test_emitted_type_codes_are_in_both_the_schema_and_types_json():
    if not (SPEC / "meeting-type.schema.json").is_file():
        pytest.skip(f"the Meeting Guide spec's schemas are not in {SPEC}")
    schema = json.loads((SPEC / "meeting-type.schema.json").read_text(encoding="utf-8"))
    current = next(choice for choice in schema["items"]["anyOf"] if "Current" in choice.get("$comment", ""))
    assert meeting_guide.SCHEMA_TYPE_CODES == set(current["enum"])
    types = set(json.loads((SPEC / "types.json").read_text(encoding="utf-8")))
    assert meeting_guide.SCHEMA_TYPE_CODES <= types


# --------------------------------------------------------------------------- always on


def test_slugs_are_short_url_safe_and_unique(feed, relative_feed):
    slugs = [m["slug"] for m in feed]
    assert len(feed) == 13 and len(set(slugs)) == len(slugs)
    assert all(len(s) <= 64 and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) for s in slugs)
    assert slugs == [m["slug"] for m in relative_feed]  # the base URL plays no part


def test_long_slugs_keep_the_listing_day_and_time_and_differ_by_hash(feed):
    twins = sorted(m["slug"] for m in feed if m["name"].startswith("Fake Twin Group"))
    assert len(twins) == 4 and all(len(s) == 64 for s in twins)
    assert all(s.startswith("fictional-twin-group-x") for s in twins)
    assert sum("-monday-1900-" in s for s in twins) == 3 and sum("-monday-1900-2-" in s for s in twins) == 1
    assert any("-wednesday-0730-" in s for s in twins)
    short = {m["slug"] for m in feed if m["name"] == "Fake Six Time Zones Online Meeting"}
    assert "fake-six-zones-monday-0600" in short  # short enough: left whole


def test_slugs_are_the_same_in_every_build(stress_content, feed):
    again = load_json(render_exports_site(stress_content, BASE_URL), meeting_guide.FEED_PATH)
    assert [m["slug"] for m in again] == [m["slug"] for m in feed]
    # Pinned: readers bookmark meetings by slug, so the shortening rule itself must never change.
    assert meeting_guide.short_slug(TWIN + "a", "monday-1900") == \
        "fictional-twin-group-" + "x" * 20 + "-monday-1900-e6b0b0c147"
    assert meeting_guide.short_slug("hartford-tuesday", "tuesday-1900") == "hartford-tuesday-tuesday-1900"


def test_a_shortened_slug_never_equals_one_left_whole():
    long_one = meeting_guide.short_slug("a" * 60, "monday-1900")
    assert long_one.endswith(tuple("0123456789abcdef")) and not re.search(r"-\d{4}(-\d+)?$", long_one)
    assert meeting_guide.short_slug("Not_Safe", "monday-1900") != meeting_guide.short_slug("not-safe", "monday-1900")


def test_fields_have_the_spec_formats(feed, relative_feed):
    zones = zoneinfo.available_timezones()
    for meeting in feed + relative_feed:
        assert isinstance(meeting["name"], str) and 0 < len(meeting["name"]) <= 255
        assert type(meeting["day"]) is int and 0 <= meeting["day"] <= 6
        assert meeting["timezone"] in zones
        for field, pattern in SPEC_PATTERNS.items():
            assert field not in meeting or re.fullmatch(pattern, meeting[field]), (field, meeting[field])
        for field in URI_FIELDS:
            assert field not in meeting or re.fullmatch(r"https?://[!#-;=?-\[\]_a-z~]+", meeting[field]), field
        assert "entity_url" not in meeting  # the spec's field is entity_website_url
        assert meeting.get("approximate", "no") in ("yes", "no")
        for axis, limit in (("latitude", 90), ("longitude", 180)):
            assert axis not in meeting or (type(meeting[axis]) is float and abs(meeting[axis]) <= limit)


def test_times_and_zones_of_each_meeting(feed):
    zones = [(m["day"], m["time"], m.get("end_time"), m["timezone"])
             for m in feed if m["name"] == "Fake Six Time Zones Online Meeting"]
    assert zones == [(1, "06:00", None, "America/New_York"), (2, "07:00", "08:00", "America/Chicago"),
                     (3, "12:00", None, "America/Denver"), (4, "18:15", "19:45", "America/Phoenix"),
                     (5, "23:00", "00:30", "America/Anchorage"), (6, "00:00", None, "Pacific/Honolulu")]


def test_online_and_hybrid_meetings(feed):
    online = next(m for m in feed if m["name"] == "Fake Six Time Zones Online Meeting")
    assert online["conference_url"] == "https://example.org/fake/r%C3%A9union?salle=%C3%A9"
    assert online["conference_url_notes"] == "Jitsi"
    assert not {"address", "city", "latitude", "location_notes"} & set(online)
    hybrid = next(m for m in feed if m["name"] == "Fake Every Code Meeting")
    assert hybrid["conference_url"] == "https://example.org/fake/zoom" and hybrid["city"] == "Hartford"
    in_person = next(m for m in feed if m["name"] == "Fake Calle Meeting")
    assert "conference_url" not in in_person


def test_addresses_are_sent_in_forms_the_spec_accepts(feed):
    awkward = next(m for m in feed if m["name"] == "Fake Awkward Address Meeting")
    assert (awkward["address"], awkward["city"], awkward["state"], awkward["postal_code"]) == \
        ("100 N Main St", "Winston Salem", "NC", "27101")
    assert awkward["location_notes"] == "Address: 100 N. Main St., Suite 4"  # the suite is not lost
    assert awkward["approximate"] == "no" and awkward["latitude"] == 36.0999
    calle = next(m for m in feed if m["name"] == "Fake Calle Meeting")
    assert "address" not in calle and calle["city"] == "Espanola" and calle["postal_code"] == "87532"
    assert calle["location_notes"] == "Address: Calle 5 de Mayo #12"
    plain = next(m for m in feed if m["name"] == "Fake Every Code Meeting")
    assert plain["address"] == "1 Main Street" and "location_notes" not in plain


def test_every_coded_term_reaches_the_feed_unless_the_schema_lacks_its_code(feed, repo_root):
    taxonomy = yaml.safe_load((repo_root / "content" / "taxonomy.yaml").read_text(encoding="utf-8"))
    codes = {t["meeting_guide"] for section, _ in meeting_guide.CODED_FIELDS for t in taxonomy[section]
             if t.get("meeting_guide")}
    every = next(m for m in feed if m["name"] == "Fake Every Code Meeting")
    assert every["types"] == sorted(codes & meeting_guide.SCHEMA_TYPE_CODES)
    assert "AR" not in every["types"]  # Arabic: in types.json, not in the schema's enum (see meeting_guide.py)
    standard = set(json.loads((STANDARDS / "meeting-guide" / "types.json").read_text(encoding="utf-8")))
    assert meeting_guide.SCHEMA_TYPE_CODES <= standard
    assert {code for m in feed for code in m["types"]} <= meeting_guide.SCHEMA_TYPE_CODES


def test_links_are_absolute_or_left_out(feed, relative_feed):
    assert all(m["url"].startswith(BASE_URL + "listings/") and m["entity_website_url"] == BASE_URL for m in feed)
    assert not any({"url", "feedback_url", "entity_website_url"} & set(m) for m in relative_feed)
    assert all(m["updated"] == "2026-04-01 00:00:00" for m in feed)
