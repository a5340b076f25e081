"""New rows written as plain values, without ORM objects: for a caller that makes many rows that nothing reads
back before they are written (the mail fetch's quick pass: each message's event and attachments). Making the
ORM object (its state, an event per attribute set, the backref to its request) and taking it apart again to
write it cost twenty times what the row's values do.

A value may be a function, called when the rows are written: it reads what is known only then (the id of a
row the session writes just before, such as an attachment's communication). Each table's rows go in one
statement, in the order added (so their ids rise in that order, as the flush would give them), the tables
after those they refer to.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, insert


class PlainRows:
    def __init__(self) -> None:
        self._rows: list[tuple[Table, dict[str, Any]]] = []

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, table: Table, values: dict[str, Any]) -> None:
        self._rows.append((table, values))

    def write(self, connection: Connection) -> None:
        """Insert the rows added so far (the functions among their values called now), and forget them."""
        by_table: dict[Table, list[dict[str, Any]]] = defaultdict(list)
        for table, values in self._rows:
            by_table[table].append({key: value() if callable(value) else value for key, value in values.items()})
        self._rows = []
        for table in sorted(by_table, key=_order):
            connection.execute(insert(table), by_table[table])


def later_id(obj) -> Any:
    """The id of a row object: now if it has one, else a function that reads it when the rows are written."""
    return obj.id if obj.id is not None else (lambda: obj.id)


def _order(table: Table) -> int:
    """A table's place after those it refers to (the metadata's order, worked out once)."""
    if not _ORDER:
        _ORDER.update({t: i for i, t in enumerate(table.metadata.sorted_tables)})
    return _ORDER[table]


_ORDER: dict[Table, int] = {}
