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
from tracker.core.errors import Conflict, ValidationFailed
from tracker.core.plain_rows import PlainRows, later_id
from tracker.core.storage import Storage
from tracker.core.validation import event_day_error, planned_day_error, text_errors
from tracker.extensions import db
from tracker.matters.models import Matter
from tracker.requests import audit, due_dates
from tracker.requests.models import (
    Attachment,
    Communication,
    Event,
    RecordsRequest,
    TrackingNumber,
)
from tracker.requests.status import (
    CHANNELS,
    EXPEDITED_CATEGORIES,
    FEE_CATEGORIES,
)

EDITABLE_FIELDS = (
    "title", "subject", "agency_id", "private", "records_description", "records_from", "records_to",
    "delivery_format", "fee_category", "fee_limit", "fee_waiver_requested", "fee_waiver_justification",
    "expedited_requested", "expedited_category", "expedited_justification", "follow_up_on",
    "sent_on", "received_on", "our_answer_due_on", "fees_estimated", "fees_paid",
    "deadline_variant",
)
# Edits to these change deadlines, so they are recomputed after an edit.
DATE_FIELDS = {"sent_on", "received_on", "expedited_requested", "deadline_variant"}


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


def _check_request_fields(data: dict, today: date, agency: Agency | None = None) -> dict[str, str]:
    errors: dict[str, str] = text_errors(RecordsRequest, data)
    for day_field in ("sent_on", "received_on"):
        if message := event_day_error(data.get(day_field), today):
            errors[day_field] = message
    for day_field in ("our_answer_due_on", "follow_up_on"):
        if message := planned_day_error(data.get(day_field)):
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
    if data.get("deadline_variant"):
        if message := due_dates.variant_error(data["deadline_variant"], data.get("agency_id"), agency):
            errors["deadline_variant"] = message
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


def record_event(req: RecordsRequest, actor: User | None, now: datetime, action: str, *, to: str | None = None,
           on: date | None = None, note: str = "", data: dict | None = None,
           rows: PlainRows | None = None) -> Event | None:
    """Add an event; with `rows` (the mail fetch's quick pass) as a plain row there, not an object."""
    values = {"at": now, "on": on, "action": action, "from_status": req.status, "to_status": to or req.status,
              "note": note or "", "data": _jsonable(data or {})}
    if rows is not None:
        rows.add(Event.__table__, {"request_id": later_id(req),
                                   "actor_id": None if actor is None else later_id(actor), **values})
        return None
    event = Event(request=req, actor=actor, **values)
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
    # Held from here on: the check finds it in the session, not in the database a second time.
    agency = db.session.get(Agency, data["agency_id"]) if data.get("agency_id") is not None else None
    errors = _check_request_fields({"title": data.get("title"), "agency_id": data.get("agency_id"), **data}, today)
    if errors:
        raise ValidationFailed("The request has errors.", errors)
    # A new request has no tracking numbers, tolled spans or determinations: known as empty, they are not looked
    # up when the request is shown before the commit (the API answers with it).
    req = RecordsRequest(owner=actor, status="draft", created_at=now, updated_at=now, deadline_provenance={},
                         tracking_numbers=[], tolled_spans=[], determinations=[])
    for name in EDITABLE_FIELDS:
        if name in data and name not in ("sent_on", "received_on"):
            setattr(req, name, data[name])
    req.title = req.title.strip()
    req.agency = agency
    req.matters = _matters(list(matter_ids))
    req.watchers = _users(list(watcher_ids))
    db.session.add(req)
    record_event(req, actor, now, "create", to="draft", note="Request drafted.")
    db.session.flush()
    return req


MAX_REFERRAL_DEPTH = 20  # a chain deeper than this is refused (no agency refers records twenty times)


def referral_ancestors(req: RecordsRequest) -> list[RecordsRequest]:
    """The request and those it was referred from, nearest first (at most one past MAX_REFERRAL_DEPTH)."""
    out = [req]
    while out[-1].referred_from is not None and len(out) <= MAX_REFERRAL_DEPTH:
        out.append(out[-1].referred_from)
    return out


