"""The build's stages, start to finish: gather (load → validate → model) → render → write.

This is the whole build, plainly: one process, no cache. The speed layer (generator.incremental and
generator.cachedread: the build cache, forked workers, memory tricks) runs these same stages faster
and imports them; nothing here imports it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import validate
from .crosscheck import check_site, check_unused_translations
from .digest import DEFAULT_TEMPLATES, file_digest
from .errors import ContentError, Problem, Problems, did_you_mean
from .files import Files
from .geo import Gazetteer, place_listings
from .i18n import check_catalogs
from .load import Found, SourceFile, display_path, find_files, load_article, load_yaml_file, read_file
from .markup import MarkdownRenderer
from .model import Site, name_order
from .schema_check import EDITOR_SCHEMA, listing_schema_for
from .trees import build_lock, remove_leftovers
from .validate import (check_unique_slugs, validate_article, validate_config, validate_listing,
                       validate_taxonomy)
from .values import check_values
from .write import Staging, check_unique, commit_full


@dataclass
class CheckResult:
    """What `check` found: the site (when it could be gathered) and every problem."""

    site: Site | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


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


def build(content: Path, output: Path, base_url: str | None = None, templates: Path | None = None,
          repository: str | None = None, strict: bool = False) -> CheckResult:
    """Gather, render and write the whole site; return it with its warnings.

    On errors (and with `strict`, on warnings too) raise ContentError and leave output/ untouched.
    """
    result = gather_site(content, base_url, repository, templates=templates)
    site = good_site(result, strict)
    jobs = plan_jobs(site, templates)
    write_output(output, render_jobs(jobs, templates))
    return result


def good_site(result: CheckResult, strict: bool) -> Site:
    """Return the gathered site, or raise ContentError with its errors (with `strict`, its warnings too)."""
    fatal = result.problems if strict else result.errors
    if fatal or result.site is None:
        raise ContentError(fatal, [p for p in result.problems if not (strict or p.is_error)])
    return result.site


def plan_jobs(site: Site, templates: Path | None) -> list:
    """Return the site's render jobs (nothing is rendered yet); a broken template is a content error."""
    from .render import TemplateProblem, plan_site  # Jinja and the exports: `check` needs none of them

    try:
        return plan_site(site, templates)
    except TemplateProblem as exc:
        raise ContentError([exc.problem]) from None


def render_jobs(jobs: list, templates: Path | None) -> Iterator[Files]:
    """Yield each job's files as it runs; a broken template is a content error."""
    from .render import TemplateProblem, run_job

    for job in jobs:
        try:
            yield run_job(job, templates)
        except TemplateProblem as exc:
            raise ContentError([exc.problem]) from None


def write_output(output: Path, rendered: Iterable[Files]) -> None:
    """Write every file into a staging folder, then swap it in as the output in one step."""
    try:
        with build_lock(output):
            remove_leftovers(output)  # staging folders of a build that was killed
            staging = Staging(output)
            try:
                check_unique(path for files in rendered for path in staging.write(files))
            except BaseException:
                staging.discard()
                raise
            commit_full(staging)  # discards the staging folder, whatever happens
    except OSError as exc:
        raise WriteFailed(exc, WriteFailed.UNCHANGED) from exc


class Reader:
    """Reads content files one by one, each with its own problems (generator.cachedread reads them faster)."""

    def listings(self, found: list[Found], taxonomy, markdown: MarkdownRenderer, problems: Problems) -> list:
        """Return every valid listing of the files found, placed on the map."""
        gazetteer = Gazetteer()
        gazetteer.expect(len(found))
        listings = (read_listing(path, shown, taxonomy, markdown, gazetteer, problems) for path, shown, _ in found)
        return [listing for listing in listings if listing is not None]

    def articles(self, found: list[Found], taxonomy, markdown: MarkdownRenderer, problems: Problems) -> list:
        """Return every valid article of the files found."""
        articles = (read_article(path, shown, taxonomy, markdown, problems) for path, shown, _ in found)
        return [article for article in articles if article is not None]


