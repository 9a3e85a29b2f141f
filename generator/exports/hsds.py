"""Open Referral HSDS 3.0 files: JSON records (services and organizations, with what hangs from them) and
the tabular form (one CSV per table) described by a Frictionless `datapackage.json`.

Each listing's part of the JSON files is a ServicePiece and its part of the CSV files a tuple of rows
(table_piece), made from that listing and the site constants alone. assemble_hsds and assemble_hsds_tables
add what depends on other listings, the organizations, and put the pieces together in listing order. The
two are separate groups of files, so that at 100,000 listings a build holds one half of the pieces at a time.
"""
from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from ..addresses import ADDRESSES, output_file
from ..model import Listing, Site
from .common import (Chunks, Files, PieceMemo, SiteConstants, compact_json, csv_text, extend_json_object, json_array,
                     json_array_parts, newest_date, pretty_json, site_constants, take)
from .hsds_tables import (SERVICE_TABLES, TABLES, Row, listing_tables, organization_rows, taxonomy_term_rows)

HSDS_VERSION = "3.0"
# Column -> the table its values point at (Frictionless foreign keys).
REFERENCES = {"organization_id": "organization", "service_id": "service", "location_id": "location",
              "link_id": "service", "taxonomy_term_id": "taxonomy_term"}


@dataclass(frozen=True, slots=True)
class ServicePiece:
    """One listing's part of the HSDS JSON files, ready to put together, in UTF-8.

    Bytes rather than rows and dicts: besides saving the work, 10,000 listings' worth of small containers
    would keep the garbage collector walking the whole site over and over.
    """

    organization_id: str
    service: bytes  # the service row: how organizations.json nests it, and how services.json's record starts
    # An object of what services.json nests under the service after its organization, compressed (zlib):
    # this is most of a piece, and at 100,000 listings 280 MB held until the files are written (110 MB so).
    nested: bytes
    locations: tuple[bytes, ...]  # its locations, each with its addresses, as organizations.json nests them

    def __reduce__(self):  # for the build cache: as a plain tuple, 30 times faster than dataclass state
        return ServicePiece, (self.organization_id, self.service, self.nested, self.locations)


def term_rows_by_id(constants: SiteConstants) -> dict[str, Row]:
    return {term["id"]: term for term in taxonomy_term_rows(constants)}


def service_piece(constants: SiteConstants, terms: dict[str, Row], listing: Listing) -> ServicePiece:
    """Return a listing's part of the HSDS files; `terms` is term_rows_by_id(constants)."""
    tables = listing_tables(constants, listing)
    addresses: dict[object, list[Row]] = defaultdict(list)
    for address in tables["address"]:
        addresses[address["location_id"]].append(address)
    locations = {loc["id"]: {**loc, "addresses": addresses.get(loc["id"], [])} for loc in tables["location"]}
    # One JSON encoding for all of it: the encoder's start-up costs more than a small object's bytes.
    nested = compact_json({
        "phones": tables["phone"], "schedules": tables["schedule"],
        "service_at_locations": [{**sal, "location": locations[sal["location_id"]]}
                                 for sal in tables["service_at_location"]],
        "service_areas": tables["service_area"], "languages": tables["language"],
        "attributes": [{**a, "taxonomy_term": terms[a["taxonomy_term_id"]]} for a in tables["attribute"]],
    })
    (service,) = tables["service"]
    return ServicePiece(organization_id=service["organization_id"], service=compact_json(service),
                        nested=zlib.compress(nested, 1),
                        locations=tuple(compact_json(location) for location in locations.values()))


def table_piece(constants: SiteConstants, listing: Listing) -> tuple[bytes, ...]:
    """Return a listing's rows of each service table's CSV file, in SERVICE_TABLES order (b"" for none)."""
    tables = listing_tables(constants, listing)
    return tuple(csv_text(table_rows(table, tables[table])).encode("utf-8") if tables[table] else b""
                 for table in SERVICE_TABLES)


def table_rows(table: str, rows: list[Row]) -> list[tuple]:
    """Return rows as CSV cells in the table's column order (None for a field the row lacks)."""
    cells = TABLES[table][1]
    return [tuple(map(row.get, cells)) for row in rows]


def service_record(piece: ServicePiece, organization: bytes) -> bytes:
    """Return a listing's services.json record: its service, organization (JSON), then the rest."""
    return b"".join((piece.service[:-1], b',"organization":', organization, b",", zlib.decompress(piece.nested)[1:]))


def services_json(pieces: list[ServicePiece], organizations: dict[str, bytes]) -> Chunks:
    """Return services.json: every service with its organization (JSON by id) and what hangs from it."""
    return Chunks(lambda: json_array_parts(service_record(piece, organizations[piece.organization_id])
                                           for piece in pieces))


