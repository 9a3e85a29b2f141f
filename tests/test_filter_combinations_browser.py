"""Every combination of state, online setting and support type, opened from the address in Chromium.

A filtered address used to show every listing, unfiltered, when the state (or online setting) had no
listing of the chosen type (/directory/?region=CT&online=exclude&type=family-support showed all 65 cards
while the state read "Connecticut (2)"). This module opens every combination of a state that has a
listing (and no state) × include / exclude / only online × every support type of the taxonomy (and no
type), in the directory and in the embed (whose presets are its URL's parameters), and checks what the
page shows against what Python expects from the built site's /api/listings.json:

- the status line, "N listings found";
- the cards, in order: the first 50 (the page shows 50, then "Show more"), and the "Show more" button
  naming how many remain; with "Best match" and no words or place, listings in the chosen state come
  first, then those from elsewhere or online only, each in name order;
- the count beside the chosen support type's checkbox;
- the state, online setting and type the form shows.

The expected results follow directory.js (scopesFor, baseFilter, filterRecords): a listing is loaded when
it is in a chosen scope (its state's, or "online" for a listing people can join online: format online or
hybrid); it matches a state when its location's region is that state, or, unless online=exclude, when it
can be joined online, or when it also serves that state (also_serves); online=exclude drops online-only listings (hybrid ones stay in their state);
online=only keeps only listings that can be joined online, from any state, except an online-only listing that
names its state (it is for that state's people alone); a listing that serves the whole country (serves: nationwide)
is in every state; a support type keeps listings that have it.

How it stays fast (under a minute on 2 cores, most of it the fake directory's 288 page loads):

- The small fake directory, built with one record per shard file so that results arrive in stages, opens
  every combination as a new page, the way a shared link, a bookmark or an embed's frame opens it: that
  is the path the bug was on (a first stage that loads nothing). Each page is loaded in a hidden frame of
  the site's about page (two at a time) rather than by page.goto: the same fresh document, at about half
  the cost. The frame is not drawn; the test reads what directory.js writes into the page, which does not
  depend on layout. (netlify.toml lets only the embed be framed, so this site is served with caching
  headers only.)
- The starter site has 828 combinations per page: a page load each, in both pages, would take about
  four minutes here. Its directory and embed each get one page load, then reach every combination through
  the address alone: the test pushes the address and sends a popstate event, exactly what the back and
  forward buttons do, and directory.js reads the whole state from the address's fragment again. Its data is
  then already in memory, so this checks the filters, order and counts on real data, while the fake
  directory checks loading into a fresh page. The page is not drawn while it runs (display: none), for
  the same reason and at the same saving.
- The directory and the embed run at once, each in its own browser context; data files are cached.
- The status line is announced 250 ms after the results change (so a screen reader is not flooded while
  someone types); an init script shortens that one delay to 0. It changes when the line appears, not
  what it says.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from generator.netlify_headers import HeaderRule, load_header_rules
from generator.pipeline import build_site
from generator.static_server import serve_directory
from test_search_browser import write_fake_content

pytestmark = pytest.mark.browser

ONLINE_SETTINGS = ("include", "exclude", "only")

# The longest a combination may take to settle. It only bounds a broken page (a settled one returns at once):
# 3 s ran out on a machine whose two cores also ran builds and another Chromium.
SETTLE_MS = 15_000

# directory.js announces the status line 250 ms after the results; nothing else in its pages waits 250 ms.
SHORTEN_ANNOUNCE_DELAY = """(() => {
  const later = window.setTimeout;
  window.setTimeout = (callback, delay, ...args) => later(callback, delay === 250 ? 0 : delay, ...args);
})();"""

# Functions run in the browser. settle(w, …) waits until the page in window `w` has settled on its results,
# and reports what it shows. Settled: the status line says "… found" (not "so far"), and the chosen type's
# count is filled in. A page that never settles is reported as it stands (timedOut); after a few of those,
# the rest get a short wait, so a broken page fails in seconds rather than minutes.
BROWSER_FUNCTIONS = """
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let timeouts = 0;

async function settle(w, type, timeout) {
  const doc = w.document;
  const end = performance.now() + (timeouts >= 5 ? 200 : timeout);
  const status = () => doc.getElementById("result-status")?.textContent ?? "";
  const countOf = () => {
    const box = type && doc.querySelector(`fieldset[data-facet="type"] input[value="${type}"]`);
    return box ? box.parentElement.querySelector("[data-count]").textContent : null;
  };
  const snapshot = (timedOut) => ({
    timedOut, status: status(), typeCount: countOf(),
    titles: [...doc.querySelectorAll("#results .card-title")].map((title) => title.textContent.trim()),
    more: doc.getElementById("show-more")?.textContent.trim() ?? null,
    region: doc.getElementById("f-region")?.value ?? null,
    online: doc.getElementById("f-online")?.value ?? null,
    types: [...doc.querySelectorAll('fieldset[data-facet="type"] input:checked')].map((box) => box.value),
  });
  while (!(/ found(,|$)/.test(status()) && (!type || countOf()))) {
    if (performance.now() > end) { timeouts++; return snapshot(true); }
    await sleep(5);
  }
  return snapshot(false);
}

