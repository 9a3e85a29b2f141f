"""Reader of the spreadsheet (CSV) that the WordPress "12 Step Meeting List" plugin imports and exports.

One row is one meeting on one day; its first row names the columns, in words ("Time", "End Time", "Day",
"Conference URL"…) whose case and spacing vary from sheet to sheet. Types are written as their English
names ("Open, Wheelchair Access"), which this reader turns back into Meeting Guide codes.
"""
from __future__ import annotations

import csv
import datetime
import io
import re

from .places import country_code, region_code, split_address
from .clean import number, parse_date, parse_day, parse_time, text
from .records import Read, Record, Refusal, SourceError

_EXPECTED = "a 12 Step Meeting List CSV whose first row names the columns (Time, Day, Name, Address…)"


def _key(name: str) -> str:
    """Return a column or type name reduced to lower-case letters and digits, so spellings compare equal."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


# Column name (as _key writes it) -> Record field; several spellings may name one field.
_COLUMNS = {
    "time": "start", "starttime": "start", "endtime": "end", "day": "day", "name": "name",
    "location": "location_name", "locationname": "location_name", "address": "address",
    "formattedaddress": "address", "city": "city", "state": "region", "province": "region",
    "postalcode": "postal_code", "zip": "postal_code", "zipcode": "postal_code", "postcode": "postal_code",
    "country": "country", "types": "types", "notes": "notes", "locationnotes": "location_notes",
    "group": "group", "groupid": "group_id", "groupnotes": "group_notes", "website": "website",
    "email": "email", "phone": "phone", "conferenceurl": "conference_url",
    "conferenceurlnotes": "conference_url_notes", "conferencephone": "conference_phone",
    "conferencephonenotes": "conference_phone_notes", "updated": "updated", "slug": "id", "id": "id",
    "latitude": "lat", "lat": "lat", "longitude": "lng", "lng": "lng", "lon": "lng", "timezone": "timezone",
    "url": "url",
}

# The plugin's areas are its own geography, not a state or a city: no Record field holds them.
_NOT_KEPT = {"region", "subregion", "district", "subdistrict"}

# English type names (as _key writes them) -> Meeting Guide code: every code of Meeting Guide's list by
# its English name, and the other names sheets commonly use for the same meaning.
_TYPE_NAMES = {
    "11thstepmeditation": "11", "12steps12traditions": "12x12", "secular": "A", "atheistagnostic": "A",
    "agnostic": "A", "asbillseesit": "ABSI", "afrikaans": "AF", "concurrentwithalateen": "AL",
    "concurrentwithalanon": "AL-AN", "amharic": "AM", "arabic": "AR", "americansignlanguage": "ASL",
    "signlanguage": "ASL", "asl": "ASL", "bigbook": "B", "babysittingavailable": "BA",
    "childcareavailable": "BA", "newcomer": "BE", "newcomers": "BE", "beginner": "BE", "beginners": "BE",
    "bulgarian": "BG", "bisexual": "BI", "breakfast": "BRK", "closed": "C", "candlelight": "CAN",
    "childfriendly": "CF", "childrenwelcome": "CF", "discussion": "D", "topicdiscussion": "D", "danish": "DA",
    "digitalbasket": "DB", "dualdiagnosis": "DD", "german": "DE", "dailyreflections": "DR", "greek": "EL",
    "english": "EN", "persian": "FA", "finnish": "FI", "fragrancefree": "FF", "french": "FR", "gay": "G",
    "grapevine": "GR", "birthday": "H", "hebrew": "HE", "hindi": "HI", "croatian": "HR", "hungarian": "HU",
    "icelandic": "IS", "italian": "ITA", "japanese": "JA", "georgian": "KA", "korean": "KOR", "lesbian": "L",
    "lgbtq": "LGBTQ", "lgbtqiaa": "LGBTQ", "literature": "LIT", "livingsober": "LS", "lithuanian": "LT",
    "men": "M", "meditation": "MED", "malayalam": "ML", "maltese": "MT", "nativeamerican": "N",
    "nonbinary": "NB", "indigenous": "NDG", "nepali": "NE", "dutch": "NL", "norwegian": "NO", "open": "O",
    "outdoor": "OUT", "outdoormeeting": "OUT", "professionals": "P", "proofofattendance": "POA",
    "peopleofcolor": "POC", "polish": "POL", "portuguese": "POR", "punjabi": "PUN", "russian": "RUS",
    "spanish": "S", "espanol": "S", "seniors": "SEN", "slovak": "SK", "slovenian": "SL",
    "smokingpermitted": "SM", "speaker": "SP", "stepstudy": "ST", "stepmeeting": "ST", "swedish": "SV",
    "transgender": "T", "locationtemporarilyclosed": "TC", "temporaryclosure": "TC",
    "temporarilyclosed": "TC", "thai": "TH", "tagalog": "TL", "traditionstudy": "TR", "turkish": "TUR",
    "ukrainian": "UK", "women": "W", "wheelchairaccess": "X", "wheelchairaccessible": "X",
    "wheelchairaccessiblebathroom": "XB", "crosstalkpermitted": "XT", "youngpeople": "Y",
}
_CODES = frozenset(_TYPE_NAMES.values())

# The plugin's "Online Meeting" type says how people attend: it sets `attendance`, not a code.
_ONLINE_TYPE = "onlinemeeting"


def read_tsml_csv(data: bytes, source_name: str) -> Read:
    """Read a 12 Step Meeting List CSV into Records, one per row, refusing rows whose time cannot be read."""
    read = Read()
    rows = _rows(_decode(data, source_name, read.notes), source_name)
    columns = _columns(rows[0], source_name)
    read.notes.extend(_column_notes(rows[0], rows[1:], source_name))
    body = rows[1:]
    if not any(_filled(row) for row in body):
        read.notes.append(f"{source_name}: the sheet has a header row but no meetings")
        return read
    for index, row in enumerate(body):
        if not _filled(row):
            continue  # spreadsheets leave blank rows between blocks of meetings
        values = {field: text(row[at]) if at < len(row) else "" for field, at in columns.items()}
        made = _record(index, values, source_name, read.notes)
        (read.records if isinstance(made, Record) else read.refusals).append(made)
    return read


def _decode(data: bytes, source_name: str, notes: list[str]) -> str:
    """Return the sheet as text: UTF-8 (with or without BOM), else Windows-1252, which older Excel writes."""
    if data.startswith(b"PK\x03\x04"):
        raise SourceError(f"{source_name}: this is a spreadsheet workbook (.xlsx), not CSV; "
                          "save it as CSV and import that")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{source_name}: not UTF-8; read as Windows-1252 (check accented letters, "
                     "and save the sheet as CSV UTF-8 next time)")
        return data.decode("cp1252", errors="replace")


def _rows(content: str, source_name: str) -> list[list[str]]:
    """Return the sheet's rows, header first, or raise SourceError when there is no header."""
    first_line = content.split("\n", 1)[0]
    # Spreadsheets in some locales separate cells with ';', and "Unicode text" exports with tabs.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SourceError(f"{source_name}: not readable as CSV ({error}); expected {_EXPECTED}") from None
    while rows and not _filled(rows[0]):
        rows.pop(0)
    if not rows:
        raise SourceError(f"{source_name}: empty; expected {_EXPECTED}")
    return rows


