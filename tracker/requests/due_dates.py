"""The one service that stores a request's deadlines, recomputed from its dates and events.

Every action that changes a date calls recompute(); stored dates therefore never drift from the rules.
"""

from __future__ import annotations

from datetime import date

from tracker import deadlines
from tracker.core.template_helpers import longdate
from tracker.requests.models import RecordsRequest
from tracker.requests.status import ADVERSE_OUTCOMES


def tolled_spans(req: RecordsRequest, today: date) -> list[tuple[date, date]]:
    """Closed spans as they are; a span still open counts as paused through today. In the order of their pause
    (the spans' own order, which a span just added, at the end, may not keep until it is read again)."""
    return sorted((s.paused_on, s.resumed_on or today) for s in req.tolled_spans)


def read_ahead(req: RecordsRequest) -> tuple:
    """Load what recompute() reads of a request before an action changes it: read after a change, each of them
    first flushes the change (an UPDATE of the request, and the listeners of a changed request), three times per
    action instead of once. A span or determination the action adds joins the loaded list."""
    return req.agency, req.tolled_spans, req.determinations


def filing_channel(req: RecordsRequest) -> str | None:
    """How the request was sent (the "file" action records it): Michigan counts email and fax receipt later."""
    for event in reversed(req.events):
        if event.action == "file" and (event.data or {}).get("channel"):
            return event.data["channel"]
    return None


def deadline_options(req: RecordsRequest) -> dict:
    """The request's and its agency's settings that the state rules read: the kind of request, the channel it
    was sent by, and the agency's own closed days. A setting the jurisdiction does not know is left out (an
    agency moved to another state keeps its request computable) and reported in `ignored`."""
    rules = deadlines.jurisdiction(req.agency.jurisdiction)
    options: dict = {}
    ignored: list[str] = []
    if req.deadline_variant:
        if any(v.key == req.deadline_variant for v in rules.variants):
            options["variant"] = req.deadline_variant
        else:
            ignored.append(f"the kind of request “{req.deadline_variant}” has no periods of its own in {rules.name}")
    channel = filing_channel(req) if rules.receipt is not None else None  # events are read only where needed
    if channel:
        options["channel"] = channel
    observes = req.agency.observes
    if observes:
        try:
            deadlines.check_observes(rules, observes)
            options["observes"] = observes
        except deadlines.DeadlineError as exc:
            ignored.append(str(exc).removesuffix("."))  # recompute joins them into one sentence
    return {"options": options, "ignored": ignored}


def recompute(req: RecordsRequest, today: date) -> None:
    """Store each deadline and how it was computed, from the request's own dates."""
    code = req.agency.jurisdiction
    rules = deadlines.jurisdiction(code)
    provenance: dict[str, dict] = {}
    settings = deadline_options(req)
    options = settings["options"]
    observes = {"observes": options["observes"]} if "observes" in options else {}
    receipt = {k: v for k, v in options.items() if k == "channel"}

    def store(kind: str, args: tuple, kwargs: dict | None = None) -> date | None:
        explanation = deadlines.explain(kind, code, *args, **(kwargs or {}))
        provenance[kind] = explanation.to_dict()
        return explanation.result

    received = req.received_on
    req.response_due = req.tracking_number_due = req.expedited_decision_due = None
    req.appeal_due = req.appeal_decision_due = None
    if received is not None:
        req.response_due = store(
            "response", (received,), {"extended": req.extended, "tolled": tolled_spans(req, today), **options}
        )
        req.tracking_number_due = store("tracking_number", (received,), observes)
        if req.expedited_requested and not req.expedited_decision:  # a recorded decision ends the wait
            req.expedited_decision_due = store("expedited", (received,), observes)
        # State periods with no column of their own: the date lives in the provenance (summary reads it).
        for kind in ("certification", "ag_ruling"):
            if getattr(rules, kind) is not None:
                store(kind, (received,), {**receipt, **observes})
        if rules.no_response is not None and rules.no_response.deemed_denied:
            store("deemed_denial", (received,),
                  {"extended": req.extended, "tolled": tolled_spans(req, today), **options})
    initial = [d for d in req.determinations if d.stage == "initial"]
    for d in initial:
        d.working_days = _working_days(code, received, d.decided_on)
        d.on_time = None if req.response_due is None else d.decided_on <= req.response_due
    if initial and initial[-1].outcome in ADVERSE_OUTCOMES:
        req.appeal_due = store("appeal", (initial[-1].decided_on,), observes)
    elif not initial and req.response_due is not None and rules.no_response is not None:
        # No answer yet: where the law says so, the appeal window runs from the missed due date (a deemed
        # denial) or from the request (Massachusetts). It binds only once the due date has passed (summary).
        rule = rules.no_response
        if rule.appeal_from == "request":
            start, basis = req.sent_on or received, "no_response"
        else:
            start, basis = (req.response_due, "deemed_denial") if rule.deemed_denied else (None, "")
        if start is not None and rules.appeal is not None:
            explanation = deadlines.explain("appeal", code, start, basis=basis, **observes)
            provenance["appeal_no_response"] = explanation.to_dict()
    if req.appeal_filed_on is not None:
        period = rules.appeal_decision
        start = req.appeal_filed_on
        if period is not None and period.start == "determination" and initial:
            start = initial[-1].decided_on  # Washington: review complete 2 business days after the denial
        req.appeal_decision_due = store("appeal_decision", (start,), {"extended": req.appeal_extended, **observes})
    for kind in provenance:
        if settings["ignored"]:
            provenance[kind]["steps"].insert(0, {"kind": "note", "on": None, "text": "Not applied: "
                                                 + "; ".join(settings["ignored"]) + "."})
    req.deadline_provenance = provenance


