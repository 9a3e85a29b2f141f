"""Online help meant for one state's people, in real Chromium: a phone line for the families of one state and a
state's credential whose training is online are found from that state, and not offered to the rest of the country
as online options, as a meeting anyone can join online is."""
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


@pytest.mark.parametrize("address, found", [
    ("#place=43215", ["Fake Columbus Group", "Fake Anywhere Room", "Fake Ohio Family Line"]),  # Columbus, Ohio
    ("#place=78701", ["Fake Anywhere Room", "Fake Texas Credential"]),  # Austin, Texas
    ("#region=TX", ["Fake Anywhere Room", "Fake Texas Credential"]),
    ("#region=OH&online=only", ["Fake Anywhere Room", "Fake Ohio Family Line"]),
    ("#place=78701&online=only", ["Fake Anywhere Room", "Fake Texas Credential"]),
    ("", ["Fake Anywhere Room", "Fake Columbus Group", "Fake Ohio Family Line", "Fake Texas Credential"]),
])
def test_online_help_for_one_state_is_found_from_that_state_only(page, state_site, address, found):
    page.goto(f"{state_site}/directory/{address}")
    page.wait_for_selector("#filters:not([hidden])")
    wait_count(page, len(found))
    # (The nearest in person farther away, offered when none is near, are not among those found.)
    nearest = page.locator("#nearest .card-title").all_text_contents()
    assert sorted(name for name in names(page) if name not in nearest) == sorted(found)
    assert page.console_errors == []
