"""The directory's own open data: every listing with every field, as JSON, CSV and JSON per state.

Each listing's JSON record and CSV row are functions of that listing and the site constants alone; the
files are those pieces in listing order, each record encoded once for listings.json and its state file.
"""
from __future__ import annotations

from functools import partial

from ..addresses import ADDRESSES, output_file
from ..model import Listing, Site
from .common import (EXPORT_VERSION, Chunks, Files, Pieces, SiteConstants, compact_json, csv_text, json_array_parts,
                     listing_id, newest_date, site_constants, take, with_member_parts)

CSV_COLUMNS = ("id", "slug", "url", "name", "organization", "kind", "format", "support_types", "audience",
               "languages", "cost", "summary", "description", "address", "city", "region", "postal_code",
               "country", "latitude", "longitude", "coordinates", "online_url", "online_platform", "phone",
               "email", "website", "credentials", "schedule", "calendar", "last_verified", "source",
               "imported_from", "imported_ids", "imported_updated")
LOCATION_COLUMNS = ("address", "city", "region", "postal_code", "country")


def calendar_path(listing: Listing) -> str:
    """Return the site path of a listing's iCalendar file ('' when it has no schedule)."""
    return ADDRESSES.calendar(listing.slug) if listing.schedule else ""


def listing_record(constants: SiteConstants, listing: Listing) -> dict:
    """Return one listing with every field, as the JSON exports publish it."""
    point = listing.point
    return {
        "id": listing_id(listing), "slug": listing.slug, "url": constants.url(listing.url),
        "name": listing.name, "organization": listing.organization, "kind": listing.kind, "format": listing.format,
        "support_types": list(listing.support_types), "audience": list(listing.audience),
        "languages": list(listing.languages), "cost": listing.cost, "summary": listing.summary,
        "description": listing.description,
        "location": {key: listing.location[key] for key in sorted(listing.location)},
        "coordinates": {"latitude": point.lat, "longitude": point.lng, "source": point.how} if point else None,
        "online": dict(listing.online), "contact": dict(listing.contact),
        "credentials": list(listing.credentials),
        "schedule": [{"day": m.day, "start": m.start, "end": m.end, "timezone": m.timezone, "notes": m.notes,
                      "name": m.name, "types": list(m.types), "format": m.format}
                     for m in listing.schedule],
        "calendar": constants.url(calendar_path(listing)) if listing.schedule else "",
        "last_verified": listing.last_verified.isoformat(), "source": listing.source,
        "imported": {key: listing.imported[key] for key in sorted(listing.imported)} if listing.imported else None,
    }


def listing_json(constants: SiteConstants, listing: Listing) -> bytes:
    """Return one listing's record as the compact JSON that listings.json and its state file hold."""
    return compact_json(listing_record(constants, listing))


def listings_document(site: Site, listings: list[Listing], scope: str, records: dict[str, bytes]) -> Chunks:
    """Return the JSON document for a set of listings: version, provenance, then the records.

    `records` holds each listing's JSON by slug (listing_json), so no record is encoded twice.
    """
    head = {
        "schema_version": EXPORT_VERSION,
        "schema": site.config.absolute_url(ADDRESSES.listing_schema()),
        "title": site.config.title, "scope": scope, "site": site.config.absolute_url(ADDRESSES.page("home")),
        "updated": newest_date(listings), "count": len(listings),
    }
    return Chunks(lambda: with_member_parts(compact_json(head), "listings",
                                            json_array_parts(records[l.slug] for l in listings)))


def csv_row(constants: SiteConstants, listing: Listing) -> list[str]:
    """Return one listing's row of listings.csv: the JSON record's fields, lists joined with '; '."""
    point, online, contact = listing.point, listing.online, listing.contact
    schedule = "; ".join(f"{m.day} {m.start}{'-' + m.end if m.end else ''} {m.timezone}" for m in listing.schedule)
    values = {
        "id": listing_id(listing), "slug": listing.slug, "url": constants.url(listing.url), "name": listing.name,
        "organization": listing.organization, "kind": listing.kind, "format": listing.format,
        "support_types": "; ".join(listing.support_types), "audience": "; ".join(listing.audience),
        "languages": "; ".join(listing.languages), "cost": listing.cost, "summary": listing.summary,
        "description": listing.description,
        **{key: listing.location.get(key, "") for key in LOCATION_COLUMNS},
        "latitude": point.lat if point else "", "longitude": point.lng if point else "",
        "coordinates": point.how if point else "", "online_url": online["url"],
        "online_platform": online["platform"], "phone": listing.phone.display if listing.phone else "",
        "email": contact["email"], "website": contact["website"], "credentials": "; ".join(listing.credentials),
        "schedule": schedule, "calendar": constants.url(calendar_path(listing)) if listing.schedule else "",
        "last_verified": listing.last_verified.isoformat(), "source": listing.source,
        "imported_from": listing.imported.get("organization") or listing.imported.get("from", ""),
        "imported_ids": "; ".join(listing.imported.get("ids", ())), "imported_updated": listing.imported.get("updated", ""),
    }
    return [str(values[column]) for column in CSV_COLUMNS]  # csv_text guards formulas


def csv_line(constants: SiteConstants, listing: Listing) -> bytes:
    """Return one listing's line of listings.csv, encoded (the piece the build cache keeps: a few
    hundred bytes, where the row's list of strings would hold several times that in memory)."""
    return csv_text([csv_row(constants, listing)]).encode("utf-8")


def render_listing_exports(site: Site, pieces: Pieces | None = None) -> Files:
    """Return /api/listings.json, /api/listings.csv and /api/regions/<state>.json."""
    constants = site_constants(site)
    records = [take(pieces, "json", l, partial(listing_json, constants)) for l in site.listings]
    lines = [take(pieces, "csv", l, partial(csv_line, constants)) for l in site.listings]
    return assemble_listing_exports(site, records, lines)


def assemble_listing_exports(site: Site, records: list[bytes], lines: list[bytes]) -> Files:
    """Return the listing files from each listing's JSON record and CSV line, both in site.listings order."""
    by_slug = {listing.slug: record for listing, record in zip(site.listings, records, strict=True)}
    # Compact JSON: the C encoder is ~10x faster than indenting, and the files are a third smaller.
    files: Files = [(output_file(ADDRESSES.listings_export("json")), listings_document(site, site.listings, "all",
                                                                                        by_slug)),
                    (output_file(ADDRESSES.listings_export("csv")),
                     Chunks(lambda: (csv_text([CSV_COLUMNS]).encode("utf-8"), *lines)))]
    for term in site.taxonomy.regions.values():
        listings = site.index["regions"].get(term.slug, [])
        if listings:
            files.append((output_file(ADDRESSES.region_export(term.code)),
                          listings_document(site, listings, term.code, by_slug)))
    return files


def region_exports(site: Site) -> list[tuple[str, str, int]]:
    """Return (state code, state name, listing count) for every state that has a JSON file."""
    return [(t.code, t.label, len(site.index["regions"][t.slug])) for t in site.taxonomy.regions.values()
            if site.index["regions"].get(t.slug)]
