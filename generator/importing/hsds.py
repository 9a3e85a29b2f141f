"""Open Referral HSDS 3.0 read into Records: the JSON records (services, services at locations, or
organizations with their services) and the tabular form (CSV tables described by datapackage.json).

Both forms are first put into one shape, HSDS's `service_full` (a service with its organization, its
services at locations and their locations and addresses, schedules, phones, service areas, languages and
attributes),
and each service then becomes one Record per place and weekly schedule row. The records of one service
at one location share `group_id` ("<service id>@<location id>"), which is what keeps them one listing.

Our own export (generator/exports/hsds.py) writes the project's vocabulary as taxonomy terms coded
"<link type>/<slug>" (e.g. "support_type/12-step"); those come back as listing fields, so a site's own
HSDS files import back to the same listings. So does what a listing serves: the export's "serves/<value>"
attribute says which, and its service area names the state; another source's service with no place of its own
whose one service area is a state, or the country, is read as serving it.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile
from collections import defaultdict
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import clean
from .places import region_code
from .records import Read, Record, Refusal, SourceError

EXPECTED_JSON = ("expected HSDS 3.0 JSON: a list of services or of service_at_locations (or organizations with "
                 "their services), one such object, or a page of them under \"contents\"")
EXPECTED_TABLES = "expected a folder or .zip holding HSDS 3.0 CSV tables (services.csv …) and datapackage.json"
BYDAY = {"SU": 0, "MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6}
# Our export's attribute link types (exports/hsds_tables.ATTRIBUTE_SECTIONS) -> (listing field, holds a list).
VOCABULARY = {"kind": ("kind", False), "format": ("format", False), "support_type": ("support_types", True),
              "audience": ("audience", True), "cost": ("cost", False), "serves": ("serves", False)}
# Keys only a service object has among the objects an HSDS document may list.
SERVICE_KEYS = ("organization", "organization_id", "service_at_locations", "status", "schedules", "url", "email",
                "phones", "assured_date", "fees_description", "languages", "attributes", "description")
NOT_SERVICE_KEYS = ("location_type", "addresses", "latitude", "taxonomy", "code", "address_1", "number", "website",
                    "legal_status", "tax_status", "year_incorporated", "uri", "version")
# HSDS table -> its file in the standard's tabular form, for a package without datapackage.json.
TABLE_FILES = {"service": "services.csv", "organization": "organizations.csv", "location": "locations.csv",
               "address": "addresses.csv", "service_at_location": "service_at_location.csv", "phone": "phones.csv",
               "schedule": "schedules.csv", "language": "languages.csv", "attribute": "attributes.csv",
               "taxonomy_term": "taxonomy_terms.csv", "cost_option": "cost_options.csv",
               "service_area": "service_areas.csv"}
# What our export writes where a place has no street address: "City, ST" as the location's description.
CITY_REGION = re.compile(r"^(?P<city>[^,]+), (?P<region>[A-Z]{2})$")
# Our export names a schedule's timezone only inside its description: "Tuesdays 19:00 Eastern (America/New_York)…".
ZONE_IN_TEXT = re.compile(r"\(([A-Za-z]+(?:/[A-Za-z0-9_+-]+)+)\)")
PLATFORM = re.compile(r"^Online \((?P<platform>.+)\)$")  # our export's description of a virtual location
FREE = re.compile(r"^(free|free of charge|no cost|no charge|no fees?|none)\.?$", re.IGNORECASE)
PO_BOX = re.compile(r"^\s*p\.?\s*o\.?\s*box\b", re.IGNORECASE)
# A spreadsheet guard our export (and others) put before a cell that starts like a formula.
GUARDED_CELL = re.compile(r"^'(?=[=+\-@\t\r])")
NOT_CALLABLE = ("fax", "pager")
# A service area that is the whole country; "Part of <state>" is how our export names part of a state.
NATIONWIDE = re.compile(r"^(united states( of america)?|u\.?s\.?a?\.?|nationwide|national|the whole country)$",
                        re.IGNORECASE)
PART_OF = re.compile(r"^part of (?P<state>.+)$", re.IGNORECASE)
# Our export's one area of a service that meets nowhere and is for the people of one state, without serving it all.
FOR_PEOPLE_IN = re.compile(r"^For people in (?P<state>.+)$")


# --------------------------------------------------------------------------- entry points


def read_hsds_json(data: bytes, source_name: str) -> Read:
    """Read an HSDS 3.0 JSON document (services, services at locations or organizations) into Records."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceError(f"not JSON ({error}); {EXPECTED_JSON}") from None
    read = Read()
    for index, service in services_of_items(items_of(document), read):
        read_service(index, service, read)
    return read


