"""The directory's own open data: every listing with every field, as JSON, CSV and JSON per state."""
from __future__ import annotations

import re

from ..model import Listing, Site
from .common import EXPORT_VERSION, Files, compact_json, csv_bytes, listing_id, newest_date

CSV_COLUMNS = ("id", "slug", "url", "name", "organization", "kind", "format", "support_types", "audience",
               "languages", "cost", "summary", "description", "address", "city", "region", "postal_code",
               "country", "latitude", "longitude", "coordinates", "online_url", "online_platform", "phone",
               "email", "website", "credentials", "schedule", "calendar", "last_verified", "source")
# A spreadsheet treats a cell starting with one of these as a formula; listings are untrusted input.
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9][0-9 ().-]*$")  # phone numbers and coordinates are safe as they are


def calendar_path(listing: Listing) -> str:
    """Return the site path of a listing's iCalendar file ('' when it has no schedule)."""
    return f"/listings/{listing.slug}/meetings.ics" if listing.schedule else ""


def listing_record(site: Site, listing: Listing) -> dict:
    """Return one listing with every field, as the JSON exports publish it."""
    point = listing.point
    return {
        "id": listing_id(listing), "slug": listing.slug, "url": site.config.absolute_url(listing.url),
        "name": listing.name, "organization": listing.organization, "kind": listing.kind, "format": listing.format,
        "support_types": list(listing.support_types), "audience": list(listing.audience),
        "languages": list(listing.languages), "cost": listing.cost, "summary": listing.summary,
        "description": listing.description,
        "location": {key: listing.location[key] for key in sorted(listing.location)},
        "coordinates": {"latitude": point.lat, "longitude": point.lng, "source": point.how} if point else None,
        "online": dict(listing.online), "contact": dict(listing.contact),
        "credentials": list(listing.credentials),
        "schedule": [{"day": m.day, "start": m.start, "end": m.end, "timezone": m.timezone, "notes": m.notes}
                     for m in listing.schedule],
        "calendar": site.config.absolute_url(calendar_path(listing)) if listing.schedule else "",
        "last_verified": listing.last_verified.isoformat(), "source": listing.source,
    }


def listings_document(site: Site, listings: list[Listing], scope: str) -> dict:
    """Return the JSON document for a set of listings: version, provenance, then the records."""
    return {
        "schema_version": EXPORT_VERSION,
        "schema": site.config.absolute_url("/schema/listing.schema.json"),
        "title": site.config.title, "scope": scope, "site": site.config.absolute_url("/"),
        "updated": newest_date(listings), "count": len(listings),
        "listings": [listing_record(site, l) for l in listings],
    }


def safe_cell(value: str) -> str:
    """Return a CSV cell that spreadsheets will not run as a formula (CSV injection)."""
    if FORMULA_START.match(value) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_row(site: Site, listing: Listing) -> list[str]:
    record = listing_record(site, listing)
    loc, coords = record["location"], record["coordinates"] or {}
    joined = {key: "; ".join(record[key]) for key in ("support_types", "audience", "languages", "credentials")}
    schedule = "; ".join(f"{m.day} {m.start}{'-' + m.end if m.end else ''} {m.timezone}" for m in listing.schedule)
    values = {**record, **joined, **{key: loc.get(key, "") for key in ("address", "city", "region", "postal_code",
                                                                        "country")},
              "latitude": coords.get("latitude", ""), "longitude": coords.get("longitude", ""),
              "coordinates": coords.get("source", ""), "online_url": listing.online["url"],
              "online_platform": listing.online["platform"], "phone": listing.phone.display if listing.phone else "",
              "email": listing.contact["email"], "website": listing.contact["website"], "schedule": schedule}
    return [safe_cell(str(values[column])) for column in CSV_COLUMNS]


def render_listing_exports(site: Site) -> Files:
    """Return /api/listings.json, /api/listings.csv and /api/regions/<state>.json."""
    # Compact JSON: the C encoder is ~10x faster than indenting, and the files are a third smaller.
    files: Files = [("api/listings.json", compact_json(listings_document(site, site.listings, "all"))),
                    ("api/listings.csv", csv_bytes(list(CSV_COLUMNS), [csv_row(site, l) for l in site.listings]))]
    for term in site.taxonomy.regions.values():
        listings = site.index["regions"].get(term.slug, [])
        if listings:
            document = listings_document(site, listings, term.code)
            files.append((f"api/regions/{term.code.lower()}.json", compact_json(document)))
    return files


def region_exports(site: Site) -> list[tuple[str, str, int]]:
    """Return (state code, state name, listing count) for every state that has a JSON file."""
    return [(t.code, t.label, len(site.index["regions"][t.slug])) for t in site.taxonomy.regions.values()
            if site.index["regions"].get(t.slug)]
