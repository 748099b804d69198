"""Days and time zones. Times are stored in UTC and shown in the reader's zone; a date typed in a
form means that day where the person typing lives."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from council.models import User, utcnow


def zone_named(name: str | None, default: str = "UTC") -> ZoneInfo:
    try:
        return ZoneInfo(name or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def user_zone(user: User | None, default: str = "UTC") -> ZoneInfo:
    """The zone a person chose, else the council's default, else UTC."""
    return zone_named(user.timezone if user else None, default)


def today() -> datetime:
    """Midnight UTC today: the only time an anonymous comment or note keeps."""
    now = utcnow()
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """A deadline typed as a day: the last minute of that day in `zone`, in UTC."""
    return datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(UTC)


def start_of_day_utc(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def local_day(moment: datetime | None, zone: ZoneInfo) -> str:
    """The day of a stored time in `zone`, as a form's date field shows it ("" for none)."""
    return moment.astimezone(zone).date().isoformat() if moment else ""


def days_left(deadline: datetime | None, zone: ZoneInfo, now: datetime | None = None) -> int | None:
    """Whole days from today to the deadline's day, both in the reader's time zone."""
    if deadline is None:
        return None
    now = now or utcnow()
    return (deadline.astimezone(zone).date() - now.astimezone(zone).date()).days
