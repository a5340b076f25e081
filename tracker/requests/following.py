"""Following a request: any colleague who may see it can follow it, and its reminders then come to them too.

A follower is a watcher (the one list the reminders, the calendar feed and the permissions read): following
is how a colleague adds themself to that list without asking the owner to edit the request.
"""

from __future__ import annotations

from datetime import datetime

from tracker.auth.models import User
from tracker.core.errors import NotFound, ValidationFailed
from tracker.extensions import db
from tracker.requests.access import can_view
from tracker.requests.models import RecordsRequest


def follows(req: RecordsRequest, user: User) -> bool:
    return req.owner_id == user.id or any(w.id == user.id for w in req.watchers)


def follow(req: RecordsRequest, *, user: User, now: datetime) -> bool:
    """Add `user` to the request's followers. Returns whether anything changed."""
    if not can_view(user, req):
        raise NotFound("No such request.")
    if req.owner_id == user.id:
        raise ValidationFailed("You own this request: its reminders already come to you.")
    if follows(req, user):
        return False
    req.watchers.append(user)
    req.updated_at = now
    db.session.flush()
    return True


def unfollow(req: RecordsRequest, *, user: User, now: datetime) -> bool:
    """Take `user` off the request's followers. The owner cannot: the request is theirs."""
    if not can_view(user, req):
        raise NotFound("No such request.")
    if req.owner_id == user.id:
        raise ValidationFailed("You own this request; give it to a colleague before you stop following it.")
    if not any(w.id == user.id for w in req.watchers):
        return False
    req.watchers = [w for w in req.watchers if w.id != user.id]
    req.updated_at = now
    db.session.flush()
    return True
