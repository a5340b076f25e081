"""Read-only queries for the status board: columns by whose move it is, the cards, the summary strip.

A fixed number of SQL statements whatever the number of requests, each reading index ranges rather
than every request: a column is made of pieces (a status, and whether its deadline has passed), the
counts are one count per piece, the cards the most urgent few of each piece ranked per column with
the plain columns a card reads, and the 12-month statistics come from one index of determinations.
Each statement is built once per shape (which scope, which filters) with bound parameters for the
values, and reused: building a statement of this size costs more than running it.
`viewer=None` is the wall-screen link: public requests only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board.cards import card
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests.models import Determination, RecordsRequest, TrackingNumber, request_matters
from tracker.requests.queries import VIEWER_ID, viewer_kind, visible_sql
from tracker.requests.status import STATUSES

R = RecordsRequest
AGENCY_CLOCK = ("filed", "acknowledged")  # the agency's response clock runs (not paused)
PAUSED = ("awaiting_clarification", "awaiting_fees")
CLOSED = tuple(code for code, s in STATUSES.items() if not s.open)

# (code, heading, statuses); "overdue" takes requests from "agency" and "appeals" whose deadline passed.
COLUMNS = (
    ("drafts", "Drafts", ("draft",)),
    ("agency", "Waiting on the agency", AGENCY_CLOCK),
    ("us", "Waiting on us", PAUSED + ("determined", "appeal_decided")),
    ("overdue", "Overdue", ()),
    ("appeals", "Appeals and mediation", ("appealed", "in_mediation")),
    ("litigation", "Litigation", ("in_litigation",)),
    ("closed", "Closed in the last 30 days", CLOSED),
)
COLUMN_LABELS = {code: heading for code, heading, _ in COLUMNS}
OPEN_COLUMNS = ("agency", "us", "overdue", "appeals", "litigation")  # filed and not closed
PER_COLUMN = 20  # cards shown per column; the rest are counted
PER_COLUMN_TV = 8  # on a wall screen, which cannot scroll
ONE_COLUMN = 500  # cards shown when a single column is opened
RECENTLY_CLOSED_DAYS = 30
# What a card reads (cards.card): plain columns, not ORM objects, for a hundred cards or more.
CARD_COLUMNS = (
    R.id, R.title, R.private, R.status, R.expedited_requested, R.received_on, R.sent_on, R.closed_on,
    R.response_due, R.tracking_number_due, R.expedited_decision_due, R.appeal_due, R.appeal_decision_due,
    R.our_answer_due_on, R.follow_up_on, Agency.jurisdiction, Agency.name.label("agency_name"),
    Agency.abbreviation.label("agency_abbreviation"), User.name.label("owner_name"),
    select(TrackingNumber.number).where(TrackingNumber.request_id == R.id, TrackingNumber.kind == "request")
    .order_by(TrackingNumber.id).limit(1).scalar_subquery().label("tracking_number"),
)


@dataclass
class BoardFilters:
    owner_id: int | None = None
    agency_id: int | None = None
    matter_id: int | None = None
    jurisdiction: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> BoardFilters:
        """From a query string (or a stored dict); unknown values are dropped, not refused."""
        def number(name):
            value = args.get(name)
            if isinstance(value, str) and value.isdecimal() and len(value) < 12:
                value = int(value)
            # An id past the database's 32-bit integers would make PostgreSQL refuse the whole query.
            return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31 else None
        status = args.get("status") or ""
        return cls(owner_id=number("owner_id"), agency_id=number("agency_id"), matter_id=number("matter_id"),
                   jurisdiction=(args.get("jurisdiction") or "")[:20].replace("\x00", ""),
                   status=status if status in STATUSES else "")

    def as_args(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def __bool__(self) -> bool:
        return bool(self.as_args())


# The values a statement is run with (see _params).
TODAY, RECENT = bindparam("today", type_=Date), bindparam("recent", type_=Date)  # recent: closed since
WEEK_END, SINCE = bindparam("week_end", type_=Date), bindparam("since", type_=Date)
LIMIT = bindparam("limit", type_=Integer)
FILTER_PARAMS = {"owner_id": bindparam("owner_id", type_=Integer), "agency_id": bindparam("agency_id", type_=Integer),
                 "matter_id": bindparam("matter_id", type_=Integer),
                 "jurisdiction": bindparam("jurisdiction", type_=String), "status": bindparam("status", type_=String)}


def scope(viewer: User | None):
    """Who sees what: the viewer's visible requests, or for a wall-screen link the public ones only."""
    return _scope_sql(_scope_kind(viewer), getattr(viewer, "id", None))


