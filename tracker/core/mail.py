"""The mail outbox every email leaves through: a row first, queued in the same transaction as what caused it,
sent after the commit (reminders/delivery.py sends the rows).

`queue()` is the one way in. Its natural `key` is unique, so queueing the same mail twice (two scans,
a retry of the whole scan) leaves one row; the Message-ID is derived from the key, so even a mail that
went out twice (see delivery.py for the one window where that can happen) folds into one in mail clients.
Other modules that need to send mail (reminders, a password reset, letters sent by email, notices of agency
letters) call `queue()` with their own key. Links in mail are absolute (`absolute()`), built from
TRACKER_BASE_URL outside any web request, so the scheduler builds the same links as the web.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, getaddresses, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import JSON, ForeignKey, Index, String, Text, text, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.clock import now_utc
from tracker.core.errors import Conflict
from tracker.extensions import db

if TYPE_CHECKING:  # the relationship names its table; only type checkers read this import
    from tracker.auth.models import User


class OutboxMessage(db.Model):
    """An email waiting to go, gone, or failed; the text is rendered once, when it is queued."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_pending", "next_attempt_at", sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        Index("ix_outbox_messages_sending", "lease_until", sqlite_where=text("status = 'sending'"),
              postgresql_where=text("status = 'sending'")),
        Index("ix_outbox_messages_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # natural key: "reminder:..." or "digest:user:day"
    message_id: Mapped[str] = mapped_column(String(300), unique=True)  # the Message-ID header, stable over retries
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # the recipient
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"))  # if about one
    to_address: Mapped[str] = mapped_column(String(320))  # the address it goes to
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)  # the plain-text part
    html_body: Mapped[str] = mapped_column(Text)  # the HTML part
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)  # delivery attempts so far
    next_attempt_at: Mapped[datetime] = mapped_column(default=now_utc)  # not before this instant
    lease_until: Mapped[datetime | None]  # while "sending": another sender may take it over after this
    claimed_by: Mapped[str] = mapped_column(String(200), default="")  # host:pid:nonce of the sender holding it
    last_error: Mapped[str] = mapped_column(Text, default="")  # the mail server's last answer, or the fault
    created_at: Mapped[datetime] = mapped_column(default=now_utc)  # when it was queued
    sent_at: Mapped[datetime | None]  # when the mail server accepted it
    headers: Mapped[dict] = mapped_column(JSON, default=dict)  # a letter's own From, Reply-To, Cc (mail.sending)
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # [{"key", "filename", "content_type"}] in storage

    user: Mapped[User | None] = relationship("User")

outbox = OutboxMessage.__table__


def dialect_insert(table, session=None):
    """An INSERT that supports ON CONFLICT on both SQLite and PostgreSQL."""
    name = (session or db.session).get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def is_postgres(session=None) -> bool:
    return (session or db.session).get_bind().dialect.name == "postgresql"


def one_line(text: str) -> str:
    """Header-safe: no line breaks (they would let a title inject mail headers)."""
    return " ".join((text or "").split())


def path_for(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values, force_external=False)


def absolute(endpoint: str, **values) -> str:
    """TRACKER_BASE_URL (with any path prefix) plus the route's path: no SERVER_NAME needed."""
    return current_app.config["TRACKER_BASE_URL"].rstrip("/") + path_for(endpoint, **values)


def mail_domain() -> str:
    """The domain for Message-IDs and calendar UIDs: the sender's, else the site's."""
    sender = current_app.config.get("TRACKER_MAIL_FROM", "")
    if "@" in sender:
        return sender.rsplit("@", 1)[1].strip(" >") or "tracker.invalid"
    return urlsplit(current_app.config["TRACKER_BASE_URL"]).hostname or "tracker.invalid"


def message_id_for(key: str, domain: str | None = None) -> str:
    """Stable for one mail of one installation (retries fold), different between installations: the random
    per-installation part kept in the database (core/installation.py) is part of it. `domain`: a letter's is
    the newsroom mailbox's."""
    from tracker.core.installation import message_id_part

    digest = hashlib.sha256(key.encode()).hexdigest()[:24]  # short enough that the header is not folded
    return f"<{digest}.{message_id_part()}@{domain or mail_domain()}>"


