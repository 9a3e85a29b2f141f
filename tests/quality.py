"""The quality gate's checks, shared by the tests on the real site and the tests on broken fixtures.

Each check returns a list of problems as readable strings: empty means the page passes. The
tests on the starter site assert the list is empty; tests/test_quality_fixtures.py feeds a page
that breaks every rule on purpose and asserts each check reports its problem, so no check can
pass by doing nothing.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
NETLIFY_TOML = REPO_ROOT / "netlify.toml"
NODE_TOOLS = REPO_ROOT / "tools" / "node_modules"
VNU_JAR = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_TOOLS / ".bin" / "lighthouse"

#: Templates the starter site must render: the gate checks one page of each (and of any other
#: template found in the output). Add a page type's template here when it lands.
REQUIRED_TEMPLATES = frozenset({
    "home.html", "directory.html", "listing.html", "facet.html", "facet_index.html", "online.html", "online_type.html",
    "articles.html", "article.html", "contribute.html", "about.html", "404.html", "region_print.html",
    "embed.html", "widget.html", "open_data.html", "search.html",
})

#: axe-core rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe also runs best-practice rules).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: Request schemes that never touch the network.
LOCAL_SCHEMES = {"data", "blob", "about"}

#: What every HTML response must carry (the values netlify.toml sets for "/*").
REQUIRED_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "Strict-Transport-Security",
                    "X-Content-Type-Options", "Referrer-Policy")

_TEMPLATE_MARK = re.compile(rb'<body data-template="([^"]*)"')


def require_tool(path: Path, what: str) -> None:
    """Skip a test when a checker is missing locally; fail under CI, like the browser tests."""
    if path.exists():
        return
    message = f"{what} is missing ({path}); `make test` installs it (make tools)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message + ". CI is set, so this fails instead of skipping.", pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------- pages to check


@dataclass(frozen=True)
class Sample:
    """One page chosen to stand for a template: the template's name and the page's URL path."""

    template: str
    path: str

    @property
    def id(self) -> str:
        return f"{self.template.removesuffix('.html')}:{self.path}"


def page_template(html_file: Path) -> str:
    """Return the template a built page came from (its `<body data-template>`), or ''."""
    found = _TEMPLATE_MARK.search(html_file.read_bytes())
    return found.group(1).decode() if found else ""


def url_path(site: Path, html_file: Path) -> str:
    """Return the URL path a built HTML file is served at."""
    rel = html_file.relative_to(site).as_posix()
    return "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


_HTML_LANG = re.compile(rb'<html lang="([^"]+)"')


def language_folders(site: Path) -> set[str]:
    """Return the top-level folders that hold the pages of a language other than the site's first ('es')."""
    def lang(page: Path) -> bytes:
        found = _HTML_LANG.search(page.read_bytes()[:300])
        return found.group(1) if found else b""
    first = lang(site / "index.html")
    return {folder.name for folder in site.iterdir()
            if (folder / "index.html").is_file() and lang(folder / "index.html") not in (first, b"")}


def sample_pages(site: Path, within: str = "") -> list[Sample]:
    """Return one page per template and top-level folder: the largest, since it shows the most.

    Grouping by folder too means the region, support-type and kind pages (one template) are
    each checked. `within` keeps only pages whose URL path holds it ("/page/": the later pages
    of paginated lists; "/es/": the Spanish pages); without it, the pages of the site's first
    language. The order is stable, so test ids are too.
    """
    best: dict[tuple[str, str], tuple[int, str]] = {}
    apart = () if within else tuple(f"/{name}/" for name in language_folders(site))
    for html_file in sorted(site.rglob("*.html")):
        template = page_template(html_file)
        path = url_path(site, html_file)
        if within not in path or path.startswith(apart):
            continue
        key = (template, path.split("/")[1])
        size = html_file.stat().st_size
        if key not in best or size > best[key][0]:
            best[key] = (size, path)
    return [Sample(template, path) for (template, _), (_, path) in sorted(best.items())]


#: How a template's sample page is opened when its plain URL would not show everything: the
#: directory with a filter set, so the live filters are open and results are shown.
SAMPLE_QUERY = {"directory.html": "?type=12-step"}

#: Scripts a template's sample page is opened without. The search page's script replaces it at once with the
#: directory (checked as itself), so its own words are seen only without JavaScript; axe needs JavaScript to
#: run, so the gate blocks that one script instead of turning JavaScript off.
SAMPLE_BLOCKED = {"search.html": "**/static/search-forward.*.js"}


