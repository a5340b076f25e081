"""The outbox protocol step by step, on a real SMTP server (aiosmtpd): what a claim takes, what a mark records,
which stale rows come back, what one failure in a batch does to the rest, and how far one delivery goes."""

from __future__ import annotations

import os
import smtplib
import socket
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tests.conftest import FROZEN
from tests.reminders.reminders_support import Handler, SmtpRecorder, free_port
from tracker.core import mail as outbox
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders import delivery

NOW = FROZEN
TAKEN_BACK = "Taken back from a sender that stopped before it could record the result."


def _queue(key: str, *, due=NOW, user_id: int | None = None, to: str = "reporter@test.example",
           subject: str = "Due") -> int:
    return outbox.queue(key=key, to_address=to, subject=subject, text_body="Due.", html_body="<p>Due.</p>",
                        now=due, user_id=user_id)


def _row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


@pytest.fixture
def fresh(app, frozen):
    """An app context with the clock frozen at NOW and the mail settings restored afterwards."""
    saved = dict(app.config)
    with app.app_context():
        yield app.config
        db.session.remove()
    app.config.clear()
    app.config.update(saved)


# --- claim ----------------------------------------------------------------------------------------------------

def test_a_claim_takes_the_longest_waiting_due_mail_first_and_stamps_its_lease(fresh):
    late = _queue("late", due=NOW + timedelta(seconds=1))  # not due yet
    on_time = _queue("on-time", due=NOW)  # due this very instant
    second = _queue("second", due=NOW - timedelta(minutes=1))
    first = _queue("first", due=NOW - timedelta(minutes=10))
    db.session.commit()

    assert delivery.claim(NOW, 2) == sorted([first, second])
    db.session.commit()
    for message_id in (first, second):
        row = _row(message_id)
        assert (row.status, row.claimed_by) == ("sending", delivery.claim_token())
        assert row.lease_until == NOW + timedelta(seconds=fresh["TRACKER_MAIL_LEASE_SECONDS"])
    assert (_row(on_time).status, _row(on_time).claimed_by, _row(on_time).lease_until) == ("pending", "", None)

    assert delivery.claim(NOW, 5) == [on_time]  # the one due at NOW; the one due a second later waits
    db.session.commit()
    assert _row(late).status == "pending"
    assert delivery.claim(NOW, 5) == []


def test_mails_due_at_the_same_instant_are_claimed_in_the_order_they_were_queued(fresh):
    ids = [_queue(f"tie-{i}") for i in range(3)]  # all due at NOW
    db.session.commit()
    # Created the other way round: on SQLite the rows are read through the (status, created_at) index, so without
    # the id as tie-break the newest id would come first.
    for age, message_id in enumerate(ids):
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                           .values(created_at=NOW - timedelta(minutes=age)))
    db.session.commit()
    assert [delivery.claim(NOW, 1) for _ in ids] == [[message_id] for message_id in ids]


