"""Refuse an output folder the build must not replace, and recognise the folders it made itself.

A build replaces its output folder whole: a full build swaps a new tree in, an incremental one
deletes every file no page makes. So before anything is written, the output is checked:
- never the content or templates folders, the generator's code, the repository (or any folder
  holding it), the home folder or `/`, whatever the options say;
- never a file, or a path that cannot be a folder because a file stands where a folder should be;
- an existing folder that is not empty only when this generator made it: every build writes MARKER
  into its output (as one more site file, see render.plan_site), and an output built before the
  marker existed is known by its manifest in the build cache beside it. `overwrite` lifts this one
  rule, for a folder the person running the build means to replace.
Paths are compared as their real paths, so a symbolic link cannot lead the build into a refused folder.
"""
from __future__ import annotations

import os
from pathlib import Path

from .cachefiles import cache_folder
from .digest import DEFAULT_TEMPLATES, PACKAGE

MARKER = ".peer-support-directory-output"
MARKER_TEXT = (b"This folder was made by build.py, the Peer Support Directory generator. Every build replaces what "
               b"is in it: files put here by hand are deleted. Edit the content and templates, then build again.\n"
               b"Leave this file here: build.py refuses to replace a folder without it.\n")
REPLACES = "the build replaces its output folder whole"
SUGGESTION = "choose another folder, e.g. --output output"


class OutputRefused(ValueError):
    """The output folder must not be written to; the message says why and what to do instead."""


def check_output(output: str, content: Path, templates: Path | None = None, overwrite: bool = False) -> Path:
    """Return `output` as a Path when a build may replace it; else raise OutputRefused."""
    if not output:
        raise OutputRefused("no folder given — name the folder to build into, e.g. --output output")
    # '~/site' is the home folder's 'site', as a shell would read it: the shell leaves it as typed after '=' or in
    # quotes, and a folder named '~' made here would invite 'rm -rf ~' to clear it away.
    output = os.path.expanduser(output)
    real = os.path.realpath(output)
    refused = next(_protected(real, content, templates), None)
    if refused:
        linked = " (through a symbolic link)" if os.path.islink(output.rstrip(os.sep) or os.sep) else ""
        raise OutputRefused(f"that {refused}{linked}; {REPLACES} — {SUGGESTION}")
    if os.path.lexists(real) and not os.path.isdir(real):
        raise OutputRefused(f"that is a file, not a folder; {REPLACES} — remove the file or {SUGGESTION}")
    blocked = _file_in_the_way(real)
    if blocked:
        raise OutputRefused(f"{blocked} is a file, so no folder can be made there — {SUGGESTION}")
    if not overwrite and not is_own_output(Path(output)):
        raise OutputRefused(f"that folder holds files this generator did not make (it has no {MARKER}); "
                            f"{REPLACES} — choose another folder, or add --overwrite to replace it")
    return Path(output)


def is_own_output(output: Path) -> bool:
    """Return whether `output` is missing, empty or made by this generator (its marker, or an earlier version's
    manifest in the build cache)."""
    real = Path(os.path.realpath(output))
    try:
        with os.scandir(real) as entries:
            if next(entries, None) is None:
                return True
    except FileNotFoundError:
        return True
    except OSError:  # not readable: nothing shows that the generator made it
        return False
    if (real / MARKER).is_file():
        return True
    return (cache_folder(output) / "manifest.pickle").is_file()


def _protected(real: str, content: Path, templates: Path | None):
    """Yield how the real output path meets each folder a build must never replace: "is the content folder"…

    The content, templates and code may not hold the output either; the repository, home and `/` may
    (output/ in the repository is the default).
    """
    repository = PACKAGE.parent
    work_tree = _work_tree(repository)
    whole = [("the content folder", content), ("the templates folder", templates or DEFAULT_TEMPLATES),
             ("the generator's templates folder", DEFAULT_TEMPLATES), ("the generator's code", PACKAGE),
             ("the repository's .git", repository / ".git"),
             ("the repository's .git", work_tree and work_tree / ".git")]
    around = [("the root folder /", Path("/")), ("your home folder", _home()), ("the repository", repository),
              ("the repository", work_tree)]
    whole = [(name, os.path.realpath(path)) for name, path in whole if path]
    around = [(name, os.path.realpath(path)) for name, path in around if path]
    for name, place in whole + around:
        if real == place:
            yield f"is {name}"
    for name, place in whole:
        if _inside(real, place):
            yield f"is inside {name}"
    for name, place in around + whole:
        if _inside(place, real):
            yield f"holds {name}"


def _inside(path: str, folder: str) -> bool:
    """Return whether a real path lies strictly inside a real folder."""
    return path != folder and path.startswith(folder.rstrip(os.sep) + os.sep)


def _home() -> Path | None:
    try:
        return Path.home()
    except RuntimeError:  # no HOME and no entry in the password database
        return None


def _work_tree(folder: Path) -> Path | None:
    """Return the git work tree around a folder (the nearest folder upwards holding .git), if any."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _file_in_the_way(real: str) -> str | None:
    """Return the nearest existing path above a missing output when it is a file (no folder can be made there)."""
    path = Path(real)
    while not os.path.lexists(path):
        path = path.parent
    if path.is_dir() or path == Path(real):
        return None
    here = os.path.realpath(os.getcwd())
    return os.path.relpath(path, here) if _inside(str(path), here) else str(path)
