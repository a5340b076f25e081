"""New rows' ids given before the flush on SQLite, so that the flush writes each table's new rows with one
executemany instead of one INSERT per row.

SQLite does not promise the order of a multi-row INSERT's RETURNING, so SQLAlchemy inserts rows whose ids it
must learn one statement each there (its "insertmanyvalues" batches them only with a sentinel column). With
the ids known, it needs no RETURNING. PostgreSQL batches such rows already: nothing is done there.

Only for a transaction that holds SQLite's write lock (it has written already), so no one else can take the
next id before the flush: the mail fetch's quick pass, which claims its folder's cursor with an UPDATE first.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session


def give_ids(session: Session) -> bool:
    """On SQLite, give every new row of a table with an integer autoincrement key its id, in the order the rows
    were added (the order the flush would insert them in); False elsewhere (the flush gets the ids)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    wanting: dict = defaultdict(list)  # table -> (key attribute, column, [objects]) in the order added
    taken: dict = defaultdict(int)  # table -> the largest id already given to one of its new rows
    for obj in sorted(session.new, key=lambda o: inspect(o).insert_order):
        mapper = inspect(obj).mapper
        column = mapper.local_table.autoincrement_column if mapper.inherits is None else None
        if column is None:
            continue
        key = mapper.get_property_by_column(column).key
        value = getattr(obj, key)
        if value is None:
            wanting[mapper.local_table].append((key, obj))
        else:
            taken[mapper.local_table] = max(taken[mapper.local_table], value)
    if not wanting:
        return True
    tables = list(wanting)
    with session.no_autoflush:
        largest = session.execute(select(*(select(func.max(t.autoincrement_column)).scalar_subquery()
                                           for t in tables))).one()
    for table, stored in zip(tables, largest, strict=True):
        following = max(stored or 0, taken[table])
        for key, obj in wanting[table]:
            following += 1
            setattr(obj, key, following)
    return True
