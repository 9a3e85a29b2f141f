"""What every export shares: stable ids, deterministic JSON and CSV, and listing facts in plain form."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..addresses import url
from ..files import Chunks, Files, compact_json  # noqa: F401 (the exports import them from here)
from ..model import Listing, Site, Taxonomy


# Every id is a UUID 5 of this namespace and a name such as "listing:aa-boston-central-service", so the
# same content always gets the same ids, build after build, and HSDS (which wants UUIDs) is satisfied.
# Do not change it: the ids are what other systems store to recognise a listing on the next import.
ID_NAMESPACE = uuid.UUID("c2bcf34e-43be-5ea2-9eee-e647ec3198ef")
# A spreadsheet treats a cell starting with one of these as a formula (OWASP's list).
FORMULA_START = "=+-@\t\r"
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")  # -73.9, +1, -1e-05
EXPORT_VERSION = "1.4"  # of /api/listings.json; a new major number means fields were renamed or removed
# 1.1: meetings gained name, types and format; listings gained `imported` (null unless imported).
# 1.2: listings gained `translations` (their summary and description in other languages; {} unless translated).
# 1.3: listings gained `serves` (statewide, part-of-state or nationwide; '' for a group at one place).
# 1.4: listings gained `also_serves` (the other states a listing also serves; [] for most).
_NAMESPACE_BYTES = ID_NAMESPACE.bytes
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}  # UUID variant bits 10xx


@dataclass(frozen=True)
class SiteConstants:
    """What a per-listing export function may read besides its listing: settings and vocabulary.

    Never other listings: a function of (SiteConstants, Listing) gives the same result for as long as the
    listing and these values are unchanged, so a build cache may keep it.
    """

    base_url: str  # what SiteConfig.absolute_url puts before a site path
    title: str
    taxonomy: Taxonomy

    def url(self, path: str) -> str:
        """Return the full URL of a site path, as SiteConfig.absolute_url does."""
        return url(self.base_url, path)

    def label(self, section: str, slug: str) -> str:
        term = self.taxonomy.sections[section].get(slug)
        return term.label if term else slug


def site_constants(site: Site) -> SiteConstants:
    return SiteConstants(base_url=site.config.absolute_url(""), title=site.config.title, taxonomy=site.taxonomy)


def stable_id(kind: str, *parts: str) -> str:
    """Return the UUID of one exported thing, e.g. stable_id("listing", slug)."""
    # uuid.uuid5 spelled out, a third of its time: a listing has some twenty ids.
    h = hashlib.sha1(_NAMESPACE_BYTES + ":".join((kind, *parts)).encode("utf-8")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def listing_id(listing: Listing) -> str:
    return stable_id("listing", listing.slug)


def organization_name(listing: Listing) -> str:
    """Return the name of the organization behind a listing (the listing itself when none is named)."""
    return listing.organization or listing.name


def organization_id(name: str) -> str:
    return stable_id("organization", " ".join(name.casefold().split()))


def pretty_json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_array(items: list[bytes]) -> bytes:
    """Return a JSON array of values that are already JSON (compact_json)."""
    return b"[" + b",".join(items) + b"]"


def json_array_parts(items: Iterable[bytes]) -> Iterator[bytes]:
    """Yield the parts of json_array(items), for a Chunks."""
    yield b"["
    separator = b""
    for item in items:
        yield separator
        yield item
        separator = b","
    yield b"]"


def with_member_parts(encoded: bytes, key: str, parts: Iterable[bytes]) -> Iterator[bytes]:
    """Yield the parts of extend_json_object(encoded, {key: b"".join(parts)}), for a Chunks."""
    yield b"".join((encoded[:-1], b"," if encoded != b"{}" else b"", compact_json(key), b":"))
    yield from parts
    yield b"}"


def extend_json_object(encoded: bytes, members: dict[str, bytes]) -> bytes:
    """Return a JSON object with more members, whose values are already JSON (compact_json).

    The same bytes as encoding the merged dict, without encoding again what several files share: each
    listing's record, an organization, a taxonomy term.
    """
    if not members:
        return encoded
    extra = b",".join(compact_json(key) + b":" + value for key, value in members.items())
    return b"".join((encoded[:-1], b"," if encoded != b"{}" else b"", extra, b"}"))


def safe_cell(value: object) -> object:
    """Return a CSV cell that spreadsheets will not run as a formula (CSV injection, as OWASP describes it).

    Text starting with '=', '+', '-', '@', a tab or a carriage return gets a leading "'", which
    spreadsheets hide; listings are untrusted input. A plain number such as -73.9 is left as it is:
    a spreadsheet reads it as that number, and nothing else can start a formula with it.
    """
    if value.__class__ is str and value and value[0] in FORMULA_START and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence]) -> str:
    """Return rows as RFC 4180 CSV text, CRLF line ends; None is written as an empty cell.

    Every CSV file of the site is written here, so every cell goes through safe_cell.
    """
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


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


class PieceMemo(Protocol):
    """Where a build may find each listing's pieces of the open data and search files from the previous one:
    the speed layer's generator.buildcache.Pieces. Without one, every piece is made."""

    def take(self, kind: str, listing: Listing, make: Callable[[Listing], object]) -> object: ...


def take(pieces: PieceMemo | None, kind: str, listing: Listing, make):
    """Return `make(listing)`, reused from the previous build through `pieces` when there are any."""
    return pieces.take(kind, listing, make) if pieces is not None else make(listing)
