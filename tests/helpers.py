"""Helpers for the generator tests: scratch content, running build.py, reading built HTML."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD_PY = REPO_ROOT / "build.py"
COUNT_LINE = re.compile(r"^\d+ errors?, \d+ warnings?( \(errors, with --strict\))?$")
PROBLEM_LINE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<field>[^:]+): (?P<message>.+)$")

# Valid listings that fill in every optional field the templates read, so that the scratch site
# builds whatever happens to the template bug covered by test_render's xfail test.
IN_PERSON = """\
    name: Hartford Tuesday Night Group
    kind: local-group
    support_types: [12-step, mutual-aid]
    summary: A weekly 12-step meeting in downtown Hartford, open to anyone who wants to stop drinking.
    format: in-person
    location:
      address: 1 Main Street
      city: Hartford
      region: CT
      postal_code: "06103"
    online:
      url: https://example.org/hartford/zoom
      platform: Zoom
    contact:
      phone: "860-555-0100"
      email: hartford@example.org
      website: https://example.org/hartford
    schedule:
      - day: tuesday
        start: "19:00"
        end: "20:00"
    last_verified: 2026-01-05
    source: https://example.org/hartford
"""

ONLINE = """\
    name: Anytime Online Recovery Forum
    kind: online-forum
    support_types: [smart-recovery]
    summary: A moderated online forum for people using SMART Recovery tools, open day and night.
    format: online
    online:
      url: https://example.org/forum
      platform: Web forum
    contact:
      phone: "+1-800-555-0199"
      email: forum@example.org
      website: https://example.org/forum-home
    last_verified: 2026-02-10
    source: https://example.org/forum/about
"""

HYBRID = """\
    name: Bay Area Family Circle
    kind: peer-program
    support_types: [family-support]
    summary: A peer-led group for families and friends of people in recovery, in the room or on video.
    format: hybrid
    location:
      address: 20 Market Street
      city: San Francisco
      region: CA
      postal_code: "94105"
    online:
      url: https://example.org/family/video
      platform: Zoom
    contact:
      phone: "415-555-0142"
      email: family@example.org
      website: https://example.org/family
    audience: [families]
    languages: [en, es]
    cost: free
    schedule:
      - day: saturday
        start: "10:00"
      - day: monday
        start: "18:30"
        end: "19:30"
    last_verified: 2026-03-15
    source: https://example.org/family/about
"""

ARTICLE = """\
    ---
    title: Finding a group that fits
    summary: How to try a few groups and keep going with the one that feels right.
    date: 2026-04-01
    support_types: [12-step, family-support]
    ---

    Try a few meetings before you decide.
