"""The HSDS 3.0 reader: JSON records and CSV tables become Records (one per service, place and weekly
schedule row) or Refusals; a site's own HSDS export reads back to the listings it came from."""
from __future__ import annotations

import datetime
import json
import textwrap
import zipfile
from pathlib import Path

import pytest

from exports_fixture import make_export_content, render_exports_site
from generator.exports.common import SiteConstants
from generator.exports.hsds_tables import ATTRIBUTE_SECTIONS, taxonomy_term_rows
from generator.importing.hsds import VOCABULARY, read_hsds_json, read_hsds_tables
from generator.importing.records import SourceError
from generator.newlisting import load_taxonomy

EXAMPLES = Path(__file__).resolve().parents[2] / "shared/feeds/hsds3-examples"  # beside the repository

# A fictional service in HSDS's service_full shape: one place, an online room, two weekly meetings.
CENTER = {
    "id": "svc-1", "name": "Example Recovery Center Peer Group", "status": "active",
    "description": "A peer-led recovery group that meets twice a week. Everyone is welcome.\n\nBring a friend.",
    "url": "https://example.org/peer-group", "email": "group@example.org", "fees_description": "Free",
    "assured_date": "2026-04-01", "last_modified": "2026-05-01T10:00:00Z",
    "organization": {"id": "org-1", "name": "Example Recovery Center", "website": "https://example.org"},
    "phones": [{"id": "ph-0", "number": "555-0150", "type": "fax"},
               {"id": "ph-1", "number": "(860) 555-0101", "extension": 12, "type": "voice"}],
    "languages": [{"id": "la-1", "name": "Spanish", "code": "ES"}],
    "attributes": [
        {"id": "at-1", "link_type": "support_type", "taxonomy_term": {"id": "t1", "code": "support_type/mutual-aid"}},
        {"id": "at-2", "link_type": "audience", "taxonomy_term": {"id": "t2", "code": "audience/women"}},
        {"id": "at-3", "taxonomy_term": {"id": "t3", "code": "LR-8000", "name": "Peer Support"}}],
    "schedules": [
        {"id": "sc-1", "freq": "WEEKLY", "byday": "MO,WE", "opens_at": "18:30:00", "closes_at": "19:30:00",
         "timezone": "America/New_York", "notes": "Side door"},
        {"id": "sc-2", "freq": "WEEKLY", "byday": "SA", "opens_at": "10:00", "timezone": -5}],
    "service_at_locations": [
        {"id": "sal-1", "location": {
            "id": "loc-1", "location_type": "physical", "name": "Example Community Hall",
            "description": "Ramp at the back.", "latitude": "41.76", "longitude": -72.68,
            "addresses": [{"id": "ad-1", "address_1": "PO Box 9", "city": "Hartford", "state_province": "CT",
                           "postal_code": "06103", "country": "us", "address_type": "postal"},
                          {"id": "ad-2", "address_1": "1 Example Street", "address_2": "Room 2", "city": "Hartford",
                           "state_province": "ct", "postal_code": "06103", "country": "US",
                           "address_type": "physical"}]}},
        {"id": "sal-2", "location": {"id": "loc-2", "location_type": "virtual", "url": "https://example.org/zoom",
                                     "description": "Zoom room"}}],
}


def service(**changes) -> dict:
    return {**json.loads(json.dumps(CENTER)), **changes}


def read_json(document: object):
    return read_hsds_json(json.dumps(document).encode("utf-8"), "test.json")


# --------------------------------------------------------------------------- JSON records


