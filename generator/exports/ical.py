"""An iCalendar file per listing with a schedule: each weekly meeting as a weekly recurring event.

Built with the `icalendar` library. Times are the meeting's local time with its IANA TZID, and each file
carries the VTIMEZONE definitions it uses, so calendars keep the meeting at 19:00 across daylight saving.
Every value comes from the content (DTSTAMP and the first occurrence from `last_verified`), so the bytes
only change when the listing does.
"""
from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from ..model import Listing, Meeting, Site
from .common import Files, stable_id, street_address
from .listings import calendar_path

BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
VTIMEZONE_UNTIL = datetime.date(2038, 1, 1)  # how far ahead the daylight-saving changes are written out


def first_occurrence(meeting: Meeting, after: datetime.date) -> datetime.datetime:
    """Return the meeting's first local start on or after a date (the listing's last_verified)."""
    # Python counts Monday as 0; the model counts Sunday as 0.
    offset = (meeting.day_number - (after.weekday() + 1) % 7) % 7
    day = after + datetime.timedelta(days=offset)
    hour, minute = map(int, meeting.start.split(":"))
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(meeting.timezone))


def meeting_end(start: datetime.datetime, end: str) -> datetime.datetime:
    """Return the end of the first occurrence; an end before the start means it runs past midnight."""
    hour, minute = map(int, end.split(":"))
    finish = start.replace(hour=hour, minute=minute)
    return finish if finish > start else finish + datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first: datetime.date) -> bytes:
    """Return the serialized VTIMEZONE of a zone from a year's start.

    Made and serialized once per zone and year: with a line per daylight-saving change it is most of
    each file, and folding those lines again for every listing would triple the time calendars take.
    """
    return Timezone.from_tzid(tzid, first_date=first, last_date=VTIMEZONE_UNTIL).to_ical()


def description(site: Site, listing: Listing, meeting: Meeting) -> str:
    lines = [listing.summary]
    if meeting.notes:
        lines.append(meeting.notes)
    if listing.is_online and listing.online["url"]:
        lines.append(f"Join online: {listing.online['url']}")
    lines.append(f"Details, and changes to this schedule: {site.config.absolute_url(listing.url)}")
    lines.append("Please confirm with the group before you go.")
    return "\n\n".join(lines)


def meeting_event(site: Site, listing: Listing, meeting: Meeting, n: int) -> Event:
    """Return one weekly meeting as a VEVENT with a weekly RRULE."""
    verified = listing.last_verified
    start = first_occurrence(meeting, verified)
    event = Event()
    event.add("uid", stable_id("meeting", listing.slug, meeting.day, meeting.start, str(n)))
    event.add("dtstamp", datetime.datetime(verified.year, verified.month, verified.day, tzinfo=datetime.timezone.utc))
    event.add("dtstart", start)
    if meeting.end:
        event.add("dtend", meeting_end(start, meeting.end))
    event.add("rrule", {"freq": "WEEKLY", "byday": BYDAY[meeting.day_number]})
    event.add("summary", listing.name)
    event.add("description", description(site, listing, meeting))
    where = street_address(listing) or (listing.online["url"] if listing.is_online else "")
    if where:
        event.add("location", where)
    event.add("url", site.config.absolute_url(listing.url))
    return event


def listing_calendar(site: Site, listing: Listing) -> bytes:
    """Return the .ics file of one listing's weekly meetings."""
    cal = Calendar()
    cal.add("prodid", f"-//{site.config.title}//Peer Support Directory//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", listing.name)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    events = []
    for meeting in listing.schedule:
        seen[meeting.day, meeting.start] += 1
        events.append(meeting_event(site, listing, meeting, seen[meeting.day, meeting.start]))
    for event in events:
        cal.add_component(event)
    body = cal.to_ical()
    # The VTIMEZONEs go before the events, as calendar programs expect.
    first = datetime.date(listing.last_verified.year, 1, 1)
    zones = b"".join(vtimezone(tzid, first) for tzid in sorted({m.timezone for m in listing.schedule}))
    cut = body.index(b"BEGIN:VEVENT")
    return body[:cut] + zones + body[cut:]


def render_calendars(site: Site) -> Files:
    return [(calendar_path(l).lstrip("/"), listing_calendar(site, l)) for l in site.listings if l.schedule]

