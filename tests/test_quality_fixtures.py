"""Every check of the quality gate fails on a page that breaks its rule (tests/fixtures/broken/).

The broken page has an image without alt, an inline script and style, an inline event handler, a
stylesheet from another origin, a script that sets a cookie, no skip link, no quick exit, no
footer, a skipped heading level, a link without a focus ring, a box too wide for a phone, an
endless animation, text too faint in dark mode and a stray end tag. The HTML checker's and
Lighthouse's failing cases are in test_quality_html.py and test_quality_lighthouse.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import quality
from generator.netlify_headers import headers_for_path, load_header_rules
from generator.static_server import serve_directory

BROKEN = Path(__file__).parent / "fixtures" / "broken"
OTHER_ORIGIN = re.compile(r"^https://[^/]*other-origin\.test/")


@pytest.fixture(scope="module")
def with_headers():
    """The broken page, sent with netlify.toml's headers (CSP included)."""
    with serve_directory(BROKEN, load_header_rules(quality.NETLIFY_TOML)) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def without_headers():
    """The broken page from a plain server, so the request and cookie checks see what CSP would block."""
    with serve_directory(BROKEN) as url:
        yield url + "/"


def problems_on(browser, url: str, check, **options) -> list[str]:
    with quality.open_page(browser, url, **options) as (_, page, _, _):
        return check(page)


@pytest.mark.parametrize("scheme, rule", [("light", "image-alt"), ("dark", "color-contrast")])
def test_axe_reports_a_missing_alt_and_dark_mode_contrast(browser, with_headers, scheme, rule):
    found = problems_on(browser, with_headers, quality.axe_violations, color_scheme=scheme)
    assert any(p.startswith(rule + " ") for p in found), found


def test_axe_light_mode_alone_would_miss_the_dark_mode_contrast(browser, with_headers):
    found = problems_on(browser, with_headers, quality.axe_violations, color_scheme="light")
    assert not any(p.startswith("color-contrast ") for p in found), found


@pytest.mark.parametrize("check, expected", [
    (quality.skip_link_problems, "the first Tab stop is not a skip link"),
    (quality.focus_problems, "no visible focus indicator on A"),
    (quality.landmark_problems, "0 contentinfo landmarks (want 1)"),
    (quality.heading_problems, "heading level jumps from h1 to h3"),
    (quality.quick_exit_problems, "0 quick-exit links (want 1)"),
])
def test_page_checks_report_the_broken_rule(browser, with_headers, check, expected):
    found = problems_on(browser, with_headers, check)
    assert any(p.startswith(expected) for p in found), found


def test_landmark_check_reports_an_unlabelled_nav(browser, with_headers):
    assert "1 <nav> without a label" in problems_on(browser, with_headers, quality.landmark_problems)


def test_reflow_check_reports_a_box_too_wide_for_320px(browser, with_headers):
    found = problems_on(browser, with_headers, lambda page: quality.reflow_problems(page, 320),
                        viewport={"width": 320, "height": 800})
    assert found and "P.wide" in found[0], found


def test_motion_check_reports_an_animation_that_ignores_reduced_motion(browser, with_headers):
    found = problems_on(browser, with_headers, quality.motion_problems, reduced_motion="reduce")
    assert "moves despite prefers-reduced-motion: P.spin" in found, found


def test_csp_check_reports_inline_code_and_a_font_from_another_origin(browser, with_headers):
    with quality.open_page(browser, with_headers) as (_, page, console, _):
        found = quality.csp_problems(page, console)
        inline_ran = page.evaluate("document.documentElement.dataset.inline")
    assert inline_ran is None, "the inline script ran: the CSP did not block it"
    assert any("script-src-elem blocked inline" in p for p in found), found
    assert any("style-src-elem blocked inline" in p for p in found), found
    assert any("style-src-elem blocked https://fonts.other-origin.test/font.css" in p for p in found), found
    assert any(p.startswith("console: ") for p in found), found


def test_request_check_reports_a_font_from_another_origin(browser, without_headers):
    # The other origin is answered locally, so nothing leaves the machine.
    with quality.open_page(browser, "about:blank") as (context, page, _, _):
        context.route(OTHER_ORIGIN, lambda route: route.fulfill(status=200, content_type="text/css", body=""))
        page.goto(without_headers)
        found = quality.off_origin_requests(page.requests, without_headers.rstrip("/"))
    assert found == ["https://fonts.other-origin.test/font.css"]


def test_cookie_check_reports_a_cookie_set_by_a_script(browser, without_headers):
    with quality.open_page(browser, "about:blank") as (context, page, _, _):
        context.route(OTHER_ORIGIN, lambda route: route.abort())
        page.goto(without_headers)
        found = quality.cookie_problems(context, page)
    assert found == ["cookie set: tracker=1"]


def test_inline_code_check_reports_every_kind_of_inline_code():
    found = quality.inline_code_problems((BROKEN / "index.html").read_text(encoding="utf-8"))
    assert found == ["inline <script> {}", "<style> element", "<p onclick=…> inline event handler"]


