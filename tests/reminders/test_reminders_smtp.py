"""Reminder mail through a real SMTP server (aiosmtpd on loopback): headers, both parts, links; the server
down then up; refusals; claims that a dead sender left behind."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from tests.reminders.reminders_support import outbox_rows, overdue_request, scan
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders import delivery

# Wednesday 2026-11-18, 10:00 EST: the request below (due Friday 2026-11-13) is 3 working days overdue.
WEDNESDAY = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


def _to(smtp, address: str) -> list:
    return [m for m in smtp.messages if address in m["To"]]


def test_reminder_arrives_with_headers_both_parts_and_links(app, frozen, users, mail):
    frozen.move_to(WEDNESDAY)
    with app.app_context():
        req_id = overdue_request(users["reporter"]).id
        report = scan()
        assert report.delivery.failed == 0
        row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
        assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
        message_id = row.message_id

    [msg] = _to(mail, "reporter@test.example")
    assert msg["Subject"] == ('[FOIA] Overdue 3 working days: OPR report, Denver "death card" inquiry '
                              '(2026-ICFO-01234)')
    assert msg["To"] == "Reporter <reporter@test.example>"
    assert msg["From"] == "Records tracker <tracker@localhost>"
    assert msg["Message-ID"] == message_id and message_id.endswith("@localhost>")
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    base = "http://127.0.0.1:5000"
    for part in (text, html):
        assert f"{base}/requests/{req_id}" in part
        assert f"{base}/requests/{req_id}/letters/new/status_inquiry" in part  # the follow-up letter
        assert f"{base}/reminders" in part  # preferences
    assert "Agency's response due: Friday, November 13, 2026" in text
    assert "How the date was computed" in text and "Skipped Wednesday 2026-11-11: Veterans Day" in text
    assert "constructive exhaustion" in text
    assert "<strong>Friday, November 13, 2026</strong>" in html
    assert "&#34;death card&#34;" in html  # the title is escaped in the HTML part

    with app.app_context():  # a second scan sends nothing more
        assert scan().delivery.sent == 0
    assert len(_to(mail, "reporter@test.example")) == 1


def test_accents_and_curly_quotes_survive_the_trip(app, frozen, users, mail):
    frozen.move_to(WEDNESDAY)
    with app.app_context():
        overdue_request(users["reporter"], title="OPR file on Agent Peña, “death card” inquiry\nBcc: x@evil.example")
        scan()
    [msg] = _to(mail, "reporter@test.example")
    assert msg["Subject"] == ("[FOIA] Overdue 3 working days: OPR file on Agent Peña, “death card” inquiry "
                              "Bcc: x@evil.example (2026-ICFO-01234)")  # one line: no header injection
    assert msg["Bcc"] is None and all(len(rcpts) == 1 and "evil" not in rcpts[0] for _, rcpts in mail.envelopes)
    assert "Agent Peña, “death card”" in msg.get_body(("plain",)).get_content()


def test_server_down_then_up_delivers_once(app, frozen, users, mail):
    frozen.move_to(WEDNESDAY)
    mail.stop()
    with app.app_context():
        overdue_request(users["reporter"])
        first = scan()
        assert first.delivery.sent == 0 and first.delivery.retried >= 1
        row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
        assert row.status == "pending" and row.attempts == 1
        assert "Could not reach the mail server" in row.last_error
        assert row.next_attempt_at == WEDNESDAY + timedelta(seconds=60)
    mail.start()
    with app.app_context():
        assert scan().delivery.sent == 0  # not before its back-off has run out
    frozen.shift(61)
    with app.app_context():
        assert scan().delivery.sent >= 1
        scan()
        row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
        assert row.status == "sent" and row.attempts == 2
    assert len(_to(mail, "reporter@test.example")) == 1


def test_temporary_refusals_back_off_then_fail_with_the_answer(app, frozen, users, mail):
    frozen.move_to(WEDNESDAY)
    mail.reply = "451 4.3.0 Mailbox busy, try again later"
    waits = []
    with app.app_context():
        overdue_request(users["reporter"])
        scan()
        for _ in range(3):
            row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
            waits.append(row.next_attempt_at)
            frozen.move_to(row.next_attempt_at + timedelta(seconds=1))
            delivery.deliver()
        row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
    # Each wait counts from the failed attempt (made 1 s after the previous wait ran out): 1, 2, then 4 minutes.
    gaps = [b - a for a, b in zip([WEDNESDAY - timedelta(seconds=1), *waits], waits, strict=False)]
    assert gaps == [timedelta(seconds=61), timedelta(seconds=121), timedelta(seconds=241)]
    assert row.status == "failed" and row.attempts == 4  # TRACKER_MAIL_MAX_ATTEMPTS in the test app
    assert row.last_error == "451 4.3.0 Mailbox busy, try again later"
    assert _to(mail, "reporter@test.example") == []


def test_a_permanent_refusal_fails_at_once(app, frozen, users, mail):
    frozen.move_to(WEDNESDAY)
    mail.refuse_rcpt = "550 5.1.1 No such user here"
    with app.app_context():
        overdue_request(users["reporter"])
        report = scan()
        row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
        assert report.delivery.failed >= 1
        assert row.status == "failed" and row.attempts == 1
        assert row.last_error == "550 5.1.1 No such user here (recipient refused)"


def test_without_a_mail_server_mail_waits_in_the_outbox(app, frozen, users):
    frozen.move_to(WEDNESDAY)
    with app.app_context():
        assert not app.config["TRACKER_SMTP_HOST"]
        overdue_request(users["reporter"])
        report = scan()
        assert "mail waits in the outbox" in report.summary()
        rows = outbox_rows()
        assert rows and {r.status for r in rows} == {"pending"}
        assert any("Overdue 3 working days" in r.subject for r in rows)


def test_claims_are_exclusive_and_dead_senders_are_taken_over(app, frozen, users):
    frozen.move_to(WEDNESDAY)
    with app.app_context():
        overdue_request(users["reporter"])
        scan(send=False)
        now = WEDNESDAY
        first = delivery.claim(now, 100)
        db.session.commit()
        assert first and delivery.claim(now, 100) == []  # claimed rows are not pending any more
        # A sender on this host whose process is gone: its claims come back at once.
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        db.session.execute(update(OutboxMessage).values(claimed_by=f"{socket.gethostname()}:{dead}:0000"))
        db.session.commit()
        assert delivery.release_stale(now) == len(first)
        db.session.commit()
        # A sender elsewhere keeps its claim until its lease runs out.
        again = delivery.claim(now, 100)
        db.session.execute(update(OutboxMessage).values(claimed_by="elsewhere.example:1:abcd"))
        db.session.commit()
        assert delivery.release_stale(now) == 0
        assert delivery.release_stale(now + timedelta(seconds=601)) == len(again)
        db.session.commit()
        assert {r.status for r in outbox_rows()} == {"pending"}
        assert all("stopped before it could record" in r.last_error for r in outbox_rows())


def test_mail_to_a_deactivated_account_is_not_sent(app, frozen, users, mail):
    from tracker.auth.models import User

    frozen.move_to(WEDNESDAY)
    with app.app_context():
        overdue_request(users["reporter"])
        scan(send=False)
        db.session.get(User, users["reporter"]).active = False
        db.session.commit()
        delivery.deliver()
        row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
        assert row.status == "failed" and "deactivated" in row.last_error
    assert _to(mail, "reporter@test.example") == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_to_the_mail_server(app, frozen, users, mail):
    from aiosmtpd.smtp import AuthResult

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"tracker", b"s3cret"))

    mail.stop()
    mail.options = {"auth_required": True, "auth_require_tls": False, "authenticator": authenticator}
    mail.start()
    frozen.move_to(WEDNESDAY)
    try:
        with app.app_context():
            overdue_request(users["reporter"])
            scan()  # no login configured: the server refuses the sender, which is retried, not blamed on the mail
            row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
            assert row.status == "pending" and row.last_error.startswith("530"), row.last_error
            app.config.update(TRACKER_SMTP_USER="tracker", TRACKER_SMTP_PASSWORD="s3cret")
            frozen.shift(61)
            delivery.deliver()
            row = next(r for r in outbox_rows() if r.to_address == "reporter@test.example")
            assert row.status == "sent"
    finally:
        app.config.update(TRACKER_SMTP_USER="", TRACKER_SMTP_PASSWORD="")
    assert len(_to(mail, "reporter@test.example")) == 1