def _scope_kind(viewer: User | None) -> str:
    """"public" for a wall-screen link, else requests.queries.viewer_kind."""
    return "public" if viewer is None else viewer_kind(viewer)


def _scope_sql(kind: str, viewer_id=VIEWER_ID):
    """The rule of scope(); by default with the viewer as the parameter viewer_id (statements built once)."""
    return R.private.is_(False) if kind == "public" else visible_sql(kind, viewer_id)


def _shape(viewer: User | None, f: BoardFilters) -> tuple[str, frozenset]:
    """What a statement's text depends on; the values go in _params."""
    return _scope_kind(viewer), frozenset(f.as_args())


def _params(viewer: User | None, f: BoardFilters, today: date, **extra) -> dict:
    return {"today": today, "recent": today - timedelta(days=RECENTLY_CLOSED_DAYS),
            "viewer_id": getattr(viewer, "id", None), **f.as_args(), **extra}


def _conditions(shape: tuple[str, frozenset]) -> list:
    """The viewer's scope and the filters."""
    kind, present = shape
    conds = [_scope_sql(kind)]
    if "owner_id" in present:
        conds.append(R.owner_id == FILTER_PARAMS["owner_id"])
    if "agency_id" in present:
        conds.append(R.agency_id == FILTER_PARAMS["agency_id"])
    if "status" in present:
        conds.append(R.status == FILTER_PARAMS["status"])
    if "jurisdiction" in present:
        conds.append(R.agency_id.in_(select(Agency.id).where(Agency.jurisdiction == FILTER_PARAMS["jurisdiction"])))
    if "matter_id" in present:
        conds.append(exists().where(request_matters.c.request_id == R.id,
                                    request_matters.c.matter_id == FILTER_PARAMS["matter_id"]))
    return conds


def _pieces(only: str):
    """(column, condition, urgency) for each status of each column: every piece orders by one plain
    column, so the database reads the few most urgent rows of each piece from an index, not every row."""
    late = {"response_due": R.response_due < TODAY, "appeal_decision_due": R.appeal_decision_due < TODAY}
    pieces = [("drafts", R.status == "draft", None)]
    for status in AGENCY_CLOCK:
        pieces += [("overdue", and_(R.status == status, late["response_due"]), R.response_due),
                   ("agency", and_(R.status == status, or_(R.response_due >= TODAY, R.response_due.is_(None))),
                    R.response_due)]
    pieces += [("overdue", and_(R.status == "appealed", late["appeal_decision_due"]), R.appeal_decision_due),
               ("appeals", and_(R.status == "appealed", or_(R.appeal_decision_due >= TODAY,
                                                            R.appeal_decision_due.is_(None))), R.appeal_decision_due)]
    for code, _heading, statuses in COLUMNS:
        for status in statuses:
            if code == "us":
                pieces.append((code, R.status == status, func.coalesce(R.our_answer_due_on, R.appeal_due)))
            elif code == "appeals" and status != "appealed":
                pieces.append((code, R.status == status, R.response_due))
            elif code in ("litigation", "closed"):
                pieces.append((code, and_(R.status == status, R.closed_on >= RECENT) if code == "closed"
                               else R.status == status, None))
    return [p for p in pieces if not only or p[0] == only]


def _week_pieces():
    """One condition per status: a deadline of that status from today through Sunday (an index range)."""
    def within(col):
        return and_(col >= TODAY, col <= WEEK_END)
    return ([and_(R.status == status, within(R.response_due)) for status in AGENCY_CLOCK]
            + [and_(R.status == "appealed", within(R.appeal_decision_due)),
               and_(R.status == "determined", within(R.appeal_due))]
            + [and_(R.status == status, within(R.our_answer_due_on)) for status in PAUSED])


