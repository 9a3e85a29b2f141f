"""yamlfile: strict YAML reading with the line of every value."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.errors import Problems
from generator.load import load_yaml_file
from generator.yamlfile import MAX_BYTES, MAX_DEPTH, YamlProblem, parse_text, read_yaml
from helpers import dedent

LISTING = dedent("""\
    name: Hartford Group
    support_types:
      - 12-step
      - mutual-aid
    location:
      city: Hartford
      region: CT
    schedule:
      - day: monday
        start: "19:00"
    last_verified: 2026-01-05
""")


def problem(text: str | bytes) -> YamlProblem:
    """Return the YamlProblem that reading the text raises."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(YamlProblem) as info:
        read_yaml(raw)
    return info.value


def test_line_map_records_every_value():
    doc = read_yaml(LISTING.encode())
    assert doc.lines[("name",)] == 1
    assert doc.lines[("support_types",)] == 2
    assert doc.lines[("support_types", 0)] == 3
    assert doc.lines[("support_types", 1)] == 4
    assert doc.lines[("location", "city")] == 6
    assert doc.lines[("location", "region")] == 7
    assert doc.lines[("schedule", 0, "day")] == 9
    assert doc.lines[("schedule", 0, "start")] == 10
    assert doc.lines[("last_verified",)] == 11


def test_line_of_falls_back_to_the_deepest_known_parent():
    doc = read_yaml(LISTING.encode())
    assert doc.line_of(("schedule", 0, "end")) == doc.lines[("schedule", 0)] == 9
    assert doc.line_of(("location", "postal_code")) == 5  # the "location:" line
    assert doc.line_of(("nothing", "here")) == 1


def test_values_are_plain_python_and_dates_stay_iso_strings():
    doc = read_yaml(dedent("""\
        last_verified: 2026-01-05
        when: 2026-01-05 10:30:00
        tagged: !!timestamp 2026-02-03
        count: 3
        ratio: 1.5
        open: true
        nothing: null
        start: "19:00"
    """).encode())
    assert doc.data == {"last_verified": "2026-01-05", "when": "2026-01-05 10:30:00", "tagged": "2026-02-03",
                        "count": 3, "ratio": 1.5, "open": True, "nothing": None, "start": "19:00"}


def test_front_matter_lines_are_offset():
    doc = parse_text("title: Hello\nsummary: There\n", first_line=2)
    assert doc.lines[("title",)] == 2
    assert doc.lines[("summary",)] == 3


def test_byte_order_mark_is_ignored():
    assert read_yaml("\ufeffname: Hartford Group\n".encode()).data == {"name": "Hartford Group"}


def test_empty_and_comment_only_files_have_no_data():
    assert read_yaml(b"").data is None
    assert read_yaml(b"# nothing yet\n").data is None


def test_syntax_error_names_its_line():
    exc = problem("name: Group\nkind: local-group\nsummary: Meets: on Tuesdays\n")
    assert exc.line == 3
    assert exc.message.startswith("YAML syntax error: mapping values are not allowed")
    assert exc.message.endswith("— check indentation, and quote text that contains ': ' or starts with a "
                                "special character")


def test_unclosed_quote_names_the_line_where_it_started():
    exc = problem('name: Group\nkind: local-group\nsummary: "unclosed\nformat: online\n')
    assert "started on line 3" in exc.message


def test_tab_indentation():
    exc = problem("name: Group\nlocation:\n\tcity: Hartford\n")
    assert (exc.line, exc.message) == (3, "tab character used for indentation — indent with spaces (two per level)")


def test_duplicate_key_names_both_lines():
    exc = problem("name: One\nkind: local-group\nlocation:\n  city: A\n  city: B\n")
    assert (exc.line, exc.message) == (5, "duplicate field 'city' (first given on line 4) — keep one")


