"""Plain rows (core.plain_rows), as the mail fetch's quick pass writes a message's attachments and event: each
table's rows in the order added, the ids of rows written just before read only when they are written."""

from __future__ import annotations

from sqlalchemy import event, select

from tests.helpers import make_agency, make_request
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.core.plain_rows import PlainRows, later_id
from tracker.requests.models import Attachment, Communication, Event
from tracker.requests.services import attachment_row


def _attachment(req, comm, actor, name) -> dict:
    return attachment_row(req, comm, actor, storage_key=f"{len(str(name)):032x}"[:32], sha256="0" * 64, size=1,
                          content_type="application/pdf", original_name=name, uploaded_at=now_utc())


def test_plain_rows_name_rows_written_just_before_and_keep_their_order(db, users):
    reporter = db.session.get(User, users["reporter"])
    req = make_request(reporter.id, make_agency())
    db.session.commit()
    status, request_id, _ = req.status, req.id, reporter.id  # loaded before the communication is added
    comm = Communication(request=req, direction="in", channel="email", occurred_on=today(), subject="Letter",
                         created_at=now_utc())
    db.session.add(comm)
    rows = PlainRows()
    rows.add(Attachment.__table__, _attachment(req, comm, reporter, lambda: f"message-{comm.id}.eml"))
    rows.add(Event.__table__, {"request_id": later_id(req), "actor_id": None, "at": now_utc(), "on": today(),
                               "action": "communication", "from_status": status, "to_status": status,
                               "note": "Received", "data": {"kind": "other"}})
    second = _attachment(req, comm, None, "second.pdf")
    second["storage_key"] = "f" * 32
    rows.add(Attachment.__table__, second)
    assert comm.id is None and len(rows) == 3
    db.session.flush()  # the communication gets its id; the rows read it now
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        rows.write(db.session.connection())
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(rows) == 0
    assert sum(s.startswith("INSERT INTO attachments") for s in statements) == 1  # one statement per table
    db.session.commit()
    written = db.session.execute(select(Attachment.original_name, Attachment.communication_id,
                                        Attachment.request_id, Attachment.uploaded_by_id)
                                 .order_by(Attachment.id)).all()
    assert [tuple(r) for r in written] == [(f"message-{comm.id}.eml", comm.id, request_id, reporter.id),
                                           ("second.pdf", comm.id, request_id, None)]
    events = db.session.scalars(select(Event).where(Event.action == "communication")).all()
    assert [(e.request_id, e.note, e.data) for e in events] == [(request_id, "Received", {"kind": "other"})]
