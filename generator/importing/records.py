"""What every importer reads a source into: one Record per meeting (or per service at a place), before
records are grouped into listings.

Each format's reader (Meeting Guide JSON, the meeting-list plugin's CSV, BMLT, HSDS) turns its source into
Records and Refusals and nothing else; grouping, the project's schema, provenance and re-sync are shared
(`generator.importing.listings`, `generator.importing.sync`), so a new format is one reader.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Meeting Guide numbers days 0 (Sunday) to 6 (Saturday); so do Records.
DAY_NAMES = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
ATTENDANCE = ("in_person", "online", "hybrid")


@dataclass
class Record:
    """One meeting (or one service at a place) as a source gives it, in plain values.

    Times are "HH:MM", 24-hour; days are Meeting Guide numbers (0 Sunday … 6 Saturday), several when the
    source lists one meeting on several days, none when it meets by appointment. `codes` are Meeting
    Guide type codes; a reader whose format has other codes maps them to Meeting Guide's where the meaning
    is the same and puts the rest in `unmapped` as "CODE (label)", so that the import can report them.
    """

    index: int  # the record's position in the source (0-based), for messages
    id: str = ""  # the source's own id ('' when it has none)
    name: str = ""
    group: str = ""  # the group's name, when the source gives one apart from the meeting's
    group_id: str = ""
    days: tuple[int, ...] = ()
    start: str = ""
    end: str = ""
    timezone: str = ""  # IANA name, when the source gives one
    codes: tuple[str, ...] = ()
    unmapped: tuple[str, ...] = ()
    attendance: str = "in_person"  # one of ATTENDANCE
    location_name: str = ""  # e.g. "St. Paul's Church"
    address: str = ""  # the street address only
    city: str = ""
    region: str = ""  # two-letter state or province code
    for_its_state_only: bool = False  # online help for the people of `region` alone, as the source says outright
    postal_code: str = ""
    country: str = ""  # two-letter code; '' means the source did not say
    lat: float | None = None
    lng: float | None = None
    notes: str = ""  # about this meeting
    location_notes: str = ""  # about the place (entrance, parking…)
    group_notes: str = ""
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    url: str = ""  # the source's own page about this meeting or service
    website: str = ""  # the group's website
    email: str = ""  # the group's public email
    phone: str = ""  # the group's public phone
    updated: datetime.date | None = None
    organization: str = ""  # who publishes it (Meeting Guide's entity, HSDS's organization)
    organization_url: str = ""
    # Fields already in the project's own listing schema, for formats that carry more than meetings
    # (HSDS: summary, description, kind, support_types, audience, languages, cost…). Values given here
    # win over what the shared code would derive.
    listing: dict = field(default_factory=dict)


@dataclass
class Refusal:
    """A record that cannot become (part of) a listing, and why, in words a contributor can act on."""

    index: int
    id: str
    name: str
    reason: str

    def where(self) -> str:
        """Return how to find the record in the source: its position, its id and its name."""
        parts = [f"record {self.index + 1}"]
        if self.id:
            parts.append(f"id {self.id}")
        if self.name:
            parts.append(repr(self.name))
        return ", ".join(parts)


@dataclass
class Read:
    """What a reader made of a source."""

    records: list[Record] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    organization: str = ""  # the publisher's name, when the source says it
    notes: list[str] = field(default_factory=list)  # anything else the user should hear (e.g. "GetFormats missing")


class SourceError(Exception):
    """The source cannot be read at all (not JSON, wrong shape, unreadable): nothing is imported."""
