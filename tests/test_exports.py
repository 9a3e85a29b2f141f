"""Open data: the directory's JSON and CSV, per-state JSON, the Meeting Guide feed, iCalendar and Atom."""
from __future__ import annotations

import csv
import datetime
import io
import re
import uuid
import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from exports_fixture import (BASE_URL, SCHEDULED, STANDARDS, load_json, make_export_content,
                             render_exports_site)
from helpers import parse_page

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    return make_export_content(tmp_path_factory.mktemp("exports"))


@pytest.fixture(scope="module")
def files(content) -> dict[str, bytes]:
    return render_exports_site(content)


@pytest.fixture(scope="module")
def listings(files) -> dict[str, dict]:
    return {record["slug"]: record for record in load_json(files, "api/listings.json")["listings"]}


@pytest.fixture(scope="module")
def meetings(files) -> list[dict]:
    return load_json(files, "api/meetings.json")


@pytest.fixture(scope="module")
def type_codes() -> set[str]:
    import json

    return set(json.loads((STANDARDS / "meeting-guide" / "types.json").read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- listings.json, CSV, states


def test_listings_json_has_every_listing_with_version_and_stable_ids(files, listings):
    document = load_json(files, "api/listings.json")
    assert document["schema_version"] == "1.4"
    assert document["count"] == len(listings) == 5
    assert document["updated"] == "2026-05-20"  # the newest last_verified, not the build time
    # The id is a UUID 5 of a fixed namespace and the slug: other systems store it, so it must never change.
    assert listings["hartford-tuesday"]["id"] == str(uuid.uuid5(uuid.UUID("c2bcf34e-43be-5ea2-9eee-e647ec3198ef"),
                                                                "listing:hartford-tuesday"))
    assert len({record["id"] for record in listings.values()}) == 5


def test_listings_json_records_carry_every_field(listings):
    family = listings["bay-area-family"]
    assert family["url"] == "https://example.org/dir/listings/bay-area-family/"
    assert family["languages"] == ["en", "es"] and family["audience"] == ["families"] and family["cost"] == "free"
    assert family["online"] == {"url": "https://example.org/family/video", "platform": "Zoom"}
    assert family["contact"]["phone"] == "415-555-0142"
    assert family["location"]["postal_code"] == "94105" and family["coordinates"]["source"] == "postal code"
    assert [m["day"] for m in family["schedule"]] == ["monday", "saturday"]
    assert family["schedule"][0] == {"day": "monday", "start": "18:30", "end": "19:30",
                                     "timezone": "America/Los_Angeles", "notes": "", "name": "", "types": [],
                                     "format": ""}
    assert family["calendar"] == "https://example.org/dir/listings/bay-area-family/meetings.ics"
    assert family["last_verified"] == "2026-03-15" and family["source"] == "https://example.org/family/about"
    assert listings["anytime-forum"]["coordinates"] is None and listings["anytime-forum"]["calendar"] == ""
    assert family["imported"] is None
    assert listings["echo-park-women"]["coordinates"] == {"latitude": 34.078, "longitude": -118.26, "source": "given"}


def test_the_id_follows_the_file_name_not_its_folder(content, files, tmp_path):
    import shutil

    moved = tmp_path / "content"
    shutil.copytree(content, moved)
    (moved / "listings" / "ct" / "hartford-tuesday.yaml").rename(moved / "listings" / "hartford-tuesday.yaml")
    again = {r["slug"]: r["id"] for r in load_json(render_exports_site(moved), "api/listings.json")["listings"]}
    assert again["hartford-tuesday"] == {r["slug"]: r["id"] for r in load_json(files, "api/listings.json")["listings"]}["hartford-tuesday"]


def test_listings_csv_one_row_per_listing(files, listings):
    rows = list(csv.DictReader(io.StringIO(files["api/listings.csv"].decode("utf-8"))))
    assert [row["slug"] for row in rows] == list(listings)
    family = next(row for row in rows if row["slug"] == "bay-area-family")
    assert family["languages"] == "en; es"
    assert family["schedule"] == "monday 18:30-19:30 America/Los_Angeles; saturday 10:00 America/Los_Angeles"
    assert family["id"] == listings["bay-area-family"]["id"]


def test_listings_csv_defuses_spreadsheet_formulas_but_keeps_phone_numbers(files):
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(files["api/listings.csv"].decode("utf-8")))}
    assert rows["austin-spreadsheet"]["summary"].startswith("'=HYPERLINK(")
    assert rows["austin-spreadsheet"]["phone"] == "(512) 555-0100"


