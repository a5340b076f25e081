"""The morning digest: one email per person with the reminders they chose to get once a day, and for
editors the newsroom's overdue and closing deadlines. Built once per newsroom day (at 07:00 by the
scheduler's digest job, or by the first scan after that hour), exactly once per person and day."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from tracker import deadlines
from tracker.auth.models import Role, User
from tracker.core import mail as outbox
from tracker.core.clock import local
from tracker.core.template_helpers import longdate
from tracker.extensions import db
from tracker.reminders import emails, links, wording
from tracker.reminders.models import Reminder
from tracker.reminders.plans import CLOSED_STATUSES
from tracker.reminders.rules import watched_dates
from tracker.reminders.services import claim_day, preferences
from tracker.requests.models import RecordsRequest

CLOSING_WITHIN = 5  # working days: "closing" in the editors' digest
NEWSROOM_LIMIT = 150  # lines in one email; the rest are counted and linked
DEADLINE_COLUMNS = (RecordsRequest.response_due, RecordsRequest.tracking_number_due,
                    RecordsRequest.expedited_decision_due, RecordsRequest.appeal_due,
                    RecordsRequest.appeal_decision_due, RecordsRequest.our_answer_due_on)


def digest_hour() -> int:
    return int(current_app.config.get("TRACKER_DIGEST_HOUR", 7))


def _date_text(day: date) -> str:
    return f"{wording.WEEKDAYS[day.weekday()]}, {longdate(day)}"


def newsroom_deadlines(today: date) -> list[dict]:
    """Every binding deadline of an open request that is overdue or due within CLOSING_WITHIN working days,
    most overdue first."""
    horizon = deadlines.add_working_days("US", today, CLOSING_WITHIN + 2)  # generous; exact check below
    reqs = db.session.scalars(
        select(RecordsRequest).where(RecordsRequest.status.not_in(CLOSED_STATUSES),
                                     or_(*[c <= horizon for c in DEADLINE_COLUMNS]))
        .options(selectinload(RecordsRequest.agency), selectinload(RecordsRequest.owner),
                 selectinload(RecordsRequest.tracking_numbers), selectinload(RecordsRequest.tolled_spans))
    )
    rows = []
    for req in reqs:
        code = req.agency.jurisdiction
        for kind, w in watched_dates(req, today).items():
            if kind == "paused" or not w.active:
                continue
            n = deadlines.working_days_between(code, w.on, today)
            if n > 0:
                headline = f"Overdue {wording.days(n)}"
            elif w.on == today:
                headline = "Due today"
            elif -n <= CLOSING_WITHIN:
                headline = f"Due in {wording.days(-n)}" if n < 0 else f"Due {wording.WEEKDAYS[w.on.weekday()]}"
            else:
                continue
            rows.append({"request_id": req.id, "private": req.private, "owner_id": req.owner_id, "overdue": n > 0,
                         "n": n, "headline": headline, "title": req.title, "owner": req.owner.name,
                         "tracking_number": req.primary_tracking_number,
                         "label": wording.WATCHED_LABELS.get(kind, kind), "deadline_text": _date_text(w.on),
                         "url": links.request_url(req.id)})
    rows.sort(key=lambda r: (-r["n"], r["title"]))
    return rows


def _held(now: datetime) -> dict[int, list[Reminder]]:
    held: dict[int, list[Reminder]] = {}
    rows = db.session.scalars(
        select(Reminder).where(Reminder.status == "held", Reminder.created_at <= now)
        .order_by(Reminder.user_id, Reminder.deadline_on, Reminder.id)
        .options(selectinload(Reminder.request).selectinload(RecordsRequest.tracking_numbers),
                 selectinload(Reminder.user))
    )
    for r in rows:
        if r.request is not None and r.user is not None:
            held.setdefault(r.user_id, []).append(r)
    return held


def _item(r: Reminder) -> dict:
    from tracker.reminders.rules import DEFAULTS

    rule = DEFAULTS.get(r.kind)
    watches = rule.watches if rule else ""
    return {"headline": r.headline, "title": r.request.title,
            "tracking_number": wording.tracking_label(r.request, r.kind),
            "deadline_label": wording.WATCHED_LABELS.get(watches, rule.label if rule else r.kind),
            "deadline_text": _date_text(r.deadline_on), "url": links.request_url(r.request_id)}


def build_digests(*, today: date, now: datetime) -> int:
    """Queue today's digests, once (the day is claimed atomically). Returns how many were queued."""
    if local(now).hour < digest_hour() or not claim_day("digests_on", today):
        return 0
    held = _held(now)
    editors = list(db.session.scalars(select(User).where(User.active.is_(True),
                                                         User.role.in_([Role.EDITOR, Role.ADMIN]))))
    prefs = preferences([*held.keys(), *(e.id for e in editors)])
    editors = [e for e in editors if prefs.get(e.id) is None or prefs[e.id].newsroom_digest]
    newsroom = newsroom_deadlines(today) if editors else []
    people = {u.id: u for u in editors}
    for user_id, items in held.items():
        people.setdefault(user_id, items[0].user)
    queued = 0
    for user in sorted(people.values(), key=lambda u: u.id):
        if not user.active:
            continue
        mine = held.get(user.id, [])
        lines = newsroom if user.is_editor and user in editors else []
        if not mine and not lines:
            continue
        more = max(len(lines) - NEWSROOM_LIMIT, 0)
        subject, text_body, html_body = emails.render_digest(user, today, [_item(r) for r in mine],
                                                             lines[:NEWSROOM_LIMIT], more)
        message_id = outbox.queue(key=f"digest:{user.id}:{today.isoformat()}", to_address=user.email,
                                  subject=subject, text_body=text_body, html_body=html_body, now=now,
                                  user_id=user.id)
        if message_id is None:
            continue
        queued += 1
        if mine:
            db.session.execute(update(Reminder.__table__).where(Reminder.id.in_([r.id for r in mine]))
                               .values(status="mailed", message_id=message_id))
    db.session.flush()
    return queued
