"""The directory's live search and filters, driven in real Chromium the way a visitor would use them.

The site is a small, clearly fake directory with known places, so every count and order is known.
"""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.pipeline import build_site
from generator.search_data import starts_a_word
from helpers import build_listings

FAKE_LISTINGS = {
    "ct/fake-hartford-tuesday": """
        name: Fake Hartford Tuesday Group
        kind: local-group
        support_types: [12-step]
        summary: A fictional weekly 12-step meeting used only by the test suite.
        format: in-person
        location: {city: Hartford, region: CT, postal_code: "06103"}
        schedule:
          - {day: tuesday, start: "19:00", end: "20:00"}
        last_verified: 2026-03-01
        source: https://example.org/fake-hartford
    """,
    "ct/fake-new-haven-smart": """
        name: Fake New Haven SMART Meeting
        kind: local-group
        support_types: [smart-recovery]
        summary: A fictional SMART Recovery meeting used only by the test suite.
        format: in-person
        location: {city: New Haven, region: CT, postal_code: "06510"}
        schedule:
          - {day: wednesday, start: "18:30", end: "20:00"}
        last_verified: 2026-05-01
        source: https://example.org/fake-new-haven
    """,
    "ct/fake-hartford-hybrid": """
        name: Fake Capitol Peer Program
        kind: peer-program
        support_types: [peer-specialist]
        summary: A fictional hybrid peer program in Hartford used only by the test suite.
        format: hybrid
        location: {city: Hartford, region: CT}
        online: {url: "https://example.org/fake-capitol/join"}
        last_verified: 2026-04-01
        source: https://example.org/fake-capitol
    """,
    "ma/fake-springfield-family": """
        name: Fake Springfield Family Circle
        kind: local-group
        support_types: [family-support]
        summary: A fictional family support group in Springfield used only by the test suite.
        format: in-person
        audience: [families]
        location: {city: Springfield, region: MA, postal_code: "01103"}
        last_verified: 2026-02-01
        source: https://example.org/fake-springfield
    """,
    "ma/fake-boston-center": """
        name: Fake Boston Peer Center
        kind: peer-program
        support_types: [peer-specialist, recovery-community]
        summary: A fictional recovery community center in Boston used only by the test suite.
        description: Volunteers also keep a **gardening** circle, and the center’s kitchen is open on weekdays (IC&RC, 24/7).
        format: in-person
        location: {city: Boston, region: MA, postal_code: "02108"}
        cost: donation
        last_verified: 2026-06-01
        source: https://example.org/fake-boston
    """,
    "tx/fake-austin-group": """
        name: Fake Austin Group
        kind: local-group
        support_types: [12-step]
        summary: A fictional 12-step group in Austin used only by the test suite.
        format: in-person
        location: {city: Austin, region: TX, postal_code: "78701"}
        last_verified: 2026-01-15
        source: https://example.org/fake-austin
    """,
    "tx/fake-austin-evening": """
        name: Fake Austin Evening Group
        kind: local-group
        support_types: [12-step]
        summary: A second fictional 12-step group in Austin used only by the test suite.
        format: in-person
        location: {city: Austin, region: TX}
        last_verified: 2026-01-10
        source: https://example.org/fake-austin-evening
    """,
    "online/fake-online-forum": """
        name: Fake Anytime Forum
        kind: online-forum
        support_types: [mutual-aid]
        summary: A fictional online forum used only by the test suite.
        format: online
        online: {url: "https://example.org/fake-forum"}
        last_verified: 2026-07-01
        source: https://example.org/fake-forum
    """,
}

FAKE_ARTICLE = """---
title: Finding a fictional meeting
summary: A made-up article that exists so the search tests can find an article.
date: 2026-01-01
support_types: [12-step]
---
Nothing here is real. Bring a lantern.
"""


