"""The fetch writes a batch quickly, without savepoints; when anything in it fails, the batch is rolled back
(its files too) and written again message by message, so one message's failure is a note on that message
and the others are stored and read as usual."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import time_machine
from sqlalchemy import delete, func, select

from tests.mail.conftest import corpus_message
from tests.mail.world import build
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage
from tracker.mail.proposal_models import Proposal
from tracker.mail.signals import letter_received
from tracker.requests.models import Attachment


def test_a_failing_reader_costs_one_note_and_leaves_no_stray_file(app, ctx, users, dovecot):
    calls = []

    def fussy(comm, text, trusted):
        calls.append(comm.subject)
        if "still interested" in text.lower():
            raise RuntimeError("this reader cannot cope")

    letter_received.connect(fussy)
    try:
        with time_machine.travel(datetime(2026, 12, 5, 15, 0, tzinfo=UTC), tick=True):
            world = build(users)
            names = ("ice_acknowledgment", "ice_still_interested", "ice_final_response_pdf")
            dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
            before = _files(app)
            result = fetch_mail()
    finally:
        letter_received.disconnect(fussy)
    assert (result.fetched, result.filed, result.problems) == (3, 3, [])
    assert len(calls) > 3  # the quick pass stopped at the failure; the careful pass read every letter again
    rows = {m.request_id: m for m in db.session.scalars(select(IncomingMessage))}
    assert any("could not be read for proposals" in n for n in rows[world.still].notes)
    assert not any("could not be read" in n for n in rows[world.denver].notes)
    kinds = set(db.session.scalars(select(Proposal.kind).where(Proposal.request_id == world.denver)))
    assert {"acknowledgment", "determination"} <= kinds  # the other letters proposed as usual

    kept = {m.storage_key for m in rows.values()} | set(db.session.scalars(select(Attachment.storage_key)))
    assert _files(app) - before == kept  # the quick pass's files were removed with its rollback


def _files(app) -> set[str]:
    return {p.name for p in Path(app.config["TRACKER_UPLOAD_DIR"]).rglob("*") if p.is_file()}


def test_the_same_message_twice_in_one_batch_is_stored_once(app, ctx, users, dovecot):
    with time_machine.travel(datetime(2026, 12, 5, 15, 0, tzinfo=UTC), tick=True):
        world = build(users)
        raw = corpus_message("ice_acknowledgment", world.token_for("ice_acknowledgment"))
        dovecot.append(raw, raw)  # a server that delivered it twice; one fetch batch reads both
        before = _files(app)
        result = fetch_mail()
        assert (result.fetched, result.duplicates, result.problems) == (1, 1, [])
        assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == 1
        assert len(db.session.scalars(select(Proposal).where(Proposal.request_id == world.denver)).all()) == 1
        kept = set(db.session.scalars(select(Attachment.storage_key))) | {
            m.storage_key for m in db.session.scalars(select(IncomingMessage))}
        assert _files(app) - before == kept
        assert fetch_mail().fetched == 0


# The tables the fetch writes, children first; the columns that name rows by their ids are read by what the rows
# are (a request by its title, a user by their email, a message or a letter by its Message-ID).
TIMES = ("fetched_at", "created_at", "uploaded_at", "at", "next_attempt_at")  # when the fetch ran
WRITTEN = ("outbox_messages", "proposals", "search_entries", "audit_entries", "attachments", "incoming_messages",
           "communications", "events")


def _rows_written(before: dict[str, int]) -> dict[str, list]:
    """What the fetch wrote since `before` (each table's largest id then), with no id in it."""
    def names(query: str) -> dict:
        return dict(db.session.execute(db.text(query)).all())

    by_id = {"request_id": names("SELECT id, title FROM requests"), "user_id": names("SELECT id, email FROM users"),
             "communication_id": names("SELECT id, COALESCE(message_id, subject) FROM communications"),
             "event_id": names("SELECT id, action || ':' || note FROM events")}
    emls = names("SELECT 'message-' || id || '.eml', message_id FROM incoming_messages")
    out = {}
    for table in WRITTEN:
        rows = []
        rows_of = db.metadata.tables[table]
        for row in db.session.execute(select(rows_of).where(rows_of.c.id > before[table])).mappings():
            kept = {}
            for key, value in row.items():
                if key in ("id", "storage_key") or key in TIMES:
                    continue
                kept[key] = by_id.get(key, {}).get(value, value) if key.endswith("_id") else value
            if "original_name" in kept:
                kept["original_name"] = emls.get(kept["original_name"], kept["original_name"])
            if table == "outbox_messages":
                kind, comm, user = kept["key"].split(":")
                kept["key"] = (kind, by_id["communication_id"][int(comm)], by_id["user_id"][int(user)])
                del kept["message_id"]  # made from the key, with the letter's id in it
            rows.append(sorted(kept.items(), key=lambda item: item[0]))
        out[table] = sorted(rows, key=repr)
    return out


def test_the_quick_pass_writes_what_the_careful_pass_writes(app, ctx, users, dovecot, monkeypatch):
    """The quick pass writes its rows without the unit of work (mail.rows), the careful pass through it. The
    same messages fetched each way leave the same rows: filed, threaded, proposed, told, audited, indexed."""
    from tests.mail.conftest import corpus_names
    from tracker.mail import fetch

    with time_machine.travel(datetime(2026, 12, 5, 15, 0, tzinfo=UTC), tick=True):
        world = build(users)
        dovecot.append(*[corpus_message(n, world.token_for(n)) for n in corpus_names()])
        before = _largest()
        quick = fetch_mail()
        written = _rows_written(before)
        for table in WRITTEN:  # forget them, and fetch the same messages again, every batch carefully
            rows_of = db.metadata.tables[table]
            db.session.execute(delete(rows_of).where(rows_of.c.id > before[table]))
        db.session.execute(db.text("DELETE FROM mail_cursors"))
        db.session.commit()

        class Careful(fetch.QuickBatch):
            def finish(self, flush):
                raise RuntimeError("the careful pass, please")

        monkeypatch.setattr(fetch, "QuickBatch", Careful)
        again = _largest()
        careful = fetch_mail()
    assert (careful.fetched, careful.filed, careful.unsorted) == (quick.fetched, quick.filed, quick.unsorted)
    assert quick.filed > 10 and quick.unsorted > 0
    assert {table: len(rows) for table, rows in written.items()} == {
        table: len(rows) for table, rows in _rows_written(again).items()}
    assert _rows_written(again) == written


def _largest() -> dict[str, int]:
    tables = db.metadata.tables
    return {t: db.session.scalar(select(func.coalesce(func.max(tables[t].c.id), 0))) for t in WRITTEN}
