"""The lifecycle actions of a records request: what each one checks, records and changes.

The statuses and which action is allowed from which are in status.py; this module applies them. Like every
service it adds and flushes; the caller commits once, and a refused action changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from tracker.auth.models import User
from tracker.core.errors import ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import event_day_error, planned_day_error, text_errors
from tracker.extensions import db
from tracker.requests import due_dates
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import Determination, Event, RecordsRequest, TolledSpan
from tracker.requests.services import CommunicationInput, add_communication, add_tracking_number, record_event
from tracker.requests.status import APPEAL_OUTCOMES, CHANNELS, OUTCOMES, check_allowed


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


OUTBOUND = {"file", "answer_clarification", "fee_agreed", "appeal", "mediate", "withdraw"}
COMMUNICATION_KIND = {
    "file": "request", "acknowledge": "acknowledgment", "request_clarification": "clarification",
    "answer_clarification": "clarification", "fee_estimate": "fees", "fee_agreed": "fees",
    "extend": "extension", "determine": "determination", "appeal": "appeal", "appeal_extend": "extension",
    "decide_appeal": "appeal_decision", "mediate": "mediation", "end_mediation": "mediation",
    "sue": "litigation", "withdraw": "withdrawal",
}


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
    if inp.amount is not None and inp.amount < 0:
        raise ValidationFailed("Negative amount.", {"amount": "An amount cannot be negative."})
    _check_pages(inp)
    handler = HANDLERS[action_name]
    before = req.status
    to, note, data = handler(req, inp, now=now)
    to = to or action.to or before
    event = record_event(req, actor, now, action_name, to=to, on=inp.on, note=inp.note or note, data=data)
    req.status = to
    req.updated_at = now
    if inp.communication is not None and (inp.communication.body or inp.communication.subject
                                          or inp.communication.files):
        comm = inp.communication
        add_communication(
            req, actor=actor, now=now, storage=storage, event=event,
            direction="out" if action_name in OUTBOUND else "in",
            channel=comm.channel or "email", occurred_on=inp.on or today, subject=comm.subject or action.label,
            body=comm.body, kind=COMMUNICATION_KIND.get(action_name, "other"), files=comm.files,
        )
    due_dates.recompute(req, today)
    db.session.flush()
    return event


def _file(req, inp, now):
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


def _acknowledge(req, inp, now):
    _not_before(inp.on, req.sent_on, "on", "the day the request was sent")
    req.acknowledged_on = inp.on
    if req.received_on is None:
        req.received_on = inp.received_on or inp.on
    add_tracking_number(req, inp.tracking_number, kind="request", on=inp.on)
    note = "Acknowledged" + (f"; tracking number {inp.tracking_number.strip()}" if inp.tracking_number.strip() else "")
    return None, note + ".", {"tracking_number": inp.tracking_number.strip(), "received_on": req.received_on}


def _pause(reason: str):
    def handler(req, inp, now):
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
    return handler


def _resume(req, inp, now):
    span = req.open_tolled_span
    if span is None:
        raise ValidationFailed("The clock is not paused.", {"on": "The clock is not paused."})
    _not_before(inp.on, span.paused_on, "on", "the day the clock was paused")
    span.resumed_on = inp.on
    req.our_answer_due_on = None
    if span.reason == "fees" and inp.amount is not None:
        req.fees_paid = inp.amount
    return None, "Answer received by the agency; the clock resumes.", {"amount": inp.amount}


def _extend(req, inp, now):
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


def _determine(req, inp, now):
    if inp.outcome not in OUTCOMES:
        raise ValidationFailed("Choose the outcome.", {"outcome": "Choose the outcome of the determination."})
    _not_before(inp.on, req.sent_on, "on", "the day the request was sent")
    exemptions = _check_exemptions(inp.exemptions)
    span = req.open_tolled_span
    if span is not None:
        span.resumed_on = inp.on
    db.session.add(Determination(request=req, stage="initial", outcome=inp.outcome, decided_on=inp.on,
                                 exemptions=exemptions, pages_released=inp.pages_released,
                                 pages_withheld=inp.pages_withheld, note=inp.note))
    req.determined_on = inp.on
    req.outcome = inp.outcome
    req.pages_released = inp.pages_released
    req.pages_withheld = inp.pages_withheld
    cited = f" citing {', '.join(EXEMPTIONS[c].short for c in exemptions)}" if exemptions else ""
    return None, f"{OUTCOMES[inp.outcome]}{cited}.", {"outcome": inp.outcome, "exemptions": exemptions,
                                                      "pages_released": inp.pages_released,
                                                      "pages_withheld": inp.pages_withheld}


def _appeal(req, inp, now):
    _not_before(inp.on, req.determined_on, "on", "the determination")
    req.appeal_filed_on = inp.on
    req.appeal_extended = False
    add_tracking_number(req, inp.tracking_number, kind="appeal", on=inp.on)
    return None, "Administrative appeal filed.", {"tracking_number": inp.tracking_number.strip()}


def _appeal_extend(req, inp, now):
    if req.appeal_extended:
        raise ValidationFailed("Already extended.", {"on": "An appeal extension is already recorded."})
    req.appeal_extended = True
    return None, "Agency extended its time to decide the appeal.", {}


def _decide_appeal(req, inp, now):
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


def _mediate(req, inp, now):
    add_tracking_number(req, inp.tracking_number, kind="ogis", on=inp.on)
    return None, "Asked OGIS to mediate.", {"tracking_number": inp.tracking_number.strip()}


def _status_before(req: RecordsRequest, action: str) -> str:
    """The status the request had when the latest `action` event moved it."""
    for event in reversed(req.events):
        if event.action == action and event.from_status:
            return event.from_status
    return "acknowledged" if req.received_on else "filed"


def _end_mediation(req, inp, now):
    return _status_before(req, "mediate"), "Mediation ended.", {}


def _sue(req, inp, now):
    add_tracking_number(req, inp.tracking_number, kind="case", on=inp.on)
    return None, "Lawsuit filed.", {"case_number": inp.tracking_number.strip()}


def _close(req, inp, now):
    req.closed_on = inp.on
    return None, "Closed.", {}


def _withdraw(req, inp, now):
    req.closed_on = inp.on
    return None, "Withdrawn.", {}


def _reopen(req, inp, now):
    req.closed_on = None
    last = next((e for e in reversed(req.events) if e.action in ("close", "withdraw")), None)
    return (last.from_status if last else "acknowledged"), "Reopened.", {}


HANDLERS = {
    "file": _file,
    "acknowledge": _acknowledge,
    "request_clarification": _pause("clarification"),
    "answer_clarification": _resume,
    "fee_estimate": _pause("fees"),
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
}
