"""Small parsers every reader shares: times, dates, days and text as feeds really write them."""
from __future__ import annotations

import datetime
import re

from .records import DAY_NAMES

_TIME = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*m?\.?\s*$", re.IGNORECASE)


def parse_time(value: object) -> str:
    """Return "HH:MM" (24-hour) for "19:00", "19:00:00", "7:00 PM", "7 pm", "0700" or 1900; ValueError if not a time."""
    text = str(value).strip() if value is not None else ""
    if text.lower() in ("noon", "12 noon"):
        return "12:00"
    if text.lower() == "midnight":
        return "00:00"
    match = _TIME.match(text)
    if not match or (match.group(2) is None and match.group(3) is None and len(match.group(1)) < 3):
        if not re.fullmatch(r"\d{3,4}", text):
            raise ValueError(f"'{text}' is not a time")
    if re.fullmatch(r"\d{3,4}", text):
        hour, minute, half = int(text[:-2]), int(text[-2:]), None
    else:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower() or None
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{text}' is not a time")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(f"'{text}' is not a time")
    return f"{hour:02d}:{minute:02d}"


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S",
                 "%m/%d/%Y", "%Y/%m/%d")


def parse_date(value: object) -> datetime.date | None:
    """Return the date of an `updated` value ("2024-05-01 10:00:00", ISO 8601, "8/25/2022 11:17:07 AM"), or None."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def parse_day(value: object) -> int:
    """Return a Meeting Guide day number (0 Sunday … 6 Saturday) for 0-6, "3" or a day's name; ValueError if none."""
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a day")
    if isinstance(value, (int, float)) and float(value).is_integer() and 0 <= int(value) <= 6:
        return int(value)
    text = str(value).strip().lower()
    if text.isdigit() and 0 <= int(text) <= 6:
        return int(text)
    for number, name in enumerate(DAY_NAMES):
        if len(text) >= 2 and name.startswith(text):
            return number
    raise ValueError(f"'{value}' is not a day (Meeting Guide numbers days 0 for Sunday to 6 for Saturday)")


def text(value: object) -> str:
    """Return a value as stripped text: numbers as written, None and lists of nothing as ''."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def number(value: object) -> float | None:
    """Return a coordinate given as a number or a string, or None when it is missing or not a number."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(str(value).strip())
    except ValueError:
        return None
    return result if result == result and abs(result) != float("inf") else None
