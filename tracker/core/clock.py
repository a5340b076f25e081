"""The one source of time. Tests freeze it (time-machine); code never calls datetime.now() itself."""

from __future__ import annotations

from datetime import UTC, date, datetime
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
