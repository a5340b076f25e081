"""Stored letters: each "Generate PDF" keeps one version, with its exact text and PDF, forever."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests.models import Communication, RecordsRequest


class Letter(db.Model):
    """One generated version of one kind of letter for a request. Never edited; a new version is a new row."""

    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("request_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))  # a letter kind: the folder name under letter_templates/
    version: Mapped[int] = mapped_column(default=1)  # 1, 2, ... per request and kind
    title: Mapped[str] = mapped_column(String(300))  # the kind's title when it was generated
    text: Mapped[str] = mapped_column(Text)  # the exact plain text, as pasted into an agency portal
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)  # the PDF's bytes, in core.storage
    sha256: Mapped[str] = mapped_column(String(64))  # of the PDF bytes
    size: Mapped[int]  # of the PDF, in bytes
    pages: Mapped[int] = mapped_column(default=1)  # of the PDF
    filename: Mapped[str] = mapped_column(String(200))  # the download name, e.g. 2026-11-30-foia_request.pdf
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # what the form said: paragraphs, custom text
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the command line
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    communication_id: Mapped[int | None] = mapped_column(  # set by "Record as sent"
        ForeignKey("communications.id", ondelete="SET NULL")
    )
    sent_on: Mapped[date | None]  # the day it went out, as recorded

    request: Mapped[RecordsRequest] = relationship(
        backref=db.backref("letters", cascade="all, delete-orphan", order_by="Letter.id")
    )
    created_by: Mapped[User | None] = relationship()
    communication: Mapped[Communication | None] = relationship()

    @property
    def label(self) -> str:
        return f"{self.title}, version {self.version}"

    def __repr__(self) -> str:
        return f"<Letter {self.request_id} {self.kind} v{self.version}>"
