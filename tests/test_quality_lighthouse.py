"""Lighthouse 12 (offline, Debian's Chromium): accessibility, best practices and SEO of at least 0.95
on the home page, the directory and a listing page, and well below on the broken fixture page.

The slowest checks of the suite (about 15 s a page here), so only these four pages. The starter
site is built with the test server's own address as its base URL, so canonical URLs point at the
page Lighthouse loads, as they do on Netlify; it is served with netlify.toml's headers.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import quality
from conftest import CHROMIUM_ARGS, CHROMIUM_PATH
from generator.netlify_headers import load_header_rules
from generator.pipeline import build_site
from generator.static_server import serve_directory
from test_quality_fixtures import BROKEN

pytestmark = pytest.mark.browser

CATEGORIES = ("accessibility", "best-practices", "seo")
THRESHOLD = 0.95


def lighthouse(url: str) -> dict:
    """Run Lighthouse on one URL; return {category: score} and the failed audits under 'failed'."""
    quality.require_tool(quality.LIGHTHOUSE, "Lighthouse (npm lighthouse@12)")
    flags = " ".join(a.replace("--headless", "--headless=new") for a in CHROMIUM_ARGS)
    result = subprocess.run(
        [str(quality.LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        capture_output=True, text=True, timeout=180, env={**os.environ, "CHROME_PATH": str(CHROMIUM_PATH)})
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    scores["failed"] = sorted(f"{ref['id']}: {report['audits'][ref['id']]['title']}"
                              for cat in report["categories"].values() for ref in cat["auditRefs"]
                              if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
                              and report["audits"][ref["id"]]["score"] is not None)
    return scores


@pytest.fixture(scope="module")
def live_site(tmp_path_factory, repo_root: Path):
    """Serve a build of the starter content whose base URL is the server's own address."""
    output = tmp_path_factory.mktemp("lighthouse") / "output"
    output.mkdir()
    with serve_directory(output, load_header_rules(quality.NETLIFY_TOML)) as url:
        build_site(repo_root / "content", output, base_url=url + "/")
        yield url, output


def first_listing(output: Path) -> str:
    return "/listings/" + sorted(p.name for p in (output / "listings").iterdir())[0] + "/"


@pytest.mark.parametrize("which", ["home", "directory", "listing"])
def test_lighthouse_scores_at_least_095(live_site, which):
    url, output = live_site
    path = {"home": "/", "directory": "/directory/", "listing": first_listing(output)}[which]
    scores = lighthouse(url + path)
    low = {name: scores[name] for name in CATEGORIES if scores[name] < THRESHOLD}
    assert low == {}, f"{path}: {low}; failed audits: {scores['failed']}"


def test_lighthouse_scores_the_broken_page_below_095():
    with serve_directory(BROKEN, load_header_rules(quality.NETLIFY_TOML)) as url:
        scores = lighthouse(url + "/")
    assert all(scores[name] < THRESHOLD for name in CATEGORIES), scores
