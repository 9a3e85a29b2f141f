"""The calendars as the `icalendar` library's Calendar and Event objects serialize them: how
generator/exports/ical.py made them before it wrote them by hand, kept as the oracle its bytes must match.

Only the serialization is the oracle's own; the dates and the description text come from the generator
(test_ical checks those against the meetings directly)."""
from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict

from icalendar import Calendar, Event

from generator.exports.common import SiteConstants, stable_id, street_address
from generator.exports.ical import BYDAY, description, first_occurrence, meeting_end, vtimezone
from generator.model import Listing, Meeting


def meeting_event(constants: SiteConstants, listing: Listing, meeting: Meeting, n: int) -> Event:
    verified = listing.last_verified
    start = first_occurrence(meeting, verified).replace(tzinfo=zoneinfo.ZoneInfo(meeting.timezone))
    event = Event()
    event.add("uid", stable_id("meeting", listing.slug, meeting.day, meeting.start, str(n)))
    event.add("dtstamp", datetime.datetime(verified.year, verified.month, verified.day, tzinfo=datetime.timezone.utc))
    event.add("dtstart", start)
    if meeting.end:
        event.add("dtend", meeting_end(start, meeting.end))
    event.add("rrule", {"freq": "WEEKLY", "byday": BYDAY[meeting.day_number]})
    event.add("summary", f"{meeting.name} ({listing.name})" if meeting.name and meeting.name != listing.name
              else listing.name)
    event.add("description", description(constants, listing, meeting))
    where = street_address(listing) or (listing.online["url"] if listing.is_online else "")
    if where:
        event.add("location", where)
    event.add("url", constants.url(listing.url))
    return event


def listing_calendar(constants: SiteConstants, listing: Listing) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{constants.title}//Peer Support Directory//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", listing.name)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for meeting in listing.schedule:
        seen[meeting.day, meeting.start] += 1
        cal.add_component(meeting_event(constants, listing, meeting, seen[meeting.day, meeting.start]))
    body = cal.to_ical()
    first = datetime.date(listing.last_verified.year, 1, 1)
    zones = b"".join(vtimezone(tzid, first) for tzid in sorted({m.timezone for m in listing.schedule}))
    cut = body.index(b"BEGIN:VEVENT")
    return body[:cut] + zones + body[cut:]
