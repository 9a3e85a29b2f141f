"""The Meeting Guide JSON feed (code4recovery/spec): one object per weekly meeting of listings with a schedule.

Meeting apps and the TSML meeting finders read this feed. Field names and type codes follow the spec;
a taxonomy term maps to a type code through its `meeting_guide` entry in content/taxonomy.yaml.
"""
from __future__ import annotations

from ..model import Listing, Meeting, Site
from .common import Files, compact_json, has_place

FEED_PATH = "api/meetings.json"
# Sections whose terms may carry a Meeting Guide code, and the listing field that holds them.
CODED_FIELDS = (("support_types", "support_types"), ("audiences", "audience"), ("languages", "languages"))


def type_codes(site: Site, listing: Listing) -> list[str]:
    """Return the Meeting Guide type codes of a listing's support types, audiences and languages."""
    codes = set()
    for section, field in CODED_FIELDS:
        terms = site.taxonomy.sections[section]
        codes.update(terms[slug].meeting_guide for slug in getattr(listing, field) if terms[slug].meeting_guide)
    return sorted(codes)


def meeting_slug(listing: Listing, meeting: Meeting, taken: set[str]) -> str:
    """Return a stable slug for one meeting, unique in the feed (listing, day and start time)."""
    base = f"{listing.slug}-{meeting.day}-{meeting.start.replace(':', '')}"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def place_fields(site: Site, listing: Listing) -> dict:
    """Return where an in-person or hybrid meeting is: address parts, region and coordinates."""
    if not has_place(listing):
        return {}
    loc = listing.location
    fields = {"address": loc["address"], "city": loc["city"], "state": loc["region"],
              "postal_code": loc["postal_code"], "country": loc["country"] or "US"}
    fields = {key: value for key, value in fields.items() if value}
    region = site.taxonomy.regions_by_code.get(loc["region"])
    if region:
        fields["region"] = region.label
    if listing.point:
        fields.update(latitude=round(listing.point.lat, 6), longitude=round(listing.point.lng, 6),
                      approximate="no" if listing.point.how == "given" else "yes")
    return fields


def meeting_object(site: Site, listing: Listing, meeting: Meeting, slug: str) -> dict:
    """Return one weekly meeting as a Meeting Guide object."""
    config = site.config
    item = {"name": listing.name, "slug": slug, "day": meeting.day_number, "time": meeting.start}
    if meeting.end:
        item["end_time"] = meeting.end
    item["timezone"] = meeting.timezone
    item["types"] = type_codes(site, listing)
    item.update(place_fields(site, listing))
    if listing.is_online and listing.online["url"]:
        item["conference_url"] = listing.online["url"]
        if listing.online["platform"]:
            item["conference_url_notes"] = listing.online["platform"]
    notes = [meeting.notes, listing.summary]
    item["notes"] = "\n".join(n for n in notes if n)
    if listing.organization:
        item["group"] = listing.organization
    item.update(url=config.absolute_url(listing.url), feedback_url=config.absolute_url("/contribute/"),
                updated=f"{listing.last_verified.isoformat()} 00:00:00", entity=config.title,
                entity_url=config.absolute_url("/"))
    return item


def meeting_objects(site: Site) -> list[dict]:
    """Return every weekly meeting of every listing with a schedule, in listing then meeting order."""
    taken: set[str] = set()
    return [meeting_object(site, listing, meeting, meeting_slug(listing, meeting, taken))
            for listing in site.listings for meeting in listing.schedule]


def render_meeting_feed(site: Site) -> Files:
    return [(FEED_PATH, compact_json(meeting_objects(site)))]

