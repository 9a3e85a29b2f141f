"""The embeddable directory, in real Chromium: the builder page makes a snippet, the snippet is pasted into
a blank page served from another origin (a second localhost port), and the widget works there."""
from __future__ import annotations

import re
from urllib.parse import urlsplit
from pathlib import Path

import pytest

from generator.pipeline import build_site
from test_search_browser import write_fake_content

MESSAGE = "peer-support-directory:height"


@pytest.fixture(scope="module")
def widget_site(repo_root: Path, tmp_path_factory, serve_dir):
    """Build and serve the fake directory of the search tests; yield its base URL."""
    root = tmp_path_factory.mktemp("embed")
    build_site(write_fake_content(root, repo_root), root / "output")
    with serve_dir(root / "output") as url:
        yield url


def host_page(folder: Path, snippet: str) -> None:
    """Write a blank page of another organization's site holding exactly the pasted snippet."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host organization</title>"
        "<link rel=\"icon\" href=\"data:,\"></head>\n<body>\n<h1>Our recovery community centre</h1>\n"
        f"{snippet}\n<p id=\"after\">Text after the directory.</p>\n</body></html>\n", encoding="utf-8")


def snippet_from_builder(page, site: str) -> str:
    """Choose Connecticut, in person only, the map from the start, a dark theme and an accent on the builder page;
    return its snippet."""
    page.goto(f"{site}/widget/")
    page.wait_for_selector("#preview iframe")
    page.select_option("#b-region", "CT")
    page.select_option("#b-online", "exclude")
    page.select_option("#b-map", "on")
    page.select_option("#b-theme", "dark")
    page.fill("#b-accent", "#ff8800")  # a color input takes a value like this; "change" follows
    page.dispatch_event("#b-accent", "change")
    page.fill("#b-title", "Peer support in Connecticut")
    page.wait_for_function("document.getElementById('snippet').value.includes('Peer support in Connecticut')")
    return page.input_value("#snippet")


def frame_height(page) -> float:
    return page.locator("iframe").bounding_box()["height"]


def frame_status(frame) -> str:
    return frame.locator("#result-status").text_content()


def wait_status(frame, text: str) -> None:
    frame.wait_for_function("([text]) => document.getElementById('result-status')?.textContent === text",
                            arg=[text])


def embedded(page, selector: str = "iframe"):
    """Return the Playwright Frame of the (current) embedded directory."""
    return page.locator(selector).element_handle().content_frame()


@pytest.fixture
def pasted(page, widget_site, serve_dir, tmp_path):
    """The builder's snippet, pasted into a blank page on a second localhost port: yield (page, host URL, snippet)."""
    snippet = snippet_from_builder(page, widget_site)
    host_page(tmp_path / "host", snippet)
    with serve_dir(tmp_path / "host") as host:
        assert host != widget_site  # another port: another origin
        page.console_errors.clear()
        page.requests.clear()
        page.set_viewport_size({"width": 700, "height": 900})  # a typical content column: filters above results
        page.goto(f"{host}/")
        yield page, host, snippet


def test_builder_snippet_is_one_script_tag_with_the_choices(page, widget_site):
    snippet = snippet_from_builder(page, widget_site)
    assert re.fullmatch(r'<script async src="http://127\.0\.0\.1:\d+/embed\.js"( data-[a-z]+="[^"<>]*")+></script>',
                        snippet), snippet
    for attribute in ('data-region="CT"', 'data-online="exclude"', 'data-map="on"', 'data-theme="dark"', 'data-accent="#ff8800"',
                      'data-title="Peer support in Connecticut"'):
        assert attribute in snippet
    # The live preview is that snippet, run: a frame of /embed/ with the same presets.
    preview = page.frame_locator("#preview iframe")
    wait_status(embedded(page, "#preview iframe"), "3 listings found")
    assert preview.locator("#f-region").input_value() == "CT"


