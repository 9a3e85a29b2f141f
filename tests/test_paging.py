"""Long browse lists split into pages: which listings land on which page, the page links, titles,
breadcrumbs and the sitemap, on the fake directory with 110 extra groups (``paged_site``); then the
page links driven in Chromium by keyboard and mouse.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.addresses import list_page
from generator.paging import PAGE_SIZE, Pager, page_count, paginate
from helpers import parse_page
from test_search_browser import FAKE_LISTINGS

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CARD_TITLE = re.compile(r'<h[23] class="card-title"><a href="[^"]*">([^<]+)</a>')


def fake_names(kind: str = "", region: str = "", support_type: str = "", online: bool = False) -> list[str]:
    """Return the names of the paged site's listings that match, A–Z, worked out from the fixture's own text."""
    found = []
    for text in FAKE_LISTINGS.values():
        fields = dict(re.findall(r"^\s*(\w+): (.+)$", text, re.MULTILINE))
        found.append((fields["name"], fields["kind"], re.search(r"region: (\w+)", fields["location"])[1]
                      if "location" in fields else "", fields["support_types"], fields["format"]))
    for n in range(1, 111):
        found.append((f"Fake Paging Group {n:03d}", "local-group", "TX",
                      "[12-step]" if n <= 60 else "[secular]", "hybrid" if n <= 55 else "in-person"))
    return sorted((name for name, k, r, types, fmt in found
                   if (not kind or k == kind) and (not region or r == region)
                   and (not support_type or support_type in types.strip("[]").split(", "))
                   and (not online or fmt in ("online", "hybrid"))), key=str.casefold)


def read(site: Path, url: str) -> str:
    return (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")


def card_names(html: str) -> list[str]:
    return [name.replace("&amp;", "&") for name in CARD_TITLE.findall(html)]


def pagination_links(html: str) -> list[tuple[str, str, bool]]:
    """Return (href, text, is the current page) for each link in the page's Pagination nav."""
    nav = re.search(r'<nav class="pagination" aria-label="Pagination">(.*?)</nav>', html, re.S)
    if not nav:
        return []
    links = re.findall(r'<a href="([^"]+)"([^>]*)>(.*?)</a>', nav[1])
    return [(href, re.sub(r"<[^>]+>", "", text), 'aria-current="page"' in attrs) for href, attrs, text in links]


def list_pages(site: Path, base: str) -> list[str]:
    """Return the URL of every page a list has in the output, in order (page 1 at its base)."""
    urls = [base] if (site / base.lstrip("/") / "index.html").is_file() else []
    folder = site / base.lstrip("/") / "page"
    numbers = sorted(int(p.name) for p in folder.iterdir()) if folder.is_dir() else []
    return urls + [f"{base}page/{n}/" for n in numbers]


# --------------------------------------------------------------------------- the pager on its own


def test_a_list_is_cut_into_pages_of_the_page_size_in_order():
    items = list(range(2 * PAGE_SIZE + 1))
    pages = list(paginate(items, "/kinds/x/"))
    assert [p.number for p, _ in pages] == [1, 2, 3] and {p.count for p, _ in pages} == {3}
    assert [list(part) for _, part in pages] == [items[:PAGE_SIZE], items[PAGE_SIZE:2 * PAGE_SIZE], items[-1:]]
    assert [(p.first, p.last, p.total) for p, _ in pages] == [
        (1, PAGE_SIZE, len(items)), (PAGE_SIZE + 1, 2 * PAGE_SIZE, len(items)), (len(items), len(items), len(items))]
    assert [p.path for p, _ in pages] == ["kinds/x/index.html", "kinds/x/page/2/index.html", "kinds/x/page/3/index.html"]


def test_an_empty_or_short_list_is_one_page_at_its_own_address():
    [(pager, part)] = paginate([], "/regions/ny/")
    assert (pager.count, pager.first, pager.last, list(part), pager.path) == (1, 0, 0, [], "regions/ny/index.html")
    [(pager, part)] = paginate(list(range(PAGE_SIZE)), "/regions/ny/")
    assert pager.count == 1 and len(part) == PAGE_SIZE
    assert (page_count(0), page_count(PAGE_SIZE), page_count(PAGE_SIZE + 1)) == (1, 1, 2)