def wait_until_ready(page, template: str) -> None:
    """Wait until a sample page shows what it should: for the directory, the filters and results."""
    if template == "search.html" and urlsplit(page.url).path.endswith("/directory/"):
        template = "directory.html"  # its script ran: the search page has handed over to the directory
    if template == "directory.html":
        page.wait_for_selector("#filters:not([hidden]) #more-filters[open]", state="attached")
        page.wait_for_function("() => document.getElementById('result-status').textContent.trim() !== ''")
        # A wide screen opens the map by itself: every check sees it drawn, not half loaded.
        page.wait_for_function("() => { const map = document.getElementById('map');"
                               " return !map || map.hidden || map.querySelector('.map-note')?.textContent; }")
        # On a narrow screen the filters are a panel opened by a button: open it, so that every check
        # (reflow at 320 px above all) sees the filters there too.
        if page.is_visible("#f-open"):
            page.click("#f-open")
            page.wait_for_selector("#filter-panel #more-filters[open]")


@contextlib.contextmanager
def open_page(browser, url: str, template: str = "", **context_options) -> Iterator[tuple]:
    """Open a URL in a fresh context; yield (context, page, console messages, response)."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    install_csp_listener(context)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    if template in SAMPLE_BLOCKED:
        page.route(SAMPLE_BLOCKED[template], lambda route: route.abort())
    try:
        response = page.goto(url + SAMPLE_QUERY.get(template, ""))
        wait_until_ready(page, template)
        yield context, page, console, response
    finally:
        context.close()


def all_pages(site: Path, first_language: bool = False) -> list[str]:
    """Return the URL path of every HTML page of a built site (with `first_language`, of its first language's)."""
    apart = tuple(f"/{name}/" for name in language_folders(site)) if first_language else ()
    return [path for path in (url_path(site, f) for f in sorted(site.rglob("*.html"))) if not path.startswith(apart)]


_SCRIPT_SRC = re.compile(rb'<script[^>]*\ssrc="([^"]+)"')


def browser_sample(site: Path, first_language: bool = False, per_group: int = 8) -> list[str]:
    """Return the URL paths a browser visit must see for a site's pages to be checked, without visiting them all.

    Pages are grouped by template and by the scripts they load, since what a page asks for besides its HTML
    (checked statically on every page by off_origin_resources) comes from its scripts. A group of at most
    `per_group` pages is visited whole; a larger one (the listing pages, the region pages) by `per_group`
    pages spread evenly over it, its largest page among them. The result is sorted, so it is stable.
    """
    apart = tuple(f"/{name}/" for name in language_folders(site)) if first_language else ()
    groups: dict[tuple[str, tuple[bytes, ...]], list[tuple[str, int]]] = {}
    for html_file in sorted(site.rglob("*.html")):
        path = url_path(site, html_file)
        if path.startswith(apart):
            continue
        html = html_file.read_bytes()
        found = _TEMPLATE_MARK.search(html)
        key = (found.group(1).decode() if found else "", tuple(sorted(_SCRIPT_SRC.findall(html))))
        groups.setdefault(key, []).append((path, len(html)))
    chosen: set[str] = set()
    for pages in groups.values():
        if len(pages) <= per_group:
            chosen.update(path for path, _ in pages)
            continue
        chosen.add(max(pages, key=lambda page: page[1])[0])
        step = len(pages) / (per_group - 1)
        chosen.update(pages[int(i * step)][0] for i in range(per_group - 1))
    return sorted(chosen)


# --------------------------------------------------------------------------- accessibility


#: The rules that depend on colour alone: a page in the dark colour scheme differs from the light one only in
#: its colours, so its pass runs these (the light pass runs every WCAG rule).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    """Run axe-core in the page for the WCAG 2.x A/AA rules (or only `rules`); return one line per violation."""
    from axe_playwright_python.sync_playwright import Axe

    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    options = {"runOnly": only, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"]]


def skip_link_problems(page) -> list[str]:
    """Check the first Tab reaches a visible link to the main content, and following it moves focus there."""
    page.keyboard.press("Tab")
    first = page.evaluate("""() => {
        const a = document.activeElement, r = a.getBoundingClientRect();
        return {tag: a.tagName, href: a.getAttribute('href') || '', text: a.textContent.trim(),
                visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0};
    }""")
    if first["tag"] != "A" or not first["href"].startswith("#"):
        return [f"the first Tab stop is not a skip link: {first}"]
    problems = [] if first["visible"] else [f"the skip link is not visible when focused: {first}"]
    page.keyboard.press("Enter")
    target = first["href"][1:]
    focused = page.evaluate("() => document.activeElement.id")
    if focused != target or page.locator("main").get_attribute("id") != target:
        problems.append(f"following the skip link focuses #{focused or '(nothing)'}, not <main id={target!r}>")
    return problems


FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def focus_problems(page, stops: int = 12) -> list[str]:
    """Tab through the first stops and report any focused element without a visible focus indicator."""
    problems = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        seen = page.evaluate("""() => {
            const a = document.activeElement;
            if (!a || a === document.body) return null;
            const s = getComputedStyle(a);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            return {what: a.tagName + (a.id ? '#' + a.id : '') + ' ' + a.textContent.trim().slice(0, 30),
                    shown: outline || s.boxShadow !== 'none'};
        }""")
        if seen and not seen["shown"]:
            problems.append(f"no visible focus indicator on {seen['what']}")
    return problems


def landmark_problems(page) -> list[str]:
    """Check the page has one banner, one main, one contentinfo and labelled navigation."""
    counts = page.evaluate("""() => ({
        banner: document.querySelectorAll('body > header, [role=banner]').length,
        main: document.querySelectorAll('main, [role=main]').length,
        contentinfo: document.querySelectorAll('body > footer, [role=contentinfo]').length,
        unlabelledNav: [...document.querySelectorAll('nav')].filter(
            n => !n.getAttribute('aria-label') && !n.getAttribute('aria-labelledby')).length,
    })""")
    problems = [f"{n} {name} landmarks (want 1)" for name, n in counts.items() if name != "unlabelledNav" and n != 1]
    if counts["unlabelledNav"]:
        problems.append(f"{counts['unlabelledNav']} <nav> without a label")
    return problems


def heading_problems(page) -> list[str]:
    """Check there is exactly one h1, it is the first heading in <main>, and no level is skipped."""
    levels = page.evaluate("() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]"
                           ".filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))")
    h1s = page.locator("h1").count()
    problems = [] if h1s == 1 else [f"{h1s} <h1> elements (want 1)"]
    if levels and levels[0] != 1:
        problems.append(f"the first heading in <main> is h{levels[0]}, not h1")
    problems += [f"heading level jumps from h{a} to h{b}" for a, b in zip(levels, levels[1:]) if b > a + 1]
    return problems


def reflow_problems(page, width: int) -> list[str]:
    """Check nothing scrolls sideways at a viewport `width` CSS pixels wide (WCAG 1.4.10 reflow)."""
    wide = page.evaluate("""() => {
        const vw = document.documentElement.clientWidth;
        const over = [...document.querySelectorAll('body *')].filter(el => {
            const r = el.getBoundingClientRect();
            return r.width && r.right > vw + 1 && getComputedStyle(el).position !== 'fixed'
                && !el.closest('.visually-hidden, pre, table, .map-frame');  // a map is clipped to its frame
        }).slice(0, 3).map(el => el.tagName + '.' + el.className);
        return {scroll: document.documentElement.scrollWidth, vw, over};
    }""")
    if wide["scroll"] <= wide["vw"] and not wide["over"]:
        return []
    return [f"at {width}px the page is {wide['scroll']}px wide; overflowing: {wide['over']}"]


def motion_problems(page) -> list[str]:
    """Check no element animates or transitions (call with reduced motion emulated)."""
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(el => {
        const s = getComputedStyle(el);
        const seconds = v => Math.max(...v.split(',').map(parseFloat));
        return (s.animationName !== 'none' && seconds(s.animationDuration) > 0.01)
            || seconds(s.transitionDuration) > 0.01 || s.scrollBehavior === 'smooth';
    }).slice(0, 5).map(el => el.tagName + '.' + el.className)""")
    return [f"moves despite prefers-reduced-motion: {el}" for el in moving]


def quick_exit_problems(page) -> list[str]:
    """Check the page has a quick-exit link to another site that does not send a referrer."""
    link = page.locator("a.quick-exit")
    if link.count() != 1:
        return [f"{link.count()} quick-exit links (want 1)"]
    href = link.get_attribute("href") or ""
    rel = (link.get_attribute("rel") or "").split()
    problems = [] if urlsplit(href).scheme == "https" else [f"quick exit goes to {href!r}, not an https site"]
    if "noreferrer" not in rel:
        problems.append("the quick-exit link lacks rel=noreferrer")
    if not link.is_visible():
        problems.append("the quick-exit link is not visible")
    return problems


# --------------------------------------------------------------------------- privacy and security


def install_csp_listener(context) -> None:
    """Record every Content-Security-Policy violation event of the context's pages in window.__csp."""
    context.add_init_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(
            `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber})`));
    """)


def csp_problems(page, console_messages: list[str]) -> list[str]:
    """Return the page's CSP violations: the events and the console's 'Content Security Policy' messages."""
    events = page.evaluate("() => window.__csp || []")
    console = [m for m in console_messages if "Content Security Policy" in m or "Content-Security-Policy" in m]
    return [f"CSP violation: {e}" for e in events] + [f"console: {m}" for m in console]


def off_origin_requests(urls: list[str], origin: str) -> list[str]:
    """Return the requests that went to any origin but `origin` (scheme://host:port)."""
    return [url for url in urls
            if urlsplit(url).scheme not in LOCAL_SCHEMES and _origin(url) != origin]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


#: The attributes through which a browser fetches something by itself, without a click: (tag, attribute).
#: A <link> counts for the relations in FETCHING_LINKS; canonical, alternate and the like only name an address.
FETCHING_ATTRIBUTES = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"),
    ("frame", "src"), ("embed", "src"), ("object", "data"), ("input", "src"), ("image", "href"),
    ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"), ("link", "href"), ("link", "imagesrcset"),
}
FETCHING_LINKS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload", "prefetch",
                  "preconnect", "dns-prefetch", "prerender", "mask-icon"}

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


