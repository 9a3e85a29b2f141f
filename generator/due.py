"""The list of listings due for re-verification, for a person or for the scheduled GitHub issue."""
from __future__ import annotations

from .model import Listing, Site
from .render import edit_url

# The scheduled workflow finds its issue by this marker, so it updates one issue instead of opening more.
MARKER = "<!-- listings-due-for-reverification -->"


def due_listings(site: Site) -> list[Listing]:
    """Return listings last verified before the stale date, oldest first."""
    return sorted((l for l in site.listings if site.is_stale(l)), key=lambda l: (l.last_verified, l.path))


def due_report(site: Site, style: str = "text") -> str:
    """Return the report: plain lines, or a Markdown checklist for an issue ('' when nothing is due)."""
    due = due_listings(site)
    if not due:
        return "" if style == "markdown" else "No listings are due for re-verification.\n"
    if style == "markdown":
        return _markdown(site, due)
    lines = [f"{l.path}: last verified {l.last_verified.isoformat()} — check {l.source}" for l in due]
    return "\n".join(lines) + f"\n{len(due)} due for re-verification (last verified before "\
                              f"{site.stale_before.isoformat()}).\n"


def _markdown(site: Site, due: list[Listing]) -> str:
    count = f"{len(due)} listing{'s' if len(due) != 1 else ''}"
    lines = [MARKER, f"{count} were last verified more than 12 months ago (before {site.stale_before.isoformat()}).",
             "", "For each one: open its source, check every fact in the file, fix what changed and set "
             "`last_verified` to the day you checked. See CONTRIBUTING.md, “Verifying a listing”.", ""]
    for listing in due:
        link = edit_url(site, listing) or listing.path
        lines.append(f"- [ ] [{_md(listing.name)}]({link}) — last verified {listing.last_verified.isoformat()} — "
                     f"source: <{listing.source}>")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Escape the characters that would end or break a Markdown link text."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