def test_previous_and_next():
    assert (Pager("/x/", 1, 3, 120, 50).previous, Pager("/x/", 1, 3, 120, 50).next) == (None, 2)
    assert (Pager("/x/", 3, 3, 120, 50).previous, Pager("/x/", 3, 3, 120, 50).next) == (2, None)
    assert list_page("/x/", 1) == "/x/" and list_page("/x/", 12) == "/x/page/12/"


@pytest.mark.parametrize("number, count, shown", [
    (1, 1, [1]),
    (1, 2, [1, 2]),
    (1, 5, [1, 2, None, 5]),
    (3, 5, [1, 2, 3, 4, 5]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),  # a gap of one page shows the page, not an ellipsis
    (6, 135, [1, None, 5, 6, 7, None, 135]),
    (135, 135, [1, None, 134, 135]),
])
def test_the_navigation_shows_first_last_and_neighbours(number, count, shown):
    assert Pager("/x/", number, count, count * 50, 50).numbers() == shown


# --------------------------------------------------------------------------- the built pages


@pytest.mark.parametrize("base, names", [
    ("/kinds/local-group/", fake_names(kind="local-group")),
    ("/regions/tx/", fake_names(region="TX")),
    ("/support-types/12-step/", fake_names(support_type="12-step")),
    ("/online/", fake_names(online=True)),
    ("/online/12-step/", fake_names(support_type="12-step", online=True)),
])
def test_each_listing_is_on_one_page_in_name_order(paged_site, base, names):
    urls = list_pages(paged_site, base)
    pages = [card_names(read(paged_site, url)) for url in urls]
    assert len(names) > PAGE_SIZE
    assert len(urls) == -(-len(names) // PAGE_SIZE) and [len(p) for p in pages[:-1]] == [PAGE_SIZE] * (len(urls) - 1)
    assert [name for page in pages for name in page] == names


def test_the_local_groups_run_to_three_pages(paged_site):
    assert list_pages(paged_site, "/kinds/local-group/") == [
        "/kinds/local-group/", "/kinds/local-group/page/2/", "/kinds/local-group/page/3/"]
    first, second, third = (card_names(read(paged_site, url)) for url in list_pages(paged_site, "/kinds/local-group/"))
    assert first[:4] == ["Fake Austin Evening Group", "Fake Austin Group", "Fake Hartford Tuesday Group",
                         "Fake New Haven SMART Meeting"]
    assert (first[-1], second[0], second[-1], third[0]) == (
        "Fake Paging Group 046", "Fake Paging Group 047", "Fake Paging Group 096", "Fake Paging Group 097")
    assert third[-1] == "Fake Springfield Family Circle" and len(third) == 15
    assert not (paged_site / "kinds" / "local-group" / "page" / "1").exists()


def test_page_links_previous_next_and_the_current_page(paged_site):
    first, second, third = (read(paged_site, url) for url in list_pages(paged_site, "/kinds/local-group/"))
    assert pagination_links(first) == [
        ("/kinds/local-group/", "Page 1", True), ("/kinds/local-group/page/2/", "Page 2", False),
        ("/kinds/local-group/page/3/", "Page 3", False), ("/kinds/local-group/page/2/", "Next page", False)]
    assert pagination_links(second) == [
        ("/kinds/local-group/", "Previous page", False), ("/kinds/local-group/", "Page 1", False),
        ("/kinds/local-group/page/2/", "Page 2", True), ("/kinds/local-group/page/3/", "Page 3", False),
        ("/kinds/local-group/page/3/", "Next page", False)]
    assert pagination_links(third)[0] == ("/kinds/local-group/page/2/", "Previous page", False)
    assert pagination_links(third)[-1] == ("/kinds/local-group/page/3/", "Page 3", True)
    assert 'rel="prev"' in second and 'rel="next"' in second


def test_showing_which_listings_of_how_many(paged_site):
    pages = [read(paged_site, url) for url in list_pages(paged_site, "/kinds/local-group/")]
    counts = [re.search(r'<p class="result-count">([^<]+)</p>', html)[1] for html in pages]
    assert counts == ["Showing 1–50 of 115 listings", "Showing 51–100 of 115 listings",
                      "Showing 101–115 of 115 listings"]


def test_later_pages_have_their_own_title_heading_canonical_and_description(paged_site):
    pages = {url: read(paged_site, url) for url in list_pages(paged_site, "/regions/tx/")}
    parsed = {url: parse_page(html) for url, html in pages.items()}
    titles = [p.title.split(" — ")[0] for p in parsed.values()]
    assert titles == ["Texas", "Texas, page 2 of 3", "Texas, page 3 of 3"]
    assert [re.search(r"<h1>([^<]+)</h1>", html)[1] for html in pages.values()] == titles
    for url, page in parsed.items():
        [canonical] = [a["href"] for tag, a in page.tags if tag == "link" and a.get("rel") == "canonical"]
        assert canonical == url
    descriptions = [re.search(r'<meta name="description" content="([^"]+)"', html)[1] for html in pages.values()]
    assert len(set(descriptions)) == 3 and descriptions[1].startswith("Peer-support listings 51–100 of 112: ")


def test_a_later_page_ends_its_breadcrumb_trail_with_the_page(paged_site):
    trail = re.search(r'<nav class="breadcrumbs".*?</nav>', read(paged_site, "/online/12-step/page/2/"), re.S)[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', trail) == [
        ("/", "Home"), ("/online/", "Online"), ("/online/12-step/", "12-step")]
    assert '<span aria-current="page">Page 2</span>' in trail
    first = re.search(r'<nav class="breadcrumbs".*?</nav>', read(paged_site, "/online/12-step/"), re.S)[0]
    assert '<span aria-current="page">12-step</span>' in first and "Page 1" not in first


def test_a_list_of_one_page_size_has_no_page_links(paged_site):
    html = read(paged_site, "/support-types/secular/")
    assert len(card_names(html)) == PAGE_SIZE == len(fake_names(support_type="secular"))
    assert 'class="pagination"' not in html and f'<p class="result-count">{PAGE_SIZE} listings</p>' in html
    assert list_pages(paged_site, "/support-types/secular/") == ["/support-types/secular/"]
    assert parse_page(html).title.split(" — ")[0] == "Secular"


def test_the_online_page_leads_to_each_support_type_online(paged_site):
    html = read(paged_site, "/online/")
    types = re.search(r'<section aria-labelledby="online-types">.*?</section>', html, re.S)[0]
    links = re.findall(r'<a href="(/online/[^"]+)">([^<]+) <span class="count">\((\d+)', types)
    assert links == [("/online/12-step/", "12-step", "55"), ("/online/mutual-aid/", "Mutual aid", "1"),
                     ("/online/peer-specialist/", "Peer specialist", "1")]
    assert not (paged_site / "online" / "secular").exists()  # no online secular group, so no page
    assert '<a href="/online/12-step/">12-step online</a> (55 online and hybrid listings)' in read(
        paged_site, "/support-types/12-step/")


def test_every_page_link_leads_to_a_built_page(paged_site):
    for html_file in sorted(paged_site.rglob("*.html")):
        for href, _, _ in pagination_links(html_file.read_text(encoding="utf-8")):
            assert (paged_site / href.lstrip("/") / "index.html").is_file(), (html_file, href)


def test_the_sitemap_lists_every_page_of_a_list(paged_site):
    locs = [loc.text for loc in ET.parse(paged_site / "sitemap.xml").getroot().iter(f"{SITEMAP_NS}loc")]
    for base in ("/kinds/local-group/", "/regions/tx/", "/support-types/12-step/", "/online/", "/online/12-step/",
                 "/support-types/secular/", "/regions/ct/"):
        pages = [loc for loc in locs if loc == base or re.fullmatch(re.escape(base) + r"page/\d+/", loc)]
        assert pages == list_pages(paged_site, base), base
    assert not [loc for loc in locs if "/page/1/" in loc] and len(locs) == len(set(locs))


def test_paginated_output_is_deterministic(paged_site, repo_root, tmp_path):
    from generator.pipeline import build_site
    from helpers import snapshot, write_paging_listings
    from test_search_browser import write_fake_content

    content = write_fake_content(tmp_path, repo_root)
    write_paging_listings(content)
    build_site(content, tmp_path / "output")
    again, first = snapshot(tmp_path / "output"), snapshot(paged_site)
    paged = [path for path in first if "/page/" in path]
    assert paged and all(again[path] == first[path] for path in paged)


# --------------------------------------------------------------------------- in Chromium


def current_page(nav) -> str:
    """Return the accessible text of the one link marked as the current page."""
    [link] = nav.locator('[aria-current="page"]').all()
    return link.text_content()


def test_paging_through_a_list_by_keyboard_and_mouse(browser, paged_server):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{paged_server}/kinds/local-group/")
        nav = page.get_by_role("navigation", name="Pagination")
        assert current_page(nav) == "Page 1"
        assert nav.get_by_role("link", name="Previous page").count() == 0

        nav.get_by_role("link", name="Next page").focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"{paged_server}/kinds/local-group/page/2/")
        assert page.locator("h1").inner_text() == "Local group, page 2 of 3"
        assert page.locator(".result-count").inner_text() == "Showing 51–100 of 115 listings"
        assert page.locator(".card-title").first.inner_text() == "Fake Paging Group 047"
        assert current_page(nav) == "Page 2"

        nav.get_by_role("link", name="Page 3").click()
        page.wait_for_url(f"{paged_server}/kinds/local-group/page/3/")
        assert page.title().startswith("Local group, page 3 of 3 — ")
        assert page.locator(".card-title").last.inner_text() == "Fake Springfield Family Circle"
        assert current_page(nav) == "Page 3"
        assert nav.get_by_role("link", name="Next page").count() == 0
        boxes = [link.bounding_box() for link in nav.get_by_role("link").all()]
        assert all(box["width"] >= 44 and box["height"] >= 44 for box in boxes), boxes

        nav.get_by_role("link", name="Previous page").click()
        page.wait_for_url(f"{paged_server}/kinds/local-group/page/2/")
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Local group").click()
        page.wait_for_url(f"{paged_server}/kinds/local-group/")
        assert page.locator("h1").inner_text() == "Local group"
    finally:
        page.close()