def read_hsds_tables(folder_or_zip: Path, source_name: str) -> Read:
    """Read HSDS 3.0 CSV tables (a folder or a .zip, with datapackage.json) into Records."""
    read = Read()
    files = package_files(Path(folder_or_zip))
    try:
        tables = load_tables(files, read)
    finally:
        files.close()
    for index, service in enumerate(nest_tables(tables)):
        read_service(index, service, read)
    return read


# --------------------------------------------------------------------------- JSON shapes


def items_of(document: object) -> list:
    """Return the objects a document lists: a list, a page's "contents", or the one object it is."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        contents = document.get("contents")
        return contents if isinstance(contents, list) else [document]
    raise SourceError(f"the document is a JSON {type(document).__name__}; {EXPECTED_JSON}")


def kind_of(item: object) -> str:
    """Return which HSDS object an item is: 'organization', 'service_at_location', 'service' or ''."""
    if not isinstance(item, dict):
        return ""
    if isinstance(item.get("services"), list):
        return "organization"
    if isinstance(item.get("service"), dict) or ("location" in item and "name" not in item):
        return "service_at_location"
    if "name" in item and any(key in item for key in SERVICE_KEYS) \
            and not any(key in item for key in NOT_SERVICE_KEYS):
        return "service"
    return ""


def services_of_items(items: list, read: Read) -> list[tuple[int, dict]]:
    """Return (position, service_full object) for every service the items hold; refuse the other items."""
    services: list[tuple[int, dict]] = []
    kinds = [kind_of(item) for item in items]
    if items and not any(kinds):
        raise SourceError(f"no service, service_at_location or organization object found; {EXPECTED_JSON}")
    for index, (item, kind) in enumerate(zip(items, kinds)):
        if kind == "organization":
            services += [(index, service) for service in services_of_organization(item)]
        elif kind == "service_at_location":
            services.append((index, service_of_service_at_location(item)))
        elif kind == "service":
            services.append((index, item))
        else:
            read.refusals.append(Refusal(index, _id(item), _name(item), "not an HSDS service, service_at_location "
                                         "or organization object"))
    if "organization" in kinds and not any(_has_places(service) for _, service in services) \
            and any(isinstance(item, dict) and item.get("locations") for item in items):
        # organizations.json lists its locations apart from its services: which meets where is not said.
        raise SourceError("these organizations list locations apart from their services, so which service meets "
                          "where is unknown; expected the services file (services.json) instead")
    return services


def services_of_organization(organization: dict) -> list[dict]:
    """Return an organization's services, each with the organization as its own."""
    own = {key: value for key, value in organization.items() if key not in ("services", "locations")}
    return [{**service, "organization": service.get("organization") or own}
            for service in organization["services"] if isinstance(service, dict)]


def service_of_service_at_location(item: dict) -> dict:
    """Return the service of a service_at_location object, holding that one service at location."""
    service = item.get("service") if isinstance(item.get("service"), dict) else {"id": item.get("service_id")}
    at_location = {key: value for key, value in item.items() if key != "service"}
    return {**service, "service_at_locations": [at_location]}


def _has_places(service: dict) -> bool:
    return bool(service.get("service_at_locations") or service.get("schedules"))


# --------------------------------------------------------------------------- tabular form


