"""Read content/: site settings, taxonomy, listing files and articles, as parsed documents."""
from __future__ import annotations

import os
import re
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


def iter_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Return files under a folder with the given suffixes, in a stable order; hidden files are skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / name for name in sorted(files)
                     if name.endswith(suffixes) and not name.startswith("."))
    return found


def load_yaml_file(path: Path, problems: Problems, shown: str | None = None,
                   data: bytes | None = None) -> Document | None:
    """Return a file's parsed document, or None after recording why it could not be read.

    `shown` (its display path) and `data` (its bytes) save resolving the path and reading the file
    again when the caller has them already.
    """
    return _load_yaml(path, display_path(path) if shown is None else shown, problems, data)


def _load_yaml(path: Path, shown: str, problems: Problems, data: bytes | None = None) -> Document | None:
    try:
        doc = read_yaml(path.read_bytes() if data is None else data)
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


def load_listing_files(content: Path, problems: Problems) -> list[SourceFile]:
    """Return every listing file under content/listings/, parsed."""
    folder = content / "listings"
    files = iter_files(folder, (".yaml", ".yml"))
    return [SourceFile(shown, p.stem, _load_yaml(p, shown, problems)) for p, shown in zip(files, display_paths(files))]


def load_article(path: Path, shown: str, problems: Problems) -> ArticleFile:
    try:
        text = decode(path.read_bytes()).replace("\r\n", "\n")
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
