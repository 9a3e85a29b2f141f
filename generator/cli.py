"""Parse arguments and call the library; content errors become messages and exit codes here only."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .messages import plural, print_problems, write_failure  # the standard library only

# Each command imports what it needs (the pipeline pulls in Jinja, Markdown, YAML, the exports…), so
# that `--help` and a usage error answer at once.

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
WARNINGS_SHOWN_BY_BUILD = 20


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for build.py."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build a peer-support directory website from content/.",
        epilog="Exit codes: 0 success, 1 content errors or a failed write, 2 usage errors (a refused --output too).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser("build", help="validate the content and build the site into the output folder")
    check = commands.add_parser("check", help="validate the content and report every problem; writes nothing")
    serve = commands.add_parser("serve", help="build, serve locally and rebuild when content or templates change")
    new = commands.add_parser("new", help="start a new content file: `new listing` asks for the required fields")
    new_listing = new.add_subparsers(dest="what", metavar="WHAT", required=True).add_parser(
        "listing", help="write a new listing file that passes check; never replaces an existing file",
        description="Write content/listings/<state or online>/<name>.yaml. Asks for each required field that is not "
                    "given as an option (in a terminal); in scripts, give them all as options.")
    due = commands.add_parser("due", help="list listings due for re-verification (last verified over 12 months ago)")
    schema = commands.add_parser("schema", help="write content/listing.schema.json, the schema editors use, "
                                                "after taxonomy.yaml changes")
    imp = commands.add_parser(
        "import", help="import meetings from a Meeting Guide feed, a CSV, BMLT or HSDS into content/listings/",
        description="Write one listing per group at a place into content/listings/<name>/, and remember what was "
                    "imported in content/imports/<name>.json so that the next import changes only what the source "
                    "changed and keeps your edits. With --all, import every source in content/imports.yaml.",
        epilog="FORMAT is one of: meeting-guide, csv, bmlt, hsds. SOURCE is a file or an https:// address.")
    for sub in (build, check, serve, new_listing, due, schema, imp):
        sub.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="folder with listings/, articles/ and taxonomy.yaml (default: content)")
    for sub in (build, check):
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sub.add_argument("--format", choices=("text", "github"), default="text",
                         help="how to print problems: text (default) or github (GitHub Actions annotations)")
    for sub in (build, serve):
        # A string, not a Path: Path("") would be the current folder, and '' must be refused as given.
        sub.add_argument("--output", default="output", metavar="DIR",
                         help="folder to write the site into (default: output)")
        sub.add_argument("--overwrite", action="store_true",
                         help="replace an existing folder that this generator did not make")
        sub.add_argument("--base-url", default=None, metavar="URL",
                         help="public address of the site, e.g. https://example.org/ (default: from content/site.yaml)")
        sub.add_argument("--repository", default=None, metavar="URL",
                         help="GitHub repository for edit and report links (default: from content/site.yaml)")
        sub.add_argument("--templates", type=Path, default=None, metavar="DIR",
                         help="folder with the Jinja templates and static/ (default: the generator's templates)")
        sub.add_argument("--jobs", type=int, default=None, metavar="N",
                         help="render on N processes (default: one per CPU core)")
    check.add_argument("--strict-since", default=None, metavar="REF",
                       help="treat warnings as errors only in files changed since the git commit REF, e.g. a pull "
                            "request's base (origin/main): a listing elsewhere that falls due for re-verification "
                            "then fails no one's pull request")
    check.add_argument("--repository", default=None, metavar="URL",  # as build gets it: the same warnings
                       help="GitHub repository for edit and report links (default: from content/site.yaml)")
    build.add_argument("--no-cache", dest="cache", action="store_false",
                       help="ignore what earlier builds remembered (in .build-cache/ beside the output) and "
                            "render every page; the output is the same either way")
    build.add_argument("--plain", action="store_true",
                       help="build with the stages alone: no cache, one process, none of the speed layer's "
                            "memory savings; slower, and the output is the same (to compare with)")
    for key, help_text in (("name", "the name people know it by"), ("kind", "kind slug, e.g. local-group"),
                           ("format", "in-person, online or hybrid"),
                           ("support-types", "support type slugs, comma-separated, e.g. 12-step,family-support"),
                           ("summary", "one sentence, 10 to 200 characters"), ("city", "city or town"),
                           ("region", "two-letter state code, e.g. CT"), ("online-url", "where people join online"),
                           ("source", "official page where the facts were checked"),
                           ("website", "official website"), ("phone", "public phone number"), ("email", "public email"),
                           ("organization", "organization that runs it"),
                           ("last-verified", "date the facts were checked, YYYY-MM-DD (default: today)"),
                           ("slug", "file name without .yaml (default: made from the name)")):
        new_listing.add_argument(f"--{key}", metavar="TEXT", help=help_text)
    due.add_argument("--format", choices=("text", "markdown"), default="text",
                     help="text (default), or markdown for the re-verification issue")
    due.add_argument("--repository", default=None, metavar="URL",
                     help="GitHub repository, to link each file's edit page (default: from content/site.yaml)")
    imp.add_argument("format", nargs="?", metavar="FORMAT", help="meeting-guide, csv, bmlt or hsds")
    imp.add_argument("source", nargs="?", metavar="SOURCE", help="a file, folder (HSDS tables) or https:// address")
    imp.add_argument("--all", action="store_true", help="import every source listed in content/imports.yaml")
    imp.add_argument("--name", metavar="NAME", help="short name of the source, e.g. example-intergroup: its "
                                                     "listings go in content/listings/NAME/ (default: from SOURCE)")
    imp.add_argument("--organization", metavar="TEXT", help="who publishes the source, shown on each listing")
    imp.add_argument("--support-types", metavar="SLUGS", default=None,
                     help="support types of every imported listing, comma-separated (default: 12-step for "
                          "meeting lists; for HSDS, whose services are of many kinds, what each service's own "
                          "terms say, and this is needed for one that says none)")
    imp.add_argument("--source-url", metavar="URL",
                     help="page where people can check the facts, for records without a page of their own")
    imp.add_argument("--region", metavar="ST", help="state to assume for records that give none, e.g. CT")
    imp.add_argument("--timezone", metavar="ZONE", help="time zone of meetings that give none, e.g. America/New_York")
    imp.add_argument("--formats", metavar="SOURCE", help="BMLT: the GetFormats answer (default: asked of the "
                                                         "same server when SOURCE is an address)")
    imp.add_argument("--removed", choices=("flag", "remove", "keep"), default=None,
                     help="what to do with listings gone from the source: flag them with imported.removed "
                          "(default), remove them (unless edited by hand), or keep them")
    imp.add_argument("--allow-empty", action="store_true",
                     help="accept a source with no meetings at all although earlier imports found some")
    imp.add_argument("--dry-run", action="store_true", help="print what would be added, changed and removed; "
                                                            "write nothing")
    imp.add_argument("--summary", type=Path, metavar="FILE", help="also write the report to FILE (Markdown)")
    imp.add_argument("--quiet", action="store_true", help="list only conflicts, removals and refused records")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = make_parser().parse_args(argv)
    commands = {"build": run_build, "check": run_check, "serve": run_serve, "new": run_new, "due": run_due,
                "schema": run_schema, "import": run_import}
    return commands[args.command](args)


def run_check(args: argparse.Namespace) -> int:
    from .pipeline import gather_site

    strict = args.strict
    if args.strict_since and not strict:
        from .gitfiles import GitError, changed_since

        try:
            changed = changed_since(args.strict_since)
        except GitError as exc:
            print(f"check: --strict-since {args.strict_since}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        strict = lambda problem: Path(problem.path).resolve() in changed  # noqa: E731
    result = gather_site(args.content, repository=args.repository)
    if result.problems:
        print_problems(result.problems, args.format, strict)
    fatal = [p for p in result.problems if p.is_error or (strict(p) if callable(strict) else strict)]
    if fatal or result.site is None:
        return EXIT_CONTENT
    site = result.site
    print(f"Content is valid: {plural(len(site.listings), 'listing')}, {plural(len(site.articles), 'article')}.")
    return EXIT_OK


def output_allowed(args: argparse.Namespace) -> bool:
    """Check --output before anything is written (see generator.outputdir); say why when it is refused."""
    from .outputdir import OutputRefused, check_output

    try:
        args.output = check_output(args.output, args.content, args.templates, args.overwrite)
    except OutputRefused as exc:
        print(f"build.py: --output {args.output or repr(args.output)}: {exc}", file=sys.stderr)
        return False
    return True


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if not output_allowed(args):
        return EXIT_USAGE
    from .buildcache import input_stamp

    stamp = input_stamp(args.content, args.output, args.templates, (args.base_url, args.repository, args.strict))
    if args.cache and not args.plain and _up_to_date(args, stamp, started):
        return EXIT_OK
    from .errors import ContentError
    from .processes import WorkerStopped
    from .pipeline import WriteFailed, build_site

    try:
        result = build_site(args.content, args.output, args.base_url, args.templates, repository=args.repository,
                            strict=args.strict, cache=args.cache, workers=args.jobs, stamp=stamp, plain=args.plain)
    except ContentError as exc:  # every error, then the first warnings; the count is of all, as check's is
        print_problems(exc.problems + exc.warnings, args.format, args.strict,
                       limit=len(exc.problems) + WARNINGS_SHOWN_BY_BUILD)
        print(f"Build stopped; {args.output}/ was left as it was.", file=sys.stderr)
        return EXIT_CONTENT
    except WorkerStopped as exc:
        print(f"error: {exc}\nBuild stopped; {args.output}/ was left as it was.", file=sys.stderr)
        return EXIT_CONTENT
    except WriteFailed as exc:
        print(write_failure(exc, args.output), file=sys.stderr)
        return EXIT_CONTENT
    if result.problems:  # warnings only: the build went ahead, so a long list would bury the result
        print_problems(result.problems, args.format, limit=WARNINGS_SHOWN_BY_BUILD)
    site = result.site
    from .memory import hide_from_collector
    hide_from_collector()  # the process ends here: a last collection over the site would only delay the exit
    took = time.perf_counter() - started
    print(f"Built {plural(len(site.listings), 'listing')} and {plural(len(site.articles), 'article')} "
          f"into {args.output}/ in {took:.2f} s.")
    return EXIT_OK


def _up_to_date(args: argparse.Namespace, stamp: str, started: float) -> bool:
    """Report a build that has nothing to do: no input, option or output file changed since the last one.

    Runs before the heavy imports, so an unchanged site is confirmed in a fraction of a second.
    """
    from .buildcache import up_to_date

    manifest = up_to_date(args.output, stamp)
    if manifest is None:
        return False
    if manifest.problems:
        print_problems(manifest.problems, args.format, limit=WARNINGS_SHOWN_BY_BUILD)
    took = time.perf_counter() - started
    print(f"Nothing changed: {plural(manifest.listings, 'listing')} and {plural(manifest.articles, 'article')} "
          f"in {args.output}/ are up to date ({took:.2f} s).")
    return True


def run_serve(args: argparse.Namespace) -> int:
    if not output_allowed(args):
        return EXIT_USAGE
    from .serve import port_problem, serve  # livereload is only needed here

    problem = port_problem(args.host, args.port)
    if problem:
        print(f"build.py serve: {problem}", file=sys.stderr)
        return EXIT_USAGE

    return serve(args.content, args.output, args.base_url, args.host, args.port, args.repository, args.templates,
                 args.jobs)


def run_new(args: argparse.Namespace) -> int:
    from . import newlisting as nl
    from .load import display_path

    answers = {key: getattr(args, key) for key in ("name", "kind", "format", "summary", "city", "region", "online_url",
                                                   "source", "website", "phone", "email", "organization",
                                                   "last_verified") if getattr(args, key)}
    if args.support_types:
        answers["support_types"] = args.support_types
    try:
        taxonomy = nl.load_taxonomy(args.content)
        ask = (lambda q: _ask(q, taxonomy)) if sys.stdin.isatty() else None
        path, text = nl.prepare_listing(args.content, taxonomy, answers, args.slug, ask,
                                        lambda line: print(line, file=sys.stderr))
        written = nl.write_listing_file(args.content, taxonomy, path, text)
    except nl.NewListingError as exc:
        for problem in exc.problems:
            key = nl.answer_key(problem)
            print(f"{nl.option_name(key) if key else problem.path}: {problem.message}", file=sys.stderr)
        print(f"build.py new listing: {exc}", file=sys.stderr)
        return EXIT_USAGE if exc.usage else EXIT_CONTENT
    for item in written:
        print(f"Wrote {display_path(item)}")
    print("Next: add what else you know (description, schedule, contact) — see CONTRIBUTING.md — "
          "then run: python build.py check")
    return EXIT_OK


def _ask(question, taxonomy) -> str:
    from .newlisting import choices_text

    choices = choices_text(question, taxonomy)
    print(f"{question.prompt}: {question.help}" + (f"\n  choices: {choices}" if choices else ""), file=sys.stderr)
    try:
        return input("> ")
    except EOFError:
        return ""


def run_due(args: argparse.Namespace) -> int:
    from .due import due_report
    from .pipeline import gather_site

    result = gather_site(args.content, repository=args.repository)
    if result.site is None:
        print_problems(result.errors)
        return EXIT_CONTENT
    text = due_report(result.site, args.format)
    if text:
        print(text, end="")
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from .load import display_path
    from .newlisting import NewListingError, load_taxonomy
    from .schema_check import EDITOR_SCHEMA, listing_schema_for

    try:
        taxonomy = load_taxonomy(args.content)
    except NewListingError as exc:
        print_problems(exc.problems)
        return EXIT_CONTENT
    path = args.content / EDITOR_SCHEMA
    path.write_bytes(listing_schema_for(taxonomy, EDITOR_SCHEMA))
    print(f"Wrote {display_path(path)}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    """Import one source, or every configured one; write nothing on --dry-run or on any error."""
    from .importing.command import import_command
    return import_command(args)
