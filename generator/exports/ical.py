"""An iCalendar file per listing with a schedule: each weekly meeting as a weekly recurring event.

Times are the meeting's local time with its IANA TZID, and each file carries the VTIMEZONE definitions it
uses, so calendars keep the meeting at 19:00 across daylight saving. Every value comes from the content
(DTSTAMP and the first occurrence from `last_verified`), so the bytes only change when the listing does.

The VTIMEZONE blocks come from the `icalendar` library, made once per zone and year. The calendar and
its events are written here, by RFC 5545, because building and serializing icalendar's Calendar and Event
objects took three quarters of the time of all the open data exports. The bytes are those icalendar wrote,
including where it folds lines, with one exception: a backslash followed by N in a text is kept as written
(icalendar read it as a line break).
"""
from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from functools import lru_cache

from icalendar import Timezone
from icalendar.prop import vDDDTypes

from ..model import Listing, Meeting
from .common import SiteConstants, stable_id, street_address

BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
VTIMEZONE_UNTIL = datetime.date(2038, 1, 1)  # how far ahead the daylight-saving changes are written out
LINE_OCTETS = 75  # RFC 5545 3.1: a longer content line is folded
CRLF = b"\r\n"


def escape_text(value: str) -> str:
    r"""Return a TEXT value escaped by RFC 5545 3.3.11: \\ \; \, and \n for a line break."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> bytes:
    """Return a content line in UTF-8, folded (CRLF and a space) so no line has more than 75 octets.

    A fold never splits a UTF-8 sequence and, as icalendar's folding does, never falls just after a
    backslash or caret, so an escape stays on one line.
    """
    data = line.encode("utf-8")
    if len(data) < LINE_OCTETS:
        return data
    parts, start = [], 0
    while len(data) - start >= LINE_OCTETS:
        end = start + LINE_OCTETS - 1  # 74 octets of content; a continuation line adds the space
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def content_lines(lines: list[str]) -> bytes:
    return b"".join(fold(line) + CRLF for line in lines)


def first_occurrence(meeting: Meeting, after: datetime.date) -> datetime.datetime:
    """Return the meeting's first local start (no timezone attached) on or after a date (last_verified)."""
    # Python counts Monday as 0; the model counts Sunday as 0.
    offset = (meeting.day_number - (after.weekday() + 1) % 7) % 7
    day = after + datetime.timedelta(days=offset)
    hour, minute = map(int, meeting.start.split(":"))
    return datetime.datetime(day.year, day.month, day.day, hour, minute)


def meeting_end(start: datetime.datetime, end: str) -> datetime.datetime:
    """Return the end of the first occurrence; an end before the start means it runs past midnight."""
    hour, minute = map(int, end.split(":"))
    finish = start.replace(hour=hour, minute=minute)
    return finish if finish > start else finish + datetime.timedelta(days=1)


def ical_datetime(dt: datetime.datetime | datetime.date) -> str:
    """Return the DATE-TIME value form, e.g. 20260105T190000 (a date counts as its midnight)."""
    hour, minute = (dt.hour, dt.minute) if isinstance(dt, datetime.datetime) else (0, 0)
    return f"{dt.year:04}{dt.month:02}{dt.day:02}T{hour:02}{minute:02}00"


@lru_cache(maxsize=None)
def is_utc(tzid: str) -> bool:
    """Return True for zones icalendar writes in UTC form (…Z, no TZID): those always at UTC+0, e.g. Etc/UTC."""
    return "TZID" not in vDDDTypes(datetime.datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo(tzid))).params


def local_time(name: str, dt: datetime.datetime, tzid: str) -> str:
    """Return a DTSTART or DTEND line of a local time in an IANA zone."""
    return f"{name}:{ical_datetime(dt)}Z" if is_utc(tzid) else f"{name};TZID={tzid}:{ical_datetime(dt)}"


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first: datetime.date) -> bytes:
    """Return the serialized VTIMEZONE of a zone from a year's start.

    Made and serialized once per zone and year: with a line per daylight-saving change it is most of
    each file, and folding those lines again for every listing would triple the time calendars take.
    """
    return Timezone.from_tzid(tzid, first_date=first, last_date=VTIMEZONE_UNTIL).to_ical()


def description(constants: SiteConstants, listing: Listing, meeting: Meeting) -> str:
    lines = [listing.summary]
    if meeting.notes:
        lines.append(meeting.notes)
    if listing.is_online and listing.online["url"]:
        lines.append(f"Join online: {listing.online['url']}")
    lines.append(f"Details, and changes to this schedule: {constants.url(listing.url)}")
    lines.append("Please confirm with the group before you go.")
    return "\n\n".join(lines)


def event_title(listing: Listing, meeting: Meeting) -> str:
    """Return a calendar entry's title: the meeting's own name, with its group's when they differ."""
    return f"{meeting.name} ({listing.name})" if meeting.name and meeting.name != listing.name else listing.name


def meeting_event(constants: SiteConstants, listing: Listing, meeting: Meeting, n: int) -> bytes:
    """Return one weekly meeting as a VEVENT with a weekly RRULE (properties in icalendar's order)."""
    start = first_occurrence(meeting, listing.last_verified)
    lines = ["BEGIN:VEVENT", f"SUMMARY:{escape_text(event_title(listing, meeting))}",
             local_time("DTSTART", start, meeting.timezone)]
    if meeting.end:
        lines.append(local_time("DTEND", meeting_end(start, meeting.end), meeting.timezone))
    uid = stable_id("meeting", listing.slug, meeting.day, meeting.start, str(n))
    lines += [f"DTSTAMP:{ical_datetime(listing.last_verified)}Z", f"UID:{escape_text(uid)}",
              f"RRULE:FREQ=WEEKLY;BYDAY={BYDAY[meeting.day_number]}",
              f"DESCRIPTION:{escape_text(description(constants, listing, meeting))}"]
    where = street_address(listing) or (listing.online["url"] if listing.is_online else "")
    if where:
        lines.append(f"LOCATION:{escape_text(where)}")
    lines += [f"URL:{constants.url(listing.url)}", "END:VEVENT"]
    return content_lines(lines)


def listing_calendar(constants: SiteConstants, listing: Listing) -> bytes:
    """Return the .ics file of one listing's weekly meetings."""
    # X-WR-CALNAME is not a standard property: icalendar wrote it unescaped, and so do we, on one line.
    calendar_name = listing.name.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    head = content_lines(["BEGIN:VCALENDAR", "VERSION:2.0",
                          f"PRODID:{escape_text(f'-//{constants.title}//Peer Support Directory//EN')}",
                          "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{calendar_name}"])
    # The VTIMEZONEs go before the events, as calendar programs expect.
    first = datetime.date(listing.last_verified.year, 1, 1)
    zones = [vtimezone(tzid, first) for tzid in sorted({m.timezone for m in listing.schedule})]
    seen: dict[tuple[str, str], int] = defaultdict(int)
    events = []
    for meeting in listing.schedule:
        seen[meeting.day, meeting.start] += 1  # two meetings at one time still get two UIDs
        events.append(meeting_event(constants, listing, meeting, seen[meeting.day, meeting.start]))
    return b"".join([head, *zones, *events, b"END:VCALENDAR\r\n"])
