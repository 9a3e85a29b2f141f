"""The speed layer's build: the build cache (which jobs are current, the manifest, the parsed sources),
render workers, and serve's in-memory builder with its preview of edited listings.

It runs the stages of generator.stages (gathering through generator.cachedread) and makes the same
output; `build --plain` leaves it out (generator.pipeline.build_site).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .buildcache import (Manifest, Pieces, PieceStore, Shelf, Sources, cache_folder, forget, input_stamp,
                         load_manifest, load_sources, save)
from .cachedread import KnownPlaces, gather_site, read_listing
from . import geo, placescache
from .errors import ContentError
from .load import display_path
from .markup import MarkdownRenderer
from .memory import collector_paused, hide_from_collector, release_free_memory, show_to_collector
from .model import Site
from .processes import can_fork, in_child
from .templatecache import template_cache
from .stages import CheckResult, WriteFailed, good_site
from .trees import build_lock, remove_leftovers
from .write import Staging, check_unique, commit_changes, commit_full, current_files, put_back, write_in_place


def _read_apart(read):
    """Read the ZIP and city tables in a short-lived child, where processes can fork.

    Once read, the zipcodes data stays in the process for good (about 150 MB, held by its compiled core), and
    a build's workers would share it all the build long; the child sends back only the tables (about
    20 MB). A build's worker may not start processes of its own: there (the place files' job of a site too
    small to load the tables before forking) they are read in place.
    """
    return in_child(read) if can_fork() else read()


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
        geo.read_tables_with(_read_apart)
        geo.keep_places_with(placescache.remembered)

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
                                                    self._compiled_templates())
            markdown = MarkdownRenderer(site.config.path_prefix)
            places = KnownPlaces(dict(self.sources.places) if self.sources else {})
            for path, shown in files:
                entry = read_listing(path, shown, path.stat(), None, site.taxonomy, markdown, places)
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
        """Gather, plan, render only the jobs that are not current, write, and remember it all for the next build."""
        stamp = stamp or input_stamp(self.content, self.output, self.templates,
                                     (self.base_url, self.repository, self.strict))
        sources = self.sources
        if sources and self.keep_in_memory:  # a failed build leaves the cache in memory as it was
            sources = Sources(sources.key, dict(sources.files), dict(sources.places), dict(sources.articles))
        result = gather_site(self.content, self.base_url, self.repository, sources, self.workers, self.templates)
        jobs = self._plan(good_site(result, self.strict))
        before = self._output_before()
        kept = self._current_jobs(jobs, before)
        spare = self.previous.spare if self.previous is not None else None
        if not self.keep_in_memory:
            # A one-off build needs nothing more of the previous manifest: let it go before the workers
            # fork, or its memory (~170 MB at 100,000 listings) stays in the build's for good.
            self.previous = None
            release_free_memory()
        keep = {path for paths in kept.values() for path in paths}
        staging, made = self._render([job for job in jobs if job.name not in kept], before, keep)
        written = self._commit(staging, made, keep, before, spare)
        self._stage = WriteFailed.COMPLETE
        if self.cache:
            self._remember(stamp, result, jobs, made, kept, written, sources)
        return result

    def _compiled_templates(self):
        """Return where compiled templates are kept between builds (None without the cache)."""
        return template_cache(cache_folder(self.output) / "jinja") if self.cache else None

    def _plan(self, site: Site) -> list:
        """Return the site's render jobs, with the cache's compiled templates and open data pieces."""
        from .render import TemplateProblem, data_key, plan_site

        pieces = Pieces(data_key(site), self._pieces if self.cache else None, keep=self.cache)
        try:
            return plan_site(site, self.templates, self._compiled_templates(), pieces)
        except TemplateProblem as exc:
            raise ContentError([exc.problem]) from None

    def _output_before(self) -> tuple[dict, dict] | None:
        """Return the output's files and folders as the previous build left them, or None when unknown."""
        previous = self.previous
        if self.keep_in_memory and self._unsaved and self.output.is_dir():
            files = previous.files  # this process wrote them (and has not saved the cache since)
            if self._previewed:  # a preview's pages are made again
                files = {p: s for p, s in files.items() if p not in self._previewed}
            return files, previous.folders
        return current_files(self.output, previous)

    def _current_jobs(self, jobs: list, before: tuple[dict, dict] | None) -> dict[str, tuple[str, ...]]:
        """Return {name: output paths} of the jobs whose files from the previous build can stay."""
        if before is None:
            return {}
        previous = self.previous
        return {job.name: previous.jobs[job.name][1] for job in jobs if _is_current(job, previous, before[0])}

    def _render(self, todo: list, before: tuple[dict, dict] | None, keep: set[str]) -> tuple[Staging, dict]:
        """Run the jobs into a staging folder (on workers); return it and {job name: paths}."""
        from .parallel import run_jobs
        from .render import TemplateProblem

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
        return staging, made

    def _commit(self, staging: Staging, made: dict, keep: set[str], before: tuple[dict, dict] | None,
                spare) -> tuple:
        """Put the staged files in place; return the output's files, folders and spare copy, as written."""
        if before is None:
            files, folders = commit_full(staging)  # discards the staging folder, whatever happens
            return files, folders, None
        return commit_changes(staging, [p for paths in made.values() for p in paths], keep, *before, spare,
                              self._previewed)

    def _remember(self, stamp: str, result: CheckResult, jobs: list, made: dict, kept: dict, written: tuple,
                  sources: Sources | None) -> None:
        """Keep this build's manifest and sources for the next one (on disk, or in memory until save_cache)."""
        job_files = {job.name: (job.key, tuple(made[job.name]) if job.name in made else kept[job.name])
                     for job in jobs}
        site = result.site
        self.previous = Manifest(stamp, result.problems, len(site.listings), len(site.articles), job_files, *written)
        self.sources = sources
        if self.keep_in_memory:
            self._unsaved = True
        else:
            save(self.output, self.previous, self._shelf, sources)


def _is_current(job, previous: Manifest, files: dict[str, tuple[int, int]]) -> bool:
    """Return whether a job's files from the previous build are in the output, untouched, for the same key."""
    known = previous.jobs.get(job.name)
    return (known is not None and known[0] == job.key
            and all(path in files and files[path] == previous.files.get(path) for path in known[1]))
