"""netlify.toml's security headers on every address: the policy and framing headers reach every response,
/embed/ (and /es/embed/) may be framed by any site and nothing else by any.

What Netlify sends when two matching rules set the same header is not documented, so each check runs
under every reading (generator.netlify_headers.MERGES): every value sent (a browser enforces both
policies), the later rule's value kept (Netlify's parser and `netlify dev`), the earlier one kept.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import quality
from generator.netlify_headers import MERGES, headers_for_path, load_header_rules


@pytest.fixture(scope="module")
def rules(repo_root: Path):
    return load_header_rules(repo_root / "netlify.toml")


def page_urls(site: Path) -> list[str]:
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        urls.append("/" + rel.removesuffix("index.html"))
        if rel.endswith("index.html"):
            urls.append("/" + rel)  # the same page, asked for by its file name
    return urls


# Addresses of every kind a visitor can ask for; those the site does not have get its 404 page.
OTHER_ADDRESSES = ["/", "/index.html", "/favicon.ico", "/embed.js", "/robots.txt", "/sitemap.xml",
                   "/api/listings.json", "/api/regions/ct.json", "/feeds/listings.atom", "/search/index.json",
                   "/nonexistent/", "/api/nope", "/listings/no-such/", "/static/", "/embed/no-such/", "/embedded/",
                   "/EMBED/x", "/404.html", "/%3Cscript%3E/", "/a b/ünïcödé/", "/..%2f..%2fetc/passwd",
                   "/listings/x/?q=1", "//double//slash", "/" + "long-" * 200]


def assert_not_frameable(rules, urls: list[str]) -> None:
    for merge in MERGES:
        for url in urls:
            headers = headers_for_path(rules, url, merge)
            assert not quality.may_be_framed(headers), (merge, url, headers)
            assert quality.header_problems(headers) == [], (merge, url)


def is_embed(url: str) -> bool:
    """Return whether an address is the embeddable directory's, in the first language or another (/es/embed/)."""
    return re.fullmatch(r"(/[a-z-]+)?/embed/?(index\.html)?", url.lower()) is not None


def test_every_page_but_the_embed_refuses_to_be_framed(rules, starter_site):
    urls = [u for u in page_urls(starter_site) if not is_embed(u)]
    assert "/" in urls and "/listings/smart-recovery/" in urls and "/widget/" in urls and "/404.html" in urls
    assert_not_frameable(rules, urls)


def test_every_other_file_and_every_address_the_site_does_not_have_refuses_to_be_framed(rules, starter_site):
    """Assets, open data, feeds, and any typo, which Netlify answers with the 404 page."""
    files = ["/" + p.relative_to(starter_site).as_posix() for p in sorted(starter_site.rglob("*"))
             if p.is_file() and not p.name.endswith(".html")]
    assert any(f.startswith("/static/") for f in files) and "/api/listings.json" in files and "/embed.js" in files
    assert_not_frameable(rules, files + OTHER_ADDRESSES)


def test_later_pages_of_long_lists_refuse_to_be_framed(rules, paged_site):
    urls = [u for u in page_urls(paged_site) if "/page/" in u]
    for url in ("/kinds/local-group/page/3/", "/regions/tx/page/2/", "/support-types/12-step/page/2/",
                "/online/page/2/", "/online/12-step/page/2/index.html"):
        assert url in urls
    assert_not_frameable(rules, urls)


@pytest.mark.parametrize("merge", ["all", "later"])
def test_the_embed_may_be_framed_by_any_site(rules, starter_site, merge):
    assert (starter_site / "embed" / "index.html").is_file()
    for url in ("/embed/", "/embed/index.html", "/embed", "/es/embed/", "/es/embed/index.html", "/es/embed"):
        headers = headers_for_path(rules, url, merge)
        assert quality.may_be_framed(headers), (url, headers)
        assert quality.header_problems(headers) == [], url


def test_if_netlify_kept_the_earlier_value_the_embed_would_break_but_nothing_would_open(rules):
    """The one reading the rules are not right under (no evidence for it): it fails closed."""
    headers = headers_for_path(rules, "/embed/", "first")
    assert not quality.may_be_framed(headers) and quality.header_problems(headers) == []


def test_no_header_but_the_policy_is_set_by_two_rules_for_any_address(rules, starter_site):
    """Where two matching rules set one header, what a visitor gets depends on the reading; only the
    embed's Content-Security-Policy may, because it is right under each."""
    for url in page_urls(starter_site) + OTHER_ADDRESSES:
        names = [name.lower() for name, _ in headers_for_path(rules, url)]
        twice = {name for name in names if names.count(name) > 1}
        assert twice <= ({"content-security-policy"} if is_embed(url) else set()), url


@pytest.mark.parametrize("headers, framed", [
    ([("X-Frame-Options", "DENY")], False),
    ([("X-Frame-Options", "SAMEORIGIN")], False),
    ([("Content-Security-Policy", "default-src 'self'")], True),
    ([("Content-Security-Policy", "default-src 'self'; frame-ancestors *"), ("X-Frame-Options", "DENY")], True),
    ([("Content-Security-Policy", "frame-ancestors 'none'"), ("Content-Security-Policy", "frame-ancestors *")], False),
    ([("Content-Security-Policy", "default-src 'self'"), ("Content-Security-Policy", "frame-ancestors *"),
      ("X-Frame-Options", "DENY")], True),
    ([("Content-Security-Policy", "frame-ancestors 'self'")], False),
])
def test_the_framing_check_decides_as_browsers_do(headers, framed):
    assert quality.may_be_framed(headers) is framed


def test_the_rule_paths_are_read_as_netlify_reads_them(rules):
    embed = [rule for rule in rules if "/embed/" in rule.path]
    assert [rule.path for rule in embed] == ["/embed/", "/embed/index.html", "/:lang/embed/", "/:lang/embed/index.html"]
    assert all(rule.pattern.match("/embed/") or rule.pattern.match("/embed/index.html") for rule in embed[:2])
    assert all(rule.pattern.match("/es/embed/") or rule.pattern.match("/pt-br/embed/index.html") for rule in embed[2:])
    assert not any(rule.pattern.match(path) for rule in embed
                   for path in ("/embedded/", "/embed/x/", "/embed.js", "/es/embedded/", "/es/embed/x/", "/a/es/embed/"))


def fetch(url: str):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers.items(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.items(), error.read()


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/listings/smart-recovery/", 200), ("/favicon.ico", 200), ("/api/listings.json", 200),
    ("/embed.js", 200), ("/embed/", 200), ("/nonexistent/", 404), ("/api/nope", 404), ("/listings/no-such/", 404),
    ("/%3Cscript%3Ealert(1)%3C/script%3E/", 404), ("/caf%C3%A9%20%E2%9C%93/", 404),
    ("/es/", 200), ("/es/embed/", 200), ("/es/embed/index.html", 200), ("/es/no-such/", 404),
])
def test_every_kind_of_response_is_sent_with_the_policy_and_framing_headers(netlify_server, path, status):
    """Through the test server, as Netlify answers: a missing address gets the 404 page, with the headers."""
    code, headers, body = fetch(netlify_server + path)
    assert code == status
    assert quality.header_problems(headers) == []
    assert quality.may_be_framed(headers) is path.endswith(("/embed/", "/embed/index.html"))
    if status == 404:  # in the language of the folder the address was in
        assert (b"P\xc3\xa1gina no encontrada" if path.startswith("/es/") else b"Page not found") in body
