"""Open Referral HSDS 3.0: the JSON records validate against the standard's compiled schemas, and the CSV
files and datapackage.json against its tabular schema (copies in tests/standards/)."""
from __future__ import annotations

import csv
import io

import pytest
from jsonschema import Draft202012Validator

from exports_fixture import load_json, make_export_content, render_exports_site, standard_schema

FOLDER = "api/hsds"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, bytes]:
    return render_exports_site(make_export_content(tmp_path_factory.mktemp("hsds")))


@pytest.fixture(scope="module")
def services(files) -> dict[str, dict]:
    return {record["name"]: record for record in load_json(files, f"{FOLDER}/services.json")}


@pytest.fixture(scope="module")
def tabular() -> dict:
    return standard_schema("hsds-3.0/compiled/tabular.json")["properties"]


def validator(schema: dict) -> Draft202012Validator:
    """Return a 2020-12 validator that also checks formats (uuid, email, date-time)."""
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(schema_validator: Draft202012Validator, record: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema_validator.iter_errors(record)]


def read_csv(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{FOLDER}/{name}"].decode("utf-8"))))


# --------------------------------------------------------------------------- JSON records


def test_every_service_record_validates_against_the_compiled_schema(services):
    check = validator(standard_schema("hsds-3.0/compiled/service.json"))
    assert len(services) == 5
    for name, record in services.items():
        assert errors(check, record) == [], name


def test_every_organization_record_validates_against_the_compiled_schema(files):
    check = validator(standard_schema("hsds-3.0/compiled/organization.json"))
    organizations = load_json(files, f"{FOLDER}/organizations.json")
    assert len(organizations) == 5
    for record in organizations:
        assert errors(check, record) == [], record["name"]
        assert record["services"] and all(s["organization_id"] == record["id"] for s in record["services"])


def test_a_broken_record_fails_the_schema(services):
    """The validation above can fail: a service without its status, or with a bad location type, is refused."""
    check = validator(standard_schema("hsds-3.0/compiled/service.json"))
    broken = dict(services["Hartford Tuesday Night Group"], status="open")
    broken["service_at_locations"] = [dict(broken["service_at_locations"][0])]
    broken["service_at_locations"][0]["location"] = dict(broken["service_at_locations"][0]["location"],
                                                         location_type="online")
    assert len(errors(check, broken)) == 2


def locations(record: dict) -> dict[str, dict]:
    return {sal["location"]["location_type"]: sal["location"] for sal in record["service_at_locations"]}


def test_online_listings_use_a_virtual_location(services):
    forum = locations(services["Anytime Online Recovery Forum"])
    assert list(forum) == ["virtual"] and forum["virtual"]["url"] == "https://example.org/forum"
    family = locations(services["Bay Area Family Circle"])
    assert sorted(family) == ["physical", "virtual"]
    assert family["physical"]["addresses"][0]["address_1"] == "20 Market Street"
    assert family["physical"]["addresses"][0]["state_province"] == "CA"
    assert "latitude" not in family["physical"]  # placed by ZIP code only: not offered as the door's position
    echo = locations(services["Echo Park Women's Meeting"])
    assert (echo["physical"]["latitude"], echo["physical"]["longitude"]) == (34.078, -118.26)


def test_schedules_are_weekly_recurrence_rows(services):
    family = services["Bay Area Family Circle"]["schedules"]
    assert [(s["freq"], s["byday"], s["opens_at"], s.get("closes_at")) for s in family] == [
        ("WEEKLY", "MO", "18:30", "19:30"), ("WEEKLY", "SA", "10:00", None)]
    assert "America/Los_Angeles" in family[0]["description"]
    assert family[0]["attending_type"] == "In person in San Francisco, CA, or online"


def test_service_details_phones_languages_and_attributes(services):
    family = services["Bay Area Family Circle"]
    assert family["organization"]["name"] == "Bay Area Family Circle"
    assert family["assured_date"] == "2026-03-15" and family["status"] == "active"
    assert [p["number"] for p in family["phones"]] == ["(415) 555-0142"]
    assert [(l["code"], l["name"]) for l in family["languages"]] == [("en", "English"), ("es", "Spanish")]
    terms = {(a["link_type"], a["taxonomy_term"]["name"]) for a in family["attributes"]}
    assert {("support_type", "Family support"), ("audience", "Families and friends"), ("format", "Hybrid")} <= terms


# --------------------------------------------------------------------------- tabular form


def test_csv_files_follow_the_tabular_schema(files, tabular):
    package = load_json(files, f"{FOLDER}/datapackage.json")
    for resource in package["resources"]:
        table = tabular[resource["name"]]["items"]
        assert resource["path"] == table["path"]
        rows = read_csv(files, resource["path"])
        header = files[f"{FOLDER}/{resource['path']}"].decode().splitlines()[0].split(",")
        assert set(header) <= set(table["properties"]), resource["name"]
        required = set(table.get("required", [])) | set(table.get("tabular_required", []))
        assert required <= set(header), resource["name"]
        check = validator({key: value for key, value in table.items() if key != "properties"} |
                          {"properties": {k: v for k, v in table["properties"].items() if v.get("type") != "array"}})
        for row in rows:
            typed = {k: float(v) if table["properties"][k]["type"] == "number" else v for k, v in row.items() if v}
            assert errors(check, typed) == [], (resource["name"], row)


def test_datapackage_describes_each_csv_and_its_keys(files, tabular):
    package = load_json(files, f"{FOLDER}/datapackage.json")
    assert package["profile"] == "tabular-data-package" and package["created"] == "2026-05-20T00:00:00Z"
    ids = {r["name"]: {row["id"] for row in read_csv(files, r["path"])} for r in package["resources"]}
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        header = files[f"{FOLDER}/{resource['path']}"].decode().splitlines()[0].split(",")
        assert [f["name"] for f in fields] == header
        for f in fields:
            standard = tabular[resource["name"]]["items"]["properties"][f["name"]]
            assert (f["type"], f.get("format")) == (standard["type"], standard.get("format")), f
        rows = read_csv(files, resource["path"])
        for key in resource["schema"]["foreignKeys"]:
            target = ids[key["reference"]["resource"]]
            assert {row[key["fields"]] for row in rows if row[key["fields"]]} <= target, (resource["name"], key)


def test_tables_and_records_agree(files, services):
    schedules = read_csv(files, "schedules.csv")
    assert len(schedules) == sum(len(s["schedules"]) for s in services.values()) == 5
    assert {row["location_type"] for row in read_csv(files, "locations.csv")} == {"physical", "virtual"}
    assert len(read_csv(files, "service_at_location.csv")) == sum(len(s["service_at_locations"]) for s in services.values())
