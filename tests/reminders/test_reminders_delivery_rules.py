"""Delivery's small rules, exactly: the back-off after each failed attempt, what each kind of failure is
recorded as (and whether it is final), which claims count as left by a dead sender, and the scan's summary."""

from __future__ import annotations

import os
import smtplib
import socket
from datetime import timedelta

import pytest

from tracker.reminders import delivery
from tracker.reminders.scan import ScanReport


@pytest.fixture
def config(app):
    saved = {k: app.config.get(k) for k in ("TRACKER_MAIL_RETRY_SECONDS", "TRACKER_SMTP_HOST")}
    with app.app_context():
        yield app.config
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value


@pytest.mark.parametrize("attempts,wait", [(0, 60), (1, 60), (2, 120), (3, 240), (4, 480), (9, 15360),
                                           (10, 21600), (30, 21600)])
def test_each_failed_attempt_doubles_the_wait_up_to_six_hours(config, attempts, wait):
    config["TRACKER_MAIL_RETRY_SECONDS"] = 60
    assert delivery.backoff(attempts) == timedelta(seconds=wait)


def test_the_back_off_base_is_a_setting(config):
    config["TRACKER_MAIL_RETRY_SECONDS"] = 5
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [5, 10, 20]
    config.pop("TRACKER_MAIL_RETRY_SECONDS")
    assert delivery.backoff(1) == timedelta(seconds=60)  # the default: a minute


@pytest.mark.parametrize("exc,permanent,answer", [
    (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"5.1.1 No such user")}), True,
     "550 5.1.1 No such user (recipient refused)"),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (450, "4.2.0 Mailbox busy")}), False,
     "450 4.2.0 Mailbox busy (recipient refused)"),
    (smtplib.SMTPDataError(554, b"5.7.1 Rejected as spam"), True, "554 5.7.1 Rejected as spam"),
    (smtplib.SMTPDataError(500, "Syntax error"), True, "500 Syntax error"),
    (smtplib.SMTPDataError(499, "Odd"), False, "499 Odd"),
    (smtplib.SMTPDataError(451, b"4.3.0 Try again later"), False, "451 4.3.0 Try again later"),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False,
     "The mail server closed the connection: Connection unexpectedly closed"),
    (TimeoutError("timed out"), False, "The mail server did not answer in time."),
    (ConnectionRefusedError(111, "Connection refused"), False, "Could not reach the mail server: Connection refused"),
    (OSError("no route"), False, "Could not reach the mail server: no route"),
    (RuntimeError("boom"), False, "RuntimeError: boom"),
])
def test_each_failure_is_recorded_with_the_servers_answer(exc, permanent, answer):
    assert delivery._answer(exc) == (permanent, answer)


def test_only_claims_of_dead_processes_on_this_host_are_dead():
    host = socket.gethostname()
    assert delivery._dead_claim(delivery.claim_token()) is False  # our own, live claim
    assert delivery._dead_claim(f"{host}:{os.getpid()}:00000000") is True  # our pid, another nonce: a predecessor
    assert delivery._dead_claim(f"{host}:{os.getppid()}:abcd") is False  # a live process
    assert delivery._dead_claim(f"elsewhere.example:{os.getpid()}:abcd") is False  # another host: not ours to say
    assert delivery._dead_claim("") is False
    assert delivery._dead_claim("garbage") is False
    assert delivery._dead_claim(f"{host}:notapid:abcd") is False
    assert delivery._dead_claim(f"{host}:1:abcd") is False  # pid 1 is alive (or not ours to signal)


def test_a_claim_token_is_host_pid_nonce_and_stable_in_one_process():
    token = delivery.claim_token()
    host, pid, nonce = token.rsplit(":", 2)
    assert (host, int(pid), len(nonce)) == (socket.gethostname(), os.getpid(), 8)
    assert delivery.claim_token() == token


def test_the_scan_summary_says_what_happened(config):
    report = ScanReport(requests=3, reminders=2, digests=1)
    config["TRACKER_SMTP_HOST"] = ""
    assert report.summary() == ("Looked at 3 request(s); recorded 2 reminder(s); queued 1 digest(s). No mail server "
                                "is configured (TRACKER_SMTP_HOST): mail waits in the outbox.")
    config["TRACKER_SMTP_HOST"] = "127.0.0.1"
    report.delivery = delivery.DeliveryReport(sent=4, retried=1, failed=2)
    assert report.summary() == ("Looked at 3 request(s); recorded 2 reminder(s); queued 1 digest(s). "
                                "Sent 4, retrying 1, failed 2.")
    assert delivery.smtp_configured() is True


def test_the_scan_goes_through_every_batch_and_maintains_once_a_day(app, users, frozen):
    from datetime import UTC, datetime

    from tests.helpers import make_agency
    from tests.reminders.reminders_support import overdue_request, reminder_rows
    from tracker.reminders.scan import scan_reminders

    frozen.move_to(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    with app.app_context():
        agency = make_agency()
        for n in range(3):
            overdue_request(users["reporter"], title=f"Report {n}", tracking=f"T-{n}", agency=agency)
        first = scan_reminders(batch=1)
        assert (first.maintained, first.requests, first.reminders) == (True, 3, 3)
        assert len({r.request_id for r in reminder_rows()}) == 3
        again = scan_reminders(batch=1)
        assert (again.maintained, again.reminders) == (False, 0)  # nothing new, and maintenance is done today


def test_the_scan_sends_in_batches_of_the_configured_size(app, users, frozen, five_due_in_batches_of_two):
    from tracker.reminders.scan import run_scan

    with app.app_context():
        report = run_scan()
    assert report.delivery.sent == 5 and five_due_in_batches_of_two == [2, 2, 1, 0]


def test_the_scan_reads_plans_in_batches_of_the_configured_size(app, users, frozen, monkeypatch):
    """Each batch is committed on its own, so a crash loses at most one batch (TRACKER_SCAN_BATCH)."""
    from datetime import UTC, datetime

    from tests.helpers import make_agency
    from tests.reminders.reminders_support import overdue_request
    from tracker.reminders import services
    from tracker.reminders.scan import scan_reminders

    frozen.move_to(datetime(2026, 11, 18, 15, 0, tzinfo=UTC))
    monkeypatch.setitem(app.config, "TRACKER_SCAN_BATCH", 2)
    batches = []
    real_process = services.process_plans

    def counting_process(ids, **kwargs):
        batches.append(len(ids))
        return real_process(ids, **kwargs)

    monkeypatch.setattr(services, "process_plans", counting_process)
    with app.app_context():
        agency = make_agency()
        for n in range(3):
            overdue_request(users["reporter"], title=f"Report {n}", tracking=f"T-{n}", agency=agency)
        report = scan_reminders()
    assert (report.requests, report.reminders, batches) == (3, 3, [2, 1])
