"""Render the site model into (path, bytes) pairs: pages, facet pages, assets, sitemap, schema."""
from __future__ import annotations

import datetime

import hashlib
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlencode, urlsplit
from typing import Callable, Iterator

from babel.numbers import format_decimal
from jinja2 import (BytecodeCache, Environment, FileSystemLoader, StrictUndefined, TemplateError,
                    TemplateRuntimeError, TemplateSyntaxError)
from markupsafe import Markup

from . import addresses
from .addresses import ADDRESSES, FACET_FOLDERS, Addresses, output_file
from .digest import DEFAULT_TEMPLATES, digest, generator_version, tree_digest
from .errors import Problem
from .exports import export_catalog, export_groups, render_calendar
from .exports.common import site_constants
from .files import Files
from .geo import render_places
from .i18n import CatalogProblem, Language, load_languages, script_text, template_functions
from .load import display_path
from .model import DAYS, Listing, Site, Taxonomy, Term, a_to_z
from .outputdir import MARKER, MARKER_TEXT
from .paging import page_urls, paginate
from .schema_check import listing_schema_for
from .search_data import FILTER_KEYS, render_search_data
from .structured_data import article_data, json_ld, listing_data, website_data
from .vocabulary import BROWSED, FILTERED, N_, TOP_LEVEL

TEMPLATES_DIR = DEFAULT_TEMPLATES

# What the search script's card is drawn from (the <template id="card-template"> of the directory): a listing
# with every part of a card present and empty, so the card's markup is written once, in macros.html.
BLANK_LISTING = SimpleNamespace(slug="", name="", kind="", format="", place="", serves="", for_its_state_only=False,
                                summary="", imported=None, last_verified=datetime.date.min, gone_from_source=True,
                                schedule=[SimpleNamespace(day="")],
                                support_types=[""], summary_in=lambda code: "", is_translated=lambda code, name: False)

FACET_HEADINGS = {section.name: section.heading for section in BROWSED}  # of each facet's index page
# Pages with no data of their own beyond the site: (template, name of the page in addresses.PAGES). The
# online pages are paginated lists, made with the facet pages (plan_facet_pages).
STATIC_PAGES = (("home.html", "home"), ("directory.html", "directory"), ("articles.html", "articles"),
                ("contribute.html", "contribute"), ("about.html", "about"), ("open_data.html", "open-data"),
                ("widget.html", "widget"), ("search.html", "search"), ("404.html", "not-found"))
# Static pages kept out of the sitemap: the 404 page, and /search/ (where the header's search form leads: it
# hands over to the directory, or says that searching needs JavaScript; nothing of its own to find).
UNLISTED_PAGES = frozenset({"not-found", "search"})


class TemplateProblem(Exception):
    """A template failed to compile or render; names the template file and line."""

    def __init__(self, path: str, line: int, message: str):
        self.problem = Problem(path, line, "(template)", message)
        super().__init__(str(self.problem))


@dataclass
class Job:
    """One unit of rendering: the files it makes, and a key that changes whenever its inputs do.

    The build skips a job whose key matches the previous build's (its files are already in the
    output). A key must therefore cover everything the job reads: the shared `base` key (templates,
    generator, settings, taxonomy, the build date) plus the digests of the listings and articles it shows.
    """

    name: str
    key: str
    make: Callable[[], Files]
    local: bool = False  # run in the main process (it updates state that this process keeps: serve's cache)
    after: Callable[[], None] | None = None  # called once its files are written
    many_objects: bool = False  # makes many objects that live until it ends: run with the collector paused
    shows: int = 1  # how many listings it reads (a worker is replaced after reading many: generator.parallel)
    site_wide: bool = False  # makes files about the whole site (not pages of one listing, term or article)


def _as_date(day: datetime.date | str) -> datetime.date:
    """Return a date given as one or as a YYYY-MM-DD text (as an import's dates are kept)."""
    return datetime.date.fromisoformat(day) if isinstance(day, str) else day


