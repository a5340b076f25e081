"""The fetch saves a batch's files (each raw message, each attachment it files) in a writer thread while the batch
before is written to the database (mail.saving); each file is saved once, and the files no row came to name
(a duplicate's .eml, the attachments of a message left in Unsorted mail) are deleted with their batch."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import time_machine
from sqlalchemy import event, select

from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.core.storage import DirectoryStorage
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage
from tracker.requests.models import Attachment

DEC_5 = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def _files(app) -> set[str]:
    return {p.name for p in Path(app.config["TRACKER_UPLOAD_DIR"]).rglob("*") if p.is_file()}


def _kept() -> set[str]:
    return set(db.session.scalars(select(Attachment.storage_key))) | set(
        db.session.scalars(select(IncomingMessage.storage_key)))


def test_each_file_is_saved_once_by_the_writer_thread(app, ctx, users, dovecot, monkeypatch):
    saved_by: list[str] = []
    real_save = DirectoryStorage.save

    def save(self, stream):
        saved_by.append(threading.current_thread().name)
        return real_save(self, stream)

    monkeypatch.setattr(DirectoryStorage, "save", save)
    monkeypatch.setitem(app.config, "TRACKER_MAIL_BATCH", 2)  # three batches: each saved ahead of its turn
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        names = ("ice_acknowledgment", "ice_final_response_pdf", "ice_no_records", "ice_extension", "ice_fee_letter")
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
        before = _files(app)
        result = fetch_mail()
    assert (result.fetched, result.filed, result.problems) == (5, 5, [])
    kept = _kept()
    assert _files(app) - before == kept
    assert len(saved_by) == len(kept)  # no file saved twice
    assert set(saved_by) == {"mail-files_0"}  # every one in the writer thread, none in the fetch's own


def test_files_saved_ahead_that_nothing_stores_are_deleted(app, ctx, users, dovecot):
    stray = EmailMessage()
    stray["From"] = "someone@elsewhere.example"
    stray["To"] = "foia@newsroom.example"
    stray["Subject"] = "A letter for nobody"
    stray["Message-ID"] = "<stray-with-a-pdf@elsewhere.example>"
    stray.set_content("Nothing here names a request.")
    stray.add_attachment(b"%PDF-1.4\n% not much of a PDF\n", maintype="application", subtype="pdf",
                         filename="letter.pdf")
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        ack = corpus_message("ice_acknowledgment", world.token_for("ice_acknowledgment"))
        dovecot.append(ack, stray.as_bytes(), ack)  # the second copy of the letter is a duplicate
        before = _files(app)
        result = fetch_mail()
    assert (result.fetched, result.filed, result.unsorted, result.duplicates) == (2, 1, 1, 1)
    # the unsorted message keeps its .eml only; its PDF and the duplicate's .eml, saved ahead, are gone
    emls = set(db.session.scalars(select(IncomingMessage.storage_key)))
    assert len(emls) == 2
    assert _files(app) - before == _kept() == emls


def test_no_eml_is_renamed_after_the_flush_on_either_database(app, ctx, users, dovecot):
    seen: list[str] = []

    def note(conn, cursor, statement, params, context, executemany):
        seen.append(" ".join(statement.split()))

    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in ("ice_acknowledgment", "ice_no_records")])
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            result = fetch_mail()
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    assert (result.fetched, result.problems) == (2, [])
    assert not [s for s in seen if s.startswith("UPDATE attachments")]
    messages = db.session.scalars(select(IncomingMessage)).all()
    emls = {a.original_name for a in db.session.scalars(select(Attachment).where(
        Attachment.content_type == "message/rfc822"))}
    assert emls == {f"message-{m.id}.eml" for m in messages}


def test_the_writer_thread_is_given_each_message_then_its_attachments(app, ctx):
    """The files go to the writer thread in the order the batch is stored (a message's .eml, then its
    attachments, then the next message's), so storing the first message does not wait for every other raw
    message of the batch to be saved first."""
    from tracker.mail.services import start_many

    def message(n: int) -> bytes:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "foia@ice.dhs.gov", "foia@newsroom.example", f"Letter {n}"
        msg["Message-ID"] = f"<order-{n}@ice.dhs.gov>"
        msg.set_content(f"Letter {n}")
        msg.add_attachment(f"notes {n}".encode(), maintype="application", subtype="octet-stream",
                           filename=f"notes-{n}.bin")
        return msg.as_bytes()

    raws = {1: message(1), 2: message(2)}
    given: list[bytes] = []
    start_many(raws, folder="INBOX", max_attachment=1 << 20, save_ahead=given.append)()
    assert given == [raws[1], b"notes 1", raws[2], b"notes 2"]