def test_a_row_another_sender_claims_between_the_read_and_the_claim_stays_its(fresh):
    """On SQLite the claim's SELECT takes no lock: another sender may claim a row between it and the UPDATE,
    which must then leave that row alone. The other claim is made from another connection, committed, just
    before the UPDATE reaches the database."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the SELECT locks its rows (FOR UPDATE): the other sender would wait for them")
    theirs, ours = _queue("theirs", due=NOW - timedelta(minutes=1)), _queue("ours")
    db.session.commit()
    claimed = []

    def claim_it_first(conn, cursor, statement, parameters, context, executemany):
        if not claimed and statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGES"):
            claimed.append(True)
            with db.engine.begin() as other:
                other.execute(update(OutboxMessage.__table__).where(OutboxMessage.id == theirs)
                              .values(status="sending", claimed_by="elsewhere.example:1:beef", lease_until=NOW))

    event.listen(db.engine, "before_cursor_execute", claim_it_first)
    try:
        assert delivery.claim(NOW, 5) == [ours]
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", claim_it_first)
    assert claimed, "the claim wrote nothing"
    assert (_row(theirs).status, _row(theirs).claimed_by) == ("sending", "elsewhere.example:1:beef")
    assert (_row(ours).status, _row(ours).claimed_by) == ("sending", delivery.claim_token())


def test_on_postgresql_a_claim_skips_the_rows_another_sender_has_locked():
    """What the claim asks PostgreSQL for, compiled here on any database (test_reminders_postgres.py runs two
    senders against a real PostgreSQL); SQLite has no row locks, so it asks for none."""
    on_postgres = delivery.due_query(NOW, 3, postgresql.dialect())
    assert str(on_postgres.compile(dialect=postgresql.dialect())).endswith("FOR UPDATE SKIP LOCKED")
    on_sqlite = delivery.due_query(NOW, 3, sqlite.dialect())
    assert "FOR UPDATE" not in str(on_sqlite.compile(dialect=postgresql.dialect()))


def test_the_lease_length_is_a_setting(fresh):
    fresh["TRACKER_MAIL_LEASE_SECONDS"] = 42
    message = _queue("one")
    db.session.commit()
    delivery.claim(NOW, 1)
    db.session.commit()
    assert _row(message).lease_until == NOW + timedelta(seconds=42)


# --- taking back --------------------------------------------------------------------------------------------

def test_only_sending_rows_whose_lease_ran_out_are_taken_back(fresh):
    ids = {name: _queue(name) for name in ("expired", "on-the-edge", "held", "sent-long-ago")}
    db.session.commit()
    leases = {"expired": NOW - timedelta(seconds=1), "on-the-edge": NOW, "held": NOW + timedelta(minutes=5),
              "sent-long-ago": NOW - timedelta(hours=1)}
    for name, message_id in ids.items():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="sent" if name == "sent-long-ago" else "sending", lease_until=leases[name],
            claimed_by="elsewhere.example:1:beef", next_attempt_at=NOW - timedelta(hours=2), last_error="old"))
    db.session.commit()

    assert delivery.release_stale(NOW) == 1
    db.session.commit()
    back = _row(ids["expired"])
    assert (back.status, back.next_attempt_at, back.lease_until, back.claimed_by, back.last_error) == \
        ("pending", NOW, None, "", TAKEN_BACK)
    assert _row(ids["on-the-edge"]).status == "sending"  # a lease ending this instant has not run out yet
    assert _row(ids["held"]).status == "sending"
    kept = _row(ids["sent-long-ago"])
    assert (kept.status, kept.claimed_by, kept.last_error) == ("sent", "elsewhere.example:1:beef", "old")


def test_a_row_marked_sent_between_the_read_and_the_take_back_stays_sent(fresh):
    """The race release_stale's UPDATE guards against: a slow sender on another host, whose lease ran out,
    marks its row sent after release_stale read it as stale and before it writes. The mark is made from another
    connection, committed, just before the take-back's UPDATE reaches the database."""
    slow, dead = _queue("slow"), _queue("dead")
    db.session.commit()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == slow).values(
        status="sending", claimed_by="elsewhere.example:1:beef", lease_until=NOW - timedelta(seconds=1)))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == dead).values(
        status="sending", claimed_by=f"{socket.gethostname()}:{os.getpid()}:00000000", lease_until=NOW))
    db.session.commit()

    marked = []

    def mark_sent_first(conn, cursor, statement, parameters, context, executemany):
        if not marked and statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGES") \
                and TAKEN_BACK in str(parameters):
            marked.append(True)
            with db.engine.begin() as other:
                other.execute(update(OutboxMessage.__table__).where(OutboxMessage.id == slow)
                              .values(status="sent", claimed_by="", lease_until=None, sent_at=NOW))

    event.listen(db.engine, "before_cursor_execute", mark_sent_first)
    try:
        assert delivery.release_stale(NOW) == 1  # only the dead sender's row was taken back
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", mark_sent_first)
    assert marked, "release_stale wrote nothing"
    assert (_row(slow).status, _row(slow).sent_at, _row(slow).last_error) == ("sent", NOW, "")
    assert (_row(dead).status, _row(dead).last_error) == ("pending", TAKEN_BACK)


def test_a_delivery_reports_what_it_took_back(fresh, mail):
    message = _queue("stale")
    db.session.commit()
    db.session.execute(update(OutboxMessage).values(status="sending", claimed_by="elsewhere.example:1:beef",
                                                    lease_until=NOW - timedelta(seconds=1)))
    db.session.commit()
    report = delivery.deliver()
    assert (report.released, report.sent) == (1, 1)
    assert _row(message).status == "sent"


# --- marks ----------------------------------------------------------------------------------------------------

