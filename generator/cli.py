"""Parse arguments and call the library; content errors become messages and exit codes here only."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import ContentError, Problem
from .pipeline import build_site, gather_site

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for build.py."""
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build a peer-support directory website from content/.",
        epilog="Exit codes: 0 success, 1 content errors, 2 usage errors.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser("build", help="validate the content and build the site into the output folder")
    check = commands.add_parser("check", help="validate the content and report every problem; writes nothing")
    serve = commands.add_parser("serve", help="build, serve locally and rebuild when content or templates change")
    for sub in (build, check, serve):
        sub.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="folder with listings/, articles/ and taxonomy.yaml (default: content)")
    for sub in (build, serve):
        sub.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                         help="folder to write the site into (default: output)")
        sub.add_argument("--base-url", default=None, metavar="URL",
                         help="public address of the site, e.g. https://example.org/ (default: from content/site.yaml)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = make_parser().parse_args(argv)
    return {"build": run_build, "check": run_check, "serve": run_serve}[args.command](args)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_problems(problems: list[Problem]) -> None:
    """Print problems to stderr, one per line, then a count."""
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    print(f"{plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    result = gather_site(args.content)
    if result.problems:
        print_problems(result.problems)
    if result.errors or result.site is None:
        return EXIT_CONTENT
    site = result.site
    print(f"Content is valid: {plural(len(site.listings), 'listing')}, {plural(len(site.articles), 'article')}.")
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        site = build_site(args.content, args.output, args.base_url)
    except ContentError as exc:
        print_problems(exc.problems)
        print(f"Build stopped; {args.output}/ was left as it was.", file=sys.stderr)
        return EXIT_CONTENT
    took = time.perf_counter() - started
    print(f"Built {plural(len(site.listings), 'listing')} and {plural(len(site.articles), 'article')} "
          f"into {args.output}/ in {took:.2f} s.")
    return EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve  # livereload is only needed here

    return serve(args.content, args.output, args.base_url, args.host, args.port)