def gather_site(content: Path, base_url: str | None = None, repository: str | None = None,
                reader: Reader | None = None, templates: Path | None = None) -> CheckResult:
    """Load and validate all content in one pass, collecting every problem; `reader` reads the files, and
    `templates` hold the catalogs of the site's languages (default: the generator's)."""
    reader = reader or Reader()
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
    check_catalogs(config.languages, templates or DEFAULT_TEMPLATES, problems)
    check_term_languages(taxonomy_doc, taxonomy, config.languages, display_path(taxonomy_path), problems)
    check_editor_schema(content, taxonomy, problems)
    markdown = MarkdownRenderer(config.path_prefix)
    found = find_files(content / "listings", (".yaml", ".yml"), problems, "listing")
    listings = reader.listings(found, taxonomy, markdown, problems)
    found = find_files(content / "articles", (".md", ".markdown"), problems, "article")
    articles, unused = validate.attach_translations(reader.articles(found, taxonomy, markdown, problems),
                                                    config.languages, problems)
    listings = check_unique_slugs(listings, "listing", problems)
    articles = check_unique_slugs(articles, "article", problems)
    listings.sort(key=name_order)
    articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    site = Site(config, taxonomy, listings, articles)
    check_site(site, problems)
    check_unused_translations(site, unused, (display_path(config_path), languages_line(config_doc)), problems)
    return CheckResult(site, problems.sorted())


def languages_line(doc) -> int:
    """Return the line of site.yaml that sets the site's languages (0 when it sets none)."""
    for key in ("languages", "language"):
        if doc is not None and key in doc.data:
            return doc.line_of((key,))
    return 0


def read_listing(path: Path, shown: str, taxonomy, markdown: MarkdownRenderer, gazetteer: Gazetteer,
                 problems: Problems, data: bytes | None = None, digest: str | None = None):
    """Parse, validate and place one listing file; return the listing, or None when it has errors.

    `data` is the file's bytes and `digest` their file_digest, when the caller has them already.
    """
    if data is None:
        try:
            data = read_file(path)
        except OSError:
            pass  # load_yaml_file tries again, and says why it cannot
    doc = load_yaml_file(path, problems, shown, data)
    if doc is None:
        return None
    listing = validate_listing(SourceFile(shown, path.stem, doc), taxonomy, markdown, problems)
    if listing is not None:
        listing.digest = digest or file_digest(shown, data or b"")
        place_listings([listing], gazetteer, problems, expect=False)
    return listing


def read_article(path: Path, shown: str, taxonomy, markdown: MarkdownRenderer, problems: Problems,
                 data: bytes | None = None, digest: str | None = None):
    """Parse and validate one article; return it, or None when it has errors (`data`, `digest` as for listings)."""
    if data is None:
        try:
            data = read_file(path)
        except OSError:
            pass  # load_article tries again, and says why it cannot
    article = validate_article(load_article(path, shown, problems, data), taxonomy, markdown, problems)
    if article is not None:
        article.digest = digest or file_digest(shown, data or b"")
    return article


def check_config(doc, config, path: str, problems: Problems) -> None:
    """Record settings that cannot be used as given, and a site whose corrections have nowhere to go."""
    if doc is not None:
        check_values(doc, path, problems)
        check_setting_names(doc, path, problems)
    value = doc.data.get("repository") if doc else None
    if value and not validate.github_repository(str(value)):
        problems.add(path, doc.line_of(("repository",)), "repository",
                     f"'{value}' is not a GitHub repository address — write it as https://github.com/owner/name "
                     "(edit and report links need GitHub), or leave it out", severity="warning")
    check_base_url(doc, config, path, problems)
    check_languages(doc, path, problems)
    check_setting_translations(doc, config, path, problems)
    contact = doc.data.get("contact") if doc else None
    if contact and not config.contact:
        problems.add(path, doc.line_of(("contact",)), "contact",
                     f"'{contact}' is not an email address or an https:// address — write it as "
                     "corrections@example.org or https://example.org/contact")
    elif not config.repository and not config.contact:
        problems.add(path, 0, "contact", NO_CONTACT.format(path=path), severity="warning")


def check_setting_names(doc, path: str, problems: Problems) -> None:
    """Record each key of site.yaml that is no setting (a mistyped one, or one this generator does not have): it
    would otherwise be ignored without a word."""
    for key in doc.data:
        if key not in validate.SETTINGS:
            hint = did_you_mean(key, list(validate.SETTINGS))
            if "did you mean" not in hint:
                hint += " (a logo or colors are the templates' to set: see Run your own directory in README.md)"
            problems.add(path, doc.line_of((key,)), str(key), f"unknown setting '{key}'{hint}")


