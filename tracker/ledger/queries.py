"""The ledger of OPR matters: each with its disclosure state, how long it has stayed undisclosed, and why.

Read-only queries that return plain dicts (the web page, the CSV and JSON exports and the API share
them, e.g. ledger_rows(viewer, LedgerFilters.from_args(args), today) and matter_row(...)). A fixed
number of SQL statements whatever the number of requests: the requests are classified and summed per
matter in SQL (facts.py; disclosure.py holds the same rule in Python) and kept per matter
(summaries.py) with the state they give. The database applies sources and overrides to that state,
then filters, counts, sorts and pages the matters; Python builds only the rows shown. Visibility: a
private request counts only for those who may see it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import JSON, Integer, String, and_, bindparam, case, cast, column, func, literal, null, or_, select
from sqlalchemy.orm import aliased

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.converters import MAX_ID
from tracker.core.mail import is_postgres
from tracker.core.plans import use_generic_plans
from tracker.extensions import db
from tracker.ledger import disclosure as dz
from tracker.ledger import facts, summaries
from tracker.ledger.sqldays import to_number
from tracker.matters.models import Matter, MatterCategory, MatterStateOverride, Source
from tracker.requests.access import viewer_kind, visible_sql, visible_to
from tracker.requests.exemptions import most_cited, shorts
from tracker.requests.models import RecordsRequest, request_matters
from tracker.stories import queries as stories

SORTS = {"undisclosed": "Longest undisclosed", "title": "Title", "state": "State"}
PUBLISHED = {"yes": "Published", "no": "Not published"}  # the filter on the newsroom's stories
PER_PAGE = 50


@dataclass
class LedgerFilters:
    state: str = ""
    category: str = ""
    agency_id: int | None = None
    q: str = ""
    sort: str = "undisclosed"
    published: str = ""  # "yes": matters with a published story; "no": matters without one

    @classmethod
    def from_args(cls, args) -> LedgerFilters:
        """From a query string or a plain dict (the API); anything unknown is ignored rather than refused."""
        state = args.get("state") or ""
        category = args.get("category") or ""
        sort = args.get("sort") or "undisclosed"
        agency = args.get("agency_id")
        agency_id = agency if isinstance(agency, int) and not isinstance(agency, bool) else (
            int(agency) if isinstance(agency, str) and agency.isdecimal() and len(agency) < 12 else None)
        if agency_id is not None and not 0 < agency_id <= MAX_ID:  # past a 32-bit id: PostgreSQL would refuse
            agency_id = None
        published = args.get("published") or ""
        return cls(published=published if published in PUBLISHED else "",
                   state=state if state in dz.STATES else "",
                   category=category if category in {c.value for c in MatterCategory} else "",
                   agency_id=agency_id, q=str(args.get("q") or "")[:200].replace("\x00", "").strip(),
                   sort=sort if sort in SORTS else "undisclosed")

    def as_args(self, **changes) -> dict:
        """The filters as query arguments (for links), with some changed; empty ones left out."""
        args = {"state": self.state, "category": self.category, "agency_id": self.agency_id, "q": self.q,
                "sort": "" if self.sort == "undisclosed" else self.sort, "published": self.published, **changes}
        return {k: v for k, v in args.items() if v}


# --- the SQL of the disclosure rule lives in facts.py; per-matter sums are kept in summaries.py -------

request_class_sql = facts.request_class_sql


def request_facts(viewer: User):
    """One row per (matter, request the viewer may see): its class, dates (as day numbers) and pages."""
    return facts.request_facts(visible_to(viewer))


# Values the ledger's statements run with (see _rows); the statements are built once per shape.
TODAY_NUMBER, LIKE = bindparam("today_number", type_=Integer), bindparam("like", type_=String)
CATEGORY, AGENCY = bindparam("category", type_=Matter.category.type), bindparam("agency_id", type_=Integer)
MATTER_IDS, STATE = bindparam("matter_ids", expanding=True), bindparam("state", type_=String)
LIMIT, OFFSET = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
# A reporter's matters where they see private requests too: [{"matter_id", "state", "first_sent"}, ...] (_adjusted).
ADJUSTED = bindparam("adjusted", type_=JSON)
_ADJUSTED_COLUMNS = (column("matter_id", Integer), column("state", String), column("first_sent", Integer))


def _adjusted(postgres: bool):
    """ADJUSTED as rows (matter_id, state, first_sent), read from the one JSON parameter by the database: the
    statement stays the same whatever they are. Written into the statement (a CASE of every such matter), they
    made a new statement at each change to a reporter's private requests, and for each reporter, which SQLAlchemy
    compiled and PostgreSQL planned again."""
    if postgres:
        return (func.json_to_recordset(ADJUSTED).table_valued(*_ADJUSTED_COLUMNS)
                .render_derived(name="adjusted", with_types=True))
    each = func.json_each(ADJUSTED).table_valued("value", name="adjusted_each")
    return select(*(func.json_extract(each.c.value, f"$.{c.name}").label(c.name) for c in _ADJUSTED_COLUMNS)
                  ).subquery("adjusted")


def _ledger_query(kind: str, present: frozenset, postgres: bool):
    """Every matter passing the filters in `present` (but the state), one row each: what it shows, and its
    state and days undisclosed, computed by the database from the stored summaries, the sources and the
    override; for a reporter, the state and first day of ADJUSTED where they see private requests too."""
    S = summaries.summaries
    official = (select(Source.matter_id, func.min(Source.published_on).label("on"),
                       func.count(Source.id).label("n"))
                .where(Source.official_report.is_(True)).group_by(Source.matter_id).subquery("official"))
    setter = aliased(User, name="setter")
    adjusted = _adjusted(postgres) if kind == "member" else None
    if kind == "all":
        state, first = S.c.state_all, S.c.first_all
    elif adjusted is not None:
        here = adjusted.c.matter_id.is_not(None)
        state = case((here, adjusted.c.state), else_=S.c.state_public)
        first = case((here, adjusted.c.first_sent), else_=S.c.first_public)
    else:
        state, first = literal(dz.NOT_REQUESTED), cast(null(), Integer)
    derived = case((official.c.n > 0, dz.DISCLOSED), else_=func.coalesce(state, dz.NOT_REQUESTED))
    in_force = case((MatterStateOverride.state.in_(list(dz.STATES)), MatterStateOverride.state), else_=derived)
    query = (
        select(Matter.id, Matter.title, Matter.category, Matter.place, Matter.opr_case_number,
               official.c.n.label("official_reports"), official.c.on.label("official_report_on"),
               MatterStateOverride.state.label("override_state"), MatterStateOverride.reason.label("override_reason"),
               MatterStateOverride.set_at.label("override_at"), setter.name.label("override_by"),
               *summaries.COLUMNS, in_force.label("state"), first.label("first_sent"))
        .outerjoin(official, official.c.matter_id == Matter.id)
        .outerjoin(S, S.c.matter_id == Matter.id)
        .outerjoin(MatterStateOverride, MatterStateOverride.matter_id == Matter.id)
        .outerjoin(setter, setter.id == MatterStateOverride.set_by_id)
    )
    if adjusted is not None:
        query = query.outerjoin(adjusted, adjusted.c.matter_id == Matter.id)
    if "matter_ids" in present:
        query = query.where(Matter.id.in_(MATTER_IDS))
    if "category" in present:
        query = query.where(Matter.category == CATEGORY)
    if "q" in present:
        query = query.where(or_(Matter.title.ilike(LIKE), Matter.opr_case_number.ilike(LIKE),
                                Matter.place.ilike(LIKE)))
    if "agency_id" in present:
        at_agency = (select(request_matters.c.matter_id)
                     .join(RecordsRequest, RecordsRequest.id == request_matters.c.request_id)
                     .where(RecordsRequest.agency_id == AGENCY, visible_sql(kind)))
        query = query.where(Matter.id.in_(at_agency))
    if "published" in present:
        query = query.where(Matter.id.in_(stories.published_matter_ids(kind)))
    if "unpublished" in present:
        query = query.where(Matter.id.not_in(stories.published_matter_ids(kind)))
    # OFFSET 0 keeps PostgreSQL from merging this subquery into the statements that read it: merged, each matter's
    # state and first day (for a reporter, a CASE over their adjustments) were computed again in each expression of
    # the sort and the count that names them, six times a row.
    rows = query.offset(0).subquery("ledger")
    elapsed = TODAY_NUMBER - rows.c.first_sent
    days = case((and_(rows.c.state.in_(dz.UNDISCLOSED), rows.c.first_sent.is_not(None)),
                 case((elapsed < 0, 0), else_=elapsed)))
    return rows, days


_STATE_ORDER = {s: i for i, s in enumerate(dz.STATES)}


def _order_by(rows, days, sort: str) -> tuple:
    title = func.lower(rows.c.title)
    if sort == "title":
        return title, rows.c.id
    state = case(_STATE_ORDER, value=rows.c.state)
    if sort == "state":
        return state, func.coalesce(days, -1).desc(), title, rows.c.id
    return days.is_(None), days.desc(), state, title, rows.c.id


@lru_cache(maxsize=256)
def _statements(kind: str, present: frozenset, sort: str, paged: bool, postgres: bool):
    """(count per state, the rows in order) for one shape of the ledger."""
    rows, days = _ledger_query(kind, present, postgres)
    counts = select(rows.c.state, func.count()).group_by(rows.c.state)
    query = select(rows).order_by(*_order_by(rows, days, sort))
    if "state" in present:
        query = query.where(rows.c.state == STATE)
    if paged:
        query = query.limit(LIMIT).offset(OFFSET)
    return counts, query


def _rows(viewer: User, f: LedgerFilters, today: date, *, page: int | None = None, per_page: int = PER_PAGE,
          matter_ids=None) -> tuple[list[dict], dict[str, int]]:
    """The ledger rows (all, or one page) and the count of matters per state before the state filter."""
    use_generic_plans(db.session)  # the statements below cost more to plan than to run (core/plans.py)
    summaries.refresh(matter_ids)
    seen = summaries.audience(viewer)
    adjusted = [{"matter_id": m, "state": s, "first_sent": d}
                for m, (s, d) in sorted(summaries.live_headlines(seen).items())]
    present = frozenset(name for name, value in (("matter_ids", matter_ids), ("category", f.category), ("q", f.q),
                                                 ("agency_id", f.agency_id), ("state", f.state),
                                                 ("published", f.published == "yes"),
                                                 ("unpublished", f.published == "no")) if value)
    counts_sql, rows_sql = _statements(viewer_kind(viewer), present, f.sort, page is not None, is_postgres())
    params = {"today_number": to_number(today), "viewer_id": getattr(viewer, "id", None), "adjusted": adjusted,
              "matter_ids": list(matter_ids or ()), "category": MatterCategory(f.category) if f.category else None,
              "like": f"%{f.q}%", "agency_id": f.agency_id, "state": f.state,
              "limit": per_page, "offset": ((page or 1) - 1) * per_page}
    counts = dict(db.session.execute(counts_sql, params).all())
    found = db.session.execute(rows_sql, params).all()
    jurisdictions = dict(db.session.execute(select(Agency.id, Agency.jurisdiction)).all()) if found else {}
    summed = summaries.facts_for(seen, found, jurisdictions)
    published = stories.ledger_stories(viewer, [r.id for r in found])
    return [_with_stories(_row(r._mapping, *summed[r.id], today), published.get(r.id)) for r in found], counts


def _with_stories(row: dict, found: dict | None) -> dict:
    """The newsroom's stories beside the disclosure state: published or not, how many, the latest."""
    row["published"] = found is not None
    row["stories"] = found["count"] if found else 0
    row["latest_story"] = found["latest"] if found else None
    return row


