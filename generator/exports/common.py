"""What every export shares: stable ids, deterministic JSON and CSV, and listing facts in plain form."""
from __future__ import annotations

import csv
import io
import json
import uuid

from ..model import Listing, Site

Files = list[tuple[str, bytes]]

# Every id is a UUID 5 of this namespace and a name such as "listing:aa-boston-central-service", so the
# same content always gets the same ids, build after build, and HSDS (which wants UUIDs) is satisfied.
# Do not change it: the ids are what other systems store to recognise a listing on the next import.
ID_NAMESPACE = uuid.UUID("c2bcf34e-43be-5ea2-9eee-e647ec3198ef")
EXPORT_VERSION = "1.0"  # of /api/listings.json; a new major number means fields were renamed or removed


def stable_id(kind: str, *parts: str) -> str:
    """Return the UUID of one exported thing, e.g. stable_id("listing", slug)."""
    return str(uuid.uuid5(ID_NAMESPACE, ":".join((kind, *parts))))


def listing_id(listing: Listing) -> str:
    return stable_id("listing", listing.slug)


def organization_name(listing: Listing) -> str:
    """Return the name of the organization behind a listing (the listing itself when none is named)."""
    return listing.organization or listing.name


def organization_id(name: str) -> str:
    return stable_id("organization", " ".join(name.casefold().split()))


def pretty_json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def compact_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """Return RFC 4180 CSV (CRLF line ends, UTF-8) with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue().encode("utf-8")


def label(site: Site, section: str, slug: str) -> str:
    term = site.taxonomy.sections[section].get(slug)
    return term.label if term else slug


def street_address(listing: Listing) -> str:
    """Return 'street, city, ST zip, country' with whatever parts the listing gives ('' when online only)."""
    loc = listing.location
    if listing.format == "online" or not listing.city:
        return ""
    state_zip = " ".join(part for part in (loc["region"], loc["postal_code"]) if part)
    return ", ".join(part for part in (loc["address"], loc["city"], state_zip, loc["country"] or "US") if part)


def has_place(listing: Listing) -> bool:
    """Return True when the listing meets somewhere physical (in person or hybrid)."""
    return listing.format != "online" and bool(listing.city)


def newest_date(listings: list[Listing]) -> str:
    """Return the newest last_verified date as YYYY-MM-DD ('' for none): the exports' content date."""
    return max((l.last_verified for l in listings), default=None).isoformat() if listings else ""
