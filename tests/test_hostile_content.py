"""Values that would break the site for everyone get a `path:line: field: message` from `check` (never a
traceback, never an invalid file): numbers that are not finite, control characters anywhere, and line
breaks or tabs where a single line is expected. Odd files under content/: test_content_files.py."""
from __future__ import annotations

import pytest

from helpers import check_problems, dedent, run_build_py, write_article, write_file, write_listing
from test_validate import BAD, GOOD, good_with

LAT_FIX = "give latitude as a number between -90 and 90, e.g. 41.7637"
LNG_FIX = "give longitude as a number between -180 and 180, e.g. -72.6851"
ESCAPE_FIX = "which cannot be published — remove it (in double quotes, look for a backslash escape such as \\x01 or \\u2028)"
RAW_FIX = "which cannot be published — delete it (most editors do not show it)"


def with_coordinates(lat: str, lng: str = "-72.68") -> str:
    return good_with(region=f"  region: CT\n  lat: {lat}\n  lng: {lng}")


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("lat, spelled", [(".nan", ".nan"), (".NaN", ".nan"), (".inf", ".inf"), ("-.Inf", "-.inf"),
                                          ("+.inf", ".inf"), ("1.0e+400", ".inf")])
def test_numbers_that_are_not_finite(project, content, lat, spelled):
    write_listing(content, "ct/bad.yaml", with_coordinates(lat))
    assert check_problems(project) == [f"{BAD}:9: location.lat: {spelled} is not a number — {LAT_FIX}"]


def test_not_a_number_in_both_coordinates(project, content):
    write_listing(content, "ct/bad.yaml", with_coordinates(".nan", "-.inf"))
    assert check_problems(project) == [f"{BAD}:9: location.lat: .nan is not a number — {LAT_FIX}",
                                       f"{BAD}:10: location.lng: -.inf is not a number — {LNG_FIX}"]


def test_not_a_number_where_text_belongs_is_a_type_error(project, content):
    write_listing(content, "ct/bad.yaml", good_with(city="  city: .nan"))
    assert check_problems(project) == [
        f"{BAD}:7: location.city: must be text, not the number nan — write the city as text, e.g. city: Hartford"]


# --------------------------------------------------------------------------- characters in the file itself


@pytest.mark.parametrize("char, name", [
    ("\x00", "the null character U+0000"), ("\x01", "the control character U+0001"),
    ("\x1b", "the control character U+001B"), ("\x7f", "the delete character U+007F"),
    ("\x80", "the control character U+0080"), ("\x85", "the next-line character U+0085"),
    ("\x9f", "the control character U+009F"), ("\u2028", "the line separator U+2028"),
    ("\u2029", "the paragraph separator U+2029"), ("\ufffe", "the noncharacter U+FFFE"),
    ("\uffff", "the noncharacter U+FFFF"),
], ids=["nul", "soh", "esc", "del", "c1", "nel", "apc", "ls", "ps", "fffe", "ffff"])
def test_a_raw_control_character_in_a_listing_file(project, content, char, name):
    write_listing(content, "ct/bad.yaml", good_with(city=f"  city: Hart{char}ford"))
    assert check_problems(project) == [f"{BAD}:7: (file): contains {name} at column 13, {RAW_FIX}"]


def test_a_carriage_return_alone(project, content):
    write_listing(content, "ct/bad.yaml", GOOD.replace("Hartford Tuesday Group\n", "Hartford\rTuesday Group\n"))
    assert check_problems(project) == [
        f"{BAD}:1: (file): a carriage return (U+000D) without a line feed at column 15 — save the file with ordinary "
        "line endings (LF, or CRLF on Windows)"]


def test_windows_line_endings_are_fine(project, content):
    write_listing(content, "ct/good.yaml", GOOD.replace("\n", "\r\n").encode())
    assert run_build_py("check", "--content", "content", cwd=project).returncode == 0


def test_a_control_character_in_a_field_name(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + "no\x07te: x\n")
    assert check_problems(project) == [f"{BAD}:11: (file): contains the control character U+0007 at column 3, {RAW_FIX}"]


# --------------------------------------------------------------------------- characters made by escapes


