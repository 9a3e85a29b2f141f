"""Odd things under content/ get a clear path error (or a warning, or are passed over where people expect
that), never a traceback or a hang: symbolic links, named pipes, folders named like files, unreadable
files, file names that are not slugs, the longest file name; alike when many files are read in parallel."""
from __future__ import annotations

import os
import sys

import pytest

from generator.pipeline import build_site, gather_site
from helpers import check_problems, run_build_py, write_article, write_file, write_listing
from test_hostile_content import ARTICLE, with_coordinates
from test_validate import GOOD, good_with

def test_a_symbolic_link_to_a_file_outside_content(project, content, tmp_path):
    secret = write_file(tmp_path / "secret.yaml", "password: hunter2\n")
    (content / "listings" / "leak.yaml").symlink_to(secret)
    assert check_problems(project) == [
        f"content/listings/leak.yaml: (file): is a symbolic link to '{secret}' — links are not followed: put the "
        "listing file itself here"]


def test_a_dangling_symbolic_link(project, content):
    (content / "listings" / "gone.yaml").symlink_to("nowhere/gone.yaml")
    assert check_problems(project) == [
        "content/listings/gone.yaml: (file): is a symbolic link to 'nowhere/gone.yaml', which does not exist — links "
        "are not followed: put the listing file itself here"]


def test_a_symbolic_link_to_itself(project, content):
    (content / "listings" / "self.yaml").symlink_to("self.yaml")
    assert check_problems(project) == [
        "content/listings/self.yaml: (file): is a symbolic link to 'self.yaml', which does not exist — links are not "
        "followed: put the listing file itself here"]


def test_a_symbolic_link_to_a_folder(project, content, tmp_path):
    write_listing(tmp_path, "elsewhere/good.yaml", GOOD)
    (content / "listings" / "linked").symlink_to(tmp_path / "listings" / "elsewhere")
    assert check_problems(project) == [
        "content/listings/linked: (folder): is a symbolic link to a folder, which is not followed — move the listing "
        "files into this folder instead of linking to them"]


def test_a_loop_of_folder_links_stops_neither_check_nor_build(project, content):
    write_listing(content, "ct/good.yaml", GOOD)
    (content / "listings" / "ct" / "up").symlink_to("..")
    (content / "listings" / "ct" / "again").symlink_to("../ct")
    expected = [f"content/listings/ct/{name}: (folder): is a symbolic link to a folder, which is not followed — move "
                "the listing files into this folder instead of linking to them" for name in ("again", "up")]
    assert check_problems(project) == expected
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=project)
    assert (result.returncode, result.stderr.splitlines()[:2]) == (1, expected)
    assert "Traceback" not in result.stderr


def test_other_links_are_let_be(project, content, tmp_path):
    write_listing(content, "ct/good.yaml", GOOD)
    (content / "listings" / "README").symlink_to(write_file(tmp_path / "README", "notes\n"))
    (content / "listings" / "old").symlink_to("nowhere")
    assert run_build_py("check", "--content", "content", cwd=project).returncode == 0


def test_a_named_pipe_does_not_stop_the_build(project, content):
    write_listing(content, "ct/good.yaml", GOOD)
    os.mkfifo(content / "listings" / "ct" / "pipe.yaml")
    os.mkfifo(content / "articles" / "pipe.md")
    expected = ["content/articles/pipe.md: (file): is a named pipe, not a file — delete it, or replace it with the "
                "article file itself",
                "content/listings/ct/pipe.yaml: (file): is a named pipe, not a file — delete it, or replace it with "
                "the listing file itself"]
    assert check_problems(project, timeout=20) == expected
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=project, timeout=20)
    assert (result.returncode, result.stderr.splitlines()[:2]) == (1, expected)


def test_a_folder_named_like_a_listing_file(project, content):
    write_listing(content, "ct/x.yaml/good.yaml", GOOD)
    result = run_build_py("check", "--content", "content", cwd=project)
    assert (result.returncode, result.stderr.splitlines()) == (0, [
        "content/listings/ct/x.yaml: warning: (folder): is a folder, so it is not read as a listing — rename it (the "
        "files in it are read as usual)", "0 errors, 1 warning"])


def test_an_unreadable_file(content, monkeypatch):
    import generator.load

    write_listing(content, "ct/good.yaml", GOOD)
    write_listing(content, "ct/secret.yaml", GOOD)
    write_article(content, "secret.md", ARTICLE)
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if "secret" in os.fspath(path):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(generator.load.os, "open", refuse)
    problems = [str(p) for p in gather_site(content).problems]
    assert problems == [
        f"{content}/articles/secret.md: (file): cannot be read: Permission denied — check the file's permissions",
        f"{content}/listings/ct/secret.yaml: (file): cannot be read: Permission denied — check the file's permissions"]