class PackageFiles:
    """The files of a tabular package, in a folder or a .zip, by their path relative to datapackage.json."""

    def __init__(self, path: Path):
        self.zip: zipfile.ZipFile | None = None
        self.folder = path
        self.prefix = ""
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            found = sorted((name for name in self.zip.namelist() if PurePosixPath(name).name == "datapackage.json"),
                           key=lambda name: name.count("/"))
            # A zip of a folder has the package one level down: read paths from where datapackage.json is.
            self.prefix = found[0][:-len("datapackage.json")] if found else ""
        elif path.is_file() and path.name == "datapackage.json":
            self.folder = path.parent
        elif not path.is_dir():
            raise SourceError(f"{path.name} is neither a folder nor a .zip; {EXPECTED_TABLES}")

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()

    def read(self, relative: str) -> bytes | None:
        """Return a file's bytes, or None when the package has no such file."""
        parts = PurePosixPath(relative).parts
        if not parts or relative.startswith("/") or ".." in parts or "://" in relative:
            raise SourceError(f"datapackage.json names '{relative}', which is not a file inside the package; "
                              f"{EXPECTED_TABLES}")
        if self.zip is not None:
            try:
                return self.zip.read(self.prefix + relative)
            except KeyError:
                return None
        target = self.folder.joinpath(*parts)
        return target.read_bytes() if target.is_file() else None


def package_files(path: Path) -> PackageFiles:
    try:
        return PackageFiles(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise SourceError(f"cannot open {path.name} ({error}); {EXPECTED_TABLES}") from None


def table_paths(files: PackageFiles, read: Read) -> dict[str, list[str]]:
    """Return each table's file paths, as datapackage.json gives them (the standard names without one)."""
    raw = files.read("datapackage.json")
    if raw is None:
        read.notes.append("no datapackage.json: the tables were looked for under the standard's file names")
        return {table: [name] for table, name in TABLE_FILES.items()}
    try:
        resources = json.loads(raw.decode("utf-8-sig"))["resources"]
        paths = {r["name"]: [r["path"]] if isinstance(r["path"], str) else list(r["path"]) for r in resources}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"datapackage.json cannot be read ({error!r}); expected a Data Package whose "
                          f"\"resources\" each give a name and a path") from None
    return paths


def load_tables(files: PackageFiles, read: Read) -> dict[str, list[dict]]:
    """Return the rows of the tables the reader uses, by table name; the services table is required."""
    paths = table_paths(files, read)
    if "service" not in paths:
        raise SourceError(f"datapackage.json lists no 'service' resource; {EXPECTED_TABLES}")
    tables = {}
    for table in TABLE_FILES:
        tables[table] = []
        for path in paths.get(table, ()):
            raw = files.read(path)
            if raw is None and table == "service":
                raise SourceError(f"the services table ({path}) is missing; {EXPECTED_TABLES}")
            if raw is None:
                read.notes.append(f"datapackage.json lists {path}, which is missing: read without the {table} table")
                continue
            tables[table] += csv_rows(raw, path)
    return tables


