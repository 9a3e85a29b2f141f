"""The directory's own open data: every listing with every field, as JSON, CSV and JSON per state.

Each listing's JSON record and CSV row are functions of that listing and the site constants alone; the
files are those pieces in listing order, each record encoded once for listings.json and its state file.
"""
from __future__ import annotations

import datetime
import json
from dataclasses import fields, is_dataclass
from functools import partial

from ..addresses import ADDRESSES, output_file
from ..fields import LISTING_SCHEMA, FileField, listing_fields, load_schema
from ..model import Listing, Site
from .common import (EXPORT_VERSION, Chunks, Files, PieceMemo, SiteConstants, compact_json, csv_text, json_array_parts,
                     listing_id, newest_date, site_constants, take, with_member_parts)

# The published order of listings.json's records and listings.csv's columns (schema_version 1.4). A field the
# schema gains later goes at the end of both, so that readers of the older columns are not thrown off.
RECORD_FIELDS = ("id", "slug", "url", "name", "organization", "kind", "format", "support_types", "audience",
                 "languages", "cost", "summary", "description", "location", "coordinates", "online", "contact",
                 "credentials", "schedule", "calendar", "last_verified", "source", "imported", "translations", "serves",
                 "also_serves")
CSV_FIELDS = ("id", "slug", "url", "name", "organization", "kind", "format", "support_types", "audience",
              "languages", "cost", "summary", "description", "address", "city", "region", "postal_code",
              "country", "latitude", "longitude", "coordinates", "online_url", "online_platform", "phone",
              "email", "website", "credentials", "schedule", "calendar", "last_verified", "source",
              "imported_from", "imported_ids", "imported_updated", "translations", "serves", "also_serves")
UNPUBLISHED = frozenset({"not_duplicate_of"})  # a note to `check`, not a fact about the group
LOCATION_COLUMNS = ("address", "city", "region", "postal_code", "country")
# Fields of the schema that joined after 1.4, in the schema's order.
LATER_FIELDS = tuple(field for field in listing_fields() if field.name not in RECORD_FIELDS + tuple(UNPUBLISHED))


def calendar_path(listing: Listing) -> str:
    """Return the site path of a listing's iCalendar file ('' when it has no schedule)."""
    return ADDRESSES.calendar(listing.slug) if listing.schedule else ""


def listing_record(constants: SiteConstants, listing: Listing) -> dict:
    """Return one listing with every field, as the JSON exports publish it."""
    point = listing.point
    made = {
        "id": listing_id(listing), "url": constants.url(listing.url),
        "location": {key: listing.location[key] for key in sorted(listing.location)},
        "coordinates": {"latitude": point.lat, "longitude": point.lng, "source": point.how} if point else None,
        "calendar": constants.url(calendar_path(listing)) if listing.schedule else "",
        "imported": {key: listing.imported[key] for key in sorted(listing.imported)} if listing.imported else None,
    }
    record = {name: made[name] if name in made else json_value(getattr(listing, name)) for name in RECORD_FIELDS}
    record.update((field.name, json_value(getattr(listing, field.name))) for field in LATER_FIELDS)
    return record


def json_value(value):
    """Return a listing's value as JSON holds it: dates as YYYY-MM-DD, tuples as lists, meetings as objects."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    if is_dataclass(value):
        return {item.name: json_value(getattr(value, item.name)) for item in fields(value)}
    return value


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
    point, online, contact, imported = listing.point, listing.online, listing.contact, listing.imported
    made = {
        "id": listing_id(listing), "url": constants.url(listing.url),
        **{key: listing.location.get(key, "") for key in LOCATION_COLUMNS},
        "latitude": point.lat if point else "", "longitude": point.lng if point else "",
        "coordinates": point.how if point else "", "online_url": online["url"],
        "online_platform": online["platform"], "phone": listing.phone.display if listing.phone else "",
        "email": contact["email"], "website": contact["website"],
        "schedule": "; ".join(f"{m.day} {m.start}{'-' + m.end if m.end else ''} {m.timezone}" for m in listing.schedule),
        "calendar": constants.url(calendar_path(listing)) if listing.schedule else "",
        "imported_from": imported.get("organization") or imported.get("from", ""),
        "imported_ids": "; ".join(imported.get("ids", ())), "imported_updated": imported.get("updated", ""),
        "translations": json.dumps(listing.translations, ensure_ascii=False, sort_keys=True) if listing.translations else "",
    }
    row = [made[name] if name in made else csv_value(getattr(listing, name)) for name in CSV_FIELDS]
    for field in LATER_FIELDS:
        row += later_values(field, getattr(listing, field.name))
    return [str(value) for value in row]  # csv_text guards formulas


def csv_value(value) -> str:
    """Return a listing's value as a CSV cell: dates as YYYY-MM-DD, lists joined with '; ', yes/no as JSON says it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "; ".join(map(str, value))
    return str(value)


def later_columns(field: FileField) -> tuple[str, ...]:
    """Return the columns of a field that joined after 1.2: one, or one per field of a group (`online_phone`)."""
    if field.shape == "group":
        return tuple(f"{field.name}_{key}" for key in load_schema(LISTING_SCHEMA)["properties"][field.name]["properties"])
    return () if field.shape == "meetings" else (field.name,)


def later_values(field: FileField, value) -> list[str]:
    if field.shape == "group":
        return [csv_value(value.get(column.removeprefix(f"{field.name}_"), "")) for column in later_columns(field)]
    return [] if field.shape == "meetings" else [csv_value(value)]


CSV_COLUMNS = CSV_FIELDS + tuple(column for field in LATER_FIELDS for column in later_columns(field))


def csv_line(constants: SiteConstants, listing: Listing) -> bytes:
    """Return one listing's line of listings.csv, encoded (the piece the build cache keeps: a few
    hundred bytes, where the row's list of strings would hold several times that in memory)."""
    return csv_text([csv_row(constants, listing)]).encode("utf-8")


def render_listing_exports(site: Site, pieces: PieceMemo | None = None) -> Files:
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