def _filled(row: list[str]) -> bool:
    """Tell whether a row has any cell that is not blank."""
    return any(cell.strip() for cell in row)


def _columns(header: list[str], source_name: str) -> dict[str, int]:
    """Return the position of each Record field's column, or raise SourceError when the header is not the plugin's."""
    columns: dict[str, int] = {}
    for at, name in enumerate(header):
        field = _COLUMNS.get(_key(name))
        if field and field not in columns:  # the first of two spellings of one column wins
            columns[field] = at
    if "name" not in columns or "day" not in columns:
        raise SourceError(f"{source_name}: no Name or Day column in the first row; expected {_EXPECTED}")
    return columns


def _column_notes(header: list[str], body: list[list[str]], source_name: str) -> list[str]:
    """Return a note naming the columns that hold values this reader does not import."""
    ignored = [name.strip() for at, name in enumerate(header)
               if (_key(name) in _NOT_KEPT or _key(name) not in _COLUMNS) and name.strip()
               and any(at < len(row) and row[at].strip() for row in body)]
    if not ignored:
        return []
    return [f"{source_name}: columns not imported (no listing field holds them): {', '.join(ignored)}"]


def _record(index: int, values: dict[str, str], source_name: str, notes: list[str]) -> Record | Refusal:
    """Return the Record of one row, or the Refusal saying why it cannot be one."""
    row = index + 2  # the header is the spreadsheet's row 1
    ident, name = values.get("id", ""), values.get("name", "")
    days, start, problem = _schedule(values, row)
    if problem:
        return Refusal(index, ident, name, problem)
    codes, unmapped, online_type = _types(values.get("types", ""))
    record = Record(index=index, id=ident, name=name, days=days, start=start, codes=codes, unmapped=unmapped)
    record.end = _end(values, days, row, source_name, notes)
    _copy_text(record, values)
    _place(record, values)
    attendance = _attendance(record, online_type)
    if attendance is None:
        return Refusal(index, ident, name, (
            f"row {row}: its types say the location is temporarily closed and it has no Conference URL or "
            "Conference Phone: add how to join online, or remove the closure when it meets again"))
    record.attendance = attendance
    record.updated = _updated(values.get("updated", ""))
    return record


