"""Where a request stands, as a letter must know it: its stage, its open disputes, and which letters fit.

A status inquiry on appeal asks about the appeal; an OGIS letter states the real dispute and is offered only
when there is one; a second appeal asks the reporter to confirm. All of it is read from the request's stored
dates, determinations and decisions, so the request page, the letter and the letters index agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.letters.filters import longdate
from tracker.requests import due_dates
from tracker.requests.models import RecordsRequest
from tracker.requests.status import ADVERSE_OUTCOMES, FEE_CATEGORIES

# Appeal decisions that leave something to dispute.
ADVERSE_APPEAL_OUTCOMES = {"affirmed", "reversed_in_part"}
# The better fee categories: placed in a worse one than asked is a dispute (news media pay the least).
FEE_RANK = {"news_media": 0, "educational": 0, "other": 1, "commercial": 2}


def determination(req: RecordsRequest, stage: str):
    found = [d for d in req.determinations if d.stage == stage]
    return found[-1] if found else None


def _late(req: RecordsRequest, due: date | None, today: date) -> int:
    if due is None:
        return 0
    overdue, _left = due_dates.lateness(req.agency.jurisdiction, due, today)
    return overdue


def stage(req: RecordsRequest, today: date) -> str:
    """draft, pending, overdue, determined, on_appeal or appeal_decided: read from what is recorded."""
    if determination(req, "appeal") is not None:
        return "appeal_decided"
    if req.appeal_filed_on is not None:
        return "on_appeal"
    if determination(req, "initial") is not None:
        return "determined"
    if req.sent_on is None and req.received_on is None:
        return "draft"
    return "overdue" if _late(req, req.response_due, today) > 0 else "pending"


def appeal_facts(req: RecordsRequest, today: date) -> dict[str, Any] | None:
    """The appeal as a letter speaks of it: its number, when filed, when its decision was due, how late."""
    if req.appeal_filed_on is None:
        return None
    numbers = [t.number for t in req.tracking_numbers if t.kind == "appeal"]
    decided = determination(req, "appeal")
    return {
        "number": numbers[-1] if numbers else "",
        "filed_on": req.appeal_filed_on,
        "decision_due": req.appeal_decision_due,
        "overdue_working_days": 0 if decided is not None else _late(req, req.appeal_decision_due, today),
        "decided_on": decided.decided_on if decided is not None else None,
        "outcome": decided.outcome if decided is not None else "",
    }


def disputes(req: RecordsRequest, today: date) -> list[dict[str, Any]]:
    """The open disputes with the agency, oldest ground first; [] when there is nothing to dispute."""
    out: list[dict[str, Any]] = []
    initial = determination(req, "initial")
    if initial is None and _late(req, req.response_due, today) > 0:
        out.append({"code": "missed_deadline", "on": req.response_due,
                    "working_days": _late(req, req.response_due, today)})
    if initial is not None and initial.outcome in ADVERSE_OUTCOMES:
        out.append({"code": "adverse", "on": initial.decided_on, "outcome": initial.outcome,
                    "exemptions": list(initial.exemptions or [])})
    if req.expedited_decision == "denied":
        out.append({"code": "expedite_denied", "on": req.expedited_decided_on})
    if req.fee_waiver_decision in ("denied", "partly"):
        out.append({"code": "fee_waiver_denied", "on": req.fee_waiver_decided_on,
                    "partly": req.fee_waiver_decision == "partly"})
    if fee_category_denied(req):
        out.append({"code": "fee_category_denied", "on": req.fee_category_decided_on,
                    "given": FEE_CATEGORIES.get(req.fee_category_decision, req.fee_category_decision).lower()})
    appeal = appeal_facts(req, today)
    if appeal is not None and appeal["overdue_working_days"] > 0:
        out.append({"code": "appeal_overdue", "on": appeal["decision_due"],
                    "working_days": appeal["overdue_working_days"]})
    decided = determination(req, "appeal")
    if decided is not None and decided.outcome in ADVERSE_APPEAL_OUTCOMES:
        out.append({"code": "appeal_adverse", "on": decided.decided_on, "outcome": decided.outcome})
    return out


def fee_category_denied(req: RecordsRequest) -> bool:
    given = req.fee_category_decision
    return bool(given) and FEE_RANK.get(given, 9) > FEE_RANK.get(req.fee_category, 9)


@dataclass(frozen=True)
class Offer:
    offered: bool  # False: the letter does not fit the request now (reason says why)
    reason: str = ""
    confirm: str = ""  # non-empty: the reporter must confirm this before the letter is written


def offer(kind: str, req: RecordsRequest, today: date) -> Offer:
    """Whether a letter kind fits the request as it stands, and what the reporter must confirm first."""
    if kind == "ogis_mediation" and not disputes(req, today):
        return Offer(False, "OGIS mediates a dispute, and none is recorded: no adverse determination or "
                            "appeal decision, no missed deadline, no denial of expedited processing, of the fee "
                            "waiver or of the fee category.")
    if kind == "appeal" and req.appeal_filed_on is not None:
        appeal = appeal_facts(req, today) or {}
        number = f" ({appeal['number']})" if appeal.get("number") else ""
        where = (f"was decided on {longdate(appeal['decided_on'])}" if appeal.get("decided_on")
                 else "is still pending")
        return Offer(True, confirm=f"An appeal filed on {longdate(req.appeal_filed_on)}{number} {where}. "
                                   "Confirm that you mean to file another appeal (for example of a later fee "
                                   "or expedited-processing decision).")
    return Offer(True)
