"""The records request and everything that happens to it: events, communications, attachments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.matters.models import Matter

request_matters = Table(
    "request_matters",
    db.metadata,
    Column("request_id", ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True),
    Column("matter_id", ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_request_matters_matter_id", "matter_id"),  # the ledger goes from matters to requests
)

request_watchers = Table(
    "request_watchers",
    db.metadata,
    Column("request_id", ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

Money = Numeric(12, 2)


class RecordsRequest(db.Model):
    __tablename__ = "requests"
    __table_args__ = (  # the board reads the few most urgent requests of each status from these
        Index("ix_requests_status_response_due", "status", "response_due"),
        Index("ix_requests_status_appeal_decision_due", "status", "appeal_decision_due"),
        Index("ix_requests_status_closed_on", "status", "closed_on"),
        Index("ix_requests_status_updated_at", "status", "updated_at"),
        Index("ix_requests_status_appeal_due", "status", "appeal_due"),  # and its "due this week" counts
        Index("ix_requests_status_our_answer_due_on", "status", "our_answer_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))  # the newsroom's own short name for it
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    private: Mapped[bool] = mapped_column(default=False)  # visible only to the owner and editors
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)  # see status.py

    # What is asked for, and on what terms.
    records_description: Mapped[str] = mapped_column(Text, default="")
    records_from: Mapped[date | None]  # date range of the records sought
    records_to: Mapped[date | None]
    delivery_format: Mapped[str] = mapped_column(String(100), default="Electronic records (PDF)")
    fee_category: Mapped[str] = mapped_column(String(30), default="news_media")  # 552(a)(4)(A)(ii)
    fee_limit: Mapped[Decimal | None] = mapped_column(Money)  # most we agree to pay without being asked
    fee_waiver_requested: Mapped[bool] = mapped_column(default=False)
    fee_waiver_justification: Mapped[str] = mapped_column(Text, default="")
    expedited_requested: Mapped[bool] = mapped_column(default=False)
    expedited_category: Mapped[str] = mapped_column(String(30), default="")  # 6 CFR 5.5(e)(1) (i)-(iv)
    expedited_justification: Mapped[str] = mapped_column(Text, default="")

    # The dates that drive deadlines.
    sent_on: Mapped[date | None]  # we sent or submitted it
    received_on: Mapped[date | None]  # the agency received it (starts the clock)
    acknowledged_on: Mapped[date | None]
    extended: Mapped[bool] = mapped_column(default=False)  # unusual-circumstances notice received
    determined_on: Mapped[date | None]  # date of the (latest initial) determination
    appeal_filed_on: Mapped[date | None]
    appeal_extended: Mapped[bool] = mapped_column(default=False)
    closed_on: Mapped[date | None]
    follow_up_on: Mapped[date | None]  # set by hand where the law gives no date ("promptly")
    our_answer_due_on: Mapped[date | None]  # a date the agency set for our answer or fee payment

    # Outcome and money.
    outcome: Mapped[str] = mapped_column(String(30), default="")  # latest determination outcome
    pages_released: Mapped[int | None]
    pages_withheld: Mapped[int | None]
    fees_estimated: Mapped[Decimal | None] = mapped_column(Money)
    fees_paid: Mapped[Decimal | None] = mapped_column(Money)

    # Deadlines, stored by deadlines service recompute(); never edited by hand.
    response_due: Mapped[date | None]
    tracking_number_due: Mapped[date | None]
    expedited_decision_due: Mapped[date | None]
    appeal_due: Mapped[date | None]
    appeal_decision_due: Mapped[date | None]
    deadline_provenance: Mapped[dict] = mapped_column(JSON, default=dict)  # kind -> explanation steps

    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    agency: Mapped[Agency] = relationship()
    owner: Mapped[User] = relationship()
    matters: Mapped[list[Matter]] = relationship(secondary=request_matters, order_by=Matter.title)
    watchers: Mapped[list[User]] = relationship(secondary=request_watchers, order_by=User.name)
    tracking_numbers: Mapped[list[TrackingNumber]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="TrackingNumber.id"
    )
    tolled_spans: Mapped[list[TolledSpan]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="TolledSpan.paused_on"
    )
    determinations: Mapped[list[Determination]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Determination.id"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Event.id"
    )
    communications: Mapped[list[Communication]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Communication.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def primary_tracking_number(self) -> str:
        for number in self.tracking_numbers:
            if number.kind == "request":
                return number.number
        return ""

    @property
    def open_tolled_span(self) -> TolledSpan | None:
        return next((s for s in self.tolled_spans if s.resumed_on is None), None)

    def __repr__(self) -> str:
        return f"<RecordsRequest {self.id} {self.status}>"


class TrackingNumber(db.Model):
    """A number the agency gave: the request's, an appeal's, a referral's, a mediation's, a case's."""

    __tablename__ = "tracking_numbers"
    __table_args__ = (UniqueConstraint("agency_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))  # numbers are unique per agency
    kind: Mapped[str] = mapped_column(String(20), default="request")  # request, appeal, referral, ogis, case
    number: Mapped[str] = mapped_column(String(100))  # e.g. 2026-ICFO-01234
    assigned_on: Mapped[date | None]

    request: Mapped[RecordsRequest] = relationship(back_populates="tracking_numbers")


class TolledSpan(db.Model):
    """A pause of the agency's clock while the ball is in our court, 552(a)(6)(A)(ii)(I)-(II)."""

    __tablename__ = "tolled_spans"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # clarification or fees
    paused_on: Mapped[date]
    resumed_on: Mapped[date | None]  # None while still paused

    request: Mapped[RecordsRequest] = relationship(back_populates="tolled_spans")


class Determination(db.Model):
    """An agency's answer: to the request, or to the appeal."""

    __tablename__ = "determinations"
    # The board's 12 months: an index that holds everything its median and on-time share read.
    __table_args__ = (Index("ix_determinations_twelve_months", "stage", "decided_on", "working_days", "on_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="initial")  # initial or appeal
    outcome: Mapped[str] = mapped_column(String(30))  # see status.OUTCOMES / APPEAL_OUTCOMES
    decided_on: Mapped[date]
    exemptions: Mapped[list] = mapped_column(JSON, default=list)  # codes such as "b6", "b7C"
    pages_released: Mapped[int | None]
    pages_withheld: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    # Initial determinations, stored by due_dates.recompute (the board's summary reads thousands of these):
    # working days from the agency's receipt, and whether it came by the response deadline (None: none ran).
    working_days: Mapped[int | None]
    on_time: Mapped[bool | None]

    request: Mapped[RecordsRequest] = relationship(back_populates="determinations")


class Event(db.Model):
    """One thing that happened: who, when, from which status to which, and why. The timeline."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None for the system
    at: Mapped[datetime] = mapped_column(default=now_utc)
    on: Mapped[date | None]  # the day it happened in the world, when that differs from when it was recorded
    action: Mapped[str] = mapped_column(String(40))  # an action name from status.py, or "edit"
    from_status: Mapped[str] = mapped_column(String(30), default="")
    to_status: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # what the action recorded (dates, numbers)

    request: Mapped[RecordsRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Communication(db.Model):
    """A letter, email, portal message or call, to or from the agency."""

    __tablename__ = "communications"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" from the agency, "out" from us
    channel: Mapped[str] = mapped_column(String(20))  # email, portal, mail, phone, fax, in_person
    occurred_on: Mapped[date]
    subject: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30), default="other")  # request, acknowledgment, determination...
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    request: Mapped[RecordsRequest] = relationship(back_populates="communications")
    event: Mapped[Event | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(back_populates="communication", order_by="Attachment.id")
    created_by: Mapped[User | None] = relationship()


class Attachment(db.Model):
    """A stored document. The original file name is only a label; the bytes live under a random key."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    communication_id: Mapped[int | None] = mapped_column(ForeignKey("communications.id", ondelete="SET NULL"))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(100))  # sniffed from the bytes
    original_name: Mapped[str] = mapped_column(String(255), default="")  # sanitised label
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=now_utc)

    request: Mapped[RecordsRequest] = relationship(back_populates="attachments")
    communication: Mapped[Communication | None] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User | None] = relationship()


class AuditEntry(db.Model):
    """Append-only: who viewed or changed a private request, its notes or its documents. Never updated."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: a token link or the system
    at: Mapped[datetime] = mapped_column(default=now_utc)
    action: Mapped[str] = mapped_column(String(20))  # view, download, change, export
    detail: Mapped[str] = mapped_column(String(500), default="")  # what was seen or changed
    address: Mapped[str] = mapped_column(String(64), default="")  # the client's IP address

    actor: Mapped[User | None] = relationship()
