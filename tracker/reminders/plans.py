"""The scan's index: one plan row per request, holding the next day a reminder may fire.

A scan reads only plans with `check_on <= today` (an index range), so its cost follows the reminders
due, not the number of requests. Plans stay right because:

- any change to a request, its tracking numbers, tolled spans or determinations, made through the ORM
  in any process (web, API, CLI), sets its plan's `check_on` to EARLIEST in the same transaction (the
  `requests_committing` signal, sent once as it commits), so the next scan re-derives it from the stored dates;
- a paused clock moves the stored response date every day: the day's first scan recomputes paused
  requests (services.daily_maintenance), which wakes their plans through the same listener;
- the day's first scan also adds a plan for any open request that has none (rows written by raw SQL).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, bindparam, exists, literal, select, update
from sqlalchemy.orm import Session

from tracker.core.mail import dialect_insert, is_postgres
from tracker.extensions import db
from tracker.reminders.models import ReminderPlan
from tracker.requests.changes import requests_committing
from tracker.requests.models import RecordsRequest

EARLIEST = date(2000, 1, 1)  # "look at this request at the next scan"
CLOSED_STATUSES = ("draft", "closed", "withdrawn")
plans = ReminderPlan.__table__


def _wake_changed(session: Session, *, changes) -> None:
    ids = sorted(changes.request_ids)
    if not ids:
        return
    # Only requests that still exist: one deleted by a cascade in the database leaves no session object behind.
    existing = select(RecordsRequest.id, literal(EARLIEST, Date), literal({}, JSON)).where(RecordsRequest.id.in_(ids))
    stmt = dialect_insert(plans, session).from_select(["request_id", "check_on", "versions"], existing)
    stmt = stmt.on_conflict_do_update(index_elements=[plans.c.request_id], set_={"check_on": EARLIEST})
    session.connection().execute(stmt)


def install_plan_listener() -> None:
    """Wake a request's plan whenever the request changes (idempotent; called by create_app)."""
    requests_committing.connect(_wake_changed)


def wake(request_ids) -> None:
    """Look at these requests at the next scan (e.g. after a rule changed)."""
    ids = sorted(set(request_ids))
    if ids:
        stmt = dialect_insert(plans).on_conflict_do_update(index_elements=[plans.c.request_id],
                                                           set_={"check_on": EARLIEST})
        db.session.execute(stmt, [{"request_id": i, "check_on": EARLIEST, "versions": {}} for i in ids])


def wake_all_open() -> int:
    """Every open request's plan to the next scan: a rule changed, so every schedule may have."""
    open_ids = select(RecordsRequest.id).where(RecordsRequest.status.not_in(CLOSED_STATUSES))
    result = db.session.execute(update(plans).where(plans.c.request_id.in_(open_ids)).values(check_on=EARLIEST))
    return result.rowcount or 0


def add_missing_plans() -> int:
    """A plan for every open request without one (requests written by raw SQL or before this module)."""
    missing = select(RecordsRequest.id, literal(EARLIEST, Date), literal({}, JSON)).where(
        RecordsRequest.status.not_in(CLOSED_STATUSES),
        ~exists().where(plans.c.request_id == RecordsRequest.id),
    )
    stmt = dialect_insert(plans).from_select(["request_id", "check_on", "versions"], missing)
    result = db.session.execute(stmt.on_conflict_do_nothing())
    return result.rowcount or 0


def due_plan_ids(today: date, limit: int) -> list[int]:
    """Request ids whose plan is due, oldest first. On PostgreSQL the rows stay locked until the caller
    commits and rows another scanner holds are skipped (FOR UPDATE SKIP LOCKED), so two scanners split
    the work; on SQLite the caller holds the single write lock (see services.begin_write)."""
    query = select(plans.c.request_id).where(plans.c.check_on <= today).order_by(plans.c.check_on,
                                                                                  plans.c.request_id).limit(limit)
    if is_postgres():
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


SET_PLAN = update(plans).where(plans.c.request_id == bindparam("rid")).values(
    check_on=bindparam("check_on"), checked_at=bindparam("checked_at"), versions=bindparam("versions"))


def set_plans(rows: list[dict]) -> None:
    """Each {"rid", "check_on", "checked_at", "versions"}: where the scan looks next, and the dates it saw."""
    if rows:
        db.session.execute(SET_PLAN, rows)


def drop_plans(request_ids) -> None:
    ids = list(request_ids)
    if ids:
        db.session.execute(plans.delete().where(plans.c.request_id.in_(ids)))
