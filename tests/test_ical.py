"""iCalendar files, written by hand (RFC 5545): the bytes the `icalendar` library wrote before, lines folded
at 75 octets without splitting a character, TEXT escaped; parsed back, every event is its meeting."""
from __future__ import annotations

import datetime
import zoneinfo

import pytest
from icalendar import Calendar
from icalendar.parser import Contentline

import ical_reference
from exports_fixture import BASE_URL, make_export_content
from generator.exports.common import site_constants, stable_id, street_address
from generator.exports import render_calendar
from generator.exports.ical import BYDAY, fold
from generator.pipeline import gather_site
from helpers import write_listing

# Text that needs every escape, characters of 2, 3 and 4 octets, and names long enough to fold.
MIXED = """\
    name: >-
      Grupo Añoranza; Señoras, Café \\ Niños — «Sí» 日本語の会 🌱
      with a long name that goes past the fold
    kind: local-group
    support_types: [12-step, secular]
    summary: >-
      Un grupo ficticio; con comas, puntos y comas; barras \\ y acentos:
      áéíóú ñ ü — 🌱🌱 日本語のテキスト。
    description: A test listing.
    format: hybrid
    organization: "Org, Inc.; Ñandú"
    location: {address: "12 Calle Ñ, Apt; 3", city: San José, region: CA, postal_code: "95112"}
    online: {url: "https://example.org/meet?x=1,2;3", platform: "Zoom; Jitsi, etc."}
    schedule:
      - day: friday
        start: "23:30"
        end: "00:30"
        notes: Línea uno; dos, tres \\ cuatro ^ cinco — 🌱 long enough to fold twice in the file
      - {day: friday, start: "23:30"}
      - {day: monday, start: "07:00", end: "08:00", timezone: America/Chicago}
      - {day: saturday, start: "12:00", timezone: Pacific/Honolulu}
    last_verified: 2024-02-29
    source: https://example.org/mixed
"""
ONLINE = """\
    name: Online Círculo
    kind: online-forum
    support_types: [mutual-aid]
    summary: "An online group, with a comma; a semicolon and a caret ^ in its summary."
    format: online
    online: {url: "https://example.org/é/room"}
    schedule:
      - {day: sunday, start: "00:00", end: "23:59", timezone: Europe/London}
      - {day: wednesday, start: "10:00", timezone: Africa/Abidjan}
    last_verified: 2026-01-04
    source: https://example.org/online
"""
# A backslash before N, which icalendar wrote as a line break. (A line break in a name, which icalendar
# refused, no longer passes check: a name is a single line.)
BACKSLASH_N = """\
    name: "Two Lines; a, b"
    kind: local-group
    support_types: [mutual-aid]
    summary: "Notes are kept in C:\\\\Notes, \\\\N and all."
    format: in-person
    location: {city: Hartford, region: CT}
    schedule:
      - {day: monday, start: "19:00"}
    last_verified: 2026-01-05
    source: https://example.org/backslash
"""
ICALENDAR_DIFFERS = {"backslash-n"}


def padded(n: int) -> str:
    """Return a listing whose name, summary and notes put a wide character or an escape at the fold."""
    pad = "C" * (58 + n)
    return f"""\
        name: "{pad} 𝄞é€ name {n}"
        kind: local-group
        support_types: [mutual-aid]
        summary: "{pad[:-8]} é𝄞€; é, \\\\ ^ 𝄞 summary {n}"
        format: in-person
        location: {{city: Austin, region: TX}}
        schedule:
          - {{day: tuesday, start: "19:00", notes: "{pad[:-12]}\\\\\\\\é€𝄞,;^^"}}
        last_verified: 2025-12-3{n % 2}
        source: https://example.org/pad{n}
    """


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = make_export_content(tmp_path_factory.mktemp("ical"))
    write_listing(content, "ca/mixed.yaml", MIXED)
    write_listing(content, "ny/online-circulo.yaml", ONLINE)
    write_listing(content, "ct/backslash-n.yaml", BACKSLASH_N)
    for n in range(12):
        write_listing(content, f"tx/pad-{n}.yaml", padded(n))
    result = gather_site(content, BASE_URL)
    assert result.errors == [], result.errors
    return result.site


@pytest.fixture(scope="module")
def calendars(site) -> dict[str, bytes]:
    return {path.split("/")[1]: data for l in site.listings
            for path, data in render_calendar(site_constants(site), l)}


def test_calendars_are_the_bytes_icalendar_wrote(site, calendars):
    constants = site_constants(site)
    compared = [l for l in site.listings if l.schedule and l.slug not in ICALENDAR_DIFFERS]
    assert len(compared) == len(calendars) - len(ICALENDAR_DIFFERS) == 17
    for listing in compared:
        assert calendars[listing.slug] == ical_reference.listing_calendar(constants, listing), listing.slug


