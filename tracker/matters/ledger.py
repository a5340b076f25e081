"""The ledger of OPR matters: each with its disclosure state, how long it has stayed undisclosed, and why.

Read-only queries that return plain dicts (the web page, the CSV and JSON exports and the API share
them, e.g. ledger_rows(viewer, LedgerFilters.from_args(args), today) and matter_row(...)). A fixed
number of SQL statements whatever the number of requests: the requests are classified and summed per
matter in SQL (disclosure.py holds the same rule in Python), and only the exemptions of the matters
shown are loaded. Visibility: a private request counts only for those who may see it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, and_, case, cast, func, or_, select
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
               RecordsRequest.agency_id.label("agency_id"), cls.label("cls"), RecordsRequest.status.label("status"),
               day_number(RecordsRequest.sent_on).label("sent_on"),  # day numbers: see sqldays.py
               day_number(func.coalesce(RecordsRequest.received_on, RecordsRequest.sent_on)).label("since"),
               day_number(decided_on).label("decided_on"), RecordsRequest.pages_released.label("pages_released"),
               RecordsRequest.pages_withheld.label("pages_withheld"))
        .select_from(request_matters)
        .join(RecordsRequest, RecordsRequest.id == request_matters.c.request_id)
        .outerjoin(latest_appeal, latest_appeal.c.request_id == RecordsRequest.id)
        .outerjoin(decision, and_(decision.id == latest_appeal.c.id, decision.stage == "appeal"))
        .where(visible_to(viewer))
    )


AGENCY_SPAN = 10**9  # the oldest pending request as one number: its day number * AGENCY_SPAN + its agency id


def _grouped_facts(viewer: User, matter_ids=None) -> dict[int, dz.MatterFacts]:
    """Per matter, its requests summed up: first per class, then per matter (one row per matter). The
    oldest pending request comes back with its agency, whose calendar counts its working days."""
    rows = request_facts(viewer).subquery("rf")
    challenged = case((rows.c.status.in_(CHALLENGED), 1), else_=0)
    by_class = (
        select(rows.c.matter_id, rows.c.cls, func.count().label("n"), func.min(rows.c.sent_on).label("sent"),
               func.min(cast(rows.c.since, BigInteger) * AGENCY_SPAN + rows.c.agency_id).label("oldest"),
               func.min(rows.c.decided_on).label("decided"), func.sum(rows.c.pages_released).label("released"),
               func.sum(rows.c.pages_withheld).label("withheld"), func.sum(challenged).label("challenged"))
        .group_by(rows.c.matter_id, rows.c.cls)
    )
    if matter_ids is not None:
        by_class = by_class.where(rows.c.matter_id.in_(matter_ids))
    c = by_class.subquery("by_class")
    sent = c.c.cls != dz.DRAFT
    query = (
        select(c.c.matter_id, *[func.sum(case((c.c.cls == cls, c.c.n), else_=0)) for cls in dz.REQUEST_CLASSES],
               func.min(case((sent, c.c.sent))), func.min(case((c.c.cls == dz.ASKED, c.c.oldest))),
               func.min(case((c.c.cls == dz.FULL, c.c.decided))), func.sum(case((sent, c.c.released), else_=0)),
               func.sum(case((sent, c.c.withheld), else_=0)), func.sum(case((sent, c.c.challenged), else_=0)))
        .group_by(c.c.matter_id)
    )
    jurisdictions = dict(db.session.execute(select(Agency.id, Agency.jurisdiction)).all())
    facts: dict[int, dz.MatterFacts] = {}
    for matter_id, *numbers, first_sent, oldest, first_full, released, withheld, contested in \
            db.session.execute(query):
        f = facts[matter_id] = dz.MatterFacts(
            counts={cls: int(n) for cls, n in zip(dz.REQUEST_CLASSES, numbers, strict=True) if n},
            first_requested_on=to_date(first_sent), first_full_on=to_date(first_full),
            pages_released=int(released or 0), pages_withheld=int(withheld or 0), challenged=int(contested or 0))
        if oldest is not None:
            since, agency_id = divmod(int(oldest), AGENCY_SPAN)
            f.pending_since[jurisdictions.get(agency_id, "US")] = to_date(since)
    return facts


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

WITH_EXEMPTIONS = (dz.WITHHELD, dz.PARTLY_DISCLOSED)  # the states whose grounds the ledger names


def add_exemptions(viewer: User, rows: list[dict]) -> None:
    """Fill the "exemptions" (codes, most cited first) of each withheld or partly disclosed row from the
    determinations in force of its visible requests and their documents. One query for all the rows."""
    rows = [r for r in rows if r["state"] in WITH_EXEMPTIONS or r["derived_state"] in WITH_EXEMPTIONS]
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
