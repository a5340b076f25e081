"""Read-side queries for the reminder pages: the outbox, a person's recent reminders, their feeds."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.core.mail import OutboxMessage
from tracker.extensions import db
from tracker.reminders.models import CalendarToken, Reminder, ReminderRule

OUTBOX_STATUSES = {"pending": "Waiting to be sent", "sending": "Being sent", "sent": "Sent",
                   "failed": "Failed"}


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = {s: 0 for s in OUTBOX_STATUSES}
    counts.update({status: n for status, n in rows})
    return counts


def outbox_page(status: str, page: int, per_page: int = 50):
    query = select(OutboxMessage).options(selectinload(OutboxMessage.user))
    if status in OUTBOX_STATUSES:
        query = query.where(OutboxMessage.status == status)
    query = query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def recent_reminders(user: User, now: datetime, days: int = 30, limit: int = 100) -> list[Reminder]:
    since = now - timedelta(days=days)
    return list(db.session.scalars(
        select(Reminder).where(Reminder.user_id == user.id, Reminder.created_at >= since)
        .order_by(Reminder.created_at.desc(), Reminder.id.desc()).limit(limit)
        .options(selectinload(Reminder.request), selectinload(Reminder.message))
    ))


def live_tokens(user: User) -> list[CalendarToken]:
    return list(db.session.scalars(
        select(CalendarToken).where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
        .order_by(CalendarToken.scope, CalendarToken.created_at)
    ))


def rule_changes() -> dict[str, ReminderRule]:
    return {r.key: r for r in db.session.scalars(select(ReminderRule))}
