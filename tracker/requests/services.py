"""Operations that change a records request. They add and flush; the outermost caller commits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from sqlalchemy import select

from tracker.agencies.models import Agency
from tracker.auth.models import User
from tracker.core.clock import local
from tracker.core.errors import Conflict, NotFound, ValidationFailed
from tracker.core.storage import Storage
from tracker.core.validation import event_day_error, text_errors
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import due_dates
from tracker.requests.exemptions import EXEMPTIONS
from tracker.requests.models import (
    Attachment,
    Communication,
    Determination,
    Event,
    RecordsRequest,
    TolledSpan,
    TrackingNumber,
)
from tracker.requests.status import (
    APPEAL_OUTCOMES,
    CHANNELS,
    EXPEDITED_CATEGORIES,
    FEE_CATEGORIES,
    OUTCOMES,
    check_allowed,
)

EDITABLE_FIELDS = (
    "title", "agency_id", "private", "records_description", "records_from", "records_to",
    "delivery_format", "fee_category", "fee_limit", "fee_waiver_requested", "fee_waiver_justification",
    "expedited_requested", "expedited_category", "expedited_justification", "follow_up_on",
    "sent_on", "received_on", "our_answer_due_on", "fees_estimated", "fees_paid",
)
# Edits to these change deadlines, so they are recomputed after an edit.
DATE_FIELDS = {"sent_on", "received_on", "expedited_requested"}


@dataclass
class Upload:
    """A file as the web or the API received it."""

    filename: str
    stream: BinaryIO


@dataclass
class CommunicationInput:
    channel: str = "email"
    subject: str = ""
    body: str = ""
    files: list[Upload] = field(default_factory=list)


def _check_request_fields(data: dict, today: date) -> dict[str, str]:
    errors: dict[str, str] = text_errors(RecordsRequest, data)
    for day_field in ("sent_on", "received_on"):
        if message := event_day_error(data.get(day_field), today):
            errors[day_field] = message
    if "title" in data and not (data["title"] or "").strip():
        errors["title"] = "Give the request a short title."
    if "agency_id" in data and (data["agency_id"] is None or db.session.get(Agency, data["agency_id"]) is None):
        errors["agency_id"] = "Choose an agency from the directory."
    if "fee_category" in data and data["fee_category"] not in FEE_CATEGORIES:
        errors["fee_category"] = "Choose one of the fee categories of 5 U.S.C. 552(a)(4)(A)(ii)."
    if "expedited_category" in data and data["expedited_category"] not in EXPEDITED_CATEGORIES:
        errors["expedited_category"] = "Choose one of the categories of 6 CFR 5.5(e)(1)."
    for money in ("fee_limit", "fees_estimated", "fees_paid"):
        value = data.get(money)
        if value is not None and Decimal(value) < 0:
            errors[money] = "An amount cannot be negative."
    if data.get("records_from") and data.get("records_to") and data["records_from"] > data["records_to"]:
        errors["records_to"] = "The end of the date range is before its start."
    if data.get("sent_on") and data.get("received_on") and data["received_on"] < data["sent_on"]:
        errors["received_on"] = "The agency cannot receive the request before it was sent."
    return errors


def _matters(ids: list[int]) -> list[Matter]:
    found = list(db.session.scalars(select(Matter).where(Matter.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationFailed("Unknown matter.", {"matter_ids": "One of the matters does not exist."})
    return found


def _users(ids: list[int]) -> list[User]:
    found = list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationFailed("Unknown user.", {"watcher_ids": "One of the watchers does not exist."})
    return found


def _event(req: RecordsRequest, actor: User | None, now: datetime, action: str, *, to: str | None = None,
           on: date | None = None, note: str = "", data: dict | None = None) -> Event:
    event = Event(request=req, actor=actor, at=now, on=on, action=action, from_status=req.status,
                  to_status=to or req.status, note=note or "", data=_jsonable(data or {}))
    db.session.add(event)
    return event


def _jsonable(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, date | Decimal):
            value = str(value)
        out[key] = value
    return out


def create_request(*, actor: User, now: datetime, today: date, data: dict,
                   matter_ids: list[int] = (), watcher_ids: list[int] = ()) -> RecordsRequest:
    errors = _check_request_fields({"title": data.get("title"), "agency_id": data.get("agency_id"), **data}, today)
    if errors:
        raise ValidationFailed("The request has errors.", errors)
    req = RecordsRequest(owner=actor, status="draft", created_at=now, updated_at=now, deadline_provenance={})
    for name in EDITABLE_FIELDS:
        if name in data and name not in ("sent_on", "received_on"):
            setattr(req, name, data[name])
    req.title = req.title.strip()
    req.agency = db.session.get(Agency, data["agency_id"])
    req.matters = _matters(list(matter_ids))
    req.watchers = _users(list(watcher_ids))
    db.session.add(req)
    _event(req, actor, now, "create", to="draft", note="Request drafted.")
    db.session.flush()
    return req


def update_request(req: RecordsRequest, *, actor: User, now: datetime, today: date, data: dict,
                   matter_ids: list[int] | None = None, watcher_ids: list[int] | None = None) -> None:
    """Edit the request's fields; the event lists what changed, from what to what."""
    errors = _check_request_fields(data, today)
    if errors:
        raise ValidationFailed("The request has errors.", errors)
    changes: dict[str, list] = {}
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = data[name].strip() if isinstance(data[name], str) and name == "title" else data[name]
        old = getattr(req, name)
        if old != value:
            changes[name] = [_plain(old), _plain(value)]
            setattr(req, name, value)
    if "agency_id" in changes:
        req.agency = db.session.get(Agency, data["agency_id"])
    if matter_ids is not None:
        matters = _matters(matter_ids)
        if {m.id for m in matters} != {m.id for m in req.matters}:
            changes["matters"] = [[m.title for m in req.matters], [m.title for m in matters]]
            req.matters = matters
    if watcher_ids is not None:
        watchers = _users(watcher_ids)
        if {u.id for u in watchers} != {u.id for u in req.watchers}:
            changes["watchers"] = [[u.name for u in req.watchers], [u.name for u in watchers]]
            req.watchers = watchers
    if not changes:
        return
    req.updated_at = now
    _event(req, actor, now, "edit", note="Edited: " + ", ".join(k.replace("_", " ") for k in changes),
           data={"changes": changes})
    if changes.keys() & (DATE_FIELDS | {"agency_id"}):
        due_dates.recompute(req, today)
    db.session.flush()


