"""A listing page a visitor can act on, in real Chromium at phone size (390x844) and on a desktop: when the group
next meets in the visitor's own time, tap to call, share (or copy the link) and print.

The site is a small, clearly fake directory served with exactly the headers netlify.toml sets (its CSP too).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import quality
from generator.pipeline import build_site
from helpers import new_content

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SITE = "https://directory.example.org/"

FAKE_LISTINGS = {
    # In Connecticut: its meetings are in Eastern Time.
    "ct/fake-elm-street-group": """
        name: Fake Elm Street Evening Group
        kind: local-group
        support_types: [12-step]
        summary: A fictional weekly 12-step meeting used only by the test suite.
        format: in-person
        location: {address: 1 Fake Elm Street, city: Hartford, region: CT, postal_code: "06103"}
        contact: {phone: "860-555-0123", website: "https://example.org/fake-elm-street"}
        schedule:
          - {day: tuesday, start: "19:00", end: "20:30"}
          - {day: saturday, start: "10:00"}
        last_verified: 2026-03-01
        source: https://example.org/fake-elm-street
    """,
    "ma/fake-no-schedule-center": """
        name: Fake Harbor Peer Center
        kind: peer-program
        support_types: [peer-specialist]
        summary: A fictional peer center with no weekly meetings, used only by the test suite.
        format: in-person
        location: {city: Boston, region: MA}
        last_verified: 2026-03-01
        source: https://example.org/fake-harbor
    """,
    # A one-tap dial-in, as conference services publish it: no space to wrap it at.
    "online/fake-zoom-dial-in": """
        name: Fake Zoom Dial-In Group
        kind: online-forum
        support_types: [12-step]
        summary: A fictional online meeting with a one-tap dial-in, used only by the test suite.
        format: online
        online: {url: "https://example.org/zoom", platform: Zoom, phone: "+18605550123,,85550100129#,,,,005088#"}
        schedule:
          - {day: tuesday, start: "20:00"}
        last_verified: 2026-03-01
        source: https://example.org/fake-zoom
    """,
}
ELM = "/listings/fake-elm-street-group/"
ZOOM = "/listings/fake-zoom-dial-in/"
HARBOR = "/listings/fake-no-schedule-center/"

# navigator.share where the browser has it (recording what it was asked to share), or not at all.
WITH_SHARE = "navigator.share = async (data) => { window.__shared = data; };"
WITHOUT_SHARE = "Object.defineProperty(Navigator.prototype, 'share', {value: undefined, configurable: true});" \
                "delete navigator.share;"
STUB_PRINT = "window.__printed = 0; window.print = () => { window.__printed += 1; };"


@pytest.fixture(scope="module")
def listing_site(tmp_path_factory, serve_dir, repo_root: Path):
    """Build and serve the fake directory with netlify.toml's headers; yield its base URL."""
    from generator.netlify_headers import load_header_rules

    root = tmp_path_factory.mktemp("listing")
    content = new_content(root)
    (content / "site.yaml").write_text(f"title: Fake Directory\nbase_url: {SITE}\ncontact: corrections@example.org\n")
    for slug_path, text in FAKE_LISTINGS.items():
        path = content / "listings" / f"{slug_path}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    build_site(content, root / "output", strict=True)
    with serve_dir(root / "output", load_header_rules(repo_root / "netlify.toml")) as url:
        yield url


