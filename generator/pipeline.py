"""The build, start to finish: gather (load + validate) → render → write."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .crosscheck import check_site
from .errors import ContentError, Problem, Problems
from .geo import Gazetteer, place_listings
from .load import SourceFile, display_path, find_files, load_article, load_yaml_file, read_file
from .markup import MarkdownRenderer
from .model import Site
from .buildcache import (CachedSource, Manifest, Sources, cache_folder, forget, input_stamp, load_manifest,
                         PieceStore, Shelf, load_sources, save)
from .dates import build_date
from .memory import (collector_paused, hide_from_collector, release_free_memory, show_to_collector,
                     with_collector_paused)
from .processes import can_fork, default_workers, fork_map
from .digest import digest, file_digest, generator_version
from . import validate
from .schema_check import EDITOR_SCHEMA, listing_schema_for
from .values import check_values
from .validate import (check_unique_slugs, validate_article, validate_config, validate_listing,
                       validate_taxonomy)
from .trees import build_lock, remove_leftovers
from .write import (Staging, check_unique, commit_changes, commit_full, current_files, put_back,
                    write_in_place)


@dataclass
class CheckResult:
    """What `check` found: the site (when it could be gathered) and every problem."""

    site: Site | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@with_collector_paused
def gather_site(content: Path, base_url: str | None = None, repository: str | None = None,
                sources: Sources | None = None, workers: int | None = None) -> CheckResult:
    """Load and validate all content in one pass, collecting every problem.

    With `sources` (the build cache), listing files whose size and modification time (or else bytes)
    are unchanged since the cached read are not parsed again; `sources` is updated in place. Many
    listing files are read on `workers` processes (default: one per core).
    """
    problems = Problems()
    taxonomy_path = content / "taxonomy.yaml"
    if not content.is_dir():
        problems.add(display_path(content), 0, "(folder)", "content folder not found — pass --content with "
                                                         "the folder that holds listings/ and taxonomy.yaml")
        return CheckResult(None, problems.sorted())
    if not taxonomy_path.is_file():
        problems.add(display_path(taxonomy_path), 0, "(file)", "is missing — the vocabulary file is required; "
                                                              "copy it from the starter content")
        return CheckResult(None, problems.sorted())
    taxonomy_doc = load_yaml_file(taxonomy_path, problems)
    config_path = content / "site.yaml"
    config_doc = load_yaml_file(config_path, problems) if config_path.is_file() else None
    if taxonomy_doc is None:
        return CheckResult(None, problems.sorted())
    taxonomy = validate_taxonomy(taxonomy_doc, display_path(taxonomy_path), problems)
    config = validate_config(config_doc, base_url, repository)
    check_config(config_doc, config, display_path(config_path), problems)
    check_editor_schema(content, taxonomy, problems)
    markdown = MarkdownRenderer(config.path_prefix)
    listings = read_listings(content, taxonomy, markdown, problems, sources, config.path_prefix, workers)
    articles = read_articles(content, taxonomy, markdown, problems, sources)
    listings = check_unique_slugs(listings, "listing", problems)
    articles = check_unique_slugs([a for a in articles if a], "article", problems)
    listings.sort(key=lambda l: (l.name.casefold(), l.slug))
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    site = Site(config, taxonomy, listings, articles)
    check_site(site, problems)
    return CheckResult(site, problems.sorted())


# Fewer listing files to parse than this are read in this process: forking and sending the results
# back cost more than they save.
PARALLEL_READ_FROM = 2000
READ_CHUNK = 250


def read_listings(content: Path, taxonomy, markdown: MarkdownRenderer, problems: Problems,
                  sources: Sources | None, prefix: str, workers: int | None = None) -> list:
    """Return every valid listing, placed on the map; record each file's problems.

    Each file is read on its own, with its own problems, so that its result can be cached, and so
    that many files can be read on several processes with the same result.
    """
    cache = sources if sources is not None else Sources()
    key = digest(generator_version(), repr(taxonomy), prefix, build_date().isoformat())
    if cache.key != key:
        cache.key, cache.files, cache.places, cache.articles = key, {}, {}, {}
    fresh: dict[str, CachedSource] = {}
    listings = []
    found = []
    for path, shown, st in find_files(content / "listings", (".yaml", ".yml"), problems, "listing"):
        entry = cache.files.get(shown)
        fresh_enough = entry and st and (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns)
        found.append((path, shown, st, entry, fresh_enough))
    todo = [(path, shown, st, entry) for path, shown, st, entry, fresh_enough in found if not fresh_enough]
    gazetteer = KnownPlaces(cache.places)
    gazetteer.expect(len(todo))
    read = iter(_read_many(todo, taxonomy, markdown, gazetteer, workers))
    for path, shown, st, entry, fresh_enough in found:
        if not fresh_enough:
            entry = next(read)
        fresh[shown] = entry
        problems.items.extend(entry.problems)
        if entry.listing is not None:
            listings.append(entry.listing)
    cache.files = fresh
    return listings


def _read_many(todo: list, taxonomy, markdown, gazetteer: KnownPlaces, workers: int | None) -> list[CachedSource]:
    """Read listing files (path, shown path, stat, cached entry), on several processes when there are many."""
    def read(part) -> tuple[list[CachedSource], dict]:
        gazetteer.added = {}
        return [_read_listing(*item, taxonomy, markdown, gazetteer) for item in part], gazetteer.added

    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(todo) < PARALLEL_READ_FROM or not can_fork():
        return read(todo)[0]
    gazetteer.prepare()  # the ZIP tables load once, before the workers fork and share them
    entries = []
    for part, places in fork_map(read, todo, workers, READ_CHUNK):
        entries += part
        gazetteer.known.update(places)
    return entries


def _read_listing(path: Path, shown: str, st, cached: CachedSource | None, taxonomy, markdown,
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
    doc = load_yaml_file(path, problems, shown, data)
    listing = None
    if doc is not None:
        listing = validate_listing(SourceFile(shown, path.stem, doc), taxonomy, markdown, problems)
    if listing is not None:
        listing.digest = key
        place_listings([listing], gazetteer, problems, expect=False)
    return CachedSource(size, mtime, key, listing, problems.items)


def read_articles(content: Path, taxonomy, markdown: MarkdownRenderer, problems: Problems,
                  sources: Sources | None) -> list:
    """Return every valid article; like listings, each file's result is cached by its bytes."""
    cache = sources.articles if sources is not None else {}
    fresh = {}
    articles = []
    for path, shown, _ in find_files(content / "articles", (".md", ".markdown"), problems, "article"):
        try:
            data = read_file(path)
        except OSError:
            data = None  # load_article tries again, and says why it cannot
        key = file_digest(shown, data or b"")
        entry = cache.get(shown)
        if entry is None or entry.digest != key or data is None:
            found = Problems()
            article = validate_article(load_article(path, shown, found, data), taxonomy, markdown, found)
            if article is not None:
                article.digest = key
            entry = CachedSource(len(data or b""), 0, key, article, found.items)
        fresh[shown] = entry
        problems.items.extend(entry.problems)
        if entry.listing is not None:
            articles.append(entry.listing)
    if sources is not None:
        sources.articles = fresh
    return articles


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


