"""The fetch writes a batch quickly, without savepoints; when anything in it fails, the batch is rolled back
(its files too) and written again message by message, so one message's failure is a note on that message
and the others are stored and read as usual."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import time_machine
from sqlalchemy import select

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
