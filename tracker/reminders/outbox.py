"""The mail outbox: every email is a row first, queued in the same transaction as what caused it.

`queue()` is the one way in. Its natural `key` is unique, so queueing the same mail twice (two scans,
a retry of the whole scan) leaves one row; the Message-ID is derived from the key, so even a mail that
went out twice (see delivery.py for the one window where that can happen) folds into one in mail clients.
Other modules that need to send mail (e.g. a password reset) can call `queue()` with their own key.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from flask import current_app
from sqlalchemy import update

from tracker.core.errors import Conflict
from tracker.extensions import db
from tracker.reminders.links import mail_domain
from tracker.reminders.models import OutboxMessage
from tracker.reminders.plans import dialect_insert
from tracker.reminders.wording import one_line

outbox = OutboxMessage.__table__


def message_id_for(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{mail_domain()}>"


def queue(*, key: str, to_address: str, subject: str, text_body: str, html_body: str, now: datetime,
          user_id: int | None = None, request_id: int | None = None) -> int | None:
    """Queue one email; returns its id, or None when a mail with this key is already queued."""
    stmt = dialect_insert(outbox).on_conflict_do_nothing().returning(outbox.c.id)
    return db.session.execute(stmt, {
        "key": key, "message_id": message_id_for(key), "user_id": user_id, "request_id": request_id,
        "to_address": to_address, "subject": one_line(subject)[:500], "text_body": text_body,
        "html_body": html_body, "status": "pending", "attempts": 0, "next_attempt_at": now, "claimed_by": "",
        "last_error": "", "created_at": now,
    }).scalar()


def resend(message: OutboxMessage, *, now: datetime) -> None:
    """Back to pending, now. A mail that was sent gets a new Message-ID: it is a deliberate second copy, and
    clients that fold repeats would otherwise hide it. Not while a sender holds it: that could send it twice."""
    if message.status == "sending":
        raise Conflict("This message is being sent right now. Look again in a minute.")
    if message.status == "sent":
        local, domain = message.message_id.strip("<>").split("@", 1)
        message.message_id = f"<{local.split('.r')[0]}.r{int(now.timestamp())}@{domain}>"
    message.status = "pending"
    message.attempts = 0
    message.next_attempt_at = now
    message.lease_until = None
    message.claimed_by = ""
    message.last_error = ""
    message.sent_at = None
    db.session.flush()


def resend_failed(*, now: datetime) -> int:
    result = db.session.execute(
        update(outbox).where(outbox.c.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=now, last_error="", lease_until=None, claimed_by="")
    )
    return result.rowcount or 0


def as_email(row: OutboxMessage, display_name: str = "") -> EmailMessage:
    """The message as it goes over SMTP: plain text and HTML alternatives, a stable Message-ID."""
    msg = EmailMessage()
    msg["Subject"] = one_line(row.subject)
    msg["From"] = formataddr(("Records tracker", current_app.config["TRACKER_MAIL_FROM"]))
    msg["To"] = formataddr((one_line(display_name), row.to_address)) if display_name else row.to_address
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = row.message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    # Quoted-printable: 7-bit safe for any mail server, and still readable raw.
    msg.set_content(row.text_body, cte="quoted-printable")
    msg.add_alternative(row.html_body, subtype="html", cte="quoted-printable")
    return msg
