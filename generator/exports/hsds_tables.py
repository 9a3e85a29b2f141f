"""Listings as Open Referral HSDS 3.0 tables: one row per organization, service, location, address, phone,
schedule, service area, language, attribute and taxonomy term. The JSON records and the CSV files are both
made from these.

How a listing maps: the listing is a *service*; the organization named in `organization` (or the listing
itself) is its *organization*; an in-person or hybrid listing has a *physical location* and an online or
hybrid one a *virtual location* (its join URL), each tied to the service by a *service_at_location*.
Each weekly meeting is a *schedule* row with a weekly recurrence (freq WEEKLY, byday, opens_at, closes_at).
A listing that serves a whole state, part of one or the country (`serves`) has a *service area* naming it,
and an attribute coded "serves/<value>" that says which of the three exactly.

A listing's own rows come from listing_tables, which reads that listing and the site constants only.
The organization rows depend on every listing (listings naming one organization share its row), and the
taxonomy terms on the vocabulary alone.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ..model import Listing, Meeting
from .common import (SiteConstants, has_place, listing_id, organization_id, organization_name, stable_id)

# HSDS table name -> (CSV file name from HSDS's tabular schema, columns in order).
TABLES = {
    "organization": ("organizations.csv", ("id", "name", "description", "email", "website")),
    "service": ("services.csv", ("id", "organization_id", "name", "description", "url", "email", "status",
                                 "fees_description", "eligibility_description", "accreditations", "assured_date")),
    "location": ("locations.csv", ("id", "location_type", "url", "organization_id", "name", "description",
                                   "latitude", "longitude")),
    "address": ("addresses.csv", ("id", "location_id", "address_1", "city", "state_province", "postal_code",
                                  "country", "address_type")),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "phone": ("phones.csv", ("id", "service_id", "number")),
    "schedule": ("schedules.csv", ("id", "service_id", "freq", "byday", "opens_at", "closes_at", "description",
                                   "attending_type", "notes")),
    "service_area": ("service_areas.csv", ("id", "service_id", "name", "description")),
    "language": ("languages.csv", ("id", "service_id", "name", "code")),
    "taxonomy_term": ("taxonomy_terms.csv", ("id", "code", "name", "description", "taxonomy")),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity")),
}
# The tables whose rows hang from one listing's service, in the order listing_tables fills them.
SERVICE_TABLES = ("service", "location", "address", "service_at_location", "phone", "schedule", "service_area",
                  "language", "attribute")
# Vocabulary published as HSDS taxonomy terms and linked to services through attributes.
ATTRIBUTE_SECTIONS = (("kinds", "kind"), ("formats", "format"), ("support_types", "support_type"),
                      ("audiences", "audience"), ("costs", "cost"))
# What a listing's `serves` says, as a taxonomy term of its own: (name, description).
SERVES_TERMS = {"statewide": ("Statewide", "Serves a whole state rather than meeting in one place."),
                "part-of-state": ("Part of a state", "Serves part of a state, such as some of its counties."),
                "nationwide": ("Nationwide", "Serves the whole country.")}
BYDAY = {"sunday": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
         "saturday": "SA"}

Row = dict[str, object]


def row(**values: object) -> Row:
    """Return a table row holding only the fields that have a value."""
    return {key: value for key, value in values.items() if value not in ("", None)}


@lru_cache(maxsize=1024)
def term_id(section: str, slug: str) -> str:
    return stable_id("taxonomy_term", section, slug)


def taxonomy_term_rows(constants: SiteConstants) -> list[Row]:
    """Return a taxonomy_term row for every term of the sections that services link to."""
    return [row(id=term_id(section, slug), code=f"{link_type}/{slug}", name=term.label,
                description=term.description, taxonomy=f"{constants.title}: {section.replace('_', ' ')}")
            for section, link_type in ATTRIBUTE_SECTIONS
            for slug, term in constants.taxonomy.sections[section].items()] + [
        row(id=term_id("serves", slug), code=f"serves/{slug}", name=name, description=description,
            taxonomy=f"{constants.title}: serves")
        for slug, (name, description) in SERVES_TERMS.items()]


def organization_rows(listings: list[Listing]) -> list[Row]:
    """Return one organization row per distinct organization name, in name order.

    Depends on every listing, not one: the listings that name an organization share its row, and one
    with no listing of its own is described by the names of the listings it runs.
    """
    groups: dict[str, list[Listing]] = defaultdict(list)
    for listing in listings:
        groups[organization_id(organization_name(listing))].append(listing)
    rows = []
    for org_id, members in sorted(groups.items(), key=lambda item: organization_name(item[1][0]).casefold()):
        name = organization_name(members[0])
        own = next((l for l in members if l.name == name), None)
        if own:
            rows.append(row(id=org_id, name=name, description=own.summary, email=own.contact["email"],
                            website=own.contact["website"] or own.source))
        else:
            runs = "; ".join(l.name for l in members)
            rows.append(row(id=org_id, name=name, description=f"Runs, in this directory: {runs}."))
    return rows


def listing_tables(constants: SiteConstants, listing: Listing) -> dict[str, list[Row]]:
    """Return a listing's service row and every row that hangs from it, by table (SERVICE_TABLES)."""
    service_id = listing_id(listing)
    org_id = organization_id(organization_name(listing))
    audience = ", ".join(constants.label("audiences", slug) for slug in listing.audience)
    tables: dict[str, list[Row]] = {"service": [row(
        id=service_id, organization_id=org_id, name=listing.name,
        description="\n\n".join(part for part in (listing.summary, listing.description) if part),
        url=listing.website, email=listing.contact["email"], status="inactive" if listing.gone_from_source else "active",
        fees_description=constants.label("costs", listing.cost) if listing.cost else "",
        eligibility_description=f"Especially for: {audience}" if audience else "",
        accreditations="; ".join(listing.credentials), assured_date=listing.last_verified.isoformat())]}
    tables.update(location_tables(listing, service_id, org_id))
    tables["phone"] = [row(id=stable_id("phone", listing.slug), service_id=service_id,
                           number=listing.phone.display)] if listing.phone else []
    tables["schedule"] = schedule_rows(listing, service_id)
    tables["service_area"] = service_area_rows(constants, listing, service_id)
    tables["language"] = [row(id=stable_id("language", listing.slug, code), service_id=service_id,
                              name=constants.label("languages", code), code=code) for code in listing.languages]
    tables["attribute"] = attribute_rows(listing, service_id)
    return tables


