"""importing.tsml_csv: the 12 Step Meeting List plugin's spreadsheet read into Records."""
from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest

from generator.importing.records import Record, SourceError
from generator.importing.tsml_csv import read_tsml_csv

FEEDS = Path(__file__).resolve().parents[2] / "shared/feeds"  # beside the repository

HEADER = ("Time,End Time,Day,Name,Location,Address,City,State,Postal Code,Country,Types,Notes,Location Notes,"
          "Group,Group Notes,Website,Email,Phone,Conference URL,Conference URL Notes,Conference Phone,"
          "Conference Phone Notes,Updated,Slug,Latitude,Longitude,Timezone")

FULL_ROW = ('7:00 PM,8:30 PM,Monday,Example Group,Sample Hall,100 Sample Street,Exampleville,New York,10001,USA,'
            '"Open, Discussion, Wheelchair Access",Bring a book,Side door,Example Fellowship,Meets since 1990,'
            'https://example.org,group@example.org,555-0100,https://example.org/join,Passcode 1,555-0101,'
            'PIN 2,2024-05-01 10:00:00,example-group,42.5,-76.5,America/New_York')


def sheet(*rows: str, header: str = HEADER) -> bytes:
    """Return a CSV file made of a header and rows."""
    return "\r\n".join((header, *rows)).encode("utf-8")


def row(**cells: str) -> str:
    """Return a CSV row for HEADER with only the given cells filled (keys as the header names, spaces as _)."""
    names = HEADER.split(",")
    values = [cells.get(name.replace(" ", "_"), "") for name in names]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(values)
    return out.getvalue()


def only_record(**cells: str) -> Record:
    """Return the one Record read from one row."""
    result = read_tsml_csv(sheet(row(**cells)), "test.csv")
    assert result.refusals == [], result.refusals
    assert len(result.records) == 1
    return result.records[0]


def test_every_column_is_mapped():
    result = read_tsml_csv(sheet(FULL_ROW), "test.csv")
    assert result.notes == [] and result.refusals == [] and result.organization == ""
    assert result.records == [Record(
        index=0, id="example-group", name="Example Group", group="Example Fellowship", days=(1,),
        start="19:00", end="20:30", timezone="America/New_York", codes=("O", "D", "X"), unmapped=(),
        attendance="hybrid", location_name="Sample Hall", address="100 Sample Street", city="Exampleville",
        region="NY", postal_code="10001", country="US", lat=42.5, lng=-76.5, notes="Bring a book",
        location_notes="Side door", group_notes="Meets since 1990", conference_url="https://example.org/join",
        conference_url_notes="Passcode 1", conference_phone="555-0101", conference_phone_notes="PIN 2",
        website="https://example.org", email="group@example.org", phone="555-0100",
        updated=datetime.date(2024, 5, 1))]


def test_header_names_match_whatever_their_case_spaces_and_underscores():
    header = "TIME,end_time,  day ,meeting name,NAME,conferenceurl"
    result = read_tsml_csv(sheet("6 pm,7 pm,Tue,ignored,Example Group,https://example.org/join", header=header),
                           "test.csv")
    record = result.records[0]
    assert (record.name, record.days, record.start, record.end) == ("Example Group", (2,), "18:00", "19:00")
    assert record.conference_url == "https://example.org/join" and record.attendance == "online"
    assert result.notes == ["test.csv: columns not imported (no listing field holds them): meeting name"]


def test_blank_day_means_by_appointment():
    record = only_record(Name="Example Group", Time="7:00 PM", Address="100 Sample Street")
    assert (record.days, record.start, record.end) == ((), "", "")


def test_blank_rows_are_skipped_and_positions_kept():
    result = read_tsml_csv(sheet(row(Name="A", Day="Monday", Time="7 pm"), ",,,", "",
                                 row(Name="B", Day="Friday", Time="8 pm")), "test.csv")
    assert [(r.index, r.name) for r in result.records] == [(0, "A"), (3, "B")]
    assert result.refusals == [] and result.notes == []