def test_a_service_at_a_place_gives_one_record_per_weekly_schedule_row():
    read = read_json([CENTER])
    assert read.refusals == []
    first, second = read.records
    assert (first.index, first.id, first.name, first.group) == (0, "sal-1", CENTER["name"], CENTER["name"])
    assert first.group_id == second.group_id == "svc-1@loc-1"
    assert (first.days, first.start, first.end, first.timezone, first.notes) == ((1, 3), "18:30", "19:30",
                                                                                 "America/New_York", "Side door")
    assert (second.days, second.start, second.end, second.timezone) == ((6,), "10:00", "", "")
    assert first.attendance == "hybrid" and first.conference_url == "https://example.org/zoom"
    assert first.conference_url_notes == "Zoom room"
    # The physical address wins over the post office box; codes are upper-cased.
    assert (first.address, first.city, first.region, first.postal_code, first.country) == (
        "1 Example Street, Room 2", "Hartford", "CT", "06103", "US")
    assert (first.lat, first.lng) == (41.76, -72.68)
    assert (first.location_name, first.location_notes) == ("Example Community Hall", "Ramp at the back.")
    assert (first.url, first.website, first.email) == ("https://example.org/peer-group",
                                                       "https://example.org/peer-group", "group@example.org")
    assert first.phone == "(860) 555-0101 ext. 12"  # the fax is no number to call
    assert first.updated == datetime.date(2026, 4, 1)  # assured: when the facts were checked
    assert (first.organization, first.organization_url) == ("Example Recovery Center", "https://example.org")
    assert first.unmapped == ("LR-8000 (Peer Support)",)
    assert first.listing == {
        "summary": "A peer-led recovery group that meets twice a week. Everyone is welcome.",
        "description": "Bring a friend.", "organization": "Example Recovery Center",
        "contact": {"website": "https://example.org/peer-group", "email": "group@example.org",
                    "phone": "(860) 555-0101 ext. 12"},
        "cost": "free", "kind": "peer-program",  # a service is a program unless its own terms say otherwise
        "support_types": ["mutual-aid"], "audience": ["women"], "languages": ["es"]}
    assert any("UTC offsets" in note for note in read.notes)  # timezone -5 is not kept


def test_a_page_of_services_at_locations_reads_each_with_its_own_schedules():
    at_location = {"id": "sal-9", "service": service(schedules=[], service_at_locations=[]),
                   "location": {"id": "loc-9", "name": "Example Recovery Center",
                                "addresses": [{"address_1": "9 Example Road", "city": "Springfield",
                                               "state_province": "MA", "postal_code": "01103"}]},
                   "schedules": [{"id": "sc-9", "freq": "WEEKLY", "byday": "TH", "opens_at": "7:00 PM"}]}
    read = read_json({"total_items": 1, "contents": [at_location]})
    (record,) = read.records
    assert (record.id, record.group_id, record.days, record.start) == ("sal-9", "svc-1@loc-9", (4,), "19:00")
    assert record.attendance == "in_person" and record.conference_url == ""
    assert record.city == "Springfield" and record.location_name == "Example Recovery Center"


def test_organizations_with_full_services_lend_them_their_name():
    organization = {"id": "org-2", "name": "Example Recovery Network", "services": [service(organization=None)]}
    read = read_json([organization])
    assert {r.organization for r in read.records} == {"Example Recovery Network"}


def test_a_place_with_no_weekly_schedule_is_one_record_with_no_days():
    monthly = {"id": "sc-m", "freq": "MONTHLY", "byday": "1MO", "opens_at": "18:00",
               "description": "First Monday of the month"}
    read = read_json([service(schedules=[monthly])])
    (record,) = read.records
    assert (record.days, record.start, record.notes) == ((), "", "First Monday of the month")
    assert any("not weekly" in note for note in read.notes)
    (record,) = read_json([service(schedules=[])]).records
    assert record.days == () and record.id == "sal-1"


def test_a_service_with_no_location_is_online_when_it_has_a_url():
    read = read_json([service(service_at_locations=[], schedules=[])])
    (record,) = read.records
    assert (record.id, record.group_id, record.attendance) == ("svc-1", "svc-1", "online")
    assert record.conference_url == "https://example.org/peer-group" and record.city == ""
    read = read_json([service(service_at_locations=[], url="")])
    assert read.records == []
    (refusal,) = read.refusals
    assert (refusal.index, refusal.id, refusal.name) == (0, "svc-1", CENTER["name"])
    assert "no location and no url" in refusal.reason