// Reach each address in this window as the back and forward buttons do: push it, send popstate.
async function byAddress({queries, timeout}) {
  document.documentElement.style.display = "none";
  const results = [];
  for (const [query, type] of queries) {
    // Clear what the last combination left, so only this one's results can end the wait.
    document.getElementById("result-status").textContent = "";
    for (const count of document.querySelectorAll("[data-count]")) count.textContent = "";
    history.pushState(null, "", location.pathname + query.replace("?", "#")); // a search lives after '#'
    dispatchEvent(new PopStateEvent("popstate"));
    results.push(await settle(window, type, timeout));
  }
  return results;
}

// Open each address as a new page, in hidden frames of this page (a fresh document each time), `frames` at once.
async function byPageLoad({path, queries, timeout, frames}) {
  const results = [];
  let next = 0;
  async function work() {
    const frame = document.createElement("iframe");
    frame.style.display = "none";
    document.body.append(frame);
    while (next < queries.length) {
      const i = next++;
      const [query, type] = queries[i];
      const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, {once: true}));
      frame.src = path + query;
      await loaded;
      results[i] = await settle(frame.contentWindow, type, timeout);
    }
    frame.remove();
  }
  await Promise.all(Array.from({length: frames}, work));
  return results;
}
"""


def start(page, function: str, args: dict) -> None:
    """Start a browser function in the page without waiting for it (so two pages can work at once)."""
    page.evaluate(f"(args) => {{ {BROWSER_FUNCTIONS}\n window.__combinations = {function}(args); }}", args)


def finish(page) -> list[dict]:
    """Wait for the function started in the page; return its results."""
    return page.evaluate("() => window.__combinations")


# --------------------------------------------------------------------------- what the page should show

PAGE_SIZE = 50  # cards shown before "Show more" (directory.js PAGE_SIZE)
EMBED_PAGE_SIZE = 10  # in the embed, whose frame grows to its content


def page_size(path: str) -> int:
    return EMBED_PAGE_SIZE if path.startswith("/embed") else PAGE_SIZE


def load_listings(site: Path) -> list[dict]:
    """Return the listings of /api/listings.json, in name order (the order directory.js breaks ties by)."""
    return json.loads((site / "api" / "listings.json").read_text(encoding="utf-8"))["listings"]


def support_types(site: Path) -> list[str]:
    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    return [slug for slug, _ in index["vocabulary"]["support_types"]]


def expected_names(listings: list[dict], region: str, online: str, type_: str) -> list[str]:
    """Return the names of the listings the filters keep, in the order the page lists them."""
    found = []
    for position, listing in enumerate(listings):
        home = (listing.get("location") or {}).get("region") or ""
        states = {home, *listing.get("also_serves", [])} if home else set()  # its own and those it also serves
        joinable = listing["format"] in ("online", "hybrid")
        online_only = listing["format"] == "online"
        state_only = (online_only and bool(home) and listing.get("serves") != "nationwide"  # for its state's people
                      and (listing.get("online") or {}).get("open_to") != "anyone")  # not a meeting anyone can join
        # Loaded at all: the listing is in one of the chosen scopes (scopesFor).
        # A listing that serves the whole country has a scope of its own, loaded unless online=only.
        nationwide = listing.get("serves") == "nationwide"
        scopes = ({"online"} if online == "only" else ({region} if region else {"any state"}) | {"national"}
                  | ({"online"} if online == "include" else set()))
        mine = ({"national"} if nationwide else states | {"any state"} if home else set()) | ({"online"} if joinable else set())
        if not scopes & mine:
            continue
        # baseFilter: the online setting, then the state (a listing joinable online may be from anywhere).
        if online == "only" and not joinable or online == "exclude" and online_only:
            continue
        outside = bool(region) and region not in states and not nationwide  # nationwide: found in every state
        if outside and not (online != "exclude" and joinable and not state_only):
            continue
        if type_ and type_ not in listing["support_types"]:
            continue
        # "Best match" without words or a place: listings in the chosen state first, then those from
        # elsewhere or online only, each in name order.
        found.append((outside or online_only, position, listing["name"]))
    return [name for *_, name in sorted(found)]


def combinations(site: Path) -> list[tuple[str, str, str]]:
    """Return (state, online setting, support type) for every state with a listing (and none) and every type."""
    states = sorted({(l.get("location") or {}).get("region") for l in load_listings(site)} - {None, ""})
    return [(region, online, type_) for region in ["", *states] for online in ONLINE_SETTINGS
            for type_ in ["", *support_types(site)]]


def query(region: str, online: str, type_: str) -> str:
    params = [(name, value) for name, value in (("region", region), ("online", online), ("type", type_))
              if value and (name, value) != ("online", "include")]
    return "?" + urlencode(params) if params else ""


def problems(site: Path, combos: list[tuple[str, str, str]], seen: list[dict], size: int) -> list[str]:
    """Compare what the page showed for each combination with what it should show (`size` cards before "Show
    more"); one line per mismatch."""
    listings = load_listings(site)
    found = []
    for (region, online, type_), shown in zip(combos, seen, strict=True):
        names = expected_names(listings, region, online, type_)
        rest = len(names) - size
        want = {"status": f"{len(names)} {'listing' if len(names) == 1 else 'listings'} found",
                "titles": names[:size],
                "more": (f"Show {size} more of {rest} remaining" if rest > size else
                         "Show the last one" if rest == 1 else f"Show the last {rest}") if rest > 0 else None,
                "typeCount": f"({len(names)})" if type_ else None,
                "region": region, "online": online, "types": [type_] if type_ else [],
                "timedOut": False}
        wrong = {key: (shown[key], value) for key, value in want.items() if shown[key] != value}
        if wrong:
            found.append(f"{query(region, online, type_) or '(no filters)'}: " + "; ".join(
                describe(key, got, expected) for key, (got, expected) in wrong.items()))
    return found


def describe(key: str, got, expected) -> str:
    if key == "titles":
        extra, missing = sorted(set(got) - set(expected)), sorted(set(expected) - set(got))
        return (f"{len(got)} cards shown, {len(expected)} expected" + (f", extra {extra[:3]}" if extra else "")
                + (f", missing {missing[:3]}" if missing else "") + ("" if extra or missing else ", in another order"))
    if key == "timedOut":
        return "never settled (no 'found' status, or no count by the chosen type)"
    return f"{key} {got!r}, expected {expected!r}"


def report(where: str, found: list[str]) -> str:
    return f"{len(found)} combinations wrong in {where}:\n" + "\n".join(found[:25])


# --------------------------------------------------------------------------- sites and browser


@pytest.fixture(scope="module")
def fake_site(repo_root: Path, tmp_path_factory) -> Path:
    """The search tests' fake directory (Connecticut has no family support, Texas only 12-step), built with
    one record per shard file, so every page load streams its results in stages. Its states are small, so they
    share their files, as a small site's do: the filters alone keep out what the files hold of other states."""
    root = tmp_path_factory.mktemp("combinations")
    content = write_fake_content(root, repo_root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.search_data.CHUNK_SIZE", 1)
        build_site(content, root / "output", workers=1, cache=False)  # in this process: quicker for 8 listings
    return root / "output"


#: For the fake directory, loaded in frames: cacheable like on Netlify, but without netlify.toml's refusal
#: to be framed (only the embed may be framed there; here the frame only gives each address a fresh page).
FRAMES = 2  # pages loading at once in each of the two tabs
CACHED = [HeaderRule("/*", (("Cache-Control", "public, max-age=600"),))]


@pytest.fixture
def tabs(browser):
    """Return a function that opens a page in a context of its own (one per page, so two can work at once,
    each in its own renderer), with the announce delay shortened; console errors go to `page.errors`."""
    contexts = []

    def open_tab():
        context = browser.new_context()
        contexts.append(context)
        context.set_default_timeout(120_000)
        context.add_init_script(SHORTEN_ANNOUNCE_DELAY)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_tab
    for context in contexts:
        context.close()


def run_both(tabs, base: str, how: str, combos: list[tuple[str, str, str]]) -> dict[str, list[dict]]:
    """Visit every combination in the directory and in the embed at once; return what each page showed.

    how: "byPageLoad" (a fresh page per address, in a frame of the site's about page) or "byAddress" (one
    page load, then every address through history and popstate)."""
    queries = [[query(*combo), combo[2]] for combo in combos]
    pages = {}
    for path in ("/directory/", "/embed/"):
        page = pages[path] = tabs()
        if how == "byPageLoad":
            page.goto(base + "/about/")
            start(page, how, {"path": path, "queries": queries, "timeout": SETTLE_MS, "frames": FRAMES})
        else:
            page.goto(base + path + queries[0][0])
            page.wait_for_selector("#filters:not([hidden])")  # shown once directory.js listens for popstate
            start(page, how, {"queries": queries, "timeout": SETTLE_MS})
    seen = {path: finish(page) for path, page in pages.items()}
    for path, page in pages.items():
        assert page.errors == [], f"{path}: {page.errors}"
    return seen


# --------------------------------------------------------------------------- the tests


def test_the_fake_directory_has_a_state_without_some_type(fake_site):
    """The case of the report must be among the combinations: here Connecticut has no family support."""
    listings = load_listings(fake_site)
    assert expected_names(listings, "CT", "exclude", "family-support") == []
    assert expected_names(listings, "CT", "include", "family-support") == []
    assert expected_names(listings, "CT", "include", "") == [
        "Fake Capitol Peer Program", "Fake Hartford Tuesday Group", "Fake New Haven SMART Meeting",
        "Fake Anytime Forum"]  # in the state first, then online only; each in name order
    assert len(expected_names(listings, "", "include", "")) == len(listings) == 8
    assert ("CT", "exclude", "family-support") in combinations(fake_site)
    assert len(combinations(fake_site)) == 4 * 3 * 12  # CT, MA, TX and no state; 11 types and none


def test_every_combination_by_page_load_on_the_fake_directory(tabs, fake_site):
    combos = combinations(fake_site)
    with serve_directory(fake_site, CACHED) as url:
        seen = run_both(tabs, url, "byPageLoad", combos)
    found = {path: problems(fake_site, combos, shown, page_size(path)) for path, shown in seen.items()}
    assert not any(found.values()), "\n".join(report(f"{path} of the fake directory", lines)
                                             for path, lines in found.items() if lines)


def test_every_combination_by_address_on_the_starter_site(tabs, starter_site, repo_root):
    combos = combinations(starter_site)
    with serve_directory(starter_site, load_header_rules(repo_root / "netlify.toml")) as url:
        seen = run_both(tabs, url, "byAddress", combos)
    found = {path: problems(starter_site, combos, shown, page_size(path))
             for path, shown in seen.items()}
    assert not any(found.values()), "\n".join(report(f"{path} of the starter site", lines)
                                             for path, lines in found.items() if lines)


def test_show_more_shows_the_remaining_cards(tabs, starter_site, repo_root):
    listings = load_listings(starter_site)
    assert len(listings) > PAGE_SIZE  # the starter site needs a second page for this test to mean anything
    page = tabs()
    with serve_directory(starter_site, load_header_rules(repo_root / "netlify.toml")) as url:
        page.goto(url + "/directory/")
        for shown in range(PAGE_SIZE, len(listings), PAGE_SIZE):  # each click shows up to PAGE_SIZE more
            page.locator("#show-more").click()
            page.locator("#results .card").nth(min(shown + PAGE_SIZE, len(listings)) - 1).wait_for(
                state="attached", timeout=30_000)
    assert sorted(page.locator("#results .card-title").all_text_contents()) == sorted(l["name"] for l in listings)


@pytest.mark.parametrize("online, sections", [
    ("exclude", {"near-title": ["Fake Capitol Peer Program", "Fake Hartford Tuesday Group",
                                "Fake Springfield Family Circle"]}),
    ("include", {"near-title": ["Fake Capitol Peer Program", "Fake Hartford Tuesday Group",
                                "Fake Springfield Family Circle"], "online-title": ["Fake Anytime Forum"]}),
    # Online only: the hybrid program nearby is one of them, in the one section, not counted and left out.
    ("only", {"online-title": ["Fake Anytime Forum", "Fake Capitol Peer Program"]}),
])
def test_a_place_finds_what_is_near_in_files_other_states_share(tabs, fake_site, online, sections):
    """Here every state shares one file: a place still shows only what is near it and what can be joined online."""
    with serve_directory(fake_site, CACHED) as url:
        page = tabs()
        page.goto(f"{url}/directory/?place=06103&online={online}")
        count = sum(len(names) for names in sections.values())
        # Near a place the count goes on to say how many of them meet in person within the distance.
        near = f", {len(sections['near-title'])} in person within 25 miles" if online != "only" else ""
        page.wait_for_function("([text]) => document.getElementById('result-status').textContent === text",
                               arg=[f"{count} listings found{near}"])
        shown = {heading: sorted(page.locator(f"#results section:has(#{heading}) .card-title").all_text_contents())
                 for heading in ("near-title", "part-title", "online-title")}
        assert {heading: names for heading, names in shown.items() if names} == sections
        assert page.locator("#results .card").count() == count
        assert page.errors == []