def test_unreadable_times_are_refused_naming_the_spreadsheet_row():
    result = read_tsml_csv(sheet(row(Name="Fine", Day="Monday", Time="7 pm"),
                                 row(Name="Late", Day="Monday", Time="half past seven", Slug="late"),
                                 row(Name="Untimed", Day="Sunday"),
                                 row(Name="Twice", Day="Monday, Thursday", Time="7 pm")), "test.csv")
    assert [r.name for r in result.records] == ["Fine"]
    assert [(r.index, r.id, r.name) for r in result.refusals] == [(1, "late", "Late"), (2, "", "Untimed"),
                                                                  (3, "", "Twice")]
    reasons = [r.reason for r in result.refusals]
    assert reasons[0] == "row 3: 'half past seven' in Time is not a time; write it as 7:00 PM or 19:00"
    assert reasons[1] == "row 4: Day is Sunday but Time is blank; write its start time, such as 7:00 PM"
    assert reasons[2].startswith("row 5: 'Monday, Thursday' in Day is not a day name; write one day per row")


def test_unreadable_end_time_is_dropped_with_a_note():
    result = read_tsml_csv(sheet(row(Name="A", Day="Monday", Time="7 pm", End_Time="later")), "test.csv")
    assert result.records[0].end == ""
    assert result.notes == ["test.csv: row 2: 'later' in End Time is not a time; imported without an end"]


def test_type_names_become_codes_and_the_rest_unmapped():
    record = only_record(Name="A", Day="Monday", Time="7 pm",
                         Types="open, Step Meeting,  12 Steps & 12 Traditions, Beginners, Juggling, SP, Open")
    assert record.codes == ("O", "ST", "12x12", "BE", "SP")
    assert record.unmapped == ("Juggling",)


def test_online_meeting_type_sets_attendance_not_a_code():
    record = only_record(Name="A", Day="Monday", Time="7 pm", Types="Online Meeting",
                         Conference_URL="https://example.org/join")
    assert record.codes == () and record.unmapped == () and record.attendance == "online"


def test_attendance_follows_address_conference_and_closure():
    joined = {"Name": "A", "Day": "Monday", "Time": "7 pm", "Conference_Phone": "555-0102"}
    assert only_record(Name="A", Day="Monday", Time="7 pm", Address="100 Sample Street").attendance == "in_person"
    assert only_record(**joined, Address="100 Sample Street").attendance == "hybrid"
    assert only_record(**joined).attendance == "online"
    closed = only_record(**joined, Address="100 Sample Street", Types="Temporary Closure")
    assert closed.attendance == "online" and closed.codes == ("TC",)


def test_closed_location_without_a_way_to_join_is_refused():
    result = read_tsml_csv(sheet(row(Name="A", Day="Monday", Time="7 pm", Address="100 Sample Street",
                                     Types="Location Temporarily Closed")), "test.csv")
    assert result.records == []
    assert result.refusals[0].reason.startswith("row 2: its types say the location is temporarily closed")


def test_a_whole_address_is_split_when_its_state_is_recognised():
    record = only_record(Name="A", Day="Monday", Time="7 pm",
                         Address="100 Sample Street, Exampleville, NY 10001, USA")
    assert (record.address, record.city, record.region, record.postal_code, record.country) == (
        "100 Sample Street", "Exampleville", "NY", "10001", "US")
    approximate = only_record(Name="A", Day="Monday", Time="7 pm", Address="Exampleville, New York, USA",
                              Conference_URL="https://example.org/join")
    assert (approximate.address, approximate.city, approximate.region) == ("", "Exampleville", "NY")
    assert approximate.attendance == "online"


@pytest.mark.parametrize("address", ["100 Sample Street, Suite 2", "100 Sample Street, Exampleville, De",
                                     "Exampleville, Atlantis 12345", "100 Sample Street"])
def test_an_address_written_otherwise_is_kept_whole(address):
    record = only_record(Name="A", Day="Monday", Time="7 pm", Address=address)
    assert (record.address, record.city, record.region) == (address, "", "")


