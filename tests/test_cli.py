"""build.py: help texts, exit codes and messages, run as a contributor would run it."""
from __future__ import annotations

import re

import pytest

from helpers import ARTICLE, ONLINE, dedent, run_build_py, write_article, write_listing


CONTENT_HELP = "--content DIR folder with listings/, articles/ and taxonomy.yaml (default: content)"
OUTPUT_HELP = "--output DIR folder to write the site into (default: output)"
OVERWRITE_HELP = "--overwrite replace an existing folder that this generator did not make"
BASE_URL_HELP = ("--base-url URL public address of the site, e.g. https://example.org/ "
                 "(default: from content/site.yaml)")


def squash(text: str) -> str:
    """Collapse runs of whitespace, so help text can be compared whatever the terminal width."""
    return " ".join(text.split())


def test_top_level_help_lists_every_command(repo_root):
    result = run_build_py("--help", cwd=repo_root)
    assert result.returncode == 0
    text = squash(result.stdout)
    assert text.startswith("usage: build.py [-h] COMMAND ...")
    for line in ("Build a peer-support directory website from content/.",
                 "build validate the content and build the site into the output folder",
                 "check validate the content and report every problem; writes nothing",
                 "serve build, serve locally and rebuild when content or templates change",
                 "new start a new content file: `new listing` asks for the required fields",
                 "due list listings due for re-verification (last verified over 12 months ago)",
                 "schema write content/listing.schema.json, the schema editors use, after taxonomy.yaml changes",
                 "Exit codes: 0 success, 1 content errors or a failed write, 2 usage errors (a refused --output too)."):
        assert line in text


STRICT_HELP = "--strict treat warnings as errors"
FORMAT_HELP = ("--format {text,github} how to print problems: text (default) or github (GitHub Actions "
               "annotations)")
REPOSITORY_HELP = ("--repository URL GitHub repository for edit and report links (default: from "
                   "content/site.yaml)")
TEMPLATES_HELP = "--templates DIR folder with the Jinja templates and static/ (default: the generator's templates)"
JOBS_HELP = "--jobs N render on N processes (default: one per CPU core)"
NO_CACHE_HELP = ("--no-cache ignore what earlier builds remembered (in .build-cache/ beside the output) and render "
                 "every page; the output is the same either way")
PLAIN_HELP = ("--plain build with the stages alone: no cache, one process, none of the speed layer's memory "
              "savings; slower, and the output is the same (to compare with)")


@pytest.mark.parametrize("command, usage, options", [
    ("build", "usage: build.py build [-h] [--content DIR] [--strict] [--format {text,github}] [--output DIR] "
              "[--overwrite] [--base-url URL] [--repository URL] [--templates DIR] [--jobs N] [--no-cache] "
              "[--plain]",
     [CONTENT_HELP, STRICT_HELP, FORMAT_HELP, OUTPUT_HELP, OVERWRITE_HELP, BASE_URL_HELP, REPOSITORY_HELP,
      TEMPLATES_HELP, JOBS_HELP, NO_CACHE_HELP, PLAIN_HELP]),
    ("check", "usage: build.py check [-h] [--content DIR] [--strict] [--format {text,github}] [--strict-since REF] "
              "[--repository URL]",
     [CONTENT_HELP, STRICT_HELP, FORMAT_HELP, REPOSITORY_HELP,
      "--strict-since REF treat warnings as errors only in files changed since the git commit REF"]),
    ("serve", "usage: build.py serve [-h] [--content DIR] [--output DIR] [--overwrite] [--base-url URL] "
              "[--repository URL] [--templates DIR] [--jobs N] [--host HOST] [--port PORT]",
     [CONTENT_HELP, OUTPUT_HELP, OVERWRITE_HELP, BASE_URL_HELP, REPOSITORY_HELP, TEMPLATES_HELP, JOBS_HELP,
      "--host HOST address to listen on (default: 127.0.0.1)", "--port PORT port to listen on (default: 8000)"]),
])
def test_command_help(repo_root, command, usage, options):
    result = run_build_py(command, "--help", cwd=repo_root)
    assert result.returncode == 0
    text = squash(result.stdout)
    assert text.startswith(usage)
    for option in options:
        assert option in text
    if command == "check":
        assert "--output" not in text and "--base-url" not in text


def test_new_listing_help_names_every_field_option(repo_root):
    text = squash(run_build_py("new", "listing", "--help", cwd=repo_root).stdout)
    assert text.startswith("usage: build.py new listing [-h] [--content DIR] [--name TEXT] [--kind TEXT]")
    for option in ("--support-types TEXT support type slugs, comma-separated, e.g. 12-step,family-support",
                   "--region TEXT two-letter state code, e.g. CT", "--online-url TEXT where people join online",
                   "--last-verified TEXT date the facts were checked, YYYY-MM-DD (default: today)",
                   "--slug TEXT file name without .yaml (default: made from the name)",
                   "Asks for each required field that is not given as an option (in a terminal)"):
        assert option in text


