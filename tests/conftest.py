"""Shared pytest fixtures.

Site:     ``repo_root``, ``starter_site`` (the real ``content/`` built once per session),
          ``sample_site``, ``hostile_site`` and ``paged_site`` (fake directories: see each fixture).
Serving:  ``serve_directory(path)`` context manager (also the ``serve_dir`` fixture),
          ``starter_server`` (base URL of the built starter site) and ``netlify_server``
          (the same site sent with exactly the headers netlify.toml sets, 404.html for a miss);
          ``paged_server`` (``paged_site`` with those headers).
Browser:  ``browser`` (Playwright driving Debian's Chromium) and ``page`` (a fresh
          context per test that records console errors and request URLs).

Browser tests are skipped when Playwright or Chromium is missing, except when the ``CI``
environment variable is set: then they fail, so CI cannot pass by silently skipping.
Never run ``playwright install``; ``make test`` installs Debian's ``chromium`` instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# Make ``import generator`` work however pytest is started (``pytest`` or ``python -m pytest``).
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

#: The Chromium that Playwright launches; ``make test CHROMIUM=...`` overrides it.
CHROMIUM_PATH = Path(os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium")

#: Flags known to work for Debian's Chromium on these machines (see TOOLING.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: 2026-11-21 12:00 UTC, the "today" of scratch projects (see ``project``).
TODAY_EPOCH = 1795262400


def starter_today_epoch(content: Path = REPO_ROOT / "content") -> int:
    """Return noon UTC of the newest date written in ``content/`` (at least TODAY_EPOCH).

    The starter content is checked as if built the day its newest listing or article was dated: never
    "in the future", never stale because the machine's clock moved on. It follows the content, not the
    clock, so a contributor who verifies a listing today changes it with their pull request.
    """
    import datetime
    import re

    newest = datetime.datetime.fromtimestamp(TODAY_EPOCH, datetime.timezone.utc).date()
    pattern = re.compile(rb"^(?:last_verified|date): *['\"]?(\d{4}-\d{2}-\d{2})", re.M)
    for path in content.rglob("*"):
        if path.suffix in (".yaml", ".md"):
            for found in pattern.findall(path.read_bytes()):
                with contextlib.suppress(ValueError):
                    newest = max(newest, datetime.date.fromisoformat(found.decode()))
    return int(datetime.datetime(newest.year, newest.month, newest.day, 12, tzinfo=datetime.timezone.utc).timestamp())


# Every build, check and synthetic directory in the suite, in this process or a child, takes "today"
# from here (generator.dates.build_date reads it), never from the machine's clock: the suite passes on
# any day (`make test-clock` runs it a year ahead and a year behind).
os.environ["SOURCE_DATE_EPOCH"] = str(starter_today_epoch())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives real Chromium through Playwright "
        "(skipped if unavailable, but fails when CI is set)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the ``browser`` fixture, so ``-m "not browser"`` works.

    On more than one process (``make test PYTEST_WORKERS=2``, ``--dist loadgroup``), a test file runs whole on
    one process, and every file that drives Chromium runs on the same one: browser tests never share the cores
    with another Chromium, only with the builds and checks of the other files.
    """
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    browser_files = {item.path for item in items if item.get_closest_marker("browser")}
    for item in items:
        item.add_marker(pytest.mark.xdist_group("browser" if item.path in browser_files else item.path.name))


# --------------------------------------------------------------------------- site