def render_site(site: Site, templates: Path | None = None) -> Files:
    """Return every output file of the site; raise TemplateProblem if a template is broken."""
    files: Files = []
    for job in plan_site(site, templates):
        files += [(path, bytes(data)) for path, data in run_job(job, templates)]
    return files


def run_job(job: Job, templates: Path | None = None) -> Files:
    """Run one job; a template error becomes a TemplateProblem naming the template file and line."""
    templates = templates or TEMPLATES_DIR
    try:
        return job.make()
    except TemplateSyntaxError as exc:
        where = display_path(Path(exc.filename)) if exc.filename else str(exc.name)
        raise TemplateProblem(where, exc.lineno, f"{exc.message} — fix the template syntax") from None
    except TemplateError as exc:
        path, line = _template_frame(exc.__traceback__, templates)
        raise TemplateProblem(path, line, f"{exc} — fix the template, or the data it expects") from None


def _template_frame(tb, templates: Path) -> tuple[str, int]:
    """Return the innermost template file and line in a traceback (Jinja maps frames to templates)."""
    found = ("templates", 0)
    root = str(templates.resolve())
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root):
            found = (display_path(Path(filename)), tb.tb_lineno)
        tb = tb.tb_next
    return found


def plan_site(site: Site, templates: Path | None = None, compiled: BytecodeCache | None = None,
              pieces=None) -> list[Job]:
    """Return every job of the site, each with its key; nothing is rendered yet.

    The speed layer hands in `compiled`, where compiled templates are kept between builds (Jinja's bytecode
    cache), and `pieces` (generator.buildcache.Pieces), the open data files' per-listing parts from the
    previous build.
    """
    templates = templates or TEMPLATES_DIR
    try:
        assets = build_assets(templates / "static")
    except OSError as exc:
        raise TemplateProblem(display_path(templates / "static"), 0,
                              f"cannot be read: {exc.strerror} — check the templates folder") from None
    languages = languages_of(site, templates)
    envs = [make_environment(templates, site, assets, compiled, language, languages) for language in languages]
    env = envs[0]
    keys = Keys(site, templates, assets)
    put_away = pieces.put_away if pieces is not None else None  # a job's pieces leave memory with its files
    # A build that keeps its pieces in memory for the next one (serve) makes them in this process; any
    # other build may make them in a worker, which saves them to disk itself.
    local = pieces is not None and pieces.remembered
    everything = keys.of("all", keys.all_listings, keys.all_articles)
    all_data = keys.of_data(keys.all_listings, keys.all_articles)  # for files no template or asset goes into
    jobs = [Job("assets", keys.base, lambda: [(path, data) for path, (_, data) in sorted(assets.items())]),
            Job("embed-script", keys.base, lambda: render_embed_script(envs)),
            Job("sitemaps", everything, lambda: render_sitemaps(envs, site), shows=len(site.listings)),
            Job("robots", keys.data, lambda: [(output_file(ADDRESSES.robots()), render_robots(site))]),
            Job("not-found", keys.data, lambda: render_not_found_rules(languages)),
            Job("marker", keys.code, lambda: [(MARKER, MARKER_TEXT)]),  # see generator.outputdir
            Job("schema", keys.data, lambda: [(output_file(ADDRESSES.listing_schema()), render_listing_schema(site))]),
            Job("search", all_data, lambda: render_search_data(site, site.config.path_prefix, pieces),
                local=local, after=put_away, many_objects=True, shows=len(site.listings)),
            Job("places", keys.data, render_places)]
    jobs += [Job(name, everything if uses_templates else all_data, make, local=local, after=put_away,
                 many_objects=True, shows=len(site.listings))
             for name, make, uses_templates in export_groups(site, env, pieces)]
    for language_env in envs:
        jobs += [Job(job_name(language_env, "static-pages"), everything, partial(render_static_pages, language_env)),
                 Job(job_name(language_env, "embed"), everything, partial(render_embed, language_env))]
    for job in jobs:
        job.site_wide = True
    for language_env in envs:
        jobs += plan_listing_pages(language_env, site, keys)
        jobs += plan_facet_pages(language_env, site, keys)
        jobs += plan_region_print_pages(language_env, site, keys)
        jobs += plan_article_pages(language_env, site, keys)
    return jobs