def location_tables(listing: Listing, service_id: str, org_id: str) -> dict[str, list[Row]]:
    """Return the physical location (with its address when the street is known) and the virtual one, each
    tied to the service by a service_at_location row."""
    tables: dict[str, list[Row]] = {"location": [], "address": [], "service_at_location": []}
    if has_place(listing):
        loc = listing.location
        location_id = stable_id("location", "physical", listing.slug)
        given = listing.point if listing.point and listing.point.how == "given" else None
        tables["location"].append(row(id=location_id, location_type="physical", organization_id=org_id,
                                      name=listing.name, description=listing.place,
                                      latitude=given.lat if given else None, longitude=given.lng if given else None))
        if loc["address"] and loc["postal_code"]:
            tables["address"].append(row(id=stable_id("address", listing.slug), location_id=location_id,
                                         address_1=loc["address"], city=loc["city"], state_province=loc["region"],
                                         postal_code=loc["postal_code"], country=loc["country"] or "US",
                                         address_type="physical"))
        tables["service_at_location"].append(row(
            id=stable_id("service_at_location", "physical", listing.slug), service_id=service_id,
            location_id=location_id, description=f"In person in {listing.place}"))
    if listing.is_online and listing.online["url"]:
        location_id = stable_id("location", "virtual", listing.slug)
        platform = listing.online["platform"]
        tables["location"].append(row(id=location_id, location_type="virtual", url=listing.online["url"],
                                      organization_id=org_id, name=f"{listing.name} online",
                                      description=f"Online ({platform})" if platform else "Online"))
        tables["service_at_location"].append(row(
            id=stable_id("service_at_location", "virtual", listing.slug), service_id=service_id,
            location_id=location_id, description="Online"))
    return tables


