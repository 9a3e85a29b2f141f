"""The build's idea of today, and how old a verification may get."""
from __future__ import annotations

import calendar
import datetime
import os

STALE_AFTER_MONTHS = 12


def build_date() -> datetime.date:
    """Return today's date, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def months_before(day: datetime.date, months: int = STALE_AFTER_MONTHS) -> datetime.date:
    """Return the same day `months` earlier, or that month's last day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
