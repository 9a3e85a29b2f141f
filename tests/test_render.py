"""Model indexes and rendering: the pages a scratch site gets, what they contain, sitemap, robots.txt,
published schema, fingerprinted assets, deterministic output and untrusted text."""
from __future__ import annotations

import dataclasses

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from generator.errors import ContentError
from generator.model import name_order
from generator.pipeline import build_site, gather_site
from generator.render import render_site
from helpers import (ONLINE, new_content, parse_page, run_build_py, snapshot, write_article, write_listing,
                     write_paging_listings, write_sample_site)


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SLUGS = ("hartford-tuesday", "anytime-forum", "bay-area-family")


# The sample site is rendered in memory once per module (writing ~1,000 files is the slow part of a
# build, and test_build covers writing); tests only read the {path: bytes} dictionaries.


@pytest.fixture(scope="module")
def shared_content(tmp_path_factory) -> Path:
    """Scratch content with the sample listings and articles, shared by this module's read-only tests."""
    content = new_content(tmp_path_factory.mktemp("render") / "project")
    write_sample_site(content)
    return content


def gather(content: Path, base_url: str | None = None):
    result = gather_site(content, base_url)
    assert result.errors == [], result.errors
    return result.site


def render(content: Path, base_url: str | None = None) -> dict[str, bytes]:
    """Return every output file of a site as {path: bytes}, the way build_site would write them."""
    return dict(render_site(gather(content, base_url)))


@pytest.fixture(scope="module")
def site(shared_content):
    return gather(shared_content)


@pytest.fixture(scope="module")
def built(shared_content) -> dict[str, bytes]:
    """The sample site's files, at the site root."""
    return render(shared_content)


@pytest.fixture(scope="module")
def built_under_dir(shared_content) -> dict[str, bytes]:
    """The sample site's files with --base-url https://example.org/dir/."""
    return render(shared_content, "https://example.org/dir/")


def taxonomy_slugs(repo_root: Path, section: str) -> list[str]:
    """Read a taxonomy section's slugs straight from the YAML, independently of the generator."""
    data = yaml.safe_load((repo_root / "content" / "taxonomy.yaml").read_text(encoding="utf-8"))
    return [term["code" if section == "region-codes" else "slug"] for term in
            data["regions" if section == "region-codes" else section]]


def read(files: dict[str, bytes], path: str) -> str:
    return files[path].decode("utf-8")


def html_files(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.endswith(".html")}


# --------------------------------------------------------------------------- model


def test_index_groups_listings_by_every_section(site):
    names = {section: {slug: [l.slug for l in group] for slug, group in terms.items()}
             for section, terms in site.index.items()}
    assert names["formats"] == {"in-person": ["hartford-tuesday"], "online": ["anytime-forum"],
                                "hybrid": ["bay-area-family"]}
    assert names["regions"] == {"ct": ["hartford-tuesday"], "ca": ["bay-area-family"]}
    assert names["support_types"]["12-step"] == ["hartford-tuesday"]
    assert names["support_types"]["mutual-aid"] == ["hartford-tuesday"]
    assert names["kinds"]["online-forum"] == ["anytime-forum"]
    assert names["audiences"] == {"families": ["bay-area-family"]}
    assert names["languages"] == {"en": ["bay-area-family"], "es": ["bay-area-family"]}
    assert names["costs"] == {"free": ["bay-area-family"]}


def test_count(site):
    assert site.count("regions", "ct") == 1
    assert site.count("regions", "ny") == 0
    assert site.count("support_types", "smart-recovery") == 1
    assert site.count("kinds", "no-such-kind") == 0


def test_online_listings_include_hybrid(site):
    assert [l.slug for l in site.online_listings] == ["anytime-forum", "bay-area-family"]


def test_related_listings_and_articles(site):
    [newer, older] = site.articles
    assert [l.slug for l in site.related_listings(newer)] == ["bay-area-family", "hartford-tuesday"]
    assert site.related_listings(older) == []
    assert [a.slug for a in site.related_articles(site.by_slug["hartford-tuesday"])] == ["finding-a-group"]


# --------------------------------------------------------------------------- pages


