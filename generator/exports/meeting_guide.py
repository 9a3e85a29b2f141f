"""The Meeting Guide JSON feed (code4recovery/spec): one object per weekly meeting of listings with a schedule.

Meeting apps and the TSML meeting finders read this feed. Field names and type codes follow the spec;
a taxonomy term maps to a type code through its `meeting_guide` entry in content/taxonomy.yaml.

Every object must pass the spec's JSON Schema (schema/meeting.schema.json, checked by
tests/test_meeting_guide_schema.py): a value the schema would reject is reshaped into a form it accepts
(an address without its punctuation, a ZIP code without its +4) or left out, never sent as it is, since a
reader that validates the feed may refuse all of it for one bad meeting.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import partial
from urllib.parse import quote

from ..addresses import ADDRESSES, output_file
from ..model import Listing, Site
from .common import (Chunks, Files, PieceMemo, SiteConstants, compact_json, has_place, json_array_parts, site_constants,
                     take)

FEED_PATH = output_file(ADDRESSES.meetings_feed())
# Sections whose terms may carry a Meeting Guide code, and the listing field that holds them.
CODED_FIELDS = (("support_types", "support_types"), ("audiences", "audience"), ("languages", "languages"))

# The type codes the feed may carry: the "Currently Available Types" of the spec's meeting-type.schema.json.
# The spec disagrees with itself here. Its newer data/types.json and README table also define AF, AR, BG, FI,
# IS, KA, MT, NE, NL and SL (Arabic among them, which content/taxonomy.yaml maps), while the schema's enum
# lacks them; the schema instead has proposed codes (BV-I, D-HOH, LGBTQIAA+, LO-I, QSL, RSL) that types.json
# does not name. We follow the schema: a feed with one code outside its enum fails validation as a whole,
# while a meeting without its Arabic code only misses one filter in apps. Every code below is also in
# types.json, so readers that go by either source know all of them. Add a code when the schema gains it.
SCHEMA_TYPE_CODES = frozenset((
    "11", "12x12", "A", "ABSI", "AL", "AL-AN", "AM", "ASL", "B", "BA", "BE", "BI", "BRK", "C", "CAN", "CF", "D",
    "DA", "DB", "DD", "DE", "DR", "EL", "EN", "FA", "FF", "FR", "G", "GR", "H", "HE", "HI", "HR", "HU", "ITA",
    "JA", "KOR", "L", "LGBTQ", "LIT", "LS", "LT", "M", "MED", "ML", "N", "NB", "NDG", "NO", "O", "OUT", "P",
    "POA", "POC", "POL", "POR", "PUN", "RUS", "S", "SEN", "SK", "SM", "SP", "ST", "SV", "T", "TC", "TH", "TL",
    "TR", "TUR", "UK", "W", "X", "XB", "XT", "Y"))

# The schema's limits and patterns for the fields this feed fills in.
MAX_SLUG = 64
MAX_NAME = 255
SLUG_HASH = 10  # hex digits of the hash that ends a shortened slug
SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # URL-safe, as the spec's README asks
DIAL_IN = re.compile(r"^[+]?\d{1,15}(?:[,*#]\d+)*$")
CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$")
ADDRESS = re.compile(r"^(?:[0-9]+\s)?[0-9]*\s?[A-Za-z]+(?:\s[A-Za-z]+)*$")
CITY = re.compile(r"^[A-Za-z]+(?:\s[A-Za-z]+)*$")
STATE = re.compile(r"^[A-Z]{2}$")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
ZIP_PLUS_4 = re.compile(r"^([0-9]{5})-[0-9]{4}$")
# What may stay as it is in a URI (RFC 3986 reserved and unreserved characters, and '%' of an escape).
URI_SAFE = "!#$%&'()*+,-./:;=?@[]~_"


def type_codes(constants: SiteConstants, listing: Listing, meeting=None) -> list[str]:
    """Return the Meeting Guide type codes of a listing's support types, audiences and languages, and of
    one meeting's own types."""
    codes = set()
    if meeting is not None:
        terms = constants.taxonomy.sections.get("meeting_types", {})
        codes.update(terms[slug].meeting_guide for slug in meeting.types if slug in terms and terms[slug].meeting_guide)
    for section, field in CODED_FIELDS:
        terms = constants.taxonomy.sections[section]
        codes.update(terms[slug].meeting_guide for slug in getattr(listing, field) if terms[slug].meeting_guide)
    return sorted(codes & SCHEMA_TYPE_CODES)


