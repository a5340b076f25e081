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

from collections import namedtuple
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache

from sqlalchemy import (
    ARRAY,
    Column,
    Date,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.sql.util import ClauseAdapter

from tracker.agencies.models import Agency, label_of
from tracker.auth.models import User
from tracker.auth.services import active_user_choices
from tracker.board import windows
from tracker.board.cards import WorkingDays, card
from tracker.board.models import BoardFact, BoardOwnerWindowTally, BoardWindowTally
from tracker.board.tallies import AGENCY_CLOCK  # the agency's response clock runs (not paused)
from tracker.core.converters import MAX_ID
from tracker.core.mail import is_postgres
from tracker.core.plans import use_generic_plans
from tracker.extensions import db
from tracker.matters import queries as matter_queries
from tracker.matters.models import Matter
from tracker.requests.access import VIEWER_ID, private_visible_sql, viewer_kind, visible_sql
from tracker.requests.models import Determination, RecordsRequest, TrackingNumber, request_matters, request_watchers
from tracker.requests.status import STATUSES
from tracker.stories.queries import stories_published_in

R = RecordsRequest
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
ONE_COLUMN = 500  # cards shown when a single column is opened
RECENTLY_CLOSED_DAYS = 30
# What a card reads (cards.card): plain columns, not ORM objects, for a hundred cards or more. The request's own
# columns are carried by each piece of the cards statement; its agency, owner and tracking number are looked up
# for the few rows that are shown.
CARD_REQUEST_COLUMNS = (
    R.id, R.title, R.private, R.status, R.expedited_requested, R.received_on, R.sent_on, R.closed_on,
    R.response_due, R.tracking_number_due, R.expedited_decision_due, R.appeal_due, R.appeal_decision_due,
    R.our_answer_due_on, R.follow_up_on,
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
            return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID else None
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


# A request's agency as a filter of several agencies (a jurisdiction) or beside an owner or a matter compares it:
# "+ 0" keeps the database off the agency indexes and on the (status, date, private, agency_id) indexes, or on the
# owner's or matter's few requests. One agency alone is compared plainly (agency_filter): its (agency_id, status,
# date, ...) indexes answer a count from the index alone and find a column's first cards in its order, reading that
# agency's range of each status instead of skipping every other agency's requests.
FILTERED_AGENCY = R.agency_id + literal_column("0")


def agency_filter(present: frozenset, column=R.agency_id):
    """The condition of the agency filter, as the indexes are best read for the other filters present."""
    if present & {"owner_id", "matter_id"}:
        return FILTERED_AGENCY == FILTER_PARAMS["agency_id"]
    return column == FILTER_PARAMS["agency_id"]


def scope(viewer: User | None):
    """Who sees what: the viewer's visible requests, or for a wall-screen link the public ones only."""
    return _scope_sql(_scope_kind(viewer), getattr(viewer, "id", None))


def _scope_kind(viewer: User | None) -> str:
    """"public" for a wall-screen link, else requests.queries.viewer_kind."""
    return "public" if viewer is None else viewer_kind(viewer)


def _scope_sql(kind: str, viewer_id=VIEWER_ID, *, by_index: bool = True, shared: bool = False):
    """The rule of scope(); by default with the viewer as the parameter viewer_id (statements built once).
    `by_index`: the requests are read from the status indexes (no owner or matter filter to start from).
    `shared`: for a statement that repeats the rule (access.private_visible_sql)."""
    if kind == "member" and viewer_id is VIEWER_ID and by_index:
        # The same rule written on (private, id) alone, both in the status indexes: a reporter's cards and
        # counts are then read from an index without visiting each row for its owner. (From a matter's few
        # requests PostgreSQL would take it for "nearly all" and read every request instead.)
        return R.private.is_(False) | private_visible_sql(kind, shared=shared)
    return R.private.is_(False) if kind == "public" else visible_sql(kind, viewer_id)


def _shape(viewer: User | None, f: BoardFilters) -> tuple[str, frozenset]:
    """What a statement's text depends on; the values go in _params."""
    return _scope_kind(viewer), frozenset(f.as_args())


def _params(viewer: User | None, f: BoardFilters, today: date, **extra) -> dict:
    return {"today": today, "recent": today - timedelta(days=RECENTLY_CLOSED_DAYS),
            "viewer_id": getattr(viewer, "id", None), **f.as_args(), **extra}


def _conditions(shape: tuple[str, frozenset], *, shared: bool = False) -> list:
    """The viewer's scope and the filters (`shared`: see _scope_sql)."""
    kind, present = shape
    conds = [_scope_sql(kind, by_index=not present & {"owner_id", "matter_id"}, shared=shared)]
    if "owner_id" in present:
        conds.append(R.owner_id == FILTER_PARAMS["owner_id"])
    if "agency_id" in present:
        conds.append(agency_filter(present))
    if "status" in present:
        conds.append(R.status == FILTER_PARAMS["status"])
    if "jurisdiction" in present:
        conds.append(FILTERED_AGENCY.in_(select(Agency.id).where(Agency.jurisdiction == FILTER_PARAMS["jurisdiction"])))
    if "matter_id" in present:
        # IN, not EXISTS: the database starts from the matter's few requests, not from every request
        conds.append(R.id.in_(select(request_matters.c.request_id)
                              .where(request_matters.c.matter_id == FILTER_PARAMS["matter_id"])))
    return conds


def _pieces(only: str):
    """(column, condition, urgency) for each status of each column: every piece orders by one plain
    column, so the database reads the few most urgent rows of each piece from an index, not every row.
    A column ordered by a deadline that may be unset is two pieces (set: by the deadline; unset: by the
    last change), and "us" orders by our answer's deadline, else the appeal's: two pieces again."""
    late = {"response_due": R.response_due < TODAY, "appeal_decision_due": R.appeal_decision_due < TODAY}
    pieces = [("drafts", R.status == "draft", None)]
    for status in AGENCY_CLOCK:
        pieces += [("overdue", and_(R.status == status, late["response_due"]), R.response_due),
                   ("agency", and_(R.status == status, R.response_due >= TODAY), R.response_due),
                   ("agency", and_(R.status == status, R.response_due.is_(None)), None)]
    pieces += [("overdue", and_(R.status == "appealed", late["appeal_decision_due"]), R.appeal_decision_due),
               ("appeals", and_(R.status == "appealed", R.appeal_decision_due >= TODAY), R.appeal_decision_due),
               ("appeals", and_(R.status == "appealed", R.appeal_decision_due.is_(None)), None)]
    for code, _heading, statuses in COLUMNS:
        for status in statuses:
            if code == "us":  # by coalesce(our_answer_due_on, appeal_due), in two index-ordered pieces
                pieces += [(code, and_(R.status == status, R.our_answer_due_on.is_not(None)), R.our_answer_due_on),
                           (code, and_(R.status == status, R.our_answer_due_on.is_(None)), R.appeal_due)]
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


def column_counts(viewer: User | None, f: BoardFilters, today: date) -> tuple[dict[str, int], int]:
    """Requests per column, and how many have a deadline from today through Sunday (counts.py)."""
    from tracker.board import counts  # counts reads this module's columns and filters

    return counts.column_counts(viewer, f, today)


@cache
def _cards_statement(shape, only: str):
    """Each piece (a status within a column) gives at most `limit` rows in its own order; the few rows are
    then ranked per column and joined to what a card reads."""
    conds = _conditions(shape, shared=True)  # repeated in every piece
    source, adapt = R, (lambda clause: clause)
    if "matter_id" in shape[1]:
        # A matter's requests: found once (a CTE, from the matter's index), then each piece sorts its few rows,
        # instead of each piece walking its status's index for the matter's rare rows or looking them all up.
        source = select(*CARD_REQUEST_COLUMNS, R.agency_id, R.owner_id, R.updated_at).where(*conds).cte(
            "matter_requests")
        adapter = ClauseAdapter(source)
        conds = []

        def adapt(clause):  # a column of requests -> the CTE's; a condition -> the same on the CTE's columns
            clause = clause.__clause_element__() if hasattr(clause, "__clause_element__") else clause
            return source.corresponding_column(clause) if isinstance(clause, Column) else adapter.traverse(clause)
    parts = []
    for code, condition, urgency in _pieces(only):
        order = [adapt(R.updated_at).desc(), adapt(R.id).desc()]
        if urgency is not None:
            order.insert(0, adapt(urgency).asc().nulls_last())
        urgency = (adapt(urgency) if urgency is not None else cast(null(), Date)).label("urgency")
        parts.append(select(select(*(adapt(c) for c in CARD_REQUEST_COLUMNS), adapt(R.agency_id), adapt(R.owner_id),
                                   literal(code).label("col"), urgency, adapt(R.updated_at).label("updated_at"))
                            .select_from(source).where(adapt(condition), *conds).order_by(*order).limit(LIMIT)
                            .subquery()))
    few = union_all(*parts).subquery("few")
    ranked = select(few, func.row_number().over(
        partition_by=few.c.col,
        order_by=(few.c.urgency.asc().nulls_last(), few.c.updated_at.desc(), few.c.id.desc())).label("rank")
    ).subquery("ranked")
    # The ranked rows carry the request's columns: joined back to requests, they made PostgreSQL hash every
    # request (a sequential scan of the table, half the board's database time) to find a hundred of them.
    tracking_number = (select(TrackingNumber.number)
                       .where(TrackingNumber.request_id == ranked.c.id, TrackingNumber.kind == "request")
                       .order_by(TrackingNumber.id).limit(1).scalar_subquery().label("tracking_number"))
    appeal_outcome = (select(Determination.outcome)  # of the latest appeal decision
                      .where(Determination.request_id == ranked.c.id, Determination.stage == "appeal")
                      .order_by(Determination.id.desc()).limit(1).scalar_subquery().label("appeal_outcome"))
    return (
        select(*(ranked.c[c.key] for c in CARD_REQUEST_COLUMNS), Agency.jurisdiction,
               Agency.name.label("agency_name"), Agency.abbreviation.label("agency_abbreviation"),
               User.name.label("owner_name"), tracking_number, appeal_outcome, ranked.c.col)
        .select_from(ranked)
        .join(Agency, Agency.id == ranked.c.agency_id)
        .join(User, User.id == ranked.c.owner_id)
        .where(ranked.c.rank <= LIMIT)
        .order_by(ranked.c.col, ranked.c.rank)
    )


def _matter_titles(of_cards):
    """The cards' matters, for the list of request ids bound as `ids` (`of_cards`: the condition on an id)."""
    return (select(request_matters.c.request_id, Matter.title).join(Matter, Matter.id == request_matters.c.matter_id)
            .where(of_cards(request_matters.c.request_id)).order_by(Matter.title))


# A board has a hundred cards or more. On PostgreSQL their ids are one array parameter: an expanding IN made a
# parameter per id, which SQLAlchemy rendered on every view (a millisecond of CPU) into a text that changed with
# the number of cards. Elsewhere (SQLite) one expanding parameter.
MATTER_TITLES_POSTGRES = _matter_titles(lambda column: column == any_(bindparam("ids", type_=ARRAY(Integer))))
MATTER_TITLES = _matter_titles(lambda column: column.in_(bindparam("ids", expanding=True)))


@cache
def _card_row(keys: tuple[str, ...]):
    """A plain named tuple of a card's row: cards.card reads each of its fields, and a named tuple's field costs
    a tenth of a database row's."""
    return namedtuple("CardRow", keys)


def column_cards(viewer: User | None, f: BoardFilters, today: date, *, only: str = "",
                 wall: bool = False, limit: int = PER_COLUMN) -> dict[str, list[dict]]:
    """The most urgent cards of each column (or many of one column), as plain dicts."""
    limit = ONE_COLUMN if only else limit
    result = db.session.execute(_cards_statement(_shape(viewer, f), only), _params(viewer, f, today, limit=limit))
    found = list(map(_card_row(tuple(result.keys()))._make, result))
    ids = [row.id for row in found]
    titles: dict[int, list[str]] = {}
    if ids:  # plain rows, cheaper than filling ORM collections
        statement = MATTER_TITLES_POSTGRES if is_postgres(db.session) else MATTER_TITLES
        for request_id, title in db.session.execute(statement, {"ids": ids}):
            titles.setdefault(request_id, []).append(title)
    out: dict[str, list[dict]] = {code: [] for code, _h, _s in COLUMNS}
    count = WorkingDays()  # the cards' days, each counted once
    for row in found:
        request_id, col = row.id, row.col
        out[col].append(card(row, col, today, wall=wall, matters=titles.get(request_id, ()),
                             appeal_outcome=row.appeal_outcome, count=count))
    return out


@cache
def _stats_statement(shape):
    """Over initial determinations of the last 12 months, grouped by their count of working days: how many,
    how many had a deadline and how many met it. Both are stored on the determination (due_dates.recompute),
    so with nothing to narrow by request the database reads one index range (index only) and returns one
    row per distinct count of days (a few hundred at most), from which the median is read."""
    D = Determination
    picked = select(D.working_days.label("days"), D.on_time.label("on_time")).where(
        D.stage == "initial", D.decided_on > SINCE, D.decided_on <= TODAY)
    if shape != ("all", frozenset()):  # a reporter, a wall screen or a filter: the requests' ids, found once
        picked = picked.where(D.request_id.in_(select(R.id).where(*_conditions(shape))))
    picked = picked.subquery("picked")
    return (select(picked.c.days, func.count(), func.count(picked.c.on_time),
                   func.sum(case((picked.c.on_time, 1), else_=0)))
            .group_by(picked.c.days).order_by(picked.c.days))


WINDOWED = frozenset({"agency_id", "jurisdiction"})  # filters the 12-month window (windows.py) can answer


@cache
def _windowed_stats_statement(shape):
    """The 12-month figures from the window kept on write (windows.py): the every-agency rows, or the rows
    of the filtered agencies; for a reporter, their own private requests' rows too, and the facts of the private
    requests of others they watch, counted live."""
    kind, present = shape
    W, F, OW = BoardWindowTally.__table__, BoardFact.__table__, BoardOwnerWindowTally.__table__
    conds = [W.c.window == "d12"]
    if kind != "all":
        conds.append(W.c.private.is_(False) if kind in ("public", "member") else false())
    in_jurisdiction = select(Agency.id).where(Agency.jurisdiction == FILTER_PARAMS["jurisdiction"])

    def agencies(column) -> list:
        found = [column == FILTER_PARAMS["agency_id"]] if "agency_id" in present else []
        found += [column.in_(in_jurisdiction)] if "jurisdiction" in present else []
        return found or [column == 0]

    conds += agencies(W.c.agency_id)
    parts = [select(W.c.kind, W.c.key, func.sum(W.c.n)).where(*conds).group_by(W.c.kind, W.c.key)]
    if kind == "member":
        parts.append(select(OW.c.kind, OW.c.key, func.sum(OW.c.n))
                     .where(OW.c.window == "d12", OW.c.owner_id == VIEWER_ID, *agencies(OW.c.agency_id))
                     .group_by(OW.c.kind, OW.c.key))
        watched = select(request_watchers.c.request_id).where(request_watchers.c.user_id == VIEWER_ID)
        mine = [F.c.day > SINCE, F.c.day <= TODAY, F.c.request_id.in_(watched), F.c.private.is_(True),
                F.c.owner_id != VIEWER_ID]
        if "agency_id" in present:
            mine.append(F.c.agency_id == FILTER_PARAMS["agency_id"])
        if "jurisdiction" in present:
            mine.append(F.c.agency_id.in_(in_jurisdiction))
        parts.append(select(F.c.kind, F.c.key, func.count()).where(*mine).group_by(F.c.kind, F.c.key))
    return union_all(*parts)


def _windowed_rows(viewer: User | None, f: BoardFilters, today: date) -> list[tuple]:
    """(days, how many, judged, on time) rows like _stats_statement's, from the window."""
    windows.current(db.session, today)  # a day's first read moves the window; the caller commits
    histogram: dict[int, int] = {}
    judged = on_time = 0
    for kind, key, n in db.session.execute(_windowed_stats_statement(_shape(viewer, f)),
                                           _params(viewer, f, today, since=today - timedelta(days=365))):
        n = int(n or 0)
        if kind == "det_days":
            histogram[int(key)] = histogram.get(int(key), 0) + n
        elif kind == "judged":
            judged += n
            on_time += n if key == "on_time" else 0
    return [(days, histogram[days], 0, 0) for days in sorted(histogram) if histogram[days]] + [
        (None, 0, judged, on_time)]


def determination_stats(viewer: User | None, f: BoardFilters, today: date) -> dict:
    """Over initial determinations of the last 12 months: the median working days from receipt, and the
    share made by the (possibly extended or paused) response deadline."""
    if frozenset(f.as_args()) <= WINDOWED:
        rows = _windowed_rows(viewer, f, today)
    else:
        rows = db.session.execute(
            _stats_statement(_shape(viewer, f)), _params(viewer, f, today, since=today - timedelta(days=365))).all()
    histogram = {days: int(n) for days, n, _judged, _on_time in rows if days is not None}
    counted = sum(histogram.values())
    judged, on_time = sum(int(row[2] or 0) for row in rows), sum(int(row[3] or 0) for row in rows)
    median = windows.median(histogram)
    if median is not None:
        median = int(median) if float(median).is_integer() else median
    return {"determinations": counted, "median_working_days": median,
            "judged": judged, "on_time": on_time, "on_time_share": on_time / judged if judged else None}


def summary(counts: dict[str, int], due_this_week: int, stats: dict, today: date) -> dict:
    """The strip's figures; the stories are the newsroom's, published this calendar year from records."""
    return {
        "open": sum(counts[c] for c in OPEN_COLUMNS), "overdue": counts["overdue"],
        "due_this_week": due_this_week, "waiting_on_us": counts["us"], **stats,
        "stories_this_year": stories_published_in(today.year), "year": today.year,
    }


def board(viewer: User | None, f: BoardFilters, today: date, *, only: str = "", wall: bool = False,
          per_column: int = PER_COLUMN) -> dict:
    """Everything the board shows, as plain data."""
    if only and only not in COLUMN_LABELS:
        only = ""
    use_generic_plans(db.session)  # the statements below cost more to plan than to run (core/plans.py)
    counts, due_this_week = column_counts(viewer, f, today)
    cards = column_cards(viewer, f, today, only=only, wall=wall, limit=per_column)
    stats = determination_stats(viewer, f, today)
    columns = [{"code": code, "label": heading, "count": counts[code], "cards": cards[code],
                "more": max(counts[code] - len(cards[code]), 0)}
               for code, heading, _s in COLUMNS if not only or code == only]
    return {"columns": columns, "summary": summary(counts, due_this_week, stats, today), "today": today, "only": only}


def filter_options(viewer: User) -> dict:
    """The choices of the filter form as (value, label) pairs (for signed-in users only: the wall screen
    has no form)."""
    agencies = db.session.execute(select(Agency.id, Agency.name, Agency.abbreviation, Agency.jurisdiction)
                                  .order_by(Agency.name)).all()
    return {"agencies": [(a.id, label_of(a.name, a.abbreviation)) for a in agencies],
            "owners": active_user_choices(), "matters": matter_queries.choices(),
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