def check_config(doc, config, path: str, problems: Problems) -> None:
    """Record settings that cannot be used as given, and a site whose corrections have nowhere to go."""
    if doc is not None:
        check_values(doc, path, problems)
    value = doc.data.get("repository") if doc else None
    if value and not validate.github_repository(str(value)):
        problems.add(path, doc.line_of(("repository",)), "repository",
                     f"'{value}' is not a GitHub repository address — write it as https://github.com/owner/name "
                     "(edit and report links need GitHub), or leave it out", severity="warning")
    contact = doc.data.get("contact") if doc else None
    if contact and not config.contact:
        problems.add(path, doc.line_of(("contact",)), "contact",
                     f"'{contact}' is not an email address or an https:// address — write it as "
                     "corrections@example.org or https://example.org/contact")
    elif not config.repository and not config.contact:
        problems.add(path, 0, "contact", NO_CONTACT.format(path=path), severity="warning")


NO_CONTACT = ("neither repository nor contact is set, so people who find a mistake have nowhere to send it — add "
              "`repository: https://github.com/owner/name` or `contact:` with an email address or an https:// page "
              "to {path} (or pass --repository)")


def check_editor_schema(content: Path, taxonomy, problems: Problems) -> None:
    """Warn when the schema that contributors' editors read no longer matches taxonomy.yaml."""
    path = content / EDITOR_SCHEMA
    if path.is_file() and path.read_bytes() != listing_schema_for(taxonomy, EDITOR_SCHEMA):
        problems.add(display_path(path), 1, "(file)", "is out of date with taxonomy.yaml or the listing schema — run "
                                                      "`python build.py schema` to update it (editors read it to "
                                                      "complete fields)", severity="warning")


class WriteFailed(Exception):
    """The machine refused a read or write (a full or read-only disk, no permission): the build stopped.

    `output` says what it left: UNCHANGED (the previous output as it was: no build writes into the live
    output before swapping a complete one in) or COMPLETE (the new output is in place; only the cache was
    not saved).
    """

    UNCHANGED, COMPLETE = "unchanged", "complete"

    def __init__(self, error: OSError, output: str):
        super().__init__(str(error))
        self.error, self.output = error, output


