"""Search and sharing: canonical URLs, descriptions, Open Graph, schema.org JSON-LD, sitemap, robots.txt.

Checked on the sample site (fake listings with schedules, phones and addresses) built with an
absolute base URL, as Netlify builds it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import quality
from generator.pipeline import build_site
from generator.structured_data import json_ld
from helpers import new_content, parse_page, write_sample_site

BASE = "https://recovery.example.org/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seo")
    content = new_content(root)
    write_sample_site(content)
    build_site(content, root / "output", base_url=BASE)
    return root / "output"


def meta(html: str) -> dict[str, str]:
    """Return the page's <meta name|property> contents and its canonical link."""
    found = {}
    for tag, attrs in parse_page(html).tags:
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            found[attrs.get("name") or attrs.get("property")] = attrs.get("content") or ""
        if tag == "link" and attrs.get("rel") == "canonical":
            found["canonical"] = attrs.get("href") or ""
    return found


def json_ld_blocks(html: str) -> list[dict]:
    return [json.loads(body) for attrs, body in parse_page(html).scripts if attrs.get("type") == "application/ld+json"]


def pages(site: Path) -> dict[str, str]:
    return {quality.url_path(site, f): f.read_text(encoding="utf-8") for f in sorted(site.rglob("*.html"))}


def test_every_page_has_an_absolute_canonical_url_a_description_and_open_graph(site):
    problems = {}
    for path, html in pages(site).items():
        tags = meta(html)
        if path == "/embed/":  # the framed copy of the directory: not for search engines, points to the real one
            assert '<meta name="robots" content="noindex">' in html and tags["canonical"] == BASE + "directory/"
            continue
        want = {"canonical": BASE.rstrip("/") + path, "og:url": BASE.rstrip("/") + path}
        problems[path] = [f"{k} is {tags.get(k)!r}" for k, v in want.items() if tags.get(k) != v]
        problems[path] += [f"{k} is empty" for k in ("description", "og:title", "og:description", "og:type")
                           if not tags.get(k, "").strip()]
    assert not any(problems.values()), {p: v for p, v in problems.items() if v}


def test_descriptions_differ_between_pages(site):
    descriptions = [meta(html)["description"] for path, html in pages(site).items() if "/print/" not in path]
    assert len(set(descriptions)) > 0.9 * len(descriptions)


def test_a_local_group_is_an_organization_with_a_place_and_weekly_events(site):
    (org,) = json_ld_blocks((site / "listings" / "bay-area-family" / "index.html").read_text(encoding="utf-8"))
    assert org["@type"] == "Organization" and org["name"] == "Bay Area Family Circle"
    assert org["@id"] == BASE + "listings/bay-area-family/#organization"
    assert org["telephone"] == "(415) 555-0142"
    assert org["location"]["address"] == {"@type": "PostalAddress", "streetAddress": "20 Market Street",
                                          "addressLocality": "San Francisco", "addressRegion": "CA",
                                          "postalCode": "94105", "addressCountry": "US"}
    monday, saturday = org["event"]
    assert monday["eventSchedule"] == {"@type": "Schedule", "repeatFrequency": "P1W",
                                       "byDay": "https://schema.org/Monday", "startTime": "18:30",
                                       "endTime": "19:30", "scheduleTimezone": "America/Los_Angeles"}
    assert "endTime" not in saturday["eventSchedule"] and saturday["eventSchedule"]["startTime"] == "10:00"
    assert saturday["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert saturday["organizer"] == {"@id": org["@id"]}
    assert saturday["isAccessibleForFree"] is True
    assert [loc["@type"] for loc in saturday["location"]] == ["Place", "VirtualLocation"]


def test_an_online_forum_is_an_organization_without_a_place_or_events(site):
    (org,) = json_ld_blocks((site / "listings" / "anytime-forum" / "index.html").read_text(encoding="utf-8"))
    assert org["@type"] == "Organization"
    assert "location" not in org and "event" not in org


def test_home_is_a_website_with_search_and_articles_are_articles(site):
    (home,) = json_ld_blocks((site / "index.html").read_text(encoding="utf-8"))
    assert home["@type"] == "WebSite"
    assert home["potentialAction"]["target"] == BASE + "directory/?q={search_term_string}"
    (article,) = json_ld_blocks((site / "articles" / "finding-a-group" / "index.html").read_text(encoding="utf-8"))
    assert (article["@type"], article["datePublished"]) == ("Article", "2026-04-01")


def test_json_ld_cannot_close_its_script_element():
    text = json_ld({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & <!--"}


def test_sitemap_lists_every_page_but_404_search_and_printable_lists_and_robots_points_to_it(site):
    listed = set(re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    expected = {BASE.rstrip("/") + path for path in pages(site)
                if path not in ("/404.html", "/embed/", "/search/") and not path.endswith("/print/")
                and not (path.count("/") == 3 and path.startswith(("/regions/", "/support-types/", "/kinds/"))
                         and "No listings here yet." in pages(site)[path])}
    assert listed == expected
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")


def test_the_search_page_is_not_for_search_engines(site):
    """/search/ only hands the header's search to the directory, or says that searching needs JavaScript."""
    html = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html
    assert meta(html)["canonical"] == BASE + "search/"
