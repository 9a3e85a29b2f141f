"""Render the site model into (path, bytes) pairs: pages, facet pages, assets, sitemap, schema."""
from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote, urlencode
from typing import Iterator

from jinja2 import (Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateRuntimeError,
                    TemplateSyntaxError)

from .errors import Problem
from .exports import export_catalog, render_exports
from .geo import render_places
from .load import display_path
from .model import Listing, Site, Term
from .paging import page_urls, paginate
from .schema_check import listing_schema_for
from .search_data import render_search_data
from .structured_data import article_data, json_ld, listing_data, website_data

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
Files = list[tuple[str, bytes]]

# Facet sections that get an index page and a page per term: (taxonomy section, URL folder, heading).
FACETS = (("regions", "regions", "Regions"), ("support_types", "support-types", "Support types"),
          ("kinds", "kinds", "Kinds of support"))
# Pages with no data of their own beyond the site: (template, output path). The online pages are paginated
# lists, made with the facet pages (render_online_pages).
STATIC_PAGES = (("home.html", "index.html"), ("directory.html", "directory/index.html"),
                ("articles.html", "articles/index.html"),
                ("contribute.html", "contribute/index.html"), ("about.html", "about/index.html"),
                ("open_data.html", "open-data/index.html"), ("widget.html", "widget/index.html"),
                ("404.html", "404.html"))


class TemplateProblem(Exception):
    """A template failed to compile or render; names the template file and line."""

    def __init__(self, path: str, line: int, message: str):
        self.problem = Problem(path, line, "(template)", message)
        super().__init__(str(self.problem))


def render_site(site: Site, templates: Path | None = None) -> Files:
    """Return every output file of the site; raise TemplateProblem if a template is broken."""
    templates = templates or TEMPLATES_DIR
    try:
        return _render_all(site, templates)
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


def _render_all(site: Site, templates: Path) -> Files:
    assets = build_assets(templates / "static")
    env = make_environment(templates, site, assets)
    files: Files = [(path, data) for path, (_, data) in sorted(assets.items())]
    files += render_static_pages(env)
    files += render_listing_pages(env, site)
    files += render_facet_pages(env, site)
    files += render_region_print_pages(env, site)
    files += render_article_pages(env, site)
    files += render_sitemaps(env, site)
    files.append(("robots.txt", render_robots(site)))
    files.append(("schema/listing.schema.json", render_listing_schema(site)))
    files += render_search_data(site, site.config.path_prefix)
    files += render_places()
    files += render_exports(site, env)
    files += render_embed(env, templates)
    return files


def render_embed(env: Environment, templates: Path) -> Files:
    """Return the embeddable directory (/embed/, kept out of the sitemap) and the script that embeds it.

    embed.js keeps one address for good: organizations paste `<script src=".../embed.js">` into their sites.
    """
    return [page(env, "embed.html", "embed/index.html"), ("embed.js", (templates / "embed.js").read_bytes())]


def build_assets(folder: Path) -> dict[str, tuple[str, bytes]]:
    """Return {output path: (logical name, bytes)}; CSS and JS get content-hash names for long caching."""
    assets = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if path.suffix in (".css", ".js", ".svg"):
            digest = hashlib.sha256(data).hexdigest()[:10]
            out = f"static/{path.with_suffix('').relative_to(folder).as_posix()}.{digest}{path.suffix}"
        elif name == "favicon.ico":
            out = "favicon.ico"
        else:
            out = f"static/{name}"
        assets[out] = (name, data)
    return assets


def make_environment(templates: Path, site: Site, assets: dict[str, tuple[str, bytes]]) -> Environment:
    """Return a Jinja environment with autoescaping and the helpers templates use."""
    env = Environment(loader=FileSystemLoader(str(templates.resolve())), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=True)
    by_name = {name: out for out, (name, _) in assets.items()}
    prefix = site.config.path_prefix
    env.globals.update(site=site, config=site.config, taxonomy=site.taxonomy,
                       url=lambda path: prefix + path,
                       asset=lambda name: f"{prefix}/{_asset_path(by_name, name)}",
                       absolute_url=site.config.absolute_url,
                       edit_url=lambda listing: edit_url(site, listing),
                       report_url=lambda listing: report_url(site, listing), exports=export_catalog(site))
    absolute = site.config.absolute_url
    env.globals.update(json_ld=json_ld, website_data=lambda: website_data(site, absolute),
                       listing_data=lambda l: listing_data(l, absolute),
                       article_data=lambda a: article_data(site, a, absolute))
    env.filters.update(date_long=lambda d: f"{d.day} {d:%B %Y}", term=lambda slug, section: term(site, section, slug),
                       directions=directions_href)
    return env


def _asset_path(by_name: dict[str, str], name: str) -> str:
    if name not in by_name:
        raise TemplateRuntimeError(f"asset '{name}' is not in templates/static/ — add the file or fix the name")
    return by_name[name]


def term(site: Site, section: str, slug: str) -> Term:
    return site.taxonomy.sections[section][slug]


def edit_url(site: Site, listing: Listing) -> str:
    """Return GitHub's edit page for the listing's file ('' without a repository or a repository-relative path)."""
    repo = site.config.repository
    if not repo or Path(listing.path).is_absolute():
        return ""
    return f"{repo}/edit/{quote(site.config.branch)}/{quote(Path(listing.path).as_posix())}"


def report_url(site: Site, listing: Listing) -> str:
    """Return a new-issue address with the report form prefilled with the listing's name and page."""
    if not site.config.repository:
        return ""
    query = urlencode({"template": "report-problem.yml", "title": f"Outdated or wrong: {listing.name}",
                       "listing": listing.name, "page": site.config.absolute_url(listing.url)})
    return f"{site.config.repository}/issues/new?{query}"