@pytest.mark.parametrize("areas, serves, region", [
    (["Ohio"], "statewide", "OH"),
    (["OH"], "statewide", "OH"),
    (["Part of Ohio"], "part-of-state", "OH"),
    (["United States"], "nationwide", ""),
    (["Franklin County"], None, ""),  # a county: nothing this schema can hold
    (["Ohio", "Kentucky"], None, ""),  # two states: not one state's listing
    ([], None, ""),
])
def test_a_service_with_no_place_serves_the_one_state_or_country_its_service_area_names(areas, serves, region):
    read = read_json([service(service_at_locations=[], schedules=[],
                              service_areas=[{"id": f"sa-{n}", "name": name} for n, name in enumerate(areas)])])
    (record,) = read.records
    assert (record.listing.get("serves"), record.region, record.attendance) == (serves, region, "online")


def test_our_export_s_one_state_for_the_people_in_it_is_the_listing_s_state_not_all_of_it():
    """An online listing that names only its state (a line for the people of one state) is exported with that
    state as its one area, "For people in <state>", and read back as its state without serving it whole."""
    areas = [{"id": "sa-1", "name": "Hawaii", "description": "For people in Hawaii"}]
    (record,) = read_json([service(service_at_locations=[], schedules=[], service_areas=areas)]).records
    assert ("serves" not in record.listing, record.region, record.attendance) == (True, "HI", "online")


def test_a_service_area_says_nothing_of_a_service_at_a_place_unless_the_export_s_attribute_does():
    (record, *_) = read_json([service(service_areas=[{"id": "sa-1", "name": "Connecticut"}])]).records
    assert "serves" not in record.listing and record.city == "Hartford"
    said = service(service_areas=[{"id": "sa-1", "name": "Connecticut"}], attributes=[
        {"id": "at-9", "link_type": "serves", "taxonomy_term": {"id": "t9", "code": "serves/statewide"}}])
    (record, *_) = read_json([said]).records
    assert (record.listing["serves"], record.city, record.region) == ("statewide", "Hartford", "CT")


def test_a_statewide_service_in_person_with_no_place_is_in_person_in_its_state():
    said = service(service_at_locations=[], schedules=[], service_areas=[{"id": "sa-1", "name": "Part of Ohio"}],
                   attributes=[{"id": "at-8", "taxonomy_term": {"id": "t8", "code": "format/in-person"}},
                               {"id": "at-9", "taxonomy_term": {"id": "t9", "code": "serves/part-of-state"}}])
    (record,) = read_json([said]).records
    assert (record.attendance, record.region, record.city, record.conference_url) == ("in_person", "OH", "", "")
    assert (record.listing["serves"], record.listing["format"]) == ("part-of-state", "in-person")


def test_a_virtual_location_alone_makes_an_online_service():
    virtual = [CENTER["service_at_locations"][1]]
    records = read_json([service(service_at_locations=virtual)]).records
    assert {(r.id, r.group_id, r.attendance, r.conference_url) for r in records} == {
        ("sal-2", "svc-1@loc-2", "online", "https://example.org/zoom")}


