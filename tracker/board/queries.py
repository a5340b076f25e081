"""Read-only queries for the status board: columns by whose move it is, the cards, the summary strip.

A fixed number of SQL statements whatever the number of requests: the columns are a SQL CASE, the
counts one GROUP BY, the cards one windowed query (the most urgent few per column) with a few
relations loaded by selectinload and the rest as plain rows, and the determination statistics one
query of plain numbers.
`viewer=None` is the wall-screen link: public requests only.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, fields
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, cast, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import defer, selectinload

from tracker import deadlines
from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.board.cards import card
from tracker.deadlines.calendars import BASE as CALENDAR_BASE
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.matters.sqldays import EPOCH, day_number
from tracker.requests.models import Determination, RecordsRequest, request_matters
from tracker.requests.queries import visible_to
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
# Long texts a card never shows (everything else is loaded: due_dates.summary reads what it needs).
CARD_SKIPS = (R.records_description, R.fee_waiver_justification, R.expedited_justification)


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


def scope(viewer: User | None):
    """Who sees what: the viewer's visible requests, or for a wall-screen link the public ones only."""
    if viewer is None:
        return R.private.is_(False)
    return visible_to(viewer)


def _conditions(viewer: User | None, f: BoardFilters, today: date | None = None) -> list:
    """The viewer's scope and the filters; with `today`, also leave out requests closed long ago."""
    conds = [scope(viewer)]
    if today is not None:
        conds.append(or_(R.status.not_in(CLOSED), R.closed_on >= today - timedelta(days=RECENTLY_CLOSED_DAYS)))
    if f.owner_id:
        conds.append(R.owner_id == f.owner_id)
    if f.agency_id:
        conds.append(R.agency_id == f.agency_id)
    if f.status:
        conds.append(R.status == f.status)
    if f.jurisdiction:
        conds.append(R.agency_id.in_(select(Agency.id).where(Agency.jurisdiction == f.jurisdiction)))
    if f.matter_id:
        conds.append(exists().where(request_matters.c.request_id == R.id, request_matters.c.matter_id == f.matter_id))
    return conds


def column_sql(today: date):
    """The board column of a request, or NULL (closed long ago)."""
    overdue = or_(and_(R.status.in_(AGENCY_CLOCK), R.response_due < today),
                  and_(R.status == "appealed", R.appeal_decision_due < today))
    recent = today - timedelta(days=RECENTLY_CLOSED_DAYS)
    whens = [(R.status == "draft", "drafts"), (overdue, "overdue")]
    for code, _heading, statuses in COLUMNS:
        if code == "closed":
            whens.append((and_(R.status.in_(statuses), R.closed_on >= recent), code))
        elif statuses and code != "drafts":
            whens.append((R.status.in_(statuses), code))
    return case(*whens, else_=null())


def _urgency_sql(column):
    """Within a column, the date that orders the cards (soonest or most overdue first)."""
    agency_due = case((R.status == "appealed", R.appeal_decision_due), else_=R.response_due)
    return case(
        (column.in_(("overdue", "agency", "appeals")), agency_due),
        (column == "us", func.coalesce(R.our_answer_due_on, R.appeal_due)),
        else_=null(),
    )


def _due_this_week_sql(today: date, end: date):
    def within(col):
        return and_(col >= today, col <= end)
    return or_(
        and_(R.status.in_(AGENCY_CLOCK), within(R.response_due)),
        and_(R.status == "appealed", within(R.appeal_decision_due)),
        and_(R.status == "determined", within(R.appeal_due)),
        and_(R.status.in_(PAUSED), within(R.our_answer_due_on)),
    )


def column_counts(viewer: User | None, f: BoardFilters, today: date) -> tuple[dict[str, int], int]:
    """Requests per column, and how many have a deadline from today through Sunday."""
    column = column_sql(today)
    week_end = today + timedelta(days=6 - today.weekday())
    query = (select(column.label("col"), func.count(R.id),
                    func.sum(case((_due_this_week_sql(today, week_end), 1), else_=0)))
             .where(*_conditions(viewer, f, today)).group_by(column))
    counts = {code: 0 for code, _h, _s in COLUMNS}
    due_this_week = 0
    for col, n, due in db.session.execute(query):
        if col is not None:
            counts[col] = n
            due_this_week += int(due or 0)
    return counts, due_this_week


