"""Read-side queries for requests: what a user may see, searched, filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Integer, Select, bindparam, exists, false, or_, select, true
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.extensions import db
from tracker.requests.models import RecordsRequest, TrackingNumber, request_matters, request_watchers

VIEWER_ID = bindparam("viewer_id", type_=Integer)


def viewer_kind(user: User) -> str:
    """"none" (signed out or deactivated), "all" (editors and admins) or "member" (public, own, watched)."""
    if not user.is_authenticated or not user.active:
        return "none"
    return "all" if user.is_editor else "member"


def visible_sql(kind: str, viewer_id=VIEWER_ID):
    """The condition of visible_to() for a kind of viewer; by default the viewer's id is left as the
    parameter VIEWER_ID, for statements built once and run for many viewers."""
    if kind != "member":
        return true() if kind == "all" else false()
    watched = exists().where(request_watchers.c.request_id == RecordsRequest.id,
                             request_watchers.c.user_id == viewer_id)
    return or_(RecordsRequest.private.is_(False), RecordsRequest.owner_id == viewer_id, watched)


def visible_to(user: User):
    """A SQL condition: the requests this user may read (the same rule as permissions.can_view_request)."""
    return visible_sql(viewer_kind(user), getattr(user, "id", None))


@cache
def private_visible_sql(kind: str):
    """The private requests among visible_sql(kind) (the viewer's id is the parameter VIEWER_ID), written
    so the database finds a reporter's from the owner index and the watch list, not by reading every request."""
    if kind != "member":
        return RecordsRequest.private.is_(True) & visible_sql(kind)
    watched = select(request_watchers.c.request_id).where(request_watchers.c.user_id == VIEWER_ID)
    return RecordsRequest.private.is_(True) & or_(RecordsRequest.owner_id == VIEWER_ID,
                                                  RecordsRequest.id.in_(watched))


SORTS = {
    "updated": RecordsRequest.updated_at.desc(),
    "due": RecordsRequest.response_due.asc().nulls_last(),
    "created": RecordsRequest.created_at.desc(),
    "title": RecordsRequest.title.asc(),
    "status": RecordsRequest.status.asc(),
}


@dataclass
class RequestFilters:
    q: str = ""
    status: str = ""
    agency_id: int | None = None
    owner_id: int | None = None
    matter_id: int | None = None
    mine: bool = False
    sort: str = "updated"


def request_list_query(user: User, f: RequestFilters) -> Select:
    query = select(RecordsRequest).where(visible_to(user))
    if f.q:
        like = f"%{f.q.strip()}%"
        numbered = exists().where(TrackingNumber.request_id == RecordsRequest.id, TrackingNumber.number.ilike(like))
        query = query.where(or_(RecordsRequest.title.ilike(like), RecordsRequest.records_description.ilike(like),
                                numbered))
    if f.status:
        query = query.where(RecordsRequest.status == f.status)
    if f.agency_id:
        query = query.where(RecordsRequest.agency_id == f.agency_id)
    if f.owner_id:
        query = query.where(RecordsRequest.owner_id == f.owner_id)
    if f.mine:
        query = query.where(RecordsRequest.owner_id == user.id)
    if f.matter_id:
        query = query.where(exists().where(request_matters.c.request_id == RecordsRequest.id,
                                           request_matters.c.matter_id == f.matter_id))
    return query.order_by(SORTS.get(f.sort, SORTS["updated"]), RecordsRequest.id.desc()).options(
        selectinload(RecordsRequest.agency), selectinload(RecordsRequest.owner),
        selectinload(RecordsRequest.tracking_numbers), selectinload(RecordsRequest.matters),
    )


def list_requests(user: User, f: RequestFilters, page: int = 1, per_page: int = 50):
    return db.paginate(request_list_query(user, f), page=page, per_page=per_page, error_out=False)


def timeline(req: RecordsRequest) -> list[dict]:
    """Events and communications in one list, newest first. A communication that came with an action is
    shown inside that action's entry rather than twice."""
    by_event: dict[int, list] = {}
    entries = []
    for comm in req.communications:
        if comm.event_id is not None:
            by_event.setdefault(comm.event_id, []).append(comm)
        else:
            entries.append({"type": "communication", "on": comm.occurred_on, "shown_on": comm.occurred_on,
                            "at": comm.created_at, "item": comm, "communications": [comm]})
    for event in req.events:
        if event.action == "communication":
            continue  # the communication entry itself tells it
        # Drafting comes before everything, even when later steps were entered with earlier dates (imports).
        on = date.min if event.action == "create" else event.on or event.at.date()
        entries.append({"type": "event", "on": on, "shown_on": event.on or event.at.date(), "at": event.at,
                        "item": event, "communications": by_event.get(event.id, [])})
    entries.sort(key=lambda e: (e["on"], e["at"]), reverse=True)
    return entries
