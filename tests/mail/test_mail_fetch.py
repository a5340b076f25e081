"""Agency mail fetched from a real Dovecot over IMAP, stored once, threaded onto its request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from tests.documents.support import entries_not_indexed_as_their_text
from tests.mail.conftest import corpus_message, corpus_names
from tests.mail.world import build
from tracker.extensions import db
from tracker.mail.fetch import fetch_mail
from tracker.mail.models import IncomingMessage, MailCursor
from tracker.mail.signals import letter_received
from tracker.requests.models import Attachment, Communication

NOW = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def letters():
    got = []

    def receiver(comm, text, trusted):
        got.append((comm.id, text, trusted))

    letter_received.connect(receiver)
    yield got
    letter_received.disconnect(receiver)


def _by_subject():
    return {m.subject: m for m in db.session.scalars(select(IncomingMessage))}


def test_the_corpus_lands_on_its_requests(app, ctx, users, dovecot, clock, letters):
    world = build(users)
    names = corpus_names()
    dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
    result = fetch_mail()
    assert (result.fetched, result.problems) == (len(names), [])
    rows = {m.message_id: m for m in db.session.scalars(select(IncomingMessage))}

    def row(message_id):
        return rows[message_id]

    ack = row("<ack.2026-ICFO-01234@ice.dhs.gov>")
    assert (ack.status, ack.request_id, ack.matched_by, ack.trusted) == ("filed", world.denver, "tag", True)
    comm = ack.communication
    assert (comm.direction, comm.channel, comm.message_id) == ("in", "email", "<ack.2026-ICFO-01234@ice.dhs.gov>")
    assert comm.occurred_on.isoformat() == "2026-11-03" and "2026-ICFO-01234" in comm.body
    assert entries_not_indexed_as_their_text() == []  # the fetch's own Core inserts (PostgreSQL's index columns)
    eml = [a for a in comm.attachments if a.content_type == "message/rfc822"]
    assert len(eml) == 1 and eml[0].storage_key == ack.storage_key

    final = row("<final.2026-ICFO-01234@ice.dhs.gov>")
    names_kept = sorted(a.original_name for a in final.communication.attachments)
    assert names_kept == ["2026-ICFO-01234 Final Response.pdf", f"message-{final.id}.eml"]
    pdf = next(a for a in final.communication.attachments if a.content_type == "application/pdf")
    assert pdf.size > 1000

    scanned = row("<scan.2026-ICFO-00213@ice.dhs.gov>")
    assert scanned.request_id == world.dallas and any("no text layer" in n for n in scanned.notes)
    assert row("<still.2026-ICFO-00881@ice.dhs.gov>").request_id == world.still

    # (a) a reply to a letter we sent, from a contractor's domain: trusted, it answers our own message
    reply = row("<reply-to-ours-1@contractor.example>")
    assert (reply.request_id, reply.matched_by, reply.trusted) == (world.denver, "reply", True)
    # (c) a tracking number, from the agency's domain
    appeal = row("<appeal-ack.A-2026-00417@usdoj.gov>")
    assert (appeal.request_id, appeal.matched_by, appeal.trusted) == (world.appeal, "tracking_number", True)
    # (d) forwards: Gmail inline, Outlook inline, an attached message
    gmail = row("<CAF=gmail-fwd-01234@mail.gmail.com>")
    assert (gmail.request_id, gmail.matched_by, gmail.forwarded, gmail.trusted) == (world.denver, "tracking_number",
                                                                                    True, True)
    assert gmail.from_address == "ice-foia@ice.dhs.gov" and gmail.subject == "ICE FOIA Request 2026-ICFO-01234 Update"
    assert gmail.forwarded_by_id == users["reporter"] and gmail.communication.occurred_on.isoformat() == "2026-11-18"
    assert "Interim release 1.pdf" in [a.original_name for a in gmail.communication.attachments]
    outlook = row("<BY5PR-outlook-fw-881@outlook.com>")
    assert (outlook.request_id, outlook.from_address) == (world.still, "ice-foia@ice.dhs.gov")
    attached = row("<attached-fwd-00057@newsroom.example>")
    assert attached.request_id == world.kallas and attached.subject == "Interim release 2026-ICFO-00057"
    assert "interim.pdf" in [a.original_name for a in attached.communication.attachments]
    # HTML only: the text is read from the HTML; the HTML is kept for the sanitised view
    portal = row("<portal-update-01234@securerelease.dhs.gov>")
    assert portal.trusted and "Log in to view" in portal.body_text and "<script>" in portal.body_html
    assert "alert(" not in portal.body_text
    # the spoofed sender is filed but unverified, and nothing may be proposed from it
    spoof = row("<spoof-1@mailer.example>")
    assert (spoof.status, spoof.request_id, spoof.trusted) == ("filed", world.denver, False)
    assert any("DMARC" in n for n in spoof.notes)
    # no match: the state letter and the newsletter wait in Unsorted mail
    assert row("<pir-26-04512@dps.texas.gov>").status == "unsorted"
    newsletter = row("<weekly-2026-48@foiaweekly.example>")
    assert newsletter.status == "unsorted" and any("mailing list" in n for n in newsletter.notes)

    # letter_received: once per filed message, with the PDF's text, trusted as computed
    filed = [m for m in rows.values() if m.status == "filed"]
    assert sorted(c for c, _, _ in letters) == sorted(m.communication_id for m in filed)
    by_comm = {c: (text, trusted) for c, text, trusted in letters}
    assert "24 pages are withheld in full" in by_comm[final.communication_id][0]
    assert by_comm[spoof.communication_id][1] is False and by_comm[ack.communication_id][1] is True

    # every message is flagged on the server, after its commit
    assert dovecot.uids(criterion="UNSEEN") == []


def test_refetch_and_reset_cursor_store_nothing_twice(app, ctx, users, dovecot, clock):
    world = build(users)
    dovecot.append(*[corpus_message(n, world.token_for(n)) for n in corpus_names()[:6]])
    assert fetch_mail().fetched == 6
    assert fetch_mail().fetched == 0
    db.session.execute(MailCursor.__table__.delete())  # as if the cursor were lost: everything is read again
    db.session.commit()
    again = fetch_mail()
    assert (again.fetched, again.duplicates) == (0, 6)
    assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == 6
    filed = db.session.scalar(select(db.func.count(IncomingMessage.id)).where(IncomingMessage.status == "filed"))
    assert db.session.scalar(select(db.func.count(Communication.id)).where(Communication.direction == "in")) == filed


def test_a_crash_mid_fetch_loses_nothing_and_doubles_nothing(app, ctx, users, dovecot, clock, monkeypatch):
    world = build(users)
    names = corpus_names()
    dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
    from tracker.mail import services

    real_route = services.route
    calls = {"n": 0}

    def crashing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the process dies in the middle of the fourth message
        return real_route(*args, **kwargs)

    monkeypatch.setattr(services, "route", crashing)
    monkeypatch.setitem(app.config, "TRACKER_IMAP_BATCH", 3)  # a commit every three messages
    monkeypatch.setitem(app.config, "TRACKER_MAIL_BATCH", 2)  # the reminder sender's: not the fetch's
    with pytest.raises(KeyboardInterrupt):
        fetch_mail()
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == 3
    # nothing uncommitted is flagged on the server (flags follow the commits, a batch at a time)
    assert set(dovecot.uids()[3:]) <= set(dovecot.uids(criterion="UNSEEN"))
    monkeypatch.setattr(services, "route", real_route)
    result = fetch_mail()
    assert result.fetched == len(names) - 3
    assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == len(names)
    keys = db.session.scalars(select(IncomingMessage.message_id)).all()
    assert len(keys) == len(set(keys))


def test_two_fetchers_at_once(app, users, dovecot, clock):
    import threading

    with app.app_context():
        world = build(users)
    names = corpus_names()
    dovecot.append(*[corpus_message(n, world.token_for(n)) for n in names])
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(fetch_mail())
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(db.func.count(IncomingMessage.id))) == len(names)
        comms = db.session.scalars(select(Communication.message_id).where(Communication.direction == "in")).all()
        assert len(comms) == len(set(comms))
        eml = db.session.scalar(select(db.func.count(Attachment.id)).where(Attachment.content_type == "message/rfc822"))
        assert eml == len(comms)
    assert sum(r.fetched for r in results) == len(names)


def test_no_mailbox_means_nothing_fetched(app, ctx):
    saved = app.config.get("TRACKER_IMAP_HOST")
    app.config["TRACKER_IMAP_HOST"] = ""
    try:
        result = fetch_mail()
        assert not result.configured and "TRACKER_IMAP_HOST is empty" in result.summary
        out = app.test_cli_runner().invoke(args=["fetch-mail"])
        assert out.exit_code == 0 and "No mailbox is set up" in out.output
    finally:
        app.config["TRACKER_IMAP_HOST"] = saved


def test_fetch_mail_command_and_job(app, ctx, users, dovecot, clock):
    world = build(users)
    dovecot.append(corpus_message("ice_acknowledgment", world.tokens[world.denver]),
                   corpus_message("newsletter"))
    out = app.test_cli_runner().invoke(args=["fetch-mail"])
    assert out.exit_code == 0, out.output
    assert "Fetched 2 new message(s): 1 filed on a request, 1 in Unsorted mail." in out.output
    from tracker.jobs.registry import jobs

    job = {j.id: j for j in jobs(app)}["mail.fetch"]
    assert job.trigger == "interval"
    assert job.func() == "Fetched 0 new message(s): 0 filed on a request, 0 in Unsorted mail."
