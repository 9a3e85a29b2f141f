"""Every address of the site: the site path of each page and file, its URL, and its output file.

Three kinds of address, kept apart by name:
- a *site path* is where a page or file sits within the site: `/listings/x/`, `/api/listings.json`;
- a *URL* is a site path with the site's own path prefix in front (`url`): `/help/listings/x/` when
  the site is served under /help/ (SiteConfig.absolute_url puts the whole base URL in front instead);
- an *output file* is where the build writes it, relative to the output folder (`output_file`):
  `listings/x/index.html`.

No other module or template puts a site path together; they ask an `Addresses` for one (templates
through the `addresses` global: `url(addresses.listing(slug))`). Pages belong to a language and sit
under its `root` ('' today); the open data, the search data and the assets are one set of files for
the whole site, outside any language's root.

To add a page, give it its address here (a name in PAGES, or a method for a page per item), render it
with `render.page(env, template, site_path)`, which writes it to `output_file(site_path)`, and link to it
with `url(addresses.<method>(...))`.
"""
from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import BROWSED

# The taxonomy sections that get an index page and a page per term, and the folder of their pages.
FACET_FOLDERS = {section.name: section.folder for section in BROWSED}

# Pages with a fixed address, by name (templates link to them as `addresses.page("about")`).
PAGES = {"home": "/", "directory": "/directory/", "articles": "/articles/", "contribute": "/contribute/",
         "about": "/about/", "open-data": "/open-data/", "widget": "/widget/", "search": "/search/",
         "embed": "/embed/", "not-found": "/404.html"}


def output_file(site_path: str) -> str:
    """Return the output file of a site path: a folder's page is its index.html ('/x/' → 'x/index.html')."""
    return site_path.lstrip("/") + ("index.html" if site_path.endswith("/") else "")


def site_path(output: str) -> str:
    """Return the site path of an output file: the inverse of output_file ('x/index.html' → '/x/')."""
    return "/" + output.removesuffix("index.html")


def prefix_of(base_path: str) -> str:
    """Return the URL prefix of a site served at a URL path: '/help/' → '/help', '/' → ''."""
    return "/" + base_path.strip("/") if base_path.strip("/") else ""


def url(prefix: str, site_path: str) -> str:
    """Return the URL of a site path on a site served under `prefix`: '' at the root, '/help', or a whole
    base such as 'https://example.org/help' for an absolute URL (SiteConfig.absolute_url)."""
    return prefix + site_path


def language_root(code: str, main: bool) -> str:
    """Return where a language's pages sit: at the site's root for its main language, under '/es' for Spanish."""
    return "" if main else f"/{code.lower()}"


def list_page(first: str, number: int) -> str:
    """Return the site path of page `number` of a list whose first page is at `first` (ending in '/')."""
    return first if number == 1 else f"{first}page/{number}/"


