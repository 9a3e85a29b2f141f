"""Content digests for the build cache: of bytes, of whole folders, and of the generator itself.

Standard library only: the no-op check imports this before anything heavy.
"""
from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DEFAULT_TEMPLATES = PACKAGE.parent / "templates"  # the generator's own templates


def digest(*parts: str | bytes) -> str:
    """Return a short hex digest of the parts, each length-prefixed so ("ab", "c") != ("a", "bc")."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: str, data: bytes) -> str:
    """Return the digest of a content file: its path (it becomes the slug and the edit link) and bytes."""
    return digest(path, data)


def iter_tree(folder: Path, hidden: bool = False, folders: dict[str, int] | None = None):
    """Yield (path relative to folder, os.stat_result) for every file under it, in a stable order.

    Hidden files and folders (and __pycache__) are skipped, as the content loader skips them, unless
    `hidden` is set; then every file counts and symbolic links are not followed (the output folder).
    With `folders`, each folder below `folder` is recorded in it as {relative path: mtime_ns}.
    """
    stack = [(str(folder), "")]
    found = []
    seen: set[tuple[int, int]] = set()  # folders entered, by device and inode: a loop of links is entered once
    while stack:
        real, rel = stack.pop()
        try:
            entries = list(os.scandir(real))
            if not hidden and not _first_visit(real, seen):
                continue
        except OSError:
            continue
        for entry in entries:
            if not hidden and (entry.name.startswith(".") or entry.name == "__pycache__"):
                continue
            name = f"{rel}{entry.name}"
            follow = not hidden and _leads_somewhere(entry)  # a broken link counts as the link itself
            if entry.is_dir(follow_symlinks=follow):
                stack.append((entry.path, name + "/"))
                if folders is not None:
                    folders[name] = entry.stat(follow_symlinks=follow).st_mtime_ns
            else:
                found.append((name, entry.stat(follow_symlinks=follow)))
    found.sort(key=lambda item: item[0])
    return found


def _first_visit(folder: str, seen: set[tuple[int, int]]) -> bool:
    st = os.stat(folder)
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _leads_somewhere(entry: os.DirEntry) -> bool:
    """Return False for a symbolic link to nothing (or to itself, or in a loop of links)."""
    if not entry.is_symlink():
        return True
    try:
        entry.stat()
    except OSError:
        return False
    return True


def tree_digest(folder: Path) -> str:
    """Return a digest of every file's name and bytes under a folder (templates: a few dozen files)."""
    return _tree_digest(str(folder.resolve()), _tree_stamp(folder))


def _tree_stamp(folder: Path) -> str:
    return digest(repr([(name, st.st_size, st.st_mtime_ns) for name, st in iter_tree(folder)]))


@lru_cache(maxsize=8)
def _tree_digest(folder: str, stamp: str) -> str:
    root = Path(folder)
    return digest(*(part for name, _ in iter_tree(root) for part in (name, (root / name).read_bytes())))


def stat_stamp(folder: Path) -> str:
    """Return a digest of every file's name, size and modification time under a folder (cheap; no reads)."""
    return _tree_stamp(folder)


@lru_cache(maxsize=1)
def generator_version() -> str:
    """Return a digest of the generator's own code, the Python version and the installed packages.

    Any change to the code or an upgraded library invalidates every cached result.
    """
    parts = [sys.version]
    for name, st in iter_tree(PACKAGE):
        if name.endswith((".py", ".json")) and "__pycache__" not in name:
            parts += [name, (PACKAGE / name).read_bytes()]
    return digest(*parts, *installed_packages())


def installed_packages() -> list[str]:
    """Return the names of the installed distributions' folders, which carry their versions."""
    return [name for entry in sys.path if entry.endswith("site-packages") and os.path.isdir(entry)
            for name in sorted(os.listdir(entry)) if name.endswith((".dist-info", ".egg-info"))]
