"""Drafting a batch: one request per agency, in one step, sharing title, description and matters.

Each draft is the ordinary request (requests.services.create_request), so each has its own letter, clock,
tracking number and status, and its agency's own deadline rules. Bad agency lists are refused before anything
is created; the caller commits once, so a refusal half way leaves nothing either.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.batches.models import RequestBatch
from tracker.core.errors import ValidationFailed
from tracker.extensions import db
from tracker.requests import services as request_services

MAX_AGENCIES = 25
MIN_AGENCIES = 2
# The request fields a batch shares; the kind of state request (deadline_variant) belongs to one agency's law
# and is set on each draft afterwards.
SHARED_FIELDS = tuple(n for n in request_services.EDITABLE_FIELDS
                      if n not in ("agency_id", "deadline_variant", "sent_on", "received_on", "our_answer_due_on",
                                   "fees_estimated", "fees_paid"))


def agency_error(agency_ids: list) -> tuple[str, list[Agency]]:
    """What is wrong with the chosen agencies ("" when nothing), and the agencies in the order chosen."""
    ids = [i for i in agency_ids if i is not None]
    if len(ids) < MIN_AGENCIES:
        return ("Choose at least two agencies (for one agency, draft a single request)." if ids else
                "Choose the agencies to ask."), []
    if len(ids) > MAX_AGENCIES:
        return f"Choose at most {MAX_AGENCIES} agencies in one batch (you chose {len(ids)}).", []
    found = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))}
    if any(i not in found for i in ids):
        return "One of the agencies is not in the directory.", []
    twice = [found[i].label for i in dict.fromkeys(i for i in ids if ids.count(i) > 1)]
    if twice:
        return f"{_and(twice)} {'is' if len(twice) == 1 else 'are'} chosen twice: each agency gets one request.", []
    return "", [found[i] for i in ids]


def create_batch(*, actor: User, now: datetime, today: date, data: dict, agency_ids: list[int],
                 matter_ids: list[int] = (), watcher_ids: list[int] = ()) -> RequestBatch:
    """One draft request per agency, grouped in a new batch; refused whole when any part is wrong."""
    message, agencies = agency_error(list(agency_ids))
    shared = {k: v for k, v in data.items() if k in SHARED_FIELDS}
    if message:
        errors = {"agency_ids": message}
        if not (shared.get("title") or "").strip():
            errors["title"] = "Give the request a short title."
        raise ValidationFailed("The batch has errors.", errors)
    batch = RequestBatch(title=(shared.get("title") or "").strip()[:300], created_by=actor.id, created_at=now)
    db.session.add(batch)
    db.session.flush()
    names = [a.label for a in agencies]
    for agency in agencies:
        req = request_services.create_request(actor=actor, now=now, today=today,
                                              data={**shared, "agency_id": agency.id},
                                              matter_ids=list(matter_ids), watcher_ids=list(watcher_ids))
        req.batch_id = batch.id
        others = [n for n in names if n != agency.label]
        req.events[-1].note = f"Request drafted in a batch, with the same request to {_and(others)}."
    db.session.flush()
    db.session.expire(batch, ["requests"])
    return batch


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

