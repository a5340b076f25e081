"""Reading a batch: only the requests the user may see (requests/access.py); a batch of none is not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tracker import deadlines
from tracker.auth.models import User
from tracker.batches.models import RequestBatch
from tracker.core.converters import MAX_ID
from tracker.core.errors import NotFound
from tracker.extensions import db
from tracker.requests import access, audit, due_dates
from tracker.requests.models import RecordsRequest
from tracker.requests.status import OUTCOMES, STATUSES

NOT_FOUND = "There is no batch with this id."


@dataclass
class Row:
    """One request of the batch, as the batch page and the API show it."""

    req: RecordsRequest
    status_label: str
    tracking_number: str
    due: date | None  # the deadline that runs now (response, appeal decision...), if any
    due_label: str  # what that deadline is, e.g. "Response due"
    outcome: str  # the latest determination, in words; "" when none yet
    can_act: bool
    law: str  # the law whose deadlines it runs under, e.g. "Colorado Open Records Act"


def load(user: User, batch_id: int, *, audit_as: str = "", detail: str = "batch page",
         now: datetime | None = None) -> tuple[RequestBatch, list[RecordsRequest]]:
    """The batch and the requests of it this user may see; NotFound when none (or no such batch). With
    audit_as, the access is written to each private request's audit trail."""
    batch = db.session.get(RequestBatch, batch_id) if 0 < batch_id <= MAX_ID else None
    reqs = [r for r in batch.requests if access.can_view(user, r)] if batch is not None else []
    if not reqs:
        raise NotFound(NOT_FOUND)
    if audit_as:
        audit.record_many(reqs, actor=user, action=audit_as, detail=detail, now=now)
    return batch, reqs


def law_name(code: str) -> str:
    try:
        return deadlines.jurisdiction(code).name
    except ValueError:
        return code


def rows(user: User, reqs: list[RecordsRequest]) -> list[Row]:
    out = []
    for req in reqs:
        live = due_dates.live_deadline(req)
        out.append(Row(req=req, status_label=STATUSES[req.status].label if req.status in STATUSES else req.status,
                       tracking_number=req.primary_tracking_number, due=live[1] if live else None,
                       due_label=live[0] if live else "", outcome=OUTCOMES.get(req.outcome, req.outcome or ""),
                       can_act=access.can_act(user, req), law=law_name(req.agency.jurisdiction)))
    return out
