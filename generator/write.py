"""The one module that writes the output folder's files (generator.trees swaps whole trees).

Every file a build makes is first written to a staging folder beside the output. Only when every
page rendered does anything move into place, and then in one step, so a failed or killed build
leaves the previous site exactly as it was, and a reader sees the old site or the new one:
- a full build (no usable manifest from the previous build) exchanges the staging folder with the
  output;
- an incremental build writes the files whose bytes changed into a spare copy of the output, deletes
  from it the files no job makes any more, and exchanges it with the output (see generator.trees).

Into the spare, a changed file's new bytes are written into the existing file rather than by renaming
a new file over it: on this project's machines a rename cost 86 µs, most of it removing the old file,
and writing in place 12 µs; after a template edit at 100,000 listings, renames were a third of the
build. Symbolic links, hard-linked files (the spare shares its unchanged files with the output) and
anything else that is not a plain file of its own are replaced whole, so nothing is written through.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .files import Files
from .trees import (OutputFiles, OutputFolders, Spare, exchange, make_spare, remove_spare, scan_output_tree,
                    spare_folder, tree_matches)

if TYPE_CHECKING:
    from .buildcache import Manifest  # the speed layer's record of the previous build

# Where the spare is a build behind, the output's file is copied into it (writing in place costs a
# seventh of renaming a new file over the old one); one larger than this is hard-linked instead.
LINK_ABOVE = 1 << 20


class DuplicateOutput(Exception):
    """Two renderers produced the same output path (a bug, not a content problem)."""


def check_path(path: str) -> None:
    """Refuse output paths that could land outside the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(f"unsafe output path {path!r}")


def check_paths(files: Files) -> None:
    """Refuse unsafe output paths and two writes to one path."""
    for path, _ in files:
        check_path(path)
    check_unique(path for path, _ in files)


def check_unique(paths: Iterable[str], taken: Iterable[str] = ()) -> None:
    """Refuse two writes to one path, counting `taken` (files kept from the previous build) as written."""
    seen = set(taken)
    for path in paths:
        if path in seen:
            raise DuplicateOutput(f"two pages would be written to {path}")
        seen.add(path)


class Staging:
    """A folder beside the output that receives a build's new files before they go live.

    With `live` (the output's files as the build found them), a file whose bytes are already in the
    output is not written again but only noted in `same`: after editing one listing most of the
    search shards an incremental build makes are unchanged, and comparing is cheaper than creating.
    Files streamed in parts (the open data) cannot be compared before they are written: they are noted
    in `streamed`, and commit_changes compares those, and only those, once written.
    Such a build writes files in one by one, so the pages are appended to one staging file per
    process (`packed`: path → staging file, offset, length) instead of one file each in the output's
    folders: creating a file per page cost more than writing it, and creating and removing 100,000
    folders took longer than the moves themselves. Streamed files are staged side by side (`staged`).
    """

    def __init__(self, output: Path, live: dict[str, tuple[int, int]] | None = None):
        self.output = Path(os.path.abspath(output))
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.new-", dir=self.output.parent))
        self.live = live
        self.same: set[str] = set()
        self.streamed: set[str] = set()
        self.packed: dict[str, tuple[str, int, int]] = {}
        self._made: set[str] = set()
        self._pack: tuple[int, int, str] | None = None  # this process's staging file: pid, descriptor, name
        self._pack_end = 0
        self._readers: dict[str, int] = {}  # staging file name → descriptor, while committing

    def write(self, files: Files) -> list[str]:
        """Write files into the staging folder; return their paths."""
        live = self.live
        for path, data in files:
            check_path(path)
            if live is not None:
                if isinstance(data, bytes):
                    if live.get(path, (-1,))[0] == len(data) and _holds(self.output / path, data):
                        self.same.add(path)
                    else:
                        self._append(path, data)
                    continue
            else:
                parent = path.rpartition("/")[0]
                if parent and parent not in self._made:
                    (self.folder / parent).mkdir(parents=True, exist_ok=True)
                    self._made.add(parent)
            with open(self.staged(path), "wb") as f:
                if isinstance(data, bytes):
                    f.write(data)
                else:  # Chunks: the open data, streamed
                    f.writelines(data)
                    if live is not None:
                        self.streamed.add(path)
        return [path for path, _ in files]

    def _append(self, path: str, data: bytes) -> None:
        """Add a page to this process's staging file (a forked worker opens one of its own)."""
        pid = os.getpid()
        if self._pack is None or self._pack[0] != pid:
            # '%~' begins no name that staged() gives a streamed file (it writes '%' as %25).
            fd, name = tempfile.mkstemp(prefix="%~pages-", dir=self.folder)
            self._pack = (pid, fd, os.path.basename(name))
            self._pack_end = 0
        _, fd, name = self._pack
        _write_all(fd, data)
        self.packed[path] = (name, self._pack_end, len(data))
        self._pack_end += len(data)

    def staged(self, path: str) -> Path:
        """Return where an output path is staged: at the same place in the staging folder for a full
        build (which swaps the folder in whole), else under one flat name: the path with '%' and '/'
        written %25 and %2F, or, for a path too long for one file name, '%~' and a digest of it (a name
        that writing out '%' never gives)."""
        if self.live is None:
            return self.folder / path
        name = path.replace("%", "%25").replace("/", "%2F")
        if len(name.encode()) > 200:  # file names end at 255 bytes
            name = "%~" + hashlib.sha256(path.encode()).hexdigest()
        return self.folder / name

    def read_packed(self, name: str, offset: int, length: int) -> bytes:
        """Return a page appended to a staging file (see _append)."""
        fd = self._readers.get(name)
        if fd is None:
            fd = self._readers[name] = os.open(self.folder / name, os.O_RDONLY | os.O_CLOEXEC)
        return os.pread(fd, length, offset)

    def discard(self) -> None:
        if self._pack is not None and self._pack[0] == os.getpid():
            os.close(self._pack[1])
            self._pack = None
        for fd in self._readers.values():
            os.close(fd)
        self._readers.clear()
        if os.path.islink(self.folder):  # after a full build's exchange: an output that was a symbolic link
            os.unlink(self.folder)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)  # what is left, the next build's remove_leftovers takes


