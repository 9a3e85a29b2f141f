"""The build, start to finish: gather (load + validate) → render → write."""
from __future__ import annotations

import functools
import gc
from dataclasses import dataclass
from pathlib import Path

from .crosscheck import check_site
from .errors import ContentError, Problem, Problems
from .geo import Gazetteer, place_listings
from .load import display_path, load_article_files, load_listing_files, load_yaml_file
from .markup import MarkdownRenderer
from .model import Site
from .render import TemplateProblem, render_site
from . import validate
from .schema_check import EDITOR_SCHEMA, listing_schema_for
from .validate import (check_unique_slugs, validate_article, validate_config, validate_listing,
                       validate_taxonomy)
from .write import write_site


@dataclass
class CheckResult:
    """What `check` found: the site (when it could be gathered) and every problem."""

    site: Site | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def _gc_paused(function):
    """Run `function` with the cyclic garbage collector paused (reference counting still frees memory).

    Gathering makes millions of objects that live until the build ends, and the collector walked them
    again and again as they piled up: a quarter of gather_site's time on 10,000 listings. The few
    cycles made meanwhile (Markdown's closures, ~5 per listing) are collected once it resumes.
    """
    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


@_gc_paused
def gather_site(content: Path, base_url: str | None = None, repository: str | None = None) -> CheckResult:
    """Load and validate all content in one pass, collecting every problem."""
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
    check_config(config_doc, display_path(config_path), problems)
    check_editor_schema(content, taxonomy, problems)
    markdown = MarkdownRenderer(config.path_prefix)
    listings = [validate_listing(f, taxonomy, markdown, problems)
                for f in load_listing_files(content, problems) if f.doc is not None]
    articles = [validate_article(f, taxonomy, markdown, problems) for f in load_article_files(content, problems)]
    listings = check_unique_slugs([l for l in listings if l], "listing", problems)
    articles = check_unique_slugs([a for a in articles if a], "article", problems)
    listings.sort(key=lambda l: (l.name.casefold(), l.slug))
    place_listings(listings, Gazetteer(), problems)
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    site = Site(config, taxonomy, listings, articles)
    check_site(site, problems)
    return CheckResult(site, problems.sorted())


def check_config(doc, path: str, problems: Problems) -> None:
    """Warn about settings that cannot be used as given."""
    value = doc.data.get("repository") if doc else None
    if value and not validate.github_repository(str(value)):
        problems.add(path, doc.line_of(("repository",)), "repository",
                     f"'{value}' is not a GitHub repository address — write it as https://github.com/owner/name "
                     "(edit and report links need GitHub), or leave it out", severity="warning")


def check_editor_schema(content: Path, taxonomy, problems: Problems) -> None:
    """Warn when the schema that contributors' editors read no longer matches taxonomy.yaml."""
    path = content / EDITOR_SCHEMA
    if path.is_file() and path.read_bytes() != listing_schema_for(taxonomy, EDITOR_SCHEMA):
        problems.add(display_path(path), 1, "(file)", "is out of date with taxonomy.yaml or the listing schema — run "
                                                      "`python build.py schema` to update it (editors read it to "
                                                      "complete fields)", severity="warning")


def build_site(content: Path, output: Path, base_url: str | None = None, templates: Path | None = None,
               repository: str | None = None, strict: bool = False) -> CheckResult:
    """Validate, render and write the whole site; return it with its warnings.

    On errors (and with `strict`, on warnings too) raise ContentError and leave output/ untouched.
    """
    result = gather_site(content, base_url, repository)
    fatal = result.problems if strict else result.errors
    if fatal or result.site is None:
        raise ContentError(fatal)
    try:
        files = render_site(result.site, templates)
    except TemplateProblem as exc:
        raise ContentError([exc.problem]) from None
    write_site(files, output)
    return result