def test_a_sent_mail_is_marked_with_its_time_and_attempt_and_let_go(fresh, mail):
    fresh["TRACKER_MAIL_FROM"] = "records@newsroom.example"
    message = _queue("one")
    db.session.commit()
    db.session.execute(update(OutboxMessage).values(attempts=2, last_error="451 4.3.0 Try again later"))
    db.session.commit()

    report = delivery.deliver()

    row = _row(message)
    assert (row.status, row.sent_at, row.attempts, row.last_error, row.claimed_by, row.lease_until) == \
        ("sent", NOW, 3, "", "", None)
    assert (report.sent, report.retried, report.failed, report.errors) == (1, 0, 0, [])
    assert mail.envelopes == [("records@newsroom.example", ["reporter@test.example"])]


def test_a_temporary_refusal_is_retried_after_the_back_off_and_let_go(fresh, mail):
    mail.reply = "451 4.3.0 Mailbox busy"
    message = _queue("one")
    db.session.commit()
    report = delivery.deliver()
    row = _row(message)
    assert (row.status, row.attempts, row.last_error, row.claimed_by, row.lease_until, row.next_attempt_at) == \
        ("pending", 1, "451 4.3.0 Mailbox busy", "", None, NOW + timedelta(seconds=60))
    assert (report.sent, report.retried, report.failed, report.errors) == (0, 1, 0, ["451 4.3.0 Mailbox busy"])


@pytest.mark.parametrize("attempts_before,status", [(2, "pending"), (3, "failed")])
def test_the_last_allowed_attempt_fails_for_good(fresh, mail, attempts_before, status):
    """TRACKER_MAIL_MAX_ATTEMPTS is 4 in the `mail` fixture: the fourth failure is final, the third is not."""
    mail.reply = "451 4.3.0 Mailbox busy"
    message = _queue("one")
    db.session.commit()
    db.session.execute(update(OutboxMessage).values(attempts=attempts_before))
    db.session.commit()
    report = delivery.deliver()
    row = _row(message)
    assert (row.status, row.attempts, row.claimed_by) == (status, attempts_before + 1, "")
    assert (report.retried, report.failed) == ((1, 0) if status == "pending" else (0, 1))


@pytest.mark.parametrize("exc,answer,status", [
    (RuntimeError("x" * 3000), "RuntimeError: " + "x" * 3000, "pending"),
    (smtplib.SMTPDataError(554, "x" * 3000), "554 " + "x" * 3000, "failed"),
])
def test_a_long_answer_is_kept_to_two_thousand_characters(fresh, exc, answer, status):
    message = _queue("one")
    db.session.commit()
    delivery.claim(NOW, 1)
    db.session.commit()
    report = delivery.DeliveryReport()
    delivery._failed_attempt(_row(message), exc, report)
    row = _row(message)
    assert (row.status, row.last_error) == (status, answer[:2000])
    assert report.errors == [answer]  # the report keeps it whole


# --- one failure in a batch does not stop the rest --------------------------------------------------------

