"""Read-side queries for requests: what a user may see, searched, filtered and sorted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Integer, Select, bindparam, exists, or_, select
from sqlalchemy.orm import lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.auth.models import User
from tracker.core.clock import local_date
from tracker.extensions import db
from tracker.requests import access, shown
from tracker.requests.access import visible_to
from tracker.requests.listing import SORTS as SORTS  # the list's sort keys, read by its views and the API
from tracker.requests.listing import RequestListPage, list_order
from tracker.requests.models import Attachment, Communication, RecordsRequest, TrackingNumber, request_matters


@dataclass
class RequestFilters:
    q: str = ""
    status: str = ""
    agency_id: int | None = None
    owner_id: int | None = None
    matter_id: int | None = None
    mine: bool = False
    sort: str = "updated"


# The list's filter values as parameters, so that a filter's statement is built once per shape (which filters are
# set) and run with its values: building the list's statement cost more CPU than running it.
_LIKE = bindparam("list_like", type_=RecordsRequest.title.type)
_STATUS = bindparam("list_status", type_=RecordsRequest.status.type)
_AGENCY = bindparam("list_agency_id", type_=Integer)
_OWNER = bindparam("list_owner_id", type_=Integer)
_MATTER = bindparam("list_matter_id", type_=Integer)


@cache
def _shaped(kind: str, q: bool, status: bool, agency: bool, owner: bool, mine: bool, matter: bool) -> tuple:
    conditions = [access.visible_sql(kind)]
    if q:
        numbered = exists().where(TrackingNumber.request_id == RecordsRequest.id, TrackingNumber.number.ilike(_LIKE))
        conditions.append(or_(RecordsRequest.title.ilike(_LIKE), RecordsRequest.records_description.ilike(_LIKE),
                              numbered))
    if status:
        conditions.append(RecordsRequest.status == _STATUS)
    if agency:
        conditions.append(RecordsRequest.agency_id == _AGENCY)
    if owner:
        conditions.append(RecordsRequest.owner_id == _OWNER)
    if mine:
        conditions.append(RecordsRequest.owner_id == access.VIEWER_ID)
    if matter:
        conditions.append(exists().where(request_matters.c.request_id == RecordsRequest.id,
                                         request_matters.c.matter_id == _MATTER))
    return tuple(conditions)


def shaped_conditions(user: User, f: RequestFilters) -> tuple[tuple, dict]:
    """The list's WHERE (what the user may see, matching the filter) as conditions built once per shape of filter
    (the same objects each time), and the values of their parameters for this user and filter."""
    conditions = _shaped(access.viewer_kind(user), bool(f.q), bool(f.status), bool(f.agency_id), bool(f.owner_id),
                         f.mine, bool(f.matter_id))
    params = {"viewer_id": getattr(user, "id", None), "list_like": f"%{f.q.strip()}%", "list_status": f.status,
              "list_agency_id": f.agency_id, "list_owner_id": f.owner_id, "list_matter_id": f.matter_id}
    return conditions, params


def request_list_query(user: User, f: RequestFilters) -> Select:
    """The list's requests as ORM objects, in its order (the CSV export, the bulk bar's selection)."""
    conditions, params = shaped_conditions(user, f)
    return (select(RecordsRequest).where(*conditions).order_by(*list_order(f.sort))
            .options(*access.SHOWN, selectinload(RecordsRequest.tracking_numbers),
                     selectinload(RecordsRequest.matters)).params(params))


def list_requests(user: User, f: RequestFilters, page: int = 1, per_page: int = 50) -> RequestListPage:
    """One page of the list (the web list and the API's), as listing.RequestRow."""
    conditions, params = shaped_conditions(user, f)
    return RequestListPage(page=page, per_page=per_page, max_per_page=None, error_out=False,
                           conditions=conditions, params=params, sort=f.sort)


def at_agency(user: User, agency_id: int) -> list[RecordsRequest]:
    """The requests at one agency this user may see, most recently changed first (the agency's page)."""
    return list(db.session.scalars(
        select(RecordsRequest).where(RecordsRequest.agency_id == agency_id, visible_to(user))
        .order_by(RecordsRequest.updated_at.desc())
    ))


def timeline(req: RecordsRequest) -> list[dict]:
    """Events and communications in one list, newest first. A communication that came with an action is
    shown inside that action's entry rather than twice."""
    by_mail = shown.known(req, "incoming_messages") is not False  # else none came by mail: no details to read
    communications = db.session.scalars(
        select(Communication).where(Communication.request_id == req.id).order_by(Communication.id)
        .options(*(() if by_mail else (lazyload(Communication.incoming),)))  # the mail module's backref
        .execution_options(populate_existing=True)).all()
    # Every message's attachments from the request's own, read once for the timeline and the page's documents (not
    # a query per message, nor the same rows twice): a message's attachments are stored on the request it came to,
    # and a message never moves to another request.
    by_message: dict[int, list[Attachment]] = {}
    for attachment in req.attachments:
        if attachment.communication_id is not None:
            by_message.setdefault(attachment.communication_id, []).append(attachment)
    for comm in communications:
        set_committed_value(comm, "attachments", by_message.get(comm.id, []))
        if not by_mail:
            set_committed_value(comm, "incoming", None)
    by_event: dict[int, list] = {}
    entries = []
    for comm in communications:
        if comm.event_id is not None:
            by_event.setdefault(comm.event_id, []).append(comm)
        else:
            entries.append({"type": "communication", "on": comm.occurred_on, "shown_on": comm.occurred_on,
                            "at": comm.created_at, "item": comm, "communications": [comm]})
    for event in req.events:
        if event.action == "communication":
            continue  # the communication entry itself tells it
        # Drafting comes before everything, even when later steps were entered with earlier dates (imports).
        on = date.min if event.action == "create" else event.on or local_date(event.at)
        entries.append({"type": "event", "on": on, "shown_on": event.on or local_date(event.at), "at": event.at,
                        "item": event, "communications": by_event.get(event.id, [])})
    entries.sort(key=lambda e: (e["on"], e["at"]), reverse=True)
    return entries