class _AllTags(HTMLParser):
    """Every start tag and its attributes, those inside <template> too: a script may clone them into the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _elsewhere(address: str) -> bool:
    """True for an address on another origin: a scheme that reaches the network, or a scheme-relative //host."""
    address = address.strip()
    scheme = urlsplit(address).scheme.lower()
    return address.startswith("//") or (bool(scheme) and scheme not in LOCAL_SCHEMES)


def _candidates(attribute: str, value: str) -> list[str]:
    """The addresses in an attribute's value: each candidate of a srcset, or the value itself."""
    if attribute.endswith("srcset"):
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value]


def off_origin_resources(html: str) -> list[str]:
    """Return what a page's HTML makes the browser fetch from another origin: every script, stylesheet, icon,
    preload, image, frame or media source whose address names a host (inline style attributes and <style>
    elements are reported by inline_code_problems; a plain link is a visitor's choice, not a request)."""
    parser = _AllTags()
    parser.feed(html)
    parser.close()
    problems = []
    for tag, attrs in parser.tags:
        if tag == "link" and not FETCHING_LINKS & set(attrs.get("rel", "").lower().split()):
            continue
        if tag == "input" and attrs.get("type", "").lower() != "image":
            continue
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            target = re.search(r"url\s*=\s*['\"]?([^'\"]+)", attrs.get("content", ""), re.IGNORECASE)
            if target and _elsewhere(target.group(1)):
                problems.append(f"<meta http-equiv=refresh> {target.group(1)}")
            continue
        for attribute, value in attrs.items():
            if (tag, attribute) in FETCHING_ATTRIBUTES:
                problems += [f"<{tag} {attribute}> {address}" for address in _candidates(attribute, value)
                             if _elsewhere(address)]
    return problems


