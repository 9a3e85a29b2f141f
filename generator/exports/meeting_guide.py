"""The Meeting Guide JSON feed (code4recovery/spec): one object per weekly meeting of listings with a schedule.

Meeting apps and the TSML meeting finders read this feed. Field names and type codes follow the spec;
a taxonomy term maps to a type code through its `meeting_guide` entry in content/taxonomy.yaml.
"""
from __future__ import annotations

from functools import partial

from ..model import Listing, Site
from .common import (Chunks, Files, Pieces, SiteConstants, compact_json, has_place, json_array_parts, site_constants,
                     take)

FEED_PATH = "api/meetings.json"
# Sections whose terms may carry a Meeting Guide code, and the listing field that holds them.
CODED_FIELDS = (("support_types", "support_types"), ("audiences", "audience"), ("languages", "languages"))


def type_codes(constants: SiteConstants, listing: Listing) -> list[str]:
    """Return the Meeting Guide type codes of a listing's support types, audiences and languages."""
    codes = set()
    for section, field in CODED_FIELDS:
        terms = constants.taxonomy.sections[section]
        codes.update(terms[slug].meeting_guide for slug in getattr(listing, field) if terms[slug].meeting_guide)
    return sorted(codes)


def meeting_slugs(listing: Listing) -> list[str]:
    """Return a slug per meeting, unique in the feed: listing, day and start time, then -2, -3… for repeats.

    Unique across listings without looking at them: a slug is <listing slug>-<day>-<HHMM>[-<n>] and day
    names hold no '-', so two listings' meetings could only share a slug if the listings shared theirs.
    """
    slugs: list[str] = []
    for meeting in listing.schedule:
        base = f"{listing.slug}-{meeting.day}-{meeting.start.replace(':', '')}"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.append(slug)
    return slugs


def place_fields(constants: SiteConstants, listing: Listing) -> dict:
    """Return where an in-person or hybrid meeting is: address parts, region and coordinates."""
    if not has_place(listing):
        return {}
    loc = listing.location
    fields = {"address": loc["address"], "city": loc["city"], "state": loc["region"],
              "postal_code": loc["postal_code"], "country": loc["country"] or "US"}
    fields = {key: value for key, value in fields.items() if value}
    region = constants.taxonomy.regions_by_code.get(loc["region"])
    if region:
        fields["region"] = region.label
    if listing.point:
        fields.update(latitude=round(listing.point.lat, 6), longitude=round(listing.point.lng, 6),
                      approximate="no" if listing.point.how == "given" else "yes")
    return fields


def online_fields(listing: Listing) -> dict:
    """Return the join link of an online or hybrid listing, and its platform."""
    if not (listing.is_online and listing.online["url"]):
        return {}
    fields = {"conference_url": listing.online["url"]}
    if listing.online["platform"]:
        fields["conference_url_notes"] = listing.online["platform"]
    return fields


def listing_meetings(constants: SiteConstants, listing: Listing) -> list[dict]:
    """Return one listing's weekly meetings as Meeting Guide objects."""
    if not listing.schedule:
        return []
    types, place, online = type_codes(constants, listing), place_fields(constants, listing), online_fields(listing)
    group = {"group": listing.organization} if listing.organization else {}
    about = {"url": constants.url(listing.url), "feedback_url": constants.url("/contribute/"),
             "updated": f"{listing.last_verified.isoformat()} 00:00:00", "entity": constants.title,
             "entity_url": constants.url("/")}
    items = []
    for meeting, slug in zip(listing.schedule, meeting_slugs(listing)):
        item = {"name": listing.name, "slug": slug, "day": meeting.day_number, "time": meeting.start}
        if meeting.end:
            item["end_time"] = meeting.end
        item.update(timezone=meeting.timezone, types=list(types), **place, **online)
        item["notes"] = "\n".join(n for n in (meeting.notes, listing.summary) if n)
        item.update(group)
        item.update(about)
        items.append(item)
    return items


def meetings_json(constants: SiteConstants, listing: Listing) -> bytes:
    """Return one listing's meetings as a JSON array, the piece of the feed made from that listing alone."""
    return compact_json(listing_meetings(constants, listing))


def render_meeting_feed(site: Site, pieces: Pieces | None = None) -> Files:
    constants = site_constants(site)
    return [(FEED_PATH, assemble_meeting_feed([take(pieces, "meetings", l, partial(meetings_json, constants))
                                               for l in site.listings]))]


def assemble_meeting_feed(pieces: list[bytes]) -> Chunks:
    """Return the feed: every listing's meetings (meetings_json, in listing order) in one JSON array."""
    return Chunks(lambda: json_array_parts(piece[1:-1] for piece in pieces if piece != b"[]"))
