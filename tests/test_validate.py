"""Validation: one test per class of bad input, asserting the exact `path:line: field: message` that
`build.py check` prints (exit 1, no traceback); then the validate stage's defaults and field names."""
from __future__ import annotations

import datetime
import re

import pytest

from generator.dates import build_date
from generator.errors import Problems, did_you_mean
from generator.pipeline import gather_site
from generator.schema_check import check_schema, field_name
from generator.yamlfile import read_yaml
from helpers import ARTICLE, check_problems, dedent, run_build_py, write_article, write_listing


BAD = "content/listings/ct/bad.yaml"

# A minimal valid listing, line by line (check does not render, so optional fields can stay out).
GOOD = dedent("""\
    name: Hartford Tuesday Group
    kind: local-group
    support_types: [12-step]
    summary: A weekly 12-step meeting in downtown Hartford.
    format: in-person
    location:
      city: Hartford
      region: CT
    last_verified: 2026-01-05
    source: https://example.org/hartford
""")


def good_with(**changes: str) -> str:
    """Return GOOD with whole lines replaced: good_with(kind="kind: x") keeps every line number."""
    lines = GOOD.splitlines()
    for key, new in changes.items():
        index = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{key}:"))
        lines[index] = new
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- reading the file


def test_malformed_yaml(project, content):
    write_listing(content, "ct/bad.yaml", good_with(summary="summary: Meets: on Tuesdays"))
    [line] = check_problems(project)
    assert line.startswith(f"{BAD}:4: (file): YAML syntax error: mapping values are not allowed")
    assert line.endswith("— check indentation, and quote text that contains ': ' or starts with a special character")


def test_unclosed_quote_points_at_where_it_started(project, content):
    write_listing(content, "ct/bad.yaml", good_with(summary='summary: "A weekly meeting'))
    [line] = check_problems(project)
    assert line.startswith(f"{BAD}:")
    assert "YAML syntax error" in line and "started on line 4" in line


def test_tab_indentation(project, content):
    write_listing(content, "ct/bad.yaml", good_with(city="\tcity: Hartford"))
    assert check_problems(project) == [
        f"{BAD}:7: (file): tab character used for indentation — indent with spaces (two per level)"]


def test_duplicate_keys(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + "name: Another Name\n")
    assert check_problems(project) == [f"{BAD}:11: (file): duplicate field 'name' (first given on line 1) — keep one"]


