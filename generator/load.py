"""Read content/: site settings, taxonomy, listing files and articles, as parsed documents."""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .characters import file_text_problem
from .errors import Problems
from .yamlfile import Document, YamlProblem, decode, parse_text, read_yaml, report

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n?", re.DOTALL | re.MULTILINE)


@dataclass
class SourceFile:
    """A content file's display path, slug and parsed YAML (None when it could not be read)."""

    path: str
    slug: str
    doc: Document | None


@dataclass
class ArticleFile:
    """An article's display path, slug, front matter and Markdown body."""

    path: str
    slug: str
    meta: Document | None
    body: str


def display_path(path: Path) -> str:
    """Return the path as a contributor would type it: relative to the working folder if inside it."""
    return _relative(path, path.resolve(), Path.cwd().resolve())


def display_paths(paths: list[Path]) -> list[str]:
    """Return display_path() of many files, resolving each folder once instead of every file's whole path."""
    cwd = Path.cwd().resolve()
    folders: dict[Path, Path] = {}
    shown = []
    for path in paths:
        if path.is_symlink():
            real = path.resolve()
        else:  # then resolving the file is resolving its folder
            folder = folders.get(path.parent)
            if folder is None:
                folder = folders[path.parent] = path.parent.resolve()
            real = folder / path.name
        shown.append(_relative(path, real, cwd))
    return shown


def _relative(path: Path, real: Path, cwd: Path) -> str:
    try:
        return str(real.relative_to(cwd))
    except ValueError:
        return str(path)


# What a content folder may hold besides files and folders, named for messages.
_NOT_FILES = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device",
              stat.S_IFBLK: "a device"}
Found = tuple[Path, str, os.stat_result]  # a file, its display path and its lstat


def find_files(folder: Path, suffixes: tuple[str, ...], problems: Problems, noun: str) -> list[Found]:
    """Return the content files under a folder with one of the suffixes, in a stable order (each folder's
    files by name, then its folders by name).

    Hidden files and folders (a name starting with '.') are skipped, and so are other names, such as
    editor backups ('x.yaml~'). Symbolic links are not followed: a link could bring in a file from
    anywhere on the machine, or loop. They, and anything else that is not an ordinary file (a named
    pipe would stop the build for ever), are reported instead of read.
    """
    if not folder.is_dir():
        return []
    found: list[Found] = []
    stack = [(folder, display_path(folder))]
    while stack:  # not recursion: folders may nest deeper than Python's recursion limit
        here, shown = stack.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError as exc:
            problems.add(shown, 0, "(folder)", f"cannot be read: {exc.strerror} — check the folder's permissions")
            continue
        folders = []
        for entry in entries:
            kind = _classify(entry, f"{shown}/{entry.name}", suffixes, problems, noun)
            if kind == "folder":
                folders.append((Path(entry.path), f"{shown}/{entry.name}"))
            elif kind is not None:
                found.append((Path(entry.path), f"{shown}/{entry.name}", kind))
        stack.extend(reversed(folders))
    return found


def _classify(entry: os.DirEntry, shown: str, suffixes: tuple[str, ...], problems: Problems,
              noun: str) -> os.stat_result | str | None:
    """Return "folder" for a folder to look into, the lstat of a content file to read, or None for an entry
    to pass over (after recording why, if it looks like content)."""
    name = entry.name
    if name.startswith("."):
        if name in suffixes:
            problems.add(shown, 0, "(file name)", f"the file has no name before '{name}' — name it after the "
                                                  f"{noun}, e.g. 'hartford-tuesday-group{name}'")
        return None
    if entry.is_symlink():
        _report_link(entry, shown, suffixes, problems, noun)
        return None
    if entry.is_dir(follow_symlinks=False):
        if name.endswith(suffixes):
            problems.add(shown, 0, "(folder)", f"is a folder, so it is not read as a {noun} — rename it (the "
                                               f"files in it are read as usual)", severity="warning")
        return "folder"
    if not name.endswith(suffixes):
        if name.lower().endswith(suffixes):
            suffix = next(s for s in suffixes if name.lower().endswith(s))
            problems.add(shown, 0, "(file name)", f"'{name[-len(suffix):]}' must be lowercase — rename the file to "
                                                  f"'{name[:-len(suffix)]}{suffix}'")
        elif (stem := _meant_as_content(name, suffixes)) is not None:
            problems.add(shown, 0, "(file name)", f"is not read as a {noun}: its name must end in '{suffixes[0]}' — "
                                                  f"rename the file to '{stem}{suffixes[0]}'")
        return None
    return _file_stat(entry, shown, problems, noun)