def variant_label(key: str) -> str:
    """'New Jersey OPRA: Commercial-purpose request or Daniel's Law review' for a variant key."""
    for j in deadlines.jurisdictions():
        for v in j.variants:
            if v.key == key:
                return f"{j.name}: {v.label}"
    return key


def variant_error(variant: str, agency_id: int | None, agency=None) -> str | None:
    """A message for a kind of request the agency's jurisdiction does not have, or None."""
    from tracker.agencies.models import Agency
    from tracker.extensions import db

    if agency_id is not None:
        agency = db.session.get(Agency, agency_id) or agency
    if agency is None:
        return None
    try:
        deadlines.jurisdiction(agency.jurisdiction).variant(variant)
    except deadlines.DeadlineError:
        states = [j.name for j in deadlines.jurisdictions() if any(v.key == variant for v in j.variants)]
        where = f" only under {', '.join(states)}" if states else ""
        return f"This kind of request has its own deadlines{where}; {agency.name} is under other rules."
    return None


def _working_days(code: str, start: date | None, end: date | None) -> int | None:
    if start is None or end is None:
        return None
    try:
        return max(deadlines.working_days_between(code, start, max(start, end)), 0)
    except deadlines.DeadlineError:
        return None


# --- what the request page shows --------------------------------------------------------------

LABELS = {
    "response": "Agency's response due",
    "tracking_number": "Tracking number owed by",
    "expedited": "Decision on expedited processing due",
    "appeal": "Last day to appeal",
    "appeal_decision": "Appeal decision due",
    "deemed_denial": "Deemed denied if no response by",
    "appeal_no_response": "Last day to appeal if there is no response",
    "certification": "Agency must produce or certify a date by",
    "ag_ruling": "Agency must ask the Attorney General for a ruling by",
}
# State deadlines stored only in the provenance (their date is the explanation's result), in page order.
EXTRA = ("deemed_denial", "appeal_no_response", "certification", "ag_ruling")
STORED = {  # deadline kind -> the request's column that stores it
    "response": "response_due", "tracking_number": "tracking_number_due", "expedited": "expedited_decision_due",
    "appeal": "appeal_due", "appeal_decision": "appeal_decision_due",
}


def is_federal(code: str) -> bool:
    """Whether an agency's jurisdiction code is federal (the rule of deadlines.Jurisdiction.is_federal)."""
    return deadlines.is_federal_code(code)


def active_kinds(status: str, *, has_tracking_number: bool, expedited_requested: bool,
                 response_missed: bool = False) -> set[str]:
    """Which deadlines still bind, given where the request stands (and, for the state kinds, whether the
    response due date has passed with no answer)."""
    waiting = status in ("filed", "acknowledged", "awaiting_clarification", "awaiting_fees")
    kinds = set()
    if waiting:
        kinds.update({"response", "deemed_denial", "certification", "ag_ruling"})
        if response_missed:
            kinds.add("appeal_no_response")
        if not has_tracking_number:
            kinds.add("tracking_number")
        if expedited_requested:
            kinds.add("expedited")
    if status == "determined":
        kinds.add("appeal")
    if status == "appealed":
        kinds.add("appeal_decision")
    return kinds


def count_unit(code: str, kind: str) -> str:
    """How the period of a deadline kind is counted in a jurisdiction: "calendar" or "working" days."""
    try:
        period = getattr(deadlines.jurisdiction(code), kind, None)
    except ValueError:
        period = None
    return "calendar" if getattr(period, "unit", "") == "calendar" else "working"


