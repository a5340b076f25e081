"""On SQLite, new rows get their ids before the flush (core.ids_ahead), so that the flush writes a table's rows
in one statement: in the order they were added, after every id stored or already given; PostgreSQL's flush
gets them itself."""

from __future__ import annotations

from sqlalchemy import event, update

from tests.helpers import make_agency
from tracker.agencies.models import Agency
from tracker.core.ids_ahead import give_ids


def _agency(name: str) -> Agency:
    return Agency(name=name, abbreviation=name[:8], jurisdiction="US-DHS")


def test_new_rows_take_the_next_ids_in_the_order_added(db):
    stored = make_agency(name="Stored Agency")
    db.session.commit()
    db.session.execute(update(Agency).where(Agency.id == stored.id).values(name="Stored"))  # the write lock
    first, given, second, third = _agency("First"), _agency("Given"), _agency("Second"), _agency("Third")
    given.id = stored.id + 10  # an id given already: the others must not take it
    db.session.add_all([first, given, second, third])
    if not give_ids(db.session):
        assert db.engine.dialect.name != "sqlite"
        assert (first.id, second.id, third.id) == (None, None, None)  # the flush numbers them
        return
    assert (first.id, second.id, third.id) == (stored.id + 11, stored.id + 12, stored.id + 13)
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert sum(s.startswith("INSERT INTO agencies") for s in statements) == 1
    db.session.commit()
    assert {a.name for a in db.session.scalars(db.select(Agency).order_by(Agency.id))} == {
        "Stored", "First", "Given", "Second", "Third"}
    assert give_ids(db.session) is True  # nothing new: nothing to do