@cache
def _counts_statement(shape):
    """A count per piece of each column (the pieces of the cards), and per status with a deadline this
    week: each count reads one index range, not every request."""
    conds = _conditions(shape)
    parts = [select(literal(code).label("col"), func.count().label("n")).where(condition, *conds)
             for code, condition, _urgency in _pieces("")]
    parts += [select(literal("week").label("col"), func.count().label("n")).where(condition, *conds)
              for condition in _week_pieces()]
    return union_all(*parts)


def column_counts(viewer: User | None, f: BoardFilters, today: date) -> tuple[dict[str, int], int]:
    """Requests per column, and how many have a deadline from today through Sunday."""
    week_end = today + timedelta(days=6 - today.weekday())
    counts = {code: 0 for code, _h, _s in COLUMNS}
    counts["week"] = 0
    for col, n in db.session.execute(_counts_statement(_shape(viewer, f)),
                                     _params(viewer, f, today, week_end=week_end)):
        counts[col] += n
    return counts, counts.pop("week")


@cache
def _cards_statement(shape, only: str):
    """Each piece (a status within a column) gives at most `limit` rows in its own order; the few rows are
    then ranked per column and joined to what a card reads."""
    conds = _conditions(shape)
    parts = []
    for code, condition, urgency in _pieces(only):
        order = [R.updated_at.desc(), R.id.desc()]
        if urgency is not None:
            order.insert(0, urgency.asc().nulls_last())
        urgency = (urgency if urgency is not None else cast(null(), Date)).label("urgency")
        parts.append(select(select(R.id.label("id"), literal(code).label("col"), urgency,
                                   R.updated_at.label("updated_at"))
                            .where(condition, *conds).order_by(*order).limit(LIMIT).subquery()))
    few = union_all(*parts).subquery("few")
    ranked = select(few.c.id, few.c.col, func.row_number().over(
        partition_by=few.c.col,
        order_by=(few.c.urgency.asc().nulls_last(), few.c.updated_at.desc(), few.c.id.desc())).label("rank")
    ).subquery("ranked")
    return (
        select(*CARD_COLUMNS, ranked.c.col)
        .join(ranked, ranked.c.id == R.id)
        .join(Agency, Agency.id == R.agency_id)
        .join(User, User.id == R.owner_id)
        .where(ranked.c.rank <= LIMIT)
        .order_by(ranked.c.col, ranked.c.rank)
    )


def column_cards(viewer: User | None, f: BoardFilters, today: date, *, only: str = "",
                 wall: bool = False, limit: int = PER_COLUMN) -> dict[str, list[dict]]:
    """The most urgent cards of each column (or many of one column), as plain dicts."""
    limit = ONE_COLUMN if only else limit
    found = db.session.execute(_cards_statement(_shape(viewer, f), only),
                               _params(viewer, f, today, limit=limit)).all()
    ids = [row.id for row in found]
    titles: dict[int, list[str]] = {}
    appeals: dict[int, str] = {}
    if ids:  # plain rows, cheaper than filling ORM collections
        for request_id, title in db.session.execute(
                select(request_matters.c.request_id, Matter.title)
                .join(Matter, Matter.id == request_matters.c.matter_id)
                .where(request_matters.c.request_id.in_(ids)).order_by(Matter.title)):
            titles.setdefault(request_id, []).append(title)
        for request_id, outcome in db.session.execute(
                select(Determination.request_id, Determination.outcome)
                .where(Determination.request_id.in_(ids), Determination.stage == "appeal").order_by(Determination.id)):
            appeals[request_id] = outcome  # the latest wins
    out: dict[str, list[dict]] = {code: [] for code, _h, _s in COLUMNS}
    for row in found:
        out[row.col].append(card(row, row.col, today, wall=wall, matters=titles.get(row.id, ()),
                                 appeal_outcome=appeals.get(row.id)))
    return out


