"""Reader of a BMLT root server's meetings: the `GetSearchResults` answer, with its `GetFormats` answer.

BMLT (Basic Meeting List Toolbox, used by Narcotics Anonymous service bodies) answers
`client_interface/json/?switcher=GetSearchResults` with a JSON array of meetings, or with an object
{"meetings": [...], "formats": [...]} when `get_used_formats=1` was asked. Every value is a string.
A meeting's formats are the server's own keys ("O,D,WC"); what they mean is in `GetFormats`, whose
`world_id` is the shared NAWS code that this reader maps to Meeting Guide type codes.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from .clean import number, parse_time, text
from .places import country_code, region_code
from .records import Read, Record, Refusal, SourceError

# NAWS world ids whose meaning is the same as a Meeting Guide type's. NAWS codes of NA's own literature
# (BT, JFT, IW, SWG, LC, IP…) have no Meeting Guide equivalent and stay unmapped.
_WORLD_TO_TYPES: dict[str, tuple[str, ...]] = {
    "OPEN": ("O",),
    "CLOSED": ("C",),
    "WCHR": ("X",),
    "BEG": ("BE",),
    "LIT": ("LIT",),
    "SPK": ("SP",),
    "STEP": ("ST",),
    "TRAD": ("TR",),
    "DISC": ("D",),
    "TOP": ("D",),  # Meeting Guide accepts a topic discussion as its Discussion type
    "GL": ("G", "L"),
    "LGBTQ": ("LGBTQ",),
    "W": ("W",),
    "M": ("M",),
    "Y": ("Y",),
    "CAN": ("CAN",),
    "MED": ("MED",),
    "CW": ("CF",),
    "SMOK": ("SM",),
}

# World ids that say how people attend, not what the meeting is: they set `attendance` instead.
_VIRTUAL, _HYBRID, _CLOSED = "VM", "HY", "TC"
_ATTENDANCE_IDS = {_VIRTUAL, _HYBRID, _CLOSED}

# BMLT's venue_type: (meets in person, meets online).
_VENUES = {"1": (True, False), "2": (False, True), "3": (True, True)}

_FORMATS_URL = "client_interface/json/?switcher=GetFormats"

@dataclass(frozen=True)
class _Format:
    """One of the server's formats: its key, its NAWS world id and its name."""

    key: str
    world_id: str
    name: str


def read_bmlt(results: bytes, formats: bytes | None, source_name: str) -> Read:
    """Read a BMLT GetSearchResults answer, and its GetFormats answer when given, into Records."""
    meetings, used_formats = _search_results(results, source_name)
    read = Read()
    table = _format_table(_formats_list(formats, source_name) if formats is not None else used_formats)
    if formats is None and used_formats is None:
        read.notes.append(
            f"{source_name}: no GetFormats answer was given, so every BMLT format key is kept as unmapped "
            f"instead of becoming a meeting type; give this server's {_FORMATS_URL} answer to map them")
    if not meetings:
        read.notes.append(f"{source_name}: the BMLT answer lists no meetings")
        return read
    unknown_places: Counter[str] = Counter()
    for index, meeting in enumerate(meetings):
        made = _record(index, meeting, table, unknown_places)
        (read.records if isinstance(made, Record) else read.refusals).append(made)
    read.notes.extend(_place_notes(unknown_places, source_name))
    return read


