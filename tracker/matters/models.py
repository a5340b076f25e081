"""OPR matters (the investigations the requests are for) and the public sources about them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.extensions import db


class MatterCategory(enum.StrEnum):
    CRIMINAL = "criminal"
    ADMINISTRATIVE = "administrative"
    SYSTEMIC = "systemic"
    USE_OF_FORCE = "use_of_force"
    DEATH_IN_CUSTODY = "death_in_custody"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Matter(db.Model):
    __tablename__ = "matters"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[MatterCategory] = mapped_column(
        Enum(MatterCategory, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e]),
        default=MatterCategory.OTHER,
    )
    opr_case_number: Mapped[str] = mapped_column(String(100), default="")  # when known
    place: Mapped[str] = mapped_column(String(200), default="")
    began_on: Mapped[date | None]  # when the conduct or the investigation began, as far as known
    ended_on: Mapped[date | None]
    public_outcome: Mapped[str] = mapped_column(Text, default="")  # what is publicly known of the outcome
    notes: Mapped[str] = mapped_column(Text, default="")  # uncertainties of identification, etc.
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Who recorded it: with editors, the only one who may change its fields or remove its sources.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    sources: Mapped[list[Source]] = relationship(
        back_populates="matter", cascade="all, delete-orphan", order_by="Source.published_on"
    )

    def __repr__(self) -> str:
        return f"<Matter {self.title}>"


class Source(db.Model):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    published_on: Mapped[date | None]
    quote: Mapped[str] = mapped_column(Text, default="")  # the passage that matters
    official_report: Mapped[bool] = mapped_column(default=False)  # an official public report discloses the outcome

    matter: Mapped[Matter] = relationship(back_populates="sources")


class MatterStateOverride(db.Model):
    """An editor's correction of a matter's derived disclosure state, always with a written reason."""

    __tablename__ = "matter_state_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), unique=True)  # one per matter
    state: Mapped[str] = mapped_column(String(20))  # a state code of matters/states.py STATES
    reason: Mapped[str] = mapped_column(Text)  # why the derived state is wrong; shown beside the state
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # the editor
    set_at: Mapped[datetime] = mapped_column(default=now_utc)

    matter: Mapped[Matter] = relationship()
    set_by: Mapped[User | None] = relationship()


class MatterSummary(db.Model):
    """What a matter's requests add up to, kept so the ledger need not re-read every request (summaries.py).

    Fresh when `computed == changes`; any change to the matter's requests bumps `changes` in the same
    transaction, and the next read recomputes it, so a read never serves a stale summary."""

    __tablename__ = "matter_summaries"

    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True)
    changes: Mapped[int] = mapped_column(default=0)  # bumped by every flush that touches the matter's requests
    computed: Mapped[int] = mapped_column(default=-1)  # the `changes` the facts below were computed at
    public: Mapped[dict | None] = mapped_column(JSON)  # facts over its requests that are not private
    private: Mapped[dict | None] = mapped_column(JSON)  # facts over its private requests
    # What the ledger filters, counts and sorts by, so the database can page it: the state the requests
    # alone give (disclosure.derived_state; sources and overrides are applied in SQL) and the day number
    # (sqldays) of the first request sent, over the public requests and over all of them.
    state_public: Mapped[str | None] = mapped_column(String(20))
    first_public: Mapped[int | None]
    state_all: Mapped[str | None] = mapped_column(String(20))
    first_all: Mapped[int | None]


class MatterOwnerSummary(db.Model):
    """A matter's private requests summed up again per owner, kept beside its MatterSummary and computed with it:
    a reporter's ledger reads their own private part here instead of counting their private requests live (a
    reporter may own hundreds, across as many matters).

    Current when `computed` equals its matter summary's `computed` and that one is fresh; rows of an earlier
    computation are ignored by readers and replaced by the next."""

    __tablename__ = "matter_owner_summaries"
    # Kept and replaced per matter (summaries.py); read per owner (the primary key).
    __table_args__ = (Index("ix_matter_owner_summaries_matter_id", "matter_id", "computed"),)

    owner_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the private requests' owner
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True)
    computed: Mapped[int]  # the MatterSummary.computed these facts were computed at
    private: Mapped[dict | None] = mapped_column(JSON)  # facts (ledger/facts.py) over this owner's private requests
