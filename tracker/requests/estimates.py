"""The agency's estimated completion date (5 U.S.C. 552(a)(7)(B)): recorded from an acknowledgment or any later
letter, kept on the request (the latest) and as "estimate" events (the history), reminded when it passes.
"""

from __future__ import annotations

from datetime import date, datetime

from tracker.auth.models import User
from tracker.core.errors import ValidationFailed
from tracker.core.template_helpers import longdate
from tracker.core.validation import event_day_error, planned_day_error
from tracker.requests.models import Event, RecordsRequest
from tracker.requests.services import record_event
from tracker.requests.status import OPEN_AT_AGENCY

ACTION = "estimate"
# Where an estimate still binds: the agency has the request (or the appeal) and has not answered it.
RUNNING = (*OPEN_AT_AGENCY, "appealed")
FIELD = "estimated_completion_on"


def check(estimated_on: date | None, given_on: date | None, today: date, *, field: str = FIELD) -> None:
    if estimated_on is None:
        raise ValidationFailed("Give the date the agency estimates.", {field: "Give the date the agency estimates."})
    if message := planned_day_error(estimated_on):
        raise ValidationFailed(message, {field: message})
    if message := event_day_error(given_on, today):
        raise ValidationFailed(message, {"on": message})
    if given_on is not None and estimated_on < given_on:
        message = "The estimated date is before the day the agency gave it."
        raise ValidationFailed(message, {field: message})


def record(req: RecordsRequest, estimated_on: date, *, given_on: date | None, actor: User | None, now: datetime,
           today: date, field: str = FIELD) -> Event | None:
    """Record the agency's estimate. The same date again changes nothing; a new one is kept with the old one
    in its event, so the timeline shows every estimate the agency gave."""
    check(estimated_on, given_on, today, field=field)
    if estimated_on == req.estimated_completion_on:
        return None
    earlier = req.estimated_completion_on
    req.estimated_completion_on = estimated_on
    req.estimated_completion_given_on = given_on or today
    req.updated_at = now
    note = f"The agency estimates it will complete the request by {longdate(estimated_on)}"
    note += f" (it had said {longdate(earlier)})." if earlier else "."
    return record_event(req, actor, now, ACTION, on=given_on or today, note=note,
                        data={"estimated_on": estimated_on, "earlier": earlier})


def passed(req: RecordsRequest, today: date) -> bool:
    """Whether the agency's latest estimate has passed while the request still waits on it."""
    return req.estimated_completion_on is not None and req.status in RUNNING \
        and req.estimated_completion_on < today


def history(req: RecordsRequest) -> list[dict]:
    """Every estimate given, oldest first: the day given and the date estimated."""
    out = []
    for event in sorted((e for e in req.events if e.action == ACTION), key=lambda e: (e.on or date.min, e.id)):
        data = event.data or {}
        if data.get("estimated_on"):
            out.append({"given_on": event.on, "estimated_on": date.fromisoformat(data["estimated_on"])})
    return out