def languages_of(site: Site, templates: Path) -> list[Language]:
    """Return the site's languages with their catalogs; a missing or broken catalog is a TemplateProblem."""
    try:
        return load_languages(site.config.languages, templates)
    except CatalogProblem as exc:
        raise TemplateProblem(exc.path, exc.line, exc.message) from None


def addresses_of(env: Environment) -> Addresses:
    """Return the addresses of the pages of the environment's language."""
    return env.globals["addresses"]


def taxonomy_of(env: Environment) -> Taxonomy:
    """Return the vocabulary in the environment's language: the terms a page is about must say what its cards
    say (site.taxonomy's words are the first language's)."""
    return env.globals["taxonomy"]


def job_name(env: Environment, name: str) -> str:
    """Return a job's name in the environment's language: the first language's as given, another's after its code."""
    language = env.globals["language"]
    return f"{language.code}:{name}" if language.root else name


def data_key(site: Site) -> str:
    """Return a digest of what a file made from the listings without templates depends on besides them:
    the code, the settings, the taxonomy and the build date (also the key of the open data pieces)."""
    return digest(generator_version(), repr(site.config), repr(site.taxonomy), site.today.isoformat())


class Keys:
    """Digests that jobs combine into their keys."""

    def __init__(self, site: Site, templates: Path, assets: dict[str, tuple[str, bytes]]):
        # `data` is for files made without templates or assets (the open data, the search index):
        # editing a template or the stylesheet leaves them alone.
        self.code = digest(generator_version())  # for files that only the code changes
        self.data = data_key(site)
        self.base = digest(self.data, tree_digest(templates))
        self.all_listings = digest(*(l.digest for l in site.listings))
        self.all_articles = digest(*(a.digest for a in site.articles))
        # Facet pages show every term's count: a listing added anywhere changes them.
        self.counts = digest(*(f"{section}/{slug}={len(items)}" for section, terms in sorted(site.index.items())
                               for slug, items in sorted(terms.items())))

    def of(self, *parts: str) -> str:
        return digest(self.base, *parts)

    def of_data(self, *parts: str) -> str:
        return digest(self.data, *parts)


def render_embed(env: Environment) -> Files:
    """Return the embeddable directory in the environment's language (/embed/, kept out of the sitemap)."""
    return [page(env, "embed.html", addresses_of(env).page("embed"))]


FRAME_TITLE = N_("Peer support directory: search local groups, online meetings and peer programs")


def render_embed_script(envs: list[Environment]) -> Files:
    """Return the script that embeds the directory: one address for good, as organizations paste
    `<script src=".../embed.js">` into their sites. It knows each language's embedded directory."""
    frames = {}
    for env in envs:
        language = env.globals["language"]
        frames[language.code] = {"path": addresses_of(env).page("embed").removeprefix("/"),
                                 "title": str(env.globals["_"](FRAME_TITLE))}
    script = envs[0].get_template("embed.js").render(frames=frames, default=envs[0].globals["language"].code)
    return [(output_file(ADDRESSES.embed_script()), script.encode("utf-8"))]


# A module's import of another module beside it: `from "./meeting-times.js"`.
_LOCAL_IMPORT = re.compile(rb'''(from\s+["']\./)((?:vendor/)?[A-Za-z0-9_-]+\.js)(["'])''')
# The same import once build_assets has rewritten it to the hashed name: `from "./meeting-times.1a2b3c4d5e.js"`.
_BUILT_IMPORT = re.compile(rb'''from\s+["']\./((?:vendor/)?[A-Za-z0-9_.-]+\.js)["']''')


