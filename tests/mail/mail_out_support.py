"""Support for the mail-out tests: an SMTP server and the app pointed at it with a newsroom mailbox, a stored
letter for a request, and the agency letters of tests/mail/letters/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reminders.reminders_support import SmtpRecorder
from tracker.auth.models import User
from tracker.core.clock import now_utc, today
from tracker.extensions import db
from tracker.letters import services as letter_services
from tracker.letters import sources
from tracker.letters.models import Letter

LETTERS = Path(__file__).with_name("letters")
MAILBOX = "foia@newsroom.example"


def letter_text(name: str) -> str:
    return (LETTERS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture
def smtp_server():
    server = SmtpRecorder()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(app):
    """The newsroom mailbox set up (TRACKER_MAIL_ADDRESS); restored afterwards."""
    saved = app.config.get("TRACKER_MAIL_ADDRESS")
    app.config["TRACKER_MAIL_ADDRESS"] = MAILBOX
    yield MAILBOX
    app.config["TRACKER_MAIL_ADDRESS"] = saved or ""


@pytest.fixture
def smtp_app(app, smtp_server, mailbox):
    """The app sends through the test SMTP server; restored afterwards."""
    keys = ("TRACKER_SMTP_HOST", "TRACKER_SMTP_PORT", "TRACKER_MAIL_RETRY_SECONDS", "TRACKER_SMTP_TIMEOUT")
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=smtp_server.port, TRACKER_MAIL_RETRY_SECONDS=60,
                      TRACKER_SMTP_TIMEOUT=5)
    yield smtp_server
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value


def generate_letter(app, req, kind: str, user_id: int) -> Letter:
    from tracker.core.storage import DirectoryStorage

    actor = db.session.get(User, user_id)
    options = letter_services.default_options(req, kind, actor)
    return letter_services.generate_letter(
        req, kind, options, actor=actor, now=now_utc(), today=today(),
        storage=DirectoryStorage(app.config["TRACKER_UPLOAD_DIR"]), search=sources.roots(app.config),
        letterhead=letter_services.letterhead_from_config(app.config))


def api_headers(app, user_id: int) -> dict:
    """A fresh API token for this user, as request headers."""
    from tracker.auth.api_tokens import create_token

    with app.app_context():
        _token, secret = create_token(db.session.get(User, user_id), "mail-out test token", now=now_utc())
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}
