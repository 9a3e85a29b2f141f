"""Open Referral HSDS 3.0 files: JSON records (services and organizations, with what hangs from them) and
the tabular form (one CSV per table) described by a Frictionless `datapackage.json`."""
from __future__ import annotations

import re
from collections import defaultdict

from ..model import Site
from .common import Files, compact_json, csv_bytes, newest_date, pretty_json
from .hsds_tables import TABLES, Row, Tables, build_tables

FOLDER = "api/hsds"
HSDS_VERSION = "3.0"
# Column -> the table its values point at (Frictionless foreign keys).
REFERENCES = {"organization_id": "organization", "service_id": "service", "location_id": "location",
              "link_id": "service", "taxonomy_term_id": "taxonomy_term"}


def by_key(rows: list[Row], key: str) -> dict[object, list[Row]]:
    groups: dict[object, list[Row]] = defaultdict(list)
    for row in rows:
        if key in row:
            groups[row[key]].append(row)
    return groups


class Nester:
    """Assemble nested HSDS records from the flat tables."""

    def __init__(self, tables: Tables):
        rows = tables.rows
        self.organizations = {row["id"]: row for row in rows["organization"]}
        self.locations = {row["id"]: row for row in rows["location"]}
        self.terms = {row["id"]: row for row in rows["taxonomy_term"]}
        self.services = rows["service"]
        self.addresses = by_key(rows["address"], "location_id")
        self.service_rows = {name: by_key(rows[name], "service_id")
                             for name in ("phone", "schedule", "language", "service_at_location")}
        self.attributes = by_key(rows["attribute"], "link_id")

    def location(self, location_id: str) -> Row:
        return {**self.locations[location_id], "addresses": self.addresses.get(location_id, [])}

    def service(self, row: Row) -> Row:
        """Return a service with its organization, phones, schedules, locations, languages and attributes."""
        sid = row["id"]
        record = {**row, "organization": self.organizations[row["organization_id"]]}
        record.update(
            phones=self.service_rows["phone"].get(sid, []),
            schedules=self.service_rows["schedule"].get(sid, []),
            service_at_locations=[{**sal, "location": self.location(sal["location_id"])}
                                  for sal in self.service_rows["service_at_location"].get(sid, [])],
            languages=self.service_rows["language"].get(sid, []),
            attributes=[{**a, "taxonomy_term": self.terms[a["taxonomy_term_id"]]} for a in self.attributes.get(sid, [])],
        )
        return record

    def organizations_list(self) -> list[Row]:
        """Return every organization with its services (their own fields; services.json has the rest) and
        its locations."""
        services = by_key(self.services, "organization_id")
        located = by_key(list(self.locations.values()), "organization_id")
        return [{**org, "services": services.get(org["id"], []),
                 "locations": [self.location(loc["id"]) for loc in located.get(org["id"], [])]}
                for org in self.organizations.values()]


def csv_cell(value: object) -> str:
    return "" if value is None else str(value)


def render_tabular(tables: Tables) -> Files:
    files = []
    for table, (path, columns) in TABLES.items():
        rows = [[csv_cell(row.get(column)) for column in columns] for row in tables.rows[table]]
        files.append((f"{FOLDER}/{path}", csv_bytes(list(columns), rows)))
    return files


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
               "version": HSDS_VERSION, "homepage": site.config.absolute_url("/open-data/")}
    if site.listings:  # the content's own date, so the file changes only when the content does
        package["created"] = f"{newest_date(site.listings)}T00:00:00Z"
    return {**package, "resources": resources}


def render_hsds(site: Site) -> Files:
    """Return the HSDS JSON records, the CSV tables and datapackage.json."""
    tables = build_tables(site)
    nester = Nester(tables)
    # Compact: at 100,000 listings these are the largest files of the site (a CDN gzips them anyway).
    files: Files = [(f"{FOLDER}/services.json", compact_json([nester.service(s) for s in nester.services])),
                    (f"{FOLDER}/organizations.json", compact_json(nester.organizations_list()))]
    files += render_tabular(tables)
    files.append((f"{FOLDER}/datapackage.json", pretty_json(datapackage(site))))
    return files
