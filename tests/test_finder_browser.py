"""The finder's core journey in real Chromium, on a phone as well as a wide screen: a place, the nearest
help first, the filters in a panel that does not push the results away, and an honest answer when
nothing is near. The directory is the clearly fake one of test_search_browser."""
from __future__ import annotations

import re

import pytest

from test_search_browser import fake_directory, names, wait_count  # noqa: F401 (fake_directory: a fixture)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, timezone_id="America/New_York")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def section_names(page, section: str) -> list[str]:
    return page.locator(f"#results section:has(#{section}) .card-title").all_text_contents()


def test_where_are_you_on_the_home_page_leads_to_the_nearest_help_without_telling_the_server(phone, fake_directory):
    phone.goto(f"{fake_directory}/")
    phone.fill("#w-place", "06103")
    phone.click("#where button[type=submit]")
    phone.wait_for_url("**/directory/#place=06103&sort=distance")
    wait_count(phone, 4)
    assert phone.locator("#near-title").inner_text() == "In person within 25 miles of ZIP code 06103 (3)"
    near = section_names(phone, "near-title")  # nearest first: Hartford's two, then Springfield, 24 miles off
    assert sorted(near[:2]) == ["Fake Capitol Peer Program", "Fake Hartford Tuesday Group"]
    assert near[2] == "Fake Springfield Family Circle"
    # The place reached the directory after '#': no request carried it to the server.
    assert not [url for url in phone.requests if "06103" in url.split("#")[0] and "/search/places/" not in url]
    # Results first: the count and the first card are on the phone's first screen.
    first = phone.locator("#results .card").first.bounding_box()
    assert first["y"] < PHONE["height"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_home_pages_box_left_empty_asks_for_a_place_and_stays(phone, fake_directory):
    phone.goto(f"{fake_directory}/")
    phone.click("#where button[type=submit]")
    phone.wait_for_function("document.getElementById('w-status').textContent !== ''")
    assert phone.inner_text("#w-status") == "Type a ZIP code or a town first."
    assert phone.evaluate("document.activeElement.id") == "w-place"
    assert phone.url == f"{fake_directory}/"


@pytest.mark.parametrize("typed, meant", [("Hartfrod", "Hartford, CT"), ("Sprngfield, MA", "Springfield, MA"),
                                          ("Qzxqzx", None)])
def test_a_mistyped_town_is_answered_with_the_town_it_likely_meant(phone, fake_directory, typed, meant):
    """A town not found offers the likeliest one (the largest of the name when no state is given), one tap away;
    a name like no town's offers nothing."""
    phone.goto(f"{fake_directory}/directory/?place={typed}")
    phone.wait_for_function("document.getElementById('f-place-status').textContent.startsWith('We could not find')")
    if meant is None:
        phone.wait_for_timeout(500)  # the town files are here: an offer would have come with the note
        assert phone.locator("#f-place-status .suggestion").count() == 0
        return
    offer = phone.locator("#f-place-status .suggestion")
    assert offer.inner_text() == f"Did you mean {meant}?"
    assert offer.bounding_box()["height"] >= 44
    offer.click()
    phone.wait_for_function("([meant]) => document.getElementById('near-title')?.textContent.includes(meant)",
                            arg=[meant])
    assert phone.input_value("#f-place") == meant
    assert phone.locator("#f-place-status .suggestion").count() == 0


@pytest.mark.parametrize("typed", ["Connecticut", "CT", "connecticut."])
def test_a_state_named_alone_is_taken_as_the_state_not_a_town_of_that_name(phone, fake_directory, typed):
    """"Maine" alone meant Maine, NY (a town of 2,000): a caller who names only a state means the state."""
    phone.goto(f"{fake_directory}/")
    phone.fill("#w-place", typed)
    phone.click("#where button[type=submit]")
    phone.wait_for_url("**/directory/#region=CT")
    phone.wait_for_function("document.getElementById('f-place-status').textContent.includes('what serves')")
    assert phone.inner_text("#f-place-status") == ("Showing what serves Connecticut and what meets there. For a town, "
                                                  "type its name and state, or a ZIP code.")
    assert phone.input_value("#f-region") == "CT" and phone.input_value("#f-place") == ""
    assert phone.locator("#f-place-status").is_visible()
    wait_count(phone, 4)  # Connecticut's three, and a forum online
    assert sorted(names(phone)) == ["Fake Anytime Forum", "Fake Capitol Peer Program", "Fake Hartford Tuesday Group",
                                    "Fake New Haven SMART Meeting"]


def test_a_town_not_found_in_a_state_named_shows_what_serves_the_state(phone, fake_directory):
    phone.goto(f"{fake_directory}/directory/#place=rural+Connecticut&sort=distance")
    phone.wait_for_function("document.getElementById('f-place-status').textContent.includes('could not find')")
    assert phone.inner_text("#f-place-status") == ("We could not find “rural” in Connecticut, so the list shows "
                                                  "what serves Connecticut.")
    assert phone.input_value("#f-region") == "CT"
    assert phone.url.endswith("/directory/#region=CT")


def test_a_place_looked_up_with_no_connection_is_not_called_unknown_and_can_be_tried_again(phone, fake_directory):
    """On one bar of signal, "We could not find Hartford" would tell someone a real town does not exist."""
    phone.goto(f"{fake_directory}/directory/")
    phone.locator("#filters:not([hidden])").wait_for()
    phone.route("**/search/places/**", lambda route: route.abort())
    phone.fill("#f-place", "Hartford, CT")
    phone.wait_for_function("document.getElementById('f-place-status').textContent.includes('could not be')")
    assert phone.inner_text("#f-place-status") == ("“Hartford, CT” could not be looked up: the list of places did "
                                                  "not load. Check the connection, then try again. Try again")
    phone.unroute("**/search/places/**")
    phone.click("#f-place-status .suggestion")
    phone.wait_for_function("document.getElementById('near-title')?.textContent.includes('Hartford, CT')")
    assert "could not" not in phone.inner_text("#f-place-status")


def test_use_my_location_on_the_home_page(browser, fake_directory):
    context = browser.new_context(viewport=PHONE, geolocation={"latitude": 42.36, "longitude": -71.06},
                                  permissions=["geolocation"])
    page = context.new_page()
    try:
        page.goto(f"{fake_directory}/")
        page.click("#w-near")
        page.wait_for_url(re.compile(r".*/directory/#at=42\.36%2C-71\.06(%2CMA)?&sort=distance$"))
        page.wait_for_function("document.getElementById('near-title')?.textContent.includes('your location')")
        assert "located" not in page.url  # a link copied from here is not "your location" to whoever opens it
        assert section_names(page, "near-title") == ["Fake Boston Peer Center"]
    finally:
        context.close()


def test_without_javascript_the_directory_offers_the_states_first_on_a_phone(browser, fake_directory):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{fake_directory}/directory/")
        summaries = page.locator("#browse summary")
        assert summaries.all_inner_texts()[0] == "State"
        state = summaries.first
        assert state.is_visible() and state.bounding_box()["y"] + state.bounding_box()["height"] < PHONE["height"]
        state.click()
        first = page.locator("#browse details").first.locator("a").first
        assert first.is_visible()
        first.click()
        assert "/regions/" in page.url
    finally:
        context.close()


def test_without_javascript_the_home_page_leads_to_the_states_not_to_a_box_that_cannot_work(browser, fake_directory):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{fake_directory}/")
        # A ZIP code cannot be looked up without JavaScript: no box, no location button, but the way to the states.
        assert page.locator("#w-place").is_hidden() and page.locator("#w-near").is_hidden()
        note = page.locator("#w-no-script")
        assert note.is_visible() and "needs JavaScript" in note.inner_text()
        assert note.bounding_box()["y"] + note.bounding_box()["height"] < PHONE["height"] * 1.2
        page.click("#w-no-script >> text=Choose your state")
        assert page.url.endswith("/#regions-title")
        assert page.locator("#regions-title").is_visible()
        page.locator("#regions-title ~ ul a").first.click()
        assert "/regions/" in page.url
        page.go_back()
        page.go_back()
        page.click("#w-no-script >> text=find support online")
        assert page.url.endswith("/online/")
    finally:
        context.close()
    # With JavaScript the box is there, and neither the note nor its stylesheet.
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{fake_directory}/")
        assert page.locator("#w-place").is_visible() and page.locator("#w-no-script").count() == 0
        assert not [url for url in requests if "no-script" in url]
    finally:
        context.close()


PLACEHOLDER_ROOM = """(selector) => {
    const input = document.querySelector(selector);
    const style = getComputedStyle(input);
    const text = document.createElement("canvas").getContext("2d");
    text.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    return [text.measureText(input.placeholder).width,
            input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)];
}"""


@pytest.mark.parametrize("site, prefix", [("fake_directory", ""), ("spanish_server", "/es")])
def test_the_boxes_examples_are_not_cut_off_on_a_phone_a_tablet_or_a_desktop(browser, request, site, prefix):
    base = request.getfixturevalue(site) + prefix
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        for width in (360, 390, 640, 768, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{base}/directory/")
            page.locator("#result-status").filter(has_text=re.compile(r"\d")).wait_for()  # the page is laid out
            text, room = page.evaluate(PLACEHOLDER_ROOM, "#f-place")
            assert text <= room, (width, "#f-place", text, room)
            page.goto(f"{base}/")
            for box in ("#site-q", "#w-place"):  # (a phone's directory shows only its own search box)
                text, room = page.evaluate(PLACEHOLDER_ROOM, box)
                assert text <= room, (width, box, text, room)
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_on_a_wider_screen_the_header_has_a_row_for_the_name_and_search_and_one_for_the_links(browser, spanish_server,
                                                                                           prefix):
    context = browser.new_context(viewport={"width": 640, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{spanish_server}{prefix}/directory/")
        for width in (640, 768, 1000, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            brand = page.locator(".brand").bounding_box()
            language = page.locator(".language-switch a").bounding_box()
            search = page.locator(".site-search").bounding_box()
            links = [page.locator(".nav-wide .nav-list a").nth(i).bounding_box() for i in range(6)]
            # The other language beside the name, never on a line of its own under the links.
            assert language["y"] < brand["y"] + brand["height"] and language["x"] > brand["x"] + brand["width"], width
            # The six links together below the search box: one row from a tablet up.
            assert min(link["y"] for link in links) >= search["y"] + search["height"], width
            assert len({round(link["y"]) for link in links}) == 1, width
            # The crisis lines keep to a band of the screen, set as many to a row as fit: at most a quarter of a
            # tablet's height (beside "Need help now?" in a column of their own, they were 300 px tall in Spanish),
            # and three rows on a desktop.
            assert page.locator(".crisis").bounding_box()["height"] <= (200 if width < 1000 else 130), width
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


@pytest.mark.parametrize("script", [True, False])
@pytest.mark.parametrize("prefix, menu", [("", "Menu"), ("/es", "Menú")])
def test_on_a_phone_the_main_links_are_behind_a_menu_that_needs_no_script(browser, spanish_server, prefix, menu,
                                                                          script):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=script)
    page = context.new_page()
    try:
        page.goto(f"{spanish_server}{prefix}/directory/")
        assert page.locator(".nav-wide").is_hidden()
        links = page.locator(".nav-menu .nav-list a")
        assert links.first.is_hidden()
        summary = page.locator(".nav-menu summary")
        assert summary.inner_text() == menu and summary.bounding_box()["height"] >= 44
        # "Menu" and the other language share the name's row, and the directory (which has its own search box)
        # shows no second one: the page's content starts higher.
        language = page.locator(".language-switch a").bounding_box()
        brand = page.locator(".brand").bounding_box()
        menu_box = summary.bounding_box()
        assert abs(language["y"] + language["height"] / 2 - menu_box["y"] - menu_box["height"] / 2) < 4
        assert language["y"] < brand["y"] + brand["height"] and menu_box["y"] < brand["y"] + brand["height"]
        assert page.locator(".site-search").is_hidden()
        assert page.locator(".site-header").bounding_box()["height"] < 110  # (210 when it had three rows)
        summary.click()
        assert links.count() == 6 and all(links.nth(i).is_visible() for i in range(6))
        # Open, the links drop below the header and the button stays where it was tapped.
        assert summary.bounding_box() == menu_box
        header = page.locator(".site-header").bounding_box()
        assert links.first.bounding_box()["y"] >= header["y"] + header["height"] - 1
        assert page.locator('.nav-menu [aria-current="page"]').get_attribute("href").endswith("/directory/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Elsewhere the header's search box is the row under the name (the whole header at most 160 px tall);
        # without JavaScript, which a search needs, there is none.
        page.goto(f"{spanish_server}{prefix}/articles/")
        assert page.locator(".site-search").is_visible() == script
        if script:
            search = page.locator(".site-search").bounding_box()
            brand = page.locator(".brand").bounding_box()
            assert search["y"] >= brand["y"] + brand["height"]
        assert page.locator(".site-header").bounding_box()["height"] <= (160 if script else 110)
        # On a wide screen the links are a row, and there is no menu.
        page.set_viewport_size({"width": 1280, "height": 800})
        assert page.locator(".nav-menu").is_hidden() and page.locator(".nav-wide .nav-list a").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("query, place", [("06510", "ZIP code 06510"), ("Springfield, MA", "Springfield, MA")])
def test_a_zip_code_or_a_town_in_the_site_search_searches_by_distance(phone, fake_directory, query, place):
    phone.goto(f"{fake_directory}/directory/?q={query}")
    phone.wait_for_function("document.getElementById('near-title') !== null")
    assert phone.locator("#near-title").inner_text().startswith(f"In person within 25 miles of {place}")
    assert phone.input_value("#f-q") == "" and phone.input_value("#f-place") == query


def test_a_word_that_listings_use_stays_a_word_search(phone, fake_directory):
    phone.goto(f"{fake_directory}/directory/?q=Hartford")
    wait_count(phone, 2)
    assert sorted(names(phone)) == ["Fake Capitol Peer Program", "Fake Hartford Tuesday Group"]
    assert phone.locator("#near-title").count() == 0


def test_the_filter_panel_covers_the_results_and_shows_them_with_their_count(phone, fake_directory):
    phone.goto(f"{fake_directory}/directory/?place=06103&radius=100&online=exclude")
    wait_count(phone, 5)
    assert phone.locator("#filter-panel").is_hidden()
    phone.click("#f-open")
    assert phone.evaluate("document.getElementById('filter-panel').matches(':modal')")
    phone.check("input[name=type][value=peer-specialist]")
    wait_count(phone, 2)
    assert phone.inner_text("#f-show") == "Show 2 results"
    phone.click("#f-show")
    assert phone.locator("#filter-panel").is_hidden()
    assert phone.evaluate("document.activeElement.id") == "results-title"
    assert sorted(names(phone)) == ["Fake Boston Peer Center", "Fake Capitol Peer Program"]
    # The distance chosen in the panel counts, as its chip shows it: three chips, three in use.
    assert phone.inner_text("#f-open") == "Filters (3 in use)"
    chips = phone.locator("#f-chips .chip > span:first-child").all_text_contents()
    assert chips == ["Within 100 miles of 06103", "In person only", "Peer specialist"]
    assert phone.inner_text("#f-clear") == "Clear all"
    phone.click("#f-chips .chip:has-text('Peer specialist')")
    wait_count(phone, 5)
    # The keyboard stays among the chips: on the one that took the removed one's place, or the last.
    assert phone.evaluate("document.activeElement.textContent").startswith("In person only")
    # Escape closes the panel and gives the keyboard back to the button that opened it.
    phone.click("#f-open")
    phone.keyboard.press("Escape")
    assert phone.locator("#filter-panel").is_hidden()
    assert phone.evaluate("document.activeElement.id") == "f-open"


def test_a_support_types_page_leads_to_the_directory_with_that_type_chosen(phone, fake_directory):
    """A support type's page lists the whole country A–Z; its link opens the directory with the type chosen, the same
    listings, ready for a place."""
    phone.goto(f"{fake_directory}/support-types/peer-specialist/")
    listed = sorted(phone.locator("main .card-title").all_text_contents())
    assert len(listed) >= 2
    phone.click("text=Search the directory")
    phone.wait_for_function("() => /listings? found(,|$)/.test(document.getElementById('result-status').textContent)")
    assert phone.locator("#f-chips .chip > span:first-child").all_text_contents() == ["Peer specialist"]
    assert sorted(t.strip() for t in names(phone)) == [t.strip() for t in listed]


def test_when_nothing_is_near_the_page_says_so_and_offers_the_nearest(phone, fake_directory):
    phone.goto(f"{fake_directory}/directory/?place=04101")  # Portland, Maine: nothing in person here is near
    phone.wait_for_selector("#nearest .card")
    assert phone.locator("#near-title").inner_text() == "In person within 25 miles of ZIP code 04101 (0)"
    assert phone.inner_text("#results .results-note") == "Nothing in person within 25 miles of ZIP code 04101 matches."
    nearest = phone.locator("#nearest .card")
    assert nearest.first.locator(".card-title").inner_text() == "Fake Boston Peer Center"
    assert nearest.first.locator(".card-title").get_attribute("aria-level") == "4"  # under the section's heading
    assert "miles away" in nearest.first.locator(".card-meta").inner_text()
    # Online options are a section of their own, and never "N miles away".
    online = phone.locator("#results section:has(#online-title) .card")
    assert online.count() == 2
    assert all("miles away" not in text for text in online.locator(".card-meta").all_inner_texts())


def test_the_nearest_farther_away_stops_at_250_miles(phone, fake_directory):
    """From Anchorage the nearest fake group is in Austin, thousands of miles off: no help in person, so not offered
    (from San Juan the starter site offered a group in Virginia, 1,485 miles away)."""
    phone.goto(f"{fake_directory}/directory/?place=99501")
    phone.wait_for_selector("#nearest .results-note")
    assert phone.inner_text("#nearest") == "Nothing in person within 250 miles either."
    assert phone.locator("#nearest .card").count() == 0


def test_show_results_lands_on_the_count_and_the_first_results(phone, starter_server):
    phone.goto(f"{starter_server}/directory/")
    phone.wait_for_function("() => /listings found(,|$)/.test(document.getElementById('result-status').textContent)")
    phone.click("#f-open")
    phone.check('input[name=type][value="12-step"]')
    phone.wait_for_timeout(300)
    phone.click("#f-show")
    phone.wait_for_timeout(300)
    count = phone.locator("#result-status").bounding_box()
    assert 0 <= count["y"] and count["y"] + count["height"] <= PHONE["height"], count
    assert phone.locator("#result-status").inner_text().endswith("listings found")
    first = phone.locator("#results .card").first.bounding_box()
    assert first["y"] < PHONE["height"] / 2
