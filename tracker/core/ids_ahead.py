"""New rows' ids given before the flush, so that the flush writes each table's new rows with one executemany and
the rows that name another row's id (an .eml named by its message's id) need no UPDATE after it.

SQLite does not promise the order of a multi-row INSERT's RETURNING, so SQLAlchemy inserts rows whose ids it
must learn one statement each there (its "insertmanyvalues" batches them only with a sentinel column). With
the ids known, it needs no RETURNING. There the next ids follow the largest stored (give_ids), so only for a
transaction that holds SQLite's write lock (it has written already), so no one else can take the next id
before the flush: the mail fetch's quick pass, which claims its folder's cursor with an UPDATE first.

PostgreSQL batches such rows already, but then learns the ids only after the flush. There the ids are drawn
from each table's sequence, for all the new rows of every table in one statement (draw_ids): as safe as the
flush's own, at any time, whoever else writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from sqlalchemy import Integer, Select, Table, event, func, literal, select, union_all
from sqlalchemy.orm import Mapper, Session, scoped_session
from sqlalchemy.orm.attributes import instance_state


def ids_for_new_rows(session: Session) -> bool:
    """Every new row of a table with an integer autoincrement key given its id, in the order the rows were added:
    on SQLite after the largest stored (give_ids), on PostgreSQL from the table's sequence (draw_ids); False on
    another database (the flush gets the ids)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return give_ids(session)
    if dialect == "postgresql":
        return draw_ids(session)
    return False


def _wanting(session: Session) -> tuple[dict[Table, list], dict[Table, int]]:
    """The new rows that want an id, per table, in the order added; and the largest id already given per table."""
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
    for rows in wanting.values():
        rows.sort(key=lambda w: w[0])
    return wanting, taken


def give_ids(session: Session) -> bool:
    """On SQLite, give every new row of a table with an integer autoincrement key its id, in the order the rows
    were added (the order the flush would insert them in); False elsewhere (the flush gets the ids)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    wanting, taken = _wanting(session)
    if not wanting:
        return True
    tables = tuple(sorted(wanting, key=lambda t: t.name))
    with session.no_autoflush:
        largest = session.execute(_largest(tables)).one()
    for table, stored in zip(tables, largest, strict=True):
        following = max(stored or 0, taken[table])
        for _, key, obj in wanting[table]:
            following += 1
            setattr(obj, key, following)
    return True


def draw_ids(session: Session) -> bool:
    """On PostgreSQL, give every new row of a table with an integer autoincrement key an id from the table's
    sequence, in the order the rows were added; one statement for all the tables. False elsewhere."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    wanting, _ = _wanting(session)
    if not wanting:
        return True
    tables = sorted(wanting, key=lambda t: t.name)
    with session.no_autoflush:
        drawn = session.execute(_draw(tuple((t, len(wanting[t])) for t in tables))).all()
    ids: dict[int, list[int]] = defaultdict(list)
    for index, value in drawn:
        ids[index].append(value)
    for index, table in enumerate(tables):
        if None in ids[index]:
            continue  # a key with no sequence of its own: the flush numbers these rows
        # a sequence's values rise in the order drawn: the first added takes the smallest, as the flush would
        for (_, key, obj), value in zip(wanting[table], sorted(ids[index]), strict=True):
            setattr(obj, key, value)
    return True


@cache
def _numbered(mapper: Mapper) -> tuple[Table, str] | None:
    """The table of a mapper's rows and the attribute of their integer autoincrement key, if they have one."""
    column = mapper.local_table.autoincrement_column if mapper.inherits is None else None
    return None if column is None else (mapper.local_table, mapper.get_property_by_column(column).key)


@cache
def _largest(tables: tuple[Table, ...]) -> Select:
    return select(*(select(func.max(t.autoincrement_column)).scalar_subquery() for t in tables))


def _draw(counts: tuple[tuple[Table, int], ...]) -> Select:
    """(the table's place in `counts`, a new id) for as many ids as each table wants, from its sequence."""
    parts = [select(literal(index, Integer), func.nextval(func.pg_get_serial_sequence(table.fullname,
                                                                                    table.autoincrement_column.name)))
             .select_from(func.generate_series(1, count)) for index, (table, count) in enumerate(counts)]
    return parts[0] if len(parts) == 1 else union_all(*parts)


@contextmanager
def ids_ahead(session: Session) -> Iterator[None]:
    """ids_for_new_rows() before every flush of the session meanwhile, autoflushes included (a query made while
    rows are pending would otherwise write them a row at a time)."""
    def before_flush(flushing, _context, _instances) -> None:
        ids_for_new_rows(flushing)

    target = session() if isinstance(session, scoped_session) else session
    event.listen(target, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(target, "before_flush", before_flush)