@pytest.mark.parametrize("escape, name", [
    ("\\0", "the null character U+0000"), ("\\x01", "the control character U+0001"),
    ("\\e", "the control character U+001B"), ("\\x7f", "the delete character U+007F"),
    ("\\x85", "the next-line character U+0085"), ("\\N", "the next-line character U+0085"),
    ("\\u2028", "the line separator U+2028"), ("\\L", "the line separator U+2028"),
    ("\\P", "the paragraph separator U+2029"), ("\\ufffe", "the noncharacter U+FFFE"),
    ("\\ufdd0", "the noncharacter U+FDD0"), ("\\U0001FFFF", "the noncharacter U+1FFFF"),
    ("\\r", "the carriage return U+000D"),
], ids=["0", "x01", "e", "x7f", "x85", "N", "u2028", "L", "P", "ufffe", "ufdd0", "U1ffff", "r"])
def test_an_escaped_control_character_in_a_single_line_field(project, content, escape, name):
    write_listing(content, "ct/bad.yaml", good_with(name=f'name: "Hartford{escape} Group"'))
    assert check_problems(project) == [f"{BAD}:1: name: contains {name}, {ESCAPE_FIX}"]


@pytest.mark.parametrize("field, line, text", [
    ("summary", 4, 'summary: "A weekly meeting\\f in downtown Hartford."'),
    ("location.city", 7, '  city: "Hart\\x1bford"'),
    ("source", 10, 'source: "https://example.org/\\x00"'),
])
def test_escapes_in_other_fields(project, content, field, line, text):
    write_listing(content, "ct/bad.yaml", good_with(**{field.split(".")[-1]: text}))
    [problem] = check_problems(project)
    assert problem.startswith(f"{BAD}:{line}: {field}: contains the ")


def test_an_escaped_control_character_in_the_description(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + 'description: "First line.\\n\\nSecond\\x0c line."\n')
    assert check_problems(project) == [f"{BAD}:11: description: contains the control character U+000C, {ESCAPE_FIX}"]


def test_an_escaped_control_character_in_a_list_and_a_meeting(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + 'credentials: ["CPS\\a"]\nschedule:\n  - day: monday\n'
                                                 '    start: "19:00"\n    notes: "Room\\x02 B"\n')
    assert check_problems(project) == [
        f"{BAD}:11: credentials[0]: contains the control character U+0007, {ESCAPE_FIX}",
        f"{BAD}:15: schedule[0].notes: contains the control character U+0002, {ESCAPE_FIX}"]


def test_an_escaped_control_character_in_a_field_name(project, content):
    write_listing(content, "ct/bad.yaml", GOOD + '"no\\x1bte": x\n')
    lines = check_problems(project)
    assert f"{BAD}:11: no\\x1bte: the field name contains the control character U+001B — retype the field name" in lines
    assert all("\x1b" not in line for line in lines)  # the schema's "unknown field" is printed safely too


def test_values_echoed_in_messages_cannot_reach_the_terminal(project, content):
    write_listing(content, "ct/bad.yaml", good_with(region='  region: "C\\e[31mT"'))
    assert check_problems(project) == [
        f"{BAD}:8: location.region: contains the control character U+001B, {ESCAPE_FIX}",
        f"{BAD}:8: location.region: unknown region 'C\\x1b[31mT' — use one of: AL, AK, AZ, AR, CA, CO, CT, DE, DC, FL, "
        "GA, HI, …"]


# --------------------------------------------------------------------------- line breaks and tabs


@pytest.mark.parametrize("change, line, field", [
    ({"name": 'name: "Hartford\\nTuesday Group"'}, 1, "name"),
    ({"summary": "summary: |\n  A weekly meeting.\n  In Hartford."}, 4, "summary"),
    ({"summary": "summary: A weekly meeting\n\n  in downtown Hartford."}, 4, "summary"),
    ({"city": '  city: "Hart\\nford"'}, 7, "location.city"),
], ids=["escape", "literal-block", "blank-line", "city"])
def test_a_line_break_in_a_single_line_field(project, content, change, line, field):
    write_listing(content, "ct/bad.yaml", good_with(**change))
    assert check_problems(project) == [
        f"{BAD}:{line}: {field}: has a line break, but must be a single line — join the lines into one"]


@pytest.mark.parametrize("change, line, field", [
    ({"summary": "summary: >\n  A weekly meeting in downtown Hartford."}, 4, "summary"),
    ({"city": "  city: |\n    Hartford"}, 7, "location.city"),
    ({"source": 'source: "https://example.org/hartford\\n"'}, 10, "source"),
], ids=["folded", "literal", "url"])
def test_a_line_break_at_the_end_of_a_single_line_field(project, content, change, line, field):
    write_listing(content, "ct/bad.yaml", good_with(**change))
    assert check_problems(project) == [
        f"{BAD}:{line}: {field}: ends with a line break, but must be a single line — write the text on the same line "
        "as the field name, or use '>-' instead of '>' or '|'"]


