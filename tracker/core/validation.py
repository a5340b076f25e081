"""Checks shared by every service: text that fits its column, and days in a range the law engine knows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, select

from tracker.extensions import db

EARLIEST_EVENT = date(2000, 1, 1)  # the deadline engine's calendars start here
LATEST_PLANNED = date(2040, 12, 31)  # and end here (deadlines.SUPPORTED_LAST)


def text_errors(model, data: dict) -> dict[str, str]:
    """A message per field whose text has a NUL or is longer than its column allows."""
    errors: dict[str, str] = {}
    columns = model.__table__.c
    for name, value in data.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors[name] = "The text contains a NUL character."
            continue
        column = columns.get(name)
        is_string = column is not None and isinstance(column.type, String)
        length = getattr(column.type, "length", None) if is_string else None
        if length and len(value) > length:
            errors[name] = f"Too long: at most {length} characters."
    return errors


def event_day_error(day: date | None, today: date) -> str | None:
    """Days on which something happened: not before 2000, not in the future."""
    if day is None:
        return None
    if day < EARLIEST_EVENT:
        return f"This date is before {EARLIEST_EVENT.year}; check the year."
    if day > today:
        return "This date is in the future."
    return None


def planned_day_error(day: date | None) -> str | None:
    """Days set ahead (our answer due, a follow-up): within the years the deadline engine counts."""
    if day is None:
        return None
    if day < EARLIEST_EVENT:
        return f"This date is before {EARLIEST_EVENT.year}; check the year."
    if day > LATEST_PLANNED:
        return f"This date is after {LATEST_PLANNED.year}; check the year."
    return None


def name_taken(column, value: str, *, other_than: int | None) -> bool:
    """Whether another row already has this name, ignoring case. Compared in Python with casefold, because
    SQLite's lower() leaves non-ASCII letters alone (Peña / PEÑA)."""
    table = column.class_
    wanted = value.casefold()
    rows = db.session.execute(select(table.id, column)).all()
    return any(name.casefold() == wanted and row_id != other_than for row_id, name in rows)
