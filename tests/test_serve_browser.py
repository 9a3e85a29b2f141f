"""`serve` in a real browser: an edited listing shows at once, and the pages that list it follow."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.serve_latency import open_connected, rename_listing, start_serve, wait_for_heading, wait_until_up
from bench.synth import write_synthetic
from test_serve import free_port


@pytest.fixture
def served_fake(tmp_path: Path, repo_root: Path):
    """`serve` on a fake directory of 40 listings; yield (content, base URL, log)."""
    content = tmp_path / "content"
    write_synthetic(content, listings=40, articles=2, seed=11)
    port = free_port()
    proc, log = start_serve(content, tmp_path / "output", repo_root / "templates", port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", proc, 120)
        yield content, base, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def region_of(listing: Path) -> str:
    return re.search(r"(?m)^  region: (\w+)$", listing.read_text(encoding="utf-8")).group(1).lower()


def test_an_edited_listing_shows_and_the_lists_follow(served_fake, browser):
    content, base, log = served_fake
    listing = sorted((content / "listings").rglob("*.yaml"))[7]
    own = open_connected(browser, f"{base}/listings/{listing.stem}/")
    region = open_connected(browser, f"{base}/regions/{region_of(listing)}/")
    rename_listing(listing, "Synthetic Renamed In The Browser")
    assert wait_for_heading(own, "Synthetic Renamed In The Browser", timeout=90) is not None
    region.wait_for_function("() => document.body.textContent.includes('Synthetic Renamed In The Browser')",
                             timeout=90_000)
    assert any("Rebuilt" in line for _, line in log.lines)


def test_a_broken_edit_keeps_the_last_good_page(served_fake, browser):
    content, base, log = served_fake
    listing = sorted((content / "listings").rglob("*.yaml"))[3]
    own = open_connected(browser, f"{base}/listings/{listing.stem}/")
    heading = own.evaluate("() => document.querySelector('h1').textContent")
    listing.write_text(listing.read_text(encoding="utf-8").replace("name:", "name: [unclosed", 1), encoding="utf-8")
    own.wait_for_timeout(100)
    for _ in range(900):  # up to 90 s: it returns once serve reports
        if any("last good build is still being served" in line for _, line in log.lines):
            break
        own.wait_for_timeout(100)
    else:
        pytest.fail("serve did not report the broken listing")
    own.wait_for_timeout(500)  # serve reloads the page after each build, good or not
    own.goto(f"{base}/listings/{listing.stem}/")
    assert own.evaluate("() => document.querySelector('h1').textContent") == heading