def test_a_line_break_after_a_zip_code_the_pattern_let_through(project, content):
    write_listing(content, "ct/bad.yaml", good_with(region='  region: CT\n  postal_code: "06103\\n"'))
    assert check_problems(project) == [
        f"{BAD}:9: location.postal_code: ends with a line break, but must be a single line — write the text on the "
        "same line as the field name, or use '>-' instead of '>' or '|'"]


def test_folded_lines_without_a_blank_line_are_one_line(project, content):
    write_listing(content, "ct/good.yaml", good_with(summary="summary: >-\n  A weekly meeting\n  in Hartford."))
    assert run_build_py("check", "--content", "content", cwd=project).returncode == 0


def test_a_tab_in_a_single_line_field(project, content):
    write_listing(content, "ct/bad.yaml", good_with(name='name: "Hartford\\tTuesday Group"'))
    assert check_problems(project) == [f"{BAD}:1: name: contains a tab character — use a space instead"]


def test_line_breaks_and_tabs_in_the_description_are_fine(project, content):
    write_listing(content, "ct/good.yaml", GOOD + "description: |\n  First paragraph.\n\n  Text\twith\ttabs.\n")
    assert run_build_py("check", "--content", "content", cwd=project).returncode == 0


@pytest.mark.parametrize("value", ['"   "', '"\\u00a0\\u00a0 "'], ids=["spaces", "no-break-spaces"])
def test_a_name_that_is_only_spaces(project, content, value):
    write_listing(content, "ct/bad.yaml", good_with(name=f"name: {value}"))
    assert check_problems(project) == [
        f"{BAD}:1: name: is only spaces — fill it in (or leave the field out, if it is optional)"]


# --------------------------------------------------------------------------- articles, taxonomy, settings


ARTICLE = dedent("""\
    ---
    title: Finding a group that fits
    summary: How to try a few groups and keep going with the one that feels right.
    date: 2026-04-01
    ---

    Try a few meetings before you decide.
""")


def test_a_control_character_in_an_article_body(project, content):
    write_article(content, "bad.md", ARTICLE + "\nA page break\x0c here.\n")
    assert check_problems(project) == [
        f"content/articles/bad.md:9: (file): contains the control character U+000C at column 13, {RAW_FIX}"]


@pytest.mark.parametrize("char, name", [("\u2028", "the line separator U+2028"), ("\x85", "the next-line character U+0085"),
                                        ("\ufdd0", "the noncharacter U+FDD0"), ("\U0010fffe", "the noncharacter U+10FFFE")])
def test_odd_characters_in_an_article_body(project, content, char, name):
    write_article(content, "bad.md", ARTICLE.replace("before you", f"before{char} you"))
    assert check_problems(project) == [f"content/articles/bad.md:7: (file): contains {name} at column 26, {RAW_FIX}"]


def test_tabs_in_an_article_body_are_fine(project, content):
    write_article(content, "good.md", ARTICLE + "\n\tcode\twith tabs\n")
    assert run_build_py("check", "--content", "content", cwd=project).returncode == 0


def test_escapes_and_line_breaks_in_article_front_matter(project, content):
    write_article(content, "bad.md", ARTICLE.replace("title: Finding a group that fits",
                                                     'title: "Finding\\x08 a group"\ntags: ["a\\nb"]'))
    assert check_problems(project) == [
        f"content/articles/bad.md:2: title: contains the control character U+0008, {ESCAPE_FIX}",
        "content/articles/bad.md:3: tags[0]: 'a\\nb' is not in the expected form — see this field's description in "
        "generator/schema/",
        "content/articles/bad.md:3: tags[0]: has a line break, but must be a single line — join the lines into one"]


def test_a_control_character_in_the_taxonomy(project, content):
    path = content / "taxonomy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("label: Local group", 'label: "Local\\x1f group"', 1),
                    encoding="utf-8")
    [problem] = check_problems(project)
    assert problem.startswith("content/taxonomy.yaml:")
    assert problem.endswith(f": kinds[0].label: contains the control character U+001F, {ESCAPE_FIX}")


def test_a_control_character_or_a_line_break_in_the_site_settings(project, content):
    write_file(content / "site.yaml", 'title: "Peer\\x07 Support"\ntagline: "Find\\nsupport"\ncontact: a@example.org\n')
    assert check_problems(project) == [
        f"content/site.yaml:1: title: contains the control character U+0007, {ESCAPE_FIX}",
        "content/site.yaml:2: tagline: has a line break, but must be a single line — join the lines into one"]