BILLION_LAUGHS = """\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_quickly(project, content):
    write_listing(content, "ct/bad.yaml", BILLION_LAUGHS)
    assert check_problems(project, timeout=20) == [
        f"{BAD}:2: (file): YAML anchors and aliases (&name / *name) are not allowed — write each value out in full"]


def test_non_utf8_bytes(project, content):
    write_listing(content, "ct/bad.yaml", good_with(summary="summary: A weekly meeting at the Caf\udce9.")
                  .encode("utf-8", "surrogateescape"))
    assert check_problems(project) == [f"{BAD}:4: (file): byte 0xe9 is not UTF-8 — save the file as UTF-8 "
                                       "(in most editors: Save with Encoding → UTF-8)"]


@pytest.mark.parametrize("text", ["", "# a listing will go here\n"], ids=["empty", "comment-only"])
def test_empty_file(project, content, text):
    write_listing(content, "ct/bad.yaml", text)
    assert check_problems(project) == [
        f"{BAD}:1: (file): the file is empty — fill it in, or delete it if it is not needed"]


def test_list_at_top_level(project, content):
    write_listing(content, "ct/bad.yaml", "- name: One\n- name: Two\n")
    assert check_problems(project) == [f"{BAD}:1: (file): expected fields (name: value lines), found a list — "
                                       "write one field per line, like 'name: ...'"]


def test_list_where_a_mapping_belongs(project, content):
    text = good_with(location="location: [Hartford, CT]", city="", region="")
    write_listing(content, "ct/bad.yaml", text)
    assert f"{BAD}:6: location: must be fields on their own lines, not a list — give location as fields on " \
           "their own lines, e.g. city: Hartford and region: CT" in check_problems(project)


# --------------------------------------------------------------------------- the schema


@pytest.mark.parametrize("change, expected", [
    ({"support_types": "support_types: 12-step"},
     "3: support_types: must be a list, not '12-step' — list one or more support types, "
     "e.g. support_types: [mutual-aid]"),
    ({"region": '  region: CT\n  lat: "north"\n  lng: -72.68'},
     "9: location.lat: must be a number, not 'north' — give latitude as a number between -90 and 90, "
     "e.g. 41.7637"),
    ({"name": "name: 42"}, "1: name: must be text, not the number 42 — give the name as plain text, "
                           "e.g. name: Recovery Café"),
], ids=["string-for-list", "text-for-number", "number-for-text"])
def test_wrong_types(project, content, change, expected):
    write_listing(content, "ct/bad.yaml", good_with(**change))
    assert check_problems(project) == [f"{BAD}:{expected}"]


@pytest.mark.parametrize("coordinates, expected", [
    ("  lat: 123\n  lng: -72.68", "9: location.lat: 123 is out of range — give latitude as a number between "
                                  "-90 and 90, e.g. 41.7637"),
    ("  lat: 41.76\n  lng: -200", "10: location.lng: -200 is out of range — give longitude as a number between "
                                  "-180 and 180, e.g. -72.6851"),
], ids=["lat", "lng"])
def test_out_of_range_coordinates(project, content, coordinates, expected):
    write_listing(content, "ct/bad.yaml", good_with(region="  region: CT\n" + coordinates))
    assert check_problems(project) == [f"{BAD}:{expected}"]


def test_disallowed_url_schemes(project, content):
    write_listing(content, "ct/bad.yaml", good_with(source="source: javascript:alert(1)")
                  + "contact:\n  website: ftp://example.org/files\n")
    fix = "write a full web address starting with https:// (or http://)"
    assert check_problems(project) == [
        f"{BAD}:10: source: 'javascript:alert(1)' uses the 'javascript:' scheme, which is not allowed — {fix}",
        f"{BAD}:12: contact.website: 'ftp://example.org/files' uses the 'ftp:' scheme, which is not allowed — {fix}",
    ]


def test_unknown_field_with_did_you_mean(project, content):
    write_listing(content, "ct/bad.yaml", good_with(support_types="suport_types: [12-step]"))
    assert f"{BAD}:3: suport_types: unknown field 'suport_types' — did you mean 'support_types'?" \
        in check_problems(project)


REQUIRED = ("kind", "support_types", "summary", "format", "last_verified", "source")


def test_missing_required_fields_are_each_named(project, content):
    write_listing(content, "ct/bad.yaml", "name: Only A Name\n")
    lines = check_problems(project)
    for name in REQUIRED:
        assert any(line.startswith(f"{BAD}:1: {name}: is required — ") for line in lines), name
    assert f"{BAD}:1: source: is required — write a full web address starting with https:// (or http://)" in lines


def test_missing_required_fields_are_each_named_once(project, content):
    write_listing(content, "ct/bad.yaml", "name: Only A Name\n")
    assert sorted(line.split(": ")[1] for line in check_problems(project)) == sorted(REQUIRED)


def test_summary_over_200_characters(project, content):
    write_listing(content, "ct/bad.yaml", good_with(summary="summary: " + "x" * 201))
    assert check_problems(project) == [f"{BAD}:4: summary: is 201 characters; it must be at most 200 — write one "
                                       "sentence of at most 200 characters; put more in description"]


# --------------------------------------------------------------------------- vocabulary


def test_unknown_support_type_with_did_you_mean(project, content):
    write_listing(content, "ct/bad.yaml", good_with(support_types="support_types: [mutual-aid, 12step]"))
    assert check_problems(project) == [
        f"{BAD}:3: support_types[1]: unknown support type '12step' — did you mean '12-step'?"]


def test_unknown_region_by_its_name(project, content):
    write_listing(content, "ct/bad.yaml", good_with(region="  region: Connecticut"))
    assert check_problems(project) == [f"{BAD}:8: location.region: unknown region 'Connecticut' — did you mean 'CT'?"]


def test_lowercase_region_hint(project, content):
    write_listing(content, "ct/bad.yaml", good_with(region="  region: ct"))
    [line] = check_problems(project)
    assert line.startswith(f"{BAD}:8: location.region: unknown region 'ct' — did you mean 'CT'?")
    assert "lowercase" not in line


def test_unknown_vocabulary_in_every_section(project, content):
    write_listing(content, "ct/bad.yaml", good_with(kind="kind: local-grup")
                  + "audience: [everyone]\nlanguages: [en, Spanish]\ncost: gratis\n")
    assert check_problems(project) == [
        f"{BAD}:2: kind: unknown kind 'local-grup' — did you mean 'local-group'?",
        f"{BAD}:11: audience[0]: unknown audience 'everyone' — use one of: adults, young-people, families, women, "
        "men, lgbtq, veterans, indigenous, people-in-justice-system, peer-workers",
        f"{BAD}:12: languages[1]: unknown language 'Spanish' — use one of: en, es, fr, pt, zh, vi, ko, tl, ru, ar, "
        "ht, de, …",
        f"{BAD}:13: cost: unknown cost 'gratis' — use one of: free, donation, fee, insurance",
    ]


# --------------------------------------------------------------------------- rules across fields


def test_in_person_without_city_or_region(project, content):
    write_listing(content, "ct/bad.yaml", good_with(location="", city="", region=""))
    rest = "under location, or set format: online if it only meets online"
    assert check_problems(project) == [
        f"{BAD}:5: location.city: is required for in-person listings — add 'city:' {rest}, "
        "or serves: statewide if it serves a whole state",
        f"{BAD}:5: location.region: is required for in-person listings — add 'region:' {rest}",
    ]


def test_hybrid_without_region(project, content):
    write_listing(content, "ct/bad.yaml", good_with(format="format: hybrid", region="online:\n  url: https://e.org/"))
    assert check_problems(project) == [
        f"{BAD}:6: location.region: is required for hybrid listings — add 'region:' under location, "
        "or set format: online if it only meets online"]


def test_online_without_online_url(project, content):
    write_listing(content, "ct/bad.yaml", good_with(format="format: online"))
    assert check_problems(project) == [
        f"{BAD}:5: online.url: is required for online listings — add an 'online:' section with "
        "'url: https://…' where people join"]


def test_online_section_without_url(project, content):
    write_listing(content, "ct/bad.yaml", good_with(format="format: online") + "online:\n  platform: Zoom\n")
    assert check_problems(project) == [
        f"{BAD}:11: online.url: is required — write a full web address starting with https:// (or http://)"]


def test_lat_without_lng(project, content):
    write_listing(content, "ct/bad.yaml", good_with(region="  region: CT\n  lat: 41.76"))
    assert check_problems(project) == [
        f"{BAD}:6: location: give both lat and lng, or neither — the build places listings without them by "
        "postal code"]


def test_last_verified_in_the_future(project, content):
    write_listing(content, "ct/bad.yaml", good_with(last_verified="last_verified: 2099-01-01"))
    assert check_problems(project) == [
        f"{BAD}:9: last_verified: 2099-01-01 is in the future — use the date you checked the facts"]


def test_last_verified_tomorrow_is_in_the_future(project, content):
    tomorrow = (build_date() + datetime.timedelta(days=1)).isoformat()  # the project's pinned today, plus one
    write_listing(content, "ct/bad.yaml", good_with(last_verified=f"last_verified: {tomorrow}"))
    assert check_problems(project) == [f"{BAD}:9: last_verified: {tomorrow} is in the future — use the date you "
                                       "checked the facts"]


def test_impossible_date(project, content):
    write_listing(content, "ct/bad.yaml", good_with(last_verified="last_verified: 2026-02-30"))
    [line] = check_problems(project)
    assert line.startswith(f"{BAD}:9: last_verified: '2026-02-30' is not a real date — write it as YYYY-MM-DD")


def test_badly_formed_date(project, content):
    write_listing(content, "ct/bad.yaml", good_with(last_verified="last_verified: 5 Jan 2026"))
    assert check_problems(project) == [
        f"{BAD}:9: last_verified: '5 Jan 2026' is not in the expected form — write the date you checked the "
        "facts as YYYY-MM-DD, e.g. last_verified: 2026-11-21"]


def test_bad_schedule(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + dedent("""\
        schedule:
          - day: mon
            start: 7pm
            timezone: America/New_Yrok
          - day: friday
            start: "19:00"
            timezone: Moon/Tranquility
    """))
    lines = check_problems(project)
    assert lines[:3] == [
        f"{BAD}:12: schedule[0].day: unknown day 'mon' — did you mean 'monday'?",
        f"{BAD}:13: schedule[0].start: '7pm' is not in the expected form — write a 24-hour time in quotes, "
        "e.g. start: \"19:00\"",
        f"{BAD}:14: schedule[0].timezone: unknown timezone 'America/New_Yrok' — did you mean 'America/New_York'?",
    ]
    assert len(lines) == 4
    assert lines[3].startswith(f"{BAD}:17: schedule[1].timezone: unknown timezone 'Moon/Tranquility' — ")


def test_unquoted_time_is_explained(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + "schedule:\n  - day: monday\n    start: 19:00\n")
    [line] = check_problems(project)
    assert line.startswith(f"{BAD}:13: schedule[0].start: must be text, not the number 1140 — ")
    assert 'in quotes, e.g. start: "19:00"' in line


# --------------------------------------------------------------------------- files and slugs


def test_bad_file_name(project, content):
    write_listing(content, "ct/My Group.yaml", GOOD)
    assert check_problems(project) == [
        "content/listings/ct/My Group.yaml:1: (file name): 'My Group' cannot be a web address — rename the file to "
        "'my-group.yaml' (lowercase letters, digits, hyphens)"]


ONLINE = good_with(format="format: online", location="online:", city="  url: https://example.org/join", region="")


def test_duplicate_slug_in_two_folders(project, content):
    write_listing(content, "ct/hartford-group.yaml", ONLINE)
    write_listing(content, "ma/hartford-group.yaml", ONLINE)
    assert check_problems(project) == [
        "content/listings/ma/hartford-group.yaml:1: (file name): the listing slug 'hartford-group' is already used "
        "by content/listings/ct/hartford-group.yaml — rename one of the two files"]


# --------------------------------------------------------------------------- articles


def test_article_without_front_matter(project, content):
    write_article(content, "no-fences.md", "title: Hello there\n\nSome text.\n")
    assert check_problems(project) == [
        "content/articles/no-fences.md:1: (front matter): missing front matter — start the file with a '---' line, "
        "then title:, summary:, date:, then another '---' line"]


def test_article_without_title(project, content):
    write_article(content, "no-title.md", "---\nsummary: A summary long enough.\ndate: 2026-01-02\n---\nText.\n")
    assert check_problems(project) == [
        "content/articles/no-title.md:2: title: is required — give the article's title as text, "
        "e.g. title: Coping with cravings"]


def test_article_with_unknown_support_type(project, content):
    write_article(content, "bad-type.md", dedent(ARTICLE).replace("[12-step, family-support]", "[12-step, 12step]"))
    assert check_problems(project) == [
        "content/articles/bad-type.md:5: support_types[1]: unknown support type '12step' — did you mean '12-step'?"]


def test_article_with_broken_yaml(project, content):
    write_article(content, "broken.md", "---\ntitle: Broken\nsummary: [unclosed\ndate: 2026-01-02\n---\nText.\n")
    [line] = check_problems(project)
    assert re.match(r"content/articles/broken\.md:[34]: \(front matter\): YAML syntax error: ", line), line


def test_article_with_impossible_date(project, content):
    write_article(content, "bad-date.md", dedent(ARTICLE).replace("2026-04-01", "2026-02-30"))
    assert check_problems(project) == [
        "content/articles/bad-date.md:4: date: '2026-02-30' is not a real date — write it as YYYY-MM-DD"]


def test_article_with_windows_line_endings(project, content):
    write_article(content, "windows.md", dedent(ARTICLE).replace("\n", "\r\n").encode())
    result = run_build_py("check", "--content", "content", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")


def test_yaml_tag_is_a_problem_not_a_crash(project, content):
    write_listing(content, "ct/bad.yaml", good_with(name="name: !!int abc"))
    [line] = check_problems(project)
    assert line.startswith(f"{BAD}:1: ")


# --------------------------------------------------------------------------- many problems at once


def test_every_problem_is_reported_in_one_run_sorted_by_path_then_line(project, content):
    write_listing(content, "ma/zeta.yaml", good_with(support_types="support_types: [12step]",
                                                    last_verified="last_verified: 2099-01-01"))
    write_listing(content, "ct/alpha.yaml", "- a list\n")
    write_listing(content, "ct/beta.yaml", good_with(city="\tcity: Hartford"))
    write_listing(content, "ct/gamma.yaml", good_with(source="source: ftp://example.org/", summary="summary: short"))
    write_listing(content, "ct/fine.yaml", ONLINE)
    write_article(content, "no-fences.md", "Just text.\n")
    lines = check_problems(project)
    assert [line.split(": ")[0] for line in lines] == [
        "content/articles/no-fences.md:1",
        "content/listings/ct/alpha.yaml:1",
        "content/listings/ct/beta.yaml:7",
        "content/listings/ct/gamma.yaml:4",
        "content/listings/ct/gamma.yaml:10",
        "content/listings/ma/zeta.yaml:3",
        "content/listings/ma/zeta.yaml:9",
    ]
    keys = [(m["path"], int(m["line"])) for m in (re.match(r"(?P<path>[^:]+):(?P<line>\d+):", l) for l in lines)]
    assert keys == sorted(keys)


# --------------------------------------------------------------------------- stages, in process


def test_field_names():
    assert field_name(("schedule", 0, "start")) == "schedule[0].start"
    assert field_name(("location", "city")) == "location.city"
    assert field_name(("support_types", 2)) == "support_types[2]"
    assert field_name(()) == "(file)"


def test_check_schema_names_nested_fields_and_lines():
    doc = read_yaml((GOOD + dedent("""\
        schedule:
          - day: monday
            start: "19:00"
          - day: friday
            start: "9pm"
            colour: blue
    """)).encode())
    problems = Problems()
    assert check_schema(doc, "listing.schema.json", "x.yaml", problems) is False
    found = {(p.line, p.field): p.message for p in problems.items}
    assert sorted(found) == [(15, "schedule[1].start"), (16, "schedule[1].colour")]
    assert found[16, "schedule[1].colour"] == "unknown field 'colour' — use one of: day, start, end, timezone, notes, name, types, format"


def test_did_you_mean():
    choices = ["12-step", "mutual-aid", "secular"]
    assert did_you_mean("12step", choices) == " — did you mean '12-step'?"
    assert did_you_mean("Secular", choices) == " — did you mean 'secular'? (slugs are lowercase)"
    assert did_you_mean("zzz", choices) == " — use one of: 12-step, mutual-aid, secular"


def gather(content):
    result = gather_site(content)
    assert result.problems == []
    return result.site


def test_defaults_country_and_schedule_timezone(content):
    write_listing(content, "ca/la-group.yaml", good_with(city="  city: Los Angeles", region="  region: CA") + dedent("""\
        schedule:
          - day: Thursday
            start: "19:00"
          - day: monday
            start: "18:00"
            timezone: America/Chicago
          - day: sunday
            start: "10:00"
          - day: monday
            start: "07:30"
    """))
    [listing] = gather(content).listings
    assert listing.location == {"city": "Los Angeles", "region": "CA", "country": "US"}
    assert [(m.day, m.start, m.timezone) for m in listing.schedule] == [
        ("sunday", "10:00", "America/Los_Angeles"),
        ("monday", "07:30", "America/Los_Angeles"),
        ("monday", "18:00", "America/Chicago"),
        ("thursday", "19:00", "America/Los_Angeles"),
    ]


def test_listing_values(content):
    write_listing(content, "ct/hartford.yaml", good_with(name="name: '  Hartford Tuesday Group  '"))
    [listing] = gather(content).listings
    assert listing.slug == "hartford"
    assert listing.name == "Hartford Tuesday Group"
    assert listing.last_verified == datetime.date(2026, 1, 5)
    assert listing.support_types == ("12-step",)
    assert listing.url == "/listings/hartford/"
    assert listing.place == "Hartford, CT"


def test_listings_sorted_by_name_and_articles_newest_first(sample_content):
    site = gather(sample_content)
    assert [l.name for l in site.listings] == ["Anytime Online Recovery Forum", "Bay Area Family Circle",
                                              "Hartford Tuesday Night Group"]
    assert [a.slug for a in site.articles] == ["finding-a-group", "first-meeting"]


def test_listing_with_errors_is_left_out_but_others_kept(content):
    write_listing(content, "ct/good.yaml", GOOD)
    write_listing(content, "ct/bad.yaml", good_with(kind="kind: nope"))
    result = gather_site(content)
    assert [l.slug for l in result.site.listings] == ["good"]
    assert [p.field for p in result.errors] == ["kind"]


def test_a_taxonomy_section_with_too_many_terms_for_the_filters(project):
    taxonomy = project / "content" / "taxonomy.yaml"
    extra = "".join(f"  - slug: fake-language-{i}\n    label: Fake {i}\n    description: A made-up language.\n"
                    for i in range(20))
    text = taxonomy.read_text()
    taxonomy.write_text(text.replace("\n# What taking part costs.", extra + "\n# What taking part costs.", 1))
    result = run_build_py("check", "--content", "content", cwd=project)
    assert result.returncode == 1
    assert "languages: has 34 terms; the directory's filters handle at most 31 per section" in result.stderr


@pytest.mark.parametrize("value, kept", [
    ("corrections@example.org", "corrections@example.org"),
    ("  mailto:corrections@example.org ", "corrections@example.org"),
    ("https://example.org/contact?about=listings", "https://example.org/contact?about=listings"),
    ("http://example.org/contact", ""), ("example.org/contact", ""), ("corrections at example.org", ""),
    ("a@b@example.org", ""), ("https://", ""),
])
def test_the_contact_setting_is_an_email_address_or_an_https_page(value, kept):
    from generator.validate import contact_address

    assert contact_address(value) == kept


@pytest.mark.parametrize("line, expected", [
    # The values right, the brackets missing: one line, with the fix in their own words.
    ("support_types: 12-step, family-support",
     ["support_types: must be a list, not '12-step, family-support' — put the values in square brackets: "
      "[12-step, family-support]"]),
    # One of them misspelled is named itself (not 'family-support' offered for the whole, which drops 12-step).
    ("support_types: 12-step, family-suport",
     ["support_types: must be a list, not '12-step, family-suport' — put the values in square brackets: "
      "[12-step, family-suport]",
      "support_types: unknown support type 'family-suport' — did you mean 'family-support'?"]),
])
def test_a_list_written_without_its_brackets(project, content, line, expected):
    write_listing(content, "ct/group.yaml", good_with(support_types=line))
    assert check_problems(project) == [f"content/listings/ct/group.yaml:3: {problem}" for problem in expected]