def test_hidden_files_and_editor_backups_are_passed_over(project, content):
    write_listing(content, "ct/good.yaml", GOOD)
    for name in (".good.yaml", "good.yaml~", "#good.yaml#", ".good.yaml.swp", "good.yaml.bak", "good.yaml.orig",
                 ".#good.yaml", "._good.yaml", ".hidden/other.yaml"):
        write_listing(content, f"ct/{name}", "not: [valid")
    result = run_build_py("check", "--content", "content", cwd=project)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("name, expected", [
    (".yaml", "content/listings/ct/.yaml: (file name): the file has no name before '.yaml' — name it after the "
              "listing, e.g. 'hartford-tuesday-group.yaml'"),
    (".yml", "content/listings/ct/.yml: (file name): the file has no name before '.yml' — name it after the "
             "listing, e.g. 'hartford-tuesday-group.yml'"),
    ("good.YAML", "content/listings/ct/good.YAML: (file name): '.YAML' must be lowercase — rename the file to "
                  "'good.yaml'"),
    ("My Group.yaml", "content/listings/ct/My Group.yaml:1: (file name): 'My Group' cannot be a web address — "
                      "rename the file to 'my-group.yaml' (lowercase letters, digits, hyphens)"),
    ("Café Ünity.yaml", "content/listings/ct/Café Ünity.yaml:1: (file name): 'Café Ünity' cannot be a web address — "
                        "rename the file to 'cafe-unity.yaml' (lowercase letters, digits, hyphens)"),
    ("new\nline.yaml", "content/listings/ct/new\\nline.yaml:1: (file name): 'new\\nline' cannot be a web address — "
                       "rename the file to 'new-line.yaml' (lowercase letters, digits, hyphens)"),
    ("\x1b[2J.yaml", "content/listings/ct/\\x1b[2J.yaml:1: (file name): '\\x1b[2J' cannot be a web address — "
                     "rename the file to '2j.yaml' (lowercase letters, digits, hyphens)"),
    # Meant as a listing, named so that it would be passed over in silence (the count one short, the site without it).
    ("my-group", "content/listings/ct/my-group: (file name): is not read as a listing: its name must end in '.yaml' "
                 "— rename the file to 'my-group.yaml'"),
    ("my-group.txt", "content/listings/ct/my-group.txt: (file name): is not read as a listing: its name must end in "
                     "'.yaml' — rename the file to 'my-group.yaml'"),
    ("my-group.yaml.txt", "content/listings/ct/my-group.yaml.txt: (file name): is not read as a listing: its name "
                          "must end in '.yaml' — rename the file to 'my-group.yaml'"),
], ids=["dot-yaml", "dot-yml", "uppercase-extension", "space", "non-ascii", "line-break", "escape-sequence",
        "no-ending", "text-file", "yaml-then-text"])
def test_file_names_that_are_not_slugs(project, content, name, expected):
    write_listing(content, f"ct/{name}", GOOD)
    assert check_problems(project) == [expected]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_a_file_name_that_is_not_utf8(project, content):
    folder = os.fsencode(content / "listings")
    with open(os.path.join(folder, b"caf\xe9.yaml"), "wb") as file:
        file.write(GOOD.encode())
    assert check_problems(project) == [
        "content/listings/caf\\xe9.yaml:1: (file name): 'caf\\xe9' cannot be a web address — rename the file to "
        "'caf.yaml' (lowercase letters, digits, hyphens)"]


def test_the_longest_file_name_builds(content, tmp_path):
    slug = "a" * 250
    write_listing(content, f"{slug}.yaml", good_with(name="name: Long Name Group") + "schedule:\n  - day: monday\n"
                                                                                      '    start: "19:00"\n')
    build_site(content, tmp_path / "output")
    assert (tmp_path / "output" / "listings" / slug / "meetings.ics").is_file()


def test_odd_files_are_found_alike_when_many_files_are_read_in_parallel(content, monkeypatch):
    import generator.cachedread

    write_listing(content, "ct/good.yaml", GOOD)
    write_listing(content, "ct/bad.yaml", with_coordinates(".nan"))
    os.mkfifo(content / "listings" / "ct" / "pipe.yaml")
    (content / "listings" / "ct" / "gone.yaml").symlink_to("nowhere.yaml")
    serial = [str(p) for p in gather_site(content, workers=1).problems]
    monkeypatch.setattr(generator.cachedread, "PARALLEL_READ_FROM", 1)
    monkeypatch.setattr(generator.cachedread, "READ_CHUNK", 1)
    assert [str(p) for p in gather_site(content, workers=2).problems] == serial
    assert len(serial) == 3 and "location.lat: .nan is not a number" in serial[0]
