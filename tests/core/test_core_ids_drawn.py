"""New rows get their ids before the flush on both databases (core.ids_ahead.ids_for_new_rows): on SQLite after
the largest stored, on PostgreSQL from each table's sequence, for every table in one statement. Either way in the
order the rows were added, and the flush writes them with those ids, one INSERT per table."""

from __future__ import annotations

from sqlalchemy import event, select, update

from tests.helpers import make_agency
from tracker.agencies.models import Agency
from tracker.core.clock import now_utc
from tracker.core.ids_ahead import ids_for_new_rows
from tracker.mail.models import MailCursor


def test_new_rows_of_two_tables_get_their_ids_before_the_flush(db):
    stored = make_agency(name="Stored Agency")
    db.session.commit()
    db.session.execute(update(Agency).where(Agency.id == stored.id).values(name="Stored"))  # SQLite's write lock
    agencies = [Agency(name=f"Agency {n}", abbreviation=f"A{n}", jurisdiction="US-DHS") for n in range(3)]
    cursors = [MailCursor(folder=f"Folder {n}", uidvalidity=1, last_uid=0, updated_at=now_utc()) for n in range(2)]
    db.session.add_all([agencies[0], cursors[0], agencies[1], cursors[1], agencies[2]])
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert ids_for_new_rows(db.session) is True
        asked = len(statements)
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert asked == 1  # one statement for both tables
    ids = [a.id for a in agencies]
    assert None not in ids and ids == sorted(ids) and len(set(ids)) == 3 and ids[0] > stored.id
    assert None not in (cursors[0].id, cursors[1].id) and cursors[0].id < cursors[1].id
    inserts = statements[asked:]
    assert sum(s.startswith("INSERT INTO agencies") for s in inserts) == 1
    assert sum(s.startswith("INSERT INTO mail_cursors") for s in inserts) == 1
    assert not [s for s in inserts if "RETURNING" in s]  # the ids were known: nothing to read back
    db.session.commit()
    assert dict(db.session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all()) == {
        a.id: a.name for a in agencies}
    assert ids_for_new_rows(db.session) is True  # nothing new: nothing to do
