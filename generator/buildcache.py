"""What a build remembers for the next one, kept beside the output in `.build-cache/<output name>/`.

- `manifest.pickle`: a stamp of every input's name, size and modification time plus the build's
  options; the problems the build reported; each render job's key and files; and the size and
  modification time of every output file. `quick.pickle` is the same without the jobs: when the
  stamp and the output both still match, a build has nothing to do (the no-op check reads only
  that file and imports nothing heavy).
- `sources.pickle`: every listing file parsed and validated, keyed by path, size, modification
  time and content digest, so a rebuild parses only the files that changed.
- `pieces.pickle`: each listing's parts of the open data files (JSON record, CSV row, HSDS rows,
  meetings), keyed by the listing's digest, so a rebuild encodes only the changed listings' parts.
- `jinja/`: compiled templates.

The cache only ever saves work: deleting it (or `build --no-cache`) gives the same output, more slowly.
A cache written by other code, another Python or other libraries is ignored.
"""
from __future__ import annotations

import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .dates import build_date
from .digest import PACKAGE, digest, installed_packages, iter_tree, stat_stamp
from .errors import Problem

FORMAT = 1
CACHE_FOLDER = ".build-cache"
DEFAULT_TEMPLATES = PACKAGE.parent / "templates"


@dataclass
class Manifest:
    """The previous build of one output folder."""

    stamp: str
    problems: list[Problem]
    listings: int
    articles: int
    jobs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # name → (key, output paths)
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # output path → (size, mtime_ns)


@dataclass
class CachedSource:
    """One listing file as the previous build read it: enough to skip reading it again."""

    size: int
    mtime_ns: int
    digest: str
    listing: object  # the validated Listing (or Article), or None when the file had errors
    problems: list[Problem]


@dataclass
class Sources:
    """Parsed listing files, valid only for the same generator, taxonomy, settings and build date."""

    key: str = ""
    files: dict[str, CachedSource] = field(default_factory=dict)
    places: dict[str, object] = field(default_factory=dict)  # a location's fields → its Point (or None)
    articles: dict[str, CachedSource] = field(default_factory=dict)  # (an Article in `listing`)


def cache_folder(output: Path) -> Path:
    """Return where the cache of an output folder lives: beside it, so it is never published."""
    output = Path(os.path.abspath(output))
    return output.parent / CACHE_FOLDER / output.name


def input_stamp(content: Path, output: Path, templates: Path | None, options: tuple) -> str:
    """Return a digest of every input's name, size and mtime, the options and the build date.

    Cheap (no file is read), so the no-op check can run before any heavy import.
    """
    return digest(str(FORMAT), sys.version, os.getcwd(), os.path.abspath(content), os.path.abspath(output),
                  os.path.abspath(templates or DEFAULT_TEMPLATES), repr(options), build_date().isoformat(),
                  os.environ.get("SOURCE_DATE_EPOCH", ""), stat_stamp(content), stat_stamp(templates or DEFAULT_TEMPLATES),
                  stat_stamp(PACKAGE), *installed_packages())


def scan_output(output: Path) -> dict[str, tuple[int, int]]:
    """Return {path: (size, mtime_ns)} of every file in the output folder, hidden ones included."""
    return {name: (st.st_size, st.st_mtime_ns) for name, st in iter_tree(output, hidden=True)}


def load_manifest(output: Path) -> Manifest | None:
    return _load(cache_folder(output) / "manifest.pickle", Manifest)


def load_sources(output: Path) -> Sources:
    return _load(cache_folder(output) / "sources.pickle", Sources) or Sources()


def load_pieces(output: Path):
    """Return the open data pieces of the previous build (generator.exports.common.Pieces), or None."""
    from .exports.common import Pieces

    return _load(cache_folder(output) / "pieces.pickle", Pieces)


def _load(path: Path, kind: type):
    """Return the pickled value, or None when missing, unreadable or from another version of the code."""
    try:
        with open(path, "rb") as f:
            version, value = pickle.load(f)
    except Exception:  # a damaged or foreign cache is only a slower build
        return None
    from .digest import generator_version

    return value if version == generator_version() and isinstance(value, kind) else None


def save(output: Path, manifest: Manifest, sources: Sources | None, pieces=None) -> None:
    """Write the cache atomically (a crash leaves the previous cache or none, never half a file)."""
    from .digest import generator_version

    folder = cache_folder(output)
    folder.mkdir(parents=True, exist_ok=True)
    version = generator_version()
    quick = Manifest(manifest.stamp, manifest.problems, manifest.listings, manifest.articles, {}, manifest.files)
    items = [("manifest.pickle", (version, manifest)), ("quick.pickle", quick)]
    items += [("sources.pickle", (version, sources))] if sources is not None else []
    items += [("pieces.pickle", (version, pieces))] if pieces is not None else []
    for name, value in items:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / name)
        except BaseException:
            os.unlink(tmp)
            raise


def forget(output: Path) -> None:
    """Remove the manifest, so the next build writes every file (used when output state is unknown)."""
    for name in ("quick.pickle", "manifest.pickle"):
        try:
            os.unlink(cache_folder(output) / name)
        except FileNotFoundError:
            pass


def up_to_date(output: Path, stamp: str) -> Manifest | None:
    """Return the previous build's manifest when nothing it depends on has changed, else None.

    `stamp` is input_stamp() of this build.
    Every file the previous build wrote must still be there with the same size and modification
    time. (A stray file put into the output by hand is not looked for here; the next build that
    has work to do removes it, as a full build would.)
    """
    quick = _load_quick(cache_folder(output) / "quick.pickle")
    if quick is None or quick.stamp != stamp:
        return None
    root = os.path.abspath(output)
    stat = os.stat
    try:
        for path, (size, mtime) in quick.files.items():
            st = stat(f"{root}/{path}")
            if st.st_size != size or st.st_mtime_ns != mtime:
                return None
    except OSError:
        return None
    return quick


def _load_quick(path: Path) -> Manifest | None:
    """Load the manifest's summary without computing the generator's digest (the stamp covers the code)."""
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
    except Exception:
        return None
    return value if isinstance(value, Manifest) else None
