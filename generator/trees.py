"""Whole output trees: swapped in one step, a spare kept in step, one build at a time, leftovers cleared.

A reader of the output (a CDN upload, `serve`, a browser) must see the previous site or the new one,
never a mix, even when a build is killed halfway. So no build writes into the live folder:
- a full build fills a new folder beside the output and exchanges it with the output;
- an incremental build brings a spare copy of the live site up to date (in the build cache, its
  unchanged files hard links to the live ones, so it costs little disk), then exchanges the two.
The exchange is one system call (Linux's renameat2 with RENAME_EXCHANGE): at every moment the output
path names a complete site. The live folder it replaced becomes the next build's spare, which first
takes the files this build changed ("carried" paths). Where the system cannot exchange, the output is
renamed aside and the new one renamed in: a moment with no folder, never a mix.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from .cachefiles import cache_folder, check_folder, remove
from .digest import iter_tree

OutputFiles = dict[str, tuple[int, int]]  # path → (size, mtime_ns)
OutputFolders = dict[str, int]  # folder ("" the tree itself) → mtime_ns
# The spare as the last build left it: its files and folders, and the paths where it differs from the live output.
Spare = tuple[OutputFiles, OutputFolders, frozenset]

_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
STAGING_PREFIXES = ("new-", "old-")


def scan_output_tree(output: Path) -> tuple[OutputFiles, OutputFolders]:
    """Return every file of the output folder, hidden ones included, and every folder's modification time.

    A folder's modification time changes whenever a file or folder is added to it, removed or
    renamed, so a later build can tell that nothing appeared or vanished by looking at the folders
    alone (see generator.write.current_files).
    """
    try:
        folders = {"": os.stat(output).st_mtime_ns}
    except OSError:
        folders = {}
    files = {name: (st.st_size, st.st_mtime_ns) for name, st in iter_tree(output, hidden=True, folders=folders)}
    return files, folders


def exchange(new: Path, live: Path) -> None:
    """Put the folder `new` at `live` in one step; the previous `live` folder ends up at `new`."""
    if not os.path.lexists(live):
        os.rename(new, live)
        return
    if _renameat2(new, live):
        return
    aside = new.with_name(new.name + ".aside")  # no atomic exchange here: rename aside, then in
    remove(aside)  # what a build killed between these renames left
    os.rename(live, aside)
    try:
        os.rename(new, live)
    except OSError:
        os.rename(aside, live)
        raise
    os.rename(aside, new)


def _renameat2(a: Path, b: Path) -> bool:
    """Exchange two paths with renameat2(RENAME_EXCHANGE); return False where the system lacks it."""
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # old kernel, or a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def spare_folder(output: Path) -> Path:
    """Return where the spare copy of an output lives: in its build cache, or beside it when that cache is
    on another file system (an exchange cannot cross one)."""
    output = Path(os.path.abspath(output))
    folder = cache_folder(output) / "spare"
    check_folder(folder.parent, create=True)
    if os.stat(folder.parent).st_dev != os.stat(output.parent).st_dev:
        return output.parent / f".{output.name}.spare"
    return folder


def remove_spare(output: Path) -> None:
    """Remove the spare copy of an output, wherever it is (a full build makes it useless; removing it then
    spares the next edit the time)."""
    output = Path(os.path.abspath(output))
    for spare in (cache_folder(output) / "spare", output.parent / f".{output.name}.spare"):
        for place in (spare, spare.with_name(spare.name + ".aside")):
            if os.path.lexists(place):
                remove(place)


def make_spare(output: Path, files: OutputFiles, folders: OutputFolders) -> tuple[Path, OutputFiles, OutputFolders]:
    """Make a spare copy of the output from hard links to its files; return it with its files and folders.

    `files` and `folders` are the output's as a build found them: every file is linked, never copied, so
    the spare costs a folder entry per file until a build writes a file anew in one of the two trees.
    """
    spare = spare_folder(output)
    remove(spare)
    root = os.path.abspath(output)
    os.mkdir(spare)
    os.chmod(spare, stat.S_IMODE(os.stat(root).st_mode))  # a web server reads it once it is swapped in
    for folder in sorted(f for f in folders if f):
        os.mkdir(f"{spare}/{folder}")
    for path in files:
        _link_or_copy(f"{root}/{path}", f"{spare}/{path}")
    spare_files = {path: _stat(f"{spare}/{path}") for path in files}
    return spare, spare_files, {folder: os.stat(f"{spare}/{folder}").st_mtime_ns for folder in folders}


def _link_or_copy(source: str, target: str) -> None:
    """Hard-link a file; copy it where the file system has no hard links (some network and FUSE mounts)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def tree_matches(tree: Path, files: OutputFiles, folders: OutputFolders) -> bool:
    """Return whether a tree still holds exactly these files and folders, as far as sizes and times tell."""
    root = os.path.abspath(tree)
    try:
        if os.path.islink(root) or not folders:
            return False
        if any(os.stat(f"{root}/{folder}" if folder else root).st_mtime_ns != t for folder, t in folders.items()):
            return False
        return all(_stat(f"{root}/{path}") == known for path, known in files.items())
    except OSError:
        return False


def _stat(path: str) -> tuple[int, int]:
    st = os.lstat(path)
    return st.st_size, st.st_mtime_ns


def remove_leftovers(output: Path) -> None:
    """Remove the staging folders that killed builds of this output left beside it (call under build_lock)."""
    output = Path(os.path.abspath(output))
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return
    prefixes = tuple(f".{output.name}.{kind}" for kind in STAGING_PREFIXES)
    for entry in entries:
        if entry.name.startswith(prefixes) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock for one build: a second build of the same output waits for the first."""
    folder = cache_folder(output)
    check_folder(folder, create=True)
    lock = folder / "lock"
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK  # NONBLOCK: a pipe does not wait
    try:
        fd = os.open(lock, flags, 0o644)
    except OSError:  # a link, a folder or a pipe in its place: the lock file is the cache's own, made again
        if stat.S_ISREG(os.lstat(lock).st_mode):
            raise  # a lock file we may not open (another user's): never removed while someone may hold it
        remove(lock)
        fd = os.open(lock, flags, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another build of {output}/ to finish…", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