def _row(m, facts: dz.MatterFacts, exemptions: Counter, today: date) -> dict:
    facts.has_official_report = bool(m["official_reports"])
    facts.official_report_on = m["official_report_on"]
    override = None
    if m["override_state"] in dz.STATES:
        override = dz.Override(state=m["override_state"], reason=m["override_reason"],
                               set_by=m["override_by"] or "", set_at=m["override_at"])
    d = dz.derive(facts, today, override)
    c = facts.counts
    return {
        "id": m["id"], "title": m["title"], "category": m["category"].value, "category_label": m["category"].label,
        "place": m["place"], "opr_case_number": m["opr_case_number"],
        "state": d.state, "state_label": d.label, "derived_state": d.derived_state,
        "derived_state_label": d.derived_label, "why": d.why,
        "override": None if d.override is None else {
            "state": d.override.state, "state_label": dz.STATES[d.override.state], "reason": d.override.reason,
            "set_by": d.override.set_by, "set_at": d.override.set_at},
        "first_requested_on": d.first_requested_on, "undisclosed_days": d.undisclosed_days,
        "pending_working_days": d.pending_working_days, "disclosed_on": d.disclosed_on,
        "official_report_on": facts.official_report_on,
        "requests": {"sent": sum(c.get(k, 0) for k in dz.REQUEST_CLASSES if k != dz.DRAFT),
                     "pending": c.get(dz.ASKED, 0), "released_in_full": c.get(dz.FULL, 0),
                     "released_in_part": c.get(dz.PART, 0), "withheld": c.get(dz.REFUSED, 0),
                     "unanswered": c.get(dz.UNANSWERED, 0), "drafts": c.get(dz.DRAFT, 0)},
        "pages_released": facts.pages_released, "pages_withheld": facts.pages_withheld,
        **_exemptions(exemptions if WITH_EXEMPTIONS_SET & {d.state, d.derived_state} else Counter()),
    }