@cache
def _stats_statement(shape):
    """Over initial determinations of the last 12 months: how many have a count of working days, their
    median (the middle one, or the mean of the middle two), how many had a deadline and how many met it.
    Both are stored on the determination (due_dates.recompute), so with nothing to narrow by request the
    database reads one index range; one row comes back."""
    D = Determination
    picked = select(D.working_days.label("days"), D.on_time.label("on_time")).where(
        D.stage == "initial", D.decided_on > SINCE, D.decided_on <= TODAY)
    if shape != ("all", frozenset()):  # a reporter, a wall screen or a filter: through the requests
        picked = picked.join(R, R.id == D.request_id).where(*_conditions(shape))
    picked = picked.cte("picked")
    ranked = (select(picked.c.days, func.row_number().over(order_by=picked.c.days).label("n"),
                     func.count().over().label("total"))
              .where(picked.c.days.is_not(None)).subquery("ranked"))
    median = (select(func.avg(ranked.c.days))
              .where(ranked.c.n.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])).scalar_subquery())
    return select(func.count(picked.c.days), median, func.count(picked.c.on_time),
                  func.sum(case((picked.c.on_time, 1), else_=0)))


def determination_stats(viewer: User | None, f: BoardFilters, today: date) -> dict:
    """Over initial determinations of the last 12 months: the median working days from receipt, and the
    share made by the (possibly extended or paused) response deadline."""
    counted, median, judged, on_time = db.session.execute(
        _stats_statement(_shape(viewer, f)), _params(viewer, f, today, since=today - timedelta(days=365))).one()
    judged, on_time = int(judged or 0), int(on_time or 0)
    if median is not None:
        median = float(median)
        median = int(median) if median.is_integer() else median
    return {"determinations": counted, "median_working_days": median,
            "judged": judged, "on_time": on_time, "on_time_share": on_time / judged if judged else None}


def summary(counts: dict[str, int], due_this_week: int, stats: dict) -> dict:
    return {
        "open": sum(counts[c] for c in OPEN_COLUMNS), "overdue": counts["overdue"],
        "due_this_week": due_this_week, "waiting_on_us": counts["us"], **stats,
    }


def board(viewer: User | None, f: BoardFilters, today: date, *, only: str = "", wall: bool = False,
          per_column: int = PER_COLUMN) -> dict:
    """Everything the board shows, as plain data."""
    if only and only not in COLUMN_LABELS:
        only = ""
    counts, due_this_week = column_counts(viewer, f, today)
    cards = column_cards(viewer, f, today, only=only, wall=wall, limit=per_column)
    stats = determination_stats(viewer, f, today)
    columns = [{"code": code, "label": heading, "count": counts[code], "cards": cards[code],
                "more": max(counts[code] - len(cards[code]), 0)}
               for code, heading, _s in COLUMNS if not only or code == only]
    return {"columns": columns, "summary": summary(counts, due_this_week, stats), "today": today, "only": only}


def filter_options(viewer: User) -> dict:
    """The choices of the filter form as (value, label) pairs (for signed-in users only: the wall screen
    has no form)."""
    agencies = db.session.execute(select(Agency.id, Agency.name, Agency.abbreviation, Agency.jurisdiction)
                                  .order_by(Agency.name)).all()
    owners = db.session.execute(select(User.id, User.name).where(User.active.is_(True)).order_by(User.name)).all()
    matters = db.session.execute(select(Matter.id, Matter.title).order_by(Matter.title)).all()
    return {"agencies": [(a.id, f"{a.name} ({a.abbreviation})" if a.abbreviation else a.name) for a in agencies],
            "owners": [tuple(o) for o in owners], "matters": [tuple(m) for m in matters],
            "jurisdictions": [(j, j) for j in sorted({a.jurisdiction for a in agencies})],
            "statuses": [(code, s.label) for code, s in STATUSES.items()]}


def describe_filters(f: BoardFilters | dict) -> list[str]:
    """The filters in words, e.g. ["Agency: ICE FOIA Office", "Status: Draft"] (a few small lookups)."""
    if isinstance(f, dict):
        f = BoardFilters.from_args(f)
    words = []
    for label, model, column, value in (("Owner", User, User.name, f.owner_id),
                                        ("Agency", Agency, Agency.name, f.agency_id),
                                        ("Matter", Matter, Matter.title, f.matter_id)):
        if value:
            name = db.session.scalar(select(column).where(model.id == value))
            words.append(f"{label}: {name or 'no longer exists'}")
    if f.jurisdiction:
        words.append(f"Jurisdiction: {f.jurisdiction}")
    if f.status:
        words.append(f"Status: {STATUSES[f.status].label}")
    return words