@pytest.fixture(scope="session", autouse=True)
def machine_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """What builds keep for the whole machine (the place lookup files: generator.placescache) goes to one folder
    of this session, shared by its builds (in this process and in the build.py it runs), never the user's own."""
    folder = tmp_path_factory.mktemp("machine-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Absolute path of the repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def starter_site(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the real ``content/`` once per session; return the output folder.

    Tests must treat the folder as read-only, since it is shared.
    """
    from generator.pipeline import build_site

    output = tmp_path_factory.mktemp("starter") / "output"
    build_site(repo_root / "content", output)
    return output


@pytest.fixture(scope="session")
def spanish_site(repo_root: Path, starter_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the real ``content/`` built in English and Spanish (its Spanish pages are under es/): the starter
    site, which is in both, or else a copy built with Spanish added. Read-only, like ``starter_site``."""
    import shutil

    from generator.pipeline import build_site

    if (starter_site / "es" / "index.html").is_file():
        return starter_site
    root = tmp_path_factory.mktemp("spanish")
    shutil.copytree(repo_root / "content", root / "content")
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("languages: [en, es]\n")
    build_site(root / "content", root / "output")
    return root / "output"


@pytest.fixture(scope="session")
def spanish_server(spanish_site: Path, repo_root: Path) -> Iterator[str]:
    """Base URL of ``spanish_site`` served with netlify.toml's headers, like ``netlify_server``."""
    from generator.netlify_headers import load_header_rules

    with serve_directory(spanish_site, load_header_rules(repo_root / "netlify.toml")) as url:
        yield url


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the scratch sample content once per session (fake listings with schedules, phones,
    addresses); return the output folder. Read-only, like ``starter_site``."""
    from generator.pipeline import build_site
    from helpers import new_content, write_sample_site

    root = tmp_path_factory.mktemp("sample")
    content = new_content(root)
    write_sample_site(content)
    build_site(content, root / "output")
    return root / "output"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build content that passes ``check`` with every awkward value (``tests/hostile_fixture.py``: quotes,
    markup, emoji, right-to-left text, formula-like cells, the longest texts and file name); return the
    output folder. Read-only, like ``starter_site``."""
    from generator.pipeline import build_site
    from hostile_fixture import write_hostile_site

    root = tmp_path_factory.mktemp("hostile")
    content = write_hostile_site(root)
    build_site(content, root / "output", strict=True)
    return root / "output"


@pytest.fixture(scope="session")
def paged_site(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fake directory of the search tests plus 110 fake Austin groups, so browse lists run to
    several pages at the real page size; return the output folder. Read-only, like ``starter_site``.

    Local groups: 115 (pages of 50, 50, 15); Texas: 112; 12-step: 63; secular: exactly 50 (one page);
    online and hybrid: 57; 12-step online: 55 (see ``helpers.write_paging_listings``).
    """
    from generator.pipeline import build_site
    from helpers import write_paging_listings
    from test_search_browser import write_fake_content

    root = tmp_path_factory.mktemp("paged")
    content = write_fake_content(root, repo_root)
    write_paging_listings(content)
    build_site(content, root / "output")
    return root / "output"


# --------------------------------------------------------------------------- serving


from generator.static_server import serve_directory  # noqa: E402  (re-exported for tests)


@pytest.fixture(scope="session")
def serve_dir() -> Callable[[Path], contextlib.AbstractContextManager[str]]:
    """The ``serve_directory`` context manager: ``with serve_dir(folder) as url: ...``."""
    return serve_directory


@pytest.fixture(scope="session")
def starter_server(starter_site: Path) -> Iterator[str]:
    """Base URL (no trailing slash) of the built starter site, served for the session."""
    with serve_directory(starter_site) as url:
        yield url


@pytest.fixture(scope="session")
def netlify_server(starter_site: Path, repo_root: Path) -> Iterator[str]:
    """Base URL of the built starter site served with netlify.toml's headers, like Netlify."""
    from generator.netlify_headers import load_header_rules

    with serve_directory(starter_site, load_header_rules(repo_root / "netlify.toml")) as url:
        yield url


@pytest.fixture(scope="session")
def paged_server(paged_site: Path, repo_root: Path) -> Iterator[str]:
    """Base URL of ``paged_site`` served with netlify.toml's headers, like ``netlify_server``."""
    from generator.netlify_headers import load_header_rules

    with serve_directory(paged_site, load_header_rules(repo_root / "netlify.toml")) as url:
        yield url


# --------------------------------------------------------------------------- browser


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _browser_unavailable(reason: str) -> NoReturn:
    """Skip locally; fail under CI so a missing browser cannot pass unnoticed."""
    if _in_ci():
        pytest.fail(
            f"{reason}. CI is set, so browser tests fail instead of skipping.",
            pytrace=False,
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (``playwright.sync_api.Browser``) shared by the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable(
            "Python Playwright is not installed (run `make test`, which installs "
            "requirements-test.txt)"
        )
    if not (CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        _browser_unavailable(
            f"Chromium not found at {CHROMIUM_PATH} (run `make test`, which installs "
            "Debian's chromium, or set CHROMIUM_PATH)"
        )

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A page in a fresh browser context, closed after the test.

    Extra attributes, filled while the test runs:
      ``page.console_errors`` -- list of str: console messages of type "error"
                                 (with their source location) and uncaught page errors;
      ``page.requests``       -- list of str: the URL of every request the page made.
    """
    context = browser.new_context()
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    new_page.console_errors = []
    new_page.requests = []

    def on_console(message) -> None:
        if message.type == "error":
            where = message.location or {}
            new_page.console_errors.append(
                f"{message.text} [{where.get('url', '?')}:{where.get('lineNumber', '?')}]"
            )

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: new_page.console_errors.append(f"pageerror: {error}"))
    new_page.on("request", lambda request: new_page.requests.append(request.url))
    try:
        yield new_page
    finally:
        context.close()


# --------------------------------------------------------------------------- scratch projects


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project folder whose ``content/`` is minimal but valid: the starter taxonomy only.

    Tests add listings and articles with ``helpers.write_listing`` / ``write_article``; CLI tests
    run ``build.py`` with ``cwd=project`` and ``--content content`` so paths print relative.
    The build's "today" is pinned (``helpers.TODAY``), so fixture dates never go stale.
    """
    from helpers import new_content

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(TODAY_EPOCH))

    return new_content(tmp_path / "project").parent


@pytest.fixture
def content(project: Path) -> Path:
    """The scratch project's ``content/`` folder."""
    return project / "content"


@pytest.fixture
def sample_content(content: Path) -> Path:
    """Scratch ``content/`` with three valid listings (in person, online, hybrid) and two articles."""
    from helpers import write_sample_site

    write_sample_site(content)
    return content
