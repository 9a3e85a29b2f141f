"""Private and secure, on every page of the starter site served with netlify.toml's headers:
nothing requested from another origin, no cookies or storage, the security headers on every
response, no inline code, and no Content-Security-Policy violation in Chromium.

Every page's HTML and stylesheet is read for what it would fetch from elsewhere; Chromium visits
every page whose template and scripts few pages share, and a spread of the many listing and
region pages that share theirs (quality.browser_sample), since what a page asks for at run time
comes from its scripts.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

import quality


def fetch_headers(url: str) -> tuple[int, list[tuple[str, str]]]:
    """Return the status and every (name, value) header line of a response, repeats included."""
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers.items()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.items()


def test_every_page_is_sent_with_the_privacy_and_security_headers(netlify_server, starter_site):
    problems = {}
    for path in quality.all_pages(starter_site):
        status, headers = fetch_headers(netlify_server + path)
        problems[path] = quality.header_problems(headers)
        assert status == 200, path
    assert not any(problems.values()), {p: found for p, found in problems.items() if found}


@pytest.mark.parametrize("path", ["/no-such-page/", "/api/nope", "/listings/no-such/"])
def test_a_missing_address_gets_the_404_page_with_every_header(netlify_server, path):
    """netlify.toml's "/*" rule carries the policy and framing headers, so a typo's 404 page has them too."""
    status, headers = fetch_headers(netlify_server + path)
    assert status == 404
    assert quality.header_problems(headers) == []
    assert not quality.may_be_framed(headers)


@pytest.mark.parametrize("site", ["starter_site", "spanish_site"])
def test_no_page_has_inline_scripts_styles_or_event_handlers(site, request):
    folder = request.getfixturevalue(site)
    problems = {f.relative_to(folder).as_posix(): quality.inline_code_problems(f.read_text(encoding="utf-8"))
                for f in sorted(folder.rglob("*.html"))}
    assert not any(problems.values()), {p: found for p, found in problems.items() if found}


@pytest.mark.parametrize("site", ["starter_site", "spanish_site"])
def test_no_page_or_stylesheet_names_anything_to_fetch_from_another_origin(site, request):
    folder = request.getfixturevalue(site)
    problems = {f.relative_to(folder).as_posix(): quality.off_origin_resources(f.read_text(encoding="utf-8"))
                for f in sorted(folder.rglob("*.html"))}
    problems |= {f.relative_to(folder).as_posix(): quality.css_off_origin_resources(f.read_text(encoding="utf-8"))
                 for f in sorted(folder.rglob("*.css"))}
    assert len(problems) > 300
    assert not any(problems.values()), {p: found for p, found in problems.items() if found}


def visit_problems(browser, origin: str, paths: list[str], templates: dict[str, str]) -> dict[str, list[str]]:
    """Visit the pages in one browser context, so a cookie set anywhere shows up; return each one's requests to
    other origins, CSP breaks and console errors, and the cookies of the whole visit."""
    problems: dict[str, list[str]] = {}
    context = browser.new_context()
    quality.install_csp_listener(context)
    page = context.new_page()
    console: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("request", lambda r: requests.append(r.url))
    try:
        for path in paths:
            console.clear()
            requests.clear()
            page.goto(origin + path + quality.SAMPLE_QUERY.get(templates.get(path, ""), ""))
            quality.wait_until_ready(page, templates.get(path, ""))
            problems[path] = (quality.csp_problems(page, console)
                              + [f"request to another origin: {u}" for u in quality.off_origin_requests(requests, origin)]
                              + [f"console: {m}" for m in console if m.startswith("error") and not expected_404(path, m)])
        problems["(whole visit)"] = quality.cookie_problems(context, page)
    finally:
        context.close()
    return problems


def expected_404(path: str, message: str) -> bool:
    """Chromium reports the missing page's own 404 status in the console; that one is expected."""
    return path == "/no-such-page/" and "status of 404" in message


@pytest.mark.browser
def test_pages_stay_on_their_own_origin_set_no_cookies_and_break_no_csp(browser, netlify_server, starter_site):
    templates = {s.path: s.template for s in quality.sample_pages(starter_site)}
    # The first language's pages, every template and set of scripts among them; the other languages' pages come
    # from the same templates and content, so one page of each template stands for them (below).
    paths = sorted(set(quality.browser_sample(starter_site, first_language=True)) | set(templates))
    problems = visit_problems(browser, netlify_server, paths + ["/no-such-page/"], templates)
    assert not any(problems.values()), {p: found for p, found in problems.items() if found}
    assert urlsplit(netlify_server).hostname == "127.0.0.1"


@pytest.mark.browser
def test_spanish_pages_stay_on_their_own_origin_and_break_no_csp(browser, spanish_server, spanish_site):
    """One Spanish page of every template, its scripts reading their text from the page's JSON data block."""
    templates = {s.path: s.template for s in quality.sample_pages(spanish_site, within="/es/")}
    problems = visit_problems(browser, spanish_server, list(templates), templates)
    assert len(problems) >= 11  # ten pages or more, and the whole visit
    assert not any(problems.values()), {p: found for p, found in problems.items() if found}


@pytest.mark.browser
def test_json_ld_data_blocks_do_not_break_the_csp(browser, netlify_server):
    """A <script type="application/ld+json"> is data, never executed: script-src does not block it."""
    with quality.open_page(browser, netlify_server + "/") as (_, page, console, response):
        data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert data["@type"] == "WebSite"
        assert quality.csp_problems(page, console) == []