def test_near_a_place_with_a_page_of_groups_in_person_the_online_options_wait_their_turn(page, paged_server):
    # Austin has more in-person groups than a page holds; the online options come after them, on "Show more"
    # (once the first page is full of in-person results, none of them fits on it).
    page.goto(f"{paged_server}/directory/?place=Austin,+TX")
    page.wait_for_function("() => /listings found(,|$)/.test(document.getElementById('result-status').textContent)")
    assert page.locator("#near-title").inner_text().startswith("In person within 25 miles of Austin, TX (11")
    assert page.locator("#near-title + .cards .card").count() == PAGE_SIZE
    # The online section's heading comes with its first card: no heading over an empty list on this page.
    assert page.locator("#online-title").count() == 0
    for pages in (2, 3):  # the in-person groups fill the next page too; the online ones start on the third
        page.click("#show-more")
        page.wait_for_function("(n) => document.querySelectorAll('#results .card').length > n", arg=50 * (pages - 1))
        assert page.locator("#online-title").count() == (1 if pages == 3 else 0)
    assert page.locator("#online-title").inner_text().startswith("Online and by phone, from anywhere (")
    assert page.locator("#online-title + .cards .card").count() > 0
    assert page.console_errors == []


def test_a_keystroke_keeps_the_cards_still_shown_makes_the_rest_and_show_more_leads_to_the_next(page, paged_server):
    page.goto(f"{paged_server}/directory/?region=TX")
    # Texas's 112 in name order, then the online forum and the hybrid program anyone can join.
    page.wait_for_function("() => document.getElementById('result-status').textContent === '114 listings found'")
    cards = page.locator("#results .card")
    assert cards.count() == 50
    # Mark the card of a listing that the search below keeps on the page, and one that it drops.
    page.evaluate("""() => { for (const card of document.querySelectorAll('#results .card')) {
        card.mark = card.querySelector('.card-title').textContent.trim(); } }""")
    page.fill("#f-q", "paging")
    page.wait_for_function("() => document.getElementById('result-status').textContent === '110 listings found'")
    titles = page.locator("#results .card-title").all_text_contents()
    assert [t.strip() for t in titles] == [f"Fake Paging Group {n:03d}" for n in range(1, 51)]
    marks = page.evaluate("() => [...document.querySelectorAll('#results .card')].map((card) => card.mark ?? null)")
    # The 48 shown before (after the two Austin groups) are the same cards, moved; the last two were made for it.
    assert marks == [f"Fake Paging Group {n:03d}" for n in range(1, 49)] + [None] * 2
    assert page.locator("#show-more").text_content() == "Show 50 more of 60 remaining"
    page.locator("#show-more").click()
    page.wait_for_function("() => document.querySelectorAll('#results .card').length === 100")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Fake Paging Group 051"
    titles = page.locator("#results .card-title").all_text_contents()
    assert [t.strip() for t in titles] == [f"Fake Paging Group {n:03d}" for n in range(1, 101)]
    assert page.locator("#show-more").text_content() == "Show the last 10"  # not "10 more of 10 remaining"
    assert page.console_errors == []