def test_a_json_file_per_state_with_only_its_listings(files):
    ca = load_json(files, "api/regions/ca.json")
    assert ca["scope"] == "CA"
    assert sorted(r["slug"] for r in ca["listings"]) == ["bay-area-family", "echo-park-women"]
    assert "api/regions/ny.json" not in files  # no listings there, no file


# --------------------------------------------------------------------------- Meeting Guide


def test_meeting_guide_feed_has_one_object_per_weekly_meeting(meetings):
    assert len(meetings) == sum(SCHEDULED.values())
    assert len({m["slug"] for m in meetings}) == len(meetings)
    for meeting in meetings:
        assert meeting["name"] and re.fullmatch(r"[a-z0-9-]+", meeting["slug"])
        assert meeting["day"] in range(7)
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", meeting["time"])
        assert meeting["timezone"].startswith("America/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", meeting["updated"])
        assert meeting["url"].startswith(BASE_URL + "listings/")


def test_meeting_guide_type_codes_are_all_standard(meetings, type_codes):
    emitted = {code for meeting in meetings for code in meeting["types"]}
    assert emitted and emitted <= type_codes
    echo = next(m for m in meetings if m["name"] == "Echo Park Women's Meeting")
    assert echo["types"] == ["A", "S", "W"]  # secular, Spanish, women


def test_every_meeting_guide_code_in_the_taxonomy_is_standard(repo_root, type_codes):
    import yaml

    taxonomy = yaml.safe_load((repo_root / "content" / "taxonomy.yaml").read_text(encoding="utf-8"))
    codes = {term["meeting_guide"] for terms in taxonomy.values() for term in terms if "meeting_guide" in term}
    assert {"W", "M", "Y", "S", "EN", "ASL", "LGBTQ", "A"} <= codes
    assert codes <= type_codes, sorted(codes - type_codes)


def test_meeting_guide_places_and_online_details(meetings):
    hartford = next(m for m in meetings if m["slug"] == "hartford-tuesday-tuesday-1900")
    assert hartford["day"] == 2 and hartford["time"] == "19:00" and hartford["end_time"] == "20:00"
    assert hartford["timezone"] == "America/New_York"
    assert (hartford["address"], hartford["city"], hartford["state"], hartford["postal_code"]) == \
        ("1 Main Street", "Hartford", "CT", "06103")
    assert hartford["region"] == "Connecticut" and hartford["approximate"] == "yes"
    assert "conference_url" not in hartford  # in person only: its join link is not a meeting room
    family = [m for m in meetings if m["name"] == "Bay Area Family Circle"]
    assert [m["day"] for m in family] == [1, 6] and "end_time" not in family[1]
    assert family[0]["conference_url"] == "https://example.org/family/video"
    assert family[0]["conference_url_notes"] == "Zoom"
    echo = next(m for m in meetings if m["name"] == "Echo Park Women's Meeting")
    assert echo["approximate"] == "no" and echo["latitude"] == 34.078


def test_pages_announce_the_meetings_feed(files):
    head = parse_page(files["index.html"])
    links = [a for tag, a in head.tags if tag == "link" and a.get("title") == "Meetings Feed"]
    assert links == [{"rel": "alternate", "type": "application/json", "title": "Meetings Feed",
                      "href": "https://example.org/dir/api/meetings.json"}]


# --------------------------------------------------------------------------- iCalendar


def calendar(files, slug: str) -> Calendar:
    return Calendar.from_ical(files[f"listings/{slug}/meetings.ics"])