def check_base_url(doc, config, path: str, problems: Problems) -> None:
    """Record a base URL that is neither a full address nor a path from the root: 'example.org' would be taken as
    a folder, and every link, the sitemap and the canonical addresses would start with '/example.org/'."""
    value = config.base_url
    if config.is_absolute or value.startswith("/"):
        return
    given = doc.data.get("base_url") if doc else None
    where, line = (path, doc.line_of(("base_url",))) if given is not None and str(given) == value else ("--base-url", 0)
    problems.add(where, line, "base_url", f"'{value}' is neither a full address nor a path — write the site's "
                 f"address in full, e.g. https://{value.strip('/')}/, or a path from the root such as /directory/")


def check_languages(doc, path: str, problems: Problems) -> None:
    """Record a `languages:` setting that is not a list of distinct language codes Babel knows."""
    if doc is None or "languages" not in doc.data:
        return
    given, line = doc.data["languages"], doc.line_of(("languages",))
    if "language" in doc.data:  # the older, one-language setting: languages_of reads `languages:` alone
        problems.add(path, doc.line_of(("language",)), "language", f"is ignored, since `languages:` (line {line}) "
                     "is given too and its first language is the site's own — remove `language:`", severity="warning")
    if not isinstance(given, list) or not given:
        problems.add(path, line, "languages", "must be a list of language codes, the site's main language first — "
                     "write it as `languages: [en, es]`")
        return
    for i, code in enumerate(given):
        where = doc.line_of(("languages", i)) or line
        if not validate.is_language_code(code):
            problems.add(path, where, "languages", f"'{code}' is not a language code — write a two-letter code such "
                         "as es, or one with a region such as pt-BR")
        elif given.index(code) != i:
            problems.add(path, where, "languages", f"'{code}' is listed twice — list each language once")


def check_setting_translations(doc, config, path: str, problems: Problems) -> None:
    """Record `translations:` of site.yaml that name no language of the site or a setting that is not translated,
    and warn of a title, tagline or description that one of the site's other languages lacks."""
    given = doc.data.get("translations") if doc else None
    settings = ", ".join(validate.TRANSLATED_SETTINGS)
    if given is not None and not isinstance(given, dict):
        problems.add(path, doc.line_of(("translations",)), "translations", "must give each language's settings, "
                     f"e.g. `translations: {{es: {{tagline: …}}}}` — the settings that can be translated: {settings}")
        return
    for code, words in (given or {}).items():
        line = doc.line_of(("translations", code))
        if code not in config.languages:
            problems.add(path, line, "translations", f"'{code}' is not one of the site's languages "
                         f"({', '.join(config.languages)}) — add it to `languages:` or remove its settings",
                         severity="warning")
        for key in words if isinstance(words, dict) else ():
            if key not in validate.TRANSLATED_SETTINGS:
                problems.add(path, doc.line_of(("translations", code, key)), f"translations.{code}.{key}",
                             f"'{key}' cannot be translated here — use one of: {settings}")
    for code in config.languages[1:]:  # with or without a `translations:` block: the pages show the words as given
        for key in validate.TRANSLATED_SETTINGS:
            if doc and doc.data.get(key) and key not in config.translations.get(code, {}):
                problems.add(path, doc.line_of((key,)), key, f"has no '{code}' version — add it under "
                             f"`translations: {{{code}: {{{key}: …}}}}`; until then its own words show",
                             severity="warning")


def check_term_languages(doc, taxonomy, languages: tuple[str, ...], path: str, problems: Problems) -> None:
    """Warn of each term without a label in one of the site's other languages (its own label shows there)."""
    for code in languages[1:]:
        for section, terms in taxonomy.sections.items():
            for term in terms.values():
                if not any(language == code for language, _, _ in term.translations):
                    i = _position(doc, section, term.slug)
                    problems.add(path, doc.line_of((section, i, "slug")), f"{section}[{i}]",
                                 f"'{term.slug}' has no label in '{code}' — add `translations: {{{code}: {{label: …, "
                                 "description: …}}` to the term; until then its own label shows", severity="warning")


def _position(doc, section: str, slug: str) -> int:
    """Return the position of a term in its section of taxonomy.yaml."""
    items = doc.data.get(section) or []
    return next(i for i, item in enumerate(items) if isinstance(item, dict) and item.get("slug") == slug)


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
