"""The built starter site: every internal link resolves, every page has its basics and the crisis lines."""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from helpers import (ARTICLE, html_pages, new_content, parse_page, run_build_py, write_article,
                     write_sample_site)

IGNORED_SCHEMES = {"tel", "mailto", "sms"}
CRISIS_LINKS = ("tel:911", "tel:988", "tel:+18006624357")  # 911 too: "In an emergency, call 911" dials it


@pytest.fixture(scope="module")
def pages(starter_site: Path) -> dict[str, object]:
    """Every HTML page of the starter site, parsed, keyed by its path in the output."""
    found = {p.relative_to(starter_site).as_posix(): parse_page(p.read_bytes()) for p in html_pages(starter_site)}
    assert "index.html" in found and "404.html" in found
    return found


def page_url(path: str) -> str:
    """Return the URL a page is served at: 'a/index.html' → '/a/', '404.html' → '/404.html'."""
    return "/" + path.removesuffix("index.html")


def target_file(site: Path, url_path: str) -> Path:
    """Return the output file a URL path is served from ('/a/' → a/index.html)."""
    relative = PurePosixPath(unquote(url_path).lstrip("/"))
    if url_path.endswith("/") or not relative.parts:
        relative = relative / "index.html"
    return site.joinpath(*relative.parts)


def internal_target(page: str, link: str) -> str | None:
    """Return the URL path a link points to inside the site, or None for links to skip."""
    parts = urlsplit(link)
    if parts.scheme in IGNORED_SCHEMES:
        return None
    if parts.scheme in ("http", "https") or parts.netloc:
        return None  # another host: the starter site is built without an absolute base URL
    if not parts.path:
        return None  # '#fragment' or '?query' only: the page itself
    assert not parts.scheme, f"{page}: unexpected link scheme in {link!r}"
    return urlsplit(urljoin(page_url(page), link)).path


def test_every_internal_link_resolves(starter_site, pages):
    broken = []
    checked = 0
    for path, parsed in pages.items():
        for link in parsed.links():
            target = internal_target(path, link)
            if target is None:
                continue
            checked += 1
            if not target_file(starter_site, target).is_file():
                broken.append(f"{path}: {link}")
    assert broken == []
    assert checked >= 10 * len(pages)  # sanity: navigation links were found on every page


def test_every_page_has_one_h1_and_a_title(pages):
    for path, parsed in pages.items():
        assert parsed.h1_count == 1, f"{path}: {parsed.h1_count} <h1> elements"
        assert parsed.title.strip(), f"{path}: empty <title>"


def test_every_page_shows_the_crisis_lines(pages):
    for path, parsed in pages.items():
        links = parsed.links()
        for href in CRISIS_LINKS:
            assert href in links, f"{path}: no link to {href}"


def test_the_overdose_guide_calls_911_with_a_tap_in_each_language(pages):
    """On a phone, at the worst moment, "call 911" is a link that dials it."""
    for path in ("articles/what-to-do-in-an-overdose/index.html", "es/articles/what-to-do-in-an-overdose/index.html"):
        assert "tel:911" in pages[path].links(), path


def test_every_listing_and_article_has_a_page(starter_site, repo_root):
    content = repo_root / "content"
    for listing in sorted((content / "listings").rglob("*.yaml")):
        assert (starter_site / "listings" / listing.stem / "index.html").is_file(), listing
    for article in sorted((content / "articles").glob("*.md")):
        slug, _, code = article.stem.partition(".")  # a translation, <slug>.es.md, is the article's page in /es/
        assert (starter_site / code / "articles" / slug / "index.html").is_file(), article


def test_starter_content_passes_check(repo_root):
    # The starter sets no repository or contact (each copy has its own): check says so, and nothing else…
    result = run_build_py("check", cwd=repo_root)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "content/site.yaml: warning: contact: neither repository nor contact is set, so people who find a mistake "
        "have nowhere to send it — add `repository: https://github.com/owner/name` or `contact:` with an email "
        "address or an https:// page to content/site.yaml (or pass --repository)", "0 errors, 1 warning"]
    assert result.stdout.startswith("Content is valid: ")
    # …and given the repository, as the pull-request workflow and Netlify give it, not even that.
    given = run_build_py("check", "--strict", "--repository", "https://github.com/example-org/directory", cwd=repo_root)
    assert (given.returncode, given.stderr) == (0, "")


def test_link_helpers():
    assert page_url("listings/a/index.html") == "/listings/a/"
    assert page_url("404.html") == "/404.html"
    assert internal_target("index.html", "tel:988") is None
    assert internal_target("index.html", "#main") is None
    assert internal_target("index.html", "https://example.org/") is None
    assert internal_target("listings/a/index.html", "../b/") == "/listings/b/"
    assert internal_target("index.html", "/static/site.css?v=1#x") == "/static/site.css"
    assert target_file(Path("/s"), "/") == Path("/s/index.html")
    assert target_file(Path("/s"), "/a/") == Path("/s/a/index.html")
    assert target_file(Path("/s"), "/sitemap.xml") == Path("/s/sitemap.xml")


def test_without_the_articles_the_home_page_names_it_links_to_neither(tmp_path):
    """An adopter deletes the starter articles: the home page leaves out the links to the two it names, which led to
    pages that no longer exist."""
    content = new_content(tmp_path)
    write_sample_site(content)
    write_article(content, "what-is-peer-support.md", ARTICLE.replace("Finding a group that fits", "Fake Peer Support"))
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert "/articles/what-to-do-in-an-overdose/" not in home
    assert '<li>If someone may be overdosing or is in danger, call <a href="tel:911">911</a>.</li>' in home
    assert '<a href="/articles/what-is-peer-support/">Read more about peer support</a>' in home
    (content / "articles" / "what-is-peer-support.md").unlink()
    result = run_build_py("build", "--content", "content", "--output", "output", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert "/articles/what-is-peer-support/" not in home and "Read more about peer support" not in home
    assert '<p>See <a href="/articles/">all articles</a>.</p>' in home