def _meant_as_content(name: str, suffixes: tuple[str, ...]) -> str | None:
    """Return the name, less what it ends in, of a file that was surely meant as a content file but is not named as
    one: no ending at all ('my-group', as GitHub's editor lets a file be named) or a text file's ('my-group.txt',
    'my-group.yaml.txt'); None for anything else (an editor's backup, a README), which is passed over."""
    if "." not in name:
        return name
    if name.lower().endswith(".txt"):
        stem = name[:-4]
        return next((stem[:-len(s)] for s in suffixes if stem.lower().endswith(s)), stem) or None
    return None


def _file_stat(entry: os.DirEntry, shown: str, problems: Problems, noun: str) -> os.stat_result | None:
    """Return the lstat of an entry that should be a content file, or None after saying why it is not one."""
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError as exc:
        problems.add(shown, 0, "(file)", f"cannot be read: {exc.strerror} — check the file's permissions")
        return None
    if not stat.S_ISREG(st.st_mode):
        what = _NOT_FILES.get(stat.S_IFMT(st.st_mode), "not an ordinary file")
        problems.add(shown, 0, "(file)", f"is {what}, not a file — delete it, or replace it with the {noun} "
                                         "file itself")
        return None
    return st


def _report_link(entry: os.DirEntry, shown: str, suffixes: tuple[str, ...], problems: Problems, noun: str) -> None:
    """Record a symbolic link that stands for a content file or folder (links to other files are let be)."""
    try:
        to_folder = entry.is_dir()
    except OSError:  # a link to itself, or in a loop of links
        to_folder = False
    if to_folder:
        problems.add(shown, 0, "(folder)", "is a symbolic link to a folder, which is not followed — move the "
                                           f"{noun} files into this folder instead of linking to them")
    elif entry.name.endswith(suffixes):
        target = os.readlink(entry.path) + ("'" if os.path.exists(entry.path) else "', which does not exist")
        problems.add(shown, 0, "(file)", f"is a symbolic link to '{target} — links are not followed: put the {noun} "
                                         "file itself here")


def read_file(path: Path) -> bytes:
    """Return a content file's bytes; raise OSError for anything that is not an ordinary file.

    Opened without blocking, then checked: a named pipe put where a file was would otherwise wait
    for a writer for ever.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "it is not an ordinary file")
        return file.read()


def load_yaml_file(path: Path, problems: Problems, shown: str | None = None,
                   data: bytes | None = None) -> Document | None:
    """Return a file's parsed document, or None after recording why it could not be read.

    `shown` (its display path) and `data` (its bytes) save resolving the path and reading the file
    again when the caller has them already.
    """
    return _load_yaml(path, display_path(path) if shown is None else shown, problems, data)


def _load_yaml(path: Path, shown: str, problems: Problems, data: bytes | None = None) -> Document | None:
    try:
        doc = read_yaml(read_file(path) if data is None else data)
    except OSError as exc:
        problems.add(shown, 0, "(file)", f"cannot be read: {exc.strerror} — check the file's permissions")
        return None
    except YamlProblem as exc:
        report(problems, shown, exc)
        return None
    if doc.data is None:
        problems.add(shown, 1, "(file)", "the file is empty — fill it in, or delete it if it is not needed")
        return None
    if not isinstance(doc.data, dict):
        problems.add(shown, 1, "(file)", f"expected fields (name: value lines), found a {_kind(doc.data)} — "
                                         "write one field per line, like 'name: ...'")
        return None
    return doc


def load_article(path: Path, shown: str, problems: Problems, data: bytes | None = None) -> ArticleFile:
    """Return an article's front matter and Markdown; `data` (its bytes) saves reading the file again."""
    try:
        text = decode(read_file(path) if data is None else data).replace("\r\n", "\n")
    except OSError as exc:
        problems.add(shown, 0, "(file)", f"cannot be read: {exc.strerror} — check the file's permissions")
        return ArticleFile(shown, path.stem, None, "")
    except YamlProblem as exc:
        report(problems, shown, exc)
        return ArticleFile(shown, path.stem, None, "")
    odd = file_text_problem(text)  # the Markdown too, which YAML never reads (pages and the feed show it)
    if odd:
        problems.add(shown, odd[0], "(file)", odd[1])
        return ArticleFile(shown, path.stem, None, "")
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(shown, 1, "(front matter)", "missing front matter — start the file with a '---' line, "
                                                 "then title:, summary:, date:, then another '---' line")
        return ArticleFile(shown, path.stem, None, text)
    try:
        meta = parse_text(match.group(1), first_line=2)
    except YamlProblem as exc:
        report(problems, shown, exc, "(front matter)")
        return ArticleFile(shown, path.stem, None, text[match.end():])
    if not isinstance(meta.data, dict):
        problems.add(shown, 2, "(front matter)", "expected fields such as 'title: ...' between the '---' lines")
        meta = None
    return ArticleFile(shown, path.stem, meta, text[match.end():])


def _kind(value: object) -> str:
    return {list: "list", str: "single line of text", int: "number", float: "number",
            bool: "true/false value"}.get(type(value), type(value).__name__)
