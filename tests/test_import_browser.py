"""An imported directory in real Chromium, at phone size: a listing's meetings read without sideways
scrolling, and the directory leads with the meeting that is on now."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import build_site
from test_import import FEED

PHONE = {"width": 390, "height": 844}


def import_and_build(root: Path, repo_root: Path, *feeds: list) -> Path:
    """Import each made-up feed in turn into a copy of the starter taxonomy, build it; return the output."""
    content = root / "content"
    (content / "listings").mkdir(parents=True)
    (content / "taxonomy.yaml").write_bytes((repo_root / "content" / "taxonomy.yaml").read_bytes())
    feed = root / "feed.json"
    for meetings in feeds:
        feed.write_text(json.dumps(meetings), encoding="utf-8")
        assert main(["import", "meeting-guide", str(feed), "--content", str(content), "--name", "example-intergroup",
                     "--organization", "Example Intergroup"]) == 0
    build_site(content, root / "output")
    return root / "output"


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory, repo_root: Path, serve_dir):
    """Import the made-up feed into a copy of the starter taxonomy, build it and serve it; yield its URL."""
    root = tmp_path_factory.mktemp("imported")
    import_and_build(root, repo_root, FEED)
    with serve_dir(root / "output") as url:
        yield url


def phone_page(browser, moment: str):
    context = browser.new_context(viewport=PHONE, timezone_id="America/New_York")
    page = context.new_page()
    page.clock.set_fixed_time(moment)
    return context, page


def test_a_listings_meetings_fit_a_phone(browser, imported_site):
    context, page = phone_page(browser, "2026-11-19T23:00:00Z")
    try:
        page.goto(f"{imported_site}/listings/example-serenity-group-hartford/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        rows = page.locator("table.schedule tbody tr")
        assert rows.count() == 3
        second = " ".join(rows.nth(1).inner_text().split())
        assert second == (
            "Thursday 7:30 PM Eastern Time Serenity Big Book · Closed, Big Book Side door.")
        assert page.get_by_text("From Example Intergroup's meeting list, updated 2 October 2026.").is_visible()
    finally:
        context.close()


def test_the_directory_leads_with_the_meeting_on_now(browser, imported_site):
    # Thursday 19 November 2026, 19:45 in Connecticut: the Big Book meeting (19:30) is on.
    context, page = phone_page(browser, "2026-11-20T00:45:00Z")
    try:
        page.goto(f"{imported_site}/directory/?sort=next")
        page.wait_for_function("document.getElementById('result-status').textContent.endsWith('found')")
        first = page.locator("#results .card").first
        assert first.locator(".card-title").inner_text() == "Example Serenity Group"
        assert " ".join(first.locator(".card-next").inner_text().split()) == "Meeting now, until 8:30 PM EST"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


@pytest.fixture(scope="module")
def gone_site(tmp_path_factory, repo_root: Path, serve_dir):
    """The made-up feed imported, then imported again without the Serenity Group's meetings (flagged removed)."""
    root = tmp_path_factory.mktemp("gone")
    import_and_build(root, repo_root, FEED, [m for m in FEED if str(m["id"]) not in ("101", "102")])
    with serve_dir(root / "output") as url:
        yield url


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}])
def test_a_group_gone_from_its_list_is_not_offered_as_meeting(browser, gone_site, viewport, tmp_path):
    # Thursday 19 November 2026, 18:00 in Connecticut: the Big Book meeting (19:30) would be next, today.
    context = browser.new_context(viewport=viewport, timezone_id="America/New_York")
    page = context.new_page()
    page.clock.set_fixed_time("2026-11-19T23:00:00Z")
    try:
        page.goto(f"{gone_site}/directory/?q=serenity")
        page.wait_for_function("document.getElementById('result-status').textContent.endsWith('found')")
        card = page.locator("#results .card").first
        assert card.locator(".card-title").inner_text() == "Example Serenity Group"
        assert card.locator(".card-next").count() == 0
        assert card.locator(".gone-note").inner_text() == "May have stopped meeting: no longer in the list it came from"
        page.screenshot(path=str(tmp_path / f"card-{viewport['width']}.png"), full_page=True)
        page.goto(f"{gone_site}/directory/?today=1")
        page.wait_for_function("document.getElementById('result-status').textContent.endsWith('found')")
        assert "Example Serenity Group" not in page.locator("#results .card-title").all_text_contents()
        page.goto(f"{gone_site}/listings/example-serenity-group-hartford/")
        note = page.locator(".listing-header .note")
        assert re.fullmatch(r"May have stopped meeting\. It was no longer in Example Intergroup's meeting list on "
                            r"\d+ \w+ 20\d\d: check with the group before you go\.", " ".join(note.inner_text().split()))
        assert note.bounding_box()["y"] < viewport["height"]  # in the first screen
        assert page.locator(".next-meeting, [data-next-meeting]").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(tmp_path / f"page-{viewport['width']}.png"))
    finally:
        context.close()
