"""The ledger of OPR matters: each with its disclosure state, how long it has stayed undisclosed, and why.

Read-only queries that return plain dicts (the web page, the CSV and JSON exports and the API share
them). A fixed number of SQL statements whatever the number of requests: the requests are classified
and summed in SQL per (matter, jurisdiction), and only the shown matters' exemptions are loaded.
Visibility: a private request counts only for those who may see it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.extensions import db
from tracker.matters import disclosure as dz
from tracker.matters.models import Matter, MatterCategory, MatterStateOverride, Source
from tracker.matters.sqldays import day_number, to_date
from tracker.requests.documents import DeterminationDocument
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import Determination, RecordsRequest, request_matters
from tracker.requests.queries import visible_to
from tracker.requests.status import STATUSES

CLOSED_STATUSES = [code for code, s in STATUSES.items() if not s.open]
CHALLENGED = ("appealed", "in_mediation", "in_litigation")
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
        return cls(state=state if state in dz.STATES else "",
                   category=category if category in {c.value for c in MatterCategory} else "",
                   agency_id=agency_id, q=str(args.get("q") or "")[:200].strip(),
                   sort=sort if sort in SORTS else "undisclosed")

    def as_args(self, **changes) -> dict:
        """The filters as query arguments (for links), with some changed; empty ones left out."""
        args = {"state": self.state, "category": self.category, "agency_id": self.agency_id, "q": self.q,
                "sort": "" if self.sort == "undisclosed" else self.sort, **changes}
        return {k: v for k, v in args.items() if v}


# --- one request's class, in SQL: the same rule as disclosure.classify_request -----------------------

def request_class_sql(status, initial_outcome, appeal_outcome, appeal_in_force):
    """The class of a request in SQL; `appeal_in_force` is a condition (see disclosure.appeal_in_force)."""
    whens = [(status == "draft", dz.DRAFT)]
    for name, effect in dz.APPEAL_EFFECT.items():
        decided = and_(appeal_in_force, appeal_outcome == name)
        if effect is None:  # back with the agency: pending while open
            whens.append((and_(decided, status.in_(CLOSED_STATUSES)), dz.UNANSWERED))
            whens.append((decided, dz.ASKED))
        else:
            whens.append((decided, dz.OUTCOME_CLASS[effect]))
    whens += [(initial_outcome == outcome, cls) for outcome, cls in dz.OUTCOME_CLASS.items()]
    whens.append((status.in_(CLOSED_STATUSES), dz.UNANSWERED))
    return case(*whens, else_=dz.ASKED)


def request_facts(viewer: User):
    """One row per (matter, visible request): its class, dates (as day numbers) and pages."""
    latest_appeal = (select(Determination.request_id, func.max(Determination.id).label("id"))
                     .where(Determination.stage == "appeal").group_by(Determination.request_id).subquery("la"))
    decision = aliased(Determination, name="appeal_decision")
    # The same rule as disclosure.appeal_in_force: an appeal decision made on or after the latest determination.
    in_force = and_(decision.id.is_not(None),
                    decision.decided_on >= func.coalesce(RecordsRequest.determined_on, decision.decided_on))
    cls = request_class_sql(RecordsRequest.status, RecordsRequest.outcome, decision.outcome, in_force)
    decided_on = case((in_force, decision.decided_on), else_=RecordsRequest.determined_on)
    return (
        select(request_matters.c.matter_id.label("matter_id"), RecordsRequest.id.label("request_id"),
               RecordsRequest.agency_id.label("agency_id"), Agency.jurisdiction.label("jurisdiction"),
               cls.label("cls"), RecordsRequest.status.label("status"),
               day_number(RecordsRequest.sent_on).label("sent_on"),  # day numbers: see sqldays.py
               day_number(func.coalesce(RecordsRequest.received_on, RecordsRequest.sent_on)).label("since"),
               day_number(decided_on).label("decided_on"), RecordsRequest.pages_released.label("pages_released"),
               RecordsRequest.pages_withheld.label("pages_withheld"))
        .select_from(request_matters)
        .join(RecordsRequest, RecordsRequest.id == request_matters.c.request_id)
        .join(Agency, Agency.id == RecordsRequest.agency_id)
        .outerjoin(latest_appeal, latest_appeal.c.request_id == RecordsRequest.id)
        .outerjoin(decision, and_(decision.id == latest_appeal.c.id, decision.stage == "appeal"))
        .where(visible_to(viewer))
    )


def _grouped_facts(viewer: User, matter_ids=None) -> dict[int, dz.MatterFacts]:
    """Per matter, its requests summed up by class (and, for pending requests, by jurisdiction: their
    working days are counted on each jurisdiction's own calendar)."""
    rows = request_facts(viewer).subquery("rf")
    pending_code = case((rows.c.cls == dz.ASKED, rows.c.jurisdiction))
    query = (
        select(rows.c.matter_id, rows.c.cls, pending_code, func.count(), func.min(rows.c.sent_on),
               func.min(rows.c.since), func.min(rows.c.decided_on), func.sum(rows.c.pages_released),
               func.sum(rows.c.pages_withheld), func.sum(case((rows.c.status.in_(CHALLENGED), 1), else_=0)))
        .group_by(rows.c.matter_id, rows.c.cls, pending_code)
    )
    if matter_ids is not None:
        query = query.where(rows.c.matter_id.in_(matter_ids))
    facts: dict[int, dz.MatterFacts] = defaultdict(dz.MatterFacts)
    for matter_id, cls, code, n, sent, since, decided, released, withheld, challenged in db.session.execute(query):
        f = facts[matter_id]
        f.counts[cls] = f.counts.get(cls, 0) + n
        if cls == dz.DRAFT:
            continue
        f.first_requested_on = _earliest(f.first_requested_on, to_date(sent))
        if cls == dz.ASKED and since is not None:
            f.pending_since[code] = to_date(since)
        elif cls == dz.FULL:
            f.first_full_on = _earliest(f.first_full_on, to_date(decided))
        f.pages_released += released or 0
        f.pages_withheld += withheld or 0
        f.challenged += challenged or 0
    return facts


def _earliest(a: date | None, b: date | None) -> date | None:
    return min(a, b) if a is not None and b is not None else (a or b)


def _matters(viewer: User, f: LedgerFilters, matter_ids=None):
    official = (select(Source.matter_id, func.min(Source.published_on).label("on"),
                       func.count(Source.id).label("n"))
                .where(Source.official_report.is_(True)).group_by(Source.matter_id).subquery("official"))
    setter = aliased(User, name="setter")
    query = (
        select(Matter.id, Matter.title, Matter.category, Matter.place, Matter.opr_case_number,
               official.c.n.label("official_reports"), official.c.on.label("official_report_on"),
               MatterStateOverride.state.label("override_state"), MatterStateOverride.reason.label("override_reason"),
               MatterStateOverride.set_at.label("override_at"), setter.name.label("override_by"))
        .outerjoin(official, official.c.matter_id == Matter.id)
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
    return db.session.execute(query).mappings().all()


def _entries(viewer: User, f: LedgerFilters, today: date, matter_ids=None) -> list[dict]:
    """Every matter with its state and days undisclosed: what filtering, counting and sorting need.
    The full row (reason, working days pending...) is built only for the matters shown."""
    facts = _grouped_facts(viewer, matter_ids)
    entries = []
    for m in _matters(viewer, f, matter_ids):
        fm = facts.get(m["id"]) or dz.MatterFacts()
        fm.has_official_report = bool(m["official_reports"])
        fm.official_report_on = m["official_report_on"]
        override = None
        if m["override_state"] in dz.STATES:
            override = dz.Override(state=m["override_state"], reason=m["override_reason"],
                                   set_by=m["override_by"] or "", set_at=m["override_at"])
        state = override.state if override else dz.derived_state(fm)
        days = (today - fm.first_requested_on).days if state in dz.UNDISCLOSED and fm.first_requested_on else None
        entries.append({"m": m, "facts": fm, "override": override, "state": state, "title": m["title"],
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
        "exemptions": [], "exemptions_cited": "",
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
    rows = [_row(e, today) for e in entries]
    if with_exemptions:
        add_exemptions(viewer, rows)
    return rows


def ledger(viewer: User, f: LedgerFilters, today: date, page: int = 1, per_page: int = PER_PAGE) -> dict:
    """One page of the ledger, the count of matters per state (before the state filter), and paging."""
    everything = _entries(viewer, f, today)
    counts = Counter(e["state"] for e in everything)
    entries = [e for e in everything if e["state"] == f.state] if f.state else everything
    entries.sort(key=_sort_key(f.sort))
    pages = max((len(entries) + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    shown = [_row(e, today) for e in entries[(page - 1) * per_page: page * per_page]]
    add_exemptions(viewer, shown)
    return {"rows": shown, "total": len(entries), "page": page, "pages": pages, "per_page": per_page,
            "state_counts": {s: counts.get(s, 0) for s in dz.STATES}, "all_matters": len(everything)}


def matter_row(viewer: User, matter_id: int, today: date) -> dict | None:
    """The ledger row of one matter (for its page)."""
    entries = _entries(viewer, LedgerFilters(), today, matter_ids=[matter_id])
    if not entries:
        return None
    row = _row(entries[0], today)
    add_exemptions(viewer, [row])
    return row


# --- exemptions in force, from determinations and their Vaughn index -------------------------------

def add_exemptions(viewer: User, rows: list[dict]) -> None:
    """Fill each row's "exemptions" (codes, most cited first) from the determinations in force of its
    visible requests, and their documents. One query for all the given rows."""
    if not rows:
        return
    by_matter = exemptions_in_force(viewer, [r["id"] for r in rows])
    for r in rows:
        counted = by_matter.get(r["id"], Counter())
        r["exemptions"] = [code for code, _n in sorted(counted.items(), key=lambda kv: (-kv[1], _order(kv[0])))]
        r["exemptions_cited"] = ", ".join(EXEMPTIONS[c].short if c in EXEMPTIONS else c for c in r["exemptions"])


def _order(code: str) -> int:
    return list(EXEMPTIONS).index(code) if code in EXEMPTIONS else len(EXEMPTIONS)


def exemptions_in_force(viewer: User, matter_ids: list[int]) -> dict[int, Counter]:
    """matter id -> Counter of exemption codes, each counted once per request that cites it."""
    linked = select(request_matters.c.request_id).where(request_matters.c.matter_id.in_(matter_ids))
    query = (
        select(request_matters.c.matter_id, Determination.request_id, Determination.id, Determination.stage,
               Determination.outcome.label("outcome"), day_number(Determination.decided_on).label("decided_on"),
               Determination.exemptions.label("exemptions"), RecordsRequest.status.label("status"),
               RecordsRequest.outcome.label("request_outcome"),
               day_number(RecordsRequest.determined_on).label("determined_on"),
               DeterminationDocument.exemptions.label("document_exemptions"))
        .select_from(Determination)
        .join(RecordsRequest, RecordsRequest.id == Determination.request_id)
        .join(request_matters, request_matters.c.request_id == RecordsRequest.id)
        .outerjoin(DeterminationDocument, DeterminationDocument.determination_id == Determination.id)
        .where(Determination.request_id.in_(linked), request_matters.c.matter_id.in_(matter_ids),
               visible_to(viewer))
        .order_by(Determination.id)
    )
    # (matter, request) -> stage -> [determination id, outcome, decided on, set of codes]
    latest: dict[tuple[int, int], dict] = defaultdict(dict)
    status: dict[tuple[int, int], tuple] = {}
    for row in db.session.execute(query):
        key = (row.matter_id, row.request_id)
        status[key] = (row.status, row.request_outcome, row.determined_on)
        current = latest[key].get(row.stage)
        if current is None or current[0] != row.id:
            current = [row.id, row.outcome, row.decided_on, set(row.exemptions or [])]
            latest[key][row.stage] = current
        current[3].update(row.document_exemptions or [])
    out: dict[int, Counter] = defaultdict(Counter)
    for key, stages in latest.items():
        initial, appeal = stages.get("initial"), stages.get("appeal")
        if appeal is not None and not dz.appeal_in_force(appeal[2], status[key][2]):
            appeal = None
        cls = dz.classify_request(status[key][0], status[key][1] or (initial[1] if initial else None),
                                  appeal[1] if appeal else None)
        if cls not in (dz.PART, dz.REFUSED):
            continue
        codes = set()
        if appeal is not None and appeal[1] in ("affirmed", "reversed_in_part"):
            codes = appeal[3]
        if not codes and initial is not None:
            codes = initial[3]
        out[key[0]].update(codes)
    return out


def jsonable(row: dict) -> dict:
    """A ledger row with dates and instants as ISO 8601 text."""
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value
    return plain(row)