def test_builder_copies_the_snippet(browser, widget_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        snippet = snippet_from_builder(page, widget_site)
        page.click("#copy")
        page.wait_for_function("document.getElementById('copy-status').textContent.startsWith('Copied')")
        assert page.evaluate("navigator.clipboard.readText()") == snippet
    finally:
        context.close()


def test_pasted_snippet_embeds_a_titled_frame_with_the_presets(pasted, widget_site):
    page, host, _ = pasted
    frame_element = page.locator("iframe")
    assert frame_element.get_attribute("title") == "Peer support in Connecticut"
    src = frame_element.get_attribute("src")
    assert src.startswith(f"{widget_site}/embed/?") and f"origin={host.replace(':', '%3A').replace('/', '%2F')}" in src
    assert "map=1" in src
    frame = page.frame_locator("iframe")
    inner = embedded(page)
    wait_status(inner, "3 listings found")
    assert frame.locator("#f-region").input_value() == "CT"
    assert frame.locator("#f-online").input_value() == "exclude"
    assert sorted(frame.locator("#results .card-title").all_text_contents()) == [
        "Fake Capitol Peer Program", "Fake Hartford Tuesday Group", "Fake New Haven SMART Meeting"]
    # The map, asked for by data-map, is drawn from the directory's own files (the origins are checked below).
    inner.wait_for_selector("#map .map-marker")
    assert frame.locator("#map-toggle").get_attribute("aria-expanded") == "true"
    # Dark theme, and the accent made readable on it (orange is light enough on a dark background).
    assert inner.evaluate("document.documentElement.dataset.theme") == "dark"
    assert inner.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()") == "#ff8800"
    assert page.locator("#after").is_visible()
    assert page.console_errors == []
    assert {re.match(r"https?://[^/]+", url).group(0) for url in page.requests} == {host, widget_site}


def test_pasted_frame_resizes_to_its_content_and_search_works_inside(pasted, widget_site):
    page, _, _ = pasted
    inner = embedded(page)
    wait_status(inner, "3 listings found")
    content_height = lambda: inner.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    page.wait_for_function("([h]) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) < 2",
                           arg=[content_height()])
    tall = frame_height(page)
    assert tall != 640  # no longer the starting height
    history_length = page.evaluate("history.length")
    page.frame_locator("iframe").locator("#f-q").fill("new haven")
    wait_status(inner, "1 listing found")
    assert page.frame_locator("iframe").locator("#results .card-title").all_text_contents() == [
        "Fake New Haven SMART Meeting"]
    page.wait_for_function("([h]) => document.querySelector('iframe').getBoundingClientRect().height < h - 50",
                           arg=[tall])
    assert abs(frame_height(page) - content_height()) < 2
    # The frame keeps its own history entry: the host page's back button is not taken over.
    assert page.evaluate("history.length") == history_length
    # The visitor's search after '#', never sent; the frame's own settings in the query, from its host page.
    address = urlsplit(inner.url)
    assert "q=new+haven" in address.fragment and "origin=" not in address.fragment
    assert "origin=" in address.query and "theme=dark" in address.query and "q=" not in address.query


def test_clear_returns_to_the_presets(pasted, widget_site):
    page, _, _ = pasted
    inner = embedded(page)
    wait_status(inner, "3 listings found")
    frame = page.frame_locator("iframe")
    frame.locator("#f-q").fill("hartford")
    wait_status(inner, "2 listings found")
    frame.locator("#f-clear").click()  # beside the chips: the panel with "Clear all filters" is folded here
    wait_status(inner, "3 listings found")
    assert frame.locator("#f-region").input_value() == "CT" and frame.locator("#f-q").input_value() == ""


def test_listing_links_open_the_main_site_in_a_new_tab(pasted, widget_site):
    page, host, _ = pasted
    inner = embedded(page)
    wait_status(inner, "3 listings found")
    link = page.frame_locator("iframe").locator("#results .card-title a", has_text="Fake Hartford Tuesday Group")
    assert (link.get_attribute("target"), link.get_attribute("rel")) == ("_blank", "noopener")
    with page.context.expect_page() as new_tab:
        link.click()
    opened = new_tab.value
    opened.wait_for_load_state()
    assert opened.url == f"{widget_site}/listings/fake-hartford-tuesday/"
    assert page.url == f"{host}/"  # the host page stays where it was
    assert opened.evaluate("window.opener") is None


def test_height_messages_from_anyone_else_are_ignored(pasted, widget_site):
    page, _, _ = pasted
    inner = embedded(page)
    wait_status(inner, "3 listings found")
    page.wait_for_timeout(300)
    before = frame_height(page)
    # The host page itself (the wrong origin, not the frame) claims a height: embed.js ignores it.
    page.evaluate("([type]) => window.postMessage({type, height: 40}, '*')", [MESSAGE])
    page.wait_for_timeout(300)
    assert frame_height(page) == before


def test_theme_parameters_are_validated(page, widget_site):
    # Not a colour: ignored, so the default accent stays; an unknown theme is ignored too.
    page.goto(f"{widget_site}/embed/?theme=light&accent=red;}}body{{display:none")
    page.wait_for_selector("#filters:not([hidden])")
    accent = "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
    assert page.evaluate(accent) == "#0b5e75"
    assert page.locator("body").is_visible()
    page.goto(f"{widget_site}/embed/?theme=sepia&accent=%23ffff00")
    page.wait_for_selector("#filters:not([hidden])")
    assert page.evaluate("document.documentElement.dataset.theme") is None
    # Yellow on white is unreadable: the accent is darkened until links reach 4.5:1 against the background.
    color = page.evaluate(accent)
    assert re.fullmatch(r"#[0-9a-f]{6}", color) and color != "#ffff00"
    background = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()")
    assert contrast(color, background) >= 4.5


def contrast(a: str, b: str) -> float:
    def luminance(hex_color: str) -> float:
        channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_filter_of_the_directory_is_a_preset(page, widget_site, serve_dir, tmp_path):
    """The builder offers each of the directory's filters, and embed.js passes each on (cost here, as well)."""
    page.goto(f"{widget_site}/widget/")
    page.wait_for_selector("#preview iframe")
    offered = page.locator("#builder select[data-preset]").evaluate_all("(all) => all.map((s) => s.name)")
    assert offered == ["region", "type", "kind", "format", "audience", "language", "cost", "online"]
    page.select_option("#b-cost", "donation")
    page.wait_for_function("document.getElementById('snippet').value.includes('data-cost=\"donation\"')")
    # An attribute of the host's own (a script loader's, say) is passed on harmlessly: the frame ignores it.
    snippet = page.input_value("#snippet").replace("<script async", '<script data-cfasync="false" async')
    host_page(tmp_path / "host", snippet)
    with serve_dir(tmp_path / "host") as host:
        page.goto(f"{host}/")
        inner = embedded(page)
        inner.wait_for_selector("#filters:not([hidden])")
        assert inner.locator('input[name="cost"][value="donation"]').is_checked()
        assert not inner.locator('input[name="cost"][value="free"]').is_checked()
        assert page.console_errors == []


@pytest.fixture(scope="module")
def many_site(tmp_path_factory, serve_dir):
    """Twelve fake groups in one state."""
    from helpers import build_listings

    listings = {f"nv/fake-{n}.yaml": f"""\
        name: Fake Desert Group {n:02d}
        kind: local-group
        support_types: [12-step]
        summary: A fictional group used only by the test suite.
        format: in-person
        location: {{city: Reno, region: NV, country: US}}
        last_verified: 2026-11-01
        source: https://example.org/
        """ for n in range(12)}
    with serve_dir(build_listings(tmp_path_factory.mktemp("many"), listings, "1796000000")) as url:
        yield url


def test_an_embedded_directory_shows_ten_cards_at_a_time_so_its_frame_stays_short(browser, many_site):
    """The frame grows to its content: fifty cards on a phone made it 20,000 px tall, the host page's own text
    after it out of reach. The directory itself still shows fifty."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{many_site}/embed/?region=NV")
        page.locator("#results .card").nth(9).wait_for()
        page.wait_for_timeout(300)
        assert page.locator("#results .card").count() == 10
        more = page.locator("#show-more")
        assert more.inner_text() == "Show the last 2"
        more.click()
        page.locator("#results .card").nth(11).wait_for()
        page.goto(f"{many_site}/directory/?region=NV")
        page.locator("#results .card").nth(11).wait_for()
        assert page.locator("#show-more").count() == 0
    finally:
        context.close()