def current_files(output: Path, previous: Manifest | None) -> tuple[OutputFiles, OutputFolders] | None:
    """Return the output's files and folders when an incremental build can trust it (None: write everything).

    When every folder of the previous build is there with the same modification time, no file was
    added, removed or renamed since, and only the files the previous build wrote are looked at (one
    stat each); otherwise the whole folder is scanned again.
    """
    if previous is None or not output.is_dir():
        return None
    root = os.path.abspath(output)
    stat = os.stat
    try:
        same = bool(previous.folders) and all(
            stat(f"{root}/{folder}" if folder else root).st_mtime_ns == mtime
            for folder, mtime in previous.folders.items())
    except OSError:
        same = False
    if not same:
        return scan_output_tree(output)
    files = {}
    for path in previous.files:
        try:
            st = os.lstat(f"{root}/{path}")
        except OSError:
            continue
        files[path] = (st.st_size, st.st_mtime_ns)
    return files, dict(previous.folders)


def commit_full(staging: Staging) -> tuple[OutputFiles, OutputFolders]:
    """Swap the staging folder in as the whole output; return the new output's files and folders."""
    os.chmod(staging.folder, 0o755)
    try:
        exchange(staging.folder, staging.output)
    finally:
        staging.discard()  # after the exchange, the previous output
    remove_spare(staging.output)  # a spare of an older output: an incremental build makes a new one
    return scan_output_tree(staging.output)