def lateness(code: str, due: date, today: date, unit: str = "working") -> tuple[int, int | None]:
    """(days overdue, days left), counted in working days or, for a calendar-day period, calendar days:
    (N, None) once the day has passed, else (0, N)."""
    if unit == "calendar":
        return ((today - due).days, None) if today > due else (0, (due - today).days)
    if today > due:
        return deadlines.working_days_between(code, due, today), None
    return 0, deadlines.working_days_between(code, today, due)


def _unconfirmed(code: str, kind: str, extended: bool, variant: str = "") -> list[str]:
    """The reference's "check" marks that bear on this deadline, so the page can say the rule is unconfirmed."""
    rules = deadlines.jurisdiction(code).for_variant(variant)
    period_names = {"response": ["response"] + (["extension"] if extended else []), "appeal": ["appeal"],
                    "appeal_decision": ["appeal_decision"], "expedited": ["expedited"],
                    "tracking_number": ["tracking_number"], "deemed_denial": ["response"],
                    "appeal_no_response": ["appeal"], "certification": ["certification"],
                    "ag_ruling": ["ag_ruling"]}[kind]
    notes = []
    for name in period_names:
        period = getattr(rules, name)
        if period is not None and period.check:
            notes.append(period.note or "this period could not be confirmed from a primary text")
    for rule in (rules.counting, rules.no_response if kind in ("deemed_denial", "appeal_no_response") else None):
        if rule is not None and rule.check:
            notes.append(rule.note or "this rule could not be confirmed from a primary text")
    if rules.holiday_calendar.check:
        notes.append(rules.holiday_calendar.note or "the holiday calendar follows state law only roughly")
    return notes


def summary(req: RecordsRequest, today: date) -> list[dict]:
    """Each stored deadline with its explanation, whether it still binds, and how late it is."""
    code = req.agency.jurisdiction
    missed = req.response_due is not None and today > req.response_due and req.open_tolled_span is None
    active = active_kinds(req.status, has_tracking_number=bool(req.primary_tracking_number),
                          expedited_requested=req.expedited_requested, response_missed=missed)
    rows = []
    stored = {kind: getattr(req, column) for kind, column in STORED.items()}
    for kind in EXTRA:
        result = ((req.deadline_provenance or {}).get(kind) or {}).get("result")
        if kind in (req.deadline_provenance or {}):
            stored[kind] = date.fromisoformat(result) if result else None
    for kind, due in stored.items():
        provenance = (req.deadline_provenance or {}).get(kind)
        if provenance is None:
            continue
        unit = count_unit(code, kind)
        row = {"kind": kind, "label": LABELS[kind], "due": due, "unit": unit, "steps": provenance.get("steps", []),
               "active": kind in active, "overdue_by": 0, "days_left": None, "notices": [],
               "unconfirmed": _unconfirmed(code, kind, req.extended if kind == "response" else req.appeal_extended,
                                           req.deadline_variant)}
        if due is not None and row["active"]:
            row["overdue_by"], row["days_left"] = lateness(code, due, today, unit)
        if kind == "response" and row["overdue_by"] and is_federal(code):
            row["notices"] = [
                "The agency has missed its deadline. You are deemed to have exhausted administrative "
                "remedies and may sue (constructive exhaustion, 5 U.S.C. 552(a)(6)(C)(i)).",
                "The agency may no longer charge search fees (for news media: duplication fees), "
                "5 U.S.C. 552(a)(4)(A)(viii), except in narrow cases (a timely unusual-circumstances "
                "notice, more than 5,000 pages with notice, or a court finding).",
            ]
        if kind == "deemed_denial" and row["overdue_by"] and due is not None:
            rule = deadlines.jurisdiction(code).no_response
            cite = f" ({rule.citation})" if rule is not None and rule.citation else ""
            row["notices"].append(f"No response by {longdate(due)}: the law deems the request denied{cite}, and "
                                  "the window to appeal runs from that date.")
        if kind == "response" and req.open_tolled_span is not None and row["active"]:
            row["notices"].append("The clock is paused while the agency waits for our answer; this date moves "
                                  "one working day later for every working day it stays paused.")
        rows.append(row)
    return rows


# The deadline that runs in each status (live_deadline).
_LIVE = {"filed": "response", "acknowledged": "response", "awaiting_clarification": "response",
         "awaiting_fees": "response", "determined": "appeal", "appealed": "appeal_decision"}


def live_deadline(req: RecordsRequest) -> tuple[str, date] | None:
    """The one deadline that runs now, as (label, date), for lists: the agency's response while it has the
    request, the last day to appeal after a determination, the appeal decision while an appeal is pending."""
    kind = _LIVE.get(req.status)
    due = getattr(req, STORED[kind]) if kind else None
    return (LABELS[kind], due) if due is not None else None
