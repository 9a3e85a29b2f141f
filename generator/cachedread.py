"""The speed layer's gathering: listing files unchanged since the last build are taken from the build
cache, the others are read on several processes when there are many, with the collector paused.

The result is that of generator.stages.gather_site, which this runs with a faster Reader.
"""
from __future__ import annotations

from pathlib import Path

from . import stages
from .buildcache import CachedSource, Sources
from .dates import build_date
from .digest import digest, file_digest, generator_version
from .errors import Problems
from .geo import Gazetteer
from .load import Found, read_file
from .memory import with_collector_paused
from .processes import can_fork, default_workers, fork_map
from .sharing import SharedValues

# Fewer listing files to parse than this are read in this process: forking and sending the results
# back cost more than they save.
PARALLEL_READ_FROM = 2000
READ_CHUNK = 250


@with_collector_paused
def gather_site(content: Path, base_url: str | None = None, repository: str | None = None,
                sources: Sources | None = None, workers: int | None = None,
                templates: Path | None = None) -> stages.CheckResult:
    """Load and validate all content in one pass, collecting every problem (as generator.stages does).

    With `sources` (the build cache), listing files whose size and modification time (or else bytes)
    are unchanged since the cached read are not parsed again; `sources` is updated in place. Many
    listing files are read on `workers` processes (default: one per core).
    """
    return stages.gather_site(content, base_url, repository, CachedReader(sources, workers), templates)


class CachedReader(stages.Reader):
    """Reads each file on its own, with its own problems, so that its result can be cached, and so that
    many files can be read on several processes with the same result."""

    def __init__(self, sources: Sources | None, workers: int | None):
        self.sources, self.workers = sources, workers

    def listings(self, found: list[Found], taxonomy, markdown, problems: Problems) -> list:
        cache = self.sources if self.sources is not None else Sources()
        key = digest(generator_version(), repr(taxonomy), markdown.path_prefix, build_date().isoformat())
        if cache.key != key:
            cache.key, cache.files, cache.places, cache.articles = key, {}, {}, {}
        fresh: dict[str, CachedSource] = {}
        unchanged = {}
        for path, shown, st in found:
            entry = cache.files.get(shown)
            unchanged[shown] = entry and st and (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns)
        todo = [(path, shown, st, cache.files.get(shown)) for path, shown, st in found if not unchanged[shown]]
        gazetteer = KnownPlaces(cache.places)
        gazetteer.expect(len(todo))
        read = iter(_read_many(todo, taxonomy, markdown, gazetteer, self.workers))
        listings = []
        for path, shown, st in found:
            entry = cache.files[shown] if unchanged[shown] else next(read)
            fresh[shown] = entry
            problems.items.extend(entry.problems)
            if entry.listing is not None:
                listings.append(entry.listing)
        cache.files = fresh
        return listings

    def articles(self, found: list[Found], taxonomy, markdown, problems: Problems) -> list:
        """Return every valid article; like listings, each file's result is cached by its bytes."""
        cache = self.sources.articles if self.sources is not None else {}
        fresh = {}
        articles = []
        for path, shown, _ in found:
            try:
                data = read_file(path)
            except OSError:
                data = None  # load_article tries again, and says why it cannot
            key = file_digest(shown, data or b"")
            entry = cache.get(shown)
            if entry is None or entry.digest != key or data is None:
                found_here = Problems()
                article = stages.read_article(path, shown, taxonomy, markdown, found_here, data, key)
                entry = CachedSource(len(data or b""), 0, key, article, found_here.items)
            fresh[shown] = entry
            problems.items.extend(entry.problems)
            if entry.listing is not None:
                articles.append(entry.listing)
        if self.sources is not None:
            self.sources.articles = fresh
        return articles


def _read_many(todo: list, taxonomy, markdown, gazetteer: KnownPlaces, workers: int | None) -> list[CachedSource]:
    """Read listing files (path, shown path, stat, cached entry), on several processes when there are many."""
    shared = SharedValues()  # one table per build: serve's later builds do not keep adding to it

    def read(part) -> tuple[list[CachedSource], dict]:
        gazetteer.added = {}
        entries = [read_listing(*item, taxonomy, markdown, gazetteer) for item in part]
        for entry in entries:
            if entry.listing is not None:
                shared.share(entry.listing)
        return entries, gazetteer.added

    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(todo) < PARALLEL_READ_FROM or not can_fork():
        return read(todo)[0]
    gazetteer.prepare()  # the ZIP tables load once, before the workers fork and share them
    entries = []
    for part, places in fork_map(read, todo, workers, READ_CHUNK):
        entries += part
        gazetteer.known.update(places)
    return entries


def read_listing(path: Path, shown: str, st, cached: CachedSource | None, taxonomy, markdown,
                 gazetteer: Gazetteer) -> CachedSource:
    """Parse, validate and place one listing file (or reuse the cached result when its bytes are the same)."""
    try:
        data = read_file(path)
    except OSError:
        data = None  # load_yaml_file tries again, and says why it cannot
    key = file_digest(shown, data or b"")
    size, mtime = (st.st_size, st.st_mtime_ns) if st else (-1, -1)
    if cached and data is not None and cached.digest == key:
        return CachedSource(size, mtime, key, cached.listing, cached.problems)
    problems = Problems()
    listing = stages.read_listing(path, shown, taxonomy, markdown, gazetteer, problems, data, key)
    return CachedSource(size, mtime, key, listing, problems.items)


class KnownPlaces(Gazetteer):
    """A gazetteer that remembers every answer in the build cache: an edited listing in a place seen
    before is placed without loading the ZIP tables (a fixed cost of a few tenths of a second)."""

    def __init__(self, known: dict):
        super().__init__()
        self.known = known
        self.added: dict = {}  # answers learned since (a worker sends these back)

    def locate(self, location: dict):
        key = repr(sorted(location.items()))
        if key not in self.known:
            self.known[key] = self.added[key] = super().locate(location)
        return self.known[key]