def csv_rows(raw: bytes, path: str) -> list[dict]:
    """Return a CSV file's rows as dicts of the cells that have a value."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{path} is not UTF-8 text ({error}); {EXPECTED_TABLES}") from None
    try:
        return [{key.strip(): GUARDED_CELL.sub("", value) for key, value in row.items()
                 if key and isinstance(value, str) and value.strip()}
                for row in csv.DictReader(io.StringIO(text, newline=""))]
    except csv.Error as error:  # e.g. a cell past the csv module's size limit
        raise SourceError(f"{path} cannot be read as CSV ({error}); {EXPECTED_TABLES}") from None


def nest_tables(tables: dict[str, list[dict]]) -> list[dict]:
    """Return each row of the services table as a service_full object, joining the other tables by id."""
    joined = Joined(tables)
    return [joined.service(row) for row in tables["service"]]


class Joined:
    """The tables indexed by the ids that tie their rows to services, locations and services at locations."""

    def __init__(self, tables: dict[str, list[dict]]):
        self.organizations = {row.get("id"): row for row in tables["organization"]}
        terms = {row.get("id"): row for row in tables["taxonomy_term"]}
        addresses = _by(tables["address"], "location_id")
        self.locations = {row.get("id"): {**row, "addresses": addresses[row.get("id")]} for row in tables["location"]}
        self.at_locations = _by(tables["service_at_location"], "service_id")
        self.languages = _by(tables["language"], "service_id")
        self.costs = _by(tables["cost_option"], "service_id")
        self.areas = _by(tables["service_area"], "service_id")
        self.attributes = _by([{**row, "taxonomy_term": terms.get(row.get("taxonomy_term_id"), {})}
                               for row in tables["attribute"] if row.get("link_entity", "service") == "service"],
                              "link_id")
        self.phones = {key: _by([row for row in tables["phone"] if not row.get(skip)], key)
                       for key, skip in (("service_id", "service_at_location_id"),
                                         ("service_at_location_id", ""), ("location_id", "service_id"))}
        self.schedules = self._schedules(tables["schedule"], tables["service_at_location"])

    def _schedules(self, rows: list[dict], at_locations: list[dict]) -> dict[str, list[dict]]:
        """Return schedule rows by the service at location they apply to, or by service ("service:<id>")."""
        pairs = {(row.get("service_id"), row.get("location_id")): row.get("id") for row in at_locations}
        found: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            # The most particular tie wins: a row may give its service, location and service at location at once.
            key = row.get("service_at_location_id") or pairs.get((row.get("service_id"), row.get("location_id")))
            if not key and row.get("service_id") and not row.get("location_id"):
                key = f"service:{row['service_id']}"
            if key:
                found[key].append(row)
        return found

    def service(self, row: dict) -> dict:
        """Return a services table row as a service_full object."""
        sid = row.get("id")
        return {**row, "organization": self.organizations.get(row.get("organization_id"), {}),
                "phones": self.phones["service_id"][sid], "schedules": self.schedules[f"service:{sid}"],
                "languages": self.languages[sid], "attributes": self.attributes[sid], "cost_options": self.costs[sid],
                "service_areas": self.areas[sid],
                "service_at_locations": [self.at_location(sal) for sal in self.at_locations[sid]]}

    def at_location(self, row: dict) -> dict:
        location = self.locations.get(row.get("location_id"))
        if location is not None:
            location = {**location, "phones": self.phones["location_id"][location.get("id")]}
        return {**row, "location": location, "schedules": self.schedules[row.get("id")],
                "phones": self.phones["service_at_location_id"][row.get("id")]}


def _by(rows: list[dict], key: str) -> defaultdict[str, list[dict]]:
    grouped: defaultdict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped


# --------------------------------------------------------------------------- a service's records


def read_service(index: int, service: dict, read: Read) -> None:
    """Add a service's Records (one per place and weekly schedule row) or its Refusal to `read`."""
    sid, name = _id(service), _name(service)
    status = clean.text(service.get("status")).lower()
    if not name:
        return _refuse(read, index, sid, name, "the service has no name")
    if status and status != "active":
        return _refuse(read, index, sid, name, f"its status is '{status}', not active")
    base = base_record(index, service)
    places, virtual = located(service)
    missing = [sal for sal in service.get("service_at_locations") or () if isinstance(sal, dict)
               and not isinstance(sal.get("location"), dict) and sal.get("location_id")]
    for sal in missing:
        read.notes.append(f"{name}: its location {sal['location_id']} is not in the source, so it was left out")
    if places:
        for sal, location in places:
            place_records(base, service, sal, location, virtual, read)
    elif base.listing.get("serves") and base.listing.get("format") == "in-person":
        area_records(base, service, read)
    elif virtual:
        for sal, location in virtual:
            online_records(base, service, sal, location, read)
    elif base.url:
        online_records(base, service, {}, {}, read)
    else:
        _refuse(read, index, sid, name, "it has no location and no url: neither a place to go nor a page to "
                                        "join online")


