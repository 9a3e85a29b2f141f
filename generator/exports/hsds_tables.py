"""Listings as Open Referral HSDS 3.0 tables: one row per organization, service, location, address, phone,
schedule, language, attribute and taxonomy term. The JSON records and the CSV files are both made from these.

How a listing maps: the listing is a *service*; the organization named in `organization` (or the listing
itself) is its *organization*; an in-person or hybrid listing has a *physical location* and an online or
hybrid one a *virtual location* (its join URL), each tied to the service by a *service_at_location*.
Each weekly meeting is a *schedule* row with a weekly recurrence (freq WEEKLY, byday, opens_at, closes_at).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Listing, Meeting, Site
from .common import has_place, label, listing_id, organization_id, organization_name, stable_id

# HSDS table name -> (CSV file name from HSDS's tabular schema, columns in order).
TABLES = {
    "organization": ("organizations.csv", ("id", "name", "description", "email", "website")),
    "service": ("services.csv", ("id", "organization_id", "name", "description", "url", "email", "status",
                                 "fees_description", "eligibility_description", "assured_date")),
    "location": ("locations.csv", ("id", "location_type", "url", "organization_id", "name", "description",
                                   "latitude", "longitude")),
    "address": ("addresses.csv", ("id", "location_id", "address_1", "city", "state_province", "postal_code",
                                  "country", "address_type")),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "phone": ("phones.csv", ("id", "service_id", "number")),
    "schedule": ("schedules.csv", ("id", "service_id", "freq", "byday", "opens_at", "closes_at", "description",
                                   "attending_type", "notes")),
    "language": ("languages.csv", ("id", "service_id", "name", "code")),
    "taxonomy_term": ("taxonomy_terms.csv", ("id", "code", "name", "description", "taxonomy")),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity")),
}
# Vocabulary published as HSDS taxonomy terms and linked to services through attributes.
ATTRIBUTE_SECTIONS = (("kinds", "kind"), ("formats", "format"), ("support_types", "support_type"),
                      ("audiences", "audience"), ("costs", "cost"))
BYDAY = {"sunday": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
         "saturday": "SA"}

Row = dict[str, object]


@dataclass
class Tables:
    """The HSDS rows of a whole site, by table name, each row a dict holding only the fields it has."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, **values: object) -> Row:
        row = {key: value for key, value in values.items() if value not in ("", None)}
        self.rows[table].append(row)
        return row


def term_id(section: str, slug: str) -> str:
    return stable_id("taxonomy_term", section, slug)


def build_tables(site: Site) -> Tables:
    """Return every HSDS row for the site's listings and vocabulary."""
    tables = Tables()
    add_taxonomy_terms(tables, site)
    add_organizations(tables, site)
    for listing in site.listings:
        add_service(tables, site, listing)
    return tables


def add_taxonomy_terms(tables: Tables, site: Site) -> None:
    for section, link_type in ATTRIBUTE_SECTIONS:
        for slug, term in site.taxonomy.sections[section].items():
            tables.add("taxonomy_term", id=term_id(section, slug), code=f"{link_type}/{slug}", name=term.label,
                       description=term.description, taxonomy=f"{site.config.title}: {section.replace('_', ' ')}")


def add_organizations(tables: Tables, site: Site) -> None:
    """Add one organization per distinct organization name, in name order."""
    groups: dict[str, list[Listing]] = defaultdict(list)
    for listing in site.listings:
        groups[organization_id(organization_name(listing))].append(listing)
    for org_id, listings in sorted(groups.items(), key=lambda item: organization_name(item[1][0]).casefold()):
        name = organization_name(listings[0])
        own = next((l for l in listings if l.name == name), None)
        if own:
            tables.add("organization", id=org_id, name=name, description=own.summary,
                       email=own.contact["email"], website=own.contact["website"] or own.source)
        else:
            runs = "; ".join(l.name for l in listings)
            tables.add("organization", id=org_id, name=name, description=f"Runs, in this directory: {runs}.")


