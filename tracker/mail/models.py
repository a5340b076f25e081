"""Tables of incoming mail: each message fetched over IMAP, once, and where the fetch has got to per folder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, exists
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests import shown
from tracker.requests.models import Communication, RecordsRequest

STATUSES = {
    "filed": "Filed on a request",
    "unsorted": "Waiting in Unsorted mail",
    "dismissed": "Dismissed",
}
MATCHED_BY = {
    "reply": "a reply to a message we sent",
    "tag": "the request's reply address",
    "tracking_number": "a tracking number in the message",
    "person": "filed by hand",
}


class MailCursor(db.Model):
    """How far the fetch has read one IMAP folder: its UIDVALIDITY and the last UID stored."""

    __tablename__ = "mail_cursors"

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(255), unique=True)  # IMAP folder name, e.g. INBOX
    uidvalidity: Mapped[int] = mapped_column(BigInteger, default=0)  # the server's UIDVALIDITY when last read
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)  # every UID up to this one is stored
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)


class IncomingMessage(db.Model):
    """One email fetched from the newsroom mailbox, stored exactly once, and what became of it."""

    __tablename__ = "incoming_messages"
    __table_args__ = (
        UniqueConstraint("folder", "uidvalidity", "uid"),
        Index("ix_incoming_messages_status_fetched_at", "status", "fetched_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_key: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the Message-ID, or of the bytes
    message_id: Mapped[str] = mapped_column(String(998), default="")  # the Message-ID header, as sent
    folder: Mapped[str] = mapped_column(String(255))  # where it was fetched from
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    fetched_at: Mapped[datetime] = mapped_column(default=now_utc)
    sent_at: Mapped[datetime | None]  # the Date header (of the original, for a forward), UTC
    from_address: Mapped[str] = mapped_column(String(320), default="")  # the sender (the original's, forwarded)
    from_name: Mapped[str] = mapped_column(String(300), default="")
    to_addresses: Mapped[str] = mapped_column(Text, default="")  # To and Cc, as written
    subject: Mapped[str] = mapped_column(String(500), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")  # the plain text (from the HTML part if only HTML)
    body_html: Mapped[str] = mapped_column(Text, default="")  # the HTML part as sent; shown only sanitised
    attachment_names: Mapped[list] = mapped_column(JSON, default=list)  # [{name, size, content_type, refused}]
    storage_key: Mapped[str] = mapped_column(String(64))  # the raw message (.eml) in attachment storage
    size: Mapped[int] = mapped_column(default=0)  # bytes of the raw message
    sha256: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(20), default="unsorted")  # see STATUSES
    matched_by: Mapped[str] = mapped_column(String(20), default="")  # see MATCHED_BY
    trusted: Mapped[bool] = mapped_column(default=False)  # sender is the agency's (mail domain, or our thread)
    forwarded: Mapped[bool] = mapped_column(default=False)  # a reporter forwarded it to the mailbox
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    notes: Mapped[list] = mapped_column(JSON, default=list)  # what went wrong reading it, in plain words
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"), index=True)
    communication_id: Mapped[int | None] = mapped_column(
        ForeignKey("communications.id", ondelete="SET NULL"), index=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who filed or dismissed it by hand
    handled_at: Mapped[datetime | None]

    request: Mapped[RecordsRequest | None] = relationship()
    communication: Mapped[Communication | None] = relationship(
        # A request's timeline shows each message's mail details: loaded with the messages, not one by one.
        backref=backref("incoming", uselist=False, lazy="selectin"))
    forwarded_by: Mapped[User | None] = relationship(foreign_keys=[forwarded_by_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])

    @property
    def unverified(self) -> bool:
        return self.status == "filed" and not self.trusted

    @property
    def sender(self) -> str:
        if self.from_name and self.from_address:
            return f"{self.from_name} <{self.from_address}>"
        return self.from_address or self.from_name or "(no sender)"


# The request page shows each message's mail details; asked with the request, so a request none of whose messages
# came by mail skips that query (requests.queries.timeline).
shown.register_fact("incoming_messages", lambda: exists().where(IncomingMessage.communication_id == Communication.id,
                                                                Communication.request_id == RecordsRequest.id))