def base_record(index: int, service: dict) -> Record:
    """Return what every Record of a service shares: names, contacts, dates and listing fields."""
    organization = service.get("organization") if isinstance(service.get("organization"), dict) else {}
    name, org_name = _name(service), clean.text(organization.get("name"))
    vocabulary, unmapped = vocabulary_of(service.get("attributes"))
    url = _url(service.get("url"))
    record = Record(
        index=index, id=_id(service), name=name, group=name, group_id=_id(service),
        url=url, website=url, email=clean.text(service.get("email")),
        phone=first_phone(service), unmapped=unmapped,
        updated=clean.parse_date(service.get("assured_date")) or clean.parse_date(service.get("last_modified")),
        organization=org_name, organization_url=_url(organization.get("website")))
    serves, record.region, also = served_area(service, vocabulary.pop("serves", ""))
    record.for_its_state_only = bool(record.region) and not serves  # "For people in <state>"
    # A service is a program, whether or not it has a place: not an "online forum" for want of an address, nor a
    # "local group" (its own kind, from our vocabulary, wins).
    vocabulary.setdefault("kind", "peer-program")
    record.listing = listing_fields(service, record, vocabulary)
    if serves:
        record.listing["serves"] = serves
    if also:
        record.listing["also_serves"] = also
    return record


def served_area(service: dict, given: str) -> tuple[str, str, list[str]]:
    """Return what a service serves ('statewide', 'part-of-state', 'nationwide' or ''), the state's code and
    the other states it also serves; `given` is what the "serves/…" attribute says ('' for none).

    The "serves/…" attribute of our export says which outright, and its service area names the state. For
    another source, a service with no place of its own whose one service area is a state, part of one ("Part
    of Ohio") or the country serves it; areas such as counties or cities say nothing this schema can hold.
    With the attribute, the states of the areas after the first are those it also serves.
    """
    listed = _dicts(service.get("service_areas"))
    areas = [clean.text(area.get("name")) for area in listed]
    found = [area_of(name) for name in areas if name]
    states = list(dict.fromkeys(code for _, code in found if code))
    if given == "nationwide":
        return given, "", []
    if given in ("statewide", "part-of-state"):  # our export lists the listing's own state first
        return given, states[0] if states else "", states[1:]
    if len(listed) == 1 and len(states) == 1 and FOR_PEOPLE_IN.match(clean.text(listed[0].get("description"))):
        return "", states[0], []  # the state named, not served whole
    if len(found) != 1 or not found[0][0] or located(service)[0]:
        return "", "", []
    return (*found[0], [])


def area_of(name: str) -> tuple[str, str]:
    """Return what a service area's name says the service serves, and the state's code ('' for neither)."""
    if NATIONWIDE.match(name):
        return "nationwide", ""
    part = PART_OF.match(name)
    code = region_code(part["state"] if part else name)
    if not code:
        return "", ""
    return ("part-of-state" if part else "statewide"), code


def listing_fields(service: dict, record: Record, vocabulary: dict) -> dict:
    """Return the project-schema fields a service gives: summary, description, organization, contact,
    cost, vocabulary and languages."""
    summary, description = summary_and_description(record.name, record.organization, service.get("description"))
    fields: dict = {"summary": summary}
    if description:
        fields["description"] = description
    if record.organization and record.organization.casefold() != record.name.casefold():
        fields["organization"] = record.organization  # our export names the listing itself when none is named
    contact = {key: value for key, value in (("website", record.website), ("email", record.email),
                                             ("phone", record.phone)) if value}
    if contact:
        fields["contact"] = contact
    credentials = [part.strip() for part in clean.text(service.get("accreditations")).split(";") if part.strip()]
    if credentials:
        fields["credentials"] = credentials
    cost = vocabulary.pop("cost", "") or free_cost(service)
    if cost:
        fields["cost"] = cost
    fields.update(vocabulary)
    languages = _unique(clean.text(language.get("code")).lower() for language in _dicts(service.get("languages")))
    if languages:
        fields["languages"] = languages
    return fields


