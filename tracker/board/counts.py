"""The board's column counts and its "due this week" count, in one statement whose cost does not follow the
number of requests.

Without an owner or matter filter the counts are read from the tallies (tallies.py: requests per status,
privacy, agency and whether the column's deadline is set) plus three kinds of index range that only
"today" can decide: the requests whose deadline is still ahead (the rest of the dated ones are overdue),
those closed in the last 30 days, and those with a deadline this week. A reporter's private requests (their
own and watched: a handful) are counted live beside the public tallies, by the rule of
requests/access.private_visible_sql. With an owner or matter filter the requests are few enough to be
counted directly, in one pass over that owner's or matter's requests.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Integer, and_, case, cast, false, func, literal, or_, select, true, union_all

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board import queries as q
from tracker.board.models import BoardTally
from tracker.board.tallies import AGENCY_CLOCK, day_column
from tracker.extensions import db
from tracker.requests.access import private_visible_sql
from tracker.requests.models import RecordsRequest

R, T = RecordsRequest, BoardTally
SUMMARISED = frozenset({"agency_id", "jurisdiction", "status"})  # filters the tallies can answer
COLUMN_OF = {status: code for code, _h, statuses in reversed(q.COLUMNS) for status in statuses}
LATE, WEEK, RECENT = 1, 2, 4  # the bits of a bucket's flag


def _filters(present: frozenset, model) -> list:
    """The agency, jurisdiction and status filters, on requests or on tallies (both have the columns)."""
    conds = []
    agency = q.FILTERED_AGENCY if model is R else model.agency_id
    if "agency_id" in present:
        conds.append(q.agency_filter(present, model.agency_id))
    if "jurisdiction" in present:
        in_jurisdiction = select(Agency.id).where(Agency.jurisdiction == q.FILTER_PARAMS["jurisdiction"])
        conds.append(agency.in_(in_jurisdiction))
    if "status" in present:
        conds.append(model.status == q.FILTER_PARAMS["status"])
    return conds


def _buckets(conds: list):
    """Requests matching conds grouped by status and flag (overdue, deadline this week, closed recently)."""
    late = or_(and_(R.status.in_(AGENCY_CLOCK), R.response_due < q.TODAY),
               and_(R.status == "appealed", R.appeal_decision_due < q.TODAY))
    recent = and_(R.status.in_(q.CLOSED), R.closed_on >= q.RECENT)
    flag = (case((late, LATE), else_=0) + case((or_(*q._week_pieces()), WEEK), else_=0)
            + case((recent, RECENT), else_=0))
    inner = select(R.status.label("status"), flag.label("flag")).where(*conds).subquery()
    return select(literal("bucket").label("part"), inner.c.status, inner.c.flag, func.count().label("n")) \
        .group_by(inner.c.status, inner.c.flag)


def _summarised(kind: str, present: frozenset):
    """Tallies plus the index ranges only today decides; a member's private requests apart."""
    public_only = kind in ("public", "member")
    scope = R.private.is_(False) if public_only else (true() if kind == "all" else false())
    tally_scope = T.private.is_(False) if public_only else (true() if kind == "all" else false())
    conds = [scope, *_filters(present, R)]
    parts = [select(literal("total").label("part"), T.status, cast(T.dated, Integer).label("flag"),
                    func.sum(T.n).label("n")).where(tally_scope, *_filters(present, T)).group_by(T.status, T.dated)]

    def count(part: str, status: str, *where):
        return select(literal(part), literal(status), literal(0), func.count()).where(*where, *conds)

    for status in (*AGENCY_CLOCK, "appealed"):
        parts.append(count("ahead", status, R.status == status, day_column(status) >= q.TODAY))
    parts += [count("recent", status, R.status == status, R.closed_on >= q.RECENT) for status in q.CLOSED]
    parts += [count("week", "", condition) for condition in q._week_pieces()]
    if kind == "member":
        parts.append(_buckets([private_visible_sql("member"), *_filters(present, R)]))
    return union_all(*parts)


@cache
def _statement(shape):
    kind, present = shape
    if present <= SUMMARISED:
        return _summarised(kind, present)
    return _buckets(q._conditions(shape))


def _place(counts: Counter, status: str, flag: int, n: int) -> None:
    if status in q.CLOSED:
        if flag & RECENT:
            counts["closed"] += n
        return
    counts["overdue" if flag & LATE else COLUMN_OF.get(status, "")] += n
    if flag & WEEK:
        counts["week"] += n


def column_counts(viewer: User | None, f: q.BoardFilters, today: date) -> tuple[dict[str, int], int]:
    """Requests per column, and how many have a deadline from today through Sunday."""
    week_end = today + timedelta(days=6 - today.weekday())
    counts: Counter = Counter()
    totals: Counter = Counter()
    ahead: Counter = Counter()
    for part, status, flag, n in db.session.execute(_statement(q._shape(viewer, f)),
                                                    q._params(viewer, f, today, week_end=week_end)):
        n = int(n or 0)
        if part == "bucket":
            _place(counts, status, int(flag), n)
        elif part == "total":
            totals[(status, bool(flag))] += n
        elif part == "ahead":
            ahead[status] += n
        elif part == "recent":
            counts["closed"] += n
        else:
            counts["week"] += n
    for (status, dated), n in totals.items():
        if status in q.CLOSED:
            continue  # counted by the "recent" ranges
        if day_column(status) is None or not dated:
            counts[COLUMN_OF[status]] += n
        else:  # dated: overdue unless the deadline is still ahead
            counts[COLUMN_OF[status]] += ahead[status]
            counts["overdue"] += n - ahead[status]
    out = {code: counts.get(code, 0) for code, _h, _s in q.COLUMNS}
    return out, counts.get("week", 0)
