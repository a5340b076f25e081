"""The one service that stores a request's deadlines, recomputed from its dates and events.

Every action that changes a date calls recompute(); stored dates therefore never drift from the rules.
"""

from __future__ import annotations

from datetime import date

from tracker import deadlines
from tracker.requests.models import RecordsRequest
from tracker.requests.status import ADVERSE_OUTCOMES


def tolled_spans(req: RecordsRequest, today: date) -> list[tuple[date, date]]:
    """Closed spans as they are; a span still open counts as paused through today."""
    return [(s.paused_on, s.resumed_on or today) for s in req.tolled_spans]


def recompute(req: RecordsRequest, today: date) -> None:
    """Store each deadline and how it was computed, from the request's own dates."""
    code = req.agency.jurisdiction
    provenance: dict[str, dict] = {}

    def store(kind: str, args: tuple, kwargs: dict | None = None) -> date | None:
        explanation = deadlines.explain(kind, code, *args, **(kwargs or {}))
        provenance[kind] = explanation.to_dict()
        return explanation.result

    received = req.received_on
    req.response_due = req.tracking_number_due = req.expedited_decision_due = None
    req.appeal_due = req.appeal_decision_due = None
    if received is not None:
        req.response_due = store(
            "response", (received,), {"extended": req.extended, "tolled": tolled_spans(req, today)}
        )
        req.tracking_number_due = store("tracking_number", (received,))
        if req.expedited_requested:
            req.expedited_decision_due = store("expedited", (received,))
    initial = [d for d in req.determinations if d.stage == "initial"]
    for d in initial:
        d.working_days = _working_days(code, received, d.decided_on)
        d.on_time = None if req.response_due is None else d.decided_on <= req.response_due
    if initial and initial[-1].outcome in ADVERSE_OUTCOMES:
        req.appeal_due = store("appeal", (initial[-1].decided_on,))
    if req.appeal_filed_on is not None:
        req.appeal_decision_due = store(
            "appeal_decision", (req.appeal_filed_on,), {"extended": req.appeal_extended}
        )
    req.deadline_provenance = provenance


def _working_days(code: str, start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    try:
        return max(deadlines.working_days_between(code, start, max(start, end)), 0)
    except deadlines.DeadlineError:
        return None


# --- what the request page shows --------------------------------------------------------------

FEDERAL = ("US", "US-")  # US, US-DHS, US-DOJ; states are US-XX with two letters
LABELS = {
    "response": "Agency's response due",
    "tracking_number": "Tracking number owed by",
    "expedited": "Decision on expedited processing due",
    "appeal": "Last day to appeal",
    "appeal_decision": "Appeal decision due",
}
STORED = {  # deadline kind -> the request's column that stores it
    "response": "response_due", "tracking_number": "tracking_number_due", "expedited": "expedited_decision_due",
    "appeal": "appeal_due", "appeal_decision": "appeal_decision_due",
}


def is_federal(code: str) -> bool:
    return code == "US" or (code.startswith("US-") and len(code) > 5)


def active_kinds(status: str, *, has_tracking_number: bool, expedited_requested: bool) -> set[str]:
    """Which deadlines still bind, given where the request stands."""
    waiting = status in ("filed", "acknowledged", "awaiting_clarification", "awaiting_fees")
    kinds = set()
    if waiting:
        kinds.add("response")
        if not has_tracking_number:
            kinds.add("tracking_number")
        if expedited_requested:
            kinds.add("expedited")
    if status == "determined":
        kinds.add("appeal")
    if status == "appealed":
        kinds.add("appeal_decision")
    return kinds


def lateness(code: str, due: date, today: date) -> tuple[int, int | None]:
    """(working days overdue, working days left): (N, None) once the day has passed, else (0, N)."""
    if today > due:
        return deadlines.working_days_between(code, due, today), None
    return 0, deadlines.working_days_between(code, today, due)


def _unconfirmed(code: str, kind: str, extended: bool) -> list[str]:
    """The reference's "check" marks that bear on this deadline, so the page can say the rule is unconfirmed."""
    rules = deadlines.jurisdiction(code)
    period_names = {"response": ["response"] + (["extension"] if extended else []), "appeal": ["appeal"],
                    "appeal_decision": ["appeal_decision"], "expedited": ["expedited"],
                    "tracking_number": ["tracking_number"]}[kind]
    notes = []
    for name in period_names:
        period = getattr(rules, name)
        if period is not None and period.check:
            notes.append(period.note or "this period could not be confirmed from a primary text")
    if rules.holiday_calendar.check:
        notes.append(rules.holiday_calendar.note or "the holiday calendar follows state law only roughly")
    return notes


def summary(req: RecordsRequest, today: date) -> list[dict]:
    """Each stored deadline with its explanation, whether it still binds, and how late it is."""
    code = req.agency.jurisdiction
    active = active_kinds(req.status, has_tracking_number=bool(req.primary_tracking_number),
                          expedited_requested=req.expedited_requested)
    rows = []
    stored = {kind: getattr(req, column) for kind, column in STORED.items()}
    for kind, due in stored.items():
        provenance = (req.deadline_provenance or {}).get(kind)
        if provenance is None:
            continue
        row = {"kind": kind, "label": LABELS[kind], "due": due, "steps": provenance.get("steps", []),
               "active": kind in active, "overdue_by": 0, "days_left": None, "notices": [],
               "unconfirmed": _unconfirmed(code, kind, req.extended if kind == "response" else req.appeal_extended)}
        if due is not None and row["active"]:
            row["overdue_by"], row["days_left"] = lateness(code, due, today)
        if kind == "response" and row["overdue_by"] and is_federal(code):
            row["notices"] = [
                "The agency has missed its deadline. You are deemed to have exhausted administrative "
                "remedies and may sue (constructive exhaustion, 5 U.S.C. 552(a)(6)(C)(i)).",
                "The agency may no longer charge search fees (for news media: duplication fees), "
                "5 U.S.C. 552(a)(4)(A)(viii), except in narrow cases (a timely unusual-circumstances "
                "notice, more than 5,000 pages with notice, or a court finding).",
            ]
        if kind == "response" and req.open_tolled_span is not None and row["active"]:
            row["notices"].append("The clock is paused while the agency waits for our answer; this date moves "
                                  "one working day later for every working day it stays paused.")
        rows.append(row)
    return rows
