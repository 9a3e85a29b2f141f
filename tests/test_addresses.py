"""generator.addresses: every address it makes is one the site writes, and no other module or template
puts a site path together."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.addresses import (ADDRESSES, FACET_FOLDERS, PAGES, Addresses, list_page, output_file, site_path,
                                 url)
from generator.pipeline import gather_site

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("made, expected", [
    (ADDRESSES.page("home"), "/"), (ADDRESSES.page("directory"), "/directory/"),
    (ADDRESSES.page("not-found"), "/404.html"),
    (ADDRESSES.listing("hartford-tuesday"), "/listings/hartford-tuesday/"),
    (ADDRESSES.calendar("hartford-tuesday"), "/listings/hartford-tuesday/meetings.ics"),
    (ADDRESSES.listings_folder(), "/listings/"), (ADDRESSES.articles_folder(), "/articles/"),
    (ADDRESSES.article("what-is-peer-support"), "/articles/what-is-peer-support/"),
    (ADDRESSES.facet_index("support_types"), "/support-types/"),
    (ADDRESSES.term_page("kinds", "local-group"), "/kinds/local-group/"),
    (ADDRESSES.region_print("connecticut"), "/regions/connecticut/print/"),
    (ADDRESSES.online(), "/online/"), (ADDRESSES.online("12-step"), "/online/12-step/"),
    (ADDRESSES.listings_export("csv"), "/api/listings.csv"), (ADDRESSES.region_export("CT"), "/api/regions/ct.json"),
    (ADDRESSES.meetings_feed(), "/api/meetings.json"), (ADDRESSES.hsds_file("services.csv"), "/api/hsds/services.csv"),
    (ADDRESSES.atom_feed(), "/feeds/listings.atom"), (ADDRESSES.listing_schema(), "/schema/listing.schema.json"),
    (ADDRESSES.search_index(), "/search/index.json"), (ADDRESSES.search_shard("CT", "x.json"), "/search/s/ct/x.json"),
    (ADDRESSES.places_file("zip", "061"), "/search/places/zip/061.json"),
    (ADDRESSES.sitemap(), "/sitemap.xml"), (ADDRESSES.sitemap(2), "/sitemap-2.xml"),
    (ADDRESSES.embed_script(), "/embed.js"), (ADDRESSES.asset("site.1a2b.css"), "/static/site.1a2b.css"),
    (list_page("/kinds/local-group/", 1), "/kinds/local-group/"),
    (list_page("/kinds/local-group/", 3), "/kinds/local-group/page/3/"),
])
def test_each_address_is_the_site_path_the_site_has_always_used(made, expected):
    assert made == expected


def test_site_paths_output_files_and_urls_are_told_apart():
    assert output_file("/listings/x/") == "listings/x/index.html" and output_file("/") == "index.html"
    assert output_file("/api/listings.json") == "api/listings.json" and output_file("/404.html") == "404.html"
    assert site_path("listings/x/index.html") == "/listings/x/" and site_path("index.html") == "/"
    assert url("", "/listings/x/") == "/listings/x/" and url("/help", "/listings/x/") == "/help/listings/x/"


def test_a_language_root_moves_its_pages_and_leaves_the_shared_files():
    spanish = Addresses(root="/es")
    assert (spanish.page("home"), spanish.listing("x"), spanish.term_page("regions", "texas"), spanish.online()) == \
        ("/es/", "/es/listings/x/", "/es/regions/texas/", "/es/online/")
    assert output_file(spanish.page("home")) == "es/index.html"
    assert (spanish.meetings_feed(), spanish.search_index()) == (ADDRESSES.meetings_feed(), ADDRESSES.search_index())


@pytest.fixture(scope="module")
def sample(sample_site: Path, tmp_path_factory):
    """The sample site's model and the set of its output files (built once per session by conftest)."""
    from helpers import new_content, write_sample_site
    content = new_content(tmp_path_factory.mktemp("addresses") / "project")
    write_sample_site(content)
    result = gather_site(content, None)
    assert result.errors == []
    files = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file()}
    return result.site, files


