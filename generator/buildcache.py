"""What a build remembers for the next one, kept beside the output in `.build-cache/<output name>/`.

- `manifest.pickle`: a stamp of every input's name, size and modification time plus the build's
  options; the problems the build reported; each render job's key and files; and the size and
  modification time of every output file. `quick.pickle` is the same without the jobs: when the
  stamp and the output both still match, a build has nothing to do (the no-op check reads only
  that file and imports nothing heavy).
- `sources/`: every listing file parsed and validated, keyed by path, size, modification
  time and content digest, so a rebuild parses only the files that changed.
- `pieces/<kind>/`: each listing's parts of the open data and search files (JSON record, CSV row,
  HSDS rows, meetings, search record), keyed by the listing's digest, so a rebuild encodes only the
  changed listings' parts; a kind is loaded only by the job that uses it (PieceStore).
- Each is split into SHARDS files by key (a `Shelf`), and a build rewrites only the files whose
  entries changed: after editing one listing, a few small files instead of ~90 MB at 10,000 listings.
- `jinja/`: compiled templates (generator.templatecache).
- `spare/`: a copy of the output that an incremental build brings up to date and then exchanges with
  the output in one step (generator.trees); its unchanged files are hard links to the output's.
- `lock`: held by the build writing this output, so that two builds of one output take turns.

The cache only ever saves work: deleting it (or `build --no-cache`) gives the same output, more slowly.
A cache written by other code, another Python or other libraries is ignored. Every file is checked
before it is used (generator.cachefiles): a damaged one, or anything else in a file's or folder's
place, is ignored with a note and made again.
"""
from __future__ import annotations

import os
import pickle
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cachefiles import Damaged, cache_folder, check_folder, note, read, remove, write
from .dates import build_date
from .digest import DEFAULT_TEMPLATES, PACKAGE, digest, installed_packages, stat_stamp
from .errors import Problem
from .trees import scan_output_tree

if TYPE_CHECKING:
    from .model import Listing

FORMAT = 3
SHARDS = 64
RECORD = "record of the last build"  # what the notes about a damaged manifest call it


@dataclass
class Manifest:
    """The previous build of one output folder."""

    stamp: str
    problems: list[Problem]
    listings: int
    articles: int
    jobs: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # name → (key, output paths)
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # output path → (size, mtime_ns)
    folders: dict[str, int] = field(default_factory=dict)  # output folder ("" the output) → mtime_ns
    # The spare copy of the output that the next incremental build fills and swaps in (generator.trees):
    # its files and folders as above, and the paths where it is a build behind the output.
    spare: tuple[dict[str, tuple[int, int]], dict[str, int], frozenset] | None = None


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
    return scan_output_tree(output)[0]


def load_manifest(output: Path) -> Manifest | None:
    return _load(cache_folder(output) / "manifest.pickle", Manifest, RECORD)