def queue(*, key: str, to_address: str, subject: str, text_body: str, html_body: str, now: datetime,
          user_id: int | None = None, request_id: int | None = None, headers: dict | None = None,
          attachments: list | None = None, message_domain: str | None = None) -> int | None:
    """Queue one email; returns its id, or None when a mail with this key is already queued.
    `headers` (From, Reply-To, Cc) make it a person's mail rather than the tracker's automatic one;
    `attachments` name files in storage: [{"key", "filename", "content_type"}], read when it is sent;
    `message_domain` the domain of its Message-ID (a letter's: the newsroom mailbox's)."""
    stmt = dialect_insert(outbox).on_conflict_do_nothing().returning(outbox.c.id)
    return db.session.execute(stmt, outbox_row(
        key=key, to_address=to_address, subject=subject, text_body=text_body, html_body=html_body, now=now,
        user_id=user_id, request_id=request_id, headers=headers, attachments=attachments,
        message_domain=message_domain)).scalar()


def queue_many(rows: list[dict]) -> None:
    """Queue many emails with one statement (rows made by outbox_row); a key already queued is skipped, as
    queue() skips it. For callers that queue a batch and need no ids back (the mail fetch's notices)."""
    if rows:
        db.session.execute(dialect_insert(outbox).on_conflict_do_nothing(), rows)


def outbox_row(*, key: str, to_address: str, subject: str, text_body: str, html_body: str, now: datetime,
               user_id: int | None = None, request_id: int | None = None, headers: dict | None = None,
               attachments: list | None = None, message_domain: str | None = None) -> dict:
    """The outbox row of one email, as queue() writes it."""
    return {
        "key": key, "message_id": message_id_for(key, message_domain), "user_id": user_id, "request_id": request_id,
        "to_address": to_address, "subject": one_line(subject)[:500], "text_body": text_body,
        "html_body": html_body, "status": "pending", "attempts": 0, "next_attempt_at": now, "claimed_by": "",
        "last_error": "", "created_at": now, "headers": dict(headers or {}), "attachments": list(attachments or []),
    }


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
    own = row.headers or {}
    msg["Subject"] = one_line(row.subject)
    msg["From"] = own.get("From") or formataddr(("Records tracker", current_app.config["TRACKER_MAIL_FROM"]))
    msg["To"] = formataddr((one_line(display_name), row.to_address)) if display_name else row.to_address
    for name in ("Cc", "Reply-To"):
        if own.get(name):
            msg[name] = own[name]
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = row.message_id
    if not own:  # the tracker's own mail; a letter to an agency is a person's mail and may get an answer
        msg["Auto-Submitted"] = "auto-generated"
        msg["X-Auto-Response-Suppress"] = "All"
    # Quoted-printable: 7-bit safe for any mail server, and still readable raw.
    msg.set_content(row.text_body, cte="quoted-printable")
    if row.html_body:
        msg.add_alternative(row.html_body, subtype="html", cte="quoted-printable")
    if row.attachments:
        from tracker.core.storage import storage as app_storage

        storage = app_storage()
        for item in row.attachments:
            with storage.open(item["key"]) as handle:
                data = handle.read()
            maintype, _, subtype = (item.get("content_type") or "application/octet-stream").partition("/")
            msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=item.get("filename") or "attachment")
    return msg


def envelope(row: OutboxMessage, default_sender: str) -> tuple[str, list[str]]:
    """The SMTP envelope: the sender (a letter's own From address, else the tracker's) and every recipient,
    To and Cc."""
    own = row.headers or {}
    sender = parseaddr(own["From"])[1] if own.get("From") else default_sender
    recipients = [row.to_address] + [a for _n, a in getaddresses([own.get("Cc", "")]) if a and a != row.to_address]
    return sender or default_sender, list(dict.fromkeys(recipients))