def css_off_origin_resources(css: str) -> list[str]:
    """Return the url(...) and @import addresses of a stylesheet that name another origin."""
    return [f"url {address}" for address in _CSS_URL.findall(css) + _CSS_IMPORT.findall(css) if _elsewhere(address)]


def cookie_problems(context, page) -> list[str]:
    """Return any cookie the site set (in the browser's jar or visible to scripts) or local storage used."""
    problems = [f"cookie set: {c['name']}={c['value']}" for c in context.cookies()]
    stored = page.evaluate("() => ({cookie: document.cookie, local: localStorage.length, session: sessionStorage.length})")
    if stored["cookie"] and not problems:
        problems.append(f"document.cookie: {stored['cookie']}")
    if stored["local"] or stored["session"]:
        problems.append(f"web storage used: {stored}")
    return problems


def header_problems(pairs: list[tuple[str, str]]) -> list[str]:
    """Check an HTML response's (name, value) headers: the privacy and security ones, once each, safe values.

    Content-Security-Policy alone may come twice (netlify.toml's /embed/ rules add one that also lets
    other sites frame it): a browser enforces both, so that is safe when they restrict the same things
    and differ only in frame-ancestors. Each policy must pass the checks on its own.
    """
    names = [name.lower() for name, _ in pairs]
    policies = [value for name, value in pairs if name.lower() == "content-security-policy"]
    problems = [f"header {name} sent {names.count(name)} times (two netlify.toml rules set it for this path)"
                for name in dict.fromkeys(names) if names.count(name) > 1
                and not (name == "content-security-policy" and len({_without_framing(p) for p in policies}) == 1)]
    headers = {name.lower(): value for name, value in pairs}
    problems += [f"missing header {name}" for name in REQUIRED_HEADERS if name.lower() not in headers]
    for policy in dict.fromkeys(policies or [""]):
        problems += _csp_problems(policy)
    if headers.get("referrer-policy") != "no-referrer":
        problems.append(f"Referrer-Policy is {headers.get('referrer-policy')!r}, not 'no-referrer'")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("X-Content-Type-Options is not 'nosniff'")
    if "geolocation=(self)" not in headers.get("permissions-policy", ""):
        problems.append("Permissions-Policy does not limit geolocation to the site itself")
    if not re.match(r"max-age=\d{7,}", headers.get("strict-transport-security", "")):
        problems.append("Strict-Transport-Security lacks a max-age of months or more")
    return problems