def test_a_page_per_listing_region_support_type_and_kind(built, repo_root):
    for slug in SLUGS:
        assert f"listings/{slug}/index.html" in built
    for section, folder in (("regions", "regions"), ("support_types", "support-types"), ("kinds", "kinds")):
        assert f"{folder}/index.html" in built
        for slug in taxonomy_slugs(repo_root, section):
            assert f"{folder}/{slug}/index.html" in built


def test_site_pages_articles_and_extras(built):
    for path in ("index.html", "directory/index.html", "online/index.html", "articles/index.html",
                 "articles/finding-a-group/index.html", "articles/first-meeting/index.html",
                 "contribute/index.html", "about/index.html", "search/index.html", "404.html", "sitemap.xml", "robots.txt",
                 "schema/listing.schema.json", "favicon.ico"):
        assert path in built


def test_no_page_for_unlisted_files(built):
    listing_pages = sorted(path for path in built if path.startswith("listings/") and path.endswith(".html"))
    assert listing_pages == sorted(f"listings/{slug}/index.html" for slug in SLUGS)
    # Besides its page, a listing folder holds only the calendar of a listing with a schedule.
    others = sorted(path for path in built if path.startswith("listings/") and not path.endswith(".html"))
    assert others == ["listings/bay-area-family/meetings.ics", "listings/hartford-tuesday/meetings.ics"]


def test_listing_page(built):
    page = read(built, "listings/hartford-tuesday/index.html")
    parsed = parse_page(page)
    assert parsed.title == "Hartford Tuesday Night Group — Peer Support Directory"
    hrefs = parsed.links()
    for href in ("tel:+1-860-555-0100", "mailto:hartford@example.org", "https://example.org/hartford",
                 "https://example.org/hartford/zoom", "/regions/ct/", "/support-types/12-step/",
                 "/kinds/local-group/", "/articles/finding-a-group/"):
        assert href in hrefs, href
    assert '<time datetime="2026-01-05">5 January 2026</time>' in page
    assert "Tuesday" in page and "Eastern Time" in page


def test_a_directory_of_over_a_hundred_listings_leads_to_the_browse_pages_rather_than_listing_every_one(tmp_path):
    """Every visitor downloads the list meant for browsers without JavaScript; past 100 cards it is the browse pages'
    job (315 cards were 26 KB gzip, 90,000 px tall on a phone)."""
    content = new_content(tmp_path / "project")
    write_paging_listings(content, 101)
    page = read(render(content), "directory/index.html")
    assert "The directory holds 101 listings, too many for one page." in page
    assert 'class="card"' not in page.split('<div id="results">')[1]


def test_the_language_filter_leaves_out_the_sites_own_language(built):
    """Most listings say nothing of their language: "English" would have found the few that do, and hidden AA."""
    page = read(built, "directory/index.html")
    assert 'name="language" value="es"' in page and 'name="language" value="en"' not in page


def test_a_term_no_listing_has_is_a_hidden_box_in_the_filters_left_out_of_the_embed_builder_and_keeps_its_page(built):
    """"Sober companion (0)" offered a filter behind which nothing could be found. Its box stays, hidden, for an
    address that chooses it (the stylesheet shows it then, to be unchecked); its browse page asks for a listing."""
    used = {"12-step", "mutual-aid", "smart-recovery", "family-support"}  # the sample listings' types
    unused = {"peer-specialist", "sober-companion", "harm-reduction", "faith-based"}
    directory = read(built, "directory/index.html")
    boxes = {slug: bool(hidden) for hidden, slug in re.findall(
        r'<li( class="unused")?><label><input type="checkbox" name="type" value="([a-z0-9-]+)"', directory)}
    assert {slug for slug in used | unused if boxes[slug]} == unused
    widget = read(built, "widget/index.html")
    offered = set(re.findall(r'<option value="([a-z0-9-]+)"', widget))
    assert used <= offered and not unused & offered
    assert "No listings here yet." in read(built, "support-types/sober-companion/index.html")