def test_every_page_and_file_the_addresses_name_is_written(sample):
    site, files = sample
    named = [ADDRESSES.page(name) for name in PAGES]
    named += [ADDRESSES.listing(l.slug) for l in site.listings]
    named += [ADDRESSES.calendar(l.slug) for l in site.listings if l.schedule]
    named += [ADDRESSES.article(a.slug) for a in site.articles]
    for section in FACET_FOLDERS:
        named += [ADDRESSES.facet_index(section)]
        named += [ADDRESSES.term_page(section, slug) for slug in site.taxonomy.sections[section]]
    named += [ADDRESSES.online()] + [ADDRESSES.online(t.slug) for t, _ in site.online_by_support_type()]
    regions = [t for t in site.taxonomy.regions.values() if site.index["regions"].get(t.slug)]
    named += [ADDRESSES.region_print(t.slug) for t in regions] + [ADDRESSES.region_export(t.code) for t in regions]
    named += [ADDRESSES.listings_export("json"), ADDRESSES.listings_export("csv"), ADDRESSES.meetings_feed(),
              ADDRESSES.hsds_file("services.json"), ADDRESSES.atom_feed(), ADDRESSES.listing_schema(),
              ADDRESSES.search_index(), ADDRESSES.places_file("zip", "061"), ADDRESSES.sitemap(), ADDRESSES.robots(),
              ADDRESSES.embed_script(), ADDRESSES.favicon()]
    missing = [path for path in named if output_file(path) not in files]
    assert missing == []


def test_every_file_written_sits_where_an_address_puts_it(sample):
    """Each top-level folder or file of the output is one the address module names."""
    site, files = sample
    named = {output_file(path).split("/")[0] for path in [
        *(ADDRESSES.page(name) for name in PAGES), ADDRESSES.listings_folder(),
        *(ADDRESSES.facet_index(section) for section in FACET_FOLDERS), ADDRESSES.online(),
        ADDRESSES.meetings_feed(), ADDRESSES.atom_feed(), ADDRESSES.listing_schema(), ADDRESSES.search_index(),
        ADDRESSES.sitemap(), ADDRESSES.robots(), ADDRESSES.embed_script(), ADDRESSES.asset("x"), ADDRESSES.favicon()]}
    from generator.outputdir import MARKER
    assert {path.split("/")[0] for path in files} - named - {MARKER} == set()


# What puts a site path together: a text that starts with a folder of the site ('/kinds/', "api/x" but not a
# template's name), a path in an f-string ('f"/{folder}/'), "/" joined on with + or ~ (Jinja), a path written
# into url() or absolute(), or index.html.
SITE_FOLDERS = ("listings", "articles", "kinds", "regions", "support-types", "online", "api", "search", "schema",
                "feeds", "directory", "contribute", "about", "open-data", "widget", "embed", "static", "sitemap")
CONCATENATION = re.compile(
    r"""(['"]/(?:%s)\b"""  # '/kinds/...'
    r"""|(?<!get_template\()['"](?:%s)/[\w{]"""  # "api/regions/..." (an output file)
    r"""|\bf['"]/\{"""  # f"/{folder}/"
    r"""|['"]/['"]\s*[+~]|~\s*['"]/"""  # '/' ~ folder, "/" + path, ~ '/print/'
    r"""|(?:url|absolute)\(\s*['"]/"""  # url('/'), absolute("/directory/")
    r"""|[/'"]index\.html\b)""" % ("|".join(SITE_FOLDERS), "|".join(SITE_FOLDERS)))


def iter_concatenations(root: Path) -> list[str]:
    """Return 'file:line: text' for every line outside addresses.py that seems to put a site path together."""
    sources = [p for p in (root / "generator").rglob("*.py") if p.name != "addresses.py"]
    sources += [p for p in (root / "templates").rglob("*") if p.suffix in (".html", ".xml", ".atom")]
    found = []
    for path in sorted(sources):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CONCATENATION.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_no_module_or_template_but_addresses_puts_a_site_path_together():
    assert iter_concatenations(REPO_ROOT) == []


def test_the_check_finds_a_site_path_put_together(tmp_path):
    (tmp_path / "generator").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "generator" / "x.py").write_text('def url(slug):\n    return f"/listings/{slug}/"\n'
                                                 'FILE = "api/regions/ct.json"\nPAGE = "/" + folder\n')
    (tmp_path / "templates" / "x.html").write_text("<a href=\"{{ url('/' ~ folder ~ '/') }}\">\n"
                                                   "<a href=\"{{ url('/kinds/' ~ slug) }}\">\n"
                                                   "<a href=\"{{ url('/') }}\">\n")
    assert [line.split(":")[0:2] for line in iter_concatenations(tmp_path)] == [
        ["generator/x.py", "2"], ["generator/x.py", "3"], ["generator/x.py", "4"],
        ["templates/x.html", "1"], ["templates/x.html", "2"], ["templates/x.html", "3"]]
