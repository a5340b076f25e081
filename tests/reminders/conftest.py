"""Fixtures for the reminder tests: a real SMTP server (aiosmtpd) on loopback, and the app pointed at it."""

from __future__ import annotations

import pytest

from tests.reminders.reminders_support import SmtpRecorder


@pytest.fixture
def smtp():
    """A running SMTP server on 127.0.0.1 that records what it accepts; .stop()/.start() take it down and up."""
    server = SmtpRecorder()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail(app, smtp):
    """The app sends through the test SMTP server, with fast retries; restored afterwards."""
    saved = {k: app.config.get(k) for k in ("TRACKER_SMTP_HOST", "TRACKER_SMTP_PORT", "TRACKER_MAIL_RETRY_SECONDS",
                                            "TRACKER_MAIL_MAX_ATTEMPTS", "TRACKER_SMTP_TIMEOUT")}
    app.config.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=smtp.port, TRACKER_MAIL_RETRY_SECONDS=60,
                      TRACKER_MAIL_MAX_ATTEMPTS=4, TRACKER_SMTP_TIMEOUT=5)
    yield smtp
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value


@pytest.fixture
def five_due_in_batches_of_two(app, mail, monkeypatch):
    """Five messages due in the outbox, TRACKER_MAIL_BATCH at 2, and the list of how many each claim took."""
    from tracker.core import mail as outbox
    from tracker.core.clock import now_utc
    from tracker.extensions import db
    from tracker.reminders import delivery

    monkeypatch.setitem(app.config, "TRACKER_MAIL_BATCH", 2)
    claimed: list[int] = []
    real_claim = delivery.claim

    def counting_claim(now, limit):
        ids = real_claim(now, limit)
        claimed.append(len(ids))
        return ids

    monkeypatch.setattr(delivery, "claim", counting_claim)
    with app.app_context():
        for n in range(5):
            outbox.queue(key=f"batch:{n}", to_address="reporter@test.example", subject="Due", text_body="Due.",
                         html_body="<p>Due.</p>", now=now_utc())
        db.session.commit()
    return claimed
