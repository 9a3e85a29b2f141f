"""What the commands print: problems one per line (or as GitHub annotations), and why a build could not write."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .errors import Problem
    from .stages import WriteFailed


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_problems(problems: list[Problem], style: str = "text", strict: bool | Callable[[Problem], bool] = False,
                   limit: int = 0) -> None:
    """Print problems one per line (to stderr, or as annotations to stdout for GitHub), then a count.

    `strict` makes warnings errors: all of them, or those it returns True for (--strict-since: the files a pull
    request changes). With `limit`, print at most that many and say how to see the rest.
    """
    fails = strict if callable(strict) else (lambda problem: strict)
    shown = problems[:limit] if limit else problems
    for problem in shown:
        if style == "github":
            print(github_annotation(problem, fails(problem)))
        else:
            print(problem, file=sys.stderr)
    if len(shown) < len(problems):
        print(f"… and {len(problems) - len(shown):,} more; `python build.py check` lists them all", file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = plural(len(problems) - errors, "warning")
    failing = sum(not p.is_error and fails(p) for p in problems)
    fatal = "" if not failing else f" ({failing} of them errors, in files changed since --strict-since)" \
        if callable(strict) else " (errors, with --strict)"
    print(f"{plural(errors, 'error')}, {warnings}{fatal}", file=sys.stderr)


def github_annotation(problem: Problem, strict: bool = False) -> str:
    """Return a GitHub Actions workflow command that shows the problem on its line of the pull request."""
    level = "error" if problem.is_error or strict else "warning"
    where = f"file={_escape(problem.path, True)}" + (f",line={problem.line}" if problem.line else "")
    title = _escape(problem.field, True)
    return f"::{level} {where},title={title}::{_escape(problem.message, False)}"


def _escape(text: str, is_property: bool) -> str:
    """Escape text as GitHub's workflow commands require (properties also escape ':' and ',')."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def write_failure(exc: WriteFailed, output: Path) -> str:
    """Return the one-line message for a build the machine stopped: what failed, why, and what it left."""
    import errno
    import os

    from .cachefiles import cache_folder
    from .stages import WriteFailed

    error, cache = exc.error, str(cache_folder(output))
    if error.filename is None:  # e.g. a full disk, found by write(): the stage tells
        in_cache = exc.output == WriteFailed.COMPLETE
    else:
        failed = os.path.abspath(os.fsdecode(error.filename))
        in_cache = failed == cache or failed.startswith(cache + os.sep)
    where = f"the build cache {os.path.relpath(cache)}/" if in_cache else f"{output}/"
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "free some disk space and build again"
    elif error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST):
        fix = "check the disk and build again"
    elif in_cache:
        fix = "check that you can write there, or build with --no-cache"
    else:
        fix = "check that you can write there and in the folder that holds it, or choose another --output"
    left = {WriteFailed.UNCHANGED: f"Build stopped; {output}/ was left as it was.",
            WriteFailed.COMPLETE: f"The site in {output}/ is complete; the next build may render every page "
                                  "again."}[exc.output]
    return f"build.py: cannot write {where}: {reason} — {fix}. {left}"