def write_fake_content(root: Path, repo_root: Path) -> Path:
    """Write the fake listings and the starter taxonomy into root/content/; return that folder."""
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copy(repo_root / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
    for slug_path, text in FAKE_LISTINGS.items():
        path = content / "listings" / f"{slug_path}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return content


@pytest.fixture(scope="module")
def fake_directory(repo_root: Path, tmp_path_factory, serve_dir):
    """Build and serve the fake directory; yield its base URL."""
    root = tmp_path_factory.mktemp("search")
    content = write_fake_content(root, repo_root)
    (content / "articles" / "finding-a-fictional-meeting.md").write_text(FAKE_ARTICLE)
    # One record per file: every test then also exercises chunked shards, staged loading and de-duplication.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.search_data.CHUNK_SIZE", 1)
        # Every state split by support type, as a large site's are (test_filter_combinations_browser.py's fake
        # directory has the small site's shared files).
        patch.setattr("generator.search_data.SPLIT_AT", 0)
        # Built "on" 2027-01-12: only Fake Austin Evening (verified 2026-01-10) is over 12 months old.
        patch.setenv("SOURCE_DATE_EPOCH", "1799755200")
        build_site(content, root / "output")
    with serve_dir(root / "output") as url:
        yield url


def names(page) -> list[str]:
    return page.locator("#results .card-title").all_text_contents()


def wait_count(page, n: int) -> None:
    """Wait until the status says n were found (near a place it goes on to say how many meet in person nearby)."""
    word = "listing" if n == 1 else "listings"
    page.wait_for_function("([text]) => { const said = document.getElementById('result-status').textContent;"
                           " return said === text || said.startsWith(text + ','); }", arg=[f"{n} {word} found"])


def open_directory(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/directory/{query}")
    page.wait_for_selector("#filters:not([hidden])")


def assert_clean(page, base: str) -> None:
    assert page.console_errors == []
    assert [url for url in page.requests if not url.startswith(base)] == []


def option_count(page, facet: str, value: str) -> str:
    return page.locator(f'fieldset[data-facet="{facet}"] input[value="{value}"] ~ [data-count]').text_content()


def test_shards_are_chunked_in_this_fixture(fake_directory):
    import json
    import urllib.request

    index = json.load(urllib.request.urlopen(f"{fake_directory}/search/index.json"))
    assert len(index["scopes"]["TX"]["shards"]["12-step"]) == 2  # two Austin groups, one file each
    assert [len(chunks) for chunks in index["scopes"]["CT"]["shards"].values()] == [1, 1, 1]


def test_typing_a_name_shows_that_listing(page, fake_directory):
    open_directory(page, fake_directory)
    wait_count(page, 8)
    page.fill("#f-q", "springf")
    wait_count(page, 1)
    assert names(page) == ["Fake Springfield Family Circle"]
    assert "q=springf" in page.url
    assert_clean(page, fake_directory)


def words_files(page) -> list[str]:
    return [url for url in page.requests if url.endswith(".words.json")]


def test_a_word_only_a_description_has_finds_its_listing_once_a_visitor_types(page, fake_directory):
    open_directory(page, fake_directory)
    wait_count(page, 8)
    assert words_files(page) == []  # the first results need no description words
    page.fill("#f-q", "gardening")
    wait_count(page, 1)
    assert names(page) == ["Fake Boston Peer Center"]
    assert words_files(page)
    # Part of a word, and an apostrophe typed straight where the description has a curly one (or the reverse).
    for query in ("garden", "center's", "center’s kitc", "(gardening),", "ic&rc", "24/7"):
        page.fill("#f-q", query)
        wait_count(page, 1)
        assert names(page) == ["Fake Boston Peer Center"]
    page.fill("#f-q", "gardening austin")
    wait_count(page, 0)
    assert_clean(page, fake_directory)


SMALL_WORDS = {"of", "and", "the", "for", "in", "de", "del", "la", "las", "el", "los", "y", "en"}


def initials_of(text: str) -> str:
    """A body's initials as directory.js's initialsOf makes them: 'aa' for 'Alcoholics Anonymous: Montana Area 40'."""
    from generator.search_data import fold

    words = [word for word in fold(text).split(":")[0].split() if re.match("[a-z]", word) and word not in SMALL_WORDS]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def searched_texts(base: str) -> dict[str, tuple[str, str]]:
    """Return {listing name: (its text as the search reads it, its description words)}, from the served data, as
    directory.js's toRecord and loadWords put them together: name, organization, town and summary folded, then the
    initials of the name and of the organization, each hyphened word also written as one."""
    import json
    import urllib.request

    from generator.search_data import fold

    def get(path):
        return json.load(urllib.request.urlopen(f"{base}{path}"))

    index = get("/search/index.json")
    texts = {}
    for scope in index["scopes"].values():
        for chunks in scope["shards"].values():
            for url in chunks:
                words = get(url.replace(".json", ".words.json"))
                for row, extra in zip(get(url), words):
                    record = dict(zip(index["fields"], row))
                    initials = " ".join(dict.fromkeys(filter(None, (initials_of(record["name"]),
                                                                     initials_of(record.get("organization") or "")))))
                    text = fold(" ".join([*(record[f] or "" for f in ("name", "organization", "city", "summary")),
                                          "", initials]))
                    joined = " ".join(w.replace("-", "") for w in re.findall(r"\w+(?:-\w+)+", text))
                    texts[record["name"]] = (f"{text} {joined}", extra or "")
    return texts


def test_words_of_one_or_two_letters_find_what_reading_the_text_finds(page, fake_directory):
    """A search's first letters are found from which letters begin its words, and which pairs of letters in a row
    each listing's text holds (directory.js's wordStarts and lettersOf): they must find what reading the text for
    words that start with them finds. Every letter, every pair of letters that some listing's text has (most of
    them inside words, where nothing is found), pairs none has, and words with other characters."""
    texts = searched_texts(fake_directory)
    assert len(texts) == 8
    pairs = sorted({text[i:i + 2] for both in texts.values() for text in both for i in range(len(text) - 1)
                    if text[i:i + 2].isalpha() and text[i:i + 2].isascii()})
    queries = [*"abcdefghijklmnopqrstuvwxyz", *pairs, "qz", "xj", "zv", "ic&rc", "24/7", "al-", "1", "k t", "ga ce"]
    open_directory(page, fake_directory)
    wait_count(page, 8)
    page.fill("#f-q", "gardening")  # the description words, fetched now: each search below is one update
    wait_count(page, 1)

    def search(query: str) -> list[str]:
        """Type the query; return the names of the one update it makes (the page's measure of it marks its end)."""
        page.evaluate("() => performance.clearMeasures('directory-update')")
        page.fill("#f-q", query)
        page.wait_for_function("() => performance.getEntriesByName('directory-update').length > 0")
        return names(page)

    wrong = []
    for query in queries:
        tokens = [re.sub(r"^\W+|\W+$", "", token) for token in query.split()]  # "al-" is "al", as typed words are
        expected = sorted(name for name, (text, words) in texts.items()
                          if all(starts_a_word(token, text) or starts_a_word(token, words) for token in tokens))
        found = sorted(search(query))
        if found != expected:
            wrong.append((query, found, expected))
    assert len(queries) > 100
    assert wrong == []
    # Never inside a word: every listing in Hartford is found by its start, none by the rest of it.
    assert search("artford") == [] and "Fake Hartford Tuesday Group" in search("hart")
    # How well the name matches orders them: a letter that starts a word of one name puts it before names that only
    # hold the letter.
    assert search("t")[0] == "Fake Hartford Tuesday Group"
    assert search("e")[0] == "Fake Austin Evening Group"
    assert_clean(page, fake_directory)


def test_an_article_is_found_by_a_word_only_its_text_has_once_a_visitor_types(page, fake_directory):
    """As a frightened visitor types "narcan" for the overdose guide, whose text names it: the words of the
    articles' texts come in a file of their own, fetched only once words are typed."""
    open_directory(page, fake_directory)
    wait_count(page, 8)
    assert [url for url in page.requests if "/articles-words-" in url] == []
    page.fill("#f-q", "lantern")
    page.wait_for_selector("#article-results a")
    assert page.locator("#article-results a").all_text_contents() == ["Finding a fictional meeting"]
    assert len([url for url in page.requests if "/articles-words-en." in url]) == 1
    page.fill("#f-q", "lantern austin")  # every word, in the text or the title, summary and tags
    page.wait_for_function("() => !document.querySelector('#article-results a')")
    assert_clean(page, fake_directory)


HYPHENED = {
    "ct/fake-al-anon.yaml": """\
        name: Fake Al-Anon Family Group
        kind: local-group
        support_types: [family-support]
        summary: A fictional group for families, used only by the test suite.
        format: in-person
        location: {city: Hartford, region: CT}
        last_verified: 2026-06-01
        source: https://example.org/fake-al-anon
    """,
    "ct/fake-aa.yaml": """\
        name: Fake Alcoholics Anonymous Group
        kind: local-group
        support_types: [12-step]
        summary: A fictional group, used only by the test suite.
        format: in-person
        location: {city: Hartford, region: CT}
        last_verified: 2026-06-01
        source: https://example.org/fake-aa
    """,
}


@pytest.fixture(scope="module")
def hyphened_directory(tmp_path_factory, serve_dir):
    with serve_dir(build_listings(tmp_path_factory.mktemp("hyphened"), HYPHENED, "1799755200")) as url:
        yield url


def test_a_hyphened_name_is_found_typed_as_one_word_or_two(page, hyphened_directory):
    """People type Al-Anon as "alanon" or "al anon". The second matches Alcoholics Anonymous too ("al", "anon"):
    the name that writes the two words together comes first."""
    open_directory(page, hyphened_directory, "?q=alanon")
    wait_count(page, 1)
    assert names(page) == ["Fake Al-Anon Family Group"]
    for query in ("al anon", "al-anon"):
        page.fill("#f-q", query)
        wait_count(page, 2 if query == "al anon" else 1)
        assert names(page)[0] == "Fake Al-Anon Family Group"
    page.fill("#f-q", "alcoholics anon")
    wait_count(page, 1)
    assert_clean(page, hyphened_directory)


def test_a_link_to_a_search_for_a_description_word_finds_it_with_the_other_filters(page, fake_directory):
    open_directory(page, fake_directory, "?q=kitchen&region=MA&type=recovery-community")
    wait_count(page, 1)
    assert names(page) == ["Fake Boston Peer Center"]
    from playwright.sync_api import expect

    # The counts know the description too (they are drawn once every type's words are in).
    count = 'fieldset[data-facet="type"] input[value="{}"] ~ [data-count]'
    expect(page.locator(count.format("peer-specialist"))).to_have_text("(1)")
    expect(page.locator(count.format("family-support"))).to_have_text("(0)")
    open_directory(page, fake_directory, "?q=kitchen&region=TX")
    wait_count(page, 0)
    assert_clean(page, fake_directory)


def test_results_mark_listings_not_verified_in_12_months(page, fake_directory):
    open_directory(page, fake_directory, "?q=austin")
    wait_count(page, 2)
    cards = page.locator("#results .card")
    marked = {cards.nth(i).locator(".card-title").text_content(): cards.nth(i).locator(".stale-note").count()
              for i in range(2)}
    assert marked == {"Fake Austin Evening Group": 1, "Fake Austin Group": 0}
    assert page.locator("#results .stale-note").text_content() == "Not recently verified"
    assert_clean(page, fake_directory)


# Each card's parts, in order, as a visitor sees them (the script adds its line about the next meeting, and says
# more of the meeting times; the rest is the same card).
CARD_PARTS = """(cards) => cards.map((card) => ({
  title: card.querySelector('.card-title').textContent,
  href: card.querySelector('.card-title a').getAttribute('href'),
  target: card.querySelector('.card-title a').getAttribute('target'),
  meta: [...card.querySelectorAll('.card-meta span')].map((s) => s.textContent).slice(0, 3),
  summary: card.querySelector('.card-summary').textContent,
  parts: [...card.children].map((c) => c.className).filter((c) => c !== 'card-next'),
  times: card.querySelector('.card-times')?.textContent.split(' ').slice(0, 2).join(' ') ?? '',
  tags: [...card.querySelectorAll('.tags a')].map((a) => [a.getAttribute('href'), a.textContent]),
}))"""


def cards_of(page) -> dict[str, dict]:
    found = page.locator("#results .card").evaluate_all(CARD_PARTS)
    return {card["title"]: card for card in found}


def test_the_scripts_cards_are_the_pages_cards(browser, page, fake_directory):
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{fake_directory}/directory/")
        server_cards = cards_of(plain)
    finally:
        context.close()
    open_directory(page, fake_directory)
    wait_count(page, 8)
    script_cards = cards_of(page)
    assert len(server_cards) == 8
    assert script_cards == server_cards
    assert script_cards["Fake Hartford Tuesday Group"]["tags"] == [["/support-types/12-step/", "12-step"]]
    assert script_cards["Fake Austin Evening Group"]["parts"] == [
        "card-title", "card-meta", "card-summary", "stale-note", "tags"]
    assert_clean(page, fake_directory)


def test_combined_filters_and_option_counts(page, fake_directory):
    open_directory(page, fake_directory)
    page.select_option("#f-region", "CT")
    page.select_option("#f-online", "exclude")
    wait_count(page, 3)
    assert sorted(names(page)) == ["Fake Capitol Peer Program", "Fake Hartford Tuesday Group",
                                   "Fake New Haven SMART Meeting"]
    # Each option shows how many results it would give with the other filters applied.
    assert option_count(page, "type", "12-step") == "(1)"
    assert option_count(page, "type", "smart-recovery") == "(1)"
    assert option_count(page, "type", "family-support") == "(0)"
    assert option_count(page, "kind", "local-group") == "(2)"
    page.check('fieldset[data-facet="kind"] input[value="local-group"]')
    wait_count(page, 2)
    page.check('fieldset[data-facet="type"] input[value="smart-recovery"]')
    wait_count(page, 1)
    assert names(page) == ["Fake New Haven SMART Meeting"]
    # Choosing a second support type widens the results (types are alternatives): its count says by how much.
    assert option_count(page, "type", "12-step") == "(1)"
    page.check('fieldset[data-facet="type"] input[value="12-step"]')
    wait_count(page, 2)
    assert_clean(page, fake_directory)


@pytest.mark.parametrize("query", ["?region=CT&online=exclude&type=family-support",
                                   "?region=CT&online=exclude&type=family-support&kind=local-group"])
def test_a_state_without_the_chosen_type_shows_no_cards_not_every_card(page, fake_directory, query):
    """Connecticut has no shard for family support: the page loaded nothing, said nothing, and went on
    showing every listing of the page as built (the bug reported with the finder issue)."""
    open_directory(page, fake_directory, query)
    wait_count(page, 0)
    assert names(page) == []
    # What could find more, of what this search has: a filter to remove, online options to let in.
    assert page.locator("#results").text_content() == ("No listings match all of these filters. "
                                                       "Try removing a filter. Try including online options.")
    assert option_count(page, "type", "12-step") == "(1)"
    assert_clean(page, fake_directory)


def test_words_that_find_nothing_get_advice_about_words_not_distance(page, fake_directory):
    open_directory(page, fake_directory, "?q=zzqxv")
    wait_count(page, 0)
    assert page.locator("#results").text_content() == ("No listings match all of these filters. "
                                                       "Check the spelling, or try fewer or other words.")


def test_meeting_day_filter_and_times_with_timezone(page, fake_directory):
    open_directory(page, fake_directory, "?day=2")
    wait_count(page, 1)
    assert names(page) == ["Fake Hartford Tuesday Group"]
    assert "Tuesday 7:00\u00a0PM–8:00\u00a0PM Eastern Time" in page.locator("#results .card-times").text_content()


def distances(page) -> list[float]:
    metas = page.locator("#results .card-meta").all_text_contents()
    return [float(m) for text in metas for m in re.findall(r"([\d.]+) miles away", text)]


def test_postal_code_and_radius_order_by_distance(page, fake_directory):
    open_directory(page, fake_directory)
    page.select_option("#f-online", "exclude")
    page.fill("#f-place", "06103")
    page.select_option("#f-radius", "50")
    page.select_option("#f-sort", "distance")
    wait_count(page, 4)
    assert names(page)[-1] == "Fake New Haven SMART Meeting"
    found = distances(page)
    assert found == sorted(found) and found[0] < 3
    assert "Fake Austin Group" not in names(page) and "Fake Boston Peer Center" not in names(page)
    assert "ZIP code 06103" in page.locator("#f-place-status").text_content()
    page.select_option("#f-radius", "100")
    wait_count(page, 5)
    assert names(page)[-1] == "Fake Boston Peer Center"
    assert_clean(page, fake_directory)


def test_city_and_state_typed_in(page, fake_directory):
    open_directory(page, fake_directory)
    page.select_option("#f-online", "exclude")
    page.fill("#f-place", "Austin, TX")
    page.select_option("#f-sort", "distance")
    wait_count(page, 2)
    assert sorted(names(page)) == ["Fake Austin Evening Group", "Fake Austin Group"]
    page.fill("#f-place", "Nowhere Fakeville, ZZ")
    page.wait_for_function("document.getElementById('f-place-status').textContent.includes('could not find')")
    # The list is not near it, and its chip says so rather than "Within 25 miles of …" (a filter not in use).
    page.wait_for_function("(document.querySelector(\".chip[data-remove='place']\") || {}).textContent"
                           "?.startsWith('Place not found: Nowhere Fakeville, ZZ')")
    # A ZIP code that is not one: the advice is not to type a 5-digit ZIP code.
    page.fill("#f-place", "99999")
    page.wait_for_function("document.getElementById('f-place-status').textContent.startsWith("
                           "'We could not find the ZIP code 99999. Try a neighboring one')")
    page.locator(".chip[data-remove='place']").click()
    page.wait_for_function("!document.querySelector(\".chip[data-remove='place']\")")
    assert page.locator("#f-place").input_value() == ""


def test_near_me_with_granted_location(browser, fake_directory):
    context = browser.new_context(geolocation={"latitude": 42.36, "longitude": -71.06}, permissions=["geolocation"])
    page = context.new_page()
    try:
        open_directory(page, fake_directory)
        page.select_option("#f-online", "exclude")
        page.click("#f-near")
        page.wait_for_function("location.hash.includes('at=')")
        wait_count(page, 1)  # within 25 miles of central Boston; the hybrid Hartford program is 90 miles away
        assert names(page) == ["Fake Boston Peer Center"]
        assert "miles away" in page.locator("#results .card-meta").text_content()
        assert "your location" in page.locator("#f-place-status").text_content()
    finally:
        context.close()


def test_a_reload_or_coming_back_sends_no_one_where_the_visitor_is_or_what_they_searched_for(browser, fake_directory):
    """The search lives after '#' in the address, which browsers never send: not with a reload, nor on coming back
    from a listing. A search that arrives in the query (a link from another page) moves there at once."""
    context = browser.new_context(geolocation={"latitude": 42.36, "longitude": -71.06}, permissions=["geolocation"])
    page = context.new_page()
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    try:
        open_directory(page, fake_directory, "?online=exclude")
        page.wait_for_url(f"{fake_directory}/directory/#online=exclude")
        page.click("#f-near")
        page.fill("#f-q", "boston")
        page.wait_for_function("location.hash.includes('at=42.36') && location.hash.includes('q=boston')")
        wait_count(page, 1)
        assert "your location" in page.locator("#f-place-status").text_content()
        page.reload()
        page.wait_for_selector("#filters:not([hidden])")
        wait_count(page, 1)
        assert page.locator("#f-q").input_value() == "boston"
        # The page no longer knows whose location its address holds (it stores nothing to remember).
        assert "the location in this link" in page.locator("#f-place-status").text_content()
        page.click("#results .card-title a")
        page.wait_for_url("**/listings/**")
        page.go_back()
        wait_count(page, 1)
        assert names(page) == ["Fake Boston Peer Center"]
        assert [url for url in sent if "42.36" in url or "boston" in urlsplit(url).query] == []
    finally:
        context.close()


def test_a_location_finds_its_state_in_the_grid_or_near_a_state_line_the_outlines_and_keeps_it(browser,
                                                                                              fake_directory):
    """Which state a location is in comes from the grid of states (about 6 KB), or near a state line from the
    map's outlines (about 80 KB with its code); once found it goes into the address with the point, so a page
    opened from it (a shared link, a reload) looks nothing up. A state that is not one is ignored."""
    phone = {"width": 390, "height": 844}  # where the map does not open by itself

    def visit(address, geolocation=None):
        options = {"geolocation": geolocation, "permissions": ["geolocation"]} if geolocation else {}
        context = browser.new_context(viewport=phone, **options)
        page = context.new_page()
        page.sent = []
        page.on("request", lambda request: page.sent.append(request.url))
        page.goto(address)
        page.wait_for_selector("#filters:not([hidden])")
        return context, page

    def looked_up(page):
        grid, atlas = page.get_attribute("#map", "data-grid"), page.get_attribute("#map", "data-atlas")
        assert grid.endswith(".json") and atlas.endswith(".json")
        return [name for name, url in (("grid", grid), ("outlines", atlas)) if any(u.endswith(url) for u in page.sent)]

    context, page = visit(f"{fake_directory}/directory/", {"latitude": 42.36, "longitude": -71.06})
    try:
        page.click("#f-near")
        page.wait_for_function("location.hash.includes('at=42.36%2C-71.06%2CMA')")
        wait_count(page, 3)  # the Boston center, then the online forum and the hybrid program (joinable online)
        assert looked_up(page) == ["grid"]
        shared = page.url
    finally:
        context.close()
    near_the_line = shared.replace("42.36%2C-71.06%2CMA", "42.60%2C-71.30")  # Chelmsford: 8 miles from New Hampshire
    for address, lookups in ((shared, []), (shared.replace("%2CMA", "%2CXX"), ["grid"]),
                             (near_the_line, ["grid", "outlines"])):
        context, page = visit(address)
        try:
            wait_count(page, 3)
            # Opened elsewhere (a client's link, read by a peer worker), it is not the reader's location.
            assert "the location in this link" in page.locator("#f-place-status").text_content()
            assert looked_up(page) == lookups, address
            page.wait_for_function("/at=[^&]*%2CMA/.test(location.hash)")  # found (again) and kept
        finally:
            context.close()


def test_a_location_s_state_changes_only_the_point_in_the_address(browser, fake_directory):
    """The state found for a location joins the point in the address as it stands: a word typed while it was
    being found, which its own history step has not yet written, stays out of the location's step."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, permissions=["geolocation"],
                                  geolocation={"latitude": 42.36, "longitude": -71.06})
    held = []
    context.route("**/map-grid*.json", lambda route: held.append(route))
    page = context.new_page()
    try:
        page.goto(f"{fake_directory}/directory/")
        page.wait_for_selector("#filters:not([hidden])")
        page.click("#f-near")
        page.wait_for_function("location.hash.includes('at=42.36%2C-71.06')")
        for _ in range(100):  # (the map's box names the grid, at this width too, though the map stays closed)
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the grid of states was never requested"
        steps = page.evaluate("history.length")
        page.evaluate("document.getElementById('f-q').value = 'boston'")  # typed; its update not yet run
        held[0].continue_()
        page.wait_for_function("location.hash.includes('at=42.36%2C-71.06%2CMA')")
        assert "boston" not in page.url and page.evaluate("history.length") == steps
        page.dispatch_event("#f-q", "input")
        page.wait_for_function("location.hash.includes('q=boston')")
        assert page.evaluate("history.length") == steps + 1  # the word's own step, which Back undoes
        page.go_back()
        page.wait_for_function("!location.hash.includes('boston') && location.hash.includes('%2CMA')")
    finally:
        context.close()


def test_a_search_in_both_the_query_and_the_fragment_keeps_both_and_moves_after_the_hash(page, fake_directory):
    page.goto(f"{fake_directory}/directory/?region=MA&type=family-support#q=boston&type=peer-specialist")
    page.wait_for_selector("#filters:not([hidden])")
    assert page.locator("#f-region").input_value() == "MA" and page.locator("#f-q").input_value() == "boston"
    checked = page.eval_on_selector_all('fieldset[data-facet="type"] input:checked', "boxes => boxes.map(b => b.value)")
    assert checked == ["peer-specialist"]  # the fragment's values of a filter win, all of them
    assert urlsplit(page.url).query == ""
    assert sorted(urlsplit(page.url).fragment.split("&")) == ["q=boston", "region=MA", "type=peer-specialist"]


def test_searching_from_the_no_script_search_page_hands_the_words_on_after_the_hash(page, fake_directory):
    page.goto(f"{fake_directory}/search/?q=austin")
    page.wait_for_url(f"{fake_directory}/directory/#q=austin")
    wait_count(page, 2)
    assert [url for url in page.requests if "austin" in url and "/search/?" not in url] == []


def test_the_skip_link_leaves_the_search_in_the_address(page, fake_directory):
    open_directory(page, fake_directory, "?region=MA")
    wait_count(page, 4)
    steps = page.evaluate("history.length")
    page.focus(".skip-link")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement === document.querySelector('main')")
    assert urlsplit(page.url).fragment == "region=MA"  # not "main", which would lose the search on a reload
    assert page.evaluate("history.length") == steps  # and no step that Back would undo to no effect
    page.evaluate("location.hash = 'main'")  # a link to a part of the page, such as the skip link without its script
    page.wait_for_function("location.hash === '#region=MA'")  # the search comes back into the address
    page.reload()
    page.wait_for_selector("#filters:not([hidden])")
    wait_count(page, 4)
    assert page.locator("#f-region").input_value() == "MA"


def test_near_me_denied_explains_itself(browser, fake_directory):
    context = browser.new_context()  # no geolocation permission: the page sees a denial
    page = context.new_page()
    try:
        open_directory(page, fake_directory)
        page.click("#f-near")
        page.wait_for_function("document.getElementById('f-place-status').textContent.includes('not allowed')")
        assert "ZIP code or city" in page.locator("#f-place-status").text_content()
    finally:
        context.close()


def test_url_round_trip_reload_and_back(page, fake_directory):
    open_directory(page, fake_directory, "?region=MA&type=family-support")
    wait_count(page, 1)
    assert page.locator("#f-region").input_value() == "MA"
    assert page.is_checked('fieldset[data-facet="type"] input[value="family-support"]')
    page.uncheck('fieldset[data-facet="type"] input[value="family-support"]')
    page.wait_for_function("!location.hash.includes('type=')")
    page.select_option("#f-online", "exclude")
    wait_count(page, 2)
    page.reload()
    page.wait_for_selector("#filters:not([hidden])")
    wait_count(page, 2)
    assert page.locator("#f-online").input_value() == "exclude"
    page.go_back()
    wait_count(page, 4)  # MA's two listings, plus the online forum and the hybrid program, joinable from anywhere
    assert page.locator("#f-online").input_value() == "include"
    page.go_back()
    wait_count(page, 1)
    assert page.is_checked('fieldset[data-facet="type"] input[value="family-support"]')
    page.click("#f-reset")
    wait_count(page, 8)
    assert page.url == f"{fake_directory}/directory/"


def test_keyboard_only(page, fake_directory):
    open_directory(page, fake_directory)
    for _ in range(60):
        if page.evaluate("document.activeElement.id") == "f-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-q"
    page.keyboard.type("boston")
    wait_count(page, 1)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    wait_count(page, 8)
    # Tab onwards to the first support-type checkbox and tick it with the space bar.
    for _ in range(40):
        if page.evaluate("document.activeElement.name") == "type":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "12-step"
    page.keyboard.press("Space")
    wait_count(page, 3)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_a_skip_link_after_the_search_takes_the_keyboard_past_the_filters_to_the_first_result(page, fake_directory):
    """On a wide screen some 45 checkboxes and the map's markers come before the first listing."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_directory(page, fake_directory, "#q=group")
    page.wait_for_function("() => /found(,|$)/.test(document.getElementById('result-status').textContent)")
    page.focus("#f-q")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "skip-results":
            break
    assert page.evaluate("document.activeElement.id") == "skip-results"
    assert page.locator("#skip-results").is_visible() and page.locator("#skip-results").bounding_box()["width"] > 50
    page.keyboard.press("Enter")
    first = page.locator("#results .card-title a").first
    assert page.evaluate("document.activeElement.outerHTML") == first.evaluate("el => el.outerHTML")
    assert page.evaluate("location.hash") == "#q=group"  # the search stays in the address
    page.focus("#f-q")
    assert page.locator("#skip-results").bounding_box()["width"] <= 1  # out of sight until focused
    # Articles found come before the listings: the skip link lands on the first of them.
    page.fill("#f-q", "fictional")
    page.wait_for_selector("#article-results a")
    page.locator("#skip-results").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "Finding a fictional meeting"
    assert_clean(page, fake_directory)


def test_a_filter_value_the_form_has_no_box_for_is_not_applied(page, fake_directory):
    """The site's own language has no box (most listings say nothing of theirs): an old link or an embed that asks
    for it does not filter the first view down, to drop the filter unseen at the first change."""
    open_directory(page, fake_directory, "#language=en")
    wait_count(page, 8)
    assert page.locator(".chip").count() == 0


def test_a_type_no_listing_has_gets_no_box_until_an_address_chooses_it(page, fake_directory):
    """"Sober companion (0)" offered what nothing here holds. A link that asks for it still gets what it asked for,
    none, with the box shown checked and a chip, to take it off."""
    def option(slug):
        return page.locator(f'fieldset[data-facet="type"] li:has(input[value="{slug}"])')

    def open_filters():
        page.evaluate("document.getElementById('more-filters').open = true")

    open_directory(page, fake_directory)
    wait_count(page, 8)
    open_filters()
    assert option("12-step").is_visible()
    assert option("sober-companion").count() == 1 and not option("sober-companion").is_visible()
    open_directory(page, fake_directory, "#type=sober-companion")
    wait_count(page, 0)
    open_filters()
    assert option("sober-companion").is_visible() and option("sober-companion").locator("input").is_checked()
    assert page.locator(".chip").count() == 1
    option("sober-companion").locator("input").uncheck()
    wait_count(page, 8)
    assert not option("sober-companion").is_visible()
    assert_clean(page, fake_directory)


def test_header_search_finds_articles_too(page, fake_directory):
    page.goto(f"{fake_directory}/")
    page.fill("#site-q", "fictional")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/directory/#q=fictional$"))
    page.wait_for_selector("#article-results a")
    assert page.locator("#article-results a").text_content() == "Finding a fictional meeting"
    wait_count(page, 8)
    assert_clean(page, fake_directory)


# Six fake articles: two name "compass" in their titles, four only in their summaries (and come first by date).
COMPASS_ARTICLES = {
    **{f"summary-only-{n}": (f"Fake notes, part {n}", "A made-up article that mentions the compass only here.",
                             f"2026-0{n + 4}-01") for n in range(1, 5)},
    "title-one": ("The fake compass, first part", "A made-up article for the search tests.", "2026-01-01"),
    "title-two": ("The fake compass, second part", "Another made-up article for the search tests.", "2026-01-02"),
}


@pytest.fixture(scope="module")
def many_articles_directory(repo_root: Path, tmp_path_factory, serve_dir):
    root = tmp_path_factory.mktemp("articles")
    content = write_fake_content(root, repo_root)
    for slug, (title, summary, date) in COMPASS_ARTICLES.items():
        (content / "articles" / f"{slug}.md").write_text(
            f"---\ntitle: {title}\nsummary: {summary}\ndate: {date}\n---\nNothing here is real.\n")
    build_site(content, root / "output")
    with serve_dir(root / "output") as url:
        yield url


def test_a_few_articles_come_above_the_listings_those_named_by_their_title_first_and_the_rest_on_asking(
        page, many_articles_directory):
    open_directory(page, many_articles_directory, "?q=compass")
    links = page.locator("#article-results li a")
    links.first.wait_for()
    # Three, the two whose titles hold the word first; the listings below them are not pushed off the screen.
    assert sorted(links.all_text_contents()[:2]) == ["The fake compass, first part", "The fake compass, second part"]
    assert links.count() == 3
    more = page.locator("#show-articles")
    assert more.text_content() == "Show all 6 articles"
    more.focus()
    page.keyboard.press("Enter")
    assert links.count() == 6
    assert sorted(links.all_text_contents()[2:]) == [f"Fake notes, part {n}" for n in range(1, 5)]
    assert page.evaluate("document.activeElement.textContent") == links.nth(3).text_content()
    assert page.locator("#show-articles").count() == 0
    # Another word: the list starts short again.
    page.fill("#f-q", "compass made")
    page.wait_for_function("() => document.querySelectorAll('#article-results li').length === 3")
    assert page.locator("#show-articles").text_content() == "Show all 6 articles"
    # Four articles are all shown: a button for the one more would save nothing.
    page.fill("#f-q", "compass mentions")
    page.wait_for_function("() => document.querySelectorAll('#article-results li').length === 4")
    assert page.locator("#show-articles").count() == 0
    assert_clean(page, many_articles_directory)


def test_header_search_hands_over_to_the_directory_and_back_returns_where_it_started(page, fake_directory):
    """With JavaScript the form goes straight to the directory with the words after '#' (never sent): no request
    carries them, and Back returns to the page the search started from."""
    start = f"{fake_directory}/listings/fake-hartford-tuesday/"
    page.goto(start)
    assert page.locator("form.site-search").get_attribute("action") == "/search/"
    page.fill("#site-q", "austin")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{fake_directory}/directory/#q=austin")
    wait_count(page, 2)
    assert sorted(names(page)) == ["Fake Austin Evening Group", "Fake Austin Group"]
    assert page.locator("#f-q").input_value() == "austin"
    page.go_back()
    page.wait_for_url(start)
    assert page.locator("h1").text_content() == "Fake Hartford Tuesday Group"
    assert [url for url in page.requests if "austin" in url] == []
    assert_clean(page, fake_directory)


def test_without_javascript_a_search_says_it_needs_javascript_and_leads_to_the_browse_pages(browser, fake_directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        # The header's box is hidden: it could only lead here. An address with a search in it still comes here.
        page.goto(f"{fake_directory}/articles/")
        assert page.locator("#site-q").is_hidden() and page.locator(".nav-wide").is_visible()
        page.goto(f"{fake_directory}/search/?q=boston")
        assert page.locator("h1").text_content() == "Search needs JavaScript"
        assert "needs JavaScript" in page.locator("main .lead").text_content()
        links = {a.get_attribute("href"): " ".join(a.text_content().split()) for a in page.locator("main li a").all()}
        assert links == {"/regions/": "Browse by state", "/support-types/": "Browse by support type",
                         "/kinds/": "Browse by kind of support", "/online/": "Online and hybrid support",
                         "/directory/": "The directory"}
        assert page.locator("main").get_by_text("all 8 listings, A–Z").is_visible()
        # Every page's crisis lines, here too.
        assert page.locator(".crisis a[href='tel:988']").is_visible()
        page.click("main a[href='/regions/']")
        page.wait_for_url(f"{fake_directory}/regions/")
    finally:
        context.close()


def test_without_javascript_the_browse_links_are_the_filters(browser, fake_directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{fake_directory}/directory/?q=boston")
        assert page.locator("#filters").is_hidden()
        assert page.locator("#browse a[href='/support-types/family-support/']").is_visible()
        assert len(names(page)) == 8
    finally:
        context.close()


@pytest.fixture
def visitor(browser):
    """Return a function that opens a page as a visitor in a given time zone, at a given moment."""
    contexts = []

    def open_at(zone: str, moment: str):
        context = browser.new_context(timezone_id=zone, viewport={"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.clock.set_fixed_time(moment)
        return page

    yield open_at
    for context in contexts:
        context.close()


def card_line(page, name: str, css: str) -> str:
    card = page.locator("#results .card", has=page.locator(".card-title", has_text=name))
    return " ".join(card.locator(css).text_content().split())


def test_meets_today_is_the_visitors_today_and_the_next_meeting_comes_first(visitor, fake_directory):
    # Tuesday 17 November 2026, 18:45 in Connecticut: Hartford's Tuesday 19:00 is still to come today.
    page = visitor("America/New_York", "2026-11-17T23:45:00Z")
    open_directory(page, fake_directory, "?today=1")
    wait_count(page, 1)
    assert names(page) == ["Fake Hartford Tuesday Group"]
    assert card_line(page, "Fake Hartford Tuesday Group", ".card-next") == "Next meeting: today, 7:00 PM EST"
    assert page.is_checked("#f-today")


def test_a_meeting_in_progress_says_so_and_leads_the_next_meeting_sort(visitor, fake_directory):
    # Wednesday 18 November 2026, 18:40 in Connecticut: New Haven's 18:30–20:00 meeting is on.
    page = visitor("America/New_York", "2026-11-18T23:40:00Z")
    open_directory(page, fake_directory, "?sort=next&region=CT&online=exclude")
    wait_count(page, 3)
    assert names(page) == ["Fake New Haven SMART Meeting", "Fake Hartford Tuesday Group", "Fake Capitol Peer Program"]
    assert card_line(page, "Fake New Haven SMART Meeting", ".card-next") == "Meeting now, until 8:00 PM EST"
    assert card_line(page, "Fake Hartford Tuesday Group", ".card-next") == "Next meeting: Tuesday, 7:00 PM EST"
    assert page.locator("#results .card", has=page.locator(".card-title", has_text="Fake Capitol")).locator(
        ".card-next").count() == 0


def test_a_visitor_in_another_zone_sees_the_meeting_in_their_own_time_and_where_it_meets(visitor, fake_directory):
    # 15:30 in California is 18:30 in Connecticut: Hartford's 19:00 meeting is at 4:00 PM for this visitor.
    page = visitor("America/Los_Angeles", "2026-11-17T23:30:00Z")
    open_directory(page, fake_directory, "?today=1")
    wait_count(page, 1)
    assert card_line(page, "Fake Hartford Tuesday Group", ".card-next") == (
        "Next meeting: today, 4:00 PM PST (7:00 PM EST where it meets)")
    assert card_line(page, "Fake Hartford Tuesday Group", ".card-times") == (
        "Meets Tuesday 7:00 PM–8:00 PM Eastern Time")
    # Late on Tuesday in California it is already Wednesday in Connecticut: Hartford no longer meets "today".
    late = visitor("America/Los_Angeles", "2026-11-18T06:30:00Z")
    open_directory(late, fake_directory, "?today=1&online=exclude")
    wait_count(late, 0)


def test_sort_by_name_and_by_most_recently_verified(page, fake_directory):
    open_directory(page, fake_directory, "?sort=verified")
    wait_count(page, 8)
    assert names(page)[:3] == ["Fake Anytime Forum", "Fake Boston Peer Center", "Fake New Haven SMART Meeting"]
    page.select_option("#f-sort", "name")
    page.wait_for_function("location.hash.includes('sort=name')")
    assert names(page) == sorted(names(page))


@pytest.mark.parametrize("path, first, second", [("/directory/", "Maine", "North Carolina"),
                                                  ("/es/directory/", "Carolina del Norte", "Maine")])
def test_the_state_filter_lists_the_states_a_to_z_in_the_pages_language_each_with_its_count(page, starter_server,
                                                                                           path, first, second):
    """As the state pages list them: a Spanish reader looks for Carolina del Norte under C."""
    page.goto(f"{starter_server}{path}")
    page.wait_for_selector("#filters:not([hidden])")
    page.wait_for_function("document.querySelector('#f-region option:last-child').text.endsWith(')')")
    options = page.locator("#f-region option").all_text_contents()[1:]
    assert len(options) >= 50 and all(re.fullmatch(r".+ \(\d+\)", text) for text in options), options
    names = [text.rsplit(" (", 1)[0] for text in options]
    assert names.index(first) < names.index(second)
    assert page.console_errors == []


def test_without_any_schedule_there_is_no_day_filter_and_an_old_today_link_still_lists(page, starter_server):
    page.goto(f"{starter_server}/directory/?today=1")
    page.wait_for_selector("#filters:not([hidden])")
    page.wait_for_function("document.getElementById('result-status').textContent.endsWith('found')")
    assert page.locator("#f-today").count() == 0
    assert page.locator("fieldset[data-facet='day']").count() == 0
    assert page.locator("#f-sort option[value='next']").count() == 0
    assert page.locator("#results .card").count() > 0


def test_the_default_order_heads_what_meets_in_person_and_what_is_only_online(page, fake_directory):
    open_directory(page, fake_directory)
    wait_count(page, 8)
    assert page.locator("#in-person-title").inner_text() == "In person (7)"
    # Not "from anywhere": with no place, online help for one state's people would be among them.
    assert page.locator("#online-title").inner_text() == "Online and by phone (1)"
    online = page.locator("#results section:has(#online-title) .card-title").all_text_contents()
    assert online == ["Fake Anytime Forum"] and names(page)[-1] == "Fake Anytime Forum"
    # Words to match, or another order, mix the two: one list, no headings.
    page.fill("#f-q", "fake")
    wait_count(page, 8)
    page.wait_for_selector("#in-person-title", state="detached")
    assert page.locator("#results .results-section").count() == 0
    page.fill("#f-q", "")
    page.wait_for_selector("#in-person-title")
    page.select_option("#f-sort", "name")
    page.wait_for_selector("#in-person-title", state="detached")
    assert page.locator("#online-title").count() == 0
    # Online only: everything found can be joined online, the hybrid program too; one list.
    open_directory(page, fake_directory, "?online=only")
    wait_count(page, 2)
    assert sorted(names(page)) == ["Fake Anytime Forum", "Fake Capitol Peer Program"]
    assert page.locator("#results .results-section").count() == 0
    assert_clean(page, fake_directory)


def test_the_preloaded_index_and_modules_are_fetched_once(page, fake_directory):
    open_directory(page, fake_directory)
    wait_count(page, 8)
    fetched = [url.removeprefix(fake_directory) for url in page.requests]
    assert fetched.count("/search/index.json") == 1
    modules = [url for url in fetched if url.startswith("/static/") and url.endswith(".js")]
    assert len(modules) == len(set(modules)) and any("/text." in url for url in modules)


INITIALS = {
    "nv/na.yaml": ("Narcotics Anonymous: Fake Sagebrush Region", "Narcotics Anonymous",
                   "A fictional regional service body used only by the test suite."),
    "nv/national.yaml": ("Fake National Peer Network", "", "A fictional network whose title starts with the letters."),
    "nv/banana.yaml": ("Fake Banana Street Circle", "", "A fictional circle whose title holds them inside a word."),
    "nv/aa.yaml": ("Alcoholics Anonymous: Fake Sagebrush Area", "Alcoholics Anonymous",
                   "A fictional general service area used only by the test suite."),
    "nv/saara.yaml": ("Fake SAARA Coalition", "", "A fictional coalition whose title holds two a's in a row."),
    # Both say "veterans"; only the second, later in A–Z, is tagged with that audience.
    "nv/board.yaml": ("Fake Aspen Board", "", "A fictional board whose members include veterans."),
    "nv/line.yaml": ("Fake Zephyr Line", "", "A fictional peer line for veterans.\n        audience: [veterans]"),
    # Tagged with that audience, its text never says the word.
    "nv/quiet.yaml": ("Fake Quiet Harbor", "", "A fictional circle for former service members.\n"
                      "        audience: [veterans]"),
}


@pytest.fixture(scope="module")
def initials_site(tmp_path_factory, serve_dir):
    listings = {path: textwrap.dedent(f"""\
        name: "{name}"
        kind: peer-program
        support_types: [mutual-aid]
        summary: {summary}
        format: in-person
        serves: statewide
        location: {{region: NV, country: US}}
        {f"organization: {organization}" if organization else ""}
        last_verified: 2026-11-01
        source: https://example.org/
        """) for path, (name, organization, summary) in INITIALS.items()}
    with serve_dir(build_listings(tmp_path_factory.mktemp("initials"), listings, "1796000000")) as url:
        yield url


@pytest.mark.parametrize("typed, first, found", [
    # The body whose initials are typed comes first, above a name with a word that starts with them (and Banana
    # Street, which holds them only inside a word, is not found).
    ("NA", "Narcotics Anonymous: Fake Sagebrush Region", 2),
    # Its text holds no "aa": its initials find it (SAARA, which holds the letters inside its name, is not found).
    ("aa", "Alcoholics Anonymous: Fake Sagebrush Area", 1),
    # A word that names an audience: what is tagged with it comes before what only says it.
    ("veteran", "Fake Zephyr Line", 3),
])
def test_a_bodys_initials_or_what_it_is_tagged_with_put_it_first(page, initials_site, typed, first, found):
    open_directory(page, initials_site, f"?q={typed}")
    wait_count(page, found)
    assert names(page)[0] == first


def test_a_word_that_names_a_filters_term_finds_what_is_tagged_with_it_as_it_is_typed(page, initials_site):
    """"secular" found 4 of the 6 listings tagged Secular (two never say the word): a word that names a term finds
    what is tagged with it, the moment it grows long enough to name it (not only after a fresh search), and
    small words typed around it ("for my") change nothing."""
    open_directory(page, initials_site)
    wait_count(page, len(INITIALS))
    page.type("#f-q", "vete", delay=60)
    wait_count(page, 2)
    assert sorted(names(page)) == ["Fake Aspen Board", "Fake Zephyr Line"]
    page.type("#f-q", "ran", delay=60)
    wait_count(page, 3)
    # Its text and its tag, its tag alone, its text alone.
    assert names(page) == ["Fake Zephyr Line", "Fake Quiet Harbor", "Fake Aspen Board"]
    page.fill("#f-q", "help for my veteran")
    page.wait_for_function("() => document.getElementById('result-status').textContent.startsWith('0')")
    page.fill("#f-q", "for my veteran")
    wait_count(page, 3)
    assert names(page) == ["Fake Zephyr Line", "Fake Quiet Harbor", "Fake Aspen Board"]


@pytest.fixture(scope="module")
def languages_site(tmp_path_factory, serve_dir):
    listings = {f"nv/{slug}.yaml": textwrap.dedent(f"""\
        name: "{name}"
        kind: peer-program
        support_types: [mutual-aid]
        summary: A fictional circle used only by the test suite.
        format: in-person
        serves: statewide
        location: {{region: NV, country: US}}
        languages: {languages}
        last_verified: 2026-11-01
        source: https://example.org/
        """) for slug, name, languages in [("both", "Fake Both Circle", "[en, es]"),
                                            ("english", "Fake English Circle", "[en]"),
                                            ("spanish", "Fake Spanish Circle", "[es]")]}
    with serve_dir(build_listings(tmp_path_factory.mktemp("languages"), listings, "1796000000")) as url:
        yield url


def test_a_card_names_its_languages_when_one_is_not_english(browser, page, languages_site):
    """A promotora looking down a list for help in Spanish sees it on the card, the page's and the script's."""
    expected = {"Fake Both Circle": ["English, Spanish"], "Fake English Circle": [], "Fake Spanish Circle": ["Spanish"]}
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{languages_site}/regions/nv/")
        spans = plain.locator(".card").evaluate_all(LANGUAGE_SPANS)
    finally:
        context.close()
    assert spans == expected
    open_directory(page, languages_site)
    wait_count(page, 3)
    assert page.locator("#results .card").evaluate_all(LANGUAGE_SPANS) == expected


LANGUAGE_SPANS = """(cards) => Object.fromEntries(cards.map((card) => [card.querySelector('.card-title').textContent,
  [...card.querySelectorAll('.card-meta span')].map((s) => s.textContent).filter((t) => /English|Spanish/.test(t))]))"""