def summary_and_description(name: str, organization: str, raw: object) -> tuple[str, str]:
    """Return a summary of 10 to 200 characters and the description that goes with it ('' for none).

    Our export writes the summary, a blank line and the description: a short first paragraph is the
    summary and the rest the description. Otherwise the first sentence is the summary and the whole text
    the description; failing that, a sentence made from what is known.
    """
    text = raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""
    if text:
        first, _, rest = text.partition("\n\n")
        first = " ".join(first.split())
        if 10 <= len(first) <= 200:
            return first, rest.strip()
        sentence = re.match(r"^.+?[.!?](?=\s|$)", first)
        if sentence and 10 <= len(sentence.group()) <= 200:
            return sentence.group(), text
    made = f"{name}, a service of {organization}." if organization and organization != name else ""
    if not 10 <= len(made) <= 200:
        made = f"{name} (the source gives no description)."
    return made, text


def free_cost(service: dict) -> str:
    """Return 'free' when the fees description or every cost option says it costs nothing, else ''."""
    fees = clean.text(service.get("fees_description"))
    options = _dicts(service.get("cost_options"))
    amounts = [clean.number(option.get("amount")) for option in options]
    if fees and FREE.match(fees):
        return "free"
    if not fees and amounts and all(amount == 0 for amount in amounts):
        return "free"
    return ""


def vocabulary_of(attributes: object) -> tuple[dict, tuple[str, ...]]:
    """Return the listing fields of our own vocabulary's terms, and the other terms as "CODE (name)"."""
    fields: dict = {}
    unmapped: list[str] = []
    for attribute in _dicts(attributes):
        term = attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else {}
        code, label = clean.text(term.get("code")), clean.text(term.get("name"))
        link_type, _, slug = code.partition("/")
        if not slug and clean.text(attribute.get("link_type")) in VOCABULARY:
            link_type, slug = clean.text(attribute.get("link_type")), code
        if link_type in VOCABULARY and slug:
            field, many = VOCABULARY[link_type]
            if many:
                fields.setdefault(field, [])
                if slug not in fields[field]:
                    fields[field].append(slug)
            else:
                fields.setdefault(field, slug)
        elif code or label:
            unmapped.append(f"{code} ({label})" if code and label else code or label)
    return fields, tuple(_unique(unmapped))


def first_phone(service: dict) -> str:
    """Return the first phone one can call: the service's, then its services at locations', then theirs."""
    candidates = list(_dicts(service.get("phones")))
    for sal in _dicts(service.get("service_at_locations")):
        candidates += _dicts(sal.get("phones"))
        location = sal.get("location") if isinstance(sal.get("location"), dict) else {}
        candidates += _dicts(location.get("phones"))
    for phone in candidates:
        number = clean.text(phone.get("number")).strip("\"' ")
        if number and clean.text(phone.get("type")).lower() not in NOT_CALLABLE:
            extension = clean.text(phone.get("extension"))
            return f"{number} ext. {extension}" if extension else number
    return ""


# --------------------------------------------------------------------------- places and schedules


def located(service: dict) -> tuple[list[tuple[dict, dict]], list[tuple[dict, dict]]]:
    """Return the service's (service_at_location, location) pairs: the places, and the virtual ones.

    A postal location is where letters go, not where people meet, so it is neither.
    """
    places, virtual = [], []
    for sal in _dicts(service.get("service_at_locations")):
        location = sal.get("location")
        if not isinstance(location, dict):
            continue
        kind = location_type(location)
        if kind == "physical":
            places.append((sal, location))
        elif kind == "virtual" and _url(location.get("url")):
            virtual.append((sal, location))
    return places, virtual


def location_type(location: dict) -> str:
    """Return 'physical', 'virtual' or 'postal'; a location that does not say is judged by what it gives."""
    given = clean.text(location.get("location_type")).lower()
    if given in ("physical", "virtual", "postal"):
        return given
    if location.get("addresses") or clean.number(location.get("latitude")) is not None:
        return "physical"
    return "virtual" if location.get("url") else "physical"


