"""The directory's map (templates/static/map.js), in Chromium: it is drawn from this site's own files, shows
the listings the list shows (clustered where they crowd), opens a listing's card from its marker, follows the
filters and the distance search, and can be used from the keyboard. On a phone it waits to be asked for."""
from __future__ import annotations

import re

import pytest

from generator.pipeline import build_site
from helpers import build_listings, new_content, write_listing
from quality import axe_violations
from test_search_browser import wait_count

TYPES = {"12-step": "12-step", "smart": "smart-recovery"}


def fake(name: str, city: str, region: str, lat: float | None, lng: float | None, kind: str = "12-step",
         format_: str = "in-person", extra: str = "") -> str:
    where = f"      city: {city}\n      region: {region}\n"
    if lat is not None:
        where += f"      lat: {lat}\n      lng: {lng}\n"
    online = "    online:\n      url: https://example.org/join\n" if format_ != "in-person" else ""
    return f"""\
    name: {name}
    kind: local-group
    support_types: [{TYPES[kind]}]
    summary: A clearly fake listing for the map's tests.
    format: {format_}
    last_verified: 2026-11-01
    source: https://example.org/
    location:
{where}{online}{extra}"""


# Three near Hartford (one cluster across the country, three markers close up), two at one spot in Austin
# (a cluster no zoom splits), one each in Iowa, Alaska and Puerto Rico, and two with no point to mark.
LISTINGS = {
    "ct/fake-hartford-one.yaml": fake("Fake Hartford One", "Hartford", "CT", 41.764, -72.685),
    "ct/fake-hartford-two.yaml": fake("Fake Hartford Two", "Hartford", "CT", 41.78, -72.66),
    "ct/fake-west-hartford.yaml": fake("Fake West Hartford", "West Hartford", "CT", 41.762, -72.742, kind="smart"),
    "tx/fake-austin-one.yaml": fake("Fake Austin One", "Austin", "TX", 30.267, -97.743),
    "tx/fake-austin-two.yaml": fake("Fake Austin Two", "Austin", "TX", 30.267, -97.743, kind="smart"),
    "ia/fake-des-moines.yaml": fake("Fake Des Moines", "Des Moines", "IA", 41.587, -93.62),
    "ak/fake-anchorage.yaml": fake("Fake Anchorage", "Anchorage", "AK", 61.217, -149.9),
    "pr/fake-san-juan.yaml": fake("Fake San Juan", "San Juan", "PR", 18.466, -66.106),
    "ia/fake-iowa-board.yaml": """\
    name: Fake Iowa Board
    kind: peer-program
    support_types: [12-step]
    summary: A clearly fake listing for the map's tests.
    format: in-person
    last_verified: 2026-11-01
    source: https://example.org/
    serves: statewide
    location:
      region: IA
""",
    "online/fake-online.yaml": """\
    name: Fake Online Room
    kind: online-forum
    support_types: [12-step]
    summary: A clearly fake listing for the map's tests.
    format: online
    last_verified: 2026-11-01
    source: https://example.org/
    online:
      url: https://example.org/room
""",
}
POINTS = 8


@pytest.fixture(scope="module")
def map_site(tmp_path_factory) -> str:
    return build_listings(tmp_path_factory.mktemp("map"), LISTINGS, "1796000000")


@pytest.fixture(scope="module")
def map_server(map_site, serve_dir):
    with serve_dir(map_site) as url:
        yield url


def open_map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#filters:not([hidden])")
    page.wait_for_function("() => document.getElementById('result-status').textContent.includes('found')")
    page.wait_for_selector("#map .map-frame")


def wait_markers(page, total: int) -> None:
    """Wait until the markers on screen stand for `total` listings."""
    page.wait_for_function("""(total) => [...document.querySelectorAll('#map .map-marker')]
        .reduce((sum, marker) => sum + Number(marker.dataset.count || 1), 0) === total""", arg=total)


def view_box(page) -> list[float]:
    return [float(n) for n in page.get_attribute("#map svg", "viewBox").split()]


def own_files_only(page, base: str) -> None:
    assert [url for url in page.requests if not url.startswith(base)] == []
    assert page.console_errors == []


