"""A page of the request list (the web list and the API's) read as plain rows, not ORM objects.

Building fifty requests, their agencies, owners, tracking numbers and matters as ORM objects (identity map,
attribute instrumentation, relationship loaders) cost about half a list's CPU; the rows hold the same values,
read with the same filter, order and visibility (queries.shaped_conditions) and shown by the same code
(requests/list.html, api.representations.request_summary, due_dates.live_deadline, bulk.version_of)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Integer, Select, String, bindparam, case, cast, func, select

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


_LIMIT = bindparam("list_limit", type_=Integer)
_OFFSET = bindparam("list_offset", type_=Integer)
_END = bindparam("list_end", type_=Integer)  # the position of a full page's last row


# 5 sorts x 3 kinds of viewer x 64 shapes of filter, on one engine, is less; a caller that built its conditions per
# call could not grow the store past it.
@lru_cache(maxsize=1024)
def _statement(conditions: tuple, sort: str, postgres: bool):
    """The statement of a page's rows for conditions built once per shape of filter (queries.shaped_conditions, the
    same objects each time), kept: building it (a subquery of twenty columns, two correlated lookups) cost more CPU
    than running it."""
    page = _shown(sort).where(*conditions).limit(_LIMIT).offset(_OFFSET).subquery("page")
    # The first number the agency gave the request itself, as RecordsRequest.primary_tracking_number reads it:
    # looked up for the page's rows only, outside the subquery that skips the pages before it.
    number = (select(TrackingNumber.number).where(TrackingNumber.request_id == page.c.id,
                                                 TrackingNumber.kind == "request")
              .order_by(TrackingNumber.id).limit(1).scalar_subquery())
    joined, request_id = _matter_ids(postgres)
    matter_ids = select(joined).where(request_id == page.c.id).scalar_subquery()
    # The matches counted by the page's statement, on a full page's last row only: a page short of full needs no
    # count (RequestListPage._query_count), and the database runs the count only for the row that asks for it.
    total = case((page.c.position == _END, count_statement(conditions).scalar_subquery()))
    return select(page, number, matter_ids, total).order_by(page.c.position)


def rows(conditions: tuple, params: dict, sort: str, *, limit: int, offset: int) -> tuple[list[RequestRow], int | None]:
    """The requests matching `conditions` (with `params`) in this order (SORTS), one page of them, each with its
    agency and owner (every request has both: inner joins), the first of its own tracking numbers, and its matters by
    title; and how many match in all when the page is full (else None): one statement, and the matters' menu
    (matters.queries.choices, kept per process)."""
    statement = _statement(conditions, sort, is_postgres())
    result = db.session.execute(statement, {**params, "list_limit": limit, "list_offset": offset,
                                            "list_end": offset + limit})
    listed: list[RequestRow] = []
    width = len(ROW_COLUMNS)
    ids_of: dict[int, list[int]] = {}
    total = None
    for values in result:
        row = RequestRow()
        for name, value in zip(ROW_COLUMNS, values, strict=False):
            setattr(row, name, value)
        row.agency = ListedAgency(row.agency_id, *values[width:width + 3])
        row.owner = ListedOwner(row.owner_id, values[width + 3])
        row.primary_tracking_number = values[-3] or ""  # after the position
        row.matters = []
        if values[-2]:
            ids_of[row.id] = [int(n) for n in str(values[-2]).split(",")]
        if values[-1] is not None:
            total = values[-1]
        listed.append(row)
    if ids_of:
        _set_matters(listed, ids_of)
    return listed, total


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


def count_statement(conditions) -> Select:
    """How many requests match `conditions`: counted over their ids, not a subquery of every column."""
    return select(func.count(RecordsRequest.id)).where(*conditions)


def count(conditions, params: dict | None = None) -> int:
    return db.session.execute(count_statement(conditions), params).scalar_one()


class RequestListPage(Pagination):
    """flask_sqlalchemy's pagination (page, per_page, total, pages, prev_num, next_num) over rows()."""

    def _query_items(self) -> list[RequestRow]:
        args = self._query_args
        items, self._counted = rows(args["conditions"], args["params"], args["sort"], limit=self.per_page,
                                    offset=self._query_offset)
        return items

    def _query_count(self) -> int:
        # A full page's statement counted the matches. A page short of full is the last one: the matches are the
        # full pages before it and its own rows. Only an empty page past the first asks again.
        if self._counted is not None:
            return self._counted
        if self.items or self.page == 1:
            return self._query_offset + len(self.items)
        return count(self._query_args["conditions"], self._query_args["params"])
