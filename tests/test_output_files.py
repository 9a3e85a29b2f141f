"""Every JSON, XML, iCalendar and CSV file a build writes is read back by a strict parser: for the
starter content, the sample site and content that is valid but as awkward as it can be. And every
CSV cell a spreadsheet would run as a formula is guarded, in every CSV file the site publishes."""
from __future__ import annotations

import csv
import io

import pytest

from output_check import check_csv, check_ical, check_json, check_output_files, check_xml, data_files
from output_check import unguarded_formula_cells

SITES = ("starter_site", "sample_site", "hostile_site")


@pytest.mark.parametrize("site", SITES)
def test_every_data_file_reads_back_strictly(site, request):
    folder = request.getfixturevalue(site)
    suffixes = {path.suffix for path in data_files(folder)}
    assert {".json", ".xml", ".atom", ".csv"} <= suffixes
    assert ".ics" in suffixes or site == "starter_site"  # no starter listing gives a schedule
    assert check_output_files(folder) == []


@pytest.mark.parametrize("site", SITES)
def test_no_csv_cell_would_run_as_a_formula(site, request):
    assert unguarded_formula_cells(request.getfixturevalue(site)) == []


def rows(folder, path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / path).read_text(encoding="utf-8"), newline="")))


def test_hsds_csv_files_guard_formulas_like_listings_csv(hostile_site):
    services = rows(hostile_site, "api/hsds/services.csv")
    assert "'=HYPERLINK(\"https://evil.example\",\"click\")" in {row["name"] for row in services}
    assert "'@Evil Org" in {row["name"] for row in rows(hostile_site, "api/hsds/organizations.csv")}
    assert "'=cmd|' /C calc'!A0" in {row["notes"] for row in rows(hostile_site, "api/hsds/schedules.csv")}
    assert {row["number"] for row in rows(hostile_site, "api/hsds/phones.csv")} == {"'+44 20 7946 0958"}
    listing = next(row for row in rows(hostile_site, "api/listings.csv") if row["slug"] == "formula-cells")
    assert (listing["phone"], listing["city"], listing["address"]) == ("'+44 20 7946 0958", "'=Hartford",
                                                                        "'-1 Minus Street")


def test_plain_numbers_are_left_as_numbers(hostile_site):
    """OWASP's guard would make -72.68 text; a plain number cannot start a formula, so it stays a number."""
    listing = next(row for row in rows(hostile_site, "api/listings.csv") if row["slug"] == "formula-cells")
    assert (listing["latitude"], listing["longitude"]) == ("-41.5", "-72.68")
    location = next(row for row in rows(hostile_site, "api/hsds/locations.csv") if row["latitude"])
    assert (location["latitude"], location["longitude"]) == ("-41.5", "-72.68")


def test_hostile_texts_arrive_unchanged(hostile_site):
    """The awkward values are published as they were written, not dropped or mangled on the way."""
    import json

    from hostile_fixture import EMOJI, NASTY, RTL

    names = {record["name"] for record in json.loads((hostile_site / "api/listings.json").read_bytes())["listings"]}
    assert {NASTY, EMOJI, RTL, "N" * 150} <= names
    assert NASTY in (hostile_site / "feeds/listings.atom").read_text(encoding="utf-8").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&amp;", "&").replace("&#34;", '"').replace("&#39;", "'")


# --------------------------------------------------------------------------- the checks catch what they should


@pytest.mark.parametrize("check, data", [
    (check_json, b'{"lat": NaN}'),
    (check_json, b'[Infinity]'),
    (check_json, b'[-Infinity]'),
    (check_json, b'["\\ud800"]'),
    (check_json, b'["a\x01b"]'),
    (check_xml, b"<feed><title>a\x01b</title></feed>"),
    (check_xml, b"<feed><title>a & b</title></feed>"),
    (check_ical, b"BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n"),
    (check_ical, b"BEGIN:VCALENDAR\r\nX-LONG:" + b"x" * 80 + b"\r\nEND:VCALENDAR\r\n"),
    (check_ical, b"BEGIN:VCALENDAR\r\nX-A:a\x0bb\r\nEND:VCALENDAR\r\n"),
    (check_csv, b"a,b\r\n1,2,3\r\n"),
    (check_csv, b"a,b\r\n\xe9,2\r\n"),
], ids=["nan", "infinity", "minus-infinity", "lone-surrogate", "json-control", "xml-control", "xml-ampersand",
        "ical-lf", "ical-unfolded", "ical-control", "csv-columns", "csv-latin1"])
def test_the_checks_refuse_broken_files(check, data):
    with pytest.raises(Exception):
        check(data)