def ledger_rows(viewer: User, f: LedgerFilters, today: date) -> list[dict]:
    """Every matter that passes the filters, sorted; each a plain dict (the exports, the API)."""
    return _rows(viewer, f, today)[0]


def ledger(viewer: User, f: LedgerFilters, today: date, page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of the ledger, the count of matters per state (before the state filter), and paging."""
    page = page if isinstance(page, int) and 0 < page <= MAX_ID else 1
    shown, counts = _rows(viewer, f, today, page=page, per_page=per_page)
    total = counts.get(f.state, 0) if f.state else sum(counts.values())
    pages = max((total + per_page - 1) // per_page, 1)
    if page > pages:  # past the end: show the last page
        page = pages
        shown, counts = _rows(viewer, f, today, page=page, per_page=per_page)
    return {"rows": shown, "total": total, "page": page, "pages": pages, "per_page": per_page,
            "state_counts": {s: counts.get(s, 0) for s in dz.STATES}, "all_matters": sum(counts.values())}


def matter_row(viewer: User, matter_id: int, today: date) -> dict | None:
    """The ledger row of one matter (for its page)."""
    rows = _rows(viewer, LedgerFilters(), today, matter_ids=[matter_id])[0]
    return rows[0] if rows else None


# --- exemptions in force, from determinations and their Vaughn index (summed in summaries.py) -------

WITH_EXEMPTIONS = (dz.WITHHELD, dz.PARTLY_DISCLOSED)  # the states whose grounds the ledger names
WITH_EXEMPTIONS_SET = set(WITH_EXEMPTIONS)


def _exemptions(counted: Counter) -> dict:
    """The codes in force, most cited first, and the same in words."""
    codes = most_cited(counted)
    return {"exemptions": codes, "exemptions_cited": shorts(codes)}


def jsonable(row: dict) -> dict:
    """A ledger row with dates and instants as ISO 8601 text."""
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value
    return plain(row)
