"""Giving a request to another colleague: the owner changes, an event says from whom to whom.

Only editors and admins reassign requests (a reporter cannot hand a request to someone else, nor take one).
"""

from __future__ import annotations

from datetime import datetime

from tracker.auth.models import User
from tracker.core.errors import Forbidden, ValidationFailed
from tracker.extensions import db
from tracker.requests import audit
from tracker.requests.models import RecordsRequest
from tracker.requests.services import record_event

ONLY_EDITORS = "Only editors and admins can give a request to another owner."


def new_owner(owner_id: int | None) -> User:
    """The colleague a request is given to: an active user, or a refusal on the owner field."""
    user = db.session.get(User, owner_id) if owner_id else None
    if user is None or not user.active:
        raise ValidationFailed("Choose the new owner.", {"owner_id": "Choose an active colleague as the new owner."})
    return user


def reassign(req: RecordsRequest, owner: User, *, actor: User, now: datetime) -> bool:
    """Make `owner` the request's owner. Returns whether anything changed."""
    if not getattr(actor, "is_editor", False):
        raise Forbidden(ONLY_EDITORS)
    if req.owner_id == owner.id:
        return False
    before = req.owner.name if req.owner is not None else ""
    req.owner = owner
    req.watchers = [w for w in req.watchers if w.id != owner.id]  # the owner is no longer also a watcher
    req.updated_at = now
    record_event(req, actor, now, "edit", note=f"Owner: {before} → {owner.name}",
                 data={"changes": {"owner": [before, owner.name]}})
    audit.record(req, actor=actor, action="change", detail=f"gave the request to {owner.name}", now=now)
    db.session.flush()
    return True
