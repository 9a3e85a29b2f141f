"""The contributor's path: cross-file checks, --strict, GitHub annotations, `new listing`, `due`,
the editor's schema, and the pull-request workflow's own command run on broken fixtures."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest
import yaml

from helpers import (ARTICLE, BUILD_PY, IN_PERSON, ONLINE, REPO_ROOT, check_problems, dedent, run_build_py,
                     snapshot, write_article, write_listing, write_sample_site)

WORKFLOWS = REPO_ROOT / ".github" / "workflows"


def other_online(name: str = "Second Forum", website: str = "https://example.org/second",
                 phone: str = "+1-800-555-0198", extra: str = "") -> str:
    """Return a valid online listing that shares nothing with ONLINE unless told to."""
    text = dedent(ONLINE).replace("Anytime Online Recovery Forum", name)
    text = text.replace("https://example.org/forum-home", website).replace("+1-800-555-0199", phone)
    return text + extra


def check(project, *args):
    return run_build_py("check", "--content", "content", *args, cwd=project)


# --------------------------------------------------------------------------- cross-file checks


def test_same_website_and_phone_are_warnings_naming_the_other_file(project, content):
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    write_listing(content, "online/copy.yaml", other_online(website="https://www.example.org/forum-home/",
                                                            phone="(800) 555-0199"))
    result = check(project)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "content/listings/online/copy.yaml:10: warning: contact.phone: same phone number as "
        "content/listings/online/anytime-forum.yaml (Anytime Online Recovery Forum) — if both describe one group, "
        "keep one file; if they are different, add not_duplicate_of: [anytime-forum] to this file",
        "content/listings/online/copy.yaml:12: warning: contact.website: same website as "
        "content/listings/online/anytime-forum.yaml (Anytime Online Recovery Forum) — if both describe one group, "
        "keep one file; if they are different, add not_duplicate_of: [anytime-forum] to this file",
        "0 errors, 2 warnings",
    ]


def test_same_name_and_city_is_a_duplicate_whatever_the_case_and_punctuation(project, content):
    write_listing(content, "ct/hartford-tuesday.yaml", IN_PERSON)
    copy = dedent(IN_PERSON).replace("Hartford Tuesday Night Group", "hartford tuesday night group!")
    copy = copy.replace("860-555-0100", "860-555-0101").replace("https://example.org/hartford\n",
                                                                "https://example.org/other\n")
    write_listing(content, "ct/zz-copy.yaml", copy)
    lines = check_problems(project, "--strict")
    assert lines == ["content/listings/ct/zz-copy.yaml:1: warning: name: same name and place as "
                     "content/listings/ct/hartford-tuesday.yaml (Hartford Tuesday Night Group) — if both describe one "
                     "group, keep one file; if they are different, add not_duplicate_of: [hartford-tuesday] to this file"]


def test_same_name_in_another_city_is_not_a_duplicate(project, content):
    write_listing(content, "ct/hartford-tuesday.yaml", IN_PERSON)
    other = dedent(IN_PERSON).replace("Hartford\n", "New Haven\n").replace("06103", "06510")
    other = other.replace("860-555-0100", "203-555-0100").replace("https://example.org/hartford\n",
                                                                  "https://example.org/new-haven\n")
    write_listing(content, "ct/new-haven.yaml", other)
    assert check(project, "--strict").returncode == 0


def test_not_duplicate_of_silences_the_warning_and_must_name_a_listing(project, content):
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    write_listing(content, "online/family.yaml", other_online(website="https://example.org/forum-home",
                                                              extra="not_duplicate_of: [anytime-forum]\n"))
    assert check(project, "--strict").stderr == ""
    write_listing(content, "online/family.yaml", other_online(website="https://example.org/forum-home",
                                                              extra="not_duplicate_of: [anytime-forun]\n"))
    lines = check_problems(project)
    assert "content/listings/online/family.yaml:15: not_duplicate_of: no listing is named 'anytime-forun' — did you " \
           "mean 'anytime-forum'?" in lines


def test_listing_not_verified_for_12_months_is_a_warning_and_fatal_with_strict(project, content):
    # The scratch project's today is 2026-11-21 (conftest pins SOURCE_DATE_EPOCH).
    write_listing(content, "online/old.yaml", dedent(ONLINE).replace("2026-02-10", "2025-11-20"))
    write_listing(content, "online/recent.yaml", other_online().replace("2026-02-10", "2025-11-21"))
    result = check(project)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "content/listings/online/old.yaml:13: warning: last_verified: last verified 2025-11-20, more than 12 months "
        "ago — check the facts against the source, then set last_verified to the date you checked",
        "0 errors, 1 warning",
    ]
    strict = check(project, "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1] == "0 errors, 1 warning (errors, with --strict)"


def test_invalid_phone_numbers_are_errors(project, content):
    write_listing(content, "online/a.yaml", other_online(phone="+1-555-555-0100"))
    write_listing(content, "online/b.yaml", other_online(name="Other", phone="860-555-010",
                                                         website="https://example.org/b"))
    lines = check_problems(project)
    assert lines == [
        "content/listings/online/a.yaml:10: contact.phone: '+1-555-555-0100' is not a valid phone number — check "
        'the digits and include the area code, e.g. phone: "+1-860-244-3343"',
        "content/listings/online/b.yaml:10: contact.phone: '860-555-010' is not a valid phone number — check the "
        'digits and include the area code, e.g. phone: "+1-860-244-3343"',
    ]


def test_links_to_missing_listings_and_articles_are_errors_on_their_line(project, content):
    write_sample_site(content)
    write_article(content, "links.md", dedent(ARTICLE) + dedent("""\

        See [the forum](/listings/anytime-forums/) and [a guide](/articles/first-meetings/#start).
        Also [kinds](/kinds/local-group/), [a state](/regions/ct/), [a page](/contribute/) and [home](/).
        And [a type](/support-types/twelve-step/).
        """))
    lines = check_problems(project)
    assert lines == [
        "content/articles/links.md:10: (text): links to /articles/first-meetings/, which is not a page of this "
        "site — did you mean /articles/first-meeting/?",
        "content/articles/links.md:10: (text): links to /listings/anytime-forums/, which is not a page of this "
        "site — did you mean /listings/anytime-forum/?",
        "content/articles/links.md:12: (text): links to /support-types/twelve-step/, which is not a page of this "
        "site — fix the address, or remove the link if the page was taken down",
    ]


def test_links_in_listing_descriptions_are_checked_too(project, content):
    write_listing(content, "online/anytime-forum.yaml", dedent(ONLINE) + "description: |\n  Run with "
                  "[the Hartford group](/listings/hartford/).\n")
    assert check_problems(project) == [
        "content/listings/online/anytime-forum.yaml:16: description: links to /listings/hartford/, which is not a "
        "page of this site — fix the address, or remove the link if the page was taken down"]


def test_a_successful_build_shows_the_first_20_warnings_and_how_to_see_all(project, content):
    for i in range(23):
        write_listing(content, f"online/old-{i:02d}.yaml", other_online(name=f"Old Forum {i}", website=f"https://"
                      f"example.org/{i}", phone=f"+1-800-555-01{i:02d}").replace("2026-02-10", "2024-01-01"))
    result = run_build_py("build", "--content", "content", cwd=project)
    lines = result.stderr.splitlines()
    assert result.returncode == 0 and len(lines) == 22
    assert lines[19].startswith("content/listings/online/old-19.yaml:13: warning: last_verified:")
    assert lines[20:] == ["… and 3 more; `python build.py check` lists them all", "0 errors, 23 warnings"]


def test_build_prints_warnings_and_strict_build_stops(project, content):
    write_listing(content, "online/old.yaml", dedent(ONLINE).replace("2026-02-10", "2024-01-01"))
    result = run_build_py("build", "--content", "content", cwd=project)
    assert result.returncode == 0
    assert "warning: last_verified: last verified 2024-01-01" in result.stderr
    before = snapshot(project / "output")
    strict = run_build_py("build", "--content", "content", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "Build stopped; output/ was left as it was." in strict.stderr
    assert snapshot(project / "output") == before


# --------------------------------------------------------------------------- GitHub annotations


def workflow_step(workflow: str, contains: str) -> str:
    """Return the `run:` command of the workflow step that contains the given text."""
    jobs = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))["jobs"]
    runs = [step["run"] for job in jobs.values() for step in job["steps"] if contains in step.get("run", "")]
    assert len(runs) == 1, runs
    return runs[0]


def run_workflow_command(command: str, cwd, **env) -> subprocess.CompletedProcess:
    """Run a workflow's shell command with this Python standing in for `python build.py`."""
    command = command.replace("python build.py", f"{shlex.quote(sys.executable)} {shlex.quote(str(BUILD_PY))}")
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=30,
                          env={**__import__("os").environ, **env})


