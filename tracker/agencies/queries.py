"""Read-side queries for agencies."""

from __future__ import annotations

from sqlalchemy import select

from tracker.agencies.models import Agency, label_of
from tracker.core import menus
from tracker.extensions import db


def choices() -> list[tuple[int, str]]:
    """Every agency as (id, label), by name, for a menu: read as columns, not as agencies (a menu on every view of
    the request list and the board), kept per process while the table's version stands (core.menus)."""
    return menus.menu("agencies", _choices)


def _choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Agency.id, Agency.name, Agency.abbreviation).order_by(Agency.name))
    return [(row.id, label_of(row.name, row.abbreviation)) for row in rows]
