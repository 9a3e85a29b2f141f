"""importing.bmlt: a BMLT server's GetSearchResults (and GetFormats) answers read into Records."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.importing.bmlt import country_code, read_bmlt, region_code
from generator.importing.records import Record, SourceError

FEEDS = Path(__file__).resolve().parents[2] / "shared/feeds/bmlt-yap-upstate-ny"  # beside the repository

# A made-up server's formats, in the shape GetFormats answers (every value a string).
FORMATS = [
    {"key_string": "O", "name_string": "Open", "world_id": "OPEN", "lang": "en", "id": "17"},
    {"key_string": "D", "name_string": "Discussion", "world_id": "DISC", "lang": "en", "id": "8"},
    {"key_string": "WC", "name_string": "Wheelchair", "world_id": "WCHR", "lang": "en", "id": "32"},
    {"key_string": "GL", "name_string": "Gay/Lesbian", "world_id": "GL", "lang": "en", "id": "10"},
    {"key_string": "BT", "name_string": "Basic Text", "world_id": "BT", "lang": "en", "id": "3"},
    {"key_string": "Ti", "name_string": "Timer", "world_id": "", "lang": "en", "id": "29"},
    {"key_string": "VM", "name_string": "Virtual Meeting", "world_id": "VM", "lang": "en", "id": "54"},
    {"key_string": "HY", "name_string": "Hybrid", "world_id": "HY", "lang": "en", "id": "55"},
    {"key_string": "TC", "name_string": "Temporarily Closed", "world_id": "TC", "lang": "en", "id": "56"},
    {"key_string": "O", "name_string": "Abierta", "world_id": "OPEN", "lang": "es", "id": "17"},
]


def meeting(**values: str) -> dict:
    """Return a made-up BMLT meeting, every value a string as servers write them, changed by `values`."""
    base = {
        "id_bigint": "101", "meeting_name": "Example Group", "weekday_tinyint": "2", "start_time": "19:00:00",
        "duration_time": "01:30:00", "time_zone": "America/New_York", "formats": "O,D", "published": "1",
        "location_text": "Sample Hall", "location_street": "100 Sample Street",
        "location_municipality": "Exampleville", "location_province": "NY", "location_postal_code_1": "10001",
        "location_nation": "USA", "latitude": "42.5", "longitude": "-76.5", "location_info": "Side door",
        "comments": "Bring a book", "virtual_meeting_link": "", "virtual_meeting_additional_info": "",
        "phone_meeting_number": "", "service_body_bigint": "7",
    }
    base.update(values)
    return base


def read(meetings: object, formats: object = FORMATS, name: str = "test.json"):
    """Return the Read of answers given as Python values (None formats: no GetFormats answer)."""
    body = json.dumps(meetings).encode()
    return read_bmlt(body, None if formats is None else json.dumps(formats).encode(), name)


def only_record(**values: str) -> Record:
    """Return the one Record read from one meeting."""
    result = read([meeting(**values)])
    assert result.refusals == [], result.refusals
    assert len(result.records) == 1
    return result.records[0]


def test_every_field_is_mapped():
    result = read([meeting()])
    assert result.notes == [] and result.refusals == [] and result.organization == ""
    assert result.records == [Record(
        index=0, id="101", name="Example Group", days=(1,), start="19:00", end="20:30",
        timezone="America/New_York", codes=("O", "D"), unmapped=(), attendance="in_person",
        location_name="Sample Hall", address="100 Sample Street", city="Exampleville", region="NY",
        postal_code="10001", country="US", lat=42.5, lng=-76.5, notes="Bring a book",
        location_notes="Side door")]
    assert result.records[0].listing == {}


def test_days_run_from_sunday_to_saturday():
    assert only_record(weekday_tinyint="1").days == (0,)
    assert only_record(weekday_tinyint="7").days == (6,)


def test_weekday_tindex_is_accepted_when_tinyint_is_absent():
    row = meeting()
    del row["weekday_tinyint"]
    row["weekday_tindex"] = "5"
    assert read([row]).records[0].days == (4,)


def test_end_wraps_past_midnight():
    assert only_record(start_time="23:00:00", duration_time="02:15:00").end == "01:15"


def test_no_or_broken_duration_gives_no_end():
    assert only_record(duration_time="").end == ""
    assert only_record(duration_time="00:00:00").end == ""
    assert only_record(duration_time="long").end == ""


def test_city_falls_back_to_subsection_then_neighborhood():
    assert only_record(location_municipality="", location_city_subsection="Sample Borough").city == "Sample Borough"
    assert only_record(location_municipality="", location_neighborhood="Old Town").city == "Old Town"


def test_full_state_and_country_names_become_codes():
    record = only_record(location_province="New York", location_nation="US")
    assert (record.region, record.country) == ("NY", "US")
    assert region_code("n.y.") == "NY" and region_code("Ontario") == "ON" and region_code("Atlantis") == ""
    assert country_code("United States") == "US" and country_code("Canada") == "CA" and country_code("fr") == "FR"


def test_unknown_province_and_nation_are_left_out_with_a_note():
    result = read([meeting(location_province="Atlantis", location_nation="Oceania"),
                   meeting(id_bigint="102", location_province="Atlantis")])
    assert [(r.region, r.country) for r in result.records] == [("", ""), ("", "US")]
    assert result.notes == [
        "test.json: location_nation 'Oceania' is not a known two-letter code or name, left out of 1 meeting",
        "test.json: location_province 'Atlantis' is not a known two-letter code or name, left out of 2 meetings",
    ]


def test_zero_or_missing_coordinates_are_missing():
    assert only_record(latitude="0", longitude="0").lat is None
    assert only_record(latitude="42.5", longitude="").lng is None
    zero = meeting()
    zero["latitude"], zero["longitude"] = 0, 0
    assert read([zero]).records[0].lat is None


def test_formats_map_through_world_ids():
    record = only_record(formats="O,WC,GL,BT,Ti,ZZ")
    assert record.codes == ("O", "X", "G", "L")
    assert record.unmapped == ("BT (Basic Text)", "Ti (Timer)", "ZZ (not in GetFormats)")


def test_attendance_formats_are_not_types():
    record = only_record(formats="O,VM", virtual_meeting_link="https://example.org/join")
    assert record.codes == ("O",) and record.unmapped == ()
    assert record.attendance == "online"
    assert only_record(formats="HY").attendance == "hybrid"


def test_venue_type_says_how_people_attend():
    assert only_record(venue_type="1", virtual_meeting_link="https://example.org/join").attendance == "in_person"
    assert only_record(venue_type="2").attendance == "online"
    assert only_record(venue_type="3").attendance == "hybrid"


def test_attendance_is_inferred_without_venue_type():
    assert only_record(virtual_meeting_link="https://example.org/join").attendance == "hybrid"
    assert only_record(phone_meeting_number="555-0100", location_street="").attendance == "online"
    assert only_record(location_street="").attendance == "in_person"


def test_temporarily_closed_meeting_with_a_virtual_meeting_is_online():
    record = only_record(formats="O,TC", venue_type="3", virtual_meeting_link="https://example.org/join")
    assert record.attendance == "online" and record.codes == ("O",)


def test_temporarily_closed_meeting_without_a_virtual_meeting_is_refused():
    result = read([meeting(formats="TC")])
    assert result.records == []
    assert result.refusals[0].reason.startswith("its formats say it is temporarily closed (TC)")
    assert "remove TC when it meets again" in result.refusals[0].reason


def test_conference_fields_are_kept():
    record = only_record(virtual_meeting_link="https://example.org/join", virtual_meeting_additional_info="ID 123",
                         phone_meeting_number="+1 555 0100")
    assert (record.conference_url, record.conference_url_notes, record.conference_phone) == (
        "https://example.org/join", "ID 123", "+1 555 0100")


def test_without_get_formats_keys_are_unmapped_and_a_note_says_why():
    result = read([meeting(formats="O,D,VM", virtual_meeting_link="https://example.org/join")], formats=None)
    record = result.records[0]
    assert record.codes == () and record.unmapped == ("O", "D", "VM")
    assert record.attendance == "online"  # VM is BMLT's default key for a virtual meeting
    assert len(result.notes) == 1
    assert "no GetFormats answer" in result.notes[0]
    assert "switcher=GetFormats" in result.notes[0]


def test_formats_carried_by_the_search_answer_are_used():
    result = read({"meetings": [meeting(formats="O,WC")], "formats": FORMATS}, formats=None)
    assert result.notes == []
    assert result.records[0].codes == ("O", "X")


def test_english_format_wins_over_other_languages():
    spanish = {"key_string": "BT", "name_string": "Texto Básico", "world_id": "BT", "lang": "es", "id": "3"}
    for formats in ([spanish, *FORMATS], [*FORMATS, spanish]):
        assert read([meeting(formats="BT")], formats=formats).records[0].unmapped == ("BT (Basic Text)",)


def test_unpublished_meeting_is_refused():
    result = read([meeting(published="0", id_bigint="5", meeting_name="Hidden")])
    assert result.records == []
    refusal = result.refusals[0]
    assert (refusal.index, refusal.id, refusal.name) == (0, "5", "Hidden")
    assert refusal.reason.startswith("not published")


def test_meeting_without_day_or_start_is_refused():
    result = read([meeting(weekday_tinyint="0"), meeting(weekday_tinyint=""), meeting(start_time="soon"),
                   meeting(start_time="")])
    assert result.records == []
    assert [r.index for r in result.refusals] == [0, 1, 2, 3]
    reasons = [r.reason for r in result.refusals]
    assert reasons[0].startswith("no usable day (weekday_tinyint is '0'; BMLT numbers days 1 for Sunday")
    assert reasons[1].startswith("no usable day (weekday_tinyint is empty;")
    assert reasons[2] == ("no usable start time (start_time is 'soon'): "
                          "set the meeting's start time on the BMLT server")
    assert reasons[3].startswith("no usable start time (start_time is empty)")


def test_refusals_and_records_keep_their_source_positions():
    result = read([meeting(), meeting(published="0"), meeting(id_bigint="103")])
    assert [r.index for r in result.records] == [0, 2]
    assert [r.index for r in result.refusals] == [1]


@pytest.mark.parametrize("answer", [[], {}, {"meetings": [], "formats": []}])
def test_empty_answer_gives_an_empty_read_with_a_note(answer):
    result = read(answer)
    assert result.records == [] and result.refusals == []
    assert result.notes == ["test.json: the BMLT answer lists no meetings"]


def test_a_byte_order_mark_is_allowed():
    body = b"\xef\xbb\xbf" + json.dumps([meeting()]).encode()
    assert len(read_bmlt(body, None, "bom.json").records) == 1


@pytest.mark.parametrize("body, message", [
    (b"<html>Server error</html>", "x.json: not JSON; expected a BMLT GetSearchResults answer"),
    (b"\xff\xfe", "x.json: not JSON; expected a BMLT GetSearchResults answer"),
    (b'{"error": "nope"}', "x.json: wrong shape; expected a BMLT GetSearchResults answer"),
    (b'"meetings"', "x.json: wrong shape; expected a BMLT GetSearchResults answer"),
    (b'[1, 2]', "x.json: wrong shape; expected a BMLT GetSearchResults answer"),
    (b'{"meetings": [], "formats": "O"}', 'x.json: wrong shape; its "formats" should be an array of objects'),
])
def test_unreadable_results_raise_a_one_line_source_error(body, message):
    with pytest.raises(SourceError) as info:
        read_bmlt(body, None, "x.json")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("body", [b"not json", b'{"formats": []}'])
def test_unreadable_get_formats_raises_a_source_error(body):
    with pytest.raises(SourceError) as info:
        read_bmlt(b"[]", body, "x.json")
    assert "expected a BMLT GetFormats answer (client_interface/json/?switcher=GetFormats" in str(info.value)


def test_real_bmlt_answers_read_without_loss():
    if not FEEDS.is_dir():
        pytest.skip("the shared BMLT feed examples are not on this machine")
    formats = (FEEDS / "formats.json").read_bytes()
    for path in sorted(FEEDS.glob("meeting-search-*.json")):
        source = json.loads(path.read_bytes())
        count = len(source["meetings"] if isinstance(source, dict) else source)
        for given in (formats, None):
            result = read_bmlt(path.read_bytes(), given, path.name)
            assert len(result.records) + len(result.refusals) == count, path.name
            for record in result.records:
                assert record.start and len(record.days) == 1 and 0 <= record.days[0] <= 6
                assert record.id and record.attendance in ("in_person", "online", "hybrid")
                assert not set(record.codes) & {"VM", "HY", "TC"}
            if count == 0:
                assert result.notes
