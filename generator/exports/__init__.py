"""Open data, regenerated every build: the directory's own JSON and CSV, the Meeting Guide feed, Open
Referral HSDS 3.0 (JSON and tabular), an iCalendar file per scheduled listing and an Atom feed."""
from __future__ import annotations

import datetime
from functools import partial

from jinja2 import Environment

from ..model import Listing, Site
from .common import Files, SiteConstants, listing_id, site_constants
from .hsds import FOLDER as HSDS_FOLDER, assemble_hsds, service_piece, term_rows_by_id
from .hsds_tables import TABLES
from .ical import listing_calendar
from .listings import assemble_listing_exports, calendar_path, csv_row, listing_json, region_exports
from .meeting_guide import FEED_PATH, assemble_meeting_feed, meetings_json

ATOM_PATH = "feeds/listings.atom"
ATOM_ENTRIES = 50


class Pieces:
    """Each listing's pieces of the open data and search files, kept between builds by the build cache.

    A piece depends only on the site constants and its listing, so it is looked up by the listing's
    digest; `key` names the constants (and code) the pieces were made with, and a build with other
    constants starts afresh. `take` moves the pieces still in use to the new generation, so pieces
    of deleted or edited listings are dropped; kinds of piece no job asked for this time (their
    files were up to date) are kept as they were.
    """

    def __init__(self, key: str = "", old: dict | None = None, keep: bool = True):
        self.key, self.old, self.new, self.keep = key, old or {}, {}, keep
        self.kinds: set[str] = set()

    def take(self, kind: str, listing: Listing, make):
        self.kinds.add(kind)
        found = self.old.get((kind, listing.digest)) if listing.digest else None
        if found is None:
            found = make(listing)
        if listing.digest and self.keep:
            self.new[kind, listing.digest] = found
        return found

    def for_next_build(self) -> "Pieces":
        kept = {key: piece for key, piece in self.old.items() if key[0] not in self.kinds}
        return Pieces(self.key, {**kept, **self.new})


def render_exports(site: Site, env: Environment, pieces: Pieces | None = None) -> Files:
    """Return every open data file of the site that holds many listings.

    Each listing's own calendar (`render_calendar`) is rendered with its page, so that editing one
    listing does not rewrite every calendar. With `pieces`, the per-listing parts of the other files
    are reused from the previous build where the listing did not change.
    """
    pieces = pieces or Pieces()
    constants = site_constants(site)
    terms = term_rows_by_id(constants)
    listings = site.listings
    files = assemble_listing_exports(site, [pieces.take("json", l, partial(listing_json, constants)) for l in listings],
                                     [pieces.take("csv", l, partial(csv_row, constants)) for l in listings])
    files.append((FEED_PATH, assemble_meeting_feed([pieces.take("meetings", l, partial(meetings_json, constants))
                                                    for l in listings])))
    files += assemble_hsds(site, [pieces.take("hsds", l, partial(service_piece, constants, terms)) for l in listings])
    files.append(render_atom(env, site))
    return files


def render_calendar(constants: SiteConstants, listing: Listing) -> Files:
    """Return the listing's iCalendar file, or nothing when it has no schedule."""
    return [(calendar_path(listing).lstrip("/"), listing_calendar(constants, listing))] if listing.schedule else []


def render_atom(env: Environment, site: Site) -> tuple[str, bytes]:
    """Return the Atom feed of the listings most recently added or re-verified, newest first."""
    recent = sorted(site.listings, key=lambda l: (l.last_verified, l.slug), reverse=True)[:ATOM_ENTRIES]
    newest = recent[0].last_verified if recent else datetime.date(1970, 1, 1)
    entries = [{"id": listing_id(l), "listing": l} for l in recent]
    xml = env.get_template("feeds/listings.atom").render(
        entries=entries, updated=f"{newest.isoformat()}T00:00:00Z",
        feed_id=site.config.absolute_url("/feeds/listings.atom") if site.config.is_absolute
        else "tag:peer-support-directory,2026:listings")
    return ATOM_PATH, xml.encode("utf-8")


def export_catalog(site: Site) -> dict:
    """Return what the open data page lists: paths, tables, the state files and counts."""
    return {"meetings_feed": "/" + FEED_PATH, "atom": "/" + ATOM_PATH, "hsds_folder": f"/{HSDS_FOLDER}/",
            "hsds_tables": [(name, path) for name, (path, _) in TABLES.items()],
            "regions": region_exports(site),
            "meeting_count": sum(len(l.schedule) for l in site.listings),
            "calendar_count": sum(1 for l in site.listings if l.schedule)}