def test_every_event_parses_back_to_its_meeting(site, calendars):
    """Read with icalendar's parser, each file holds the listing's meetings with their text unchanged."""
    for listing in (l for l in site.listings if l.schedule):
        calendar = Calendar.from_ical(calendars[listing.slug])
        assert str(calendar["X-WR-CALNAME"]) == " ".join(listing.name.split("\n"))
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == sorted({m.timezone for m in listing.schedule})
        events = calendar.walk("VEVENT")
        assert len(events) == len(listing.schedule)
        for event, meeting in zip(events, listing.schedule):
            check_event(event, listing, meeting)


def check_event(event, listing, meeting) -> None:
    where = street_address(listing) or (listing.online["url"] if listing.is_online else "")
    assert str(event["SUMMARY"]) == listing.name
    assert str(event.get("LOCATION", "")) == where
    assert str(event["URL"]) == f"{BASE_URL}listings/{listing.slug}/"
    description = str(event["DESCRIPTION"])
    assert description.startswith(listing.summary + "\n\n" + (meeting.notes + "\n\n" if meeting.notes else ""))
    assert description.endswith(f"\n\nDetails, and changes to this schedule: {BASE_URL}listings/{listing.slug}/"
                                "\n\nPlease confirm with the group before you go.")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == [BYDAY[meeting.day_number]]
    start = event.decoded("DTSTART")
    assert start.utcoffset() == start.astimezone(zoneinfo.ZoneInfo(meeting.timezone)).utcoffset()
    local = start.astimezone(zoneinfo.ZoneInfo(meeting.timezone))
    assert (local.strftime("%A").lower(), local.strftime("%H:%M")) == (meeting.day, meeting.start)
    assert listing.last_verified <= local.date() < listing.last_verified + datetime.timedelta(days=7)
    if meeting.end:
        end = event.decoded("DTEND").astimezone(zoneinfo.ZoneInfo(meeting.timezone))
        assert end.strftime("%H:%M") == meeting.end and datetime.timedelta(0) < end - local < datetime.timedelta(days=1)
    else:
        assert "DTEND" not in event
    day_start = [m for m in listing.schedule[:listing.schedule.index(meeting) + 1]
                 if (m.day, m.start) == (meeting.day, meeting.start)]
    assert str(event["UID"]) == stable_id("meeting", listing.slug, meeting.day, meeting.start, str(len(day_start)))
    assert event.decoded("DTSTAMP") == datetime.datetime(*listing.last_verified.timetuple()[:3],
                                                         tzinfo=datetime.timezone.utc)


def test_times_carry_their_zone_and_utc_zones_are_written_in_utc(calendars):
    mixed = calendars["mixed"]
    assert b"DTSTART;TZID=America/Chicago:20240304T070000\r\n" in mixed
    assert (b"DTSTART;TZID=America/Los_Angeles:20240301T233000\r\n"
            b"DTEND;TZID=America/Los_Angeles:20240302T003000\r\n") in mixed  # past midnight: the next day
    assert b"DTSTART:20260107T100000Z\r\n" in calendars["online-circulo"]  # Africa/Abidjan is always UTC+0


def test_text_keeps_a_backslash_before_n_and_a_name_stays_on_one_line(calendars):
    data = calendars["backslash-n"]
    assert b"\r\nX-WR-CALNAME:Two Lines; a, b\r\n" in data
    assert b"\r\nSUMMARY:Two Lines\\; a\\, b\r\n" in data
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith("Notes are kept in C:\\Notes, \\N and all.\n\n")


def test_lines_are_crlf_and_at_most_75_octets_of_whole_characters(calendars):
    folded = 0
    for slug, data in calendars.items():
        assert data.endswith(b"END:VCALENDAR\r\n")
        lines = data[:-2].split(b"\r\n")
        for line in lines:
            assert len(line) <= 75 and b"\n" not in line and b"\r" not in line, (slug, line)
            line.decode("utf-8")  # a fold never splits a character
        folded += sum(line.startswith(b" ") for line in lines)
    assert folded > 50


@pytest.mark.parametrize("wide", ["é", "€", "𝄞", "\\", "^", "\\;", "\\\\", "𝄞\\", "é^"])
def test_fold_matches_icalendar_wherever_the_fold_falls(wide):
    for before in range(60, 80):
        for after in (0, 1, 70, 74, 75, 150):
            line = "DESCRIPTION:" + "a" * (before - 12) + wide + "b" * after + wide
            assert fold(line) == Contentline(line).to_ical(), (before, after)