def test_what_cannot_be_used_is_refused_with_its_reason():
    nameless = service(name="")
    closed = service(id="svc-2", status="inactive")
    no_start = service(id="svc-3", schedules=[{"id": "sc-x", "freq": "WEEKLY", "byday": "FR"}])
    bad_start = service(id="svc-4", schedules=[{"id": "sc-y", "freq": "WEEKLY", "byday": "FR", "opens_at": "late"}])
    nowhere = service(id="svc-5", service_at_locations=[{"id": "sal-5", "location": {"id": "loc-5",
                                                                                     "location_type": "physical"}}])
    read = read_json([nameless, closed, no_start, bad_start, nowhere, "not an object"])
    assert read.records == []
    reasons = {(r.index, r.id): r.reason for r in read.refusals}
    assert reasons[0, "svc-1"] == "the service has no name"
    assert reasons[1, "svc-2"] == "its status is 'inactive', not active"
    assert reasons[2, "sal-1"] == "schedule sc-x meets weekly on FR but gives no opens_at time"
    assert reasons[3, "sal-1"] == "schedule sc-y meets weekly on FR but its opens_at 'late' is not a time"
    assert reasons[4, "sal-5"] == "its location loc-5 gives no address, city or coordinates"
    assert "not an HSDS service" in reasons[5, ""]


def test_a_summary_is_made_when_the_description_gives_none_that_fits():
    read = read_json([service(description="")])
    assert read.records[0].listing["summary"] == "Example Recovery Center Peer Group, a service of Example " \
                                                 "Recovery Center."
    long_sentence = "A " + "very " * 50 + "long sentence. Then more."
    listing = read_json([service(description=long_sentence, organization={})]).records[0].listing
    assert listing["summary"] == "Example Recovery Center Peer Group (the source gives no description)."
    assert listing["description"] == long_sentence and "organization" not in listing


@pytest.mark.parametrize("fees, options, cost", [
    ("", [{"amount": 0}], "free"), ("No charge.", [], "free"), ("Free for members, $10 for others", [], ""),
    ("", [{"amount": 35, "currency": "usd"}], ""), ("", [], "")])
def test_cost_is_free_only_when_the_source_says_so(fees, options, cost):
    listing = read_json([service(fees_description=fees, cost_options=options)]).records[0].listing
    assert listing.get("cost", "") == cost


@pytest.mark.parametrize("data, expected", [
    (b"{not json", "not JSON"), (b"\xff\xfe", "not JSON"), (b"42", "JSON int"),
    (b'[{"id": "t1", "code": "LR", "name": "Peer Support", "taxonomy": "AIRS"}]', "no service"),
    (b'{"version": "3.0", "profile": "https://example.org/profile"}', "no service")])
def test_what_is_not_an_hsds_document_is_a_source_error(data, expected):
    with pytest.raises(SourceError, match=expected) as error:
        read_hsds_json(data, "test.json")
    assert "expected HSDS 3.0 JSON" in str(error.value) and "\n" not in str(error.value)


def test_organizations_that_list_places_apart_from_services_are_a_source_error():
    organization = {"id": "org-1", "name": "Example Recovery Center",
                    "services": [{"id": "svc-1", "name": "Example Group", "url": "https://example.org/g"}],
                    "locations": [{"id": "loc-1", "location_type": "physical", "name": "Example Hall"}]}
    with pytest.raises(SourceError, match="services.json"):
        read_json([organization])


def test_the_reader_knows_every_vocabulary_section_the_export_writes():
    assert {link_type for _, link_type in ATTRIBUTE_SECTIONS} | {"serves"} == set(VOCABULARY)
    constants = SiteConstants(base_url="https://example.org/", title="Test",
                              taxonomy=load_taxonomy(Path(__file__).resolve().parents[1] / "content"))
    assert {term["code"].partition("/")[0] for term in taxonomy_term_rows(constants)} == set(VOCABULARY)


# --------------------------------------------------------------------------- CSV tables