def commit_changes(staging: Staging, staged: list[str], keep: set[str], files: OutputFiles, folders: OutputFolders,
                   spare: Spare | None = None, changed: Iterable[str] = ()
                   ) -> tuple[OutputFiles, OutputFolders, Spare | None]:
    """Bring the spare copy of the output up to date and exchange it with the output in one step.

    Staged files whose bytes differ from the output's are written into the spare, files outside `keep`
    and the staged set are deleted from it, and the output's files at the paths where the spare is a
    build behind are linked into it. `files` and `folders` are the output as found before; `spare` is
    the spare as the last build left it (None: make it afresh); `changed` lists output paths written
    since that build by other means (serve's preview). Return the output's files and folders, and the
    spare's record, after the commit. When no file differs, nothing is touched.
    """
    output = staging.output
    wanted = keep.union(staged)
    removed = [path for path in files.keys() | set(changed) if path not in wanted]  # (a preview's page too)
    try:
        written = [path for path in staged if path not in staging.same and not _streamed_same(staging, path, files)]
        if not written and not removed:
            return files, folders, spare  # nothing differs: the output stays, and so does the spare
        tree, tree_files, tree_folders, behind = _ready_spare(output, spare, files, folders)
        touched: set[str] = set()  # folders of the tree whose entries changed
        for path in written:
            tree_files[path] = _commit_one(staging, path, tree, touched)
        for path in (behind & wanted).difference(written):  # the spare is a build behind there
            tree_files[path] = _copy_into(f"{output}/{path}", f"{tree}/{path}", staging.folder, touched, path)
        for path in [path for path in tree_files if path not in wanted]:
            _remove(tree, path, touched)
            del tree_files[path]
        for folder in touched:
            try:
                tree_folders[folder] = os.stat(f"{tree}/{folder}" if folder else tree).st_mtime_ns
            except FileNotFoundError:
                tree_folders.pop(folder, None)
        exchange(tree, output)
        # Some file systems (XFS) give a folder moved to another parent a new modification time.
        tree_folders[""], folders = os.stat(output).st_mtime_ns, {**folders, "": os.stat(tree).st_mtime_ns}
    finally:
        staging.discard()
    return tree_files, tree_folders, _next_spare(tree, files, folders, set(written).union(removed, changed))


def _ready_spare(output: Path, spare: Spare | None, files: OutputFiles,
                 folders: OutputFolders) -> tuple[Path, OutputFiles, OutputFolders, set[str]]:
    """Return the spare tree with its files, folders and the paths where it is a build behind the output.

    A spare that is not exactly as the last build left it (a killed build, a hand edit) is made afresh.
    """
    if spare is not None:
        tree = spare_folder(output)
        if tree_matches(tree, spare[0], spare[1]):
            return tree, dict(spare[0]), dict(spare[1]), set(spare[2])
    tree, tree_files, tree_folders = make_spare(output, files, folders)
    return tree, tree_files, tree_folders, set()


def _next_spare(tree: Path, files: OutputFiles, folders: OutputFolders, changed: set[str]) -> Spare:
    """Return the record of the next spare: the output as it was (now at `tree`), a build behind at `changed`.

    Paths written by other means than the build (serve's preview) are looked at again, with their folders.
    """
    files, folders = dict(files), dict(folders)
    root = os.path.abspath(tree)
    for path in changed - files.keys():
        try:
            st = os.lstat(f"{root}/{path}")
        except FileNotFoundError:
            continue
        files[path] = (st.st_size, st.st_mtime_ns)
        for folder in _parents(path):
            with contextlib.suppress(FileNotFoundError):
                folders[folder] = os.stat(f"{root}/{folder}" if folder else root).st_mtime_ns
    return files, folders, frozenset(changed)


def _streamed_same(staging: Staging, path: str, files: OutputFiles) -> bool:
    """Return whether a file streamed in parts (the open data) holds the bytes the output has already."""
    if path not in staging.streamed:
        return False
    old = files.get(path)
    return old is not None and old[0] == staging.staged(path).stat().st_size \
        and _same_bytes(staging.staged(path), staging.output / path)


def _commit_one(staging: Staging, path: str, tree: Path, touched: set[str]) -> tuple[int, int]:
    """Put one staged file into the tree; return its size and modification time there."""
    target = f"{tree}/{path}"
    packed = staging.packed.get(path)
    if packed is not None:
        name, offset, length = packed
        data = staging.read_packed(name, offset, length)
        if len(data) != length:
            raise OSError(f"staged page {path} was cut short")
        st, moved = _write_into(target, data, staging.folder)
    else:
        _replace(staging.staged(path), target)
        st, moved = os.stat(target), True
    if moved:
        touched.update(_parents(path))
    return st.st_size, st.st_mtime_ns


def _copy_into(source: str, target: str, spare: Path, touched: set[str], path: str) -> tuple[int, int]:
    """Make the tree's file at `path` the output's: its bytes and modification time (so a deploy that compares
    times sees no change). A large file (the open data) is hard-linked instead of copied."""
    st = os.lstat(source)
    if st.st_size > LINK_ABOVE:
        link = _aside(spare, target, ".link")
        os.link(source, link, follow_symlinks=False)
        _replace(link, target)
        moved = True
    else:
        with open(source, "rb") as f:
            moved = _write_into(target, f.read(), spare)[1]
        os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    if moved:
        touched.update(_parents(path))
    return st.st_size, st.st_mtime_ns