class Shelf:
    """A dict pickled as SHARDS files (entries spread by a digest of their key) under a header.

    The header holds the code version and the `key` the entries were made under; a shard made under
    another key or version is ignored, so a crash between writes only loses entries, never mixes them.
    The shelf remembers what each shard held when it was last loaded or saved, and `save` rewrites
    only the shards whose entries are no longer the very same objects.
    """

    def __init__(self, folder: Path, what: str = "entries"):
        self.folder, self.what = folder, what  # what the notes about a damaged shard call its entries
        self.held: list[dict | None] = [None] * SHARDS  # each shard as on disk (None: unknown)
        self.key: str | None = None

    def load(self) -> tuple[object, dict] | None:
        """Return (the header's value, every entry), or None when there is no usable header."""
        from .digest import generator_version

        if not check_folder(self.folder):
            return None
        header = _load(self.folder / "header.pickle", tuple, self.what)
        if header is None:
            return None
        key, value = header
        version, entries, damaged = generator_version(), {}, []
        for index in range(SHARDS):
            path = self.folder / f"{index:02d}.pickle"
            try:
                found = _unpickle(read(path))
            except Damaged as exc:  # its entries are made again, and the shard rewritten (self.held says so)
                damaged.append((path, str(exc)))
                continue
            if isinstance(found, tuple) and len(found) == 3 and found[:2] == (version, key) \
                    and isinstance(found[2], dict):
                self.held[index] = found[2]
                entries.update(found[2])
        if len(damaged) == 1:
            note(self.what, *damaged[0])
        elif damaged:
            note(self.what, self.folder, "were damaged", len(damaged))
        self.key = key
        return value, entries

    def save(self, key: str, value: object, entries: dict) -> None:
        """Write the header and every shard whose entries changed since they were loaded or saved."""
        from .digest import generator_version

        version = generator_version()
        shards: list[dict] = [{} for _ in range(SHARDS)]
        for name, entry in entries.items():
            shards[shard_of(name)][name] = entry
        check_folder(self.folder, create=True)
        same_key = key == self.key
        for index, shard in enumerate(shards):
            held = self.held[index]
            if same_key and held is not None and len(held) == len(shard) \
                    and all(held.get(name, held) is entry for name, entry in shard.items()):
                continue
            _write(self.folder / f"{index:02d}.pickle", (version, key, shard))
            self.held[index] = shard
        _write(self.folder / "header.pickle", (version, (key, value)))
        self.key = key


def shard_of(key: str) -> int:
    """Return the shard of an entry's key (a path, or a listing's digest)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


def load_sources(shelf: Shelf) -> Sources:
    """Return the parsed listing files the previous build kept in `shelf` (empty when there are none)."""
    found = shelf.load()
    if found is None or not isinstance(found[0], Sources):
        return Sources()
    sources, files = found
    return Sources(sources.key, files, sources.places, sources.articles)


class PieceStore:
    """The open data pieces (Pieces, below) of each kind, in a shelf of their own.

    A kind is loaded when a job first takes one of its pieces. Saved after the job: written at once
    (its shards that changed) and let go, or, when `remember` (serve), kept in memory and written by
    `flush`. At 100,000 listings the pieces weigh about a gigabyte; a build holds one job's at a time.
    """

    def __init__(self, folder: Path, remember: bool = False):
        self.folder, self.remember = folder, remember
        self.shelves: dict[str, Shelf] = {}
        self.memory: dict[str, tuple[str, dict]] = {}  # kind → (key, pieces), when remembering
        self.unsaved: set[str] = set()

    def load(self, kind: str, key: str) -> dict:
        """Return the pieces of a kind made under `key` (empty when there are none)."""
        if kind in self.memory:
            held, pieces = self.memory[kind]
            return pieces if held == key else {}
        found = self._shelf(kind).load()
        return found[1] if found is not None and found[0] == key else {}

    def save(self, kind: str, key: str, pieces: dict) -> None:
        if self.remember:
            self.memory[kind] = (key, pieces)
            self.unsaved.add(kind)
            return
        self._shelf(kind).save(key, key, pieces)
        del self.shelves[kind]  # its record of the shards would keep every piece alive

    def flush(self) -> None:
        """Write the kinds kept in memory since the last flush."""
        for kind in sorted(self.unsaved):
            key, pieces = self.memory[kind]
            self._shelf(kind).save(key, key, pieces)
        self.unsaved.clear()

    def _shelf(self, kind: str) -> Shelf:
        if kind not in self.shelves:
            self.shelves[kind] = Shelf(self.folder / kind, "open data pieces")
        return self.shelves[kind]


def _load(path: Path, kind: type, what: str):
    """Return the pickled value, or None when missing, damaged (with a note) or from another version of the code."""
    found = _unpickle(_read(path, what))
    if not (isinstance(found, tuple) and len(found) == 2):
        return None
    from .digest import generator_version

    version, value = found
    return value if version == generator_version() and isinstance(value, kind) else None


def _read(path: Path, what: str) -> bytes | None:
    """Return a cache file's bytes as they were written, or None (with a note when it was damaged)."""
    if not check_folder(path.parent):
        return None
    try:
        return read(path)
    except Damaged as exc:
        note(what, path, str(exc))
        return None