def place_records(base: Record, service: dict, sal: dict, location: dict, virtual: list, read: Read) -> None:
    """Add the Records of a service at a physical location: in person, or hybrid when it also meets online."""
    place = place_fields(location, read, base.name)
    record = dataclasses.replace(base, id=_id(sal) or base.id, group_id=f"{base.id}@{_id(location)}", **place)
    if not (record.address or record.city or record.lat is not None):
        return _refuse(read, base.index, record.id, base.name,
                       f"its location {_id(location) or '(no id)'} gives no address, city or coordinates")
    if virtual:
        online = virtual[0][1]  # a service's online room is the same whichever place it also meets at
        record = dataclasses.replace(record, attendance="hybrid", listing=online_listing(record, online),
                                     conference_url=_url(online.get("url")),
                                     conference_url_notes=_conference_notes(online))
    slot_records(record, _schedules_of(sal, service), read)


def area_records(base: Record, service: dict, read: Read) -> None:
    """Add the Records of a service that serves a state or the country in person with no one place to go."""
    slot_records(dataclasses.replace(base, attendance="in_person"), _schedules_of({}, service), read)


def online_records(base: Record, service: dict, sal: dict, location: dict, read: Read) -> None:
    """Add the Records of a service that meets online only: at a virtual location, or at its own url."""
    url = _url(location.get("url")) or base.url
    record = dataclasses.replace(base, id=_id(sal) or base.id, attendance="online", conference_url=url,
                                 conference_url_notes=_conference_notes(location),
                                 group_id=f"{base.id}@{_id(location)}" if location else base.id,
                                 listing=online_listing(base, location))
    slot_records(record, _schedules_of(sal, service), read)


def online_listing(record: Record, location: dict) -> dict:
    """Return the record's listing fields with the online platform our export writes, when there is one."""
    platform = PLATFORM.match(clean.text(location.get("description")))
    if not platform:
        return record.listing
    return {**record.listing, "online": {"url": _url(location.get("url")), "platform": platform["platform"]}}


def _conference_notes(location: dict) -> str:
    notes = clean.text(location.get("description"))
    return "" if notes == "Online" or PLATFORM.match(notes) else notes


def place_fields(location: dict, read: Read, name: str) -> dict:
    """Return a location's Record fields: street address, city, region, postal code, country, coordinates."""
    address = street_address(location.get("addresses"))
    description = clean.text(location.get("description"))
    own = CITY_REGION.match(description)  # what our export writes: "City, ST", not a note about the place
    if own and not address:
        address = {"city": own["city"], "region": own["region"]}
    lat, lng = clean.number(location.get("latitude")), clean.number(location.get("longitude"))
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        read.notes.append(f"{name}: coordinates {lat}, {lng} are not on Earth, so they were left out")
        lat = lng = None
    location_name = clean.text(location.get("name"))
    return {**address, "lat": lat if lng is not None else None, "lng": lng if lat is not None else None,
            "location_name": "" if location_name.casefold() == name.casefold() else location_name,
            "location_notes": "" if own else description}


def street_address(addresses: object) -> dict:
    """Return the Record fields of a location's physical address (a postal one when it has no other)."""
    found = sorted(_dicts(addresses), key=lambda a: clean.text(a.get("address_type")).lower() != "physical")
    if not found:
        return {}
    chosen = found[0]
    street = ", ".join(part for part in (clean.text(chosen.get("address_1")), clean.text(chosen.get("address_2")))
                       if part)
    if clean.text(chosen.get("address_type")).lower() == "postal" and PO_BOX.match(street):
        street = ""  # a post office box is nowhere to meet
    region, country = clean.text(chosen.get("state_province")), clean.text(chosen.get("country"))
    return {"address": street, "city": clean.text(chosen.get("city")),
            "region": region.upper() if len(region) == 2 else region,
            "postal_code": clean.text(chosen.get("postal_code")),
            "country": country.upper() if len(country) == 2 else country}


