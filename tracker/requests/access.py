"""Who may see and act on a request: the one rule, in Python and in SQL, and the one way every door (web
views, the API, the CLI, feeds and exports) loads a request.

A request the user may not see answers exactly like one that does not exist (404), so a private request's
existence is never confirmed; acting on a request one may see but not act on is refused (403).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Integer, bindparam, exists, false, or_, select, true, union
from sqlalchemy.orm import aliased

from tracker.core.converters import MAX_ID
from tracker.core.errors import Forbidden, NotFound
from tracker.extensions import db
from tracker.requests import audit
from tracker.requests import shown as shown_request
from tracker.requests.models import RecordsRequest, request_watchers

if TYPE_CHECKING:
    from tracker.auth.models import User


VIEWER_ID = bindparam("viewer_id", type_=Integer)
NOT_FOUND = "There is no request with this id."
NOT_YOURS = "Only the request's owner, its watchers and editors can change it."


def viewer_kind(user: User) -> str:
    """"none" (signed out or deactivated), "all" (editors and admins) or "member" (public, own, watched)."""
    if user is None or not user.is_authenticated or not user.active:
        return "none"
    return "all" if user.is_editor else "member"


def _watches(user: User, req: RecordsRequest) -> bool:
    return any(w.id == user.id for w in req.watchers)


def can_view(user: User, req: RecordsRequest) -> bool:
    """Newsroom-wide reading by default; a private request only for its owner, watchers and editors."""
    kind = viewer_kind(user)
    if kind == "none":
        return False
    return kind == "all" or req.owner_id == user.id or not req.private or _watches(user, req)


def can_act(user: User, req: RecordsRequest) -> bool:
    """Reporters act on their own and watched requests; editors on all."""
    kind = viewer_kind(user)
    if kind == "none":
        return False
    return kind == "all" or req.owner_id == user.id or _watches(user, req)


def visible_sql(kind: str, viewer_id=VIEWER_ID):
    """can_view() as a SQL condition for a kind of viewer; by default the viewer's id is left as the
    parameter VIEWER_ID, for statements built once and run for many viewers."""
    if kind != "member":
        return true() if kind == "all" else false()
    watched = exists().where(request_watchers.c.request_id == RecordsRequest.id,
                             request_watchers.c.user_id == viewer_id)
    return or_(RecordsRequest.private.is_(False), RecordsRequest.owner_id == viewer_id, watched)


@cache
def hidden_ids_sql(kind: str):
    """The ids of the requests that visible_sql(kind) leaves out (the viewer's id is the parameter VIEWER_ID), for
    `NOT IN`: for a reporter, the colleagues' private requests they neither own nor watch, a few ids read once and
    looked up in a hash, where testing each row against the rule joined every request. `IS NOT true`: a request
    the rule does not pass for certain (NULL included) is hidden, so the complement is exact."""
    return select(RecordsRequest.id).where(visible_sql(kind).is_not(True))


def visible_to(user: User):
    """A SQL condition: the requests this user may read."""
    return visible_sql(viewer_kind(user), getattr(user, "id", None))


@cache
def private_visible_sql(kind: str, *, shared: bool = False):
    """The private requests among visible_sql(kind) (the viewer's id is the parameter VIEWER_ID), written
    so the database finds a reporter's from the owner index and the watch list, not by reading every request.
    `shared`: the list of ids is a common table expression, which a statement repeating the condition (the
    board's cards, once per status) plans and reads once instead of once per repetition."""
    if kind != "member":
        return RecordsRequest.private.is_(True) & visible_sql(kind)
    # One list of ids, own private requests (owner index) and watched ones (the watch list): an OR of the two
    # made PostgreSQL read every request.
    own = aliased(RecordsRequest)
    mine = union(select(own.id).where(own.owner_id == VIEWER_ID, own.private.is_(True)),
                 select(request_watchers.c.request_id).where(request_watchers.c.user_id == VIEWER_ID))
    if shared:
        mine = select(mine.cte("viewer_private").c.id)
    return RecordsRequest.private.is_(True) & RecordsRequest.id.in_(mine)


def watched_private_of_others_sql():
    """The private requests a reporter (VIEWER_ID) sees by watching them, not owning them: read from the watch
    list, (user_id, request_id) first. With their own private requests (summed per owner on write), all
    of private_visible_sql("member")."""
    watched = select(request_watchers.c.request_id).where(request_watchers.c.user_id == VIEWER_ID)
    return RecordsRequest.private.is_(True) & RecordsRequest.id.in_(watched) & (RecordsRequest.owner_id != VIEWER_ID)


def check(user: User, req: RecordsRequest | None, *, act: bool = False) -> RecordsRequest:
    """The request, if this user may see it (and act on it, with act=True); NotFound or Forbidden otherwise."""
    if req is None or not can_view(user, req):
        raise NotFound(NOT_FOUND)
    if act and not can_act(user, req):
        raise Forbidden(NOT_YOURS)
    return req


SHOWN = shown_request.SHOWN  # a request's agency and owner, in its own statement


def load(user: User, request_id: int, *, act: bool = False, audit_as: str = "", detail: str = "",
         now: datetime | None = None, shown: bool = False, to_answer: bool = False) -> RecordsRequest:
    """Load a request for this user: 404 (NotFound) when it does not exist or they may not see it, 403
    (Forbidden) when act=True and they may not change it. With audit_as ("view", "download", "export"), the
    access is written to a private request's audit trail. `shown`: to be shown whole, with its agency and owner and
    its empty lists known (requests.shown); `to_answer`: the same for a write that answers with the request whole.
    """
    if not 0 < request_id <= MAX_ID:
        req = None
    elif shown or to_answer:
        req = shown_request.load(request_id, facts=not to_answer)
    else:
        req = db.session.get(RecordsRequest, request_id)
    check(user, req, act=act)
    if audit_as:
        audit.record(req, actor=user, now=now, action=audit_as, detail=detail)
    return req