def _unpickle(data: bytes | None):
    """Return the value of checked bytes (see cachefiles.read), or None."""
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # intact, so another version's: a class it names may be gone
        return None


def _write(path: Path, value: object) -> None:
    """Pickle a value into a cache file, streamed and atomically (see cachefiles.write)."""
    write(path, lambda f: pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL))


def save(output: Path, manifest: Manifest, shelf: Shelf, sources: Sources | None = None) -> None:
    """Write the cache: the manifest, and the parsed sources into their shelf (the pieces have their own store)."""
    from .digest import generator_version

    folder = cache_folder(output)
    check_folder(folder, create=True)
    version = generator_version()
    if sources is not None:
        shelf.save(sources.key, Sources(sources.key, {}, sources.places, sources.articles), sources.files)
    quick = Manifest(manifest.stamp, manifest.problems, manifest.listings, manifest.articles, {}, manifest.files, {})
    _write(folder / "manifest.pickle", (version, manifest))
    _write(folder / "quick.pickle", quick)


def forget(output: Path) -> None:
    """Remove the manifest, so the next build writes every file (used when output state is unknown)."""
    if check_folder(cache_folder(output)):
        for name in ("quick.pickle", "manifest.pickle"):
            remove(cache_folder(output) / name)


def up_to_date(output: Path, stamp: str) -> Manifest | None:
    """Return the previous build's manifest when nothing it depends on has changed, else None.

    `stamp` is input_stamp() of this build.
    Every file the previous build wrote must still be there with the same size and modification
    time. (A stray file put into the output by hand is not looked for here; the next build that
    has work to do removes it, as a full build would.)
    """
    quick = _unpickle(_read(cache_folder(output) / "quick.pickle", RECORD))
    if not isinstance(quick, Manifest) or quick.stamp != stamp:
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
    return quick  # (the stamp covers the code's version: the generator's digest need not be computed)


class Pieces:
    """Each listing's pieces of the open data and search files, kept between builds by the build cache.

    A piece depends only on the site constants and its listing, so it is looked up by the listing's
    digest; `key` names the constants (and code) the pieces were made with, and a build with other
    constants starts afresh. Pieces are kept by kind ("json", "csv", "meetings", "hsds", "hsds-tables",
    "search", "search-words"): `store` (generator.buildcache.PieceStore) gives a kind's pieces of the
    previous build when a job first takes one, and `put_away` hands back the pieces this build used once the job's
    files are written. So only the kinds of one job are in memory at a time, pieces of deleted or
    edited listings are dropped, and kinds that no job asked for (their files were up to date) stay
    as they were.
    """

    def __init__(self, key: str = "", store=None, keep: bool = True):
        self.key, self.store, self.keep = key, store, keep
        self.old: dict[str, dict] = {}  # kind → {listing digest: piece}, as the previous build left them
        self.new: dict[str, dict] = {}  # kind → the pieces this build used

    def take(self, kind: str, listing: Listing, make):
        old = self.old.get(kind)
        if old is None:
            old = self.old[kind] = self.store.load(kind, self.key) if self.store is not None else {}
            self.new[kind] = {}
        found = old.get(listing.digest) if listing.digest else None
        if found is None:
            found = make(listing)
        if listing.digest and self.keep:
            self.new[kind][listing.digest] = found
        return found

    @property
    def remembered(self) -> bool:
        """Whether the pieces are kept in this process's memory for the next build (serve)."""
        return self.store is not None and self.keep and self.store.remember

    def put_away(self) -> None:
        """Give the kinds taken so far back to the store and let go of them (their files are written)."""
        if self.store is not None and self.keep:
            for kind, pieces in self.new.items():
                self.store.save(kind, self.key, pieces)
        self.old.clear()
        self.new.clear()