def test_check_refuses_output_options(project):
    result = run_build_py("check", "--content", "content", "--output", "out", cwd=project)
    assert result.returncode == 2
    assert "unrecognized arguments: --output out" in result.stderr


def test_unknown_command_is_a_usage_error(repo_root):
    result = run_build_py("publish", cwd=repo_root)
    assert result.returncode == 2
    assert "invalid choice: 'publish'" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_command_is_a_usage_error(repo_root):
    result = run_build_py(cwd=repo_root)
    assert result.returncode == 2
    assert "the following arguments are required: COMMAND" in result.stderr


def test_check_on_a_clean_project(project, content):
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    second = dedent(ONLINE).replace("Anytime Online", "Second Online").replace("forum-home", "second-home")
    write_listing(content, "online/second.yaml", second.replace("0199", "0198"))
    write_article(content, "finding-a-group.md", ARTICLE)
    result = run_build_py("check", "--content", "content", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Content is valid: 2 listings, 1 article.\n", "")
    assert not (project / "output").exists()


def test_check_with_no_listings_yet(project):
    result = run_build_py("check", "--content", "content", cwd=project)
    assert (result.returncode, result.stdout) == (0, "Content is valid: 0 listings, 0 articles.\n")


def test_build_on_a_clean_project(project, sample_content):
    result = run_build_py("build", "--content", "content", "--output", "site", "--base-url",
                          "https://example.org/dir/", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.fullmatch(r"Built 3 listings and 2 articles into site/ in \d+\.\d\d s\.\n", result.stdout)
    assert (project / "site" / "listings" / "anytime-forum" / "index.html").is_file()
    assert "<loc>https://example.org/dir/listings/anytime-forum/</loc>" in (project / "site" / "sitemap.xml").read_text()


@pytest.mark.parametrize("where", ["site.yaml", "option"])
def test_a_base_url_without_its_scheme_is_an_error_naming_the_fix(project, sample_content, where):
    """'example.org' would be taken as a folder: every link, the sitemap and the canonical addresses would start
    with '/example.org/'."""
    fix = ("base_url: 'www.example.org' is neither a full address nor a path — write the site's address in full, "
           "e.g. https://www.example.org/, or a path from the root such as /directory/")
    if where == "site.yaml":
        with (sample_content / "site.yaml").open("a", encoding="utf-8") as file:
            file.write("base_url: www.example.org\n")
        checked = run_build_py("check", "--content", "content", cwd=project)
        assert checked.returncode == 1 and f"content/site.yaml:2: {fix}" in checked.stderr, checked.stderr
        options = []
    else:
        options = ["--base-url", "www.example.org"]
    result = run_build_py("build", "--content", "content", "--output", "site", *options, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert fix in result.stderr
    assert not (project / "site").exists()
    # A path from the root is a site in a folder of its host, as before.
    assert run_build_py("build", "--content", "content", "--output", "site", "--base-url", "/dir/",
                        cwd=project).returncode == 0


def test_missing_content_folder(project):
    for command in ("check", "build"):
        result = run_build_py(command, "--content", "nowhere", cwd=project)
        assert "Traceback" not in result.stderr
        assert result.returncode == 1
        assert result.stderr.splitlines()[:2] == [
            "nowhere: (folder): content folder not found — pass --content with the folder that holds listings/ "
            "and taxonomy.yaml",
            "1 error, 0 warnings",
        ]
    assert result.stderr.splitlines()[2] == "Build stopped; output/ was left as it was."
    assert not (project / "output").exists()


def test_missing_taxonomy(project, content):
    (content / "taxonomy.yaml").unlink()
    result = run_build_py("check", "--content", "content", cwd=project)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stderr == ("content/taxonomy.yaml: (file): is missing — the vocabulary file is required; copy it "
                             "from the starter content\n1 error, 0 warnings\n")


def test_broken_taxonomy_is_reported_with_its_line(project, content):
    taxonomy = content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("  - slug: 12-step", "  - slug: 12 Step", 1),
                        encoding="utf-8")
    line = next(i for i, text in enumerate(taxonomy.read_text().splitlines(), 1) if "slug: 12 Step" in text)
    result = run_build_py("check", "--content", "content", cwd=project)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert f"content/taxonomy.yaml:{line}: support_types[0].slug: '12 Step' is not in the expected form" \
        in result.stderr


def test_paths_print_as_given_relative_to_the_working_folder(project, content):
    write_listing(content, "ct/bad.yaml", "")
    result = run_build_py("check", "--content", "project/content", cwd=project.parent)
    assert result.stderr.splitlines()[0].startswith("project/content/listings/ct/bad.yaml:1: (file): ")
