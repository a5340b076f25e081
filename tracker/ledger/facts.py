"""What a set of requests adds up to per matter, in SQL: the rule of disclosure.py over many requests.

`where` is a condition on the requests (a viewer's visibility, or "private requests this reporter may
see"); results are keyed by (matter id, private), so the public and the private parts of a matter can be
stored apart (summaries.py) and added up for each viewer. Facts are plain JSON-able dicts whose parts add
up by sum and min: see summaries.combine. A statement is built once per `where` (pass the same object,
with its values as bound parameters in `params`) and reused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from sqlalchemy import BigInteger, and_, bindparam, case, cast, func, select
from sqlalchemy.orm import aliased

from tracker.extensions import db
from tracker.ledger import disclosure as dz
from tracker.ledger.sqldays import day_number
from tracker.requests.models import Determination, DeterminationDocument, RecordsRequest, request_matters
from tracker.requests.referrals import chain_root_sql
from tracker.requests.status import STATUSES

CLOSED_STATUSES = [code for code, s in STATUSES.items() if not s.open]
CHALLENGED = ("appealed", "in_mediation", "in_litigation")
AGENCY_SPAN = 10**9  # the oldest pending request as one number: its day number * AGENCY_SPAN + its agency id
MATTER_IDS = bindparam("facts_matter_ids", expanding=True)


def _params(params: dict | None, matter_ids) -> dict:
    return {**(params or {}), **({"facts_matter_ids": list(matter_ids)} if matter_ids is not None else {})}


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


def request_facts(where):
    """One row per (matter, request matching `where`): its class, dates (as day numbers) and pages."""
    # The latest appeal decision of each request read by its request id (an index probe per request), not
    # grouped over every determination: a reporter's few private requests must not cost all of them.
    latest_appeal = (select(func.max(Determination.id)).where(Determination.request_id == RecordsRequest.id,
                                                              Determination.stage == "appeal")
                     .correlate(RecordsRequest).scalar_subquery())
    decision = aliased(Determination, name="appeal_decision")
    # The same rule as disclosure.appeal_in_force: an appeal decision made on or after the latest determination.
    in_force = and_(decision.id.is_not(None),
                    decision.decided_on >= func.coalesce(RecordsRequest.determined_on, decision.decided_on))
    cls = request_class_sql(RecordsRequest.status, RecordsRequest.outcome, decision.outcome, in_force)
    decided_on = case((in_force, decision.decided_on), else_=RecordsRequest.determined_on)
    return (
        select(request_matters.c.matter_id.label("matter_id"), RecordsRequest.id.label("request_id"),
               RecordsRequest.private.label("private"), RecordsRequest.owner_id.label("owner_id"),
               chain_root_sql().label("chain"),
               RecordsRequest.agency_id.label("agency_id"), cls.label("cls"), RecordsRequest.status.label("status"),
               day_number(RecordsRequest.sent_on).label("sent_on"),  # day numbers: see sqldays.py
               day_number(func.coalesce(RecordsRequest.received_on, RecordsRequest.sent_on)).label("since"),
               day_number(decided_on).label("decided_on"), RecordsRequest.pages_released.label("pages_released"),
               RecordsRequest.pages_withheld.label("pages_withheld"))
        .select_from(request_matters)
        .join(RecordsRequest, RecordsRequest.id == request_matters.c.request_id)
        .outerjoin(decision, and_(decision.id == latest_appeal, decision.stage == "appeal"))
        .where(where)
    )


@lru_cache(maxsize=32)
def _grouped_statement(where, by_matter: bool, by_owner: bool = False):
    rows = request_facts(where)
    if by_matter:
        rows = rows.where(request_matters.c.matter_id.in_(MATTER_IDS))
    rows = rows.subquery("rf")
    part = (rows.c.owner_id if by_owner else rows.c.private).label("part")  # the second half of each key
    # First per referral chain, which counts once as its best class (disclosure.chain_class); a request that
    # was never referred is a chain of one.
    sent_row = rows.c.cls != dz.DRAFT
    rank = case({cls: i for i, cls in enumerate(dz.CHAIN_ORDER)}, value=rows.c.cls)
    chains = (
        select(rows.c.matter_id, part, func.min(rank).label("rank"),
               func.min(case((sent_row, rows.c.sent_on))).label("sent"),
               func.min(case((rows.c.cls == dz.ASKED,
                              cast(rows.c.since, BigInteger) * AGENCY_SPAN + rows.c.agency_id))).label("oldest"),
               func.min(case((rows.c.cls == dz.FULL, rows.c.decided_on))).label("decided"),
               func.sum(case((sent_row, rows.c.pages_released))).label("released"),
               func.sum(case((sent_row, rows.c.pages_withheld))).label("withheld"),
               func.sum(case((and_(sent_row, rows.c.status.in_(CHALLENGED)), 1), else_=0)).label("challenged"))
        .group_by(rows.c.matter_id, part, rows.c.chain)
    ).subquery("chains")
    chain_rows = select(chains, case({i: cls for i, cls in enumerate(dz.CHAIN_ORDER)},
                                     value=chains.c.rank).label("cls")).subquery("chain_rows")
    ch = chain_rows.c
    by_class = (
        select(ch.matter_id, ch.part, ch.cls, func.count().label("n"), func.min(ch.sent).label("sent"),
               func.min(ch.oldest).label("oldest"), func.min(ch.decided).label("decided"),
               func.sum(ch.released).label("released"), func.sum(ch.withheld).label("withheld"),
               func.sum(ch.challenged).label("challenged"))
        .group_by(ch.matter_id, ch.part, ch.cls)
    ).subquery("by_class")
    c = by_class.c
    sent = c.cls != dz.DRAFT
    return (
        select(c.matter_id, c.part, *[func.sum(case((c.cls == cls, c.n), else_=0)) for cls in dz.REQUEST_CLASSES],
               func.min(case((sent, c.sent))), func.min(case((c.cls == dz.ASKED, c.oldest))),
               func.min(case((c.cls == dz.FULL, c.decided))), func.sum(case((sent, c.released), else_=0)),
               func.sum(case((sent, c.withheld), else_=0)), func.sum(case((sent, c.challenged), else_=0)))
        .group_by(c.matter_id, c.part)
    )


def grouped_facts(where, matter_ids=None, params: dict | None = None, *, by_owner: bool = False) -> dict[tuple, dict]:
    """Per (matter, private), or per (matter, owner) with by_owner, the requests matching `where` summed up: first
    per class, then per matter. The oldest pending request comes back with its agency, whose calendar counts its
    working days."""
    query = _grouped_statement(where, matter_ids is not None, by_owner)
    out: dict[tuple, dict] = {}
    for matter_id, part, *numbers, first_sent, oldest, first_full, released, withheld, contested in \
            db.session.execute(query, _params(params, matter_ids)):
        out[(matter_id, part if by_owner else bool(part))] = {
            "counts": {cls: int(n) for cls, n in zip(dz.REQUEST_CLASSES, numbers, strict=True) if n},
            "sent": first_sent, "oldest": None if oldest is None else int(oldest), "full": first_full,
            "released": int(released or 0), "withheld": int(withheld or 0), "challenged": int(contested or 0),
        }
    return out


@lru_cache(maxsize=32)
def _exemptions_statement(where, by_matter: bool):
    query = (
        select(request_matters.c.matter_id, Determination.request_id, Determination.id, Determination.stage,
               Determination.outcome.label("outcome"), day_number(Determination.decided_on).label("decided_on"),
               Determination.exemptions.label("exemptions"), RecordsRequest.status.label("status"),
               RecordsRequest.private.label("private"), RecordsRequest.owner_id.label("owner_id"),
               RecordsRequest.outcome.label("request_outcome"),
               day_number(RecordsRequest.determined_on).label("determined_on"),
               DeterminationDocument.exemptions.label("document_exemptions"))
        .select_from(Determination)
        .join(RecordsRequest, RecordsRequest.id == Determination.request_id)
        .join(request_matters, request_matters.c.request_id == RecordsRequest.id)
        .outerjoin(DeterminationDocument, DeterminationDocument.determination_id == Determination.id)
        .where(where)
        .order_by(Determination.id)
    )
    if by_matter:
        linked = select(request_matters.c.request_id).where(request_matters.c.matter_id.in_(MATTER_IDS))
        query = query.where(Determination.request_id.in_(linked), request_matters.c.matter_id.in_(MATTER_IDS))
    return query


def exemptions_in_force(where, matter_ids=None, params: dict | None = None, *,
                        by_owner: bool = False) -> dict[tuple, Counter]:
    """(matter id, private), or (matter id, owner id) with by_owner, -> Counter of exemption codes in force, each
    counted once per request that cites it, over the withheld or partly released requests matching `where`."""
    query = _exemptions_statement(where, matter_ids is not None)
    # (matter, request) -> stage -> [determination id, outcome, decided on, set of codes]
    latest: dict[tuple[int, int], dict] = defaultdict(dict)
    status: dict[tuple[int, int], tuple] = {}
    for row in db.session.execute(query, _params(params, matter_ids)):
        key = (row.matter_id, row.request_id)
        status[key] = (row.status, row.request_outcome, row.determined_on,
                       row.owner_id if by_owner else bool(row.private))
        current = latest[key].get(row.stage)
        if current is None or current[0] != row.id:
            current = [row.id, row.outcome, row.decided_on, set(row.exemptions or [])]
            latest[key][row.stage] = current
        current[3].update(row.document_exemptions or [])
    out: dict[tuple, Counter] = defaultdict(Counter)
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
        out[(key[0], status[key][3])].update(codes)
    return out