def test_on_a_wide_screen_the_map_is_beside_the_list_and_shows_what_it_shows(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_map(page, f"{map_server}/directory/")
    wait_count(page, len(LISTINGS))
    assert page.get_attribute("#map-toggle", "aria-expanded") == "true"
    assert page.locator("#map .map-land path").count() >= 50  # the states, from the atlas the site publishes
    wait_markers(page, POINTS)
    # Across the country the Hartford three are one cluster; no marker stands for what has no point.
    assert page.locator('#map .map-marker.cluster[data-count="3"]').count() == 1
    assert page.inner_text("#map .map-note").startswith(f"{POINTS} listings on the map; 2 more")
    list_box = page.locator("#results").bounding_box()
    map_box = page.locator("#map .map-frame").bounding_box()
    assert map_box["x"] >= list_box["x"] + list_box["width"]  # beside the list, not over or instead of it
    # Filters: the map follows the list.
    page.check('input[name="type"][value="smart-recovery"]', force=True)
    wait_count(page, 2)
    wait_markers(page, 2)
    labels = page.locator("#map .map-marker").evaluate_all("(nodes) => nodes.map((n) => n.getAttribute('aria-label'))")
    assert sorted(labels) == ["Fake Austin Two, Austin, TX", "Fake West Hartford, West Hartford, CT"]
    page.goto(f"{map_server}/directory/?region=CT&online=exclude")
    page.wait_for_selector("#map .map-marker")
    wait_count(page, 3)
    wait_markers(page, 3)
    x, y, width, height = view_box(page)
    assert width < 975 / 8  # framed on Connecticut
    own_files_only(page, map_server)


def test_on_a_wide_screen_the_map_waits_for_results_it_can_mark(page, map_server):
    """Near Wichita nothing has a point (Iowa's board serves its state, the room is online): "0 listings on the
    map" took half the screen from the list. The map opens with the first results it can mark, and once the
    visitor has closed it, it stays closed."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{map_server}/directory/#place=Wichita%2C+KS&online=include")
    page.wait_for_function("() => document.getElementById('result-status').textContent.includes('found')")
    page.wait_for_timeout(500)
    assert page.get_attribute("#map-toggle", "aria-expanded") == "false"
    assert page.locator("#map").is_hidden()
    list_box = page.locator("#results").bounding_box()
    assert list_box["width"] > 700  # the list has the room
    page.fill("#f-place", "Hartford, CT")
    page.wait_for_selector("#map .map-frame")
    assert page.get_attribute("#map-toggle", "aria-expanded") == "true"
    page.click("#map-toggle")
    page.fill("#f-place", "Austin, TX")
    page.wait_for_function("() => document.getElementById('result-status').textContent.includes('found')")
    page.wait_for_timeout(500)
    assert page.locator("#map").is_hidden()
    own_files_only(page, map_server)


def test_a_cluster_opens_to_its_listings_and_a_marker_to_its_card(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_map(page, f"{map_server}/directory/")
    page.wait_for_selector('#map .map-marker.cluster[data-count="3"]')
    whole = view_box(page)
    page.click('#map .map-marker.cluster[data-count="3"]')
    page.wait_for_function("() => document.querySelectorAll('#map .map-marker[data-slug^=\"fake-\"][data-slug*=\"hartford\"]').length === 3")
    assert view_box(page)[2] < whole[2] / 16  # zoomed in on the three
    page.click('#map .map-marker[data-slug="fake-west-hartford"]')
    panel = page.locator("#map .map-panel")
    assert panel.is_visible() and page.evaluate("document.activeElement.classList.contains('map-panel')")
    assert panel.locator(".card-title").all_inner_texts() == ["Fake West Hartford"]
    assert panel.locator(".card-title a").get_attribute("href").endswith("/listings/fake-west-hartford/")
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.dataset.slug") == "fake-west-hartford"
    # Two at the very same spot: their cluster lists them, as no zoom can part them.
    page.click("#map .map-fit")
    page.click('#map .map-marker.cluster[data-count="2"]')
    assert sorted(panel.locator(".card-title").all_inner_texts()) == ["Fake Austin One", "Fake Austin Two"]
    own_files_only(page, map_server)


def test_the_map_is_used_from_the_keyboard(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_map(page, f"{map_server}/directory/")
    frame = page.locator("#map .map-frame")
    assert frame.get_attribute("aria-label") and frame.get_attribute("aria-describedby")
    frame.focus()
    whole = view_box(page)
    page.keyboard.press("+")
    page.wait_for_function("(width) => +document.querySelector('#map svg').getAttribute('viewBox').split(' ')[2] < width", arg=whole[2])
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(whole[2] / 2)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("(x) => +document.querySelector('#map svg').getAttribute('viewBox').split(' ')[0] < x", arg=zoomed[0])
    page.keyboard.press("0")
    assert view_box(page) == pytest.approx(whole)
    # Tab goes from the map to its markers, and Enter opens one.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('map-marker')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    opened = page.locator("#map .map-panel").is_visible() or view_box(page)[2] < 975 / 2
    assert opened
    assert axe_violations(page) == []


def test_near_a_place_the_map_marks_it_and_its_distance(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_map(page, f"{map_server}/directory/?place=Hartford,+CT&online=exclude")
    page.wait_for_function("() => document.querySelector('#near-title')")
    assert page.locator("#map .map-origin").is_visible()
    assert float(page.get_attribute("#map .map-radius", "r")) > 0
    wait_markers(page, 3)
    assert "(3)" in page.inner_text("#near-title")  # the list's in-person three, the map's three markers
    assert page.inner_text("#map .map-note").startswith("3 listings on the map around Hartford, CT")
    own_files_only(page, map_server)


def test_your_location_is_shown_on_the_map_and_sent_nowhere(browser, map_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, geolocation={"latitude": 41.77, "longitude": -72.7},
                                  permissions=["geolocation"])
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{map_server}/directory/")
        page.wait_for_selector("#map .map-frame")
        page.click("#f-near")
        page.wait_for_selector("#map .map-origin:not([hidden])")
        wait_markers(page, 3)
        assert [url for url in requests if not url.startswith(map_server)] == []
        assert not [url for url in requests if "41.77" in url or "72.7" in url]
    finally:
        context.close()


def test_on_a_phone_the_map_costs_nothing_until_asked_for(page, map_server):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{map_server}/directory/")
    wait_count(page, len(LISTINGS))
    assert page.is_visible("#map-toggle") and page.get_attribute("#map-toggle", "aria-expanded") == "false"
    assert not [url for url in page.requests if re.search(r"/static/map\.[0-9a-f]+\.js|/static/vendor/", url)]
    page.click("#map-toggle")
    wait_markers(page, POINTS)
    assert page.get_attribute("#map-toggle", "aria-expanded") == "true"
    page.click("#map-toggle")
    assert page.is_hidden("#map")
    own_files_only(page, map_server)


def test_the_embed_shows_the_map_when_the_snippet_asks(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{map_server}/embed/?region=CT&online=exclude")
    wait_count(page, 3)
    assert page.is_hidden("#map") and page.is_visible("#map-toggle")
    page.goto(f"{map_server}/embed/?region=CT&online=exclude&map=1")
    wait_markers(page, 3)
    assert "map=1" in page.url  # kept, like the frame's other options, as the visitor filters
    own_files_only(page, map_server)


def test_a_listing_page_shows_where_it_is_in_its_state(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{map_server}/listings/fake-des-moines/")
    page.wait_for_selector("#map .map-marker")
    assert page.locator("#map .map-marker").count() == 1
    assert page.get_attribute("#map .map-marker", "aria-hidden") == "true"  # it marks; there is nothing to open
    assert "Fake Des Moines" in page.get_attribute("#map .map-frame", "aria-label")
    assert view_box(page)[2] < 975 / 4  # Iowa, not the country
    # A listing with no one place has no map.
    page.goto(f"{map_server}/listings/fake-iowa-board/")
    assert page.locator("#map").count() == 0
    own_files_only(page, map_server)


def test_a_state_page_maps_every_listing_of_the_state(page, map_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{map_server}/regions/ct/")
    wait_markers(page, 3)
    page.click('#map .map-marker.cluster[data-count="3"]')
    page.wait_for_selector("#map .map-marker:not(.cluster)")
    page.locator("#map .map-marker:not(.cluster)").first.click()
    card = page.locator("#map .map-panel .card-title a")
    assert card.inner_text().startswith("Fake ") and "/listings/fake-" in card.get_attribute("href")
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{map_server}/regions/ia/")
    assert page.is_visible("#map-toggle") and page.is_hidden("#map")
    page.click("#map-toggle")
    wait_markers(page, 1)
    assert page.inner_text("#map .map-note") == \
        "1 listing on the map; 1 more (online, or serving a wider area) is in the list only."
    own_files_only(page, map_server)


@pytest.fixture(scope="module")
def far_server(tmp_path_factory, serve_dir):
    """One group in Hartford, a hybrid group in Austin (joined online from Hartford) and an online room."""
    root = tmp_path_factory.mktemp("far")
    content = new_content(root)
    write_listing(content, "ct/fake-hartford-one.yaml", LISTINGS["ct/fake-hartford-one.yaml"])
    write_listing(content, "tx/fake-austin-hybrid.yaml", fake("Fake Austin Hybrid", "Austin", "TX", 30.267, -97.743,
                                                              format_="hybrid"))
    write_listing(content, "online/fake-online.yaml", LISTINGS["online/fake-online.yaml"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1796000000")
        build_site(content, root / "output")
    with serve_dir(root / "output") as url:
        yield url


def test_the_map_accounts_for_every_result_and_a_marker_where_the_visitor_is_can_be_opened(browser, far_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["geolocation"],
                                  geolocation={"latitude": 41.764, "longitude": -72.685})  # at the Hartford group
    page = context.new_page()
    try:
        page.goto(f"{far_server}/directory/")
        page.wait_for_selector("#map .map-frame")
        page.click("#f-near")
        wait_count(page, 3)
        wait_markers(page, 1)
        # The Austin group is an online option here: in the list, not on the map, and counted as such.
        assert page.inner_text("#map .map-note") == ("1 listing on the map around your location; 2 more (online, "
                                                     "or serving a wider area) are in the list only.")
        # The marker on the visitor's own dot is drawn after it (neither has a z-index), so on top of it.
        assert page.evaluate("""() => Boolean(document.querySelector('#map .map-origin').compareDocumentPosition(
            document.querySelector('#map .map-marker')) & Node.DOCUMENT_POSITION_FOLLOWING)""")
        box = page.locator("#map .map-marker").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.locator("#map .map-panel .card-title").inner_text() == "Fake Hartford One"
    finally:
        context.close()


def test_the_grid_of_states_agrees_with_the_outlines_wherever_it_names_a_state(page, map_server):
    """The directory learns a location's state from vendor/map-grid.json (tools/map/bundle.mjs) and asks the
    outlines only where the grid says "~". Over a lattice of points covering the grid, wherever it names a state
    the outlines name the same one, or none (at sea a little farther out than the outlines' shore margin); and
    it names the state of most points that are in one, so the outlines are seldom needed."""
    page.goto(f"{map_server}/directory/")
    page.wait_for_selector("#filters:not([hidden])")
    result = page.evaluate("""async () => {
        const box = document.getElementById("map");
        const link = document.querySelector('link[rel="modulepreload"][href*="state-grid"]');
        const { gridStateAt } = await import(link.href);
        const { stateAt } = await import(box.dataset.module);
        const states = await (await fetch(box.dataset.grid)).json();
        const counts = { points: 0, inState: 0, named: 0 };
        const wrong = [];
        for (let lat = 17.05; lat < 72; lat += 0.37) {
            for (let lng = -179.95; lng < -64; lng += 0.53) {
                const point = [lat, lng];
                const grid = gridStateAt(states, point);
                const outline = await stateAt(box.dataset.atlas, point);
                counts.points += 1;
                if (outline) counts.inState += 1;
                if (grid && outline) counts.named += 1;
                if (grid && outline && grid !== outline) wrong.push([point, grid, outline]);
            }
        }
        return { counts, wrong: wrong.slice(0, 20), wrongCount: wrong.length };
    }""")
    counts = result["counts"]
    assert counts["points"] > 30_000 and counts["inState"] > 6_000
    assert result["wrongCount"] == 0, result["wrong"]
    assert counts["named"] / counts["inState"] > 0.8, counts