TABLES = {
    "organizations.csv": """\
        id,name,website
        org-1,Example Recovery Center,https://example.org
        """,
    "services.csv": """\
        id,organization_id,name,description,url,email,status,fees_description,assured_date
        svc-1,org-1,Example Recovery Center Peer Group,'=A formula-looking summary that is only text.,https://example.org/g,g@example.org,active,Free,2026-04-01
        svc-2,org-1,Example Helpline,A phone and web service of the center.,https://example.org/help,,active,,2026-03-01
        """,
    "locations.csv": """\
        id,location_type,url,organization_id,name,description,latitude,longitude
        loc-1,physical,,org-1,Example Community Hall,"Hartford, CT",41.76,-72.68
        loc-2,virtual,https://example.org/zoom,org-1,Online room,Online (Zoom),,
        """,
    "addresses.csv": "id,location_id,address_1,city,state_province,postal_code,country,address_type\n",
    "service_at_location.csv": """\
        id,service_id,location_id,description
        sal-1,svc-1,loc-1,
        sal-2,svc-1,loc-2,
        """,
    "phones.csv": """\
        id,service_id,service_at_location_id,number,type
        ph-1,svc-1,,(860) 555-0102,voice
        """,
    "schedules.csv": """\
        id,service_id,location_id,service_at_location_id,freq,byday,opens_at,closes_at,timezone,notes
        sc-1,svc-1,,,WEEKLY,TU,19:00,20:00,,
        sc-2,svc-1,loc-1,,WEEKLY,"SU,SA",08:00,09:00,America/New_York,Coffee first
        """,
    "languages.csv": "id,service_id,name,code\nla-1,svc-1,English,en\n",
    "taxonomy_terms.csv": "id,code,name\nt-1,kind/local-group,Local group\nt-2,support_type/12-step,12-step\n",
    "attributes.csv": """\
        id,link_id,taxonomy_term_id,link_type,link_entity
        at-1,svc-1,t-1,kind,service
        at-2,svc-1,t-2,support_type,service
        """,
}
PACKAGE = {"name": "example-hsds", "resources": [
    {"name": name, "path": path} for name, path in (
        ("organization", "organizations.csv"), ("service", "services.csv"), ("location", "locations.csv"),
        ("address", "addresses.csv"), ("service_at_location", "service_at_location.csv"), ("phone", "phones.csv"),
        ("schedule", "schedules.csv"), ("language", "languages.csv"), ("taxonomy_term", "taxonomy_terms.csv"),
        ("attribute", "attributes.csv"))]}