@pytest.fixture
def visitor(browser):
    """Return a function that opens a page as a visitor: in a time zone, at a moment, on a phone or a desktop."""
    contexts = []

    def open_at(url: str, zone: str = "America/New_York", moment: str = "2026-11-17T23:45:00Z",
                viewport: dict = PHONE, init: str = "", **options):
        context = browser.new_context(timezone_id=zone, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        quality.install_csp_listener(context)
        contexts.append(context)
        if init:
            context.add_init_script(init)
        page = context.new_page()
        page.console, page.requests = [], []
        page.on("console", lambda m: page.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: page.requests.append(r.url))
        page.clock.set_fixed_time(moment)
        page.goto(url)
        if options.get("java_script_enabled", True):
            page.wait_for_selector(".listing-actions")
        return page

    yield open_at
    for context in contexts:
        context.close()


def expect(locator):
    """Playwright's expect (waits for the condition; imported here, so the file loads without Playwright)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def next_line(page) -> str:
    return " ".join(page.locator(".listing-next").text_content().split())


def assert_clean(page, base: str) -> None:
    assert [m for m in page.console if m.startswith(("error", "pageerror"))] == []
    assert quality.csp_problems(page, page.console) == []
    assert quality.off_origin_requests(page.requests, base) == []


# --------------------------------------------------------------------------- the next meeting


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_next_meeting_is_under_the_summary_in_the_visitors_time(visitor, listing_site, viewport):
    # Tuesday 17 November 2026, 18:45 in Connecticut: the 19:00 meeting is still to come today.
    page = visitor(listing_site + ELM, viewport=viewport)
    assert next_line(page) == "Next meeting: today, 7:00 PM EST"
    assert page.locator(".listing-header .lead + .listing-next").is_visible()
    assert page.locator(".listing-next strong").text_content() == "today, 7:00 PM EST"
    assert_clean(page, listing_site)


def test_a_visitor_in_another_zone_also_sees_the_time_where_it_meets(visitor, listing_site):
    # 15:30 in California is 18:30 in Connecticut.
    page = visitor(listing_site + ELM, zone="America/Los_Angeles", moment="2026-11-17T23:30:00Z")
    assert next_line(page) == "Next meeting: today, 4:00 PM PST (7:00 PM EST where it meets)"


def test_a_meeting_in_progress_says_until_when(visitor, listing_site):
    # Tuesday 19:40 in Connecticut: the 19:00–20:30 meeting is on.
    page = visitor(listing_site + ELM, moment="2026-11-18T00:40:00Z")
    assert next_line(page) == "Meeting now, until 8:30 PM EST"
    assert "now" in page.locator(".listing-next").get_attribute("class").split()
    far = visitor(listing_site + ELM, zone="America/Los_Angeles", moment="2026-11-18T00:40:00Z")
    assert next_line(far) == "Meeting now, until 5:30 PM PST (started 7:00 PM EST where it meets)"


def test_a_meeting_with_no_end_lasts_an_hour_and_later_ones_are_named_by_day(visitor, listing_site):
    # Saturday 21 November 2026, 10:59 in Connecticut: the 10:00 meeting (no end given) is still on…
    page = visitor(listing_site + ELM, moment="2026-11-21T15:59:00Z")
    assert next_line(page) == "Meeting now, until 11:00 AM EST"
    # …and at 11:00 it is over: the next is Tuesday's.
    later = visitor(listing_site + ELM, moment="2026-11-21T16:00:00Z")
    assert next_line(later) == "Next meeting: Tuesday, 7:00 PM EST"
    # On Friday evening, Saturday's is tomorrow.
    friday = visitor(listing_site + ELM, moment="2026-11-20T23:00:00Z")
    assert next_line(friday) == "Next meeting: tomorrow, 10:00 AM EST"


def test_no_schedule_no_line_and_without_javascript_no_line_and_no_buttons(visitor, listing_site):
    page = visitor(listing_site + HARBOR)
    assert page.locator(".listing-next").count() == 0
    assert page.locator(".listing-actions button").count() == 2
    plain = visitor(listing_site + ELM, java_script_enabled=False)
    assert plain.locator(".listing-next").count() == 0
    assert plain.locator(".listing-actions, .listing button").count() == 0
    assert plain.locator("table.schedule tbody tr").count() == 2


# --------------------------------------------------------------------------- share, copy, print


def test_share_uses_the_web_share_api_with_the_title_and_canonical_address(visitor, listing_site):
    page = visitor(listing_site + ELM, init=WITH_SHARE)
    assert page.locator(".listing-actions button").all_text_contents() == ["Share", "Print"]
    page.get_by_role("button", name="Share").click()
    assert page.evaluate("window.__shared") == {"title": "Fake Elm Street Evening Group — Fake Directory",
                                                "url": SITE + ELM.lstrip("/")}


def test_without_web_share_the_button_copies_the_link_and_says_so(visitor, listing_site):
    page = visitor(listing_site + ELM, init=WITHOUT_SHARE, permissions=["clipboard-read", "clipboard-write"])
    assert page.locator(".listing-actions button").all_text_contents() == ["Copy link", "Print"]
    status = page.locator(".listing-actions [role=status]")
    assert status.text_content() == ""
    page.get_by_role("button", name="Copy link").click()
    expect(status).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == SITE + ELM.lstrip("/")
    assert_clean(page, listing_site)


def test_print_button_prints_from_the_keyboard(visitor, listing_site):
    page = visitor(listing_site + ELM, init=STUB_PRINT)
    page.get_by_role("button", name="Print").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printed") == 1
    assert page.get_by_role("group", name="Share or print this listing").is_visible()


def test_on_paper_the_listing_keeps_its_facts_and_crisis_lines_and_drops_the_buttons(visitor, listing_site):
    page = visitor(listing_site + ELM)
    page.emulate_media(media="print")
    for hidden in (".listing-actions", ".listing-next", ".site-header nav", ".nav-menu", ".site-search", ".fix-links",
                   ".map-link"):
        assert page.locator(hidden).first.is_hidden(), hidden
    assert page.locator("table.schedule").is_visible()
    assert page.locator(".print-only").text_content() == f"Printed from {SITE}{ELM.lstrip('/')}"
    footer = page.locator(".site-footer").inner_text()
    assert "988" in footer and "1-800-662-4357" in footer


# --------------------------------------------------------------------------- on a phone


def test_on_a_phone_every_action_is_a_44px_target_and_nothing_scrolls_sideways(visitor, listing_site):
    page = visitor(listing_site + ELM, init=WITH_SHARE)
    for selector in ("a.call-link", ".map-link a", ".calendar-link a", ".listing-actions button >> nth=0",
                     ".listing-actions button >> nth=1", ".fix-links a"):
        box = page.locator(selector).bounding_box()
        assert box["height"] >= 44, (selector, box)
    assert page.locator("a.call-link").get_attribute("href") == "tel:+1-860-555-0123"
    # Every day's name fits the schedule's first column, the longest too ("Wednesday" ran into the time).
    too_wide = page.evaluate("""() => {
        const cell = document.querySelector("table.schedule th[scope=row]");
        const names = [0, 1, 2, 3, 4, 5, 6].map((day) => new Intl.DateTimeFormat("en", { weekday: "long",
            timeZone: "UTC" }).format(Date.UTC(2023, 0, 1 + day)));
        return names.filter((name) => { cell.textContent = name; return cell.scrollWidth > cell.clientWidth; });
    }""")
    assert too_wide == []
    assert quality.reflow_problems(page, 390) == []
    assert quality.axe_violations(page) == []


def test_on_a_phone_the_way_in_is_in_the_first_screen_before_share_and_print(visitor, listing_site):
    """The group's website (where its meetings are) and its phone number are buttons under the summary, in the
    first screen, before sharing and printing; the full addresses are still under "How to take part"."""
    page = visitor(listing_site + ELM, init=WITH_SHARE)
    visit = page.locator(".listing-go a", has_text="Visit example.org")
    call = page.locator(".listing-go a", has_text="Call (860) 555-0123")
    assert visit.get_attribute("href") == "https://example.org/fake-elm-street"
    assert call.get_attribute("href") == "tel:+1-860-555-0123"
    for link in (visit, call):
        box = link.bounding_box()
        assert box["height"] >= 44 and box["y"] + box["height"] <= PHONE["height"], box
    assert visit.bounding_box()["y"] < page.locator(".listing-actions").bounding_box()["y"]
    # A listing with no website, phone or online link of its own has no such line.
    page = visitor(listing_site + HARBOR, init=WITH_SHARE)
    assert page.locator(".listing-go").count() == 0 and page.locator(".listing-actions").count() == 1


def test_on_a_desktop_nothing_scrolls_sideways_and_axe_finds_nothing(visitor, listing_site):
    page = visitor(listing_site + ELM, viewport=DESKTOP, init=WITHOUT_SHARE,
                   permissions=["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".action-status")).to_have_text("Link copied")
    assert quality.reflow_problems(page, DESKTOP["width"]) == []
    assert quality.axe_violations(page) == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_one_tap_dial_in_reads_as_a_number_and_dials_whole(visitor, listing_site, viewport, tmp_path):
    """A one-tap dial-in was its own button's label, "+18605550123,,85550100129#,,,,005088#", which does not wrap:
    the page scrolled sideways on a phone. The button reads as the site writes phones; the link dials it all."""
    page = visitor(listing_site + ZOOM, viewport=viewport, init=WITH_SHARE)
    line = page.locator(".online-notes .dial-in")
    assert " ".join(line.inner_text().split()) == "Dial in: (860) 555-0123 then 85550100129# 005088#"
    assert line.locator("a.call-link").get_attribute("href") == "tel:+18605550123,,85550100129%23,,,,005088%23"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert quality.reflow_problems(page, viewport["width"]) == []
    page.screenshot(path=str(tmp_path / f"dial-in-{viewport['width']}.png"), full_page=True)
    feed = page.request.get(listing_site + "/api/meetings.json").json()
    [meeting] = [item for item in feed if item["name"] == "Fake Zoom Dial-In Group"]
    # The spec's pattern refuses ",," and a last "#": the number alone passes it, the whole string is in the notes.
    assert (meeting["conference_phone"], meeting["conference_phone_notes"]) == (
        "+18605550123", "+18605550123,,85550100129#,,,,005088#")