def _schedule(values: dict[str, str], row: int) -> tuple[tuple[int, ...], str, str]:
    """Return a row's days and start time, or the problem; a blank Day means by appointment."""
    day_text, time_text = values.get("day", ""), values.get("start", "")
    if not day_text:
        # The plugin lists a meeting with no day as by appointment, whatever its time says.
        return (), "", ""
    try:
        day = parse_day(day_text)
    except ValueError:
        return (), "", (f"row {row}: '{day_text}' in Day is not a day name; write one day per row "
                        "(a meeting on several days takes one row per day), or leave Day blank for by appointment")
    if not time_text:
        return (), "", f"row {row}: Day is {day_text} but Time is blank; write its start time, such as 7:00 PM"
    try:
        return (day,), parse_time(time_text), ""
    except ValueError:
        return (), "", f"row {row}: '{time_text}' in Time is not a time; write it as 7:00 PM or 19:00"


def _end(values: dict[str, str], days: tuple[int, ...], row: int, source_name: str, notes: list[str]) -> str:
    """Return a row's end time, or '' (with a note when End Time is written but unreadable)."""
    written = values.get("end", "")
    if not written or not days:
        return ""
    try:
        return parse_time(written)
    except ValueError:
        notes.append(f"{source_name}: row {row}: '{written}' in End Time is not a time; imported without an end")
        return ""


def _types(written: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Return the Meeting Guide codes of a Types cell, the names it could not map, and whether it says online."""
    codes: list[str] = []
    unmapped: list[str] = []
    online = False
    for name in (part.strip() for part in written.split(",")):
        if not name:
            continue
        key = _key(name)
        if key == _ONLINE_TYPE:
            online = True
        elif key in _TYPE_NAMES:
            codes.append(_TYPE_NAMES[key])
        elif name in _CODES:  # some sheets write the codes themselves
            codes.append(name)
        else:
            unmapped.append(name)
    return tuple(dict.fromkeys(codes)), tuple(dict.fromkeys(unmapped)), online


def _copy_text(record: Record, values: dict[str, str]) -> None:
    """Set the Record's fields that a row gives as plain text."""
    for field in ("group", "group_id", "group_notes", "notes", "location_name", "location_notes", "website",
                  "email", "phone", "conference_url", "conference_url_notes", "conference_phone",
                  "conference_phone_notes", "timezone", "url"):
        setattr(record, field, values.get(field, ""))


def _place(record: Record, values: dict[str, str]) -> None:
    """Set the Record's address, city, region, postal code, country and coordinates."""
    record.address = values.get("address", "")
    record.city = values.get("city", "")
    record.region = region_code(values.get("region", ""))
    record.postal_code = values.get("postal_code", "")
    record.country = country_code(values.get("country", ""))
    if record.address and not (record.city or record.region or record.postal_code):
        _split_address(record)
    lat, lng = number(values.get("lat")), number(values.get("lng"))
    if lat and lng and abs(lat) <= 90 and abs(lng) <= 180:  # 0 is what a sheet writes for "not placed"
        record.lat, record.lng = lat, lng


def _split_address(record: Record) -> None:
    """Split a whole address ("100 Main St, Springfield, IL 62701, USA") into street, city, region, code, country."""
    # The plugin's own exports write the geocoded address in one cell; it is only split when its state
    # is recognised, so an address written some other way is kept whole.
    found = split_address(record.address)
    if not found.get("region"):
        return
    record.address, record.city = found.get("address", ""), found.get("city", "")
    record.region, record.postal_code = found["region"], found.get("postal_code", "")
    record.country = record.country or found.get("country", "")


def _attendance(record: Record, online_type: bool) -> str | None:
    """Return how people attend a row's meeting, or None when its place is closed and it has no online way in."""
    online = bool(record.conference_url or record.conference_phone) or online_type
    in_person = "TC" not in record.codes and (bool(record.address) or not online)
    if in_person and online:
        return "hybrid"
    if online:
        return "online"
    return "in_person" if in_person else None


def _updated(written: str) -> datetime.date | None:
    """Return the date of an Updated cell, or None."""
    date = parse_date(written)
    if date is None and re.match(r"\d{4}-\d{2}-\d{2}", written):
        # The plugin's template glues date and time together ("2020-04-0416:50:58").
        date = parse_date(written[:10])
    return date