class RefuseSome(Handler):
    """Refuses DATA for mails whose subject says so; takes the rest."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if b"Subject: refuse" in envelope.content:
            return "554 5.7.1 Rejected"
        return await super().handle_DATA(server, session, envelope)


class RefuseSender(Handler):
    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        return "553 5.7.1 Sender address rejected"


@pytest.fixture
def server(app):
    """An SMTP recorder with a handler chosen by the test, and the app pointed at it."""
    started = []

    def start(handler_class):
        recorder = SmtpRecorder()
        recorder.handler = handler_class(recorder)
        recorder.start()
        started.append(recorder)
        app.config.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=recorder.port,
                          TRACKER_MAIL_RETRY_SECONDS=60, TRACKER_MAIL_MAX_ATTEMPTS=4, TRACKER_SMTP_TIMEOUT=5)
        return recorder

    yield start
    for recorder in started:
        recorder.stop()


def test_a_permanent_refusal_fails_that_mail_and_the_next_one_still_goes(fresh, server):
    recorder = server(RefuseSome)
    refused = _queue("a", subject="refuse this")
    taken = _queue("b", subject="take this")
    also_refused = _queue("c", subject="refuse this too")
    db.session.commit()
    report = delivery.deliver()
    for message_id in (refused, also_refused):
        assert (_row(message_id).status, _row(message_id).attempts, _row(message_id).last_error) == \
            ("failed", 1, "554 5.7.1 Rejected")
    assert _row(taken).status == "sent"
    assert [m["Subject"] for m in recorder.messages] == ["take this"]
    assert (report.sent, report.failed, report.retried) == (1, 2, 0)


def test_a_refused_sender_is_not_blamed_on_the_mail(fresh, server):
    """A 5xx answer to MAIL FROM is about our address or login: every mail is retried, none fails."""
    server(RefuseSender)
    ids = [_queue("a"), _queue("b")]
    db.session.commit()
    report = delivery.deliver()
    for message_id in ids:
        row = _row(message_id)
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.last_error.startswith("553 5.7.1 Sender address rejected")
    assert (report.sent, report.failed, report.retried) == (0, 0, 2)


def test_mail_to_a_deactivated_account_fails_and_the_rest_of_the_batch_goes(fresh, mail, users):
    blocked = _queue("a", user_id=users["inactive"], to="inactive@test.example")
    named = _queue("b", user_id=users["reporter"])
    bare = _queue("c", to="desk@newsroom.example")
    blocked_again = _queue("d", user_id=users["inactive"], to="inactive@test.example")
    db.session.commit()
    report = delivery.deliver()
    for message_id in (blocked, blocked_again):
        row = _row(message_id)
        assert (row.status, row.attempts, row.claimed_by, row.last_error) == \
            ("failed", 0, "", "Not sent: the recipient's account is deactivated.")
    assert _row(named).status == "sent" and _row(bare).status == "sent"
    assert [m["To"] for m in mail.messages] == ["Reporter <reporter@test.example>", "desk@newsroom.example"]
    assert (report.sent, report.failed) == (2, 2)


class HangUpOnce(Handler):
    """Answers 421 and hangs up at the first mail whose subject says so; `then` runs at that moment."""

    then = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if b"Subject: hang up" in envelope.content:
            if self.then:
                self.then()
            return "421 4.3.2 Closing connection"
        return await super().handle_DATA(server, session, envelope)


def test_after_the_server_hangs_up_the_sender_reconnects_for_the_rest(fresh, server):
    recorder = server(HangUpOnce)
    first = _queue("a", subject="hang up")
    second = _queue("b", subject="second")  # meets the closed connection
    third = _queue("c", subject="third")
    db.session.commit()
    report = delivery.deliver()
    assert (_row(first).status, _row(first).last_error) == ("pending", "421 4.3.2 Closing connection")
    assert _row(second).status == "pending"
    assert _row(second).last_error.startswith("The mail server closed the connection")
    assert _row(third).status == "sent"
    assert [m["Subject"] for m in recorder.messages] == ["third"]
    assert (report.sent, report.retried, report.failed) == (1, 2, 0)


def test_when_reconnecting_fails_the_rest_of_the_batch_waits_for_the_next_round(fresh, server):
    recorder = server(HangUpOnce)
    closed_port = free_port()
    recorder.handler.then = lambda: fresh.update(TRACKER_SMTP_PORT=closed_port)  # the server moves away
    first = _queue("a", subject="hang up")
    second = _queue("b", subject="second")
    third = _queue("c", subject="third")
    db.session.commit()
    report = delivery.deliver()
    rows = [_row(i) for i in (first, second, third)]
    assert [(r.status, r.attempts, r.claimed_by) for r in rows] == [("pending", 1, "")] * 3
    assert rows[2].last_error.startswith("Could not reach the mail server")
    assert (report.sent, report.retried, report.failed) == (0, 3, 0)
    assert recorder.messages == []


def test_when_reconnecting_meets_a_permanent_refusal_the_rest_are_still_retried(fresh, server, unwelcoming_server):
    """A 554 greeting refuses the connection, not the messages left in the batch: they wait for the next round."""
    recorder = server(HangUpOnce)
    recorder.handler.then = lambda: fresh.update(TRACKER_SMTP_PORT=unwelcoming_server)
    ids = [_queue("a", subject="hang up"), _queue("b", subject="second"), _queue("c", subject="third")]
    db.session.commit()
    report = delivery.deliver()
    rows = [_row(i) for i in ids]
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1)] * 3
    assert rows[2].last_error == "554 5.3.2 No service here"
    assert (report.sent, report.retried, report.failed) == (0, 3, 0)


class SeesTheKeeper(Handler):
    """Accepts the mail and notes the sender's lease keeper thread as it is at that moment."""

    keepers: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.keepers = [(t.name, t.daemon) for t in threading.enumerate() if t.name == "outbox-lease"]
        return await super().handle_DATA(server, session, envelope)


def test_the_lease_keeper_runs_as_a_named_daemon_thread_while_a_batch_is_sent(fresh, server):
    """Named, so a stack dump of a stuck sender says what it is; a daemon, so it never keeps a process alive."""
    recorder = server(SeesTheKeeper)
    _queue("one")
    db.session.commit()
    assert delivery.deliver().sent == 1
    assert recorder.handler.keepers == [("outbox-lease", True)]
    assert not any(t.name == "outbox-lease" for t in threading.enumerate())  # stopped with its batch