@dataclass(frozen=True)
class Addresses:
    """The site paths of the pages of one language (under `root`) and of the files the site shares."""

    root: str = ""  # the site path the language's pages sit under, without a trailing slash

    # Pages: under the language's root.

    def page(self, name: str) -> str:
        """Return the site path of a page with a fixed address (a name of PAGES)."""
        return self.root + PAGES[name]

    def listings_folder(self) -> str:
        """Return the folder that holds every listing's page (it has no page of its own)."""
        return f"{self.root}/listings/"

    def listing(self, slug: str) -> str:
        return f"{self.listings_folder()}{slug}/"

    def calendar(self, slug: str) -> str:
        """Return the site path of a listing's iCalendar file."""
        return f"{self.listing(slug)}meetings.ics"

    def articles_folder(self) -> str:
        """Return the folder that holds every article's page (also the page listing them)."""
        return self.page("articles")

    def article(self, slug: str) -> str:
        return f"{self.articles_folder()}{slug}/"

    def facet_index(self, section: str) -> str:
        """Return the site path of a facet's index page: '/support-types/' for 'support_types'."""
        return f"{self.root}/{FACET_FOLDERS[section]}/"

    def term_page(self, section: str, slug: str) -> str:
        """Return the site path of the first page of a term's listings: '/kinds/local-group/'."""
        return f"{self.facet_index(section)}{slug}/"

    def region_print(self, slug: str) -> str:
        """Return the site path of a region's printable list."""
        return f"{self.term_page('regions', slug)}print/"

    def online(self, type_slug: str | None = None) -> str:
        """Return the site path of the online listings' first page, or of those of one support type."""
        return f"{self.root}/online/{type_slug}/" if type_slug else f"{self.root}/online/"

    def in_language(self, site_path: str, other: Addresses) -> str:
        """Return the site path, among `other`'s pages, of this language's page at `site_path`."""
        return other.root + site_path[len(self.root):]

    # Files the whole site shares: the same for every language.

    def listings_export(self, extension: str) -> str:
        """Return the site path of every listing as open data: 'json' or 'csv'."""
        return f"/api/listings.{extension}"

    def region_exports_folder(self) -> str:
        return "/api/regions/"

    def region_export(self, code: str) -> str:
        """Return the site path of a state's listings as JSON: '/api/regions/ct.json' for 'CT'."""
        return f"{self.region_exports_folder()}{code.lower()}.json"

    def meetings_feed(self) -> str:
        """Return the site path of the Meeting Guide feed."""
        return "/api/meetings.json"

    def hsds_folder(self) -> str:
        """Return the folder of the Open Referral HSDS files."""
        return "/api/hsds/"

    def hsds_file(self, name: str) -> str:
        return f"{self.hsds_folder()}{name}"

    def atom_feed(self) -> str:
        return "/feeds/listings.atom"

    def listing_schema(self) -> str:
        return "/schema/listing.schema.json"

    def search_index(self) -> str:
        """Return the site path of the search index, which names every other search file."""
        return "/search/index.json"

    def search_file(self, name: str) -> str:
        """Return the site path of a search file beside the index (the articles, and the words of their texts)."""
        return f"/search/{name}"

    def search_shard(self, scope: str, name: str) -> str:
        """Return the site path of one shard of a scope's listings ('CT' or 'online')."""
        return f"/search/s/{scope.lower()}/{name}"

    def search_words(self, shard: str) -> str:
        """Return the site path of a shard's description words, beside it ('12-step-0.<hash>.words.json'):
        directory.js makes the same path from the shard's, so index.json need not name it."""
        return shard.removesuffix(".json") + ".words.json"

    def search_summaries(self, shard: str, code: str) -> str:
        """Return the site path of a shard's summaries in language `code`, beside it ('12-step-0.<hash>.es.json'):
        directory.js and place-map.js make the same path from the shard's and the page's language."""
        return shard.removesuffix(".json") + f".{code}.json"

    def places_folder(self) -> str:
        """Return the folder of the place lookup files (the search script adds 'zip/123.json')."""
        return "/search/places/"

    def places_file(self, kind: str, name: str) -> str:
        """Return the site path of one place lookup file: kind 'zip' or 'city'."""
        return f"{self.places_folder()}{kind}/{name}.json"

    def sitemap(self, number: int | None = None) -> str:
        """Return the site path of the sitemap, or of numbered part `number` of a long one."""
        return f"/sitemap-{number}.xml" if number else "/sitemap.xml"

    def robots(self) -> str:
        return "/robots.txt"

    def redirects(self) -> str:
        """Return the site path of Netlify's rules file, which names each language's not-found page."""
        return "/_redirects"

    def embed_script(self) -> str:
        """Return the site path of the script organizations paste into their pages (kept for good)."""
        return "/embed.js"

    def asset(self, name: str) -> str:
        """Return the site path of a file of templates/static/ as the build names it ('x.1a2b.css')."""
        return f"/static/{name}"

    def favicon(self) -> str:
        return "/favicon.ico"


# The site's addresses: one language, at the root of the site.
ADDRESSES = Addresses()
