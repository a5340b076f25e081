"""URL converters: an `<int:...>` in a route is a database id, and no id is larger than a 32-bit integer.

A larger number still matches the route (so every method gets the same answer), but becomes -1, an id no row
has: the view's own lookup answers 404, instead of the database driver overflowing (SQLite cannot bind such a
number; PostgreSQL refuses it as out of range), which would have been a 500. Refusing it in the converter
instead would turn it into a 405 wherever the path also has a route for another method.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1
NO_ID = -1  # truthy, so `if some_id` still sees an id was given; matches no row


class IdConverter(IntegerConverter):
    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= MAX_ID else NO_ID


def init_converters(app: Flask) -> None:
    """Before any blueprint: rules take their converter when they are added."""
    app.url_map.converters["int"] = IdConverter
