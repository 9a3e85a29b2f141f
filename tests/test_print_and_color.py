"""The printable region list, the print stylesheet and dark mode.

The region lists are checked on the sample site, whose fake listings have schedules, addresses
and phone numbers; print and dark mode are checked in Chromium by emulating the media.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import build_listings, parse_page


def read(site: Path, path: str) -> str:
    return (site / path.lstrip("/") / "index.html").read_text(encoding="utf-8")


def entry_texts(html: str) -> list[str]:
    """Return the text of each entry of a printable list, whitespace collapsed."""
    import re

    items = re.findall(r"<li>\s*<h[23]>(.*?)</dl>\s*</li>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_a_region_list_gives_name_schedule_address_phone_and_website(sample_site):
    entries = entry_texts(read(sample_site, "/regions/ca/print/"))
    # What it is (its summary: a name alone says little to whoever is handed the sheet), then how to go.
    assert entries == ["Bay Area Family Circle What A peer-led group for families and friends of people in recovery, "
                       "in the room or on video. When Monday 6:30 PM–7:30 PM Pacific Time; Saturday 10:00 AM "
                       "Pacific Time Where 20 Market Street, San Francisco, CA 94105, and online Languages English, "
                       "Spanish Cost Free Phone (415) 555-0142 Website https://example.org/family"]
    assert "Times change: please confirm with the group before you go." in read(sample_site, "/regions/ca/print/")


def test_a_region_list_says_what_a_body_serving_the_state_serves_and_prints_no_bare_path(tmp_path):
    """A state's board has no one place: its entry says it serves all of the state (not "Where: IA"). A site that
    does not know its domain prints no address ("/regions/ia/" means nothing on paper); the link to the list
    promises only what every entry has."""
    board = """\
        name: Fake Iowa Board
        kind: peer-program
        support_types: [peer-specialist]
        summary: A fictional certification board, used only by the test suite.
        format: in-person
        serves: statewide
        location: {region: IA, country: US}
        last_verified: 2026-06-01
        source: https://example.org/fake-board
    """
    nationwide = board.replace("Fake Iowa Board", "Fake Nationwide Fellowship").replace(
        "serves: statewide\n        location: {region: IA, country: US}", "serves: nationwide")
    output = build_listings(tmp_path, {"ia/board.yaml": board, "national/fellowship.yaml": nationwide}, "1796000000")
    html = read(output, "/regions/ia/print/")
    # After the state's own, under a heading of their own, what meets across the country.
    what = "What A fictional certification board, used only by the test suite."
    assert entry_texts(html) == [f"Fake Iowa Board {what} Where Serves all of Iowa Website https://example.org/fake-board",
                                 f"Fake Nationwide Fellowship {what} Where Nationwide Website "
                                 "https://example.org/fake-board"]
    assert html.index("Fake Iowa Board") < html.index("Across the country (1)") < html.index("Fake Nationwide")
    # No entry has a time: no line asking to confirm the times (the sample site's California list has them).
    assert "1 listing in Iowa.</p>" in html and "Times change" not in html and "/regions/ia/." not in html
    region = read(output, "/regions/ia/")
    assert "Printable list</a> of the one listing, with where it is and how to reach it." in region
    assert "phone numbers" not in region
    # Nothing in the state has a place to mark: no map to open (it would be an empty outline).
    assert 'id="map"' not in region and "place-map" not in region


def test_a_region_list_links_phones_and_websites(sample_site):
    links = parse_page(read(sample_site, "/regions/ct/print/")).links()
    assert "tel:+1-860-555-0100" in links and "https://example.org/hartford" in links


def test_the_region_page_links_to_its_printable_list_and_empty_regions_have_none(sample_site):
    assert 'href="/regions/ct/print/"' in read(sample_site, "/regions/ct/")
    assert not (sample_site / "regions" / "tx" / "print").exists()
    assert "/print/" not in read(sample_site, "/regions/tx/")


def test_printable_lists_stay_out_of_the_sitemap(sample_site):
    assert "/print/" not in (sample_site / "sitemap.xml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample_server(sample_site):
    from generator.static_server import serve_directory

    with serve_directory(sample_site) as url:
        yield url


def styles(page, selector: str, *properties: str) -> dict[str, str]:
    return page.eval_on_selector(selector, "(el, names) => Object.fromEntries(names.map("
                                           "n => [n, getComputedStyle(el).getPropertyValue(n)]))", list(properties))


@pytest.mark.browser
def test_printing_hides_navigation_and_sets_the_list_in_two_black_on_white_columns(browser, sample_server):
    page = browser.new_page()
    try:
        page.emulate_media(media="print", color_scheme="dark")
        page.goto(sample_server + "/regions/ca/print/")
        assert page.locator(".crisis").is_hidden()
        assert page.locator(".site-header .nav-wide").is_hidden() and page.locator(".nav-menu").is_hidden()
        assert page.locator(".no-print").is_hidden()
        assert page.locator(".print-list h2").is_visible()
        assert styles(page, ".print-list", "column-count")["column-count"] == "2"
        assert styles(page, "body", "color", "background-color") == {"color": "rgb(0, 0, 0)",
                                                                     "background-color": "rgb(255, 255, 255)"}
        page.emulate_media(media="screen", color_scheme="dark")
        assert page.locator(".site-header .nav-wide").is_visible()
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme, background, text", [("light", "rgb(255, 255, 255)", "rgb(29, 36, 48)"),
                                                      ("dark", "rgb(18, 22, 28)", "rgb(231, 235, 240)")])
def test_colours_follow_the_system_setting(browser, sample_server, scheme, background, text):
    page = browser.new_page(color_scheme=scheme)
    try:
        page.goto(sample_server + "/")
        assert styles(page, "body", "color", "background-color") == {"color": text, "background-color": background}
        # A button styled as the main action has the accent's flat border, not the browser's bevel.
        button = styles(page, "button.button", "border-top-style", "border-top-color", "background-color")
        assert button["border-top-style"] == "solid" and button["border-top-color"] == button["background-color"]
    finally:
        page.close()
