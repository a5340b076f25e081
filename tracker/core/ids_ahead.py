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
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Select, Table, event, func, select
from sqlalchemy.orm import Mapper, Session, scoped_session
from sqlalchemy.orm.attributes import instance_state


def give_ids(session: Session) -> bool:
    """On SQLite, give every new row of a table with an integer autoincrement key its id, in the order the rows
    were added (the order the flush would insert them in); False elsewhere (the flush gets the ids)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    wanting: dict[Table, list] = defaultdict(list)  # table -> [(the order added, key attribute, object)]
    taken: dict[Table, int] = defaultdict(int)  # table -> the largest id already given to one of its new rows
    for obj in session.new:
        state = instance_state(obj)
        numbered = _numbered(state.mapper)
        if numbered is None:
            continue
        table, key = numbered
        value = state.dict.get(key)
        if value is None:
            wanting[table].append((state.insert_order, key, obj))
        else:
            taken[table] = max(taken[table], value)
    if not wanting:
        return True
    tables = tuple(sorted(wanting, key=lambda t: t.name))
    with session.no_autoflush:
        largest = session.execute(_largest(tables)).one()
    for table, stored in zip(tables, largest, strict=True):
        following = max(stored or 0, taken[table])
        for _, key, obj in sorted(wanting[table], key=lambda w: w[0]):
            following += 1
            setattr(obj, key, following)
    return True


@cache
def _numbered(mapper: Mapper) -> tuple[Table, str] | None:
    """The table of a mapper's rows and the attribute of their integer autoincrement key, if they have one."""
    column = mapper.local_table.autoincrement_column if mapper.inherits is None else None
    return None if column is None else (mapper.local_table, mapper.get_property_by_column(column).key)


@cache
def _largest(tables: tuple[Table, ...]) -> Select:
    return select(*(select(func.max(t.autoincrement_column)).scalar_subquery() for t in tables))


@contextmanager
def ids_ahead(session: Session) -> Iterator[None]:
    """give_ids() before every flush of the session meanwhile, autoflushes included (a query made while rows are
    pending would otherwise write them a row at a time)."""
    def before_flush(flushing, _context, _instances) -> None:
        give_ids(flushing)

    target = session() if isinstance(session, scoped_session) else session
    event.listen(target, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(target, "before_flush", before_flush)