def test_the_main_button_of_help_by_phone_does_not_say_join_online(tmp_path):
    """A coaching line's link leads to the page with its number: "Join online (Phone)" promised something else."""
    content = new_content(tmp_path / "project")
    write_listing(content, "online/line.yaml", ONLINE.replace("platform: Web forum", "platform: Phone or text message"))
    write_listing(content, "online/forum.yaml", ONLINE.replace("Anytime Online Recovery Forum", "Fake Forum"))
    files = render(content)
    line, forum = (read(files, f"listings/{slug}/index.html") for slug in ("line", "forum"))
    assert 'href="https://example.org/forum" rel="noopener noreferrer">How to reach them by phone</a>' in line
    assert "Join online" not in line
    assert 'href="https://example.org/forum" rel="noopener noreferrer">Join online (Web forum)</a>' in forum


def test_listing_schedule_rows_carry_what_listing_js_needs(built):
    page = read(built, "listings/hartford-tuesday/index.html")
    assert re.search(r'<script type="module" src="/static/listing\.[0-9a-f]{10}\.js"></script>', page)
    assert '<table class="schedule" data-next-meeting>' in page
    assert ('<tr data-day="2" data-start="19:00" data-end="20:00" data-timezone="America/New_York">'
            '<th scope="row">Tuesday</th>') in page
    # Nothing to act on before the script runs: it adds the next meeting and the buttons itself.
    assert "listing-next" not in page and "<button" not in page.split('<main')[1]


def test_minimal_listing_renders(content):
    write_listing(content, "ct/minimal.yaml", """\
        name: Minimal Group
        kind: local-group
        support_types: [12-step]
        summary: A weekly meeting with nothing optional filled in.
        format: in-person
        location:
          city: Hartford
          region: CT
        last_verified: 2026-01-05
        source: https://example.org/minimal
    """)
    assert parse_page(render(content)["listings/minimal/index.html"]).h1_count == 1


def test_online_page_lists_online_and_hybrid_only(built):
    page = read(built, "online/index.html")
    assert "Anytime Online Recovery Forum" in page
    assert "Bay Area Family Circle" in page
    assert "Hartford Tuesday Night Group" not in page


def test_online_help_for_one_states_people_is_on_its_state_page_not_the_online_pages(tmp_path):
    """A state's coaching line is online but only for people in that state: /online/ promises what anyone can join
    from anywhere, so it is left out there (as the directory leaves it out for other states) and found on its
    state's page. An online program serving the whole country, office state or not, stays on /online/."""
    content = new_content(tmp_path / "project")
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    write_listing(content, "ct/line.yaml", ONLINE.replace("Anytime Online Recovery Forum", "Nutmeg Coaching Line")
                  .replace("format: online", "format: online\n    location:\n      region: CT\n      country: US"))
    write_listing(content, "online/wide.yaml", ONLINE.replace("Anytime Online Recovery Forum", "Everywhere Program")
                  .replace("format: online", "format: online\n    serves: nationwide"))
    site = gather(content)
    assert sorted(l.slug for l in site.online_listings) == ["anytime-forum", "wide"]
    files = render(content)
    for path in ("online/index.html", "online/smart-recovery/index.html"):
        assert "Nutmeg Coaching Line" not in read(files, path), path
        assert "Everywhere Program" in read(files, path), path
    assert "Nutmeg Coaching Line" in read(files, "regions/ct/index.html")
    assert "Online and hybrid (2)" in read(files, "directory/index.html")


NATIONWIDE = """\
    name: Fake Coast to Coast Fellowship
    kind: peer-program
    support_types: [mutual-aid]
    summary: A fictional fellowship with groups in many states.
    format: in-person
    serves: nationwide
    contact:
      website: https://example.org/coast-to-coast
    last_verified: 2026-02-10
    source: https://example.org/coast-to-coast/about
"""


