"""Open data, regenerated every build: the directory's own JSON and CSV, the Meeting Guide feed, Open
Referral HSDS 3.0 (JSON and tabular), an iCalendar file per scheduled listing and an Atom feed."""
from __future__ import annotations

import datetime
from collections.abc import Callable

from jinja2 import Environment

from ..addresses import ADDRESSES, output_file
from ..model import Listing, Site
from .common import Files, PieceMemo, SiteConstants, listing_id
from .hsds import render_hsds, render_hsds_tables
from .hsds_tables import TABLES
from .ical import listing_calendar
from .listings import calendar_path, region_exports, render_listing_exports
from .meeting_guide import render_meeting_feed

ATOM_ENTRIES = 50


def export_groups(site: Site, env: Environment,
                  pieces: PieceMemo | None = None) -> list[tuple[str, Callable[[], Files], bool]]:
    """Return (name, make, whether it uses templates) for each group of open data files that hold many
    listings, made one group at a time: the directory's own JSON and CSV, the Meeting Guide feed, HSDS
    JSON, HSDS CSV, the Atom feed.

    Each listing's own calendar (`render_calendar`) is rendered with its page, so that editing one
    listing does not rewrite every calendar. With `pieces`, the per-listing parts of the other files
    are reused from the previous build where the listing did not change. A group's files are written
    before the next is made, so that without the cache only one group's pieces are in memory at once.
    """
    return [("exports-listings", lambda: render_listing_exports(site, pieces), False),
            ("exports-meetings", lambda: render_meeting_feed(site, pieces), False),
            ("exports-hsds", lambda: render_hsds(site, pieces), False),
            ("exports-hsds-tables", lambda: render_hsds_tables(site, pieces), False),
            ("exports-atom", lambda: [render_atom(env, site)], True)]


def render_calendar(constants: SiteConstants, listing: Listing, path: str = "") -> Files:
    """Return the listing's iCalendar file (at `path`, beside another language's page), or nothing without a schedule."""
    if not listing.schedule:
        return []
    return [(output_file(path or calendar_path(listing)), listing_calendar(constants, listing))]


def render_atom(env: Environment, site: Site) -> tuple[str, bytes]:
    """Return the Atom feed of the listings most recently added or re-verified, newest first."""
    recent = sorted(site.listings, key=lambda l: (l.last_verified, l.slug), reverse=True)[:ATOM_ENTRIES]
    newest = recent[0].last_verified if recent else datetime.date(1970, 1, 1)
    entries = [{"id": listing_id(l), "listing": l} for l in recent]
    xml = env.get_template("feeds/listings.atom").render(
        entries=entries, updated=f"{newest.isoformat()}T00:00:00Z",
        feed_id=site.config.absolute_url(ADDRESSES.atom_feed()) if site.config.is_absolute
        else "tag:peer-support-directory,2026:listings")
    return output_file(ADDRESSES.atom_feed()), xml.encode("utf-8")


def export_catalog(site: Site) -> dict:
    """Return what the open data page lists: paths, tables, the state files and counts."""
    return {"hsds_tables": [(name, path) for name, (path, _) in TABLES.items()],
            "regions": region_exports(site),
            "meeting_count": sum(len(l.schedule) for l in site.listings),
            "calendar_count": sum(1 for l in site.listings if l.schedule)}
