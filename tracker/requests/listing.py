"""A page of the request list (the web list and the API's) read as plain rows, not ORM objects.

Building fifty requests, their agencies, owners, tracking numbers and matters as ORM objects (identity map,
attribute instrumentation, relationship loaders) cost about half a list's CPU; the rows hold the same values,
read with the same filter, order and visibility (queries.request_conditions) and shown by the same code
(requests/list.html, api.representations.request_summary, due_dates.live_deadline, bulk.version_of)."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import String, cast, func, select

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.mail import is_postgres
from tracker.extensions import db
from tracker.matters import queries as matter_queries
from tracker.matters.models import Matter
from tracker.requests.models import RecordsRequest, TrackingNumber, request_matters

SORTS = {
    "updated": RecordsRequest.updated_at.desc(),
    "due": RecordsRequest.response_due.asc().nulls_last(),
    "created": RecordsRequest.created_at.desc(),
    "title": RecordsRequest.title.asc(),
    "status": RecordsRequest.status.asc(),
}


def list_order(sort: str) -> tuple:
    """The list's order for a sort key (SORTS; the last change first for an unknown one), the newest first among
    equals."""
    return SORTS.get(sort, SORTS["updated"]), RecordsRequest.id.desc()


class ListedAgency(NamedTuple):
    id: int
    name: str
    abbreviation: str
    jurisdiction: str


class ListedOwner(NamedTuple):
    id: int
    name: str


class ListedMatter(NamedTuple):
    id: int
    title: str


# The request's columns a row shows (requests/list.html, api.representations.request_summary); the deadline it
# shows is read from its stored column (due_dates.live_deadline, due_dates.STORED).
ROW_COLUMNS = ("id", "title", "agency_id", "owner_id", "private", "status", "response_due", "appeal_due",
               "appeal_decision_due", "sent_on", "received_on", "outcome", "closed_on", "created_at", "updated_at")


class RequestRow:
    """One request of the list, with what its row shows of its agency, owner, matters and tracking number."""

    __slots__ = (*ROW_COLUMNS, "agency", "owner", "matters", "primary_tracking_number")

    def __repr__(self) -> str:
        return f"<RequestRow {self.id} {self.status}>"


_SHOWN = (*(getattr(RecordsRequest, name) for name in ROW_COLUMNS), Agency.name.label("agency_name"),
          Agency.abbreviation.label("agency_abbreviation"), Agency.jurisdiction.label("agency_jurisdiction"),
          User.name.label("owner_name"))


@cache
def _shown(sort: str):
    """The statement of a page's rows less its filter and bounds, built once per order: building a select of twenty
    columns costs more CPU than running it."""
    order_by = list_order(sort)
    return (select(*_SHOWN, func.row_number().over(order_by=order_by).label("position"))
            .join(Agency, Agency.id == RecordsRequest.agency_id).join(User, User.id == RecordsRequest.owner_id)
            .order_by(*order_by))


# The table's columns, not the mapped attributes: a statement of mapped attributes is run through the ORM's loading,
# row by row in Python, though it builds no object.
_MATTER = Matter.__table__
_MATTERS = (select(request_matters.c.request_id, _MATTER.c.id, _MATTER.c.title)
            .join(_MATTER, _MATTER.c.id == request_matters.c.matter_id).order_by(_MATTER.c.title, _MATTER.c.id))


@cache
def _matter_ids(postgres: bool):
    """A request's matters' ids, joined by commas, as a column of the page's statement (its matters' titles come from
    the matters' menu, which the list shows anyway): one statement fewer than reading them with their titles."""
    joined = (func.string_agg(cast(request_matters.c.matter_id, String), ",") if postgres
              else func.group_concat(request_matters.c.matter_id))
    return joined, request_matters.c.request_id


def rows(conditions: list, sort: str, *, limit: int, offset: int) -> list[RequestRow]:
    """The requests matching `conditions` in this order (SORTS), one page of them, each with its agency and owner
    (every request has both: inner joins), the first of its own tracking numbers, and its matters by title: one
    statement, and the matters' menu (matters.queries.choices, kept per process)."""
    page = _shown(sort).where(*conditions).limit(limit).offset(offset).subquery("page")
    # The first number the agency gave the request itself, as RecordsRequest.primary_tracking_number reads it: looked
    # up for the page's rows only, outside the subquery that skips the pages before it.
    number = (select(TrackingNumber.number).where(TrackingNumber.request_id == page.c.id,
                                                 TrackingNumber.kind == "request")
              .order_by(TrackingNumber.id).limit(1).scalar_subquery())
    joined, request_id = _matter_ids(is_postgres())
    matter_ids = select(joined).where(request_id == page.c.id).scalar_subquery()
    result = db.session.execute(select(page, number, matter_ids).order_by(page.c.position))
    listed: list[RequestRow] = []
    width = len(ROW_COLUMNS)
    ids_of: dict[int, list[int]] = {}
    for values in result:
        row = RequestRow()
        for name, value in zip(ROW_COLUMNS, values, strict=False):
            setattr(row, name, value)
        row.agency = ListedAgency(row.agency_id, *values[width:width + 3])
        row.owner = ListedOwner(row.owner_id, values[width + 3])
        row.primary_tracking_number = values[-2] or ""  # after the position
        row.matters = []
        if values[-1]:
            ids_of[row.id] = [int(n) for n in str(values[-1]).split(",")]
        listed.append(row)
    if ids_of:
        _set_matters(listed, ids_of)
    return listed


def _set_matters(listed: list[RequestRow], ids_of: dict[int, list[int]]) -> None:
    """Each row's matters by title (then id), from the matters' menu, read after the page: a matter it lacks was
    added since, and the page's matters are then read with their titles."""
    menu = matter_queries.choices()  # by title; titles are unique
    position = {matter_id: n for n, (matter_id, _title) in enumerate(menu)}
    if any(n not in position for ids in ids_of.values() for n in ids):
        by_id = {row.id: row for row in listed}
        for request_id, matter_id, title in db.session.execute(_MATTERS.where(request_matters.c.request_id.in_(by_id))):
            by_id[request_id].matters.append(ListedMatter(matter_id, title))
        return
    for row in listed:
        for matter_id in sorted(ids_of.get(row.id, ()), key=position.__getitem__):
            row.matters.append(ListedMatter(*menu[position[matter_id]]))


def count(conditions: list) -> int:
    """How many requests match `conditions`: counted over their ids, not a subquery of every column."""
    return db.session.execute(select(func.count(RecordsRequest.id)).where(*conditions)).scalar_one()


class RequestListPage(Pagination):
    """flask_sqlalchemy's pagination (page, per_page, total, pages, prev_num, next_num) over rows()."""

    def _query_items(self) -> list[RequestRow]:
        return rows(self._query_args["conditions"], self._query_args["sort"], limit=self.per_page,
                    offset=self._query_offset)

    def _query_count(self) -> int:
        # A page short of full is the last one: the matches are the full pages before it and its own rows. Only
        # a full page (or an empty one past the first) needs the count.
        if len(self.items) < self.per_page and (self.items or self.page == 1):
            return self._query_offset + len(self.items)
        return count(self._query_args["conditions"])
