"""Dates as day numbers computed by the database, for queries that read thousands of rows.

SQLite returns dates as text, and parsing text into `date` objects costs more than the query itself
when a page aggregates every request; a day number is a plain integer, cheap to read and compare.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

EPOCH = date(1970, 1, 1).toordinal()


class day_number(FunctionElement):  # noqa: N801 (named like a SQL function)
    """Days from 1970-01-01 to a date expression (NULL stays NULL)."""

    type = Integer()
    inherit_cache = True


@compiles(day_number)
def _day_number(element, compiler, **kw):  # PostgreSQL: date minus date is a number of days
    return f"({compiler.process(element.clauses, **kw)} - DATE '1970-01-01')"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element, compiler, **kw):
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5 AS INTEGER)"


def to_date(number: int | None) -> date | None:
    return None if number is None else date.fromordinal(EPOCH + number)


def to_number(day: date) -> int:
    return day.toordinal() - EPOCH
