"""Tables of the reminders module: rules, preferences, the per-request plan, reminders, calendar feed tokens
and calendar event versions (the mail outbox is core/mail.py).

Exactly-once rests on two unique keys: a reminder's natural key (request, kind, deadline date, step,
recipient) and an outbox message's `key`. See delivery.py for the claim protocol.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.requests.models import RecordsRequest


class ReminderRule(db.Model):
    """A newsroom's change to one of the built-in reminder rules (rules.DEFAULT_RULES); no row: the default."""

    __tablename__ = "reminder_rules"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # a key of rules.DEFAULT_RULES
    enabled: Mapped[bool] = mapped_column(default=True)  # off: the rule never fires
    steps: Mapped[list] = mapped_column(JSON, default=list)  # working days relative to the deadline, e.g. [-15, -5, -1]
    repeat_every: Mapped[int | None]  # after the last step, again every N working days while it holds
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # who changed it
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)  # when it was last changed


class ReminderPreference(db.Model):
    """How one person wants reminders: at once or in a morning digest, and which kinds not at all."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)  # whose
    mode: Mapped[str] = mapped_column(String(20), default="immediate")  # "immediate" or "digest"
    muted_kinds: Mapped[list] = mapped_column(JSON, default=list)  # rule keys this person does not want
    newsroom_digest: Mapped[bool] = mapped_column(default=True)  # editors: the daily newsroom-wide digest
    colleagues_digest: Mapped[bool] = mapped_column(default=False)  # opted in: each Monday, what colleagues filed
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)  # when it was last changed


class ReminderPlan(db.Model):
    """One row per request: the next day on which one of its reminders may fire (the scan's index).

    Any change to a request sets `check_on` to EARLIEST (plans.py), so the next scan re-derives its
    reminders from the stored deadlines; a scan sets it to the next day a rule could fire, or NULL.
    """

    __tablename__ = "reminder_plans"
    __table_args__ = (Index("ix_reminder_plans_check_on", "check_on"),)

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    check_on: Mapped[date | None]  # the scan looks at this request on or after this day; NULL: nothing ahead
    checked_at: Mapped[datetime | None]  # when a scan last derived its reminders
    versions: Mapped[dict] = mapped_column(JSON, default=dict)  # deadline kind -> {"on": date, "seq": n} for ICS


class Reminder(db.Model):
    """One reminder that fired: unique per (request, kind, deadline date, step, recipient)."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("request_id", "kind", "deadline_on", "step", "user_id", name="uq_reminders_natural_key"),
        Index("ix_reminders_held", "user_id", sqlite_where=text("status = 'held'"),
              postgresql_where=text("status = 'held'")),
        Index("ix_reminders_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))  # about which request
    kind: Mapped[str] = mapped_column(String(40))  # the rule key, e.g. "response_overdue"
    deadline_on: Mapped[date]  # the deadline (or anchor day) it is about, as stored when it fired
    step: Mapped[int]  # working days from the deadline at which it fired: -3, 0, 1, 6...
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # the recipient
    fired_on: Mapped[date]  # the newsroom day the scan found it due
    status: Mapped[str] = mapped_column(String(20))  # "mailed", "held" (for the digest) or "muted"
    headline: Mapped[str] = mapped_column(String(300))  # e.g. "Overdue 3 working days" (for digests and lists)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)  # when the scan recorded it

    request: Mapped[RecordsRequest] = relationship()
    user: Mapped[User] = relationship()
    message: Mapped[OutboxMessage | None] = relationship()


class CalendarToken(db.Model):
    """A secret calendar feed URL; only its SHA-256 is stored, so the URL is shown once, when made."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)  # whose feed
    scope: Mapped[str] = mapped_column(String(20), default="mine")  # "mine" or "newsroom" (editors)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret in the URL
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    revoked_at: Mapped[datetime | None]  # set when revoked or replaced; the URL then answers 404
    last_used_at: Mapped[datetime | None]  # the last time a calendar fetched it

    user: Mapped[User] = relationship()


class ReminderState(db.Model):
    """A single row: the newsroom day of the last daily maintenance and digest run (claimed atomically)."""

    __tablename__ = "reminder_state"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    maintained_on: Mapped[date | None]  # paused clocks recomputed, missing plans added, on this day
    digests_on: Mapped[date | None]  # the morning digests were built on this day
    last_scan_at: Mapped[datetime | None]  # no longer written (nothing read it); left for a migration to drop
    colleagues_week_on: Mapped[date | None]  # the Monday of the last week whose colleagues' digests were built