def test_alias_is_refused():
    exc = problem("a: &x [1, 2]\nb: 3\nc: *x\n")
    assert exc.line == 3
    assert exc.message == "YAML anchors and aliases (&name / *name) are not allowed — write each value out in full"


def test_merge_key_is_refused():
    exc = problem("name: A\nbase:\n  <<: {city: Hartford}\n")
    assert (exc.line, exc.message) == (3, "merge keys (<<) are not allowed — write the fields out in full")


def test_billion_laughs_is_refused_quickly():
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    started = time.perf_counter()
    exc = problem("\n".join(levels) + "\n")
    assert time.perf_counter() - started < 2
    assert exc.line == 2
    assert "anchors and aliases" in exc.message


def test_non_mapping_key_is_refused():
    exc = problem("name: A\n[a, b]: c\n")
    assert (exc.line, exc.message) == (2, "a field name must be plain text")


def test_non_utf8_byte_names_its_line():
    exc = problem(b"name: A\nkind: local-group\nsummary: Caf\xe9 meeting\n")
    assert exc.line == 3
    assert exc.message == ("byte 0xe9 is not UTF-8 — save the file as UTF-8 "
                           "(in most editors: Save with Encoding → UTF-8)")


def test_oversized_file_is_refused():
    exc = problem(b"# " + b"x" * MAX_BYTES + b"\n")
    assert exc.line == 1
    assert exc.message.startswith(f"file is {MAX_BYTES + 3:,} bytes; the limit is {MAX_BYTES:,}")


def test_depth_limit():
    within = "a: " + "[" * 5 + "]" * 5 + "\n"
    assert read_yaml(within.encode()).data == {"a": [[[[[]]]]]}
    exc = problem("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert exc.line == 1
    assert exc.message == f"nested more than {MAX_DEPTH} levels deep — a listing needs only a few levels"


@pytest.mark.parametrize("text, line", [
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", 1),  # PyYAML 6.0.4's libyaml stops this at 1,000 itself
    ("name: x\nlist:\n" + "- " * 2_000 + "x\n", 3),
])
def test_depth_limit_survives_very_deep_nesting(text, line):
    """Our message, with its line, whatever limit the installed YAML library has of its own."""
    exc = problem(text)
    assert (exc.line, exc.message) == (line, f"nested more than {MAX_DEPTH} levels deep — a listing needs only a few levels")


def test_deep_block_nesting_is_refused():
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 5)) + f"{'  ' * (MAX_DEPTH + 5)}v: 1\n"
    assert "levels deep" in problem(text).message


@pytest.mark.parametrize("value", ["!foo bar", "!!int abc", "!!python/name:os.system ''", "!!float x"])
def test_tags_are_reported_not_raised(value):
    exc = problem(f"name: Group\nsummary: {value}\n")
    assert exc.line == 2


