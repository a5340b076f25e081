"""The ledger of OPR matters: each with its disclosure state, how long it has stayed undisclosed, and why.

Read-only queries that return plain dicts (the web page, the CSV and JSON exports and the API share
them, e.g. ledger_rows(viewer, LedgerFilters.from_args(args), today) and matter_row(...)). A fixed
number of SQL statements whatever the number of requests: the requests are classified and summed per
matter in SQL (facts.py; disclosure.py holds the same rule in Python) and kept per matter
(summaries.py), so a page reads one row per matter, not every request. Visibility: a private
request counts only for those who may see it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters import disclosure as dz
from tracker.matters import facts, summaries
from tracker.matters.models import Matter, MatterCategory, MatterStateOverride, Source
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import RecordsRequest, request_matters
from tracker.requests.queries import visible_to

SORTS = {"undisclosed": "Longest undisclosed", "title": "Title", "state": "State"}
PER_PAGE = 50


@dataclass
class LedgerFilters:
    state: str = ""
    category: str = ""
    agency_id: int | None = None
    q: str = ""
    sort: str = "undisclosed"

    @classmethod
    def from_args(cls, args) -> LedgerFilters:
        """From a query string or a plain dict (the API); anything unknown is ignored rather than refused."""
        state = args.get("state") or ""
        category = args.get("category") or ""
        sort = args.get("sort") or "undisclosed"
        agency = args.get("agency_id")
        agency_id = agency if isinstance(agency, int) and not isinstance(agency, bool) else (
            int(agency) if isinstance(agency, str) and agency.isdecimal() and len(agency) < 12 else None)
        if agency_id is not None and not 0 < agency_id < 2**31:  # past a 32-bit id: PostgreSQL would refuse
            agency_id = None
        return cls(state=state if state in dz.STATES else "",
                   category=category if category in {c.value for c in MatterCategory} else "",
                   agency_id=agency_id, q=str(args.get("q") or "")[:200].replace("\x00", "").strip(),
                   sort=sort if sort in SORTS else "undisclosed")

    def as_args(self, **changes) -> dict:
        """The filters as query arguments (for links), with some changed; empty ones left out."""
        args = {"state": self.state, "category": self.category, "agency_id": self.agency_id, "q": self.q,
                "sort": "" if self.sort == "undisclosed" else self.sort, **changes}
        return {k: v for k, v in args.items() if v}


# --- the SQL of the disclosure rule lives in facts.py; per-matter sums are kept in summaries.py -------

request_class_sql = facts.request_class_sql


def request_facts(viewer: User):
    """One row per (matter, request the viewer may see): its class, dates (as day numbers) and pages."""
    return facts.request_facts(visible_to(viewer))


def _matters(viewer: User, f: LedgerFilters, matter_ids=None):
    official = (select(Source.matter_id, func.min(Source.published_on).label("on"),
                       func.count(Source.id).label("n"))
                .where(Source.official_report.is_(True)).group_by(Source.matter_id).subquery("official"))
    setter = aliased(User, name="setter")
    query = (
        select(Matter.id, Matter.title, Matter.category, Matter.place, Matter.opr_case_number,
               official.c.n.label("official_reports"), official.c.on.label("official_report_on"),
               MatterStateOverride.state.label("override_state"), MatterStateOverride.reason.label("override_reason"),
               MatterStateOverride.set_at.label("override_at"), setter.name.label("override_by"),
               *summaries.COLUMNS)
        .outerjoin(official, official.c.matter_id == Matter.id)
        .outerjoin(summaries.summaries, summaries.summaries.c.matter_id == Matter.id)
        .outerjoin(MatterStateOverride, MatterStateOverride.matter_id == Matter.id)
        .outerjoin(setter, setter.id == MatterStateOverride.set_by_id)
        .order_by(Matter.title)
    )
    if matter_ids is not None:
        query = query.where(Matter.id.in_(matter_ids))
    if f.category:
        query = query.where(Matter.category == MatterCategory(f.category))
    if f.q:
        like = f"%{f.q}%"
        query = query.where(or_(Matter.title.ilike(like), Matter.opr_case_number.ilike(like),
                                Matter.place.ilike(like)))
    if f.agency_id:
        at_agency = (select(request_matters.c.matter_id)
                     .join(RecordsRequest, RecordsRequest.id == request_matters.c.request_id)
                     .where(RecordsRequest.agency_id == f.agency_id, visible_to(viewer)))
        query = query.where(Matter.id.in_(at_agency))
    return db.session.execute(query).all()


def _entries(viewer: User, f: LedgerFilters, today: date, matter_ids=None) -> list[dict]:
    """Every matter with its state and days undisclosed: what filtering, counting and sorting need.
    The full row (reason, working days pending...) is built only for the matters shown."""
    rows = _matters(viewer, f, matter_ids)
    summed = summaries.facts_for(viewer, rows)
    entries = []
    for row in rows:
        m = row._mapping
        fm, exemptions = summed[m["id"]]
        fm.has_official_report = bool(m["official_reports"])
        fm.official_report_on = m["official_report_on"]
        override = None
        if m["override_state"] in dz.STATES:
            override = dz.Override(state=m["override_state"], reason=m["override_reason"],
                                   set_by=m["override_by"] or "", set_at=m["override_at"])
        state = override.state if override else dz.derived_state(fm)
        days = (today - fm.first_requested_on).days if state in dz.UNDISCLOSED and fm.first_requested_on else None
        entries.append({"m": m, "facts": fm, "exemption_counts": exemptions, "override": override,
                        "state": state, "title": m["title"],
                        "undisclosed_days": max(days, 0) if days is not None else None})
    return entries


def _row(entry: dict, today: date) -> dict:
    m, facts = entry["m"], entry["facts"]
    d = dz.derive(facts, today, entry["override"])
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
        **_exemptions(entry["exemption_counts"] if WITH_EXEMPTIONS_SET & {d.state, d.derived_state} else Counter()),
    }


_STATE_ORDER = {s: i for i, s in enumerate(dz.STATES)}


def _sort_key(sort: str):
    if sort == "title":
        return lambda r: r["title"].lower()
    if sort == "state":
        return lambda r: (_STATE_ORDER[r["state"]], -(r["undisclosed_days"] or -1), r["title"].lower())
    return lambda r: (r["undisclosed_days"] is None, -(r["undisclosed_days"] or 0), _STATE_ORDER[r["state"]],
                      r["title"].lower())


def ledger_rows(viewer: User, f: LedgerFilters, today: date, *, with_exemptions: bool = True) -> list[dict]:
    """Every matter that passes the filters, sorted; each a plain dict (the exports, the API)."""
    entries = [e for e in _entries(viewer, f, today) if not f.state or e["state"] == f.state]
    entries.sort(key=_sort_key(f.sort))
    return [_row(e, today) for e in entries]


def ledger(viewer: User, f: LedgerFilters, today: date, page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of the ledger, the count of matters per state (before the state filter), and paging."""
    everything = _entries(viewer, f, today)
    counts = Counter(e["state"] for e in everything)
    entries = [e for e in everything if e["state"] == f.state] if f.state else everything
    entries.sort(key=_sort_key(f.sort))
    pages = max((len(entries) + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    shown = [_row(e, today) for e in entries[(page - 1) * per_page: page * per_page]]
    return {"rows": shown, "total": len(entries), "page": page, "pages": pages, "per_page": per_page,
            "state_counts": {s: counts.get(s, 0) for s in dz.STATES}, "all_matters": len(everything)}


def matter_row(viewer: User, matter_id: int, today: date) -> dict | None:
    """The ledger row of one matter (for its page)."""
    entries = _entries(viewer, LedgerFilters(), today, matter_ids=[matter_id])
    if not entries:
        return None
    return _row(entries[0], today)


# --- exemptions in force, from determinations and their Vaughn index (summed in summaries.py) -------

WITH_EXEMPTIONS = (dz.WITHHELD, dz.PARTLY_DISCLOSED)  # the states whose grounds the ledger names
WITH_EXEMPTIONS_SET = set(WITH_EXEMPTIONS)


def _exemptions(counted: Counter) -> dict:
    """The codes in force, most cited first, and the same in words."""
    codes = [code for code, _n in sorted(counted.items(), key=lambda kv: (-kv[1], _order(kv[0])))]
    return {"exemptions": codes, "exemptions_cited": ", ".join(EXEMPTIONS[c].short if c in EXEMPTIONS else c
                                                               for c in codes)}


def _order(code: str) -> int:
    return list(EXEMPTIONS).index(code) if code in EXEMPTIONS else len(EXEMPTIONS)


def jsonable(row: dict) -> dict:
    """A ledger row with dates and instants as ISO 8601 text."""
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value
    return plain(row)