def _schedules_of(sal: dict, service: dict) -> list[dict]:
    """Return the schedules of a service at a location: its own, else the service's; each id once."""
    rows = _dicts(sal.get("schedules")) or _dicts(service.get("schedules"))
    seen, unique = set(), []
    for row in rows:
        key = _id(row) or id(row)
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def slot_records(record: Record, schedules: list[dict], read: Read) -> None:
    """Add one Record per weekly schedule row, or one with no days when none is weekly."""
    weekly, other = [], []
    for schedule in schedules:
        (weekly if is_weekly(schedule) else other).append(schedule)
    if other:
        said = "; ".join(_unique(clean.text(s.get("description")) for s in other if s.get("description")))
        read.notes.append(f"{record.name}: {len(other)} schedule(s) not weekly on set days, kept only as notes"
                          + (f" ({said})" if said else ""))
    if not weekly:
        notes = "; ".join(_unique(clean.text(s.get("description")) or clean.text(s.get("notes")) for s in other))
        read.records.append(dataclasses.replace(record, notes=notes))
        return
    for schedule in weekly:
        slot = slot_fields(schedule, record, read)
        if slot is not None:
            read.records.append(dataclasses.replace(record, **slot))


def is_weekly(schedule: dict) -> bool:
    """Return whether a schedule row recurs every week on named days (freq WEEKLY, interval 1, byday)."""
    freq = clean.text(schedule.get("freq")).upper()
    interval = clean.number(schedule.get("interval"))
    days = [day.strip().upper() for day in clean.text(schedule.get("byday")).split(",") if day.strip()]
    return freq in ("WEEKLY", "") and interval in (None, 1) and bool(days) and all(day in BYDAY for day in days)


def slot_fields(schedule: dict, record: Record, read: Read) -> dict | None:
    """Return a weekly row's days, times, timezone and notes; refuse the row (None) when it has no start."""
    days = tuple(sorted({BYDAY[d.strip().upper()] for d in clean.text(schedule.get("byday")).split(",") if d.strip()}))
    where = f"schedule {_id(schedule) or '(no id)'}"
    try:
        start = clean.parse_time(schedule.get("opens_at"))
    except ValueError:
        opens = clean.text(schedule.get("opens_at"))
        _refuse(read, record.index, record.id, record.name,
                f"{where} meets weekly on {clean.text(schedule.get('byday'))} but "
                + (f"its opens_at '{opens}' is not a time" if opens else "gives no opens_at time"))
        return None
    try:
        end = clean.parse_time(schedule["closes_at"]) if clean.text(schedule.get("closes_at")) else ""
    except ValueError:
        read.notes.append(f"{record.name}: {where}'s closes_at '{clean.text(schedule.get('closes_at'))}' is not "
                          f"a time, so it was left out")
        end = ""
    return {"days": days, "start": start, "end": end, "timezone": timezone_of(schedule, read),
            "notes": clean.text(schedule.get("notes"))}


def timezone_of(schedule: dict, read: Read) -> str:
    """Return the IANA timezone a schedule row names ('' for a UTC offset, which HSDS also allows)."""
    given = schedule.get("timezone")
    for candidate in (clean.text(given), *ZONE_IN_TEXT.findall(clean.text(schedule.get("description")))):
        if "/" in candidate and _is_zone(candidate):
            return candidate
    if clean.text(given):
        note = (f"schedule timezones given as UTC offsets or unknown names (e.g. '{clean.text(given)}') were "
                f"not kept: offsets change with daylight saving time, so each listing's region decides")
        if not any(n.startswith("schedule timezones given") for n in read.notes):
            read.notes.append(note)
    return ""


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# --------------------------------------------------------------------------- small helpers


def _refuse(read: Read, index: int, record_id: str, name: str, reason: str) -> None:
    read.refusals.append(Refusal(index=index, id=record_id, name=name, reason=reason))


def _id(item: object) -> str:
    return clean.text(item.get("id")) if isinstance(item, dict) else ""


def _name(item: object) -> str:
    return clean.text(item.get("name")) if isinstance(item, dict) else ""


def _url(value: object) -> str:
    """Return a web address as given, or '' when it is not an http(s) address."""
    url = clean.text(value)
    return url if re.match(r"^https?://\S+$", url, re.IGNORECASE) else ""


def _dicts(value: object) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _unique(values) -> list:
    return [value for value in dict.fromkeys(values) if value]