def _remove(tree: Path, path: str, touched: set[str]) -> None:
    try:
        os.unlink(f"{tree}/{path}")
    except FileNotFoundError:
        pass
    _remove_empty_parents(tree, path)
    touched.update(_parents(path))


def _write_into(target: str, data: bytes, spare: Path) -> tuple[os.stat_result, bool]:
    """Put `data` at `target`: into the file there when it is a plain file of its own, else as a new file
    (made in `spare` and renamed over it). Return its new status and whether a folder entry changed."""
    flags = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # NONBLOCK: a named pipe does not wait
    try:
        fd = os.open(target, flags)
        created = False
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, flags | os.O_CREAT | os.O_EXCL, 0o666)
        created = True
    except OSError:  # a symbolic link, a folder, a pipe, a file not writable: replaced whole, not written through
        fd = None
    try:
        if fd is not None and not created:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode) or found.st_nlink > 1:  # a hard link's bytes are shared
                os.close(fd)
                fd = None
        if fd is None:
            whole = _aside(spare, target, ".whole")
            whole.write_bytes(data)
            _replace(whole, target)
            return os.stat(target), True
        _write_all(fd, data)
        if not created:
            os.ftruncate(fd, len(data))
        return os.fstat(fd), created
    finally:
        if fd is not None:
            os.close(fd)


def _aside(staging_folder: Path, target: str, suffix: str) -> Path:
    """Return a name in the staging folder for a new file on its way to `target` ('%~' begins no staged name)."""
    return staging_folder / ("%~" + hashlib.sha256(target.encode()).hexdigest() + suffix)


def _replace(source: Path, target: str) -> None:
    try:
        os.replace(source, target)
    except FileNotFoundError:  # a new folder
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _parents(path: str) -> list[str]:
    """Return every folder above an output path, the output itself ("") included."""
    parts = path.split("/")[:-1]
    return [""] + ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def write_in_place(output: Path, files: Files, before: dict[str, bytes | None]) -> list[str]:
    """Write files straight into the live output, each replaced whole (serve's preview); return their paths.

    `before` records what each path held first (None: no file), so that put_back can restore it.
    """
    for path, data in files:
        check_path(path)
        target = output / path
        try:
            old = target.read_bytes()
        except FileNotFoundError:
            old = None
        before.setdefault(path, old)
        if data != old:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.preview")
            temporary.write_bytes(data)
            os.replace(temporary, target)
    return [path for path, _ in files]


def put_back(output: Path, before: dict[str, bytes | None]) -> dict[str, tuple[int, int]]:
    """Restore what write_in_place changed; return the (size, mtime) of each file put back."""
    restored = {}
    for path, old in before.items():
        target = output / path
        if old is None:
            target.unlink(missing_ok=True)
            continue
        temporary = target.with_name(f".{target.name}.preview")
        temporary.write_bytes(old)
        os.replace(temporary, target)  # a reader sees the preview or the page as it was, never half of one
        st = target.stat()
        restored[path] = (st.st_size, st.st_mtime_ns)
    return restored


def _holds(path: Path, data: bytes) -> bool:
    """Return whether a file holds exactly these bytes."""
    try:
        with open(path, "rb") as f:
            return f.read(len(data) + 1) == data
    except OSError:
        return False


def _same_bytes(a: Path, b: Path, block: int = 1 << 20) -> bool:
    """Compare two files a block at a time (the open data files can be hundreds of megabytes)."""
    try:
        with open(a, "rb") as one, open(b, "rb") as two:
            while True:
                first, second = one.read(block), two.read(block)
                if first != second:
                    return False
                if not first:
                    return True
    except OSError:
        return False


def _remove_empty_parents(output: Path, path: str) -> None:
    parent = PurePosixPath(path).parent
    while parent.parts:
        try:
            os.rmdir(output / parent)
        except OSError:  # not empty (or gone): stop
            return
        parent = parent.parent


def write_site(files: Files, output: Path) -> None:
    """Write (path, bytes) pairs as the whole new contents of `output`, replacing it in one swap."""
    check_paths(files)
    staging = Staging(output)
    try:
        staging.write(files)
        commit_full(staging)
    except BaseException:
        staging.discard()
        raise
