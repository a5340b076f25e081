"""The records request and everything that happens to it: events, communications, attachments."""

from __future__ import annotations

import secrets
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
    # The ledger and the board's matter filter go from matters to requests (from the index alone).
    Index("ix_request_matters_matter_id", "matter_id", "request_id"),
)

request_watchers = Table(
    "request_watchers",
    db.metadata,
    Column("request_id", ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # A reporter's watch list, read by every page that shows them private requests (the key starts with the request).
    Index("ix_request_watchers_user_id", "user_id", "request_id"),
)

Money = Numeric(12, 2)


def new_reply_token() -> str:
    """The tag of a request's reply address (foia+TAG@...): random, so an address never reveals or guesses an id."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: read aloud or retyped without mistakes
    return "".join(secrets.choice(alphabet) for _ in range(10))


class RecordsRequest(db.Model):
    __tablename__ = "requests"
    # The board reads the few most urgent requests of each status from these, and counts those only today can
    # decide (a deadline ahead, closed in the last 30 days, due this week). Each also holds what the board's
    # conditions test (privacy, agency; the scorecards' day of receipt), so a count or the search for a
    # column's first cards is read from the index alone, never row by row, whatever the number of requests.
    # Four more, whose order runs the last change first, follow the class.
    __table_args__ = (
        Index("ix_requests_status_closed_on", "status", "closed_on", "private", "agency_id"),
        # Cards in order of the last change (drafts, litigation, recently closed): id breaks ties, as they do.
        Index("ix_requests_status_updated_at", "status", "updated_at", "id", "private", "agency_id", "closed_on"),
        # Who may see a request, read without its wide row (the ledger and the stories for a reporter).
        Index("ix_requests_visibility", "id", "private", "owner_id"),
        # The board filtered to one agency (the same cards and counts as the status indexes here and below, read
        # from that agency's range of each status, not by skipping every other agency's requests): in order of the
        # last change, and closed since a day.
        Index("ix_requests_agency_status", "agency_id", "status", "updated_at", "id", "private", "closed_on"),
        Index("ix_requests_agency_status_closed_on", "agency_id", "status", "closed_on", "private"),
        # The board filtered to one owner: each status's requests of that owner.
        Index("ix_requests_owner_status", "owner_id", "status"),
        # A reporter's own private requests (requests/access.private_visible_sql), without reading the public ones.
        Index("ix_requests_owner_private", "owner_id", "private", "id"),
        # The agency scorecards' estimates still ahead of today.
        Index("ix_requests_status_estimated_completion_on", "status", "estimated_completion_on", "private",
              "agency_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))  # the newsroom's own short name for it
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    private: Mapped[bool] = mapped_column(default=False)  # visible only to the owner and editors
    status: Mapped[str] = mapped_column(String(30), default="draft", index=True)  # see status.py
    reply_token: Mapped[str] = mapped_column(String(20), unique=True, default=new_reply_token)  # reply address tag

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
    # A kind of request with its own statutory periods (jurisdictions.toml variants), e.g. "commercial" (New
    # Jersey) or "criminal_files" (Virginia); "" for an ordinary request.
    deadline_variant: Mapped[str] = mapped_column(String(30), default="")
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

    # What the agency is told: the subject of letters, portal text and emails ("" = a neutral default).
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The agency's decisions on the request's terms, each from its own letter (an event with the letter).
    expedited_decision: Mapped[str] = mapped_column(String(20), default="")  # "", granted, denied
    expedited_decided_on: Mapped[date | None]
    fee_waiver_decision: Mapped[str] = mapped_column(String(20), default="")  # "", granted, denied, partly
    fee_waiver_decided_on: Mapped[date | None]
    fee_category_decision: Mapped[str] = mapped_column(String(30), default="")  # the category the agency placed us in
    fee_category_decided_on: Mapped[date | None]

    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    # The agency's estimated completion date (5 U.S.C. 552(a)(7)(B)): the latest one and the day it was given;
    # every estimate is also an "estimate" event (requests/estimates.py), which is the history.
    estimated_completion_on: Mapped[date | None]
    estimated_completion_given_on: Mapped[date | None]
    # The batch it was drafted in, with the same request to other agencies (tracker/batches); None: on its own.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("request_batches.id", ondelete="SET NULL"), index=True)
    # Referrals (requests/referrals.py): the request this one was referred from, and the first request of its
    # chain (set once, when the referral is recorded; a chain's requests count once in the ledger).
    referred_from_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"), index=True)
    referral_root_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"), index=True)

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
    referred_from: Mapped[RecordsRequest | None] = relationship(
        remote_side="RecordsRequest.id", foreign_keys=[referred_from_id])

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


_R = RecordsRequest.__table__
# A column's cards in their order (the deadline, then the last change first) read in index order, so the database
# stops at the few it shows.
Index("ix_requests_status_response_due", _R.c.status, _R.c.response_due, _R.c.updated_at.desc(), _R.c.id.desc(),
      _R.c.private, _R.c.agency_id, _R.c.received_on)
Index("ix_requests_status_appeal_decision_due", _R.c.status, _R.c.appeal_decision_due, _R.c.updated_at.desc(),
      _R.c.id.desc(), _R.c.private, _R.c.agency_id)
# "Waiting on us" with no answer due, in order of the appeal's deadline (board/queries._pieces); with one due, in
# order of our answer's deadline; and their week counts.
Index("ix_requests_status_our_answer_appeal_due", _R.c.status, _R.c.our_answer_due_on, _R.c.appeal_due,
      _R.c.updated_at.desc(), _R.c.id.desc(), _R.c.private, _R.c.agency_id)
# The same cards by the appeal's deadline when PostgreSQL does not see "no answer due" as fixing the order of the
# one above: our answer's deadline is then checked in this index; and "due this week" counts of appeals.
Index("ix_requests_status_appeal_due", _R.c.status, _R.c.appeal_due, _R.c.updated_at.desc(), _R.c.id.desc(),
      _R.c.our_answer_due_on, _R.c.private, _R.c.agency_id)
# The request list in its default order (the last change first), so the database stops at the page it shows.
Index("ix_requests_updated_at_id", _R.c.updated_at.desc(), _R.c.id.desc(), _R.c.private, _R.c.owner_id)
# The four above for the board filtered to one agency (board/queries._conditions): that agency's range of each status.
Index("ix_requests_agency_status_response_due", _R.c.agency_id, _R.c.status, _R.c.response_due,
      _R.c.updated_at.desc(), _R.c.id.desc(), _R.c.private)
Index("ix_requests_agency_status_appeal_decision_due", _R.c.agency_id, _R.c.status, _R.c.appeal_decision_due,
      _R.c.updated_at.desc(), _R.c.id.desc(), _R.c.private)
Index("ix_requests_agency_status_our_answer_appeal_due", _R.c.agency_id, _R.c.status, _R.c.our_answer_due_on,
      _R.c.appeal_due, _R.c.updated_at.desc(), _R.c.id.desc(), _R.c.private)
Index("ix_requests_agency_status_appeal_due", _R.c.agency_id, _R.c.status, _R.c.appeal_due, _R.c.updated_at.desc(),
      _R.c.id.desc(), _R.c.our_answer_due_on, _R.c.private)


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
    __table_args__ = (Index("ix_determinations_twelve_months", "stage", "decided_on", "working_days", "on_time"),
                      # the same with the request, for the board's 12-month figures seen by a reporter or a filter
                      Index("ix_determinations_twelve_months_requests", "stage", "decided_on", "working_days",
                            "on_time", "request_id"))

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
    # Where and by when the determination letter says to appeal (it wins over the agency directory).
    appeal_office: Mapped[str] = mapped_column(String(300), default="")
    appeal_address: Mapped[str] = mapped_column(Text, default="")
    appeal_email: Mapped[str] = mapped_column(String(320), default="")
    appeal_portal_url: Mapped[str] = mapped_column(String(500), default="")
    appeal_deadline_stated: Mapped[str] = mapped_column(String(300), default="")  # as the letter words it

    request: Mapped[RecordsRequest] = relationship(back_populates="determinations")
    documents: Mapped[list[DeterminationDocument]] = relationship(
        back_populates="determination", cascade="all, delete-orphan", order_by="DeterminationDocument.position")


class DeterminationDocument(db.Model):
    """One document of a determination's release, as a Vaughn index lists it."""

    __tablename__ = "determination_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    determination_id: Mapped[int] = mapped_column(ForeignKey("determinations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)  # order in the index, from 1
    description: Mapped[str] = mapped_column(String(500))  # e.g. "Report of investigation, 2026-03-02"
    pages: Mapped[int | None]  # pages in the document, when the agency says
    withheld_in_full: Mapped[int] = mapped_column(default=0)  # pages withheld entirely
    withheld_in_part: Mapped[int] = mapped_column(default=0)  # pages released with redactions
    exemptions: Mapped[list] = mapped_column(JSON, default=list)  # codes such as "b6", "b7C"
    note: Mapped[str] = mapped_column(Text, default="")  # the agency's justification, or ours

    determination: Mapped[Determination] = relationship(back_populates="documents")

    @property
    def disposition(self) -> str:
        """Withheld in full, released in part or released in full, from the page counts."""
        if self.pages is not None and self.pages > 0 and self.withheld_in_full >= self.pages:
            return "withheld in full"
        if self.withheld_in_full or self.withheld_in_part:
            return "released in part"
        if self.pages == 0 and self.exemptions:
            return "withheld in full"
        return "released in full"


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
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)  # an email's Message-ID, sent or received
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
