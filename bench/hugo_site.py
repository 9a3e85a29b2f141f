"""Write the synthetic listings as a minimal Hugo site, and build it with `hugo`, for comparison.

What is generated (all inside the folder it is given, never content/):

- `hugo.yaml`: base URL, `taxonomies: {support_type: support_types, region: regions}` — a page per
  support type and per state, like our facet pages — and Hugo's default outputs (HTML, plus RSS for
  the home page, sections and taxonomies, and sitemap.xml).
- `content/listings/<slug>.md`, one per listing: YAML front matter with title, summary, kind,
  support_types (taxonomy), format, city, region, regions (taxonomy, `[region]` for listings with
  a place), last_verified; the body is the listing's description in Markdown.
- `content/articles/<slug>.md`: the synthetic articles as they are (front matter + Markdown).
- `layouts/_default/baseof.html`, `single.html` and `list.html`: a tiny layout; list pages (home,
  sections, taxonomy and term pages) link every page they hold, without pagination.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from bench.measure import ChildRun, run_child

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    Loader = yaml.SafeLoader

CONFIG = """baseURL: https://example.org/
title: Synthetic directory (Hugo comparison)
disableKinds: []
taxonomies:
  support_type: support_types
  region: regions
"""
BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>
<dl><dt>Kind</dt><dd>{{ .Params.kind }}</dd><dt>Format</dt><dd>{{ .Params.format }}</dd>
{{ with .Params.city }}<dt>Place</dt><dd>{{ . }}, {{ $.Params.region }}</dd>{{ end }}
<dt>Support types</dt><dd>{{ range .GetTerms "support_types" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
{{ with .Params.last_verified }}<dt>Last verified</dt><dd>{{ . }}</dd>{{ end }}</dl>
{{ .Content }}</article>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>
{{ end }}
"""


def front_matter_for(listing: dict) -> dict:
    """Return the Hugo front matter for one listing."""
    location = listing.get("location") or {}
    matter = {"title": listing["name"], "summary": listing["summary"], "kind": listing["kind"],
              "support_types": listing["support_types"], "format": listing["format"]}
    if location:
        matter.update(city=location.get("city", ""), region=location.get("region", ""),
                      regions=[location.get("region", "")])
    matter["last_verified"] = str(listing.get("last_verified", ""))
    return matter


def markdown_page(matter: dict, body: str) -> str:
    """Return a Markdown page with YAML front matter (JSON values are valid YAML)."""
    lines = ["---"] + [f"{key}: {json.dumps(value)}" for key, value in matter.items()] + ["---", ""]
    return "\n".join(lines) + (body or "").strip() + "\n"


def write_hugo_site(content: Path, site: Path) -> int:
    """Write a Hugo site holding the listings and articles of a synthetic content folder; return pages."""
    for folder in ("layouts/_default", "content/listings", "content/articles"):
        (site / folder).mkdir(parents=True, exist_ok=True)
    (site / "hugo.yaml").write_text(CONFIG, encoding="utf-8")
    for name, text in (("baseof.html", BASEOF), ("single.html", SINGLE), ("list.html", LIST)):
        (site / "layouts/_default" / name).write_text(text, encoding="utf-8")
    pages = 0
    for path in sorted((content / "listings").rglob("*.yaml")):
        listing = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        page = markdown_page(front_matter_for(listing), listing.get("description", ""))
        (site / "content/listings" / f"{path.stem}.md").write_text(page, encoding="utf-8")
        pages += 1
    for path in sorted((content / "articles").glob("*.md")):
        shutil.copyfile(path, site / "content/articles" / path.name)
        pages += 1
    return pages


def build_hugo(site: Path, timeout: float, cold: bool = True) -> ChildRun:
    """Run `hugo --quiet` on the site; for a cold build delete public/ and resources/ first."""
    if cold:
        for folder in ("public", "resources"):
            shutil.rmtree(site / folder, ignore_errors=True)
    return run_child(["hugo", "--quiet", "--source", str(site), "--destination", str(site / "public")],
                     timeout, cwd=site)
