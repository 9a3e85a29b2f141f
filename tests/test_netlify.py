"""netlify.toml's framing rules: /embed/ may be framed by any site, every other page by none.

Netlify applies every [[headers]] rule whose path matches a request; this reads the rules the same way
(`*` matches anything, `:name` one path segment) and checks each page of the starter build."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest


def rule_pattern(path: str) -> re.Pattern:
    parts = re.split(r"(\*|:[A-Za-z_]+)", path)
    regex = "".join(".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}$")


@pytest.fixture(scope="module")
def rules(repo_root: Path) -> list[tuple[re.Pattern, dict[str, str]]]:
    config = tomllib.loads((repo_root / "netlify.toml").read_text(encoding="utf-8"))
    return [(rule_pattern(rule["for"]), rule["values"]) for rule in config["headers"]]


def headers_for(rules, url_path: str) -> dict[str, list[str]]:
    """Return every value each header gets for a request path, from all matching rules."""
    found: dict[str, list[str]] = {}
    for pattern, values in rules:
        if pattern.match(url_path):
            for name, value in values.items():
                found.setdefault(name.lower(), []).append(value)
    return found


def page_urls(site: Path) -> list[str]:
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        urls.append("/" + rel.removesuffix("index.html"))
        if rel.endswith("index.html"):
            urls.append("/" + rel)  # the same page, asked for by its file name
    return urls


def assert_not_frameable(rules, urls: list[str]) -> None:
    for url in urls:
        headers = headers_for(rules, url)
        assert headers.get("x-frame-options") == ["DENY"], url
        policies = headers.get("content-security-policy", [])
        assert len(policies) == 1 and policies[0].endswith("; frame-ancestors 'none'"), url


def test_every_page_but_the_embed_refuses_to_be_framed(rules, starter_site):
    urls = [u for u in page_urls(starter_site) if not u.startswith("/embed/")]
    assert "/" in urls and "/listings/smart-recovery/" in urls and "/widget/" in urls
    assert_not_frameable(rules, urls)


def test_later_pages_of_long_lists_refuse_to_be_framed(rules, paged_site):
    urls = [u for u in page_urls(paged_site) if "/page/" in u]
    for url in ("/kinds/local-group/page/3/", "/regions/tx/page/2/", "/support-types/12-step/page/2/",
                "/online/page/2/", "/online/12-step/page/2/index.html"):
        assert url in urls
    assert_not_frameable(rules, urls)


def test_the_embed_may_be_framed_by_any_site(rules, starter_site):
    assert (starter_site / "embed" / "index.html").is_file()
    for url in ("/embed/", "/embed/index.html", "/embed/?region=CT"):
        headers = headers_for(rules, url.split("?")[0])
        assert "x-frame-options" not in headers, url
        assert len(headers["content-security-policy"]) == 1, url
        assert headers["content-security-policy"][0].endswith("; frame-ancestors *"), url


def test_the_matcher_reads_netlify_paths():
    assert rule_pattern("/embed/*").match("/embed/") and not rule_pattern("/embed/*").match("/embedded")
    assert rule_pattern("/").match("/") and not rule_pattern("/").match("/about/")
    assert rule_pattern("/a/:id/b").match("/a/x/b") and not rule_pattern("/a/:id/b").match("/a/x/y/b")
