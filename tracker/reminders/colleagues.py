"""The weekly digest of what colleagues filed: for each person who opted in (reminder preferences), one email
each Monday listing the requests colleagues sent in the week before (Monday to Sunday), only those the person
may see. Built at the morning digest's hour by the scan (or its first run after that, later in the week);
exactly once per person and week: the week is claimed atomically (reminder_state.colleagues_week_on, as the
daily digest claims its day) and each email's outbox key names the person and the week."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.core import mail as outbox
from tracker.core.clock import local
from tracker.core.mail import absolute
from tracker.core.template_helpers import longdate
from tracker.extensions import db
from tracker.reminders import links
from tracker.reminders.digest import digest_hour
from tracker.reminders.models import ReminderPreference
from tracker.reminders.services import claim_day
from tracker.requests.access import visible_to
from tracker.requests.models import RecordsRequest

LIMIT = 100  # requests listed in one email; the rest are counted and linked


def week_of(day: date) -> date:
    """The Monday of the week of this day."""
    return day - timedelta(days=day.weekday())


def filed_by_colleagues(user: User, first: date, last: date) -> list[RecordsRequest]:
    """Requests others sent between these days (inclusive) that this person may see, oldest first."""
    return list(db.session.scalars(
        select(RecordsRequest)
        .where(RecordsRequest.sent_on >= first, RecordsRequest.sent_on <= last,
               RecordsRequest.owner_id != user.id, RecordsRequest.status != "draft", visible_to(user))
        .order_by(RecordsRequest.sent_on, RecordsRequest.id)
        .options(selectinload(RecordsRequest.agency), selectinload(RecordsRequest.owner),
                 selectinload(RecordsRequest.matters), selectinload(RecordsRequest.tracking_numbers))
    ))


def _item(req: RecordsRequest) -> dict:
    return {"title": req.title, "owner": req.owner.name, "agency": req.agency.label, "sent_on": longdate(req.sent_on),
            "tracking_number": req.primary_tracking_number, "matters": [m.title for m in req.matters],
            "description": " ".join((req.records_description or "").split())[:300], "url": links.request_url(req.id)}


def render(user: User, first: date, last: date, items: list[dict], more: int) -> tuple[str, str, str]:
    total = len(items) + more
    subject = (f"[FOIA] Filed by colleagues, week of {longdate(first)}: "
               f"{total} request{'' if total == 1 else 's'}")
    context = {"user": user, "first": first, "last": last, "items": items, "more": more,
               "requests_url": absolute("requests.list_requests"), "preferences_url": absolute("reminders.mine")}
    return (subject, render_template("emails/colleagues.txt", **context),
            render_template("emails/colleagues.html", **context))


def build_colleague_digests(*, today: date, now: datetime) -> int:
    """Queue this week's digests of what colleagues filed, once. Returns how many were queued."""
    if today.weekday() == 0 and local(now).hour < digest_hour():
        return 0
    monday = week_of(today)
    if not claim_day("colleagues_week_on", monday):
        return 0
    first, last = monday - timedelta(days=7), monday - timedelta(days=1)
    people = db.session.scalars(
        select(User).join(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(ReminderPreference.colleagues_digest.is_(True), User.active.is_(True)).order_by(User.id))
    queued = 0
    for user in people:
        found = filed_by_colleagues(user, first, last)
        if not found:
            continue
        subject, text_body, html_body = render(user, first, last, [_item(r) for r in found[:LIMIT]],
                                               max(len(found) - LIMIT, 0))
        if outbox.queue(key=f"colleagues:{user.id}:{monday.isoformat()}", to_address=user.email, subject=subject,
                        text_body=text_body, html_body=html_body, now=now, user_id=user.id) is not None:
            queued += 1
    db.session.flush()
    return queued