def meeting_slugs(listing: Listing) -> list[str]:
    """Return a slug per meeting, unique in the feed: listing, day and start time, then -2, -3… for repeats.

    Unique across listings without looking at them: a slug is <listing slug>-<day>-<HHMM>[-<n>] and day
    names hold no '-', so two listings' meetings could only share a slug if the listings shared theirs.
    Too long or not URL-safe, it is shortened (short_slug), which keeps it unique.
    """
    tails: list[str] = []
    for meeting in listing.schedule:
        base = f"{meeting.day}-{meeting.start.replace(':', '')}"
        tail, n = base, 2
        while tail in tails:
            tail, n = f"{base}-{n}", n + 1
        tails.append(tail)
    return [short_slug(listing.slug, tail) for tail in tails]


def short_slug(listing_slug: str, tail: str) -> str:
    """Return <listing slug>-<tail> if the spec accepts it, else the listing slug cut short, tail and a hash.

    The hash is of the whole slug, so two listings whose slugs begin alike still differ; and it cannot
    match a slug left whole, which ends in 4 digits (the time) or a repeat's small number, never in
    SLUG_HASH characters. The same listing, day and time give the same slug in every build.
    """
    slug = f"{listing_slug}-{tail}"
    if len(slug) <= MAX_SLUG and SAFE_SLUG.match(slug):
        return slug
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:SLUG_HASH]
    room = MAX_SLUG - len(tail) - SLUG_HASH - 2
    prefix = re.sub(r"[^a-z0-9]+", "-", listing_slug.lower())[:room].strip("-")
    return "-".join(part for part in (prefix, tail, digest) if part)


def plain(text: str) -> str:
    """Return text in ASCII letters, digits and single spaces: accents dropped, punctuation made spaces."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^A-Za-z0-9]+", " ", ascii_text).split())


def conform(pattern: re.Pattern, *candidates: str) -> str:
    """Return the first candidate, as it is or made plain, that the pattern accepts ('' for none)."""
    for candidate in candidates:
        for form in (candidate, plain(candidate)):
            if form and pattern.match(form):
                return form
    return ""


def street(address: str) -> str:
    """Return the street line of an address in a form the spec's pattern accepts ('' if none fits)."""
    # The spec asks for the street only ("strip extra information"): a suite or floor after a comma goes.
    return conform(ADDRESS, address, address.split(",")[0])


def postal_code(code: str) -> str:
    """Return a five-digit ZIP code, dropping a ZIP+4's last four digits ('' if none fits)."""
    plus_4 = ZIP_PLUS_4.match(code)
    return conform(POSTAL_CODE, plus_4.group(1) if plus_4 else code)


def address_fields(loc) -> dict:
    """Return the address parts of a location that the spec's patterns accept, the full address kept in notes."""
    fields = {"address": street(loc["address"]), "city": conform(CITY, loc["city"]),
              "state": conform(STATE, loc["region"]), "postal_code": postal_code(loc["postal_code"]),
              "country": loc["country"] or "US"}
    fields = {key: value for key, value in fields.items() if value}
    if loc["address"] and fields.get("address") != loc["address"]:
        # Part of the address did not fit the spec's pattern: apps show location_notes with the place, and
        # our import reads the address back from this line.
        fields["location_notes"] = f"Address: {loc['address']}"
    return fields


def place_fields(constants: SiteConstants, listing: Listing) -> dict:
    """Return where an in-person or hybrid meeting is: address parts, region and coordinates."""
    if not has_place(listing):
        return {}
    fields = address_fields(listing.location)
    region = constants.taxonomy.regions_by_code.get(listing.location["region"])
    if region:
        fields["region"] = region.label
    if listing.point:
        fields.update(latitude=round(listing.point.lat, 6), longitude=round(listing.point.lng, 6),
                      approximate="no" if listing.point.how == "given" else "yes")
    return fields


def state_fields(listing: Listing) -> dict:
    """Return the state and country of a listing, for its online meetings: they have no address, but the
    state they belong to helps apps that list meetings by region."""
    if not listing.location["region"]:
        return {}
    fields = address_fields(listing.location)
    return {key: fields[key] for key in ("state", "country") if key in fields}


