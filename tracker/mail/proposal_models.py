"""Proposals of the next step, read from an agency's letter: one row per kind of step a letter suggests.

A proposal never changes the request: a person accepts it (the normal lifecycle action runs, with the
proposal's fields filled in and editable) or dismisses it. Unique per (communication, kind), so reading the
same letter twice proposes nothing new.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.requests.models import Communication, Event, RecordsRequest


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("communication_id", "kind", name="uq_proposals_communication_kind"),
        Index("ix_proposals_request_status", "request_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))  # the request it is about
    communication_id: Mapped[int | None] = mapped_column(  # the letter it was read from
        ForeignKey("communications.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # acknowledgment, fee_estimate, determination... (reading.KINDS)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # what was read: dates as YYYY-MM-DD, numbers, codes
    sentence: Mapped[str] = mapped_column(Text, default="")  # the sentence of the letter it came from
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending, accepted, dismissed
    created_at: Mapped[datetime] = mapped_column(default=now_utc)  # when the letter was read
    decided_at: Mapped[datetime | None]  # when a person accepted or dismissed it
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # who did
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))  # what accepting made

    request: Mapped[RecordsRequest] = relationship()
    communication: Mapped[Communication | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
    event: Mapped[Event | None] = relationship()

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.kind} {self.status}>"
