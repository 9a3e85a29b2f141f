"""The build cache's files and folders, each checked before it is trusted.

A cache only saves work, so anything wrong in it must cost time, never the build or its output:

- Every file the cache writes starts with MAGIC and a SHA-256 digest of the rest. A file is used
  only when the digest matches, so a truncated, emptied or bit-flipped file is never unpickled (a
  flipped byte in a pickle or in Jinja's marshalled code can load a *wrong* value, not only fail).
- The cache is made of real folders and plain files. A file, a symbolic link or anything else
  where a folder belongs, and a folder, a link or a pipe where a file belongs, is not read through
  (a link would read or write somewhere else; a pipe would block): it is removed, or replaced
  when the file is written again.

Either way the build goes on as if that part of the cache were empty, and prints a one-line note.
Files of another version of the code (without MAGIC) are ignored silently, as a stale cache is.
Standard library only: the no-op check reads the cache before importing anything heavy.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

MAGIC = b"peer-directory build cache 1\n"
DIGEST_SIZE = 32
# How files of the code before MAGIC began: a pickle (protocol 2 and later), Jinja's bytecode.
LEGACY_STARTS = (b"\x80", b"j2")
CACHE_FOLDER = ".build-cache"


def cache_folder(output: Path) -> Path:
    """Return where the cache of an output folder lives: beside it, so it is never published."""
    output = Path(os.path.abspath(output))
    return output.parent / CACHE_FOLDER / output.name


class Damaged(Exception):
    """A cache file that cannot be used; the message says why, as in "was damaged"."""


def read(path: Path) -> bytes | None:
    """Return the bytes a cache file was written with, or None when there is none (or it is another
    version's); raise Damaged when something else is in its place or its bytes are not what was written."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError):
        return None  # (a folder above it that is not one is the caller's to check: check_folder)
    except OSError as exc:
        raise Damaged("was a symbolic link" if os.path.islink(path) else "could not be read") from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Damaged("was not a file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read()
    except OSError as exc:
        raise Damaged("could not be read") from exc
    finally:
        os.close(fd)
    head = len(MAGIC) + DIGEST_SIZE
    if data[:len(MAGIC)] == MAGIC and len(data) >= head \
            and hashlib.sha256(memoryview(data)[head:]).digest() == data[len(MAGIC):head]:
        return data[head:]
    if data.startswith(LEGACY_STARTS):
        return None
    raise Damaged("was damaged")


def write(path: Path, parts) -> None:
    """Write a cache file atomically (a crash leaves the old file or none, never half of one).

    `parts` is a function that writes the content through the file object it is given (so a large
    pickle is streamed, not held in memory); whatever was in the file's place is replaced.
    """
    check_folder(path.parent, create=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + bytes(DIGEST_SIZE))
            digesting = _Digesting(f)
            parts(digesting)
            f.seek(len(MAGIC))
            f.write(digesting.sha.digest())
        try:
            os.replace(tmp, path)
        except (IsADirectoryError, FileExistsError):  # a folder in the file's place (a link or pipe is replaced)
            remove(path)
            os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class _Digesting:
    """A file's `write` that also digests what goes through it."""

    def __init__(self, f):
        self.f, self.sha = f, hashlib.sha256()

    def write(self, data) -> int:
        self.sha.update(data)
        return self.f.write(data)


def check_folder(folder: Path, create: bool = False) -> bool:
    """Return whether a cache folder is there, with every folder above it in the cache a real folder.

    Anything else in a folder's place (a file, a symbolic link) is removed, with a note; with
    `create`, missing folders are made (and the folders above the cache, as for an output not yet made).
    """
    for part in _cache_parts(Path(os.path.abspath(folder))):
        try:
            mode = os.lstat(part).st_mode
        except FileNotFoundError:
            if not create:
                return False
            os.makedirs(part)  # (the folders above the cache too: the output's may not exist yet)
            continue
        if stat.S_ISDIR(mode):
            continue
        note("folder", part, "was a symbolic link" if stat.S_ISLNK(mode) else "was not a folder")
        remove(part)
        if not create:
            return False
        os.mkdir(part)
    return True


def _cache_parts(folder: Path) -> list[Path]:
    """Return the folders from the cache's top (.build-cache) down to `folder` (only `folder` outside a cache)."""
    for top in (folder, *folder.parents):
        if top.name == CACHE_FOLDER:
            below = folder.relative_to(top).parts
            return [top.joinpath(*below[:i]) for i in range(len(below) + 1)]
    return [folder]


def remove(path: Path) -> None:
    """Remove whatever is at a path of the cache: a file, a link (not what it points to) or a folder."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            import shutil

            shutil.rmtree(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass


def note(what: str, path: Path, problem: str, count: int = 1) -> None:
    """Tell the user that a part of the cache was ignored (one line on stderr); the build goes on without it."""
    where = shown(path)
    if count == 1:
        print(f"note: the build cache's {what} ({where}) {problem}; it was rebuilt", file=sys.stderr)
    else:
        print(f"note: the build cache's {what} ({count} files in {where}) {problem}; they were rebuilt",
              file=sys.stderr)


def shown(path: Path) -> str:
    """Return a path relative to the working folder when it is inside it."""
    path = os.path.abspath(path)
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
