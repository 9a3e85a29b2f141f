"""netlify.toml's policy and framing headers as Chromium enforces them: on the 404 page a typo gets, and
in frames on another site, under both readings of two rules setting one header (see test_netlify.py)."""
from __future__ import annotations

import pytest

from generator.netlify_headers import load_header_rules
from generator.static_server import serve_directory

pytestmark = pytest.mark.browser

INJECT = """() => new Promise(resolve => {
  document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective), {once: true});
  const script = document.createElement('script');
  script.textContent = 'window.__injected = true';
  document.body.append(script);
  setTimeout(() => resolve(window.__injected ? 'ran' : 'no violation reported'), 2000);
})"""


@pytest.fixture(params=["all", "later"])
def site(request, starter_site, repo_root):
    """The starter site served with netlify.toml's headers: every value sent, or the later one kept."""
    with serve_directory(starter_site, load_header_rules(repo_root / "netlify.toml"), request.param) as url:
        yield url


def test_a_missing_address_shows_the_404_page_under_the_policy(browser, site):
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(site + "/nonexistent/")
        assert response.status == 404
        assert page.locator("h1").text_content() == "Page not found"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate(INJECT).startswith("script-src")  # an injected inline script is refused
        assert page.evaluate("window.__injected") is None
    finally:
        context.close()


def test_only_the_embed_can_be_framed_by_another_site(browser, site, tmp_path):
    """A page of another origin (another localhost port) frames the embed, a page, the home page and
    the 404 page: Chromium shows the embed and refuses the others."""
    paths = ["/embed/", "/listings/smart-recovery/", "/", "/nonexistent/"]
    host = tmp_path / "host"
    host.mkdir()
    frames = "\n".join(f'<iframe title="{p}" src="{site}{p}"></iframe>' for p in paths)
    (host / "index.html").write_text(f"<!doctype html><html lang=\"en\"><title>Host</title>{frames}</html>",
                                     encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        with serve_directory(host) as other:
            assert other.split(":")[-1] != site.split(":")[-1]
            page.goto(other + "/")
            shown = {}
            for path in paths:
                frame = page.locator(f'iframe[title="{path}"]').element_handle().content_frame()
                frame.wait_for_load_state()
                shown[path] = frame.url.startswith(site) and frame.locator("h1, form").count() > 0
    finally:
        context.close()
    assert shown == {"/embed/": True, "/listings/smart-recovery/": False, "/": False, "/nonexistent/": False}
