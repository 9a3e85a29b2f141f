"""Which files a change touches, from git: what `check --strict-since` holds to its warnings."""
from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git could not say (not a repository, an unknown commit, no git): the message says what to do."""


def _git(*args: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    except OSError as exc:
        raise GitError(f"git could not be run ({exc.strerror}) — install git, or leave the option out") from exc
    if done.returncode:
        said = (done.stderr.strip().splitlines() or ["no reason given"])[0]
        raise GitError(f"git cannot compare with it ({said}) — fetch it first (e.g. `git fetch origin main`), "
                       "or leave the option out")
    return done.stdout


def changed_since(ref: str) -> set[Path]:
    """Return the files (absolute paths) changed since `ref` on this branch: committed since the two parted
    (`ref...HEAD`, as a pull request's "Files changed" shows them), changed and not committed, and new."""
    top = Path(_git("rev-parse", "--show-toplevel").strip())
    names = [*_git("diff", "--name-only", "--no-renames", f"{ref}...HEAD", "--", cwd=top).splitlines(),
             *_git("diff", "--name-only", "--no-renames", "HEAD", "--", cwd=top).splitlines(),
             *_git("ls-files", "--others", "--exclude-standard", cwd=top).splitlines()]
    return {(top / name).resolve() for name in names if name}