def write_tables(folder: Path, package: dict | None = PACKAGE, skip: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TABLES.items():
        if name != skip:
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if package is not None:
        (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return folder


def check_tables_read(read) -> None:
    assert read.refusals == []
    by_service = {}
    for record in read.records:
        by_service.setdefault(record.group_id, []).append(record)
    slots = sorted((r.days, r.start, r.end, r.timezone, r.notes) for r in by_service["svc-1@loc-1"])
    # sc-2 names the service's location, so it belongs to the service there; sc-1 is the service's own.
    assert slots == [((0, 6), "08:00", "09:00", "America/New_York", "Coffee first")]
    (place,) = by_service["svc-1@loc-1"]
    assert (place.id, place.attendance, place.conference_url) == ("sal-1", "hybrid", "https://example.org/zoom")
    assert (place.city, place.region, place.address, place.lat, place.lng) == ("Hartford", "CT", "", 41.76, -72.68)
    assert place.location_notes == "" and place.location_name == "Example Community Hall"
    assert place.listing["summary"] == "=A formula-looking summary that is only text."  # the guard is taken off
    assert place.listing["online"] == {"url": "https://example.org/zoom", "platform": "Zoom"}
    assert place.listing["kind"] == "local-group" and place.listing["support_types"] == ["12-step"]
    assert place.listing["languages"] == ["en"] and place.listing["cost"] == "free"
    assert place.phone == "(860) 555-0102" and place.organization == "Example Recovery Center"
    (helpline,) = by_service["svc-2"]
    assert (helpline.id, helpline.attendance, helpline.conference_url) == ("svc-2", "online",
                                                                           "https://example.org/help")
    assert helpline.updated == datetime.date(2026, 3, 1) and helpline.days == ()


def test_a_folder_of_tables_reads_like_the_json(tmp_path):
    check_tables_read(read_hsds_tables(write_tables(tmp_path / "hsds"), "hsds"))


def test_a_zip_of_a_folder_of_tables_reads_the_same(tmp_path):
    folder = write_tables(tmp_path / "hsds")
    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, f"export/{path.name}")
    check_tables_read(read_hsds_tables(archive, "hsds.zip"))


def test_tables_without_datapackage_json_are_found_by_the_standard_names(tmp_path):
    read = read_hsds_tables(write_tables(tmp_path / "hsds", package=None), "hsds")
    check_tables_read(read)
    assert any("no datapackage.json" in note for note in read.notes)


def test_missing_or_unreadable_tables_are_source_errors(tmp_path):
    with pytest.raises(SourceError, match="services table"):
        read_hsds_tables(write_tables(tmp_path / "a", skip="services.csv"), "a")
    with pytest.raises(SourceError, match="no 'service' resource"):
        read_hsds_tables(write_tables(tmp_path / "b", package={"resources": []}), "b")
    with pytest.raises(SourceError, match="not a file inside the package"):
        read_hsds_tables(write_tables(tmp_path / "c", package={"resources": [
            {"name": "service", "path": "../services.csv"}]}), "c")
    bad = write_tables(tmp_path / "d")
    (bad / "datapackage.json").write_text("{", encoding="utf-8")
    with pytest.raises(SourceError, match="datapackage.json cannot be read"):
        read_hsds_tables(bad, "d")
    with pytest.raises(SourceError, match="neither a folder nor a .zip"):
        read_hsds_tables(write_tables(tmp_path / "e") / "services.csv", "e")


def test_a_missing_optional_table_is_a_note(tmp_path):
    read = read_hsds_tables(write_tables(tmp_path / "hsds", skip="phones.csv"), "hsds")
    assert read.records and any("phones.csv" in note for note in read.notes)


# --------------------------------------------------------------------------- the specification's examples


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="the HSDS 3.0 examples are not on this machine")
def test_the_specifications_examples_read_without_surprises():
    for name in ("service_full.json", "service_at_location_full.json", "organization_full.json"):
        read = read_hsds_json((EXAMPLES / name).read_bytes(), name)
        (record,) = read.records  # one service, one physical location, one weekly row (Thursday and Friday)
        assert (record.name, record.days, record.start, record.end) == ("Community Counselling", (4, 5), "10:00",
                                                                        "18:00")
        assert record.group_id == "ac148810-d857-441c-9679-408f346de14b@3a19ff88-4620-4d17-9830-ac1d859eb5d5"
        assert record.lat is None and record.timezone == ""  # latitude 100 and timezone 3 are not kept
    (summary_only,) = read_hsds_json((EXAMPLES / "service_list.json").read_bytes(), "list").records
    assert summary_only.attendance == "online"  # the list form leaves the locations out
    for name in ("taxonomy_term_list.json", "base.json", "organization_list.json"):
        with pytest.raises(SourceError):
            read_hsds_json((EXAMPLES / name).read_bytes(), name)
    read = read_hsds_tables(EXAMPLES / "csv", "csv")
    assert len(read.records) == 1 and read.refusals == []
    assert read.records[0].city == "MyCity" and read.records[0].days == (4, 5)


# --------------------------------------------------------------------------- our own export, read back


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("hsds-round-trip")
    files = render_exports_site(make_export_content(root))
    folder = root / "tables"
    for path, body in files.items():
        if path.startswith("api/hsds/"):
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(bytes(body))
    return files, folder / "api" / "hsds"


def listings_of(read) -> dict[str, dict]:
    """Return what the records say about each listing, by name (as the grouping code would see them)."""
    found: dict[str, dict] = {}
    for record in read.records:
        entry = found.setdefault(record.name, {"record": record, "schedule": set(), "groups": set()})
        entry["groups"].add(record.group_id)
        if record.days:
            entry["schedule"].add((record.days, record.start, record.end, record.timezone, record.notes))
    return found


