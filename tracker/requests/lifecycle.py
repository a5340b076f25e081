"""The lifecycle actions of a records request: what each one checks, records and changes.

The statuses and which action is allowed from which are in status.py; this module applies them. Like every
service it adds and flushes; the caller commits once, and a refused action changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from tracker.auth.models import User
from tracker.core.errors import ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import event_day_error, planned_day_error, text_errors
from tracker.extensions import db
from tracker.requests import audit, due_dates, estimates, referrals
from tracker.requests.documents import STAGE_OF_ACTION, DocumentInput, add_documents, check_rows, latest_determination
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import Determination, Event, RecordsRequest, TolledSpan
from tracker.requests.pauses import end_pause
from tracker.requests.services import CommunicationInput, add_communication, add_tracking_number, record_event
from tracker.requests.status import (
    APPEAL_OUTCOMES,
    CHANNELS,
    DECISION_OUTCOMES,
    FEE_CATEGORIES,
    OUTCOMES,
    check_allowed,
)


@dataclass
class ActionInput:
    """What a person enters for an action; each action reads the fields it needs."""

    on: date | None = None
    received_on: date | None = None
    channel: str = ""
    tracking_number: str = ""
    outcome: str = ""
    exemptions: list[str] = field(default_factory=list)
    pages_released: int | None = None
    pages_withheld: int | None = None
    amount: Decimal | None = None
    our_answer_due_on: date | None = None
    note: str = ""
    communication: CommunicationInput | None = None
    documents: list[DocumentInput] = field(default_factory=list)  # the determination's Vaughn index rows
    # determine: where and by when the agency's letter says to appeal
    appeal_office: str = ""
    appeal_address: str = ""
    appeal_email: str = ""
    appeal_portal_url: str = ""
    appeal_deadline_stated: str = ""
    estimated_completion_on: date | None = None  # the agency's estimate, if the letter gives one
    # refer: the agency the records went to, and whether all ("all") or part ("part") of them
    agency_id: int | None = None
    scope: str = ""


# What a handler returns: the status to move to (None: the action's own, or stay), the event's standard note,
# and the data the event records.
Outcome = tuple[str | None, str, dict]
Handler = Callable[[RecordsRequest, ActionInput, datetime], Outcome]

OUTBOUND = {"file", "answer_clarification", "fee_agreed", "appeal", "mediate", "withdraw"}
COMMUNICATION_KIND = {
    "file": "request", "acknowledge": "acknowledgment", "request_clarification": "clarification",
    "answer_clarification": "clarification", "fee_estimate": "fees", "fee_agreed": "fees",
    "extend": "extension", "determine": "determination", "appeal": "appeal", "appeal_extend": "extension",
    "decide_appeal": "appeal_decision", "mediate": "mediation", "end_mediation": "mediation",
    "sue": "litigation", "withdraw": "withdrawal", "decide_expedited": "expedited_decision",
    "decide_fee_waiver": "fee_waiver_decision", "decide_fee_category": "fee_category_decision",
    "refer": "referral",
}
APPEAL_INSTRUCTIONS = ("appeal_office", "appeal_address", "appeal_email", "appeal_portal_url",
                       "appeal_deadline_stated")


def _require(value, field_name: str, message: str) -> None:
    if value in (None, ""):
        raise ValidationFailed(message, {field_name: message})


def _not_before(day: date | None, floor: date | None, field_name: str, what: str) -> None:
    if day is not None and floor is not None and day < floor:
        raise ValidationFailed(f"The date is before {what}.", {field_name: f"This date is before {what} ({floor})."})


def perform(req: RecordsRequest, action_name: str, inp: ActionInput, *, actor: User, now: datetime,
            today: date, storage: Storage) -> Event:
    """Apply a named lifecycle action, or refuse it (changing nothing) with a message that says why."""
    action = check_allowed(action_name, req.status)
    if action_name not in ("reopen",):
        _require(inp.on, "on", "Give the date this happened.")
    for day_field in ("on", "received_on"):
        if message := event_day_error(getattr(inp, day_field), today):
            raise ValidationFailed(message, {day_field: message})
    if message := planned_day_error(inp.our_answer_due_on):
        raise ValidationFailed(message, {"our_answer_due_on": message})
    if errors := text_errors(Event, {"note": inp.note}):
        raise ValidationFailed("The note has errors.", errors)
    if errors := text_errors(Determination, {name: getattr(inp, name) for name in APPEAL_INSTRUCTIONS}):
        raise ValidationFailed("The appeal instructions have errors.", errors)
    if inp.amount is not None and inp.amount < 0:
        raise ValidationFailed("Negative amount.", {"amount": "An amount cannot be negative."})
    _check_pages(inp)
    if inp.documents and action_name not in STAGE_OF_ACTION:
        raise ValidationFailed("Only a determination lists documents.",
                               {"documents": "Documents are listed with a determination or an appeal decision."})
    check_rows(inp.documents)  # a bad row refuses the whole action before anything changes
    if inp.estimated_completion_on is not None:
        estimates.check(inp.estimated_completion_on, inp.on, today)
    handler = HANDLERS[action_name]
    due_dates.read_ahead(req)
    before = req.status
    to, note, data = handler(req, inp, now=now)
    to = to or action.to or before
    event = record_event(req, actor, now, action_name, to=to, on=inp.on, note=inp.note or note, data=data)
    req.status = to
    req.updated_at = now
    if action_name == "refer":
        referrals.open_child(req, inp, event, actor=actor, now=now, today=today)
    if inp.estimated_completion_on is not None:
        estimates.record(req, inp.estimated_completion_on, given_on=inp.on, actor=actor, now=now, today=today)
    if inp.communication is not None and (inp.communication.body or inp.communication.subject
                                          or inp.communication.files):
        comm = inp.communication
        add_communication(
            req, actor=actor, now=now, storage=storage, event=event,
            direction="out" if action_name in OUTBOUND else "in",
            channel=comm.channel or "email", occurred_on=inp.on or today, subject=comm.subject or action.label,
            body=comm.body, kind=COMMUNICATION_KIND.get(action_name, "other"), files=comm.files,
        )
    if action_name in STAGE_OF_ACTION:
        add_documents(latest_determination(req, STAGE_OF_ACTION[action_name]), inp.documents)
    due_dates.recompute(req, today)
    audit.record(req, actor=actor, action="change", detail=action.label, now=now)
    db.session.flush()
    return event


def _file(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    _require(inp.channel, "channel", "Say how the request was sent.")
    if inp.channel not in CHANNELS:
        raise ValidationFailed("Unknown channel.", {"channel": "Choose how the request was sent."})
    _not_before(inp.received_on, inp.on, "received_on", "the day it was sent")
    req.sent_on = inp.on
    # Portal and email submissions arrive the day they are sent; a mailed letter's receipt is entered later.
    req.received_on = inp.received_on or (inp.on if inp.channel in ("portal", "email", "fax") else None)
    add_tracking_number(req, inp.tracking_number, kind="request", on=inp.on)
    return None, f"Filed by {CHANNELS[inp.channel].lower()}.", {"sent_on": inp.on, "received_on": req.received_on,
                                                                  "channel": inp.channel}


def _acknowledge(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    _not_before(inp.on, req.sent_on, "on", "the day the request was sent")
    req.acknowledged_on = inp.on
    if req.received_on is None:
        req.received_on = inp.received_on or inp.on
    add_tracking_number(req, inp.tracking_number, kind="request", on=inp.on)
    note = "Acknowledged" + (f"; tracking number {inp.tracking_number.strip()}" if inp.tracking_number.strip() else "")
    return None, note + ".", {"tracking_number": inp.tracking_number.strip(), "received_on": req.received_on}


def _pause(req: RecordsRequest, inp: ActionInput, now: datetime, *, reason: str) -> Outcome:
    _not_before(inp.on, req.received_on, "on", "the day the agency received the request")
    if req.open_tolled_span is not None:
        raise ValidationFailed("The clock is already paused.", {"on": "The clock is already paused."})
    db.session.add(TolledSpan(request=req, reason=reason, paused_on=inp.on))
    req.our_answer_due_on = inp.our_answer_due_on
    if reason == "fees" and inp.amount is not None:
        req.fees_estimated = inp.amount
    what = "asked for clarification" if reason == "clarification" else "sent a fee estimate"
    return None, f"Agency {what}; the clock is paused.", {"amount": inp.amount,
                                                           "our_answer_due_on": inp.our_answer_due_on}


def _resume(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    span = req.open_tolled_span
    if span is None:
        raise ValidationFailed("The clock is not paused.", {"on": "The clock is not paused."})
    _not_before(inp.on, span.paused_on, "on", "the day the clock was paused")
    span.resumed_on = inp.on
    req.our_answer_due_on = None
    if span.reason == "fees" and inp.amount is not None:
        req.fees_paid = inp.amount
    return None, "Answer received by the agency; the clock resumes.", {"amount": inp.amount}


def _extend(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    if req.extended:
        raise ValidationFailed("Already extended.", {"on": "An extension notice is already recorded."})
    req.extended = True
    return None, "Agency invoked unusual circumstances and extended its time.", {}


def _check_exemptions(codes: list[str]) -> list[str]:
    unknown = [c for c in codes if c not in EXEMPTIONS]
    if unknown:
        raise ValidationFailed("Unknown exemption.", {"exemptions": f"Unknown exemption: {', '.join(unknown)}."})
    return list(dict.fromkeys(codes))


def _check_pages(inp: ActionInput) -> None:
    for name in ("pages_released", "pages_withheld"):
        value = getattr(inp, name)
        if value is not None and value < 0:
            raise ValidationFailed("Negative page count.", {name: "A page count cannot be negative."})


def _determine(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    if inp.outcome not in OUTCOMES:
        raise ValidationFailed("Choose the outcome.", {"outcome": "Choose the outcome of the determination."})
    _not_before(inp.on, req.sent_on, "on", "the day the request was sent")
    exemptions = _check_exemptions(inp.exemptions)
    end_pause(req, inp.on)
    instructions = {name: (getattr(inp, name) or "").strip() for name in APPEAL_INSTRUCTIONS}
    db.session.add(Determination(request=req, stage="initial", outcome=inp.outcome, decided_on=inp.on,
                                 exemptions=exemptions, pages_released=inp.pages_released,
                                 pages_withheld=inp.pages_withheld, note=inp.note, **instructions))
    req.determined_on = inp.on
    req.outcome = inp.outcome
    req.pages_released = inp.pages_released
    req.pages_withheld = inp.pages_withheld
    cited = f" citing {', '.join(EXEMPTIONS[c].short for c in exemptions)}" if exemptions else ""
    return None, f"{OUTCOMES[inp.outcome]}{cited}.", {"outcome": inp.outcome, "exemptions": exemptions,
                                                      "pages_released": inp.pages_released,
                                                      "pages_withheld": inp.pages_withheld,
                                                      **{k: v for k, v in instructions.items() if v}}


def _decide(req: RecordsRequest, inp: ActionInput, now: datetime, *, column: str, action: str,
            what: str) -> Outcome:
    """The agency's decision on one of the request's terms: stored with its date; recompute() then stops the
    deadline that waited for it (the expedited-processing decision's)."""
    outcomes = DECISION_OUTCOMES[action]
    if inp.outcome not in outcomes:
        raise ValidationFailed("Choose the decision.", {"outcome": f"Choose the agency's decision on {what}."})
    _not_before(inp.on, req.sent_on, "on", "the day the request was sent")
    setattr(req, f"{column}_decision", inp.outcome)
    setattr(req, f"{column}_decided_on", inp.on)
    if action == "decide_fee_category":
        note = f"Agency placed the request in the fee category: {FEE_CATEGORIES[inp.outcome].lower()}."
    else:
        note = f"{outcomes[inp.outcome]}."
    return None, note, {"decision": inp.outcome}


def _appeal(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    _not_before(inp.on, req.determined_on, "on", "the determination")
    req.appeal_filed_on = inp.on
    req.appeal_extended = False
    add_tracking_number(req, inp.tracking_number, kind="appeal", on=inp.on)
    return None, "Administrative appeal filed.", {"tracking_number": inp.tracking_number.strip()}


def _appeal_extend(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    if req.appeal_extended:
        raise ValidationFailed("Already extended.", {"on": "An appeal extension is already recorded."})
    req.appeal_extended = True
    return None, "Agency extended its time to decide the appeal.", {}


def _decide_appeal(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    if inp.outcome not in APPEAL_OUTCOMES:
        raise ValidationFailed("Choose the outcome.", {"outcome": "Choose the outcome of the appeal."})
    _not_before(inp.on, req.appeal_filed_on, "on", "the day the appeal was filed")
    exemptions = _check_exemptions(inp.exemptions)
    db.session.add(Determination(request=req, stage="appeal", outcome=inp.outcome, decided_on=inp.on,
                                 exemptions=exemptions, pages_released=inp.pages_released,
                                 pages_withheld=inp.pages_withheld, note=inp.note))
    if inp.pages_released is not None:
        req.pages_released = inp.pages_released
    if inp.pages_withheld is not None:
        req.pages_withheld = inp.pages_withheld
    return None, f"Appeal decided: {APPEAL_OUTCOMES[inp.outcome].lower()}.", {"outcome": inp.outcome,
                                                                              "exemptions": exemptions}


def _mediate(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    add_tracking_number(req, inp.tracking_number, kind="ogis", on=inp.on)
    return None, "Asked OGIS to mediate.", {"tracking_number": inp.tracking_number.strip()}


def _status_before(req: RecordsRequest, action: str) -> str:
    """The status the request had when the latest `action` event moved it."""
    for event in reversed(req.events):
        if event.action == action and event.from_status:
            return event.from_status
    return "acknowledged" if req.received_on else "filed"


def _end_mediation(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    return _status_before(req, "mediate"), "Mediation ended.", {}


def _sue(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    add_tracking_number(req, inp.tracking_number, kind="case", on=inp.on)
    return None, "Lawsuit filed.", {"case_number": inp.tracking_number.strip()}


def _close(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    req.closed_on = inp.on
    return None, "Closed.", {}


def _withdraw(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    req.closed_on = inp.on
    return None, "Withdrawn.", {}


def _reopen(req: RecordsRequest, inp: ActionInput, now: datetime) -> Outcome:
    req.closed_on = None
    last = next((e for e in reversed(req.events) if e.action in ("close", "withdraw")), None)
    return (last.from_status if last else "acknowledged"), "Reopened.", {}


# The pause and decision handlers are one function each, bound to their arguments with partial rather than built
# by a closure at import, so that mutation testing (which switches a function's body at call time) reaches them.
HANDLERS: dict[str, Handler] = {
    "file": _file,
    "acknowledge": _acknowledge,
    "request_clarification": partial(_pause, reason="clarification"),
    "answer_clarification": _resume,
    "fee_estimate": partial(_pause, reason="fees"),
    "fee_agreed": _resume,
    "extend": _extend,
    "determine": _determine,
    "appeal": _appeal,
    "appeal_extend": _appeal_extend,
    "decide_appeal": _decide_appeal,
    "mediate": _mediate,
    "end_mediation": _end_mediation,
    "sue": _sue,
    "close": _close,
    "withdraw": _withdraw,
    "reopen": _reopen,
    "decide_expedited": partial(_decide, column="expedited", action="decide_expedited",
                                what="expedited processing"),
    "decide_fee_waiver": partial(_decide, column="fee_waiver", action="decide_fee_waiver", what="the fee waiver"),
    "decide_fee_category": partial(_decide, column="fee_category", action="decide_fee_category",
                                   what="the fee category"),
    "refer": referrals.handler,
}