def test_the_lease_keeper_renews_only_the_rows_still_sending_under_its_claim(fresh):
    fresh["TRACKER_MAIL_LEASE_SECONDS"] = 3  # a renewal every second
    ours, lost = _queue("ours"), _queue("lost")
    db.session.commit()
    ids = delivery.claim(NOW, 5)
    db.session.execute(update(OutboxMessage).values(lease_until=NOW - timedelta(hours=1)))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == lost)
                       .values(claimed_by="elsewhere.example:1:beef"))
    db.session.commit()
    renewed = NOW + timedelta(seconds=3)  # the clock is frozen at NOW
    with delivery.LeaseKeeper(ids) as keeper:
        started = time.monotonic()
        while _row(ours).lease_until != renewed and time.monotonic() < started + 10:
            time.sleep(0.02)
        waited = time.monotonic() - started
        db.session.commit()
    assert _row(ours).lease_until == renewed
    assert waited >= 0.9  # a third of the lease (1 s), not a quarter
    assert keeper.renewals == 1  # stopped a second before the next one
    assert _row(lost).lease_until == NOW - timedelta(hours=1)


def test_a_cc_that_repeats_the_recipient_is_one_rcpt(fresh, mail):
    outbox.queue(key="letter", to_address="foia@agency.example", subject="Letter", text_body="Hello.",
                 html_body="", now=NOW, headers={"From": "Sam <sam@newsroom.example>",
                                                 "Cc": "FOIA <foia@agency.example>, desk@newsroom.example"})
    db.session.commit()
    assert delivery.deliver().sent == 1
    assert mail.envelopes == [("sam@newsroom.example", ["foia@agency.example", "desk@newsroom.example"])]


# --- the connection -------------------------------------------------------------------------------------------

@pytest.fixture
def silent_server():
    """Accepts connections and never greets; hangs up after five seconds so nothing waits forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    stop = threading.Event()

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        stop.wait(5)
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    listener.close()
    thread.join(10)


def test_a_server_that_never_answers_is_given_up_after_the_timeout(fresh, silent_server):
    fresh.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=silent_server, TRACKER_SMTP_TIMEOUT=1,
                 TRACKER_MAIL_MAX_ATTEMPTS=4)
    message = _queue("one")
    db.session.commit()
    report = delivery.deliver()
    row = _row(message)
    assert (row.status, row.last_error) == ("pending", "The mail server did not answer in time.")
    assert report.retried == 1


# --- how far one delivery goes ----------------------------------------------------------------------------

def test_without_a_mail_server_nothing_is_claimed(fresh):
    fresh["TRACKER_SMTP_HOST"] = ""
    message = _queue("one")
    db.session.commit()
    assert delivery.deliver() == delivery.DeliveryReport()
    assert (_row(message).status, _row(message).claimed_by) == ("pending", "")


def test_one_delivery_sends_at_most_a_hundred_batches(fresh, mail):
    fresh["TRACKER_MAIL_BATCH"] = 1
    ids = [_queue(f"m{n}") for n in range(101)]
    db.session.commit()
    assert delivery.deliver().sent == 100
    assert [r.status for r in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))] == \
        ["sent"] * 100 + ["pending"]
    assert delivery.deliver(max_batches=1).sent == 1 and _row(ids[-1]).status == "sent"


def test_a_smtp_error_while_resetting_is_ignored():
    class Broken:
        def rset(self):
            raise smtplib.SMTPServerDisconnected("gone")

    delivery._reset(Broken())  # nothing raised: the next message finds out for itself


def test_a_server_answer_that_is_not_utf8_is_kept_readable():
    assert delivery._answer(smtplib.SMTPDataError(554, b"5.7.1 Rejet\xe9 \xff")) == \
        (True, "554 5.7.1 Rejet\ufffd \ufffd")


# --- whose claims are dead ------------------------------------------------------------------------------------

def test_asking_whether_a_sender_is_alive_does_not_disturb_it():
    import signal
    import subprocess
    import sys

    def default_hangup():  # nohup and some CI runners ignore SIGHUP, and a child inherits that
        signal.signal(signal.SIGHUP, signal.SIG_DFL)

    sender = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], preexec_fn=default_hangup)
    try:
        assert delivery._dead_claim(f"{socket.gethostname()}:{sender.pid}:abcd1234") is False
        with pytest.raises(subprocess.TimeoutExpired):  # still running: signal 0 delivers nothing
            sender.wait(timeout=1)
    finally:
        sender.kill()
        sender.wait()


def test_a_live_sender_we_may_not_signal_is_not_dead(monkeypatch):
    """Another user's process answers signal 0 with EPERM: it exists, so its claim stands (root never sees it)."""
    def refuse(pid, sig):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(delivery.os, "kill", refuse)
    assert delivery._dead_claim(f"{socket.gethostname()}:{os.getpid() + 1}:abcd1234") is False


