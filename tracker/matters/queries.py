"""Read-side queries for matters."""

from __future__ import annotations

from sqlalchemy import select

from tracker.core import menus
from tracker.extensions import db
from tracker.matters.models import Matter

_MATTER = Matter.__table__


def choices() -> list[tuple[int, str]]:
    """Every matter as (id, title), by title, for a menu: read from the table's columns (mapped attributes would run
    a newsroom's hundreds of rows through the ORM's loading on every view of the request list and the board), kept per
    process while the table's version stands (core.menus)."""
    return menus.menu("matters", _choices)


def _choices() -> list[tuple[int, str]]:
    return [tuple(row) for row in db.session.execute(select(_MATTER.c.id, _MATTER.c.title).order_by(_MATTER.c.title))]