def build_site(content: Path, output: Path, base_url: str | None = None, templates: Path | None = None,
               repository: str | None = None, strict: bool = False, cache: bool = True,
               workers: int | None = None, stamp: str | None = None) -> CheckResult:
    """Validate, render and write the whole site; return it with its warnings.

    On errors (and with `strict`, on warnings too) raise ContentError and leave output/ untouched.
    With `cache`, only the jobs whose inputs changed since the last build are rendered, and only
    files whose bytes changed are written; the output is the same as without it.
    """
    return Builder(content, output, base_url, templates, repository, strict, cache, workers).build(stamp)


class Builder:
    """Builds one output folder, again and again: `serve` keeps one, so its cache stays in memory.

    With `keep_in_memory` (serve), the builder trusts that nobody else writes to the output while it
    runs: it does not re-scan the output before each build, and it writes its cache to disk only
    when `save_cache` is called (at exit), not after every build. The cache on disk is removed at
    the first build, so a later `build` never trusts a stale one.
    """

    def __init__(self, content: Path, output: Path, base_url: str | None = None, templates: Path | None = None,
                 repository: str | None = None, strict: bool = False, cache: bool = True,
                 workers: int | None = None, keep_in_memory: bool = False):
        self.content, self.output, self.templates = content, output, templates
        self.base_url, self.repository, self.strict = base_url, repository, strict
        self.cache, self.workers, self.keep_in_memory = cache, workers, keep_in_memory
        self.previous: Manifest | None = None
        self.sources: Sources | None = None
        self._unsaved = False
        self._stage = WriteFailed.UNCHANGED  # what a failed write leaves of the output (see WriteFailed)
        self.site: Site | None = None  # the last good build's site (kept only in memory, for `preview`)
        self._previewer = None
        self._previewed: dict[str, bytes | None] = {}  # output path: its bytes before a preview (None: new)
        self._shelf = Shelf(cache_folder(output) / "sources", "parsed listings")
        self._pieces = PieceStore(cache_folder(output) / "pieces", remember=keep_in_memory)
        if cache:
            with collector_paused():  # unpickling many thousand small objects: it would only slow that down
                self.previous = load_manifest(output)
                self.sources = load_sources(self._shelf)
        # The loaded cache lives until this one build ends: out of the collector's sight (until then),
        # it is not walked by the full collection its size would set off (0.13 s at 10,000 listings).
        self._frozen = cache and not keep_in_memory
        if self._frozen:
            hide_from_collector()

    def save_cache(self) -> None:
        """Write the in-memory cache to disk (serve calls this when it stops)."""
        if self._unsaved and self.previous is not None:
            save(self.output, self.previous, self._shelf, self.sources)
            self._pieces.flush()
            self._unsaved = False

    def build(self, stamp: str | None = None) -> CheckResult:
        """Build once (see build_site); on failure the output and the cache are left as they were
        (except when the machine refuses a write: WriteFailed says what was left).

        `stamp` is input_stamp() as the caller already took it, before reading anything. A failed
        build also takes back what `preview` wrote since the last good one.
        """
        self._stage = WriteFailed.UNCHANGED
        try:
            with build_lock(self.output):
                remove_leftovers(self.output)  # staging folders of a build that was killed
                result = self._build(stamp)
        except OSError as exc:
            self._restore_previews()
            raise WriteFailed(exc, self._stage) from exc
        except BaseException:
            self._restore_previews()
            raise
        finally:
            if self._frozen:
                show_to_collector()
                self._frozen = False
        self._previewed.clear()
        self._previewer = None
        if self.keep_in_memory:
            self.site = result.site
        return result

    def preview(self, changed: Iterable[Path]) -> list[str]:
        """Write the pages of edited listing files into the output at once; return their output paths.

        For `serve`: rendering one listing's page takes milliseconds, the full build that follows
        seconds. Only when every changed file is a listing file that is valid on its own, and the
        settings, taxonomy and templates are those of the last good build; anything else is left to
        the full build (which also puts back these pages if it fails).
        """
        from .render import TemplateProblem, listing_previewer

        site = self.site
        if site is None or not self.keep_in_memory:
            return []
        folder = self.content / "listings"
        root = folder.resolve()
        files = []
        for path in map(Path, changed):
            try:
                relative = path.resolve().relative_to(root)
            except ValueError:
                return []  # a setting, the taxonomy, an article or a template: only a full build can tell
            if path.suffix in (".yaml", ".yml") and not any(p.startswith(".") for p in relative.parts) \
                    and path.is_file():
                files.append((path, f"{display_path(folder)}/{relative.as_posix()}"))
        written = []
        try:
            if files and self._previewer is None:
                self._previewer = listing_previewer(site, self.templates,
                                                    cache_folder(self.output) / "jinja" if self.cache else None)
            markdown = MarkdownRenderer(site.config.path_prefix)
            places = KnownPlaces(dict(self.sources.places) if self.sources else {})
            for path, shown in files:
                entry = _read_listing(path, shown, path.stat(), None, site.taxonomy, markdown, places)
                if entry.listing is not None and not any(p.is_error for p in entry.problems):
                    written += write_in_place(self.output, self._previewer(entry.listing), self._previewed)
        except (TemplateProblem, OSError):
            pass  # the full build reports it
        return written

    def _restore_previews(self) -> None:
        """Put back the output files that `preview` changed, as the last good build left them."""
        restored = put_back(self.output, self._previewed)
        if self.previous is not None:
            self.previous.files.update((path, stat) for path, stat in restored.items() if path in self.previous.files)
        self._previewed.clear()

    def _build(self, stamp: str | None) -> CheckResult:
        from .exports.common import Pieces
        from .parallel import run_jobs
        from .render import TemplateProblem, data_key, plan_site

        stamp = stamp or input_stamp(self.content, self.output, self.templates,
                                     (self.base_url, self.repository, self.strict))
        sources = self.sources
        if sources and self.keep_in_memory:  # a failed build leaves the cache in memory as it was
            sources = Sources(sources.key, dict(sources.files), dict(sources.places), dict(sources.articles))
        result = gather_site(self.content, self.base_url, self.repository, sources, self.workers)
        fatal = result.problems if self.strict else result.errors
        if fatal or result.site is None:
            raise ContentError(fatal)
        site = result.site
        pieces = Pieces(data_key(site), self._pieces if self.cache else None, keep=self.cache)
        try:
            jobs = plan_site(site, self.templates, cache_folder(self.output) / "jinja" if self.cache else None,
                             pieces)
        except TemplateProblem as exc:
            raise ContentError([exc.problem]) from None
        previous = self.previous
        if self.keep_in_memory and self._unsaved and self.output.is_dir():
            files = previous.files  # this process wrote them (and has not saved the cache since)
            if self._previewed:  # a preview's pages are made again
                files = {p: s for p, s in files.items() if p not in self._previewed}
            before = (files, previous.folders)
        else:
            before = current_files(self.output, previous)
        todo, keep = jobs, set()
        if before is not None:
            current = {job.name for job in jobs if _is_current(job, previous, before[0])}
            todo = [job for job in jobs if job.name not in current]
            keep = {path for name in current for path in previous.jobs[name][1]}
        kept = {name: previous.jobs[name][1] for name in current} if before is not None else {}
        spare = previous.spare if previous is not None else None
        if not self.keep_in_memory:
            # A one-off build needs nothing more of the previous manifest: let it go before the workers
            # fork, or its memory (~170 MB at 100,000 listings) stays in the build's for good.
            self.previous = previous = None
            release_free_memory()
        staging = Staging(self.output, before[0] if before is not None else None)
        try:
            made = run_jobs(todo, self.templates, staging, self.workers)
            check_unique((path for paths in made.values() for path in paths), keep)
            if self.cache and not self._unsaved:
                forget(self.output)  # until the new manifest is saved, the output's state is unknown
        except TemplateProblem as exc:
            staging.discard()
            raise ContentError([exc.problem]) from None
        except BaseException:
            staging.discard()
            raise
        if before is None:
            files, folders = commit_full(staging)  # discards the staging folder, whatever happens
            spare = None
        else:
            files, folders, spare = commit_changes(staging, [p for paths in made.values() for p in paths], keep,
                                                   *before, spare, self._previewed)
        self._stage = WriteFailed.COMPLETE
        if self.cache:
            job_files = {job.name: (job.key, tuple(made[job.name]) if job.name in made else kept[job.name])
                         for job in jobs}
            self.previous = Manifest(stamp, result.problems, len(result.site.listings), len(result.site.articles),
                                     job_files, files, folders, spare)
            self.sources = sources
            if self.keep_in_memory:
                self._unsaved = True
            else:
                save(self.output, self.previous, self._shelf, sources)
        return result


def _is_current(job, previous: Manifest, files: dict[str, tuple[int, int]]) -> bool:
    """Return whether a job's files from the previous build are in the output, untouched, for the same key."""
    known = previous.jobs.get(job.name)
    return (known is not None and known[0] == job.key
            and all(path in files and files[path] == previous.files.get(path) for path in known[1]))
