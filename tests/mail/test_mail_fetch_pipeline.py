"""The fetch reads its next batch (fetched, parsed, its PDFs asked of the text reader) before it writes the
current one, so the PDF reader works while the database is written; and a batch's rows go in one statement
per table, on SQLite too (core.ids_ahead). Neither may cost a guarantee: what one batch stored is committed
and flagged even when the server fails on the next one."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import event, select

from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.documents.quick_text import QuickText
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.imap import Mailbox, MailboxError
from tracker.mail.models import IncomingMessage
from tracker.requests.models import Attachment, Event

DEC_5 = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
NAMES = ("ice_acknowledgment", "ice_final_response_pdf", "ice_no_records", "ice_extension", "ice_fee_letter")


def test_a_batch_writes_each_table_in_one_statement(app, ctx, users, dovecot):
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in NAMES])
        before = set(db.session.scalars(select(Event.id)))
        seen: list[str] = []

        def note(conn, cursor, statement, params, context, executemany):
            seen.append(" ".join(statement.split()))

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            result = fetch_mail()
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    assert (result.fetched, result.filed, result.problems) == (5, 5, [])
    for table in ("incoming_messages", "communications", "attachments", "events", "proposals"):
        assert sum(s.startswith(f"INSERT INTO {table} ") for s in seen) == 1, table
    if db.engine.dialect.name == "sqlite":  # ids given ahead: each .eml named before it is written
        assert not [s for s in seen if s.startswith("UPDATE attachments")]
    # the ids follow the order the rows were made in, after those stored before
    events = db.session.scalars(select(Event).where(Event.id.not_in(before)).order_by(Event.id)).all()
    assert [e.id for e in events] == sorted(e.id for e in events) and min(e.id for e in events) > max(before)
    messages = db.session.scalars(select(IncomingMessage).order_by(IncomingMessage.id)).all()
    assert [m.uid for m in messages] == sorted(m.uid for m in messages)
    emls = {a.original_name for a in db.session.scalars(select(Attachment).where(
        Attachment.content_type == "message/rfc822"))}
    assert emls == {f"message-{m.id}.eml" for m in messages}


def test_the_requests_a_batch_files_on_are_left_with_nothing_to_flush(app, ctx, users, dovecot):
    """Their collections gained the batch's rows (written without the unit of work, mail.rows): expired, the
    requests have nothing else to write, so no flush after the batch's rows works through them."""
    from sqlalchemy.orm import Session

    from tracker.requests.models import RecordsRequest

    dirty_at_flushes: list[int] = []

    def note(session, _context, _instances):
        dirty_at_flushes.append(sum(isinstance(obj, RecordsRequest) for obj in session.dirty))

    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in NAMES])
        event.listen(Session, "before_flush", note)
        try:
            result = fetch_mail()
        finally:
            event.remove(Session, "before_flush", note)
    assert (result.fetched, result.filed, result.problems) == (5, 5, [])
    assert db.session.scalar(select(db.func.count(Attachment.id)).where(
        Attachment.content_type == "message/rfc822")) == 5  # all filed, and read back from the database
    assert dirty_at_flushes and not any(dirty_at_flushes)


def test_the_next_batch_is_read_while_this_one_is_written(app, ctx, users, dovecot, monkeypatch):
    from tracker.mail import fetch

    asked: list[int] = []
    real_submit = QuickText.submit
    monkeypatch.setattr(QuickText, "submit", lambda self, data: asked.append(len(data)) or real_submit(self, data))
    asked_at_commits: list[int] = []
    real_commit = fetch._commit_batch

    def commit(*args, **kwargs):
        asked_at_commits.append(len(asked))
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(fetch, "_commit_batch", commit)
    monkeypatch.setitem(app.config, "TRACKER_IMAP_BATCH", 1)
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        pdf = corpus_message("ice_final_response_pdf", world.token_for("ice_final_response_pdf"))
        dovecot.append(pdf, pdf.replace(b"Message-ID: <", b"Message-ID: <again-"))
        result = fetch_mail()
    assert (result.fetched, result.problems) == (2, [])
    # the second message's PDF was asked for before the first message was committed
    assert asked_at_commits == [2, 2]


def test_a_server_failure_on_the_next_batch_keeps_this_one(app, ctx, users, dovecot, monkeypatch):
    real_fetch = Mailbox.fetch
    calls = {"n": 0}

    def failing(self, uids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise MailboxError("The IMAP server dropped the connection.")
        return real_fetch(self, uids)

    monkeypatch.setattr(Mailbox, "fetch", failing)
    monkeypatch.setitem(app.config, "TRACKER_IMAP_BATCH", 2)
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in NAMES])
        result = fetch_mail()
        db.session.rollback()
        assert result.fetched == 2 and "dropped the connection" in " ".join(result.problems)
        assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == 2
        uids = dovecot.uids()
        assert set(dovecot.uids(criterion="UNSEEN")) == set(uids[2:])  # the first batch is flagged, not the rest
        monkeypatch.setattr(Mailbox, "fetch", real_fetch)
        assert fetch_mail().fetched == 3
    assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == 5


def test_the_fetch_leaves_the_apps_objects_out_of_its_garbage_collections(app, ctx, users, dovecot, monkeypatch):
    import gc

    from tracker.mail import services

    frozen_while_filing: list[int] = []
    real_route = services.route

    def route(*args, **kwargs):
        frozen_while_filing.append(gc.get_freeze_count())
        return real_route(*args, **kwargs)

    monkeypatch.setattr(services, "route", route)
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in NAMES[:2]])
        assert fetch_mail().fetched == 2
    assert len(frozen_while_filing) == 2 and min(frozen_while_filing) > 0  # core.frozen_heap
    assert gc.get_freeze_count() == 0  # and all put back after it


def test_an_html_only_message_is_turned_into_text_once(app, ctx, users, dovecot, monkeypatch):
    from tracker.mail import parse

    made: list[str] = []
    real = parse.html_to_text
    monkeypatch.setattr(parse, "html_to_text", lambda html: made.append(html) or real(html))
    with time_machine.travel(DEC_5, tick=True):
        world = build(users)
        dovecot.append(corpus_message("html_only", world.token_for("html_only")))
        result = fetch_mail()
    assert (result.fetched, result.filed, result.problems) == (1, 1, [])
    stored = db.session.scalar(select(IncomingMessage))
    assert stored.body_text and "<" not in stored.body_text  # its text, read from the HTML
    assert len(made) == 1