def schedule_rows(listing: Listing, service_id: str) -> list[Row]:
    """Return each weekly meeting as a weekly recurrence, in the meeting's local time."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    rows = []
    for meeting in listing.schedule:
        seen[meeting.day, meeting.start] += 1  # two meetings at one time still get two ids
        rows.append(schedule_row(listing, meeting, service_id, seen[meeting.day, meeting.start]))
    return rows


def schedule_row(listing: Listing, meeting: Meeting, service_id: str, n: int) -> Row:
    times = f"{meeting.start}–{meeting.end}" if meeting.end else meeting.start
    ways = {"in-person": f"In person in {listing.place}", "online": "Online",
            "hybrid": f"In person in {listing.place}, or online"}[listing.format]
    return row(id=stable_id("schedule", listing.slug, meeting.day, meeting.start, str(n)),
               service_id=service_id, freq="WEEKLY", byday=BYDAY[meeting.day], opens_at=meeting.start,
               closes_at=meeting.end,
               description=f"{meeting.day_label}s {times} {meeting.timezone_label} ({meeting.timezone}), every week",
               attending_type=ways, notes=meeting.notes)


def service_area_rows(constants: SiteConstants, listing: Listing, service_id: str) -> list[Row]:
    """Return the areas a listing that serves a state, part of one or the country is available in: its own
    state's first, then each other state it also serves. One that meets nowhere and names only its state (a
    line for the people of one state) has that state, described as for the people in it; an online meeting open
    to anyone (online.open_to) has none, as it is found from anywhere."""
    if not listing.serves:
        if not listing.region or has_place(listing) or not listing.for_its_state_only:
            return []
        region = constants.taxonomy.regions_by_code.get(listing.region)
        state = region.label if region else listing.region
        return [row(id=stable_id("service_area", listing.slug), service_id=service_id, name=state,
                    description=f"For people in {state}")]
    if listing.serves == "nationwide":
        return [row(id=stable_id("service_area", listing.slug), service_id=service_id, name="United States",
                    description="The whole country")]
    rows = []
    for code in listing.regions:
        region = constants.taxonomy.regions_by_code.get(code)
        state = region.label if region else code
        if code != listing.region:  # also_serves: the listing does not say how much of that state
            name, description = state, f"Some or all of {state}"
        elif listing.serves == "statewide":
            name, description = state, f"All of {state}"
        else:
            name, description = f"Part of {state}", f"Part of {state}, not the whole state"
        # The first area's id is the listing's alone, as before also_serves; each other state's adds its code.
        area_id = stable_id("service_area", listing.slug, *([code] if rows else []))
        rows.append(row(id=area_id, service_id=service_id, name=name, description=description))
    return rows


def attribute_rows(listing: Listing, service_id: str) -> list[Row]:
    """Return the links from the service to its kind, format, support types, audiences and cost terms, and
    to what it serves."""
    values = {"kinds": (listing.kind,), "formats": (listing.format,), "support_types": listing.support_types,
              "audiences": listing.audience, "costs": (listing.cost,) if listing.cost else ()}
    rows = [row(id=stable_id("attribute", listing.slug, section, slug), link_id=service_id,
                taxonomy_term_id=term_id(section, slug), link_type=link_type, link_entity="service")
            for section, link_type in ATTRIBUTE_SECTIONS for slug in values[section]]
    if listing.serves:
        rows.append(row(id=stable_id("attribute", listing.slug, "serves", listing.serves), link_id=service_id,
                        taxonomy_term_id=term_id("serves", listing.serves), link_type="serves", link_entity="service"))
    return rows