def test_updated_glued_to_its_time_is_still_read():
    assert only_record(Name="A", Day="Monday", Time="7 pm", Updated="2020-04-0416:50:58").updated == (
        datetime.date(2020, 4, 4))
    assert only_record(Name="A", Day="Monday", Time="7 pm", Updated="8/25/2022 11:17:07 AM").updated == (
        datetime.date(2022, 8, 25))
    assert only_record(Name="A", Day="Monday", Time="7 pm", Updated="someday").updated is None


def test_zero_coordinates_are_missing():
    assert only_record(Name="A", Day="Monday", Time="7 pm", Latitude="0", Longitude="0").lat is None


def test_byte_order_mark_is_ignored():
    result = read_tsml_csv(b"\xef\xbb\xbf" + sheet(row(Name="A", Day="Monday", Time="7 pm")), "test.csv")
    assert result.records[0].name == "A" and result.notes == []


def test_windows_1252_is_read_with_a_note():
    data = sheet(row(Name="Caf\u00e9 Group", Day="Monday", Time="7 pm", Notes="\u201cquoted\u201d"))
    result = read_tsml_csv(data.decode("utf-8").encode("cp1252"), "test.csv")
    assert result.records[0].name == "Caf\u00e9 Group"
    assert result.records[0].notes == "\u201cquoted\u201d"
    assert result.notes == ["test.csv: not UTF-8; read as Windows-1252 (check accented letters, "
                            "and save the sheet as CSV UTF-8 next time)"]


def test_semicolon_separated_sheet_is_read():
    result = read_tsml_csv(b"Day;Time;Name\nMonday;19:00;Example Group\n", "test.csv")
    assert (result.records[0].name, result.records[0].start) == ("Example Group", "19:00")


def test_header_without_rows_gives_an_empty_read_with_a_note():
    result = read_tsml_csv(sheet(",,"), "test.csv")
    assert result.records == [] and result.refusals == []
    assert result.notes == ["test.csv: the sheet has a header row but no meetings"]


@pytest.mark.parametrize("data, message", [
    (b"", "x.csv: empty; expected a 12 Step Meeting List CSV whose first row names the columns"),
    (b"\n\n", "x.csv: empty; expected a 12 Step Meeting List CSV"),
    (b"when,where\n7pm,hall\n", "x.csv: no Name or Day column in the first row; expected a 12 Step Meeting List CSV"),
    (b'[{"name": "Example Group"}]', "x.csv: no Name or Day column in the first row"),
    (b"PK\x03\x04rest", "x.csv: this is a spreadsheet workbook (.xlsx), not CSV; save it as CSV and import that"),
])
def test_unreadable_sheets_raise_a_one_line_source_error(data, message):
    with pytest.raises(SourceError) as info:
        read_tsml_csv(data, "x.csv")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_every_meeting_guide_type_name_is_known():
    types = FEEDS / "mg-spec-schema" / "types.json"
    if not types.is_file():
        pytest.skip("the shared Meeting Guide types list is not on this machine")
    names = ", ".join(entry["en"] for entry in json.loads(types.read_bytes()).values())
    # TC is among them, so the meeting needs a way to join online not to be refused.
    record = only_record(Name="A", Day="Monday", Time="7 pm", Types=names, Conference_URL="https://example.org/j")
    assert record.unmapped == ()
    assert set(record.codes) == set(json.loads(types.read_bytes()))


def test_real_template_reads_without_loss():
    template = FEEDS / "tsml-csv-template" / "template.csv"
    if not template.is_file():
        pytest.skip("the shared 12 Step Meeting List template is not on this machine")
    data = template.read_bytes()
    rows = [r for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))][1:]
    result = read_tsml_csv(data, template.name)
    assert len(result.records) + len(result.refusals) == sum(1 for r in rows if any(c.strip() for c in r))
    for record in result.records:
        assert all(0 <= day <= 6 for day in record.days)
        assert record.start or not record.days
        assert record.name and record.attendance in ("in_person", "online", "hybrid")
        assert len(record.region) in (0, 2) and len(record.country) in (0, 2)