def directions_href(listing: Listing) -> str:
    """Return a map directions link for a listing's address (an ordinary link, followed only on a click)."""
    loc = listing.location
    if "lat" in loc and "lng" in loc:
        destination = f"{loc['lat']},{loc['lng']}"
    else:
        destination = ", ".join(str(loc[k]) for k in ("address", "city", "region", "postal_code") if loc.get(k))
    return f"https://www.openstreetmap.org/search?query={quote(destination)}"


def page(env: Environment, template: str, path: str, **context) -> tuple[str, bytes]:
    """Render one template to an output path; `page_path` is the page's own URL path.

    `template_name` marks the page (`<body data-template>`) so the quality tests can pick one page
    of every template from the output, whoever added the template.
    """
    url_path = "/" + path.removesuffix("index.html")
    html = env.get_template(template).render(page_path=url_path, template_name=template, **context)
    return path, html.encode("utf-8")


def render_static_pages(env: Environment) -> Files:
    return [page(env, template, path) for template, path in STATIC_PAGES]


def render_listing_pages(env: Environment, site: Site) -> Files:
    return [page(env, "listing.html", f"listings/{l.slug}/index.html", listing=l,
                 related=site.related_articles(l.support_types)) for l in site.listings]


def render_facet_pages(env: Environment, site: Site) -> Files:
    """Return an index page and the pages of each term for each facet (regions, support types, kinds),
    then the online pages."""
    online = {t.slug: len(group) for t, group in site.online_by_support_type()}
    files = []
    for section, folder, heading in FACETS:
        terms = list(site.taxonomy.sections[section].values())
        files.append(page(env, "facet_index.html", f"{folder}/index.html", section=section, folder=folder,
                          heading=heading, terms=terms))
        for t in terms:
            files += render_paginated(env, "facet.html", f"/{folder}/{t.slug}/", site.index[section].get(t.slug, []),
                                      section=section, folder=folder, heading=heading, term=t,
                                      online_count=online.get(t.slug, 0) if section == "support_types" else 0)
    return files + render_online_pages(env, site)


def render_online_pages(env: Environment, site: Site) -> Files:
    """Return the online and hybrid listings A–Z, then those of each support type that has any."""
    groups = site.online_by_support_type()
    files = render_paginated(env, "online.html", "/online/", site.online_listings, groups=groups)
    for t, listings in groups:
        files += render_paginated(env, "online_type.html", f"/online/{t.slug}/", listings, term=t)
    return files


def render_paginated(env: Environment, template: str, base: str, listings: list[Listing], **context) -> Files:
    """Return a list of listings as numbered pages, page 1 at `base`; each page gets its `listings` and `pager`."""
    return [page(env, template, pager.path, listings=part, pager=pager, **context)
            for pager, part in paginate(listings, base)]


def render_region_print_pages(env: Environment, site: Site) -> Files:
    """Return a compact, printable list (name, schedule, address, phone, website) for each region with listings."""
    return [page(env, "region_print.html", f"regions/{t.slug}/print/index.html", term=t, listings=listings)
            for t in site.taxonomy.regions.values() if (listings := site.index["regions"].get(t.slug))]


def render_article_pages(env: Environment, site: Site) -> Files:
    return [page(env, "article.html", f"articles/{a.slug}/index.html", article=a,
                 related=site.related_listings(a)) for a in site.articles]


def iter_page_paths(site: Site) -> Iterator[str]:
    """Yield the URL path of every HTML page worth listing in the sitemap."""
    for template, path in STATIC_PAGES:
        if path != "404.html":
            yield "/" + path.removesuffix("index.html")
    for section, folder, _ in FACETS:
        yield f"/{folder}/"
        for slug in site.taxonomy.sections[section]:
            if count := site.count(section, slug):
                yield from page_urls(f"/{folder}/{slug}/", count)
    yield from page_urls("/online/", len(site.online_listings))
    for t, listings in site.online_by_support_type():
        yield from page_urls(f"/online/{t.slug}/", len(listings))
    yield from (l.url for l in site.listings)
    yield from (a.url for a in site.articles)


SITEMAP_LIMIT = 50_000  # URLs per file, by the sitemap protocol


def render_sitemaps(env: Environment, site: Site) -> Files:
    """Return sitemap.xml; past the protocol's 50,000 URLs, it becomes an index of numbered sitemaps."""
    paths = list(iter_page_paths(site))
    template = env.get_template("sitemap.xml")
    if len(paths) <= SITEMAP_LIMIT:
        return [("sitemap.xml", template.render(paths=paths).encode("utf-8"))]
    parts = [paths[i:i + SITEMAP_LIMIT] for i in range(0, len(paths), SITEMAP_LIMIT)]
    files = [(f"sitemap-{n}.xml", template.render(paths=part).encode("utf-8")) for n, part in enumerate(parts, 1)]
    index = env.get_template("sitemap_index.xml").render(paths=[f"/{name}" for name, _ in files])
    return files + [("sitemap.xml", index.encode("utf-8"))]


def render_robots(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /", ""]
    if site.config.is_absolute:
        lines.insert(2, f"Sitemap: {site.config.absolute_url('/sitemap.xml')}")
    return "\n".join(lines).encode("utf-8") + b"\n"


def render_listing_schema(site: Site) -> bytes:
    """Return the listing schema with the taxonomy's terms as enums, so editors can complete them."""
    return listing_schema_for(site.taxonomy, site.config.absolute_url("/schema/listing.schema.json"))
