"""Calendar feeds (iCalendar): an all-day event for each binding deadline of a person's requests, or of the
whole newsroom for editors. UIDs are stable per request and deadline kind; SEQUENCE goes up each time
the date moves (the scan records the versions); each event has an alarm the afternoon before."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from tracker.core.mail import mail_domain, one_line
from tracker.extensions import db
from tracker.reminders import links, wording
from tracker.reminders.emails import how_computed
from tracker.reminders.models import CalendarToken, ReminderPlan
from tracker.reminders.plans import CLOSED_STATUSES
from tracker.reminders.rules import watched_dates
from tracker.reminders.services import FEED_KINDS
from tracker.requests import audit
from tracker.requests.access import visible_to
from tracker.requests.models import RecordsRequest, request_watchers

ALARM_BEFORE = timedelta(hours=15)  # 09:00 the day before an all-day event


def feed_requests(token: CalendarToken) -> list[RecordsRequest]:
    """Open requests in this feed: the person's own and watched ones, or (newsroom feed) all they may see."""
    user = token.user
    query = select(RecordsRequest).where(RecordsRequest.status.not_in(CLOSED_STATUSES), visible_to(user))
    if token.scope != "newsroom":
        watched = exists().where(request_watchers.c.request_id == RecordsRequest.id,
                                 request_watchers.c.user_id == user.id)
        query = query.where(or_(RecordsRequest.owner_id == user.id, watched))
    return list(db.session.scalars(query.order_by(RecordsRequest.id).options(
        selectinload(RecordsRequest.agency), selectinload(RecordsRequest.tracking_numbers),
        selectinload(RecordsRequest.tolled_spans), selectinload(RecordsRequest.owner),
    )))


def _sequence(versions: dict, kind: str, on: date) -> int:
    v = (versions or {}).get(kind)
    if v is None:
        return 0
    seq = int(v.get("seq", 0))
    return seq if v.get("on") == on.isoformat() else seq + 1  # moved since the last scan recorded it


def build_feed(token: CalendarToken, *, today: date, now: datetime) -> bytes:
    reqs = feed_requests(token)
    audit.record_many(reqs, actor=token.user, action="export", detail="calendar feed", now=now)
    versions = dict(db.session.execute(
        select(ReminderPlan.request_id, ReminderPlan.versions).where(ReminderPlan.request_id.in_([r.id for r in reqs]))
    ).all()) if reqs else {}
    domain = mail_domain()
    cal = Calendar()
    cal.add("prodid", "-//Records tracker//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = "Newsroom FOIA deadlines" if token.scope == "newsroom" else f"FOIA deadlines: {token.user.name}"
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for req in reqs:
        for kind, w in watched_dates(req, today).items():
            if kind not in FEED_KINDS or not w.active:
                continue
            cal.add_component(_event(req, kind, w.on, _sequence(versions.get(req.id), kind, w.on), domain, now,
                                     show_owner=token.scope == "newsroom"))
    return cal.to_ical()


def _event(req: RecordsRequest, kind: str, on: date, sequence: int, domain: str, now: datetime, *,
           show_owner: bool) -> Event:
    label = wording.WATCHED_LABELS.get(kind, kind)
    number = wording.tracking_label(req, kind)
    url = links.request_url(req.id)
    ev = Event()
    ev.add("uid", f"request-{req.id}-{kind}@{domain}")
    ev.add("sequence", sequence)
    ev.add("dtstamp", now)
    ev.add("dtstart", on)
    ev.add("dtend", on + timedelta(days=1))
    ev.add("transp", "TRANSPARENT")
    ev.add("summary", one_line(f"{label}: {req.title}" + (f" ({number})" if number else "")))
    lines = [f"Agency: {req.agency.label}"]
    if show_owner:
        lines.append(f"Owner: {req.owner.name}")
    steps = how_computed(req, kind)
    if steps:
        lines += ["", "How the date was computed:"] + [f"{i}. {s}" for i, s in enumerate(steps, 1)]
    lines += ["", url]
    ev.add("description", "\n".join(lines))
    ev.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tomorrow: {label}: {req.title}")
    alarm.add("trigger", -ALARM_BEFORE)
    ev.add_component(alarm)
    return ev
