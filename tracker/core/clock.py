"""The one source of time. Tests freeze it (time-machine); code never calls datetime.now() itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "America/New_York"


def now_utc() -> datetime:
    return datetime.now(UTC)


def newsroom_zone() -> ZoneInfo:
    name = current_app.config["TRACKER_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def today() -> date:
    """Today's date in the newsroom's time zone: deadlines are days there, not in UTC."""
    return now_utc().astimezone(newsroom_zone()).date()


def local(instant: datetime) -> datetime:
    return instant.astimezone(newsroom_zone())


def local_date(instant: datetime) -> date:
    """The newsroom's date of an instant: 23:30 in New York on the 5th is the 5th, although UTC has turned
    to the 6th. Every date shown or derived from an instant goes through here."""
    if instant.tzinfo is None:  # SQLite hands back naive datetimes; they are stored as UTC
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(newsroom_zone()).date()


def at_noon(day: date) -> datetime:
    """Noon of a newsroom day, as a UTC instant (for records entered after the fact, e.g. the demo)."""
    return datetime.combine(day, time(12), newsroom_zone()).astimezone(UTC)