GITHUB_ENV = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "example-org/directory"}


def git(project, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Fake", "-c", "user.email=fake@example.org", *args], cwd=project,
                   check=True, capture_output=True)


def test_pull_request_workflow_annotates_each_problem_on_its_line(project, content):
    """A pull request fails on an error anywhere and on a warning in a file it changes; a warning in a file it left
    alone (a listing that fell due for re-verification since) is shown, and fails no one."""
    command = workflow_step("check.yml", "build.py check")
    assert command == ('python build.py check --format github --repository "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY" '
                       '${GITHUB_BASE_REF:+--strict-since "origin/$GITHUB_BASE_REF"}')
    write_listing(content, "online/old.yaml", dedent(ONLINE).replace("2026-02-10", "2024-01-01"))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    git(project, "update-ref", "refs/remotes/origin/main", "HEAD")  # as actions/checkout fetches the base
    git(project, "checkout", "-q", "-b", "contributor")
    write_listing(content, "ct/bad.yaml", dedent(IN_PERSON).replace("local-group", "local-grop")
                  .replace("860-555-0100", "860-555-010"))
    write_listing(content, "online/also-old.yaml", other_online(name="Also Old").replace("2026-02-10", "2024-01-01"))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the pull request")
    stale = ("more than 12 months ago — check the facts against the source, then set last_verified to the date you "
             "checked")
    result = run_workflow_command(command, project, GITHUB_BASE_REF="main", **GITHUB_ENV)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/listings/ct/bad.yaml,line=2,title=kind::unknown kind 'local-grop' — did you mean "
        "'local-group'?",
        "::error file=content/listings/ct/bad.yaml,line=15,title=contact.phone::'860-555-010' is not a valid phone "
        'number — check the digits and include the area code, e.g. phone: "+1-860-244-3343"',
        f"::error file=content/listings/online/also-old.yaml,line=13,title=last_verified::last verified 2024-01-01, "
        f"{stale}",
        f"::warning file=content/listings/online/old.yaml,line=13,title=last_verified::last verified 2024-01-01, "
        f"{stale}",
    ]
    assert result.stderr == "2 errors, 2 warnings (1 of them errors, in files changed since --strict-since)\n"
    # The pull request mended: what it left alone is still shown, and passes.
    (content / "listings" / "ct" / "bad.yaml").unlink()
    (content / "listings" / "online" / "also-old.yaml").unlink()
    git(project, "commit", "-q", "-am", "mended")
    result = run_workflow_command(command, project, GITHUB_BASE_REF="main", **GITHUB_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("::warning file=content/listings/online/old.yaml,line=13,")
    # On main (a push: no base), warnings are shown and fail nothing.
    assert run_workflow_command(command, project, **GITHUB_ENV).returncode == 0


def test_strict_since_an_unknown_commit_says_what_to_do(project, content):
    git(project, "init", "-q", "-b", "main")
    result = run_build_py("check", "--content", "content", "--strict-since", "origin/nowhere", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("check: --strict-since origin/nowhere: git cannot compare with it (")
    assert "fetch it first (e.g. `git fetch origin main`), or leave the option out" in result.stderr


def test_annotations_escape_what_github_would_misread(project, content):
    write_listing(content, "ct/a,b:c.yaml", dedent(ONLINE).replace("smart-recovery]", "smart-recovery, 100%]"))
    result = run_build_py("check", "--content", "content", "--format", "github", cwd=project)
    assert result.stdout.splitlines() == [
        "::error file=content/listings/ct/a%2Cb%3Ac.yaml,line=1,title=(file name)::'a,b:c' cannot be a web "
        "address — rename the file to 'a-b-c.yaml' (lowercase letters, digits, hyphens)",
        "::error file=content/listings/ct/a%2Cb%3Ac.yaml,line=3,title=support_types[1]::unknown support type "
        "'100%25' — use one of: 12-step, smart-recovery, mutual-aid, secular, peer-specialist, "
        "recovery-community, family-support, faith-based, harm-reduction, sober-companion, aftercare",
    ]


def test_pull_request_workflow_passes_on_the_starter_content_which_sets_no_repository_or_contact():
    """The starter's site.yaml names no repository (a copy of it lives elsewhere): the workflow passes the one
    it runs in, as Netlify does when it builds."""
    command = workflow_step("check.yml", "build.py check")
    result = run_workflow_command(command, REPO_ROOT, **GITHUB_ENV)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Content is valid: \d+ listings, \d+ articles\.\n", result.stdout)
    alone = run_build_py("check", "--strict", cwd=REPO_ROOT)
    assert alone.returncode == 1
    assert alone.stderr.splitlines() == ["content/site.yaml: warning: contact: " + NO_CONTACT,
                                         "0 errors, 1 warning (errors, with --strict)"]


def test_warnings_stay_warnings_in_github_format_without_strict(project, content):
    write_listing(content, "online/old.yaml", dedent(ONLINE).replace("2026-02-10", "2024-01-01"))
    result = run_build_py("check", "--content", "content", "--format", "github", cwd=project)
    assert result.returncode == 0
    assert result.stdout.startswith("::warning file=content/listings/online/old.yaml,line=13,title=last_verified::")


def test_reverification_workflow_lists_due_listings_with_edit_links(project, content):
    command = workflow_step("reverify.yml", "build.py due")
    write_sample_site(content)
    write_listing(content, "online/old.yaml", other_online(name="Old Forum").replace("2026-02-10", "2024-03-01"))
    result = run_workflow_command(command, project, GITHUB_SERVER_URL="https://github.com",
                                  GITHUB_REPOSITORY="example-org/directory")
    assert result.returncode == 0, result.stderr
    assert (project / "due.md").read_text(encoding="utf-8") == (
        "<!-- listings-due-for-reverification -->\n"
        "1 listing were last verified more than 12 months ago (before 2025-11-21).\n\n"
        "For each one: open its source, check every fact in the file, fix what changed and set `last_verified` to "
        "the day you checked. See CONTRIBUTING.md, “Verifying a listing”.\n\n"
        "- [ ] [Old Forum](https://github.com/example-org/directory/edit/main/content/listings/online/old.yaml) — "
        "last verified 2024-03-01 — source: <https://example.org/forum/about>\n")


def test_reverification_report_is_empty_when_nothing_is_due(project, content):
    write_sample_site(content)
    result = run_build_py("due", "--content", "content", "--format", "markdown", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")
    text = run_build_py("due", "--content", "content", cwd=project)
    assert text.stdout == "No listings are due for re-verification.\n"


# --------------------------------------------------------------------------- new listing

NEW_OPTIONS = ("--name", "Fake Hartford Test Group", "--kind", "local-group", "--format", "hybrid",
               "--support-types", "12-step, mutual-aid", "--summary", "A clearly fake group, made for a test.",
               "--city", "Hartford", "--region", "ct", "--online-url", "https://example.org/fake/join",
               "--source", "https://example.org/fake", "--phone", "860-555-0111")


def test_new_listing_writes_a_file_that_passes_check_unchanged(project, content):
    result = run_build_py("new", "listing", "--content", "content", *NEW_OPTIONS, cwd=project)
    assert result.returncode == 0, result.stderr
    path = content / "listings" / "ct" / "fake-hartford-test-group.yaml"
    assert result.stdout.splitlines()[:2] == ["Wrote content/listing.schema.json",
                                              "Wrote content/listings/ct/fake-hartford-test-group.yaml"]
    text = path.read_text(encoding="utf-8")
    assert text == dedent("""\
        # yaml-language-server: $schema=../../listing.schema.json
        name: Fake Hartford Test Group
        kind: local-group
        support_types: [12-step, mutual-aid]
        summary: A clearly fake group, made for a test.
        format: hybrid
        location:
          city: Hartford
          region: CT
          country: US
        online:
          url: https://example.org/fake/join
        contact:
          phone: "860-555-0111"
        last_verified: "2026-11-21"
        source: https://example.org/fake
        """)
    checked = run_build_py("check", "--content", "content", "--strict", cwd=project)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert path.read_text(encoding="utf-8") == text


def test_new_listing_never_replaces_an_existing_file(project, content):
    path = write_listing(content, "ct/fake-hartford-test-group.yaml", IN_PERSON)
    before = path.read_bytes()
    result = run_build_py("new", "listing", "--content", "content", *NEW_OPTIONS, cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "build.py new listing: content/listings/ct/fake-hartford-test-group.yaml already exists — edit that file to "
        "update the listing, or pass --slug with another file name if this is a different group")
    assert path.read_bytes() == before


def test_new_listing_without_a_terminal_names_the_missing_options(project, content):
    result = run_build_py("new", "listing", "--content", "content", "--name", "Fake Group", "--format", "online",
                          cwd=project)
    assert result.returncode == 2
    assert result.stderr == ("build.py new listing: missing --kind, --support-types, --summary, --online-url, "
                             "--source — give them as options, or run in a terminal to be asked\n")
    assert not list((content / "listings").rglob("*.yaml"))


def test_new_listing_rejects_wrong_values_with_the_checks_own_words(project, content):
    options = list(NEW_OPTIONS)
    options[options.index("local-group")] = "local-grop"
    options[options.index("860-555-0111")] = "555-0111"
    result = run_build_py("new", "listing", "--content", "content", *options, cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "--kind: unknown kind 'local-grop' — did you mean 'local-group'?",
        "--phone: '555-0111' is not a valid phone number — check the digits and include the area code, "
        'e.g. phone: "+1-860-244-3343"',
        "build.py new listing: the listing would not pass check — fix these options",
    ]
    assert not list((content / "listings").rglob("*.yaml"))


def test_new_listing_asks_again_for_a_wrong_answer(project, content):
    from generator.newlisting import load_taxonomy, prepare_listing, write_listing_file

    replies = iter(["Fake Online Test Forum", "Online forum", "online", "SMART Recovery, famly-support", "Too short",
                    "https://example.org/fake-forum", "https://example.org/fake-forum/about",
                    "smart-recovery, family support", "A clearly fake forum, made for a test of the questions."])
    asked, told = [], []

    def ask(question):
        asked.append(question.key)
        return next(replies)

    taxonomy = load_taxonomy(content)
    path, text = prepare_listing(content, taxonomy, {}, None, ask, told.append)
    assert asked == ["name", "kind", "format", "support_types", "summary", "online_url", "source",
                     "support_types", "summary"]
    assert told == ["support_types[1]: unknown support type 'famly-support' — did you mean 'family-support'?",
                    "summary: is 9 characters; it must be at least 10 — write one sentence of at most 200 "
                    "characters; put more in description"]
    assert "kind: online-forum\nsupport_types: [smart-recovery, family-support]\n" in text
    write_listing_file(content, taxonomy, path, text)
    assert path == content / "listings" / "online" / "fake-online-test-forum.yaml"
    assert run_build_py("check", "--content", "content", "--strict", cwd=project).returncode == 0


# --------------------------------------------------------------------------- the editor's schema


def test_every_starter_listing_points_its_editor_at_the_up_to_date_schema(repo_root):
    from generator.newlisting import load_taxonomy
    from generator.schema_check import listing_schema_for

    content = repo_root / "content"
    schema = content / "listing.schema.json"
    assert schema.read_bytes() == listing_schema_for(load_taxonomy(content), "listing.schema.json")
    for path in sorted((content / "listings").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        assert (path.parent / first.split("=", 1)[1]).resolve() == schema, path


def test_editor_schema_completes_vocabulary_and_validates_like_check(repo_root):
    import jsonschema

    schema = json.loads((repo_root / "content" / "listing.schema.json").read_text(encoding="utf-8"))
    props = schema["properties"]
    assert "12-step" in props["support_types"]["items"]["enum"]
    assert props["kind"]["x-labels"]["local-group"]
    assert "CT" in props["location"]["properties"]["region"]["enum"]
    validator = jsonschema.Draft202012Validator(schema)
    good = yaml.safe_load(dedent(IN_PERSON))
    good["last_verified"] = str(good["last_verified"])
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors(dict(good, kind="local-grop")))


def test_check_warns_when_the_editor_schema_is_out_of_date_and_schema_rewrites_it(project, content):
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    assert run_build_py("schema", "--content", "content", cwd=project).stdout == "Wrote content/listing.schema.json\n"
    assert check(project, "--strict").returncode == 0
    taxonomy = content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("label: Secular", "label: Secular paths", 1),
                        encoding="utf-8")
    assert check_problems(project, "--strict") == [
        "content/listing.schema.json:1: warning: (file): is out of date with taxonomy.yaml or the listing schema — "
        "run `python build.py schema` to update it (editors read it to complete fields)"]
    run_build_py("schema", "--content", "content", cwd=project)
    assert check(project, "--strict").returncode == 0


# --------------------------------------------------------------------------- on the site


@pytest.fixture
def repo_site(project, content):
    """The sample site built with a repository, one stale listing and an absolute base URL."""
    write_sample_site(content)
    write_listing(content, "online/old.yaml", other_online(name="Old Forum").replace("2026-02-10", "2024-03-01"))
    result = run_build_py("build", "--content", "content", "--base-url", "https://example.org/",
                          "--repository", "https://x-access-token:secret@github.com/example-org/directory.git",
                          cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "output"


def test_listing_page_links_to_edit_and_report_on_github(repo_site):
    from helpers import parse_page

    html = (repo_site / "listings" / "hartford-tuesday" / "index.html").read_text(encoding="utf-8")
    links = parse_page(html).links()
    assert "https://github.com/example-org/directory/edit/main/content/listings/ct/hartford-tuesday.yaml" in links
    assert ("https://github.com/example-org/directory/issues/new?template=report-problem.yml&title=Outdated+or+wrong"
            "%3A+Hartford+Tuesday+Night+Group&listing=Hartford+Tuesday+Night+Group&page=https%3A%2F%2Fexample.org"
            "%2Flistings%2Fhartford-tuesday%2F") in links
    assert "secret" not in html and "Not recently verified" not in html


@pytest.mark.parametrize("context", ["production", "deploy-preview", "branch-deploy"])
def test_netlify_builds_link_to_the_repository_without_its_token(project, content, context):
    import tomllib

    config = tomllib.loads((REPO_ROOT / "netlify.toml").read_text(encoding="utf-8"))
    command = config["build"]["command"] if context == "production" else config["context"][context]["command"]
    command = command.split(" && ", 1)[1]  # the pip install before it needs the network
    write_sample_site(content)
    result = run_workflow_command(command, project, URL="https://directory.example.org",
                                  DEPLOY_PRIME_URL="https://deploy-preview-7--directory.example.org",
                                  REPOSITORY_URL="https://x-access-token:v1.secret@github.com/example-org/directory")
    assert result.returncode == 0, result.stderr
    html = (project / "output" / "listings" / "hartford-tuesday" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example-org/directory/edit/main/content/listings/ct/hartford-tuesday.yaml"' in html
    assert "secret" not in html
    host = "directory.example.org" if context == "production" else "deploy-preview-7--directory.example.org"
    assert f'<link rel="canonical" href="https://{host}/listings/hartford-tuesday/">' in html


def test_report_form_fields_match_the_prefilled_link(repo_root):
    form = yaml.safe_load((repo_root / ".github" / "ISSUE_TEMPLATE" / "report-problem.yml").read_text())
    ids = {item.get("id") for item in form["body"]}
    assert {"listing", "page"} <= ids


def test_stale_listing_is_marked_on_its_page_and_its_cards(repo_site):
    page = (repo_site / "listings" / "old" / "index.html").read_text(encoding="utf-8")
    assert "<strong>Not recently verified.</strong>" in page
    online = (repo_site / "online" / "index.html").read_text(encoding="utf-8")
    cards = online.split('<article class="card">')[1:]
    marked = [card for card in cards if "Not recently verified" in card]
    assert len(marked) == 1 and "Old Forum" in marked[0]


# What check says when a site has neither a repository nor a contact (the problem's path and field come first).
NO_CONTACT = ("neither repository nor contact is set, so people who find a mistake have nowhere to send it — add "
              "`repository: https://github.com/owner/name` or `contact:` with an email address or an https:// page "
              "to content/site.yaml (or pass --repository)")


def test_without_a_repository_or_contact_check_and_build_warn_and_pages_lead_to_contribute(project, content):
    write_sample_site(content)
    (content / "site.yaml").write_text("title: Fake Directory\n", encoding="utf-8")
    result = check(project)
    assert (result.returncode, result.stderr.splitlines()) == (0, ["content/site.yaml: warning: contact: " + NO_CONTACT,
                                                                   "0 errors, 1 warning"])
    assert check(project, "--strict").returncode == 1
    assert check(project, "--strict", "--repository", "https://github.com/example-org/directory").stderr == ""
    built = run_build_py("build", "--content", "content", cwd=project)
    assert built.returncode == 0
    assert built.stderr.splitlines()[0] == "content/site.yaml: warning: contact: " + NO_CONTACT
    html = (project / "output" / "listings" / "hartford-tuesday" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/contribute/">Suggest a correction</a>' in html
    assert "github.com" not in html and "mailto:corrections" not in html
    # The page it leads to says plainly that there is nowhere to send one yet, and what to rely on meanwhile.
    page = (project / "output" / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "has not yet said where listings and corrections should be sent" in page
    assert "pull request" not in page


def test_without_site_settings_at_all_check_warns_too(project, content):
    (content / "site.yaml").unlink()
    assert check_problems(project, "--strict") == ["content/site.yaml: warning: contact: " + NO_CONTACT]


def test_a_repository_that_is_not_on_github_is_a_warning(project, content):
    write_sample_site(content)
    (content / "site.yaml").write_text("title: Fake Directory\nrepository: https://gitlab.com/o/r\n", encoding="utf-8")
    result = check(project)
    assert result.stderr.splitlines() == [
        "content/site.yaml: warning: contact: " + NO_CONTACT,
        "content/site.yaml:2: warning: repository: 'https://gitlab.com/o/r' is not a GitHub repository address — "
        "write it as https://github.com/owner/name (edit and report links need GitHub), or leave it out",
        "0 errors, 2 warnings"]


def test_a_setting_site_yaml_does_not_have_is_an_error_at_its_line(project, content):
    """A stray field of a listing is an error; so is a stray setting, which would otherwise be ignored in silence."""
    (content / "site.yaml").write_text("title: Fake Directory\ncontact: corrections@example.org\nlogo: fake.png\n"
                                       "tag_line: Find a fictional group\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/site.yaml:3: logo: unknown setting 'logo' — use one of: title, tagline, description, base_url, "
        "languages, language, translations, repository, branch, contact (a logo or colors are the templates' to set: "
        "see Run your own directory in README.md)",
        "content/site.yaml:4: tag_line: unknown setting 'tag_line' — did you mean 'tagline'?", "2 errors, 0 warnings"]


@pytest.mark.parametrize("value", ["corrections at example.org", "http://example.org/fix", "example.org/fix"])
def test_a_contact_that_is_not_an_email_or_https_address_is_an_error(project, content, value):
    (content / "site.yaml").write_text(f"title: Fake Directory\ncontact: {value}\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"content/site.yaml:2: contact: '{value}' is not an email address or an https:// address — write it as "
        "corrections@example.org or https://example.org/contact", "1 error, 0 warnings"]


def build_with_contact(project, content, contact: str, *options: str) -> dict[str, str]:
    """Build the sample site with `contact:` set; return the Hartford listing page and the contribute page."""
    write_sample_site(content)
    (content / "site.yaml").write_text(f"title: Fake Directory\ncontact: {contact}\n", encoding="utf-8")
    result = run_build_py("build", "--content", "content", *options, cwd=project)
    assert (result.returncode, result.stderr) == (0, "")
    output = project / "output"
    return {name: (output / path / "index.html").read_text(encoding="utf-8")
            for name, path in (("listing", "listings/hartford-tuesday"), ("contribute", "contribute"))}


def test_without_a_repository_corrections_go_by_email_with_the_listing_named(project, content):
    pages = build_with_contact(project, content, "corrections@example.org", "--base-url", "https://example.org/")
    assert ('<li><a href="mailto:corrections@example.org?subject=Correction%3A%20Hartford%20Tuesday%20Night%20Group'
            '&amp;body=Page%3A%20https%3A%2F%2Fexample.org%2Flistings%2Fhartford-tuesday%2F%0A%0AWhat%20is%20wrong'
            '%20or%20out%20of%20date%3A%0A">Suggest a correction</a> <span class="muted">(by email to '
            'corrections@example.org)</span></li>') in pages["listing"]
    assert 'href="/contribute/">Suggest a correction' not in pages["listing"]
    assert ('<p>Email <a href="mailto:corrections@example.org?subject=A%20listing%20or%20a%20correction%20for%20Fake'
            '%20Directory">corrections@example.org</a> with the group\'s name,') in pages["contribute"]
    assert "github.com" not in pages["listing"] + pages["contribute"]


def test_without_a_repository_corrections_go_to_the_contact_page(project, content):
    pages = build_with_contact(project, content, "https://example.org/corrections")
    assert ('<li><a href="https://example.org/corrections" rel="noopener noreferrer">Suggest a correction</a></li>'
            in pages["listing"])
    assert ('<p>Use <a href="https://example.org/corrections" rel="noopener noreferrer">the directory\'s contact '
            'page</a> with the group\'s name,') in pages["contribute"]


def test_with_a_repository_too_the_contribute_page_offers_the_contact_to_people_without_github(project, content):
    pages = build_with_contact(project, content, "corrections@example.org", "--repository",
                               "https://github.com/example-org/directory")
    assert "Report a problem</a> <span class=\"muted\">(on GitHub)</span>" in pages["listing"]
    assert "mailto:" not in pages["listing"].split('class="verification"')[1]
    assert ('These links go to GitHub, which needs a free account. No account? Email <a href="mailto:corrections@'
            'example.org?subject=A%20listing%20or%20a%20correction%20for%20Fake%20Directory">corrections@example.org'
            '</a> instead.</p>') in pages["contribute"]


# --------------------------------------------------------------------------- the guides


def test_the_template_in_contributing_md_passes_check(project, content):
    import re

    guide = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    template = re.search(r"```yaml\n(.*?)```", guide, re.DOTALL)[1]
    write_listing(content, "ct/example-tuesday-night-group.yaml", dedent(template))
    result = check(project, "--strict")
    assert (result.returncode, result.stderr) == (0, "")


def test_contribute_page_links_to_the_forms_and_guide_when_the_repository_is_known(repo_site):
    html = (repo_site / "contribute" / "index.html").read_text(encoding="utf-8")
    for href in ("https://github.com/example-org/directory/issues/new?template=suggest-listing.yml",
                 "https://github.com/example-org/directory/issues/new?template=report-problem.yml",
                 "https://github.com/example-org/directory/new/main/content/listings",
                 "https://github.com/example-org/directory/blob/main/CONTRIBUTING.md"):
        assert f'href="{href}"' in html
    for form in ("suggest-listing.yml", "report-problem.yml"):
        assert (REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / form).is_file()