def add_service(tables: Tables, site: Site, listing: Listing) -> None:
    """Add a listing's service row and every row that hangs from it."""
    service_id = listing_id(listing)
    org_id = organization_id(organization_name(listing))
    audience = ", ".join(label(site, "audiences", slug) for slug in listing.audience)
    tables.add("service", id=service_id, organization_id=org_id, name=listing.name,
               description="\n\n".join(part for part in (listing.summary, listing.description) if part),
               url=listing.website, email=listing.contact["email"], status="active",
               fees_description=label(site, "costs", listing.cost) if listing.cost else "",
               eligibility_description=f"Especially for: {audience}" if audience else "",
               assured_date=listing.last_verified.isoformat())
    add_locations(tables, listing, service_id, org_id)
    if listing.phone:
        tables.add("phone", id=stable_id("phone", listing.slug), service_id=service_id,
                   number=listing.phone.display)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for meeting in listing.schedule:
        seen[meeting.day, meeting.start] += 1  # two meetings at one time still get two ids
        add_schedule(tables, listing, meeting, service_id, seen[meeting.day, meeting.start])
    for code in listing.languages:
        tables.add("language", id=stable_id("language", listing.slug, code), service_id=service_id,
                   name=label(site, "languages", code), code=code)
    add_attributes(tables, listing, service_id)


def add_locations(tables: Tables, listing: Listing, service_id: str, org_id: str) -> None:
    """Add the physical location (with its address when the street is known) and the virtual one."""
    if has_place(listing):
        loc = listing.location
        location_id = stable_id("location", "physical", listing.slug)
        given = listing.point if listing.point and listing.point.how == "given" else None
        tables.add("location", id=location_id, location_type="physical", organization_id=org_id,
                   name=listing.name, description=listing.place,
                   latitude=given.lat if given else None, longitude=given.lng if given else None)
        if loc["address"] and loc["postal_code"]:
            tables.add("address", id=stable_id("address", listing.slug), location_id=location_id,
                       address_1=loc["address"], city=loc["city"], state_province=loc["region"],
                       postal_code=loc["postal_code"], country=loc["country"] or "US", address_type="physical")
        tables.add("service_at_location", id=stable_id("service_at_location", "physical", listing.slug),
                   service_id=service_id, location_id=location_id, description=f"In person in {listing.place}")
    if listing.is_online and listing.online["url"]:
        location_id = stable_id("location", "virtual", listing.slug)
        platform = listing.online["platform"]
        tables.add("location", id=location_id, location_type="virtual", url=listing.online["url"],
                   organization_id=org_id, name=f"{listing.name} online",
                   description=f"Online ({platform})" if platform else "Online")
        tables.add("service_at_location", id=stable_id("service_at_location", "virtual", listing.slug),
                   service_id=service_id, location_id=location_id, description="Online")


def add_schedule(tables: Tables, listing: Listing, meeting: Meeting, service_id: str, n: int) -> None:
    """Add one weekly meeting as a weekly recurrence, in the meeting's local time."""
    times = f"{meeting.start}–{meeting.end}" if meeting.end else meeting.start
    ways = {"in-person": f"In person in {listing.place}", "online": "Online",
            "hybrid": f"In person in {listing.place}, or online"}[listing.format]
    tables.add("schedule", id=stable_id("schedule", listing.slug, meeting.day, meeting.start, str(n)),
               service_id=service_id, freq="WEEKLY", byday=BYDAY[meeting.day], opens_at=meeting.start,
               closes_at=meeting.end,
               description=f"{meeting.day_label}s {times} {meeting.timezone_label} ({meeting.timezone}), every week",
               attending_type=ways, notes=meeting.notes)


def add_attributes(tables: Tables, listing: Listing, service_id: str) -> None:
    """Link the service to its kind, format, support types, audiences and cost terms."""
    values = {"kinds": (listing.kind,), "formats": (listing.format,), "support_types": listing.support_types,
              "audiences": listing.audience, "costs": (listing.cost,) if listing.cost else ()}
    for section, link_type in ATTRIBUTE_SECTIONS:
        for slug in values[section]:
            tables.add("attribute", id=stable_id("attribute", listing.slug, section, slug), link_id=service_id,
                       taxonomy_term_id=term_id(section, slug), link_type=link_type, link_entity="service")