def _plain(value):
    return str(value) if isinstance(value, date | Decimal) else value


def add_tracking_number(req: RecordsRequest, number: str, *, kind: str, on: date | None) -> TrackingNumber | None:
    number = (number or "").strip()
    if not number:
        return None
    if errors := text_errors(TrackingNumber, {"number": number}):
        raise ValidationFailed("Bad tracking number.", {"tracking_number": errors["number"]})
    if any(t.number == number for t in req.tracking_numbers):
        return None
    clash = db.session.scalar(
        select(TrackingNumber).where(TrackingNumber.agency_id == req.agency_id, TrackingNumber.number == number)
    )
    if clash is not None:
        raise Conflict(
            f"Tracking number {number} is already recorded on another request to this agency.",
            {"tracking_number": "This number is already recorded on another request to this agency."},
        )
    tracking = TrackingNumber(request=req, agency_id=req.agency_id, kind=kind, number=number, assigned_on=on)
    db.session.add(tracking)
    return tracking


SAFE_NAME = re.compile(r"[^\w.\- ()]+")


def safe_filename(name: str) -> str:
    """Keep only a harmless label: no directories, no NUL or control characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    name = SAFE_NAME.sub("_", name).strip(" .")
    return name[:200] or "file"


def add_attachment(req: RecordsRequest, upload: Upload, *, actor: User | None, now: datetime,
                   storage: Storage, communication: Communication | None = None) -> Attachment:
    stored = storage.save(upload.stream)
    attachment = Attachment(
        request=req, communication=communication, storage_key=stored.key, sha256=stored.sha256,
        size=stored.size, content_type=stored.content_type, original_name=safe_filename(upload.filename),
        uploaded_by=actor, uploaded_at=now,
    )
    db.session.add(attachment)
    return attachment


def upload_documents(req: RecordsRequest, uploads: list[Upload], *, actor: User, now: datetime,
                     storage: Storage) -> int:
    """Documents added to the request itself, not to a communication; one event says how many."""
    for upload in uploads:
        add_attachment(req, upload, actor=actor, now=now, storage=storage)
    if uploads:
        names = ", ".join(safe_filename(u.filename) for u in uploads)
        _event(req, actor, now, "upload", note=f"Uploaded {len(uploads)} document(s): {names}"[:2000])
        db.session.flush()
    return len(uploads)


def add_communication(req: RecordsRequest, *, actor: User, now: datetime, storage: Storage,
                      direction: str, channel: str, occurred_on: date, subject: str = "", body: str = "",
                      kind: str = "other", files: list[Upload] = (), event: Event | None = None) -> Communication:
    errors = {}
    if direction not in ("in", "out"):
        errors["direction"] = "Say whether it came from the agency or went to it."
    if channel not in CHANNELS:
        errors["channel"] = "Choose how it was sent."
    if occurred_on is None:
        errors["occurred_on"] = "Give the date."
    elif message := event_day_error(occurred_on, local(now).date()):
        errors["occurred_on"] = message
    errors.update(text_errors(Communication, {"subject": subject or "", "body": body or ""}))
    if errors:
        raise ValidationFailed("The communication has errors.", errors)
    comm = Communication(request=req, event=event, direction=direction, channel=channel, occurred_on=occurred_on,
                         subject=(subject or "").strip(), body=body or "", kind=kind, created_by=actor, created_at=now)
    db.session.add(comm)
    for upload in files:
        add_attachment(req, upload, actor=actor, now=now, storage=storage, communication=comm)
    if event is None:
        _event(req, actor, now, "communication", on=occurred_on,
               note=f"{'Received' if direction == 'in' else 'Sent'} by {CHANNELS[channel].lower()}: {comm.subject}",
               data={"kind": kind})
    db.session.flush()
    return comm


# --- lifecycle actions --------------------------------------------------------------------------

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
    for day_field in ("on", "received_on", "our_answer_due_on"):
        limit = date.max if day_field == "our_answer_due_on" else today
        if message := event_day_error(getattr(inp, day_field), limit):
            raise ValidationFailed(message, {day_field: message})
    if errors := text_errors(Event, {"note": inp.note}):
        raise ValidationFailed("The note has errors.", errors)
    handler = HANDLERS[action_name]
    before = req.status
    to, note, data = handler(req, inp, now=now)
    to = to or action.to or before
    event = _event(req, actor, now, action_name, to=to, on=inp.on, note=inp.note or note, data=data)
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
            if inp.amount < 0:
                raise ValidationFailed("Negative amount.", {"amount": "An amount cannot be negative."})
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
        if inp.amount < 0:
            raise ValidationFailed("Negative amount.", {"amount": "An amount cannot be negative."})
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
    _check_pages(inp)
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
    _check_pages(inp)
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


def get_request(request_id: int) -> RecordsRequest:
    req = db.session.get(RecordsRequest, request_id)
    if req is None:
        raise NotFound("There is no such request.")
    return req