def _load(body: bytes, what: str, source_name: str) -> object:
    """Return the JSON value of an answer, or raise SourceError saying what was expected."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise SourceError(f"{source_name}: not JSON; expected {what}") from None


def _search_results(body: bytes, source_name: str) -> tuple[list[dict], list[dict] | None]:
    """Return the meetings of a GetSearchResults answer and the formats it carries (None when it carries none)."""
    expected = ("a BMLT GetSearchResults answer (a JSON array of meetings, "
                "or an object with a \"meetings\" array)")
    value = _load(body, expected, source_name)
    used = None
    if isinstance(value, dict):
        if not value:  # some servers answer {} when nothing matches
            return [], None
        if not isinstance(value.get("meetings"), list):
            raise SourceError(f"{source_name}: wrong shape; expected {expected}")
        used = value.get("formats")
        if used is not None and not _all_objects(used):
            raise SourceError(f"{source_name}: wrong shape; its \"formats\" should be an array of objects")
        value = value["meetings"]
    if not _all_objects(value):
        raise SourceError(f"{source_name}: wrong shape; expected {expected}, each meeting a JSON object")
    return value, used


def _formats_list(body: bytes, source_name: str) -> list[dict]:
    """Return the formats of a GetFormats answer, or raise SourceError."""
    expected = f"a BMLT GetFormats answer ({_FORMATS_URL}: a JSON array of formats)"
    value = _load(body, expected, source_name)
    if not _all_objects(value):
        raise SourceError(f"{source_name}: wrong shape; expected {expected}")
    return value


def _all_objects(value: object) -> bool:
    """Tell whether a value is a list of JSON objects."""
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _format_table(formats: list[dict] | None) -> dict[str, _Format] | None:
    """Return the formats by key, preferring the English entry when a server lists several languages."""
    if formats is None:
        return None
    table: dict[str, _Format] = {}
    for item in formats:
        key = text(item.get("key_string"))
        if not key or (key in table and text(item.get("lang")) not in ("", "en")):
            continue
        table[key] = _Format(key, text(item.get("world_id")).upper(), text(item.get("name_string")))
    return table


def _record(index: int, meeting: dict, table: dict[str, _Format] | None, unknown_places: Counter) -> Record | Refusal:
    """Return the Record of one meeting, or the Refusal saying why it cannot be one."""
    ident, name = text(meeting.get("id_bigint")), text(meeting.get("meeting_name"))
    problem = _unlisted(meeting)
    day, day_problem = _day(meeting)
    start, end = _times(meeting)
    problem = problem or day_problem or ("" if start else _start_problem(meeting))
    codes, unmapped, world_ids = _types(meeting, table)
    attendance = _attendance(meeting, world_ids)
    if not problem and attendance is None:
        problem = ("its formats say it is temporarily closed (TC) and it has no virtual meeting link or phone: "
                   "add the virtual meeting on the BMLT server, or remove TC when it meets again")
    if problem:
        return Refusal(index, ident, name, problem)
    record = Record(index=index, id=ident, name=name, days=(day,), start=start, end=end,
                    timezone=text(meeting.get("time_zone")), codes=codes, unmapped=unmapped,
                    attendance=attendance, notes=text(meeting.get("comments")))
    _place(record, meeting, unknown_places)
    _conference(record, meeting)
    return record


def _unlisted(meeting: dict) -> str:
    """Return why a meeting the server does not publish is refused, or ''."""
    if text(meeting.get("published")) == "0":
        return "not published (BMLT's published is 0): it can be imported once it is published on the server"
    return ""


def _day(meeting: dict) -> tuple[int, str]:
    """Return the Meeting Guide day of a meeting (BMLT numbers 1 Sunday … 7 Saturday), or the problem."""
    # Servers name the field weekday_tinyint; weekday_tindex is accepted for hand-made exports.
    written = text(meeting.get("weekday_tinyint", meeting.get("weekday_tindex")))
    if written.isdigit() and 1 <= int(written) <= 7:
        return int(written) - 1, ""
    shown = f"'{written}'" if written else "empty"
    return 0, (f"no usable day (weekday_tinyint is {shown}; BMLT numbers days 1 for Sunday to 7 for Saturday): "
               "set the meeting's weekday on the BMLT server")


def _times(meeting: dict) -> tuple[str, str]:
    """Return a meeting's start ('' when unusable) and its end, start plus duration ('' when unknown)."""
    try:
        start = parse_time(meeting.get("start_time"))
    except ValueError:
        return "", ""
    minutes = _duration(meeting.get("duration_time"))
    if not minutes:
        return start, ""
    hours, mins = int(start[:2]), int(start[3:])
    total = (hours * 60 + mins + minutes) % (24 * 60)  # a meeting may end after midnight
    return start, f"{total // 60:02d}:{total % 60:02d}"


