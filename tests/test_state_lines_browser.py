"""Online help meant for one state's people, in real Chromium: a phone line for the families of one state and a
state's credential whose training is online are found from that state, and not offered to the rest of the country
as online options, as a meeting anyone can join online is (an online meeting of a group based in a state, as
imports write it, included)."""
from __future__ import annotations

import pytest

from helpers import build_listings
from test_search_browser import names, wait_count

pytestmark = pytest.mark.browser

COMMON = """\
    kind: peer-program
    summary: A clearly fake listing for the tests of online help meant for one state.
    last_verified: 2026-11-01
    source: https://example.org/
"""
LISTINGS = {
    "oh/fake-ohio-family-line.yaml": COMMON + """\
    name: Fake Ohio Family Line
    support_types: [family-support]
    format: online
    online: {url: "https://example.org/line", platform: Phone}
    location: {region: OH}
""",
    "tx/fake-texas-credential.yaml": COMMON + """\
    name: Fake Texas Credential
    support_types: [peer-specialist]
    format: online
    online: {url: "https://example.org/credential"}
    serves: statewide
    location: {region: TX}
""",
    "online/fake-anywhere-room.yaml": COMMON + """\
    name: Fake Anywhere Room
    support_types: [mutual-aid]
    format: online
    online: {url: "https://example.org/room"}
""",
    "fake-intergroup/fake-dover-zoom-group.yaml": COMMON + """\
    name: Fake Dover Zoom Group
    support_types: [12-step]
    format: online
    online: {url: "https://example.org/zoom", platform: Zoom, open_to: anyone}
    location: {region: DE, country: US}
""",
    "oh/fake-columbus-group.yaml": COMMON + """\
    name: Fake Columbus Group
    support_types: [mutual-aid]
    format: in-person
    location: {city: Columbus, region: OH, postal_code: "43215"}
""",
}


@pytest.fixture(scope="module")
def state_site(tmp_path_factory, serve_dir):
    with serve_dir(build_listings(tmp_path_factory.mktemp("state-lines"), LISTINGS, "1796000000")) as url:
        yield url


ZOOM = "Fake Dover Zoom Group"  # online, based in Delaware, open to anyone


@pytest.mark.parametrize("address, found", [
    ("#place=43215", ["Fake Columbus Group", "Fake Anywhere Room", "Fake Ohio Family Line", ZOOM]),  # Columbus, Ohio
    ("#place=78701", ["Fake Anywhere Room", "Fake Texas Credential", ZOOM]),  # Austin, Texas
    ("#region=TX", ["Fake Anywhere Room", "Fake Texas Credential", ZOOM]),
    ("#region=OH&online=only", ["Fake Anywhere Room", "Fake Ohio Family Line", ZOOM]),
    ("#place=78701&online=only", ["Fake Anywhere Room", "Fake Texas Credential", ZOOM]),
    ("#region=DE", ["Fake Anywhere Room", ZOOM]),
    ("#region=DE&online=exclude", []),
    ("", ["Fake Anywhere Room", "Fake Columbus Group", "Fake Ohio Family Line", "Fake Texas Credential", ZOOM]),
])
def test_online_help_for_one_state_is_found_from_that_state_only(page, state_site, address, found):
    page.goto(f"{state_site}/directory/{address}")
    page.wait_for_selector("#filters:not([hidden])")
    wait_count(page, len(found))
    # (The nearest in person farther away, offered when none is near, are not among those found.)
    nearest = page.locator("#nearest .card-title").all_text_contents()
    assert sorted(name for name in names(page) if name not in nearest) == sorted(found)
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_an_online_meeting_based_in_a_state_is_offered_to_everyone(browser, state_site, viewport, tmp_path):
    """Imported Zoom meetings named their group's state, and were shown as for that state's people only: "For people
    in Delaware", in no online page. Anyone can join one: it is among the online listings, and its card says where
    its group is, not whose people may join."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{state_site}/online/")
        listed = page.locator(".card-title").all_text_contents()
        assert ZOOM in listed and "Fake Ohio Family Line" not in listed
        page.goto(f"{state_site}/directory/#place=78701")
        page.wait_for_selector("#filters:not([hidden])")
        wait_count(page, 3)
        card = page.locator(".card", has=page.get_by_role("link", name=ZOOM))
        assert page.locator("#online-title + .cards .card-title").all_text_contents() == ["Fake Anywhere Room", ZOOM]
        assert " ".join(card.locator(".card-meta").inner_text().split()) == "Peer program Online DE"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(tmp_path / f"online-{viewport['width']}.png"), full_page=True)
    finally:
        context.close()