"""

OLDER_ARTICLE = """\
    ---
    title: What to expect at a first meeting
    summary: A plain guide to walking into a peer-support meeting for the first time.
    date: 2026-02-01
    ---

    Nobody has to speak.
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def write_file(path: Path, text: str | bytes) -> Path:
    """Write dedented text (or raw bytes) to a file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(dedent(text), encoding="utf-8")
    return path


def write_listing(content: Path, rel_path: str, text: str | bytes) -> Path:
    """Write a listing file under content/listings/ from a dedented string (or bytes)."""
    return write_file(content / "listings" / rel_path, text)


def write_article(content: Path, rel_path: str, text: str | bytes) -> Path:
    """Write an article under content/articles/ from a dedented string (or bytes)."""
    return write_file(content / "articles" / rel_path, text)


def new_content(project: Path) -> Path:
    """Create `project`/content/ holding the starter taxonomy, a site.yaml with only a contact, and empty
    listings/ and articles/."""
    content = project / "content"
    (content / "listings").mkdir(parents=True)
    (content / "articles").mkdir()
    shutil.copy(REPO_ROOT / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
    # Somewhere for corrections to go, as a real site sets (without it, check warns): a made-up address.
    (content / "site.yaml").write_text("contact: corrections@example.org\n", encoding="utf-8")
    return content


def build_listings(root: Path, listings: dict[str, str], epoch: str) -> Path:
    """Build a site of these listings alone ({path under listings/: text}) into `root`/output, with the build's
    "today" at SOURCE_DATE_EPOCH `epoch`; return the output folder."""
    import pytest

    from generator.pipeline import build_site

    content = new_content(root)
    for path, text in listings.items():
        write_listing(content, path, text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch)
        build_site(content, root / "output")
    return root / "output"


def write_sample_site(content: Path) -> None:
    """Fill a scratch content folder with three valid listings and two articles."""
    write_listing(content, "ct/hartford-tuesday.yaml", IN_PERSON)
    write_listing(content, "online/anytime-forum.yaml", ONLINE)
    write_listing(content, "ca/bay-area-family.yaml", HYBRID)
    write_article(content, "finding-a-group.md", ARTICLE)
    write_article(content, "first-meeting.md", OLDER_ARTICLE)


def write_paging_listings(content: Path, count: int = 110) -> None:
    """Add `count` fake Austin groups, "Fake Paging Group 001" onwards, so browse lists run past one page.

    Groups 1–60 are 12-step and the rest secular; groups 1–55 are hybrid (so also online), the rest in person.
    """
    for n in range(1, count + 1):
        support_type = "12-step" if n <= 60 else "secular"
        hybrid = n <= 55
        lines = [f"name: Fake Paging Group {n:03d}", "kind: local-group", f"support_types: [{support_type}]",
                 f"summary: A fictional {support_type} group in Austin, one of many that make a list run to pages.",
                 f"format: {'hybrid' if hybrid else 'in-person'}",
                 'location: {city: Austin, region: TX, postal_code: "78701"}',
                 *([f'online: {{url: "https://example.org/fake-paging-{n:03d}/join"}}'] if hybrid else []),
                 "last_verified: 2026-03-01", f"source: https://example.org/fake-paging-{n:03d}"]
        write_file(content / "listings" / "tx" / f"fake-paging-{n:03d}.yaml", "\n".join(lines) + "\n")


def run_build_py(*args: str, cwd: Path, timeout: float = 90, **env_vars: str) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` in `cwd` and return the finished process (text output)."""
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8", **env_vars}
    return subprocess.run([sys.executable, str(BUILD_PY), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, encoding="utf-8")


def check_problems(project: Path, *args: str, timeout: float = 90) -> list[str]:
    """Run `build.py check --content content` in a scratch project that has errors.

    Assert what every failing check must do: exit 1, no traceback, nothing on stdout, a final count
    line that agrees with the number of problem lines. Return the problem lines.
    """
    result = run_build_py("check", "--content", "content", *args, cwd=project, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    *lines, count = result.stderr.splitlines()
    assert COUNT_LINE.match(count), count
    errors, warnings = (int(n) for n in re.findall(r"\d+", count))
    assert errors + warnings >= 1 and errors + warnings == len(lines), result.stderr
    for line in lines:
        assert PROBLEM_LINE.match(line), f"not 'path:line: field: message': {line!r}"
    return lines


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return {relative path: bytes} for every file under a folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class PageParser(HTMLParser):
    """Collect the tags, attributes, <h1> count and <title> text of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []  # (attributes, body) of each <script>
        self.h1_count = 0
        self.title = ""
        self._open: str | None = None  # "title" or "script" while inside one
        self._templates = 0  # how many <template> elements are open: their content is inert, not the page's

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "template" or self._templates:
            self._templates += tag == "template"
            return
        self.tags.append((tag, dict(attrs)))
        if tag == "h1":
            self.h1_count += 1
        if tag == "script":
            self.scripts.append((dict(attrs), ""))
        self._open = tag if tag in ("title", "script") else self._open

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._templates:
            self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._templates -= tag == "template" and self._templates > 0
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "title":
            self.title += data
        elif self._open == "script":
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)

    def links(self) -> list[str]:
        """Return every href and src value on the page."""
        return [value for _, attrs in self.tags for name, value in attrs.items()
                if name in ("href", "src") and value is not None]


def parse_page(html: str | bytes) -> PageParser:
    parser = PageParser()
    parser.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    parser.close()
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