def _pieces(today: date, only: str):
    """(column, condition, urgency) for each status of each column: every piece orders by one plain
    column, so the database reads the few most urgent rows of each piece from an index, not every row."""
    recent = today - timedelta(days=RECENTLY_CLOSED_DAYS)
    late = {"response_due": R.response_due < today, "appeal_decision_due": R.appeal_decision_due < today}
    pieces = [("drafts", R.status == "draft", None)]
    for status in AGENCY_CLOCK:
        pieces += [("overdue", and_(R.status == status, late["response_due"]), R.response_due),
                   ("agency", and_(R.status == status, or_(R.response_due >= today, R.response_due.is_(None))),
                    R.response_due)]
    pieces += [("overdue", and_(R.status == "appealed", late["appeal_decision_due"]), R.appeal_decision_due),
               ("appeals", and_(R.status == "appealed", or_(R.appeal_decision_due >= today,
                                                            R.appeal_decision_due.is_(None))), R.appeal_decision_due)]
    for code, _heading, statuses in COLUMNS:
        for status in statuses:
            if code == "us":
                pieces.append((code, R.status == status, func.coalesce(R.our_answer_due_on, R.appeal_due)))
            elif code == "appeals" and status != "appealed":
                pieces.append((code, R.status == status, R.response_due))
            elif code in ("litigation", "closed"):
                pieces.append((code, and_(R.status == status, R.closed_on >= recent) if code == "closed"
                               else R.status == status, None))
    return [p for p in pieces if not only or p[0] == only]


def column_cards(viewer: User | None, f: BoardFilters, today: date, *, only: str = "",
                 wall: bool = False, limit: int = PER_COLUMN) -> dict[str, list[dict]]:
    """The most urgent cards of each column (or many of one column), as plain dicts. Each piece (a status
    within a column) gives at most `limit` rows in its own order; the few rows are then ranked per column."""
    limit = ONE_COLUMN if only else limit
    conds = _conditions(viewer, f)
    parts = []
    for code, condition, urgency in _pieces(today, only):
        urgency = (urgency if urgency is not None else cast(null(), Date)).label("urgency")
        parts.append(select(select(R.id.label("id"), literal(code).label("col"), urgency,
                                   R.updated_at.label("updated_at"))
                            .where(condition, *conds)
                            .order_by(urgency.asc().nulls_last(), R.updated_at.desc(), R.id.desc())
                            .limit(limit).subquery()))
    few = union_all(*parts).subquery("few")
    ranked = select(few.c.id, few.c.col, func.row_number().over(
        partition_by=few.c.col,
        order_by=(few.c.urgency.asc().nulls_last(), few.c.updated_at.desc(), few.c.id.desc())).label("rank")
    ).subquery("ranked")
    query = (
        select(R, ranked.c.col)
        .join(ranked, ranked.c.id == R.id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.col, ranked.c.rank)
        .options(*[defer(column) for column in CARD_SKIPS], selectinload(R.agency), selectinload(R.owner),
                 selectinload(R.tracking_numbers), selectinload(R.tolled_spans))
    )
    found = db.session.execute(query).all()
    ids = [req.id for req, _col in found]
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
    for req, col in found:
        out[col].append(card(req, col, today, wall=wall, matters=titles.get(req.id, ()),
                             appeal_outcome=appeals.get(req.id)))
    return out


def determination_stats(viewer: User | None, f: BoardFilters, today: date) -> dict:
    """Over initial determinations of the last 12 months: the median working days from receipt, and the
    share made by the (possibly extended or paused) response deadline."""
    since = today - timedelta(days=365)
    query = (
        select(Agency.jurisdiction, day_number(R.received_on), day_number(Determination.decided_on),
               day_number(R.response_due))
        .select_from(Determination)
        .join(R, R.id == Determination.request_id)
        .join(Agency, Agency.id == R.agency_id)
        .where(Determination.stage == "initial", Determination.decided_on > since,
               Determination.decided_on <= today, R.received_on.is_not(None), *_conditions(viewer, f))
    )
    days: list[int] = []
    judged = on_time = 0
    tables: dict[str, list[int] | None] = {}
    for code, received, decided, due in db.session.execute(query):
        cum = tables.get(code, False)
        if cum is False:
            try:
                cum = tables[code] = deadlines.calendar_for(deadlines.jurisdiction(code)).cum
            except deadlines.DeadlineError:
                cum = tables[code] = None
        if cum is None:
            continue
        start, end = received + EPOCH - CALENDAR_BASE + 1, decided + EPOCH - CALENDAR_BASE + 1
        if 0 < start < len(cum) and 0 < end < len(cum):
            days.append(max(cum[end] - cum[start], 0))  # as WorkCalendar.between()
        if due is not None:
            judged += 1
            on_time += decided <= due
    return {"determinations": len(days), "median_working_days": statistics.median(days) if days else None,
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
    """The choices of the filter form (for signed-in users only: the wall screen has no form)."""
    agencies = db.session.execute(select(Agency.id, Agency.name, Agency.abbreviation, Agency.jurisdiction)
                                  .order_by(Agency.name)).all()
    owners = db.session.execute(select(User.id, User.name).where(User.active.is_(True)).order_by(User.name)).all()
    matters = db.session.execute(select(Matter.id, Matter.title).order_by(Matter.title)).all()
    return {"agencies": agencies, "owners": owners, "matters": matters,
            "jurisdictions": sorted({a.jurisdiction for a in agencies}), "statuses": STATUSES}


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