def check_round_trip(read) -> None:
    assert read.refusals == [] and read.notes == []
    listings = listings_of(read)
    assert sorted(listings) == ["Anytime Online Recovery Forum", "Austin Spreadsheet Test Group",
                                "Bay Area Family Circle", "Echo Park Women's Meeting", "Hartford Tuesday Night Group"]
    assert all(len(entry["groups"]) == 1 for entry in listings.values())  # one listing each
    hartford = listings["Hartford Tuesday Night Group"]
    record = hartford["record"]
    assert (record.attendance, record.address, record.city, record.region, record.postal_code, record.country) == (
        "in_person", "1 Main Street", "Hartford", "CT", "06103", "US")
    assert hartford["schedule"] == {((2,), "19:00", "20:00", "America/New_York", "")}
    assert record.listing == {
        "summary": "A weekly 12-step meeting in downtown Hartford, open to anyone who wants to stop drinking.",
        "contact": {"website": "https://example.org/hartford", "email": "hartford@example.org",
                    "phone": "(860) 555-0100"},
        "kind": "local-group", "format": "in-person", "support_types": ["12-step", "mutual-aid"]}
    assert record.updated == datetime.date(2026, 1, 5)
    family = listings["Bay Area Family Circle"]
    record = family["record"]
    assert (record.attendance, record.conference_url, record.city) == ("hybrid", "https://example.org/family/video",
                                                                        "San Francisco")
    assert family["schedule"] == {((6,), "10:00", "", "America/Los_Angeles", ""),
                                  ((1,), "18:30", "19:30", "America/Los_Angeles", "")}
    assert {key: record.listing[key] for key in ("cost", "kind", "format", "support_types", "audience", "languages",
                                                 "online")} == {
        "cost": "free", "kind": "peer-program", "format": "hybrid", "support_types": ["family-support"],
        "audience": ["families"], "languages": ["en", "es"],
        "online": {"url": "https://example.org/family/video", "platform": "Zoom"}}
    forum = listings["Anytime Online Recovery Forum"]["record"]
    assert (forum.attendance, forum.conference_url, forum.city) == ("online", "https://example.org/forum", "")
    assert forum.listing["contact"]["phone"] == "(800) 555-0199"
    assert forum.listing["kind"] == "online-forum" and forum.listing["support_types"] == ["smart-recovery"]
    echo = listings["Echo Park Women's Meeting"]
    assert (echo["record"].lat, echo["record"].lng) == (34.078, -118.26)
    assert echo["schedule"] == {((5,), "23:30", "00:30", "America/Los_Angeles", "Late night"),
                                ((0,), "09:00", "", "America/Los_Angeles", "")}
    assert echo["record"].listing["audience"] == ["women"] and echo["record"].listing["languages"] == ["es"]
    austin = listings["Austin Spreadsheet Test Group"]["record"]
    assert (austin.city, austin.region, austin.address, austin.days) == ("Austin", "TX", "", ())
    assert austin.listing["summary"].startswith("=HYPERLINK(")


def test_our_hsds_json_reads_back_to_the_listings(exported):
    files, _ = exported
    check_round_trip(read_hsds_json(bytes(files["api/hsds/services.json"]), "services.json"))


def test_our_hsds_tables_read_back_to_the_same_records_as_the_json(exported):
    files, folder = exported
    tables = read_hsds_tables(folder, "hsds")
    check_round_trip(tables)
    assert tables.records == read_hsds_json(bytes(files["api/hsds/services.json"]), "services.json").records


def test_our_organizations_json_is_refused_for_the_services_file(exported):
    files, _ = exported
    with pytest.raises(SourceError, match="services.json"):
        read_hsds_json(bytes(files["api/hsds/organizations.json"]), "organizations.json")