def _csp_problems(policy: str) -> list[str]:
    csp = parse_csp(policy)
    problems = ["Content-Security-Policy allows 'unsafe-inline'"] if "'unsafe-inline'" in policy else []
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp.get("default-src"))
        if sources != ["'self'"]:
            problems.append(f"CSP {directive} allows {sources}, not only 'self'")
    return problems


def _without_framing(policy: str) -> tuple:
    return tuple(sorted((d, tuple(s)) for d, s in parse_csp(policy).items() if d != "frame-ancestors"))


def may_be_framed(pairs: list[tuple[str, str]]) -> bool:
    """Return whether a browser lets any other site show a response with these headers in a frame.

    As browsers decide (HTML's X-Frame-Options processing, CSP level 2): when an enforced policy has
    frame-ancestors, X-Frame-Options is ignored and every such policy must allow the site (here: '*');
    otherwise X-Frame-Options DENY or SAMEORIGIN forbids it.
    """
    policies = [parse_csp(part) for name, value in pairs if name.lower() == "content-security-policy"
                for part in value.split(",")]
    ancestors = [policy["frame-ancestors"] for policy in policies if "frame-ancestors" in policy]
    if ancestors:
        return all(sources == ["*"] for sources in ancestors)
    return not {value.strip().lower() for name, value in pairs if name.lower() == "x-frame-options"} \
        & {"deny", "sameorigin"}


def parse_csp(policy: str) -> dict[str, list[str]]:
    """Return a Content-Security-Policy as {directive: [sources]}."""
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {words[0].lower(): words[1:] for words in parts}


def is_data_block(script_type: str | None) -> bool:
    """Return True for a <script> type browsers never run (JSON-LD, the pages' JSON text): a data block."""
    kind = (script_type or "").strip().lower()
    return bool(kind) and kind != "module" and "javascript" not in kind and "ecmascript" not in kind


def inline_code_problems(html: str) -> list[str]:
    """Return inline scripts, styles and event handlers in an HTML page (a CSP without unsafe-inline blocks them)."""
    from helpers import parse_page

    parsed = parse_page(html)
    problems = [f"inline <script> {attrs}" for attrs, body in parsed.scripts
                if "src" not in attrs and not is_data_block(attrs.get("type"))]
    problems += [f"<{tag}> with inline style" for tag, attrs in parsed.tags if "style" in attrs]
    problems += ["<style> element" for tag, _ in parsed.tags if tag == "style"]
    problems += [f"<{tag} {name}=…> inline event handler" for tag, attrs in parsed.tags for name in attrs
                 if name.startswith("on")]
    problems += [f"<{tag}> links to javascript:" for tag, attrs in parsed.tags
                 if (attrs.get("href") or "").strip().lower().startswith("javascript:")]
    return problems


# --------------------------------------------------------------------------- HTML validity


def vnu_errors(*folders: Path) -> list[str]:
    """Validate every HTML file under the folders in ONE Nu HTML Checker run; return 'file:line: message'."""
    require_tool(VNU_JAR, "The Nu HTML Checker (npm vnu-jar)")
    command = ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json",
               *map(str, folders)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or '{"messages": []}')
    return [f"{urlsplit(m.get('url', '')).path}:{m.get('lastLine', '?')}: {m['message']}"
            for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
