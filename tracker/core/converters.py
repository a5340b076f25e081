"""URL converters: an `<int:...>` in a route is a database id, so it stops at the largest 32-bit integer.

A larger number is no id at all: the route does not match (404) instead of overflowing the database driver
(SQLite cannot bind it; PostgreSQL refuses it as out of range), which would have been a 500.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def init_converters(app: Flask) -> None:
    """Before any blueprint: rules take their converter when they are added."""
    app.url_map.converters["int"] = IdConverter