# --- what a failure is recorded as ----------------------------------------------------------------------------

def _hang_up_after_timeout() -> smtplib.SMTPServerDisconnected:
    """What smtplib raises when the server says nothing until the timeout: a hang-up caused by TimeoutError."""
    try:
        try:
            raise TimeoutError("timed out")
        except OSError as exc:
            raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed: {exc}") from None
    except smtplib.SMTPServerDisconnected as exc:
        exc.__context__ = TimeoutError("timed out")
        return exc


@pytest.mark.parametrize("exc,permanent,answer", [
    (smtplib.SMTPRecipientsRefused({"a@x.example": (500, b"5.5.2 Syntax error")}), True,
     "500 5.5.2 Syntax error (recipient refused)"),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (499, b"4.9.9 Odd")}), False, "499 4.9.9 Odd (recipient refused)"),
    (_hang_up_after_timeout(), False, "The mail server did not answer in time."),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False,
     "The mail server closed the connection: Connection unexpectedly closed"),
])
def test_each_answer_at_the_edges_is_recorded_as_what_it_is(exc, permanent, answer):
    assert delivery._answer(exc) == (permanent, answer)


@pytest.fixture
def unwelcoming_server():
    """Greets every connection with a permanent refusal (554) and hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.sendall(b"554 5.3.2 No service here\r\n")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(10)
    listener.close()


def test_a_server_refusing_the_connection_is_never_blamed_on_the_mail(fresh, unwelcoming_server):
    """554 is a permanent answer, but to the connection, not to a message: every claimed mail is retried."""
    fresh.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=unwelcoming_server, TRACKER_SMTP_TIMEOUT=5,
                 TRACKER_MAIL_MAX_ATTEMPTS=4)
    ids = [_queue("a"), _queue("b")]
    db.session.commit()
    report = delivery.deliver()
    for message_id in ids:
        row = _row(message_id)
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, "554 5.3.2 No service here")
    assert (report.sent, report.failed, report.retried) == (0, 0, 2)


@pytest.fixture
def self_signed_tls(tmp_path):
    """A server-side TLS context with a certificate nobody vouches for (made with openssl)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_checks_the_servers_certificate(fresh, server, self_signed_tls):
    """With TRACKER_SMTP_STARTTLS the server must prove who it is: a self-signed certificate is refused and
    the mail waits (retried), rather than going out over a connection anyone could have intercepted."""
    recorder = server(Handler)
    recorder.stop()
    recorder.options = {"tls_context": self_signed_tls}
    recorder.start()
    fresh["TRACKER_SMTP_STARTTLS"] = True
    message = _queue("one")
    db.session.commit()
    report = delivery.deliver()
    row = _row(message)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
    assert recorder.messages == [] and report.retried == 1


class TakenOverWhileSending(Handler):
    """Accepts the mail, but meanwhile another sender has taken the row back and claimed it."""

    app = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.app.app_context(), db.engine.begin() as conn:
            conn.execute(update(OutboxMessage).where(OutboxMessage.status == "sending")
                         .values(claimed_by="elsewhere.example:1:beef"))
        return await super().handle_DATA(server, session, envelope)


def test_a_sender_whose_claim_was_taken_over_leaves_the_row_to_its_new_holder(app, fresh, server, caplog):
    recorder = server(TakenOverWhileSending)
    recorder.handler.app = app
    message = _queue("one")
    db.session.commit()
    with caplog.at_level("WARNING"):
        report = delivery.deliver()
    assert caplog.messages == [f"outbox message {message} was taken over while it was being sent"]
    row = _row(message)
    assert (row.status, row.claimed_by, row.sent_at, row.attempts) == ("sending", "elsewhere.example:1:beef", None, 0)
    assert row.lease_until is not None  # the new holder's lease stands
    assert len(recorder.messages) == 1 and report.sent == 0