def test_resource_check_reports_the_stylesheet_from_another_origin():
    found = quality.off_origin_resources((BROKEN / "index.html").read_text(encoding="utf-8"))
    assert found == ["<link href> https://fonts.other-origin.test/font.css"]


def test_resource_check_reads_srcset_templates_and_refresh_and_lets_links_and_data_be():
    html = ('<img srcset="/a.png 1x, https://cdn.other-origin.test/b.png 2x" alt="">'
            '<template><script src="//cdn.other-origin.test/x.js"></script></template>'
            '<meta http-equiv="refresh" content="0; URL=\'https://other-origin.test/\'">'
            '<link rel="canonical" href="https://other-origin.test/"><link rel="alternate" hreflang="es" href="https://x.test/es/">'
            '<a href="https://other-origin.test/">a link</a><img src="data:image/gif;base64,R0lGOD" alt="">'
            '<input type="text" src="https://other-origin.test/ignored"><link rel="icon" href="/favicon.svg">')
    assert quality.off_origin_resources(html) == [
        "<img srcset> https://cdn.other-origin.test/b.png", "<script src> //cdn.other-origin.test/x.js",
        "<meta http-equiv=refresh> https://other-origin.test/"]
    assert quality.css_off_origin_resources(
        "@import 'https://fonts.other-origin.test/a.css'; b { background: url(/x.svg) } i { src: url('//f.test/f.woff2') }"
    ) == ["url //f.test/f.woff2", "url https://fonts.other-origin.test/a.css"]


def test_browser_sample_keeps_every_template_and_set_of_scripts_and_spreads_over_large_groups(tmp_path):
    def page(path: str, template: str, scripts: list[str], padding: int = 0) -> None:
        target = tmp_path / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        tags = "".join(f'<script src="{src}"></script>' for src in scripts)
        target.write_text(f'<html lang="en"><head>{tags}</head><body data-template="{template}">{"x" * padding}')
    page("", "home.html", ["/a.js"])
    for n in range(20):
        page(f"listings/l{n:02}", "listing.html", ["/a.js"], padding=100 if n == 13 else n)
    page("listings/with-map", "listing.html", ["/a.js", "/map.js"])
    sample = quality.browser_sample(tmp_path, per_group=5)
    listings = [p for p in sample if p.startswith("/listings/l")]
    assert "/" in sample and "/listings/with-map/" in sample
    assert len(listings) == 5 and "/listings/l13/" in listings  # the largest, and four spread over the group
    assert listings[0] == "/listings/l00/" and "/listings/l15/" in listings


def test_inline_code_check_allows_json_ld_data_blocks():
    html = '<script type="application/ld+json">{"@type": "Organization"}</script>'
    assert quality.inline_code_problems(html) == []


@pytest.mark.parametrize("change, expected", [
    ({"Referrer-Policy": None}, "missing header Referrer-Policy"),
    ({"Referrer-Policy": "origin"}, "Referrer-Policy is 'origin', not 'no-referrer'"),
    ({"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'"},
     "Content-Security-Policy allows 'unsafe-inline'"),
    ({"Content-Security-Policy": "default-src *"}, "CSP script-src allows ['*'], not only 'self'"),
    ({"Permissions-Policy": "geolocation=*"}, "Permissions-Policy does not limit geolocation to the site itself"),
    ({"Strict-Transport-Security": "max-age=60"}, "Strict-Transport-Security lacks a max-age of months or more"),
    ({"X-Content-Type-Options": None}, "missing header X-Content-Type-Options"),
])
def test_header_check_reports_a_missing_or_weakened_header(change, expected):
    headers = dict(headers_for_path(load_header_rules(quality.NETLIFY_TOML), "/"))
    assert quality.header_problems(list(headers.items())) == []
    for name, value in change.items():
        headers.pop(name)
        if value is not None:
            headers[name] = value
    assert expected in quality.header_problems(list(headers.items()))


@pytest.mark.parametrize("header, value", [
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:"),  # not only in frame-ancestors
])
def test_header_check_reports_a_header_two_rules_set(tmp_path, header, value):
    toml = tmp_path / "netlify.toml"
    toml.write_text(quality.NETLIFY_TOML.read_text(encoding="utf-8")
                    + f'\n[[headers]]\n  for = "/listings/*"\n  [headers.values]\n    {header} = "{value}"\n',
                    encoding="utf-8")
    pairs = headers_for_path(load_header_rules(toml), "/listings/x/")
    assert (f"header {header.lower()} sent 2 times (two netlify.toml rules set it for this path)"
            in quality.header_problems(pairs))


def test_header_check_allows_a_second_policy_that_differs_only_in_framing():
    """netlify.toml's /embed/ rule: a browser enforces both policies, which restrict the same things."""
    pairs = headers_for_path(load_header_rules(quality.NETLIFY_TOML), "/embed/")
    assert [name for name, _ in pairs].count("Content-Security-Policy") == 2
    assert quality.header_problems(pairs) == []
