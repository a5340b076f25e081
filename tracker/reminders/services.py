"""The scan's operations: derive the reminders due from the stored deadlines, record them, queue their mail.

They add and flush; scan.run_scan (the job and the CLI command) commits once per batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from tracker.auth.models import User
from tracker.core import mail as outbox
from tracker.core.mail import dialect_insert, is_postgres
from tracker.extensions import db
from tracker.reminders import emails, plans, wording
from tracker.reminders.models import Reminder, ReminderPreference, ReminderRule, ReminderState
from tracker.reminders.rules import (
    PAUSED_STATUSES,
    Due,
    Rule,
    due_reminders,
    effective_rules,
    next_check,
    watched_dates,
)
from tracker.requests import due_dates
from tracker.requests.access import can_view
from tracker.requests.models import RecordsRequest

reminders = Reminder.__table__
state = ReminderState.__table__
SET_MESSAGE = update(reminders).where(reminders.c.id == bindparam("rid")).values(message_id=bindparam("mid"))
FEED_KINDS = ("response", "tracking_number", "expedited", "appeal", "appeal_decision", "our_answer",
              "deemed_denial", "appeal_no_response", "certification", "ag_ruling")


@dataclass(frozen=True)
class Preference:
    mode: str = "immediate"
    muted: frozenset[str] = frozenset()
    newsroom_digest: bool = True


def current_rules() -> list[Rule]:
    return effective_rules(db.session.scalars(select(ReminderRule)))


def preferences(user_ids) -> dict[int, Preference]:
    ids = list(set(user_ids))
    rows = db.session.scalars(select(ReminderPreference).where(ReminderPreference.user_id.in_(ids))) if ids else []
    return {p.user_id: Preference(p.mode, frozenset(p.muted_kinds or ()), p.newsroom_digest) for p in rows}


def recipients(req: RecordsRequest) -> list[User]:
    """The owner and the watchers who are active and may see the request, each once."""
    out, seen = [], set()
    for user in [req.owner, *req.watchers]:
        if user is None or user.id in seen or not user.active or not can_view(user, req):
            continue
        seen.add(user.id)
        out.append(user)
    return out


def reminder_key(request_id: int, due: Due, user_id: int) -> str:
    return f"reminder:{request_id}:{due.rule.key}:{due.deadline_on.isoformat()}:{due.step}:{user_id}"


def fire(req: RecordsRequest, due: Due, user: User, pref: Preference, *, today: date, now: datetime) -> int | None:
    """Record one reminder (once: its natural key is unique) and queue its email if the person wants it now.
    Returns the reminder's id, or None when it was recorded before."""
    if due.rule.key in pref.muted:
        status = "muted"
    else:
        status = "held" if pref.mode == "digest" else "mailed"
    stmt = dialect_insert(reminders).on_conflict_do_nothing().returning(reminders.c.id)
    reminder_id = db.session.execute(stmt, {
        "request_id": req.id, "kind": due.rule.key, "deadline_on": due.deadline_on, "step": due.step,
        "user_id": user.id, "fired_on": today, "status": status,
        "headline": wording.headline(req, due, today)[:300], "created_at": now,
    }).scalar()
    if reminder_id is None or status != "mailed":
        return reminder_id
    subject, text_body, html_body = emails.render_reminder(req, due, user, today)
    message_id = outbox.queue(key=reminder_key(req.id, due, user.id), to_address=user.email, subject=subject,
                              text_body=text_body, html_body=html_body, now=now, user_id=user.id,
                              request_id=req.id)
    if message_id is not None:
        db.session.execute(SET_MESSAGE, {"rid": reminder_id, "mid": message_id})
    return reminder_id


def feed_versions(old: dict, watched: dict) -> dict:
    """{kind: {"on": date, "seq": n}} for the calendar feed: SEQUENCE goes up each time a date moves."""
    out = dict(old or {})
    for kind, w in watched.items():
        if kind not in FEED_KINDS:
            continue
        before = out.get(kind)
        if before is None:
            out[kind] = {"on": w.on.isoformat(), "seq": 0}
        elif before.get("on") != w.on.isoformat():
            out[kind] = {"on": w.on.isoformat(), "seq": int(before.get("seq", 0)) + 1}
    return out


def _load(request_ids: list[int]) -> list[RecordsRequest]:
    return list(db.session.scalars(
        select(RecordsRequest).where(RecordsRequest.id.in_(request_ids)).options(
            selectinload(RecordsRequest.agency), selectinload(RecordsRequest.owner),
            selectinload(RecordsRequest.watchers), selectinload(RecordsRequest.tracking_numbers),
            selectinload(RecordsRequest.tolled_spans),
        )
    ))


def process_plans(request_ids: list[int], *, rules: list[Rule], today: date, now: datetime) -> int:
    """Derive and record the reminders due today for these requests, and schedule each plan's next look."""
    found = _load(request_ids)
    plans.drop_plans(set(request_ids) - {r.id for r in found})  # requests deleted since
    old_versions = dict(db.session.execute(
        select(plans.plans.c.request_id, plans.plans.c.versions).where(plans.plans.c.request_id.in_(request_ids))
    ).all())
    prefs = preferences(u.id for req in found for u in [req.owner, *req.watchers] if u is not None)
    fired = 0
    schedule = []
    for req in found:
        watched = watched_dates(req, today)
        dues = due_reminders(req, rules, today, watched)
        if dues:
            people = recipients(req)
            for due in dues:
                for user in people:
                    if fire(req, due, user, prefs.get(user.id, Preference()), today=today, now=now) is not None:
                        fired += 1
        schedule.append({"rid": req.id, "check_on": next_check(req, rules, today, watched), "checked_at": now,
                         "versions": feed_versions(old_versions.get(req.id) or {}, watched)})
    plans.set_plans(schedule)
    db.session.flush()
    return fired


# --- once a day --------------------------------------------------------------------------------------------

def ensure_state() -> None:
    db.session.execute(dialect_insert(state).values(id=1).on_conflict_do_nothing())


def claim_day(column: str, today: date) -> bool:
    """True for the one caller that first marks `column` with today (an atomic UPDATE ... WHERE)."""
    ensure_state()
    col = state.c[column]
    result = db.session.execute(
        update(state).where(state.c.id == 1, (col.is_(None)) | (col < today)).values({column: today})
    )
    return bool(result.rowcount)


def daily_maintenance(today: date) -> bool:
    """At the day's first scan: recompute paused clocks (their stored response date assumes the pause ends
    today; the plan listener then wakes them), and add plans for open requests that have none."""
    if not claim_day("maintained_on", today):
        return False
    paused = db.session.scalars(
        select(RecordsRequest).where(RecordsRequest.status.in_(PAUSED_STATUSES))
        .options(selectinload(RecordsRequest.agency), selectinload(RecordsRequest.tolled_spans),
                 selectinload(RecordsRequest.determinations))
    )
    for req in paused:
        if req.open_tolled_span is not None:
            due_dates.recompute(req, today)
            if db.session.is_modified(req):
                flag_modified(req, "updated_at")  # a new day is not an edit: keep "last updated" as it was
    db.session.flush()
    plans.add_missing_plans()
    return True


def touch_write_lock() -> None:
    """On SQLite, take the single write lock before reading, so the batch reads and writes one consistent
    state and two scanners take turns (PostgreSQL uses row locks instead). The INSERT of ensure_state is a
    write statement: SQLite takes its write lock at it even when the row is already there, and holds it to
    the commit, so nothing needs to be written for the lock's sake."""
    if not is_postgres():
        ensure_state()