def build_assets(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Return {output path: (logical name, bytes)}; CSS, JS, SVG and JSON get content-hash names for long caching.

    A JavaScript module that imports others beside it (`from "./x.js"`) has the imports rewritten to their
    hashed names, and is hashed after them, so a change to an imported module renames every module that
    imports it, directly or not.
    """
    assets = {}
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    imports = {p: [m.group(2).decode() for m in _LOCAL_IMPORT.finditer(p.read_bytes())] for p in files
               if p.suffix == ".js"}
    hashed: dict[str, str] = {}  # "x.js" -> "x.<digest>.js", for the rewritten imports
    for path in _in_import_order(files, imports, folder):
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if imports.get(path):
            data = _LOCAL_IMPORT.sub(lambda m: m.group(1) + _imported(hashed, m.group(2), name).encode() + m.group(3), data)
        if path.suffix in (".css", ".js", ".svg", ".json"):  # the map's atlas and grid too: cached for a year
            digest = hashlib.sha256(data).hexdigest()[:10]
            hashed[name] = f"{path.with_suffix('').relative_to(folder).as_posix()}.{digest}{path.suffix}"
            out = output_file(ADDRESSES.asset(hashed[name]))
        elif name == "favicon.ico":
            out = output_file(ADDRESSES.favicon())
        else:
            out = output_file(ADDRESSES.asset(name))
        assets[out] = (name, data)
    return assets


def _in_import_order(files: list[Path], imports: dict[Path, list[str]], folder: Path) -> list[Path]:
    """Return the files with every module after the modules it imports (those that import nothing first)."""
    done = [p for p in files if not imports.get(p)]
    names = {p.relative_to(folder).as_posix() for p in done}
    waiting = [p for p in files if imports.get(p)]
    while waiting:
        ready = [p for p in waiting if all(name in names for name in imports[p])]
        if not ready:  # a module imports one that is missing, or modules import each other
            return done + waiting  # _imported names the first import it cannot resolve
        done += ready
        names |= {p.relative_to(folder).as_posix() for p in ready}
        waiting = [p for p in waiting if p not in ready]
    return done


def _imported(hashed: dict[str, str], target: bytes, importer: str) -> str:
    """Return the hashed file name of a module another imports."""
    name = target.decode()
    if name not in hashed:
        raise TemplateProblem(f"templates/static/{importer}", 1, f"imports ./{name}, which is not a module of "
                              "static/, or is one that imports this one back — fix the import")
    return hashed[name]


def make_environment(templates: Path, site: Site, assets: dict[str, tuple[str, bytes]],
                     compiled: BytecodeCache | None, language: Language, languages: list[Language]) -> Environment:
    """Return a Jinja environment with autoescaping and the helpers templates use.

    Templates do not change during a build, so Jinja need not check their files before every page
    (`auto_reload`); with `compiled` (a bytecode cache), they are compiled once and reused until their source
    changes.
    """
    env = Environment(loader=FileSystemLoader(str(templates.resolve())), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True, auto_reload=False,
                      bytecode_cache=compiled, extensions=["jinja2.ext.i18n"])
    gettext, ngettext = template_functions(language.translations)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # for {% trans %}, were a template to use it
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)  # what the templates call: see i18n
    by_name = {name: addresses.site_path(out) for out, (name, _) in assets.items()}
    by_path = {addresses.site_path(out): data for out, (_, data) in assets.items()}
    prefix = site.config.path_prefix
    # The vocabulary in the page's language: the taxonomy's own words are the first language's.
    taxonomy = site.taxonomy if language.code == site.config.language else site.taxonomy.in_language(language.code)
    env.globals.update(site=site, config=site.config.in_language(language.code), taxonomy=taxonomy,
                       addresses=language.addresses,
                       language=language, languages=languages,
                       url=partial(addresses.url, prefix),
                       asset=lambda name: addresses.url(prefix, _asset_path(by_name, name)),
                       module_imports=lambda name: [addresses.url(prefix, path)
                                                    for path in _module_imports(by_name, by_path, name)],
                       absolute_url=site.config.absolute_url,
                       edit_url=lambda listing: edit_url(site, listing),
                       report_url=lambda listing: report_url(site, listing),
                       correction_url=lambda listing: correction_url(site, listing),
                       repository_pages=repository_pages(site),
                       contact_url=lambda subject: contact_url(site, subject), exports=export_catalog(site),
                       filter_sections=FILTERED, listing_sections=TOP_LEVEL, blank_listing=BLANK_LISTING,
                       filter_keys=FILTER_KEYS)
    absolute = site.config.absolute_url
    here, code, config = language.addresses, language.code, site.config.in_language(language.code)
    env.globals.update(json_ld=json_ld, website_data=lambda: website_data(config, here, code, absolute),
                       listing_data=lambda l: listing_data(l, absolute, here, code),
                       article_data=lambda a: article_data(config, a, absolute, here))
    # A listing's text in the page's language where it has a translation; `lang_of` marks text left as written.
    as_written = Markup(f' lang="{site.config.language}"') if code != site.config.language else Markup("")
    env.globals.update(summary_of=lambda l: l.summary_in(code), description_of=lambda l: l.description_in(code),
                       lang_of=lambda l, name: Markup("") if l.is_translated(code, name) else as_written)
    env.filters.update(translated=language.translations.gettext)  # text marked in the code (vocabulary.N_)
    env.globals.update(weekdays=language.weekdays, ui_text=Markup(script_text(language, templates)),
                       language_name=language.name_of)
    env.filters.update(in_page_language=lambda article: article.in_language(language.code))
    env.filters.update(weekday=lambda day: language.weekdays[DAYS.index(day)] if day else "",  # 'monday' → 'Monday'
                       number=lambda n: format_decimal(n, locale=language.locale))
    env.filters.update(date_long=lambda day: language.date_long(_as_date(day)), zone_name=language.zone_name,
                       clock=language.clock,  # '19:00' → '7:00 PM', '7:00 p.m.'
                       term=lambda slug, section: term(taxonomy, section, slug),
                       directions=directions_href, site_name=site_name)
    # The states and territories as (slug, term), A–Z by their names in the page's language, for every list of them.
    regions = sorted(taxonomy.sections["regions"].items(), key=lambda item: a_to_z(item[1].label))
    env.globals.update(regions_a_to_z=lambda: regions)
    # The terms a filter offers, as (slug, term): not the site's own language, which most listings leave unsaid
    # ("English" would have found the few that say it and hidden the rest).
    env.globals.update(filter_terms=lambda name: [(slug, t) for slug, t in taxonomy.sections[name].items()
                                                  if not (name == "languages" and slug == site.config.language)])
    # Whether some listing has a term. The directory hides the box of one none has ("Sober companion (0)" promised
    # what nothing holds) unless an address chooses it, and the embed builder leaves it out.
    env.globals.update(term_used=lambda name, slug: bool(site.index[name].get(slug)))
    return env


def _module_imports(by_name: dict[str, str], by_path: dict[str, bytes], name: str) -> list[str]:
    """Return the site paths of the modules an asset imports, directly or not, in the order they are first met: what
    a page may ask for with the module itself (<link rel="modulepreload">) rather than once it has come."""
    found: list[str] = []
    waiting = [_asset_path(by_name, name)]
    while waiting:
        for match in _BUILT_IMPORT.finditer(by_path[waiting.pop(0)]):
            path = ADDRESSES.asset(match.group(1).decode())  # beside the importer
            if path not in found:
                found.append(path)
                waiting.append(path)
    return found


def _asset_path(by_name: dict[str, str], name: str) -> str:
    """Return the site path of an asset by its name in templates/static/."""
    if name not in by_name:
        raise TemplateRuntimeError(f"asset '{name}' is not in templates/static/ — add the file or fix the name")
    return by_name[name]


def term(taxonomy: Taxonomy, section: str, slug: str) -> Term:
    """Return the term of a slug; the blank slug (BLANK_LISTING's) has a blank label."""
    return taxonomy.sections[section][slug] if slug else Term(section, "", "", "")


def edit_url(site: Site, listing: Listing) -> str:
    """Return GitHub's edit page for the listing's file ('' without a repository or a repository-relative path)."""
    repo = site.config.repository
    if not repo or Path(listing.path).is_absolute():
        return ""
    return f"{repo}/edit/{quote(site.config.branch)}/{quote(Path(listing.path).as_posix())}"


def repository_pages(site: Site) -> dict[str, str]:
    """Return the repository's pages the contribute page links to: its two issue forms, a new listing file in
    GitHub's editor, and the contributors' guide ({} without a repository)."""
    repo, branch = site.config.repository, quote(site.config.branch)
    if not repo:
        return {}
    return {"suggest": f"{repo}/issues/new?template=suggest-listing.yml",
            "report": f"{repo}/issues/new?template=report-problem.yml",
            "new": f"{repo}/new/{branch}/content/listings", "guide": f"{repo}/blob/{branch}/CONTRIBUTING.md"}


def report_url(site: Site, listing: Listing) -> str:
    """Return a new-issue address with the report form prefilled with the listing's name and page."""
    if not site.config.repository:
        return ""
    query = urlencode({"template": "report-problem.yml", "title": f"Outdated or wrong: {listing.name}",
                       "listing": listing.name, "page": site.config.absolute_url(listing.url)})
    return f"{site.config.repository}/issues/new?{query}"


def contact_url(site: Site, subject: str, body: str = "") -> str:
    """Return a link to the site's `contact:` (mailto: with a subject, or its page as given), or '' without one."""
    contact = site.config.contact
    if not contact or contact.startswith("https://"):
        return contact
    fields = {"subject": subject, "body": body} if body else {"subject": subject}
    return f"mailto:{contact}?{urlencode(fields, quote_via=quote)}"


def correction_url(site: Site, listing: Listing) -> str:
    """Return where to send a correction to a listing when there is no repository: the contact, by name."""
    page = f"Page: {site.config.absolute_url(listing.url)}\n\n" if site.config.is_absolute else ""
    return contact_url(site, f"Correction: {listing.name}", f"{page}What is wrong or out of date:\n")


def site_name(url: str) -> str:
    """Return the name a website goes by in its address, for a link's words: 'https://www.aa-montana.org/x' →
    'aa-montana.org'."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def directions_href(listing: Listing) -> str:
    """Return a map directions link for a listing's address (an ordinary link, followed only on a click)."""
    loc = listing.location
    if "lat" in loc and "lng" in loc:
        destination = f"{loc['lat']},{loc['lng']}"
    else:
        destination = ", ".join(str(loc[k]) for k in ("address", "city", "region", "postal_code") if loc.get(k))
    return f"https://www.openstreetmap.org/search?query={quote(destination)}"


def page(env: Environment, template: str, site_path: str, **context) -> tuple[str, bytes]:
    """Render one template as the page at a site path; `page_path` is the page's own site path.

    `template_name` marks the page (`<body data-template>`) so the quality tests can pick one page
    of every template from the output, whoever added the template.
    """
    html = env.get_template(template).render(page_path=site_path, template_name=template, **context)
    return output_file(site_path), html.encode("utf-8")


def render_static_pages(env: Environment) -> Files:
    return [page(env, template, addresses_of(env).page(name)) for template, name in STATIC_PAGES]


def plan_listing_pages(env: Environment, site: Site, keys: Keys) -> list[Job]:
    jobs, constants = [], site_constants(site)
    for l in site.listings:
        related = site.related_articles(l)
        key = keys.of(l.digest, *(a.digest for a in related))
        jobs.append(Job(job_name(env, f"listing/{l.slug}"), key, partial(_listing_page, env, constants, l, related)))
    return jobs


def listing_previewer(site: Site, templates: Path | None = None, compiled: BytecodeCache | None = None):
    """Return a function that renders one listing's page and calendar as a build of `site` would.

    `serve` uses it to show an edited listing before the full build has caught up with the rest of
    the site (the pages that list it, the search shards, the open data).
    """
    templates = templates or TEMPLATES_DIR
    languages = languages_of(site, templates)
    assets = build_assets(templates / "static")
    envs = [make_environment(templates, site, assets, compiled, language, languages) for language in languages]
    constants = site_constants(site)

    def preview(listing: Listing) -> Files:
        related = site.related_articles(listing)
        return [file for env in envs
                for file in run_job(Job("", "", partial(_listing_page, env, constants, listing, related)), templates)]
    return preview


def _listing_page(env: Environment, constants, listing: Listing, related: list) -> Files:
    """Return a listing's page and, when it has a schedule, its calendar file."""
    addresses = addresses_of(env)
    return [page(env, "listing.html", addresses.listing(listing.slug), listing=listing, related=related),
            *render_calendar(constants, listing, addresses.calendar(listing.slug))]


def plan_facet_pages(env: Environment, site: Site, keys: Keys) -> list[Job]:
    """Return an index page and the pages of each term for each facet (regions, support types, kinds),
    then the online pages."""
    taxonomy = taxonomy_of(env)
    groups = [(taxonomy.support_types[t.slug], group) for t, group in site.online_by_support_type()]
    online = {t.slug: len(group) for t, group in groups}
    addresses, jobs = addresses_of(env), []
    for section, folder in FACET_FOLDERS.items():
        terms, heading = list(taxonomy.sections[section].values()), FACET_HEADINGS[section]
        jobs.append(Job(job_name(env, f"facet/{folder}"), keys.of(keys.counts),
                        partial(_pages, env, "facet_index.html", addresses.facet_index(section), section=section,
                                heading=heading, terms=terms)))
        # A state's first page also offers what meets across the country: that page alone is given them, and
        # only its key names them (an edit to one leaves a long state's later pages be).
        nationwide = site.nationwide_listings if section == "regions" else []
        first = ({"nationwide": nationwide}, ",".join(l.digest for l in nationwide)) if nationwide else None
        for t in terms:
            count = online.get(t.slug, 0) if section == "support_types" else 0
            jobs += plan_paginated(env, keys, "facet.html", addresses.term_page(section, t.slug),
                                   site.index[section].get(t.slug, []), str(count), section=section,
                                   heading=heading, term=t, online_count=count, nationwide=[], first_page=first)
    jobs += plan_paginated(env, keys, "online.html", addresses.online(), site.online_listings,
                           repr(sorted(online.items())), groups=groups)
    for t, listings in groups:
        jobs += plan_paginated(env, keys, "online_type.html", addresses.online(t.slug), listings, "", term=t)
    return jobs


def plan_paginated(env: Environment, keys: Keys, template: str, base: str, listings: list[Listing], extra: str,
                   first_page: tuple[dict, str] | None = None, **context) -> list[Job]:
    """Return a job per page of a list of listings, page 1 at `base`; each page gets its `listings` and `pager`.

    A page's key covers its own listings, its place in the list (number, pages, total), the facet
    counts every page shows and `extra` (anything else the template shows, as text). `first_page` is
    (context, key text) that the first page alone gets.
    """
    jobs = []
    for pager, part in paginate(listings, base):
        own, own_key = first_page if first_page and pager.number == 1 else ({}, "")
        jobs.append(Job(f"list/{pager.path}", keys.of(keys.counts, extra, own_key, repr(pager),
                                                      *(l.digest for l in part)),
                        partial(_pages, env, template, pager.url(pager.number), listings=part, pager=pager,
                                **{**context, **own}), shows=len(part)))
    return jobs


def _pages(env: Environment, template: str, site_path: str, **context) -> Files:
    return [page(env, template, site_path, **context)]


def plan_region_print_pages(env: Environment, site: Site, keys: Keys) -> list[Job]:
    """Return a compact, printable list (name, schedule, address, phone, website) for each region with listings."""
    nationwide = site.nationwide_listings
    return [Job(job_name(env, f"print/{t.slug}"), keys.of(*(l.digest for l in listings), "/",
                                                          *(l.digest for l in nationwide)),
                partial(_pages, env, "region_print.html", addresses_of(env).region_print(t.slug), term=t,
                        listings=listings, nationwide=nationwide), shows=len(listings) + len(nationwide))
            for t in taxonomy_of(env).regions.values() if (listings := site.index["regions"].get(t.slug))]


def plan_article_pages(env: Environment, site: Site, keys: Keys) -> list[Job]:
    jobs = []
    for a in site.articles:
        shown = a.in_language(env.globals["language"].code)
        related = site.related_listings(shown if shown.related else a)
        jobs.append(Job(job_name(env, f"article/{a.slug}"), keys.of(shown.digest, *(l.digest for l in related)),
                        partial(_pages, env, "article.html", addresses_of(env).article(a.slug), article=shown,
                                original=a,
                                related=related), shows=1 + len(related)))
    return jobs


def iter_page_paths(site: Site, addresses: Addresses = ADDRESSES) -> Iterator[str]:
    """Yield the site path of every HTML page of one language worth listing in the sitemap."""
    for template, name in STATIC_PAGES:
        if name not in UNLISTED_PAGES:
            yield addresses.page(name)
    for section in FACET_FOLDERS:
        yield addresses.facet_index(section)
        for slug in site.taxonomy.sections[section]:
            if count := site.count(section, slug):
                yield from page_urls(addresses.term_page(section, slug), count)
    yield from page_urls(addresses.online(), len(site.online_listings))
    for t, listings in site.online_by_support_type():
        yield from page_urls(addresses.online(t.slug), len(listings))
    yield from (addresses.listing(l.slug) for l in site.listings)
    yield from (addresses.article(a.slug) for a in site.articles)


SITEMAP_LIMIT = 50_000  # URLs per file, by the sitemap protocol


def render_sitemaps(envs: list[Environment], site: Site) -> Files:
    """Return sitemap.xml with every language's pages; past the protocol's 50,000 URLs, it becomes an index of
    numbered sitemaps."""
    env = envs[0]
    paths = [path for language_env in envs for path in iter_page_paths(site, addresses_of(language_env))]
    template = env.get_template("sitemap.xml")
    sitemap = output_file(ADDRESSES.sitemap())
    if len(paths) <= SITEMAP_LIMIT:
        return [(sitemap, template.render(paths=paths).encode("utf-8"))]
    parts = [paths[i:i + SITEMAP_LIMIT] for i in range(0, len(paths), SITEMAP_LIMIT)]
    numbered = [ADDRESSES.sitemap(n) for n in range(1, len(parts) + 1)]
    files = [(output_file(path), template.render(paths=part).encode("utf-8")) for path, part in zip(numbered, parts)]
    index = env.get_template("sitemap_index.xml").render(paths=numbered)
    return files + [(sitemap, index.encode("utf-8"))]


def render_robots(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /", ""]
    if site.config.is_absolute:
        lines.insert(2, f"Sitemap: {site.config.absolute_url(ADDRESSES.sitemap())}")
    return "\n".join(lines).encode("utf-8") + b"\n"


def render_not_found_rules(languages: list[Language]) -> Files:
    """Return Netlify's _redirects, which answers a missing address under /es/ with /es/404.html (status 404); the
    first language's 404.html answers the rest without a rule. One language needs no file."""
    rules = [f"{language.addresses.root}/*  {language.addresses.page('not-found')}  404\n"
             for language in languages[1:]]
    return [(output_file(ADDRESSES.redirects()), "".join(rules).encode("utf-8"))] if rules else []


def render_listing_schema(site: Site) -> bytes:
    """Return the listing schema with the taxonomy's terms as enums, so editors can complete them."""
    return listing_schema_for(site.taxonomy, site.config.absolute_url(ADDRESSES.listing_schema()))
