"""Chromium smoke test: key pages of the built starter site render cleanly."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

#: Request schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about"}


def first_listing_path(site: Path) -> str:
    """URL path of the first listing page (by folder name) in a built site."""
    listings = sorted(
        folder.name
        for folder in (site / "listings").iterdir()
        if (folder / "index.html").is_file()
    )
    assert listings, f"no listings/<slug>/index.html in {site}"
    return f"/listings/{listings[0]}/"


def off_host_requests(urls: list[str]) -> list[str]:
    """Requests that went anywhere but 127.0.0.1."""
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in LOCAL_SCHEMES
        and urlsplit(url).hostname != "127.0.0.1"
    ]


@pytest.mark.parametrize("which", ["home", "first-listing"])
def test_page_renders_cleanly(which, page, starter_site, starter_server):
    path = "/" if which == "home" else first_listing_path(starter_site)

    response = page.goto(starter_server + path)
    page.wait_for_load_state("networkidle")

    assert response is not None and response.status == 200, f"{path}: {response}"
    headings = page.locator("h1")
    assert headings.count() >= 1, f"{path}: no <h1>"
    assert headings.first.inner_text().strip(), f"{path}: empty <h1>"
    assert "988" in page.inner_text("body"), f"{path}: crisis line 988 not shown"
    assert page.console_errors == [], f"{path}: console errors"
    assert off_host_requests(page.requests) == [], f"{path}: requests left 127.0.0.1"


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_without_the_overdose_article_the_crisis_box_still_says_to_call_911(size, browser, sample_site, serve_dir):
    """The sample site has no 'what-to-do-in-an-overdose' article: the crisis box's last line says to call 911 and
    links nowhere else (it led to a missing page)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        with serve_dir(sample_site) as url:
            page.goto(url + "/")
            last = page.locator(".crisis-panel li").last
            assert last.inner_text() == "If someone may be overdosing or is in danger, call 911."
            assert [a.get_attribute("href") for a in last.locator("a").all()] == ["tel:911"]
            assert last.is_visible()
    finally:
        context.close()