def test_load_yaml_file_reports_empty_and_non_mapping_files(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    top_list = tmp_path / "list.yaml"
    top_list.write_text("- name: a\n- name: b\n")
    problems = Problems()
    assert load_yaml_file(empty, problems) is None
    assert load_yaml_file(top_list, problems) is None
    assert [(p.line, p.field, p.message) for p in problems.items] == [
        (1, "(file)", "the file is empty — fill it in, or delete it if it is not needed"),
        (1, "(file)", "expected fields (name: value lines), found a list — write one field per line, like 'name: ...'"),
    ]


# Texts with no '*' (no alias possible) are converted with scalars inline; a '*' in a comment sends the same
# text down the path that tracks every node, so the two must agree on values, lines and problems.
BOTH_PATHS = [
    LISTING, "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1),
    "a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH,
    "a: " + "{b: " * MAX_DEPTH + "x" + "}" * MAX_DEPTH, "- " * MAX_DEPTH + "x", "- " * (MAX_DEPTH + 1) + "x",
    "a: {b: 1, b: 2}", "- {a: 1}\n- {<<: {a: 1}}", "- [a]: 1", "a: !!binary aGVsbG8=", "a: [!!set x, !!int 3]",
    "a: !!map x", "a: !!int x", "a: !foo {b: 1}", "a: !!timestamp 2020-01-01", "a: 2020-01-01 10:00:00",
    "a: ~\nb:\nc: 0x1f\nd: 1:30\ne: .nan\nf: yes\ng: 'yes'\nh: !!str 3\ni: |\n  text\n", "- a\n- [b, {c: [d]}]", "x",
]


@pytest.mark.parametrize("text", BOTH_PATHS)
def test_text_with_and_without_a_star_reads_alike(text):
    def outcome(text):
        try:
            doc = parse_text(text, first_line=2)
        except YamlProblem as exc:
            return exc.line, exc.message
        return repr(doc.data), doc.lines

    assert outcome(text) == outcome(text + "\n# *\n")


def test_scalar_one_level_too_deep_is_refused():
    assert "levels deep" in problem("a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n").message
    assert "levels deep" in problem("- " * (MAX_DEPTH + 1) + "x\n").message
    assert read_yaml(("- " * MAX_DEPTH + "x\n").encode()).data is not None


def test_tagged_values_are_not_kept_after_reading():
    # PyYAML's constructor remembers every node it built; kept across thousands of files, they slow the
    # garbage collector for the rest of the build.
    from generator import yamlfile

    assert read_yaml(b"a: !!binary aGVsbG8=\nb: !!set x\nc: 3\n").data == {"a": "aGVsbG8=", "b": set(), "c": 3}
    assert problem("a: !!int x\n").line == 1
    assert not yamlfile._SCALARS.constructed_objects and not yamlfile._SCALARS.recursive_objects
    assert not yamlfile._SCALARS.state_generators


def test_display_paths_match_display_path(tmp_path, monkeypatch):
    from generator.load import display_path, display_paths

    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    for folder in (site / "listings" / "ct", elsewhere / "real"):
        folder.mkdir(parents=True)
    (site / "listings" / "ct" / "a.yaml").write_text("name: a\n")
    (elsewhere / "real" / "b.yaml").write_text("name: b\n")
    (elsewhere / "real" / "c.yaml").write_text("name: c\n")
    (site / "listings" / "ct" / "b.yaml").symlink_to(elsewhere / "real" / "b.yaml")  # a linked file
    (site / "listings" / "ma").symlink_to(elsewhere / "real")  # a linked folder
    (site / "listings" / "ct" / "self.yaml").symlink_to(site / "listings" / "ct" / "a.yaml")
    monkeypatch.chdir(site)
    paths = [Path("listings/ct/a.yaml"), Path("listings/ct/b.yaml"), Path("listings/ma/c.yaml"),
             Path("listings/ct/self.yaml"), Path("listings/../listings/ct/a.yaml"), site / "listings/ct/a.yaml",
             Path("listings/ct/missing.yaml"), elsewhere / "real" / "c.yaml"]
    assert display_paths(paths) == [display_path(p) for p in paths]
    # A link that leads out of the working folder keeps the path as given; one that stays in it is followed.
    assert display_paths(paths)[:4] == ["listings/ct/a.yaml", "listings/ct/b.yaml", "listings/ma/c.yaml",
                                        "listings/ct/a.yaml"]


@pytest.mark.parametrize("text", ["- " * 100_000 + "x\n", "? " * 100_000 + "x\n", "a:\n  - " + "- ? " * 50_000 + "x\n"])
def test_block_entries_nested_on_one_line_are_refused_without_crashing(text):
    # libyaml's composer recursed once per '- ' and overflowed the C stack (the process died).
    assert "levels deep" in problem(text).message


def test_many_block_entries_on_their_own_lines_still_read():
    text = "schedule:\n" + "".join(f"  - day: monday\n    start: \"{h:02}:00\"\n" for h in range(24)) + "notes: a - b - c\n"
    assert len(read_yaml(text.encode()).data["schedule"]) == 24