def test_every_state_page_offers_what_meets_across_the_country_after_its_own(tmp_path):
    """A visitor who lands on a thin state's page (or on one with none yet) also learns of the bodies with groups in
    many states, as the directory shows them near a place: in their own section after the state's listings, on its
    first page and in its printable list. What also meets online stays with the online listings, as it does in the
    directory; later pages of a long state do not repeat the section."""
    content = new_content(tmp_path / "project")
    write_sample_site(content)
    write_paging_listings(content, 60)
    with (content / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("languages: [en, es]\n")
    write_listing(content, "national/coast.yaml", NATIONWIDE)
    write_listing(content, "national/hybrid.yaml", NATIONWIDE.replace("Fake Coast to Coast Fellowship",
                  "Fake Hybrid Nationwide Program").replace("format: in-person", "format: hybrid\n    online:\n"
                  "      url: https://example.org/hybrid-nation/join"))
    files = render(content)
    heading = "Across the country (1): each one’s website says what is near you"
    for path in ("regions/ct/index.html", "regions/ny/index.html", "regions/tx/index.html",
                 "regions/ct/print/index.html", "regions/tx/print/index.html"):
        page = read(files, path)
        assert heading in page, path
        assert "Fake Coast to Coast Fellowship" in page, path
        assert "Fake Hybrid Nationwide Program" not in page, path
    ct = read(files, "regions/ct/index.html")
    assert ct.index("Hartford Tuesday Night Group") < ct.index(heading) < ct.index("Fake Coast to Coast Fellowship")
    assert "Fake Coast to Coast Fellowship" not in read(files, "regions/tx/page/2/index.html")
    assert "Fake Hybrid Nationwide Program" in read(files, "online/index.html")
    # Its own level-2 section, the cards' names under it; in Spanish, as the directory's script words it.
    assert f'<h2 id="nation-title">{heading}</h2>' in ct
    assert re.search(r'<h3[^>]*>\s*<a [^>]*>Fake Coast to Coast Fellowship</a>', ct[ct.index(heading):])
    assert "En todo el país (1): el sitio web de cada uno indica qué hay cerca de usted" in read(
        files, "es/regions/ct/index.html")


@pytest.mark.parametrize("path, present, absent", [
    ("regions/ct/index.html", ["Hartford Tuesday Night Group"], ["Bay Area Family Circle"]),
    ("regions/ca/index.html", ["Bay Area Family Circle"], ["Hartford Tuesday Night Group"]),
    ("support-types/12-step/index.html", ["Hartford Tuesday Night Group"], ["Anytime Online Recovery Forum"]),
    ("kinds/online-forum/index.html", ["Anytime Online Recovery Forum"], ["Bay Area Family Circle"]),
    ("regions/ny/index.html", ["No listings here yet."], ["Hartford Tuesday Night Group"]),
])
def test_facet_pages_list_their_listings(built, path, present, absent):
    page = read(built, path)
    for text in present:
        assert text in page
    for text in absent:
        assert text not in page


def test_articles_page_newest_first(built):
    page = read(built, "articles/index.html")
    assert page.index("Finding a group that fits") < page.index("What to expect at a first meeting")


# --------------------------------------------------------------------------- base URL, sitemap, robots


def sitemap_locs(files: dict[str, bytes]) -> list[str]:
    root = ET.fromstring(files["sitemap.xml"])
    return [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]


def test_sitemap_lists_absolute_listing_urls_under_the_base_url(built_under_dir):
    locs = sitemap_locs(built_under_dir)
    for slug in SLUGS:
        assert f"https://example.org/dir/listings/{slug}/" in locs
    assert "https://example.org/dir/" in locs
    assert "https://example.org/dir/articles/finding-a-group/" in locs
    assert "https://example.org/dir/regions/ct/" in locs
    assert "https://example.org/dir/regions/ny/" not in locs  # empty terms are left out
    assert all(loc.startswith("https://example.org/dir/") for loc in locs)
    assert not any("404" in loc for loc in locs)
    assert "https://example.org/dir/search/" not in locs  # it only hands the header's search on
    assert len(locs) == len(set(locs))


def test_header_search_leads_to_the_search_page_which_hands_over_to_the_directory(built_under_dir):
    page = read(built_under_dir, "index.html")
    assert ('<form class="site-search needs-script" role="search" action="/dir/search/" method="get" '
            'data-directory="/dir/directory/">' in page)
    search = parse_page(read(built_under_dir, "search/index.html"))
    [script] = [attrs for tag, attrs in search.tags if tag == "script" and "search-forward" in (attrs.get("src") or "")]
    assert re.fullmatch(r"/dir/static/search-forward\.[0-9a-f]+\.js", script["src"])
    assert script["data-directory"] == "/dir/directory/" and "type" not in script  # classic: runs before drawing


def test_internal_links_start_with_the_base_path(built_under_dir):
    for page, html in html_files(built_under_dir).items():
        parsed = parse_page(html)
        for link in parsed.links():
            if link.startswith("/"):
                assert link.startswith("/dir/"), f"{page}: {link}"
        canonical = [attrs["href"] for tag, attrs in parsed.tags if tag == "link" and attrs.get("rel") == "canonical"]
        if page != "404.html":
            assert len(canonical) == 1 and canonical[0].startswith("https://example.org/dir/"), page


def test_assets_are_linked_under_the_base_path(built_under_dir):
    page = parse_page(read(built_under_dir, "index.html"))
    # The site's stylesheet, and the one loaded only without JavaScript.
    css, no_script = [a["href"] for tag, a in page.tags if tag == "link" and a.get("rel") == "stylesheet"]
    assert re.fullmatch(r"/dir/static/site\.[0-9a-f]+\.css", css)
    assert re.fullmatch(r"/dir/static/no-script\.[0-9a-f]+\.css", no_script)
    assert css.removeprefix("/dir/") in built_under_dir and no_script.removeprefix("/dir/") in built_under_dir


def test_the_directory_asks_for_its_modules_and_index_with_the_page(built_under_dir):
    page = parse_page(read(built_under_dir, "directory/index.html"))
    preloads = [a["href"] for tag, a in page.tags if tag == "link" and a.get("rel") == "modulepreload"]
    # Every module directory.js imports, directly or through another, by its hashed name under the base path.
    assert sorted(re.sub(r"\.[0-9a-f]{10}\.js$", ".js", href) for href in preloads) == \
        ["/dir/static/map-toggle.js", "/dir/static/meeting-times.js", "/dir/static/state-grid.js",
         "/dir/static/text.js"]
    assert all(href.removeprefix("/dir/") in built_under_dir for href in preloads)
    [index] = [a for tag, a in page.tags if tag == "link" and a.get("rel") == "preload"]
    assert index["href"] == "/dir/search/index.json" and index["as"] == "fetch" and "crossorigin" in index
    embed = parse_page(read(built_under_dir, "embed/index.html"))
    assert [a["href"] for tag, a in embed.tags if tag == "link" and a.get("rel") == "modulepreload"] == preloads


def test_markdown_links_follow_the_base_path(content):
    write_article(content, "linked.md", """\
        ---
        title: A linked article
        summary: An article that links to the online page.
        date: 2026-01-02
        ---

        See [online support](/online/).
    """)
    links = parse_page(render(content, "https://example.org/dir/")["articles/linked/index.html"]).links()
    assert "/dir/online/" in links and "/online/" not in links


def test_root_site_links_have_no_prefix(built):
    links = parse_page(read(built, "index.html")).links()
    assert "/directory/" in links and "/online/" in links


def test_robots_txt(built, built_under_dir):
    assert read(built, "robots.txt").splitlines()[:2] == ["User-agent: *", "Allow: /"]
    assert "Sitemap" not in read(built, "robots.txt")
    assert read(built_under_dir, "robots.txt").splitlines()[:3] == [
        "User-agent: *", "Allow: /", "Sitemap: https://example.org/dir/sitemap.xml"]


# --------------------------------------------------------------------------- published schema


def test_published_schema_has_the_taxonomy_as_enums(built_under_dir, repo_root):
    schema = json.loads(read(built_under_dir, "schema/listing.schema.json"))
    props = schema["properties"]
    assert schema["$id"] == "https://example.org/dir/schema/listing.schema.json"
    assert props["support_types"]["items"]["enum"] == taxonomy_slugs(repo_root, "support_types")
    assert props["kind"]["enum"] == taxonomy_slugs(repo_root, "kinds")
    assert props["format"]["enum"] == taxonomy_slugs(repo_root, "formats")
    assert props["cost"]["enum"] == taxonomy_slugs(repo_root, "costs")
    assert props["audience"]["items"]["enum"] == taxonomy_slugs(repo_root, "audiences")
    assert props["languages"]["items"]["enum"] == taxonomy_slugs(repo_root, "languages")
    assert props["location"]["properties"]["region"]["enum"] == taxonomy_slugs(repo_root, "region-codes")
    assert props["support_types"]["items"]["x-labels"]["12-step"] == "12-step"


def test_published_schema_accepts_a_sample_listing(built, shared_content):
    import jsonschema

    schema = json.loads(read(built, "schema/listing.schema.json"))
    schema.pop("$id")
    listing = yaml.safe_load((shared_content / "listings/ca/bay-area-family.yaml").read_text())
    listing["last_verified"] = str(listing["last_verified"])
    jsonschema.validate(listing, schema)


# --------------------------------------------------------------------------- assets and determinism


def stylesheet(files: dict[str, bytes]) -> str:
    [css] = [path for path in files if re.fullmatch(r"static/site\.[0-9a-f]+\.css", path)]
    return css


def test_fingerprinted_css_name_changes_when_css_changes(site, repo_root, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(repo_root / "templates", templates)
    before = dict(render_site(site, templates))
    css_path = templates / "static" / "site.css"
    css_path.write_text(css_path.read_text(encoding="utf-8") + "\n.changed { color: red; }\n", encoding="utf-8")
    after = dict(render_site(site, templates))
    old, new = stylesheet(before), stylesheet(after)
    assert old != new
    assert old not in after
    assert f'href="/{new}"' in after["index.html"].decode()
    assert after[new].endswith(b".changed { color: red; }\n")


def test_output_is_deterministic(shared_content):
    """A build in another process, with another string-hash seed, writes exactly what this one renders."""
    result = run_build_py("build", "--content", "content", "--output", "output-cli", "--base-url",
                          "https://example.org/", cwd=shared_content.parent, PYTHONHASHSEED="12345")
    assert result.returncode == 0, result.stderr
    assert snapshot(shared_content.parent / "output-cli") == render(shared_content, "https://example.org/")


def test_broken_template_is_a_problem_not_a_crash(shared_content, repo_root, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(repo_root / "templates", templates)
    (templates / "about.html").write_text("{% extends 'base.html' %}{% block content %}{{ nope.nothing }}"
                                          "{% endblock %}", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        build_site(shared_content, tmp_path / "output", templates=templates)
    [problem] = info.value.problems
    assert problem.field == "(template)" and problem.path.endswith("about.html") and problem.line == 1
    assert not (tmp_path / "output").exists()


def test_missing_asset_is_a_template_problem(shared_content, repo_root, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(repo_root / "templates", templates)
    (templates / "about.html").write_text("{% extends 'base.html' %}{% block content %}"
                                          "<script src=\"{{ asset('missing.js') }}\"></script>{% endblock %}",
                                          encoding="utf-8")
    with pytest.raises(ContentError) as info:
        build_site(shared_content, tmp_path / "output", templates=templates)
    [problem] = info.value.problems
    assert problem.field == "(template)" and problem.path.endswith("about.html")


# --------------------------------------------------------------------------- untrusted text


EVIL = """\
    name: <script>alert(1)</script> Recovery Group
    kind: local-group
    support_types: [12-step]
    summary: A weekly meeting <b onmouseover=alert(1)>in Hartford</b> for anyone in recovery.
    description: |
      Hello <img src=x onerror=alert(1)> friends.

      <script>alert(2)</script>

      <a href="javascript:alert(3)">raw link</a>

      [bad link](javascript:alert(4)) and [web](https://example.org/page) and
      [mail](mailto:group@example.org) and [call](tel:+18605550100) and [home](/about/).
    format: in-person
    location:
      city: Hartford
      region: CT
    last_verified: 2026-01-05
    source: https://example.org/evil
"""


DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def assert_no_injected_script(parsed) -> None:
    """Every script that can run must be one of the site's own files, with no inline code."""
    for attrs, body in parsed.scripts:
        if attrs.get("type") in DATA_SCRIPT_TYPES:
            continue
        assert (attrs.get("src") or "").startswith("/static/"), attrs
        assert body.strip() == "", body


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory) -> dict[str, bytes]:
    content = new_content(tmp_path_factory.mktemp("evil") / "project")
    write_listing(content, "ct/evil.yaml", EVIL)
    return render(content)


def test_untrusted_text_is_escaped(evil_site):
    page = read(evil_site, "listings/evil/index.html")
    parsed = parse_page(page)
    assert "<h1 id=\"listing-title\">&lt;script&gt;alert(1)&lt;/script&gt; Recovery Group</h1>" in page
    assert parsed.title.startswith("<script>alert(1)</script> Recovery Group")  # as text, inside <title>
    assert_no_injected_script(parsed)
    assert [attrs for tag, attrs in parsed.tags if tag == "img"] == []
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, attrs)
    links = parsed.links()
    for href in ("https://example.org/page", "mailto:group@example.org", "tel:+18605550100", "/about/"):
        assert href in links, href


def test_untrusted_name_is_escaped_on_every_page_it_appears(evil_site):
    pages = {path: html for path, html in html_files(evil_site).items() if b"Recovery Group" in html}
    assert set(pages) >= {"listings/evil/index.html", "directory/index.html", "regions/ct/index.html",
                          "support-types/12-step/index.html", "kinds/local-group/index.html"}
    for path, html in pages.items():
        assert b"<script>alert" not in html, path
        assert_no_injected_script(parse_page(html))


def test_related_listings_match_a_brute_force_ranking(repo_root):
    """Most shared support types first, then by name; the merge-based walk must agree with a full sort."""
    from generator.pipeline import gather_site

    site = gather_site(repo_root / "content").site
    for article in site.articles:
        article = dataclasses.replace(article, related=())  # the automatic choice, not the article's own
        wanted = set(article.support_types)
        ranked = sorted((-len(wanted & set(l.support_types)), *name_order(l))
                        for l in site.listings if wanted & set(l.support_types))
        assert [l.slug for l in site.related_listings(article)] == [r[2] for r in ranked[:6]], article.slug


def test_a_to_z_order_ignores_case_accents_and_a_leading_quotation_mark(tmp_path):
    """"‘Ohana Coach Program" is among the O's, as a reader looks for it, not after "Young People"."""
    content = new_content(tmp_path / "project")
    for slug, name in (("young", "Young Fake Group"), ("ohana", "‘Ohana Fake Line"), ("eagle", "Élan Fake Group"),
                       ("open", "open Fake Circle")):
        write_listing(content, f"ct/{slug}.yaml", ONLINE.replace("Anytime Online Recovery Forum", name))
    assert [l.slug for l in gather(content).listings] == ["eagle", "ohana", "open", "young"]


def test_sitemap_splits_past_the_protocol_limit(repo_root, tmp_path, monkeypatch):
    from generator import render
    from generator.pipeline import build_site

    monkeypatch.setattr(render, "SITEMAP_LIMIT", 40)
    build_site(repo_root / "content", tmp_path / "out", "https://example.org/")
    index = (tmp_path / "out" / "sitemap.xml").read_text()
    assert "<sitemapindex" in index and "<loc>https://example.org/sitemap-1.xml</loc>" in index
    parts = sorted((tmp_path / "out").glob("sitemap-*.xml"))
    urls = [u for p in parts for u in re.findall(r"<loc>([^<]+)</loc>", p.read_text())]
    assert len(parts) > 1 and all(p.read_text().count("<url>") <= 40 for p in parts)
    assert "https://example.org/listings/ccar-hartford/" in urls and len(urls) == len(set(urls))


def test_a_module_importing_another_gets_its_fingerprinted_name(tmp_path):
    from generator.render import TemplateProblem, build_assets

    static = tmp_path / "static"
    static.mkdir()
    (static / "shared.js").write_text("export const a = 1;\n")
    (static / "page.js").write_text('import { a } from "./shared.js";\nconsole.log(a);\n')
    assets = build_assets(static)
    by_name = {name: (out, data) for out, (name, data) in assets.items()}
    shared_out = by_name["shared.js"][0].removeprefix("static/")
    assert by_name["page.js"][1] == f'import {{ a }} from "./{shared_out}";\nconsole.log(a);\n'.encode()
    # A change to the imported module renames the importer too, so no browser keeps an old pair.
    (static / "shared.js").write_text("export const a = 2;\n")
    again = {name: out for out, (name, _) in build_assets(static).items()}
    assert again["page.js"] != by_name["page.js"][0]
    (static / "other.js").write_text('import { b } from "./missing.js";\n')
    with pytest.raises(TemplateProblem, match="imports ./missing.js"):
        build_assets(static)
