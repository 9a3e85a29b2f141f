"""A small scratch site for the export tests: the sample listings plus a Los Angeles women's meeting in
Spanish (its own coordinates and timezone, a meeting past midnight) and a listing whose summary a
spreadsheet would read as a formula. Rendered in memory under https://example.org/dir/."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from generator.pipeline import gather_site
from generator.render import render_site
from helpers import new_content, write_listing, write_sample_site

BASE_URL = "https://example.org/dir/"
STANDARDS = Path(__file__).resolve().parent / "standards"

LOS_ANGELES = """\
    name: Echo Park Women's Meeting
    kind: local-group
    support_types: [12-step, secular]
    summary: A fictional Spanish-language women's meeting in Los Angeles, used only by the test suite.
    format: in-person
    audience: [women]
    languages: [es]
    location:
      address: 1 Example Avenue
      city: Los Angeles
      region: CA
      postal_code: "90026"
      lat: 34.078
      lng: -118.26
    schedule:
      - day: friday
        start: "23:30"
        end: "00:30"
        notes: Late night
      - day: sunday
        start: "09:00"
        timezone: America/Los_Angeles
    last_verified: 2026-05-20
    source: https://example.org/echo-park
"""

FORMULA = """\
    name: Austin Spreadsheet Test Group
    kind: local-group
    support_types: [mutual-aid]
    summary: =HYPERLINK("https://example.org") is how a spreadsheet would read this summary.
    format: in-person
    location: {city: Austin, region: TX}
    contact: {phone: "+1-512-555-0100"}
    last_verified: 2025-12-01
    source: https://example.org/austin-test
"""

SCHEDULED = {"hartford-tuesday": 1, "bay-area-family": 2, "echo-park-women": 2}


def make_export_content(root: Path) -> Path:
    content = new_content(root / "project")
    write_sample_site(content)
    write_listing(content, "ca/echo-park-women.yaml", LOS_ANGELES)
    write_listing(content, "tx/austin-spreadsheet.yaml", FORMULA)
    return content


def render_exports_site(content: Path, base_url: str = BASE_URL) -> dict[str, bytes]:
    result = gather_site(content, base_url)
    assert result.errors == [], result.errors
    return dict(render_site(result.site))


def load_json(files: dict, path: str):
    return json.loads(bytes(files[path]).decode("utf-8"))  # bytes(): the open data may be Chunks


def standard_schema(name: str) -> dict:
    """Return a copied standard's schema, e.g. 'hsds-3.0/compiled/service.json' (stored gzipped)."""
    path = STANDARDS / name
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    with gzip.open(path.with_name(path.name + ".gz"), "rt", encoding="utf-8") as handle:
        return json.load(handle)