def organizations_json(pieces: list[ServicePiece], organizations: dict[str, bytes]) -> Chunks:
    """Return organizations.json: every organization (JSON by id, in order) with its services (their own
    fields; services.json has the rest) and its locations."""
    services: dict[str, list[bytes]] = defaultdict(list)
    locations: dict[str, list[bytes]] = defaultdict(list)
    for piece in pieces:
        services[piece.organization_id].append(piece.service)
        locations[piece.organization_id] += piece.locations
    return Chunks(lambda: json_array_parts(
        extend_json_object(org, {"services": json_array(services[org_id]), "locations": json_array(locations[org_id])})
        for org_id, org in organizations.items()))


def render_tabular(pieces: list[tuple[bytes, ...]], organizations: list[Row], terms: list[Row]) -> Files:
    """Return a CSV file per table: the header, then the rows, those of services in listing order
    (`pieces`: each listing's table_piece)."""
    files = []
    for table, (path, columns) in TABLES.items():
        if table == "organization":
            rows = csv_text(table_rows(table, organizations)).encode("utf-8")
        elif table == "taxonomy_term":
            rows = csv_text(table_rows(table, terms)).encode("utf-8")
        else:
            files.append((hsds_output(path), Chunks(partial(_service_rows, table, columns, pieces))))
            continue
        files.append((hsds_output(path), csv_text([columns]).encode("utf-8") + rows))
    return files


def _service_rows(table: str, columns: list[str], pieces: list[tuple[bytes, ...]]) -> Iterator[bytes]:
    yield csv_text([columns]).encode("utf-8")
    index = SERVICE_TABLES.index(table)
    for piece in pieces:
        yield piece[index]


def field_schema(column: str) -> dict:
    """Return a Frictionless field descriptor; types and formats are those of HSDS's tabular schema."""
    if column == "id" or column.endswith("_id"):
        return {"name": column, "type": "string", "format": "uuid"}
    if column in ("url", "website"):
        return {"name": column, "type": "string", "format": "uri"}
    if column == "email":
        return {"name": column, "type": "string", "format": "email"}
    if column in ("latitude", "longitude"):
        return {"name": column, "type": "number"}
    return {"name": column, "type": "string"}


def datapackage(site: Site) -> dict:
    """Return the Frictionless Data Package that describes the HSDS CSV files."""
    resources = []
    for table, (path, columns) in TABLES.items():
        keys = [{"fields": column, "reference": {"resource": REFERENCES[column], "fields": "id"}}
                for column in columns if column in REFERENCES]
        resources.append({"name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": {"fields": [field_schema(c) for c in columns], "primaryKey": "id",
                                     "foreignKeys": keys}})
    name = re.sub(r"[^a-z0-9]+", "-", site.config.title.lower()).strip("-") or "directory"
    package = {"profile": "tabular-data-package", "name": f"{name}-hsds",
               "title": f"{site.config.title} (Open Referral HSDS {HSDS_VERSION})",
               "description": "Peer-support listings in the Open Referral Human Services Data Specification, "
                              "tabular form.",
               "version": HSDS_VERSION, "homepage": site.config.absolute_url(ADDRESSES.page("open-data"))}
    if site.listings:  # the content's own date, so the file changes only when the content does
        package["created"] = f"{newest_date(site.listings)}T00:00:00Z"
    return {**package, "resources": resources}


def hsds_output(name: str) -> str:
    """Return the output file of one HSDS file ('services.json', 'services.csv')."""
    return output_file(ADDRESSES.hsds_file(name))


def render_hsds(site: Site, pieces: PieceMemo | None = None) -> Files:
    """Return the HSDS JSON records and datapackage.json."""
    constants = site_constants(site)
    make = partial(service_piece, constants, term_rows_by_id(constants))
    return assemble_hsds(site, [take(pieces, "hsds", listing, make) for listing in site.listings])


def render_hsds_tables(site: Site, pieces: PieceMemo | None = None) -> Files:
    """Return the HSDS CSV tables (the tabular form that datapackage.json describes)."""
    make = partial(table_piece, site_constants(site))
    return assemble_hsds_tables(site, [take(pieces, "hsds-tables", listing, make) for listing in site.listings])


def assemble_hsds(site: Site, pieces: list[ServicePiece]) -> Files:
    """Return the HSDS JSON files from each listing's piece (in site.listings order) and the organizations.

    The organizations are the one part made here from all the listings: listings that name the same
    organization share its row.
    """
    organizations = organization_rows(site.listings)
    encoded = {org["id"]: compact_json(org) for org in organizations}
    # Compact: at 100,000 listings these are the largest files of the site (a CDN gzips them anyway).
    return [(hsds_output("services.json"), services_json(pieces, encoded)),
            (hsds_output("organizations.json"), organizations_json(pieces, encoded)),
            (hsds_output("datapackage.json"), pretty_json(datapackage(site)))]


def assemble_hsds_tables(site: Site, pieces: list[tuple[bytes, ...]]) -> Files:
    """Return the HSDS CSV files from each listing's table_piece (in site.listings order).

    The organizations are worked out again here, as in assemble_hsds (about a second at 100,000
    listings): the price of the two halves of the pieces never being in memory together.
    """
    return render_tabular(pieces, organization_rows(site.listings), taxonomy_term_rows(site_constants(site)))