def uri(url: str) -> str:
    """Return an absolute http(s) URL as a URI, non-ASCII and unsafe characters escaped ('' if not absolute)."""
    if not url.startswith(("http://", "https://")):
        return ""  # a root-relative address (no base URL set) is not the URI the spec asks for
    return quote(url, safe=URI_SAFE)


def online_fields(listing: Listing) -> dict:
    """Return the join link of an online or hybrid listing, with its joining notes (or its platform), and its
    dial-in number in the digits, commas, * and # the spec allows."""
    link = uri(listing.online["url"]) if listing.is_online else ""
    if not link:
        return {}
    fields = {"conference_url": link}
    notes = listing.online["notes"] or listing.online["platform"]
    if notes:
        fields["conference_url_notes"] = notes
    dial = re.sub(r"[\s().-]", "", listing.online["phone"])
    if DIAL_IN.match(dial):
        fields["conference_phone"] = dial
    elif listing.dial_in:  # a one-tap string the spec's pattern refuses (",,", a last "#"): its number, and the
        if DIAL_IN.match(listing.dial_in.number):  # whole string for people to read
            fields["conference_phone"] = listing.dial_in.number
        fields["conference_phone_notes"] = listing.online["phone"]
    return fields


def contact_fields(listing: Listing) -> dict:
    """Return the group's own public contacts, under the names the meeting-list plugin's feeds use."""
    contact = listing.contact
    fields = {"website": uri(contact["website"]), "email": contact["email"],
              "phone": listing.phone.display if listing.phone else ""}
    return {key: value for key, value in fields.items() if value}


def about_fields(constants: SiteConstants, listing: Listing) -> dict:
    """Return who publishes the listing, where to read and correct it, and when it was last checked."""
    links = {"url": uri(constants.url(listing.url)), "feedback_url": uri(constants.url(ADDRESSES.page("contribute"))),
             "entity_website_url": uri(constants.url(ADDRESSES.page("home")))}
    fields = {"updated": f"{listing.last_verified.isoformat()} 00:00:00", "entity": constants.title}
    fields.update((key, link) for key, link in links.items() if link)
    return fields


def time_fields(meeting) -> dict:
    """Return a meeting's day, start and end in the spec's forms, leaving out a time it would reject."""
    fields = {"day": meeting.day_number, "time": meeting.start, "end_time": meeting.end}
    return {key: value for key, value in fields.items() if key == "day" or CLOCK.match(value or "")}


def listing_meetings(constants: SiteConstants, listing: Listing) -> list[dict]:
    """Return one listing's weekly meetings as Meeting Guide objects: none for one that may have stopped meeting
    (gone from the list it was imported from), as the spec has no way to say so."""
    if not listing.schedule or listing.gone_from_source:
        return []
    place, online = place_fields(constants, listing), online_fields(listing)
    state = state_fields(listing)
    if place and listing.location["name"]:
        place = {"location": listing.location["name"], **place}
    group = {"group": listing.name[:MAX_NAME]}
    if listing.description:
        group["group_notes"] = listing.description
    about = {**contact_fields(listing), **about_fields(constants, listing)}
    items = []
    for meeting, slug in zip(listing.schedule, meeting_slugs(listing)):
        item = {"name": (meeting.name or listing.name)[:MAX_NAME], "slug": slug, **time_fields(meeting)}
        attendance = meeting.format or listing.format
        where = place if attendance != "online" else state
        item.update(timezone=meeting.timezone, types=type_codes(constants, listing, meeting),
                    **where, **(online if attendance != "in-person" else {}))
        if meeting.notes:
            item["notes"] = meeting.notes
        item.update(group)
        item.update(about)
        items.append(item)
    return items


def meetings_json(constants: SiteConstants, listing: Listing) -> bytes:
    """Return one listing's meetings as a JSON array, the piece of the feed made from that listing alone."""
    return compact_json(listing_meetings(constants, listing))


def render_meeting_feed(site: Site, pieces: PieceMemo | None = None) -> Files:
    constants = site_constants(site)
    return [(FEED_PATH, assemble_meeting_feed([take(pieces, "meetings", l, partial(meetings_json, constants))
                                               for l in site.listings]))]


def assemble_meeting_feed(pieces: list[bytes]) -> Chunks:
    """Return the feed: every listing's meetings (meetings_json, in listing order) in one JSON array."""
    return Chunks(lambda: json_array_parts(piece[1:-1] for piece in pieces if piece != b"[]"))