def _chain_agency_error(req: RecordsRequest, agency_id) -> str | None:
    """A request in a chain of referrals stays at another agency than the requests it was referred from and to
    (referrals.check refuses the same when the referral is recorded)."""
    if agency_id == req.agency_id or req.id is None:
        return None
    linked = referral_ancestors(req)[1:]
    linked += db.session.scalars(select(RecordsRequest).where(RecordsRequest.referred_from_id == req.id)).all()
    for other in linked:
        if other.agency_id == agency_id:
            return (f"Request #{other.id} in this chain of referrals is already at that agency; a referral "
                    f"always goes to another agency.")
    return None


def update_request(req: RecordsRequest, *, actor: User, now: datetime, today: date, data: dict,
                   matter_ids: list[int] | None = None, watcher_ids: list[int] | None = None) -> None:
    """Edit the request's fields; the event lists what changed, from what to what."""
    errors = _check_request_fields(data, today, req.agency)
    if "agency_id" not in errors and (message := _chain_agency_error(req, data.get("agency_id", req.agency_id))):
        errors["agency_id"] = message
    if errors:
        raise ValidationFailed("The request has errors.", errors)
    was_private = req.private
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
    edited = ", ".join(k.replace("_", " ") for k in changes)
    record_event(req, actor, now, "edit", note="Edited: " + edited, data={"changes": changes})
    audit.record(req, actor=actor, action="change", detail="edited " + edited, now=now,
                 private=was_private or req.private)
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
                   storage: Storage, communication: Communication | None = None,
                   rows: PlainRows | None = None) -> Attachment | None:
    """Store the file and add its attachment; with `rows` (the mail fetch's quick pass) as a plain row there."""
    stored = storage.save(upload.stream)
    values = {"storage_key": stored.key, "sha256": stored.sha256, "size": stored.size,
              "content_type": stored.content_type, "original_name": safe_filename(upload.filename), "uploaded_at": now}
    if rows is not None:
        rows.add(Attachment.__table__, attachment_row(req, communication, actor, **values))
        return None
    attachment = Attachment(request=req, communication=communication, uploaded_by=actor, **values)
    db.session.add(attachment)
    return attachment


def attachment_row(req: RecordsRequest, communication: Communication | None, actor: User | None,
                   **values) -> dict:
    """An attachment's row for core.plain_rows: its links as ids (read when written, if not known yet)."""
    return {"request_id": later_id(req), "communication_id": None if communication is None else later_id(communication),
            "uploaded_by_id": None if actor is None else later_id(actor), **values}


def upload_documents(req: RecordsRequest, uploads: list[Upload], *, actor: User, now: datetime,
                     storage: Storage) -> int:
    """Documents added to the request itself, not to a communication; one event says how many."""
    for upload in uploads:
        add_attachment(req, upload, actor=actor, now=now, storage=storage)
    if uploads:
        names = ", ".join(safe_filename(u.filename) for u in uploads)
        record_event(req, actor, now, "upload", note=f"Uploaded {len(uploads)} document(s): {names}"[:2000])
        audit.record(req, actor=actor, action="change", detail=f"uploaded {len(uploads)} document(s)", now=now)
        db.session.flush()
    return len(uploads)


def add_communication(req: RecordsRequest, *, actor: User, now: datetime, storage: Storage,
                      direction: str, channel: str, occurred_on: date, subject: str = "", body: str = "",
                      kind: str = "other", files: list[Upload] = (), event: Event | None = None,
                      flush: bool = True, rows: PlainRows | None = None) -> Communication:
    """Record a communication with its files. flush=False leaves the rows to the caller's next flush (the mail
    fetch writes a whole batch of messages with one); `rows` takes its attachments and event as plain rows
    (the fetch's quick pass: core.plain_rows), which nothing reads back before they are written."""
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
    # Its files join its attachments as they are added: known from the start, they are not looked up to show it.
    comm = Communication(request=req, event=event, direction=direction, channel=channel, occurred_on=occurred_on,
                         subject=(subject or "").strip(), body=body or "", kind=kind, created_by=actor, created_at=now,
                         attachments=[])
    db.session.add(comm)
    for upload in files:
        add_attachment(req, upload, actor=actor, now=now, storage=storage, communication=comm, rows=rows)
    if event is None:  # an action's communication is audited with the action
        record_event(req, actor, now, "communication", on=occurred_on,
               note=f"{'Received' if direction == 'in' else 'Sent'} by {CHANNELS[channel].lower()}: {comm.subject}",
               data={"kind": kind}, rows=rows)
        audit.record(req, actor=actor, action="change", detail="recorded a communication", now=now)
    if flush:
        db.session.flush()
    return comm
