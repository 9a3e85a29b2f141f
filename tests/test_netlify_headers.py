"""netlify.toml's [[headers]] rules: matched and merged as Netlify does, and sent by the test server."""
from __future__ import annotations

import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.netlify_headers import headers_for_path, load_header_rules, path_pattern
from generator.static_server import serve_directory

RULES = """\
    [[headers]]
      for = "/*"
      [headers.values]
        Content-Security-Policy = "default-src 'self'; frame-ancestors 'none'"
        Referrer-Policy = "no-referrer"

    [[headers]]
      for = "/embed/*"
      [headers.values]
        content-security-policy = "default-src 'self'; frame-ancestors *"

    [[headers]]
      for = "/listings/:slug/print"
      [headers.values]
        Cache-Control = '''
          public,
          max-age=60'''
"""


@pytest.fixture
def rules(tmp_path: Path):
    toml = tmp_path / "netlify.toml"
    toml.write_text(textwrap.dedent(RULES), encoding="utf-8")
    return load_header_rules(toml)


@pytest.mark.parametrize("rule, path, matches", [
    ("/*", "/", True), ("/*", "/a/b/c.html", True),
    ("/static/*", "/static/site.css", True), ("/static/*", "/static/", True), ("/static/*", "/staticx/a", False),
    ("/static/*", "/other/static/a", False), ("/Static/*", "/static/a", True),
    ("/listings/:slug/", "/listings/x/", True), ("/listings/:slug/", "/listings/x/y/", False),
    ("/about/", "/about", True), ("/about", "/about/", True), ("/about", "/about/us", False),
])
def test_rule_paths_match_as_on_netlify(rule, path, matches):
    assert bool(path_pattern(rule).match(path)) is matches


def test_every_matching_rule_applies_and_a_header_set_twice_is_sent_twice(rules):
    assert headers_for_path(rules, "/directory/") == [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"), ("Referrer-Policy", "no-referrer")]
    assert headers_for_path(rules, "/embed/widget/") == [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"), ("Referrer-Policy", "no-referrer"),
        ("content-security-policy", "default-src 'self'; frame-ancestors *")]


def test_a_multi_line_value_becomes_one_comma_separated_header(rules):
    assert ("Cache-Control", "public, max-age=60") in headers_for_path(rules, "/listings/x/print")


def test_the_server_sends_the_rules_headers_and_404_html_for_a_missing_page(tmp_path, rules):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<!doctype html><title>Home</title>", encoding="utf-8")
    (tmp_path / "site" / "embed").mkdir()
    (tmp_path / "site" / "embed" / "index.html").write_text("<!doctype html><title>Embed</title>", encoding="utf-8")
    (tmp_path / "site" / "404.html").write_text("<!doctype html><title>Not here</title>", encoding="utf-8")

    with serve_directory(tmp_path / "site", rules) as url:
        with urllib.request.urlopen(url + "/") as response:
            home = response.headers
        with urllib.request.urlopen(url + "/embed/") as response:
            embed = response.headers.get_all("Content-Security-Policy")
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "/nowhere/")

    assert home["Referrer-Policy"] == "no-referrer"
    assert home.get_all("Content-Security-Policy") == ["default-src 'self'; frame-ancestors 'none'"]
    assert embed == ["default-src 'self'; frame-ancestors 'none'", "default-src 'self'; frame-ancestors *"]
    assert missing.value.code == 404
    assert missing.value.headers["Referrer-Policy"] == "no-referrer"
    assert b"Not here" in missing.value.read()


def test_the_real_netlify_toml_has_rules_for_every_path(repo_root):
    headers = dict(headers_for_path(load_header_rules(repo_root / "netlify.toml"), "/static/site.0123456789.css"))
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("merge, policy", [("later", "default-src 'self'; frame-ancestors *"),
                                           ("first", "default-src 'self'; frame-ancestors 'none'")])
def test_under_the_later_or_earlier_reading_a_header_two_rules_set_is_sent_once(rules, merge, policy):
    headers = headers_for_path(rules, "/embed/widget/", merge)
    assert [value for name, value in headers if name.lower() == "content-security-policy"] == [policy]
    assert ("Referrer-Policy", "no-referrer") in headers


def test_the_server_sends_the_reading_it_is_given(tmp_path, rules):
    (tmp_path / "site" / "embed").mkdir(parents=True)
    (tmp_path / "site" / "embed" / "index.html").write_text("<!doctype html><title>Embed</title>", encoding="utf-8")
    with serve_directory(tmp_path / "site", rules, merge="later") as url:
        with urllib.request.urlopen(url + "/embed/") as response:
            assert response.headers.get_all("Content-Security-Policy") == ["default-src 'self'; frame-ancestors *"]