def _duration(value: object) -> int:
    """Return a duration "HH:MM[:SS]" in minutes, 0 when missing or not a duration."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::\d{2})?", text(value))
    if not match or int(match.group(2)) > 59:
        return 0
    return int(match.group(1)) * 60 + int(match.group(2))


def _start_problem(meeting: dict) -> str:
    """Return why a meeting's start time cannot be used."""
    written = text(meeting.get("start_time"))
    shown = f"'{written}'" if written else "empty"
    return f"no usable start time (start_time is {shown}): set the meeting's start time on the BMLT server"


def _types(meeting: dict, table: dict[str, _Format] | None) -> tuple[tuple[str, ...], tuple[str, ...], set[str]]:
    """Return a meeting's Meeting Guide codes, its unmapped formats and the world ids of its formats."""
    keys = [key for key in (part.strip() for part in text(meeting.get("formats")).split(",")) if key]
    if table is None:
        # Without GetFormats, only BMLT's default keys for attendance can be understood.
        return (), tuple(dict.fromkeys(keys)), {key.upper() for key in keys} & _ATTENDANCE_IDS
    codes: list[str] = []
    unmapped: list[str] = []
    world_ids: set[str] = set()
    for key in keys:
        known = table.get(key)
        if known is None:
            unmapped.append(f"{key} (not in GetFormats)")
            continue
        world_ids.add(known.world_id)
        if known.world_id in _ATTENDANCE_IDS:
            continue
        mapped = _WORLD_TO_TYPES.get(known.world_id)
        if mapped:
            codes.extend(mapped)
        else:
            unmapped.append(f"{key} ({known.name})" if known.name else key)
    return tuple(dict.fromkeys(codes)), tuple(dict.fromkeys(unmapped)), world_ids


def _attendance(meeting: dict, world_ids: set[str]) -> str | None:
    """Return how people attend a meeting, or None when it neither meets in person nor online."""
    virtual = bool(text(meeting.get("virtual_meeting_link")) or text(meeting.get("phone_meeting_number")))
    venue = _VENUES.get(text(meeting.get("venue_type")))
    if venue:
        in_person, online = venue
    elif _HYBRID in world_ids:
        in_person, online = True, True
    elif _VIRTUAL in world_ids:
        # A virtual meeting's address is where it is from, not a place to go.
        in_person, online = False, True
    else:
        in_person, online = bool(text(meeting.get("location_street"))) or not virtual, virtual
    if _CLOSED in world_ids:
        in_person, online = False, online or virtual
    if in_person and online:
        return "hybrid"
    if online:
        return "online"
    return "in_person" if in_person else None


def _place(record: Record, meeting: dict, unknown_places: Counter) -> None:
    """Set where a meeting is: its place, address, city, region, country and coordinates."""
    record.location_name = text(meeting.get("location_text"))
    record.address = text(meeting.get("location_street"))
    record.city = next((text(meeting.get(key)) for key in
                        ("location_municipality", "location_city_subsection", "location_neighborhood")
                        if text(meeting.get(key))), "")
    record.postal_code = text(meeting.get("location_postal_code_1"))
    record.location_notes = text(meeting.get("location_info"))
    province, nation = text(meeting.get("location_province")), text(meeting.get("location_nation"))
    record.region, record.country = region_code(province), country_code(nation)
    if province and not record.region:
        unknown_places[f"location_province '{province}'"] += 1
    if nation and not record.country:
        unknown_places[f"location_nation '{nation}'"] += 1
    lat, lng = number(meeting.get("latitude")), number(meeting.get("longitude"))
    # BMLT writes 0 for a meeting nobody placed on the map.
    if lat and lng and abs(lat) <= 90 and abs(lng) <= 180:
        record.lat, record.lng = lat, lng


def _conference(record: Record, meeting: dict) -> None:
    """Set how to join a meeting online or by phone."""
    record.conference_url = text(meeting.get("virtual_meeting_link"))
    record.conference_url_notes = text(meeting.get("virtual_meeting_additional_info"))
    record.conference_phone = text(meeting.get("phone_meeting_number"))


def _place_notes(unknown_places: Counter, source_name: str) -> list[str]:
    """Return one note per province or nation value that was not understood and so left out."""
    return [f"{source_name}: {value} is not a known two-letter code or name, left out of {count} "
            f"meeting{'s' if count != 1 else ''}" for value, count in sorted(unknown_places.items())]
