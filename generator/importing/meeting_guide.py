"""Read a Meeting Guide JSON feed (code4recovery/spec) as the spec says and as feeds really are.

Real feeds give numbers where strings belong, `types` as one comma-separated string, `day` as a list or a
string, 12-hour times, coordinates as strings or not at all, the address in one `formatted_address` or in
parts, and null days for meetings by appointment. Each meeting becomes a Record; what cannot be used is a
Refusal that says why.
"""
from __future__ import annotations

import json
import re

from .clean import number, parse_date, parse_day, parse_time, text
from .places import split_address, country_code, region_code
from .records import Read, Record, Refusal, SourceError

# Type codes that say how people attend rather than what the meeting is; attendance_option says it better.
ATTENDANCE_CODES = {"ONL": "online", "TC": "temporarily closed", "HY": "hybrid"}


def read_meeting_guide(data: bytes, source_name: str) -> Read:
    """Return the Records of a Meeting Guide feed; SourceError when it is not a feed at all."""
    items = _load(data, source_name)
    read = Read()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            read.refusals.append(Refusal(index, "", "", f"is {type(item).__name__}, not a meeting object"))
            continue
        record = _record(index, item, read)
        if record is not None:
            read.records.append(record)
    names = {text(item.get("entity")) for item in items if isinstance(item, dict) and text(item.get("entity"))}
    if len(names) == 1:
        read.organization = names.pop()
    return read


def _load(data: bytes, source_name: str) -> list:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"{source_name} is not UTF-8 text (byte {exc.start}) — a Meeting Guide feed is JSON") from None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{source_name}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno}) — "
                          "a Meeting Guide feed is a JSON array of meetings") from None
    if isinstance(doc, dict) and isinstance(doc.get("meetings"), list):
        doc = doc["meetings"]  # some servers wrap the array
    if not isinstance(doc, list):
        raise SourceError(f"{source_name} holds a JSON {type(doc).__name__}, not an array of meetings — "
                          "is this the feed's address (often …/wp-admin/admin-ajax.php?action=meetings)?")
    return doc


def _record(index: int, item: dict, read: Read) -> Record | None:
    ident = text(item.get("id")) or text(item.get("slug"))
    name = text(item.get("name"))

    def refuse(reason: str) -> None:
        read.refusals.append(Refusal(index, ident, name, reason))

    if not name:
        return refuse("has no name")
    try:
        days = _days(item.get("day"))
        start = parse_time(item["time"]) if text(item.get("time")) else ""
        end = parse_time(item["end_time"]) if text(item.get("end_time")) else ""
    except ValueError as exc:
        return refuse(str(exc))
    if bool(days) != bool(start):
        return refuse("has a day but no time" if days else "has a time but no day")
    codes, attendance_hints = _codes(item.get("types"))
    record = Record(index=index, id=ident, name=name, group=text(item.get("group")),
                    group_id=text(item.get("group_id")), days=days, start=start, end=end if end != start else "",
                    timezone=text(item.get("timezone")), codes=codes,
                    location_name=text(item.get("location")), notes=_notes(item.get("notes")),
                    location_notes=_notes(item.get("location_notes")), group_notes=_notes(item.get("group_notes")),
                    conference_url=text(item.get("conference_url")),
                    conference_url_notes=_notes(item.get("conference_url_notes")),
                    conference_phone=text(item.get("conference_phone")),
                    conference_phone_notes=_notes(item.get("conference_phone_notes")),
                    url=text(item.get("url")), website=text(item.get("website")) or text(item.get("website_1")),
                    email=text(item.get("email")), phone=text(item.get("phone")),
                    updated=parse_date(item.get("updated")), organization=text(item.get("entity")),
                    organization_url=text(item.get("entity_url")))
    _place(record, item)
    attendance = _attendance(item, record, attendance_hints)
    if attendance == "inactive":
        return refuse("is inactive (attendance_option 'inactive'): it is not meeting now")
    if attendance == "temporarily closed":
        return refuse("is temporarily closed (type TC) and has no online meeting")
    record.attendance = attendance
    if attendance != "in_person" and not (record.conference_url or record.conference_phone):
        return refuse(f"is {attendance.replace('_', ' ')} but gives no conference_url or conference_phone to join by")
    return record


def _days(value: object) -> tuple[int, ...]:
    if value is None or value == "" or value == []:
        return ()
    values = value if isinstance(value, list) else [value]
    return tuple(sorted({parse_day(one) for one in values}))


def _codes(value: object) -> tuple[tuple[str, ...], set[str]]:
    """Return a meeting's type codes (a list, or one comma-separated string) and the attendance codes among them."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return (), set()
    codes = [text(code) for code in value if text(code)]
    hints = {ATTENDANCE_CODES[code] for code in codes if code in ATTENDANCE_CODES}
    return tuple(dict.fromkeys(code for code in codes if code not in ATTENDANCE_CODES)), hints


def _notes(value: object) -> str:
    """Return notes with their line breaks kept (text() would join the lines of a dial-in's instructions)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _place(record: Record, item: dict) -> None:
    """Fill the record's address from its parts, or else from formatted_address."""
    parts = {key: text(item.get(key)) for key in ("address", "city", "state", "postal_code", "country")}
    formatted = split_address(text(item.get("formatted_address")))
    if parts["address"] and not (parts["city"] or parts["state"]) and "," in parts["address"]:
        formatted = split_address(parts["address"])  # a whole address given in `address` (seen in real feeds)
        parts["address"] = ""
    record.address = parts["address"] or formatted.get("address", "")
    record.city = parts["city"] or formatted.get("city", "")
    record.region = region_code(parts["state"]) or formatted.get("region", "")
    record.postal_code = parts["postal_code"] or formatted.get("postal_code", "")
    record.country = country_code(parts["country"]) or formatted.get("country", "")
    lat, lng = number(item.get("latitude")), number(item.get("longitude"))
    approximate = text(item.get("approximate")).lower() == "yes"  # only the town's or the ZIP code's centre
    if (lat is not None and lng is not None and (lat, lng) != (0, 0) and abs(lat) <= 90 and abs(lng) <= 180
            and not approximate):
        record.lat, record.lng = lat, lng
    written = re.match(r"^Address: (.+)$", record.location_notes, re.MULTILINE)
    if written:  # the whole street address, where the feed's `address` had to be simplified (as ours does)
        record.address = written.group(1).strip()
        record.location_notes = re.sub(r"^Address: .+\n?", "", record.location_notes, flags=re.MULTILINE).strip()


def _attendance(item: dict, record: Record, hints: set[str]) -> str:
    """Return in_person, online, hybrid, inactive or 'temporarily closed'."""
    option = text(item.get("attendance_option")).lower()
    if option in ("in_person", "online", "hybrid", "inactive"):
        return option
    joinable = bool(record.conference_url or record.conference_phone)
    if "temporarily closed" in hints:
        return "online" if joinable else "temporarily closed"
    if not joinable:
        return "in_person"
    if "online" in hints or not (record.address or record.location_name):
        return "online"
    return "hybrid"