def test_a_calendar_per_listing_with_a_schedule(files):
    found = {path.split("/")[1] for path in files if path.endswith("meetings.ics")}
    assert found == set(SCHEDULED)
    for slug, count in SCHEDULED.items():
        assert len(calendar(files, slug).walk("VEVENT")) == count


def test_calendar_events_recur_weekly_in_the_meeting_timezone(files):
    cal = calendar(files, "hartford-tuesday")
    (event,) = cal.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["TU"]
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "America/New_York"
    assert (start.weekday(), start.hour, start.minute) == (1, 19, 0)  # a Tuesday at 19:00 local
    assert start.date() >= datetime.date(2026, 1, 5)  # the first one on or after last_verified
    assert event.decoded("DTEND") - start == datetime.timedelta(hours=1)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert b"DTSTART;TZID=America/New_York:" in files["listings/hartford-tuesday/meetings.ics"]
    assert str(event["SUMMARY"]) == "Hartford Tuesday Night Group"
    assert str(event["URL"]) == "https://example.org/dir/listings/hartford-tuesday/"
    assert str(event["LOCATION"]) == "1 Main Street, Hartford, CT 06103, US"


def test_calendar_daylight_saving_keeps_the_local_time(files):
    """Occurrences in winter and summer are both at 19:00 New York time: the UTC offset changes, the clock does not."""
    from dateutil.rrule import rrulestr

    (event,) = calendar(files, "hartford-tuesday").walk("VEVENT")
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    occurrences = rule.between(start, start + datetime.timedelta(days=366), inc=True)
    assert {o.hour for o in occurrences} == {19}
    assert len({o.utcoffset() for o in occurrences}) == 2


def test_calendar_meeting_past_midnight_and_other_timezone(files):
    cal = calendar(files, "echo-park-women")
    late, morning = sorted(cal.walk("VEVENT"), key=lambda e: e["RRULE"]["BYDAY"][0] != "FR")
    start, end = late.decoded("DTSTART"), late.decoded("DTEND")
    assert (start.hour, end.hour, (end - start).total_seconds()) == (23, 0, 3600)
    assert str(start.tzinfo) == "America/Los_Angeles"
    assert "DTEND" not in morning  # no end time was given, so none is invented
    assert "Late night" in str(late["DESCRIPTION"])


def test_listing_page_links_its_calendar(files):
    page = files["listings/hartford-tuesday/index.html"].decode()
    assert 'href="/dir/listings/hartford-tuesday/meetings.ics"' in page
    assert "meetings.ics" not in files["listings/anytime-forum/index.html"].decode()


# --------------------------------------------------------------------------- Atom


def test_atom_feed_lists_recently_added_or_verified_listings_newest_first(files, listings):
    feed = ET.fromstring(files["feeds/listings.atom"])
    entries = feed.findall(f"{ATOM}entry")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True) and len(entries) == 5
    assert feed.find(f"{ATOM}updated").text == updated[0] == "2026-05-20T00:00:00Z"
    first = entries[0]
    assert first.find(f"{ATOM}title").text == "Echo Park Women's Meeting"
    assert first.find(f"{ATOM}id").text == f"urn:uuid:{listings['echo-park-women']['id']}"
    assert first.find(f"{ATOM}link").get("href") == "https://example.org/dir/listings/echo-park-women/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/dir/feeds/listings.atom"


def test_pages_announce_the_atom_feed_and_link_open_data_and_embedding(files):
    page = parse_page(files["about/index.html"])
    feeds = [a["href"] for tag, a in page.tags if tag == "link" and a.get("type") == "application/atom+xml"]
    assert feeds == ["https://example.org/dir/feeds/listings.atom"]
    assert {"/dir/open-data/", "/dir/widget/"} <= set(page.links())


def test_open_data_page_links_every_export(files):
    page = files["open-data/index.html"].decode()
    for path in ("api/listings.json", "api/listings.csv", "api/meetings.json", "api/hsds/services.json",
                 "api/hsds/organizations.json", "api/hsds/datapackage.json", "api/hsds/schedules.csv",
                 "feeds/listings.atom", "api/regions/ca.json"):
        assert f'href="/dir/{path}"' in page, path
        assert path in files
